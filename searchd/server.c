/* server.c: libmicrohttpd request handling for searchd. */
#include "server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unicode/utf8.h>
#include <unistd.h>
/* XXH3_state_t on the stack: no allocation per request. */
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "metrics.h"
#include "params.h"
#include "search.h"
#include "utf8.h"
#include "webfiles.h"

static const char placeholder_page[] =
    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>confsearch</title>"
    "<h1>confsearch</h1><p>The search API is at <code>/api/search?q=...</code>.</p></html>\n";

struct cs_server {
    cs_server_config_t config;
    char *db_path;
    cs_search_shared_t *shared;
    char *origins[CS_SERVER_MAX_ORIGINS];
    struct MHD_Daemon *daemon;
    struct MHD_Daemon *metrics; /* NULL: metrics off */
    pthread_key_t searcher_key;
    cs_webfiles_t *web;
    char cache_control[64]; /* of 200 API answers */
    unsigned id_prefix;     /* request ids: prefix-sequence */
    atomic_uint_fast64_t id_seq;
};

/* Per-request state, freed in the completion callback. */
typedef struct {
    struct timespec start;
    int status;
    size_t bytes;
    char method[8];
    char *path;
    cs_endpoint_t endpoint;
    long results; /* for the log: hits, suggestions, talks; -1: none */
    char *query;  /* q for the log; NULL without one or with query logging off */
    char id[32];  /* also sent as X-Request-Id */
} request_t;

static void destroy_searcher(void *p)
{
    cs_searcher_destroy(p);
}

/* The calling worker thread's searcher (its own Xapian handle). */
static cs_searcher_t *thread_searcher(cs_server_t *srv)
{
    cs_searcher_t *s = pthread_getspecific(srv->searcher_key);
    if (!s && cs_searcher_create(srv->shared, &s) == CS_OK)
        pthread_setspecific(srv->searcher_key, s);
    return s;
}

static void add_cors(cs_server_t *srv, struct MHD_Connection *c, struct MHD_Response *r)
{
    if (srv->config.n_cors_origins == 0) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
        return;
    }
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    MHD_add_response_header(r, "Vary", "Origin");
    for (size_t i = 0; origin && i < srv->config.n_cors_origins; i++)
        if (strcmp(origin, srv->origins[i]) == 0)
            MHD_add_response_header(r, "Access-Control-Allow-Origin", srv->origins[i]);
}

/* Every answer goes out here, so the headers all of them need are added
 * here: nosniff, and no-store on errors (a cache must not keep a 405 or
 * a 503 for a URL that will work). */
static enum MHD_Result send_response(struct MHD_Connection *c, request_t *req, int status,
                                     struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Request-Id", req->id);
    if (status >= 400 && !MHD_get_response_header(r, "Cache-Control"))
        MHD_add_response_header(r, "Cache-Control", "no-store");
    req->status = status;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Whether the client's If-None-Match names etag (weak comparison, as
 * RFC 9110 asks for If-None-Match; "*" matches any current answer). */
static bool etag_matches(struct MHD_Connection *c, const char *etag)
{
    const char *p = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    size_t elen = strlen(etag);
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        const char *end = p;
        if (*p == '"') {
            end = strchr(p + 1, '"');
            if (!end)
                return false;
            end++;
        } else {
            while (*end && *end != ',')
                end++;
        }
        if ((size_t)(end - p) == elen && memcmp(p, etag, elen) == 0)
            return true;
        p = end;
    }
    return false;
}

/* 304 for a client whose copy is current: the validator and the caching
 * headers again, no body. */
static enum MHD_Result send_not_modified(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                         const char *etag, const char *cache_control, bool cors)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", cache_control);
    if (cors)
        add_cors(srv, c, r);
    return send_response(c, req, 304, r);
}

/* Sends body (consumed) as the JSON answer; with etag (a 200 answer that
 * caches may keep) it is sent with its validator and srv's Cache-Control,
 * or as a 304 when the client has it already. */
