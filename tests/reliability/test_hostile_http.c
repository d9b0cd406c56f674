/* test_hostile_http.c: hostile requests, slowloris and a connection flood
 * against the real confsearchd on loopback; each request must get its own
 * specific status and the daemon must stay healthy and responsive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_daemon.h"
#include "test_util.h"

static char *tmpdir, *db;
static cs_daemon_t daemon_;

/* ---- raw HTTP over a plain socket ------------------------------------------
 * libcurl normalises and validates what it sends; hostile bytes need a socket. */

typedef struct {
    char *data;
    size_t len, cap;
} buf_t;

static void buf_add(buf_t *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = realloc(b->data, cap);
        assert_non_null(b->data);
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_repeat(buf_t *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        buf_str(b, s);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A TCP connection to the daemon from source address `from` (any 127.x.y.z:
 * the daemon limits connections per client address, and a flood from one
 * address must not shut out another).  Blocking unless nonblock. */
static int connect_from(const char *from, bool nonblock)
{
    int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in src = {.sin_family = AF_INET};
    inet_pton(AF_INET, from, &src.sin_addr);
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)daemon_.port)};
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
        (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0 && errno != EINPROGRESS)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Status codes beyond HTTP's for what a raw exchange can end in. */
enum { CLOSED_SILENTLY = 0, NO_ANSWER = -1, CONNECT_FAILED = -2 };

typedef struct {
    int status;
    char *body; /* after the header block, NUL-terminated; caller frees */
    size_t body_len;
} raw_answer_t;

/* Sends req, reads until the server closes or timeout_ms passes, and splits
 * the first answer.  The server may close while a huge request is still
 * being sent; what it answered is still read. */
static raw_answer_t raw_exchange(const char *from, const char *req, size_t len, int timeout_ms)
{
    raw_answer_t a = {CONNECT_FAILED, NULL, 0};
    int fd = connect_from(from, false);
    if (fd < 0)
        return a;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    buf_t in = {0};
    double deadline = now_ms() + timeout_ms;
    char chunk[16384];
    bool timed_out = false;
    for (;;) {
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n > 0) {
            buf_add(&in, chunk, (size_t)n);
            /* Keep-alive answers do not close: stop once the body is in. */
            const char *end = strstr(in.data, "\r\n\r\n");
            const char *cl = end ? strstr(in.data, "Content-Length: ") : NULL;
            if (cl && cl < end &&
                in.len >= (size_t)(end + 4 - in.data) + strtoul(cl + 16, NULL, 10))
                break;
        } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            break;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            timed_out = true;
            break;
        }
        if (now_ms() > deadline) {
            timed_out = true;
            break;
        }
    }
    close(fd);
    int major = 0, minor = 0, status = 0;
    if (in.len && sscanf(in.data, "HTTP/%d.%d %d", &major, &minor, &status) == 3) {
        a.status = status;
        const char *end = strstr(in.data, "\r\n\r\n");
        const char *body = end ? end + 4 : in.data + in.len;
        a.body_len = in.len - (size_t)(body - in.data);
        a.body = strndup(body, a.body_len);
    } else {
        a.status = in.len == 0 && timed_out ? NO_ANSWER : CLOSED_SILENTLY;
        a.body = strdup("");
    }
    free(in.data);
    return a;
}

/* ---- the table ---------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *request;   /* the raw bytes up to the first NUL... */
    size_t len;            /* ...or exactly len bytes when non-zero */
    void (*make)(buf_t *); /* or built by this */
    int status;            /* the specific answer expected */
    bool json;             /* answered by confsearchd itself: a JSON error body */
} hostile_t;

/* A request line plus the headers every well-formed request here carries. */
#define GET(target) "GET " target " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

