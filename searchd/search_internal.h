/* search_internal.h: what search.c lends the other files that answer about
 * talks and the index (similar.c, health.c): the searcher itself, opening
 * the index, reading one talk by id with searchd's retry and damage rules,
 * and turning a match into a hit.  Not for server.c, which sees search.h
 * only. */
#ifndef CS_SEARCH_INTERNAL_H
#define CS_SEARCH_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include <sys/types.h>

#include "analysis.h"
#include "facet_cache.h"
#include "health.h"
#include "search.h"
#include "snippet.h"
#include "xapian-c.h"

struct cs_search_shared {
    char *path;
    cs_witness_store_t *witnesses; /* the request /healthz asks again */
};

/* One thread's view of the index. */
struct cs_searcher {
    cs_search_shared_t *shared;
    const char *path; /* the shared one */
    xc_database_t *db;
    unsigned generation; /* bumped whenever db is opened anew */
    dev_t dev;           /* the index directory db was opened from */
    ino_t ino;
    char uuid[64]; /* db's database UUID when opened: another build's differs */
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    cs_facet_cache_t *facets;
    char reason[512]; /* why the index is unavailable, for 503 answers */
    bool replaying;   /* /healthz is retrying a witness: do not record it again */
};

/* Brings s->db to the latest commit, (re)opening it when it was missing,
 * removed or replaced.  CS_OK, or another status with s->reason set. */
cs_status_t cs_searcher_ensure_db(cs_searcher_t *s);

/* s->reason as an answer may quote it (always valid UTF-8, never NULL). */
const char *cs_searcher_reason(cs_searcher_t *s);

/* Reads what one answer needs about the talk docid, whose id term is
 * idterm[0..idlen).  On XC_OK *answer is the answer (caller decrefs) and
 * *http_status its status (200 unless the reader says otherwise).  Any
 * other status is a read that failed: XC_ERR_MODIFIED or XC_ERR_NOT_FOUND
 * (the talk went away meanwhile) are retried on a reopened database, the
 * others answer 503; why (may stay "") says what failed, in Xapian's words. */
typedef xc_status_t (*cs_talk_reader_fn)(cs_searcher_t *s, xc_database_t *db, xc_docid_t docid,
                                         const char *idterm, size_t idlen, void *ctx,
                                         json_t **answer, int *http_status, char *why,
                                         size_t why_len);

/* What /healthz asks again after a talk answer met a damaged index. */
typedef enum { CS_TALK_ANSWER_SESSION, CS_TALK_ANSWER_SIMILAR } cs_talk_answer_t;

/* The answer about talk id (len bytes, not NUL-terminated): 404 when id is
 * not a plain id or no talk has it, 503 when the index cannot be opened or
 * a read of it fails (the request then becomes /healthz's witness, replayed
 * as kind), else what read answers. */
json_t *cs_search_talk_answer(cs_searcher_t *s, cs_talk_answer_t kind, const char *id, size_t len,
                              cs_talk_reader_fn read, void *ctx, int *http_status);

/* The i-th result of mset as a hit of /api/search (with a snippet from hl;
 * NULL gives ""; a score when scored).  Returns XC_OK; XC_ERR_NO_MEMORY
 * (the server's failure, a 500); for a talk that cannot be read, the read
 * errors of xapian-c.h or XC_ERR_CORRUPT for stored data that is not a
 * talk (the index's failure, a 503), with why set. */
xc_status_t cs_search_hit(xc_mset_t *mset, size_t i, cs_highlighter_t *hl, bool scored,
                          json_t **out, char *why, size_t why_len);

#endif /* CS_SEARCH_INTERNAL_H */
