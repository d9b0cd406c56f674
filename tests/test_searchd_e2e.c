/* test_searchd_e2e.c: the real confsearchd on a loopback port, over an index
 * the real indexer built from the seed notes (then the demo notes), checked
 * with a real HTTP client. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "test_daemon.h"
#include "test_util.h"
#include "xapian-c.h"

static char *tmpdir, *db;
static cs_daemon_t daemon_;

static int index_files(const char *const *files)
{
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)CS_INDEXER_BIN;
    argv[n++] = (char *)"--db";
    argv[n++] = db;
    for (; *files && n < 15; files++)
        argv[n++] = (char *)*files;
    argv[n] = NULL;
    cs_run_result_t r;
    if (cs_test_run(argv, 0, &r) != 0)
        return -1;
    int code = r.exit_code;
    if (code != 0)
        fprintf(stderr, "indexer failed: %s\n", r.err);
    cs_test_run_free(&r);
    return code;
}

static int group_setup(void **state)
{
    (void)state;
    if (access(CS_SHARED_CORPUS, R_OK) != 0) {
        fprintf(stderr, "skipped: %s is absent\n", CS_SHARED_CORPUS);
        exit(77);
    }
    tmpdir = cs_test_mkdtemp();
    db = cs_test_path(tmpdir, "talks.db");
    const char *files[] = {CS_SHARED_CORPUS, NULL};
    if (index_files(files) != 0)
        return -1;
    return cs_daemon_start(&daemon_, db, NULL);
}

static int group_teardown(void **state)
{
    (void)state;
    int code = cs_daemon_stop(&daemon_);
    cs_test_rmtree(tmpdir);
    free(tmpdir);
    free(db);
    if (code != 0)
        fprintf(stderr, "confsearchd exited with %d\n", code);
    return code == 0 ? 0 : -1;
}

/* GET /api/search?<query> and expect status. */
static json_t *search(const char *query, long expect)
{
    char path[4096];
    snprintf(path, sizeof path, "/api/search?%s", query);
    long status = 0;
    json_t *j = cs_http_json(&daemon_, path, &status);
    if (status != expect)
        fail_msg("%s: HTTP %ld, expected %ld", path, status, expect);
    assert_non_null(j);
    return j;
}

static json_t *search_q(const char *q, const char *more)
{
    char *e = cs_http_escape(q);
    char query[4096];
    snprintf(query, sizeof query, "q=%s%s", e, more ? more : "");
    free(e);
    return search(query, 200);
}

static const char *hit_str(json_t *answer, size_t i, const char *key)
{
    json_t *hit = json_array_get(json_object_get(answer, "hits"), i);
    if (!hit)
        fail_msg("no hit %zu", i);
    const char *v = json_string_value(json_object_get(hit, key));
    return v ? v : "";
}

static long total(json_t *answer)
{
    return (long)json_integer_value(json_object_get(answer, "total"));
}

static long facet_count(json_t *answer, const char *facet, const char *value)
{
    json_t *list = json_object_get(json_object_get(answer, "facets"), facet);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
            return (long)json_integer_value(json_object_get(v, "count"));
    }
    return 0;
}

static int has_title(json_t *answer, const char *title)
{
    json_t *hits = json_object_get(answer, "hits");
    for (size_t i = 0; i < json_array_size(hits); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(hits, i), "title")), title) ==
            0)
            return 1;
    return 0;
}

static const char MMO[] = "MMO Game Server Design with Twisted Python";
static const char PYTEST[] = "快快樂樂成為 Coding Ninja (by pytest)";

static void test_health(void **state)
{
    (void)state;
    long status = 0;
    json_t *j = cs_http_json(&daemon_, "/healthz", &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 20);
    assert_true(json_is_integer(json_object_get(j, "revision")));
    json_decref(j);
}

static void test_twisted_finds_the_mmo_talk_first(void **state)
{
    (void)state;
    cs_http_t r;
    assert_int_equal(cs_http(&daemon_, "GET", "/api/search?q=Twisted", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "Content-Type: application/json; charset=utf-8"));
    assert_non_null(strstr(r.headers, "Access-Control-Allow-Origin: *"));
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    cs_http_free(&r);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "query")), "Twisted");
    assert_true(total(j) >= 1);
    assert_int_equal(json_integer_value(json_object_get(j, "page")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "size")), 10);
    assert_true(json_is_number(json_object_get(j, "took_ms")));
    assert_true(json_is_null(json_object_get(j, "suggestion")));
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "title")), MMO);
    assert_string_equal(json_string_value(json_object_get(hit, "id")),
                        "pycon-apac-2015_2015-06-05_1550_R0");
    assert_true(json_real_value(json_object_get(hit, "score")) > 0);
    assert_int_equal(json_integer_value(json_object_get(hit, "day")), 1);
    assert_string_equal(json_string_value(json_object_get(hit, "date")), "2015-06-05");
    assert_string_equal(json_string_value(json_object_get(hit, "time")), "15:50");
    assert_string_equal(json_string_value(json_object_get(hit, "room")), "R0");
    assert_string_equal(json_string_value(json_object_get(hit, "speaker")), "Dan Maas");
    assert_string_equal(json_string_value(json_object_get(hit, "conference")), "PyCon APAC 2015");
    assert_string_equal(json_string_value(json_array_get(json_object_get(hit, "speakers"), 0)),
                        "Dan Maas");
    const char *snippet = json_string_value(json_object_get(hit, "snippet"));
    assert_non_null(strstr(snippet, "<mark>Twisted</mark>"));
    assert_true(strlen(snippet) < 1200);
    /* Facets of the answer add up. */
    assert_int_equal(facet_count(j, "room", "R0") + facet_count(j, "room", "R1") +
                         facet_count(j, "room", "R2"),
                     total(j));
    assert_int_equal(facet_count(j, "day", "1"), total(j));
    assert_int_equal(facet_count(j, "speaker", "Dan Maas"), 1);
    json_decref(j);
}

