/* server.h: the HTTP side of searchd on libmicrohttpd: routing, parameter
 * checks, CORS, HTTP caching (ETag, Cache-Control, 304), the web UI's
 * fixed files, access log, and /metrics on its own address. */
#ifndef CS_SERVER_H
#define CS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define CS_SERVER_MAX_ORIGINS 16

/* The access log: CS_LOG_TEXT is "ADDR METHOD PATH STATUS BYTES TIMEms
 * id=ID results=N q=QUERY" (docs/deploy.md), CS_LOG_JSON one JSON object
 * per line with the same fields. */
typedef enum { CS_LOG_TEXT, CS_LOG_JSON } cs_log_format_t;

typedef struct {
    const char *db_path;
    const char *host;                                /* numeric IPv4 address to listen on */
    uint16_t port;                                   /* 0: any free port (see cs_server_port) */
    unsigned threads;                                /* worker threads, >= 1 */
    const char *cors_origins[CS_SERVER_MAX_ORIGINS]; /* none: "*" */
    size_t n_cors_origins;
    bool access_log; /* one line per request on stderr */
    cs_log_format_t log_format;
    bool query_log;           /* false: the log never holds a query or talk id */
    const char *web_dir;      /* where index.html, app.js... are read from at start */
    unsigned cache_max_age;   /* seconds a 200 API answer may be reused by caches */
    const char *metrics_host; /* NULL: no /metrics; else numeric IPv4 address */
    uint16_t metrics_port;    /* 0: any free port (see cs_server_metrics_port) */
} cs_server_config_t;

typedef struct cs_server cs_server_t;

/* Starts serving.  The configuration is copied.  *out is freed by
 * cs_server_stop.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_IO (cannot listen:
 * *errmsg says why, caller frees), CS_ERR_NO_MEMORY. */
cs_status_t cs_server_start(const cs_server_config_t *config, cs_server_t **out, char **errmsg);
/* The port actually listened on. */
uint16_t cs_server_port(const cs_server_t *server);
/* The port /metrics is served on; 0 when metrics are off. */
uint16_t cs_server_metrics_port(const cs_server_t *server);
/* Stops accepting, lets requests in flight finish, closes every index
 * handle, frees the server.  NULL is a no-op. */
void cs_server_stop(cs_server_t *server);

#endif /* CS_SERVER_H */
