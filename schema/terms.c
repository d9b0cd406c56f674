/* terms.c: tokens and filter values -> index terms, for the indexer and
 * searchd alike (the contract is in terms.h). */
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

#include "hash.h"
#include "schema.h"

/* The longest prefix, "XROOM:", before the longest token or filter value
 * must still make a term Xapian takes. */
_Static_assert(sizeof CS_PREFIX_ROOM - 1 + CS_MAX_TOKEN_BYTES <= CS_TERM_MAX_BYTES,
               "CS_MAX_TOKEN_BYTES leaves no room for the prefixes");

/* Largest day number a filter names; pad headers give one or two digits. */
#define MAX_DAY 999999

static cs_status_t join(const char *prefix, const char *text, size_t len,
                        char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if ((!text && len > 0) || !buf || !n)
        return CS_ERR_NULL_ARG;
    size_t plen = strlen(prefix);
    if (len > CS_TERM_MAX_BYTES - plen)
        return CS_ERR_LIMIT;
    memcpy(buf, prefix, plen);
    if (len > 0)
        memcpy(buf + plen, text, len);
    buf[plen + len] = '\0';
    *n = plen + len;
    return CS_OK;
}

cs_status_t cs_term_word(const char *text, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    return join("", text, len, buf, n);
}

cs_status_t cs_term_field_word(cs_field_t field, const char *text, size_t len,
                               char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    switch (field) {
    case CS_FIELD_TITLE: return join(CS_PREFIX_TITLE, text, len, buf, n);
    case CS_FIELD_SPEAKER: return join(CS_PREFIX_SPEAKER, text, len, buf, n);
    case CS_FIELD_BODY: break;
    }
    return CS_ERR_FORMAT;
}

cs_status_t cs_term_stem(xc_stemmer_t *stemmer, const char *word, size_t len,
                         char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if (!stemmer || !word || !buf || !n)
        return CS_ERR_NULL_ARG;
    size_t plen = strlen(CS_PREFIX_STEM), slen = 0;
    /* Stemmed in place after the prefix: a stem too long for the rest of
     * the buffer is a term too long for Xapian. */
    xc_status_t xs =
        xc_stemmer_stem(stemmer, word, len, buf + plen, CS_TERM_BUF_BYTES - plen, &slen);
    if (xs == XC_ERR_INVALID_ARG && slen > CS_TERM_MAX_BYTES - plen)
        return CS_ERR_LIMIT;
    if (xs != XC_OK)
        return CS_ERR_XAPIAN;
    memcpy(buf, CS_PREFIX_STEM, plen);
    *n = plen + slen;
    return CS_OK;
}

cs_status_t cs_term_bigram(const char *text, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    return join(CS_PREFIX_BIGRAM, text, len, buf, n);
}

cs_status_t cs_term_char(const char *text, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    return join(CS_PREFIX_CHAR, text, len, buf, n);
}

cs_status_t cs_term_of_token(const cs_token_t *t, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if (!t)
        return CS_ERR_NULL_ARG;
    switch (t->kind) {
    case CS_TOKEN_BIGRAM: return cs_term_bigram(t->text, t->len, buf, n);
    case CS_TOKEN_CHAR: return cs_term_char(t->text, t->len, buf, n);
    case CS_TOKEN_WORD:
    case CS_TOKEN_NUMBER:
    case CS_TOKEN_COMPOUND:
    case CS_TOKEN_CJK: break;
    }
    return cs_term_word(t->text, t->len, buf, n);
}

/* One rule for both ends of the spelling table: the indexer counts these
 * words and "did you mean" asks only about them, so it never looks for a
 * correction of a word the table could not hold. */
