/* server.h: the HTTP side of searchd on libmicrohttpd: routing, parameter
 * checks, CORS, the web UI's fixed files, access log. */
#ifndef CS_SERVER_H
#define CS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define CS_SERVER_MAX_ORIGINS 16

typedef struct {
    const char *db_path;
    const char *host;       /* numeric IPv4 address to listen on */
    uint16_t port;          /* 0: any free port (see cs_server_port) */
    unsigned threads;       /* worker threads, >= 1 */
    const char *cors_origins[CS_SERVER_MAX_ORIGINS]; /* none: "*" */
    size_t n_cors_origins;
    bool access_log;        /* one line per request on stderr */
    const char *web_dir;    /* where index.html, app.js... are read from at start */
} cs_server_config_t;

typedef struct cs_server cs_server_t;

/* Starts serving.  The configuration is copied.  *out is freed by
 * cs_server_stop.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_IO (cannot listen:
 * *errmsg says why, caller frees), CS_ERR_NO_MEMORY. */
cs_status_t cs_server_start(const cs_server_config_t *config, cs_server_t **out, char **errmsg);
/* The port actually listened on. */
uint16_t cs_server_port(const cs_server_t *server);
/* Stops accepting, lets requests in flight finish, closes every index
 * handle, frees the server.  NULL is a no-op. */
void cs_server_stop(cs_server_t *server);

#endif /* CS_SERVER_H */