static void test_cjk_query_finds_the_pytest_talk(void **state)
{
    (void)state;
    json_t *j = search_q("測試", NULL);
    assert_string_equal(hit_str(j, 0, "title"), PYTEST);
    assert_non_null(strstr(hit_str(j, 0, "snippet"), "<mark>測試</mark>"));
    json_decref(j);
    /* A word ICU keeps inside a longer one ("請舉手") is found by bigrams. */
    j = search_q("舉手", NULL);
    assert_true(has_title(j, PYTEST));
    for (size_t i = 0; i < (size_t)total(j); i++)
        assert_non_null(strstr(hit_str(j, i, "snippet"), "<mark>舉手</mark>"));
    json_decref(j);
    /* Mixed scripts. */
    j = search_q("Django 教練", NULL);
    assert_string_equal(hit_str(j, 0, "title"), "教練，我要做自己的 Django package");
    json_decref(j);
    /* One character is found inside longer words: 舉 in 請舉手, 練 at the
     * end of 教練, and marked in the snippet. */
    j = search_q("舉", NULL);
    assert_true(has_title(j, PYTEST));
    for (size_t i = 0; i < (size_t)total(j); i++)
        assert_non_null(strstr(hit_str(j, i, "snippet"), "<mark>舉</mark>"));
    json_decref(j);
    j = search_q("練", NULL);
    assert_string_equal(hit_str(j, 0, "title"), "教練，我要做自己的 Django package");
    json_decref(j);
    j = search_q("鋼", NULL);
    assert_int_equal(total(j), 0);
    json_decref(j);
    /* A CJK word that is nowhere must not match by accident. */
    j = search_q("鋼琴", NULL);
    assert_int_equal(total(j), 0);
    json_decref(j);
}

static void test_query_language(void **state)
{
    (void)state;
    json_t *j = search_q("\"game server\"", NULL);
    assert_true(has_title(j, MMO));
    json_decref(j);
    j = search_q("\"server design\"", NULL);
    assert_true(has_title(j, MMO));
    json_decref(j);
    /* The same words out of order are not the phrase. */
    j = search_q("\"design server\"", NULL);
    assert_false(has_title(j, MMO));
    json_decref(j);
    j = search_q("python -twisted", "&size=100");
    assert_true(total(j) > 1);
    assert_false(has_title(j, MMO));
    json_decref(j);
    j = search_q("gdb OR ansible", NULL);
    assert_true(has_title(j, "Programmatic Debugging with GDB and Python"));
    assert_true(has_title(j, "Openstack Swift Benchmark with Ansible"));
    json_decref(j);
    j = search_q("twis*", NULL);
    assert_true(has_title(j, MMO));
    json_decref(j);
    j = search_q("Kenneth Reitz", NULL);
    assert_string_equal(hit_str(j, 0, "title"), "Keynote");
    assert_string_equal(hit_str(j, 0, "speaker"), "Kenneth Reitz");
    json_decref(j);
    /* Inline filters equal the parameters. */
    j = search_q("python room:R2 speaker:\"Theon Lin\"", NULL);
    assert_int_equal(total(j), 1);
    assert_string_equal(hit_str(j, 0, "title"),
                        "How to scale up your Web Apps/Sites written by Python?");
    json_decref(j);
}

static void test_filters_and_disjunctive_facets(void **state)
{
    (void)state;
    json_t *all = search("", 200);
    assert_int_equal(total(all), 20);
    assert_int_equal(facet_count(all, "room", "R0"), 8);
    assert_int_equal(facet_count(all, "room", "R1"), 6);
    assert_int_equal(facet_count(all, "room", "R2"), 6);
    json_decref(all);

    json_t *r1 = search("room=R1", 200);
    assert_int_equal(total(r1), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(hit_str(r1, i, "room"), "R1");
    /* Picking R1 keeps the other rooms' counts (multi-select). */
    assert_int_equal(facet_count(r1, "room", "R0"), 8);
    assert_int_equal(facet_count(r1, "room", "R2"), 6);
    assert_int_equal(facet_count(r1, "day", "1"), 6);
    json_decref(r1);

    json_t *two = search("room=R1&room=R2&speaker=Tim%20Hsu&speaker=Lee%20Yang", 200);
    assert_int_equal(total(two), 2);
    assert_int_equal(facet_count(two, "speaker", "Dan Maas"), 0);
    assert_int_equal(facet_count(two, "room", "R1"), 1);
    json_decref(two);

    json_t *day2 = search("day=2", 200);
    assert_int_equal(total(day2), 0);
    assert_int_equal(facet_count(day2, "day", "1"), 20);
    json_decref(day2);

    json_t *spk = search("speaker=dan%20maas", 200);
    assert_int_equal(total(spk), 1);
    json_decref(spk);
}

static void test_empty_query_lists_in_programme_order_with_paging(void **state)
{
    (void)state;
    json_t *j = search("size=5&page=1", 200);
    assert_int_equal(json_array_size(json_object_get(j, "hits")), 5);
    assert_string_equal(hit_str(j, 0, "time"), "09:10");
    assert_string_equal(hit_str(j, 1, "time"), "10:00");
    assert_string_equal(hit_str(j, 1, "room"), "R0");
    assert_string_equal(hit_str(j, 2, "room"), "R1");
    assert_string_equal(hit_str(j, 3, "room"), "R2");
    json_decref(j);
    j = search("size=5&page=2", 200);
    assert_string_equal(hit_str(j, 0, "time"), "11:10");
    assert_string_equal(hit_str(j, 0, "room"), "R1");
    json_decref(j);
    j = search("size=5&page=5", 200);
    assert_int_equal(json_array_size(json_object_get(j, "hits")), 0);
    assert_int_equal(total(j), 20);
    json_decref(j);
}

/* Whether /api/suggest offers word for what was typed (at most 10 answers). */
static int suggests(const char *typed, const char *word)
{
    char *e = cs_http_escape(typed);
    char path[256];
    snprintf(path, sizeof path, "/api/suggest?q=%s", e);
    free(e);
    long status = 0;
    json_t *j = cs_http_json(&daemon_, path, &status);
    assert_int_equal(status, 200);
    json_t *list = json_object_get(j, "suggestions");
    assert_true(json_array_size(list) <= 10);
    int found = 0;
    for (size_t i = 0; i < json_array_size(list); i++)
        found |= strcmp(json_string_value(json_array_get(list, i)), word) == 0;
    json_decref(j);
    return found;
}

static void test_suggestions_and_did_you_mean(void **state)
{
    (void)state;
    assert_true(suggests("Twis", "twisted"));
    assert_true(suggests("測", "測試"));
    /* ICU keeps 舉手 inside 請舉手; the bigrams still complete it. */
    assert_true(suggests("舉", "舉手"));
    /* A finished word (space after it) is not completed. */
    assert_false(suggests("Twis ", "twisted"));

    json_t *j = search_q("Twisetd", NULL);
    assert_int_equal(total(j), 0);
    assert_string_equal(json_string_value(json_object_get(j, "suggestion")), "twisted");
    json_decref(j);
}

static void test_session_detail(void **state)
{
    (void)state;
    long status = 0;
    json_t *j = cs_http_json(&daemon_, "/api/sessions/pycon-apac-2015_2015-06-05_1550_R0", &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "title")), MMO);
    assert_true(json_string_length(json_object_get(j, "body")) > 1000);
    assert_string_equal(json_string_value(json_object_get(j, "source")),
                        "pycon-apac-2015-day1.txt");
    /* Without a query nothing is marked. */
    assert_null(json_object_get(j, "marked"));
    json_decref(j);
    j = cs_http_json(&daemon_, "/api/sessions/no-such-talk", &status);
    assert_int_equal(status, 404);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                        "not_found");
    json_decref(j);
}