bool cs_term_is_spelling_word(const cs_token_t *t)
{
    if (!t || t->kind != CS_TOKEN_WORD || t->piece || t->len < 3)
        return false;
    unsigned char c = (unsigned char)t->text[0];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool cs_term_is_cjk(const cs_token_t *t)
{
    return t && (t->kind == CS_TOKEN_CJK || t->kind == CS_TOKEN_BIGRAM || t->kind == CS_TOKEN_CHAR);
}

cs_token_span_t cs_term_span(const cs_token_t *tokens, size_t count, size_t i)
{
    cs_token_span_t span = {.first = i, .end = i < count ? i + 1 : count};
    if (i < count && tokens[i].compound != 0) {
        span.compound = true;
        span.whole = !tokens[i].part && !tokens[i].piece;
        while (span.end < count && tokens[span.end].compound == tokens[i].compound)
            span.end++;
        return span;
    }
    if (i >= count || !cs_term_is_cjk(&tokens[i]))
        return span;
    span.cjk = true;
    span.end = i;
    for (; span.end < count && cs_term_is_cjk(&tokens[span.end]) &&
           tokens[span.end].run == tokens[i].run;
         span.end++) {
        const cs_token_t *t = &tokens[span.end];
        span.variants += t->variant;
        span.bigrams += t->kind == CS_TOKEN_BIGRAM && !t->variant;
    }
    return span;
}

/* Tokens of kind, variant or not, of the span, in order (their positions
 * never decrease: the analysis emits them so). */
static size_t run_tokens(const cs_token_t *tokens, cs_token_span_t span, cs_token_kind_t kind,
                         bool variant, const cs_token_t **out)
{
    size_t n = 0;
    for (size_t k = span.first; k < span.end; k++)
        if (tokens[k].kind == kind && tokens[k].variant == variant)
            out[n++] = &tokens[k];
    return n;
}

size_t cs_term_run_form(const cs_token_t *tokens, cs_token_span_t span, bool taiwan,
                        const cs_token_t **out)
{
    if (!tokens || !out || !span.cjk || (taiwan && span.variants == 0))
        return 0;
    /* A one-character run, or form: its CJK word. */
    if (span.bigrams == 0 && !taiwan)
        return run_tokens(tokens, span, CS_TOKEN_CJK, false, out);
    if (taiwan && run_tokens(tokens, span, CS_TOKEN_CJK, true, out) == 1)
        return 1;
    if (!taiwan)
        return run_tokens(tokens, span, CS_TOKEN_BIGRAM, false, out);
    /* Merge by position: the form's bigrams where it has any, else the
     * bigram as written.  The written ones are listed at the end of out
     * first; the merge never overtakes them, as out has room for every
     * token of the span and each step writes one it has read. */
    size_t room = span.end - span.first;
    const cs_token_t **written = out + room - span.bigrams;
    size_t nw = run_tokens(tokens, span, CS_TOKEN_BIGRAM, false, written);
    size_t n = 0, w = 0;
    for (size_t k = span.first; k < span.end; k++) {
        const cs_token_t *t = &tokens[k];
        if (!t->variant || t->kind != CS_TOKEN_BIGRAM)
            continue;
        while (w < nw && written[w]->pos < t->pos)
            out[n++] = written[w++];
        while (w < nw && written[w]->pos == t->pos)
            w++;
        out[n++] = t;
    }
    while (w < nw)
        out[n++] = written[w++];
    return n;
}

bool cs_term_joins_previous(int32_t c)
{
    if (U_MASK(u_charType(c)) & (U_GC_M_MASK | U_GC_CF_MASK))
        return true;
    /* ICU hands out one shared instance; the analyzer's is the same. */
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *fold = unorm2_getNFKCCasefoldInstance(&err);
    return U_SUCCESS(err) && !unorm2_hasBoundaryBefore(fold, c);
}

bool cs_term_is_verbatim_cjk(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC ||
           (c >= 0xAC00 && c <= 0xD7A3);
}

size_t cs_term_char_bytes(const char *s, size_t i, size_t limit)
{
    if (!s || i >= limit)
        return 0;
    const uint8_t *u = (const uint8_t *)s;
    size_t j = i;
    UChar32 c;
    U8_NEXT(u, j, limit, c);
    while (j < limit) {
        size_t next = j;
        U8_NEXT(u, next, limit, c);
        if (c < 0 || !cs_term_joins_previous(c))
            break;
        j = next;
    }
    return j - i;
}

/* A day is matched by number, as the index holds "%d": "01" and "1" are
 * the same day. */
static cs_status_t day_term(const char *value, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    long day = 0;
    for (size_t i = 0; i < len; i++) {
        if (value[i] < '0' || value[i] > '9')
            return CS_ERR_FORMAT;
        day = day * 10 + (value[i] - '0');
        if (day > MAX_DAY)
            return CS_ERR_FORMAT;
    }
    if (day == 0)
        return CS_ERR_FORMAT;
    char digits[16];
    int k = snprintf(digits, sizeof digits, "%ld", day);
    return join(CS_PREFIX_DAY, digits, (size_t)k, buf, n);
}

static cs_status_t value_term(const char *prefix, const char *value, size_t len,
                              char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if (len == 0)
        return CS_ERR_FORMAT;
    if (len > CS_MAX_TOKEN_BYTES)
        return CS_ERR_LIMIT;
    return join(prefix, value, len, buf, n);
}

/* A lookup key: as written, or "#" and its hash when too long. */
static cs_status_t key_term(const char *prefix, const char *value, size_t len,
                            char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if (len <= CS_MAX_TOKEN_BYTES)
        return join(prefix, value, len, buf, n);
    char hashed[20];
    int k =
        snprintf(hashed, sizeof hashed, "#%016llx", (unsigned long long)cs_hash_bytes(value, len));
    return join(prefix, hashed, (size_t)k, buf, n);
}

static cs_status_t folded_term(cs_analyzer_t *analyzer, const char *prefix, const char *value,
                               size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if (!analyzer)
        return CS_ERR_NULL_ARG;
    char *folded = NULL;
    size_t flen = 0;
    cs_status_t st = cs_fold(analyzer, value, len, &folded, &flen);
    if (st == CS_OK)
        st = value_term(prefix, folded, flen, buf, n);
    free(folded);
    return st;
}

cs_status_t cs_term_filter(cs_analyzer_t *analyzer, cs_filter_t filter, const char *value,
                           size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n)
{
    if (!value || !buf || !n)
        return CS_ERR_NULL_ARG;
    if (len == 0 || memchr(value, '\0', len))
        return CS_ERR_FORMAT;
    switch (filter) {
    case CS_FILTER_DAY: return day_term(value, len, buf, n);
    case CS_FILTER_ROOM: return value_term(CS_PREFIX_ROOM, value, len, buf, n);
    case CS_FILTER_SPEAKER: return folded_term(analyzer, CS_PREFIX_SPK, value, len, buf, n);
    case CS_FILTER_DATE: return value_term(CS_PREFIX_DATE, value, len, buf, n);
    case CS_FILTER_CONF: return folded_term(analyzer, CS_PREFIX_CONF, value, len, buf, n);
    case CS_FILTER_ID: return value_term(CS_PREFIX_ID, value, len, buf, n);
    case CS_FILTER_TRACK: return folded_term(analyzer, CS_PREFIX_TRACK, value, len, buf, n);
    case CS_FILTER_BASE: return value_term(CS_PREFIX_BASE, value, len, buf, n);
    case CS_FILTER_JOINED_TO: return value_term(CS_PREFIX_JOINED_TO, value, len, buf, n);
    case CS_FILTER_JOIN_SLOT: return key_term(CS_PREFIX_JOIN_SLOT, value, len, buf, n);
    case CS_FILTER_JOIN_TITLE: return key_term(CS_PREFIX_JOIN_TITLE, value, len, buf, n);
    case CS_FILTER_JOIN_PAD: return key_term(CS_PREFIX_JOIN_PAD, value, len, buf, n);
    }
    return CS_ERR_FORMAT;
}

/* ---- what a term says of a topic ---------------------------------------- */

static bool has_prefix(const char *term, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(term, prefix, n) == 0;
}

/* The part of term a reader recognises as a word (a stem, a bigram's two
 * characters, a word), or NULL for a term that tells nothing of a topic:
 * - words (no prefix), stems (Z) and CJK bigrams (XB) are topic words;
 * - Q, S, A, XU and the X...: filter terms are not: the id and the facets
 *   (day, room, speaker, date, conference, source file) tie talks of one
 *   day or one speaker, not of one topic; title (S) and speaker (A) words
 *   repeat the unprefixed words with another weight, and a single CJK
 *   character (XU) is far too vague when bigrams and words are there;
 * - nor are numbers and one-character words (years, times, slide numbers,
 *   the parts of "python3" or "don't", CJK particles such as 的), which
 *   any talk may have. */
const char *cs_term_topic_word(const char *term, size_t len, size_t *word_len)
{
    size_t skip = 0;
    if (has_prefix(term, len, CS_PREFIX_BIGRAM))
        skip = strlen(CS_PREFIX_BIGRAM);
    else if (has_prefix(term, len, CS_PREFIX_STEM) && len > 1 &&
             !(term[1] >= 'A' && term[1] <= 'Z'))
        skip = strlen(CS_PREFIX_STEM);
    else if (len == 0 || (term[0] >= 'A' && term[0] <= 'Z'))
        return NULL; /* another prefix: Xapian's convention is capitals */
    const char *word = term + skip;
    *word_len = len - skip;
    bool lettered = false;
    size_t chars = 0;
    for (size_t i = 0; i < *word_len; i++) {
        unsigned char c = (unsigned char)word[i];
        lettered = lettered || c >= 0x80 || (c >= 'a' && c <= 'z');
        chars += (c & 0xC0) != 0x80; /* UTF-8: count lead bytes */
    }
    return lettered && chars > 1 ? word : NULL;
}
