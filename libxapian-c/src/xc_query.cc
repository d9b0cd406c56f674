// xc_query.cc: building immutable query trees.  Xapian::Query is a
// reference-counted handle, so copying one into a new tree is cheap.
#include "xc_internal.h"

#include <cmath>
#include <vector>

namespace
{

// Both take the raw bits of the caller's enum (see xc::raw_enum).
bool to_xapian_op(std::underlying_type_t<xc_query_op_t> op, Xapian::Query::op *out)
{
    switch (op) {
    case XC_OP_AND: *out = Xapian::Query::OP_AND; return true;
    case XC_OP_OR: *out = Xapian::Query::OP_OR; return true;
    case XC_OP_AND_NOT: *out = Xapian::Query::OP_AND_NOT; return true;
    case XC_OP_FILTER: *out = Xapian::Query::OP_FILTER; return true;
    case XC_OP_AND_MAYBE: *out = Xapian::Query::OP_AND_MAYBE; return true;
    case XC_OP_PHRASE: *out = Xapian::Query::OP_PHRASE; return true;
    case XC_OP_NEAR: *out = Xapian::Query::OP_NEAR; return true;
    case XC_OP_SYNONYM: *out = Xapian::Query::OP_SYNONYM; return true;
    case XC_OP_ELITE_SET: *out = Xapian::Query::OP_ELITE_SET; return true;
    }
    return false;
}

bool to_xapian_limit(std::underlying_type_t<xc_wildcard_limit_t> limit, int *out)
{
    switch (limit) {
    case XC_WILDCARD_LIMIT_ERROR: *out = Xapian::Query::WILDCARD_LIMIT_ERROR; return true;
    case XC_WILDCARD_LIMIT_FIRST: *out = Xapian::Query::WILDCARD_LIMIT_FIRST; return true;
    case XC_WILDCARD_LIMIT_MOST_FREQUENT:
        *out = Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT;
        return true;
    }
    return false;
}

} // namespace

extern "C" {

xc_status_t xc_query_term(const char *term, size_t len, uint32_t wqf, xc_termpos_t pos,
                          xc_query_t **out)
{
    if (!out || !xc::bytes_ok(term, len))
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        // The empty term is Xapian's "every document", which is what callers want.
        *out = new xc_query{Xapian::Query(xc::bytes(term, len), wqf, pos)};
        return XC_OK;
    });
}

xc_status_t xc_query_match_all(xc_query_t **out)
{
    if (!out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        // Not Xapian::Query::MatchAll: that static object's reference count
        // is not atomic, so copying it from several threads races.  A fresh
        // empty-term query means the same and is private to this handle.
        *out = new xc_query{Xapian::Query(std::string())};
        return XC_OK;
    });
}

xc_status_t xc_query_match_nothing(xc_query_t **out)
{
    if (!out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        *out = new xc_query{Xapian::Query()};
        return XC_OK;
    });
}

xc_status_t xc_query_combine(xc_query_op_t op, xc_query_t *const *subs, size_t n, uint32_t window,
                             xc_query_t **out)
{
    if (!out || (n > 0 && !subs))
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    for (size_t i = 0; i < n; i++) {
        if (!subs[i])
            return XC_ERR_NULL_ARG;
    }
    Xapian::Query::op xop;
    if (!to_xapian_op(xc::raw_enum(op), &xop))
        return XC_ERR_INVALID_ARG;
    return xc::run(nullptr, [&] {
        std::vector<Xapian::Query> parts;
        parts.reserve(n);
        for (size_t i = 0; i < n; i++)
            parts.push_back(subs[i]->q);
        // Xapian refuses a parameter for the operators that take none.
        const bool takes_window = xop == Xapian::Query::OP_PHRASE ||
                                  xop == Xapian::Query::OP_NEAR ||
                                  xop == Xapian::Query::OP_ELITE_SET;
        *out =
            new xc_query{Xapian::Query(xop, parts.begin(), parts.end(), takes_window ? window : 0)};
        return XC_OK;
    });
}

xc_status_t xc_query_wildcard(const char *prefix, size_t len, uint32_t max_expansion,
                              xc_wildcard_limit_t limit, xc_query_t **out)
{
    if (!out || !xc::bytes_ok(prefix, len))
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    int max_type;
    if (!to_xapian_limit(xc::raw_enum(limit), &max_type))
        return XC_ERR_INVALID_ARG;
    return xc::run(nullptr, [&] {
        *out = new xc_query{Xapian::Query(Xapian::Query::OP_WILDCARD, xc::bytes(prefix, len),
                                          max_expansion, max_type)};
        return XC_OK;
    });
}

xc_status_t xc_query_scale(const xc_query_t *q, double factor, xc_query_t **out)
{
    if (!q || !out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    // Xapian checks factor < 0 but lets NaN through.
    if (!(factor >= 0) || std::isinf(factor))
        return XC_ERR_INVALID_ARG;
    return xc::run(nullptr, [&] {
        *out = new xc_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)};
        return XC_OK;
    });
}

bool xc_query_is_empty(const xc_query_t *q)
{
    // A missing query matches nothing, like an empty one.
    return !q || q->q.empty();
}

xc_status_t xc_query_describe(const xc_query_t *q, char **out)
{
    if (!q || !out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        *out = xc::dup_for_caller(q->q.get_description());
        return XC_OK;
    });
}

xc_status_t xc_query_terms(const xc_query_t *q, xc_term_fn fn, void *ctx)
{
    if (!q || !fn)
        return XC_ERR_NULL_ARG;
    return xc::run(nullptr, [&] {
        for (auto it = q->q.get_unique_terms_begin(); it != q->q.get_unique_terms_end(); ++it) {
            const std::string term = *it;
            if (fn(term.data(), term.size(), 0, ctx) != 0)
                break;
        }
        return XC_OK;
    });
}

void xc_query_destroy(xc_query_t *q)
{
    try {
        delete q;
    } catch (...) {
    }
}

} // extern "C"
