/* query_plan.c: see query_plan.h. */
#include "query_plan.h"

#include <stdlib.h>
#include <string.h>

struct cs_query_plan {
    xc_query_t *text;                   /* NULL: every talk */
    xc_query_t *filter[CS_FACET_COUNT]; /* NULL: no filter on that facet */
};

void cs_query_plan_destroy(cs_query_plan_t *plan)
{
    if (!plan)
        return;
    xc_query_destroy(plan->text);
    for (int f = 0; f < CS_FACET_COUNT; f++)
        xc_query_destroy(plan->filter[f]);
    free(plan);
}

/* The OR of the filter terms of facet f's values: req's first, then the
 * query's own. */
static cs_status_t facet_filter(cs_analyzer_t *analyzer, cs_facet_t f,
                                const cs_search_request_t *req, const cs_query_t *q,
                                xc_query_t **out)
{
    xc_query_t *terms[2 * CS_QUERY_MAX_FILTERS];
    size_t n = 0;
    cs_status_t st = CS_OK;
    size_t given = req ? req->n_filters[f] : 0;
    size_t inline_n = cs_query_filter_count(q, f);
    for (size_t i = 0; st == CS_OK && i < given + inline_n; i++) {
        const char *v = i < given ? req->filters[f][i].value : cs_query_filter(q, f, i - given);
        size_t len = i < given ? req->filters[f][i].len : strlen(v);
        char *term = cs_query_filter_term(analyzer, f, v, len);
        xc_status_t xs = term ? xc_query_term(term, strlen(term), 1, 0, &terms[n])
                              : xc_query_match_nothing(&terms[n]);
        free(term);
        if (xs != XC_OK)
            st = CS_ERR_NO_MEMORY;
        else
            n++;
    }
    *out = NULL;
    if (st == CS_OK && n > 0 && xc_query_combine(XC_OP_OR, terms, n, 0, out) != XC_OK)
        st = CS_ERR_NO_MEMORY;
    for (size_t i = 0; i < n; i++)
        xc_query_destroy(terms[i]);
    return st;
}

cs_status_t cs_query_plan_create(cs_analyzer_t *analyzer, const cs_query_t *q,
                                 const cs_search_request_t *req, cs_query_plan_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    if (!analyzer || !q)
        return CS_ERR_NULL_ARG;
    cs_query_plan_t *plan = calloc(1, sizeof *plan);
    if (!plan)
        return CS_ERR_NO_MEMORY;
    cs_status_t st = CS_OK;
    if (cs_query_xapian(q) && xc_query_scale(cs_query_xapian(q), 1.0, &plan->text) != XC_OK)
        st = CS_ERR_NO_MEMORY;
    for (int f = 0; st == CS_OK && f < CS_FACET_COUNT; f++)
        st = facet_filter(analyzer, (cs_facet_t)f, req, q, &plan->filter[f]);
    if (st != CS_OK) {
        cs_query_plan_destroy(plan);
        return st;
    }
    *out = plan;
    return CS_OK;
}

bool cs_query_plan_has_text(const cs_query_plan_t *plan)
{
    return plan && plan->text;
}

bool cs_query_plan_has_filter(const cs_query_plan_t *plan, cs_facet_t f)
{
    return plan && f >= 0 && f < CS_FACET_COUNT && plan->filter[f];
}

xc_status_t cs_query_plan_compose(const cs_query_plan_t *plan, int skip, xc_query_t **out)
{
    if (!out)
        return XC_ERR_NULL_ARG;
    *out = NULL;
    if (!plan)
        return XC_ERR_NULL_ARG;
    xc_query_t *parts[1 + CS_FACET_COUNT], *all = NULL;
    size_t n = 0;
    if (plan->text) {
        parts[n++] = plan->text;
    } else {
        if (cs_query_all_talks(&all) != XC_OK)
            return XC_ERR_NO_MEMORY;
        parts[n++] = all;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++)
        if (f != skip && plan->filter[f])
            parts[n++] = plan->filter[f];
    xc_status_t xs = n == 1 ? xc_query_scale(parts[0], 1.0, out)
                            : xc_query_combine(XC_OP_FILTER, parts, n, 0, out);
    xc_query_destroy(all);
    if (xs != XC_OK) {
        *out = NULL;
        return XC_ERR_NO_MEMORY;
    }
    return XC_OK;
}
