// xc_document.cc: building documents (terms, postings, values, data) and
// reading back ones loaded from a database.
#include "xc_internal.h"

#include <cstring>
#include <memory>

namespace
{

std::string term_context(const char *term, size_t len)
{
    return xc::quoted("term", term ? std::string_view(term, len) : std::string_view());
}

} // namespace

extern "C" {

xc_status_t xc_document_create(xc_document_t **out)
{
    if (!out)
        return XC_ERR_NULL_ARG;
    *out = nullptr;
    return xc::run(nullptr, [&] {
        *out = new xc_document;
        return XC_OK;
    });
}

void xc_document_destroy(xc_document_t *doc)
{
    try {
        delete doc;
    } catch (...) {
    }
}

const char *xc_document_status_string(const xc_document_t *doc)
{
    return doc ? doc->err.c_str() : "";
}

xc_status_t xc_document_add_posting(xc_document_t *doc, const char *term, size_t len,
                                    xc_termpos_t pos, uint32_t wdfinc)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &doc->err, [&] { return term_context(term, len); },
        [&] {
            if (!xc::bytes_ok(term, len))
                return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: term");
            doc->doc.add_posting(xc::bytes(term, len), pos, wdfinc);
            return XC_OK;
        });
}

xc_status_t xc_document_add_term(xc_document_t *doc, const char *term, size_t len, uint32_t wdfinc)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &doc->err, [&] { return term_context(term, len); },
        [&] {
            if (!xc::bytes_ok(term, len))
                return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: term");
            doc->doc.add_term(xc::bytes(term, len), wdfinc);
            return XC_OK;
        });
}

xc_status_t xc_document_add_boolean_term(xc_document_t *doc, const char *term, size_t len)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &doc->err, [&] { return term_context(term, len); },
        [&] {
            if (!xc::bytes_ok(term, len))
                return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: term");
            doc->doc.add_boolean_term(xc::bytes(term, len));
            return XC_OK;
        });
}

xc_status_t xc_document_remove_term(xc_document_t *doc, const char *term, size_t len)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &doc->err, [&] { return term_context(term, len); },
        [&] {
            if (!xc::bytes_ok(term, len))
                return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: term");
            const std::string t = xc::bytes(term, len);
            Xapian::TermIterator it = doc->doc.termlist_begin();
            it.skip_to(t);
            if (it == doc->doc.termlist_end() || *it != t)
                return xc::fail(&doc->err, XC_ERR_NOT_FOUND, "no such term");
            doc->doc.remove_term(t);
            return XC_OK;
        });
}

xc_status_t xc_document_set_value(xc_document_t *doc, xc_valueno_t slot, const char *value,
                                  size_t len)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &doc->err, [&] { return "slot " + std::to_string(slot); },
        [&] {
            if (!xc::bytes_ok(value, len))
                return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: value");
            // An empty value removes the slot, as in Xapian.
            doc->doc.add_value(slot, xc::bytes(value, len));
            return XC_OK;
        });
}

xc_status_t xc_document_get_value(xc_document_t *doc, xc_valueno_t slot, char **value, size_t *len)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    if (value)
        *value = nullptr;
    if (len)
        *len = 0;
    return xc::run(
        &doc->err, [&] { return "slot " + std::to_string(slot); },
        [&] {
            if (!value || !len)
                return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: value or len");
            const std::string v = doc->doc.get_value(slot);
            *value = xc::dup_for_caller(v);
            *len = v.size();
            return XC_OK;
        });
}

xc_status_t xc_document_set_data(xc_document_t *doc, const char *data, size_t len)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(&doc->err, [&] {
        if (!xc::bytes_ok(data, len))
            return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: data");
        doc->doc.set_data(xc::bytes(data, len));
        return XC_OK;
    });
}

xc_status_t xc_document_get_data(xc_document_t *doc, char **data, size_t *len)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    if (data)
        *data = nullptr;
    if (len)
        *len = 0;
    return xc::run(&doc->err, [&] {
        if (!data || !len)
            return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: data or len");
        const std::string d = doc->doc.get_data();
        *data = xc::dup_for_caller(d);
        *len = d.size();
        return XC_OK;
    });
}

xc_status_t xc_document_termlist(xc_document_t *doc, const char *prefix, size_t len, xc_term_fn fn,
                                 void *ctx)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(&doc->err, [&] {
        if (!fn || !xc::bytes_ok(prefix, len))
            return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: prefix or fn");
        const std::string p = xc::bytes(prefix, len);
        // The termlist is sorted, so the prefix's terms are one run from skip_to.
        auto it = doc->doc.termlist_begin();
        it.skip_to(p);
        for (; it != doc->doc.termlist_end(); ++it) {
            const std::string term = *it;
            if (term.compare(0, p.size(), p) != 0)
                break;
            if (fn(term.data(), term.size(), 0, ctx) != 0)
                break;
        }
        return XC_OK;
    });
}

xc_status_t xc_document_first_term(xc_document_t *doc, const char *prefix, size_t len, char *out,
                                   size_t cap)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(&doc->err, [&] {
        if (!out || cap == 0 || !xc::bytes_ok(prefix, len))
            return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: prefix or out");
        const std::string p = xc::bytes(prefix, len);
        out[0] = '\0';
        auto it = doc->doc.termlist_begin();
        it.skip_to(p);
        if (it == doc->doc.termlist_end())
            return XC_OK;
        const std::string term = *it;
        if (term.compare(0, p.size(), p) != 0)
            return XC_OK;
        if (term.size() >= cap)
            return xc::fail(&doc->err, XC_ERR_INVALID_ARG, "term longer than the buffer");
        std::memcpy(out, term.data(), term.size());
        out[term.size()] = '\0';
        return XC_OK;
    });
}

xc_status_t xc_document_get_docid(xc_document_t *doc, xc_docid_t *out)
{
    if (!doc)
        return XC_ERR_NULL_ARG;
    return xc::run(&doc->err, [&] {
        if (!out)
            return xc::fail(&doc->err, XC_ERR_NULL_ARG, "NULL argument: out");
        *out = doc->doc.get_docid();
        return XC_OK;
    });
}

} // extern "C"
