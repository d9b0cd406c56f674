/* source_record.c: the metadata value describing an indexed source file. */
#include "source_record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "schema.h"

#define HASH_FIELD "xxh3-128 "
#define SIZE_FIELD "size "
#define BUILD_FIELD "build "
#define NAME_FIELD "name "
#define TALK_FIELD "talk "

typedef cs_source_record_text_t out_t;

__attribute__((format(printf, 2, 3))) static void out_printf(out_t *o, const char *fmt, ...)
{
    if (o->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->text + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = 1;
            return;
        }
        if ((size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = (o->cap + (size_t)n + 1) * 2;
        char *grown = realloc(o->text, cap);
        if (!grown) {
            o->failed = 1;
            return;
        }
        o->text = grown;
        o->cap = cap;
    }
}

uint64_t cs_source_record_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *name = slash ? slash + 1 : path ? path : "";
    return XXH3_64bits(name, strlen(name));
}

bool cs_source_record_start(cs_source_record_text_t *t, const cs_notes_digest_t *digest,
                            const char *build, const char *path)
{
    *t = (cs_source_record_text_t){0};
    if (!digest || !build || !path || !(t->text = malloc(256))) {
        t->failed = true;
        return false;
    }
    t->cap = 256;
    char hex[2 * sizeof digest->hash + 1];
    for (size_t i = 0; i < sizeof digest->hash; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest->hash[i]);
    out_printf(t,
               HASH_FIELD "%s\n" SIZE_FIELD "%" PRIu64 "\n" BUILD_FIELD "%s\n" NAME_FIELD
                          "%016" PRIx64 "\n",
               hex, digest->size, build, cs_source_record_name(path));
    return !t->failed;
}

bool cs_source_record_add_talk(cs_source_record_text_t *t, const char *id, const char *base)
{
    if (strcmp(base, id) == 0)
        out_printf(t, TALK_FIELD "%s\n", id);
    else
        out_printf(t, TALK_FIELD "%s %s\n", id, base);
    return !t->failed;
}

char *cs_source_record_finish(cs_source_record_text_t *t)
{
    char *value = t->failed ? NULL : t->text;
    if (!value)
        free(t->text);
    else if (t->cap > 4096 && t->len + 1 < t->cap) {
        /* A file of many talks: its record is kept until the commit. */
        char *fit = realloc(value, t->len + 1);
        value = fit ? fit : value;
    }
    *t = (cs_source_record_text_t){0};
    return value;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The next line of *at (cut at its newline), or NULL at the end. */
static char *next_line(char **at)
{
    if (!**at)
        return NULL;
    char *line = *at, *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *at = nl + 1;
    } else {
        *at = line + strlen(line);
    }
    return line;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static cs_status_t parse_header(char **at, cs_source_record_t *rec)
{
    char *line = next_line(at);
    if (!line || !starts_with(line, HASH_FIELD) ||
        strlen(line + strlen(HASH_FIELD)) != 2 * sizeof rec->digest.hash)
        return CS_ERR_FORMAT;
    const char *hex = line + strlen(HASH_FIELD);
    for (size_t i = 0; i < sizeof rec->digest.hash; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return CS_ERR_FORMAT;
        rec->digest.hash[i] = (unsigned char)(hi * 16 + lo);
    }
    line = next_line(at);
    if (!line || !starts_with(line, SIZE_FIELD))
        return CS_ERR_FORMAT;
    const char *digits = line + strlen(SIZE_FIELD);
    char *end = NULL;
    if (*digits < '0' || *digits > '9')
        return CS_ERR_FORMAT;
    errno = 0;
    rec->digest.size = strtoull(digits, &end, 10);
    if (*end || errno == ERANGE)
        return CS_ERR_FORMAT;
    line = next_line(at);
    if (!line || !starts_with(line, BUILD_FIELD) || !line[strlen(BUILD_FIELD)])
        return CS_ERR_FORMAT;
    rec->build = line + strlen(BUILD_FIELD);
    line = next_line(at);
    if (!line || !starts_with(line, NAME_FIELD) || strlen(line + strlen(NAME_FIELD)) != 16)
        return CS_ERR_FORMAT;
    uint64_t name = 0;
    for (const char *h = line + strlen(NAME_FIELD); *h; h++) {
        int v = hex_value(*h);
        if (v < 0)
            return CS_ERR_FORMAT;
        name = name << 4 | (uint64_t)v;
    }
    rec->name = name;
    return CS_OK;
}

cs_status_t cs_source_record_parse(const char *value, size_t len, cs_source_record_t *rec)
{
    if (!value || !rec)
        return CS_ERR_NULL_ARG;
    memset(rec, 0, sizeof *rec);
    if (memchr(value, '\0', len))
        return CS_ERR_FORMAT;
    if (!(rec->text = malloc(len + 1)))
        return CS_ERR_NO_MEMORY;
    memcpy(rec->text, value, len);
    rec->text[len] = '\0';
    /* Every talk line ends in a newline: counting them bounds the arrays. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += value[i] == '\n';
    char *at = rec->text;
    cs_status_t st = parse_header(&at, rec);
    if (st == CS_OK && (!(rec->ids = calloc(lines + 1, sizeof *rec->ids)) ||
                        !(rec->bases = calloc(lines + 1, sizeof *rec->bases))))
        st = CS_ERR_NO_MEMORY;
    char *line;
    while (st == CS_OK && (line = next_line(&at))) {
        if (!starts_with(line, TALK_FIELD) || rec->n_talks == lines) {
            st = CS_ERR_FORMAT;
            break;
        }
        char *id = line + strlen(TALK_FIELD), *space = strchr(id, ' ');
        const char *base = id;
        if (space) {
            *space = '\0';
            base = space + 1;
        }
        if (!*id || !*base || strchr(base, ' ')) {
            st = CS_ERR_FORMAT;
            break;
        }
        rec->ids[rec->n_talks] = id;
        rec->bases[rec->n_talks++] = base;
    }
    if (st != CS_OK)
        cs_source_record_clear(rec);
    return st;
}

void cs_source_record_clear(cs_source_record_t *rec)
{
    if (!rec)
        return;
    free(rec->ids);
    free(rec->bases);
    free(rec->text);
    memset(rec, 0, sizeof *rec);
}
