/* schema.c: session ids, sort keys, source-file terms and the stored JSON
 * form of a session: the parts of the index layout that are computed. */
#include "schema.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* Stable short names for over-long paths, titles and non-ASCII rooms in
 * ids and terms (not for security). */
static unsigned long long fnv1a(const char *s)
{
    return cs_hash_bytes(s, strlen(s));
}

/* Appends src to buf as [A-Za-z0-9-] ("PyCon APAC 2015" -> "pycon-apac-2015"
 * when lower is set), squeezing every other run of bytes into one '-'. */
static size_t slug_append(char *buf, size_t at, size_t cap, const char *src, int lower)
{
    int pending_dash = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p && at + 2 < cap; p++) {
        if (isalnum(*p) && *p < 0x80) {
            if (pending_dash && at > 0 && buf[at - 1] != '_')
                buf[at++] = '-';
            pending_dash = 0;
            buf[at++] = lower ? (char)tolower(*p) : (char)*p;
        } else {
            pending_dash = 1;
        }
    }
    buf[at] = '\0';
    return at;
}

static const char *path_stem(const char *path, char *buf, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(buf, cap, "%s", base);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    return buf;
}

void cs_schema_session_id(const cs_session_t *s, char buf[CS_MAX_ID_BYTES])
{
    char stem[128];
    size_t at = 0;
    const char *origin = s->conference;
    if (!origin || !*origin)
        origin = path_stem(s->source ? s->source : "notes", stem, sizeof stem);
    /* Keep the origin short so date, time and room always fit. */
    at = slug_append(buf, 0, 64, origin, 1);
    if (at == 0)
        at = (size_t)snprintf(buf, CS_MAX_ID_BYTES, "notes");
    if (s->whole_file) {
        /* The file names the document; the conference only when there is one. */
        if (s->conference && *s->conference) {
            char fstem[128];
            path_stem(s->source ? s->source : "notes", fstem, sizeof fstem);
            buf[at++] = '_';
            at = slug_append(buf, at, CS_MAX_ID_BYTES - 8, fstem, 1);
        }
        snprintf(buf + at, CS_MAX_ID_BYTES - at, "_file");
        return;
    }
    if (!s->time[0] || !s->room) {
        /* No whole slot: the title names the talk, so editing the pad
         * around it keeps its id.  A title with no ASCII letters is
         * named by a hash of it. */
        buf[at++] = '_';
        size_t before = at;
        at = slug_append(buf, at, CS_MAX_ID_BYTES - 24, s->title ? s->title : "", 1);
        if (at == before || (at - before) * 2 < strlen(s->title ? s->title : ""))
            at += (size_t)snprintf(buf + at, CS_MAX_ID_BYTES - at, "%s%08llx",
                                   at == before ? "" : "-",
                                   fnv1a(s->title ? s->title : "") & 0xffffffffULL);
        return;
    }
    if (s->date[0])
        at += (size_t)snprintf(buf + at, CS_MAX_ID_BYTES - at, "_%s", s->date);
    else if (s->day > 0)
        at += (size_t)snprintf(buf + at, CS_MAX_ID_BYTES - at, "_day%d", s->day);
    if (s->time[0] && at + 6 < CS_MAX_ID_BYTES) {
        buf[at++] = '_';
        buf[at++] = s->time[0];
        buf[at++] = s->time[1];
        buf[at++] = s->time[3];
        buf[at++] = s->time[4];
        buf[at] = '\0';
    }
    if (s->room && at + 2 < CS_MAX_ID_BYTES) {
        buf[at++] = '_';
        size_t end = slug_append(buf, at, CS_MAX_ID_BYTES, s->room, 0);
        /* "演講廳" and "視聽教室" have no ASCII to slug: a hash of the name
         * keeps two such rooms at one time apart. */
        if (end == at && at + 9 < CS_MAX_ID_BYTES)
            snprintf(buf + at, CS_MAX_ID_BYTES - at, "%08llx", fnv1a(s->room) & 0xffffffffULL);
    }
}

char *cs_schema_order_key(const cs_session_t *s)
{
    char *key = NULL;
    /* Dates sort as text; a day number is zero-padded so day 10 follows day 9. */
    char when[16];
    if (s->date[0])
        snprintf(when, sizeof when, "%s", s->date);
    else
        snprintf(when, sizeof when, "day%04d", s->day > 0 ? s->day : 0);
    size_t n = strlen(when) + sizeof s->time + (s->room ? strlen(s->room) : 0) + 4;
    key = malloc(n);
    if (key)
        snprintf(key, n, "%s|%s|%s", when, s->time, s->room ? s->room : "");
    return key;
}

