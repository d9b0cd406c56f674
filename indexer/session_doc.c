/* session_doc.c: session -> Xapian document, following schema.h. */
#include "session_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* Positions between fields jump by this much, so a phrase never matches
 * across the end of a title and the start of a body. */
#define FIELD_GAP 100

struct cs_doc_builder {
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    xc_database_t *spelling_db;
    char term[CS_MAX_TOKEN_BYTES + 64];
};

cs_status_t cs_doc_builder_create(xc_database_t *db, cs_doc_builder_t **out, char **errmsg)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    cs_doc_builder_t *b = calloc(1, sizeof *b);
    if (!b)
        return CS_ERR_NO_MEMORY;
    cs_status_t st = cs_analyzer_create(&b->analyzer, errmsg);
    if (st != CS_OK) {
        free(b);
        return st;
    }
    if (xc_stemmer_create("english", &b->stemmer, errmsg) != XC_OK) {
        cs_doc_builder_destroy(b);
        return CS_ERR_XAPIAN;
    }
    b->spelling_db = db;
    *out = b;
    return CS_OK;
}

void cs_doc_builder_destroy(cs_doc_builder_t *b)
{
    if (!b)
        return;
    cs_analyzer_destroy(b->analyzer);
    xc_stemmer_destroy(b->stemmer);
    free(b);
}

static size_t prefixed(cs_doc_builder_t *b, const char *prefix, const char *text, size_t len)
{
    size_t plen = strlen(prefix);
    memcpy(b->term, prefix, plen);
    memcpy(b->term + plen, text, len);
    b->term[plen + len] = '\0';
    return plen + len;
}

static int is_ascii_letter_word(const cs_token_t *t)
{
    unsigned char c = (unsigned char)t->text[0];
    return t->kind == CS_TOKEN_WORD && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/* Indexes one field's text from position *pos on; field_prefix (may be NULL)
 * also adds a positionless field term for each word. */
static cs_status_t index_field(cs_doc_builder_t *b, xc_document_t *doc, const char *text,
                               size_t len, uint32_t wdf, const char *field_prefix,
                               uint32_t *pos, int spell)
{
    const cs_token_t *tokens;
    size_t count;
    cs_status_t st = cs_analyze(b->analyzer, text, len, &tokens, &count);
    if (st != CS_OK)
        return st;
    uint32_t last = *pos;
    for (size_t i = 0; i < count; i++) {
        const cs_token_t *t = &tokens[i];
        uint32_t p = *pos + t->pos;
        if (p > last)
            last = p;
        xc_status_t xs;
        if (t->kind == CS_TOKEN_BIGRAM) {
            size_t n = prefixed(b, CS_PREFIX_BIGRAM, t->text, t->len);
            xs = xc_document_add_posting(doc, b->term, n, p, wdf);
        } else {
            xs = xc_document_add_posting(doc, t->text, t->len, p, wdf);
            if (xs == XC_OK && field_prefix) {
                size_t n = prefixed(b, field_prefix, t->text, t->len);
                xs = xc_document_add_term(doc, b->term, n, wdf);
            }
            if (xs == XC_OK && t->kind == CS_TOKEN_WORD) {
                char stem[CS_MAX_TOKEN_BYTES + 8];
                size_t slen;
                if (xc_stemmer_stem(b->stemmer, t->text, t->len, stem, sizeof stem, &slen) ==
                    XC_OK) {
                    size_t n = prefixed(b, CS_PREFIX_STEM, stem, slen);
                    xs = xc_document_add_term(doc, b->term, n, wdf);
                }
                if (xs == XC_OK && spell && b->spelling_db && is_ascii_letter_word(t) &&
                    t->len >= 3)
                    xs = xc_database_add_spelling(b->spelling_db, t->text, t->len, 1);
            }
        }
        if (xs == XC_ERR_NO_MEMORY)
            return CS_ERR_NO_MEMORY;
        if (xs != XC_OK)
            return CS_ERR_XAPIAN;
    }
    *pos = last + FIELD_GAP;
    return CS_OK;
}

static cs_status_t add_boolean(cs_doc_builder_t *b, xc_document_t *doc, const char *prefix,
                               const char *value, size_t len)
{
    if (len == 0 || len > CS_MAX_TOKEN_BYTES)
        return CS_OK; /* nothing to filter on, or a value too long to be a term */
    size_t n = prefixed(b, prefix, value, len);
    return xc_document_add_boolean_term(doc, b->term, n) == XC_OK ? CS_OK : CS_ERR_XAPIAN;
}

static cs_status_t add_folded_boolean(cs_doc_builder_t *b, xc_document_t *doc,
                                      const char *prefix, const char *value)
{
    char *folded = NULL;
    size_t flen = 0;
    cs_status_t st = cs_fold(b->analyzer, value, strlen(value), &folded, &flen);
    if (st == CS_OK)
        st = add_boolean(b, doc, prefix, folded, flen);
    free(folded);
    return st;
}

cs_status_t cs_doc_builder_json(cs_doc_builder_t *b, const cs_session_t *s, char **json)
{
    if (!b || !s || !json || !s->id)
        return CS_ERR_NULL_ARG;
    *json = cs_schema_session_to_json(s);
    return *json ? CS_OK : CS_ERR_NO_MEMORY;
}

static cs_status_t set_value(xc_document_t *doc, unsigned slot, const char *v)
{
    return xc_document_set_value(doc, slot, v, strlen(v)) == XC_OK ? CS_OK : CS_ERR_XAPIAN;
}

static cs_status_t add_values(xc_document_t *doc, const cs_session_t *s)
{
    char day[16] = "";
    if (s->day > 0)
        snprintf(day, sizeof day, "%d", s->day);
    /* Speakers are joined with a separator byte the match spy splits on,
     * since Xapian 1.4 keeps one value per slot. */
    size_t total = 1;
    for (size_t i = 0; i < s->n_speakers; i++)
        total += strlen(s->speakers[i]) + 1;
    char *speakers = malloc(total);
    if (!speakers)
        return CS_ERR_NO_MEMORY;
    size_t at = 0;
    for (size_t i = 0; i < s->n_speakers; i++) {
        if (i)
            speakers[at++] = CS_SPEAKER_SEP;
        size_t n = strlen(s->speakers[i]);
        memcpy(speakers + at, s->speakers[i], n);
        at += n;
    }
    speakers[at] = '\0';
    char *order = cs_schema_order_key(s);
    cs_status_t st = order ? CS_OK : CS_ERR_NO_MEMORY;
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_DAY, day);
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_ROOM, s->room ? s->room : "");
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_SPEAKERS, speakers);
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_ORDER, order);
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_DATE, s->date);
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_TIME, s->time);
    free(order);
    free(speakers);
    return st;
}

