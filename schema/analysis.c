/* analysis.c: ICU word breaking, NFKC case folding and CJK bigrams for the
 * indexer and searchd alike (the contract is in analysis.h). */
#include "analysis.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "grow.h"
#include "script_fold.h"
#include "terms.h"

/* The break iterator sees at most this many UTF-16 units at once, so memory
 * stays bounded whatever the document size. */
#define CHUNK_UNITS 65536

typedef enum { CLASS_OTHER, CLASS_CJK, CLASS_SEPARATOR } char_class_t;

/* A piece of a word (units): a run of letters or of digits, or a case
 * piece of such a run ("My", "Conf" of "MyConf"), which case_cut tells. */
typedef struct {
    int32_t start, end;
    bool letter, case_cut;
} part_t;

/* One character of the open CJK run: a base code point plus the marks that
 * normalisation glues to it, so positions count what a reader sees. */
typedef struct {
    size_t start, end; /* input bytes */
    uint32_t unit;     /* first UTF-16 unit in run_units */
    uint32_t pos;
    bool verbatim; /* folding leaves it unchanged */
} run_char_t;

struct cs_analyzer {
    UBreakIterator *words;
    const UNormalizer2 *fold;

    /* The current call's input; offsets in tokens are relative to it. */
    const char *in;
    size_t in_len, in_pos;

    /* Chunk of UTF-16 being broken; unit_off[k] is unit k's input byte offset
     * minus chunk_base (kept 32-bit to halve the cache footprint). */
    UChar *units;
    uint32_t *unit_off;
    int32_t nunits;
    size_t chunk_base;

    UChar *folded;
    int32_t folded_cap;

    /* Token texts live in one arena that realloc may move, so tokens keep
     * arena offsets until the call ends and pointers are set then. */
    char *arena;
    size_t arena_len, arena_cap;
    cs_token_t *tokens;
    size_t *text_off;
    size_t ntokens, tokens_cap, text_off_cap;

    /* The open CJK run; its UTF-16 is copied out so it can outlive a chunk. */
    run_char_t *run_chars;
    size_t nrun, run_cap;
    UChar *run_units;
    size_t run_nunits, run_units_cap;
    uint32_t run_no;
    uint32_t next_pos;

    part_t *parts; /* the pieces of the segment being cut (cut_pieces) */
    size_t parts_cap;
    uint32_t compound_no;
    bool chars; /* also emit each run character (cs_analyzer_set_chars) */

    /* Taiwan forms of CJK runs (cs_analyzer_set_variants); the run's
     * UTF-8 is gathered into run_utf8 for OpenCC. */
    cs_variants_t variants;
    cs_script_fold_t *script;
    char *run_utf8;
    size_t run_utf8_cap;
};

/* The analyser's buffers start at 64 elements and double (grow.h). */
static bool grow(void *buf, size_t *cap, size_t need, size_t elem)
{
    return cs_grow(buf, cap, need, elem, 64);
}

/* What one call may leave allocated for the next: a buffer grown past this
 * by one huge talk is released when the next call starts (its tokens are
 * no longer valid then), so a long-lived analyser goes back to what
 * ordinary talks need (issue 13: ~165 MB kept after 3.8 MB of Han text). */
#define KEEP_BYTES ((size_t)1 << 20)

static void drop_if_large(void *buf, size_t *cap, size_t elem)
{
    if (*cap * elem <= KEEP_BYTES)
        return;
    void **p = buf;
    free(*p);
    *p = NULL;
    *cap = 0;
}

static void shrink_after_large_input(cs_analyzer_t *a)
{
    drop_if_large(&a->arena, &a->arena_cap, 1);
    drop_if_large(&a->tokens, &a->tokens_cap, sizeof *a->tokens);
    drop_if_large(&a->text_off, &a->text_off_cap, sizeof *a->text_off);
    drop_if_large(&a->run_chars, &a->run_cap, sizeof *a->run_chars);
    drop_if_large(&a->run_units, &a->run_units_cap, sizeof *a->run_units);
    drop_if_large(&a->parts, &a->parts_cap, sizeof *a->parts);
    drop_if_large(&a->run_utf8, &a->run_utf8_cap, 1);
    size_t folded_cap = (size_t)a->folded_cap;
    drop_if_large(&a->folded, &folded_cap, sizeof *a->folded);
    a->folded_cap = (int32_t)folded_cap;
}

size_t cs_analyzer_held_bytes(const cs_analyzer_t *a)
{
    if (!a)
        return 0;
    return a->arena_cap + a->tokens_cap * sizeof *a->tokens +
           a->text_off_cap * sizeof *a->text_off + a->run_cap * sizeof *a->run_chars +
           a->run_units_cap * sizeof *a->run_units + a->parts_cap * sizeof *a->parts +
           a->run_utf8_cap + (size_t)a->folded_cap * sizeof *a->folded;
}

void cs_analyzer_set_chars(cs_analyzer_t *a, bool on)
{
    if (a)
        a->chars = on;
}

