/* grow.c: see grow.h. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool cs_grow_slow(void *array, size_t *cap, size_t need, size_t size, size_t first, bool zero)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : (first ? first : 1);
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return false;
    /* array is a T **: read and write the pointer as bytes, which every
     * object pointer type allows, rather than through a void **. */
    void *old;
    memcpy(&old, array, sizeof old);
    char *grown = realloc(old, n * size);
    if (!grown)
        return false;
    if (zero)
        memset(grown + *cap * size, 0, (n - *cap) * size);
    void *fresh = grown;
    memcpy(array, &fresh, sizeof fresh);
    *cap = n;
    return true;
}
