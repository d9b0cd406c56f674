/* facet_cache.c: every talk's facet values and the programme order, kept
 * per searcher for the index revision it reads (see facet_cache.h). */
#include "facet_cache.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "schema.h"
#include "search.h"
#include "strmap.h"

/* Every talk's facet values, kept by each searcher for the index revision it
 * reads: per facet, the slot's distinct values, the entries each splits
 * into (speakers), and per document id which value it has.  Counting a
 * search's facets is then one array lookup per match, where reading the
 * values from Xapian costs a value-chunk seek per match and facet, a large
 * share of a search.  Built with one pass over each slot on the first
 * search of a revision. */
typedef struct {
    const char *text; /* NUL-terminated; the map's copy */
    size_t len;
} str_slot_t;

/* Distinct strings, numbered in the order they were added. */
typedef struct {
    cs_strmap_t *map; /* text -> number */
    str_slot_t *item; /* by number */
    size_t n, cap;
} str_table_t;

typedef struct {
    str_table_t entries;     /* what the facet lists (a speaker name, a room) */
    str_table_t values;      /* whole slot values ("A\x1fB") */
    uint32_t *value_entries; /* value v's entries: value_entries[first[v]..first[v+1]) */
    uint32_t *first;
    size_t n_value_entries, cap_value_entries;
    uint32_t *of_doc; /* docid -> 1 + value number, 0: none */
    size_t n_docs;
    uint32_t *value_count, *entry_count, *order; /* scratch for counting */
} facet_values_t;

struct cs_facet_cache {
    int valid;
    unsigned generation; /* of the database handle it was built from */
    uint64_t revision;
    facet_values_t facet[CS_FACET_COUNT];
    /* Programme order for empty queries: the talks that have an order key,
     * sorted by it and then by id (Xapian's sort by value, then relevance,
     * which is equal for all, then id), and which ids have a key at all. */
    xc_docid_t *programme;
    size_t n_programme;
    uint8_t *keyed; /* bitmap by docid */
    size_t keyed_bits;
    /* Every talk's id, in order: what an empty query without filters
     * matches, so that it needs no match at all. */
    xc_docid_t *all;
    size_t n_all, cap_all;
};

static const xc_valueno_t facet_slots[CS_FACET_COUNT] = {
    CS_SLOT_DAY, CS_SLOT_ROOM, CS_SLOT_SPEAKERS, CS_SLOT_CONFERENCE, CS_SLOT_TRACK};

static void str_table_clear(str_table_t *t)
{
    cs_strmap_destroy(t->map);
    free(t->item);
    memset(t, 0, sizeof *t);
}

/* The number of text in t, adding it if new; -1 on no memory. */
static long str_table_intern(str_table_t *t, const char *text, size_t len)
{
    /* Room for one more first, so a string never enters the map without
     * its number. */
    if ((!t->map && cs_strmap_create(&t->map) != CS_OK) ||
        !cs_grow(&t->item, &t->cap, t->n + 1, sizeof *t->item, 64))
        return -1;
    bool added;
    const char *key;
    const int64_t *number = cs_strmap_put(t->map, text, len, (int64_t)t->n, &added, &key);
    if (!number)
        return -1;
    if (added)
        t->item[t->n++] = (str_slot_t){key, len};
    return (long)*number;
}

static void facet_values_clear(facet_values_t *fv)
{
    str_table_clear(&fv->entries);
    str_table_clear(&fv->values);
    free(fv->value_entries);
    free(fv->first);
    free(fv->of_doc);
    free(fv->value_count);
    free(fv->entry_count);
    free(fv->order);
    memset(fv, 0, sizeof *fv);
}

static void cache_clear(cs_facet_cache_t *c)
{
    for (int f = 0; f < CS_FACET_COUNT; f++)
        facet_values_clear(&c->facet[f]);
    free(c->programme);
    free(c->keyed);
    free(c->all);
    c->programme = NULL;
    c->keyed = NULL;
    c->all = NULL;
    c->n_programme = c->keyed_bits = c->n_all = c->cap_all = 0;
    c->valid = 0;
}

