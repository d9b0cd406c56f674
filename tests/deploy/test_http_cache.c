/* test_http_cache.c: what a proxy, a monitor and an operator see of the
 * real confsearchd: ETag, Cache-Control and 304 answers (and no-store on
 * errors), the /metrics address, and the access log's forms. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_daemon.h"
#include "test_util.h"

static char *tmpdir, *db, *notes;
static cs_daemon_t daemon_;

static const char notes_v1[] = "Harbour Conf 2026 - Day 1 (March 14)\n\n"
                               "[9:10][R0] Keynote: Lighthouses (Kuo-Wei Lan)\n\n"
                               "lighthouse keepers and their lamps\n\n"
                               "[10:10][R1] Packaging wheels (Mei Lin)\n\n"
                               "wheels and lighthouse builds\n";
static const char notes_v2[] = "Harbour Conf 2026 - Day 1 (March 14)\n\n"
                               "[9:10][R0] Keynote: Lighthouses (Kuo-Wei Lan)\n\n"
                               "lighthouse keepers and their lamps\n\n"
                               "[10:10][R1] Packaging wheels (Mei Lin)\n\n"
                               "wheels and lighthouse builds\n\n"
                               "[11:10][R1] Lighthouse operations (Ann Wu)\n\n"
                               "a third lighthouse talk\n";

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static int index_notes(const char *text)
{
    if (cs_test_write_file(notes, text, strlen(text)) != 0)
        return -1;
    char *argv[] = {(char *)CS_INDEXER_BIN, (char *)"--quiet", (char *)"--db", db, notes, NULL};
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
    tmpdir = cs_test_mkdtemp();
    db = cs_test_path(tmpdir, "talks.db");
    notes = cs_test_path(tmpdir, "day1.txt");
    if (index_notes(notes_v1) != 0)
        return -1;
    return cs_daemon_start(&daemon_, db, "--cache-max-age", "7", NULL);
}

static int group_teardown(void **state)
{
    (void)state;
    int code = cs_daemon_stop(&daemon_);
    cs_test_rmtree(tmpdir);
    free(tmpdir);
    free(db);
    free(notes);
    return code == 0 ? 0 : -1;
}

/* The value of header name in raw response headers (caller frees), or NULL. */
static char *header(const cs_http_t *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        if (!end)
            end = line + strlen(line);
        if ((size_t)(end - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            return strndup(v, (size_t)(end - v));
        }
        line = *end ? end + 2 : end;
    }
    return NULL;
}

static void get(const cs_daemon_t *d, const char *path, const char *if_none_match, cs_http_t *out)
{
    char h[256];
    const char *headers[] = {h, NULL};
    snprintf(h, sizeof h, "If-None-Match: %s", if_none_match ? if_none_match : "");
    assert_int_equal(cs_http(d, "GET", path, if_none_match ? headers : NULL, out), 0);
}

static void assert_header(const cs_http_t *r, const char *name, const char *expect)
{
    char *v = header(r, name);
    if (!v || strcmp(v, expect) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"\n%s", name, expect, v ? v : "(none)", r->headers);
    free(v);
}

/* GET path on d is a 200 with cache_control and a validator, and the
 * same request naming that validator a 304 with no body; the validator
 * (caller frees). */
