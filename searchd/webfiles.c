/* webfiles.c: load the web UI's files at start-up, look them up by URL. */
#include "webfiles.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

struct cs_webfiles {
    cs_webfile_t files[CS_WEBFILES_MAX];
    size_t n;
};

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(name + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return NULL;
}

static int plain_name(const char *name)
{
    if (!*name || *name == '.')
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
           strlen(name);
}

/* Reads a regular file (not through a link) of at most the size limit. */
static char *read_regular(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat sb;
    char *body = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size <= CS_WEBFILE_MAX_BYTES) {
        body = malloc((size_t)sb.st_size + 1);
        size_t got = 0;
        while (body && got < (size_t)sb.st_size) {
            ssize_t n = read(fd, body + got, (size_t)sb.st_size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (body && got == (size_t)sb.st_size) {
            body[got] = '\0';
            *len = got;
        } else {
            free(body);
            body = NULL;
        }
    }
    close(fd);
    return body;
}

cs_status_t cs_webfiles_load(const char *dir, cs_webfiles_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    cs_webfiles_t *files = calloc(1, sizeof *files);
    if (!files)
        return CS_ERR_NO_MEMORY;
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) && files->n < CS_WEBFILES_MAX) {
        const char *type = type_of(e->d_name);
        if (!type || !plain_name(e->d_name))
            continue;
        cs_webfile_t *f = &files->files[files->n];
        f->body = read_regular(dir, e->d_name, &f->len);
        if (!f->body)
            continue;
        f->name = strdup(e->d_name);
        f->type = type;
        snprintf(f->etag, sizeof f->etag, "\"%016llx\"",
                 (unsigned long long)XXH3_64bits(f->body, f->len));
        if (!f->name) {
            free(f->body);
            break;
        }
        files->n++;
    }
    if (d)
        closedir(d);
    *out = files;
    return CS_OK;
}

void cs_webfiles_free(cs_webfiles_t *files)
{
    if (!files)
        return;
    for (size_t i = 0; i < files->n; i++) {
        free(files->files[i].name);
        free(files->files[i].body);
    }
    free(files);
}

const cs_webfile_t *cs_webfiles_find(const cs_webfiles_t *files, const char *url)
{
    if (!files || !url || url[0] != '/')
        return NULL;
    const char *name = strcmp(url, "/") == 0 ? "index.html" : url + 1;
    for (size_t i = 0; i < files->n; i++)
        if (strcmp(files->files[i].name, name) == 0)
            return &files->files[i];
    return NULL;
}
