/* test_daemon.h: starts the real confsearchd on a free loopback port for
 * end-to-end tests, talks to it with libcurl, and stops it. */
#ifndef CS_TEST_DAEMON_H
#define CS_TEST_DAEMON_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    unsigned port;
    char stderr_path[64];
} cs_daemon_t;

/* Starts CS_SEARCHD_BIN --db db --listen 127.0.0.1:0 plus extra arguments
 * (NULL-terminated) and waits until it says where it listens.  0 on success. */
int cs_daemon_start(cs_daemon_t *d, const char *db, ...);
/* SIGTERM, wait; returns the exit code (128 + signal if killed).  Fails the
 * test if the daemon's stderr holds a sanitizer report. */
int cs_daemon_stop(cs_daemon_t *d);

typedef struct {
    long status;
    char *body; /* caller frees (cs_http_free) */
    size_t len;
    char *headers; /* raw response headers */
} cs_http_t;

/* A request to the daemon; path is sent as is (already encoded). */
int cs_http(const cs_daemon_t *d, const char *method, const char *path, const char *const *headers,
            cs_http_t *out);
void cs_http_free(cs_http_t *r);
/* GET path and parse the JSON answer; *status gets the HTTP status. */
json_t *cs_http_json(const cs_daemon_t *d, const char *path, long *status);
/* URL-encodes s (caller frees). */
char *cs_http_escape(const char *s);

#endif /* CS_TEST_DAEMON_H */
