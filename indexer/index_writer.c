/* index_writer.c: an indexing run, committed in one transaction.
 *
 * A first build (an index without documents) can use several threads:
 * each writes every n-th talk into a shard of its own, a Xapian database in
 * a scratch directory beside the index, and the commit merges the shards
 * with Xapian's compaction into a new database that then takes the index's
 * place in one atomic rename.  Xapian's writer is single-threaded and
 * indexing spends most of its time inside it, so shards are the only way
 * to use more than one core.  Re-indexing an index
 * that has documents updates it in place with one writer, as before.
 *
 * Source records (source_record.h) are metadata set in the run's
 * transaction; with threads they are kept until the commit writes them
 * into the merged database, before it takes the index's place. */
#define _GNU_SOURCE /* renameat2 */
#include "index_writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include <unistd.h>

#include "build_id.h"
#include "grow.h"
#include "join_index.h"
#include "schema.h"
#include "session_doc.h"
#include "source_record.h"
#include "strmap.h"
#include "terms.h"
#include "xapian-c.h"
#include "xc_lists.h"

/* Batches handed to the shard threads and not yet done by all of them.
 * Each holds a batch of a file's talks (a whole file's, when it came as
 * one pad), so this bounds the memory of the hand-off. */
#define RING_PADS 4
/* Talks a scratch database (a shard, or the copy a big run works on) takes
 * between commits (see shard_write, note_change), and the most an
 * in-place run changes in its one transaction.  Large enough that builds
 * of the usual sizes never commit before the end: a commit makes every
 * known spelling word be looked up on disk again.  The environment's
 * CONFSEARCH_COMMIT_TALKS replaces it (tests). */
#define COMMIT_TALKS 50000

typedef struct {
    cs_index_writer_t *w;
    unsigned index;
    char *dir;
    xc_database_t *db;
    cs_doc_builder_t *builder;
    pthread_t thread;
    int started;
    size_t added;
    cs_status_t st;
    char error[1024];
} shard_t;

typedef struct {
    cs_pad_t *pad;    /* NULL: the slot is free */
    size_t first;     /* run-wide number of the pad's first talk */
    unsigned pending; /* shards not done with it yet */
} pad_job_t;

struct cs_index_writer {
    xc_database_t *db;
    char *path;
    cs_doc_builder_t *builder;
    cs_index_stats_t stats;
    /* Who owns an id (schema/README.md).  ids holds every string this run
     * met as a talk's base id or gave as an id, valued as the ID_* bits
     * below say: how many of the run's talks claimed it as their base, the
     * first of the run's files that did and whether another did too,
     * whether the commit puts its claimants in order, and whether a talk
     * has it as its id.  One entry serves all of them, as a base is most
     * often its talk's id (a million tiny talks made three tables of a
     * million strings).  files: the files begun so far. */
    cs_strmap_t *ids;
    size_t n_given;
    int64_t files;
    /* The file begun (cs_index_writer_begin_file) and not yet ended: its
     * path, source term and record key, and its record, made as its talks
     * get their ids (recorded: a digest was given). */
    char *file_path, *file_src, *file_key;
    bool recorded;
    cs_source_record_text_t record;
    cs_status_t file_st; /* the file's first failure: the rest is refused */
    /* The documents the current file's talks are in (written or left
     * unchanged): its other documents are its vanished talks. */
    xc_docid_t *written;
    size_t n_written, cap_written;
    cs_index_notice_fn notice;
    void *notice_ctx;
    int in_transaction;
    /* Something was written this run.  Otherwise the commit is skipped: a
     * new revision with nothing new would make every searchd thread drop
     * its caches, once per run of a cron job. */
    bool wrote;
    /* The index is at the revision the last record-writing commit made:
     * else some other writer (an indexer from before the records) has
     * changed talks since, and no record can vouch for a file. */
    bool records_trusted;
    uint32_t docs_at_open;
    char *build_id;
    /* The record cs_index_writer_file_digest last found usable, for
     * keep_file; known_path NULL when none. */
    cs_source_record_t known;
    char *known_path;

    /* A run that changes more than commit_talks talks would hold them all
     * in Xapian's transaction (hundreds of bytes each) until its commit;
     * such a run starts again on a compacted copy of the index in the
     * scratch directory, committed every commit_talks changes, which the
     * commit then puts in the index's place.  copy_of: the index itself,
     * kept open for its lock.  changes: talks written, deleted or re-keyed. */
    xc_database_t *copy_of;
    size_t changes;

    /* Shard mode (n_shards > 0): everything below is shared with the shard
     * threads under lock. */
    unsigned n_shards;
    size_t commit_talks; /* COMMIT_TALKS */
    shard_t *shards;
    char *scratch; /* the scratch directory beside the index */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pad_job_t ring[RING_PADS];
    size_t produced; /* pads handed over so far */
    size_t talks;    /* talks handed over so far */
    int closed, failed;
    char error[1024];
    /* Shard mode's source records, written at the commit: key, value,
     * key, value... (main thread only). */
    char **records;
    size_t n_records, cap_records;
};

static char *split_index_path(const char *path, char **base);
static void remove_stale_scratch(const char *dir, const char *base);

__attribute__((format(printf, 2, 3))) static void set_error(cs_index_writer_t *w, const char *fmt,
                                                            ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->error, sizeof w->error, fmt, ap);
    va_end(ap);
}

/* Whether db is still at the revision its last record-writing commit
 * predicted (CS_META_RECORDS_REV); false when unknown. */
static bool records_current(xc_database_t *db)
{
    char *value = NULL;
    size_t len = 0;
    uint64_t rev = 0;
    bool current = xc_database_get_metadata(db, CS_META_RECORDS_REV, &value, &len) == XC_OK &&
                   value && xc_database_get_revision(db, &rev) == XC_OK;
    if (current) {
        char now[32];
        snprintf(now, sizeof now, "%llu", (unsigned long long)rev);
        current = strlen(now) == len && memcmp(now, value, len) == 0;
    }
    free(value);
    return current;
}

/* Marks the commit about to be made on db as the one that wrote the
 * records.  Glass numbers each commit one above the last; should that ever
 * not hold, the records are merely distrusted and the files processed. */
static xc_status_t mark_records_revision(xc_database_t *db)
{
    uint64_t rev = 0;
    xc_status_t xs = xc_database_get_revision(db, &rev);
    char next[32];
    snprintf(next, sizeof next, "%llu", (unsigned long long)rev + 1);
    return xs == XC_OK ? xc_database_set_metadata(db, CS_META_RECORDS_REV, next, strlen(next)) : xs;
}

/* Whether an entry of an index directory is one of Xapian's own files. */
static bool xapian_file(const char *n)
{
    size_t len = strlen(n);
    /* changesN: the changesets replication keeps (XAPIAN_MAX_CHANGESETS). */
    if (strncmp(n, "changes", 7) == 0 && n[7] && strspn(n + 7, "0123456789") == len - 7)
        return true;
    return strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, "flintlock") == 0 ||
           strcmp(n, "iamglass") == 0 || (len > 6 && strcmp(n + len - 6, ".glass") == 0) ||
           (len > 4 && strcmp(n + len - 4, ".tmp") == 0);
}

/* The first entry of directory path that is not one of Xapian's files, in
 * foreign (cap bytes; "" when none or path is no directory).  An index is
 * only ever written into a directory of its own: a directory of notes
 * given as --db would get Xapian's files beside them, and a threaded
 * first build, which puts its merged index in the directory's place,
 * would take them away. */
static void foreign_entry(const char *path, char *foreign, size_t cap)
{
    foreign[0] = '\0';
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (!xapian_file(e->d_name)) {
            snprintf(foreign, cap, "%s", e->d_name);
            break;
        }
    closedir(d);
}

/* A first build killed while Xapian was creating the database leaves a
 * directory of Xapian's files without its version file ("iamglass"),
 * which Xapian then refuses to open or create.  Nothing was ever committed
 * there, so the files are removed and the build starts again.  True when
 * cleared. */
static bool clear_unfinished_creation(const char *path)
{
    char foreign[256], version[PATH_MAX];
    foreign_entry(path, foreign, sizeof foreign);
    snprintf(version, sizeof version, "%s/iamglass", path);
    DIR *d = foreign[0] || access(version, F_OK) == 0 ? NULL : opendir(path);
    if (!d)
        return false;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
    return true;
}

