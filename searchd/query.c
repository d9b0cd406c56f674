/* query.c: the query language of query.h, parsed by hand into a Xapian query
 * made of exactly the terms session_doc.c indexes (through cs_analyze and
 * schema/terms.h).
 *
 * Grammar, over UTF-8 bytes ("space" is ASCII white space or U+3000, the
 * ideographic space Chinese input methods type):
 *
 *   query   = list <end>
 *   list    = { space | either }              up to ')' or the end
 *   either  = unit { "OR" unit }              "OR" is a whole chunk, in capitals
 *   unit    = [ "-" ] ( group | phrase | filter | prefix | chunk )
 *   group   = "(" list ")"                    at most CS_QUERY_MAX_DEPTH deep
 *   phrase  = '"' .. '"' | '“' .. '”' | '「' .. '」' | '『' .. '』'
 *   filter  = ( "room" | "day" | "speaker" ) ":" ( phrase | chunk )
 *   prefix  = chunk "*"
 *   chunk   = bytes up to a space, '(', ')' or an opening quote
 *
 * Choices the header leaves open:
 * - Each opening quote closes only on its own partner; a quote left open is
 *   CS_ERR_BAD_QUERY ("unbalanced quote") rather than a guess at the phrase.
 * - '-' excludes only when glued to what follows: "- x" and "a - b" keep
 *   the dash as text (which analyses to nothing).
 * - An excluded unit cannot be an operand of OR ("a OR -b" has no clear
 *   meaning); filters stand alone at the top level: never excluded, OR-ed or
 *   inside parentheses.  All of these are CS_ERR_BAD_QUERY.  Repeating a
 *   facet ("room:R0 room:R1") lists several values; the caller ORs them.
 * - A field name is matched in any case ("Room:R0"); "name:value" with any
 *   other name is a plain chunk.  A filter value is trimmed, otherwise kept.
 * - A group, phrase or chunk that analyses to no term contributes nothing:
 *   "!!! OR a" is "a", and a query of nothing but such units is empty.
 * - Input over CS_QUERY_MAX_BYTES is CS_ERR_LIMIT; a NUL byte or invalid UTF-8
 *   is CS_ERR_BAD_QUERY, so the highlights handed on are always valid text.
 */
#include "query.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "schema.h"
#include "terms.h"
#include "utf8.h"

#if defined(__GNUC__)
#define CS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CS_PRINTF(fmt, args)
#endif

typedef struct {
    char *text;
    int is_prefix;
} highlight_t;

struct cs_query {
    xc_query_t *xq; /* NULL: no text part */
    char *filters[CS_FACET_COUNT][CS_QUERY_MAX_FILTERS];
    size_t n_filters[CS_FACET_COUNT];
    highlight_t *highlights;
    size_t n_highlights, cap_highlights;
    size_t n_terms;
};

typedef struct {
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    const char *text;
    size_t len;
    size_t at; /* next byte to read */
    unsigned depth;
    cs_query_t *q;
    char *errmsg; /* the first error's message, malloc'd */
} parser_t;

/* A growable list of owned queries. */
typedef struct {
    xc_query_t **v;
    size_t n, cap;
} qvec_t;

typedef enum { UNIT_TEXT, UNIT_EXCLUDED, UNIT_FILTER } unit_kind_t;

static const char *const facet_names[CS_FACET_COUNT] = {"day", "room", "speaker", "conference",
                                                        "track"};

const char *cs_facet_name(cs_facet_t facet)
{
    return (unsigned)facet < CS_FACET_COUNT ? facet_names[facet] : "";
}

/* Opening and closing quote of each kind; a phrase closes on its partner. */
static const struct {
    const char *open, *close;
} quote_pairs[] = {
    {"\"", "\""},
    {"\xe2\x80\x9c", "\xe2\x80\x9d"}, /* U+201C U+201D */
    {"\xe3\x80\x8c", "\xe3\x80\x8d"}, /* U+300C U+300D */
    {"\xe3\x80\x8e", "\xe3\x80\x8f"}, /* U+300E U+300F */
};
#define N_QUOTE_PAIRS (sizeof quote_pairs / sizeof quote_pairs[0])

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static cs_status_t fail(parser_t *p, cs_status_t st, const char *fmt, ...) CS_PRINTF(3, 4);

