/* health.h: what /healthz knows beyond its own sample read.  A request that
 * met a damaged index is kept as a witness, and /healthz asks it again:
 * its own probe visits one posting list and one talk, and damage elsewhere
 * would let it say "ok" while searches fail.
 *
 * The witness store is shared by every searcher of one index (threads);
 * it has its own lock.  cs_search_health (search.h) is implemented in
 * health.c over it. */
#ifndef CS_HEALTH_H
#define CS_HEALTH_H

#include "search.h"
#include "status.h"

typedef enum {
    CS_WITNESS_SEARCH,
    CS_WITNESS_SUGGEST, /* req.q is the prefix */
    CS_WITNESS_SESSION, /* req.q is the talk id */
    CS_WITNESS_SIMILAR  /* req.q is the talk id */
} cs_witness_kind_t;

typedef struct cs_witness_store cs_witness_store_t;

/* An empty store in *out (caller destroys).  Returns CS_OK,
 * CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_witness_store_create(cs_witness_store_t **out);
void cs_witness_store_destroy(cs_witness_store_t *w);

/* Keeps a deep copy of req as the witness, replacing any older one (out
 * of memory: the older one stays; the 503 is answered either way). */
void cs_witness_store_record(cs_witness_store_t *w, cs_witness_kind_t kind,
                             const cs_search_request_t *req);

#endif /* CS_HEALTH_H */
