// xc_matchspy.cc: facet counting over a value slot that may hold several
// separator-split entries (e.g. every speaker of a talk).
#include "xc_internal.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace xc
{

void MultiValueCountSpy::operator()(const Xapian::Document &doc, double)
{
    ++total_;
    const std::string value = doc.get_value(slot_);
    if (value.empty())
        return;
    scratch_.clear();
    if (separator_ == '\0') {
        scratch_.emplace_back(value);
    } else {
        std::string_view rest(value);
        for (;;) {
            const size_t cut = rest.find(separator_);
            std::string_view entry = rest.substr(0, cut);
            if (!entry.empty())
                scratch_.push_back(entry);
            if (cut == std::string_view::npos)
                break;
            rest.remove_prefix(cut + 1);
        }
        // "A\x1fA" is one document with A, so A counts once.
        std::sort(scratch_.begin(), scratch_.end());
        scratch_.erase(std::unique(scratch_.begin(), scratch_.end()), scratch_.end());
    }
    for (std::string_view entry : scratch_) {
        auto it = counts_.find(entry);
        if (it == counts_.end())
            counts_.emplace(std::string(entry), 1);
        else
            ++it->second;
    }
}

std::string MultiValueCountSpy::get_description() const
{
    return "MultiValueCountSpy(slot " + std::to_string(slot_) + ", " + std::to_string(total_) +
           " docs seen, " + std::to_string(counts_.size()) + " values)";
}

} // namespace xc

namespace
{

using Count = std::pair<const std::string *, Xapian::doccount>;

// Calls fn for at most max of counts, by count descending then value
// ascending (the map is in value order, so a stable sort by count does).
void report(const std::map<std::string, Xapian::doccount, std::less<>> &counts, size_t max,
            xc_value_count_fn fn, void *ctx)
{
    std::vector<Count> order;
    order.reserve(counts.size());
    for (const auto &kv : counts)
        order.emplace_back(&kv.first, kv.second);
    std::stable_sort(order.begin(), order.end(),
                     [](const Count &a, const Count &b) { return a.second > b.second; });
    const size_t limit = max == 0 ? order.size() : std::min(max, order.size());
    for (size_t i = 0; i < limit; i++) {
        if (fn(order[i].first->data(), order[i].first->size(), order[i].second, ctx) != 0)
            break;
    }
}

} // namespace

extern "C" {

xc_status_t xc_matchspy_docids_create(xc_matchspy_t **out)
{
    if (!out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        auto spy = std::make_unique<xc_matchspy>(0, '\0');
        spy->docids = std::make_unique<xc::DocidSpy>();
        *out = spy.release();
        return XC_OK;
    });
}

xc_status_t xc_matchspy_docids(xc_matchspy_t *spy, const xc_docid_t **ids, size_t *n)
{
    if (!spy || !ids || !n)
        return XC_ERR_NULL_ARG;
    if (!spy->docids)
        return XC_ERR_INVALID_OP;
    const std::vector<Xapian::docid> &recorded = spy->docids->sorted_docids();
    *ids = recorded.data();
    *n = recorded.size();
    return XC_OK;
}

xc_status_t xc_matchspy_value_count_create(xc_valueno_t slot, char separator, xc_matchspy_t **out)
{
    if (!out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        *out = new xc_matchspy(slot, separator);
        return XC_OK;
    });
}

void xc_matchspy_destroy(xc_matchspy_t *spy)
{
    try {
        delete spy;
    } catch (...) {
    }
}

xc_status_t xc_matchspy_total(const xc_matchspy_t *spy, uint32_t *out)
{
    if (!spy || !out)
        return XC_ERR_NULL_ARG;
    *out = spy->docids ? Xapian::doccount(spy->docids->docids().size()) : spy->spy.total();
    return XC_OK;
}

xc_status_t xc_matchspy_values(const xc_matchspy_t *spy, size_t max, xc_value_count_fn fn,
                               void *ctx)
{
    if (!spy || !fn)
        return XC_ERR_NULL_ARG;
    if (spy->docids)
        return XC_ERR_INVALID_OP; /* it counts nothing itself */
    return xc::run(nullptr, [&] {
        report(spy->spy.counts(), max, fn, ctx);
        return XC_OK;
    });
}

} // extern "C"
