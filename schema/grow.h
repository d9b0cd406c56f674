/* grow.h: growable arrays, written once.  A module keeps its own pointer,
 * count and capacity; cs_grow makes room for `need` elements by doubling
 * the capacity (from `first` when the array is empty), so appending n
 * elements one by one costs O(n) copies in all. */
#ifndef CS_GROW_H
#define CS_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Ensures *array (of *cap elements of `size` bytes) holds at least `need`
 * elements.  On success *array and *cap may have changed (the old pointer
 * is then invalid) and true is returned; on overflow or out of memory
 * false, with *array and *cap untouched (still owned by the caller). */
bool cs_grow_slow(void *array, size_t *cap, size_t need, size_t size, size_t first, bool zero);

/* The check inline: appends in inner loops (the analyser's tokens) mostly
 * find room, and then cost no call. */
static inline bool cs_grow(void *array, size_t *cap, size_t need, size_t size, size_t first)
{
    return need <= *cap || cs_grow_slow(array, cap, need, size, first, false);
}

/* The same for arrays that must be zero-filled past the old capacity
 * (tables whose empty slots are all-zero). */
static inline bool cs_grow_zeroed(void *array, size_t *cap, size_t need, size_t size, size_t first)
{
    return need <= *cap || cs_grow_slow(array, cap, need, size, first, true);
}

#endif /* CS_GROW_H */