static enum MHD_Result send_json_tagged(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                        int status, json_t *body, const char *etag)
{
    if (etag && status == 200 && etag_matches(c, etag)) {
        json_decref(body);
        return send_not_modified(srv, c, req, etag, srv->cache_control, true);
    }
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        status = 500;
        text = strdup("{\"error\":{\"code\":\"internal_error\",\"message\":\"out of memory\"}}");
        if (!text)
            return MHD_NO;
    }
    size_t len = strlen(text);
    req->bytes = len;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    if (etag && status == 200) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", srv->cache_control);
    } else {
        MHD_add_response_header(r, "Cache-Control", "no-store");
    }
    add_cors(srv, c, r);
    return send_response(c, req, status, r);
}

static enum MHD_Result send_json(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                 int status, json_t *body)
{
    return send_json_tagged(srv, c, req, status, body, NULL);
}

static enum MHD_Result send_error(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                  int status, const char *code, const char *message)
{
    return send_json(srv, c, req, status, cs_search_error(code, message));
}

/* ---- query parameters ---------------------------------------------------- */

/* Hands each GET argument to params.c; MHD_NO stops at the first refusal. */
static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    return cs_params_add(cls, key, key_size, value, value_size) == CS_OK ? MHD_YES : MHD_NO;
}

/* Fills p from the request; false with cs_params_error(p) set when it is bad.
 * p borrows the connection's strings, valid until the request completes. */
static bool read_params(struct MHD_Connection *c, cs_params_t *p, bool search)
{
    cs_params_init(p);
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_param, p);
    return cs_params_finish(p, search) == CS_OK;
}

/* ---- routes ----------------------------------------------------------------- */

/* ---- validators ------------------------------------------------------------ */

/* Feeds one field to the request key: its length first, so that fields
 * cannot run into each other ("ab","c" differs from "a","bc"). */
static void key_field(XXH3_state_t *st, const char *p, size_t len)
{
    uint64_t n = len;
    XXH3_64bits_update(st, &n, sizeof n);
    if (len)
        XXH3_64bits_update(st, p, len);
}

/* The normalised request: what the answer depends on, as params.c read
 * it (decoded, ignored parameters and their order left out), so that
 * "?q=a&x=1" and "?q=%61" share a validator. */
static void key_request(XXH3_state_t *st, const cs_search_request_t *r, bool search)
{
    key_field(st, r->q.value ? r->q.value : "", r->q.value ? r->q.len : 0);
    if (!search)
        return;
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        uint64_t n = r->n_filters[f];
        XXH3_64bits_update(st, &n, sizeof n);
        for (size_t i = 0; i < r->n_filters[f]; i++)
            key_field(st, r->filters[f][i].value, r->filters[f][i].len);
    }
    unsigned nums[2] = {r->page, r->size};
    XXH3_64bits_update(st, nums, sizeof nums);
    XXH3_64bits_update(st, r->facets, sizeof r->facets);
}

/* The strong validator of a 200 API answer: the revision and UUID of the
 * index state it was read from, and the normalised request ("\"r<revision>-
 * <hash>\""), so every replica of one revision gives the same one.  false
 * when the searcher cannot say which state it read. */
static bool answer_etag(cs_searcher_t *s, XXH3_state_t *st, char *out, size_t cap)
{
    uint64_t revision = 0;
    char uuid[64] = "";
    if (cs_searcher_index_id(s, &revision, uuid, sizeof uuid) != CS_OK)
        return false;
    key_field(st, uuid, strlen(uuid));
    XXH3_64bits_update(st, &revision, sizeof revision);
    snprintf(out, cap, "\"r%llu-%016llx\"", (unsigned long long)revision,
             (unsigned long long)XXH3_64bits_digest(st));
    return true;
}

/* ---- routes ----------------------------------------------------------------- */

/* Which endpoint url is, for the metrics. */
static cs_endpoint_t endpoint_of(const char *url)
{
    if (strcmp(url, "/api/search") == 0)
        return CS_ENDPOINT_SEARCH;
    if (strcmp(url, "/api/suggest") == 0)
        return CS_ENDPOINT_SUGGEST;
    if (strncmp(url, "/api/sessions/", 14) == 0) {
        size_t len = strlen(url);
        return len > 14 + 8 && strcmp(url + len - 8, "/similar") == 0 ? CS_ENDPOINT_SIMILAR
                                                                      : CS_ENDPOINT_SESSION;
    }
    if (strcmp(url, "/healthz") == 0)
        return CS_ENDPOINT_HEALTHZ;
    return strncmp(url, "/api/", 5) == 0 ? CS_ENDPOINT_OTHER : CS_ENDPOINT_WEB;
}

