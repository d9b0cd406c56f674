/* similar.c: the talks like a talk, for organizers grouping sessions by
 * topic: Xapian's relevance feedback takes the talk's most telling terms,
 * and their OR, without the talk itself, finds the talks that share them. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "search.h"
#include "search_internal.h"
#include "terms.h"
#include "xapian-c.h"

/* How many talks an answer proposes, and how many of the talk's terms
 * make the query: enough that a talk with its notes in two languages has
 * both among them, few enough that words met in passing weigh little. */
#define SIMILAR_MAX_TALKS 10
#define SIMILAR_TERMS 20
/* A talk scoring under this share of the best one is left out: it shares a
 * word or two in passing (on the seed and demo notes, an unrelated talk
 * scores a tenth to a fifth of the best, a related one a third or more). */
#define SIMILAR_MIN_SHARE 0.3

/* How many words of its speakers' names a talk's terms are checked
 * against; a longer list of names is cut (the rest may then count as
 * topic words). */
#define SIMILAR_NAME_WORDS 32

static bool starts_with(const char *term, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(term, prefix, n) == 0;
}

/* The words of the talk's speakers' names (its A terms without the
 * prefix): they tell who spoke, which the speaker facet already finds,
 * not what about; kept, they make a speaker's every talk "similar". */
typedef struct {
    char *word[SIMILAR_NAME_WORDS];
    size_t len[SIMILAR_NAME_WORDS];
    size_t n;
    bool failed;
} name_words_t;

static int take_name_word(const char *term, size_t len, uint32_t freq, void *ctx)
{
    (void)freq;
    name_words_t *names = ctx;
    size_t skip = strlen(CS_PREFIX_SPEAKER);
    if (names->n == SIMILAR_NAME_WORDS)
        return 1;
    if (!(names->word[names->n] = strndup(term + skip, len - skip))) {
        names->failed = true;
        return 1;
    }
    names->len[names->n++] = len - skip;
    return 0;
}

static void name_words_clear(name_words_t *names)
{
    for (size_t i = 0; i < names->n; i++)
        free(names->word[i]);
    names->n = 0;
}

/* A word of a speaker's name, or (stem) the stem of one ("tseng" and
 * "Ztseng"). */
static bool is_name_word(const name_words_t *names, const char *word, size_t len, bool stem)
{
    for (size_t i = 0; i < names->n; i++)
        if ((names->len[i] == len || (stem && names->len[i] > len)) &&
            memcmp(names->word[i], word, len) == 0)
            return true;
    return false;
}

/* The expand decider: a topic word that some other talk also has (a term
 * of this talk alone weighs most and finds nothing), and that is not a
 * word of its speakers' names. */
static bool telling_term(const char *term, size_t len, uint32_t termfreq, void *ctx)
{
    size_t word_len = 0;
    const char *word = termfreq >= 2 ? cs_term_topic_word(term, len, &word_len) : NULL;
    return word && !is_name_word(ctx, word, word_len, starts_with(term, len, CS_PREFIX_STEM));
}

typedef struct {
    xc_query_t *terms[SIMILAR_TERMS];
    size_t n;
    json_t *shown; /* the words, each once, best first */
    bool failed;
} expansion_t;

static int take_term(const char *term, size_t len, double weight, void *ctx)
{
    (void)weight;
    expansion_t *e = ctx;
    if (e->n == SIMILAR_TERMS || xc_query_term(term, len, 1, 0, &e->terms[e->n]) != XC_OK) {
        e->failed = true;
        return 1;
    }
    e->n++;
    size_t word_len = 0;
    const char *word = cs_term_topic_word(term, len, &word_len);
    /* A CJK word and its bigram are shown once, and a stem not after its
     * word ("fixture", not "fixtur" too). */
    bool stem = word && starts_with(term, len, CS_PREFIX_STEM);
    for (size_t i = 0; word && i < json_array_size(e->shown); i++) {
        json_t *seen = json_array_get(e->shown, i);
        size_t seen_len = json_string_length(seen);
        if ((seen_len == word_len || (stem && seen_len > word_len)) &&
            memcmp(json_string_value(seen), word, word_len) == 0)
            word = NULL;
    }
    if (word && json_array_append_new(e->shown, json_stringn(word, word_len)) != 0)
        e->failed = true;
    return e->failed;
}

typedef struct {
    const char *id;
    size_t len;
} talk_id_t;

/* The answer for talk docid: its expand terms, and the talks their OR
 * finds without it (AND_NOT its id term), best first. */