cs_variants_t cs_analyzer_set_variants(cs_analyzer_t *a, cs_variants_t mode)
{
    if (!a)
        return CS_VARIANTS_DOCUMENT;
    cs_variants_t was = a->variants;
    a->variants = mode;
    return was;
}

cs_status_t cs_analyzer_create(cs_analyzer_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = NULL;

    cs_analyzer_t *a = calloc(1, sizeof *a);
    if (!a)
        return CS_ERR_NO_MEMORY;
    /* Two spare units: a supplementary code point may overshoot the chunk. */
    a->units = malloc((CHUNK_UNITS + 2) * sizeof *a->units);
    a->unit_off = malloc((CHUNK_UNITS + 3) * sizeof *a->unit_off);
    if (!a->units || !a->unit_off || cs_script_fold_create(&a->script) != CS_OK) {
        cs_analyzer_destroy(a);
        return CS_ERR_NO_MEMORY;
    }

    UErrorCode err = U_ZERO_ERROR;
    const char *what = "unorm2_getNFKCCasefoldInstance";
    a->fold = unorm2_getNFKCCasefoldInstance(&err);
    if (U_SUCCESS(err)) {
        what = "ubrk_open(UBRK_WORD, \"zh\")";
        /* "zh" only names the locale; the CJK dictionary applies to any. */
        a->words = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    }
    if (U_FAILURE(err)) {
        if (errmsg) {
            char buf[160];
            snprintf(buf, sizeof buf, "%s: %s", what, u_errorName(err));
            *errmsg = strdup(buf);
        }
        cs_analyzer_destroy(a);
        return CS_ERR_ICU;
    }
    *out = a;
    return CS_OK;
}

void cs_analyzer_destroy(cs_analyzer_t *a)
{
    if (!a)
        return;
    if (a->words)
        ubrk_close(a->words);
    free(a->units);
    free(a->unit_off);
    free(a->folded);
    free(a->arena);
    free(a->tokens);
    free(a->text_off);
    free(a->run_chars);
    free(a->run_units);
    free(a->parts);
    cs_script_fold_destroy(a->script);
    free(a->run_utf8);
    free(a);
}

static bool is_cjk_script(UChar32 c)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &err);
    /* Hangul too: Korean glues particles and compounds to words
     * (파이썬을, 데이터분석), so its runs need bigrams like Chinese. */
    if (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
        sc == USCRIPT_HANGUL)
        return true;
    /* The prolonged sound mark and half-width kana marks are "Common" but
     * belong to kana by their script extensions. */
    if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED)
        return uscript_hasScript(c, USCRIPT_HAN) || uscript_hasScript(c, USCRIPT_HIRAGANA) ||
               uscript_hasScript(c, USCRIPT_KATAKANA);
    return false;
}

typedef struct {
    char_class_t cls;
    bool extender; /* belongs to the character before it (cs_term_joins_previous) */
    bool ascii, verbatim, letter, digit;
} char_info_t;

static void classify(UChar32 c, char_info_t *ci)
{
    memset(ci, 0, sizeof *ci);
    if (c < 0x80) {
        ci->ascii = true;
        ci->letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        ci->digit = c >= '0' && c <= '9';
        ci->cls = CLASS_OTHER;
        return;
    }
    if (cs_term_is_verbatim_cjk(c)) {
        ci->cls = CLASS_CJK;
        ci->verbatim = ci->letter = true;
        return;
    }
    if (c == 0xFFFD) {
        /* Stands for invalid input.  UAX #29 already breaks around it; this
         * keeps "invalid bytes yield no token" true whatever ICU's rules. */
        ci->cls = CLASS_SEPARATOR;
        return;
    }
    uint32_t mask = U_MASK(u_charType(c));
    ci->extender = cs_term_joins_previous(c);
    ci->letter = mask & U_GC_L_MASK;
    ci->digit = mask & U_GC_N_MASK;
    ci->cls = (mask & (U_GC_L_MASK | U_GC_NL_MASK)) &&
                      (c >= 0x2E80 || (c >= 0x1100 && c <= 0x11FF)) && is_cjk_script(c)
                  ? CLASS_CJK
                  : CLASS_OTHER;
}

/* The code point at units[*i] (*i moves past it, not beyond t), classified. */
static UChar32 next_char(const cs_analyzer_t *a, int32_t *i, int32_t t, char_info_t *ci)
{
    UChar32 c;
    U16_NEXT(a->units, *i, t, c);
    classify(c, ci);
    return c;
}

static size_t byte_at(const cs_analyzer_t *a, int32_t unit)
{
    return a->chunk_base + a->unit_off[unit];
}

typedef enum { FOLD_ASCII, FOLD_VERBATIM, FOLD_ICU } fold_path_t;

/* Appends the folded form of units[0..n) (input bytes [start,end)) to the
 * arena.  *kept is false when the token is empty or too long to index. */
