/* test_search_faults.c: searches run while jansson's allocator fails at each
 * allocation in turn (json_set_alloc_funcs, jansson's own hook).  Out of
 * memory is the server's failure, never the index's: the answer is a 500 or
 * the right answer, never a 503 "index unavailable" (which tells load
 * balancers to look elsewhere and /healthz to report damage) and never a
 * 200 with talks left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "terms.h"
#include "xapian-c.h"
#include "test_util.h"

static long allocations_left = -1; /* -1: never fail */

static void *failing_malloc(size_t n)
{
    if (allocations_left == 0)
        return NULL;
    if (allocations_left > 0)
        allocations_left--;
    return malloc(n);
}

static char *tmpdir, *db;

static int setup(void **state)
{
    (void)state;
    tmpdir = cs_test_mkdtemp();
    db = cs_test_path(tmpdir, "talks.db");
    char *argv[] = {(char *)CS_INDEXER_BIN,
                    (char *)"--quiet",
                    (char *)"--db",
                    db,
                    (char *)CS_SOURCE_DIR "/data/demo/day1.txt",
                    (char *)CS_SOURCE_DIR "/data/demo/day2.txt",
                    NULL};
    cs_run_result_t r;
    if (cs_test_run(argv, 0, &r) != 0)
        return -1;
    int code = r.exit_code;
    cs_test_run_free(&r);
    return code;
}

static int teardown(void **state)
{
    (void)state;
    cs_test_rmtree(tmpdir);
    free(tmpdir);
    free(db);
    return 0;
}

static cs_search_shared_t *shared;

/* Each test's own searcher: state is the cs_searcher_t. */
static int searcher_setup(void **state)
{
    cs_searcher_t *s = NULL;
    if (cs_search_shared_create(db, &shared) != CS_OK || cs_searcher_create(shared, &s) != CS_OK)
        return -1;
    *state = s;
    return 0;
}

static int searcher_teardown(void **state)
{
    cs_searcher_destroy(*state);
    cs_search_shared_destroy(shared);
    shared = NULL;
    return 0;
}

/* The ids of the hits and the total: what a user sees of a search. */
static char *summary(json_t *answer)
{
    json_t *ids = json_array();
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(answer, "hits"), i, hit)
        json_array_append(ids, json_object_get(hit, "id"));
    json_t *all = json_pack("{s:O?, s:o, s:O?}", "total", json_object_get(answer, "total"), "ids",
                            ids, "facets", json_object_get(answer, "facets"));
    char *text = json_dumps(all, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(all);
    return text;
}

static void check_query(cs_searcher_t *s, const char *q, const char *room)
{
    cs_search_request_t req = {0};
    req.q.value = q;
    req.q.len = strlen(q);
    req.page = 1;
    req.size = 10;
    if (room) {
        req.filters[CS_FACET_ROOM][0] = (cs_str_t){room, strlen(room)};
        req.n_filters[CS_FACET_ROOM] = 1;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++)
        req.facets[f] = true;
    int status = 0;
    json_t *good = cs_search(s, &req, &status);
    assert_int_equal(status, 200);
    char *want = summary(good);
    json_decref(good);
    int failures = 0;
    bool finished = false;
    for (long at = 0; !finished && at < 5000; at++) {
        allocations_left = at;
        json_t *answer = cs_search(s, &req, &status);
        finished = allocations_left > 0; /* the search needed fewer than at */
        allocations_left = -1;
        if (status == 503) {
            char *text = answer ? json_dumps(answer, 0) : NULL;
            fail_msg("q=%s room=%s: allocation %ld failing answered 503 %s", q, room ? room : "",
                     at, text ? text : "");
        }
        if (status == 200) {
            char *got = summary(answer);
            if (!got || strcmp(got, want) != 0)
                fail_msg("q=%s room=%s: allocation %ld failing answered 200 but %s, not %s", q,
                         room ? room : "", at, got ? got : "(none)", want);
            free(got);
        } else {
            assert_int_equal(status, 500);
            failures++;
        }
        json_decref(answer);
    }
    assert_true(finished);
    assert_true(failures > 0);
    free(want);
}

static void test_out_of_memory_is_500_never_503_nor_a_partial_200(void **state)
{
    cs_searcher_t *s = *state;
    json_set_alloc_funcs(failing_malloc, free);
    check_query(s, "twisted", NULL);
    check_query(s, "", "R1");
    check_query(s, "python", "R0");
    json_set_alloc_funcs(malloc, free);
}

