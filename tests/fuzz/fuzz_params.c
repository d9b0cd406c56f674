/* fuzz_params.c: a raw URL query string (what follows '?') through the
 * server's parameter checks (searchd/params.c), split and decoded as
 * libmicrohttpd does it, then, when accepted, through cs_search and
 * cs_search_suggest over the tiny index of fuzz_index.c.
 *
 * Checks: an accepted request keeps every limit of params.h and holds
 * exactly the parameters given; a refusal sticks and has a message the
 * server can send as JSON; /api/search never accepts what /api/suggest
 * refuses. */
#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_index.h"
#include "params.h"

static cs_searcher_t *searcher;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    searcher = fuzz_index_open("fuzz_params");
    return 0;
}

/* One decoded parameter, in an exact-size buffer without a terminator, so
 * that ASan sees any read past the size the server was given. */
typedef struct {
    char *key;
    size_t key_len;
    char *value; /* NULL: no '=' */
    size_t value_len;
} pair_t;

static char *exact_copy(const char *s, size_t n)
{
    char *c = malloc(n ? n : 1);
    FUZZ_CHECK(c);
    memcpy(c, s, n);
    return c;
}

/* libmicrohttpd turns '+' into ' ' before it decodes %XX (its own
 * MHD_unescape_plus is internal, so this is the one step done here). */
static size_t decode(char *s)
{
    for (char *p = strchr(s, '+'); p; p = strchr(p + 1, '+'))
        *p = ' ';
    return MHD_http_unescape(s);
}

/* Splits args (NUL-terminated, clobbered) as libmicrohttpd 0.9.75's
 * MHD_parse_arguments_ does: on '&', then on the first '=' before the next
 * '&'; a part without '=' has no value; an empty part is an empty name. */
static size_t split_args(char *args, pair_t *pairs)
{
    size_t n = 0;
    while (args && *args) {
        char *amp = strchr(args, '&');
        char *eq = strchr(args, '=');
        if (amp)
            *amp = '\0';
        pair_t *p = &pairs[n++];
        memset(p, 0, sizeof *p);
        if (eq && (!amp || eq < amp)) {
            *eq = '\0';
            size_t len = decode(eq + 1);
            p->value = exact_copy(eq + 1, len);
            p->value_len = len;
        }
        p->key_len = decode(args);
        p->key = exact_copy(args, p->key_len);
        args = amp ? amp + 1 : NULL;
    }
    return n;
}

static int key_is(const pair_t *p, const char *name)
{
    return p->key_len == strlen(name) && memcmp(p->key, name, p->key_len) == 0;
}

/* The last pair named name, or NULL. */
static const pair_t *find_pair(const pair_t *pairs, size_t n, const char *name)
{
    const pair_t *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (key_is(&pairs[i], name))
            found = &pairs[i];
    return found;
}

static int text_acceptable(const char *s, size_t len)
{
    return !memchr(s, '\0', len) && fuzz_utf8_valid(s, len);
}

static long decimal(const pair_t *p)
{
    long v = 0;
    for (size_t i = 0; i < p->value_len; i++)
        v = v * 10 + (p->value[i] - '0');
    return v;
}

/* Whether the comma-separated list holds name. */
static int listed(const pair_t *p, const char *name)
{
    size_t len = strlen(name);
    for (size_t at = 0; at <= p->value_len;) {
        const char *item = p->value + at;
        const char *comma = memchr(item, ',', p->value_len - at);
        size_t n = comma ? (size_t)(comma - item) : p->value_len - at;
        if (n == len && memcmp(item, name, n) == 0)
            return 1;
        at += n + 1;
    }
    return 0;
}

/* A refusal: a message that fits, is valid UTF-8 and goes into the JSON
 * answer the server sends (jansson refuses invalid UTF-8, which would turn
 * the 400 into a 500). */
static void check_refusal(const cs_params_t *p, cs_status_t st)
{
    FUZZ_CHECK(st == CS_ERR_BAD_QUERY || st == CS_ERR_LIMIT);
    const char *err = cs_params_error(p);
    FUZZ_CHECK(err == p->error);
    FUZZ_CHECK(memchr(err, '\0', CS_PARAMS_ERROR_MAX) != NULL);
    FUZZ_CHECK(err[0] != '\0');
    FUZZ_CHECK(fuzz_utf8_valid(err, strlen(err)));
    json_t *answer = cs_search_error("bad_request", err);
    FUZZ_CHECK(answer);
    json_decref(answer);
}

/* An accepted request: within every limit, and holding exactly what was
 * given, pointing into the caller's strings. */