static char *assert_revalidates(const cs_daemon_t *d, const char *path, const char *cache_control)
{
    cs_http_t r;
    get(d, path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Cache-Control", cache_control);
    char *etag = header(&r, "ETag");
    assert_non_null(etag);
    cs_http_free(&r);
    get(d, path, etag, &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_header(&r, "ETag", etag);
    assert_header(&r, "Cache-Control", cache_control);
    cs_http_free(&r);
    return etag;
}

/* A search answer is cacheable for --cache-max-age and carries a strong
 * validator; the same request, however spelt, gets the same one and a 304
 * when the client has it; another query gets another. */
static void test_search_answers_revalidate(void **state)
{
    (void)state;
    cs_http_t c, d;
    char *etag = assert_revalidates(&daemon_, "/api/search?q=lighthouse", "public, max-age=7");
    assert_true(strncmp(etag, "\"r", 2) == 0 && etag[strlen(etag) - 1] == '"');

    /* Decoded, an ignored cache buster dropped: the same request. */
    get(&daemon_, "/api/search?_=123&q=%6cighthouse", "\"other\", W/", &c);
    assert_int_equal(c.status, 200);
    assert_header(&c, "ETag", etag);

    get(&daemon_, "/api/search?q=wheels", etag, &d);
    assert_int_equal(d.status, 200);
    char *other = header(&d, "ETag");
    assert_non_null(other);
    assert_string_not_equal(other, etag);
    free(other);
    free(etag);
    cs_http_free(&c);
    cs_http_free(&d);
}

/* Suggestions and talks are cacheable too; /healthz and errors never. */
static void test_what_is_cacheable(void **state)
{
    (void)state;
    free(assert_revalidates(&daemon_, "/api/suggest?q=ligh", "public, max-age=7"));
    cs_http_t r;

    get(&daemon_, "/healthz", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Cache-Control", "no-store");
    assert_null(header(&r, "ETag"));
    cs_http_free(&r);

    get(&daemon_, "/api/search?q=x&page=0", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_header(&r, "Cache-Control", "no-store");
    assert_null(header(&r, "ETag"));
    cs_http_free(&r);

    get(&daemon_, "/api/sessions/no-such-talk", NULL, &r);
    assert_int_equal(r.status, 404);
    assert_header(&r, "Cache-Control", "no-store");
    cs_http_free(&r);
}

/* A commit gives every answer a new validator: a client's old copy is
 * answered with the new one, never a 304. */
static void test_reindex_changes_the_validator(void **state)
{
    (void)state;
    cs_http_t a, b;
    get(&daemon_, "/api/search?q=lighthouse", NULL, &a);
    char *etag = header(&a, "ETag");
    assert_non_null(etag);
    json_t *before = json_loadb(a.body, a.len, 0, NULL);
    assert_int_equal(index_notes(notes_v2), 0);
    get(&daemon_, "/api/search?q=lighthouse", etag, &b);
    assert_int_equal(b.status, 200);
    char *now = header(&b, "ETag");
    assert_non_null(now);
    assert_string_not_equal(now, etag);
    json_t *after = json_loadb(b.body, b.len, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(after, "total")),
                     json_integer_value(json_object_get(before, "total")) + 1);
    assert_int_equal(index_notes(notes_v1), 0);
    json_decref(before);
    json_decref(after);
    free(etag);
    free(now);
    cs_http_free(&a);
    cs_http_free(&b);
}

/* The web files: validators, the page revalidated each time, the rest kept. */
static void test_web_files_revalidate(void **state)
{
    (void)state;
    free(assert_revalidates(&daemon_, "/app.js", "public, max-age=3600"));
    free(assert_revalidates(&daemon_, "/", "no-cache"));
}

/* With a list of origins the answers vary by Origin, 304s included. */
static void test_vary_origin(void **state)
{
    (void)state;
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, db, "--cors-origin", "https://conf.example.org", NULL), 0);
    cs_http_t r;
    get(&d, "/api/search?q=lighthouse", NULL, &r);
    assert_header(&r, "Vary", "Origin");
    char *etag = header(&r, "ETag");
    cs_http_free(&r);
    get(&d, "/api/search?q=lighthouse", etag, &r);
    assert_int_equal(r.status, 304);
    assert_header(&r, "Vary", "Origin");
    cs_http_free(&r);
    free(etag);
    assert_int_equal(cs_daemon_stop(&d), 0);
}

/* No index: 503, which no cache may keep. */
static void test_unavailable_is_not_cached(void **state)
{
    (void)state;
    char *missing = cs_test_path(tmpdir, "missing.db");
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, missing, NULL), 0);
    cs_http_t r;
    get(&d, "/api/search?q=lighthouse", "*", &r);
    assert_int_equal(r.status, 503);
    assert_header(&r, "Cache-Control", "no-store");
    assert_null(header(&r, "ETag"));
    cs_http_free(&r);
    assert_int_equal(cs_daemon_stop(&d), 0);
    free(missing);
}

/* ---- metrics --------------------------------------------------------------- */

static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* The value of the sample line starting with name (labels included). */
static double sample(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL)
        if (strncmp(line, name, n) == 0 && line[n] == ' ')
            return strtod(line + n + 1, NULL);
    return -1;
}