static void make_long_query(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    buf_repeat(b, "a", 1025);
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_long_suggest(buf_t *b)
{
    buf_str(b, "GET /api/suggest?q=");
    buf_repeat(b, "%E6%B8%AC", 400); /* 1200 bytes of 測 */
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_thousands_of_terms(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    for (int i = 0; i < 3000; i++)
        buf_str(b, i ? "+x" : "x");
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

/* Within the 1 KiB limit, so the term limit itself must catch it. */
static void make_many_terms_short(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    for (int i = 0; i < 300; i++)
        buf_str(b, i ? "+a" : "a");
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_many_cjk_terms(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    /* 測試 x 100: 600 bytes (under the 1 KiB cap), 199 bigrams, of which a
     * long run searches every other one: 100 terms, over the 64 allowed. */
    buf_repeat(b, "%E6%B8%AC%E8%A9%A6", 100);
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_deep_parens(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    buf_repeat(b, "%28", 17);
    buf_str(b, "x");
    buf_repeat(b, "%29", 17);
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_very_deep_parens(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    buf_repeat(b, "(", 1000);
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_unclosed_parens(buf_t *b)
{
    buf_str(b, "GET /api/search?q=");
    buf_repeat(b, "%28", 16);
    buf_str(b, "x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_33_rooms(buf_t *b)
{
    buf_str(b, "GET /api/search?");
    for (int i = 0; i < 33; i++)
        buf_str(b, i ? "&room=R0" : "room=R0");
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_32_rooms(buf_t *b)
{
    buf_str(b, "GET /api/search?");
    for (int i = 0; i < 32; i++)
        buf_str(b, i ? "&room=R0" : "room=R0");
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_huge_header(buf_t *b)
{
    buf_str(b, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
    buf_repeat(b, "a", 70 * 1024);
    buf_str(b, "\r\nConnection: close\r\n\r\n");
}

static void make_many_headers(buf_t *b)
{
    buf_str(b, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    char line[32];
    for (int i = 0; i < 6000; i++) {
        snprintf(line, sizeof line, "X-H%d: v\r\n", i);
        buf_str(b, line);
    }
    buf_str(b, "Connection: close\r\n\r\n");
}

static void make_huge_cookie(buf_t *b)
{
    buf_str(b, "GET /api/search?q=python HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ");
    for (int i = 0; i < 4000; i++)
        buf_str(b, "k=vvvvvvvvvvvvvvvv; ");
    buf_str(b, "\r\nConnection: close\r\n\r\n");
}

static void make_huge_url(buf_t *b)
{
    buf_str(b, "GET /api/search?q=x&pad=");
    buf_repeat(b, "a", 70 * 1024);
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_huge_path(buf_t *b)
{
    buf_str(b, "GET /");
    buf_repeat(b, "../", 24 * 1024);
    buf_str(b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

static void make_post_big_body(buf_t *b)
{
    char head[160];
    size_t n = 200 * 1024;
    snprintf(head, sizeof head,
             "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n",
             n);
    buf_str(b, head);
    buf_repeat(b, "q=python&", n / 9);
    buf_repeat(b, "x", n - (n / 9) * 9);
}

static const hostile_t table[] = {
    /* query text */
    {"overlong q (1025 bytes)", NULL, 0, make_long_query, 400, true},
    {"overlong suggest q", NULL, 0, make_long_suggest, 400, true},
    {"invalid UTF-8 in q", GET("/api/search?q=%ff%fe"), 0, NULL, 400, true},
    {"overlong UTF-8 encoding of /", GET("/api/search?q=%c0%af"), 0, NULL, 400, true},
    {"UTF-8 encoded surrogate", GET("/api/search?q=%ed%a0%80"), 0, NULL, 400, true},
    {"truncated UTF-8 sequence", GET("/api/search?q=%e6%b8"), 0, NULL, 400, true},
    {"invalid UTF-8 in suggest", GET("/api/suggest?q=tw%ff"), 0, NULL, 400, true},
    {"invalid UTF-8 in a parameter name", GET("/api/search?%ff=1"), 0, NULL, 400, true},
    {"invalid UTF-8 in a filter", GET("/api/search?room=%80"), 0, NULL, 400, true},
    {"NUL byte in q", GET("/api/search?q=twisted%00evil"), 0, NULL, 400, true},
    {"NUL byte in a parameter name", GET("/api/search?q%00x=1"), 0, NULL, 400, true},
    {"NUL byte in page", GET("/api/search?page=1%00"), 0, NULL, 400, true},
    {"NUL byte in a filter", GET("/api/search?speaker=Dan%00Maas"), 0, NULL, 400, true},
    {"thousands of terms", NULL, 0, make_thousands_of_terms, 400, true},
    {"300 terms within 1 KiB", NULL, 0, make_many_terms_short, 400, true},
    {"a 200-character CJK run", NULL, 0, make_many_cjk_terms, 400, true},
    {"broad wildcard zq*", GET("/api/search?q=zq*"), 0, NULL, 400, true},
    {"bare wildcard", GET("/api/search?q=*"), 0, NULL, 400, true},
    {"wildcard on a CJK run", GET("/api/search?q=%E6%B8%AC%E8%A9%A6%E5%B7%A5%E5%85%B7*"), 0, NULL,
     400, true},
    {"17 nested parentheses", NULL, 0, make_deep_parens, 400, true},
    {"1000 open parentheses", NULL, 0, make_very_deep_parens, 400, true},
    {"unclosed parentheses", NULL, 0, make_unclosed_parens, 400, true},
    {"stray closing parenthesis", GET("/api/search?q=a%29"), 0, NULL, 400, true},
    {"unbalanced quote", GET("/api/search?q=%22game+server"), 0, NULL, 400, true},
    {"dangling OR", GET("/api/search?q=python+OR"), 0, NULL, 400, true},
    {"excluded filter", GET("/api/search?q=-room:R0"), 0, NULL, 400, true},
    {"filter inside parentheses", GET("/api/search?q=%28room:R0%29"), 0, NULL, 400, true},
    {"empty inline filter", GET("/api/search?q=speaker:"), 0, NULL, 400, true},
    /* numbers */
    {"huge page", GET("/api/search?page=99999999999999999999"), 0, NULL, 400, true},
    {"page past the limit", GET("/api/search?page=1001"), 0, NULL, 400, true},
    {"page zero", GET("/api/search?page=0"), 0, NULL, 400, true},
    {"negative page", GET("/api/search?page=-1"), 0, NULL, 400, true},
    {"non-numeric page", GET("/api/search?page=two"), 0, NULL, 400, true},
    {"fractional page", GET("/api/search?page=1.5"), 0, NULL, 400, true},
    {"hex size", GET("/api/search?size=0x10"), 0, NULL, 400, true},
    {"huge size", GET("/api/search?size=4294967297"), 0, NULL, 400, true},
    {"size past the limit", GET("/api/search?size=101"), 0, NULL, 400, true},
    {"negative size", GET("/api/search?size=-10"), 0, NULL, 400, true},
    {"signed size", GET("/api/search?size=%2B5"), 0, NULL, 400, true},
    {"empty size", GET("/api/search?size="), 0, NULL, 400, true},
    {"size with spaces", GET("/api/search?size=%205"), 0, NULL, 400, true},
    /* facets and duplicates */
    {"unknown facet", GET("/api/search?facets=colour"), 0, NULL, 400, true},
    {"empty facet name", GET("/api/search?facets=day,,room"), 0, NULL, 400, true},
    {"overlong unknown facet",
     GET("/api/search?facets=dayyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"), 0, NULL, 400,
     true},
    {"duplicate q", GET("/api/search?q=a&q=b"), 0, NULL, 400, true},
    {"duplicate page", GET("/api/search?page=1&page=1"), 0, NULL, 400, true},
    {"duplicate size", GET("/api/search?size=10&size=10"), 0, NULL, 400, true},
    /* Cut at 40 bytes inside a character, the message was invalid UTF-8
     * and the answer a 500 (found by fuzz_params). */
    {"overlong unknown facet cut inside a character",
     GET("/api/search?facets=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%E3%80%8Eaa"), 0, NULL, 400,
     true},
    {"duplicate facets", GET("/api/search?facets=day&facets=room"), 0, NULL, 400, true},
    {"33 values of one filter", NULL, 0, make_33_rooms, 400, true},
    {"32 values of one filter are fine", NULL, 0, make_32_rooms, 200, false},
    {"empty filter value", GET("/api/search?speaker="), 0, NULL, 400, true},
    /* paths */
    {"unknown endpoint", GET("/api/nothing"), 0, NULL, 404, true},
    {"traversal", GET("/../../../../etc/passwd"), 0, NULL, 404, true},
    {"encoded traversal", GET("/%2e%2e/%2e%2e/%2e%2e/etc/passwd"), 0, NULL, 404, true},
    {"encoded slashes", GET("/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), 0, NULL, 404, true},
    {"traversal after a web file", GET("/app.js/../../../etc/passwd"), 0, NULL, 404, true},
    {"traversal in a talk id", GET("/api/sessions/..%2f..%2f..%2fetc%2fpasswd"), 0, NULL, 404,
     true},
    {"backslash traversal", GET("/..%5c..%5cetc%5cpasswd"), 0, NULL, 404, true},
    {"double slash", GET("//etc/passwd"), 0, NULL, 404, true},
    {"source file by name", GET("/web/../CMakeLists.txt"), 0, NULL, 404, true},
    {"empty talk id", GET("/api/sessions/"), 0, NULL, 404, true},
    {"invalid UTF-8 in the path", GET("/api/sessions/%ff%fe"), 0, NULL, 400, true},
    {"absolute URI to elsewhere", GET("http://evil.example/etc/passwd"), 0, NULL, 404, true},
    /* methods and bodies */
    {"POST with a form body",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
     "application/x-www-form-urlencoded\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
     "q=twisted&x=1",
     0, NULL, 405, true},
    {"POST with a 200 KiB body", NULL, 0, make_post_big_body, 405, true},
    {"PUT",
     "PUT /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
     "Connection: close\r\n\r\n{}",
     0, NULL, 405, true},
    {"DELETE", "DELETE /api/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 0,
     NULL, 405, true},
    {"TRACE", "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 0, NULL, 405,
     true},
    {"CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 0,
     NULL, 405, true},
    {"lower-case method", "get /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
     0, NULL, 405, true},
    {"chunked POST with bad chunks",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
     "Connection: close\r\n\r\nzz\r\nhello\r\n",
     0, NULL, 405, true},
    /* A method we never serve is refused before any body is read. */
    {"POST declaring an endless body",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
     "9223372036854775807\r\nConnection: close\r\n\r\nq=",
     0, NULL, 405, true},
    {"POST expecting 100-continue",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n"
     "Expect: 100-continue\r\nConnection: close\r\n\r\n",
     0, NULL, 405, true},
    /* framing and sizes (answered by libmicrohttpd before confsearchd runs) */
    {"absurd Content-Length",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
     "99999999999999999999999999\r\nConnection: close\r\n\r\n",
     0, NULL, 413, false},
    {"negative Content-Length",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n"
     "Connection: close\r\n\r\n",
     0, NULL, 400, false},
    {"non-numeric Content-Length",
     "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: lots\r\n"
     "Connection: close\r\n\r\n",
     0, NULL, 400, false},
    {"huge header (70 KiB)", NULL, 0, make_huge_header, 431, false},
    {"6000 headers", NULL, 0, make_many_headers, 431, false},
    {"80 KiB cookie", NULL, 0, make_huge_cookie, 431, false},
    {"huge URL (70 KiB)", NULL, 0, make_huge_url, 414, false},
    {"huge path of ../", NULL, 0, make_huge_path, 414, false},
    {"header line without a colon",
     "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColonHere\r\nConnection: close\r\n\r\n", 0,
     NULL, 400, false},
    {"HTTP/0.9 request", "GET /healthz\r\n\r\n", 0, NULL, 400, false},
    {"unknown HTTP version", "GET /healthz HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 0, NULL, 505,
     false},
    {"garbage request line", "GARBAGE GARBAGE GARBAGE GARBAGE\r\n\r\n", 0, NULL, 400, false},
    {"a TLS hello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n", 25, NULL, 400,
     false},
    /* libmicrohttpd waits for more after a NUL in the request line; the idle
     * timeout (15 s) ends it.  What matters is that nothing else waits. */
    {"NUL bytes in the request line", "\x00\x01\x02garbage garbage\r\n\r\n", 22, NULL, NO_ANSWER,
     false},
    {"a single garbage word", "garbage\r\n\r\n", 0, NULL, CLOSED_SILENTLY, false},
};

static void expect_json_error(const hostile_t *t, const raw_answer_t *a)
{
    json_error_t err;
    json_t *j = json_loadb(a->body, a->body_len, 0, &err);
    json_t *e = json_object_get(j, "error");
    if (!json_is_string(json_object_get(e, "code")) ||
        !json_is_string(json_object_get(e, "message")) ||
        json_string_length(json_object_get(e, "message")) == 0)
        fail_msg("%s: no JSON error body: %.200s", t->name, a->body);
    json_decref(j);
}

static void test_hostile_requests_get_their_specific_status(void **state)
{
    (void)state;
    size_t n = sizeof table / sizeof table[0];
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        const hostile_t *t = &table[i];
        buf_t req = {0};
        if (t->make)
            t->make(&req);
        else
            buf_add(&req, t->request, t->len ? t->len : strlen(t->request));
        /* Silent answers are judged by a short wait; real ones get time. */
        int timeout = t->status == NO_ANSWER ? 1500 : 10000;
        double start = now_ms();
        raw_answer_t a = raw_exchange("127.0.0.1", req.data, req.len, timeout);
        double took = now_ms() - start;
        free(req.data);
        if (a.status != t->status)
            fail_msg("%s: got %d, expected %d (%.200s)", t->name, a.status, t->status, a.body);
        if (t->json)
            expect_json_error(t, &a);
        /* Nothing of the filesystem leaks into any answer. */
        assert_null(strstr(a.body, "root:"));
        assert_null(strstr(a.body, "cmake_minimum_required"));
        if (t->status > 0 && took > 5000)
            fail_msg("%s: took %.0f ms", t->name, took);
        free(a.body);
    }
}

/* /healthz answers 200 with the documents indexed. */
static void expect_healthy(const char *from, double max_ms)
{
    double start = now_ms();
    raw_answer_t a = raw_exchange(from, GET("/healthz"), strlen(GET("/healthz")), 5000);
    double took = now_ms() - start;
    if (a.status != 200)
        fail_msg("/healthz from %s: %d %s", from, a.status, a.body);
    json_t *j = json_loads(a.body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    assert_true(json_integer_value(json_object_get(j, "documents")) > 0);
    json_decref(j);
    free(a.body);
    if (took > max_ms)
        fail_msg("/healthz from %s took %.0f ms (limit %.0f)", from, took, max_ms);
}

static void test_healthy_after_hostile_requests(void **state)
{
    (void)state;
    expect_healthy("127.0.0.1", 3000);
    /* And it still searches. */
    static const char req[] = GET("/api/search?q=python");
    raw_answer_t a = raw_exchange("127.0.0.1", req, sizeof req - 1, 5000);
    assert_int_equal(a.status, 200);
    json_t *j = json_loadb(a.body, a.body_len, 0, NULL);
    assert_true(json_integer_value(json_object_get(j, "total")) > 0);
    json_decref(j);
    free(a.body);
}

/* ---- slowloris and floods ----------------------------------------------- */

typedef struct {
    double worst, sum;
    int n, failed;
} latency_t;

/* One real search from `from`, timed. */
static void normal_client(const char *from, latency_t *lat)
{
    static const char req[] = GET("/api/search?q=python&size=5");
    double start = now_ms();
    raw_answer_t a = raw_exchange(from, req, sizeof req - 1, 5000);
    double took = now_ms() - start;
    if (a.status != 200) {
        fprintf(stderr, "normal client from %s: %d\n", from, a.status);
        lat->failed++;
    }
    free(a.body);
    lat->n++;
    lat->sum += took;
    if (took > lat->worst)
        lat->worst = took;
}

static void check_latency(const char *what, const latency_t *lat)
{
    fprintf(stderr, "%s: %d searches, mean %.1f ms, worst %.1f ms, %d failed\n", what, lat->n,
            lat->n ? lat->sum / lat->n : 0.0, lat->worst, lat->failed);
    assert_true(lat->n > 0);
    assert_int_equal(lat->failed, 0);
    /* Quick means interactive: no search waited behind the attackers. */
    /* A liveness bound, not a speed target: generous for a loaded 2-core CI box. */
    assert_true(lat->worst < 3000);
    assert_true(lat->sum / lat->n < 200);
}

#define SLOW_CONNECTIONS 200
#define SLOW_SECONDS 4

/* 200 connections each send a request's header a byte at a time, never
 * finishing it, for a few seconds; a normal client from the same address
 * (the per-address limit is 256) must be served all along. */
static void test_slowloris_does_not_starve_others(void **state)
{
    (void)state;
    int fds[SLOW_CONNECTIONS];
    int open_fds = 0;
    for (int i = 0; i < SLOW_CONNECTIONS; i++) {
        fds[i] = connect_from("127.0.0.1", true);
        assert_true(fds[i] >= 0);
        open_fds++;
    }
    static const char drip[] =
        "GET /api/search?q=python HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    size_t at = 0;
    latency_t lat = {0};
    double end = now_ms() + SLOW_SECONDS * 1000.0;
    while (now_ms() < end) {
        for (int i = 0; i < SLOW_CONNECTIONS; i++)
            if (fds[i] >= 0 && send(fds[i], drip + at, 1, MSG_NOSIGNAL) != 1 && errno != EAGAIN) {
                close(fds[i]); /* the daemon gave up on it: also fine */
                fds[i] = -1;
                open_fds--;
            }
        at = (at + 1) % (sizeof drip - 1);
        if (at == 0)
            at = sizeof drip - 20; /* stay inside the header value */
        normal_client("127.0.0.1", &lat);
        sleep_ms(100);
    }
    fprintf(stderr, "slowloris: %d of %d slow connections still open at the end\n", open_fds,
            SLOW_CONNECTIONS);
    for (int i = 0; i < SLOW_CONNECTIONS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    check_latency("during slowloris", &lat);
    expect_healthy("127.0.0.1", 3000);
}

#define FLOOD_IDLE 600
#define FLOOD_SECONDS 3
#define FLOOD_MAX_CONNECTS 30000

typedef struct {
    volatile int stop;
    long connects;
} flood_t;

/* Connects and hangs up again and again, sometimes after half a request. */
static void *flood_churn(void *arg)
{
    flood_t *f = arg;
    static const char half[] = "GET /api/search?q=py";
    double end = now_ms() + FLOOD_SECONDS * 1000.0;
    while (!f->stop && now_ms() < end && f->connects < FLOOD_MAX_CONNECTS) {
        int fd = connect_from("127.0.0.1", false);
        if (fd < 0)
            continue;
        if (f->connects % 2)
            send(fd, half, sizeof half - 1, MSG_NOSIGNAL);
        /* An abortive close, as a crashed or hostile client does. */
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(fd);
        f->connects++;
    }
    return NULL;
}

/* 600 idle connections from one address (over its limit of 256) plus a
 * thread opening and dropping connections as fast as it can: a client from
 * another address is served quickly throughout. */
static void test_connection_flood_does_not_starve_others(void **state)
{
    (void)state;
    int idle[FLOOD_IDLE];
    for (int i = 0; i < FLOOD_IDLE; i++)
        idle[i] = connect_from("127.0.0.1", true);
    flood_t f = {0, 0};
    pthread_t churn;
    assert_int_equal(pthread_create(&churn, NULL, flood_churn, &f), 0);
    latency_t lat = {0};
    double end = now_ms() + FLOOD_SECONDS * 1000.0;
    while (now_ms() < end) {
        normal_client("127.0.0.2", &lat);
        sleep_ms(50);
    }
    f.stop = 1;
    pthread_join(churn, NULL);
    fprintf(stderr, "flood: %d idle connections, %ld connects churned\n", FLOOD_IDLE, f.connects);
    for (int i = 0; i < FLOOD_IDLE; i++)
        if (idle[i] >= 0)
            close(idle[i]);
    check_latency("during the connection flood", &lat);
    assert_true(f.connects > 100);
    expect_healthy("127.0.0.2", 3000);
    /* The flooding address is served again once it behaves: once the
     * daemon has seen its 600 connections close, which a loaded machine may
     * take more than a moment to get to (a fixed 200 ms wait failed in CI
     * with the kill -9 test running beside it). */
    for (int i = 0; i < 50; i++) {
        sleep_ms(100);
        raw_answer_t a = raw_exchange("127.0.0.1", GET("/healthz"), strlen(GET("/healthz")), 2000);
        int status = a.status;
        free(a.body);
        if (status == 200)
            break;
    }
    expect_healthy("127.0.0.1", 3000);
}

/* ---- access log ------------------------------------------------------------ */

/* The first byte of log that a terminal or a reader would act on: a C0
 * control but the line end, DEL, a C1 control (UTF-8), a bidi control. */
static const char *raw_control(const char *log)
{
    for (const unsigned char *p = (const unsigned char *)log; *p; p++) {
        bool c0 = (*p < 0x20 && *p != '\n') || *p == 0x7f;
        bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
        bool bidi =
            p[0] == 0xe2 &&
            ((p[1] == 0x80 && ((p[2] >= 0x8e && p[2] <= 0x8f) || (p[2] >= 0xaa && p[2] <= 0xae))) ||
             (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9));
        if (c0 || c1 || bidi)
            return (const char *)p;
    }
    return NULL;
}

/* Methods with ESC or CR and paths with C1 and bidi controls used to reach
 * the access log raw: every control is written as \xNN or \u{NNNN} by
 * one escaper, for the method and the path alike. */
static void test_access_log_escapes_every_control(void **state)
{
    (void)state;
    static const struct {
        const char *request, *logged;
    } cases[] = {
        {"G\x1b[2JT / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", " G\\x1B[2JT /"},
        {"GE\rT / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", " GE\\x0DT /"},
        {GET("/%1b]0;pwned%07%c2%9b31m%c2%85%e2%80%ae%e2%81%a6%e2%80%8f%7f\\x41%20end"),
         " GET /\\x1B]0;pwned\\x07\\u{009B}31m\\u{0085}\\u{202E}\\u{2066}\\u{200F}\\x7F\\x5Cx41"
         "\\x20end 404 "},
        {GET("/%ff%fe%c2"), " GET /\\xFF\\xFE\\xC2 400 "},
    };
    size_t n = sizeof cases / sizeof cases[0];
    /* The group's daemon keeps no log (the floods would fill it): this one
     * takes its place for the test. */
    cs_daemon_t quiet = daemon_;
    assert_int_equal(cs_daemon_start(&daemon_, db, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        raw_answer_t a =
            raw_exchange("127.0.0.1", cases[i].request, strlen(cases[i].request), 5000);
        free(a.body);
    }
    /* A line is written when its request completes, just after the answer. */
    char *log = NULL;
    for (int tries = 0; tries < 50; tries++) {
        free(log);
        log = cs_test_read_file(daemon_.stderr_path, NULL);
        size_t lines = 0;
        for (const char *p = log; p && (p = strchr(p, '\n')); p++)
            lines++;
        if (lines >= n)
            break;
        sleep_ms(100);
    }
    int code = cs_daemon_stop(&daemon_);
    daemon_ = quiet;
    assert_non_null(log);
    const char *raw = raw_control(log);
    if (raw)
        fail_msg("a raw control at byte %td of the log:\n%s", raw - log, log);
    for (size_t i = 0; i < n; i++)
        if (!strstr(log, cases[i].logged))
            fail_msg("no \"%s\" in the log:\n%s", cases[i].logged, log);
    free(log);
    assert_int_equal(code, 0);
}

/* ---- headers of every kind of answer ------------------------------------- */

/* Fails unless the answer to method path is status, carries nosniff, and,
 * when an error, Cache-Control: no-store. */
static void expect_safe_headers(const cs_daemon_t *d, const char *method, const char *path,
                                long status)
{
    cs_http_t r;
    cs_http(d, method, path, NULL, &r);
    if (r.status != status)
        fail_msg("%s %s: got %ld, expected %ld", method, path, r.status, status);
    if (!strstr(r.headers, "\r\nX-Content-Type-Options: nosniff\r\n"))
        fail_msg("%s %s (%ld): no nosniff in\n%s", method, path, status, r.headers);
    if (status >= 400 && !strstr(r.headers, "\r\nCache-Control: no-store\r\n"))
        fail_msg("%s %s (%ld): no Cache-Control: no-store in\n%s", method, path, status, r.headers);
    cs_http_free(&r);
}

/* The 405 answer lacked nosniff and Cache-Control: every answer of
 * confsearchd's own carries nosniff, and every error no-store. */
static void test_every_answer_carries_nosniff(void **state)
{
    (void)state;
    static const struct {
        const char *method, *path;
        long status;
    } answers[] = {
        {"GET", "/api/search?q=python", 200},
        {"GET", "/api/search?q=%ff", 400},
        {"GET", "/api/nothing", 404},
        {"GET", "/nothing.html", 404},
        {"POST", "/api/search", 405},
        {"DELETE", "/", 405},
        {"OPTIONS", "/api/search", 204},
        {"GET", "/", 200},
        {"GET", "/app.js", 200},
        {"GET", "/healthz", 200},
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++)
        expect_safe_headers(&daemon_, answers[i].method, answers[i].path, answers[i].status);
    /* 503: a daemon whose index is missing. */
    cs_daemon_t missing;
    char *gone = cs_test_path(tmpdir, "missing.db");
    assert_int_equal(cs_daemon_start(&missing, gone, "--no-access-log", NULL), 0);
    expect_safe_headers(&missing, "GET", "/healthz", 503);
    expect_safe_headers(&missing, "GET", "/api/search?q=python", 503);
    assert_int_equal(cs_daemon_stop(&missing), 0);
    free(gone);
}

/* ---- fixture ------------------------------------------------------------- */

static int index_files(char *const *files)
{
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)CS_INDEXER_BIN;
    argv[n++] = (char *)"--db";
    argv[n++] = db;
    argv[n++] = (char *)"--quiet";
    for (; *files && n < 15; files++)
        argv[n++] = *files;
    argv[n] = NULL;
    cs_run_result_t r;
    if (cs_test_run(argv, 0, &r) != 0)
        return -1;
    int code = r.exit_code;
    if (code != 0)
        fprintf(stderr, "indexer failed (%d): %s\n", code, r.err);
    cs_test_run_free(&r);
    return code;
}

static int group_setup(void **state)
{
    (void)state;
    /* Hundreds of sockets on both ends. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    tmpdir = cs_test_mkdtemp();
    db = cs_test_path(tmpdir, "talks.db");
    /* More than CS_QUERY_MAX_EXPANSION words starting "zq", so that a
     * broad wildcard is refused whatever else the corpus holds. */
    char *zq = cs_test_path(tmpdir, "zq.txt");
    buf_t notes = {0};
    buf_str(&notes, "Hostile Conf 2026 - Day 1 (2026-01-01)\n[9:00][R0] Words (Zed Quinn)\n");
    for (int i = 0; i < 150; i++) {
        char w[16];
        snprintf(w, sizeof w, "zq%03dx ", i);
        buf_str(&notes, w);
    }
    buf_str(&notes, "\n");
    cs_test_write_file(zq, notes.data, notes.len);
    free(notes.data);
    char *files[] = {zq, (char *)CS_SOURCE_DIR "/data/demo/day1.txt",
                     (char *)CS_SOURCE_DIR "/data/demo/day2.txt", NULL};
    int rc = index_files(files);
    free(zq);
    if (rc != 0)
        return -1;
    return cs_daemon_start(&daemon_, db, "--no-access-log", NULL);
}

/* A test of its own, not the group teardown: cmocka 1.1 prints a failed
 * group teardown but still exits 0, which would hide a sanitizer report. */
static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    int code = cs_daemon_stop(&daemon_);
    daemon_.pid = 0;
    if (code != 0)
        fail_msg("confsearchd exited with %d (1000: a sanitizer report on its stderr)", code);
}

static int group_teardown(void **state)
{
    (void)state;
    if (daemon_.pid > 0)
        cs_daemon_stop(&daemon_);
    cs_test_rmtree(tmpdir);
    free(tmpdir);
    free(db);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_requests_get_their_specific_status),
        cmocka_unit_test(test_healthy_after_hostile_requests),
        cmocka_unit_test(test_slowloris_does_not_starve_others),
        cmocka_unit_test(test_connection_flood_does_not_starve_others),
        cmocka_unit_test(test_access_log_escapes_every_control),
        cmocka_unit_test(test_every_answer_carries_nosniff),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