static void check_accepted(const cs_search_request_t *r, const pair_t *pairs, size_t n, bool search)
{
    for (size_t i = 0; i < n; i++) {
        /* Every parameter is checked, known or not. */
        FUZZ_CHECK(text_acceptable(pairs[i].key, pairs[i].key_len));
        FUZZ_CHECK(!pairs[i].value || text_acceptable(pairs[i].value, pairs[i].value_len));
    }
    const pair_t *q = find_pair(pairs, n, "q");
    FUZZ_CHECK(r->q.len <= CS_SEARCH_MAX_QUERY_BYTES);
    if (!q)
        FUZZ_CHECK(!r->q.value && r->q.len == 0);
    else if (!q->value)
        FUZZ_CHECK(r->q.value && r->q.len == 0);
    else
        FUZZ_CHECK(r->q.value == q->value && r->q.len == q->value_len);
    FUZZ_CHECK(!r->q.value || text_acceptable(r->q.value, r->q.len));

    for (int f = 0; f < CS_FACET_COUNT; f++) {
        FUZZ_CHECK(r->n_filters[f] <= CS_QUERY_MAX_FILTERS);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (!key_is(&pairs[i], cs_facet_name(f)))
                continue;
            FUZZ_CHECK(k < r->n_filters[f]);
            const cs_str_t *v = &r->filters[f][k++];
            FUZZ_CHECK(v->value == pairs[i].value && v->len == pairs[i].value_len);
            FUZZ_CHECK(v->len > 0 && text_acceptable(v->value, v->len));
        }
        FUZZ_CHECK(k == r->n_filters[f]);
    }
    if (!search)
        return;

    FUZZ_CHECK(r->page >= 1 && r->page <= CS_SEARCH_MAX_PAGE);
    FUZZ_CHECK(r->size >= 1 && r->size <= CS_SEARCH_MAX_SIZE);
    const pair_t *page = find_pair(pairs, n, "page"), *size = find_pair(pairs, n, "size");
    FUZZ_CHECK(r->page == (page ? (unsigned long)decimal(page) : 1));
    FUZZ_CHECK(r->size == (size ? (unsigned long)decimal(size) : CS_SEARCH_DEFAULT_SIZE));
    const pair_t *facets = find_pair(pairs, n, "facets");
    for (int f = 0; f < CS_FACET_COUNT; f++)
        FUZZ_CHECK(r->facets[f] ==
                   (!facets || (facets->value && listed(facets, cs_facet_name(f)))));
}

/* Feeds every pair to p, as the server does until the first refusal, and
 * past it to check that the refusal sticks. */
static cs_status_t run_params(cs_params_t *p, const pair_t *pairs, size_t n, bool search)
{
    cs_params_init(p);
    cs_status_t first = CS_OK;
    char first_error[CS_PARAMS_ERROR_MAX];
    for (size_t i = 0; i < n; i++) {
        cs_status_t st =
            cs_params_add(p, pairs[i].key, pairs[i].key_len, pairs[i].value, pairs[i].value_len);
        if (first != CS_OK) {
            FUZZ_CHECK(st == first && strcmp(cs_params_error(p), first_error) == 0);
        } else if (st != CS_OK) {
            check_refusal(p, st);
            first = st;
            memcpy(first_error, p->error, sizeof first_error);
        }
    }
    cs_status_t st = cs_params_finish(p, search);
    if (first != CS_OK)
        FUZZ_CHECK(st == first && strcmp(cs_params_error(p), first_error) == 0);
    if (st != CS_OK)
        check_refusal(p, st);
    else
        check_accepted(&p->request, pairs, n, search);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A request line cannot carry a NUL byte (libmicrohttpd never gets as
     * far as the arguments), and the arguments reach it as a C string. */
    if (memchr(data, '\0', size))
        return 0;
    char *args = malloc(size + 1);
    FUZZ_CHECK(args);
    memcpy(args, data, size);
    args[size] = '\0';
    size_t max_pairs = 1;
    for (size_t i = 0; i < size; i++)
        max_pairs += data[i] == '&';
    pair_t *pairs = calloc(max_pairs, sizeof *pairs);
    FUZZ_CHECK(pairs);
    size_t n = split_args(args, pairs);
    FUZZ_CHECK(n <= max_pairs);

    cs_params_t search, suggest;
    cs_status_t search_st = run_params(&search, pairs, n, true);
    cs_status_t suggest_st = run_params(&suggest, pairs, n, false);
    /* /api/search checks all that /api/suggest does, and the same way. */
    if (suggest_st != CS_OK)
        FUZZ_CHECK(search_st == suggest_st &&
                   strcmp(cs_params_error(&search), cs_params_error(&suggest)) == 0);

    int status = 0;
    if (search_st == CS_OK) {
        json_t *answer = cs_search(searcher, &search.request, &status);
        fuzz_index_check_search(answer, status, &search.request);
        json_decref(answer);
    }
    if (suggest_st == CS_OK) {
        const cs_str_t *q = &suggest.request.q;
        json_t *answer = cs_search_suggest(searcher, q->value ? q->value : "", q->len, &status);
        FUZZ_CHECK(answer && status == 200);
        FUZZ_CHECK(json_array_size(json_object_get(answer, "suggestions")) <= CS_SUGGEST_MAX);
        json_decref(answer);
    }

    for (size_t i = 0; i < n; i++) {
        free(pairs[i].key);
        free(pairs[i].value);
    }
    free(pairs);
    free(args);
    return 0;
}