/* How many results an answer holds, for the log. */
static long count_results(cs_endpoint_t e, const json_t *body)
{
    switch (e) {
    case CS_ENDPOINT_SEARCH: return (long)json_integer_value(json_object_get(body, "total"));
    case CS_ENDPOINT_SUGGEST: return (long)json_array_size(json_object_get(body, "suggestions"));
    case CS_ENDPOINT_SIMILAR: return (long)json_array_size(json_object_get(body, "similar"));
    case CS_ENDPOINT_SESSION: return 1;
    default: return -1;
    }
}

static void remember_query(cs_server_t *srv, request_t *req, const cs_search_request_t *r)
{
    if (srv->config.query_log && r->q.value && !req->query)
        req->query = strndup(r->q.value, r->q.len < 512 ? r->q.len : 512);
}

static enum MHD_Result serve_api(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                 const char *url)
{
    cs_searcher_t *s = thread_searcher(srv);
    if (!s)
        return send_error(srv, c, req, 500, "internal_error", "cannot set up a searcher");
    cs_params_t p;
    int status = 200;
    json_t *body;
    XXH3_state_t key;
    XXH3_64bits_reset(&key);
    key_field(&key, url, strlen(url));
    bool cacheable = true;
    if (req->endpoint == CS_ENDPOINT_SEARCH) {
        if (!read_params(c, &p, true))
            return send_error(srv, c, req, 400, "bad_request", cs_params_error(&p));
        remember_query(srv, req, &p.request);
        key_request(&key, &p.request, true);
        body = cs_search(s, &p.request, &status);
    } else if (req->endpoint == CS_ENDPOINT_SUGGEST) {
        if (!read_params(c, &p, false))
            return send_error(srv, c, req, 400, "bad_request", cs_params_error(&p));
        remember_query(srv, req, &p.request);
        key_request(&key, &p.request, false);
        body = cs_search_suggest(s, p.request.q.value ? p.request.q.value : "", p.request.q.len,
                                 &status);
    } else if (req->endpoint == CS_ENDPOINT_SESSION || req->endpoint == CS_ENDPOINT_SIMILAR) {
        const char *id = url + 14;
        size_t len = strlen(id);
        if (req->endpoint == CS_ENDPOINT_SIMILAR) {
            body = cs_search_similar(s, id, len - 8, &status);
        } else {
            /* ?q= marks the query's words in the talk (docs/api.md). */
            if (!read_params(c, &p, false))
                return send_error(srv, c, req, 400, "bad_request", cs_params_error(&p));
            key_request(&key, &p.request, false);
            body =
                cs_search_session_marked(s, id, len, p.request.q.value, p.request.q.len, &status);
        }
    } else if (req->endpoint == CS_ENDPOINT_HEALTHZ) {
        /* A monitor must see the daemon's state now, never a cached one. */
        cacheable = false;
        body = cs_search_health(s, &status);
    } else {
        return send_error(srv, c, req, 404, "not_found", "no such endpoint");
    }
    if (status == 200)
        req->results = count_results(req->endpoint, body);
    char etag[64];
    bool tagged = cacheable && status == 200 && answer_etag(s, &key, etag, sizeof etag);
    return send_json_tagged(srv, c, req, status, body, tagged ? etag : NULL);
}