static char *scrape(cs_daemon_t *metrics)
{
    cs_http_t r;
    assert_int_equal(cs_http(metrics, "GET", "/metrics", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    char *body = r.body;
    r.body = NULL;
    cs_http_free(&r);
    return body;
}

/* /metrics is on its own address only, and its counters follow what the
 * daemon answered; promtool accepts the text. */
static void test_metrics(void **state)
{
    (void)state;
    unsigned port = free_port();
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, db, "--metrics-listen", listen, NULL), 0);
    cs_daemon_t m = d;
    m.port = port;

    cs_http_t r;
    get(&d, "/metrics", NULL, &r);
    assert_int_equal(r.status, 404); /* the public port never serves them */
    cs_http_free(&r);

    char *before = scrape(&m);
    const char *ok = "confsearch_http_requests_total{endpoint=\"search\",status=\"200\"}";
    const char *bad = "confsearch_http_requests_total{endpoint=\"search\",status=\"400\"}";
    const char *hist = "confsearch_http_request_duration_seconds_count{endpoint=\"search\"}";
    double ok0 = sample(before, ok), hist0 = sample(before, hist);
    for (int i = 0; i < 3; i++) {
        get(&d, "/api/search?q=lighthouse", NULL, &r);
        assert_int_equal(r.status, 200);
        cs_http_free(&r);
    }
    get(&d, "/api/search?q=x&size=0", NULL, &r);
    assert_int_equal(r.status, 400);
    cs_http_free(&r);
    sleep_ms(100); /* counted when each request completes, just after its answer */
    char *after = scrape(&m);
    assert_true(ok0 <= 0);
    assert_int_equal((int)sample(after, ok), 3);
    assert_int_equal((int)sample(after, bad), 1);
    assert_int_equal((int)(sample(after, hist) - (hist0 > 0 ? hist0 : 0)), 4);
    assert_true(sample(after, "confsearch_index_documents") == 2);
    assert_true(sample(after, "confsearch_index_revision") >= 1);
    assert_true(sample(after, "confsearch_index_up") == 1);
    assert_true(sample(after, "confsearch_worker_threads") == 2);
    double reopens = sample(after, "confsearch_index_reopens_total");
    assert_true(reopens >= 1);

    /* A commit: the revision moves and a reopen is counted. */
    double rev = sample(after, "confsearch_index_revision");
    assert_int_equal(index_notes(notes_v2), 0);
    get(&d, "/api/search?q=lighthouse", NULL, &r);
    cs_http_free(&r);
    char *later = scrape(&m);
    assert_true(sample(later, "confsearch_index_revision") > rev);
    assert_true(sample(later, "confsearch_index_documents") == 3);
    assert_true(sample(later, "confsearch_index_reopens_total") > reopens);
    assert_int_equal(index_notes(notes_v1), 0);

    get(&m, "/api/search?q=lighthouse", NULL, &r);
    assert_int_equal(r.status, 404); /* and the metrics port serves nothing else */
    cs_http_free(&r);

    if (access("/usr/bin/promtool", X_OK) == 0) {
        char *file = cs_test_path(tmpdir, "metrics.txt");
        assert_int_equal(cs_test_write_file(file, later, strlen(later)), 0);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "promtool check metrics < %s", file);
        char *argv[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};
        cs_run_result_t pr;
        assert_int_equal(cs_test_run(argv, 0, &pr), 0);
        if (pr.exit_code != 0)
            fail_msg("promtool: %s%s\n%s", pr.out, pr.err, later);
        cs_test_run_free(&pr);
        free(file);
    } else {
        fprintf(stderr, "promtool is not installed (Debian package prometheus): format not "
                        "checked\n");
    }
    free(before);
    free(after);
    free(later);
    assert_int_equal(cs_daemon_stop(&d), 0);
}

/* ---- access log ------------------------------------------------------------ */

/* The daemon's log once it holds lines lines. */
static char *log_lines(const cs_daemon_t *d, size_t lines)
{
    char *log = NULL;
    for (int tries = 0; tries < 50; tries++) {
        free(log);
        log = cs_test_read_file(d->stderr_path, NULL);
        size_t n = 0;
        for (const char *p = log; p && (p = strchr(p, '\n')); p++)
            n++;
        if (n >= lines)
            break;
        sleep_ms(100);
    }
    return log;
}

static char *logged_search(const char *format, bool query_log, const char *path, cs_http_t *r)
{
    cs_daemon_t d;
    assert_int_equal(
        cs_daemon_start(&d, db, "--log-format", format, query_log ? NULL : "--no-query-log", NULL),
        0);
    get(&d, path, NULL, r);
    assert_int_equal(r->status, 200);
    char *log = log_lines(&d, 1);
    assert_int_equal(cs_daemon_stop(&d), 0);
    assert_non_null(log);
    return log;
}