cs_status_t cs_index_writer_open(const char *path, cs_index_writer_t **out, char **errmsg)
{
    if (!path || !out)
        return CS_ERR_NULL_ARG;
    cs_index_writer_t *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path)) || !(w->build_id = strdup(cs_indexer_build_id()))) {
        if (w)
            free(w->path);
        free(w);
        return CS_ERR_NO_MEMORY;
    }
    char foreign[256];
    foreign_entry(path, foreign, sizeof foreign);
    if (foreign[0]) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: not an index (it holds %s); give a new or empty "
                                       "directory for the index",
                                       path, foreign);
        free(w->path);
        free(w->build_id);
        free(w);
        return CS_ERR_IO;
    }
    char *xerr = NULL;
    xc_status_t xs = xc_database_open_writable(path, XC_DB_CREATE_OR_OPEN, &w->db, &xerr);
    if (xs == XC_ERR_NOT_FOUND && clear_unfinished_creation(path)) {
        free(xerr);
        xerr = NULL;
        xs = xc_database_open_writable(path, XC_DB_CREATE_OR_OPEN, &w->db, &xerr);
    }
    if (xs != XC_OK) {
        if (errmsg)
            *errmsg = cs_strdup_printf(xs == XC_ERR_LOCKED
                                           ? "%s: the index is locked by another indexer (%s)"
                                           : "%s: cannot open the index for writing: %s",
                                       path, xerr ? xerr : xc_status_to_string(xs));
        free(xerr);
        free(w->path);
        free(w->build_id);
        free(w);
        return xs == XC_ERR_LOCKED ? CS_ERR_LOCKED : CS_ERR_XAPIAN;
    }
    char *version = NULL;
    size_t vlen = 0;
    uint32_t docs = 0;
    if (xc_database_get_metadata(w->db, CS_META_FORMAT_KEY, &version, &vlen) != XC_OK ||
        xc_database_get_doccount(w->db, &docs) != XC_OK) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: cannot read the index: %s", path,
                                       xc_database_status_string(w->db));
        cs_index_writer_destroy(w);
        return CS_ERR_XAPIAN;
    }
    if ((version && strcmp(version, CS_SCHEMA_FORMAT_VERSION) != 0) || (!version && docs > 0)) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: the index has format version %s; this indexer writes "
                                       "version " CS_SCHEMA_FORMAT_VERSION
                                       " (index into a new directory, or remove the old index)",
                                       path, version ? version : "none (not a confsearch index)");
        free(version);
        cs_index_writer_destroy(w);
        return CS_ERR_VERSION;
    }
    free(version);
    cs_status_t st = cs_doc_builder_create(w->db, &w->builder, errmsg);
    if (st == CS_OK && cs_strmap_create(&w->ids) != CS_OK)
        st = CS_ERR_NO_MEMORY;
    if (st != CS_OK) {
        cs_index_writer_destroy(w);
        return st;
    }
    /* One transaction for the run: Xapian would otherwise commit on its
     * own every 10,000 changes, and a crash would leave half a run. */
    if (xc_database_begin_transaction(w->db, true) != XC_OK) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: cannot start a transaction: %s", path,
                                       xc_database_status_string(w->db));
        cs_index_writer_destroy(w);
        return CS_ERR_XAPIAN;
    }
    w->in_transaction = 1;
    w->docs_at_open = docs;
    const char *every = getenv("CONFSEARCH_COMMIT_TALKS");
    w->commit_talks = every && atol(every) > 0 ? (size_t)atol(every) : COMMIT_TALKS;
    w->records_trusted = records_current(w->db);
    char *base = NULL, *dir = split_index_path(path, &base);
    if (dir)
        remove_stale_scratch(dir, base);
    free(dir);
    free(base);
    *out = w;
    return CS_OK;
}

#define ID_BYTES (CS_MAX_ID_BYTES + 16)
#define ID_GIVEN 1      /* a talk of the run has it as its id */
#define ID_TOUCHED 2    /* the commit puts the base's claimants in order */
#define ID_ACROSS 4     /* claimed by talks of two of the run's files */
#define ID_FILE_SHIFT 3 /* bits 3-34: the first claiming file (1-based) */
#define ID_FILE_MASK ((INT64_C(1) << 32) - 1)
#define ID_CLAIM (INT64_C(1) << 35) /* one claim */

static bool id_given(const cs_index_writer_t *w, const char *id)
{
    const int64_t *v = cs_strmap_get(w->ids, id, strlen(id));
    return v && (*v & ID_GIVEN);
}

/* The id this run gives the claim number `claim` (0 for the first) of
 * base: base itself, base-2, base-3... skipping any id an earlier talk of
 * the run has (a title-made base may itself end in "-2"). */
static void pick_id(cs_index_writer_t *w, const char *base, int64_t claim, char id[ID_BYTES])
{
    if (claim == 0)
        snprintf(id, ID_BYTES, "%s", base);
    else
        snprintf(id, ID_BYTES, "%s-%lld", base, (long long)claim + 1);
    for (long long n = claim + 2; id_given(w, id); n++)
        snprintf(id, ID_BYTES, "%s-%lld", base, n);
}

/* Records that a talk of this run has id. */
static cs_status_t claim_id(cs_index_writer_t *w, const char *id)
{
    int64_t *v = cs_strmap_put(w->ids, id, strlen(id), 0, NULL, NULL);
    if (!v)
        return CS_ERR_NO_MEMORY;
    *v |= ID_GIVEN;
    w->n_given++;
    return CS_OK;
}

static cs_status_t touch_base(cs_index_writer_t *w, const char *base, size_t len)
{
    /* A first build puts nothing in order at its commit (resolve_claims). */
    if (w->docs_at_open == 0)
        return CS_OK;
    int64_t *v = cs_strmap_put(w->ids, base, len, 0, NULL, NULL);
    if (!v)
        return CS_ERR_NO_MEMORY;
    *v |= ID_TOUCHED;
    return CS_OK;
}

/* Gives s the id its place among this run's claims of its base id gives
 * it (files come in the order of their source keys, talks in file order,
 * so in a first build this is the order of the rule), and records it, in
 * the run and in its file's record.  Claims of files not in the run are
 * put in order at the commit (resolve_claims), which re-keys whatever
 * this guess got wrong. */
static cs_status_t assign_id(cs_index_writer_t *w, cs_session_t *s)
{
    char base[CS_MAX_ID_BYTES], id[ID_BYTES];
    cs_schema_session_id(s, base);
    size_t blen = strlen(base);
    int64_t *v = cs_strmap_put(w->ids, base, blen, 0, NULL, NULL);
    if (!v)
        return CS_ERR_NO_MEMORY;
    int64_t claim = *v / ID_CLAIM, file = w->files & ID_FILE_MASK;
    if (claim == 0)
        *v |= file << ID_FILE_SHIFT;
    else if ((*v >> ID_FILE_SHIFT & ID_FILE_MASK) != file)
        *v |= ID_ACROSS;
    *v += ID_CLAIM;
    if (touch_base(w, base, blen) != CS_OK)
        return CS_ERR_NO_MEMORY;
    pick_id(w, base, claim, id);
    free(s->id);
    s->id = strdup(id);
    if (!s->id || claim_id(w, id) != CS_OK ||
        (w->recorded && !cs_source_record_add_talk(&w->record, id, base)))
        return CS_ERR_NO_MEMORY;
    return CS_OK;
}

/* The first term of doc with prefix into out ("" when none). */
static xc_status_t doc_term(xc_document_t *doc, const char *prefix, char *out, size_t cap)
{
    return xc_document_first_term(doc, prefix, strlen(prefix), out, cap);
}

/* The stored JSON of the document with unique term idterm, or NULL, and
 * its docid, when that document is one of the file with source term src:
 * a document of another file under the same id is never replaced by this
 * file's talk (the commit puts the two claims in order). */
static char *stored_json(cs_index_writer_t *w, const char *idterm, const char *src,
                         xc_docid_t *docid)
{
    *docid = 0;
    xc_docid_t found = 0;
    if (xc_database_first_docid(w->db, idterm, strlen(idterm), &found) != XC_OK || !found)
        return NULL;
    xc_document_t *doc = NULL;
    char *data = NULL, owner[CS_TERM_BUF_BYTES];
    size_t len;
    if (xc_database_get_document(w->db, found, &doc) == XC_OK &&
        doc_term(doc, CS_PREFIX_SOURCE, owner, sizeof owner) == XC_OK && strcmp(owner, src) == 0 &&
        xc_document_get_data(doc, &data, &len) == XC_OK)
        *docid = found;
    xc_document_destroy(doc);
    return data;
}

static cs_status_t note_written(cs_index_writer_t *w, xc_docid_t docid)
{
    if (!cs_grow(&w->written, &w->cap_written, w->n_written + 1, sizeof *w->written, 64))
        return CS_ERR_NO_MEMORY;
    w->written[w->n_written++] = docid;
    return CS_OK;
}

