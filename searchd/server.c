/* server.c: libmicrohttpd request handling for searchd. */
#include "server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unicode/utf8.h>

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
    pthread_key_t searcher_key;
    cs_webfiles_t *web;
};

/* Per-request state, freed in the completion callback. */
typedef struct {
    struct timespec start;
    int status;
    size_t bytes;
    char method[8];
    char *path;
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
    if (status >= 400 && !MHD_get_response_header(r, "Cache-Control"))
        MHD_add_response_header(r, "Cache-Control", "no-store");
    req->status = status;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Sends body (consumed) as the JSON answer. */
static enum MHD_Result send_json(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                 int status, json_t *body)
{
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
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    add_cors(srv, c, r);
    return send_response(c, req, status, r);
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

static enum MHD_Result serve_api(cs_server_t *srv, struct MHD_Connection *c, request_t *req,
                                 const char *url)
{
    cs_searcher_t *s = thread_searcher(srv);
    if (!s)
        return send_error(srv, c, req, 500, "internal_error", "cannot set up a searcher");
    cs_params_t p;
    int status = 200;
    json_t *body;
    if (strcmp(url, "/api/search") == 0) {
        if (!read_params(c, &p, true))
            return send_error(srv, c, req, 400, "bad_request", cs_params_error(&p));
        body = cs_search(s, &p.request, &status);
    } else if (strcmp(url, "/api/suggest") == 0) {
        if (!read_params(c, &p, false))
            return send_error(srv, c, req, 400, "bad_request", cs_params_error(&p));
        body = cs_search_suggest(s, p.request.q.value ? p.request.q.value : "", p.request.q.len,
                                 &status);
    } else if (strncmp(url, "/api/sessions/", 14) == 0) {
        const char *id = url + 14;
        size_t len = strlen(id);
        static const char similar[] = "/similar";
        const size_t similar_len = sizeof similar - 1;
        if (len > similar_len && strcmp(id + len - similar_len, similar) == 0)
            body = cs_search_similar(s, id, len - similar_len, &status);
        else
            body = cs_search_session(s, id, len, &status);
    } else if (strcmp(url, "/healthz") == 0) {
        body = cs_search_health(s, &status);
    } else {
        return send_error(srv, c, req, 404, "not_found", "no such endpoint");
    }
    return send_json(srv, c, req, status, body);
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
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    req->bytes = len;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    /* The page's own policy, as a header so that it also forbids framing
     * (which a <meta> policy cannot). */
    if (type && strncmp(type, "text/html", 9) == 0) {
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self'; connect-src 'self'; object-src 'none'; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    }
    /* The embeddable box's script is fetched by other sites' pages. */
    if (w && strcmp(w->name, "widget.js") == 0)
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

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    cs_server_t *srv = cls;
    request_t *req = *con_cls;
    if (!req) {
        /* First call: only the headers are in.  Keep state for the log. */
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &req->start);
        snprintf(req->method, sizeof req->method, "%s", method);
        req->path = strdup(url);
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
    if (srv->config.access_log) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double ms = (double)(now.tv_sec - req->start.tv_sec) * 1e3 +
                    (double)(now.tv_nsec - req->start.tv_nsec) / 1e6;
        char addr[INET6_ADDRSTRLEN] = "-";
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (info && info->client_addr && info->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)info->client_addr)->sin_addr, addr,
                      sizeof addr);
        /* One fprintf per line keeps lines whole across worker threads. */
        char method[64], path[512];
        log_escape(req->method, method, sizeof method);
        log_escape(req->path ? req->path : "-", path, sizeof path);
        fprintf(stderr, "%s %s %s %d %zu %.2fms%s\n", addr, method, path, req->status,
                req->bytes, ms,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    }
    free(req->path);
    free(req);
    *con_cls = NULL;
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
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(config->port);
    if (inet_pton(AF_INET, config->host, &addr.sin_addr) != 1) {
        if (errmsg)
            *errmsg = strdup("the listen address must be a numeric IPv4 address");
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
    MHD_quiesce_daemon(srv->daemon);
    /* Joins the worker threads, whose searchers are destroyed on exit. */
    MHD_stop_daemon(srv->daemon);
    pthread_key_delete(srv->searcher_key);
    free_server(srv);
}