static cs_status_t fold_into_arena(cs_analyzer_t *a, const UChar *units, int32_t n, size_t start,
                                   size_t end, fold_path_t path, size_t *off, size_t *len,
                                   bool *kept)
{
    *kept = false;
    *off = a->arena_len;
    UErrorCode err = U_ZERO_ERROR;

    if (path == FOLD_ICU && unorm2_spanQuickCheckYes(a->fold, units, n, &err) == n)
        path = FOLD_VERBATIM; /* already folded: its input bytes are its UTF-8 */
    if (U_FAILURE(err))
        return CS_ERR_ICU;

    if (path != FOLD_ICU) {
        size_t nbytes = end - start;
        if (nbytes == 0 || nbytes > CS_MAX_TOKEN_BYTES)
            return CS_OK;
        if (!grow(&a->arena, &a->arena_cap, a->arena_len + nbytes + 1, 1))
            return CS_ERR_NO_MEMORY;
        char *dst = a->arena + a->arena_len;
        if (path == FOLD_ASCII) {
            for (size_t i = 0; i < nbytes; i++) {
                char ch = a->in[start + i];
                dst[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + ('a' - 'A')) : ch;
            }
        } else {
            memcpy(dst, a->in + start, nbytes);
        }
        dst[nbytes] = '\0';
        a->arena_len += nbytes + 1;
        *len = nbytes;
        *kept = true;
        return CS_OK;
    }

    int32_t m = unorm2_normalize(a->fold, units, n, a->folded, a->folded_cap, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        size_t cap = (size_t)a->folded_cap;
        if (!grow(&a->folded, &cap, (size_t)m + 1, sizeof(UChar)))
            return CS_ERR_NO_MEMORY;
        a->folded_cap = cap > INT32_MAX ? INT32_MAX : (int32_t)cap;
        err = U_ZERO_ERROR;
        m = unorm2_normalize(a->fold, units, n, a->folded, a->folded_cap, &err);
    }
    if (U_FAILURE(err))
        return CS_ERR_ICU;
    /* A UTF-16 unit never needs more than three UTF-8 bytes. */
    size_t cap = (size_t)m * 3 + 1;
    if (!grow(&a->arena, &a->arena_cap, a->arena_len + cap, 1))
        return CS_ERR_NO_MEMORY;
    int32_t nbytes = 0;
    u_strToUTF8(a->arena + a->arena_len, (int32_t)cap, &nbytes, a->folded, m, &err);
    if (U_FAILURE(err))
        return CS_ERR_ICU;
    if (nbytes == 0 || nbytes > CS_MAX_TOKEN_BYTES)
        return CS_OK;
    a->arena[a->arena_len + (size_t)nbytes] = '\0';
    a->arena_len += (size_t)nbytes + 1;
    *len = (size_t)nbytes;
    *kept = true;
    return CS_OK;
}

/* Where a token stands: its position, CJK run and compound (analysis.h). */
typedef struct {
    uint32_t pos, run, compound;
    bool part, piece, variant;
} place_t;

/* Appends a token whose text is at arena offset off. */
static cs_status_t push_token(cs_analyzer_t *a, cs_token_kind_t kind, size_t off, size_t len,
                              size_t start, size_t end, place_t at)
{
    if (!grow(&a->tokens, &a->tokens_cap, a->ntokens + 1, sizeof *a->tokens) ||
        !grow(&a->text_off, &a->text_off_cap, a->ntokens + 1, sizeof *a->text_off))
        return CS_ERR_NO_MEMORY;
    a->text_off[a->ntokens] = off;
    a->tokens[a->ntokens++] = (cs_token_t){.text = NULL,
                                           .len = len,
                                           .start = start,
                                           .end = end,
                                           .pos = at.pos,
                                           .run = at.run,
                                           .compound = at.compound,
                                           .part = at.part,
                                           .piece = at.piece,
                                           .variant = at.variant,
                                           .kind = kind};
    return CS_OK;
}

static cs_status_t emit(cs_analyzer_t *a, cs_token_kind_t kind, const UChar *units, int32_t n,
                        size_t start, size_t end, fold_path_t path, place_t at)
{
    size_t off, len;
    bool kept;
    cs_status_t st = fold_into_arena(a, units, n, start, end, path, &off, &len, &kept);
    if (st != CS_OK || !kept)
        return st;
    return push_token(a, kind, off, len, start, end, at);
}

/* A token of text[0, len) as it is (no folding: a Taiwan form is made of
 * characters that folding leaves alone). */
static cs_status_t emit_text(cs_analyzer_t *a, cs_token_kind_t kind, const char *text, size_t len,
                             size_t start, size_t end, place_t at)
{
    size_t off = a->arena_len;
    if (!grow(&a->arena, &a->arena_cap, a->arena_len + len + 1, 1))
        return CS_ERR_NO_MEMORY;
    memcpy(a->arena + off, text, len);
    a->arena[off + len] = '\0';
    a->arena_len += len + 1;
    return push_token(a, kind, off, len, start, end, at);
}

