/* search.c: searches, facets, suggestions and talks as JSON answers. */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis.h"
#include "schema.h"
#include "snippet.h"
#include "xapian-c.h"

#define SNIPPET_CHARS 200
#define MODIFIED_RETRIES 3
/* How many index terms a completion request may look at, so that a
 * one-letter prefix on a huge index stays cheap. */
#define SUGGEST_SCAN_LIMIT 20000

struct cs_searcher {
    char *path;
    xc_database_t *db;
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    char reason[512]; /* why the index is unavailable, for 503 answers */
};

static const char *const facet_names[CS_FACET_COUNT] = {"day", "room", "speaker"};
static const xc_valueno_t facet_slots[CS_FACET_COUNT] = {CS_SLOT_DAY, CS_SLOT_ROOM,
                                                         CS_SLOT_SPEAKERS};

json_t *cs_search_error(const char *code, const char *message)
{
    return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
}

cs_status_t cs_searcher_create(const char *db_path, cs_searcher_t **out)
{
    if (!db_path || !out)
        return CS_ERR_NULL_ARG;
    cs_searcher_t *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(db_path))) {
        free(s);
        return CS_ERR_NO_MEMORY;
    }
    char *err = NULL;
    cs_status_t st = cs_analyzer_create(&s->analyzer, &err);
    free(err);
    err = NULL;
    if (st == CS_OK && xc_stemmer_create("english", &s->stemmer, &err) != XC_OK)
        st = CS_ERR_XAPIAN;
    free(err);
    if (st != CS_OK) {
        cs_searcher_destroy(s);
        return st;
    }
    *out = s;
    return CS_OK;
}

void cs_searcher_destroy(cs_searcher_t *s)
{
    if (!s)
        return;
    xc_database_destroy(s->db);
    cs_analyzer_destroy(s->analyzer);
    xc_stemmer_destroy(s->stemmer);
    free(s->path);
    free(s);
}

/* Opens path and checks its format version; *reason explains a failure. */
static cs_status_t open_index(const char *path, xc_database_t **out, char *reason, size_t n)
{
    char *err = NULL;
    xc_status_t xs = xc_database_open(path, out, &err);
    if (xs != XC_OK) {
        snprintf(reason, n, "index %s cannot be opened: %s", path,
                 err ? err : xc_status_to_string(xs));
        free(err);
        return CS_ERR_XAPIAN;
    }
    char *version = NULL;
    size_t vlen = 0;
    if (xc_database_get_metadata(*out, CS_META_FORMAT_KEY, &version, &vlen) != XC_OK) {
        snprintf(reason, n, "index %s cannot be read: %s", path,
                 xc_database_status_string(*out));
        xc_database_destroy(*out);
        *out = NULL;
        return CS_ERR_XAPIAN;
    }
    if (!version || strcmp(version, CS_SCHEMA_FORMAT_VERSION) != 0) {
        snprintf(reason, n,
                 "index %s has format version %s, but this searchd reads version "
                 CS_SCHEMA_FORMAT_VERSION " (re-index with the matching confsearch-index)",
                 path, version ? version : "none (not a confsearch index)");
        free(version);
        xc_database_destroy(*out);
        *out = NULL;
        return CS_ERR_VERSION;
    }
    free(version);
    return CS_OK;
}

cs_status_t cs_search_check_index(const char *path, char **errmsg)
{
    char reason[512];
    xc_database_t *db = NULL;
    cs_status_t st = open_index(path, &db, reason, sizeof reason);
    xc_database_destroy(db);
    if (st != CS_OK && errmsg)
        *errmsg = strdup(reason);
    return st;
}

/* Brings the thread's database to the latest commit, (re)opening it when it
 * was missing, removed or replaced. */