/* searchd marks the query's words for the page (one highlighter, the
 * index's own analysis): a hit's title and speakers, and with ?q= the
 * whole talk; stems and CJK as the search matched them. */
static void test_marked_hits_and_talk(void **state)
{
    (void)state;
    long status = 0;
    json_t *j = search_q("twisted servers", NULL);
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "title")), MMO);
    json_t *marked = json_object_get(hit, "marked");
    assert_string_equal(json_string_value(json_object_get(marked, "title")),
                        "MMO Game <mark>Server</mark> Design with <mark>Twisted</mark> Python");
    assert_int_equal(json_array_size(json_object_get(marked, "speakers")), 1);
    json_decref(j);
    /* The empty query marks nothing. */
    j = search_q("", NULL);
    assert_null(json_object_get(json_array_get(json_object_get(j, "hits"), 0), "marked"));
    json_decref(j);

    j = cs_http_json(
        &daemon_, "/api/sessions/pycon-apac-2015_2015-06-05_1550_R0?q=twisted%20%E6%B8%AC%E8%A9%A6",
        &status);
    assert_int_equal(status, 200);
    marked = json_object_get(j, "marked");
    const char *body = json_string_value(json_object_get(marked, "body"));
    assert_non_null(body);
    assert_non_null(strstr(body, "<mark>Twisted</mark>"));
    assert_null(strstr(body, "<script"));
    assert_non_null(
        strstr(json_string_value(json_object_get(marked, "title")), "<mark>Twisted</mark>"));
    json_decref(j);
    /* A query that does not parse still shows the talk, unmarked. */
    j = cs_http_json(&daemon_, "/api/sessions/pycon-apac-2015_2015-06-05_1550_R0?q=%22", &status);
    assert_int_equal(status, 200);
    json_decref(j);
}

static void test_web_page_is_served_with_its_policy(void **state)
{
    (void)state;
    cs_http_t r;
    assert_int_equal(cs_http(&daemon_, "GET", "/", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "Content-Type: text/html; charset=utf-8"));
    assert_non_null(strstr(r.headers, "frame-ancestors 'none'"));
    assert_non_null(strstr(r.body, "<html"));
    cs_http_free(&r);
    assert_int_equal(cs_http(&daemon_, "GET", "/widget.js", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "Access-Control-Allow-Origin: *"));
    assert_non_null(strstr(r.body, "confsearch-box"));
    cs_http_free(&r);
}

static void test_cors_preflight(void **state)
{
    (void)state;
    cs_http_t r;
    const char *headers[] = {"Origin: https://conf.example.org",
                             "Access-Control-Request-Method: GET", NULL};
    assert_int_equal(cs_http(&daemon_, "OPTIONS", "/api/search", headers, &r), 0);
    assert_int_equal(r.status, 204);
    assert_non_null(strstr(r.headers, "Access-Control-Allow-Origin: *"));
    assert_non_null(strstr(r.headers, "Access-Control-Allow-Methods: GET"));
    cs_http_free(&r);
}

static int has_header(const cs_http_t *r, const char *line)
{
    return strstr(r->headers, line) != NULL;
}