/* The spelling data of a stored talk that is replaced or deleted is taken
 * back, so that the spelling table stays what a fresh build of the current
 * talks would make it.  Stored JSON that cannot be read back (a damaged
 * document) does not stop the run: replacing or deleting the document
 * repairs the index, and only its words' spelling frequencies stay too
 * high. */
static cs_status_t build_replacement(cs_index_writer_t *w, const cs_session_t *s, const char *json,
                                     const char *old, xc_document_t **doc)
{
    cs_status_t st = cs_doc_builder_build_replacement(w->builder, s, json, old, strlen(old), doc);
    return st == CS_ERR_FORMAT ? cs_doc_builder_build(w->builder, s, json, doc) : st;
}

static cs_status_t retract_spelling(cs_index_writer_t *w, const char *old, size_t len)
{
    cs_status_t st = cs_doc_builder_retract_spelling(w->builder, old, len);
    return st == CS_ERR_FORMAT ? CS_OK : st;
}

/* Commits a scratch database (a shard, or the copy a big run works on) on
 * the way and goes on in a new transaction: Xapian holds a transaction's
 * changes in memory until its commit, so this bounds a run's memory. */
static cs_status_t commit_on_the_way(xc_database_t *db, cs_doc_builder_t *builder)
{
    cs_status_t st = cs_doc_builder_flush_spelling(builder);
    if (st == CS_OK && (xc_database_commit_transaction(db) != XC_OK ||
                        xc_database_begin_transaction(db, true) != XC_OK))
        st = CS_ERR_XAPIAN;
    return st;
}

/* Counts a talk written, deleted or re-keyed.  In place, a run past
 * commit_talks changes asks to be started again on a copy (CS_ERR_LIMIT:
 * cs_index_writer_work_on_copy); on the copy, every commit_talks changes
 * are committed, so memory stays bounded. */
static cs_status_t note_change(cs_index_writer_t *w)
{
    if (++w->changes % w->commit_talks != 0)
        return CS_OK;
    if (!w->copy_of) {
        set_error(w, "the run changes more than %zu talks: start it again on a copy of the index",
                  w->commit_talks);
        return CS_ERR_LIMIT;
    }
    cs_status_t st = commit_on_the_way(w->db, w->builder);
    if (st != CS_OK)
        set_error(w, "cannot commit the copy of the index: %s",
                  st == CS_ERR_XAPIAN ? xc_database_status_string(w->db) : cs_status_to_string(st));
    return st;
}

/* A programme talk's document that holds joined notes is unchanged when
 * the talk's own JSON is (the commit keeps the join in step). */
static bool own_json_is(const char *stored, const char *json)
{
    char *own = NULL;
    bool same = cs_join_index_own_json(stored, strlen(stored), &own) && strcmp(own, json) == 0;
    free(own);
    return same;
}

static cs_status_t write_session(cs_index_writer_t *w, cs_session_t *s, const char *src)
{
    cs_status_t st = assign_id(w, s);
    char *json = NULL, idterm[CS_TERM_BUF_BYTES];
    size_t idlen;
    if (st == CS_OK)
        st = cs_term_filter(NULL, CS_FILTER_ID, s->id, strlen(s->id), idterm, &idlen);
    if (st == CS_OK)
        st = cs_doc_builder_json(w->builder, s, &json);
    if (st != CS_OK) {
        set_error(w, "%s:%u: %s", s->source, s->line, cs_status_to_string(st));
        return st;
    }
    (void)idlen;
    xc_docid_t docid = 0;
    char *old = stored_json(w, idterm, src, &docid);
    if (old && (strcmp(old, json) == 0 || own_json_is(old, json))) {
        w->stats.unchanged++;
        free(old);
        free(json);
        return note_written(w, docid);
    }
    xc_document_t *doc = NULL;
    st = old ? build_replacement(w, s, json, old, &doc)
             : cs_doc_builder_build(w->builder, s, json, &doc);
    /* No stored talk of this file has this id: adding spares Xapian a
     * second lookup of the id term. */
    if (st == CS_OK && (old ? xc_database_replace_document_at(w->db, docid, doc)
                            : xc_database_add_document(w->db, doc, &docid)) != XC_OK)
        st = CS_ERR_XAPIAN;
    if (st == CS_OK)
        st = note_written(w, docid);
    if (st == CS_OK) {
        old ? w->stats.updated++ : w->stats.added++;
        w->wrote = true;
        st = note_change(w); /* which says why itself */
    } else
        set_error(w, "%s:%u: cannot index the talk: %s", s->source, s->line,
                  st == CS_ERR_XAPIAN ? xc_database_status_string(w->db) : cs_status_to_string(st));
    xc_document_destroy(doc);
    free(old);
    free(json);
    return st;
}

/* Deletes the documents from source term src that none of the file's
 * talks of this run is in. */
static cs_status_t delete_vanished(cs_index_writer_t *w, const char *path, const char *src)
{
    cs_docid_list_t list = {0};
    if (xc_database_postlist(w->db, src, strlen(src), cs_docid_list_add, &list) != XC_OK ||
        list.failed) {
        set_error(w, "%s: cannot list its indexed talks: %s", path,
                  xc_database_status_string(w->db));
        free(list.ids);
        return CS_ERR_XAPIAN;
    }
    cs_status_t st = CS_OK;
    /* (No talk written: the array may still be NULL, which qsort and
     * bsearch must not be given.) */
    if (w->n_written > 1)
        qsort(w->written, w->n_written, sizeof *w->written, cs_docid_compare);
    for (size_t i = 0; st == CS_OK && i < list.n; i++) {
        if (w->n_written &&
            bsearch(&list.ids[i], w->written, w->n_written, sizeof *w->written, cs_docid_compare))
            continue;
        xc_document_t *doc = NULL;
        char base[CS_TERM_BUF_BYTES];
        if (xc_database_get_document(w->db, list.ids[i], &doc) != XC_OK ||
            doc_term(doc, CS_PREFIX_BASE, base, sizeof base) != XC_OK)
            st = CS_ERR_XAPIAN;
        /* Its base id may now have one claimant fewer. */
        if (st == CS_OK && base[0])
            st =
                touch_base(w, base + strlen(CS_PREFIX_BASE), strlen(base) - strlen(CS_PREFIX_BASE));
        if (st == CS_OK) {
            char *data = NULL;
            size_t len = 0;
            if (xc_document_get_data(doc, &data, &len) != XC_OK)
                st = CS_ERR_XAPIAN;
            else
                st = retract_spelling(w, data, len);
            free(data);
            if (st == CS_OK && xc_database_delete_document(w->db, list.ids[i]) != XC_OK)
                st = CS_ERR_XAPIAN;
            if (st == CS_OK) {
                w->stats.deleted++;
                w->wrote = true;
                if ((st = note_change(w)) != CS_OK) {
                    xc_document_destroy(doc);
                    break;
                }
            }
        }
        xc_document_destroy(doc);
        if (st != CS_OK)
            set_error(w, "%s: cannot remove a vanished talk: %s", path,
                      st == CS_ERR_XAPIAN ? xc_database_status_string(w->db)
                                          : cs_status_to_string(st));
    }
    free(list.ids);
    return st;
}

/* ---- shards: a first build on several threads ---------------------------- */

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *path_join(const char *dir, const char *name)
{
    return cs_strdup_printf("%s/%s", dir, name);
}

/* The index's directory name without trailing slashes, split into the
 * directory it is in and its own name; NULL when it has no usable name
 * ("/", ".", ".."). */
static char *split_index_path(const char *path, char **base)
{
    char *dir = strdup(path);
    if (!dir)
        return NULL;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : dir;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || !(*base = strdup(name))) {
        free(dir);
        return NULL;
    }
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    return dir;
}

/* Scratch directories are named "<index>.build-<pid>".  One left behind by
 * a killed run is removed by the next run, which holds the index's lock,
 * so no other indexer of this index can still be using it. */
static void remove_stale_scratch(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t blen = strlen(base);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, base, blen) != 0)
            continue;
        const char *tail = e->d_name + blen;
        if (strncmp(tail, ".build-", 7) != 0 || !tail[7] ||
            strspn(tail + 7, "0123456789") != strlen(tail + 7))
            continue;
        char *stale = path_join(dir, e->d_name);
        if (stale)
            remove_tree(stale);
        free(stale);
    }
    closedir(d);
}

static void shard_fail(shard_t *sh, cs_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void shard_fail(shard_t *sh, cs_status_t st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sh->error, sizeof sh->error, fmt, ap);
    va_end(ap);
    sh->st = st;
}