static enum MHD_Result serve_web(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                 const char *url)
{
    const cs_webfile_t *w = cs_webfiles_find(srv->web, url);
    const char *body = w ? w->body : NULL, *type = w ? w->type : NULL;
    size_t len = w ? w->len : 0;
    if (!w && strcmp(url, "/") == 0) {
        body = placeholder_page;
        len = sizeof placeholder_page - 1;
        type = "text/html; charset=utf-8";
    }
    if (!body)
        return send_error(srv, c, req, 404, "not_found", "no such page");
    /* The page itself is revalidated on every load, so that a new release
     * shows at once; the files it names may be kept an hour.  Either way a
     * client with the current copy gets a 304. */
    bool page = type && strncmp(type, "text/html", 9) == 0;
    const char *cache_control = page ? "no-cache" : "public, max-age=3600";
    bool cors = w && strcmp(w->name, "widget.js") == 0;
    if (w && etag_matches(c, w->etag))
        return send_not_modified(srv, c, req, w->etag, cache_control, cors);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    req->bytes = len;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", cache_control);
    if (w)
        MHD_add_response_header(r, "ETag", w->etag);
    /* The page's own policy, as a header so that it also forbids framing
     * (which a <meta> policy cannot). */
    if (page) {
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self'; connect-src 'self'; object-src 'none'; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    }
    /* The embeddable box's script is fetched by other sites' pages. */
    if (cors)
        add_cors(srv, c, r);
    return send_response(c, req, 200, r);
}

static enum MHD_Result send_method_not_allowed(cs_server_t *srv, struct MHD_Connection *c,
                                               request_t *req)
{
    char *text = strdup("{\"error\":{\"code\":\"method_not_allowed\",\"message\":"
                        "\"only GET, HEAD and OPTIONS are served\"}}");
    struct MHD_Response *r =
        text ? MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE) : NULL;
    if (!r) {
        free(text);
        return MHD_NO;
    }
    req->bytes = strlen(text);
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
    add_cors(srv, c, r);
    return send_response(c, req, 405, r);
}

static int method_served(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
           strcmp(method, "OPTIONS") == 0;
}

static enum MHD_Result answer_request(cs_server_t *srv, struct MHD_Connection *c, const char *url,
                                      const char *method, size_t *upload_size, void **con_cls)
{
    request_t *req = *con_cls;
    if (!req) {
        /* First call: only the headers are in.  Keep state for the log. */
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &req->start);
        snprintf(req->method, sizeof req->method, "%s", method);
        req->path = strdup(url);
        req->endpoint = endpoint_of(url);
        req->results = -1;
        snprintf(
            req->id, sizeof req->id, "%08x-%llu", srv->id_prefix,
            (unsigned long long)atomic_fetch_add_explicit(&srv->id_seq, 1, memory_order_relaxed));
        *con_cls = req;
        /* Refuse at once: waiting for the body of a method we never serve
         * would let a client hold a connection with an endless upload. */
        if (!method_served(method))
            return send_method_not_allowed(srv, c, req);
        return MHD_YES;
    }
    if (*upload_size) {
        /* We serve no method with a body: drop it, answer 405 below. */
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "OPTIONS") == 0) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        add_cors(srv, c, r);
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers", "Content-Type");
        MHD_add_response_header(r, "Access-Control-Max-Age", "600");
        MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
        return send_response(c, req, 204, r);
    }
    if (!method_served(method))
        return send_method_not_allowed(srv, c, req);
    if (!cs_utf8_valid(url, strlen(url)))
        return send_error(srv, c, req, 400, "bad_request", "the path is not valid UTF-8");
    if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0)
        return serve_api(srv, c, req, url);
    return serve_web(srv, c, req, url);
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    cs_metrics_busy(1);
    enum MHD_Result ret = answer_request(cls, c, url, method, upload_size, con_cls);
    cs_metrics_busy(-1);
    return ret;
}

/* True for what must not reach the log as itself: C0 controls, space
 * (it separates the fields), a backslash (it starts an escape), DEL, C1 controls
 * (U+0085 and U+009B included) and the bidi controls (U+200E/F, U+202A to
 * U+202E, U+2066 to U+2069), which reorder what a reader of the log sees. */