static void test_log_text(void **state)
{
    (void)state;
    cs_http_t r;
    char *log = logged_search("text", true, "/api/search?q=lighthouse%20keepers", &r);
    char *id = header(&r, "X-Request-Id");
    assert_non_null(id);
    char expect[128];
    snprintf(expect, sizeof expect, " id=%s results=1 q=lighthouse\\x20keepers\n", id);
    if (!strstr(log, expect) || !strstr(log, "127.0.0.1 GET /api/search 200 "))
        fail_msg("no \"%s\" in:\n%s", expect, log);
    free(id);
    free(log);
    cs_http_free(&r);
}

static void test_log_json(void **state)
{
    (void)state;
    cs_http_t r;
    char *log = logged_search("json", true, "/api/search?q=lighthouse%20keepers", &r);
    json_error_t e;
    json_t *line = json_loads(log, JSON_DISABLE_EOF_CHECK, &e);
    if (!line)
        fail_msg("not JSON (%s): %s", e.text, log);
    char *id = header(&r, "X-Request-Id");
    assert_string_equal(json_string_value(json_object_get(line, "id")), id);
    assert_int_equal(json_integer_value(json_object_get(line, "status")), 200);
    assert_int_equal(json_integer_value(json_object_get(line, "results")), 1);
    assert_string_equal(json_string_value(json_object_get(line, "path")), "/api/search");
    assert_string_equal(json_string_value(json_object_get(line, "q")), "lighthouse keepers");
    assert_true(json_is_number(json_object_get(line, "ms")));
    json_decref(line);
    free(id);
    free(log);
    cs_http_free(&r);
}

/* A query with ESC and a bidi override reaches the JSON log as \u escapes,
 * never raw (a terminal or a reader of the log would act on them). */
static void test_log_json_escapes_controls(void **state)
{
    (void)state;
    cs_http_t r;
    char *log = logged_search("json", true, "/api/search?q=%1b%5b2J%e2%80%aelighthouse", &r);
    for (const unsigned char *p = (const unsigned char *)log; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p >= 0x7f)
            fail_msg("a raw byte 0x%02x in the JSON log:\n%s", *p, log);
    json_t *line = json_loads(log, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(line);
    assert_string_equal(json_string_value(json_object_get(line, "q")),
                        "\x1b[2J\xe2\x80\xaelighthouse");
    json_decref(line);
    free(log);
    cs_http_free(&r);
}

/* --no-query-log: the query is nowhere in the log, in either form. */
static void test_no_query_log(void **state)
{
    (void)state;
    const char *formats[] = {"text", "json"};
    for (int i = 0; i < 2; i++) {
        cs_http_t r;
        char *log = logged_search(formats[i], false, "/api/search?q=lighthouse%20keepers", &r);
        if (strstr(log, "lighthouse") || strstr(log, "keepers") || strstr(log, "q="))
            fail_msg("the query is in the %s log:\n%s", formats[i], log);
        assert_non_null(strstr(log, "results"));
        free(log);
        cs_http_free(&r);
    }
}

/* Under systemd (Type=notify) the daemon says READY=1 once it listens,
 * and STOPPING=1 when told to stop, on the socket NOTIFY_SOCKET names. */
static void test_notifies_systemd(void **state)
{
    (void)state;
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s/notify", tmpdir);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setenv("NOTIFY_SOCKET", a.sun_path, 1);
    cs_daemon_t d;
    int started = cs_daemon_start(&d, db, NULL);
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(started, 0);
    char msg[512];
    ssize_t n = recv(fd, msg, sizeof msg - 1, 0);
    assert_true(n > 0);
    msg[n] = '\0';
    if (!strstr(msg, "READY=1"))
        fail_msg("no READY=1 in \"%s\"", msg);
    assert_int_equal(cs_daemon_stop(&d), 0);
    n = recv(fd, msg, sizeof msg - 1, 0);
    assert_true(n > 0);
    msg[n] = '\0';
    assert_non_null(strstr(msg, "STOPPING=1"));
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_answers_revalidate),
        cmocka_unit_test(test_what_is_cacheable),
        cmocka_unit_test(test_reindex_changes_the_validator),
        cmocka_unit_test(test_web_files_revalidate),
        cmocka_unit_test(test_vary_origin),
        cmocka_unit_test(test_unavailable_is_not_cached),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_log_text),
        cmocka_unit_test(test_log_json),
        cmocka_unit_test(test_log_json_escapes_controls),
        cmocka_unit_test(test_no_query_log),
        cmocka_unit_test(test_notifies_systemd),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
