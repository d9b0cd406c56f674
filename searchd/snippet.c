/* snippet.c: finds query matches in talk text by the analysis' own byte
 * offsets and writes them as escaped HTML with <mark>, whole or as a window. */
#define _GNU_SOURCE /* memmem */
#include "snippet.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "grow.h"
#include "script_fold.h"
#include "strmap.h"
#include "terms.h"

/* Context analysed past the end of an unhighlighted snippet, so the word
 * that the cut falls in is seen whole (or known to be longer than this). */
#define SNIPPET_LOOKAHEAD_CHARS 64

/* How far a snippet's cut may move to land on a space. */
#define SNIPPET_EDGE_CHARS 16

/* A snippet analyses its text in pieces, the first this long and each next
 * one twice the last up to SNIPPET_PIECE_MAX, and stops once every query
 * concept has been seen or SNIPPET_ANALYSE_MAX bytes were analysed: a hit's
 * cost is bounded whatever the size of its talk (the profile of issue 12
 * had whole bodies re-analysed for every hit). */
#define SNIPPET_PIECE_FIRST 4096
#define SNIPPET_PIECE_MAX 65536
#define SNIPPET_ANALYSE_MAX (256 * 1024)

/* How far back from a piece's end a cut looks for a space, so no word or
 * CJK run is split between two pieces where that can be helped. */
#define SNIPPET_PIECE_CUT_BACK 512

#define NO_ID UINT32_MAX

/* ------------------------------------------------------------------ */
/* Query words, stems and CJK bigrams are looked up once per text token in
 * string maps (strmap.h), so a long query does not cost O(text * query).
 * Their values here are concepts and bigram ids, which fit 32 bits. */

static bool strmap_get(const cs_strmap_t *m, const char *s, size_t len, uint32_t *value)
{
    const int64_t *v = cs_strmap_get(m, s, len);
    if (!v)
        return false;
    *value = (uint32_t)*v;
    return true;
}

/* Stores s -> value unless s is present; *stored gets the value s now has. */
static cs_status_t strmap_put(cs_strmap_t *m, const char *s, size_t len, uint32_t value,
                              uint32_t *stored)
{
    const int64_t *v = cs_strmap_put(m, s, len, value, NULL, NULL);
    if (!v)
        return CS_ERR_NO_MEMORY;
    if (stored)
        *stored = (uint32_t)*v;
    return CS_OK;
}

/* ------------------------------------------------------------------ */
/* The highlighter.  Every query item belongs to a "concept": the window
 * is chosen by how many distinct concepts it shows, so "testing" and
 * "tests" in one query count once, as they match the same words. */

typedef struct {
    char *text;
    size_t len;
    uint32_t concept;
} prefix_item_t;

typedef struct {
    uint32_t *ids; /* bigram ids of the query's CJK run, in order */
    size_t *fail;  /* KMP failure function of ids */
    size_t count;
    uint32_t concept;
} cjk_seq_t;

struct cs_highlighter {
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    uint32_t concepts;
    cs_strmap_t *words; /* folded word or number -> concept */
    cs_strmap_t *stems; /* stem -> concept */
    /* The first bytes the stems start with: Snowball's English stem of a
     * word starts as the word does, so a text word starting otherwise is
     * not stemmed at all (stemming every word of every hit's snippet was
     * a twentieth of a search). */
    uint8_t stem_starts[32];
    cs_strmap_t *bigrams; /* folded CJK bigram -> bigram id */
    cs_strmap_t *chars;   /* folded single CJK character -> concept */
    prefix_item_t *prefixes;
    size_t nprefixes;
    cjk_seq_t *seqs;
    size_t nseqs;
    size_t analysed; /* bytes the last snippet analysed */
};

cs_status_t cs_highlighter_create(cs_analyzer_t *analyzer, xc_stemmer_t *stemmer,
                                  cs_highlighter_t **out)
{
    if (out)
        *out = NULL;
    if (!analyzer || !stemmer || !out)
        return CS_ERR_NULL_ARG;
    cs_highlighter_t *h = calloc(1, sizeof *h);
    if (!h)
        return CS_ERR_NO_MEMORY;
    h->analyzer = analyzer;
    h->stemmer = stemmer;
    if (cs_strmap_create(&h->words) != CS_OK || cs_strmap_create(&h->stems) != CS_OK ||
        cs_strmap_create(&h->bigrams) != CS_OK || cs_strmap_create(&h->chars) != CS_OK) {
        cs_highlighter_destroy(h);
        return CS_ERR_NO_MEMORY;
    }
    *out = h;
    return CS_OK;
}

void cs_highlighter_destroy(cs_highlighter_t *h)
{
    if (!h)
        return;
    cs_strmap_destroy(h->words);
    cs_strmap_destroy(h->stems);
    cs_strmap_destroy(h->bigrams);
    cs_strmap_destroy(h->chars);
    for (size_t i = 0; i < h->nprefixes; i++)
        free(h->prefixes[i].text);
    free(h->prefixes);
    for (size_t i = 0; i < h->nseqs; i++) {
        free(h->seqs[i].ids);
        free(h->seqs[i].fail);
    }
    free(h->seqs);
    free(h);
}

static bool has_items(const cs_highlighter_t *h)
{
    return h->concepts > 0;
}