static cs_status_t shard_write(shard_t *sh, const cs_session_t *s)
{
    char *json = NULL;
    xc_document_t *doc = NULL;
    cs_status_t st = cs_doc_builder_json(sh->builder, s, &json);
    if (st == CS_OK)
        st = cs_doc_builder_build(sh->builder, s, json, &doc);
    if (st == CS_OK && xc_database_add_document(sh->db, doc, NULL) != XC_OK)
        st = CS_ERR_XAPIAN;
    /* A shard is scratch, so it may commit on the way (a first build's
     * memory grew with its input before, issue 13). */
    if (st == CS_OK && ++sh->added % sh->w->commit_talks == 0)
        st = commit_on_the_way(sh->db, sh->builder);
    if (st != CS_OK)
        shard_fail(sh, st, "%s:%u: cannot index the talk: %s", s->source, s->line,
                   st == CS_ERR_XAPIAN ? xc_database_status_string(sh->db)
                                       : cs_status_to_string(st));
    xc_document_destroy(doc);
    free(json);
    return st;
}

/* Makes the shard's part of the run durable, so that it can be merged. */
static void shard_finish(shard_t *sh)
{
    const char *v = CS_SCHEMA_FORMAT_VERSION;
    cs_status_t st = cs_doc_builder_flush_spelling(sh->builder);
    if (st == CS_OK &&
        (xc_database_set_metadata(sh->db, CS_META_FORMAT_KEY, v, strlen(v)) != XC_OK ||
         xc_database_commit_transaction(sh->db) != XC_OK))
        st = CS_ERR_XAPIAN;
    if (st != CS_OK)
        shard_fail(sh, st, "cannot write the shard %s: %s", sh->dir,
                   st == CS_ERR_XAPIAN ? xc_database_status_string(sh->db)
                                       : cs_status_to_string(st));
}

/* A shard thread: takes every pad in turn and writes the talks whose
 * run-wide number is its own modulo the number of shards.  Dealing talks
 * rather than files keeps the shards even however the files are sized. */
static void *shard_main(void *arg)
{
    shard_t *sh = arg;
    cs_index_writer_t *w = sh->w;
    int failed = 0;
    for (size_t seq = 0;; seq++) {
        pthread_mutex_lock(&w->lock);
        while (seq == w->produced && !w->closed)
            pthread_cond_wait(&w->changed, &w->lock);
        if (seq == w->produced) {
            failed = w->failed;
            pthread_mutex_unlock(&w->lock);
            break;
        }
        pad_job_t *job = &w->ring[seq % RING_PADS];
        failed = w->failed;
        pthread_mutex_unlock(&w->lock);

        /* The job stays put until every shard has counted it done. */
        cs_status_t st = CS_OK;
        for (size_t i = 0; !failed && st == CS_OK && i < job->pad->n_sessions; i++)
            if ((job->first + i) % w->n_shards == sh->index)
                st = shard_write(sh, &job->pad->sessions[i]);

        pthread_mutex_lock(&w->lock);
        if (st != CS_OK && !w->failed) {
            w->failed = 1;
            snprintf(w->error, sizeof w->error, "%s", sh->error);
        }
        if (--job->pending == 0) {
            cs_pad_free(job->pad);
            job->pad = NULL;
        }
        pthread_cond_broadcast(&w->changed);
        pthread_mutex_unlock(&w->lock);
    }
    if (!failed && sh->st == CS_OK) {
        shard_finish(sh);
        if (sh->st != CS_OK) {
            pthread_mutex_lock(&w->lock);
            if (!w->failed) {
                w->failed = 1;
                snprintf(w->error, sizeof w->error, "%s", sh->error);
            }
            pthread_mutex_unlock(&w->lock);
        }
    }
    /* Close the shard here, in parallel with the others. */
    cs_doc_builder_destroy(sh->builder);
    sh->builder = NULL;
    xc_database_destroy(sh->db);
    sh->db = NULL;
    return NULL;
}

/* Ends the shard threads; abandon: without finishing their shards. */
static void stop_shards(cs_index_writer_t *w, int abandon)
{
    if (!w->n_shards)
        return;
    pthread_mutex_lock(&w->lock);
    w->closed = 1;
    if (abandon)
        w->failed = 1;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->n_shards; i++) {
        shard_t *sh = &w->shards[i];
        if (sh->started)
            pthread_join(sh->thread, NULL);
        sh->started = 0;
        cs_doc_builder_destroy(sh->builder);
        xc_database_destroy(sh->db);
        sh->builder = NULL;
        sh->db = NULL;
        free(sh->dir);
        sh->dir = NULL;
    }
    for (size_t i = 0; i < RING_PADS; i++) {
        cs_pad_free(w->ring[i].pad);
        w->ring[i].pad = NULL;
    }
    pthread_cond_destroy(&w->changed);
    pthread_mutex_destroy(&w->lock);
    w->n_shards = 0;
}

static cs_status_t open_shard(shard_t *sh, char **errmsg)
{
    char *xerr = NULL;
    cs_status_t st = CS_OK;
    if (mkdir(sh->dir, 0777) != 0) {
        *errmsg = cs_strdup_printf("%s: %s", sh->dir, strerror(errno));
        return CS_ERR_IO;
    }
    if (xc_database_create_scratch(sh->dir, &sh->db, &xerr) != XC_OK) {
        *errmsg = cs_strdup_printf("%s: %s", sh->dir, xerr ? xerr : "cannot create a shard");
        st = CS_ERR_XAPIAN;
    } else if (xc_database_begin_transaction(sh->db, true) != XC_OK) {
        /* Without a transaction Xapian would commit every 500 talks (the
         * flush threshold).  Committing a shard every few thousand talks
         * halved its peak memory (Xapian holds a transaction's spelling
         * changes until the commit) but cost 15% more time: after a
         * commit every known spelling word is looked up on disk again. */
        *errmsg = cs_strdup_printf("%s: %s", sh->dir, xc_database_status_string(sh->db));
        st = CS_ERR_XAPIAN;
    } else {
        st = cs_doc_builder_create(sh->db, &sh->builder, errmsg);
    }
    free(xerr);
    return st;
}

/* The scratch directory beside the index, "<path>.build-<pid>", or NULL
 * when the index cannot be replaced by a rename: that needs a plain
 * directory on the same file system as its parent. */
static char *scratch_path(const cs_index_writer_t *w)
{
    char *base = NULL, *dir = split_index_path(w->path, &base), *scratch = NULL;
    struct stat st_index, st_dir;
    int usable = dir && lstat(w->path, &st_index) == 0 && S_ISDIR(st_index.st_mode) &&
                 stat(dir, &st_dir) == 0 && st_dir.st_dev == st_index.st_dev;
    if (usable) {
        char name[64];
        snprintf(name, sizeof name, ".build-%ld", (long)getpid());
        char *stem = path_join(dir, base);
        scratch = stem ? cs_strdup_printf("%s%s", stem, name) : NULL;
        free(stem);
    }
    free(dir);
    free(base);
    return scratch;
}

unsigned cs_index_writer_use_threads(cs_index_writer_t *w, unsigned jobs)
{
    if (!w || w->n_shards || w->n_given || jobs <= 1 || w->docs_at_open > 0 || w->copy_of)
        return w && w->n_shards ? w->n_shards : 1;
    if (jobs > CS_INDEX_MAX_THREADS)
        jobs = CS_INDEX_MAX_THREADS;
    w->scratch = scratch_path(w);
    if (!w->scratch)
        return 1;
    w->shards = calloc(jobs, sizeof *w->shards);
    int made = w->shards && mkdir(w->scratch, 0777) == 0;
    if (!made || pthread_mutex_init(&w->lock, NULL) != 0) {
        if (made)
            rmdir(w->scratch);
        free(w->shards);
        w->shards = NULL;
        free(w->scratch);
        w->scratch = NULL;
        return 1;
    }
    pthread_cond_init(&w->changed, NULL);
    w->n_shards = jobs;
    int ok = 1;
    for (unsigned i = 0; ok && i < jobs; i++) {
        shard_t *sh = &w->shards[i];
        char name[32], *errmsg = NULL;
        snprintf(name, sizeof name, "shard%u", i);
        sh->w = w;
        sh->index = i;
        sh->dir = path_join(w->scratch, name);
        ok = sh->dir && open_shard(sh, &errmsg) == CS_OK &&
             pthread_create(&sh->thread, NULL, shard_main, sh) == 0;
        sh->started = ok;
        free(errmsg);
    }
    if (!ok) {
        /* One writer still does the job, only slower. */
        stop_shards(w, 1);
        remove_tree(w->scratch);
        free(w->scratch);
        w->scratch = NULL;
        free(w->shards);
        w->shards = NULL;
        return 1;
    }
    return jobs;
}