static void test_configured_cors_origins(void **state)
{
    (void)state;
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, db, "--cors-origin", "https://a.example", "--cors-origin",
                                     "https://b.example", "--no-access-log", NULL),
                     0);
    const char *from_a[] = {"Origin: https://a.example", NULL};
    const char *from_b[] = {"Origin: https://b.example", NULL};
    const char *from_evil[] = {"Origin: https://evil.example", NULL};
    cs_http_t r;
    assert_int_equal(cs_http(&d, "GET", "/api/search?q=python", from_a, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: https://a.example"));
    assert_true(has_header(&r, "Vary: Origin"));
    cs_http_free(&r);
    assert_int_equal(cs_http(&d, "OPTIONS", "/api/search", from_b, &r), 0);
    assert_int_equal(r.status, 204);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: https://b.example"));
    cs_http_free(&r);
    /* An origin not configured gets an answer its browser will not share. */
    assert_int_equal(cs_http(&d, "GET", "/api/search?q=python", from_evil, &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(has_header(&r, "Access-Control-Allow-Origin"));
    cs_http_free(&r);
    assert_int_equal(cs_daemon_stop(&d), 0);
}

/* A Markdown hub of another conference beside the seed: its talks are
 * found, their snippets show text without markup, and the conference is a
 * facet, a filter and a query-language filter. */
static void test_markdown_talks_and_the_conference_facet(void **state)
{
    (void)state;
    static const char md[] =
        "# MyConf 2021 \xE5\x85\xB1\xE7\xAD\x86\n\n"
        "## Day 1 (2021/07/31)\n\n"
        "### 10:00 Fast sockets in C - Alice Wu\n\n"
        "We tuned **epoll** loops until they were fast.\n\n"
        "| metric | value |\n|---|---|\n| rps | 90k |\n\n"
        "<script>alert(1)</script>\n\n"
        "[click](javascript:alert(2)) and <b onclick=x>bold</b>\n\n"
        "![chart](https://img.example.org/c.png) [slides](https://x.example.org/s)\n\n"
        "```c\nint fd = epoll_create1(0);\n```\n\n"
        "### 11:00 Zero-copy parsing - Bob Lin\n\n"
        "- `mmap` the pad\n- parse in place\n";
    char *dir = cs_test_path(tmpdir, "md");
    assert_int_equal(mkdir(dir, 0700), 0);
    char *pad = cs_test_path(dir, "myconf-2021-day1.md");
    char *db2 = cs_test_path(dir, "talks.db");
    assert_int_equal(cs_test_write_file(pad, md, sizeof md - 1), 0);
    char *argv[] = {(char *)CS_INDEXER_BIN,
                    (char *)"--quiet",
                    (char *)"--db",
                    db2,
                    (char *)CS_SHARED_CORPUS,
                    pad,
                    NULL};
    cs_run_result_t r;
    assert_int_equal(cs_test_run(argv, 0, &r), 0);
    assert_int_equal(r.exit_code, 0);
    cs_test_run_free(&r);
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, db2, NULL), 0);

    long status;
    json_t *j = cs_http_json(&d, "/api/search?q=epoll", &status);
    assert_int_equal(status, 200);
    assert_int_equal(total(j), 1);
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "title")), "Fast sockets in C");
    assert_string_equal(json_string_value(json_object_get(hit, "time")), "10:00");
    const char *snippet = json_string_value(json_object_get(hit, "snippet"));
    assert_non_null(strstr(snippet, "<mark>epoll</mark>"));
    assert_null(strstr(snippet, "**"));
    assert_int_equal(facet_count(j, "conference", "MyConf 2021"), 1);
    json_decref(j);

    j = cs_http_json(&d, "/api/search?q=", &status);
    assert_int_equal(facet_count(j, "conference", "MyConf 2021"), 2);
    assert_int_equal(facet_count(j, "conference", "PyCon APAC 2015"), 20);
    json_decref(j);
    j = cs_http_json(&d, "/api/search?q=&conference=MyConf%202021", &status);
    assert_int_equal(total(j), 2);
    /* disjunctive: the other conference still counts beside the filter */
    assert_int_equal(facet_count(j, "conference", "PyCon APAC 2015"), 20);
    json_decref(j);
    j = cs_http_json(&d, "/api/search?q=conference:%22pycon%20apac%202015%22", &status);
    assert_int_equal(status, 200);
    assert_int_equal(total(j), 20);
    json_decref(j);
    /* The markup is not a word: "##" and the table rule find nothing new. */
    j = cs_http_json(&d, "/api/search?q=metric&conference=MyConf%202021", &status);
    assert_int_equal(total(j), 1);
    json_decref(j);

    /* The talk view gets the Markdown rendered, safely. */
    j = cs_http_json(&d, "/api/sessions/myconf-2021_fast-sockets-in-c", &status);
    assert_int_equal(status, 200);
    const char *html = json_string_value(json_object_get(j, "body_html"));
    assert_non_null(html);
    assert_non_null(strstr(html, "<table>"));
    assert_non_null(strstr(html, "<pre><code class=\"language-c\">"));
    assert_non_null(strstr(html, "<strong>epoll</strong>"));
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(html, "javascript:"));
    assert_null(strstr(html, "<b "));
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(
        html, "<a rel=\"noopener noreferrer\" href=\"https://img.example.org/c.png\">chart</a>"));
    assert_non_null(
        strstr(html, "<a rel=\"noopener noreferrer\" href=\"https://x.example.org/s\">"));
    /* and the body as written stays Markdown */
    assert_non_null(strstr(json_string_value(json_object_get(j, "body")), "**epoll**"));
    json_decref(j);

    assert_int_equal(cs_daemon_stop(&d), 0);
    cs_test_rmtree(dir);
    free(pad);
    free(db2);
    free(dir);
}

/* Indexes files (NULL-terminated) into a new directory name under tmpdir
 * and serves that index with *d; returns the directory, for
 * stop_and_remove. */
static char *serve_new_index(const char *name, const char *const *files, cs_daemon_t *d)
{
    char *dir = cs_test_path(tmpdir, name);
    assert_int_equal(mkdir(dir, 0700), 0);
    char *db2 = cs_test_path(dir, "talks.db");
    char *argv[16] = {(char *)CS_INDEXER_BIN, (char *)"--quiet", (char *)"--db", db2};
    for (int n = 4; *files && n < 15; files++)
        argv[n++] = (char *)*files;
    cs_run_result_t r;
    assert_int_equal(cs_test_run(argv, 0, &r), 0);
    if (r.exit_code != 0)
        fail_msg("indexer failed: %s", r.err);
    cs_test_run_free(&r);
    assert_int_equal(cs_daemon_start(d, db2, NULL), 0);
    free(db2);
    return dir;
}

