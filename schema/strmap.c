/* strmap.c: see strmap.h. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* Keys live in chunks of this size (a longer key gets a chunk of its
 * own), so a map of many short words makes few allocations. */
#define KEY_CHUNK_BYTES (64 * 1024)
#define FIRST_SLOTS 16

typedef struct {
    const char *key; /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    int64_t value;
} slot_t;

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    char bytes[];
} chunk_t;

struct cs_strmap {
    slot_t *slots;
    size_t cap, count; /* cap is 0 or a power of two, at least twice count */
    chunk_t *chunks;
};

cs_status_t cs_strmap_create(cs_strmap_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? CS_OK : CS_ERR_NO_MEMORY;
}

static void free_chunks(chunk_t *c)
{
    while (c) {
        chunk_t *next = c->next;
        free(c);
        c = next;
    }
}

void cs_strmap_destroy(cs_strmap_t *m)
{
    if (!m)
        return;
    free_chunks(m->chunks);
    free(m->slots);
    free(m);
}

void cs_strmap_clear(cs_strmap_t *m)
{
    if (!m)
        return;
    if (m->chunks) {
        free_chunks(m->chunks->next);
        m->chunks->next = NULL;
        m->chunks->used = 0;
    }
    if (m->slots)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->count = 0;
}

size_t cs_strmap_count(const cs_strmap_t *m)
{
    return m ? m->count : 0;
}

static slot_t *find(slot_t *slots, size_t cap, const char *key, size_t len, uint64_t h)
{
    size_t mask = cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        slot_t *s = &slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

int64_t *cs_strmap_get(const cs_strmap_t *m, const char *key, size_t len)
{
    if (!m || m->count == 0)
        return NULL;
    slot_t *s = find(m->slots, m->cap, key, len, cs_hash_bytes(key, len));
    return s->key ? &s->value : NULL;
}

static bool grow(cs_strmap_t *m)
{
    size_t cap = m->cap ? m->cap * 2 : FIRST_SLOTS;
    if (cap > SIZE_MAX / sizeof(slot_t))
        return false;
    slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        const slot_t *s = &m->slots[i];
        if (s->key)
            *find(slots, cap, s->key, s->len, s->hash) = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return true;
}

static const char *store_key(cs_strmap_t *m, const char *key, size_t len)
{
    chunk_t *c = m->chunks;
    if (!c || c->size - c->used < len + 1) {
        size_t size = len + 1 > KEY_CHUNK_BYTES ? len + 1 : KEY_CHUNK_BYTES;
        chunk_t *fresh = malloc(sizeof *fresh + size);
        if (!fresh)
            return NULL;
        fresh->size = size;
        fresh->used = 0;
        /* A full chunk goes behind the new one; the head is the one with
         * room, and the one cs_strmap_clear keeps. */
        fresh->next = c;
        m->chunks = c = fresh;
    }
    char *at = c->bytes + c->used;
    memcpy(at, key, len);
    at[len] = '\0';
    c->used += len + 1;
    return at;
}

int64_t *cs_strmap_put(cs_strmap_t *m, const char *key, size_t len, int64_t initial, bool *added,
                       const char **stored_key)
{
    if (!m || (!key && len))
        return NULL;
    if ((m->count + 1) * 2 > m->cap && !grow(m))
        return NULL;
    uint64_t h = cs_hash_bytes(key, len);
    slot_t *s = find(m->slots, m->cap, key, len, h);
    bool fresh = !s->key;
    if (fresh) {
        const char *copy = store_key(m, key, len);
        if (!copy)
            return NULL;
        *s = (slot_t){copy, len, h, initial};
        m->count++;
    }
    if (added)
        *added = fresh;
    if (stored_key)
        *stored_key = s->key;
    return &s->value;
}

bool cs_strmap_next(const cs_strmap_t *m, size_t *cursor, const char **key, size_t *len,
                    int64_t *value)
{
    if (!m || !cursor)
        return false;
    for (size_t i = *cursor; i < m->cap; i++) {
        const slot_t *s = &m->slots[i];
        if (!s->key)
            continue;
        *cursor = i + 1;
        if (key)
            *key = s->key;
        if (len)
            *len = s->len;
        if (value)
            *value = s->value;
        return true;
    }
    *cursor = m->cap;
    return false;
}
