/* test_xapian_c.c: libxapian-c as its users meet it: real databases in a
 * temporary directory, real failures (locks, corruption, stale readers),
 * and the exact results of queries, facets and stemming. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xapian-c.h"

#define SPEAKER_SLOT 1
#define SEP '\x1f'

/* ---- fixture: a fresh temporary directory per test ---------------- */

struct fixture {
    char dir[512];
    char db[600];
};

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/xc-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- collectors: callbacks render what they see as one string ------ */

struct seen {
    char text[8192];
    size_t calls;
    size_t stop_after; /* 0: never stop */
};

static void seen_append(struct seen *s, const char *bytes, size_t len)
{
    size_t used = strlen(s->text);
    if (used && used + 1 < sizeof s->text)
        s->text[used++] = ' ';
    for (size_t i = 0; i < len && used + 5 < sizeof s->text; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c >= 0x20 && c < 0x7f)
            s->text[used++] = (char)c;
        else
            used += (size_t)snprintf(s->text + used, 5, "\\x%02x", c);
    }
    s->text[used] = '\0';
}

/* Copies what was seen into a caller's buffer, cut to fit. */
static void seen_copy(const struct seen *s, char *out, size_t outsz)
{
    size_t n = strlen(s->text);
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, s->text, n);
    out[n] = '\0';
}

static int seen_stop(struct seen *s)
{
    s->calls++;
    return s->stop_after && s->calls >= s->stop_after;
}

static int on_term(const char *term, size_t len, uint32_t freq, void *ctx)
{
    (void)freq;
    seen_append(ctx, term, len);
    return seen_stop(ctx);
}

static int on_term_freq(const char *term, size_t len, uint32_t freq, void *ctx)
{
    char buf[32];
    struct seen *s = ctx;
    snprintf(buf, sizeof buf, "=%u", (unsigned)freq);
    seen_append(s, term, len);
    strncat(s->text, buf, sizeof s->text - strlen(s->text) - 1);
    return seen_stop(ctx);
}

static int on_docid(xc_docid_t docid, void *ctx)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%u", (unsigned)docid);
    seen_append(ctx, buf, strlen(buf));
    return seen_stop(ctx);
}

static int on_value_count(const char *value, size_t len, uint32_t count, void *ctx)
{
    return on_term_freq(value, len, count, ctx);
}

/* ---- helpers ------------------------------------------------------ */

static xc_database_t *open_writer(const char *path, xc_db_mode_t mode)
{
    xc_database_t *w = NULL;
    char *msg = NULL;
    xc_status_t st = xc_database_open_writable(path, mode, &w, &msg);
    if (st != XC_OK)
        fprintf(stderr, "open_writable: %s\n", msg ? msg : "(no message)");
    free(msg);
    assert_int_equal(st, XC_OK);
    assert_non_null(w);
    return w;
}

static xc_database_t *open_reader(const char *path)
{
    xc_database_t *r = NULL;
    char *msg = NULL;
    xc_status_t st = xc_database_open(path, &r, &msg);
    if (st != XC_OK)
        fprintf(stderr, "open: %s\n", msg ? msg : "(no message)");
    free(msg);
    assert_int_equal(st, XC_OK);
    return r;
}

/* A document with unique term "Q<id>", each space-separated word of text as
 * a posting at positions 1, 2, ..., and text as its data. */
static xc_document_t *make_doc(const char *id, const char *text)
{
    xc_document_t *doc = NULL;
    char idterm[256];
    assert_int_equal(xc_document_create(&doc), XC_OK);
    snprintf(idterm, sizeof idterm, "Q%s", id);
    assert_int_equal(xc_document_add_boolean_term(doc, idterm, strlen(idterm)), XC_OK);
    xc_termpos_t pos = 1;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            assert_int_equal(xc_document_add_posting(doc, p, n, pos++, 1), XC_OK);
        p += n;
        p += strspn(p, " ");
    }
    assert_int_equal(xc_document_set_data(doc, text, strlen(text)), XC_OK);
    return doc;
}

static xc_docid_t put_doc(xc_database_t *w, const char *id, const char *text)
{
    char idterm[256];
    xc_docid_t docid = 0;
    xc_document_t *doc = make_doc(id, text);
    snprintf(idterm, sizeof idterm, "Q%s", id);
    xc_status_t st = xc_database_replace_document(w, idterm, strlen(idterm), doc, &docid);
    if (st != XC_OK)
        fprintf(stderr, "replace_document: %s\n", xc_database_status_string(w));
    assert_int_equal(st, XC_OK);
    xc_document_destroy(doc);
    return docid;
}

static uint32_t doccount(xc_database_t *db)
{
    uint32_t n = 0;
    assert_int_equal(xc_database_get_doccount(db, &n), XC_OK);
    return n;
}

static xc_query_t *term_query(const char *term)
{
    xc_query_t *q = NULL;
    assert_int_equal(xc_query_term(term, strlen(term), 1, 0, &q), XC_OK);
    return q;
}

/* Combines and destroys the parts. */
static xc_query_t *combine(xc_query_op_t op, uint32_t window, size_t n, ...)
{
    xc_query_t *parts[8];
    xc_query_t *q = NULL;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        parts[i] = va_arg(ap, xc_query_t *);
    va_end(ap);
    assert_int_equal(xc_query_combine(op, parts, n, window, &q), XC_OK);
    for (size_t i = 0; i < n; i++)
        xc_query_destroy(parts[i]);
    return q;
}

/* Runs q and renders the docids in rank order; with bool weighting every
 * match weighs the same, so the order is docid order.  Destroys q. */
static void search(xc_database_t *db, xc_query_t *q, bool boolean, char *out, size_t outsz)
{
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_enquire_create(db, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    if (boolean)
        assert_int_equal(xc_enquire_set_weighting_bool(enq), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 100, 100, &mset), XC_OK);
    struct seen s = {0};
    for (size_t i = 0; i < xc_mset_size(mset); i++) {
        xc_docid_t id = 0;
        assert_int_equal(xc_mset_get_docid(mset, i, &id), XC_OK);
        on_docid(id, &s);
    }
    seen_copy(&s, out, outsz);
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    xc_query_destroy(q);
}

static void assert_matches(xc_database_t *db, xc_query_t *q, const char *expected)
{
    char got[1024];
    search(db, q, true, got, sizeof got);
    assert_string_equal(got, expected);
}

/* ---- status and version ------------------------------------------ */

static void test_status_strings(void **state)
{
    (void)state;
    for (int a = XC_OK; a <= XC_ERR_UNKNOWN; a++) {
        const char *sa = xc_status_to_string((xc_status_t)a);
        assert_non_null(sa);
        assert_true(strlen(sa) > 0);
        for (int b = XC_OK; b < a; b++)
            assert_string_not_equal(sa, xc_status_to_string((xc_status_t)b));
    }
    assert_string_equal(xc_status_to_string(XC_OK), "ok");
    assert_non_null(xc_status_to_string((xc_status_t)(XC_ERR_UNKNOWN + 1)));
    assert_non_null(xc_status_to_string((xc_status_t)-1));
    assert_non_null(xc_status_to_string((xc_status_t)12345));
    assert_true(strncmp(xc_xapian_version(), "1.", 2) == 0);
}

/* ---- opening ------------------------------------------------------ */

static void test_open_missing_is_not_found(void **state)
{
    struct fixture *f = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/no-such-db", f->dir);

    xc_database_t *db = (xc_database_t *)1;
    char *msg = NULL;
    assert_int_equal(xc_database_open(path, &db, &msg), XC_ERR_NOT_FOUND);
    assert_null(db);
    assert_non_null(msg);
    assert_non_null(strstr(msg, path));
    free(msg);

    assert_int_equal(xc_database_open_writable(path, XC_DB_OPEN, &db, &msg), XC_ERR_NOT_FOUND);
    assert_non_null(strstr(msg, path));
    free(msg);

    /* errmsg is optional */
    assert_int_equal(xc_database_open(path, &db, NULL), XC_ERR_NOT_FOUND);
    /* an empty directory holds no database either */
    assert_int_equal(xc_database_open(f->dir, &db, NULL), XC_ERR_NOT_FOUND);
}

static void test_open_modes(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_true(xc_database_is_writable(w));
    assert_int_equal(xc_database_commit(w), XC_OK);
    xc_database_destroy(w);

    /* DB_CREATE refuses an existing database (Xapian's DatabaseCreateError) */
    char *msg = NULL;
    assert_int_equal(xc_database_open_writable(f->db, XC_DB_CREATE, &w, &msg), XC_ERR_DATABASE);
    assert_non_null(strstr(msg, "DatabaseCreateError"));
    free(msg);

    w = open_writer(f->db, XC_DB_CREATE_OR_OPEN);
    xc_database_destroy(w);
    w = open_writer(f->db, XC_DB_OPEN);
    xc_database_destroy(w);

    assert_int_equal(xc_database_open_writable(f->db, (xc_db_mode_t)42, &w, &msg),
                     XC_ERR_INVALID_ARG);
    assert_null(w);
    assert_non_null(msg);
    free(msg);

    xc_database_t *r = open_reader(f->db);
    assert_false(xc_database_is_writable(r));
    assert_string_equal(xc_database_status_string(r), "");
    xc_database_destroy(r);
}

/* ---- writing and reading back -------------------------------------- */

static void test_write_commit_reopen(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(put_doc(w, "a", "alpha"), 1);
    assert_int_equal(put_doc(w, "b", "beta"), 2);
    assert_int_equal(put_doc(w, "c", "gamma"), 3);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_database_t *r = open_reader(f->db);
    uint64_t rev1 = 0, rev2 = 0;
    assert_int_equal(doccount(r), 3);
    assert_int_equal(xc_database_get_revision(r, &rev1), XC_OK);

    /* replacing by unique term keeps the docid; deleting an absent term is fine */
    assert_int_equal(put_doc(w, "b", "beta two"), 2);
    assert_int_equal(xc_database_delete_document_by_term(w, "Qa", 2), XC_OK);
    assert_int_equal(xc_database_delete_document_by_term(w, "Qnobody", 7), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);

    /* the reader keeps its snapshot until it reopens */
    assert_int_equal(doccount(r), 3);
    bool changed = false;
    assert_int_equal(xc_database_reopen(r, &changed), XC_OK);
    assert_true(changed);
    assert_int_equal(doccount(r), 2);
    assert_int_equal(xc_database_get_revision(r, &rev2), XC_OK);
    assert_true(rev2 > rev1);
    assert_int_equal(xc_database_reopen(r, &changed), XC_OK);
    assert_false(changed);
    assert_int_equal(xc_database_reopen(r, NULL), XC_OK);

    xc_document_t *doc = NULL;
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(xc_database_get_document(r, 2, &doc), XC_OK);
    assert_int_equal(xc_document_get_data(doc, &data, &len), XC_OK);
    assert_int_equal(len, 8);
    assert_string_equal(data, "beta two");
    free(data);
    xc_document_destroy(doc);

    assert_int_equal(xc_database_get_document(r, 1, &doc), XC_ERR_NOT_FOUND);
    assert_null(doc);
    assert_non_null(strstr(xc_database_status_string(r), "DocNotFoundError"));
    assert_int_equal(xc_database_get_document(r, 0, &doc), XC_ERR_NOT_FOUND);
    assert_int_equal(xc_database_delete_document(w, 999), XC_ERR_NOT_FOUND);

    uint32_t tf = 99;
    assert_int_equal(xc_database_get_termfreq(r, "Qb", 2, &tf), XC_OK);
    assert_int_equal(tf, 1);
    assert_int_equal(xc_database_get_termfreq(r, "Qa", 2, &tf), XC_OK);
    assert_int_equal(tf, 0);

    /* delete by docid */
    assert_int_equal(xc_database_delete_document(w, 3), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);
    assert_int_equal(xc_database_reopen(r, &changed), XC_OK);
    assert_int_equal(doccount(r), 1);

    xc_database_destroy(r);
    xc_database_destroy(w);
}

