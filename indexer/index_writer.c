/* index_writer.c: an indexing run, committed in one transaction. */
#include "index_writer.h"

#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "session_doc.h"
#include "xapian-c.h"

struct cs_index_writer {
    xc_database_t *db;
    cs_doc_builder_t *builder;
    cs_index_stats_t stats;
    void *seen;      /* tsearch tree of the ids written by this run */
    char **ids;      /* the same ids, to free them */
    size_t n_ids, cap_ids;
    int in_transaction;
    char error[1024];
};

__attribute__((format(printf, 2, 3))) static void set_error(cs_index_writer_t *w,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->error, sizeof w->error, fmt, ap);
    va_end(ap);
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

__attribute__((format(printf, 1, 2))) static char *dup_message(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (out)
        vsnprintf(out, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return out;
}

cs_status_t cs_index_writer_open(const char *path, cs_index_writer_t **out, char **errmsg)
{
    if (!path || !out)
        return CS_ERR_NULL_ARG;
    cs_index_writer_t *w = calloc(1, sizeof *w);
    if (!w)
        return CS_ERR_NO_MEMORY;
    char *xerr = NULL;
    xc_status_t xs = xc_database_open_writable(path, XC_DB_CREATE_OR_OPEN, &w->db, &xerr);
    if (xs != XC_OK) {
        if (errmsg)
            *errmsg = dup_message(xs == XC_ERR_LOCKED
                                      ? "%s: the index is locked by another indexer (%s)"
                                      : "%s: cannot open the index for writing: %s",
                                  path, xerr ? xerr : xc_status_to_string(xs));
        free(xerr);
        free(w);
        return xs == XC_ERR_LOCKED ? CS_ERR_LOCKED : CS_ERR_XAPIAN;
    }
    char *version = NULL;
    size_t vlen = 0;
    uint32_t docs = 0;
    if (xc_database_get_metadata(w->db, CS_META_FORMAT_KEY, &version, &vlen) != XC_OK ||
        xc_database_get_doccount(w->db, &docs) != XC_OK) {
        if (errmsg)
            *errmsg = dup_message("%s: cannot read the index: %s", path,
                                  xc_database_status_string(w->db));
        cs_index_writer_destroy(w);
        return CS_ERR_XAPIAN;
    }
    if ((version && strcmp(version, CS_SCHEMA_FORMAT_VERSION) != 0) || (!version && docs > 0)) {
        if (errmsg)
            *errmsg = dup_message("%s: the index has format version %s; this indexer writes "
                                  "version " CS_SCHEMA_FORMAT_VERSION
                                  " (index into a new directory, or remove the old index)",
                                  path, version ? version : "none (not a confsearch index)");
        free(version);
        cs_index_writer_destroy(w);
        return CS_ERR_VERSION;
    }
    free(version);
    cs_status_t st = cs_doc_builder_create(w->db, &w->builder, errmsg);
    if (st != CS_OK) {
        cs_index_writer_destroy(w);
        return st;
    }
    /* One transaction for the run: Xapian would otherwise commit on its
     * own every 10,000 changes, and a crash would leave half a run. */
    if (xc_database_begin_transaction(w->db, true) != XC_OK) {
        if (errmsg)
            *errmsg = dup_message("%s: cannot start a transaction: %s", path,
                                  xc_database_status_string(w->db));
        cs_index_writer_destroy(w);
        return CS_ERR_XAPIAN;
    }
    w->in_transaction = 1;
    *out = w;
    return CS_OK;
}

/* Gives s an id no other session of this run has, and records it. */
static cs_status_t assign_id(cs_index_writer_t *w, cs_session_t *s)
{
    char base[CS_MAX_ID_BYTES], id[CS_MAX_ID_BYTES + 16];
    cs_schema_session_id(s, base);
    snprintf(id, sizeof id, "%s", base);
    for (int n = 2; tfind(id, &w->seen, compare_ids); n++)
        snprintf(id, sizeof id, "%s-%d", base, n);
    if (w->n_ids == w->cap_ids) {
        size_t cap = w->cap_ids ? w->cap_ids * 2 : 256;
        char **grown = realloc(w->ids, cap * sizeof *grown);
        if (!grown)
            return CS_ERR_NO_MEMORY;
        w->ids = grown;
        w->cap_ids = cap;
    }
    char *copy = strdup(id);
    free(s->id);
    s->id = strdup(id);
    if (!copy || !s->id || !tsearch(copy, &w->seen, compare_ids)) {
        free(copy);
        return CS_ERR_NO_MEMORY;
    }
    w->ids[w->n_ids++] = copy;
    return CS_OK;
}

static int first_docid(xc_docid_t docid, void *ctx)
{
    *(xc_docid_t *)ctx = docid;
    return 1;
}

/* The stored JSON of the document with unique term idterm, or NULL. */
static char *stored_json(cs_index_writer_t *w, const char *idterm)
{
    xc_docid_t docid = 0;
    if (xc_database_postlist(w->db, idterm, strlen(idterm), first_docid, &docid) != XC_OK ||
        !docid)
        return NULL;
    xc_document_t *doc = NULL;
    char *data = NULL;
    size_t len;
    if (xc_database_get_document(w->db, docid, &doc) == XC_OK)
        xc_document_get_data(doc, &data, &len);
    xc_document_destroy(doc);
    return data;
}

static cs_status_t write_session(cs_index_writer_t *w, cs_session_t *s)
{
    cs_status_t st = assign_id(w, s);
    char *json = NULL, idterm[CS_MAX_ID_BYTES + 32];
    if (st == CS_OK)
        st = cs_doc_builder_json(w->builder, s, &json);
    if (st != CS_OK) {
        set_error(w, "%s:%u: %s", s->source, s->line, cs_status_to_string(st));
        return st;
    }
    snprintf(idterm, sizeof idterm, "%s%s", CS_PREFIX_ID, s->id);
    char *old = stored_json(w, idterm);
    if (old && strcmp(old, json) == 0) {
        w->stats.unchanged++;
        free(old);
        free(json);
        return CS_OK;
    }
    xc_document_t *doc = NULL;
    st = cs_doc_builder_build(w->builder, s, json, &doc);
    if (st == CS_OK &&
        xc_database_replace_document(w->db, idterm, strlen(idterm), doc, NULL) != XC_OK)
        st = CS_ERR_XAPIAN;
    if (st == CS_OK)
        old ? w->stats.updated++ : w->stats.added++;
    else
        set_error(w, "%s:%u: cannot index the talk: %s", s->source, s->line,
                  st == CS_ERR_XAPIAN ? xc_database_status_string(w->db)
                                      : cs_status_to_string(st));
    xc_document_destroy(doc);
    free(old);
    free(json);
    return st;
}

typedef struct {
    xc_docid_t *ids;
    size_t n, cap;
    int failed;
} docid_list_t;

static int collect_docid(xc_docid_t docid, void *ctx)
{
    docid_list_t *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        xc_docid_t *grown = realloc(l->ids, cap * sizeof *grown);
        if (!grown) {
            l->failed = 1;
            return 1;
        }
        l->ids = grown;
        l->cap = cap;
    }
    l->ids[l->n++] = docid;
    return 0;
}