/* Whether the open run gets a Taiwan form: it is made of verbatim
 * characters only, and, in a document, holds a Simplified-only one (a run
 * of characters both scripts share, 程序 or 信息, may be Taiwan usage
 * there, and Traditional notes keep their own terms).  A query's run is
 * converted whatever it holds: typing 程序 cannot tell the two apart.
 * The run's UTF-8 goes to run_utf8. */
static cs_status_t run_wants_variant(cs_analyzer_t *a, bool *wants, size_t *len)
{
    *wants = false;
    if (a->variants == CS_VARIANTS_NONE)
        return CS_OK;
    bool simplified = a->variants == CS_VARIANTS_QUERY;
    size_t n = 0;
    for (size_t i = 0; i < a->nrun; i++) {
        const run_char_t *c = &a->run_chars[i];
        if (!c->verbatim)
            return CS_OK;
        if (!simplified) {
            /* A verbatim character is one BMP code point: one unit. */
            cs_status_t st = cs_script_is_simplified(a->run_units[c->unit], &simplified);
            if (st != CS_OK)
                return st;
        }
        n += c->end - c->start;
    }
    if (!simplified)
        return CS_OK;
    if (!grow(&a->run_utf8, &a->run_utf8_cap, n + 1, 1))
        return CS_ERR_NO_MEMORY;
    size_t at = 0;
    for (size_t i = 0; i < a->nrun; i++) {
        const run_char_t *c = &a->run_chars[i];
        memcpy(a->run_utf8 + at, a->in + c->start, c->end - c->start);
        at += c->end - c->start;
    }
    a->run_utf8[at] = '\0';
    *len = at;
    *wants = true;
    return CS_OK;
}

/* Whether text[0, len) is what the input holds at run characters
 * [first, last] (so the Taiwan form repeats the token as written). */
static bool same_as_written(const cs_analyzer_t *a, const char *text, size_t len, uint32_t first,
                            uint32_t last)
{
    size_t s = a->run_chars[first].start, e = a->run_chars[last].end;
    return e - s == len && memcmp(a->in + s, text, len) == 0;
}

/* The tokens of the run's Taiwan form v where it differs from the run as
 * written: its bigrams (or, for a form of one character, that character
 * as a CJK word), or with chars its characters, each at the position and
 * input bytes of the input character it stands for. */
static cs_status_t emit_variant(cs_analyzer_t *a, const cs_script_variant_t *v, bool chars)
{
    place_t at = {.run = a->run_no, .variant = true};
    cs_status_t st = CS_OK;
    for (size_t k = 0; st == CS_OK && k < v->count; k++) {
        const run_char_t *c = &a->run_chars[v->from[k]];
        at.pos = c->pos;
        if (chars) {
            const char *t = v->text + v->at[k];
            size_t len = v->at[k + 1] - v->at[k];
            if (!same_as_written(a, t, len, v->from[k], v->from[k]))
                st = emit_text(a, CS_TOKEN_CHAR, t, len, c->start, c->end, at);
        } else if (v->count == 1) {
            st = emit_text(a, CS_TOKEN_CJK, v->text, v->at[1], c->start, c->end, at);
        } else if (k + 1 < v->count) {
            const char *t = v->text + v->at[k];
            size_t len = v->at[k + 2] - v->at[k];
            const run_char_t *d = &a->run_chars[v->from[k + 1]];
            bool next = v->from[k + 1] == v->from[k] + 1;
            if (!next || !same_as_written(a, t, len, v->from[k], v->from[k + 1]))
                st = emit_text(a, CS_TOKEN_BIGRAM, t, len, c->start, d->end, at);
        }
    }
    return st;
}

/* Ends the open CJK run, emitting its bigrams after its words, then its
 * Taiwan form's, then (when asked for) its characters and its Taiwan
 * form's. */
static cs_status_t close_run(cs_analyzer_t *a)
{
    for (size_t i = 0; i + 1 < a->nrun; i++) {
        const run_char_t *c = &a->run_chars[i];
        size_t unit_end = i + 2 < a->nrun ? c[2].unit : a->run_nunits;
        fold_path_t path = c[0].verbatim && c[1].verbatim ? FOLD_VERBATIM : FOLD_ICU;
        cs_status_t st =
            emit(a, CS_TOKEN_BIGRAM, a->run_units + c[0].unit, (int32_t)(unit_end - c[0].unit),
                 c[0].start, c[1].end, path, (place_t){.pos = c[0].pos, .run = a->run_no});
        if (st != CS_OK)
            return st;
    }
    bool wants = false;
    size_t len = 0;
    cs_script_variant_t v = {0};
    cs_status_t st = a->nrun > 0 ? run_wants_variant(a, &wants, &len) : CS_OK;
    if (st == CS_OK && wants)
        st = cs_script_fold_run(a->script, a->run_utf8, len, a->nrun, &v);
    if (st == CS_OK)
        st = emit_variant(a, &v, false);
    for (size_t i = 0; st == CS_OK && a->chars && i < a->nrun; i++) {
        const run_char_t *c = &a->run_chars[i];
        size_t unit_end = i + 1 < a->nrun ? c[1].unit : a->run_nunits;
        st = emit(a, CS_TOKEN_CHAR, a->run_units + c->unit, (int32_t)(unit_end - c->unit), c->start,
                  c->end, c->verbatim ? FOLD_VERBATIM : FOLD_ICU,
                  (place_t){.pos = c->pos, .run = a->run_no});
    }
    if (st == CS_OK && a->chars)
        st = emit_variant(a, &v, true);
    a->nrun = 0;
    a->run_nunits = 0;
    return st;
}