static void test_destroy_does_not_commit(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    put_doc(w, "kept", "committed");
    assert_int_equal(xc_database_commit(w), XC_OK);
    put_doc(w, "lost", "never committed");
    xc_database_destroy(w);

    xc_database_t *r = open_reader(f->db);
    assert_int_equal(doccount(r), 1);
    xc_database_destroy(r);

    /* also with the caller's transaction left open */
    w = open_writer(f->db, XC_DB_OPEN);
    assert_int_equal(xc_database_begin_transaction(w, true), XC_OK);
    put_doc(w, "lost2", "in an open transaction");
    xc_database_destroy(w);
    r = open_reader(f->db);
    assert_int_equal(doccount(r), 1);
    xc_database_destroy(r);
}

static void test_read_only_handle_refuses_writes(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_commit(w), XC_OK);
    xc_database_destroy(w);

    xc_database_t *r = open_reader(f->db);
    xc_document_t *doc = make_doc("x", "text");
#define REFUSED(call)                                                                              \
    do {                                                                                           \
        assert_int_equal((call), XC_ERR_INVALID_OP);                                               \
        assert_non_null(strstr(xc_database_status_string(r), "read-only"));                        \
    } while (0)
    REFUSED(xc_database_add_document(r, doc, NULL));
    REFUSED(xc_database_replace_document(r, "Qx", 2, doc, NULL));
    REFUSED(xc_database_delete_document_by_term(r, "Qx", 2));
    REFUSED(xc_database_delete_document(r, 1));
    REFUSED(xc_database_commit(r));
    REFUSED(xc_database_begin_transaction(r, true));
    REFUSED(xc_database_commit_transaction(r));
    REFUSED(xc_database_cancel_transaction(r));
    REFUSED(xc_database_set_metadata(r, "k", "v", 1));
    REFUSED(xc_database_add_spelling(r, "word", 4, 1));
    REFUSED(xc_database_remove_spelling(r, "word", 4, 1));
    REFUSED(xc_database_add_synonym(r, "a", "b"));
    REFUSED(xc_database_remove_synonym(r, "a", "b"));
#undef REFUSED
    /* the next successful call clears the error text */
    assert_int_equal(doccount(r), 0);
    assert_string_equal(xc_database_status_string(r), "");
    xc_document_destroy(doc);
    xc_database_destroy(r);
}

static void test_second_writer_is_locked(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);

    /* Xapian's lock is per process, so the second writer must really be
     * another process.  The child reports its status as its exit code. */
    for (int round = 0; round < 2; round++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            xc_database_t *w2 = NULL;
            char *msg = NULL;
            xc_status_t st = xc_database_open_writable(f->db, XC_DB_OPEN, &w2, &msg);
            if (st == XC_ERR_LOCKED && (!msg || !strstr(msg, f->db)))
                _exit(100); /* locked, but the message lacks the path */
            xc_database_destroy(w2);
            free(msg);
            _exit((int)st);
        }
        int wstatus = 0;
        assert_int_equal(waitpid(pid, &wstatus, 0), pid);
        assert_true(WIFEXITED(wstatus));
        if (round == 0) {
            assert_int_equal(WEXITSTATUS(wstatus), XC_ERR_LOCKED);
            /* closing the first writer releases the lock */
            xc_database_destroy(w);
        } else {
            assert_int_equal(WEXITSTATUS(wstatus), XC_OK);
        }
    }
}

static void corrupt_file(const char *path, bool truncate_it)
{
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    off_t size = lseek(fd, 0, SEEK_END);
    if (truncate_it) {
        /* cut inside the first block (iamglass is only ~100 bytes) */
        assert_int_equal(ftruncate(fd, size > 200 ? 100 : size / 2), 0);
    } else {
        char garbage[4096];
        memset(garbage, 0x5a, sizeof garbage);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        for (off_t done = 0; done < size; done += (off_t)sizeof garbage)
            assert_int_equal(write(fd, garbage, sizeof garbage), (ssize_t)sizeof garbage);
    }
    close(fd);
}

/* Opens the database and reads everything; returns the first failure. */
static xc_status_t open_and_read_all(const char *path, char **msg)
{
    xc_database_t *r = NULL;
    xc_status_t st = xc_database_open(path, &r, msg);
    if (st != XC_OK)
        return st;
    xc_enquire_t *enq = NULL;
    xc_query_t *q = NULL;
    xc_mset_t *mset = NULL;
    st = xc_query_match_all(&q);
    if (st == XC_OK)
        st = xc_enquire_create(r, &enq, msg);
    if (st == XC_OK)
        st = xc_enquire_set_query(enq, q);
    if (st == XC_OK)
        st = xc_enquire_get_mset(enq, 0, 1000, 1000, &mset);
    for (size_t i = 0; st == XC_OK && i < xc_mset_size(mset); i++) {
        xc_document_t *doc = NULL;
        char *data = NULL;
        size_t len;
        struct seen terms = {0};
        st = xc_mset_get_document(mset, i, &doc);
        if (st == XC_OK)
            st = xc_document_get_data(doc, &data, &len);
        if (st == XC_OK)
            st = xc_document_termlist(doc, "", 0, on_term, &terms);
        if (st != XC_OK && doc && !*msg)
            *msg = strdup(xc_document_status_string(doc));
        if (st != XC_OK && !doc && !*msg)
            *msg = strdup(xc_mset_status_string(mset));
        free(data);
        xc_document_destroy(doc);
    }
    if (st != XC_OK && !*msg) {
        const char *text = enq ? xc_enquire_status_string(enq) : xc_database_status_string(r);
        *msg = strdup(text);
    }
    xc_mset_destroy(mset);
    xc_query_destroy(q);
    xc_enquire_destroy(enq);
    xc_database_destroy(r);
    return st;
}

static void test_corrupt_database_gives_error(void **state)
{
    struct fixture *f = *state;
    const char *tables[] = {"postlist.glass", "docdata.glass", "termlist.glass", "iamglass"};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (int truncate_it = 0; truncate_it <= 1; truncate_it++) {
            char path[700];
            snprintf(path, sizeof path, "%s/db%zu%d", f->dir, t, truncate_it);
            xc_database_t *w = open_writer(path, XC_DB_CREATE);
            for (int i = 0; i < 200; i++) {
                char id[16], text[64];
                snprintf(id, sizeof id, "%d", i);
                snprintf(text, sizeof text, "word%d common data%d", i % 7, i);
                put_doc(w, id, text);
            }
            assert_int_equal(xc_database_commit(w), XC_OK);
            xc_database_destroy(w);

            char file[800];
            snprintf(file, sizeof file, "%s/%s", path, tables[t]);
            corrupt_file(file, truncate_it);

            char *msg = NULL;
            xc_status_t st = open_and_read_all(path, &msg);
            if (st != XC_ERR_CORRUPT && st != XC_ERR_DATABASE)
                fprintf(stderr, "%s (truncated %d): %s: %s\n", tables[t], truncate_it,
                        xc_status_to_string(st), msg ? msg : "");
            assert_true(st == XC_ERR_CORRUPT || st == XC_ERR_DATABASE);
            assert_non_null(msg);
            assert_true(strlen(msg) > 0);
            free(msg);
        }
    }
}

static void test_stale_reader_gets_modified(void **state)
{
    struct fixture *f = *state;
    enum { N = 2000 };
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    char id[16], text[160];
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "%d", i);
        snprintf(text, sizeof text, "common first version of a somewhat long document body %d", i);
        put_doc(w, id, text);
    }
    assert_int_equal(xc_database_commit(w), XC_OK);
    xc_database_t *r = open_reader(f->db);

    /* A reader's revision survives one more commit; after that its blocks
     * may be reused, and reading them is a DatabaseModifiedError. */
    xc_status_t st = XC_OK;
    char *msg = NULL;
    for (int round = 0; round < 4 && st == XC_OK; round++) {
        for (int i = 0; i < N; i++) {
            snprintf(id, sizeof id, "%d", i);
            snprintf(text, sizeof text, "common rewrite %d of a somewhat longer document body %d",
                     round, i);
            put_doc(w, id, text);
        }
        assert_int_equal(xc_database_commit(w), XC_OK);

        xc_enquire_t *enq = NULL;
        xc_query_t *q = term_query("common");
        xc_mset_t *mset = NULL;
        assert_int_equal(xc_enquire_create(r, &enq, NULL), XC_OK);
        assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
        st = xc_enquire_get_mset(enq, 0, N, N, &mset);
        if (st != XC_OK)
            msg = strdup(xc_enquire_status_string(enq));
        for (size_t i = 0; st == XC_OK && i < xc_mset_size(mset); i++) {
            xc_document_t *doc = NULL;
            char *data = NULL;
            size_t len;
            st = xc_mset_get_document(mset, i, &doc);
            if (st != XC_OK)
                msg = strdup(xc_mset_status_string(mset));
            else if ((st = xc_document_get_data(doc, &data, &len)) != XC_OK)
                msg = strdup(xc_document_status_string(doc));
            free(data);
            xc_document_destroy(doc);
        }
        xc_mset_destroy(mset);
        xc_query_destroy(q);
        xc_enquire_destroy(enq);
    }
    assert_int_equal(st, XC_ERR_MODIFIED);
    assert_non_null(strstr(msg, "DatabaseModifiedError"));
    free(msg);

    /* the advertised cure: reopen and retry */
    bool changed = false;
    assert_int_equal(xc_database_reopen(r, &changed), XC_OK);
    assert_true(changed);
    char got[64];
    search(r, term_query("Q7"), true, got, sizeof got);
    assert_string_equal(got, "8");
    xc_database_destroy(r);
    xc_database_destroy(w);
}

