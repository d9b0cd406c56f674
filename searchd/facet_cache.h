/* facet_cache.h: every talk's facet values (per facet, the slot's distinct
 * values, the entries each splits into, and per document which value it
 * has) and the programme order, read in one pass over each slot on the
 * first search of a revision.  Counting a search's facets is then one array
 * lookup per match, and an empty query's page needs no sort by value.
 *
 * One cache belongs to one searcher (one thread); it is not thread-safe.
 * Everything it returns is owned by it and valid until the next update or
 * destroy. */
#ifndef CS_FACET_CACHE_H
#define CS_FACET_CACHE_H

#include <jansson.h>
#include <stddef.h>

#include "query.h"
#include "status.h"
#include "xapian-c.h"

typedef struct cs_facet_cache cs_facet_cache_t;

/* An empty cache in *out (caller destroys).  Returns CS_OK,
 * CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_facet_cache_create(cs_facet_cache_t **out);
void cs_facet_cache_destroy(cs_facet_cache_t *c);

/* Makes c describe the revision db reads; generation says which opening of
 * the database db is (a reopened index is another, even at the same
 * revision).  Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY, or the
 * database's status (XC_ERR_MODIFIED: reopen and retry); on failure the
 * cache is empty. */
xc_status_t cs_facet_cache_update(cs_facet_cache_t *c, xc_database_t *db, unsigned generation);

/* How many talks the revision has. */
size_t cs_facet_cache_talks(const cs_facet_cache_t *c);

/* The counts of facet f over the documents spy recorded (NULL: every
 * talk) as the API's list of {value, count}, count descending (*out, new
 * reference, even on failure).  Returns XC_OK or the spy's status. */
xc_status_t cs_facet_cache_counts(cs_facet_cache_t *c, xc_matchspy_t *spy, cs_facet_t f,
                                  json_t **out);

/* Talks first..first+size-1, in programme order, of the matches spy
 * recorded (NULL: every talk): those without an order key first, then the
 * programme order.  out has room for size; *n gets how many there are.
 * Returns XC_OK, XC_ERR_NO_MEMORY or the spy's status. */
xc_status_t cs_facet_cache_programme_page(const cs_facet_cache_t *c, xc_matchspy_t *spy,
                                          size_t first, size_t size, xc_docid_t *out, size_t *n);

#endif /* CS_FACET_CACHE_H */
