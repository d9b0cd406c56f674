/* query_plan.h: what one search runs, in Xapian's terms: the text query
 * (none: every talk) and, per facet, the OR of its filter values (from the
 * request's parameters and the query's own day:/room:/... words).  Several
 * values of a facet widen the result, several facets narrow it.
 *
 * compose(skip) is the whole search without facet skip's filter: the
 * search itself with skip = CS_FACET_COUNT, and the pass that counts a
 * filtered facet's other values (disjunctive facets) with skip = that
 * facet.  searchd's run_once and tests/test_query.c both build searches
 * through it, so the test runs the composition searchd runs. */
#ifndef CS_QUERY_PLAN_H
#define CS_QUERY_PLAN_H

#include <stdbool.h>

#include "analysis.h"
#include "query.h"
#include "search.h"
#include "status.h"
#include "xapian-c.h"

typedef struct cs_query_plan cs_query_plan_t;

/* The plan of q with req's filters (req may be NULL: the query's own
 * filters only), filter terms built with analyzer.  *out is caller-freed.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY (also when the text
 * query cannot be copied: it must fail the search, not become "every
 * talk"). */
cs_status_t cs_query_plan_create(cs_analyzer_t *analyzer, const cs_query_t *q,
                                 const cs_search_request_t *req, cs_query_plan_t **out);
void cs_query_plan_destroy(cs_query_plan_t *plan);

/* Whether the plan has a text query (results are then ranked), and a
 * filter on facet f. */
bool cs_query_plan_has_text(const cs_query_plan_t *plan);
bool cs_query_plan_has_filter(const cs_query_plan_t *plan, cs_facet_t f);

/* The search without facet skip's filter (CS_FACET_COUNT: with every
 * filter) in *out, caller-freed.  Returns XC_OK, XC_ERR_NULL_ARG,
 * XC_ERR_NO_MEMORY (then *out is NULL). */
xc_status_t cs_query_plan_compose(const cs_query_plan_t *plan, int skip, xc_query_t **out);

#endif /* CS_QUERY_PLAN_H */
