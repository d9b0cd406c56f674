/* fuzz_query.c: arbitrary bytes through the query language parser, checking
 * its limits and what it hands to the highlighter and the filters. */
#include <string.h>

#include "fuzz.h"
#include "query.h"

static cs_analyzer_t *analyzer;
static xc_stemmer_t *stemmer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *err = NULL;
    if (cs_analyzer_create(&analyzer, &err) != CS_OK ||
        xc_stemmer_create("english", &stemmer, &err) != XC_OK) {
        fprintf(stderr, "fuzz_query: %s\n", err ? err : "setup failed");
        abort();
    }
    return 0;
}

/* Whether needle occurs in hay[0, len). */
static int occurs_in(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    cs_query_t *q = NULL;
    char *err = NULL;
    cs_status_t st = cs_query_parse(analyzer, stemmer, text, size, &q, &err);
    if (st != CS_OK) {
        /* A refusal always says why, in text fit for a JSON answer. */
        FUZZ_CHECK(!q);
        FUZZ_CHECK(st == CS_ERR_BAD_QUERY || st == CS_ERR_LIMIT);
        FUZZ_CHECK(err && *err && fuzz_utf8_valid(err, strlen(err)));
        free(err);
        return 0;
    }
    FUZZ_CHECK(q && !err);
    FUZZ_CHECK(cs_query_term_count(q) <= CS_QUERY_MAX_TERMS);
    FUZZ_CHECK(fuzz_utf8_valid(text, size) && !memchr(text, '\0', size));
    const xc_query_t *xq = cs_query_xapian(q);
    if (xq) {
        char *desc = NULL;
        FUZZ_CHECK(xc_query_describe(xq, &desc) == XC_OK && desc);
        free(desc);
    }
    for (size_t i = 0; i < cs_query_highlight_count(q); i++) {
        int prefix = -1;
        const char *h = cs_query_highlight(q, i, &prefix);
        FUZZ_CHECK(h && (prefix == 0 || prefix == 1));
        FUZZ_CHECK(fuzz_utf8_valid(h, strlen(h)));
        /* Highlights are the words as typed, for the highlighter. */
        FUZZ_CHECK(occurs_in(text, size, h));
    }
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        FUZZ_CHECK(cs_query_filter_count(q, (cs_facet_t)f) <= CS_QUERY_MAX_FILTERS);
        for (size_t i = 0; i < cs_query_filter_count(q, (cs_facet_t)f); i++) {
            const char *v = cs_query_filter(q, (cs_facet_t)f, i);
            FUZZ_CHECK(v && *v && fuzz_utf8_valid(v, strlen(v)));
            FUZZ_CHECK(occurs_in(text, size, v));
            free(cs_query_filter_term(analyzer, (cs_facet_t)f, v, strlen(v)));
        }
    }
    cs_query_destroy(q);
    return 0;
}