static cs_status_t hand_over(cs_index_writer_t *w, cs_pad_t *pad)
{
    if (pad->n_sessions == 0)
        return CS_OK;
    cs_pad_t *moved = malloc(sizeof *moved);
    if (!moved)
        return CS_ERR_NO_MEMORY;
    *moved = *pad;
    pad->sessions = NULL;
    pad->n_sessions = 0;
    pthread_mutex_lock(&w->lock);
    pad_job_t *slot = &w->ring[w->produced % RING_PADS];
    while (slot->pad && !w->failed)
        pthread_cond_wait(&w->changed, &w->lock);
    int failed = w->failed;
    if (!failed) {
        *slot = (pad_job_t){moved, w->talks, w->n_shards};
        w->talks += moved->n_sessions;
        w->produced++;
        pthread_cond_broadcast(&w->changed);
    }
    pthread_mutex_unlock(&w->lock);
    if (failed) {
        cs_pad_free(moved);
        return CS_ERR_XAPIAN; /* w->error tells the shard's failure */
    }
    return CS_OK;
}

/* Writes the run's source records into the merged database, before it
 * takes the index's place.  They cannot be merged in from a database of
 * their own: when a key is in several sources (an older record of the same
 * file, in the index), Xapian's compaction keeps one value of its choosing. */
static cs_status_t update_join(cs_index_writer_t *w, xc_database_t *db, cs_doc_builder_t *b);
static cs_status_t resolve_claims(cs_index_writer_t *w);

/* The join of notes to the programme (join_index.h) is made in the merged
 * database too, before it takes the index's place. */
static cs_status_t join_merged(cs_index_writer_t *w, xc_database_t *db)
{
    cs_doc_builder_t *b = NULL;
    char *msg = NULL;
    cs_status_t st = cs_doc_builder_create(db, &b, &msg);
    if (st != CS_OK)
        set_error(w, "cannot join notes to the programme (the previous index is kept): %s",
                  msg ? msg : cs_status_to_string(st));
    free(msg);
    if (st == CS_OK) {
        /* The claims' notices, read from the merged talks. */
        xc_database_t *own_db = w->db;
        cs_doc_builder_t *own_builder = w->builder;
        w->db = db;
        w->builder = b;
        st = resolve_claims(w);
        w->db = own_db;
        w->builder = own_builder;
    }
    if (st == CS_OK)
        st = update_join(w, db, b);
    if (st == CS_OK && (st = cs_doc_builder_flush_spelling(b)) != CS_OK)
        set_error(w, "cannot store the spelling data (the previous index is kept): %s",
                  cs_status_to_string(st));
    cs_doc_builder_destroy(b);
    return st;
}

static cs_status_t store_records(cs_index_writer_t *w, const char *merged)
{
    xc_database_t *db = NULL;
    char *xerr = NULL;
    xc_status_t xs = xc_database_open_writable(merged, XC_DB_OPEN, &db, &xerr);
    if (xs == XC_OK) {
        cs_status_t st = join_merged(w, db);
        if (st != CS_OK) {
            xc_database_destroy(db);
            free(xerr);
            return st;
        }
    }
    for (size_t i = 0; xs == XC_OK && i < w->n_records; i += 2)
        xs = xc_database_set_metadata(db, w->records[i], w->records[i + 1],
                                      strlen(w->records[i + 1]));
    if (xs == XC_OK)
        xs = mark_records_revision(db);
    if (xs == XC_OK)
        xs = xc_database_commit(db);
    if (xs != XC_OK)
        set_error(w, "cannot store the source records (the previous index is kept): %s",
                  xerr ? xerr
                  : db ? xc_database_status_string(db)
                       : xc_status_to_string(xs));
    free(xerr);
    xc_database_destroy(db);
    return xs == XC_OK ? CS_OK : xs == XC_ERR_NO_MEMORY ? CS_ERR_NO_MEMORY : CS_ERR_XAPIAN;
}

/* Puts the database in directory fresh (in the scratch directory) in the
 * index's place in one step; the old index lands where fresh was. */
static cs_status_t put_in_place(cs_index_writer_t *w, const char *fresh)
{
    int swapped = renameat2(AT_FDCWD, fresh, AT_FDCWD, w->path, RENAME_EXCHANGE) == 0;
    if (!swapped && (errno == EINVAL || errno == ENOSYS)) {
        /* No exchange on this file system: two renames, with a moment
         * without an index, but never a half-written one. */
        char *old = path_join(w->scratch, "old");
        swapped = old && rename(w->path, old) == 0;
        if (swapped && rename(fresh, w->path) != 0) {
            rename(old, w->path);
            swapped = 0;
        }
        free(old);
    }
    if (!swapped) {
        set_error(w, "cannot put the new index in place of %s (the previous index is kept): %s",
                  w->path, strerror(errno));
        return CS_ERR_IO;
    }
    char *base = NULL, *dir = split_index_path(w->path, &base);
    int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
    if (dfd >= 0) {
        fsync(dfd); /* the rename itself must survive a crash */
        close(dfd);
    }
    free(dir);
    free(base);
    return CS_OK;
}

cs_status_t cs_index_writer_work_on_copy(cs_index_writer_t *w)
{
    if (!w)
        return CS_ERR_NULL_ARG;
    if (w->copy_of || w->n_shards || w->n_given || w->file_path || w->changes)
        return CS_ERR_FORMAT;
    w->scratch = scratch_path(w);
    if (!w->scratch || mkdir(w->scratch, 0777) != 0) {
        set_error(w, "cannot make a copy of %s beside it: %s", w->path,
                  w->scratch ? strerror(errno) : "not a plain directory of this file system");
        free(w->scratch);
        w->scratch = NULL;
        w->commit_talks = SIZE_MAX; /* in place then, however big */
        return CS_ERR_IO;
    }
    char *copy = path_join(w->scratch, "copy"), *xerr = NULL, *msg = NULL;
    xc_database_t *from = NULL, *db = NULL;
    cs_doc_builder_t *builder = NULL;
    /* Compaction reads the last commit, which the lock held on the index
     * keeps as it is; it leaves room in the blocks for the run's updates. */
    xc_status_t xs = copy ? xc_database_open(w->path, &from, &xerr) : XC_ERR_NO_MEMORY;
    if (xs == XC_OK && (xs = xc_database_compact(from, copy, XC_COMPACT_STANDARD)) != XC_OK)
        xerr = strdup(xc_database_status_string(from));
    xc_database_destroy(from);
    if (xs == XC_OK)
        xs = xc_database_open_writable(copy, XC_DB_OPEN, &db, &xerr);
    if (xs == XC_OK && xc_database_begin_transaction(db, true) != XC_OK) {
        xerr = strdup(xc_database_status_string(db));
        xs = XC_ERR_XAPIAN;
    }
    cs_status_t st = xs == XC_OK ? cs_doc_builder_create(db, &builder, &msg) : CS_ERR_XAPIAN;
    if (st != CS_OK) {
        set_error(w, "cannot make a copy of %s beside it: %s", w->path,
                  msg    ? msg
                  : xerr ? xerr
                         : xc_status_to_string(xs));
        xc_database_destroy(db);
        remove_tree(w->scratch);
        free(w->scratch);
        w->scratch = NULL;
        w->commit_talks = SIZE_MAX;
    } else {
        /* The index keeps no transaction of its own: only its lock. */
        xc_database_cancel_transaction(w->db);
        w->copy_of = w->db;
        w->db = db;
        cs_doc_builder_destroy(w->builder);
        w->builder = builder;
    }
    free(msg);
    free(xerr);
    free(copy);
    return st == CS_OK ? CS_OK : xs == XC_ERR_NO_MEMORY ? CS_ERR_NO_MEMORY : st;
}

/* A copy's commit: the copy takes the index's place.  Both locks are held
 * until the exchange is done. */
static cs_status_t put_copy_in_place(cs_index_writer_t *w)
{
    char *copy = path_join(w->scratch, "copy");
    cs_status_t st = copy ? put_in_place(w, copy) : CS_ERR_NO_MEMORY;
    free(copy);
    if (st != CS_OK)
        return st;
    xc_database_destroy(w->copy_of); /* the old index, now in the scratch directory */
    w->copy_of = NULL;
    remove_tree(w->scratch);
    free(w->scratch);
    w->scratch = NULL;
    return CS_OK;
}

/* Shard mode's commit: finish the shards, merge them (with whatever the
 * empty index held: metadata, spelling, synonyms) into a new database in
 * the scratch directory, and put that in the index's place atomically.
 * Until the rename the index is as it was; after it, it is complete. */
