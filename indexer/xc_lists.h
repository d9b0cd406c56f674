/* xc_lists.h: growable lists that libxapian-c's callbacks fill: the terms
 * of a term list and the documents of a posting list, copied so that the
 * caller may change the database or document they came from afterwards.
 * A list owns what it holds; zero-initialise it, free it with its clear. */
#ifndef CS_XC_LISTS_H
#define CS_XC_LISTS_H

#include <stdbool.h>
#include <stddef.h>

#include "xapian-c.h"

typedef struct {
    char **terms; /* NUL-terminated copies */
    size_t n, cap;
    bool failed; /* out of memory: the list is incomplete */
} cs_term_list_t;

/* An xc_term_fn: appends a copy of term to the cs_term_list_t ctx; stops
 * the walk (and sets failed) when out of memory. */
int cs_term_list_add(const char *term, size_t len, uint32_t freq, void *ctx);
void cs_term_list_clear(cs_term_list_t *l);

typedef struct {
    xc_docid_t *ids;
    size_t n, cap;
    bool failed; /* out of memory: the list is incomplete */
} cs_docid_list_t;

/* An xc_docid_fn: appends docid to the cs_docid_list_t ctx; stops the walk
 * (and sets failed) when out of memory. */
int cs_docid_list_add(xc_docid_t docid, void *ctx);
void cs_docid_list_clear(cs_docid_list_t *l);

/* Sorts l by docid and drops repeats. */
void cs_docid_list_sort_unique(cs_docid_list_t *l);

/* Orders two xc_docid_t (for qsort and bsearch). */
int cs_docid_compare(const void *a, const void *b);

#endif /* CS_XC_LISTS_H */