static cs_status_t ensure_db(cs_searcher_t *s)
{
    struct stat sb;
    if (stat(s->path, &sb) != 0) {
        /* Removed under us: drop the handle, whose open files would keep
         * serving a deleted index. */
        xc_database_destroy(s->db);
        s->db = NULL;
        snprintf(s->reason, sizeof s->reason, "index %s is missing", s->path);
        return CS_ERR_XAPIAN;
    }
    if (s->db) {
        if (xc_database_reopen(s->db, NULL) == XC_OK)
            return CS_OK;
        xc_database_destroy(s->db);
        s->db = NULL;
    }
    return open_index(s->path, &s->db, s->reason, sizeof s->reason);
}

static json_t *unavailable(cs_searcher_t *s, int *http_status)
{
    *http_status = 503;
    return cs_search_error("index_unavailable", s->reason);
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* ---- building the Xapian query ---------------------------------------- */

typedef struct {
    xc_query_t *text;                   /* NULL: every talk */
    xc_query_t *filter[CS_FACET_COUNT]; /* NULL: no filter on that facet */
} query_parts_t;

static void parts_clear(query_parts_t *p)
{
    xc_query_destroy(p->text);
    for (int f = 0; f < CS_FACET_COUNT; f++)
        xc_query_destroy(p->filter[f]);
    memset(p, 0, sizeof *p);
}

/* OR of the filter terms of one facet's values: several values of a facet
 * widen the result, several facets narrow it. */
static cs_status_t facet_filter(cs_searcher_t *s, cs_facet_t f, const cs_search_request_t *req,
                                const cs_query_t *q, xc_query_t **out)
{
    xc_query_t *terms[2 * CS_QUERY_MAX_FILTERS];
    size_t n = 0;
    cs_status_t st = CS_OK;
    size_t inline_n = cs_query_filter_count(q, f);
    for (size_t i = 0; st == CS_OK && i < req->n_filters[f] + inline_n; i++) {
        const char *v = i < req->n_filters[f] ? req->filters[f][i].value
                                              : cs_query_filter(q, f, i - req->n_filters[f]);
        size_t len = i < req->n_filters[f] ? req->filters[f][i].len : strlen(v);
        char *term = cs_query_filter_term(s->analyzer, f, v, len);
        xc_status_t xs = term ? xc_query_term(term, strlen(term), 1, 0, &terms[n])
                              : xc_query_match_nothing(&terms[n]);
        free(term);
        if (xs != XC_OK)
            st = CS_ERR_NO_MEMORY;
        else
            n++;
    }
    *out = NULL;
    if (st == CS_OK && n > 0 && xc_query_combine(XC_OP_OR, terms, n, 0, out) != XC_OK)
        st = CS_ERR_NO_MEMORY;
    for (size_t i = 0; i < n; i++)
        xc_query_destroy(terms[i]);
    return st;
}

/* The text query filtered by every facet but skip (CS_FACET_COUNT: none). */
static xc_query_t *compose(const query_parts_t *p, int skip)
{
    xc_query_t *parts[1 + CS_FACET_COUNT], *all = NULL, *out = NULL;
    size_t n = 0;
    if (p->text) {
        parts[n++] = p->text;
    } else {
        if (xc_query_match_all(&all) != XC_OK)
            return NULL;
        parts[n++] = all;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++)
        if (f != skip && p->filter[f])
            parts[n++] = p->filter[f];
    if (n == 1)
        xc_query_scale(parts[0], 1.0, &out);
    else
        xc_query_combine(XC_OP_FILTER, parts, n, 0, &out);
    xc_query_destroy(all);
    return out;
}

/* ---- running it -------------------------------------------------------- */

typedef struct {
    json_t *list;
    size_t max;
} facet_fill_t;

static int add_facet_value(const char *value, size_t len, uint32_t count, void *ctx)
{
    facet_fill_t *fill = ctx;
    if (len == 0)
        return 0; /* talks without that field */
    json_array_append_new(fill->list, json_pack("{s:s%, s:i}", "value", value, len, "count",
                                                (json_int_t)count));
    return fill->max && json_array_size(fill->list) >= fill->max;
}

static json_t *facet_json(const xc_matchspy_t *spy, cs_facet_t f)
{
    facet_fill_t fill = {json_array(), f == CS_FACET_SPEAKER ? CS_SEARCH_SPEAKER_FACET_CAP : 0};
    xc_matchspy_values(spy, 0, add_facet_value, &fill);
    return fill.list;
}

static json_t *hit_json(cs_searcher_t *s, xc_mset_t *mset, size_t i, cs_highlighter_t *hl,
                        bool scored)
{
    xc_document_t *doc = NULL;
    char *data = NULL;
    size_t len = 0;
    double weight = 0;
    if (xc_mset_get_document(mset, i, &doc) != XC_OK ||
        xc_document_get_data(doc, &data, &len) != XC_OK) {
        xc_document_destroy(doc);
        return NULL;
    }
    xc_document_destroy(doc);
    xc_mset_get_weight(mset, i, &weight);
    json_t *talk = json_loadb(data, len, 0, NULL);
    free(data);
    if (!talk)
        return NULL;
    json_t *body = json_object_get(talk, "body");
    char *snippet = cs_highlighter_snippet(hl, json_string_value(body) ? json_string_value(body) : "",
                                           json_string_length(body), SNIPPET_CHARS);
    (void)s;
    json_t *hit = json_pack("{s:O, s:f, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s}", "id",
                            json_object_get(talk, "id"), "score", scored ? weight : 0.0, "day",
                            json_object_get(talk, "day"), "date", json_object_get(talk, "date"),
                            "time", json_object_get(talk, "time"), "room",
                            json_object_get(talk, "room") ? json_object_get(talk, "room")
                                                          : json_null(),
                            "title", json_object_get(talk, "title"), "speaker",
                            json_object_get(talk, "speaker") ? json_object_get(talk, "speaker")
                                                             : json_null(),
                            "speakers", json_object_get(talk, "speakers"), "snippet",
                            snippet ? snippet : "");
    free(snippet);
    json_decref(talk);
    return hit;
}

/* "did you mean": the query with each unknown Latin word replaced by
 * Xapian's spelling suggestion, or NULL when nothing changes. */
static char *did_you_mean(cs_searcher_t *s, const char *q, size_t len)
{
    const cs_token_t *tokens;
    size_t count;
    if (cs_analyze(s->analyzer, q, len, &tokens, &count) != CS_OK)
        return NULL;
    /* Copy the tokens' words first: the analyzer's buffers are reused. */
    size_t cap = len * 4 + 64, at = 0, from = 0;
    char *out = malloc(cap);
    int changed = 0;
    for (size_t i = 0; out && i < count; i++) {
        const cs_token_t *t = &tokens[i];
        if (t->kind != CS_TOKEN_WORD || t->len < 3)
            continue;
        uint32_t freq = 0;
        if (xc_database_get_termfreq(s->db, t->text, t->len, &freq) != XC_OK || freq > 0)
            continue;
        char *fix = NULL;
        if (xc_database_get_spelling_suggestion(s->db, t->text, t->len, 2, &fix) != XC_OK ||
            !fix)
            continue;
        size_t flen = strlen(fix);
        if (at + (t->start - from) + flen + 1 > cap) {
            free(fix);
            break;
        }
        memcpy(out + at, q + from, t->start - from);
        at += t->start - from;
        memcpy(out + at, fix, flen);
        at += flen;
        from = t->end;
        changed = 1;
        free(fix);
    }
    if (!out || !changed || at + (len - from) + 1 > cap) {
        free(out);
        return NULL;
    }
    memcpy(out + at, q + from, len - from);
    out[at + len - from] = '\0';
    return out;
}

typedef struct {
    json_t *answer;
    xc_status_t xapian; /* XC_ERR_MODIFIED: retry after a reopen */
    int http_status;
} attempt_t;

static attempt_t run_once(cs_searcher_t *s, const cs_search_request_t *req, const cs_query_t *q,
                          query_parts_t *parts)
{
    attempt_t a = {NULL, XC_OK, 200};
    uint32_t docs = 0;
    xc_database_get_doccount(s->db, &docs);
    uint32_t check = docs < CS_SEARCH_EXACT_BOUND ? docs : CS_SEARCH_EXACT_BOUND;
    xc_enquire_t *enq = NULL;
    xc_matchspy_t *spies[CS_FACET_COUNT] = {NULL};
    xc_mset_t *mset = NULL;
    xc_query_t *full = compose(parts, CS_FACET_COUNT);
    cs_highlighter_t *hl = NULL;
    json_t *facets = json_object(), *hits = json_array();
    bool scored = parts->text != NULL;

    if (!full || xc_enquire_create(s->db, &enq, NULL) != XC_OK) {
        a.xapian = XC_ERR_NO_MEMORY;
        goto done;
    }
    xc_enquire_set_query(enq, full);
    if (scored) {
        xc_enquire_set_weighting_bm25(enq, 1.2, 0, 1, 0.5, 0.5);
    } else {
        xc_enquire_set_weighting_bool(enq);
        xc_enquire_set_sort_by_value(enq, CS_SLOT_ORDER, false);
    }
    /* A facet without a filter of its own counts along with the main search;
     * one with a filter needs a pass without it (disjunctive counts). */
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        if (!req->facets[f] || parts->filter[f])
            continue;
        xc_matchspy_value_count_create(facet_slots[f], f == CS_FACET_SPEAKER ? CS_SPEAKER_SEP : 0,
                                       &spies[f]);
        xc_enquire_add_matchspy(enq, spies[f]);
    }
    a.xapian = xc_enquire_get_mset(enq, (req->page - 1) * req->size, req->size, check, &mset);
    if (a.xapian != XC_OK) {
        if (a.xapian == XC_ERR_WILDCARD) {
            a.http_status = 400;
            a.answer = cs_search_error("bad_request",
                                       "a word* prefix matches too many words; type more letters");
        }
        goto done;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        if (!req->facets[f] || !parts->filter[f])
            continue;
        xc_enquire_t *other = NULL;
        xc_mset_t *none = NULL;
        xc_query_t *without = compose(parts, f);
        xc_matchspy_value_count_create(facet_slots[f], f == CS_FACET_SPEAKER ? CS_SPEAKER_SEP : 0,
                                       &spies[f]);
        if (without && xc_enquire_create(s->db, &other, NULL) == XC_OK) {
            xc_enquire_set_query(other, without);
            xc_enquire_set_weighting_bool(other);
            xc_enquire_add_matchspy(other, spies[f]);
            a.xapian = xc_enquire_get_mset(other, 0, 0, check, &none);
        }
        xc_mset_destroy(none);
        xc_enquire_destroy(other);
        xc_query_destroy(without);
        if (a.xapian != XC_OK)
            goto done;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++)
        if (spies[f])
            json_object_set_new(facets, facet_names[f], facet_json(spies[f], f));

    if (cs_highlighter_create(s->analyzer, s->stemmer, &hl) == CS_OK) {
        for (size_t i = 0; i < cs_query_highlight_count(q); i++) {
            int prefix = 0;
            const char *text = cs_query_highlight(q, i, &prefix);
            cs_highlighter_add(hl, text, strlen(text), prefix);
        }
    }
    for (size_t i = 0; i < xc_mset_size(mset); i++) {
        json_t *hit = hit_json(s, mset, i, hl, scored);
        if (hit)
            json_array_append_new(hits, hit);
    }
    uint32_t lower = xc_mset_matches_lower_bound(mset), upper = xc_mset_matches_upper_bound(mset);
    uint32_t total = xc_mset_matches_estimated(mset);
    a.answer = json_pack("{s:I, s:i, s:i, s:O, s:O}", "total", (json_int_t)total, "page",
                         (int)req->page, "size", (int)req->size, "hits", hits, "facets", facets);
    if (a.answer && lower != upper)
        json_object_set_new(a.answer, "approximate", json_true());
done:
    cs_highlighter_destroy(hl);
    json_decref(facets);
    json_decref(hits);
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    for (int f = 0; f < CS_FACET_COUNT; f++)
        xc_matchspy_destroy(spies[f]);
    xc_query_destroy(full);
    return a;
}

