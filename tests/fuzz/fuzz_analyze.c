/* fuzz_analyze.c: arbitrary bytes through the shared text analysis and the
 * folding of filter values, checking the token contract of analysis.h. */
#include <string.h>

#include "analysis.h"
#include "fuzz.h"

static cs_analyzer_t *analyzer;
static cs_analyzer_t *with_chars; /* the indexer's: also CS_TOKEN_CHAR */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *err = NULL;
    if (cs_analyzer_create(&analyzer, &err) != CS_OK ||
        cs_analyzer_create(&with_chars, &err) != CS_OK) {
        fprintf(stderr, "fuzz_analyze: %s\n", err ? err : "no analyzer");
        abort();
    }
    cs_analyzer_set_chars(with_chars, true);
    return 0;
}

/* The indexer's tokens are the query side's plus one CS_TOKEN_CHAR per CJK
 * character, after its run's bigrams: the two sides never disagree on the
 * tokens they share. */
static void check_chars(const char *text, size_t size, const cs_token_t *plain, size_t n_plain)
{
    const cs_token_t *tokens = NULL;
    size_t count = 0;
    FUZZ_CHECK(cs_analyze(with_chars, text, size, &tokens, &count) == CS_OK);
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        const cs_token_t *t = &tokens[i];
        if (t->kind == CS_TOKEN_CHAR) {
            FUZZ_CHECK(t->run != 0 && t->len > 0 && strlen(t->text) == t->len);
            FUZZ_CHECK(t->start < t->end && t->end <= size);
            FUZZ_CHECK(i + 1 == count || tokens[i + 1].kind == CS_TOKEN_CHAR ||
                       tokens[i + 1].run != t->run);
            continue;
        }
        FUZZ_CHECK(k < n_plain);
        const cs_token_t *u = &plain[k++];
        FUZZ_CHECK(t->kind == u->kind && t->len == u->len && t->start == u->start &&
                   t->end == u->end && t->pos == u->pos && t->run == u->run &&
                   memcmp(t->text, u->text, t->len) == 0);
    }
    FUZZ_CHECK(k == n_plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const cs_token_t *tokens = NULL;
    size_t count = 0;
    if (cs_analyze(analyzer, text, size, &tokens, &count) == CS_OK) {
        size_t last_start = 0;
        uint32_t last_pos = 0;
        for (size_t i = 0; i < count; i++) {
            const cs_token_t *t = &tokens[i];
            FUZZ_CHECK(t->text && strlen(t->text) == t->len);
            FUZZ_CHECK(t->len > 0 && t->len <= CS_MAX_TOKEN_BYTES);
            FUZZ_CHECK(fuzz_utf8_valid(t->text, t->len));
            FUZZ_CHECK(t->start < t->end && t->end <= size);
            /* Bigrams follow their run's words, so order holds per kind. */
            if (t->kind != CS_TOKEN_BIGRAM) {
                FUZZ_CHECK(t->start >= last_start);
                FUZZ_CHECK(i == 0 || t->pos >= last_pos);
                last_start = t->start;
                last_pos = t->pos;
            }
            FUZZ_CHECK(t->kind == CS_TOKEN_CJK || t->kind == CS_TOKEN_BIGRAM || t->run == 0);
            /* A Taiwan form's tokens belong to a CJK run and are no word
             * of it (ICU words come from the text as written). */
            FUZZ_CHECK(!t->variant ||
                       (t->run != 0 && (t->kind == CS_TOKEN_BIGRAM || t->kind == CS_TOKEN_CJK)));
            FUZZ_CHECK(t->kind != CS_TOKEN_CHAR);
            /* Parts and pieces belong to a compound; a whole is no part. */
            FUZZ_CHECK(!(t->part || t->piece) || t->compound != 0);
            FUZZ_CHECK(!(t->part && t->piece));
            FUZZ_CHECK(t->kind != CS_TOKEN_COMPOUND || (t->compound != 0 && !t->part));
        }
        check_chars(text, size, tokens, count);
    }
    char *folded = NULL;
    size_t flen = 0;
    if (cs_fold(analyzer, text, size, &folded, &flen) == CS_OK) {
        FUZZ_CHECK(folded && strlen(folded) == flen);
        FUZZ_CHECK(fuzz_utf8_valid(folded, flen));
        /* Folding is idempotent: a filter value folded twice is the same. */
        char *twice = NULL;
        size_t tlen = 0;
        FUZZ_CHECK(cs_fold(analyzer, folded, flen, &twice, &tlen) == CS_OK);
        FUZZ_CHECK(tlen == flen && memcmp(twice, folded, flen) == 0);
        free(twice);
    }
    free(folded);
    return 0;
}