static bool log_must_escape(UChar32 c)
{
    return c <= 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || c == 0x200e || c == 0x200f ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Copies in for the access log, the one escaper for everything a request
 * puts there (method, path): ASCII controls, space, '\\' and bytes that are
 * not UTF-8 as \xNN, other controls as \u{NNNN}, so a request can neither
 * forge log lines nor send terminal escapes.  Cut to fit cap. */
static void log_escape(const char *in, char *out, size_t cap)
{
    const uint8_t *s = (const uint8_t *)in;
    int32_t len = (int32_t)strnlen(in, 64 * 1024);
    size_t o = 0;
    /* The longest output of one character is "\u{NNNN}" or four "\xNN". */
    for (int32_t i = 0; i < len && o + 17 < cap;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0)
            for (int32_t k = start; k < i; k++)
                o += (size_t)snprintf(out + o, cap - o, "\\x%02X", s[k]);
        else if (c < 0x80 && log_must_escape(c))
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", (unsigned)c);
        else if (log_must_escape(c))
            o += (size_t)snprintf(out + o, cap - o, "\\u{%04X}", (unsigned)c);
        else
            for (int32_t k = start; k < i; k++)
                out[o++] = (char)s[k];
    }
    out[o] = '\0';
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    cs_server_t *srv = cls;
    request_t *req = *con_cls;
    if (!req)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - req->start.tv_sec) * 1e3 +
                (double)(now.tv_nsec - req->start.tv_nsec) / 1e6;
    cs_metrics_request(req->endpoint, req->status, ms / 1e3);
    if (srv->config.access_log) {
        char addr[INET6_ADDRSTRLEN] = "-";
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (info && info->client_addr && info->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)info->client_addr)->sin_addr, addr,
                      sizeof addr);
        char method[64], path[512], query[2100];
        log_escape(req->method, method, sizeof method);
        log_escape(req->path ? req->path : "-", path, sizeof path);
        log_escape(req->query ? req->query : "", query, sizeof query);
        bool aborted = toe != MHD_REQUEST_TERMINATED_COMPLETED_OK;
        if (srv->config.log_format == CS_LOG_JSON) {
            /* Method and path escaped as for the text form: what was not
             * UTF-8 could not be a JSON string.  ASCII output writes every
             * control and bidi control as \uNNNN. */
            json_t *line =
                json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:b}", "id", req->id, "remote", addr,
                          "method", method, "path", path, "status", req->status, "bytes",
                          (json_int_t)req->bytes, "ms", ms, "aborted", aborted);
            if (line && req->results >= 0)
                json_object_set_new(line, "results", json_integer(req->results));
            /* q passed params.c's UTF-8 check: JSON escaping suffices. */
            if (line && req->query)
                json_object_set_new(line, "q", json_string(req->query));
            char *text = line ? json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
            if (text)
                fprintf(stderr, "%s\n", text);
            free(text);
            json_decref(line);
        } else {
            char results[24] = "-";
            if (req->results >= 0)
                snprintf(results, sizeof results, "%ld", req->results);
            /* One fprintf per line keeps lines whole across worker threads. */
            fprintf(stderr, "%s %s %s %d %zu %.2fms id=%s results=%s%s%s%s\n", addr, method, path,
                    req->status, req->bytes, ms, req->id, results, req->query ? " q=" : "",
                    req->query ? query : "", aborted ? " (aborted)" : "");
        }
    }
    free(req->query);
    free(req->path);
    free(req);
    *con_cls = NULL;
}

/* ---- /metrics ---------------------------------------------------------------- */

/* The metrics address serves GET /metrics and nothing else: no search, no
 * web files, so that what it exposes is never reachable by accident. */