static void test_term_too_long(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    char term[300];
    memset(term, 'x', sizeof term);

    /* a document added before the bad one, still uncommitted */
    put_doc(w, "good", "fine words");

    xc_document_t *doc = NULL;
    assert_int_equal(xc_document_create(&doc), XC_OK);
    assert_int_equal(xc_document_add_term(doc, term, 246, 1), XC_OK);
    assert_int_equal(xc_database_add_document(w, doc, NULL), XC_ERR_INVALID_ARG);
    assert_non_null(strstr(xc_database_status_string(w), "Term too long"));
    assert_int_equal(xc_database_replace_document(w, "Qlong", 5, doc, NULL), XC_ERR_INVALID_ARG);
    xc_document_destroy(doc);

    assert_int_equal(xc_document_create(&doc), XC_OK);
    assert_int_equal(xc_document_add_term(doc, term, 245, 1), XC_OK);
    assert_int_equal(xc_database_add_document(w, doc, NULL), XC_OK);
    xc_document_destroy(doc);

    /* the refused document did not take the pending batch with it */
    assert_int_equal(xc_database_commit(w), XC_OK);
    assert_int_equal(doccount(w), 2);
    xc_database_destroy(w);
}

/* ---- metadata, spelling, synonyms --------------------------------- */

static void test_metadata(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_set_metadata(w, "index_version", "3", 1), XC_OK);
    assert_int_equal(xc_database_set_metadata(w, "binary", "a\0b", 3), XC_OK);
    assert_int_equal(xc_database_set_metadata(w, "gone", "x", 1), XC_OK);
    assert_int_equal(xc_database_set_metadata(w, "gone", "", 0), XC_OK);
    assert_int_equal(xc_database_set_metadata(w, "", "x", 1), XC_ERR_INVALID_ARG);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_database_t *r = open_reader(f->db);
    char *value = NULL;
    size_t len = 99;
    assert_int_equal(xc_database_get_metadata(r, "index_version", &value, &len), XC_OK);
    assert_int_equal(len, 1);
    assert_string_equal(value, "3");
    free(value);
    assert_int_equal(xc_database_get_metadata(r, "binary", &value, &len), XC_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(value, "a\0b", 4);
    free(value);
    assert_int_equal(xc_database_get_metadata(r, "absent", &value, &len), XC_OK);
    assert_null(value);
    assert_int_equal(len, 0);
    assert_int_equal(xc_database_get_metadata(r, "gone", &value, &len), XC_OK);
    assert_null(value);
    xc_database_destroy(r);
    xc_database_destroy(w);
}

/* ---- compaction: merging databases --------------------------------- */

static int only_docid(xc_docid_t docid, void *ctx)
{
    *(xc_docid_t *)ctx = docid;
    return 1;
}

static char *metadata_of(xc_database_t *db, const char *key)
{
    char *value = NULL;
    size_t len = 0;
    assert_int_equal(xc_database_get_metadata(db, key, &value, &len), XC_OK);
    return value;
}

/* Sources merge in the order they were added.  Each metadata key arrives
 * from whichever source has it; a key in several sources keeps one of their
 * values, and not by the order of the sources (Xapian 1.4's merge compares
 * keys only), so a caller that needs a given value sets it afterwards. */
static void test_compact_merges_documents_and_metadata(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {"a", "b"};
    char paths[2][700], out[700];
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", f->dir, names[i]);
        xc_database_t *w = open_writer(paths[i], XC_DB_CREATE);
        xc_document_t *doc = NULL;
        char term[16], key[16];
        snprintf(term, sizeof term, "from%s", names[i]);
        snprintf(key, sizeof key, "only-%s", names[i]);
        assert_int_equal(xc_document_create(&doc), XC_OK);
        assert_int_equal(xc_document_add_term(doc, term, strlen(term), 1), XC_OK);
        assert_int_equal(xc_database_add_document(w, doc, NULL), XC_OK);
        xc_document_destroy(doc);
        assert_int_equal(xc_database_set_metadata(w, key, names[i], 1), XC_OK);
        assert_int_equal(xc_database_set_metadata(w, "shared", names[i], 1), XC_OK);
        assert_int_equal(xc_database_commit(w), XC_OK);
        xc_database_destroy(w);
    }
    xc_database_t *all = open_reader(paths[0]), *other = open_reader(paths[1]);
    assert_int_equal(xc_database_add_database(all, other), XC_OK);
    xc_database_destroy(other);
    snprintf(out, sizeof out, "%s/merged", f->dir);
    assert_int_equal(xc_database_compact(all, out, XC_COMPACT_FULL), XC_OK);
    xc_database_destroy(all);

    xc_database_t *r = open_reader(out);
    uint32_t n = 0;
    assert_int_equal(xc_database_get_doccount(r, &n), XC_OK);
    assert_int_equal(n, 2);
    xc_docid_t from_a = 0, from_b = 0;
    assert_int_equal(xc_database_postlist(r, "froma", 5, only_docid, &from_a), XC_OK);
    assert_int_equal(xc_database_postlist(r, "fromb", 5, only_docid, &from_b), XC_OK);
    assert_int_equal(from_a, 1);
    assert_int_equal(from_b, 2);
    char *v = metadata_of(r, "only-a");
    assert_string_equal(v, "a");
    free(v);
    v = metadata_of(r, "only-b");
    assert_string_equal(v, "b");
    free(v);
    v = metadata_of(r, "shared");
    assert_non_null(v);
    assert_true(strcmp(v, "a") == 0 || strcmp(v, "b") == 0);
    free(v);
    xc_database_destroy(r);
}

static void test_spelling(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_add_spelling(w, "twisted", 7, 1), XC_OK);
    assert_int_equal(xc_database_add_spelling(w, "twister", 7, 1), XC_OK);
    assert_int_equal(xc_database_add_spelling(w, "twisted", 7, 5), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_database_t *r = open_reader(f->db);
    char *out = NULL;
    assert_int_equal(xc_database_get_spelling_suggestion(r, "twisetd", 7, 2, &out), XC_OK);
    assert_non_null(out);
    assert_string_equal(out, "twisted");
    free(out);
    /* a known word, or nothing near enough: no suggestion */
    assert_int_equal(xc_database_get_spelling_suggestion(r, "twisted", 7, 2, &out), XC_OK);
    assert_null(out);
    assert_int_equal(xc_database_get_spelling_suggestion(r, "zzzzzzzz", 8, 2, &out), XC_OK);
    assert_null(out);
    xc_database_destroy(r);
    xc_database_destroy(w);
}

/* Frequencies go down by exactly what is taken back, a word leaves the
 * table (and the suggestions) at 0, and a writer lists its own pending
 * changes. */
static void test_spelling_remove_and_list(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_add_spelling(w, "twisted", 7, 6), XC_OK);
    assert_int_equal(xc_database_add_spelling(w, "twistde", 7, 2), XC_OK);
    assert_int_equal(xc_database_add_spelling(w, "zebra", 5, 1), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);

    assert_int_equal(xc_database_remove_spelling(w, "twisted", 7, 2), XC_OK);
    assert_int_equal(xc_database_remove_spelling(w, "twistde", 7, 1), XC_OK);
    struct seen pending = {0};
    assert_int_equal(xc_database_spellings(w, on_term_freq, &pending), XC_OK);
    assert_string_equal(pending.text, "twistde=1 twisted=4 zebra=1");
    /* Reaching 0 removes the word; taking back more than is there, or a
     * word that is absent, is no error and leaves nothing behind. */
    assert_int_equal(xc_database_remove_spelling(w, "twistde", 7, 1), XC_OK);
    assert_int_equal(xc_database_remove_spelling(w, "zebra", 5, 7), XC_OK);
    assert_int_equal(xc_database_remove_spelling(w, "absent", 6, 1), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_database_t *r = open_reader(f->db);
    struct seen after = {0};
    assert_int_equal(xc_database_spellings(r, on_term_freq, &after), XC_OK);
    assert_string_equal(after.text, "twisted=4");
    char *out = NULL;
    assert_int_equal(xc_database_get_spelling_suggestion(r, "twistde", 7, 2, &out), XC_OK);
    assert_non_null(out);
    assert_string_equal(out, "twisted"); /* no longer "already a word" */
    free(out);
    assert_int_equal(xc_database_get_spelling_suggestion(r, "zebr", 4, 2, &out), XC_OK);
    assert_null(out);

    /* A word added again after leaving starts from its new frequency. */
    assert_int_equal(xc_database_add_spelling(w, "zebra", 5, 3), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);
    assert_int_equal(xc_database_reopen(r, NULL), XC_OK);
    struct seen again = {0};
    assert_int_equal(xc_database_spellings(r, on_term_freq, &again), XC_OK);
    assert_string_equal(again.text, "twisted=4 zebra=3");
    /* The callback stops the listing early. */
    struct seen first = {.stop_after = 1};
    assert_int_equal(xc_database_spellings(r, on_term_freq, &first), XC_OK);
    assert_string_equal(first.text, "twisted=4");
    assert_int_equal(first.calls, 1);
    xc_database_destroy(r);
    xc_database_destroy(w);

    /* An empty table lists nothing. */
    char path[640];
    snprintf(path, sizeof path, "%s/empty", f->dir);
    xc_database_t *empty = open_writer(path, XC_DB_CREATE);
    struct seen none = {0};
    assert_int_equal(xc_database_spellings(empty, on_term_freq, &none), XC_OK);
    assert_int_equal(none.calls, 0);
    xc_database_destroy(empty);
}

static void test_synonyms(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_add_synonym(w, "talk", "session"), XC_OK);
    assert_int_equal(xc_database_add_synonym(w, "talk", "presentation"), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_database_t *r = open_reader(f->db);
    struct seen s = {0};
    assert_int_equal(xc_database_synonyms(r, "talk", on_term, &s), XC_OK);
    assert_string_equal(s.text, "presentation session");
    struct seen none = {0};
    assert_int_equal(xc_database_synonyms(r, "lecture", on_term, &none), XC_OK);
    assert_int_equal(none.calls, 0);

    assert_int_equal(xc_database_remove_synonym(w, "talk", "session"), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);
    assert_int_equal(xc_database_reopen(r, NULL), XC_OK);
    struct seen after = {0};
    assert_int_equal(xc_database_synonyms(r, "talk", on_term, &after), XC_OK);
    assert_string_equal(after.text, "presentation");
    xc_database_destroy(r);
    xc_database_destroy(w);
}

/* ---- queries ------------------------------------------------------- */

