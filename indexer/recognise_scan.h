/* recognise_scan.h: the character-level helpers the recognisers share
 * (recognise_*.c): UTF-8 code points through ICU's U8_NEXT, ASCII case,
 * spaces as pads write them, and literal matching.  Private to the
 * recognisers; everything here reads NUL-terminated text unless it takes
 * an end pointer. */
#ifndef CS_RECOGNISE_SCAN_H
#define CS_RECOGNISE_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

static inline UChar32 cp_at(const char *p, int32_t *n)
{
    int32_t i = 0;
    UChar32 c;
    int32_t len = (int32_t)strnlen(p, 4);
    if (len == 0) {
        *n = 0;
        return 0;
    }
    U8_NEXT(p, i, len, c);
    *n = i;
    return c;
}

/* As cp_at, never reading at or past end (texts given with a length need
 * not be NUL-terminated). */
static inline UChar32 cp_in(const char *p, const char *end, int32_t *n)
{
    int32_t i = 0;
    UChar32 c;
    int32_t len = end - p > 4 ? 4 : (int32_t)(end - p);
    if (len <= 0) {
        *n = 0;
        return 0;
    }
    U8_NEXT(p, i, len, c);
    *n = i;
    return c;
}

static inline bool is_space_cp(UChar32 c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || c == '\r' || c == '\n' ||
           c == 0xFE0F || c == 0x200B;
}

static inline const char *skip_sp(const char *p)
{
    int32_t n;
    while (*p && is_space_cp(cp_at(p, &n)))
        p += n;
    return p;
}

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline bool is_alpha(char c)
{
    c = lower(c);
    return c >= 'a' && c <= 'z';
}

static inline bool is_han(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    return c >= 0x2E80 && uscript_getScript(c, &e) == USCRIPT_HAN && U_SUCCESS(e);
}

/* Matches lit (ASCII, lower case) case-insensitively at p; for a
 * word-ending lit the next byte must not continue a word. */
static inline size_t eat_ci(const char *p, const char *lit, bool whole_word)
{
    if (lower(p[0]) != lit[0])
        return 0; /* the common case, before measuring lit */
    size_t n = strlen(lit);
    for (size_t i = 0; i < n; i++)
        if (!p[i] || lower(p[i]) != lit[i])
            return 0;
    if (whole_word && (is_alpha(p[n]) || is_digit(p[n])))
        return 0;
    return n;
}

static inline size_t eat_lit(const char *p, const char *lit)
{
    if (p[0] != lit[0])
        return 0;
    size_t n = strlen(lit);
    return strncmp(p, lit, n) == 0 ? n : 0;
}

/* The length of the first of lits (a NULL-ended list) that p starts with;
 * 0 when none does. */
static inline size_t eat_any_lit(const char *p, const char *const *lits)
{
    for (; *lits; lits++) {
        size_t n = eat_lit(p, *lits);
        if (n)
            return n;
    }
    return 0;
}

static inline size_t eat_digits(const char *p, int *v)
{
    size_t n = 0;
    int x = 0;
    while (is_digit(p[n])) {
        if (x < 100000)
            x = x * 10 + (p[n] - '0');
        n++;
    }
    *v = x;
    return n;
}

/* "一" .. "十", "十一" .. "三十一" and "兩": Chinese numerals as days and
 * ordinals use them. */
static inline size_t eat_han_number(const char *p, int *v)
{
    static const char *const digits[] = {"〇", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};
    size_t at = 0;
    int value = 0, cur = -1;
    bool any = false;
    for (;;) {
        size_t n;
        int d = -1;
        for (int i = 0; i < 10; i++)
            if ((n = eat_lit(p + at, digits[i])) > 0) {
                d = i;
                break;
            }
        if (d < 0 && (n = eat_lit(p + at, "兩")) > 0)
            d = 2;
        if (d >= 0) {
            cur = d;
            at += n;
            any = true;
            continue;
        }
        if ((n = eat_lit(p + at, "十")) > 0) {
            value += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
            at += n;
            any = true;
            continue;
        }
        break;
    }
    if (!any)
        return 0;
    *v = value + (cur < 0 ? 0 : cur);
    return at;
}

static inline size_t eat_colon(const char *p)
{
    if (*p == ':')
        return 1;
    return eat_lit(p, "：");
}

static inline bool ends_with(const char *b, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(e - b) >= n && memcmp(e - n, lit, n) == 0;
}

static inline size_t count_cps(const char *b, const char *e, size_t *han, size_t *latin,
                               size_t *digit, size_t *other)
{
    size_t all = 0;
    *han = *latin = *digit = *other = 0;
    for (const char *p = b; p < e;) {
        int32_t n;
        UChar32 c = cp_at(p, &n);
        if (n <= 0)
            break;
        p += n;
        all++;
        if (is_han(c))
            (*han)++;
        else if (c < 128 && is_alpha((char)c))
            (*latin)++;
        else if (c < 128 && is_digit((char)c))
            (*digit)++;
        else if (!is_space_cp(c))
            (*other)++;
    }
    return all;
}

static inline const char *trim_end_ptr(const char *b, const char *e)
{
    while (e > b) {
        const char *q = e - 1;
        while (q > b && ((unsigned char)*q & 0xC0) == 0x80)
            q--;
        int32_t n;
        if (!is_space_cp(cp_in(q, e, &n)))
            break;
        e = q;
    }
    return e;
}

static inline const char *skip_sp_to(const char *p, const char *e)
{
    while (p < e) {
        int32_t n;
        if (!is_space_cp(cp_in(p, e, &n)) || n <= 0)
            break;
        p += n;
    }
    return p;
}

static inline char *dup_range(const char *b, const char *e)
{
    size_t n = (size_t)(e - b);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, b, n);
    s[n] = '\0';
    return s;
}

#endif /* CS_RECOGNISE_SCAN_H */
