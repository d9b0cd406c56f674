// xc_enquire.cc: running queries (weighting, sorting, match spies) and
// reading the resulting MSet.
#include "xc_internal.h"

#include <memory>

namespace
{

std::string query_context(const xc_enquire_t *enq)
{
    return "query " + enq->enq.get_query().get_description();
}

std::string index_context(size_t i)
{
    return "result " + std::to_string(i);
}

// Asks the C caller's decider about each candidate expand term.  The
// term frequency is looked up here because an ExpandDecider sees only the
// term, and a caller must be able to drop terms no other document holds.
class CallbackDecider final : public Xapian::ExpandDecider
{
  public:
    CallbackDecider(const Xapian::Database &db, xc_expand_decider_fn keep, void *ctx)
        : db_(db), keep_(keep), ctx_(ctx)
    {
    }
    bool operator()(const std::string &term) const override
    {
        return keep_(term.data(), term.size(), db_.get_termfreq(term), ctx_);
    }

  private:
    const Xapian::Database &db_;
    xc_expand_decider_fn keep_;
    void *ctx_;
};

std::string rset_context(const xc_docid_t *rset, size_t n)
{
    std::string text = "relevant documents";
    for (size_t i = 0; i < n && i < 10; i++)
        text += " " + std::to_string(rset[i]);
    if (n > 10)
        text += " ...";
    return text;
}

xc_status_t out_of_range(const xc_mset_t *mset, size_t i)
{
    std::string message;
    try {
        message = "InvalidArgumentError: index " + std::to_string(i) + " is past the " +
                  std::to_string(mset->mset.size()) + " results held";
    } catch (...) {
    }
    return xc::fail(&mset->err, XC_ERR_INVALID_ARG, message.c_str());
}

} // namespace

extern "C" {

xc_status_t xc_enquire_create(xc_database_t *db, xc_enquire_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = nullptr;
    if (out)
        *out = nullptr;
    if (!db || !out) {
        xc::give_errmsg(errmsg, "NULL argument: db and out are required");
        return XC_ERR_NULL_ARG;
    }
    std::string err;
    xc_status_t status = xc::run(&err, [&] {
        *out = new xc_enquire(*db->db);
        return XC_OK;
    });
    if (status != XC_OK)
        xc::give_errmsg(errmsg, err);
    return status;
}

void xc_enquire_destroy(xc_enquire_t *enq)
{
    try {
        delete enq;
    } catch (...) {
    }
}

const char *xc_enquire_status_string(const xc_enquire_t *enq)
{
    return enq ? enq->err.c_str() : "";
}

xc_status_t xc_enquire_set_query(xc_enquire_t *enq, const xc_query_t *q)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        if (!q)
            return xc::fail(&enq->err, XC_ERR_NULL_ARG, "NULL argument: q");
        enq->enq.set_query(q->q);
        return XC_OK;
    });
}

xc_status_t xc_enquire_set_weighting_bm25(xc_enquire_t *enq, double k1, double k2, double k3,
                                          double b, double min_normlen)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        // Enquire keeps its own clone of the weighting scheme.
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return XC_OK;
    });
}

xc_status_t xc_enquire_set_weighting_bool(xc_enquire_t *enq)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        enq->enq.set_weighting_scheme(Xapian::BoolWeight());
        return XC_OK;
    });
}

xc_status_t xc_enquire_set_sort_by_relevance(xc_enquire_t *enq)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        enq->enq.set_sort_by_relevance();
        return XC_OK;
    });
}

xc_status_t xc_enquire_set_sort_by_value(xc_enquire_t *enq, xc_valueno_t slot, bool reverse)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        enq->enq.set_sort_by_value_then_relevance(slot, reverse);
        return XC_OK;
    });
}

xc_status_t xc_enquire_add_matchspy(xc_enquire_t *enq, xc_matchspy_t *spy)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        if (!spy)
            return xc::fail(&enq->err, XC_ERR_NULL_ARG, "NULL argument: spy");
        // A raw pointer: Enquire does not own it (we never call release()),
        // so the caller's xc_matchspy must outlive this enquire.
        enq->enq.add_matchspy(spy->active());
        return XC_OK;
    });
}

xc_status_t xc_enquire_clear_matchspies(xc_enquire_t *enq)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(&enq->err, [&] {
        enq->enq.clear_matchspies();
        return XC_OK;
    });
}