/* Adds units[u, u+n) (input bytes [start,end)) to the open run, either as a
 * new character or, for an extender, to its last character. */
static cs_status_t run_append(cs_analyzer_t *a, int32_t u, int32_t n, size_t start, size_t end,
                              bool extender, bool verbatim)
{
    if (!grow(&a->run_units, &a->run_units_cap, a->run_nunits + (size_t)n, sizeof *a->run_units))
        return CS_ERR_NO_MEMORY;
    if (extender) {
        run_char_t *last = &a->run_chars[a->nrun - 1];
        last->end = end;
        last->verbatim = false;
    } else {
        if (!grow(&a->run_chars, &a->run_cap, a->nrun + 1, sizeof *a->run_chars))
            return CS_ERR_NO_MEMORY;
        if (a->nrun == 0)
            a->run_no++;
        a->run_chars[a->nrun++] = (run_char_t){.start = start,
                                               .end = end,
                                               .unit = (uint32_t)a->run_nunits,
                                               .pos = a->next_pos++,
                                               .verbatim = verbatim};
    }
    memcpy(a->run_units + a->run_nunits, a->units + u, (size_t)n * sizeof *a->units);
    a->run_nunits += (size_t)n;
    return CS_OK;
}

/* A stretch of one ICU word whose characters share a class. */
typedef struct {
    char_class_t cls;
    int32_t start;
    uint32_t pos;
    bool ascii, verbatim, letter, alnum;
} segment_t;

typedef enum { CUT_OTHER, CUT_LETTER, CUT_DIGIT } cut_kind_t;

static cs_status_t add_piece(cs_analyzer_t *a, size_t *n, int32_t start, bool letter, bool case_cut)
{
    if (!grow(&a->parts, &a->parts_cap, *n + 1, sizeof *a->parts))
        return CS_ERR_NO_MEMORY;
    a->parts[(*n)++] =
        (part_t){.start = start, .end = start, .letter = letter, .case_cut = case_cut};
    return CS_OK;
}

/* Cuts units [s,t) into pieces: runs of letters or of digits, and those
 * letter runs again where a lower-case letter meets an upper-case one
 * ("My|Conf") or before the last capital of several that start a word
 * ("HTTP|Server").  Anything else (". _ @ : / '", whatever ICU glued into a
 * word) separates runs and belongs to none; a mark goes with the character
 * before it. */
static cs_status_t cut_pieces(cs_analyzer_t *a, int32_t s, int32_t t, size_t *npieces)
{
    size_t n = 0;
    cut_kind_t kind = CUT_OTHER;
    int32_t prev_at = s;
    int prev_case = 0, prev_prev_case = 0; /* 1 upper, -1 lower, 0 neither */
    for (int32_t i = s; i < t;) {
        int32_t at = i;
        char_info_t ci;
        UChar32 c = next_char(a, &i, t, &ci);
        if (ci.extender && kind != CUT_OTHER) {
            a->parts[n - 1].end = i;
            continue;
        }
        cut_kind_t k = ci.letter ? CUT_LETTER : ci.digit ? CUT_DIGIT : CUT_OTHER;
        if (k == CUT_OTHER) {
            kind = CUT_OTHER;
            prev_case = prev_prev_case = 0;
            continue;
        }
        int cs = 0;
        if (k == CUT_LETTER && c < 0x80)
            cs = c <= 'Z' ? 1 : -1; /* an ASCII letter: no property lookup */
        else if (k == CUT_LETTER)
            cs = u_isupper(c) || u_istitle(c) ? 1 : u_islower(c) ? -1 : 0;
        cs_status_t st = CS_OK;
        if (k != kind) {
            st = add_piece(a, &n, at, k == CUT_LETTER, false);
        } else if (prev_case == -1 && cs == 1) {
            st = add_piece(a, &n, at, true, true);
        } else if (prev_prev_case == 1 && prev_case == 1 && cs == -1 &&
                   a->parts[n - 1].start < prev_at) {
            a->parts[n - 1].end = prev_at;
            st = add_piece(a, &n, prev_at, true, true);
        }
        if (st != CS_OK)
            return st;
        a->parts[n - 1].end = i;
        kind = k;
        prev_prev_case = prev_case;
        prev_case = cs;
        prev_at = at;
    }
    *npieces = n;
    return CS_OK;
}