static cs_read_t read_similar(cs_searcher_t *s, xc_database_t *db, xc_docid_t docid,
                              const char *idterm, size_t idlen, void *ctx, json_t **answer,
                              int *http_status, char *why, size_t why_len)
{
    (void)s;
    const talk_id_t *talk = ctx;
    expansion_t e = {.shown = json_array()};
    name_words_t names = {0};
    xc_document_t *doc = NULL;
    xc_enquire_t *enq = NULL;
    xc_query_t *like = NULL, *self = NULL, *query = NULL;
    xc_mset_t *mset = NULL;
    json_t *hits = json_array();
    xc_status_t xs = xc_database_get_document(db, docid, &doc);
    if (xs == XC_OK && (xs = xc_document_termlist(doc, CS_PREFIX_SPEAKER, strlen(CS_PREFIX_SPEAKER),
                                                  take_name_word, &names)) != XC_OK)
        snprintf(why, why_len, "%s", xc_document_status_string(doc));
    if (xs == XC_OK && names.failed)
        xs = XC_ERR_NO_MEMORY;
    if (xs == XC_OK && (xs = xc_enquire_create(db, &enq, NULL)) == XC_OK) {
        xs = xc_enquire_expand(enq, &docid, 1, SIMILAR_TERMS, telling_term, &names, take_term, &e);
        if (xs != XC_OK)
            snprintf(why, why_len, "%s", xc_enquire_status_string(enq));
    }
    if (xs == XC_OK && (e.failed || !e.shown || !hits))
        xs = XC_ERR_NO_MEMORY;
    /* No telling term (an empty talk, or one whose words no other talk
     * has): nothing is like it. */
    if (xs == XC_OK && e.n > 0) {
        xc_query_t *parts[2];
        if ((xs = xc_query_combine(XC_OP_OR, e.terms, e.n, 0, &like)) == XC_OK &&
            (xs = xc_query_term(idterm, idlen, 1, 0, &self)) == XC_OK) {
            parts[0] = like;
            parts[1] = self;
            xs = xc_query_combine(XC_OP_AND_NOT, parts, 2, 0, &query);
        }
        /* searchd's weighting (cs_search), so scores compare with a search's. */
        if (xs == XC_OK && (xs = xc_enquire_set_query(enq, query)) == XC_OK &&
            (xs = xc_enquire_set_weighting_bm25(enq, 1.2, 0, 1, 0.5, 0.5)) == XC_OK &&
            (xs = xc_enquire_get_mset(enq, 0, SIMILAR_MAX_TALKS, 0, &mset)) != XC_OK)
            snprintf(why, why_len, "%s", xc_enquire_status_string(enq));
    }
    cs_read_t hit_read = CS_READ_OK; /* a proposed talk's */
    double best = 0, weight = 0;
    if (xs == XC_OK && xc_mset_size(mset) > 0)
        xs = xc_mset_get_weight(mset, 0, &best);
    for (size_t i = 0; xs == XC_OK && hit_read == CS_READ_OK && i < xc_mset_size(mset); i++) {
        json_t *hit = NULL;
        if ((xs = xc_mset_get_weight(mset, i, &weight)) != XC_OK ||
            weight < SIMILAR_MIN_SHARE * best)
            break;
        hit_read = cs_search_hit(mset, i, NULL, true, &hit, why, why_len);
        if (hit_read != CS_READ_OK)
            break;
        /* A title list: no passage of the body is the reason. */
        json_object_del(hit, "snippet");
        if (json_array_append_new(hits, hit) != 0)
            xs = XC_ERR_NO_MEMORY;
    }
    if (hit_read == CS_READ_OK)
        hit_read = cs_read_of(xs);
    if (hit_read == CS_READ_OK) {
        *answer = json_pack("{s:s%, s:O, s:O}", "id", talk->id, talk->len, "similar", hits, "terms",
                            e.shown);
        *http_status = *answer ? 200 : 500;
        if (!*answer)
            *answer = cs_search_error("internal_error", "out of memory");
    }
    json_decref(hits);
    json_decref(e.shown);
    xc_mset_destroy(mset);
    xc_query_destroy(query);
    xc_query_destroy(self);
    xc_query_destroy(like);
    for (size_t i = 0; i < e.n; i++)
        xc_query_destroy(e.terms[i]);
    xc_enquire_destroy(enq);
    name_words_clear(&names);
    xc_document_destroy(doc);
    return hit_read;
}

json_t *cs_search_similar(cs_searcher_t *s, const char *id, size_t len, int *http_status)
{
    talk_id_t talk = {id, len};
    return cs_search_talk_answer(s, CS_TALK_ANSWER_SIMILAR, id, len, read_similar, &talk,
                                 http_status);
}