static xc_database_t *fox_corpus(const char *path)
{
    xc_database_t *w = open_writer(path, XC_DB_CREATE);
    put_doc(w, "1", "quick brown fox");
    put_doc(w, "2", "fox brown quick");
    put_doc(w, "3", "quick red fox jumps");
    put_doc(w, "4", "lazy dog");
    xc_document_t *doc = NULL;
    /* boolean filter terms on docs 1 and 3 */
    for (xc_docid_t id = 1; id <= 3; id += 2) {
        assert_int_equal(xc_database_get_document(w, id, &doc), XC_OK);
        assert_int_equal(xc_document_add_boolean_term(doc, "XTAGa", 5), XC_OK);
        char idterm[8];
        snprintf(idterm, sizeof idterm, "Q%u", (unsigned)id);
        assert_int_equal(xc_database_replace_document(w, idterm, strlen(idterm), doc, NULL), XC_OK);
        xc_document_destroy(doc);
    }
    assert_int_equal(xc_database_commit(w), XC_OK);
    return w;
}

static void test_query_operators(void **state)
{
    struct fixture *f = *state;
    xc_database_t *db = fox_corpus(f->db);

    assert_matches(db, combine(XC_OP_AND, 0, 2, term_query("quick"), term_query("fox")), "1 2 3");
    assert_matches(db, combine(XC_OP_OR, 0, 2, term_query("red"), term_query("dog")), "3 4");
    assert_matches(
        db, combine(XC_OP_AND_NOT, 0, 3, term_query("fox"), term_query("red"), term_query("lazy")),
        "1 2");
    assert_matches(db, combine(XC_OP_FILTER, 0, 2, term_query("fox"), term_query("XTAGa")), "1 3");
    /* phrases match in order only; NEAR in any order */
    assert_matches(db, combine(XC_OP_PHRASE, 0, 2, term_query("quick"), term_query("brown")), "1");
    assert_matches(db, combine(XC_OP_PHRASE, 0, 2, term_query("quick"), term_query("fox")), "");
    assert_matches(db, combine(XC_OP_PHRASE, 3, 2, term_query("quick"), term_query("fox")), "1 3");
    assert_matches(db, combine(XC_OP_NEAR, 2, 2, term_query("quick"), term_query("brown")), "1 2");
    assert_matches(db, combine(XC_OP_SYNONYM, 0, 2, term_query("dog"), term_query("jumps")), "3 4");
    /* the elite set keeps the term with the highest possible weight: the rarer one */
    char got[64];
    search(db, combine(XC_OP_ELITE_SET, 1, 2, term_query("dog"), term_query("fox")), false, got,
           sizeof got);
    assert_string_equal(got, "4");

    /* AND_MAYBE: the first decides, the rest only rank */
    search(db, combine(XC_OP_AND_MAYBE, 0, 2, term_query("fox"), term_query("red")), false, got,
           sizeof got);
    assert_true(strncmp(got, "3 ", 2) == 0);
    assert_int_equal(strlen(got), strlen("3 1 2"));

    /* FILTER takes no weight from the filter */
    xc_enquire_t *enq = NULL;
    xc_mset_t *plain = NULL, *filtered = NULL;
    xc_query_t *fox = term_query("fox");
    xc_query_t *fox_a = combine(XC_OP_FILTER, 0, 2, term_query("fox"), term_query("XTAGa"));
    double w_plain = 0, w_filtered = 0;
    xc_docid_t id = 0;
    assert_int_equal(xc_enquire_create(db, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, fox), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &plain), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, fox_a), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &filtered), XC_OK);
    for (size_t i = 0; i < xc_mset_size(plain); i++) {
        assert_int_equal(xc_mset_get_docid(plain, i, &id), XC_OK);
        if (id == 1)
            assert_int_equal(xc_mset_get_weight(plain, i, &w_plain), XC_OK);
    }
    assert_int_equal(xc_mset_get_docid(filtered, 0, &id), XC_OK);
    assert_int_equal(id, 1);
    assert_int_equal(xc_mset_get_weight(filtered, 0, &w_filtered), XC_OK);
    assert_true(w_plain > 0);
    assert_true(fabs(w_plain - w_filtered) < 1e-9);
    xc_mset_destroy(plain);
    xc_mset_destroy(filtered);
    xc_query_destroy(fox);
    xc_query_destroy(fox_a);
    xc_enquire_destroy(enq);

    /* match all (also the empty term), match nothing, empty combinations */
    xc_query_t *q = NULL;
    assert_int_equal(xc_query_match_all(&q), XC_OK);
    assert_false(xc_query_is_empty(q));
    assert_matches(db, q, "1 2 3 4");
    assert_int_equal(xc_query_term("", 0, 1, 0, &q), XC_OK);
    assert_matches(db, q, "1 2 3 4");
    assert_int_equal(xc_query_match_nothing(&q), XC_OK);
    assert_true(xc_query_is_empty(q));
    assert_matches(db, q, "");
    assert_int_equal(xc_query_combine(XC_OP_OR, NULL, 0, 0, &q), XC_OK);
    assert_true(xc_query_is_empty(q));
    xc_query_destroy(q);

    xc_query_t *parts[2] = {term_query("a"), term_query("b")};
    assert_int_equal(xc_query_combine((xc_query_op_t)99, parts, 2, 0, &q), XC_ERR_INVALID_ARG);
    assert_null(q);
    /* a window is ignored by operators that take none */
    assert_int_equal(xc_query_combine(XC_OP_AND, parts, 2, 7, &q), XC_OK);
    char *desc = NULL;
    assert_int_equal(xc_query_describe(q, &desc), XC_OK);
    assert_string_equal(desc, "Query((a AND b))");
    free(desc);
    xc_query_destroy(q);
    /* the parts remain the caller's and stay usable */
    assert_int_equal(xc_query_describe(parts[0], &desc), XC_OK);
    assert_string_equal(desc, "Query(a)");
    free(desc);
    xc_query_destroy(parts[0]);
    xc_query_destroy(parts[1]);

    /* the terms a query uses: each once, in byte order, wildcards none */
    xc_query_t *three[3] = {term_query("b"), term_query("a"), term_query("b")}, *wild = NULL;
    assert_int_equal(xc_query_wildcard("ap", 2, 10, XC_WILDCARD_LIMIT_ERROR, &wild), XC_OK);
    assert_int_equal(xc_query_combine(XC_OP_PHRASE, three, 3, 0, &q), XC_OK);
    xc_query_t *both[2] = {q, wild}, *all = NULL;
    assert_int_equal(xc_query_combine(XC_OP_OR, both, 2, 0, &all), XC_OK);
    struct seen terms = {0}, first = {.stop_after = 1};
    assert_int_equal(xc_query_terms(all, on_term, &terms), XC_OK);
    assert_string_equal(terms.text, "a b");
    assert_int_equal(xc_query_terms(all, on_term, &first), XC_OK);
    assert_string_equal(first.text, "a");
    assert_int_equal(xc_query_terms(all, NULL, NULL), XC_ERR_NULL_ARG);
    assert_int_equal(xc_query_terms(NULL, on_term, &terms), XC_ERR_NULL_ARG);
    for (size_t i = 0; i < 3; i++)
        xc_query_destroy(three[i]);
    xc_query_destroy(wild);
    xc_query_destroy(q);
    xc_query_destroy(all);

    xc_database_destroy(db);
}

static void test_wildcard(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    put_doc(w, "1", "tea");
    put_doc(w, "2", "team");
    put_doc(w, "3", "tear");
    put_doc(w, "4", "teapot");
    put_doc(w, "5", "ten");
    put_doc(w, "6", "tear");
    put_doc(w, "7", "tear");
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_query_t *q = NULL;
    assert_int_equal(xc_query_wildcard("tea", 3, 10, XC_WILDCARD_LIMIT_ERROR, &q), XC_OK);
    assert_matches(w, q, "1 2 3 4 6 7");
    assert_int_equal(xc_query_wildcard("tea", 3, 0, XC_WILDCARD_LIMIT_ERROR, &q), XC_OK);
    assert_matches(w, q, "1 2 3 4 6 7");
    /* first in byte order: tea, team */
    assert_int_equal(xc_query_wildcard("tea", 3, 2, XC_WILDCARD_LIMIT_FIRST, &q), XC_OK);
    assert_matches(w, q, "1 2");
    assert_int_equal(xc_query_wildcard("tea", 3, 1, XC_WILDCARD_LIMIT_MOST_FREQUENT, &q), XC_OK);
    assert_matches(w, q, "3 6 7");

    /* over the limit: the error comes when the query runs */
    assert_int_equal(xc_query_wildcard("tea", 3, 2, XC_WILDCARD_LIMIT_ERROR, &q), XC_OK);
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &mset), XC_ERR_WILDCARD);
    assert_null(mset);
    const char *msg = xc_enquire_status_string(enq);
    assert_non_null(strstr(msg, "WildcardError"));
    assert_non_null(strstr(msg, "tea")); /* the query is in the context */
    xc_enquire_destroy(enq);
    xc_query_destroy(q);

    assert_int_equal(xc_query_wildcard("tea", 3, 2, (xc_wildcard_limit_t)9, &q),
                     XC_ERR_INVALID_ARG);
    xc_database_destroy(w);
}

static void test_scale_weight_changes_order(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    put_doc(w, "1", "alpha filler");
    put_doc(w, "2", "beta filler");
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_query_t *a = term_query("alpha"), *b = term_query("beta"), *scaled = NULL;
    char got[64];
    assert_int_equal(xc_query_scale(a, 10, &scaled), XC_OK);
    search(w, combine(XC_OP_OR, 0, 2, scaled, term_query("beta")), false, got, sizeof got);
    assert_string_equal(got, "1 2");
    assert_int_equal(xc_query_scale(b, 10, &scaled), XC_OK);
    search(w, combine(XC_OP_OR, 0, 2, term_query("alpha"), scaled), false, got, sizeof got);
    assert_string_equal(got, "2 1");

    assert_int_equal(xc_query_scale(a, -1, &scaled), XC_ERR_INVALID_ARG);
    assert_null(scaled);
    assert_int_equal(xc_query_scale(a, NAN, &scaled), XC_ERR_INVALID_ARG);
    xc_query_destroy(a);
    xc_query_destroy(b);
    xc_database_destroy(w);
}

static void weights_of(xc_enquire_t *enq, const char *term, char *order, size_t ordersz,
                       double weights[2])
{
    xc_query_t *q = term_query(term);
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &mset), XC_OK);
    assert_int_equal(xc_mset_size(mset), 2);
    struct seen s = {0};
    for (size_t i = 0; i < 2; i++) {
        xc_docid_t id;
        assert_int_equal(xc_mset_get_docid(mset, i, &id), XC_OK);
        assert_int_equal(xc_mset_get_weight(mset, i, &weights[i]), XC_OK);
        on_docid(id, &s);
    }
    seen_copy(&s, order, ordersz);
    xc_mset_destroy(mset);
    xc_query_destroy(q);
}

