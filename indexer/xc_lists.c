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

void cs_docid_list_clear(cs_docid_list_t *l)
{
    free(l->ids);
    *l = (cs_docid_list_t){0};
}
