/* hash.h: the one non-cryptographic string hash of confsearch's own tables
 * and stable short names (64-bit FNV-1a).  Not for anything an attacker
 * chooses to collide against a secret: the tables that use it are probed
 * linearly and sized by what they hold, so a collision costs time, never
 * correctness. */
#ifndef CS_HASH_H
#define CS_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t cs_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

#endif /* CS_HASH_H */