/* Keeps the first message only: later failures are consequences of it. */
static cs_status_t fail(parser_t *p, cs_status_t st, const char *fmt, ...)
{
    if (p->errmsg)
        return st;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return st;
    p->errmsg = malloc((size_t)n + 1);
    if (p->errmsg) {
        va_start(ap, fmt);
        vsnprintf(p->errmsg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return st;
}

static cs_status_t no_memory(parser_t *p)
{
    return fail(p, CS_ERR_NO_MEMORY, "out of memory");
}

static cs_status_t from_xc(parser_t *p, xc_status_t xs)
{
    if (xs == XC_OK)
        return CS_OK;
    if (xs == XC_ERR_NO_MEMORY)
        return no_memory(p);
    return fail(p, CS_ERR_BAD_QUERY, "the query could not be built: %s", xc_status_to_string(xs));
}

static cs_status_t from_analysis(parser_t *p, cs_status_t st)
{
    if (st == CS_OK)
        return CS_OK;
    if (st == CS_ERR_NO_MEMORY)
        return no_memory(p);
    return fail(p, st, "the query text could not be analysed: %s", cs_status_to_string(st));
}

/* ------------------------------------------------------------------ */
/* Query lists                                                         */

/* Takes q in all cases: on failure it is destroyed. */
static cs_status_t qvec_push(parser_t *p, qvec_t *vec, xc_query_t *q)
{
    if (!cs_grow(&vec->v, &vec->cap, vec->n + 1, sizeof *vec->v, 8)) {
        xc_query_destroy(q);
        return no_memory(p);
    }
    vec->v[vec->n++] = q;
    return CS_OK;
}

static void qvec_free(qvec_t *vec)
{
    for (size_t i = 0; i < vec->n; i++)
        xc_query_destroy(vec->v[i]);
    free(vec->v);
    vec->v = NULL;
    vec->n = vec->cap = 0;
}

/* Combines and empties vec: no part gives NULL, a lone part is returned as
 * is (Xapian would reduce it anyway, and descriptions stay readable). */
static cs_status_t qvec_combine(parser_t *p, qvec_t *vec, xc_query_op_t op, uint32_t window,
                                xc_query_t **out)
{
    *out = NULL;
    if (vec->n == 0)
        return CS_OK;
    if (vec->n == 1 && op != XC_OP_AND_NOT) {
        *out = vec->v[0];
        vec->n = 0;
        return CS_OK;
    }
    xc_status_t xs = xc_query_combine(op, vec->v, vec->n, window, out);
    for (size_t i = 0; i < vec->n; i++)
        xc_query_destroy(vec->v[i]);
    vec->n = 0;
    if (xs != XC_OK)
        *out = NULL;
    return from_xc(p, xs);
}

/* A query of the term that schema/terms.c built (built: its status). */
static cs_status_t make_term(parser_t *p, cs_status_t built, const char *term, size_t len,
                             xc_query_t **out)
{
    if (built == CS_ERR_LIMIT)
        return fail(p, CS_ERR_BAD_QUERY, "a word is too long");
    if (built != CS_OK)
        return fail(p, built, "a term could not be made: %s", cs_status_to_string(built));
    return from_xc(p, xc_query_term(term, len, 1, 0, out));
}

static cs_status_t push_term(parser_t *p, qvec_t *vec, cs_status_t built, const char *term,
                             size_t len)
{
    xc_query_t *q = NULL;
    cs_status_t st = make_term(p, built, term, len, &q);
    return st == CS_OK ? qvec_push(p, vec, q) : st;
}

/* The term a token stands for at its position, as a query. */
static cs_status_t token_term(parser_t *p, const cs_token_t *t, xc_query_t **out)
{
    char term[CS_TERM_BUF_BYTES];
    size_t n = 0;
    cs_status_t built = cs_term_of_token(t, term, &n);
    return make_term(p, built, term, n, out);
}

static cs_status_t push_token_term(parser_t *p, qvec_t *vec, const cs_token_t *t)
{
    xc_query_t *q = NULL;
    cs_status_t st = token_term(p, t, &q);
    return st == CS_OK ? qvec_push(p, vec, q) : st;
}

/* ------------------------------------------------------------------ */
/* What the parse collects besides the query                           */

/* Counted before the terms are made, so a huge query is refused cheaply. */
static cs_status_t use_terms(parser_t *p, size_t n)
{
    p->q->n_terms += n;
    if (p->q->n_terms > CS_QUERY_MAX_TERMS)
        return fail(p, CS_ERR_LIMIT, "too many terms (max %d)", CS_QUERY_MAX_TERMS);
    return CS_OK;
}

static cs_status_t add_highlight(parser_t *p, const char *text, size_t len, int is_prefix)
{
    cs_query_t *q = p->q;
    for (size_t i = 0; i < q->n_highlights; i++)
        if (q->highlights[i].is_prefix == is_prefix && strlen(q->highlights[i].text) == len &&
            memcmp(q->highlights[i].text, text, len) == 0)
            return CS_OK;
    if (!cs_grow(&q->highlights, &q->cap_highlights, q->n_highlights + 1, sizeof *q->highlights, 8))
        return no_memory(p);
    char *copy = malloc(len + 1);
    if (!copy)
        return no_memory(p);
    memcpy(copy, text, len);
    copy[len] = '\0';
    q->highlights[q->n_highlights].text = copy;
    q->highlights[q->n_highlights].is_prefix = is_prefix;
    q->n_highlights++;
    return CS_OK;
}

/* ------------------------------------------------------------------ */
/* Lexing                                                              */

static int is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes of the space at i, 0 if there is none. */
static size_t space_at(const parser_t *p, size_t i)
{
    if (i >= p->len)
        return 0;
    if (is_ascii_space((unsigned char)p->text[i]))
        return 1;
    if (p->len - i >= 3 && memcmp(p->text + i, "\xe3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* Index into quote_pairs of an opening quote at i, or -1. */
static int quote_at(const parser_t *p, size_t i)
{
    for (size_t k = 0; k < N_QUOTE_PAIRS; k++) {
        size_t n = strlen(quote_pairs[k].open);
        if (p->len - i >= n && memcmp(p->text + i, quote_pairs[k].open, n) == 0)
            return (int)k;
    }
    return -1;
}

/* Whether a chunk ends before byte i.  UTF-8 lead bytes never occur inside
 * another character, so testing every byte offset is safe. */
static int chunk_ends_at(const parser_t *p, size_t i)
{
    if (i >= p->len)
        return 1;
    char c = p->text[i];
    return c == '(' || c == ')' || space_at(p, i) || quote_at(p, i) >= 0;
}

static size_t chunk_end(const parser_t *p, size_t i)
{
    while (!chunk_ends_at(p, i))
        i++;
    return i;
}

static void skip_spaces(parser_t *p)
{
    size_t n;
    while ((n = space_at(p, p->at)) > 0)
        p->at += n;
}

static int or_at(const parser_t *p)
{
    return p->len - p->at >= 2 && p->text[p->at] == 'O' && p->text[p->at + 1] == 'R' &&
           chunk_ends_at(p, p->at + 2);
}

/* Trims spaces on both ends of [*s, *s + *n). */
static void trim(const parser_t *p, size_t *s, size_t *n)
{
    size_t b = *s, e = *s + *n, k;
    while (b < e && (k = space_at(p, b)) > 0)
        b += k;
    for (;;) {
        if (e > b && is_ascii_space((unsigned char)p->text[e - 1]))
            e--;
        else if (e - b >= 3 && memcmp(p->text + e - 3, "\xe3\x80\x80", 3) == 0)
            e -= 3;
        else
            break;
    }
    *s = b;
    *n = e - b;
}

/* Reads the quoted text whose opening quote is at p->at: [*s, *s + *n) is
 * what stands between the quotes, untrimmed. */
static cs_status_t read_quoted(parser_t *p, size_t *s, size_t *n)
{
    int k = quote_at(p, p->at);
    size_t olen = strlen(quote_pairs[k].open), clen = strlen(quote_pairs[k].close);
    size_t begin = p->at + olen;
    for (size_t i = begin; i + clen <= p->len; i++) {
        if (memcmp(p->text + i, quote_pairs[k].close, clen) == 0) {
            *s = begin;
            *n = i - begin;
            p->at = i + clen;
            return CS_OK;
        }
    }
    return fail(p, CS_ERR_BAD_QUERY, "unbalanced quote: %s has no closing %s", quote_pairs[k].open,
                quote_pairs[k].close);
}

/* The facet named by a chunk starting "room:", "day:" or "speaker:" (any
 * case), with *name_len covering the colon; -1 for any other chunk. */
static int filter_field(const parser_t *p, size_t s, size_t e, size_t *name_len)
{
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        size_t n = strlen(facet_names[f]);
        if (e - s < n + 1 || p->text[s + n] != ':')
            continue;
        size_t i = 0;
        while (i < n) {
            char c = p->text[s + i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != facet_names[f][i])
                break;
            i++;
        }
        if (i == n) {
            *name_len = n + 1;
            return f;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Analysed text -> terms                                              */

/* A pasted sentence is one long CJK run: n characters are n - 1 bigrams
 * plus its words, which would soon pass CS_QUERY_MAX_TERMS.  Outside quotes,
 * beyond this many bigrams a run is searched by every other bigram and the
 * last one: every character, in order, within the span they cover, though
 * text broken by punctuation between two kept bigrams matches too (no
 * position marks the break).  A quoted phrase keeps every bigram: it must
 * be exact. */
#define CJK_ALL_BIGRAMS 8

/* The weight of a run's Taiwan form next to the run as typed: a talk
 * written in the script typed ranks above one found through conversion. */
#define CS_TAIWAN_FORM_WEIGHT 0.5

/* Whether the b-th of a run's nb bigrams goes into the query. */
static bool bigram_kept(size_t b, size_t nb)
{
    return nb <= CJK_ALL_BIGRAMS || b % 2 == 0 || b + 1 == nb;
}

static size_t bigrams_kept(size_t nb)
{
    return nb <= CJK_ALL_BIGRAMS ? nb : nb / 2 + 1;
}

/* The terms of toks[0, n), in order, combined as a phrase whose window
 * spans their positions (a CJK word covers several positions, so the
 * window is wider than the number of words); with thin, of a long run's
 * bigrams those bigram_kept. */
static cs_status_t tokens_phrase(parser_t *p, const cs_token_t *const *toks, size_t n, bool thin,
                                 xc_query_t **out)
{
    qvec_t vec = {0};
    uint32_t first = 0, last = 0;
    cs_status_t st = CS_OK;
    for (size_t k = 0; st == CS_OK && k < n; k++) {
        if (thin && !bigram_kept(k, n))
            continue;
        if (vec.n == 0 || toks[k]->pos < first)
            first = toks[k]->pos;
        if (vec.n == 0 || toks[k]->pos > last)
            last = toks[k]->pos;
        st = push_token_term(p, &vec, toks[k]);
    }
    if (st == CS_OK)
        st = qvec_combine(p, &vec, XC_OP_PHRASE, last - first + 1, out);
    qvec_free(&vec);
    return st;
}

/* One form of a CJK run outside quotes (cs_term_run_form's sequence): its
 * bigrams as a phrase, or a lone character as its character term, which
 * documents carry for every CJK character: "教" finds 教練 and 說教, not
 * only a word "教". */
static cs_status_t form_query(parser_t *p, const cs_token_t *const *form, size_t n,
                              xc_query_t **out)
{
    if (n == 1 && form[0]->kind == CS_TOKEN_CJK) {
        char term[CS_TERM_BUF_BYTES];
        size_t len = 0;
        cs_status_t built = cs_term_char(form[0]->text, form[0]->len, term, &len);
        return make_term(p, built, term, len, out);
    }
    return tokens_phrase(p, form, n, true, out);
}

/* A CJK run outside quotes as written: its ICU words as a phrase, OR its
 * bigrams as a phrase, so a query segmented unlike the document still
 * matches.  A long run's bigrams alone find every text holding it; its
 * words would only add terms.  form is scratch room for the run. */
static cs_status_t written_run_query(parser_t *p, const cs_token_t *tokens, cs_token_span_t run,
                                     const cs_token_t **form, xc_query_t **out)
{
    size_t n = cs_term_run_form(tokens, run, false, form);
    if (run.bigrams == 0 || run.bigrams > CJK_ALL_BIGRAMS)
        return form_query(p, form, n, out);
    qvec_t either = {0};
    xc_query_t *q = NULL;
    cs_status_t st = form_query(p, form, n, &q);
    xc_query_t *bigrams = q;
    size_t words = 0;
    for (size_t k = run.first; k < run.end; k++)
        if (tokens[k].kind == CS_TOKEN_CJK && !tokens[k].variant)
            form[words++] = &tokens[k];
    q = NULL;
    if (st == CS_OK)
        st = tokens_phrase(p, form, words, false, &q);
    if (st == CS_OK && q)
        st = qvec_push(p, &either, q);
    if (st == CS_OK && bigrams) {
        st = qvec_push(p, &either, bigrams);
        bigrams = NULL;
    }
    xc_query_destroy(bigrams);
    if (st == CS_OK)
        st = qvec_combine(p, &either, XC_OP_OR, 0, out);
    qvec_free(&either);
    return st;
}

/* q OR its other-script alternative alt scaled by CS_TAIWAN_FORM_WEIGHT,
 * so a talk in the script typed ranks first.  Takes both. */
static cs_status_t typed_or_converted(parser_t *p, xc_query_t *q, xc_query_t *alt, xc_query_t **out)
{
    *out = q;
    if (!alt)
        return CS_OK;
    xc_query_t *scaled = NULL;
    cs_status_t st = from_xc(p, xc_query_scale(alt, CS_TAIWAN_FORM_WEIGHT, &scaled));
    xc_query_destroy(alt);
    qvec_t either = {0};
    *out = NULL;
    if (st == CS_OK && q)
        st = qvec_push(p, &either, q);
    else
        xc_query_destroy(q);
    if (st == CS_OK)
        st = qvec_push(p, &either, scaled);
    else
        xc_query_destroy(scaled);
    if (st == CS_OK)
        st = qvec_combine(p, &either, XC_OP_OR, 0, out);
    qvec_free(&either);
    return st;
}

/* A CJK run outside quotes: as written OR, weighted lower, its Taiwan form
 * (analysis.h), so 网络 finds 網路 and 程序 程式. */
static cs_status_t cjk_run_query(parser_t *p, const cs_token_t *tokens, cs_token_span_t run,
                                 xc_query_t **out)
{
    const cs_token_t **form = malloc((run.end - run.first) * sizeof *form);
    if (!form)
        return no_memory(p);
    xc_query_t *written = NULL, *taiwan = NULL;
    cs_status_t st = written_run_query(p, tokens, run, form, &written);
    size_t n = st == CS_OK ? cs_term_run_form(tokens, run, true, form) : 0;
    if (n > 0)
        st = form_query(p, form, n, &taiwan);
    free(form);
    if (st != CS_OK) {
        xc_query_destroy(written);
        return st;
    }
    return typed_or_converted(p, written, taiwan, out);
}

/* The word's stem AND_MAYBE the word as typed: every document holding the
 * word holds its stem (the indexer adds both), so this matches the same
 * documents as the stem OR the word and weighs each match the same (to the
 * last bit of rounding), but Xapian walks one posting list and only checks
 * the other for the stem's matches, where OR would merge both lists.
 * Without a stem, the word alone, as session_doc.c then adds no stem term
 * either. */
static cs_status_t word_query(parser_t *p, const cs_token_t *t, xc_query_t **out)
{
    qvec_t both = {0};
    char term[CS_TERM_BUF_BYTES];
    size_t n = 0;
    cs_status_t st = CS_OK;
    if (cs_term_stem(p->stemmer, t->text, t->len, term, &n) == CS_OK)
        st = push_term(p, &both, CS_OK, term, n);
    if (st == CS_OK)
        st = push_token_term(p, &both, t);
    if (st == CS_OK)
        st = qvec_combine(p, &both, XC_OP_AND_MAYBE, 0, out);
    qvec_free(&both);
    return st;
}

/* A word, number or compound as analysis gave it: a word with its stem,
 * else its term. */
static cs_status_t single_query(parser_t *p, const cs_token_t *t, xc_query_t **out)
{
    return t->kind == CS_TOKEN_WORD ? word_query(p, t, out) : token_term(p, t, out);
}

/* A compound outside quotes: its whole OR all of its parts.  The whole
 * finds it as written ("mock.patch", and "pycon" for "PyCon"); the parts,
 * anywhere in a talk, find what a reader counts as those words, and a talk
 * that has the whole too ranks above one where they are scattered. */
static cs_status_t compound_query(parser_t *p, const cs_token_t *tokens, cs_token_span_t sp,
                                  xc_query_t **out)
{
    qvec_t parts = {0}, either = {0};
    xc_query_t *q = NULL;
    cs_status_t st = CS_OK;
    for (size_t k = sp.first + sp.whole; st == CS_OK && k < sp.end; k++) {
        if (!tokens[k].part)
            continue; /* case pieces: the part they are cut from stands for them */
        st = single_query(p, &tokens[k], &q);
        if (st == CS_OK)
            st = qvec_push(p, &parts, q);
    }
    if (st == CS_OK && sp.whole && (st = single_query(p, &tokens[sp.first], &q)) == CS_OK)
        st = qvec_push(p, &either, q);
    if (st == CS_OK && (st = qvec_combine(p, &parts, XC_OP_AND, 0, &q)) == CS_OK && q)
        st = qvec_push(p, &either, q);
    if (st == CS_OK)
        st = qvec_combine(p, &either, XC_OP_OR, 0, out);
    qvec_free(&parts);
    qvec_free(&either);
    return st;
}

/* Terms single_query uses for a token. */
static size_t single_terms(const cs_token_t *t)
{
    return t->kind == CS_TOKEN_WORD ? 2 : 1;
}

/* Query text: every CJK run gets its Taiwan form, shared characters too
 * (analysis.h); the analyzer's mode is put back for its other users. */
static cs_status_t analyze(parser_t *p, size_t s, size_t n, const cs_token_t **tokens,
                           size_t *count)
{
    cs_variants_t was = cs_analyzer_set_variants(p->analyzer, CS_VARIANTS_QUERY);
    cs_status_t st = cs_analyze(p->analyzer, p->text + s, n, tokens, count);
    cs_analyzer_set_variants(p->analyzer, was);
    return from_analysis(p, st);
}

/* A chunk outside quotes: every word, number and CJK run of it, AND-ed. */
static cs_status_t chunk_query(parser_t *p, size_t s, size_t n, int in_exclusion, xc_query_t **out)
{
    const cs_token_t *tokens;
    size_t count;
    cs_status_t st = analyze(p, s, n, &tokens, &count);
    if (st != CS_OK || count == 0)
        return st;
    /* What the parts below will use: stem and word, a number, a compound's
     * whole and parts, per CJK run what cjk_run_query makes of it. */
    size_t terms = 0;
    for (size_t i = 0; i < count;) {
        cs_token_span_t sp = cs_term_span(tokens, count, i);
        i = sp.end;
        if (!sp.cjk)
            for (size_t k = sp.first; k < sp.end; k++)
                terms += tokens[k].piece ? 0 : single_terms(&tokens[k]);
        else
            terms += sp.bigrams > CJK_ALL_BIGRAMS
                         ? bigrams_kept(sp.bigrams) * (sp.variants ? 2 : 1)
                         : sp.end - sp.first + (sp.variants ? sp.bigrams : 0);
    }
    if ((st = use_terms(p, terms)) != CS_OK)
        return st;

    qvec_t parts = {0};
    for (size_t i = 0; st == CS_OK && i < count;) {
        cs_token_span_t sp = cs_term_span(tokens, count, i);
        i = sp.end;
        xc_query_t *part = NULL;
        if (sp.cjk)
            st = cjk_run_query(p, tokens, sp, &part);
        else if (sp.compound)
            st = compound_query(p, tokens, sp, &part);
        else
            st = single_query(p, &tokens[sp.first], &part);
        if (st == CS_OK && part)
            st = qvec_push(p, &parts, part);
    }
    if (st == CS_OK)
        st = qvec_combine(p, &parts, XC_OP_AND, 0, out);
    qvec_free(&parts);
    if (st == CS_OK && !in_exclusion)
        st = add_highlight(p, p->text + s, n, 0);
    return st;
}

/* Whether token k of a span that is no CJK run is one of a phrase's
 * terms: a compound's parts, any other token itself. */
static bool phrase_token(const cs_token_t *tokens, cs_token_span_t sp, size_t k)
{
    if (sp.compound)
        return tokens[k].part || (k == sp.first && sp.whole && tokens[k].kind != CS_TOKEN_COMPOUND);
    return k == sp.first;
}

/* The tokens of a phrase, in order, into seq (room for count): CJK runs as
 * written, or with taiwan in their Taiwan form where they have one
 * (cs_term_run_form), compounds as their parts, other tokens themselves. */
static size_t phrase_tokens(const cs_token_t *tokens, size_t count, bool taiwan,
                            const cs_token_t **seq)
{
    size_t n = 0;
    for (size_t i = 0; i < count;) {
        cs_token_span_t sp = cs_term_span(tokens, count, i);
        i = sp.end;
        if (sp.cjk)
            n += cs_term_run_form(tokens, sp, taiwan && sp.variants > 0, seq + n);
        else
            for (size_t k = sp.first; k < sp.end; k++)
                if (phrase_token(tokens, sp, k))
                    seq[n++] = &tokens[k];
    }
    return n;
}

/* A quoted phrase: exact words and numbers, compounds as their parts, CJK
 * runs as their bigrams (a lone CJK character as its word), all in order
 * within the positions they span, so "Django 教練" lines up with the
 * document's character positions and "mock patch" matches mock.patch.
 * With a Taiwan form of any run, the phrase as typed OR, weighted lower,
 * the phrase with every run in its Taiwan form. */
static cs_status_t phrase_query(parser_t *p, size_t s, size_t n, int in_exclusion, xc_query_t **out)
{
    trim(p, &s, &n);
    const cs_token_t *tokens;
    size_t count;
    cs_status_t st = analyze(p, s, n, &tokens, &count);
    if (st != CS_OK || count == 0)
        return st;
    const cs_token_t **seq = malloc(count * sizeof *seq);
    if (!seq)
        return no_memory(p);
    size_t variants = 0;
    for (size_t i = 0; i < count; i++)
        variants += tokens[i].variant;
    size_t typed = phrase_tokens(tokens, count, false, seq);
    size_t taiwan = variants ? phrase_tokens(tokens, count, true, seq) : 0;
    st = use_terms(p, typed + taiwan);
    xc_query_t *written = NULL, *converted = NULL;
    if (st == CS_OK && taiwan > 0)
        st = tokens_phrase(p, seq, taiwan, false, &converted);
    if (st == CS_OK)
        st = tokens_phrase(p, seq, phrase_tokens(tokens, count, false, seq), false, &written);
    free(seq);
    if (st == CS_OK)
        st = typed_or_converted(p, written, converted, out);
    else {
        xc_query_destroy(written);
        xc_query_destroy(converted);
    }
    if (st == CS_OK && !in_exclusion)
        st = add_highlight(p, p->text + s, n, 0);
    return st;
}

/* word*: the one folded word before the '*', expanded over unprefixed
 * terms; over CS_QUERY_MAX_EXPANSION words the search fails when run. */
static cs_status_t prefix_query(parser_t *p, size_t s, size_t n, int in_exclusion, xc_query_t **out)
{
    if (n == 0)
        return fail(p, CS_ERR_BAD_QUERY, "'*' must end a word, as in twis*");
    const cs_token_t *tokens;
    size_t count;
    cs_status_t st = analyze(p, s, n, &tokens, &count);
    if (st != CS_OK)
        return st;
    const cs_token_t *word = NULL;
    size_t words = 0;
    /* A compound ("mock.pat*") is expanded as its whole. */
    for (size_t i = 0; i < count; i++) {
        if (tokens[i].kind != CS_TOKEN_BIGRAM && !tokens[i].part && !tokens[i].piece &&
            !tokens[i].variant) {
            word = &tokens[i];
            words++;
        }
    }
    if (words == 0)
        return fail(p, CS_ERR_BAD_QUERY, "\"%.*s*\": '*' must end a word", (int)n, p->text + s);
    if (words > 1)
        return fail(p, CS_ERR_BAD_QUERY, "\"%.*s*\": '*' can end only a single word", (int)n,
                    p->text + s);
    if ((st = use_terms(p, 1)) != CS_OK)
        return st;
    char term[CS_TERM_BUF_BYTES];
    size_t tlen = 0;
    if (cs_term_word(word->text, word->len, term, &tlen) != CS_OK)
        return fail(p, CS_ERR_BAD_QUERY, "a word is too long");
    st = from_xc(
        p, xc_query_wildcard(term, tlen, CS_QUERY_MAX_EXPANSION, XC_WILDCARD_LIMIT_ERROR, out));
    if (st == CS_OK && !in_exclusion)
        st = add_highlight(p, p->text + s, n, 1);
    return st;
}

static cs_status_t add_filter(parser_t *p, int facet, size_t s, size_t n)
{
    trim(p, &s, &n);
    if (n == 0)
        return fail(p, CS_ERR_BAD_QUERY, "%s: needs a value, as in %s", facet_names[facet],
                    facet == CS_FACET_DAY          ? "day:1"
                    : facet == CS_FACET_ROOM       ? "room:R0"
                    : facet == CS_FACET_SPEAKER    ? "speaker:\"Dan Maas\""
                    : facet == CS_FACET_CONFERENCE ? "conference:\"PyCon APAC 2015\""
                                                   : "track:Security");
    cs_query_t *q = p->q;
    if (q->n_filters[facet] == CS_QUERY_MAX_FILTERS)
        return fail(p, CS_ERR_LIMIT, "too many %s: filters (max %d)", facet_names[facet],
                    CS_QUERY_MAX_FILTERS);
    char *v = malloc(n + 1);
    if (!v)
        return no_memory(p);
    memcpy(v, p->text + s, n);
    v[n] = '\0';
    q->filters[facet][q->n_filters[facet]++] = v;
    return CS_OK;
}

/* ------------------------------------------------------------------ */
/* The parser proper                                                   */

static cs_status_t parse_list(parser_t *p, int in_exclusion, xc_query_t **out);

static cs_status_t parse_primary(parser_t *p, int in_exclusion, xc_query_t **out, int *is_filter)
{
    *out = NULL;
    *is_filter = 0;
    if (p->text[p->at] == '(') {
        if (p->depth == CS_QUERY_MAX_DEPTH)
            return fail(p, CS_ERR_LIMIT, "too many nested parentheses (max %d)",
                        CS_QUERY_MAX_DEPTH);
        p->at++;
        p->depth++;
        cs_status_t st = parse_list(p, in_exclusion, out);
        if (st == CS_OK && p->at >= p->len)
            st = fail(p, CS_ERR_BAD_QUERY, "unbalanced parentheses: a '(' is not closed");
        if (st != CS_OK) {
            xc_query_destroy(*out);
            *out = NULL;
            return st;
        }
        p->at++; /* the ')' parse_list stopped at */
        p->depth--;
        return CS_OK;
    }
    if (quote_at(p, p->at) >= 0) {
        size_t s, n;
        cs_status_t st = read_quoted(p, &s, &n);
        return st == CS_OK ? phrase_query(p, s, n, in_exclusion, out) : st;
    }
    size_t s = p->at, e = chunk_end(p, p->at), name_len;
    p->at = e;
    int facet = filter_field(p, s, e, &name_len);
    if (facet >= 0) {
        *is_filter = 1;
        if (p->depth > 0)
            return fail(p, CS_ERR_BAD_QUERY,
                        "filters (day:, room:, speaker:) cannot be inside parentheses");
        if (e == s + name_len && quote_at(p, e) >= 0) {
            size_t vs, vn;
            cs_status_t st = read_quoted(p, &vs, &vn);
            return st == CS_OK ? add_filter(p, facet, vs, vn) : st;
        }
        return add_filter(p, facet, s + name_len, e - s - name_len);
    }
    if (p->text[e - 1] == '*')
        return prefix_query(p, s, e - 1 - s, in_exclusion, out);
    return chunk_query(p, s, e - s, in_exclusion, out);
}

static cs_status_t parse_unit(parser_t *p, int in_exclusion, xc_query_t **out, unit_kind_t *kind)
{
    int negate = 0, is_filter = 0;
    if (p->text[p->at] == '-' && p->at + 1 < p->len && p->text[p->at + 1] != ')' &&
        !space_at(p, p->at + 1)) {
        negate = 1;
        p->at++;
    }
    cs_status_t st = parse_primary(p, in_exclusion || negate, out, &is_filter);
    if (st == CS_OK && negate && is_filter)
        st = fail(p, CS_ERR_BAD_QUERY, "filters (day:, room:, speaker:) cannot be excluded");
    if (st != CS_OK) {
        xc_query_destroy(*out);
        *out = NULL;
        return st;
    }
    *kind = is_filter ? UNIT_FILTER : negate ? UNIT_EXCLUDED : UNIT_TEXT;
    return CS_OK;
}

static cs_status_t or_operand_error(parser_t *p, unit_kind_t kind)
{
    if (kind == UNIT_FILTER)
        return fail(p, CS_ERR_BAD_QUERY,
                    "filters (day:, room:, speaker:) cannot be joined with OR; repeat one "
                    "to allow several values, as in room:R0 room:R1");
    return fail(p, CS_ERR_BAD_QUERY, "an excluded term cannot be joined with OR");
}

static cs_status_t parse_either(parser_t *p, int in_exclusion, xc_query_t **out, unit_kind_t *kind)
{
    xc_query_t *first = NULL;
    cs_status_t st = parse_unit(p, in_exclusion, &first, kind);
    if (st != CS_OK)
        return st;
    skip_spaces(p);
    if (!or_at(p)) {
        *out = first;
        return CS_OK;
    }
    if (*kind != UNIT_TEXT) {
        xc_query_destroy(first);
        return or_operand_error(p, *kind);
    }
    qvec_t alts = {0};
    if (first)
        st = qvec_push(p, &alts, first);
    while (st == CS_OK && or_at(p)) {
        p->at += 2;
        skip_spaces(p);
        if (p->at >= p->len || p->text[p->at] == ')' || or_at(p)) {
            st = fail(p, CS_ERR_BAD_QUERY, "OR must stand between two terms");
            break;
        }
        xc_query_t *alt = NULL;
        unit_kind_t k;
        st = parse_unit(p, in_exclusion, &alt, &k);
        if (st == CS_OK && k != UNIT_TEXT) {
            xc_query_destroy(alt);
            st = or_operand_error(p, k);
        } else if (st == CS_OK && alt) {
            st = qvec_push(p, &alts, alt);
        }
        if (st == CS_OK)
            skip_spaces(p);
    }
    if (st == CS_OK)
        st = qvec_combine(p, &alts, XC_OP_OR, 0, out);
    qvec_free(&alts);
    *kind = UNIT_TEXT;
    return st;
}

/* Units up to ')' or the end: the positive ones AND-ed, minus the excluded
 * ones; excluded ones alone are subtracted from every document. */
static cs_status_t parse_list(parser_t *p, int in_exclusion, xc_query_t **out)
{
    qvec_t pos = {0}, neg = {0};
    cs_status_t st = CS_OK;
    *out = NULL;
    for (;;) {
        skip_spaces(p);
        if (p->at >= p->len || p->text[p->at] == ')')
            break;
        if (or_at(p)) {
            st = fail(p, CS_ERR_BAD_QUERY, "OR must stand between two terms");
            break;
        }
        xc_query_t *q = NULL;
        unit_kind_t kind;
        st = parse_either(p, in_exclusion, &q, &kind);
        if (st != CS_OK)
            break;
        if (q)
            st = qvec_push(p, kind == UNIT_EXCLUDED ? &neg : &pos, q);
        if (st != CS_OK)
            break;
    }
    xc_query_t *positive = NULL;
    if (st == CS_OK)
        st = qvec_combine(p, &pos, XC_OP_AND, 0, &positive);
    if (st == CS_OK && neg.n > 0) {
        if (!positive)
            st = from_xc(p, cs_query_all_talks(&positive));
        qvec_t minus = {0};
        if (st == CS_OK)
            st = qvec_push(p, &minus, positive);
        positive = NULL;
        for (size_t i = 0; st == CS_OK && i < neg.n; i++) {
            st = qvec_push(p, &minus, neg.v[i]);
            neg.v[i] = NULL;
        }
        if (st == CS_OK)
            st = qvec_combine(p, &minus, XC_OP_AND_NOT, 0, &positive);
        qvec_free(&minus);
    }
    /* Entries moved into minus were set to NULL, which destroys as a no-op. */
    qvec_free(&pos);
    qvec_free(&neg);
    if (st != CS_OK) {
        xc_query_destroy(positive);
        return st;
    }
    *out = positive;
    return CS_OK;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

cs_status_t cs_query_parse(cs_analyzer_t *analyzer, xc_stemmer_t *stemmer, const char *text,
                           size_t len, cs_query_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out)
        *out = NULL;
    if (!analyzer || !stemmer || !text || !out)
        return CS_ERR_NULL_ARG;
    parser_t p = {.analyzer = analyzer, .stemmer = stemmer, .text = text, .len = len};
    cs_status_t st = CS_OK;
    p.q = calloc(1, sizeof *p.q);
    if (!p.q)
        st = no_memory(&p);
    else if (len > CS_QUERY_MAX_BYTES)
        st = fail(&p, CS_ERR_LIMIT, "query too long (max %d bytes)", CS_QUERY_MAX_BYTES);
    else if (memchr(text, '\0', len))
        st = fail(&p, CS_ERR_BAD_QUERY, "the query contains a NUL byte");
    else if (!cs_utf8_valid(text, len))
        st = fail(&p, CS_ERR_BAD_QUERY, "the query is not valid UTF-8");
    if (st == CS_OK)
        st = parse_list(&p, 0, &p.q->xq);
    if (st == CS_OK && p.at < p.len) /* parse_list stops early only at ')' */
        st = fail(&p, CS_ERR_BAD_QUERY, "unbalanced parentheses: a ')' has no '('");
    if (st != CS_OK) {
        cs_query_destroy(p.q);
        if (errmsg)
            *errmsg = p.errmsg;
        else
            free(p.errmsg);
        return st;
    }
    *out = p.q;
    return CS_OK;
}

void cs_query_destroy(cs_query_t *q)
{
    if (!q)
        return;
    xc_query_destroy(q->xq);
    for (int f = 0; f < CS_FACET_COUNT; f++)
        for (size_t i = 0; i < q->n_filters[f]; i++)
            free(q->filters[f][i]);
    for (size_t i = 0; i < q->n_highlights; i++)
        free(q->highlights[i].text);
    free(q->highlights);
    free(q);
}

const xc_query_t *cs_query_xapian(const cs_query_t *q)
{
    return q ? q->xq : NULL;
}

size_t cs_query_filter_count(const cs_query_t *q, cs_facet_t facet)
{
    if (!q || (unsigned)facet >= CS_FACET_COUNT)
        return 0;
    return q->n_filters[facet];
}

const char *cs_query_filter(const cs_query_t *q, cs_facet_t facet, size_t i)
{
    if (!q || (unsigned)facet >= CS_FACET_COUNT || i >= q->n_filters[facet])
        return NULL;
    return q->filters[facet][i];
}

size_t cs_query_highlight_count(const cs_query_t *q)
{
    return q ? q->n_highlights : 0;
}

const char *cs_query_highlight(const cs_query_t *q, size_t i, int *is_prefix)
{
    if (!q || i >= q->n_highlights)
        return NULL;
    if (is_prefix)
        *is_prefix = q->highlights[i].is_prefix;
    return q->highlights[i].text;
}

size_t cs_query_term_count(const cs_query_t *q)
{
    return q ? q->n_terms : 0;
}

/* Values the indexer could never have written give NULL, as does a
 * failure to fold: either way the caller matches nothing rather than
 * everything. */
char *cs_query_filter_term(cs_analyzer_t *analyzer, cs_facet_t facet, const char *value, size_t len)
{
    cs_filter_t filter;
    switch (facet) {
    case CS_FACET_DAY: filter = CS_FILTER_DAY; break;
    case CS_FACET_ROOM: filter = CS_FILTER_ROOM; break;
    case CS_FACET_SPEAKER: filter = CS_FILTER_SPEAKER; break;
    case CS_FACET_CONFERENCE: filter = CS_FILTER_CONF; break;
    case CS_FACET_TRACK: filter = CS_FILTER_TRACK; break;
    default: return NULL;
    }
    char term[CS_TERM_BUF_BYTES];
    size_t n = 0;
    if (cs_term_filter(analyzer, filter, value, len, term, &n) != CS_OK)
        return NULL;
    return strndup(term, n);
}

xc_status_t cs_query_all_talks(xc_query_t **out)
{
    xc_query_t *parts[2] = {NULL, NULL};
    *out = NULL;
    xc_status_t xs = xc_query_match_all(&parts[0]);
    if (xs == XC_OK)
        xs = xc_query_term(CS_TERM_JOINED, strlen(CS_TERM_JOINED), 1, 0, &parts[1]);
    if (xs == XC_OK)
        xs = xc_query_combine(XC_OP_AND_NOT, parts, 2, 0, out);
    xc_query_destroy(parts[0]);
    xc_query_destroy(parts[1]);
    return xs == XC_OK ? XC_OK : XC_ERR_NO_MEMORY;
}
