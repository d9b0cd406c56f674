/* session_doc.c: session -> Xapian document, following schema.h. */
#include "session_doc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "notes_reader.h"
#include "schema.h"
#include "strmap.h"
#include "terms.h"

/* Positions between fields jump by this much, so a phrase never matches
 * across the end of a title and the start of a body. */
#define FIELD_GAP 100

/* Spelling words are counted here and handed to Xapian once per distinct
 * word: one add_spelling per occurrence is a string map lookup inside
 * Xapian for every word of every talk, a large share of indexing.  The
 * count is net: occurrences in documents written minus occurrences in the
 * documents they replace or delete, so a re-indexed talk whose words did
 * not change costs Xapian nothing.  The table is handed over when it holds
 * this many words, so its memory stays bounded whatever the input. */
#define SPELL_FLUSH_WORDS 131072
/* Distinct words whose stems a builder remembers (~100 bytes each). */
#define STEM_CACHE_WORDS 100000
struct cs_doc_builder {
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    xc_database_t *spelling_db;
    cs_strmap_t *spell; /* word -> net count, see SPELL_FLUSH_WORDS */
    cs_join_t *join;    /* makes the join keys (join.h) */
    char term[CS_TERM_BUF_BYTES];
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
    if (cs_strmap_create(&b->spell) != CS_OK) {
        cs_doc_builder_destroy(b);
        return CS_ERR_NO_MEMORY;
    }
    st = cs_join_create(&b->join, errmsg);
    if (st != CS_OK) {
        cs_doc_builder_destroy(b);
        return st;
    }
    cs_analyzer_set_chars(b->analyzer, true); /* CS_PREFIX_CHAR terms */
    /* Every talk stems the same common words again; the cache makes a
     * repeat a hash lookup instead of a Snowball run. */
    if (xc_stemmer_create_cached("english", STEM_CACHE_WORDS, &b->stemmer, errmsg) != XC_OK) {
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
    cs_strmap_destroy(b->spell);
    cs_join_destroy(b->join);
    cs_analyzer_destroy(b->analyzer);
    xc_stemmer_destroy(b->stemmer);
    free(b);
}

/* Hands one word's net count to Xapian (whose frequencies are 32-bit). */
static xc_status_t spell_write(xc_database_t *db, const char *word, size_t len, int64_t net)
{
    int64_t size = net < 0 ? -net : net;
    uint32_t by = size < UINT32_MAX ? (uint32_t)size : UINT32_MAX;
    if (net > 0)
        return xc_database_add_spelling(db, word, len, by);
    if (net < 0)
        return xc_database_remove_spelling(db, word, len, by);
    return XC_OK;
}

cs_status_t cs_doc_builder_flush_spelling(cs_doc_builder_t *b)
{
    if (!b)
        return CS_ERR_NULL_ARG;
    cs_status_t st = CS_OK;
    const char *word;
    size_t len;
    int64_t net;
    for (size_t at = 0;
         st == CS_OK && b->spelling_db && cs_strmap_next(b->spell, &at, &word, &len, &net);) {
        xc_status_t xs = spell_write(b->spelling_db, word, len, net);
        if (xs != XC_OK)
            st = xs == XC_ERR_NO_MEMORY ? CS_ERR_NO_MEMORY : CS_ERR_XAPIAN;
    }
    cs_strmap_clear(b->spell);
    return st;
}

/* Counts one occurrence of a spelling word (len <= CS_MAX_TOKEN_BYTES):
 * delta is +1 for a document written, -1 for one replaced or deleted. */
static cs_status_t spell_add(cs_doc_builder_t *b, const char *word, size_t len, int delta)
{
    if (cs_strmap_count(b->spell) >= SPELL_FLUSH_WORDS) {
        cs_status_t st = cs_doc_builder_flush_spelling(b);
        if (st != CS_OK)
            return st;
    }
    int64_t *net = cs_strmap_put(b->spell, word, len, 0, NULL, NULL);
    if (!net)
        return CS_ERR_NO_MEMORY;
    *net += delta;
    return CS_OK;
}

static cs_status_t from_xc(xc_status_t xs)
{
    if (xs == XC_ERR_NO_MEMORY)
        return CS_ERR_NO_MEMORY;
    return xs == XC_OK ? CS_OK : CS_ERR_XAPIAN;
}

/* Adds the terms of one token at position p.  Tokens are never too long
 * for a term (analysis.h), so a term that cannot be built is skipped like
 * a token the analysis dropped. */
static cs_status_t add_token_terms(cs_doc_builder_t *b, xc_document_t *doc, const cs_token_t *t,
                                   uint32_t p, uint32_t wdf, cs_field_t field)
{
    size_t n;
    if (cs_term_of_token(t, b->term, &n) != CS_OK)
        return CS_OK;
    if (t->kind == CS_TOKEN_CHAR) {
        /* Only one-character queries use these, never in phrases: no
         * positions, which would cost as much again as the bigrams'. */
        return from_xc(xc_document_add_term(doc, b->term, n, wdf));
    }
    xc_status_t xs = xc_document_add_posting(doc, b->term, n, p, wdf);
    if (t->kind == CS_TOKEN_BIGRAM)
        return from_xc(xs);
    if (xs == XC_OK && cs_term_field_word(field, t->text, t->len, b->term, &n) == CS_OK)
        xs = xc_document_add_term(doc, b->term, n, wdf);
    if (xs == XC_OK && t->kind == CS_TOKEN_WORD &&
        cs_term_stem(b->stemmer, t->text, t->len, b->term, &n) == CS_OK)
        xs = xc_document_add_term(doc, b->term, n, wdf);
    return from_xc(xs);
}

/* Indexes one field's text from position *pos on into doc; a title or
 * speaker field also adds a positionless field term for each word.  Each
 * spelling word is counted spell times (0: the field gives no spelling
 * data).  doc NULL: no terms, only the spelling count. */
static cs_status_t index_field(cs_doc_builder_t *b, xc_document_t *doc, const char *text,
                               size_t len, uint32_t wdf, cs_field_t field, uint32_t *pos, int spell)
{
    if (!doc && !spell)
        return CS_OK;
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
        if (doc && (st = add_token_terms(b, doc, t, p, wdf, field)) != CS_OK)
            return st;
        if (spell && cs_term_is_spelling_word(t) &&
            (st = spell_add(b, t->text, t->len, spell)) != CS_OK)
            return st;
    }
    *pos = last + FIELD_GAP;
    return CS_OK;
}