static cs_status_t commit_shards(cs_index_writer_t *w)
{
    pthread_mutex_lock(&w->lock);
    w->closed = 1;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->n_shards; i++) {
        if (w->shards[i].started)
            pthread_join(w->shards[i].thread, NULL);
        w->shards[i].started = 0;
        w->stats.added += w->shards[i].added;
    }
    if (w->failed) {
        char why[1024];
        snprintf(why, sizeof why, "%s", w->error);
        set_error(w, "cannot index (the previous index is kept): %s", why);
        return CS_ERR_XAPIAN;
    }

    char *merged = path_join(w->scratch, "merged");
    xc_database_t *all = NULL;
    char *xerr = NULL;
    xc_status_t xs = merged ? xc_database_open(w->path, &all, &xerr) : XC_ERR_NO_MEMORY;
    for (unsigned i = 0; xs == XC_OK && i < w->n_shards; i++) {
        xc_database_t *shard = NULL;
        free(xerr);
        xerr = NULL;
        xs = xc_database_open(w->shards[i].dir, &shard, &xerr);
        if (xs == XC_OK && (xs = xc_database_add_database(all, shard)) != XC_OK)
            xerr = strdup(xc_database_status_string(all));
        xc_database_destroy(shard);
    }
    if (xs == XC_OK && (xs = xc_database_compact(all, merged, XC_COMPACT_FULL)) != XC_OK)
        xerr = strdup(xc_database_status_string(all));
    xc_database_destroy(all);
    if (xs != XC_OK) {
        set_error(w, "cannot merge the shards (the previous index is kept): %s",
                  xerr ? xerr : xc_status_to_string(xs));
        free(xerr);
        free(merged);
        return xs == XC_ERR_NO_MEMORY ? CS_ERR_NO_MEMORY : CS_ERR_XAPIAN;
    }
    free(xerr);
    cs_status_t st = store_records(w, merged);
    if (st != CS_OK) {
        free(merged);
        return st;
    }

    /* The merged index takes the directory's place in one step; the old,
     * empty one lands in the scratch directory and goes with it.  The lock
     * is held on the old directory until then, so no other indexer can
     * have written to it meanwhile. */
    st = put_in_place(w, merged);
    free(merged);
    if (st != CS_OK)
        return st;
    xc_database_cancel_transaction(w->db);
    w->in_transaction = 0;
    xc_database_destroy(w->db); /* releases the lock, on the old directory */
    w->db = NULL;
    stop_shards(w, 0);
    remove_tree(w->scratch);
    free(w->scratch);
    w->scratch = NULL;
    return CS_OK;
}

/* ---- source records --------------------------------------------------------- */

/* The metadata key of the file with source term src. */
static char *record_key(const char *src)
{
    return cs_strdup_printf("%s%s", CS_META_SOURCE_PREFIX, src + strlen(CS_PREFIX_SOURCE));
}

static void forget_known(cs_index_writer_t *w)
{
    cs_source_record_clear(&w->known);
    free(w->known_path);
    w->known_path = NULL;
}

/* Whether w->known, the record of path (source term src), lets this run
 * keep the file's talks. */
static cs_status_t known_is_usable(cs_index_writer_t *w, const char *path, const char *src,
                                   bool *usable)
{
    uint32_t talks = 0;
    if (xc_database_get_termfreq(w->db, src, strlen(src), &talks) != XC_OK) {
        set_error(w, "%s: cannot count its talks: %s", path, xc_database_status_string(w->db));
        return CS_ERR_XAPIAN;
    }
    /* The same count of talks under the file's source term is enough: only
     * processing this file adds talks under it (and rewrites the record),
     * so a lower count means that another file's talk replaced one of them
     * (in a run without this file), or that something deleted it. */
    *usable = w->records_trusted && strcmp(w->known.build, w->build_id) == 0 &&
              w->known.name == cs_source_record_name(path) && talks == w->known.n_talks;
    return CS_OK;
}

cs_status_t cs_index_writer_file_digest(cs_index_writer_t *w, const char *path,
                                        cs_notes_digest_t *digest, bool *usable)
{
    if (!w || !path || !digest || !usable)
        return CS_ERR_NULL_ARG;
    *usable = false;
    forget_known(w);
    char *src = cs_schema_source_term(path), *key = src ? record_key(src) : NULL;
    char *value = NULL;
    size_t len = 0;
    cs_status_t st = key ? CS_OK : CS_ERR_NO_MEMORY;
    if (st == CS_OK && xc_database_get_metadata(w->db, key, &value, &len) != XC_OK) {
        set_error(w, "%s: cannot read its record: %s", path, xc_database_status_string(w->db));
        st = CS_ERR_XAPIAN;
    }
    if (st == CS_OK && value) {
        st = cs_source_record_parse(value, len, &w->known);
        if (st == CS_ERR_FORMAT)
            st = CS_OK; /* not a record of ours: the file is processed and recorded anew */
        else if (st == CS_OK)
            st = known_is_usable(w, path, src, usable);
    }
    if (st == CS_OK && *usable && !(w->known_path = strdup(path)))
        st = CS_ERR_NO_MEMORY;
    if (st == CS_OK && *usable) {
        *digest = w->known.digest;
    } else {
        *usable = false;
        forget_known(w);
    }
    free(value);
    free(key);
    free(src);
    return st;
}

cs_status_t cs_index_writer_keep_file(cs_index_writer_t *w, const char *path, size_t *talks)
{
    if (!w || !path)
        return CS_ERR_NULL_ARG;
    if (!w->known_path || strcmp(w->known_path, path) != 0)
        return CS_ERR_FORMAT;
    cs_status_t st = CS_OK;
    for (size_t i = 0; st == CS_OK && i < w->known.n_talks; i++)
        st = claim_id(w, w->known.ids[i]);
    if (st == CS_OK) {
        w->stats.unchanged += w->known.n_talks;
        w->stats.files_kept++;
        if (talks)
            *talks = w->known.n_talks;
    } else {
        set_error(w, "%s: out of memory", path);
    }
    forget_known(w);
    return st;
}

cs_status_t cs_index_writer_set_build_id(cs_index_writer_t *w, const char *id)
{
    if (!w || !id)
        return CS_ERR_NULL_ARG;
    char *copy = strdup(id);
    if (!copy)
        return CS_ERR_NO_MEMORY;
    free(w->build_id);
    w->build_id = copy;
    return CS_OK;
}

/* Shard mode keeps the records for the commit (store_records). */
static cs_status_t keep_record(cs_index_writer_t *w, char *key, char *value)
{
    if (!cs_grow(&w->records, &w->cap_records, w->n_records + 2, sizeof *w->records, 64))
        return CS_ERR_NO_MEMORY;
    w->records[w->n_records++] = key;
    w->records[w->n_records++] = value;
    return CS_OK;
}

/* Forgets the file begun, if any. */
static void end_file_state(cs_index_writer_t *w)
{
    free(w->file_path);
    free(w->file_src);
    free(w->file_key);
    w->file_path = w->file_src = w->file_key = NULL;
    free(cs_source_record_finish(&w->record));
    w->recorded = false;
}

cs_status_t cs_index_writer_begin_file(cs_index_writer_t *w, const char *path,
                                       const cs_notes_digest_t *digest)
{
    if (!w || !path)
        return CS_ERR_NULL_ARG;
    forget_known(w);
    end_file_state(w);
    w->file_st = CS_OK;
    w->n_written = 0;
    w->files++;
    w->file_path = strdup(path);
    w->file_src = cs_schema_source_term(path);
    w->file_key = w->file_src ? record_key(w->file_src) : NULL;
    w->recorded = digest != NULL;
    if (!w->file_path || !w->file_key ||
        (digest && !cs_source_record_start(&w->record, digest, w->build_id, path))) {
        end_file_state(w);
        set_error(w, "%s: out of memory", path);
        return CS_ERR_NO_MEMORY;
    }
    return CS_OK;
}

cs_status_t cs_index_writer_add_talks(cs_index_writer_t *w, cs_pad_t *batch)
{
    if (!w || !batch)
        return CS_ERR_NULL_ARG;
    if (!w->file_path)
        return CS_ERR_FORMAT;
    cs_status_t st = w->file_st;
    if (w->n_shards) {
        /* Ids are given here, in the order of the files and talks as in a
         * single-threaded run, then the talks go to the shards. */
        for (size_t i = 0; st == CS_OK && i < batch->n_sessions; i++)
            if ((st = assign_id(w, &batch->sessions[i])) != CS_OK)
                set_error(w, "%s:%u: %s", batch->sessions[i].source, batch->sessions[i].line,
                          cs_status_to_string(st));
        if (st == CS_OK)
            st = hand_over(w, batch);
    } else {
        for (size_t i = 0; st == CS_OK && i < batch->n_sessions; i++)
            st = write_session(w, &batch->sessions[i], w->file_src);
    }
    w->file_st = st;
    return st;
}