static void stop_and_remove(cs_daemon_t *d, char *dir)
{
    assert_int_equal(cs_daemon_stop(d), 0);
    cs_test_rmtree(dir);
    free(dir);
}

/* A programme talk nobody took notes for is found by its abstract, and
 * its snippet is the abstract with the word marked. */
static void test_programme_talk_snippet_is_its_abstract(void **state)
{
    (void)state;
    cs_daemon_t d;
    const char *files[] = {CS_SOURCE_DIR "/tests/fixtures/schedules/lantern-harbour.json", NULL};
    char *dir = serve_new_index("programme", files, &d);
    long status;
    json_t *j = cs_http_json(&d, "/api/search?q=hand%20over", &status);
    assert_int_equal(status, 200);
    assert_true(total(j) >= 1);
    const char *snippet = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "hits"), 0), "snippet"));
    assert_non_null(snippet);
    assert_non_null(strstr(snippet, "<mark>hand</mark>"));
    json_decref(j);
    /* The programme's tracks: a facet, a filter and a query-language filter. */
    j = cs_http_json(&d, "/api/search?q=", &status);
    assert_int_equal(facet_count(j, "track", "Systems"), 2);
    assert_int_equal(facet_count(j, "track", "Testing"), 1);
    json_decref(j);
    j = cs_http_json(&d, "/api/search?q=&track=Systems&track=Testing", &status);
    assert_int_equal(total(j), 3);
    json_decref(j);
    j = cs_http_json(&d, "/api/search?q=track:workshop", &status);
    assert_int_equal(status, 200);
    assert_int_equal(total(j), 2);
    json_decref(j);
    stop_and_remove(&d, dir);
}

/* Notes joined to the programme are one talk: one hit, the programme's
 * metadata with the notes' text, and the notes' own id leads to it. */
static void test_joined_talk_is_one_hit(void **state)
{
    (void)state;
    cs_daemon_t d;
    const char *files[] = {CS_SOURCE_DIR "/data/demo/programme.json",
                           CS_SOURCE_DIR "/data/demo/day1.txt", NULL};
    char *dir = serve_new_index("joined", files, &d);
    static const char pair[] = "pyharbor-keelung-2026_2026-03-14_0910_R0";
    long status;
    /* "lighthouse" is only in the keynote's notes. */
    json_t *j = cs_http_json(&d, "/api/search?q=lighthouse", &status);
    assert_int_equal(status, 200);
    assert_int_equal(total(j), 1);
    assert_string_equal(hit_str(j, 0, "id"), pair);
    assert_non_null(strstr(hit_str(j, 0, "url"), "pyharbor.example.org"));
    assert_string_equal(hit_str(j, 0, "snippet_from"), "notes");
    json_decref(j);
    /* 交棒 ("handing over") is only in its abstract: the snippet says so. */
    j = cs_http_json(&d, "/api/search?q=%E4%BA%A4%E6%A3%92", &status);
    assert_int_equal(total(j), 1);
    assert_string_equal(hit_str(j, 0, "id"), pair);
    assert_string_equal(hit_str(j, 0, "snippet_from"), "abstract");
    assert_non_null(strstr(hit_str(j, 0, "snippet"), "<mark>"));
    json_decref(j);
    /* Every talk once: the held notes are in no listing and no count. */
    json_t *all = cs_http_json(&d, "/api/search?q=", &status);
    json_t *minus = cs_http_json(&d, "/api/search?q=-zzzz", &status);
    json_t *health = cs_http_json(&d, "/healthz", &status);
    assert_int_equal(total(minus), total(all));
    assert_int_equal(json_integer_value(json_object_get(health, "documents")), total(all));
    json_decref(all);
    json_decref(minus);
    json_decref(health);
    /* The notes' own id answers with the pair, which says how it joined
     * and keeps the indexer's copy of the programme talk to itself. */
    char path[256];
    snprintf(path, sizeof path, "/api/sessions/%s-2", pair);
    j = cs_http_json(&d, path, &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "id")), pair);
    json_t *joined = json_object_get(j, "joined");
    assert_string_equal(json_string_value(json_object_get(joined, "why")), "slot");
    assert_null(json_object_get(joined, "programme"));
    assert_non_null(strstr(json_string_value(json_object_get(j, "body")), "lighthouse"));
    assert_non_null(json_object_get(j, "abstract"));
    json_decref(j);
    stop_and_remove(&d, dir);
}

/* ---- similar talks ------------------------------------------------------ */

static const char SEED_PYTEST_ID[] = "pycon-apac-2015_2015-06-05_1110_R1";
static const char DEMO_PYTEST_ID[] = "pyharbor-keelung-2026_2026-03-14_1000_R1";
static const char WORKSHOP_PYTEST_ID[] = "pyharbor-keelung-2026_2026-03-16_1000_R1";

/* GET /api/sessions/<id>/similar, which must answer 200 about id, never
 * propose id itself, and give hits as /api/search does (no snippet). */
