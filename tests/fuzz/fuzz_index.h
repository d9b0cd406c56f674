/* fuzz_index.h: the tiny two-day index that the search targets (fuzz_search,
 * fuzz_params) query, and the checks every search answer from it must pass. */
#ifndef CS_FUZZ_INDEX_H
#define CS_FUZZ_INDEX_H

#include <jansson.h>

#include "search.h"

/* Builds the index in a directory of its own (on /dev/shm when there is
 * one) and returns a searcher over it; aborts when it cannot.  Call once,
 * from LLVMFuzzerInitialize; everything is removed at exit.  owner names
 * the target in messages. */
cs_searcher_t *fuzz_index_open(const char *owner);

/* cs_search's answer to req: 200 with at most req->size hits whose snippets
 * pass the HTML check, or (the index being sound, only the request can be
 * wrong) 400 with {"error": {"code": "bad_request", "message"}}. */
void fuzz_index_check_search(json_t *answer, int status, const cs_search_request_t *req);

#endif /* CS_FUZZ_INDEX_H */