/* Stems into *buf (a caller's stack buffer, or malloc'd when the stem is
 * longer: then *heap is set and the caller frees it).  A stemmer failure
 * other than memory only costs the stem match, so it is not an error. */
static cs_status_t stem_word(xc_stemmer_t *st, const char *word, size_t len, char *stack,
                             size_t stacksize, char **buf, size_t *outlen, char **heap)
{
    *heap = NULL;
    *buf = NULL;
    size_t need = 0;
    xc_status_t xs = xc_stemmer_stem(st, word, len, stack, stacksize, &need);
    if (xs == XC_OK) {
        *buf = stack;
        *outlen = need;
        return CS_OK;
    }
    if (xs == XC_ERR_NO_MEMORY)
        return CS_ERR_NO_MEMORY;
    if (xs != XC_ERR_INVALID_ARG || need == 0 || need >= SIZE_MAX / 2)
        return CS_OK;
    *heap = malloc(need + 1);
    if (!*heap)
        return CS_ERR_NO_MEMORY;
    xs = xc_stemmer_stem(st, word, len, *heap, need + 1, outlen);
    if (xs == XC_OK) {
        *buf = *heap;
        return CS_OK;
    }
    free(*heap);
    *heap = NULL;
    return xs == XC_ERR_NO_MEMORY ? CS_ERR_NO_MEMORY : CS_OK;
}

static cs_status_t add_word(cs_highlighter_t *h, const cs_token_t *t)
{
    uint32_t concept;
    if (strmap_get(h->words, t->text, t->len, &concept))
        return CS_OK;
    /* A new concept number is taken as soon as a map stores it, so no map
     * ever holds a number that h->concepts does not yet count. */
    concept = h->concepts;
    if (t->kind == CS_TOKEN_WORD) {
        char stack[4 * CS_MAX_TOKEN_BYTES], *stem, *heap;
        size_t stemlen;
        cs_status_t st =
            stem_word(h->stemmer, t->text, t->len, stack, sizeof stack, &stem, &stemlen, &heap);
        if (st == CS_OK && stem && stemlen > 0) {
            h->stem_starts[(uint8_t)stem[0] / 8] |= (uint8_t)(1u << ((uint8_t)stem[0] % 8));
            st = strmap_put(h->stems, stem, stemlen, concept, &concept);
            if (st == CS_OK && concept == h->concepts)
                h->concepts++;
        }
        free(heap);
        if (st != CS_OK)
            return st;
    }
    uint32_t stored;
    cs_status_t st = strmap_put(h->words, t->text, t->len, concept, &stored);
    if (st == CS_OK && stored == h->concepts)
        h->concepts++;
    return st;
}

static cs_status_t add_prefix(cs_highlighter_t *h, const cs_token_t *t)
{
    for (size_t i = 0; i < h->nprefixes; i++) {
        if (h->prefixes[i].len == t->len && memcmp(h->prefixes[i].text, t->text, t->len) == 0)
            return CS_OK;
    }
    prefix_item_t *p = realloc(h->prefixes, (h->nprefixes + 1) * sizeof *p);
    if (!p)
        return CS_ERR_NO_MEMORY;
    h->prefixes = p;
    char *text = malloc(t->len + 1);
    if (!text)
        return CS_ERR_NO_MEMORY;
    memcpy(text, t->text, t->len);
    text[t->len] = '\0';
    p[h->nprefixes++] = (prefix_item_t){text, t->len, h->concepts++};
    return CS_OK;
}

static void kmp_failure(const uint32_t *p, size_t k, size_t *fail)
{
    fail[0] = 0;
    for (size_t i = 1, q = 0; i < k; i++) {
        while (q > 0 && p[i] != p[q])
            q = fail[q - 1];
        if (p[i] == p[q])
            q++;
        fail[i] = q;
    }
}

/* One form of a CJK run of the query (cs_term_run_form: its bigrams, or a
 * lone character), marked as concept; *fresh is set when it was new.  A
 * run is matched through its bigrams rather than its characters: both
 * sides come out of the same folding, so even a character that NFKC turns
 * into several still compares equal. */
static cs_status_t add_cjk_form(cs_highlighter_t *h, const cs_token_t *const *form, size_t n,
                                uint32_t concept, bool *fresh)
{
    if (n == 1 && form[0]->kind == CS_TOKEN_CJK) {
        uint32_t stored;
        cs_status_t st = strmap_put(h->chars, form[0]->text, form[0]->len, concept, &stored);
        *fresh |= st == CS_OK && stored == concept;
        return st;
    }
    uint32_t *ids = malloc(n * sizeof *ids);
    size_t *fail = malloc(n * sizeof *fail);
    if (!ids || !fail)
        goto nomem;
    for (size_t k = 0; k < n; k++)
        if (strmap_put(h->bigrams, form[k]->text, form[k]->len,
                       (uint32_t)cs_strmap_count(h->bigrams), &ids[k]) != CS_OK)
            goto nomem;
    for (size_t i = 0; i < h->nseqs; i++) {
        if (h->seqs[i].count == n && memcmp(h->seqs[i].ids, ids, n * sizeof *ids) == 0) {
            free(ids);
            free(fail);
            return CS_OK;
        }
    }
    cjk_seq_t *seqs = realloc(h->seqs, (h->nseqs + 1) * sizeof *seqs);
    if (!seqs)
        goto nomem;
    h->seqs = seqs;
    kmp_failure(ids, n, fail);
    seqs[h->nseqs++] = (cjk_seq_t){ids, fail, n, concept};
    *fresh = true;
    return CS_OK;
nomem:
    free(ids);
    free(fail);
    return CS_ERR_NO_MEMORY;
}