static int collect_all(xc_docid_t docid, void *ctx)
{
    cs_facet_cache_t *c = ctx;
    if (!cs_grow(&c->all, &c->cap_all, c->n_all + 1, sizeof *c->all, 1024))
        return 1;
    c->all[c->n_all++] = docid;
    return 0;
}

/* Notes held by a programme talk's document are no talk of their own
 * (schema/README.md, "Notes joined to the programme"): out of c->all. */
typedef struct {
    cs_facet_cache_t *c;
    size_t read, kept;
} held_t;

static int drop_held(xc_docid_t docid, void *ctx)
{
    held_t *h = ctx;
    while (h->read < h->c->n_all && h->c->all[h->read] < docid)
        h->c->all[h->kept++] = h->c->all[h->read++];
    if (h->read < h->c->n_all && h->c->all[h->read] == docid)
        h->read++;
    return 0;
}

static xc_status_t drop_held_notes(xc_database_t *db, cs_facet_cache_t *c)
{
    held_t h = {c, 0, 0};
    xc_status_t xs =
        xc_database_postlist(db, CS_TERM_JOINED, strlen(CS_TERM_JOINED), drop_held, &h);
    while (h.read < c->n_all)
        c->all[h.kept++] = c->all[h.read++];
    c->n_all = h.kept;
    return xs;
}

typedef struct {
    xc_docid_t docid;
    char *key;
    size_t len;
} order_key_t;

typedef struct {
    order_key_t *keys;
    size_t n, cap;
    int failed;
} order_load_t;

static int load_order_key(xc_docid_t docid, const char *value, size_t len, void *ctx)
{
    order_load_t *load = ctx;
    if (!cs_grow(&load->keys, &load->cap, load->n + 1, sizeof *load->keys, 1024)) {
        load->failed = 1;
        return 1;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        load->failed = 1;
        return 1;
    }
    memcpy(copy, value, len + 1);
    load->keys[load->n++] = (order_key_t){docid, copy, len};
    return 0;
}

/* Bytes, then length (std::string's order, which Xapian sorts by), then id. */
static int by_key_then_docid(const void *a, const void *b)
{
    const order_key_t *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    if (c == 0)
        c = (x->len > y->len) - (x->len < y->len);
    return c ? c : (x->docid > y->docid) - (x->docid < y->docid);
}

/* Fills the cache's programme order from the order slot. */
static xc_status_t load_programme(xc_database_t *db, cs_facet_cache_t *c)
{
    order_load_t load = {0};
    xc_status_t xs = xc_database_values(db, CS_SLOT_ORDER, load_order_key, &load);
    if (xs == XC_OK && !load.failed) {
        if (load.n > 1)
            qsort(load.keys, load.n, sizeof *load.keys, by_key_then_docid);
        xc_docid_t top = 0;
        for (size_t i = 0; i < load.n; i++)
            top = load.keys[i].docid > top ? load.keys[i].docid : top;
        c->keyed_bits = (size_t)top + 1;
        c->programme = malloc((load.n + 1) * sizeof *c->programme);
        c->keyed = calloc(c->keyed_bits / 8 + 1, 1);
        if (!c->programme || !c->keyed)
            load.failed = 1;
        for (size_t i = 0; !load.failed && i < load.n; i++) {
            c->programme[i] = load.keys[i].docid;
            c->keyed[load.keys[i].docid / 8] |= (uint8_t)(1u << (load.keys[i].docid % 8));
        }
        c->n_programme = load.n;
    }
    for (size_t i = 0; i < load.n; i++)
        free(load.keys[i].key);
    free(load.keys);
    return xs != XC_OK ? xs : load.failed ? XC_ERR_NO_MEMORY : XC_OK;
}

typedef struct {
    facet_values_t *fv;
    char separator;
    int failed;
} facet_load_t;

static bool push_u32(uint32_t **buf, size_t *n, size_t *cap, uint32_t v)
{
    if (!cs_grow(buf, cap, *n + 1, sizeof **buf, 256))
        return false;
    (*buf)[(*n)++] = v;
    return true;
}