static cs_status_t emit_piece(cs_analyzer_t *a, cs_token_kind_t kind, int32_t s, int32_t t,
                              fold_path_t path, place_t at)
{
    return emit(a, kind, a->units + s, t - s, byte_at(a, s), byte_at(a, t), path, at);
}

/* A non-CJK segment: a word or number.  With several parts (runs of
 * letters or digits) it is a compound: its whole (first part to last) at
 * the first part's position, then each part at consecutive positions, so
 * "mock patch" as a phrase matches mock.patch.  A part with case pieces is
 * followed by them, at its own position: they are there to be found
 * ("conf" in MyConf), not to make phrases. */
/* Whether ASCII units [s,t) are one piece as cut_pieces would cut them:
 * digits only, or letters that are all capitals or lower case after at
 * most one capital ("2015", "PYTHON", "Python", "python"), as most words
 * are.  *letter tells which. */
static bool one_ascii_piece(const UChar *u, int32_t s, int32_t t, bool *letter)
{
    int32_t i = s, upper = 0;
    if (u[i] >= '0' && u[i] <= '9') {
        while (i < t && u[i] >= '0' && u[i] <= '9')
            i++;
        *letter = false;
        return i == t;
    }
    while (i < t && u[i] >= 'A' && u[i] <= 'Z')
        i++, upper++;
    if (i == t)
        return upper > 0 && (*letter = true);
    if (upper > 1)
        return false;
    while (i < t && u[i] >= 'a' && u[i] <= 'z')
        i++;
    *letter = true;
    return i == t;
}

static cs_status_t emit_parts(cs_analyzer_t *a, const segment_t *seg, int32_t end)
{
    bool letter;
    if (seg->ascii && one_ascii_piece(a->units, seg->start, end, &letter)) {
        place_t at = {.pos = a->next_pos++};
        return emit_piece(a, letter ? CS_TOKEN_WORD : CS_TOKEN_NUMBER, seg->start, end, FOLD_ASCII,
                          at);
    }
    size_t n = 0, nparts = 0;
    cs_status_t st = cut_pieces(a, seg->start, end, &n);
    if (st != CS_OK || n == 0)
        return st;
    const part_t *p = a->parts;
    for (size_t k = 0; k < n; k++)
        nparts += !p[k].case_cut;
    fold_path_t path = seg->ascii ? FOLD_ASCII : FOLD_ICU;
    place_t at = {.pos = a->next_pos};
    if (n > 1)
        at.compound = ++a->compound_no;
    if (nparts > 1) {
        st = emit_piece(a, CS_TOKEN_COMPOUND, p[0].start, p[n - 1].end, path, at);
        at.part = true;
    }
    for (size_t k = 0; st == CS_OK && k < n;) {
        size_t j = k + 1;
        while (j < n && p[j].case_cut)
            j++;
        at.pos = a->next_pos++;
        at.piece = false;
        st = emit_piece(a, p[k].letter ? CS_TOKEN_WORD : CS_TOKEN_NUMBER, p[k].start, p[j - 1].end,
                        path, at);
        place_t piece = {.pos = at.pos, .compound = at.compound, .piece = true};
        for (size_t m = k; st == CS_OK && j > k + 1 && m < j; m++)
            st = emit_piece(a, CS_TOKEN_WORD, p[m].start, p[m].end, path, piece);
        k = j;
    }
    return st;
}

static cs_status_t finish_segment(cs_analyzer_t *a, const segment_t *seg, int32_t end)
{
    const UChar *units = a->units + seg->start;
    int32_t n = end - seg->start;
    size_t start = byte_at(a, seg->start), stop = byte_at(a, end);
    if (seg->cls == CLASS_CJK)
        return emit(a, CS_TOKEN_CJK, units, n, start, stop,
                    seg->verbatim ? FOLD_VERBATIM : FOLD_ICU,
                    (place_t){.pos = seg->pos, .run = a->run_no});
    if (seg->cls != CLASS_OTHER || !seg->alnum)
        return CS_OK; /* "___", a stray mark: nothing anyone searches for */
    return emit_parts(a, seg, end);
}

/* One ICU word, units [s,t).  ICU may glue scripts together ("abc_カナ"), so
 * it is cut wherever CJK meets non-CJK. */