static enum MHD_Result handle_metrics(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    cs_server_t *srv = cls;
    if (!*con_cls) {
        *con_cls = srv; /* any non-NULL: the headers are in */
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    int status = 200;
    char *text = NULL;
    size_t len = 0;
    const char *type = "text/plain; version=0.0.4; charset=utf-8";
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        status = 405;
        text = strdup("only GET and HEAD are served\n");
    } else if (strcmp(url, "/metrics") != 0) {
        status = 404;
        text = strdup("only /metrics is served here\n");
    } else {
        cs_metrics_index_t index = {.threads = srv->config.threads};
        cs_searcher_t *s = thread_searcher(srv);
        int hs = 503;
        json_t *health = s ? cs_search_health(s, &hs) : NULL;
        if (hs == 200) {
            index.available = true;
            index.revision = (uint64_t)json_integer_value(json_object_get(health, "revision"));
            index.documents = (uint64_t)json_integer_value(json_object_get(health, "documents"));
        }
        json_decref(health);
        text = cs_metrics_render(&index, &len);
    }
    if (!text)
        return MHD_NO;
    if (status != 200) {
        type = "text/plain; charset=utf-8";
        len = strlen(text);
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static bool ipv4_address(const char *host, uint16_t port, struct sockaddr_in *addr)
{
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons(port);
    return inet_pton(AF_INET, host, &addr->sin_addr) == 1;
}

static void free_server(cs_server_t *srv)
{
    cs_webfiles_free(srv->web);
    cs_search_shared_destroy(srv->shared);
    for (size_t i = 0; i < srv->config.n_cors_origins; i++)
        free(srv->origins[i]);
    free(srv->db_path);
    free(srv);
}

cs_status_t cs_server_start(const cs_server_config_t *config, cs_server_t **out, char **errmsg)
{
    if (!config || !out || !config->db_path || !config->host)
        return CS_ERR_NULL_ARG;
    cs_server_t *srv = calloc(1, sizeof *srv);
    if (!srv)
        return CS_ERR_NO_MEMORY;
    srv->config = *config;
    srv->db_path = strdup(config->db_path);
    srv->config.db_path = srv->db_path;
    for (size_t i = 0; i < config->n_cors_origins && i < CS_SERVER_MAX_ORIGINS; i++)
        srv->origins[i] = strdup(config->cors_origins[i]);
    srv->config.web_dir = NULL; /* borrowed; not needed after loading */
    if (cs_webfiles_load(config->web_dir, &srv->web) != CS_OK ||
        cs_search_shared_create(srv->db_path, &srv->shared) != CS_OK ||
        pthread_key_create(&srv->searcher_key, destroy_searcher) != 0) {
        free_server(srv);
        return CS_ERR_NO_MEMORY;
    }
    snprintf(srv->cache_control, sizeof srv->cache_control, "public, max-age=%u",
             config->cache_max_age);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    srv->id_prefix = (unsigned)(now.tv_sec ^ (now.tv_nsec << 8) ^ ((long)getpid() << 16));
    atomic_init(&srv->id_seq, 1);
    struct sockaddr_in addr, maddr;
    if (!ipv4_address(config->host, config->port, &addr) ||
        (config->metrics_host &&
         !ipv4_address(config->metrics_host, config->metrics_port, &maddr))) {
        if (errmsg)
            *errmsg = strdup("the listen and metrics addresses must be numeric IPv4 addresses");
        pthread_key_delete(srv->searcher_key);
        free_server(srv);
        return CS_ERR_IO;
    }
    srv->daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, config->port, NULL, NULL,
        handle_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        /* One thread is the daemon's own: MHD warns about a pool of one. */
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(config->threads > 1 ? config->threads : 0),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)15, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)1024, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)256,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        request_completed, srv, MHD_OPTION_END);
    if (srv->daemon && config->metrics_host) {
        /* Scrapes are rare and cheap: the daemon's own thread answers them. */
        srv->metrics = MHD_start_daemon(
            MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, config->metrics_port,
            NULL, NULL, handle_metrics, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&maddr,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)15, MHD_OPTION_CONNECTION_LIMIT,
            (unsigned int)64, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
            MHD_OPTION_END);
        if (!srv->metrics) {
            if (errmsg) {
                char msg[256];
                snprintf(msg, sizeof msg,
                         "cannot listen for metrics on %s:%u (in use, or not "
                         "permitted)",
                         config->metrics_host, (unsigned)config->metrics_port);
                *errmsg = strdup(msg);
            }
            MHD_stop_daemon(srv->daemon);
            pthread_key_delete(srv->searcher_key);
            free_server(srv);
            return CS_ERR_IO;
        }
    }
    if (!srv->daemon) {
        if (errmsg) {
            char msg[256];
            snprintf(msg, sizeof msg, "cannot listen on %s:%u (in use, or not permitted)",
                     config->host, (unsigned)config->port);
            *errmsg = strdup(msg);
        }
        pthread_key_delete(srv->searcher_key);
        free_server(srv);
        return CS_ERR_IO;
    }
    *out = srv;
    return CS_OK;
}

uint16_t cs_server_metrics_port(const cs_server_t *srv)
{
    const union MHD_DaemonInfo *info =
        srv && srv->metrics ? MHD_get_daemon_info(srv->metrics, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    return info ? info->port : 0;
}

uint16_t cs_server_port(const cs_server_t *srv)
{
    const union MHD_DaemonInfo *info =
        srv ? MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    return info ? info->port : 0;
}

void cs_server_stop(cs_server_t *srv)
{
    if (!srv)
        return;
    if (srv->metrics)
        MHD_stop_daemon(srv->metrics);
    MHD_quiesce_daemon(srv->daemon);
    /* Joins the worker threads, whose searchers are destroyed on exit. */
    MHD_stop_daemon(srv->daemon);
    pthread_key_delete(srv->searcher_key);
    free_server(srv);
}