/* One CJK run of the query: as typed and in its Taiwan form (analysis.h),
 * one concept for both, so 网络 marks 网络 and 網路 alike. */
static cs_status_t add_cjk_run(cs_highlighter_t *h, const cs_token_t *toks, cs_token_span_t run)
{
    const cs_token_t **form = malloc((run.end - run.first) * sizeof *form);
    if (!form)
        return CS_ERR_NO_MEMORY;
    bool fresh = false;
    cs_status_t st = CS_OK;
    for (int taiwan = 0; taiwan < 2 && st == CS_OK; taiwan++) {
        size_t n = cs_term_run_form(toks, run, taiwan, form);
        if (n > 0)
            st = add_cjk_form(h, form, n, h->concepts, &fresh);
    }
    free(form);
    if (fresh)
        h->concepts++;
    return st;
}

cs_status_t cs_highlighter_add(cs_highlighter_t *h, const char *text, size_t len, int is_prefix)
{
    if (!h || !text)
        return CS_ERR_NULL_ARG;
    const cs_token_t *toks;
    size_t n;
    /* Query text, analysed as the query parser does (CS_VARIANTS_QUERY). */
    cs_variants_t was = cs_analyzer_set_variants(h->analyzer, CS_VARIANTS_QUERY);
    cs_status_t st = cs_analyze(h->analyzer, text, len, &toks, &n);
    cs_analyzer_set_variants(h->analyzer, was);
    if (st != CS_OK)
        return st;
    for (size_t i = 0; i < n && st == CS_OK;) {
        cs_token_span_t sp = cs_term_span(toks, n, i);
        i = sp.end;
        const cs_token_t *t = &toks[sp.first];
        if (sp.cjk)
            st = add_cjk_run(h, toks, sp);
        /* "game serv*": only the word the star was written after is a
         * prefix; the text's last token is the one furthest right (of a
         * compound, "mock.pat*", its whole, as the query expands it). */
        else if (is_prefix && sp.end == n)
            st = add_prefix(h, sp.compound && !sp.whole ? &toks[sp.end - 1] : t);
        else /* a compound: its whole and each part, so a part found alone is marked */
            for (size_t k = sp.first; k < sp.end && st == CS_OK; k++)
                st = toks[k].piece ? CS_OK : add_word(h, &toks[k]);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* Matching */

typedef struct {
    size_t start, end;   /* bytes in the text */
    size_t cstart, cend; /* the same in code points (snippets only) */
    uint32_t concept;
} match_t;

typedef struct {
    match_t *v;
    size_t n, cap;
} matches_t;

static cs_status_t push_match(matches_t *m, size_t start, size_t end, uint32_t concept)
{
    if (start >= end)
        return CS_OK;
    if (!cs_grow(&m->v, &m->cap, m->n + 1, sizeof *m->v, 32))
        return CS_ERR_NO_MEMORY;
    m->v[m->n++] = (match_t){start, end, 0, 0, concept};
    return CS_OK;
}

static cs_status_t match_word(const cs_highlighter_t *h, const cs_token_t *t, matches_t *out)
{
    uint32_t concept;
    cs_status_t st = CS_OK;
    if (strmap_get(h->words, t->text, t->len, &concept)) {
        st = push_match(out, t->start, t->end, concept);
    } else if (t->kind == CS_TOKEN_WORD && t->len > 0 &&
               (h->stem_starts[(uint8_t)t->text[0] / 8] >> ((uint8_t)t->text[0] % 8) & 1)) {
        char stack[4 * CS_MAX_TOKEN_BYTES], *stem, *heap;
        size_t stemlen;
        st = stem_word(h->stemmer, t->text, t->len, stack, sizeof stack, &stem, &stemlen, &heap);
        if (st == CS_OK && stem && strmap_get(h->stems, stem, stemlen, &concept))
            st = push_match(out, t->start, t->end, concept);
        free(heap);
    }
    for (size_t i = 0; i < h->nprefixes && st == CS_OK; i++) {
        const prefix_item_t *p = &h->prefixes[i];
        if (t->len >= p->len && memcmp(t->text, p->text, p->len) == 0)
            st = push_match(out, t->start, t->end, p->concept);
    }
    return st;
}

/* Offsets come from another module: never trust them past len. */
static bool token_in_text(const cs_token_t *t, size_t len)
{
    return t->start < t->end && t->end <= len;
}

static int cmp_token_start(const void *a, const void *b)
{
    const cs_token_t *x = *(const cs_token_t *const *)a, *y = *(const cs_token_t *const *)b;
    return (x->start > y->start) - (x->start < y->start);
}

/* One form of a CJK run of the text (cs_term_run_form's: as written, or
 * its Taiwan form, whose tokens carry the bytes of the characters as
 * written).  bigrams and ids are scratch arrays of at least the run's
 * token count.  Bigram j spans characters j and j+1, so its start is where
 * character j starts: that is how characters are mapped back to bytes of
 * the original. */
static cs_status_t match_cjk_run(const cs_highlighter_t *h, const char *text, size_t len,
                                 const cs_token_t *run_toks, cs_token_span_t run, bool taiwan,
                                 const cs_token_t **bigrams, uint32_t *ids, matches_t *out)
{
    cs_status_t st = CS_OK;
    for (size_t i = run.first; i < run.end; i++)
        if (!token_in_text(&run_toks[i], len))
            return CS_OK;
    size_t n = cs_term_run_form(run_toks, run, taiwan, bigrams);
    /* A lone character's form is its word, no bigram. */
    const cs_token_t *const *toks = bigrams;
    size_t m = n == 1 && bigrams[0]->kind == CS_TOKEN_CJK ? 0 : n;
    bool sorted = true;
    for (size_t j = 1; j < m; j++)
        sorted = sorted && bigrams[j]->start >= bigrams[j - 1]->start;
    if (!sorted)
        qsort(bigrams, m, sizeof *bigrams, cmp_token_start);

    if (m > 0 && h->nseqs > 0) {
        bool any = false;
        for (size_t j = 0; j < m; j++) {
            if (!strmap_get(h->bigrams, bigrams[j]->text, bigrams[j]->len, &ids[j]))
                ids[j] = NO_ID;
            any |= ids[j] != NO_ID;
        }
        for (size_t s = 0; any && s < h->nseqs && st == CS_OK; s++) {
            const cjk_seq_t *seq = &h->seqs[s];
            for (size_t j = 0, q = 0; j < m && st == CS_OK; j++) {
                while (q > 0 && seq->ids[q] != ids[j])
                    q = seq->fail[q - 1];
                if (seq->ids[q] == ids[j])
                    q++;
                if (q == seq->count) {
                    st = push_match(out, bigrams[j + 1 - q]->start, bigrams[j]->end, seq->concept);
                    q = seq->fail[q - 1];
                }
            }
        }
    }

    if (cs_strmap_count(h->chars) == 0 || st != CS_OK)
        return st;
    uint32_t concept;
    if (m == 0) {
        for (size_t i = 0; i < n && st == CS_OK; i++) {
            if (strmap_get(h->chars, toks[i]->text, toks[i]->len, &concept))
                st = push_match(out, toks[i]->start, toks[i]->end, concept);
        }
        return st;
    }
    /* Where the last two characters meet: bigram m-2 ends with the first
     * of them; a two-character run has to be decoded. */
    const cs_token_t *last = bigrams[m - 1];
    size_t last_split = m >= 2 ? bigrams[m - 2]->end
                               : last->start + cs_term_char_bytes(text, last->start, last->end);
    if (last_split <= last->start || last_split >= last->end)
        return st;
    size_t last_fold_split = cs_term_char_bytes(last->text, 0, last->len);
    for (size_t i = 0; i <= m && st == CS_OK; i++) {
        const char *fold;
        size_t foldlen, start, end;
        if (i < m) {
            fold = bigrams[i]->text;
            foldlen = cs_term_char_bytes(fold, 0, bigrams[i]->len);
            start = bigrams[i]->start;
            end = i + 1 < m ? bigrams[i + 1]->start : last_split;
        } else {
            fold = last->text + last_fold_split;
            foldlen = last->len - last_fold_split;
            start = last_split;
            end = last->end;
        }
        if (strmap_get(h->chars, fold, foldlen, &concept))
            st = push_match(out, start, end, concept);
    }
    return st;
}

static int cmp_match(const void *a, const void *b)
{
    const match_t *x = a, *y = b;
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    return (x->end > y->end) - (x->end < y->end);
}

static bool has_cjk_items(const cs_highlighter_t *h)
{
    return h->nseqs > 0 || cs_strmap_count(h->chars) > 0;
}

/* cs_analyze of a text to mark, with the Taiwan forms (OpenCC) of its
 * Simplified runs when variants is true (piece_needs_variants says when
 * they can match anything). */
static cs_status_t analyze_as(cs_highlighter_t *h, const char *text, size_t len, bool variants,
                              const cs_token_t **toks, size_t *n)
{
    cs_variants_t was = CS_VARIANTS_DOCUMENT;
    if (!variants)
        was = cs_analyzer_set_variants(h->analyzer, CS_VARIANTS_NONE);
    cs_status_t st = cs_analyze(h->analyzer, text, len, toks, n);
    if (!variants)
        cs_analyzer_set_variants(h->analyzer, was);
    return st;
}

/* All matches of h's items among toks, sorted by start.  Latin token
 * ranges go to *words (sorted: they never overlap) when words is not NULL,
 * for cutting snippets between words. */
static cs_status_t find_matches(const cs_highlighter_t *h, const char *text, size_t len,
                                const cs_token_t *toks, size_t n, matches_t *out, matches_t *words)
{
    cs_status_t st = CS_OK;
    const cs_token_t **bigrams = NULL;
    uint32_t *ids = NULL;
    size_t scratch = 0;
    for (size_t i = 0; i < n && st == CS_OK;) {
        cs_token_span_t sp = cs_term_span(toks, n, i);
        i = sp.end;
        const cs_token_t *t = &toks[sp.first];
        if (sp.cjk) {
            size_t ntoks = sp.end - sp.first;
            if (has_items(h) && ntoks > scratch) {
                scratch = ntoks;
                free(bigrams);
                free(ids);
                bigrams = malloc(scratch * sizeof *bigrams);
                ids = malloc(scratch * sizeof *ids);
                if (!bigrams || !ids) {
                    st = CS_ERR_NO_MEMORY;
                    break;
                }
            }
            for (int taiwan = 0; has_items(h) && st == CS_OK && taiwan < 2; taiwan++)
                st = match_cjk_run(h, text, len, toks, sp, taiwan, bigrams, ids, out);
        } else {
            /* A compound's tokens all lie within its first and last part. */
            size_t start = t->start, end = t->end;
            for (size_t k = sp.first; k < sp.end; k++)
                end = toks[k].end > end ? toks[k].end : end;
            if (words && start < end && end <= len)
                st = push_match(words, start, end, 0);
            for (size_t k = sp.first; k < sp.end && st == CS_OK && has_items(h); k++)
                if (token_in_text(&toks[k], len))
                    st = match_word(h, &toks[k], out);
        }
    }
    free(bigrams);
    free(ids);
    if (st == CS_OK && out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_match);
    return st;
}

/* Overlapping or touching matches become one range, in place. */
static size_t merge_ranges(match_t *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && v[i].start <= v[k - 1].end) {
            if (v[i].end > v[k - 1].end)
                v[k - 1].end = v[i].end;
        } else {
            v[k++] = v[i];
        }
    }
    return k;
}