static json_t *similar_to(const cs_daemon_t *d, const char *id)
{
    char path[512];
    snprintf(path, sizeof path, "/api/sessions/%s/similar", id);
    long status = 0;
    json_t *j = cs_http_json(d, path, &status);
    if (status != 200)
        fail_msg("%s: HTTP %ld", path, status);
    assert_string_equal(json_string_value(json_object_get(j, "id")), id);
    assert_true(json_array_size(json_object_get(j, "terms")) > 0);
    json_t *hits = json_object_get(j, "similar");
    assert_true(json_array_size(hits) <= 10);
    double best = 0;
    for (size_t i = 0; i < json_array_size(hits); i++) {
        json_t *hit = json_array_get(hits, i);
        if (strcmp(json_string_value(json_object_get(hit, "id")), id) == 0)
            fail_msg("%s proposes itself", id);
        assert_non_null(json_string_value(json_object_get(hit, "title")));
        assert_null(json_object_get(hit, "snippet"));
        double score = json_real_value(json_object_get(hit, "score"));
        if (i == 0)
            best = score;
        assert_true(score > 0 && score <= best);
    }
    return j;
}

/* Whether the talk of the i-th proposal is about testing, by the words of
 * its title and body. */
static bool proposal_is_about_testing(const cs_daemon_t *d, json_t *answer, size_t i)
{
    json_t *hit = json_array_get(json_object_get(answer, "similar"), i);
    if (!hit)
        fail_msg("no proposal %zu for %s", i, json_string_value(json_object_get(answer, "id")));
    char path[512];
    snprintf(path, sizeof path, "/api/sessions/%s", json_string_value(json_object_get(hit, "id")));
    long status = 0;
    json_t *talk = cs_http_json(d, path, &status);
    assert_int_equal(status, 200);
    bool testing = false;
    static const char *const words[] = {"pytest", "\xE6\xB8\xAC\xE8\xA9\xA6" /* 測試 */, "test"};
    for (size_t w = 0; w < sizeof words / sizeof words[0] && !testing; w++)
        testing = strstr(json_string_value(json_object_get(talk, "title")), words[w]) ||
                  strstr(json_string_value(json_object_get(talk, "body")), words[w]);
    json_decref(talk);
    return testing;
}

static bool has_term(json_t *answer, const char *term)
{
    json_t *terms = json_object_get(answer, "terms");
    for (size_t i = 0; i < json_array_size(terms); i++)
        if (strcmp(json_string_value(json_array_get(terms, i)), term) == 0)
            return true;
    return false;
}

/* On the seed and the demo notes: the three talks on testing (a pytest talk
 * of 2015, a pytest fixture talk and a pytest plugin workshop of 2026)
 * propose each other first; talks on community, packaging and security
 * propose their own kind. */
static void test_similar_talks_share_the_topic(void **state)
{
    (void)state;
    cs_daemon_t d;
    const char *files[] = {CS_SHARED_CORPUS, CS_SOURCE_DIR "/data/demo/day1.txt",
                           CS_SOURCE_DIR "/data/demo/day2.txt",
                           CS_SOURCE_DIR "/data/demo/day3-workshops.md", NULL};
    char *dir = serve_new_index("similar", files, &d);

    const char *const testing[] = {SEED_PYTEST_ID, DEMO_PYTEST_ID, WORKSHOP_PYTEST_ID};
    for (size_t t = 0; t < 3; t++) {
        json_t *j = similar_to(&d, testing[t]);
        for (size_t i = 0; i < 2; i++)
            if (!proposal_is_about_testing(&d, j, i))
                fail_msg("%s: proposal %zu is not about testing", testing[t], i);
        assert_true(has_term(j, "pytest"));
        /* the speaker's name is no topic (two of these are Chia-Hao Tsou's) */
        assert_false(has_term(j, "tsou"));
        json_decref(j);
    }

    static const struct {
        const char *id, *first_title_has;
    } pairs[] = {
        /* a community keynote: the talk on keeping a meetup going */
        {"pyharbor-keelung-2026_2026-03-14_0910_R0", "\xE7\xA4\xBE\xE7\xBE\xA4" /* 社群 */},
        /* packaging with pyproject.toml and wheels: the hands-on on it */
        {"pyharbor-keelung-2026_2026-03-14_1330_R2", "pyproject.toml"},
        /* pickle attacks: the web security workshop */
        {"pyharbor-keelung-2026_2026-03-15_1400_R0", "\xE5\xAE\x89\xE5\x85\xA8" /* 安全 */},
        /* the Python debugger: debugging with GDB */
        {"pycon-apac-2015_2015-06-05_1110_R0", "Debugging"},
    };
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        json_t *j = similar_to(&d, pairs[p].id);
        json_t *first = json_array_get(json_object_get(j, "similar"), 0);
        const char *title = json_string_value(json_object_get(first, "title"));
        if (!title || !strstr(title, pairs[p].first_title_has))
            fail_msg("%s: first proposal %s", pairs[p].id, title ? title : "(none)");
        json_decref(j);
    }
    stop_and_remove(&d, dir);
}

static void test_similar_to_an_unknown_talk_is_404(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/api/sessions/no-such-talk/similar",
        "/api/sessions//similar",
        "/api/sessions/%2e%2e/similar",
        "/api/sessions/pycon-apac-2015_2015-06-05_1110_R1/similar/similar",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        long status = 0;
        json_t *j = cs_http_json(&daemon_, paths[i], &status);
        if (status != 404)
            fail_msg("%s: HTTP %ld, expected 404", paths[i], status);
        assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                            "not_found");
        json_decref(j);
    }
    /* The seed alone: its pytest talk is still never its own proposal. */
    json_decref(similar_to(&daemon_, SEED_PYTEST_ID));
}

static void test_busy_port_is_an_error(void **state)
{
    (void)state;
    /* A second daemon must not quietly share the first one's port. */
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", daemon_.port);
    cs_daemon_t d;
    assert_int_not_equal(cs_daemon_start(&d, db, "--listen", listen, NULL), 0);
    assert_int_equal(cs_daemon_stop(&d), 1);
}

typedef struct {
    const char *method, *path;
    long status;
} bad_request_t;