cs_status_t cs_doc_builder_build(cs_doc_builder_t *b, const cs_session_t *s, const char *json,
                                 xc_document_t **out)
{
    if (!b || !s || !json || !out || !s->id)
        return CS_ERR_NULL_ARG;
    xc_document_t *doc = NULL;
    if (xc_document_create(&doc) != XC_OK)
        return CS_ERR_NO_MEMORY;
    uint32_t pos = 0;
    cs_status_t st = add_boolean(b, doc, CS_PREFIX_ID, s->id, strlen(s->id));
    if (st == CS_OK && s->source) {
        char *src = cs_schema_source_term(s->source);
        st = src ? xc_document_add_boolean_term(doc, src, strlen(src)) == XC_OK ? CS_OK
                                                                             : CS_ERR_XAPIAN
                 : CS_ERR_NO_MEMORY;
        free(src);
    }
    if (st == CS_OK && s->day > 0) {
        char day[16];
        snprintf(day, sizeof day, "%d", s->day);
        st = add_boolean(b, doc, CS_PREFIX_DAY, day, strlen(day));
    }
    if (st == CS_OK && s->room)
        st = add_boolean(b, doc, CS_PREFIX_ROOM, s->room, strlen(s->room));
    if (st == CS_OK && s->date[0])
        st = add_boolean(b, doc, CS_PREFIX_DATE, s->date, strlen(s->date));
    if (st == CS_OK && s->conference)
        st = add_folded_boolean(b, doc, CS_PREFIX_CONF, s->conference);
    for (size_t i = 0; st == CS_OK && i < s->n_speakers; i++)
        st = add_folded_boolean(b, doc, CS_PREFIX_SPK, s->speakers[i]);

    if (st == CS_OK && s->title)
        st = index_field(b, doc, s->title, strlen(s->title), CS_WEIGHT_TITLE, CS_PREFIX_TITLE,
                         &pos, 1);
    for (size_t i = 0; st == CS_OK && i < s->n_speakers; i++)
        st = index_field(b, doc, s->speakers[i], strlen(s->speakers[i]), CS_WEIGHT_SPEAKER,
                         CS_PREFIX_SPEAKER, &pos, 0);
    if (st == CS_OK && s->body)
        st = index_field(b, doc, s->body, s->body_len, CS_WEIGHT_BODY, NULL, &pos, 1);
    if (st == CS_OK)
        st = add_values(doc, s);
    if (st == CS_OK && xc_document_set_data(doc, json, strlen(json)) != XC_OK)
        st = CS_ERR_XAPIAN;
    if (st != CS_OK) {
        xc_document_destroy(doc);
        return st;
    }
    *out = doc;
    return CS_OK;
}