/* Stores the file's record, replacing the one it had: value NULL (no
 * digest, or not all its talks written) removes it, so that no stale
 * record can vouch for them. */
static cs_status_t store_record(cs_index_writer_t *w, char *value, bool report)
{
    const char *path = w->file_path, *key = w->file_key;
    size_t vlen = value ? strlen(value) : 0, olen = 0;
    char *old = NULL;
    /* The same record again (a file that can never be kept, --rescan) is
     * not a change: no write, so no commit for it. */
    bool same = xc_database_get_metadata(w->db, key, &old, &olen) == XC_OK && olen == vlen &&
                (vlen == 0 || memcmp(old, value, vlen) == 0);
    free(old);
    cs_status_t st = CS_OK;
    if (!same && xc_database_set_metadata(w->db, key, value ? value : "", vlen) != XC_OK) {
        if (report)
            set_error(w, "%s: cannot store its record: %s", path, xc_database_status_string(w->db));
        st = CS_ERR_XAPIAN;
    }
    w->wrote = w->wrote || !same;
    free(value);
    return st;
}

cs_status_t cs_index_writer_end_file(cs_index_writer_t *w)
{
    if (!w)
        return CS_ERR_NULL_ARG;
    if (!w->file_path)
        return CS_ERR_FORMAT;
    cs_status_t st = w->file_st;
    bool recorded = w->recorded;
    char *value = cs_source_record_finish(&w->record);
    if (st == CS_OK && recorded && !value) {
        set_error(w, "%s: out of memory", w->file_path);
        st = CS_ERR_NO_MEMORY;
    }
    if (w->n_shards) {
        /* Without a digest nothing is recorded, and an older record of the
         * file stays: the index has no talks, so it lists none, and it no
         * longer matches the count of the file's talks unless the file
         * still has none, which it is then right about.  The writer keeps
         * key and value until the commit (store_records). */
        if (st == CS_OK && value) {
            st = keep_record(w, w->file_key, value);
            if (st == CS_OK) {
                w->file_key = NULL;
                value = NULL;
            } else {
                set_error(w, "%s: out of memory", w->file_path);
            }
        }
        free(value);
    } else {
        if (st == CS_OK)
            st = delete_vanished(w, w->file_path, w->file_src);
        if (st != CS_OK) {
            free(value);
            value = NULL;
        }
        cs_status_t rst = store_record(w, value, st == CS_OK);
        st = st == CS_OK ? rst : st;
    }
    end_file_state(w);
    return st;
}

cs_status_t cs_index_writer_add_file_with_digest(cs_index_writer_t *w, const char *path,
                                                 cs_pad_t *pad, const cs_notes_digest_t *digest)
{
    if (!w || !path || !pad)
        return CS_ERR_NULL_ARG;
    cs_status_t st = cs_index_writer_begin_file(w, path, digest);
    if (st == CS_OK)
        st = cs_index_writer_add_talks(w, pad);
    cs_status_t est = st == CS_OK || w->file_path ? cs_index_writer_end_file(w) : st;
    return st == CS_OK ? est : st;
}

cs_status_t cs_index_writer_add_file(cs_index_writer_t *w, const char *path, cs_pad_t *pad)
{
    return cs_index_writer_add_file_with_digest(w, path, pad, NULL);
}

/* ---- who owns an id ---------------------------------------------------------- */

/* One document claiming a base id, with what puts it in order: the source
 * key of its file, its line there, and its data (two talks of one line). */
typedef struct {
    xc_docid_t docid;
    char src[CS_TERM_BUF_BYTES];
    char id[CS_TERM_BUF_BYTES];
    unsigned line;
    bool programme; /* a programme talk's: notes at its slot join it, no notice */
    char *name;     /* the talk's file name, for notices (NULL: none stored) */
    char *data;
    size_t len;
} claimant_t;

static int by_claim_order(const void *a, const void *b)
{
    const claimant_t *x = a, *y = b;
    cs_claim_t cx = {x->programme, x->src, x->line, x->data, x->len};
    cs_claim_t cy = {y->programme, y->src, y->line, y->data, y->len};
    return cs_schema_claim_compare(&cx, &cy);
}

static cs_status_t read_claimant(cs_index_writer_t *w, xc_docid_t docid, claimant_t *c)
{
    memset(c, 0, sizeof *c);
    c->docid = docid;
    xc_document_t *doc = NULL;
    cs_status_t st = CS_ERR_XAPIAN;
    if (xc_database_get_document(w->db, docid, &doc) == XC_OK &&
        doc_term(doc, CS_PREFIX_SOURCE, c->src, sizeof c->src) == XC_OK &&
        doc_term(doc, CS_PREFIX_ID, c->id, sizeof c->id) == XC_OK &&
        xc_document_get_data(doc, &c->data, &c->len) == XC_OK)
        st = CS_OK;
    xc_document_destroy(doc);
    char *own = NULL;
    if (st == CS_OK) {
        /* One parse for both: the order needs the line, a notice the name;
         * a pair's document is ordered as its programme talk. */
        json_t *obj = cs_join_index_own_json(c->data, c->len, &own)
                          ? json_loads(own, 0, NULL)
                          : json_loadb(c->data, c->len, 0, NULL);
        c->programme = json_is_true(json_object_get(obj, "programme"));
        c->line = (unsigned)json_integer_value(json_object_get(obj, "line"));
        const char *name = json_string_value(json_object_get(obj, "source"));
        if (name && !(c->name = strdup(name)))
            st = CS_ERR_NO_MEMORY;
        json_decref(obj);
    }
    free(own);
    return st;
}

/* Gives the document of c the id `id`: its id term and the id in its
 * stored JSON, nothing else, as a fresh build would have written it. */
static cs_status_t rekey(cs_index_writer_t *w, const claimant_t *c, const char *id)
{
    cs_session_t sess = {0};
    char *json = NULL, oldterm[CS_TERM_BUF_BYTES], newterm[CS_TERM_BUF_BYTES];
    size_t oldlen, newlen;
    /* A pair's document (join_index.h) keeps its programme talk's JSON. */
    cs_status_t st = cs_join_index_rekey_json(w->builder, c->data, c->len, id, &json);
    if (st == CS_ERR_FORMAT) {
        st = cs_schema_session_from_json(c->data, c->len, &sess);
        if (st != CS_OK)
            return st;
        free(sess.id);
        sess.id = strdup(id);
        st = sess.id ? cs_doc_builder_json(w->builder, &sess, &json) : CS_ERR_NO_MEMORY;
    }
    if (st == CS_OK)
        st = cs_term_filter(NULL, CS_FILTER_ID, c->id + strlen(CS_PREFIX_ID),
                            strlen(c->id) - strlen(CS_PREFIX_ID), oldterm, &oldlen);
    if (st == CS_OK)
        st = cs_term_filter(NULL, CS_FILTER_ID, id, strlen(id), newterm, &newlen);
    xc_document_t *doc = NULL;
    if (st == CS_OK && (xc_database_get_document(w->db, c->docid, &doc) != XC_OK ||
                        xc_document_remove_term(doc, oldterm, oldlen) != XC_OK ||
                        xc_document_add_boolean_term(doc, newterm, newlen) != XC_OK ||
                        xc_document_set_data(doc, json, strlen(json)) != XC_OK ||
                        xc_database_replace_document_at(w->db, c->docid, doc) != XC_OK))
        st = CS_ERR_XAPIAN;
    xc_document_destroy(doc);
    free(json);
    cs_session_clear(&sess);
    return st;
}

/* Puts the claimants of base in the rule's order (schema/README.md, "Who
 * owns an id"): by their file's source key, then line; the first has base,
 * the k-th base-k.  Documents whose id differs are re-keyed. */
