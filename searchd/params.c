/* params.c: query-string parameters checked and turned into a search
 * request (see params.h for the rules). */
#include "params.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Longest parameter or facet name quoted back in a message. */
#define NAME_SHOWN_MAX 40

static const char unprintable_name[] = "with an unprintable name";

/* Keeps the first refusal: it is the one the client's request hit first. */
__attribute__((format(printf, 3, 4))) static cs_status_t refuse(cs_params_t *p, cs_status_t status,
                                                                const char *fmt, ...)
{
    if (p->status == CS_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->error, sizeof p->error, fmt, ap);
        va_end(ap);
        p->status = status;
    }
    return p->status;
}

static bool key_is(const char *key, size_t key_size, const char *name)
{
    return key_size == strlen(name) && memcmp(key, name, key_size) == 0;
}

void cs_params_init(cs_params_t *p)
{
    if (p)
        memset(p, 0, sizeof *p);
}

/* A parameter that may appear once: q, page, size, facets. */
static cs_status_t take_single(cs_params_t *p, const char *name, bool *have, cs_str_t *slot,
                               cs_str_t v)
{
    if (*have)
        return refuse(p, CS_ERR_BAD_QUERY, "parameter %s is given twice", name);
    *have = true;
    *slot = v;
    return CS_OK;
}

cs_status_t cs_params_add(cs_params_t *p, const char *key, size_t key_size, const char *value,
                          size_t value_size)
{
    if (!p || !key)
        return CS_ERR_NULL_ARG;
    if (p->status != CS_OK)
        return p->status;
    if (!value) {
        value = "";
        value_size = 0;
    }
    /* libmicrohttpd decodes %00 into a NUL: the sizes tell, strlen would not. */
    bool key_has_nul = memchr(key, '\0', key_size) != NULL;
    bool key_utf8 = cs_utf8_valid(key, key_size);
    bool key_shown = !key_has_nul && key_utf8 && key_size <= NAME_SHOWN_MAX;
    int shown_len = key_shown ? (int)key_size : (int)sizeof unprintable_name - 1;
    const char *shown = key_shown ? key : unprintable_name;
    if (key_has_nul || memchr(value, '\0', value_size))
        return refuse(p, CS_ERR_BAD_QUERY, "parameter %.*s contains a NUL byte", shown_len, shown);
    if (!key_utf8 || !cs_utf8_valid(value, value_size))
        return refuse(p, CS_ERR_BAD_QUERY, "parameter %.*s is not valid UTF-8", shown_len, shown);

    cs_str_t v = {value, value_size};
    if (key_is(key, key_size, "q"))
        return take_single(p, "q", &p->have_q, &p->request.q, v);
    if (key_is(key, key_size, "page"))
        return take_single(p, "page", &p->have_page, &p->page, v);
    if (key_is(key, key_size, "size"))
        return take_single(p, "size", &p->have_size, &p->size, v);
    if (key_is(key, key_size, "facets"))
        return take_single(p, "facets", &p->have_facets, &p->facets, v);
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        if (!key_is(key, key_size, cs_facet_name(f)))
            continue;
        size_t *n = &p->request.n_filters[f];
        if (*n >= CS_QUERY_MAX_FILTERS)
            return refuse(p, CS_ERR_LIMIT, "too many values for parameter %s (at most %d)",
                          cs_facet_name(f), CS_QUERY_MAX_FILTERS);
        if (value_size == 0)
            return refuse(p, CS_ERR_BAD_QUERY, "parameter %s is empty", cs_facet_name(f));
        p->request.filters[f][(*n)++] = v;
        return CS_OK;
    }
    /* Other parameters (cache busters and the like) are ignored. */
    return CS_OK;
}

/* Parses a decimal in [min, max]; -1 when it is not one.  Digits only: no
 * sign, space or exponent, and at most 9 of them so that long cannot
 * overflow. */
static long parse_number(cs_str_t v, long min, long max)
{
    if (v.len == 0 || v.len > 9)
        return -1;
    long n = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.value[i] < '0' || v.value[i] > '9')
            return -1;
        n = n * 10 + (v.value[i] - '0');
    }
    return n >= min && n <= max ? n : -1;
}

/* facets=day,room picks which counts to compute; "" computes none. */
static cs_status_t read_facets(cs_params_t *p)
{
    for (int f = 0; f < CS_FACET_COUNT; f++)
        p->request.facets[f] = !p->have_facets;
    for (size_t at = 0; p->have_facets && at < p->facets.len;) {
        const char *name = p->facets.value + at;
        const char *comma = memchr(name, ',', p->facets.len - at);
        size_t n = comma ? (size_t)(comma - name) : p->facets.len - at;
        int found = -1;
        for (int f = 0; f < CS_FACET_COUNT; f++)
            if (key_is(name, n, cs_facet_name(f)))
                found = f;
        if (found < 0) {
            /* Cut a long name at a character boundary: half a character
             * would make the message invalid UTF-8, which the JSON writer
             * refuses, turning the 400 into a 500. */
            size_t shown = cs_utf8_floor(name, n, NAME_SHOWN_MAX);
            return refuse(p, CS_ERR_BAD_QUERY,
                          "unknown facet \"%.*s\" (known: day, room, speaker, conference, track)",
                          (int)shown, name);
        }
        p->request.facets[found] = true;
        at += n + 1;
    }
    return CS_OK;
}

cs_status_t cs_params_finish(cs_params_t *p, bool search)
{
    if (!p)
        return CS_ERR_NULL_ARG;
    if (p->status != CS_OK)
        return p->status;
    if (p->request.q.len > CS_SEARCH_MAX_QUERY_BYTES)
        return refuse(p, CS_ERR_LIMIT, "q is longer than %d bytes", CS_SEARCH_MAX_QUERY_BYTES);
    if (!search)
        return CS_OK;
    long page = p->have_page ? parse_number(p->page, 1, CS_SEARCH_MAX_PAGE) : 1;
    long size =
        p->have_size ? parse_number(p->size, 1, CS_SEARCH_MAX_SIZE) : CS_SEARCH_DEFAULT_SIZE;
    if (page < 0)
        return refuse(p, CS_ERR_BAD_QUERY, "page must be a whole number from 1 to %d",
                      CS_SEARCH_MAX_PAGE);
    if (size < 0)
        return refuse(p, CS_ERR_BAD_QUERY, "size must be a whole number from 1 to %d",
                      CS_SEARCH_MAX_SIZE);
    p->request.page = (unsigned)page;
    p->request.size = (unsigned)size;
    return read_facets(p);
}

const char *cs_params_error(const cs_params_t *p)
{
    return p ? p->error : "";
}