/* A new whole value: its entries, each once (as a match spy counts them). */
static bool add_value_entries(facet_values_t *fv, const char *value, size_t len, char sep)
{
    /* The value was just interned: it is number count - 1. */
    size_t first = fv->n_value_entries, count = fv->values.n;
    for (size_t at = 0; at <= len;) {
        const char *cut = sep ? memchr(value + at, sep, len - at) : NULL;
        size_t end = cut ? (size_t)(cut - value) : len;
        if (end > at) {
            long e = str_table_intern(&fv->entries, value + at, end - at);
            if (e < 0)
                return false;
            bool seen = false;
            for (size_t k = first; k < fv->n_value_entries && !seen; k++)
                seen = fv->value_entries[k] == (uint32_t)e;
            if (!seen && !push_u32(&fv->value_entries, &fv->n_value_entries, &fv->cap_value_entries,
                                   (uint32_t)e))
                return false;
        }
        at = end + 1;
    }
    uint32_t *grown = realloc(fv->first, (count + 1) * sizeof *grown);
    if (!grown)
        return false;
    fv->first = grown;
    fv->first[count - 1] = (uint32_t)first;
    fv->first[count] = (uint32_t)fv->n_value_entries;
    return true;
}

static int load_value(xc_docid_t docid, const char *value, size_t len, void *ctx)
{
    facet_load_t *load = ctx;
    facet_values_t *fv = load->fv;
    size_t known = fv->values.n;
    long v = str_table_intern(&fv->values, value, len);
    if (v < 0 || ((size_t)v == known && !add_value_entries(fv, value, len, load->separator))) {
        load->failed = 1;
        return 1;
    }
    if (!cs_grow_zeroed(&fv->of_doc, &fv->n_docs, (size_t)docid + 1, sizeof *fv->of_doc, 1024)) {
        load->failed = 1;
        return 1;
    }
    fv->of_doc[docid] = (uint32_t)v + 1;
    return 0;
}

xc_status_t cs_facet_cache_update(cs_facet_cache_t *c, xc_database_t *db, unsigned generation)
{
    if (!c || !db)
        return XC_ERR_NULL_ARG;
    uint64_t revision = 0;
    xc_status_t xs = xc_database_get_revision(db, &revision);
    if (xs != XC_OK)
        return xs;
    if (c->valid && c->generation == generation && c->revision == revision)
        return XC_OK;
    cache_clear(c);
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        facet_values_t *fv = &c->facet[f];
        facet_load_t load = {fv, f == CS_FACET_SPEAKER ? CS_SPEAKER_SEP : 0, 0};
        xs = xc_database_values(db, facet_slots[f], load_value, &load);
        if (xs == XC_OK && !load.failed) {
            fv->value_count = calloc(fv->values.n + 1, sizeof *fv->value_count);
            fv->entry_count = calloc(fv->entries.n + 1, sizeof *fv->entry_count);
            fv->order = calloc(fv->entries.n + 1, sizeof *fv->order);
            if (!fv->value_count || !fv->entry_count || !fv->order)
                load.failed = 1;
        }
        if (xs != XC_OK || load.failed) {
            cache_clear(c);
            return xs != XC_OK ? xs : XC_ERR_NO_MEMORY;
        }
    }
    /* The empty term's posting list is every document. */
    uint32_t docs = 0;
    if ((xs = load_programme(db, c)) != XC_OK ||
        (xs = xc_database_postlist(db, "", 0, collect_all, c)) != XC_OK ||
        (xs = xc_database_get_doccount(db, &docs)) != XC_OK || c->n_all != docs ||
        (xs = drop_held_notes(db, c)) != XC_OK) {
        cache_clear(c);
        return xs != XC_OK ? xs : XC_ERR_NO_MEMORY;
    }
    c->valid = 1;
    c->generation = generation;
    c->revision = revision;
    return XC_OK;
}

/* The facet being sorted: qsort has no context argument, and each worker
 * thread sorts its own. */
static _Thread_local const facet_values_t *sorting;