json_t *cs_search(cs_searcher_t *s, const cs_search_request_t *req, int *http_status)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    cs_query_t *q = NULL;
    char *err = NULL;
    cs_status_t st = cs_query_parse(s->analyzer, s->stemmer, req->q.value ? req->q.value : "",
                                     req->q.len, &q, &err);
    if (st != CS_OK) {
        *http_status = st == CS_ERR_BAD_QUERY || st == CS_ERR_LIMIT ? 400 : 500;
        json_t *e = cs_search_error(*http_status == 400 ? "bad_request" : "internal_error",
                                    err ? err : cs_status_to_string(st));
        free(err);
        return e;
    }
    query_parts_t parts = {0};
    if (cs_query_xapian(q))
        xc_query_scale(cs_query_xapian(q), 1.0, &parts.text);
    for (int f = 0; st == CS_OK && f < CS_FACET_COUNT; f++)
        st = facet_filter(s, (cs_facet_t)f, req, q, &parts.filter[f]);

    attempt_t a = {NULL, XC_ERR_MODIFIED, 503};
    for (int tries = 0; st == CS_OK && a.xapian == XC_ERR_MODIFIED && tries <= MODIFIED_RETRIES;
         tries++) {
        if (ensure_db(s) != CS_OK) {
            a.answer = unavailable(s, &a.http_status);
            break;
        }
        a = run_once(s, req, q, &parts);
    }
    if (!a.answer) {
        if (a.xapian == XC_ERR_MODIFIED || a.xapian == XC_ERR_CORRUPT ||
            a.xapian == XC_ERR_DATABASE || st != CS_OK) {
            snprintf(s->reason, sizeof s->reason, "index %s could not be searched: %s", s->path,
                     s->db ? xc_database_status_string(s->db) : "not open");
            a.answer = unavailable(s, &a.http_status);
        } else {
            a.http_status = 500;
            a.answer = cs_search_error("internal_error", xc_status_to_string(a.xapian));
        }
    }
    if (a.http_status == 200) {
        json_object_set_new(a.answer, "query", json_stringn(req->q.value ? req->q.value : "",
                                                            req->q.len));
        json_object_set_new(a.answer, "took_ms", json_real(elapsed_ms(&start)));
        char *fix = NULL;
        if (json_integer_value(json_object_get(a.answer, "total")) == 0 && req->q.len)
            fix = did_you_mean(s, req->q.value, req->q.len);
        json_object_set_new(a.answer, "suggestion", fix ? json_string(fix) : json_null());
        free(fix);
    }
    parts_clear(&parts);
    cs_query_destroy(q);
    *http_status = a.http_status;
    return a.answer;
}

