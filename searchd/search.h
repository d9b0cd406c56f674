/* search.h: what searchd answers, independent of HTTP: searches with
 * disjunctive facets, snippets and "did you mean", completions, one talk and
 * the talks like it, health.  Each answer is a JSON object plus the HTTP
 * status it deserves.
 *
 * A cs_searcher_t belongs to one thread: it holds that thread's Xapian
 * database handle (Xapian objects are never shared between threads), its
 * ICU analyzer and its stemmer.  Every call first brings the database up to
 * the latest commit, so new searches see what the indexer committed without
 * a restart, and reopens it when it vanished and came back. */
#ifndef CS_SEARCH_H
#define CS_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "status.h"

#define CS_SEARCH_MAX_QUERY_BYTES 1024
#define CS_SEARCH_MAX_SIZE 100
#define CS_SEARCH_DEFAULT_SIZE 10
#define CS_SEARCH_MAX_PAGE 1000
#define CS_SEARCH_SPEAKER_FACET_CAP 50
/* Totals and facet counts are exact up to this many matching talks (the
 * check-at-least given to Xapian); beyond, "approximate": true. */
#define CS_SEARCH_EXACT_BOUND 500000
#define CS_SUGGEST_MAX 10

typedef struct cs_searcher cs_searcher_t;

/* What all the threads' searchers of one index share: its path, and what
 * one thread learnt that the others must know (damage a search ran into,
 * which /healthz on any thread then reports).  Thread-safe.  Create it
 * before the searchers and destroy it after the last of them. */
typedef struct cs_search_shared cs_search_shared_t;

/* db_path is copied.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_search_shared_create(const char *db_path, cs_search_shared_t **out);
void cs_search_shared_destroy(cs_search_shared_t *shared);

/* shared is borrowed and must outlive the searcher.  The database is opened
 * on first use, not here.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_XAPIAN, CS_ERR_NO_MEMORY. */
cs_status_t cs_searcher_create(cs_search_shared_t *shared, cs_searcher_t **out);
void cs_searcher_destroy(cs_searcher_t *s);

typedef struct {
    const char *value;
    size_t len;
} cs_str_t;

typedef struct {
    cs_str_t q;                                             /* may be empty */
    cs_str_t filters[CS_FACET_COUNT][CS_QUERY_MAX_FILTERS]; /* parameter values */
    size_t n_filters[CS_FACET_COUNT];
    unsigned page, size;         /* validated by the caller */
    bool facets[CS_FACET_COUNT]; /* which facet counts to compute */
} cs_search_request_t;

/* Each returns a new JSON object (caller decrefs) and sets *http_status:
 * 200 with the answer, or 4xx/503 with {"error": {"code", "message"}}. */
json_t *cs_search(cs_searcher_t *s, const cs_search_request_t *req, int *http_status);
json_t *cs_search_suggest(cs_searcher_t *s, const char *q, size_t len, int *http_status);
json_t *cs_search_session(cs_searcher_t *s, const char *id, size_t len, int *http_status);
/* As cs_search_session, and the talk gets "marked" (docs/api.md): its
 * title, speakers, abstract, description and notes with the words of
 * query q (qlen bytes; NULL or empty: none) marked by searchd's one
 * highlighter, as escaped HTML whose only tags are <mark> (for Markdown
 * notes, the rendered HTML with <mark> in its text). */
json_t *cs_search_session_marked(cs_searcher_t *s, const char *id, size_t len, const char *q,
                                 size_t qlen, int *http_status);
/* The talks like talk id (similar.c): {"id", "similar": [hits], "terms"};
 * 404 for an unknown id, 503 for an unreadable index, as cs_search_session. */
json_t *cs_search_similar(cs_searcher_t *s, const char *id, size_t len, int *http_status);
json_t *cs_search_health(cs_searcher_t *s, int *http_status);

/* Which state of which index s's last answer read: its revision and its
 * UUID (into uuid, cap >= 37; "" when the backend has none), what an HTTP
 * validator is made of.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_XAPIAN (no
 * index open: the last answer was not read from one). */
cs_status_t cs_searcher_index_id(cs_searcher_t *s, uint64_t *revision, char *uuid, size_t cap);

/* {"error": {"code": code, "message": message}} */
json_t *cs_search_error(const char *code, const char *message);

/* Checks that path holds an index this searchd can read; *errmsg (caller
 * frees) says why not.  Returns CS_OK, CS_ERR_XAPIAN (missing or
 * unreadable), CS_ERR_NOT_READY (a first build has not committed yet: serve
 * 503 and wait, as for a missing index), CS_ERR_VERSION (another format or
 * not a confsearch index: do not start). */
cs_status_t cs_search_check_index(const char *path, char **errmsg);

#endif /* CS_SEARCH_H */