int cs_schema_claim_compare(const cs_claim_t *a, const cs_claim_t *b)
{
    if (a->programme != b->programme)
        return a->programme ? -1 : 1;
    int c = strcmp(a->source_key, b->source_key);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    c = memcmp(a->data, b->data, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

char *cs_schema_source_term(const char *path)
{
    char resolved[PATH_MAX];
    const char *key = realpath(path, resolved) ? resolved : path;
    size_t n = strlen(CS_PREFIX_SOURCE) + strlen(key) + 1;
    char *term;
    if (n <= 200) {
        term = malloc(n);
        if (term) {
            memcpy(term, CS_PREFIX_SOURCE, strlen(CS_PREFIX_SOURCE));
            memcpy(term + strlen(CS_PREFIX_SOURCE), key, strlen(key) + 1);
        }
    } else {
        term = malloc(64);
        if (term)
            snprintf(term, 64, "%s#%016llx", CS_PREFIX_SOURCE, fnv1a(key));
    }
    return term;
}

/* Only the file's name is stored for display: the index is served to the
 * world, and the full path would tell it how the server is laid out. */
static const char *source_name(const char *path)
{
    if (!path)
        return NULL;
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *cs_schema_session_to_json(const cs_session_t *s)
{
    json_t *speakers = json_array();
    for (size_t i = 0; speakers && i < s->n_speakers; i++)
        json_array_append_new(speakers, json_string(s->speakers[i]));
    json_t *obj =
        json_pack("{s:s?, s:s?, s:i, s:s, s:s, s:s?, s:s, s:s?, s:o, s:s%, s:s?, s:i, s:b}", "id",
                  s->id, "conference", s->conference, "day", s->day, "date", s->date, "time",
                  s->time, "room", s->room, "title", s->title ? s->title : "", "speaker",
                  s->speaker, "speakers", speakers ? speakers : json_array(), "body",
                  s->body ? s->body : "", s->body ? s->body_len : 0, "source",
                  source_name(s->source), "line", (int)s->line, "whole_file", s->whole_file);
    if (!obj)
        return NULL;
    /* Fields that only some formats give are left out when empty, so a
     * seed pad's talk stores what it always did. */
    if ((s->end_time[0] && json_object_set_new(obj, "end_time", json_string(s->end_time))) ||
        (s->link && json_object_set_new(obj, "link", json_string(s->link))) ||
        (s->text && json_object_set_new(obj, "text", json_stringn(s->text, s->text_len))) ||
        (s->track && json_object_set_new(obj, "track", json_string(s->track))) ||
        (s->language && json_object_set_new(obj, "language", json_string(s->language))) ||
        (s->abstract && json_object_set_new(obj, "abstract", json_string(s->abstract))) ||
        (s->description && json_object_set_new(obj, "description", json_string(s->description))) ||
        (s->url && json_object_set_new(obj, "url", json_string(s->url))) ||
        (s->programme && json_object_set_new(obj, "programme", json_true()))) {
        json_decref(obj);
        return NULL;
    }
    char *out = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    return out;
}

static char *dup_or_null(json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

cs_status_t cs_schema_session_from_json(const char *json, size_t len, cs_session_t *s)
{
    if (!json || !s)
        return CS_ERR_NULL_ARG;
    memset(s, 0, sizeof *s);
    json_error_t err;
    json_t *obj = json_loadb(json, len, 0, &err);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return CS_ERR_FORMAT;
    }
    json_t *title = json_object_get(obj, "title"), *body = json_object_get(obj, "body");
    if (!json_is_string(title) || !json_is_string(body)) {
        json_decref(obj);
        return CS_ERR_FORMAT;
    }
    s->id = dup_or_null(json_object_get(obj, "id"));
    s->conference = dup_or_null(json_object_get(obj, "conference"));
    s->day = (int)json_integer_value(json_object_get(obj, "day"));
    const char *date = json_string_value(json_object_get(obj, "date"));
    const char *time = json_string_value(json_object_get(obj, "time"));
    snprintf(s->date, sizeof s->date, "%s", date ? date : "");
    snprintf(s->time, sizeof s->time, "%s", time ? time : "");
    s->room = dup_or_null(json_object_get(obj, "room"));
    s->title = strdup(json_string_value(title));
    s->speaker = dup_or_null(json_object_get(obj, "speaker"));
    json_t *spk = json_object_get(obj, "speakers");
    size_t i;
    json_t *v;
    json_array_foreach(spk, i, v)
    {
        if (s->n_speakers < CS_MAX_SPEAKERS && json_is_string(v))
            s->speakers[s->n_speakers++] = strdup(json_string_value(v));
    }
    s->body_len = json_string_length(body);
    s->body = malloc(s->body_len + 1);
    if (s->body) {
        memcpy(s->body, json_string_value(body), s->body_len);
        s->body[s->body_len] = '\0';
    }
    const char *end_time = json_string_value(json_object_get(obj, "end_time"));
    snprintf(s->end_time, sizeof s->end_time, "%s", end_time ? end_time : "");
    s->link = dup_or_null(json_object_get(obj, "link"));
    s->track = dup_or_null(json_object_get(obj, "track"));
    s->language = dup_or_null(json_object_get(obj, "language"));
    s->abstract = dup_or_null(json_object_get(obj, "abstract"));
    s->description = dup_or_null(json_object_get(obj, "description"));
    s->url = dup_or_null(json_object_get(obj, "url"));
    json_t *text = json_object_get(obj, "text");
    if (json_is_string(text)) {
        s->text_len = json_string_length(text);
        s->text = malloc(s->text_len + 1);
        if (!s->text) {
            json_decref(obj);
            cs_session_clear(s);
            return CS_ERR_NO_MEMORY;
        }
        memcpy(s->text, json_string_value(text), s->text_len);
        s->text[s->text_len] = '\0';
    }
    s->source = dup_or_null(json_object_get(obj, "source"));
    s->line = (unsigned)json_integer_value(json_object_get(obj, "line"));
    s->whole_file = json_is_true(json_object_get(obj, "whole_file"));
    s->programme = json_is_true(json_object_get(obj, "programme"));
    json_decref(obj);
    if (!s->title || !s->body) {
        cs_session_clear(s);
        return CS_ERR_NO_MEMORY;
    }
    return CS_OK;
}
