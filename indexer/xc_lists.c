/* xc_lists.c: lists filled by libxapian-c's callbacks (xc_lists.h). */
#include "xc_lists.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

int cs_term_list_add(const char *term, size_t len, uint32_t freq, void *ctx)
{
    (void)freq;
    cs_term_list_t *l = ctx;
    char *copy = strndup(term, len);
    if (!copy || !cs_grow(&l->terms, &l->cap, l->n + 1, sizeof *l->terms, 16)) {
        free(copy);
        l->failed = true;
        return 1;
    }
    l->terms[l->n++] = copy;
    return 0;
}

void cs_term_list_clear(cs_term_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->terms[i]);
    free(l->terms);
    *l = (cs_term_list_t){0};
}

int cs_docid_list_add(xc_docid_t docid, void *ctx)
{
    cs_docid_list_t *l = ctx;
    if (!cs_grow(&l->ids, &l->cap, l->n + 1, sizeof *l->ids, 64)) {
        l->failed = true;
        return 1;
    }
    l->ids[l->n++] = docid;
    return 0;
}

int cs_docid_compare(const void *a, const void *b)
{
    xc_docid_t x = *(const xc_docid_t *)a, y = *(const xc_docid_t *)b;
    return (x > y) - (x < y);
}

void cs_docid_list_sort_unique(cs_docid_list_t *l)
{
    if (l->n < 2)
        return;
    qsort(l->ids, l->n, sizeof *l->ids, cs_docid_compare);
    size_t k = 1;
    for (size_t i = 1; i < l->n; i++)
        if (l->ids[i] != l->ids[k - 1])
            l->ids[k++] = l->ids[i];
    l->n = k;
}

void cs_docid_list_clear(cs_docid_list_t *l)
{
    free(l->ids);
    *l = (cs_docid_list_t){0};
}