/* ---- completions, talks, health ----------------------------------------- */

typedef struct {
    char *terms[CS_SUGGEST_MAX];
    uint32_t freqs[CS_SUGGEST_MAX];
    size_t n, scanned, prefix_len;
} completions_t;

static int consider_completion(const char *term, size_t len, uint32_t freq, void *ctx)
{
    completions_t *c = ctx;
    if (++c->scanned > SUGGEST_SCAN_LIMIT)
        return 1;
    if (len <= c->prefix_len)
        return 0;
    /* Keep the CS_SUGGEST_MAX most frequent, in order (ties: byte order). */
    size_t at = c->n;
    while (at > 0 && c->freqs[at - 1] < freq)
        at--;
    if (at >= CS_SUGGEST_MAX)
        return 0;
    if (c->n == CS_SUGGEST_MAX)
        free(c->terms[--c->n]);
    memmove(c->terms + at + 1, c->terms + at, (c->n - at) * sizeof c->terms[0]);
    memmove(c->freqs + at + 1, c->freqs + at, (c->n - at) * sizeof c->freqs[0]);
    c->terms[at] = strndup(term, len);
    c->freqs[at] = freq;
    c->n++;
    return 0;
}

json_t *cs_search_suggest(cs_searcher_t *s, const char *q, size_t len, int *http_status)
{
    if (ensure_db(s) != CS_OK)
        return unavailable(s, http_status);
    json_t *list = json_array();
    const cs_token_t *tokens;
    size_t count;
    /* Only the last word is being typed; spaces after it mean it is done. */
    if (len > 0 && q[len - 1] != ' ' && cs_analyze(s->analyzer, q, len, &tokens, &count) == CS_OK) {
        const cs_token_t *last = NULL;
        for (size_t i = 0; i < count; i++)
            if (tokens[i].kind != CS_TOKEN_BIGRAM && tokens[i].end == len)
                last = &tokens[i];
        if (last) {
            completions_t c = {.prefix_len = last->len};
            xc_database_allterms(s->db, last->text, last->len, consider_completion, &c);
            for (size_t i = 0; i < c.n; i++) {
                json_array_append_new(list, json_string(c.terms[i]));
                free(c.terms[i]);
            }
        }
    }
    *http_status = 200;
    return json_pack("{s:o}", "suggestions", list);
}