static cs_status_t resolve_base(cs_index_writer_t *w, const char *base, size_t blen)
{
    char term[CS_TERM_BUF_BYTES];
    size_t tlen;
    cs_status_t st = cs_term_filter(NULL, CS_FILTER_BASE, base, blen, term, &tlen);
    if (st != CS_OK)
        return st == CS_ERR_FORMAT || st == CS_ERR_LIMIT ? CS_OK : st;
    cs_docid_list_t list = {0};
    if (xc_database_postlist(w->db, term, tlen, cs_docid_list_add, &list) != XC_OK || list.failed) {
        free(list.ids);
        return list.failed ? CS_ERR_NO_MEMORY : CS_ERR_XAPIAN;
    }
    if (list.n == 1) {
        /* The one claimant (a re-run's most common case) is in order when
         * it has the base id itself: no need to read its talk. */
        xc_document_t *doc = NULL;
        char id[CS_TERM_BUF_BYTES];
        bool in_order = xc_database_get_document(w->db, list.ids[0], &doc) == XC_OK &&
                        doc_term(doc, CS_PREFIX_ID, id, sizeof id) == XC_OK &&
                        strlen(id) == strlen(CS_PREFIX_ID) + blen &&
                        memcmp(id + strlen(CS_PREFIX_ID), base, blen) == 0;
        xc_document_destroy(doc);
        if (in_order) {
            free(list.ids);
            return CS_OK;
        }
    }
    claimant_t *c = list.n ? calloc(list.n, sizeof *c) : NULL;
    if (list.n && !c)
        st = CS_ERR_NO_MEMORY;
    for (size_t i = 0; st == CS_OK && i < list.n; i++)
        st = read_claimant(w, list.ids[i], &c[i]);
    if (st == CS_OK && list.n > 1)
        qsort(c, list.n, sizeof *c, by_claim_order);
    for (size_t k = 0; st == CS_OK && k < list.n; k++) {
        char id[ID_BYTES];
        if (k == 0)
            snprintf(id, sizeof id, "%.*s", (int)blen, base);
        else
            snprintf(id, sizeof id, "%.*s-%zu", (int)blen, base, k + 1);
        if (strcmp(c[k].id + strlen(CS_PREFIX_ID), id) != 0) {
            st = rekey(w, &c[k], id);
            w->wrote = w->wrote || st == CS_OK;
            if (st == CS_OK)
                st = note_change(w);
        }
        if (st == CS_OK && k > 0 && w->notice && strcmp(c[k].src, c[0].src) != 0 &&
            !c[0].programme && !c[k].programme) {
            char msg[800];
            snprintf(msg, sizeof msg, "%s:%u: same slot as %s:%u (%.*s); kept both as %s",
                     c[k].name ? c[k].name : "?", c[k].line, c[0].name ? c[0].name : "?", c[0].line,
                     (int)blen, base, id);
            w->notice(msg, w->notice_ctx);
        }
    }
    for (size_t i = 0; c && i < list.n; i++) {
        free(c[i].name);
        free(c[i].data);
    }
    free(c);
    free(list.ids);
    return st;
}

/* Every base id this run claimed or gave up, put in order, with a notice
 * for each talk sharing its base id with another file's.  A first build
 * re-keys nothing (its files come in source-key order, so each claim got
 * its place as it came) but says the same of every base id claimed twice. */
static cs_status_t resolve_claims(cs_index_writer_t *w)
{
    const char *base;
    size_t len;
    int64_t v;
    cs_status_t st = CS_OK;
    for (size_t at = 0; st == CS_OK && cs_strmap_next(w->ids, &at, &base, &len, &v);)
        if ((v & ID_TOUCHED) || (w->docs_at_open == 0 && (v & ID_ACROSS)))
            st = resolve_base(w, base, len);
    if (st != CS_OK)
        set_error(w, "cannot put the talks sharing an id in order (the previous index is kept): %s",
                  st == CS_ERR_XAPIAN ? xc_database_status_string(w->db) : cs_status_to_string(st));
    return st;
}

cs_status_t cs_index_writer_prune(cs_index_writer_t *w, size_t *files)
{
    if (!w || !files)
        return CS_ERR_NULL_ARG;
    *files = 0;
    if (w->n_shards)
        return CS_OK; /* a first build: nothing indexed to prune */
    cs_term_list_t list = {0};
    cs_status_t st = CS_OK;
    if (xc_database_allterms(w->db, CS_PREFIX_SOURCE, strlen(CS_PREFIX_SOURCE), cs_term_list_add,
                             &list) != XC_OK ||
        list.failed) {
        set_error(w, "cannot list the indexed files: %s", xc_database_status_string(w->db));
        st = list.failed ? CS_ERR_NO_MEMORY : CS_ERR_XAPIAN;
    }
    for (size_t i = 0; st == CS_OK && i < list.n; i++) {
        const char *path = list.terms[i] + strlen(CS_PREFIX_SOURCE);
        struct stat sb;
        /* A key that is a hash (a path too long for a term) names no file
         * we can look for: such files are kept. */
        if (path[0] != '/' || lstat(path, &sb) == 0 || errno != ENOENT)
            continue;
        w->n_written = 0;
        st = delete_vanished(w, path, list.terms[i]);
        char *key = st == CS_OK ? record_key(list.terms[i]) : NULL;
        if (st == CS_OK && !key)
            st = CS_ERR_NO_MEMORY;
        if (st == CS_OK && xc_database_set_metadata(w->db, key, "", 0) != XC_OK) {
            set_error(w, "%s: cannot remove its record: %s", path,
                      xc_database_status_string(w->db));
            st = CS_ERR_XAPIAN;
        }
        free(key);
        if (st == CS_OK) {
            (*files)++;
            w->wrote = true;
        }
    }
    cs_term_list_clear(&list);
    return st;
}

/* The join of notes to the programme, after the ids are settled: the
 * pair's id is its programme talk's. */
static cs_status_t update_join(cs_index_writer_t *w, xc_database_t *db, cs_doc_builder_t *b)
{
    cs_join_index_stats_t js;
    char why[512];
    cs_status_t st = cs_join_index_update(db, b, &js, why, sizeof why);
    if (st != CS_OK) {
        set_error(w, "%s (the previous index is kept)", why[0] ? why : cs_status_to_string(st));
        return st;
    }
    w->stats.joined = js.joined;
    w->wrote = w->wrote || js.rewritten > 0;
    return CS_OK;
}

void cs_index_writer_set_notice(cs_index_writer_t *w, cs_index_notice_fn fn, void *ctx)
{
    if (w) {
        w->notice = fn;
        w->notice_ctx = ctx;
    }
}

cs_status_t cs_index_writer_commit(cs_index_writer_t *w)
{
    if (!w)
        return CS_ERR_NULL_ARG;
    if (w->n_shards)
        return commit_shards(w);
    cs_status_t st = resolve_claims(w);
    if (st == CS_OK && (w->wrote || w->docs_at_open == 0))
        st = update_join(w, w->db, w->builder);
    if (st != CS_OK)
        return st;
    if (!w->wrote && w->docs_at_open > 0) {
        /* Nothing to commit; the format key was checked at open. */
        xc_database_cancel_transaction(w->db);
        w->in_transaction = 0;
        return CS_OK;
    }
    const char *v = CS_SCHEMA_FORMAT_VERSION;
    st = cs_doc_builder_flush_spelling(w->builder);
    if (st != CS_OK) {
        set_error(w, "cannot store the spelling data (the previous index is kept): %s",
                  st == CS_ERR_NO_MEMORY ? "out of memory" : xc_database_status_string(w->db));
        return st;
    }
    if (xc_database_set_metadata(w->db, CS_META_FORMAT_KEY, v, strlen(v)) != XC_OK ||
        mark_records_revision(w->db) != XC_OK || xc_database_commit_transaction(w->db) != XC_OK) {
        set_error(w, "cannot commit the index (the previous index is kept): %s",
                  xc_database_status_string(w->db));
        return CS_ERR_XAPIAN;
    }
    w->in_transaction = 0;
    return w->copy_of ? put_copy_in_place(w) : CS_OK;
}

void cs_index_writer_destroy(cs_index_writer_t *w)
{
    if (!w)
        return;
    stop_shards(w, 1);
    if (w->copy_of) {
        /* An unfinished copy goes with the scratch directory. */
        if (w->in_transaction)
            xc_database_cancel_transaction(w->db);
        xc_database_destroy(w->db);
        w->db = w->copy_of;
        w->in_transaction = 0;
    }
    if (w->scratch)
        remove_tree(w->scratch);
    free(w->scratch);
    free(w->shards);
    if (w->in_transaction)
        xc_database_cancel_transaction(w->db);
    cs_doc_builder_destroy(w->builder);
    xc_database_destroy(w->db);
    free(w->path);
    free(w->build_id);
    forget_known(w);
    for (size_t i = 0; i < w->n_records; i++)
        free(w->records[i]);
    free(w->records);
    cs_strmap_destroy(w->ids);
    end_file_state(w);
    free(w->written);
    free(w);
}

const cs_index_stats_t *cs_index_writer_stats(const cs_index_writer_t *w)
{
    return w ? &w->stats : NULL;
}

const char *cs_index_writer_error(const cs_index_writer_t *w)
{
    return w ? w->error : "";
}