/* Indexes one field that gives spelling data, text (may be NULL: none),
 * into doc and counts its spelling words spell times; old_text (NULL: none)
 * is the same field of the session doc replaces, whose words are counted
 * -spell times.  A field whose text did not change would add and take back
 * the same counts, so it is not analysed for spelling at all: a talk
 * re-indexed because only its line number moved costs no extra analysis. */
static cs_status_t index_spelled_field(cs_doc_builder_t *b, xc_document_t *doc, const char *text,
                                       size_t len, const char *old_text, size_t old_len,
                                       uint32_t wdf, cs_field_t field, uint32_t *pos, int spell)
{
    int same = text && old_text && len == old_len && memcmp(text, old_text, len) == 0;
    cs_status_t st = CS_OK;
    if (text)
        st = index_field(b, doc, text, len, wdf, field, pos, same ? 0 : spell);
    if (st == CS_OK && old_text && !same) {
        uint32_t old_pos = 0; /* old's terms are not written: positions do not matter */
        st = index_field(b, NULL, old_text, old_len, wdf, field, &old_pos, -spell);
    }
    return st;
}

/* What of a body is text: a Markdown body's plain text (markup is not
 * words), else the body as written. */
static const char *indexed_body(const cs_session_t *s)
{
    return s->text ? s->text : s->body;
}

static size_t indexed_body_len(const cs_session_t *s)
{
    return s->text ? s->text_len : s->body_len;
}

/* Indexes the text fields of s into doc (NULL: no terms), counting the
 * spelling words of the title and the body spell times each (speaker names
 * give no spelling data).  old (may be NULL) is the session that doc
 * replaces: its title and body words are counted -spell times.  Building
 * (spell +1), replacing (+1 with old) and taking back (doc NULL, -1) all
 * come through here, so they always agree on which words count and how
 * often. */
