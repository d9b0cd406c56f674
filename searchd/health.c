/* health.c: /healthz: the index opens, a sample read of postings and one
 * talk works, and the last request that met damage is answered again
 * (health.h). */
#include "health.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "schema.h"
#include "search_internal.h"
#include "xapian-c.h"

/* One witness: the request, its strings in buf. */
typedef struct {
    cs_witness_kind_t kind;
    cs_search_request_t req; /* q is the suggest prefix or the talk id for those kinds */
    char *buf;
} witness_t;

struct cs_witness_store {
    pthread_mutex_t lock; /* guards what follows */
    witness_t witness;    /* buf NULL: none */
    unsigned long seq;    /* bumped by each witness recorded */
};

static void witness_clear(witness_t *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

/* A deep copy of req into out (its strings in one buffer). */
static bool witness_copy(cs_witness_kind_t kind, const cs_search_request_t *req, witness_t *out)
{
    size_t total = req->q.len + 1;
    for (int f = 0; f < CS_FACET_COUNT; f++)
        for (size_t i = 0; i < req->n_filters[f]; i++)
            total += req->filters[f][i].len + 1;
    char *buf = malloc(total), *at = buf;
    if (!buf)
        return false;
    out->kind = kind;
    out->req = *req;
    out->buf = buf;
    cs_str_t *strs[1 + CS_FACET_COUNT * CS_QUERY_MAX_FILTERS];
    size_t n = 0;
    strs[n++] = &out->req.q;
    for (int f = 0; f < CS_FACET_COUNT; f++)
        for (size_t i = 0; i < req->n_filters[f]; i++)
            strs[n++] = &out->req.filters[f][i];
    for (size_t i = 0; i < n; i++) {
        if (strs[i]->len)
            memcpy(at, strs[i]->value, strs[i]->len);
        at[strs[i]->len] = '\0';
        strs[i]->value = at;
        at += strs[i]->len + 1;
    }
    return true;
}

cs_status_t cs_witness_store_create(cs_witness_store_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    cs_witness_store_t *w = calloc(1, sizeof *w);
    if (!w)
        return CS_ERR_NO_MEMORY;
    pthread_mutex_init(&w->lock, NULL);
    *out = w;
    return CS_OK;
}

void cs_witness_store_destroy(cs_witness_store_t *w)
{
    if (!w)
        return;
    pthread_mutex_destroy(&w->lock);
    witness_clear(&w->witness);
    free(w);
}

void cs_witness_store_record(cs_witness_store_t *store, cs_witness_kind_t kind,
                             const cs_search_request_t *req)
{
    witness_t w;
    pthread_mutex_lock(&store->lock);
    if (witness_copy(kind, req, &w)) {
        witness_clear(&store->witness);
        store->witness = w;
        store->seq++;
    }
    pthread_mutex_unlock(&store->lock);
}

/* Reads what a search reads (postings, the first talk's stored data), so
 * that a damaged table shows here and not only in searches. */
static bool probe_index(cs_searcher_t *s)
{
    xc_query_t *all = NULL;
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    json_t *hit = NULL;
    xc_status_t xs = cs_query_all_talks(&all);
    if (xs == XC_OK && (xs = xc_enquire_create(s->db, &enq, NULL)) == XC_OK &&
        (xs = xc_enquire_set_query(enq, all)) == XC_OK &&
        (xs = xc_enquire_get_mset(enq, 0, 1, 0, &mset)) != XC_OK)
        snprintf(s->reason, sizeof s->reason, "index %s cannot be searched: %s", s->path,
                 xc_enquire_status_string(enq));
    char why[200] = "";
    cs_read_t read = CS_READ_OK;
    if (xs == XC_OK && xc_mset_size(mset) > 0 &&
        (read = cs_search_hit(mset, 0, NULL, false, &hit, why, sizeof why)) != CS_READ_OK)
        snprintf(s->reason, sizeof s->reason, "index %s: a talk cannot be read: %s", s->path,
                 why[0] ? why : "unknown error");
    json_decref(hit);
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    xc_query_destroy(all);
    return xs == XC_OK && read == CS_READ_OK;
}

/* Asks the last request that met damage again, on this thread's handle.
 * True when there is none or it is answered now (the index was repaired or
 * replaced): the witness is then dropped.  False with s->reason set by
 * the retry, so the reason is today's. */
static bool witness_answered(cs_searcher_t *s)
{
    cs_witness_store_t *sh = s->shared->witnesses;
    witness_t w = {0};
    pthread_mutex_lock(&sh->lock);
    unsigned long seq = sh->seq;
    bool have = sh->witness.buf != NULL;
    bool copied = have && witness_copy(sh->witness.kind, &sh->witness.req, &w);
    pthread_mutex_unlock(&sh->lock);
    if (!have)
        return true;
    if (!copied) {
        snprintf(s->reason, sizeof s->reason, "out of memory");
        return false;
    }
    int status = 0;
    json_t *answer = NULL;
    s->replaying = true;
    if (w.kind == CS_WITNESS_SEARCH)
        answer = cs_search(s, &w.req, &status);
    else if (w.kind == CS_WITNESS_SUGGEST)
        answer = cs_search_suggest(s, w.req.q.value, w.req.q.len, &status);
    else if (w.kind == CS_WITNESS_SESSION)
        answer = cs_search_session(s, w.req.q.value, w.req.q.len, &status);
    else
        answer = cs_search_similar(s, w.req.q.value, w.req.q.len, &status);
    s->replaying = false;
    json_decref(answer);
    witness_clear(&w);
    /* Answered means a real answer (a talk may have gone: 404); a 500 from
     * a damaged length is no better than the 503 it replaced. */
    bool answered = status == 200 || status == 404;
    pthread_mutex_lock(&sh->lock);
    if (answered && sh->seq == seq)
        witness_clear(&sh->witness); /* a newer witness stays */
    pthread_mutex_unlock(&sh->lock);
    if (!answered && status != 503)
        snprintf(s->reason, sizeof s->reason,
                 "index %s: a request that met damage still fails "
                 "(HTTP %d)",
                 s->path, status);
    return answered;
}

json_t *cs_search_health(cs_searcher_t *s, int *http_status)
{
    uint32_t docs = 0;
    uint32_t held = 0; /* notes held by a programme talk: no talk of their own */
    uint64_t revision = 0;
    if (cs_searcher_ensure_db(s) != CS_OK || xc_database_get_doccount(s->db, &docs) != XC_OK ||
        xc_database_get_termfreq(s->db, CS_TERM_JOINED, strlen(CS_TERM_JOINED), &held) != XC_OK ||
        xc_database_get_revision(s->db, &revision) != XC_OK || !probe_index(s) ||
        !witness_answered(s)) {
        *http_status = 503;
        json_t *answer =
            json_pack("{s:s, s:s}", "status", "unavailable", "reason", cs_searcher_reason(s));
        return answer ? answer
                      : json_pack("{s:s, s:s}", "status", "unavailable", "reason",
                                  "the index cannot be read");
    }
    *http_status = 200;
    return json_pack("{s:s, s:i, s:I}", "status", "ok", "documents", (json_int_t)(docs - held),
                     "revision", (json_int_t)revision);
}