/* Count descending, then entry bytes ascending: the order of the API. */
static int by_count_then_value(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const facet_values_t *fv = sorting;
    if (fv->entry_count[x] != fv->entry_count[y])
        return fv->entry_count[x] > fv->entry_count[y] ? -1 : 1;
    const str_slot_t *ex = &fv->entries.item[x], *ey = &fv->entries.item[y];
    int c = memcmp(ex->text, ey->text, ex->len < ey->len ? ex->len : ey->len);
    return c ? c : (ex->len > ey->len) - (ex->len < ey->len);
}

cs_status_t cs_facet_cache_create(cs_facet_cache_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? CS_OK : CS_ERR_NO_MEMORY;
}

void cs_facet_cache_destroy(cs_facet_cache_t *c)
{
    if (!c)
        return;
    cache_clear(c);
    free(c);
}

size_t cs_facet_cache_talks(const cs_facet_cache_t *c)
{
    return c ? c->n_all : 0;
}

xc_status_t cs_facet_cache_counts(cs_facet_cache_t *c, xc_matchspy_t *spy, cs_facet_t f,
                                  json_t **out)
{
    json_t *list = json_array();
    *out = list;
    const xc_docid_t *ids = NULL;
    size_t n = 0;
    xc_status_t xs = spy ? xc_matchspy_docids(spy, &ids, &n) : XC_OK;
    if (xs != XC_OK)
        return xs;
    if (!spy) {
        ids = c->all;
        n = c->n_all;
    }
    facet_values_t *fv = &c->facet[f];
    memset(fv->value_count, 0, fv->values.n * sizeof *fv->value_count);
    for (size_t i = 0; i < n; i++)
        if (ids[i] < fv->n_docs && fv->of_doc[ids[i]])
            fv->value_count[fv->of_doc[ids[i]] - 1]++;
    size_t k = 0;
    for (size_t v = 0; v < fv->values.n; v++) {
        uint32_t count = fv->value_count[v];
        for (uint32_t at = fv->first[v]; count && at < fv->first[v + 1]; at++) {
            uint32_t e = fv->value_entries[at];
            if (fv->entry_count[e] == 0)
                fv->order[k++] = e;
            fv->entry_count[e] += count;
        }
    }
    sorting = fv;
    qsort(fv->order, k, sizeof *fv->order, by_count_then_value);
    size_t max = f == CS_FACET_SPEAKER ? CS_SEARCH_SPEAKER_FACET_CAP : k;
    for (size_t i = 0; i < k && i < max; i++) {
        const str_slot_t *e = &fv->entries.item[fv->order[i]];
        json_array_append_new(list, json_pack("{s:s%, s:i}", "value", e->text, e->len, "count",
                                              (json_int_t)fv->entry_count[fv->order[i]]));
    }
    for (size_t i = 0; i < k; i++)
        fv->entry_count[fv->order[i]] = 0;
    return XC_OK;
}

xc_status_t cs_facet_cache_programme_page(const cs_facet_cache_t *c, xc_matchspy_t *spy,
                                          size_t first, size_t size, xc_docid_t *out, size_t *n)
{
    const xc_docid_t *ids = NULL;
    size_t count = 0;
    *n = 0;
    xc_status_t xs = spy ? xc_matchspy_docids(spy, &ids, &count) : XC_OK;
    if (!spy) {
        ids = c->all;
        count = c->n_all;
    }
    if (xs != XC_OK || count == 0)
        return xs;
    size_t bits = (size_t)ids[count - 1] + 1;
    uint8_t *matched = calloc(bits / 8 + 1, 1);
    if (!matched)
        return XC_ERR_NO_MEMORY;
    size_t skip = first;
    for (size_t i = 0; i < count; i++) {
        xc_docid_t id = ids[i];
        matched[id / 8] |= (uint8_t)(1u << (id % 8));
        bool keyed = id < c->keyed_bits && (c->keyed[id / 8] >> (id % 8) & 1);
        if (keyed)
            continue;
        if (skip)
            skip--;
        else if (*n < size)
            out[(*n)++] = id;
    }
    for (size_t i = 0; *n < size && i < c->n_programme; i++) {
        xc_docid_t id = c->programme[i];
        if (id >= bits || !(matched[id / 8] >> (id % 8) & 1))
            continue;
        if (skip)
            skip--;
        else
            out[(*n)++] = id;
    }
    free(matched);
    return XC_OK;
}