static cs_status_t index_text(cs_doc_builder_t *b, xc_document_t *doc, const cs_session_t *s,
                              const cs_session_t *old, int spell)
{
    uint32_t pos = 0;
    if (!b->spelling_db)
        spell = 0;
    cs_status_t st = index_spelled_field(
        b, doc, s->title, s->title ? strlen(s->title) : 0, old ? old->title : NULL,
        old && old->title ? strlen(old->title) : 0, CS_WEIGHT_TITLE, CS_FIELD_TITLE, &pos, spell);
    for (size_t i = 0; st == CS_OK && i < s->n_speakers; i++)
        st = index_field(b, doc, s->speakers[i], strlen(s->speakers[i]), CS_WEIGHT_SPEAKER,
                         CS_FIELD_SPEAKER, &pos, 0);
    if (st == CS_OK)
        st = index_spelled_field(b, doc, indexed_body(s), indexed_body_len(s),
                                 old ? indexed_body(old) : NULL, old ? indexed_body_len(old) : 0,
                                 CS_WEIGHT_BODY, CS_FIELD_BODY, &pos, spell);
    /* A programme's abstract and description are the talk's text (all of
     * it when there are no notes). */
    if (st == CS_OK)
        st = index_spelled_field(b, doc, s->abstract, s->abstract ? strlen(s->abstract) : 0,
                                 old ? old->abstract : NULL,
                                 old && old->abstract ? strlen(old->abstract) : 0, CS_WEIGHT_BODY,
                                 CS_FIELD_BODY, &pos, spell);
    if (st == CS_OK)
        st = index_spelled_field(
            b, doc, s->description, s->description ? strlen(s->description) : 0,
            old ? old->description : NULL, old && old->description ? strlen(old->description) : 0,
            CS_WEIGHT_BODY, CS_FIELD_BODY, &pos, spell);
    return st;
}

static cs_status_t add_filter(cs_doc_builder_t *b, xc_document_t *doc, cs_filter_t filter,
                              const char *value)
{
    size_t n;
    cs_status_t st = cs_term_filter(b->analyzer, filter, value, strlen(value), b->term, &n);
    if (st == CS_ERR_FORMAT || st == CS_ERR_LIMIT)
        return CS_OK; /* nothing to filter on, or a value too long to be a term */
    if (st != CS_OK)
        return st;
    return xc_document_add_boolean_term(doc, b->term, n) == XC_OK ? CS_OK : CS_ERR_XAPIAN;
}

cs_status_t cs_doc_builder_json(cs_doc_builder_t *b, const cs_session_t *s, char **json)
{
    if (!b || !s || !json || !s->id)
        return CS_ERR_NULL_ARG;
    /* A file name need not be UTF-8, and JSON must be: the name is stored
     * with U+FFFD for its bad bytes, while s->source keeps the bytes that
     * find the file again (its source term). */
    cs_session_t stored = *s;
    char *name = NULL;
    size_t name_len, repairs;
    unsigned line;
    if (s->source &&
        cs_utf8_repair(s->source, strlen(s->source), &name, &name_len, &repairs, &line) != CS_OK)
        return CS_ERR_NO_MEMORY;
    if (name)
        stored.source = name;
    *json = cs_schema_session_to_json(&stored);
    free(name);
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
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_CONFERENCE, s->conference ? s->conference : "");
    if (st == CS_OK)
        st = set_value(doc, CS_SLOT_TRACK, s->track ? s->track : "");
    free(order);
    free(speakers);
    return st;
}

typedef struct {
    cs_doc_builder_t *b;
    xc_document_t *doc;
    cs_status_t st;
} key_terms_t;

static int add_key_term(cs_filter_t kind, const char *key, void *ctx)
{
    key_terms_t *k = ctx;
    k->st = add_filter(k->b, k->doc, kind, key);
    return k->st != CS_OK;
}

/* How the writer finds the talks the join may concern (schema/README.md,
 * "Notes joined to the programme"): a programme talk says it is one, and
 * a notes talk carries the keys the matcher looks it up by. */
