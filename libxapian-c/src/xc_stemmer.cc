// xc_stemmer.cc: Snowball stemming into a caller-supplied buffer.
#include "xc_internal.h"

#include <cstring>

extern "C" {

xc_status_t xc_stemmer_create(const char *language, xc_stemmer_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = nullptr;
    if (out)
        *out = nullptr;
    if (!language || !out) {
        xc::give_errmsg(errmsg, "NULL argument: language and out are required");
        return XC_ERR_NULL_ARG;
    }
    std::string err;
    xc_status_t status = xc::run(
        &err, [&] { return xc::quoted("language", language); },
        [&] {
            // Stem's constructor throws InvalidArgumentError for an unknown
            // language rather than falling back to "none".
            *out = new xc_stemmer{Xapian::Stem(language)};
            return XC_OK;
        });
    if (status != XC_OK)
        xc::give_errmsg(errmsg, err);
    return status;
}

xc_status_t xc_stemmer_create_cached(const char *language, size_t max_words, xc_stemmer_t **out,
                                     char **errmsg)
{
    xc_status_t status = xc_stemmer_create(language, out, errmsg);
    if (status != XC_OK || max_words == 0)
        return status;
    status = xc::run(nullptr, [&] {
        (*out)->cache = std::make_unique<std::unordered_map<std::string, std::string>>();
        (*out)->cache_max = max_words;
        return XC_OK;
    });
    if (status != XC_OK) {
        xc_stemmer_destroy(*out);
        *out = nullptr;
        xc::give_errmsg(errmsg, "out of memory");
    }
    return status;
}

void xc_stemmer_destroy(xc_stemmer_t *st)
{
    try {
        delete st;
    } catch (...) {
    }
}

xc_status_t xc_stemmer_stem(xc_stemmer_t *st, const char *word, size_t len, char *buf,
                            size_t bufsize, size_t *outlen)
{
    // buf may be NULL with bufsize 0: a call that only asks for the length.
    if (!st || !outlen || !xc::bytes_ok(word, len) || (!buf && bufsize != 0))
        return XC_ERR_NULL_ARG;
    *outlen = 0;
    return xc::run(nullptr, [&] {
        std::string computed;
        const std::string *found = nullptr;
        if (st->cache) {
            std::string key = xc::bytes(word, len);
            auto it = st->cache->find(key);
            if (it == st->cache->end()) {
                // Forget everything when full: simpler than LRU, and the
                // frequent words are back in the cache right away.
                if (st->cache->size() >= st->cache_max)
                    st->cache->clear();
                it = st->cache->emplace(std::move(key), st->stem(xc::bytes(word, len))).first;
            }
            found = &it->second;
        } else {
            computed = st->stem(xc::bytes(word, len));
            found = &computed;
        }
        const std::string &stem = *found;
        *outlen = stem.size();
        if (bufsize < stem.size() + 1)
            return XC_ERR_INVALID_ARG;
        std::memcpy(buf, stem.data(), stem.size());
        buf[stem.size()] = '\0';
        return XC_OK;
    });
}

} // extern "C"