static void test_bad_requests_get_clear_4xx(void **state)
{
    (void)state;
    char longq[1200 + 16] = "/api/search?q=";
    memset(longq + strlen(longq), 'a', 1100);
    char many[1024] = "/api/search?q=";
    for (int i = 0; i < 70; i++) /* "w0" is one term (ICU: a number) */
        snprintf(many + strlen(many), sizeof many - strlen(many), "w%d+", i);
    char deep[256] = "/api/search?q=";
    for (int i = 0; i < 20; i++)
        strcat(deep, "%28");
    strcat(deep, "x");
    for (int i = 0; i < 20; i++)
        strcat(deep, "%29");
    const bad_request_t table[] = {
        {"GET", longq, 400},
        {"GET", many, 400},
        {"GET", deep, 400},
        {"GET", "/api/search?q=%ff%fe", 400},
        {"GET", "/api/search?q=a%00b", 400},
        {"GET", "/api/search?room=R%00", 400},
        {"GET", "/api/search?page=0", 400},
        {"GET", "/api/search?page=abc", 400},
        {"GET", "/api/search?page=-1", 400},
        {"GET", "/api/search?size=101", 400},
        {"GET", "/api/search?size=99999999999999999999", 400},
        {"GET", "/api/search?facets=colour", 400},
        {"GET", "/api/search?q=a&q=b", 400},
        {"GET", "/api/search?q=%22unbalanced", 400},
        {"GET", "/api/search?q=s*", 400},
        {"POST", "/api/search", 405},
        {"DELETE", "/api/search", 405},
        {"GET", "/api/nothing", 404},
        {"GET", "/../../etc/passwd", 404},
        {"GET", "/%2e%2e/%2e%2e/etc/passwd", 404},
        {"GET", "/api/sessions/..%2f..%2fetc%2fpasswd", 404},
        {"GET", "/web/../CMakeLists.txt", 404},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        cs_http_t r;
        assert_int_equal(cs_http(&daemon_, table[i].method, table[i].path, NULL, &r), 0);
        if (r.status != table[i].status)
            fail_msg("%s %s: HTTP %ld, expected %ld (%s)", table[i].method, table[i].path, r.status,
                     table[i].status, r.body);
        json_t *j = json_loadb(r.body, r.len, 0, NULL);
        if (!json_is_string(json_object_get(json_object_get(j, "error"), "message")))
            fail_msg("%s %s: no JSON error body: %s", table[i].method, table[i].path, r.body);
        assert_null(strstr(r.body, "root:"));
        json_decref(j);
        cs_http_free(&r);
    }
    test_health(state);
}

static void test_reindex_while_serving_is_seen(void **state)
{
    (void)state;
    json_t *j = search_q("quokka", NULL);
    long before = total(j);
    json_decref(j);
    char *notes = cs_test_path(tmpdir, "extra.txt");
    const char text[] = "Later Conf 2026 - Day 1 (2026-05-01)\n"
                        "[9:00][R5] Quokka Patterns (Kim Lee)\nquokka everywhere\n";
    assert_int_equal(cs_test_write_file(notes, text, sizeof text - 1), 0);
    const char *files[] = {notes, CS_SOURCE_DIR "/data/demo/day1.txt",
                           CS_SOURCE_DIR "/data/demo/day2.txt", NULL};
    assert_int_equal(index_files(files), 0);
    j = search_q("quokka", NULL);
    assert_int_equal(total(j), before + 1);
    assert_string_equal(hit_str(j, 0, "room"), "R5");
    json_decref(j);
    long status = 0;
    j = cs_http_json(&daemon_, "/healthz", &status);
    assert_true(json_integer_value(json_object_get(j, "documents")) > 21);
    json_decref(j);
    free(notes);
}

static void test_missing_index_gives_503_then_recovers(void **state)
{
    (void)state;
    char *moved = cs_test_path(tmpdir, "moved.db");
    assert_int_equal(rename(db, moved), 0);
    long status = 0;
    json_t *j = cs_http_json(&daemon_, "/healthz", &status);
    assert_int_equal(status, 503);
    assert_non_null(json_string_value(json_object_get(j, "reason")));
    json_decref(j);
    j = cs_http_json(&daemon_, "/api/search?q=twisted", &status);
    assert_int_equal(status, 503);
    assert_non_null(json_object_get(j, "error"));
    json_decref(j);
    j = cs_http_json(&daemon_, "/api/sessions/pycon-apac-2015_2015-06-05_1110_R1/similar", &status);
    assert_int_equal(status, 503);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                        "index_unavailable");
    json_decref(j);
    assert_int_equal(rename(moved, db), 0);
    test_health(state);
    free(moved);
}

/* A reason longer than its buffer (here a long CJK path) was cut inside a
 * character; jansson refused it and the 503 became a 500 "out of memory",
 * on /healthz too (issue 13).  Each path component stays under NAME_MAX. */
static void test_long_cjk_reason_is_still_503(void **state)
{
    (void)state;
    char name1[3 * 80 + 1] = "", name2[3 * 85 + 1] = "";
    for (int i = 0; i < 80; i++)
        strcat(name1, "測");
    for (int i = 0; i < 85; i++)
        strcat(name2, "試");
    char *dir = cs_test_path(tmpdir, name1);
    char *missing = cs_test_path(dir, name2);
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, missing, NULL), 0);
    const char *paths[] = {"/healthz", "/api/search?q=twisted", "/api/suggest?q=tw"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        long status = 0;
        json_t *j = cs_http_json(&d, paths[i], &status);
        if (status != 503)
            fail_msg("%s answered %ld, not 503", paths[i], status);
        json_t *e = json_object_get(j, "error");
        const char *reason = e ? json_string_value(json_object_get(e, "message"))
                               : json_string_value(json_object_get(j, "reason"));
        assert_non_null(reason);
        assert_non_null(strstr(reason, "測測測"));
        json_decref(j);
    }
    assert_int_equal(cs_daemon_stop(&d), 0);
    free(missing);
    free(dir);
}