static void test_bm25_ranking(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    put_doc(w, "1", "apple pear plum fig");
    put_doc(w, "2", "apple apple apple pear");
    put_doc(w, "3", "kiwi");
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_enquire_t *enq = NULL;
    char order[32];
    double weights[2];
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);

    /* default BM25: more occurrences rank higher */
    weights_of(enq, "apple", order, sizeof order, weights);
    assert_string_equal(order, "2 1");
    assert_true(weights[0] > weights[1]);

    /* k1 = 0 ignores within-document frequency: a tie, broken by docid */
    assert_int_equal(xc_enquire_set_weighting_bm25(enq, 0, 0, 1, 0.5, 0.5), XC_OK);
    weights_of(enq, "apple", order, sizeof order, weights);
    assert_string_equal(order, "1 2");
    assert_true(fabs(weights[0] - weights[1]) < 1e-9);

    assert_int_equal(xc_enquire_set_weighting_bm25(enq, 1.2, 0, 1, 0.5, 0.5), XC_OK);
    weights_of(enq, "apple", order, sizeof order, weights);
    assert_string_equal(order, "2 1");

    assert_int_equal(xc_enquire_set_weighting_bool(enq), XC_OK);
    weights_of(enq, "apple", order, sizeof order, weights);
    assert_string_equal(order, "1 2");
    assert_true(weights[0] == 0 && weights[1] == 0);

    xc_enquire_destroy(enq);
    xc_database_destroy(w);
}

static void test_sort_by_value(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    const char *dates[] = {"2015-07-03", "2015-07-01", "2015-07-05"};
    for (int i = 0; i < 3; i++) {
        char id[4];
        snprintf(id, sizeof id, "%d", i + 1);
        xc_document_t *doc = make_doc(id, "talk");
        assert_int_equal(xc_document_set_value(doc, 0, dates[i], strlen(dates[i])), XC_OK);
        assert_int_equal(xc_database_add_document(w, doc, NULL), XC_OK);
        xc_document_destroy(doc);
    }
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_enquire_t *enq = NULL;
    xc_query_t *q = term_query("talk");
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    const struct {
        int mode; /* 0 ascending, 1 descending, 2 relevance */
        const char *expected;
    } cases[] = {{0, "2 1 3"}, {1, "3 1 2"}, {2, "1 2 3"}};
    for (size_t c = 0; c < 3; c++) {
        if (cases[c].mode == 2)
            assert_int_equal(xc_enquire_set_sort_by_relevance(enq), XC_OK);
        else
            assert_int_equal(xc_enquire_set_sort_by_value(enq, 0, cases[c].mode == 1), XC_OK);
        xc_mset_t *mset = NULL;
        assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &mset), XC_OK);
        struct seen s = {0};
        for (size_t i = 0; i < xc_mset_size(mset); i++) {
            xc_docid_t id;
            assert_int_equal(xc_mset_get_docid(mset, i, &id), XC_OK);
            on_docid(id, &s);
        }
        assert_string_equal(s.text, cases[c].expected);
        xc_mset_destroy(mset);
    }
    xc_query_destroy(q);
    xc_enquire_destroy(enq);
    xc_database_destroy(w);
}

/* ---- match spies --------------------------------------------------- */

static void add_speakers(xc_database_t *w, const char *id, const char *speakers, size_t len)
{
    xc_document_t *doc = make_doc(id, "talk");
    if (speakers)
        assert_int_equal(xc_document_set_value(doc, SPEAKER_SLOT, speakers, len), XC_OK);
    assert_int_equal(xc_database_add_document(w, doc, NULL), XC_OK);
    xc_document_destroy(doc);
}

/* Runs match-all with spy, and renders the spy's values. */
static void spy_run(xc_database_t *db, xc_matchspy_t *spy, uint32_t checkatleast, size_t max,
                    char *out, size_t outsz)
{
    xc_enquire_t *enq = NULL;
    xc_query_t *q = NULL;
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_query_match_all(&q), XC_OK);
    assert_int_equal(xc_enquire_create(db, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    assert_int_equal(xc_enquire_add_matchspy(enq, spy), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, checkatleast, &mset), XC_OK);
    struct seen s = {0};
    assert_int_equal(xc_matchspy_values(spy, max, on_value_count, &s), XC_OK);
    seen_copy(&s, out, outsz);
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    xc_query_destroy(q);
}

static void test_matchspy_multi_value(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    add_speakers(w, "1",
                 "A\x1f"
                 "B",
                 3);
    add_speakers(w, "2", "B", 1);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_matchspy_t *spy = NULL;
    char got[256];
    uint32_t total = 0;
    assert_int_equal(xc_matchspy_value_count_create(SPEAKER_SLOT, SEP, &spy), XC_OK);
    spy_run(w, spy, 2, 0, got, sizeof got);
    assert_string_equal(got, "B=2 A=1");
    assert_int_equal(xc_matchspy_total(spy, &total), XC_OK);
    assert_int_equal(total, 2);
    xc_matchspy_destroy(spy);

    /* without a separator the whole value is one entry */
    assert_int_equal(xc_matchspy_value_count_create(SPEAKER_SLOT, '\0', &spy), XC_OK);
    spy_run(w, spy, 2, 0, got, sizeof got);
    assert_string_equal(got, "A\\x1fB=1 B=1");
    xc_matchspy_destroy(spy);

    /* ties by value; a repeated entry counts once per document; empty
     * entries and documents without the value count nothing */
    add_speakers(w, "3",
                 "D\x1f"
                 "C\x1f"
                 "D",
                 5);
    add_speakers(w, "4",
                 "C\x1f\x1f"
                 "D\x1f",
                 5);
    add_speakers(w, "5", NULL, 0);
    assert_int_equal(xc_database_commit(w), XC_OK);
    assert_int_equal(xc_matchspy_value_count_create(SPEAKER_SLOT, SEP, &spy), XC_OK);
    spy_run(w, spy, 5, 0, got, sizeof got);
    assert_string_equal(got, "B=2 C=2 D=2 A=1");
    assert_int_equal(xc_matchspy_total(spy, &total), XC_OK);
    assert_int_equal(total, 5);
    struct seen s = {0};
    assert_int_equal(xc_matchspy_values(spy, 2, on_value_count, &s), XC_OK);
    assert_string_equal(s.text, "B=2 C=2");
    struct seen first = {.stop_after = 1};
    assert_int_equal(xc_matchspy_values(spy, 0, on_value_count, &first), XC_OK);
    assert_string_equal(first.text, "B=2");
    xc_matchspy_destroy(spy);
    xc_database_destroy(w);
}

static void test_matchspy_exact_counts(void **state)
{
    struct fixture *f = *state;
    enum { N = 200 };
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    for (int i = 0; i < N; i++) {
        char id[8];
        snprintf(id, sizeof id, "%d", i);
        add_speakers(w, id,
                     i % 4 == 0 ? "Alice\x1f"
                                  "Bob"
                                : "Bob",
                     i % 4 == 0 ? 9 : 3);
    }
    assert_int_equal(xc_database_commit(w), XC_OK);

    /* checkatleast 0: the match may stop after the first page, and so does the spy */
    xc_matchspy_t *spy = NULL;
    uint32_t total = 0;
    char got[256];
    assert_int_equal(xc_matchspy_value_count_create(SPEAKER_SLOT, SEP, &spy), XC_OK);
    spy_run(w, spy, 0, 0, got, sizeof got);
    assert_int_equal(xc_matchspy_total(spy, &total), XC_OK);
    assert_true(total < N);
    xc_matchspy_destroy(spy);

    /* checkatleast = doccount: exact */
    assert_int_equal(xc_matchspy_value_count_create(SPEAKER_SLOT, SEP, &spy), XC_OK);
    spy_run(w, spy, N, 0, got, sizeof got);
    assert_int_equal(xc_matchspy_total(spy, &total), XC_OK);
    assert_int_equal(total, N);
    assert_string_equal(got, "Bob=200 Alice=50");

    /* counts accumulate over runs; cleared spies are no longer fed */
    xc_enquire_t *enq = NULL;
    xc_query_t *q = NULL;
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_query_match_all(&q), XC_OK);
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    assert_int_equal(xc_enquire_add_matchspy(enq, spy), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, N, &mset), XC_OK);
    xc_mset_destroy(mset);
    assert_int_equal(xc_matchspy_total(spy, &total), XC_OK);
    assert_int_equal(total, 2 * N);
    assert_int_equal(xc_enquire_clear_matchspies(enq), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, N, &mset), XC_OK);
    xc_mset_destroy(mset);
    assert_int_equal(xc_matchspy_total(spy, &total), XC_OK);
    assert_int_equal(total, 2 * N);
    xc_enquire_destroy(enq);
    xc_query_destroy(q);
    xc_matchspy_destroy(spy);
    xc_database_destroy(w);
}

/* ---- result sets ---------------------------------------------------- */

static void test_mset_bounds(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    for (int i = 1; i <= 5; i++) {
        char id[4], text[32];
        snprintf(id, sizeof id, "%d", i);
        snprintf(text, sizeof text, "common doc%d", i);
        put_doc(w, id, text);
    }
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_enquire_t *enq = NULL;
    xc_query_t *q = term_query("common");
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    assert_int_equal(xc_enquire_set_weighting_bool(enq), XC_OK);

    assert_int_equal(xc_enquire_get_mset(enq, 0, 3, 5, &mset), XC_OK);
    assert_int_equal(xc_mset_size(mset), 3);
    assert_int_equal(xc_mset_matches_lower_bound(mset), 5);
    assert_int_equal(xc_mset_matches_estimated(mset), 5);
    assert_int_equal(xc_mset_matches_upper_bound(mset), 5);
    xc_docid_t id = 0;
    double weight = -1;
    xc_document_t *doc = NULL;
    assert_int_equal(xc_mset_get_docid(mset, 3, &id), XC_ERR_INVALID_ARG);
    assert_non_null(strstr(xc_mset_status_string(mset), "index 3"));
    assert_int_equal(xc_mset_get_weight(mset, 3, &weight), XC_ERR_INVALID_ARG);
    assert_int_equal(xc_mset_get_document(mset, SIZE_MAX, &doc), XC_ERR_INVALID_ARG);
    assert_null(doc);
    assert_int_equal(xc_mset_get_docid(mset, 2, &id), XC_OK);
    assert_string_equal(xc_mset_status_string(mset), "");
    assert_int_equal(id, 3);

    assert_int_equal(xc_mset_get_document(mset, 0, &doc), XC_OK);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(xc_document_get_data(doc, &data, &len), XC_OK);
    assert_string_equal(data, "common doc1");
    free(data);
    assert_int_equal(xc_document_get_docid(doc, &id), XC_OK);
    assert_int_equal(id, 1);
    xc_document_destroy(doc);
    xc_mset_destroy(mset);

    /* a later page, and a page past the end */
    assert_int_equal(xc_enquire_get_mset(enq, 3, 3, 5, &mset), XC_OK);
    assert_int_equal(xc_mset_size(mset), 2);
    assert_int_equal(xc_mset_get_docid(mset, 0, &id), XC_OK);
    assert_int_equal(id, 4);
    xc_mset_destroy(mset);
    assert_int_equal(xc_enquire_get_mset(enq, 10, 3, 5, &mset), XC_OK);
    assert_int_equal(xc_mset_size(mset), 0);
    assert_int_equal(xc_mset_matches_lower_bound(mset), 5);
    xc_mset_destroy(mset);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 0, 5, &mset), XC_OK);
    assert_int_equal(xc_mset_size(mset), 0);
    xc_mset_destroy(mset);

    xc_query_destroy(q);
    xc_enquire_destroy(enq);
    xc_database_destroy(w);
}