static int copy_id_term(const char *term, size_t len, uint32_t freq, void *ctx)
{
    (void)freq;
    char *out = ctx;
    size_t n = len < CS_MAX_ID_BYTES + 31 ? len : CS_MAX_ID_BYTES + 31;
    memcpy(out, term, n);
    out[n] = '\0';
    return 1;
}

/* Deletes the documents from source term src whose ids this run did not write. */
static cs_status_t delete_vanished(cs_index_writer_t *w, const char *path, const char *src)
{
    docid_list_t list = {0};
    if (xc_database_postlist(w->db, src, strlen(src), collect_docid, &list) != XC_OK ||
        list.failed) {
        set_error(w, "%s: cannot list its indexed talks: %s", path,
                  xc_database_status_string(w->db));
        free(list.ids);
        return CS_ERR_XAPIAN;
    }
    cs_status_t st = CS_OK;
    for (size_t i = 0; st == CS_OK && i < list.n; i++) {
        xc_document_t *doc = NULL;
        char idterm[CS_MAX_ID_BYTES + 32] = "";
        if (xc_database_get_document(w->db, list.ids[i], &doc) != XC_OK ||
            xc_document_termlist(doc, CS_PREFIX_ID, strlen(CS_PREFIX_ID), copy_id_term,
                                 idterm) != XC_OK)
            st = CS_ERR_XAPIAN;
        xc_document_destroy(doc);
        const char *id = idterm + strlen(CS_PREFIX_ID);
        if (st == CS_OK && (!idterm[0] || !tfind(id, &w->seen, compare_ids))) {
            if (xc_database_delete_document(w->db, list.ids[i]) == XC_OK)
                w->stats.deleted++;
            else
                st = CS_ERR_XAPIAN;
        }
        if (st != CS_OK)
            set_error(w, "%s: cannot remove a vanished talk: %s", path,
                      xc_database_status_string(w->db));
    }
    free(list.ids);
    return st;
}

cs_status_t cs_index_writer_add_file(cs_index_writer_t *w, const char *path, cs_pad_t *pad)
{
    if (!w || !path || !pad)
        return CS_ERR_NULL_ARG;
    for (size_t i = 0; i < pad->n_sessions; i++) {
        cs_status_t st = write_session(w, &pad->sessions[i]);
        if (st != CS_OK)
            return st;
    }
    char *src = cs_schema_source_term(path);
    if (!src)
        return CS_ERR_NO_MEMORY;
    cs_status_t st = delete_vanished(w, path, src);
    free(src);
    return st;
}

cs_status_t cs_index_writer_commit(cs_index_writer_t *w)
{
    if (!w)
        return CS_ERR_NULL_ARG;
    const char *v = CS_SCHEMA_FORMAT_VERSION;
    if (xc_database_set_metadata(w->db, CS_META_FORMAT_KEY, v, strlen(v)) != XC_OK ||
        xc_database_commit_transaction(w->db) != XC_OK) {
        set_error(w, "cannot commit the index (the previous index is kept): %s",
                  xc_database_status_string(w->db));
        return CS_ERR_XAPIAN;
    }
    w->in_transaction = 0;
    return CS_OK;
}

void cs_index_writer_destroy(cs_index_writer_t *w)
{
    if (!w)
        return;
    if (w->in_transaction)
        xc_database_cancel_transaction(w->db);
    cs_doc_builder_destroy(w->builder);
    xc_database_destroy(w->db);
    for (size_t i = 0; i < w->n_ids; i++) {
        tdelete(w->ids[i], &w->seen, compare_ids);
        free(w->ids[i]);
    }
    free(w->ids);
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
