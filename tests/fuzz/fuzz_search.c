/* fuzz_search.c: request parameters through the whole search path (query
 * parser, filters, facets, Xapian, snippets, JSON) over a tiny index built at
 * start-up (fuzz_index.c).  It starts from the cs_search_request_t that
 * params.c hands on, so that mutations reach the search rather than the
 * parameter checks; fuzz_params starts from the raw query string.
 *
 * Input: byte 0-1 page, byte 2 size, byte 3 facet switches, then lines: the
 * first is q, each further one a filter whose first byte picks the facet. */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_index.h"
#include "search.h"

static cs_searcher_t *searcher;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    searcher = fuzz_index_open("fuzz_search");
    return 0;
}

/* What params.c guarantees before the server calls cs_search (docs/api.md, Limits). */
static int acceptable_param(const char *v, size_t len)
{
    return !memchr(v, '\0', len) && fuzz_utf8_valid(v, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    cs_search_request_t req;
    memset(&req, 0, sizeof req);
    req.page = 1 + (unsigned)((data[0] | data[1] << 8) % CS_SEARCH_MAX_PAGE);
    req.size = 1 + (unsigned)(data[2] % CS_SEARCH_MAX_SIZE);
    for (int f = 0; f < CS_FACET_COUNT; f++)
        req.facets[f] = (data[3] >> f) & 1;
    const char *in = (const char *)data + 4, *end = (const char *)data + size;
    const char *eol = memchr(in, '\n', (size_t)(end - in));
    size_t qlen = eol ? (size_t)(eol - in) : (size_t)(end - in);
    if (qlen > CS_SEARCH_MAX_QUERY_BYTES || !acceptable_param(in, qlen))
        return 0;
    req.q.value = in;
    req.q.len = qlen;
    for (const char *at = eol ? eol + 1 : end; at < end;) {
        const char *next = memchr(at, '\n', (size_t)(end - at));
        size_t n = next ? (size_t)(next - at) : (size_t)(end - at);
        if (n >= 2 && acceptable_param(at + 1, n - 1)) {
            int f = (unsigned char)at[0] % CS_FACET_COUNT;
            if (req.n_filters[f] < CS_QUERY_MAX_FILTERS) {
                req.filters[f][req.n_filters[f]].value = at + 1;
                req.filters[f][req.n_filters[f]].len = n - 1;
                req.n_filters[f]++;
            }
        }
        at += n + 1;
    }
    int status = 0;
    json_t *answer = cs_search(searcher, &req, &status);
    fuzz_index_check_search(answer, status, &req);
    json_decref(answer);

    answer = cs_search_suggest(searcher, req.q.value, req.q.len, &status);
    FUZZ_CHECK(answer && status == 200);
    FUZZ_CHECK(json_array_size(json_object_get(answer, "suggestions")) <= CS_SUGGEST_MAX);
    json_decref(answer);

    /* server.c passes the id NUL-terminated (the rest of the URL), and
     * cs_search_session relies on that despite taking a length (reported). */
    char *id = malloc(req.q.len + 1);
    FUZZ_CHECK(id);
    memcpy(id, req.q.value, req.q.len);
    id[req.q.len] = '\0';
    answer = cs_search_session(searcher, id, req.q.len, &status);
    FUZZ_CHECK(answer && (status == 200 || status == 404));
    json_decref(answer);
    free(id);
    return 0;
}