static cs_status_t add_join_terms(cs_doc_builder_t *b, xc_document_t *doc, const cs_session_t *s)
{
    if (s->programme)
        return xc_document_add_boolean_term(doc, CS_TERM_PROGRAMME, strlen(CS_TERM_PROGRAMME)) ==
                       XC_OK
                   ? CS_OK
                   : CS_ERR_XAPIAN;
    key_terms_t k = {b, doc, CS_OK};
    cs_status_t st = cs_join_keys(b->join, s, add_key_term, &k);
    return st == CS_ERR_NO_MEMORY && k.st != CS_OK ? k.st : st;
}

static cs_status_t build(cs_doc_builder_t *b, const cs_session_t *s, const char *json,
                         const cs_session_t *old, xc_document_t **out)
{
    xc_document_t *doc = NULL;
    if (xc_document_create(&doc) != XC_OK)
        return CS_ERR_NO_MEMORY;
    cs_status_t st = add_filter(b, doc, CS_FILTER_ID, s->id);
    /* The id the talk claims before a -2, -3 suffix: the writer finds every
     * claimant of an id through it (schema/README.md, "Who owns an id"). */
    char base[CS_MAX_ID_BYTES];
    cs_schema_session_id(s, base);
    if (st == CS_OK)
        st = add_filter(b, doc, CS_FILTER_BASE, base);
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
        st = add_filter(b, doc, CS_FILTER_DAY, day);
    }
    if (st == CS_OK && s->room)
        st = add_filter(b, doc, CS_FILTER_ROOM, s->room);
    if (st == CS_OK && s->date[0])
        st = add_filter(b, doc, CS_FILTER_DATE, s->date);
    if (st == CS_OK && s->conference)
        st = add_filter(b, doc, CS_FILTER_CONF, s->conference);
    if (st == CS_OK && s->track)
        st = add_filter(b, doc, CS_FILTER_TRACK, s->track);
    for (size_t i = 0; st == CS_OK && i < s->n_speakers; i++)
        st = add_filter(b, doc, CS_FILTER_SPEAKER, s->speakers[i]);
    if (st == CS_OK)
        st = add_join_terms(b, doc, s);

    if (st == CS_OK)
        st = index_text(b, doc, s, old, 1);
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

cs_status_t cs_doc_builder_build(cs_doc_builder_t *b, const cs_session_t *s, const char *json,
                                 xc_document_t **out)
{
    if (!b || !s || !json || !out || !s->id)
        return CS_ERR_NULL_ARG;
    return build(b, s, json, NULL, out);
}

/* Replaced and deleted documents.  Their words are read back from the
 * stored JSON, analysed again, rather than from the termlist, which cannot
 * tell them apart.  An unprefixed term's wdf mixes title, speaker and body
 * occurrences (speaker names give no spelling data, and the title and
 * speaker weights are equal, so no arithmetic on the S and A terms' wdf
 * separates them), and a term such as "python3" is an ICU number, not a
 * word, which only the analyser knows.  Going through index_text makes the
 * take-back the exact mirror of the build.  It is also cheap: the writer
 * already holds the JSON of a replaced talk (it compared it to the new
 * one), only a changed title or body is analysed again, and ICU on one
 * talk's text costs far less than Xapian's replace. */
static cs_status_t read_stored(cs_doc_builder_t *b, const char *json, size_t len, cs_session_t *old)
{
    if (!b || !json)
        return CS_ERR_NULL_ARG;
    return cs_schema_session_from_json(json, len, old);
}

cs_status_t cs_doc_builder_build_replacement(cs_doc_builder_t *b, const cs_session_t *s,
                                             const char *json, const char *old_json, size_t old_len,
                                             xc_document_t **out)
{
    if (!s || !out || !s->id || !json)
        return CS_ERR_NULL_ARG;
    cs_session_t old;
    cs_status_t st = read_stored(b, old_json, old_len, &old);
    if (st != CS_OK)
        return st;
    st = build(b, s, json, &old, out);
    cs_session_clear(&old);
    return st;
}

cs_status_t cs_doc_builder_retract_spelling(cs_doc_builder_t *b, const char *json, size_t len)
{
    cs_session_t old;
    cs_status_t st = read_stored(b, json, len, &old);
    if (st != CS_OK)
        return st;
    /* No document: old's title and body are only counted, -1 per word. */
    st = index_text(b, NULL, &old, NULL, -1);
    cs_session_clear(&old);
    return st;
}