static int first_docid(xc_docid_t docid, void *ctx)
{
    *(xc_docid_t *)ctx = docid;
    return 1;
}

json_t *cs_search_session(cs_searcher_t *s, const char *id, size_t len, int *http_status)
{
    *http_status = 404;
    if (len == 0 || len >= CS_MAX_ID_BYTES || strspn(id, "abcdefghijklmnopqrstuvwxyz"
                                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != len)
        return cs_search_error("not_found", "no talk has that id");
    if (ensure_db(s) != CS_OK)
        return unavailable(s, http_status);
    char term[CS_MAX_ID_BYTES + 8];
    snprintf(term, sizeof term, "%s%.*s", CS_PREFIX_ID, (int)len, id);
    for (int tries = 0; tries <= MODIFIED_RETRIES; tries++) {
        xc_docid_t docid = 0;
        xc_document_t *doc = NULL;
        char *data = NULL;
        size_t dlen = 0;
        xc_status_t xs = xc_database_postlist(s->db, term, strlen(term), first_docid, &docid);
        if (xs == XC_OK && !docid)
            return cs_search_error("not_found", "no talk has that id");
        if (xs == XC_OK && (xs = xc_database_get_document(s->db, docid, &doc)) == XC_OK)
            xs = xc_document_get_data(doc, &data, &dlen);
        xc_document_destroy(doc);
        if (xs == XC_OK) {
            json_t *talk = json_loadb(data, dlen, 0, NULL);
            free(data);
            *http_status = talk ? 200 : 500;
            return talk ? talk : cs_search_error("internal_error", "stored talk is not JSON");
        }
        if (xs != XC_ERR_MODIFIED && xs != XC_ERR_NOT_FOUND)
            break;
        xc_database_reopen(s->db, NULL);
    }
    snprintf(s->reason, sizeof s->reason, "index %s could not be read: %s", s->path,
             xc_database_status_string(s->db));
    return unavailable(s, http_status);
}

json_t *cs_search_health(cs_searcher_t *s, int *http_status)
{
    uint32_t docs = 0;
    uint64_t revision = 0;
    if (ensure_db(s) != CS_OK || xc_database_get_doccount(s->db, &docs) != XC_OK ||
        xc_database_get_revision(s->db, &revision) != XC_OK) {
        *http_status = 503;
        return json_pack("{s:s, s:s}", "status", "unavailable", "reason", s->reason);
    }
    *http_status = 200;
    return json_pack("{s:s, s:i, s:I}", "status", "ok", "documents", (json_int_t)docs, "revision",
                     (json_int_t)revision);
}