/* ---- documents ------------------------------------------------------ */

static void check_doc_contents(xc_document_t *doc)
{
    char *v = NULL;
    size_t len = 99;
    assert_int_equal(xc_document_get_value(doc, 0, &v, &len), XC_OK);
    assert_int_equal(len, 2);
    assert_string_equal(v, "v0");
    free(v);
    assert_int_equal(xc_document_get_value(doc, 7, &v, &len), XC_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(v, "v7\0x", 5);
    free(v);
    assert_int_equal(xc_document_get_value(doc, 3, &v, &len), XC_OK); /* never set */
    assert_non_null(v);
    assert_int_equal(len, 0);
    assert_string_equal(v, "");
    free(v);
    assert_int_equal(xc_document_get_value(doc, 4, &v, &len), XC_OK); /* set, then emptied */
    assert_int_equal(len, 0);
    free(v);

    assert_int_equal(xc_document_get_data(doc, &v, &len), XC_OK);
    assert_int_equal(len, 11);
    assert_memory_equal(v, "hello\0world", 12);
    free(v);

    struct seen all = {0}, xs = {0}, two = {.stop_after = 2}, none = {0};
    assert_int_equal(xc_document_termlist(doc, "", 0, on_term, &all), XC_OK);
    assert_string_equal(all.text, "Xa Xb Xc Xn\\x00ul Yz apple");
    assert_int_equal(xc_document_termlist(doc, "X", 1, on_term, &xs), XC_OK);
    assert_string_equal(xs.text, "Xa Xb Xc Xn\\x00ul");
    assert_int_equal(xc_document_termlist(doc, "X", 1, on_term, &two), XC_OK);
    assert_string_equal(two.text, "Xa Xb");
    assert_int_equal(xc_document_termlist(doc, "Z", 1, on_term, &none), XC_OK);
    assert_int_equal(none.calls, 0);
}

static void test_document_round_trip(void **state)
{
    struct fixture *f = *state;
    xc_document_t *doc = NULL;
    assert_int_equal(xc_document_create(&doc), XC_OK);
    assert_int_equal(xc_document_set_value(doc, 0, "v0", 2), XC_OK);
    assert_int_equal(xc_document_set_value(doc, 7, "v7\0x", 4), XC_OK);
    assert_int_equal(xc_document_set_value(doc, 4, "temp", 4), XC_OK);
    assert_int_equal(xc_document_set_value(doc, 4, NULL, 0), XC_OK);
    assert_int_equal(xc_document_set_data(doc, "hello\0world", 11), XC_OK);
    assert_int_equal(xc_document_add_boolean_term(doc, "Xb", 2), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "Xa", 2, 2), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "Xn\0ul", 5, 1), XC_OK);
    assert_int_equal(xc_document_add_posting(doc, "apple", 5, 1, 1), XC_OK);
    assert_int_equal(xc_document_add_posting(doc, "Yz", 2, 2, 1), XC_OK);
    assert_int_equal(xc_document_add_boolean_term(doc, "Xc", 2), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "", 0, 1), XC_ERR_INVALID_ARG);
    assert_true(strlen(xc_document_status_string(doc)) > 0);
    xc_docid_t id = 99;
    assert_int_equal(xc_document_get_docid(doc, &id), XC_OK);
    assert_int_equal(id, 0);
    check_doc_contents(doc);

    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_add_document(w, doc, &id), XC_OK);
    assert_int_equal(id, 1);
    xc_document_destroy(doc);
    assert_int_equal(xc_database_commit(w), XC_OK);

    xc_database_t *r = open_reader(f->db);
    assert_int_equal(xc_database_get_document(r, 1, &doc), XC_OK);
    assert_int_equal(xc_document_get_docid(doc, &id), XC_OK);
    assert_int_equal(id, 1);
    check_doc_contents(doc);
    xc_document_destroy(doc);
    xc_database_destroy(r);
    xc_database_destroy(w);
}

/* ---- stemming -------------------------------------------------------- */

static void test_stemmer(void **state)
{
    (void)state;
    xc_stemmer_t *st = NULL;
    char *msg = NULL;
    char buf[64];
    size_t len = 0;
    assert_int_equal(xc_stemmer_create("english", &st, &msg), XC_OK);
    assert_null(msg);
    assert_int_equal(xc_stemmer_stem(st, "running", 7, buf, sizeof buf, &len), XC_OK);
    assert_string_equal(buf, "run");
    assert_int_equal(len, 3);
    assert_int_equal(xc_stemmer_stem(st, "talks", 5, buf, sizeof buf, &len), XC_OK);
    assert_string_equal(buf, "talk");

    /* the buffer needs room for the NUL too; the needed length is reported */
    assert_int_equal(xc_stemmer_stem(st, "running", 7, buf, 4, &len), XC_OK);
    len = 0;
    assert_int_equal(xc_stemmer_stem(st, "running", 7, buf, 3, &len), XC_ERR_INVALID_ARG);
    assert_int_equal(len, 3);
    len = 0;
    assert_int_equal(xc_stemmer_stem(st, "running", 7, NULL, 0, &len), XC_ERR_INVALID_ARG);
    assert_int_equal(len, 3);
    xc_stemmer_destroy(st);

    assert_int_equal(xc_stemmer_create("none", &st, NULL), XC_OK);
    assert_int_equal(xc_stemmer_stem(st, "running", 7, buf, sizeof buf, &len), XC_OK);
    assert_string_equal(buf, "running");
    xc_stemmer_destroy(st);

    st = (xc_stemmer_t *)1;
    assert_int_equal(xc_stemmer_create("klingon", &st, &msg), XC_ERR_INVALID_ARG);
    assert_null(st);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "klingon"));
    free(msg);
}

/* ---- iteration --------------------------------------------------------- */

static void test_allterms_and_postlist(void **state)
{
    struct fixture *f = *state;
    xc_database_t *db = fox_corpus(f->db);

    struct seen ids = {0}, two = {.stop_after = 2}, all = {0};
    assert_int_equal(xc_database_allterms(db, "Q", 1, on_term_freq, &ids), XC_OK);
    assert_string_equal(ids.text, "Q1=1 Q2=1 Q3=1 Q4=1");
    assert_int_equal(xc_database_allterms(db, "Q", 1, on_term_freq, &two), XC_OK);
    assert_string_equal(two.text, "Q1=1 Q2=1");
    assert_int_equal(xc_database_allterms(db, NULL, 0, on_term_freq, &all), XC_OK);
    assert_string_equal(all.text, "Q1=1 Q2=1 Q3=1 Q4=1 XTAGa=2 brown=2 dog=1 fox=3 jumps=1 "
                                  "lazy=1 quick=3 red=1");
    struct seen none = {0};
    assert_int_equal(xc_database_allterms(db, "zz", 2, on_term_freq, &none), XC_OK);
    assert_int_equal(none.calls, 0);

    struct seen fox = {0}, first = {.stop_after = 1}, absent = {0};
    assert_int_equal(xc_database_postlist(db, "fox", 3, on_docid, &fox), XC_OK);
    assert_string_equal(fox.text, "1 2 3");
    assert_int_equal(xc_database_postlist(db, "fox", 3, on_docid, &first), XC_OK);
    assert_string_equal(first.text, "1");
    assert_int_equal(xc_database_postlist(db, "unicorn", 7, on_docid, &absent), XC_OK);
    assert_int_equal(absent.calls, 0);

    xc_docid_t docid = 99;
    assert_int_equal(xc_database_first_docid(db, "fox", 3, &docid), XC_OK);
    assert_int_equal(docid, 1);
    assert_int_equal(xc_database_first_docid(db, "dog", 3, &docid), XC_OK);
    assert_true(docid >= 1 && docid <= 4);
    assert_int_equal(xc_database_first_docid(db, "unicorn", 7, &docid), XC_OK);
    assert_int_equal(docid, 0);
    xc_database_destroy(db);
}

/* ---- transactions ------------------------------------------------------- */

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE);
    assert_int_equal(xc_database_commit(w), XC_OK);
    xc_database_t *r = open_reader(f->db);

    assert_int_equal(xc_database_begin_transaction(w, true), XC_OK);
    put_doc(w, "1", "cancelled");
    assert_int_equal(xc_database_begin_transaction(w, true), XC_ERR_INVALID_OP);
    assert_int_equal(xc_database_cancel_transaction(w), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);
    assert_int_equal(doccount(w), 0);

    /* a flushed transaction is on disk once committed */
    assert_int_equal(xc_database_begin_transaction(w, true), XC_OK);
    put_doc(w, "2", "kept");
    assert_int_equal(xc_database_commit_transaction(w), XC_OK);
    assert_int_equal(xc_database_reopen(r, NULL), XC_OK);
    assert_int_equal(doccount(r), 1);

    /* no transaction to end */
    assert_int_equal(xc_database_commit_transaction(w), XC_ERR_INVALID_OP);
    assert_non_null(strstr(xc_database_status_string(w), "transaction"));
    assert_int_equal(xc_database_cancel_transaction(w), XC_ERR_INVALID_OP);

    xc_database_destroy(r);
    xc_database_destroy(w);
}

/* ---- NULL arguments ------------------------------------------------------ */

static int never_called_term(const char *t, size_t l, uint32_t n, void *c)
{
    (void)t;
    (void)l;
    (void)n;
    (void)c;
    fail_msg("callback called");
    return 1;
}

static int never_called_docid(xc_docid_t d, void *c)
{
    (void)d;
    (void)c;
    fail_msg("callback called");
    return 1;
}

/* ---- relevance feedback -------------------------------------------- */

/* Talks on testing, asyncio and Django, built so that no two candidate
 * terms of one talk tie (Xapian orders ties by heap, not by term).  "mock",
 * "chat" and the id terms are in one talk only. */
