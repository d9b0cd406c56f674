/* params.h: the query-string parameters of /api/search and /api/suggest,
 * checked and turned into a cs_search_request_t.  No HTTP here: the server
 * hands over each parameter as libmicrohttpd decoded it, so tests and fuzz
 * targets reach exactly the code the server runs.
 *
 * Rules (each refusal has a message naming the parameter, for a 400):
 *   - names and values are NUL-free, valid UTF-8;
 *   - q, page, size and facets appear at most once; q is at most
 *     CS_SEARCH_MAX_QUERY_BYTES bytes;
 *   - day, room and speaker may repeat, up to CS_QUERY_MAX_FILTERS values
 *     each, none empty;
 *   - page is 1..CS_SEARCH_MAX_PAGE (default 1), size 1..CS_SEARCH_MAX_SIZE
 *     (default CS_SEARCH_DEFAULT_SIZE): plain decimal digits, nothing else;
 *   - facets is a comma-separated list of day, room, speaker; absent means
 *     all three, empty means none;
 *   - any other parameter (cache busters and the like) is ignored.
 *
 * Use: cs_params_init, cs_params_add for each parameter in the order given,
 * cs_params_finish, then read .request.  The first refusal sticks: later
 * calls change nothing and return it again. */
#ifndef CS_PARAMS_H
#define CS_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "search.h"
#include "status.h"

#define CS_PARAMS_ERROR_MAX 200

/* Lives on the caller's stack, one per request.  Every cs_str_t in .request
 * borrows the strings given to cs_params_add, which must outlive it.  Only
 * .request is for the caller; the other fields are cs_params_*'s own. */
typedef struct {
    /* After cs_params_finish returned CS_OK: q (value NULL when the request
     * had no q), the filters, and with search, page, size and facets. */
    cs_search_request_t request;
    bool have_q, have_page, have_size, have_facets;
    cs_str_t page, size, facets;
    cs_status_t status;
    char error[CS_PARAMS_ERROR_MAX];
} cs_params_t;

/* Empties p for a new request. */
void cs_params_init(cs_params_t *p);

/* One decoded parameter, as libmicrohttpd hands it over: key and value may
 * contain NUL bytes (from %00), so their sizes count, and neither needs a
 * NUL terminator; value is NULL for a bare "key" without '=' (taken as
 * empty, value_size ignored).  Both are borrowed: see cs_params_t.
 * Returns CS_OK; CS_ERR_BAD_QUERY (NUL byte, invalid UTF-8, a parameter
 * given twice, an empty filter value) or CS_ERR_LIMIT (too many values of a
 * filter) with the message in cs_params_error; CS_ERR_NULL_ARG when p or
 * key is NULL (p left unchanged). */
cs_status_t cs_params_add(cs_params_t *p, const char *key, size_t key_size, const char *value,
                          size_t value_size);

/* The checks that need every parameter: q's length, then with search (for
 * /api/search; /api/suggest reads only q) page, size and the facets list.
 * Returns CS_OK with p->request complete; the first refusal of
 * cs_params_add if there was one; CS_ERR_LIMIT (q too long) or
 * CS_ERR_BAD_QUERY (bad page or size, an unknown facet) with the message in
 * cs_params_error; CS_ERR_NULL_ARG when p is NULL. */
cs_status_t cs_params_finish(cs_params_t *p, bool search);

/* Why the request was refused, in words for the client ("" when it was
 * not): NUL-terminated valid UTF-8, owned by p. */
const char *cs_params_error(const cs_params_t *p);

#endif /* CS_PARAMS_H */
