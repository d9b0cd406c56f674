/* utf8.c: see utf8.h. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include <unicode/utf8.h>

bool cs_utf8_valid(const char *s, size_t len)
{
    if (len > INT32_MAX)
        return false;
    const uint8_t *u = (const uint8_t *)s;
    for (int32_t i = 0; (size_t)i < len;) {
        UChar32 c;
        U8_NEXT(u, i, (int32_t)len, c);
        if (c < 0)
            return false;
    }
    return true;
}

size_t cs_utf8_floor(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    /* s[max] is the first byte left out: while it continues a character,
     * the cut moves back to that character's lead byte. */
    size_t at = max;
    while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
        at--;
    return at;
}

size_t cs_utf8_copy_span(char *dst, size_t cap, const char *src, size_t len)
{
    size_t n = cs_utf8_floor(src, len, cap - 1);
    memmove(dst, src, n);
    dst[n] = '\0';
    return n;
}

size_t cs_utf8_copy(char *dst, size_t cap, const char *src)
{
    return cs_utf8_copy_span(dst, cap, src, strlen(src));
}