static xc_database_t *talks_db(const char *path)
{
    xc_database_t *w = open_writer(path, XC_DB_CREATE);
    put_doc(w, "1", "pytest fixture mock testing python");
    put_doc(w, "2", "pytest fixture testing parametrize");
    put_doc(w, "3", "asyncio chat server python");
    put_doc(w, "4", "asyncio event loop server python");
    put_doc(w, "5", "django orm python");
    put_doc(w, "6", "pytest testing tox");
    put_doc(w, "7", "testing selenium");
    put_doc(w, "8", "asyncio django python");
    assert_int_equal(xc_database_commit(w), XC_OK);
    return w;
}

/* Keeps the terms another document also holds, and no id term; records
 * what it was asked as "term=termfreq". */
static bool keep_shared_words(const char *term, size_t len, uint32_t termfreq, void *ctx)
{
    on_term_freq(term, len, termfreq, ctx);
    return len > 0 && term[0] != 'Q' && termfreq >= 2;
}

static int on_expand_term(const char *term, size_t len, double weight, void *ctx)
{
    assert_true(weight > 0);
    return on_term(term, len, 0, ctx);
}

static void expand(xc_enquire_t *enq, const xc_docid_t *rset, size_t n, uint32_t maxitems,
                   xc_expand_decider_fn keep, void *keep_ctx, char *out, size_t outsz)
{
    struct seen s = {0};
    xc_status_t st = xc_enquire_expand(enq, rset, n, maxitems, keep, keep_ctx, on_expand_term, &s);
    if (st != XC_OK)
        fprintf(stderr, "expand: %s\n", xc_enquire_status_string(enq));
    assert_int_equal(st, XC_OK);
    seen_copy(&s, out, outsz);
}

static void test_expand_gives_the_terms_that_tell_a_document(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = talks_db(f->db);
    xc_enquire_t *enq = NULL;
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    char got[512];
    const xc_docid_t first[] = {1};

    /* Every term of the document, the id term too: the rarest first,
     * "python", in five of eight, last. */
    expand(enq, first, 1, 10, NULL, NULL, got, sizeof got);
    assert_true(strcmp(got, "mock Q1 fixture pytest testing python") == 0 ||
                strcmp(got, "Q1 mock fixture pytest testing python") == 0);

    /* The decider sees each candidate once, with its document count, and
     * drops what no other document holds. */
    struct seen asked = {0};
    expand(enq, first, 1, 10, keep_shared_words, &asked, got, sizeof got);
    assert_string_equal(got, "fixture pytest testing python");
    assert_non_null(strstr(asked.text, "mock=1"));
    assert_non_null(strstr(asked.text, "python=5"));
    assert_null(strstr(strstr(asked.text, "mock=1") + 1, "mock="));

    /* maxitems, and fn stopping early */
    expand(enq, first, 1, 2, keep_shared_words, &(struct seen){0}, got, sizeof got);
    assert_string_equal(got, "fixture pytest");
    struct seen one = {.stop_after = 1}, ignored = {0};
    assert_int_equal(
        xc_enquire_expand(enq, first, 1, 10, keep_shared_words, &ignored, on_expand_term, &one),
        XC_OK);
    assert_string_equal(one.text, "fixture");

    /* Two relevant documents: what both hold ranks first. */
    const xc_docid_t asyncio[] = {3, 4};
    expand(enq, asyncio, 2, 10, keep_shared_words, &(struct seen){0}, got, sizeof got);
    assert_string_equal(got, "server asyncio python");

    /* The enquire's query terms are left out: expansion adds to a query. */
    xc_query_t *q = term_query("pytest");
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    xc_query_destroy(q);
    expand(enq, first, 1, 10, keep_shared_words, &(struct seen){0}, got, sizeof got);
    assert_string_equal(got, "fixture testing python");

    /* Nothing to expand: fn is never called. */
    expand(enq, first, 0, 10, NULL, NULL, got, sizeof got);
    assert_string_equal(got, "");
    expand(enq, NULL, 0, 10, NULL, NULL, got, sizeof got);
    assert_string_equal(got, "");
    expand(enq, first, 1, 0, NULL, NULL, got, sizeof got);
    assert_string_equal(got, "");

    xc_enquire_destroy(enq);
    xc_database_destroy(w);
}

static void test_expand_refuses_bad_documents(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = talks_db(f->db);
    xc_enquire_t *enq = NULL;
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    struct seen s = {0};
    const xc_docid_t zero[] = {0}, absent[] = {1, 99};
    assert_int_equal(xc_enquire_expand(enq, zero, 1, 10, NULL, NULL, on_expand_term, &s),
                     XC_ERR_INVALID_ARG);
    assert_true(strlen(xc_enquire_status_string(enq)) > 0);
    assert_int_equal(xc_enquire_expand(enq, absent, 2, 10, NULL, NULL, on_expand_term, &s),
                     XC_ERR_NOT_FOUND);
    assert_non_null(strstr(xc_enquire_status_string(enq), "99"));
    assert_int_equal(s.calls, 0);
    /* The status string describes the latest call. */
    assert_int_equal(xc_enquire_expand(enq, absent, 1, 10, NULL, NULL, on_expand_term, &s), XC_OK);
    assert_string_equal(xc_enquire_status_string(enq), "");
    xc_enquire_destroy(enq);
    xc_database_destroy(w);
}

/* What searchd builds from the expand terms: their OR, without the
 * document itself (AND_NOT its id term), finds the documents like it. */
static void test_more_like_this_query(void **state)
{
    struct fixture *f = *state;
    xc_database_t *w = talks_db(f->db);
    xc_enquire_t *enq = NULL;
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    char got[512];
    const xc_docid_t third[] = {3};
    expand(enq, third, 1, 10, keep_shared_words, &(struct seen){0}, got, sizeof got);
    assert_string_equal(got, "server asyncio python");
    xc_query_t *like =
        combine(XC_OP_OR, 0, 3, term_query("server"), term_query("asyncio"), term_query("python"));
    xc_query_t *q = combine(XC_OP_AND_NOT, 0, 2, like, term_query("Q3"));
    char ranked[64];
    search(w, q, false, ranked, sizeof ranked);
    /* server and asyncio first, then asyncio, then python alone (the
     * shorter talk first); never 3 itself */
    assert_string_equal(ranked, "4 8 5 1");
    xc_enquire_destroy(enq);
    xc_database_destroy(w);
}