static cs_status_t analyze_word(cs_analyzer_t *a, int32_t s, int32_t t)
{
    segment_t seg = {.cls = CLASS_SEPARATOR, .start = s};
    bool have_seg = false;
    cs_status_t st;
    for (int32_t i = s; i < t;) {
        int32_t at = i;
        char_info_t ci;
        next_char(a, &i, t, &ci);
        char_class_t cls = ci.cls;
        if (ci.extender)
            cls = have_seg ? seg.cls : CLASS_OTHER;

        if (!have_seg || cls != seg.cls) {
            if (have_seg && (st = finish_segment(a, &seg, at)) != CS_OK)
                return st;
            if (cls != CLASS_CJK && (st = close_run(a)) != CS_OK)
                return st;
            seg = (segment_t){
                .cls = cls, .start = at, .pos = a->next_pos, .ascii = true, .verbatim = true};
            have_seg = true;
        }
        seg.ascii = seg.ascii && ci.ascii;
        seg.verbatim = seg.verbatim && ci.verbatim;
        seg.letter = seg.letter || ci.letter;
        seg.alnum = seg.alnum || ci.letter || ci.digit;
        if (cls == CLASS_CJK) {
            bool extends = ci.extender && at > seg.start;
            st = run_append(a, at, i - at, byte_at(a, at), byte_at(a, i), extends, ci.verbatim);
            if (st != CS_OK)
                return st;
        }
    }
    return have_seg ? finish_segment(a, &seg, t) : CS_OK;
}

/* Characters that join two ICU words into one compound when nothing else
 * stands between them: "team@example.org", "docs.python.org/3", "10:30". */
static bool joins_words(UChar u)
{
    return u == '.' || u == '_' || u == '@' || u == ':' || u == '/' || u == '\'' || u == 0x2019;
}

/* Whether units [s,t) are joins_words characters only (true when empty). */
static bool all_join_words(const cs_analyzer_t *a, int32_t s, int32_t t)
{
    for (int32_t k = s; k < t; k++)
        if (!joins_words(a->units[k]))
            return false;
    return true;
}

/* ICU words joined by joins_words characters are analysed as one stretch
 * (analyze_word), which makes them one compound. */
static cs_status_t analyze_chunk(cs_analyzer_t *a, int32_t n)
{
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(a->words, a->units, n, &err);
    if (U_FAILURE(err))
        return CS_ERR_ICU;
    int32_t gs = -1, ge = -1; /* the pending stretch of joined words */
    int32_t s = ubrk_first(a->words);
    cs_status_t st = CS_OK;
    for (int32_t t = ubrk_next(a->words); st == CS_OK && t != UBRK_DONE;
         s = t, t = ubrk_next(a->words)) {
        bool word = ubrk_getRuleStatus(a->words) >= UBRK_WORD_NONE_LIMIT;
        if (gs >= 0 && all_join_words(a, ge, s)) {
            if (word && s > ge) {
                ge = t;
                continue;
            }
            if (!word && all_join_words(a, s, t))
                continue; /* the joint may go on, or end at a space */
        }
        if (gs >= 0)
            st = analyze_word(a, gs, ge);
        gs = -1;
        if (st == CS_OK && !word)
            st = close_run(a);
        if (word)
            gs = s, ge = t;
    }
    if (st == CS_OK && gs >= 0)
        st = analyze_word(a, gs, ge);
    return st;
}

/* Converts input into the chunk buffer until it holds CHUNK_UNITS units or
 * the input ends.  Ill-formed bytes become one U+FFFD per maximal subpart. */
static void fill_chunk(cs_analyzer_t *a)
{
    const uint8_t *in = (const uint8_t *)a->in;
    size_t i = a->in_pos, len = a->in_len;
    int32_t n = a->nunits;
    while (n < CHUNK_UNITS && i < len) {
        uint32_t off = (uint32_t)(i - a->chunk_base);
        if (in[i] < 0x80) {
            a->unit_off[n] = off;
            a->units[n++] = in[i++];
            continue;
        }
        UChar32 c;
        U8_NEXT(in, i, len, c);
        if (c < 0)
            c = 0xFFFD;
        a->unit_off[n] = off;
        a->unit_off[n + 1] = off; /* a trail surrogate, if any: never a token edge */
        UBool overflow = false;
        U16_APPEND(a->units, n, CHUNK_UNITS + 2, c, overflow);
        (void)overflow; /* cannot happen: two spare units */
    }
    a->unit_off[n] = (uint32_t)(i - a->chunk_base);
    a->in_pos = i;
    a->nunits = n;
}

/* Where to end a full chunk: before white space or punctuation that ICU
 * always breaks around, so cutting there changes no word.  Without any,
 * the chunk is cut where it is full (a 64K-unit "word" is junk anyway; an
 * open CJK run simply continues into the next chunk). */
static int32_t chunk_cut(const cs_analyzer_t *a)
{
    int32_t n = a->nunits;
    for (int32_t k = n - 1; k > 0; k--) {
        UChar u = a->units[k];
        if (u == ' ' || u == '\n' || u == '\t' || u == '\r')
            return k;
        if (u >= 0x80 && !U16_IS_SURROGATE(u)) {
            if (u_isUWhiteSpace(u))
                return k;
            if ((U_MASK(u_charType(u)) & U_GC_P_MASK) &&
                u_getIntPropertyValue(u, UCHAR_WORD_BREAK) == U_WB_OTHER)
                return k;
        }
    }
    /* Nowhere ICU breaks: cut before the last character that is no
     * extender, so that the next chunk cannot begin with a mark cut off
     * from its base (it would end the CJK run and be lost). */
    for (int32_t k = n - 1; k > 0; k--) {
        if (U16_IS_TRAIL(a->units[k]) && U16_IS_LEAD(a->units[k - 1]))
            continue;
        int32_t i = k;
        UChar32 c;
        U16_NEXT(a->units, i, n, c);
        if (!cs_term_joins_previous(c))
            return k;
    }
    return n;
}