/* Another fresh build's files renamed over the served index's, one by one
 * as rsync does: the directory stays, and both builds have the same
 * revision, so only the database UUID tells them apart.  searchd served the
 * old talks while /healthz counted the new ones (issue 13). */
static void test_index_replaced_by_another_build_is_seen(void **state)
{
    (void)state;
    char *notes = cs_test_path(tmpdir, "wombat.txt");
    const char text[] = "Wombat Conf 2026 - Day 1 (2026-06-01)\n"
                        "[9:00][R1] Wombat Burrows (Kim Lee)\nwombat tunnels\n"
                        "[10:00][R1] Second Talk (Kim Lee)\nmore notes\n";
    assert_int_equal(cs_test_write_file(notes, text, sizeof text - 1), 0);
    const char *served_files[] = {CS_SOURCE_DIR "/data/demo/day1.txt", NULL};
    const char *other_files[] = {notes, NULL};
    cs_daemon_t d, other;
    char *served = serve_new_index("served", served_files, &d);
    char *built = serve_new_index("other", other_files, &other);
    assert_int_equal(cs_daemon_stop(&other), 0);
    long status = 0;
    json_t *j = cs_http_json(&d, "/api/search?q=wombat", &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);

    char *from_db = cs_test_path(built, "talks.db"), *to_db = cs_test_path(served, "talks.db");
    const char *files[] = {"docdata.glass",  "termlist.glass", "position.glass",
                           "postlist.glass", "spelling.glass", "iamglass"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *from = cs_test_path(from_db, files[i]), *to = cs_test_path(to_db, files[i]);
        if (access(from, F_OK) == 0)
            assert_int_equal(rename(from, to), 0);
        else
            unlink(to);
        free(from);
        free(to);
    }
    j = cs_http_json(&d, "/healthz", &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 2);
    json_decref(j);
    for (int i = 0; i < 4; i++) { /* every worker thread */
        j = cs_http_json(&d, "/api/search?q=wombat", &status);
        assert_int_equal(status, 200);
        assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
        json_decref(j);
    }
    stop_and_remove(&d, served);
    cs_test_rmtree(built);
    free(built);
    free(from_db);
    free(to_db);
    free(notes);
}

/* What a first build leaves at the index's path until its first commit
 * (running, or killed): a database without documents or format version.
 * searchd refused to start on it (exit 5, "not a confsearch index") though
 * it starts on a missing index (issue 13); now it starts, answers 503, and
 * serves the index once the build has committed. */
static void test_index_still_being_built_gives_503_then_serves(void **state)
{
    (void)state;
    char *dir = cs_test_path(tmpdir, "building");
    assert_int_equal(mkdir(dir, 0700), 0);
    char *building = cs_test_path(dir, "talks.db");
    xc_database_t *x = NULL;
    assert_int_equal(xc_database_open_writable(building, XC_DB_CREATE_OR_OPEN, &x, NULL), XC_OK);
    assert_int_equal(xc_database_commit(x), XC_OK);
    xc_database_destroy(x);
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, building, NULL), 0);
    long status = 0;
    json_t *j = cs_http_json(&d, "/healthz", &status);
    assert_int_equal(status, 503);
    assert_non_null(strstr(json_string_value(json_object_get(j, "reason")), "being built"));
    json_decref(j);
    j = cs_http_json(&d, "/api/search?q=twisted", &status);
    assert_int_equal(status, 503);
    json_decref(j);

    char *argv[] = {(char *)CS_INDEXER_BIN,
                    (char *)"--quiet",
                    (char *)"--db",
                    building,
                    (char *)CS_SOURCE_DIR "/data/demo/day1.txt",
                    NULL};
    cs_run_result_t r;
    assert_int_equal(cs_test_run(argv, 0, &r), 0);
    assert_int_equal(r.exit_code, 0);
    cs_test_run_free(&r);
    j = cs_http_json(&d, "/healthz", &status);
    assert_int_equal(status, 200);
    json_decref(j);
    assert_int_equal(cs_daemon_stop(&d), 0);
    cs_test_rmtree(dir);
    free(building);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health),
        cmocka_unit_test(test_twisted_finds_the_mmo_talk_first),
        cmocka_unit_test(test_cjk_query_finds_the_pytest_talk),
        cmocka_unit_test(test_query_language),
        cmocka_unit_test(test_filters_and_disjunctive_facets),
        cmocka_unit_test(test_empty_query_lists_in_programme_order_with_paging),
        cmocka_unit_test(test_suggestions_and_did_you_mean),
        cmocka_unit_test(test_session_detail),
        cmocka_unit_test(test_marked_hits_and_talk),
        cmocka_unit_test(test_web_page_is_served_with_its_policy),
        cmocka_unit_test(test_cors_preflight),
        cmocka_unit_test(test_configured_cors_origins),
        cmocka_unit_test(test_markdown_talks_and_the_conference_facet),
        cmocka_unit_test(test_programme_talk_snippet_is_its_abstract),
        cmocka_unit_test(test_joined_talk_is_one_hit),
        cmocka_unit_test(test_similar_talks_share_the_topic),
        cmocka_unit_test(test_similar_to_an_unknown_talk_is_404),
        cmocka_unit_test(test_busy_port_is_an_error),
        cmocka_unit_test(test_bad_requests_get_clear_4xx),
        cmocka_unit_test(test_missing_index_gives_503_then_recovers),
        cmocka_unit_test(test_long_cjk_reason_is_still_503),
        cmocka_unit_test(test_index_replaced_by_another_build_is_seen),
        cmocka_unit_test(test_index_still_being_built_gives_503_then_serves),
        cmocka_unit_test(test_reindex_while_serving_is_seen),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
