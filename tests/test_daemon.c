/* test_daemon.c: run confsearchd for tests and speak HTTP to it with libcurl. */
#include "test_daemon.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

int cs_daemon_start(cs_daemon_t *d, const char *db, ...)
{
    memset(d, 0, sizeof *d);
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)CS_SEARCHD_BIN;
    argv[n++] = (char *)"--db";
    argv[n++] = (char *)db;
    argv[n++] = (char *)"--listen";
    argv[n++] = (char *)"127.0.0.1:0";
    argv[n++] = (char *)"--threads";
    argv[n++] = (char *)"2";
    va_list ap;
    va_start(ap, db);
    const char *arg;
    while ((arg = va_arg(ap, const char *)) && n < 31)
        argv[n++] = (char *)arg;
    va_end(ap);
    argv[n] = NULL;

    snprintf(d->stderr_path, sizeof d->stderr_path, "/tmp/cs-searchd-err-XXXXXX");
    int err_fd = mkstemp(d->stderr_path);
    int pipe_fds[2];
    if (err_fd < 0 || pipe(pipe_fds) != 0)
        return -1;
    fflush(NULL);
    d->pid = fork();
    if (d->pid < 0)
        return -1;
    if (d->pid == 0) {
        dup2(pipe_fds[1], 1);
        dup2(err_fd, 2);
        close(pipe_fds[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipe_fds[1]);
    close(err_fd);
    FILE *out = fdopen(pipe_fds[0], "r");
    char line[256] = "";
    int ok = out && fgets(line, sizeof line, out) &&
             sscanf(line, "confsearchd listening on http://127.0.0.1:%u/", &d->port) == 1;
    if (out)
        fclose(out); /* the daemon prints nothing more on stdout */
    return ok ? 0 : -1;
}

int cs_daemon_stop(cs_daemon_t *d)
{
    int status = 0;
    kill(d->pid, SIGTERM);
    waitpid(d->pid, &status, 0);
    char *err = cs_test_read_file(d->stderr_path, NULL);
    int sanitizer = err && (strstr(err, "AddressSanitizer") || strstr(err, "runtime error:") ||
                            strstr(err, "LeakSanitizer"));
    if (sanitizer)
        fprintf(stderr, "confsearchd stderr:\n%s\n", err);
    free(err);
    unlink(d->stderr_path);
    if (sanitizer)
        return 1000;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

typedef struct {
    char *data;
    size_t len;
} buffer_t;

static size_t append(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    buffer_t *b = userdata;
    size_t n = size * nmemb;
    char *grown = realloc(b->data, b->len + n + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, n);
    b->len += n;
    grown[b->len] = '\0';
    b->data = grown;
    return n;
}

int cs_http(const cs_daemon_t *d, const char *method, const char *path, const char *const *headers,
            cs_http_t *out)
{
    memset(out, 0, sizeof *out);
    CURL *curl = curl_easy_init();
    if (!curl)
        return -1;
    char url[8192];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", d->port, path);
    buffer_t body = {NULL, 0}, head = {NULL, 0};
    struct curl_slist *list = NULL;
    for (; headers && *headers; headers++)
        list = curl_slist_append(list, *headers);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    /* Send the path exactly as written: "/../" must reach the server. */
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (strcmp(method, "POST") == 0)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "q=twisted&x=1");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    out->body = body.data ? body.data : calloc(1, 1);
    out->len = body.len;
    out->headers = head.data ? head.data : calloc(1, 1);
    return rc == CURLE_OK ? 0 : -1;
}

void cs_http_free(cs_http_t *r)
{
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

json_t *cs_http_json(const cs_daemon_t *d, const char *path, long *status)
{
    cs_http_t r;
    if (cs_http(d, "GET", path, NULL, &r) != 0) {
        cs_http_free(&r);
        return NULL;
    }
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    cs_http_free(&r);
    return j;
}

char *cs_http_escape(const char *s)
{
    CURL *curl = curl_easy_init();
    char *e = curl_easy_escape(curl, s, (int)strlen(s));
    char *copy = e ? strdup(e) : NULL;
    curl_free(e);
    curl_easy_cleanup(curl);
    return copy;
}