xc_status_t xc_enquire_get_mset(xc_enquire_t *enq, uint32_t first, uint32_t maxitems,
                                uint32_t checkatleast, xc_mset_t **out)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    if (out)
        *out = nullptr;
    return xc::run(
        &enq->err, [&] { return query_context(enq); },
        [&] {
            if (!out)
                return xc::fail(&enq->err, XC_ERR_NULL_ARG, "NULL argument: out");
            auto mset = std::make_unique<xc_mset>();
            mset->mset = enq->enq.get_mset(first, maxitems, checkatleast);
            *out = mset.release();
            return XC_OK;
        });
}

xc_status_t xc_enquire_expand(xc_enquire_t *enq, const xc_docid_t *rset, size_t n_rset,
                              uint32_t maxitems, xc_expand_decider_fn keep, void *keep_ctx,
                              xc_expand_term_fn fn, void *ctx)
{
    if (!enq)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &enq->err, [&] { return rset_context(rset, n_rset); },
        [&] {
            if (!fn || (n_rset > 0 && !rset))
                return xc::fail(&enq->err, XC_ERR_NULL_ARG,
                                "NULL argument: fn and rset are required");
            if (n_rset == 0 || maxitems == 0)
                return XC_OK;
            Xapian::RSet relevant;
            for (size_t i = 0; i < n_rset; i++)
                relevant.add_document(rset[i]); // 0: InvalidArgumentError
            std::unique_ptr<CallbackDecider> decider;
            if (keep)
                decider = std::make_unique<CallbackDecider>(enq->db, keep, keep_ctx);
            // min_wt 0: a term held by most documents weighs <= 0
            // and tells nothing about these ones.
            Xapian::ESet eset = enq->enq.get_eset(maxitems, relevant, 0, decider.get(), 0.0);
            for (auto it = eset.begin(); it != eset.end(); ++it) {
                const std::string term = *it;
                if (fn(term.data(), term.size(), it.get_weight(), ctx) != 0)
                    break;
            }
            return XC_OK;
        });
}

void xc_mset_destroy(xc_mset_t *mset)
{
    try {
        delete mset;
    } catch (...) {
    }
}

const char *xc_mset_status_string(const xc_mset_t *mset)
{
    return mset ? mset->err.c_str() : "";
}

// These have no status to report through, so a failure (none is expected:
// they read fields of the MSet) reads as 0 rather than escaping into C.
size_t xc_mset_size(const xc_mset_t *mset)
{
    try {
        return mset ? mset->mset.size() : 0;
    } catch (...) {
        return 0;
    }
}

uint32_t xc_mset_matches_lower_bound(const xc_mset_t *mset)
{
    try {
        return mset ? mset->mset.get_matches_lower_bound() : 0;
    } catch (...) {
        return 0;
    }
}

uint32_t xc_mset_matches_estimated(const xc_mset_t *mset)
{
    try {
        return mset ? mset->mset.get_matches_estimated() : 0;
    } catch (...) {
        return 0;
    }
}

uint32_t xc_mset_matches_upper_bound(const xc_mset_t *mset)
{
    try {
        return mset ? mset->mset.get_matches_upper_bound() : 0;
    } catch (...) {
        return 0;
    }
}

xc_status_t xc_mset_get_docid(const xc_mset_t *mset, size_t i, xc_docid_t *out)
{
    if (!mset)
        return XC_ERR_NULL_ARG;
    return xc::run(&mset->err, [&] {
        if (!out)
            return xc::fail(&mset->err, XC_ERR_NULL_ARG, "NULL argument: out");
        if (i >= mset->mset.size())
            return out_of_range(mset, i);
        *out = *mset->mset[static_cast<Xapian::doccount>(i)];
        return XC_OK;
    });
}

xc_status_t xc_mset_get_weight(const xc_mset_t *mset, size_t i, double *out)
{
    if (!mset)
        return XC_ERR_NULL_ARG;
    return xc::run(&mset->err, [&] {
        if (!out)
            return xc::fail(&mset->err, XC_ERR_NULL_ARG, "NULL argument: out");
        if (i >= mset->mset.size())
            return out_of_range(mset, i);
        *out = mset->mset[static_cast<Xapian::doccount>(i)].get_weight();
        return XC_OK;
    });
}

xc_status_t xc_mset_get_document(xc_mset_t *mset, size_t i, xc_document_t **out)
{
    if (!mset)
        return XC_ERR_NULL_ARG;
    if (out)
        *out = nullptr;
    return xc::run(
        &mset->err, [&] { return index_context(i); },
        [&] {
            if (!out)
                return xc::fail(&mset->err, XC_ERR_NULL_ARG, "NULL argument: out");
            if (i >= mset->mset.size())
                return out_of_range(mset, i);
            auto doc = std::make_unique<xc_document>();
            doc->doc = mset->mset[static_cast<Xapian::doccount>(i)].get_document();
            *out = doc.release();
            return XC_OK;
        });
}

} // extern "C"
