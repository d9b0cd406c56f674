/* script_fold.c: OpenCC behind a small C boundary (the contract is in
 * script_fold.h): the Simplified-only character table and the s2twp
 * conversion of one CJK run with a map back to its input characters. */
#include "script_fold.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>
#include <unicode/ucnv.h>
#include <unicode/uset.h>
#include <unicode/utf8.h>

#include "terms.h"

/* The table covers CJK Extension A and the Unified Ideographs, where
 * OpenCC's Simplified characters are. */
#define TABLE_FIRST 0x3400
#define TABLE_LAST 0x9FFF
#define TABLE_SIZE (TABLE_LAST - TABLE_FIRST + 1)

/* OpenCC returns this, not NULL, when a configuration cannot be opened. */
#define OPENCC_FAILED ((opencc_t)(intptr_t)-1)

/* The longest stretch (characters) the aligner looks across for the place
 * where converted and input text agree again. */
#define RESYNC_MAX 3

static uint16_t s2t_char[TABLE_SIZE];           /* what s2t makes of each character */
static uint8_t simplified_only[TABLE_SIZE / 8]; /* a bit per character */
static bool table_ok;
static char table_err[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

struct cs_script_fold {
    opencc_t s2twp; /* NULL until the first conversion */
    char *conv;     /* OpenCC's last output, kept as the variant's text */
    /* Per-character arrays, all of cap entries. */
    int32_t *in_cp, *out_cp;
    size_t *at;
    uint32_t *from;
    size_t cap;
    char err[256];
};

/* Marks the characters s2t changes that Big5 (Windows code page 950, the
 * charset of Taiwan's own text) cannot encode: 写, 网络's 络, 视; not 台,
 * 后, 里, 面 or 干, which s2t changes (台 -> 臺) but Taiwan writes as they
 * are.  Without Big5's set (an ICU without the converter), s2t alone
 * decides. */
static void mark_simplified(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *big5 = ucnv_open("windows-950", &err);
    USet *set = U_SUCCESS(err) ? uset_openEmpty() : NULL;
    if (set)
        ucnv_getUnicodeSet(big5, set, UCNV_ROUNDTRIP_SET, &err);
    for (uint32_t c = TABLE_FIRST; c <= TABLE_LAST; c++) {
        uint32_t k = c - TABLE_FIRST;
        bool in_big5 = set && U_SUCCESS(err) && uset_contains(set, (UChar32)c);
        if (s2t_char[k] != c && !in_big5)
            simplified_only[k / 8] |= (uint8_t)(1u << (k % 8));
    }
    if (set)
        uset_close(set);
    if (big5)
        ucnv_close(big5);
}

/* Converts every table character at once, one a line so that no phrase
 * spans two of them: one OpenCC call per process instead of one per
 * character. */
static void build_table(void)
{
    opencc_t od = opencc_open("s2t.json");
    if (od == OPENCC_FAILED) {
        snprintf(table_err, sizeof table_err, "opencc_open(s2t.json): %s", opencc_error());
        return;
    }
    char *in = malloc((size_t)TABLE_SIZE * 4 + 1);
    char *out = NULL;
    if (in) {
        size_t n = 0;
        for (uint32_t c = TABLE_FIRST; c <= TABLE_LAST; c++) {
            in[n++] = (char)(0xE0 | (c >> 12));
            in[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            in[n++] = (char)(0x80 | (c & 0x3F));
            in[n++] = '\n';
        }
        in[n] = '\0';
        out = opencc_convert_utf8(od, in, n);
    }
    const char *p = out;
    uint32_t c = TABLE_FIRST;
    for (; p && *p && c <= TABLE_LAST; c++) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        int32_t i = 0, n = (int32_t)(nl - p), cp;
        U8_NEXT((const uint8_t *)p, i, n, cp);
        /* A character that becomes several, or one outside the BMP,
         * counts as unchanged: it is not a plain one-to-one Simplified
         * form, and the run keeps its own terms. */
        s2t_char[c - TABLE_FIRST] = (uint16_t)(i == n && cp > 0 && cp <= 0xFFFF ? (uint32_t)cp : c);
        p = nl + 1;
    }
    table_ok = c > TABLE_LAST;
    if (table_ok)
        mark_simplified();
    if (!table_ok)
        snprintf(table_err, sizeof table_err, "s2t.json: %s",
                 out ? "unexpected character table" : "conversion failed");
    if (out)
        opencc_convert_utf8_free(out);
    free(in);
    opencc_close(od);
}

static bool table_ready(void)
{
    pthread_once(&table_once, build_table);
    return table_ok;
}

/* The table's answer for one code point (c itself outside it). */
static int32_t s2t_of(int32_t c)
{
    return c >= TABLE_FIRST && c <= TABLE_LAST ? s2t_char[c - TABLE_FIRST] : c;
}

cs_status_t cs_script_is_simplified(int32_t c, bool *is)
{
    if (!is)
        return CS_ERR_NULL_ARG;
    *is = false;
    if (!table_ready())
        return CS_ERR_OPENCC;
    uint32_t k = (uint32_t)c - TABLE_FIRST;
    *is = c >= TABLE_FIRST && c <= TABLE_LAST && (simplified_only[k / 8] >> (k % 8)) & 1;
    return CS_OK;
}

cs_status_t cs_script_fold_create(cs_script_fold_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? CS_OK : CS_ERR_NO_MEMORY;
}

void cs_script_fold_destroy(cs_script_fold_t *f)
{
    if (!f)
        return;
    if (f->s2twp)
        opencc_close(f->s2twp);
    if (f->conv)
        opencc_convert_utf8_free(f->conv);
    free(f->at);
    free(f->from);
    free(f->in_cp);
    free(f->out_cp);
    free(f);
}

const char *cs_script_fold_error(const cs_script_fold_t *f)
{
    return f ? f->err : "";
}

static cs_status_t fail(cs_script_fold_t *f, const char *what)
{
    /* opencc_error() is a process-wide string; it is read at once. */
    snprintf(f->err, sizeof f->err, "%s: %s", what, opencc_error());
    return CS_ERR_OPENCC;
}

/* Room for need characters (one more offset) in every per-character
 * array; what they hold is kept. */
static bool reserve(cs_script_fold_t *f, size_t need)
{
    if (need + 1 <= f->cap)
        return true;
    size_t cap = need + 1;
    int32_t *in = realloc(f->in_cp, cap * sizeof *in);
    if (in)
        f->in_cp = in;
    int32_t *out = in ? realloc(f->out_cp, cap * sizeof *out) : NULL;
    if (out)
        f->out_cp = out;
    size_t *at = out ? realloc(f->at, cap * sizeof *at) : NULL;
    if (at)
        f->at = at;
    uint32_t *from = at ? realloc(f->from, cap * sizeof *from) : NULL;
    if (from)
        f->from = from;
    if (!from)
        return false;
    f->cap = cap;
    return true;
}

/* Decodes UTF-8 into code points, each a verbatim CJK character; false
 * (no Taiwan form) for anything else or more than max of them. */
static bool decode_plain(const char *s, size_t len, int32_t *cp, size_t max, size_t *n)
{
    size_t k = 0;
    for (int32_t i = 0; (size_t)i < len;) {
        int32_t c;
        U8_NEXT((const uint8_t *)s, i, (int32_t)len, c);
        if (c < 0 || k == max || !cs_term_is_verbatim_cjk(c))
            return false;
        cp[k++] = c;
    }
    *n = k;
    return true;
}

/* Whether output character i stands for input character j: the same, or
 * what s2t alone makes of it. */
static bool agrees(const cs_script_fold_t *f, size_t i, size_t m, size_t j, size_t n)
{
    return i < m && j < n && (f->out_cp[i] == f->in_cp[j] || f->out_cp[i] == s2t_of(f->in_cp[j]));
}

/* Where, a output and b input characters on, the texts agree again: both
 * end there, or two characters in a row agree. */
static bool resyncs(const cs_script_fold_t *f, size_t i, size_t m, size_t j, size_t n)
{
    if (i == m && j == n)
        return true;
    return agrees(f, i, m, j, n) && (i + 1 == m || j + 1 == n || agrees(f, i + 1, m, j + 1, n));
}

/* Fills from[0..m): greedy alignment of the output with the input.
 * Characters that agree map one to one; a changed stretch (a Taiwan phrase
 * such as 網路 for 网络, or 部落格 for 博客) is the shortest pair of
 * stretches after which they agree again, each output character of it
 * mapped to the input character at the same offset, the last one at most. */
static void align(cs_script_fold_t *f, size_t m, size_t n)
{
    /* Candidate stretch lengths (output, input), fewest characters first,
     * equal lengths before unequal. */
    static const uint8_t tries[][2] = {{1, 1}, {0, 1}, {1, 0}, {2, 2}, {2, 1},
                                       {1, 2}, {0, 2}, {2, 0}, {3, 3}, {3, 2},
                                       {2, 3}, {3, 1}, {1, 3}, {0, 3}, {3, 0}};
    _Static_assert(RESYNC_MAX == 3, "tries lists stretches up to RESYNC_MAX");
    size_t i = 0, j = 0;
    while (i < m && j < n) {
        if (agrees(f, i, m, j, n)) {
            f->from[i++] = (uint32_t)j++;
            continue;
        }
        size_t a = 1, b = 1;
        for (size_t t = 0; t < sizeof tries / sizeof tries[0]; t++) {
            if (i + tries[t][0] <= m && j + tries[t][1] <= n &&
                resyncs(f, i + tries[t][0], m, j + tries[t][1], n)) {
                a = tries[t][0];
                b = tries[t][1];
                break;
            }
        }
        for (size_t k = 0; k < a; k++) {
            size_t to = b == 0 ? (j > 0 ? j - 1 : 0) : j + (k < b ? k : b - 1);
            f->from[i + k] = (uint32_t)(to < n ? to : n - 1);
        }
        i += a;
        j += b;
    }
    for (; i < m; i++)
        f->from[i] = (uint32_t)(n - 1);
}

cs_status_t cs_script_fold_run(cs_script_fold_t *f, const char *utf8, size_t len, size_t nchars,
                               cs_script_variant_t *out)
{
    if (out)
        *out = (cs_script_variant_t){.text = ""};
    if (!f || !utf8 || !out)
        return CS_ERR_NULL_ARG;
    f->err[0] = '\0';
    if (nchars == 0 || len > INT32_MAX / 2)
        return CS_OK;
    if (!reserve(f, nchars))
        return CS_ERR_NO_MEMORY;
    size_t n = 0;
    if (!decode_plain(utf8, len, f->in_cp, nchars, &n) || n != nchars)
        return CS_OK;
    if (!table_ready()) {
        snprintf(f->err, sizeof f->err, "%s", table_err);
        return CS_ERR_OPENCC;
    }
    if (!f->s2twp) {
        opencc_t od = opencc_open(CS_SCRIPT_FOLD_CONFIG);
        if (od == OPENCC_FAILED)
            return fail(f, "opencc_open(" CS_SCRIPT_FOLD_CONFIG ")");
        f->s2twp = od;
    }
    if (f->conv)
        opencc_convert_utf8_free(f->conv);
    f->conv = opencc_convert_utf8(f->s2twp, utf8, len);
    if (!f->conv)
        return fail(f, "opencc_convert_utf8");
    size_t clen = strlen(f->conv);
    if (clen == len && memcmp(f->conv, utf8, len) == 0)
        return CS_OK;
    /* A Han character is 3 or 4 bytes: clen / 3 bounds the characters. */
    size_t m = 0, cap = clen / 3 + 1;
    if (!reserve(f, cap))
        return CS_ERR_NO_MEMORY;
    if (!decode_plain(f->conv, clen, f->out_cp, cap, &m) || m == 0)
        return CS_OK;
    size_t off = 0;
    for (size_t k = 0; k < m; k++) {
        f->at[k] = off;
        off += (size_t)U8_LENGTH(f->out_cp[k]);
    }
    f->at[m] = off;
    align(f, m, n);
    *out = (cs_script_variant_t){.text = f->conv, .at = f->at, .from = f->from, .count = m};
    return CS_OK;
}
