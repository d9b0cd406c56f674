/* fuzz.h: the libFuzzer entry points every target defines, declared once so
 * strict prototype warnings hold; also the checks targets share. */
#ifndef CS_FUZZ_H
#define CS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant is a finding like a crash: abort so that libFuzzer
 * keeps the input and the replay test fails on it. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Strict UTF-8: what every text we hand on (JSON, HTML) must be. */
static inline int fuzz_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        if (len - i - 1 < n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((u[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* Markup is only <mark> and </mark>; every other '<', '>', '&', '"' comes
 * escaped, and the result is valid UTF-8 without control characters. */
static inline void fuzz_check_html(const char *html)
{
    FUZZ_CHECK(html);
    size_t len = strlen(html);
    FUZZ_CHECK(fuzz_utf8_valid(html, len));
    int open = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)html[i];
        FUZZ_CHECK(c >= 0x20 || c == '\n' || c == '\t' || c == '\r');
        FUZZ_CHECK(c != '>' && c != '"');
        if (c == '<') {
            if (strncmp(html + i, "<mark>", 6) == 0) {
                FUZZ_CHECK(!open);
                open = 1;
                i += 5;
            } else {
                FUZZ_CHECK(strncmp(html + i, "</mark>", 7) == 0);
                FUZZ_CHECK(open);
                open = 0;
                i += 6;
            }
        } else if (c == '&') {
            FUZZ_CHECK(strncmp(html + i, "&amp;", 5) == 0 || strncmp(html + i, "&lt;", 4) == 0 ||
                       strncmp(html + i, "&gt;", 4) == 0 || strncmp(html + i, "&quot;", 6) == 0 ||
                       strncmp(html + i, "&#39;", 5) == 0);
        }
    }
    FUZZ_CHECK(!open);
}

#endif /* CS_FUZZ_H */
