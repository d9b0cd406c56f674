/* utf8.h: the UTF-8 checks every module needs, written once over ICU's
 * U8_NEXT (strict: no overlong forms, surrogates or code points past
 * U+10FFFF). */
#ifndef CS_UTF8_H
#define CS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (NUL bytes allowed).  Input
 * longer than INT32_MAX bytes (beyond ICU's counters) is refused. */
bool cs_utf8_valid(const char *s, size_t len);

/* The longest prefix of s[0..len) of at most max bytes that ends on a
 * character boundary: where to cut text so that a message or a line
 * keeps valid UTF-8.  Returns len when len <= max. */
size_t cs_utf8_floor(const char *s, size_t len, size_t max);

/* Copies src[0..len) into dst (cap > 0 bytes) as a string, cut at the
 * last character boundary that fits: a cut without half a character,
 * which JSON then refuses.  Returns the bytes copied. */
size_t cs_utf8_copy_span(char *dst, size_t cap, const char *src, size_t len);
/* The same for the NUL-terminated src: snprintf(dst, cap, "%s", src)
 * without half a character. */
size_t cs_utf8_copy(char *dst, size_t cap, const char *src);

#endif /* CS_UTF8_H */
