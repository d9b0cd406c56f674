/* strmap.h: a string -> integer map (open addressing, linear probing),
 * written once for the tables that count or number strings: spelling
 * words, a highlighter's query words, a facet cache's values.
 *
 * Keys are copied into chunks the map owns and stay at the same address
 * (NUL-terminated) until cs_strmap_clear or cs_strmap_destroy, so callers
 * may keep `const char *` to them.  Value pointers returned by get/put are
 * valid only until the next put (a put may move the slots).  Not
 * thread-safe; one map per thread. */
#ifndef CS_STRMAP_H
#define CS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct cs_strmap cs_strmap_t;

/* A new empty map in *out (caller destroys).  Returns CS_OK,
 * CS_ERR_NULL_ARG or CS_ERR_NO_MEMORY. */
cs_status_t cs_strmap_create(cs_strmap_t **out);

/* Frees the map and its keys; NULL is allowed. */
void cs_strmap_destroy(cs_strmap_t *m);

/* Forgets every entry; keeps the slot table's memory (and one chunk of
 * key memory) for the next round. */
void cs_strmap_clear(cs_strmap_t *m);

/* How many entries the map holds. */
size_t cs_strmap_count(const cs_strmap_t *m);

/* The value stored for key, or NULL when absent. */
int64_t *cs_strmap_get(const cs_strmap_t *m, const char *key, size_t len);

/* The value of key, adding key with `initial` when absent (*added says
 * which, when not NULL; *stored_key, when not NULL, gets the map's copy
 * of the key).  NULL only when out of memory, the map unchanged. */
int64_t *cs_strmap_put(cs_strmap_t *m, const char *key, size_t len, int64_t initial, bool *added,
                       const char **stored_key);

/* Iteration in slot order: start with *cursor = 0; each call that returns
 * true gives one entry.  The map must not change during an iteration. */
bool cs_strmap_next(const cs_strmap_t *m, size_t *cursor, const char **key, size_t *len,
                    int64_t *value);

#endif /* CS_STRMAP_H */
