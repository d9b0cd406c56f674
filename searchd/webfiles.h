/* webfiles.h: the web UI's files, read once at start-up from one directory
 * into memory.  A request can only name one of the files read (by "/" plus
 * its name); no URL is ever turned into a filesystem path. */
#ifndef CS_WEBFILES_H
#define CS_WEBFILES_H

#include <stddef.h>

#include "status.h"

#define CS_WEBFILES_MAX 64
#define CS_WEBFILE_MAX_BYTES (8u * 1024 * 1024)

typedef struct {
    char *name;       /* "app.js" */
    const char *type; /* "text/javascript; charset=utf-8" */
    char *body;
    size_t len;
    char etag[24]; /* "\"<16 hex digits>\"": a hash of body, quotes included */
} cs_webfile_t;

typedef struct cs_webfiles cs_webfiles_t;

/* Reads the regular files directly in dir whose names are plain
 * ([A-Za-z0-9._-], not starting with '.') and whose extension has a known
 * type (.html .js .mjs .css .svg .png .ico .json .txt .webmanifest); links and
 * subdirectories are ignored.  A missing dir gives an empty set.  *out is
 * caller-freed.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_webfiles_load(const char *dir, cs_webfiles_t **out);
void cs_webfiles_free(cs_webfiles_t *files);

/* The file for url ("/" means "/index.html"), or NULL.  Owned by files. */
const cs_webfile_t *cs_webfiles_find(const cs_webfiles_t *files, const char *url);

#endif /* CS_WEBFILES_H */