/* ------------------------------------------------------------------ */
/* HTML output */

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
    bool collapse;      /* snippet: whitespace runs become one space */
    bool pending_space; /* a collapsed run not written yet */
    bool shown;         /* a character of the text has been written */
} html_t;

static void html_put(html_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (!cs_grow(&b->p, &b->cap, b->len + n + 1, 1, 64)) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void html_literal(html_t *b, const char *s)
{
    html_put(b, s, strlen(s));
}

/* A collapsed space is written only between two characters of the text,
 * so snippets come out trimmed, also next to an "…". */
static void html_flush_space(html_t *b)
{
    if (b->pending_space && b->shown)
        html_put(b, " ", 1);
    b->pending_space = false;
}

/* Escapes text[from, to).  Reads nothing at or past to, so a range cut
 * inside a sequence yields U+FFFD rather than an overread; every byte that
 * is not valid UTF-8 becomes U+FFFD, and so do controls, which HTML does
 * not allow and a NUL would cut the C string short. */
static void html_escape(html_t *b, const char *text, size_t from, size_t to)
{
    const uint8_t *u = (const uint8_t *)text;
    size_t i = from;
    while (i < to) {
        size_t cp_start = i;
        UChar32 c;
        U8_NEXT(u, i, to, c);
        if (b->collapse && c >= 0 && u_isUWhiteSpace(c)) {
            b->pending_space = true;
            continue;
        }
        if (b->collapse)
            html_flush_space(b);
        b->shown = true;
        switch (c) {
        case '&': html_literal(b, "&amp;"); break;
        case '<': html_literal(b, "&lt;"); break;
        case '>': html_literal(b, "&gt;"); break;
        case '"': html_literal(b, "&quot;"); break;
        case '\'': html_literal(b, "&#39;"); break;
        case '\t':
        case '\n':
        case '\r': html_put(b, (const char *)u + cp_start, 1); break;
        default:
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
                html_literal(b, "\xEF\xBF\xBD"); /* also c < 0: ill-formed */
            else
                html_put(b, (const char *)u + cp_start, i - cp_start);
        }
    }
}

/* text[from, to) with the merged ranges r[0..n) marked, clipped to it. */
static void html_marked(html_t *b, const char *text, size_t from, size_t to, const match_t *r,
                        size_t n)
{
    size_t pos = from;
    for (size_t i = 0; i < n && r[i].start < to; i++) {
        if (r[i].end <= pos)
            continue;
        size_t s = r[i].start > pos ? r[i].start : pos;
        size_t e = r[i].end < to ? r[i].end : to;
        html_escape(b, text, pos, s);
        if (b->collapse)
            html_flush_space(b);
        html_literal(b, "<mark>");
        html_escape(b, text, s, e);
        html_literal(b, "</mark>");
        pos = e;
    }
    html_escape(b, text, pos, to);
}

static char *html_finish(html_t *b)
{
    if (!b->oom && !b->p)
        html_put(b, "", 0);
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* ------------------------------------------------------------------ */
/* Snippet windows, measured in code points as U8_NEXT counts them (an
 * ill-formed sequence is one, as it is written as one U+FFFD). */

typedef struct {
    size_t byte;
    size_t *cp;
} cp_query_t;

static int cmp_cp_query(const void *a, const void *b)
{
    const cp_query_t *x = a, *y = b;
    return (x->byte > y->byte) - (x->byte < y->byte);
}

/* Fills every match's cstart/cend in one pass over the text (after one
 * sort), and returns the text's length in code points (SIZE_MAX: no
 * memory). */
static size_t count_code_points(const char *text, size_t len, match_t *v, size_t n)
{
    cp_query_t *q = n ? malloc(2 * n * sizeof *q) : NULL;
    if (n && !q)
        return SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        q[2 * i] = (cp_query_t){v[i].start, &v[i].cstart};
        q[2 * i + 1] = (cp_query_t){v[i].end, &v[i].cend};
    }
    if (n)
        qsort(q, 2 * n, sizeof *q, cmp_cp_query);
    const uint8_t *u = (const uint8_t *)text;
    size_t i = 0, cps = 0;
    for (size_t k = 0; k < 2 * n; k++) {
        while (i < q[k].byte && i < len) {
            UChar32 c;
            U8_NEXT(u, i, len, c);
            (void)c;
            cps++;
        }
        *q[k].cp = cps;
    }
    free(q);
    while (i < len) {
        UChar32 c;
        U8_NEXT(u, i, len, c);
        (void)c;
        cps++;
    }
    return cps;
}

/* The byte offset where code point number cp starts (len past the end). */
static size_t byte_of_code_point(const char *text, size_t len, size_t from_byte, size_t from_cp,
                                 size_t cp)
{
    const uint8_t *u = (const uint8_t *)text;
    size_t i = from_byte;
    for (size_t k = from_cp; k < cp && i < len; k++) {
        UChar32 c;
        U8_NEXT(u, i, len, c);
        (void)c;
    }
    return i;
}

/* Whether text[from, to) has anything a snippet would show. */
static bool has_visible(const char *text, size_t from, size_t to)
{
    const uint8_t *u = (const uint8_t *)text;
    for (size_t i = from; i < to;) {
        UChar32 c;
        U8_NEXT(u, i, to, c);
        if (c < 0 || !u_isUWhiteSpace(c))
            return true;
    }
    return false;
}

/* The Latin word strictly containing byte pos, if any (words sorted). */
static const match_t *word_around(const matches_t *words, size_t pos)
{
    size_t lo = 0, hi = words->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (words->v[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const match_t *w = &words->v[lo - 1];
    return w->end > pos ? w : NULL;
}

typedef struct {
    size_t cstart, cend;       /* code points */
    size_t keep_from, keep_to; /* bytes of the matches it was chosen for */
} window_t;

/* The window of max_chars code points showing the most distinct concepts,
 * ties to the earliest, its matches centred in it. */
static cs_status_t choose_window(const cs_highlighter_t *h, const match_t *v, size_t n,
                                 size_t total, size_t max_chars, window_t *win)
{
    size_t first = 0, last = 0, best = 0;
    if (n > 0) {
        uint32_t *seen = calloc(h->concepts ? h->concepts : 1, sizeof *seen);
        if (!seen)
            return CS_ERR_NO_MEMORY;
        size_t distinct = 0, r = 0;
        /* Windows start at a match; v is sorted by start, so the right
         * edge only ever moves forward. */
        for (size_t i = 0; i < n; i++) {
            if (r < i)
                r = i;
            while (r < n && v[r].cend - v[i].cstart <= max_chars) {
                if (seen[v[r].concept]++ == 0)
                    distinct++;
                r++;
            }
            if (distinct > best) {
                best = distinct;
                first = last = i;
                for (size_t k = i; k < r; k++)
                    last = v[k].cend > v[last].cend ? k : last;
            }
            if (r > i && --seen[v[i].concept] == 0)
                distinct--;
        }
        free(seen);
    }
    *win = (window_t){0, max_chars < total ? max_chars : total, SIZE_MAX, 0};
    if (n == 0)
        return CS_OK;
    if (best == 0) { /* every match is longer than the window: show a start */
        win->cstart = v[0].cstart;
    } else {
        size_t span = v[last].cend - v[first].cstart;
        size_t before = (max_chars - span) / 2;
        win->cstart = v[first].cstart - (v[first].cstart < before ? v[first].cstart : before);
        win->keep_from = v[first].start;
        win->keep_to = v[last].end;
    }
    if (win->cstart + max_chars > total)
        win->cstart = total > max_chars ? total - max_chars : 0;
    win->cend = win->cstart + max_chars < total ? win->cstart + max_chars : total;
    return CS_OK;
}

/* Whether the code point at text[i..len) is white space. */
static bool space_at(const char *text, size_t i, size_t len)
{
    if (i >= len)
        return false;
    UChar32 c;
    U8_NEXT((const uint8_t *)text, i, len, c);
    return c >= 0 && u_isUWhiteSpace(c);
}

/* Whether the code point ending at text[i] is white space. */
static bool space_before(const char *text, size_t i)
{
    size_t p = i;
    while (p > 0 && i - p < 4) {
        p--;
        if (((unsigned char)text[p] & 0xC0) != 0x80)
            break;
    }
    return p < i && space_at(text, p, i);
}

/* A cut inside a run of non-space characters (a rule of dashes, a URL, a
 * Chinese sentence) moves forward to a space when one is near and no
 * match is lost. */
static size_t start_at_space(const char *text, size_t len, size_t from, size_t limit)
{
    if (from == 0 || space_before(text, from) || space_at(text, from, len))
        return from;
    const uint8_t *u = (const uint8_t *)text;
    size_t i = from;
    for (int k = 0; k < SNIPPET_EDGE_CHARS && i < limit; k++) {
        size_t at = i;
        UChar32 c;
        U8_NEXT(u, i, len, c);
        if (c >= 0 && u_isUWhiteSpace(c))
            return at;
    }
    return from;
}

/* The same for the end of the window, moving it back from to. */
static size_t end_at_space(const char *text, size_t len, size_t from, size_t to, size_t keep)
{
    if (to >= len || space_at(text, to, len) || space_before(text, to))
        return to;
    const uint8_t *u = (const uint8_t *)text;
    size_t space = to, after = 0;
    for (size_t i = keep > from ? keep : from; i < to;) {
        size_t at = i;
        UChar32 c;
        U8_NEXT(u, i, to, c);
        if (c >= 0 && u_isUWhiteSpace(c)) {
            space = at;
            after = 0;
        } else {
            after++;
        }
    }
    return space > from && after <= SNIPPET_EDGE_CHARS ? space : to;
}

/* Where a piece of text[from, len) of about want bytes ends: after a
 * space near the end when there is one, else at a code point boundary. */
static size_t piece_end(const char *text, size_t len, size_t from, size_t want)
{
    if (len - from <= want)
        return len;
    size_t end = from + want;
    while (end > from && ((unsigned char)text[end] & 0xC0) == 0x80)
        end--;
    for (size_t i = end; i > from && end - i < SNIPPET_PIECE_CUT_BACK; i--)
        if (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t')
            return i;
    return end > from ? end : len;
}

/* The matches (and Latin word ranges) of text, analysed piece by piece
 * until every concept was found or the analysis budget is spent; *analysed
 * gets how far the text was analysed. */
/* Whether a piece of text needs the Taiwan forms of its Simplified runs to
 * show the query's CJK items: it holds a Simplified-only character and
 * some CJK item of the query does not stand in it as written.  Making the
 * forms costs an OpenCC conversion per run (a third of a Chinese query's
 * time on the mix-2 corpus, bench/RESULTS.md), and a Simplified query
 * word in Simplified notes (部署, 测试 typed as such) needs none. */
static bool piece_needs_variants(const cs_highlighter_t *h, const char *text, size_t len)
{
    if (!has_cjk_items(h))
        return false;
    bool simplified = false;
    for (int32_t i = 0; (size_t)i < len && !simplified;) {
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        if (c >= 0x3400 && cs_script_is_simplified(c, &simplified) != CS_OK)
            return true;
    }
    if (!simplified)
        return false;
    const cs_strmap_t *items[] = {h->bigrams, h->chars};
    for (size_t k = 0; k < 2; k++) {
        const char *key;
        size_t klen, at = 0;
        while (cs_strmap_next(items[k], &at, &key, &klen, NULL))
            if (!memmem(text, len, key, klen))
                return true;
    }
    return false;
}

static cs_status_t matches_in_pieces(cs_highlighter_t *h, const char *text, size_t len,
                                     matches_t *found, matches_t *words, size_t *analysed,
                                     size_t *concepts)
{
    cs_status_t st = CS_OK;
    uint32_t *seen = calloc(h->concepts ? h->concepts : 1, sizeof *seen);
    if (!seen)
        return CS_ERR_NO_MEMORY;
    size_t distinct = 0, from = 0, want = SNIPPET_PIECE_FIRST;
    matches_t piece = {0}, piece_words = {0};
    while (from < len && distinct < h->concepts && from < SNIPPET_ANALYSE_MAX) {
        size_t to = piece_end(text, len, from, want);
        want = want * 2 < SNIPPET_PIECE_MAX ? want * 2 : SNIPPET_PIECE_MAX;
        const cs_token_t *toks = NULL;
        size_t ntoks = 0;
        st = analyze_as(h, text + from, to - from, piece_needs_variants(h, text + from, to - from),
                        &toks, &ntoks);
        if (st != CS_OK && st != CS_ERR_NO_MEMORY) { /* still worth a plain snippet */
            st = CS_OK;
            ntoks = 0;
        }
        piece.n = piece_words.n = 0;
        if (st == CS_OK)
            st = find_matches(h, text + from, to - from, toks, ntoks, &piece, &piece_words);
        for (size_t i = 0; i < piece.n && st == CS_OK; i++) {
            st = push_match(found, from + piece.v[i].start, from + piece.v[i].end,
                            piece.v[i].concept);
            if (seen[piece.v[i].concept]++ == 0)
                distinct++;
        }
        for (size_t i = 0; i < piece_words.n && st == CS_OK; i++)
            st = push_match(words, from + piece_words.v[i].start, from + piece_words.v[i].end, 0);
        if (st != CS_OK)
            break;
        from = to;
    }
    free(seen);
    free(piece.v);
    free(piece_words.v);
    *analysed = from;
    *concepts = distinct;
    return st;
}

static cs_status_t find_matches_bounded(cs_highlighter_t *h, const char *text, size_t len,
                                        matches_t *found, matches_t *words, size_t *analysed)
{
    size_t concepts = 0;
    return matches_in_pieces(h, text, len, found, words, analysed, &concepts);
}

char *cs_highlighter_snippet(cs_highlighter_t *h, const char *text, size_t len, size_t max_chars)
{
    if (!h || !text)
        return NULL;
    html_t out = {.collapse = true};
    if (max_chars == 0 || len == 0)
        return html_finish(&out);
    if (max_chars > len) /* no text has more characters than bytes */
        max_chars = len;

    matches_t found = {0}, words = {0};
    char *result = NULL;
    size_t analysed = 0, total;
    if (has_items(h)) {
        if (find_matches_bounded(h, text, len, &found, &words, &analysed) != CS_OK)
            goto done;
        /* Code points are counted only as far as the analysis went: past
         * it, the window may reach max_chars further. */
        total = count_code_points(text, analysed, found.v, found.n);
        if (total == SIZE_MAX)
            goto done;
        if (analysed < len)
            total += max_chars;
    } else {
        /* Without highlights only the start is shown: analysing all of a
         * long body just to find one word boundary would be waste. */
        analysed = byte_of_code_point(text, len, 0, 0, max_chars + SNIPPET_LOOKAHEAD_CHARS);
        const cs_token_t *toks = NULL;
        size_t ntoks = 0;
        cs_status_t st = analyze_as(h, text, analysed, false, &toks, &ntoks);
        if (st == CS_ERR_NO_MEMORY)
            return NULL;
        if (st != CS_OK) /* still worth a plain snippet */
            ntoks = 0;
        if (find_matches(h, text, analysed, toks, ntoks, &found, &words) != CS_OK)
            goto done;
        total = max_chars + 1; /* enough to know the text goes on */
    }
    h->analysed = analysed;
    window_t win;
    if (choose_window(h, found.v, found.n, total, max_chars, &win) != CS_OK)
        goto done;
    size_t from = byte_of_code_point(text, len, 0, 0, win.cstart);
    size_t to = byte_of_code_point(text, len, from, win.cstart, win.cend);

    /* Cuts only ever move inwards, so the window stays within max_chars,
     * and never past the matches it was chosen for. */
    size_t keep_from = win.keep_from < to ? win.keep_from : to;
    const match_t *w = word_around(&words, from);
    if (w && w->end <= keep_from)
        from = w->end;
    w = word_around(&words, to);
    if (w && w->start > from && w->start >= win.keep_to)
        to = w->start;
    from = start_at_space(text, len, from, keep_from);
    to = end_at_space(text, len, from, to, win.keep_to);

    size_t nranges = merge_ranges(found.v, found.n);
    if (has_visible(text, 0, from))
        html_literal(&out, "…");
    html_marked(&out, text, from, to, found.v, nranges);
    if (has_visible(text, to, len))
        html_literal(&out, "…");
    result = html_finish(&out);
    out.p = NULL;
done:
    free(out.p);
    free(found.v);
    free(words.v);
    return result;
}

size_t cs_highlighter_analysed(const cs_highlighter_t *h)
{
    return h ? h->analysed : 0;
}

/* text (len bytes) into out, every match marked. */
static bool mark_into(cs_highlighter_t *h, html_t *out, const char *text, size_t len)
{
    matches_t found = {0};
    if (has_items(h) && len > 0) {
        const cs_token_t *toks;
        size_t ntoks;
        cs_status_t st =
            analyze_as(h, text, len, piece_needs_variants(h, text, len), &toks, &ntoks);
        if (st == CS_ERR_NO_MEMORY)
            return false;
        if (st == CS_OK && find_matches(h, text, len, toks, ntoks, &found, NULL) != CS_OK) {
            free(found.v);
            return false;
        }
    }
    html_marked(out, text, 0, len, found.v, merge_ranges(found.v, found.n));
    free(found.v);
    return !out->oom;
}

char *cs_highlighter_mark_all(cs_highlighter_t *h, const char *text, size_t len)
{
    if (!h || !text)
        return NULL;
    html_t out = {.collapse = false};
    if (!mark_into(h, &out, text, len)) {
        free(out.p);
        return NULL;
    }
    return html_finish(&out);
}

bool cs_highlighter_marks(const cs_highlighter_t *h)
{
    return h && has_items(h);
}

/* The text of one stretch of HTML between tags, its character references
 * (the ones cmark's renderer writes) read back, into *plain. */
static size_t html_text(const char *html, size_t from, size_t to, char *plain)
{
    static const struct {
        const char *ref;
        char ch;
    } refs[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    size_t n = 0;
    for (size_t k = from; k < to;) {
        size_t r = 0;
        while (html[k] == '&' && r < sizeof refs / sizeof *refs &&
               !(to - k >= strlen(refs[r].ref) &&
                 memcmp(html + k, refs[r].ref, strlen(refs[r].ref)) == 0))
            r++;
        if (html[k] == '&' && r < sizeof refs / sizeof *refs) {
            plain[n++] = refs[r].ch;
            k += strlen(refs[r].ref);
        } else {
            plain[n++] = html[k++];
        }
    }
    return n;
}

char *cs_highlighter_mark_html(cs_highlighter_t *h, const char *html, size_t len)
{
    if (!h || !html)
        return NULL;
    html_t out = {.collapse = false};
    char *plain = malloc(len + 1);
    bool ok = plain != NULL;
    for (size_t i = 0; ok && i < len;) {
        size_t end = i;
        if (html[i] == '<') {
            const char *gt = memchr(html + i, '>', len - i);
            end = gt ? (size_t)(gt - html) + 1 : len;
            html_put(&out, html + i, end - i);
            ok = !out.oom;
        } else {
            while (end < len && html[end] != '<')
                end++;
            ok = mark_into(h, &out, plain, html_text(html, i, end, plain));
        }
        i = end;
    }
    free(plain);
    if (!ok) {
        free(out.p);
        return NULL;
    }
    return html_finish(&out);
}
