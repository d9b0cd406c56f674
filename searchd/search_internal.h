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

/* What reading the index for an answer met: searchd's own statuses, since
 * libxapian-c's speak of the database and not of what is stored in it,
 * and the answer's HTTP status follows from these alone. */
typedef enum {
    CS_READ_OK = 0,
    CS_READ_CHANGED,   /* the index changed under the reader, or a talk went away
                        * meanwhile: reopen and retry (still so after the retries: 503) */
    CS_READ_DAMAGED,   /* the index, or a talk's stored data, cannot be read: 503 */
    CS_READ_NO_MEMORY, /* the server's own failure: 500 */
    CS_READ_FAILED     /* any other failure of the library: 500 */
} cs_read_t;

/* The read status of a libxapian-c status: XC_ERR_MODIFIED and
 * XC_ERR_NOT_FOUND CS_READ_CHANGED; XC_ERR_CORRUPT, XC_ERR_DATABASE and
 * XC_ERR_OPENING CS_READ_DAMAGED; XC_ERR_NO_MEMORY CS_READ_NO_MEMORY;
 * anything else but XC_OK CS_READ_FAILED. */
cs_read_t cs_read_of(xc_status_t xs);

/* Reads what one answer needs about the talk docid, whose id term is
 * idterm[0..idlen).  Returns CS_READ_OK with *answer the answer (caller
 * decrefs) and *http_status its status (200 unless the reader says
 * otherwise); CS_READ_CHANGED, retried on a reopened database;
 * CS_READ_DAMAGED, CS_READ_NO_MEMORY or CS_READ_FAILED, answered 503, 500
 * and 500; why (may stay "") says what failed. */
typedef cs_read_t (*cs_talk_reader_fn)(cs_searcher_t *s, xc_database_t *db, xc_docid_t docid,
                                       const char *idterm, size_t idlen, void *ctx, json_t **answer,
                                       int *http_status, char *why, size_t why_len);

/* What /healthz asks again after a talk answer met a damaged index. */
typedef enum { CS_TALK_ANSWER_SESSION, CS_TALK_ANSWER_SIMILAR } cs_talk_answer_t;

/* The answer about talk id (len bytes, not NUL-terminated): 404 when id is
 * not a plain id or no talk has it, 503 when the index cannot be opened or
 * a read of it fails (the request then becomes /healthz's witness, replayed
 * as kind), else what read answers. */
json_t *cs_search_talk_answer(cs_searcher_t *s, cs_talk_answer_t kind, const char *id, size_t len,
                              cs_talk_reader_fn read, void *ctx, int *http_status);

/* The i-th result of mset as a hit of /api/search (with a snippet from hl;
 * NULL gives ""; a score when scored).  Returns CS_READ_OK,
 * CS_READ_NO_MEMORY, or for a talk that cannot be read CS_READ_CHANGED,
 * CS_READ_DAMAGED (also stored data that is not a talk) or CS_READ_FAILED,
 * with why set. */
cs_read_t cs_search_hit(xc_mset_t *mset, size_t i, cs_highlighter_t *hl, bool scored, json_t **out,
                        char *why, size_t why_len);

#endif /* CS_SEARCH_INTERNAL_H */