static void test_null_arguments(void **state)
{
    struct fixture *f = *state;
    const xc_status_t N = XC_ERR_NULL_ARG;
    xc_database_t *w = open_writer(f->db, XC_DB_CREATE), *dbp = NULL;
    xc_document_t *doc = NULL, *docp = NULL;
    assert_int_equal(xc_document_create(&doc), XC_OK);
    char *s = NULL, *msg = NULL;
    size_t len = 0;
    uint32_t u = 0;
    uint64_t rev = 0;
    xc_docid_t id = 0;

    /* databases */
    assert_int_equal(xc_database_open(NULL, &dbp, &msg), N);
    assert_non_null(msg);
    free(msg);
    assert_int_equal(xc_database_open(f->db, NULL, NULL), N);
    assert_int_equal(xc_database_open_writable(NULL, XC_DB_OPEN, &dbp, NULL), N);
    assert_int_equal(xc_database_open_writable(f->db, XC_DB_OPEN, NULL, NULL), N);
    assert_string_equal(xc_database_status_string(NULL), "");
    assert_false(xc_database_is_writable(NULL));
    assert_int_equal(xc_database_reopen(NULL, NULL), N);
    assert_int_equal(xc_database_get_doccount(NULL, &u), N);
    assert_int_equal(xc_database_get_doccount(w, NULL), N);
    assert_int_equal(xc_database_get_revision(NULL, &rev), N);
    assert_int_equal(xc_database_get_revision(w, NULL), N);
    assert_int_equal(xc_database_get_termfreq(NULL, "a", 1, &u), N);
    assert_int_equal(xc_database_get_termfreq(w, NULL, 1, &u), N);
    assert_int_equal(xc_database_get_termfreq(w, "a", 1, NULL), N);
    assert_int_equal(xc_database_allterms(NULL, "", 0, never_called_term, NULL), N);
    assert_int_equal(xc_database_allterms(w, NULL, 1, never_called_term, NULL), N);
    assert_int_equal(xc_database_allterms(w, "", 0, NULL, NULL), N);
    assert_int_equal(xc_database_postlist(NULL, "a", 1, never_called_docid, NULL), N);
    assert_int_equal(xc_database_postlist(w, NULL, 1, never_called_docid, NULL), N);
    assert_int_equal(xc_database_postlist(w, "a", 1, NULL, NULL), N);
    xc_docid_t d;
    assert_int_equal(xc_database_first_docid(NULL, "a", 1, &d), N);
    assert_int_equal(xc_database_first_docid(w, NULL, 1, &d), N);
    assert_int_equal(xc_database_first_docid(w, "a", 1, NULL), N);
    assert_int_equal(xc_database_get_metadata(NULL, "k", &s, &len), N);
    assert_int_equal(xc_database_get_metadata(w, NULL, &s, &len), N);
    assert_int_equal(xc_database_get_metadata(w, "k", NULL, &len), N);
    assert_int_equal(xc_database_get_metadata(w, "k", &s, NULL), N);
    assert_int_equal(xc_database_set_metadata(NULL, "k", "v", 1), N);
    assert_int_equal(xc_database_set_metadata(w, NULL, "v", 1), N);
    assert_int_equal(xc_database_set_metadata(w, "k", NULL, 1), N);
    assert_int_equal(xc_database_get_document(NULL, 1, &docp), N);
    assert_int_equal(xc_database_get_document(w, 1, NULL), N);
    assert_int_equal(xc_database_replace_document(NULL, "Qa", 2, doc, &id), N);
    assert_int_equal(xc_database_replace_document(w, NULL, 2, doc, &id), N);
    assert_int_equal(xc_database_replace_document(w, "Qa", 2, NULL, &id), N);
    assert_int_equal(xc_database_add_document(NULL, doc, &id), N);
    assert_int_equal(xc_database_add_document(w, NULL, &id), N);
    assert_int_equal(xc_database_delete_document_by_term(NULL, "Qa", 2), N);
    assert_int_equal(xc_database_delete_document_by_term(w, NULL, 2), N);
    assert_int_equal(xc_database_delete_document(NULL, 1), N);
    assert_int_equal(xc_database_commit(NULL), N);
    assert_int_equal(xc_database_begin_transaction(NULL, true), N);
    assert_int_equal(xc_database_commit_transaction(NULL), N);
    assert_int_equal(xc_database_cancel_transaction(NULL), N);
    assert_int_equal(xc_database_add_spelling(NULL, "a", 1, 1), N);
    assert_int_equal(xc_database_add_spelling(w, NULL, 1, 1), N);
    assert_int_equal(xc_database_remove_spelling(NULL, "a", 1, 1), N);
    assert_int_equal(xc_database_remove_spelling(w, NULL, 1, 1), N);
    assert_int_equal(xc_database_spellings(NULL, never_called_term, NULL), N);
    assert_int_equal(xc_database_spellings(w, NULL, NULL), N);
    assert_int_equal(xc_database_get_spelling_suggestion(NULL, "a", 1, 2, &s), N);
    assert_int_equal(xc_database_get_spelling_suggestion(w, NULL, 1, 2, &s), N);
    assert_int_equal(xc_database_get_spelling_suggestion(w, "a", 1, 2, NULL), N);
    assert_int_equal(xc_database_add_synonym(NULL, "a", "b"), N);
    assert_int_equal(xc_database_add_synonym(w, NULL, "b"), N);
    assert_int_equal(xc_database_add_synonym(w, "a", NULL), N);
    assert_int_equal(xc_database_remove_synonym(NULL, "a", "b"), N);
    assert_int_equal(xc_database_remove_synonym(w, NULL, "b"), N);
    assert_int_equal(xc_database_remove_synonym(w, "a", NULL), N);
    assert_int_equal(xc_database_synonyms(NULL, "a", never_called_term, NULL), N);
    assert_int_equal(xc_database_synonyms(w, NULL, never_called_term, NULL), N);
    assert_int_equal(xc_database_synonyms(w, "a", NULL, NULL), N);
    assert_true(strlen(xc_database_status_string(w)) > 0); /* says which argument */

    /* documents */
    assert_int_equal(xc_document_create(NULL), N);
    assert_string_equal(xc_document_status_string(NULL), "");
    assert_int_equal(xc_document_add_posting(NULL, "a", 1, 1, 1), N);
    assert_int_equal(xc_document_add_posting(doc, NULL, 1, 1, 1), N);
    assert_int_equal(xc_document_add_term(NULL, "a", 1, 1), N);
    assert_int_equal(xc_document_add_term(doc, NULL, 1, 1), N);
    assert_int_equal(xc_document_add_boolean_term(NULL, "a", 1), N);
    assert_int_equal(xc_document_add_boolean_term(doc, NULL, 1), N);
    assert_int_equal(xc_document_set_value(NULL, 0, "v", 1), N);
    assert_int_equal(xc_document_set_value(doc, 0, NULL, 1), N);
    assert_int_equal(xc_document_get_value(NULL, 0, &s, &len), N);
    assert_int_equal(xc_document_get_value(doc, 0, NULL, &len), N);
    assert_int_equal(xc_document_get_value(doc, 0, &s, NULL), N);
    assert_int_equal(xc_document_set_data(NULL, "d", 1), N);
    assert_int_equal(xc_document_set_data(doc, NULL, 1), N);
    assert_int_equal(xc_document_get_data(NULL, &s, &len), N);
    assert_int_equal(xc_document_get_data(doc, NULL, &len), N);
    assert_int_equal(xc_document_get_data(doc, &s, NULL), N);
    assert_int_equal(xc_document_termlist(NULL, "", 0, never_called_term, NULL), N);
    assert_int_equal(xc_document_termlist(doc, NULL, 1, never_called_term, NULL), N);
    assert_int_equal(xc_document_termlist(doc, "", 0, NULL, NULL), N);
    assert_int_equal(xc_document_get_docid(NULL, &id), N);
    assert_int_equal(xc_document_get_docid(doc, NULL), N);

    /* stemmers */
    xc_stemmer_t *st = NULL;
    char buf[16];
    assert_int_equal(xc_stemmer_create(NULL, &st, &msg), N);
    assert_non_null(msg);
    free(msg);
    assert_int_equal(xc_stemmer_create("english", NULL, NULL), N);
    assert_int_equal(xc_stemmer_create("english", &st, NULL), XC_OK);
    assert_int_equal(xc_stemmer_stem(NULL, "a", 1, buf, sizeof buf, &len), N);
    assert_int_equal(xc_stemmer_stem(st, NULL, 1, buf, sizeof buf, &len), N);
    assert_int_equal(xc_stemmer_stem(st, "a", 1, NULL, sizeof buf, &len), N);
    assert_int_equal(xc_stemmer_stem(st, "a", 1, buf, sizeof buf, NULL), N);
    xc_stemmer_destroy(st);

    /* queries */
    xc_query_t *q = term_query("a"), *qp = NULL, *with_null[2] = {q, NULL};
    assert_int_equal(xc_query_term(NULL, 1, 1, 0, &qp), N);
    assert_int_equal(xc_query_term("a", 1, 1, 0, NULL), N);
    assert_int_equal(xc_query_match_all(NULL), N);
    assert_int_equal(xc_query_match_nothing(NULL), N);
    assert_int_equal(xc_query_combine(XC_OP_AND, NULL, 2, 0, &qp), N);
    assert_int_equal(xc_query_combine(XC_OP_AND, with_null, 2, 0, &qp), N);
    assert_int_equal(xc_query_combine(XC_OP_AND, with_null, 1, 0, NULL), N);
    assert_int_equal(xc_query_wildcard(NULL, 1, 0, XC_WILDCARD_LIMIT_ERROR, &qp), N);
    assert_int_equal(xc_query_wildcard("a", 1, 0, XC_WILDCARD_LIMIT_ERROR, NULL), N);
    assert_int_equal(xc_query_scale(NULL, 1, &qp), N);
    assert_int_equal(xc_query_scale(q, 1, NULL), N);
    assert_true(xc_query_is_empty(NULL));
    assert_int_equal(xc_query_describe(NULL, &s), N);
    assert_int_equal(xc_query_describe(q, NULL), N);
    assert_null(qp);

    /* match spies */
    xc_matchspy_t *spy = NULL;
    assert_int_equal(xc_matchspy_value_count_create(0, 0, NULL), N);
    assert_int_equal(xc_matchspy_value_count_create(0, 0, &spy), XC_OK);
    assert_int_equal(xc_matchspy_total(NULL, &u), N);
    assert_int_equal(xc_matchspy_total(spy, NULL), N);
    assert_int_equal(xc_matchspy_values(NULL, 0, on_value_count, NULL), N);
    assert_int_equal(xc_matchspy_values(spy, 0, NULL, NULL), N);

    /* enquires and msets */
    xc_enquire_t *enq = NULL, *enqp = NULL;
    xc_mset_t *mset = NULL, *msetp = NULL;
    assert_int_equal(xc_enquire_create(NULL, &enqp, &msg), N);
    assert_non_null(msg);
    free(msg);
    assert_int_equal(xc_enquire_create(w, NULL, NULL), N);
    assert_int_equal(xc_enquire_create(w, &enq, NULL), XC_OK);
    assert_string_equal(xc_enquire_status_string(NULL), "");
    assert_int_equal(xc_enquire_set_query(NULL, q), N);
    assert_int_equal(xc_enquire_set_query(enq, NULL), N);
    assert_int_equal(xc_enquire_set_weighting_bm25(NULL, 1.2, 0, 1, 0.5, 0.5), N);
    assert_int_equal(xc_enquire_set_weighting_bool(NULL), N);
    assert_int_equal(xc_enquire_set_sort_by_relevance(NULL), N);
    assert_int_equal(xc_enquire_set_sort_by_value(NULL, 0, false), N);
    assert_int_equal(xc_enquire_add_matchspy(NULL, spy), N);
    assert_int_equal(xc_enquire_add_matchspy(enq, NULL), N);
    assert_int_equal(xc_enquire_clear_matchspies(NULL), N);
    assert_int_equal(xc_enquire_get_mset(NULL, 0, 10, 0, &msetp), N);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 0, NULL), N);
    const xc_docid_t one[] = {1};
    assert_int_equal(xc_enquire_expand(NULL, one, 1, 10, NULL, NULL, on_expand_term, NULL), N);
    assert_int_equal(xc_enquire_expand(enq, NULL, 1, 10, NULL, NULL, on_expand_term, NULL), N);
    assert_int_equal(xc_enquire_expand(enq, one, 1, 10, NULL, NULL, NULL, NULL), N);
    assert_int_equal(xc_enquire_set_query(enq, q), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 0, &mset), XC_OK);
    assert_string_equal(xc_mset_status_string(NULL), "");
    assert_int_equal(xc_mset_size(NULL), 0);
    assert_int_equal(xc_mset_matches_lower_bound(NULL), 0);
    assert_int_equal(xc_mset_matches_estimated(NULL), 0);
    assert_int_equal(xc_mset_matches_upper_bound(NULL), 0);
    double weight;
    assert_int_equal(xc_mset_get_docid(NULL, 0, &id), N);
    assert_int_equal(xc_mset_get_docid(mset, 0, NULL), N);
    assert_int_equal(xc_mset_get_weight(NULL, 0, &weight), N);
    assert_int_equal(xc_mset_get_weight(mset, 0, NULL), N);
    assert_int_equal(xc_mset_get_document(NULL, 0, &docp), N);
    assert_int_equal(xc_mset_get_document(mset, 0, NULL), N);
    assert_null(dbp);
    assert_null(docp);
    assert_null(enqp);
    assert_null(msetp);

    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    xc_matchspy_destroy(spy);
    xc_query_destroy(q);
    xc_document_destroy(doc);
    xc_database_destroy(w);
}

static void test_destroy_null(void **state)
{
    (void)state;
    xc_database_destroy(NULL);
    xc_document_destroy(NULL);
    xc_stemmer_destroy(NULL);
    xc_query_destroy(NULL);
    xc_matchspy_destroy(NULL);
    xc_enquire_destroy(NULL);
    xc_mset_destroy(NULL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_status_strings),
        T(test_open_missing_is_not_found),
        T(test_open_modes),
        T(test_write_commit_reopen),
        T(test_destroy_does_not_commit),
        T(test_read_only_handle_refuses_writes),
        T(test_second_writer_is_locked),
        T(test_corrupt_database_gives_error),
        T(test_stale_reader_gets_modified),
        T(test_term_too_long),
        T(test_metadata),
        T(test_compact_merges_documents_and_metadata),
        T(test_spelling),
        T(test_spelling_remove_and_list),
        T(test_synonyms),
        T(test_query_operators),
        T(test_wildcard),
        T(test_scale_weight_changes_order),
        T(test_bm25_ranking),
        T(test_sort_by_value),
        T(test_matchspy_multi_value),
        T(test_matchspy_exact_counts),
        T(test_mset_bounds),
        T(test_document_round_trip),
        T(test_stemmer),
        T(test_allterms_and_postlist),
        T(test_transactions),
        T(test_expand_gives_the_terms_that_tell_a_document),
        T(test_expand_refuses_bad_documents),
        T(test_more_like_this_query),
        T(test_null_arguments),
        T(test_destroy_null),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