cs_status_t cs_analyze(cs_analyzer_t *a, const char *utf8, size_t len, const cs_token_t **tokens,
                       size_t *count)
{
    if (tokens)
        *tokens = NULL;
    if (count)
        *count = 0;
    if (!a || !utf8 || !tokens || !count)
        return CS_ERR_NULL_ARG;

    shrink_after_large_input(a);
    a->in = utf8;
    a->in_len = len;
    a->in_pos = 0;
    a->nunits = 0;
    a->chunk_base = 0;
    a->arena_len = 0;
    a->ntokens = 0;
    a->nrun = 0;
    a->run_nunits = 0;
    a->run_no = 0;
    a->compound_no = 0;
    a->next_pos = 0;

    cs_status_t st = CS_OK;
    while (st == CS_OK) {
        fill_chunk(a);
        if (a->nunits == 0)
            break;
        int32_t cut = a->in_pos < len ? chunk_cut(a) : a->nunits;
        st = analyze_chunk(a, cut);
        /* Keep the uncut tail for the next chunk, rebased to its first byte. */
        uint32_t shift = a->unit_off[cut];
        int32_t rest = a->nunits - cut;
        memmove(a->units, a->units + cut, (size_t)rest * sizeof *a->units);
        for (int32_t k = 0; k <= rest; k++)
            a->unit_off[k] = a->unit_off[cut + k] - shift;
        a->chunk_base += shift;
        a->nunits = rest;
    }
    if (st == CS_OK)
        st = close_run(a);
    a->in = NULL;
    if (st != CS_OK) {
        a->ntokens = 0;
        return st;
    }
    for (size_t i = 0; i < a->ntokens; i++)
        a->tokens[i].text = a->arena + a->text_off[i];
    *tokens = a->tokens;
    *count = a->ntokens;
    return CS_OK;
}

/* Control characters count as space so that the result is a clean C string. */
static bool is_fold_space(UChar32 c)
{
    return u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR;
}

cs_status_t cs_fold(cs_analyzer_t *a, const char *utf8, size_t len, char **out, size_t *outlen)
{
    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!a || !utf8 || !out)
        return CS_ERR_NULL_ARG;
    if (len >= INT32_MAX / 4)
        return CS_ERR_NO_MEMORY; /* beyond what ICU's int32_t lengths can hold */

    /* Filter values are short: plain buffers, leaving the analyzer's tokens
     * intact. */
    const uint8_t *in = (const uint8_t *)utf8;
    UChar *units = malloc((len + 1) * sizeof *units);
    if (!units)
        return CS_ERR_NO_MEMORY;
    int32_t n = 0;
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(in, i, len, c);
        if (c < 0)
            c = 0xFFFD;
        UBool overflow = false;
        U16_APPEND(units, n, (int32_t)len + 1, c, overflow);
        (void)overflow; /* a 4-byte sequence gives only 2 units */
    }

    UErrorCode err = U_ZERO_ERROR;
    int32_t m = unorm2_normalize(a->fold, units, n, NULL, 0, &err);
    UChar *folded = NULL;
    if (err == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(err)) {
        err = U_ZERO_ERROR;
        folded = malloc(((size_t)m + 1) * sizeof *folded);
        if (!folded) {
            free(units);
            return CS_ERR_NO_MEMORY;
        }
        m = unorm2_normalize(a->fold, units, n, folded, m + 1, &err);
    }
    free(units);
    if (U_FAILURE(err)) {
        free(folded);
        return CS_ERR_ICU;
    }

    /* Collapse after folding: NFKC turns U+3000 and friends into spaces. */
    int32_t w = 0;
    bool pending_space = false;
    for (int32_t r = 0; r < m;) {
        int32_t at = r;
        UChar32 c;
        U16_NEXT(folded, r, m, c);
        if (is_fold_space(c)) {
            pending_space = w > 0;
            continue;
        }
        if (pending_space)
            folded[w++] = ' ';
        pending_space = false;
        while (at < r)
            folded[w++] = folded[at++];
    }

    size_t cap = (size_t)w * 3 + 1;
    char *s = malloc(cap);
    if (!s) {
        free(folded);
        return CS_ERR_NO_MEMORY;
    }
    int32_t nbytes = 0;
    u_strToUTF8(s, (int32_t)cap, &nbytes, folded, w, &err);
    free(folded);
    if (U_FAILURE(err)) {
        free(s);
        return CS_ERR_ICU;
    }
    s[nbytes] = '\0';
    *out = s;
    if (outlen)
        *outlen = (size_t)nbytes;
    return CS_OK;
}