/* The id of the first talk a search for q finds (caller frees). */
static char *first_hit_id(cs_searcher_t *s, const char *q)
{
    cs_search_request_t req = {.q = {q, strlen(q)}, .page = 1, .size = 1};
    int status = 0;
    json_t *hits = cs_search(s, &req, &status);
    assert_int_equal(status, 200);
    char *id = strdup(
        json_string_value(json_object_get(json_array_get(json_object_get(hits, "hits"), 0), "id")));
    json_decref(hits);
    assert_non_null(id);
    return id;
}

/* Out of memory while answering similar talks, or a talk marked for a
 * query, is the server's failure: 500, never 503 (similar talks answered
 * 503 "damaged" before, sending load balancers elsewhere). */
static void test_similar_and_marked_talk_out_of_memory_is_500(void **state)
{
    cs_searcher_t *s = *state;
    int status = 0;
    char *id = first_hit_id(s, "twisted");
    for (int kind = 0; kind < 2; kind++) {
        json_set_alloc_funcs(failing_malloc, free);
        int failures = 0;
        bool finished = false;
        for (long at = 0; !finished && at < 20000; at++) {
            allocations_left = at;
            json_t *answer =
                kind == 0 ? cs_search_similar(s, id, strlen(id), &status)
                          : cs_search_session_marked(s, id, strlen(id), "twisted", 7, &status);
            finished = allocations_left > 0;
            allocations_left = -1;
            if (status != 200 && status != 500)
                fail_msg("%s, allocation %ld failing: answered %d",
                         kind == 0 ? "similar" : "marked talk", at, status);
            failures += status == 500;
            json_decref(answer);
        }
        json_set_alloc_funcs(malloc, free);
        assert_true(finished);
        assert_true(failures > 0);
    }
    free(id);
}

/* A talk whose stored JSON is damaged is the index's failure: 503 for the
 * talk page as for a search (the talk page answered 500 before), and out of
 * memory while reading a talk is a 500. */
static void test_damaged_stored_talk_is_503_and_out_of_memory_500(void **state)
{
    cs_searcher_t *s = *state;
    int status = 0;
    char *id = first_hit_id(s, "twisted");
    json_decref(cs_search_session(s, id, strlen(id), &status));
    assert_int_equal(status, 200);

    json_set_alloc_funcs(failing_malloc, free);
    int failures = 0;
    bool finished = false;
    for (long at = 0; !finished && at < 5000; at++) {
        allocations_left = at;
        json_t *answer = cs_search_session(s, id, strlen(id), &status);
        finished = allocations_left > 0;
        allocations_left = -1;
        if (status != 200 && status != 500)
            fail_msg("allocation %ld failing: the talk answered %d", at, status);
        failures += status == 500;
        json_decref(answer);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(finished);
    assert_true(failures > 0);

    char term[CS_TERM_BUF_BYTES];
    size_t tlen = 0;
    assert_int_equal(cs_term_filter(NULL, CS_FILTER_ID, id, strlen(id), term, &tlen), CS_OK);
    xc_database_t *w = NULL;
    xc_document_t *doc = NULL;
    xc_docid_t docid = 0;
    assert_int_equal(xc_database_open_writable(db, XC_DB_OPEN, &w, NULL), XC_OK);
    assert_int_equal(xc_database_first_docid(w, term, tlen, &docid), XC_OK);
    assert_int_equal(xc_database_get_document(w, docid, &doc), XC_OK);
    const char broken[] = "{\"id\": \"cut short";
    assert_int_equal(xc_document_set_data(doc, broken, sizeof broken - 1), XC_OK);
    assert_int_equal(xc_database_replace_document(w, term, tlen, doc, NULL), XC_OK);
    assert_int_equal(xc_database_commit(w), XC_OK);
    xc_document_destroy(doc);
    xc_database_destroy(w);
    json_t *answer = cs_search_session(s, id, strlen(id), &status);
    assert_int_equal(status, 503);
    json_decref(answer);
    cs_search_request_t req = {.q = {"twisted", 7}, .page = 1, .size = 1};
    answer = cs_search(s, &req, &status);
    assert_int_equal(status, 503);
    json_decref(answer);
    free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_out_of_memory_is_500_never_503_nor_a_partial_200,
                                        searcher_setup, searcher_teardown),
        cmocka_unit_test_setup_teardown(test_similar_and_marked_talk_out_of_memory_is_500,
                                        searcher_setup, searcher_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_stored_talk_is_503_and_out_of_memory_500,
                                        searcher_setup, searcher_teardown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
