/* search.c: searches, facets, suggestions and talks as JSON answers. */
#include "markdown_view.h"
#include "search.h"
#include "search_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/utf8.h>

#include "analysis.h"
#include "facet_cache.h"
#include "query_plan.h"
#include "metrics.h"
#include "schema.h"
#include "snippet.h"
#include "terms.h"
#include "xapian-c.h"

#define SNIPPET_CHARS 200
#define MODIFIED_RETRIES 3
/* How many index terms a completion request may look at, so that a
 * one-letter prefix on a huge index stays cheap. */
#define SUGGEST_SCAN_LIMIT 20000
/* Distinct words whose stems a searcher remembers (~100 bytes each). */
#define STEM_CACHE_WORDS 50000

json_t *cs_search_error(const char *code, const char *message)
{
    return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
}

cs_status_t cs_search_shared_create(const char *db_path, cs_search_shared_t **out)
{
    if (!db_path || !out)
        return CS_ERR_NULL_ARG;
    cs_search_shared_t *sh = calloc(1, sizeof *sh);
    if (!sh || !(sh->path = strdup(db_path))) {
        free(sh);
        return CS_ERR_NO_MEMORY;
    }
    if (cs_witness_store_create(&sh->witnesses) != CS_OK) {
        free(sh->path);
        free(sh);
        return CS_ERR_NO_MEMORY;
    }
    *out = sh;
    return CS_OK;
}

void cs_search_shared_destroy(cs_search_shared_t *sh)
{
    if (!sh)
        return;
    cs_witness_store_destroy(sh->witnesses);
    free(sh->path);
    free(sh);
}

cs_status_t cs_searcher_create(cs_search_shared_t *shared, cs_searcher_t **out)
{
    if (!shared || !out)
        return CS_ERR_NULL_ARG;
    cs_searcher_t *s = calloc(1, sizeof *s);
    if (!s)
        return CS_ERR_NO_MEMORY;
    s->shared = shared;
    s->path = shared->path;
    char *err = NULL;
    cs_status_t st = cs_analyzer_create(&s->analyzer, &err);
    free(err);
    err = NULL;
    /* Snippets stem every word of every hit's body: the same few thousand
     * words again and again, which the cache answers without Snowball. */
    if (st == CS_OK &&
        xc_stemmer_create_cached("english", STEM_CACHE_WORDS, &s->stemmer, &err) != XC_OK)
        st = CS_ERR_XAPIAN;
    free(err);
    if (st == CS_OK)
        st = cs_facet_cache_create(&s->facets);
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
    cs_facet_cache_destroy(s->facets);
    xc_database_destroy(s->db);
    cs_analyzer_destroy(s->analyzer);
    xc_stemmer_destroy(s->stemmer);
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
        snprintf(reason, n, "index %s cannot be read: %s", path, xc_database_status_string(*out));
        xc_database_destroy(*out);
        *out = NULL;
        return CS_ERR_XAPIAN;
    }
    uint32_t docs = 0;
    if (!version && xc_database_get_doccount(*out, &docs) == XC_OK && docs == 0) {
        /* What a first build leaves until it commits (the indexer takes
         * such a database as new): not a foreign index, one to wait for. */
        snprintf(reason, n, "index %s is still being built (no documents nor format version yet)",
                 path);
        xc_database_destroy(*out);
        *out = NULL;
        return CS_ERR_NOT_READY;
    }
    if (!version || strcmp(version, CS_SCHEMA_FORMAT_VERSION) != 0) {
        snprintf(reason, n,
                 "index %s has format version %s, but this searchd reads "
                 "version " CS_SCHEMA_FORMAT_VERSION
                 " (re-index with the matching confsearch-index)",
                 path, version ? version : "none (not a confsearch index)");
        free(version);
        xc_database_destroy(*out);
        *out = NULL;
        return CS_ERR_VERSION;
    }
    free(version);
    return CS_OK;
}

cs_status_t cs_searcher_index_id(cs_searcher_t *s, uint64_t *revision, char *uuid, size_t cap)
{
    if (!s || !revision || !uuid)
        return CS_ERR_NULL_ARG;
    if (!s->db || xc_database_get_revision(s->db, revision) != XC_OK ||
        xc_database_get_uuid(s->db, uuid, cap) != XC_OK)
        return CS_ERR_XAPIAN;
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
cs_status_t cs_searcher_ensure_db(cs_searcher_t *s)
{
    struct stat sb;
    if (stat(s->path, &sb) != 0) {
        /* Removed under us: drop the handle, whose open files would keep
         * serving a deleted index. */
        xc_database_destroy(s->db);
        s->db = NULL;
        snprintf(s->reason, sizeof s->reason, "index %s is missing", s->path);
        return CS_ERR_IO;
    }
    /* Another directory in its place (a first build puts its merged index
     * there with a rename): the handle's open files are the old index's,
     * and a reopen would mix the two. */
    if (s->db && (sb.st_dev != s->dev || sb.st_ino != s->ino)) {
        xc_database_destroy(s->db);
        s->db = NULL;
    }
    if (s->db) {
        bool changed = false;
        char uuid[sizeof s->uuid];
        /* Another build's files renamed over these (as rsync does) keep the
         * directory and may have the same revision: only the UUID, which
         * reopen reads afresh, tells the builds apart. */
        if (xc_database_reopen(s->db, &changed) == XC_OK &&
            xc_database_get_uuid(s->db, uuid, sizeof uuid) == XC_OK && strcmp(uuid, s->uuid) == 0) {
            if (changed)
                cs_metrics_reopen();
            return CS_OK;
        }
        xc_database_destroy(s->db);
        s->db = NULL;
    }
    s->generation++;
    cs_metrics_reopen();
    s->dev = sb.st_dev;
    s->ino = sb.st_ino;
    cs_status_t st = open_index(s->path, &s->db, s->reason, sizeof s->reason);
    if (st == CS_OK && xc_database_get_uuid(s->db, s->uuid, sizeof s->uuid) != XC_OK) {
        snprintf(s->reason, sizeof s->reason, "index %s: its UUID cannot be read: %s", s->path,
                 xc_database_status_string(s->db));
        xc_database_destroy(s->db);
        s->db = NULL;
        st = CS_ERR_XAPIAN;
    }
    return st;
}

/* s->reason as JSON can carry: the snprintf calls that write it cut long
 * reasons (a long CJK path or query in Xapian's message) wherever the
 * buffer ends, and jansson refuses a string ending inside a character. */
const char *cs_searcher_reason(cs_searcher_t *s)
{
    int32_t len = (int32_t)strnlen(s->reason, sizeof s->reason - 1);
    const uint8_t *u = (const uint8_t *)s->reason;
    U8_TRUNCATE_IF_INCOMPLETE(u, 0, len);
    s->reason[len] = '\0';
    return s->reason;
}

/* Always a 503: an index that cannot be read is never a 500, even when its
 * reason cannot be said (bytes that are not UTF-8 in a path). */
static json_t *unavailable(cs_searcher_t *s, int *http_status)
{
    *http_status = 503;
    json_t *answer = cs_search_error("index_unavailable", cs_searcher_reason(s));
    return answer ? answer : cs_search_error("index_unavailable", "the index cannot be read");
}

/* Called when a read of the index failed (not when it is missing, which
 * /healthz sees for itself): the reason and the request become the
 * witness /healthz retries. */
static json_t *damaged(cs_searcher_t *s, cs_witness_kind_t kind, const cs_search_request_t *req,
                       int *http_status)
{
    if (!s->replaying)
        cs_witness_store_record(s->shared->witnesses, kind, req);
    return unavailable(s, http_status);
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* ---- building the Xapian query ---------------------------------------- */

/* ---- running it -------------------------------------------------------- */

/* The i-th result as a hit.  A document that cannot be read is an index
 * failure, never a hit quietly left out: the caller answers 503 (or
 * retries after XC_ERR_MODIFIED). */
static cs_read_t hit_from_document(xc_document_t *doc, double weight, cs_highlighter_t *hl,
                                   bool scored, json_t **out, char *why, size_t why_len);

cs_read_t cs_read_of(xc_status_t xs)
{
    switch (xs) {
    case XC_OK: return CS_READ_OK;
    case XC_ERR_MODIFIED:
    case XC_ERR_NOT_FOUND: return CS_READ_CHANGED;
    case XC_ERR_CORRUPT:
    case XC_ERR_DATABASE:
    case XC_ERR_OPENING: return CS_READ_DAMAGED;
    case XC_ERR_NO_MEMORY: return CS_READ_NO_MEMORY;
    default: return CS_READ_FAILED;
    }
}

cs_read_t cs_search_hit(xc_mset_t *mset, size_t i, cs_highlighter_t *hl, bool scored, json_t **out,
                        char *why, size_t why_len)
{
    xc_document_t *doc = NULL;
    double weight = 0;
    xc_status_t xs = xc_mset_get_document(mset, i, &doc);
    if (xs != XC_OK) {
        snprintf(why, why_len, "%s", xc_mset_status_string(mset));
        return cs_read_of(xs);
    }
    xc_mset_get_weight(mset, i, &weight);
    cs_read_t r = hit_from_document(doc, weight, hl, scored, out, why, why_len);
    xc_document_destroy(doc);
    return r;
}

/* Parses a talk's stored JSON.  Out of memory must not pass for damage (a
 * 500, not a 503 that sends load balancers elsewhere), and jansson reports a
 * failed allocation inside a string as a syntax error: a second parse of the
 * same bytes fails at the same place only when the bytes are at fault.
 * Returns CS_OK (*out set, or *damaged when the bytes are not JSON),
 * CS_ERR_NO_MEMORY. */
static cs_status_t parse_stored(const char *data, size_t len, json_t **out, bool *damaged)
{
    json_error_t first, second;
    *damaged = false;
    *out = json_loadb(data, len, 0, &first);
    if (*out)
        return CS_OK;
    *out = json_loadb(data, len, 0, &second);
    if (*out)
        return CS_OK;
    /* A failed allocation before parsing starts leaves no error text (and
     * the code unset). */
    if (!first.text[0] || !second.text[0] || json_error_code(&first) == json_error_out_of_memory ||
        json_error_code(&first) != json_error_code(&second) || first.position != second.position)
        return CS_ERR_NO_MEMORY;
    *damaged = true;
    return CS_OK;
}

/* The highlighter of q's words (NULL when out of memory: nothing is
 * marked then).  Caller destroys. */
static cs_highlighter_t *query_highlighter(cs_searcher_t *s, const cs_query_t *q)
{
    cs_highlighter_t *hl = NULL;
    if (cs_highlighter_create(s->analyzer, s->stemmer, &hl) != CS_OK)
        return NULL;
    for (size_t i = 0; i < cs_query_highlight_count(q); i++) {
        int prefix = 0;
        const char *text = cs_query_highlight(q, i, &prefix);
        cs_highlighter_add(hl, text, strlen(text), prefix);
    }
    return hl;
}

/* Sets key of marked to text (a JSON string of talk) with hl's matches
 * marked, as escaped HTML whose only tags are <mark>: the page renders it
 * and never looks for the query's words itself.  False when out of
 * memory. */
static bool set_marked(json_t *marked, const char *key, cs_highlighter_t *hl, json_t *text)
{
    if (!json_is_string(text))
        return true;
    char *html = cs_highlighter_mark_all(hl, json_string_value(text), json_string_length(text));
    bool ok = html && json_object_set_new(marked, key, json_string(html)) == 0;
    free(html);
    return ok;
}

/* "marked": the title and each speaker of talk with hl's matches marked
 * (for a hit, and, with more fields, for the talk view).  They are marked
 * in one pass over "title\nspeaker\n...": a line break ends every match,
 * and one analysis of the lot costs half of one per name.  NULL when out
 * of memory. */
static json_t *marked_names(json_t *talk, cs_highlighter_t *hl)
{
    json_t *title = json_object_get(talk, "title"), *speakers = json_object_get(talk, "speakers");
    size_t n = json_array_size(speakers), total = json_string_length(title) + 1;
    bool one_line = !memchr(json_string_value(title) ? json_string_value(title) : "", '\n',
                            json_string_length(title));
    for (size_t i = 0; i < n; i++) {
        json_t *one = json_array_get(speakers, i);
        total += json_string_length(one) + 1;
        one_line = one_line && json_is_string(one) &&
                   !memchr(json_string_value(one), '\n', json_string_length(one));
    }
    char *all = malloc(total + 1), *html = NULL;
    size_t at = 0;
    if (all) {
        memcpy(all, json_string_value(title) ? json_string_value(title) : "",
               json_string_length(title));
        at = json_string_length(title);
        for (size_t i = 0; i < n; i++) {
            all[at++] = '\n';
            json_t *one = json_array_get(speakers, i);
            memcpy(all + at, json_string_value(one) ? json_string_value(one) : "",
                   json_string_length(one));
            at += json_string_length(one);
        }
        all[at] = '\0';
        html = one_line ? cs_highlighter_mark_all(hl, all, at) : NULL;
    }
    json_t *marked = json_object(), *names = json_array();
    bool ok = all && marked && names;
    /* The marked lines, in order: the title, then each speaker. */
    char *line = html, *next = NULL;
    for (size_t i = 0; ok && i <= n; i++) {
        char *text = NULL;
        if (html) {
            next = strchr(line, '\n');
            if (next)
                *next = '\0';
            text = line;
            line = next ? next + 1 : line + strlen(line);
        } else {
            json_t *v = i == 0 ? title : json_array_get(speakers, i - 1);
            text = json_is_string(v)
                       ? cs_highlighter_mark_all(hl, json_string_value(v), json_string_length(v))
                       : NULL;
        }
        json_t *str = text ? json_string(text) : NULL;
        ok = str && (i == 0 ? json_object_set_new(marked, "title", str)
                            : json_array_append_new(names, str)) == 0;
        if (!html)
            free(text);
    }
    free(html);
    free(all);
    if (ok && json_object_set(marked, "speakers", names) == 0) {
        json_decref(names);
        return marked;
    }
    json_decref(names);
    json_decref(marked);
    return NULL;
}

/* doc (borrowed) as a hit; see cs_search_hit. */
static cs_read_t hit_from_document(xc_document_t *doc, double weight, cs_highlighter_t *hl,
                                   bool scored, json_t **out, char *why, size_t why_len)
{
    char *data = NULL;
    size_t len = 0;
    xc_status_t xs = xc_document_get_data(doc, &data, &len);
    if (xs != XC_OK) {
        snprintf(why, why_len, "%s", xc_document_status_string(doc));
        return cs_read_of(xs);
    }
    json_t *talk = NULL;
    bool damaged_data = false;
    cs_status_t st = parse_stored(data, len, &talk, &damaged_data);
    free(data);
    if (st == CS_ERR_NO_MEMORY)
        return CS_READ_NO_MEMORY; /* the server's failure (a 500), not damage */
    if (!json_is_object(talk)) {
        json_decref(talk);
        snprintf(why, why_len, "its stored data is damaged");
        return CS_READ_DAMAGED;
    }
    /* A Markdown talk's snippet comes from its plain text: "##" and "**"
     * are markup, not something to show. */
    json_t *body = json_object_get(talk, "text");
    if (!json_is_string(body))
        body = json_object_get(talk, "body");
    /* A programme talk nobody took notes for is its abstract; the hit says
     * which text the snippet is from and that the notes are missing. */
    json_t *abstract = json_object_get(talk, "abstract");
    bool programme =
        json_is_string(abstract) || json_object_get(talk, "url") || json_object_get(talk, "track");
    bool no_notes = programme && json_string_length(body) == 0;
    if (no_notes && json_is_string(abstract))
        body = abstract;
    const char *text = json_string_value(body);
    char *snippet =
        cs_highlighter_snippet(hl, text ? text : "", json_string_length(body), SNIPPET_CHARS);
    /* Notes joined to a programme talk: when the words matched only its
     * abstract, the snippet is the abstract's. */
    if (hl && snippet && body != abstract && programme && json_is_string(abstract) &&
        !strstr(snippet, "<mark>")) {
        char *other = cs_highlighter_snippet(hl, json_string_value(abstract),
                                             json_string_length(abstract), SNIPPET_CHARS);
        if (other && strstr(other, "<mark>")) {
            free(snippet);
            snippet = other;
            body = abstract;
        } else
            free(other);
    }
    const char *from = body == abstract ? "abstract" : "notes";
    *out = json_pack("{s:O?, s:f, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:s}", "id",
                     json_object_get(talk, "id"), "score", scored ? weight : 0.0, "conference",
                     json_object_get(talk, "conference"), "day", json_object_get(talk, "day"),
                     "date", json_object_get(talk, "date"), "time", json_object_get(talk, "time"),
                     "room", json_object_get(talk, "room"), "title", json_object_get(talk, "title"),
                     "speaker", json_object_get(talk, "speaker"), "speakers",
                     json_object_get(talk, "speakers"), "snippet", snippet ? snippet : "");
    /* What only some talks have: a time range, a track, notes' absence. */
    static const char *const optional[] = {"end_time", "track", "language", "url", "link"};
    for (size_t i = 0; *out && i < sizeof optional / sizeof optional[0]; i++) {
        json_t *v = json_object_get(talk, optional[i]);
        if (v && json_object_set(*out, optional[i], v) != 0) {
            json_decref(*out);
            *out = NULL;
        }
    }
    if (*out && cs_highlighter_marks(hl)) {
        json_t *marked = marked_names(talk, hl);
        if (!marked || json_object_set_new(*out, "marked", marked) != 0) {
            json_decref(*out);
            *out = NULL;
        }
    }
    if (*out && programme &&
        (json_object_set_new(*out, "snippet_from", json_string(from)) != 0 ||
         (no_notes && json_object_set_new(*out, "no_notes", json_true()) != 0))) {
        json_decref(*out);
        *out = NULL;
    }
    free(snippet);
    json_decref(talk);
    return *out ? CS_READ_OK : CS_READ_NO_MEMORY;
}

/* "did you mean": the query with each unknown spelling word (the indexer's
 * rule: only such words are in the spelling table) replaced by Xapian's
 * spelling suggestion, or NULL when nothing changes. */
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
        char term[CS_TERM_BUF_BYTES];
        size_t tlen = 0;
        /* A compound's parts lie inside its whole: once it is replaced,
         * they are gone. */
        if (t->start < from || !cs_term_is_spelling_word(t) ||
            cs_term_word(t->text, t->len, term, &tlen) != CS_OK)
            continue;
        uint32_t freq = 0;
        if (xc_database_get_termfreq(s->db, term, tlen, &freq) != XC_OK || freq > 0)
            continue;
        char *fix = NULL;
        if (xc_database_get_spelling_suggestion(s->db, t->text, t->len, 2, &fix) != XC_OK || !fix)
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
    xc_status_t xapian; /* what a call of the library met */
    cs_read_t read;     /* what reading a matching talk met */
    int http_status;
    char detail[256]; /* Xapian's words for a failure, from the handle that failed */
} attempt_t;

/* What an attempt met: a talk's read when that failed, else the library's. */
static cs_read_t verdict(const attempt_t *a)
{
    return a->read != CS_READ_OK ? a->read : cs_read_of(a->xapian);
}

static attempt_t run_once(cs_searcher_t *s, const cs_search_request_t *req, const cs_query_t *q,
                          const cs_query_plan_t *plan)
{
    attempt_t a = {NULL, XC_OK, CS_READ_OK, 200, ""};
    uint32_t docs = 0;
    xc_database_get_doccount(s->db, &docs);
    uint32_t check = docs < CS_SEARCH_EXACT_BOUND ? docs : CS_SEARCH_EXACT_BOUND;
    xc_enquire_t *enq = NULL;
    /* matches: what the search matched; passes[f]: what it matches without
     * facet f's own filter.  Both record document ids only: counting values
     * during the match cost 40% of a search (a value chunk seek per match
     * and facet), reading the slots afterwards in document order is cheap. */
    xc_matchspy_t *matches = NULL, *passes[CS_FACET_COUNT] = {NULL};
    xc_mset_t *mset = NULL;
    xc_query_t *full = NULL;
    cs_query_plan_compose(plan, CS_FACET_COUNT, &full);
    cs_highlighter_t *hl = NULL;
    json_t *facets = json_object(), *hits = json_array();
    bool scored = cs_query_plan_has_text(plan);

    if (!full || !facets || !hits || xc_enquire_create(s->db, &enq, NULL) != XC_OK) {
        a.xapian = XC_ERR_NO_MEMORY;
        goto done;
    }
    xc_enquire_set_query(enq, full);
    /* An empty query lists talks in programme order.  Xapian's sort by
     * value reads the sort key of every match (a value-chunk seek each);
     * the cache has the order already, so Xapian
     * only collects the matches.  Past the exact bound Xapian may stop
     * before the last match, and a page from the cache would be wrong. */
    bool programme = !scored && docs <= CS_SEARCH_EXACT_BOUND;
    if (scored) {
        xc_enquire_set_weighting_bm25(enq, 1.2, 0, 1, 0.5, 0.5);
    } else {
        xc_enquire_set_weighting_bool(enq);
        if (!programme)
            xc_enquire_set_sort_by_value(enq, CS_SLOT_ORDER, false);
    }
    bool any_facet = programme;
    for (int f = 0; f < CS_FACET_COUNT; f++)
        any_facet = any_facet || req->facets[f];
    if (any_facet && (a.xapian = cs_facet_cache_update(s->facets, s->db, s->generation)) != XC_OK)
        goto done;
    /* No words and no filters: every talk, which the cache lists. */
    bool everything = programme;
    for (int f = 0; f < CS_FACET_COUNT; f++)
        everything = everything && !cs_query_plan_has_filter(plan, (cs_facet_t)f);
    if (programme && !everything &&
        (xc_matchspy_docids_create(&matches) != XC_OK ||
         xc_enquire_add_matchspy(enq, matches) != XC_OK)) {
        a.xapian = XC_ERR_NO_MEMORY;
        goto done;
    }
    /* A facet without a filter of its own counts along with the main search;
     * one with a filter needs a pass without it (disjunctive counts). */
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        if (!req->facets[f] || cs_query_plan_has_filter(plan, (cs_facet_t)f) || matches ||
            everything)
            continue;
        if (xc_matchspy_docids_create(&matches) != XC_OK ||
            xc_enquire_add_matchspy(enq, matches) != XC_OK) {
            a.xapian = XC_ERR_NO_MEMORY;
            goto done;
        }
    }
    if (everything)
        a.xapian = XC_OK;
    else if (programme)
        a.xapian = xc_enquire_get_mset(enq, 0, 0, check, &mset);
    else
        a.xapian = xc_enquire_get_mset(enq, (req->page - 1) * req->size, req->size, check, &mset);
    if (a.xapian != XC_OK) {
        snprintf(a.detail, sizeof a.detail, "%s", xc_enquire_status_string(enq));
        if (a.xapian == XC_ERR_WILDCARD) {
            a.http_status = 400;
            a.answer = cs_search_error("bad_request",
                                       "a word* prefix matches too many words; type more letters");
        }
        goto done;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        if (!req->facets[f] || !cs_query_plan_has_filter(plan, (cs_facet_t)f))
            continue;
        xc_enquire_t *other = NULL;
        xc_mset_t *none = NULL;
        xc_query_t *without = NULL;
        cs_query_plan_compose(plan, f, &without);
        a.xapian = XC_ERR_NO_MEMORY;
        if (without && xc_matchspy_docids_create(&passes[f]) == XC_OK &&
            xc_enquire_create(s->db, &other, NULL) == XC_OK) {
            xc_enquire_set_query(other, without);
            xc_enquire_set_weighting_bool(other);
            xc_enquire_add_matchspy(other, passes[f]);
            a.xapian = xc_enquire_get_mset(other, 0, 0, check, &none);
            if (a.xapian != XC_OK)
                snprintf(a.detail, sizeof a.detail, "%s", xc_enquire_status_string(other));
        }
        xc_mset_destroy(none);
        xc_enquire_destroy(other);
        xc_query_destroy(without);
        if (a.xapian != XC_OK)
            goto done;
    }
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        if (!req->facets[f])
            continue;
        json_t *list = NULL;
        /* matches is NULL only for everything: then the cache's list. */
        a.xapian = cs_facet_cache_counts(
            s->facets, cs_query_plan_has_filter(plan, (cs_facet_t)f) ? passes[f] : matches,
            (cs_facet_t)f, &list);
        if (json_object_set_new(facets, cs_facet_name(f), list) != 0 && a.xapian == XC_OK)
            a.xapian = XC_ERR_NO_MEMORY;
        if (a.xapian != XC_OK)
            goto done;
    }

    hl = query_highlighter(s, q);
    if (programme) {
        xc_docid_t page[CS_SEARCH_MAX_SIZE];
        size_t n = 0;
        a.xapian = cs_facet_cache_programme_page(
            s->facets, matches, (size_t)(req->page - 1) * req->size, req->size, page, &n);
        for (size_t i = 0; a.xapian == XC_OK && i < n; i++) {
            xc_document_t *doc = NULL;
            json_t *hit = NULL;
            char why[200] = "";
            a.xapian = xc_database_get_document(s->db, page[i], &doc);
            if (a.xapian != XC_OK)
                snprintf(why, sizeof why, "%s", xc_database_status_string(s->db));
            else
                a.read = hit_from_document(doc, 0.0, hl, false, &hit, why, sizeof why);
            xc_document_destroy(doc);
            if (a.xapian != XC_OK || a.read != CS_READ_OK) {
                snprintf(a.detail, sizeof a.detail, "a matching talk cannot be read: %s",
                         why[0] ? why : xc_status_to_string(a.xapian));
                goto done;
            }
            if (json_array_append_new(hits, hit) != 0) {
                a.xapian = XC_ERR_NO_MEMORY;
                goto done;
            }
        }
        if (a.xapian != XC_OK)
            goto done;
    }
    for (size_t i = 0; !programme && i < xc_mset_size(mset); i++) {
        json_t *hit = NULL;
        char why[200] = "";
        a.read = cs_search_hit(mset, i, hl, scored, &hit, why, sizeof why);
        if (a.read != CS_READ_OK) {
            snprintf(a.detail, sizeof a.detail, "a matching talk cannot be read: %s",
                     why[0] ? why : "unknown error");
            goto done;
        }
        if (json_array_append_new(hits, hit) != 0) {
            a.xapian = XC_ERR_NO_MEMORY;
            goto done;
        }
    }
    uint32_t lower =
        everything ? (uint32_t)cs_facet_cache_talks(s->facets) : xc_mset_matches_lower_bound(mset);
    uint32_t upper = everything ? lower : xc_mset_matches_upper_bound(mset);
    uint32_t total = everything ? lower : xc_mset_matches_estimated(mset);
    a.answer = json_pack("{s:I, s:i, s:i, s:O, s:O}", "total", (json_int_t)total, "page",
                         (int)req->page, "size", (int)req->size, "hits", hits, "facets", facets);
    if (a.answer && lower != upper &&
        json_object_set_new(a.answer, "approximate", json_true()) != 0) {
        json_decref(a.answer);
        a.answer = NULL;
    }
    if (!a.answer)
        a.xapian = XC_ERR_NO_MEMORY;
done:
    cs_highlighter_destroy(hl);
    json_decref(facets);
    json_decref(hits);
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    xc_matchspy_destroy(matches);
    for (int f = 0; f < CS_FACET_COUNT; f++)
        xc_matchspy_destroy(passes[f]);
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
    cs_query_plan_t *plan = NULL;
    st = cs_query_plan_create(s->analyzer, q, req, &plan);

    attempt_t a = {NULL, XC_ERR_MODIFIED, CS_READ_OK, 503, ""};
    for (int tries = 0; st == CS_OK && verdict(&a) == CS_READ_CHANGED && tries <= MODIFIED_RETRIES;
         tries++) {
        if (tries > 0)
            cs_metrics_retry();
        if (cs_searcher_ensure_db(s) != CS_OK) {
            a.answer = unavailable(s, &a.http_status);
            break;
        }
        a = run_once(s, req, q, plan);
    }
    if (!a.answer) {
        /* Only the index's failures are 503s; out of memory (while building
         * the query or the answer) is the server's, a 500. */
        if (st != CS_OK) {
            a.http_status = 500;
            a.answer = cs_search_error("internal_error", cs_status_to_string(st));
        } else if (verdict(&a) == CS_READ_CHANGED || verdict(&a) == CS_READ_DAMAGED) {
            snprintf(s->reason, sizeof s->reason, "index %s could not be searched: %s", s->path,
                     a.detail[0] ? a.detail : xc_status_to_string(a.xapian));
            a.answer = damaged(s, CS_WITNESS_SEARCH, req, &a.http_status);
        } else {
            a.http_status = 500;
            a.answer = cs_search_error("internal_error", verdict(&a) == CS_READ_NO_MEMORY
                                                             ? "out of memory"
                                                             : xc_status_to_string(a.xapian));
        }
    }
    if (a.http_status == 200) {
        char *fix = NULL;
        if (json_integer_value(json_object_get(a.answer, "total")) == 0 && req->q.len)
            fix = did_you_mean(s, req->q.value, req->q.len);
        if (json_object_set_new(a.answer, "query",
                                json_stringn(req->q.value ? req->q.value : "", req->q.len)) != 0 ||
            json_object_set_new(a.answer, "took_ms", json_real(elapsed_ms(&start))) != 0 ||
            json_object_set_new(a.answer, "suggestion", fix ? json_string(fix) : json_null()) !=
                0) {
            json_decref(a.answer);
            a.http_status = 500;
            a.answer = cs_search_error("internal_error", cs_status_to_string(CS_ERR_NO_MEMORY));
        }
        free(fix);
    }
    cs_query_plan_destroy(plan);
    cs_query_destroy(q);
    *http_status = a.http_status;
    return a.answer;
}

/* ---- completions, talks, health ----------------------------------------- */

typedef struct {
    char *terms[CS_SUGGEST_MAX];
    uint32_t freqs[CS_SUGGEST_MAX];
    size_t n, scanned;
    size_t strip;      /* bytes of term prefix that are not part of the word */
    size_t prefix_len; /* the typed prefix, which is not a completion of itself */
} completions_t;

static int consider_completion(const char *term, size_t len, uint32_t freq, void *ctx)
{
    completions_t *c = ctx;
    if (++c->scanned > SUGGEST_SCAN_LIMIT)
        return 1;
    term += c->strip;
    len -= c->strip;
    if (len <= c->prefix_len)
        return 0;
    /* The same word may come as a word and as a bigram: keep it once, at
     * the larger count. */
    for (size_t i = 0; i < c->n; i++) {
        if (strlen(c->terms[i]) == len && memcmp(c->terms[i], term, len) == 0) {
            if (freq <= c->freqs[i])
                return 0;
            free(c->terms[i]);
            memmove(c->terms + i, c->terms + i + 1, (c->n - i - 1) * sizeof c->terms[0]);
            memmove(c->freqs + i, c->freqs + i + 1, (c->n - i - 1) * sizeof c->freqs[0]);
            c->n--;
            break;
        }
    }
    /* Keep the CS_SUGGEST_MAX most frequent, in order (ties: first seen). */
    size_t at = c->n;
    while (at > 0 && c->freqs[at - 1] < freq)
        at--;
    if (at >= CS_SUGGEST_MAX)
        return 0;
    char *copy = strndup(term, len);
    if (!copy)
        return 1;
    if (c->n == CS_SUGGEST_MAX)
        free(c->terms[--c->n]);
    memmove(c->terms + at + 1, c->terms + at, (c->n - at) * sizeof c->terms[0]);
    memmove(c->freqs + at + 1, c->freqs + at, (c->n - at) * sizeof c->freqs[0]);
    c->terms[at] = copy;
    c->freqs[at] = freq;
    c->n++;
    return 0;
}

/* Word completions of prefix, and for a CJK prefix also the character
 * pairs that start with it: ICU's dictionary leaves many real words (社群)
 * inside longer ones, where only the bigrams see them. */
static xc_status_t complete(cs_searcher_t *s, const cs_token_t *last, completions_t *c)
{
    char term[CS_TERM_BUF_BYTES];
    size_t n = 0;
    if (cs_term_word(last->text, last->len, term, &n) != CS_OK)
        return XC_OK;
    c->prefix_len = last->len;
    xc_status_t xs = xc_database_allterms(s->db, term, n, consider_completion, c);
    if (xs != XC_OK || last->kind != CS_TOKEN_CJK ||
        cs_term_bigram(last->text, last->len, term, &n) != CS_OK)
        return xs;
    c->strip = n - last->len;
    c->scanned = 0;
    return xc_database_allterms(s->db, term, n, consider_completion, c);
}

json_t *cs_search_suggest(cs_searcher_t *s, const char *q, size_t len, int *http_status)
{
    if (cs_searcher_ensure_db(s) != CS_OK)
        return unavailable(s, http_status);
    json_t *list = json_array();
    const cs_token_t *tokens;
    size_t count;
    xc_status_t xs = XC_OK;
    /* Only the last word is being typed; spaces after it mean it is done. */
    if (len > 0 && q[len - 1] != ' ' && cs_analyze(s->analyzer, q, len, &tokens, &count) == CS_OK) {
        const cs_token_t *last = NULL;
        for (size_t i = 0; i < count; i++)
            if (tokens[i].kind != CS_TOKEN_BIGRAM && !tokens[i].variant && tokens[i].end == len)
                last = &tokens[i];
        for (int tries = 0; last && tries <= MODIFIED_RETRIES; tries++) {
            completions_t c = {0};
            xs = complete(s, last, &c);
            for (size_t i = 0; i < c.n; i++) {
                if (xs == XC_OK)
                    json_array_append_new(list, json_string(c.terms[i]));
                free(c.terms[i]);
            }
            if (xs != XC_ERR_MODIFIED)
                break;
            cs_metrics_retry();
            xc_database_reopen(s->db, NULL);
        }
    }
    if (xs != XC_OK) {
        json_decref(list);
        snprintf(s->reason, sizeof s->reason, "index %s could not be read: %s", s->path,
                 xc_database_status_string(s->db));
        cs_search_request_t req = {.q = {q, len}};
        return damaged(s, CS_WITNESS_SUGGEST, &req, http_status);
    }
    *http_status = 200;
    return json_pack("{s:o}", "suggestions", list);
}

/* Notes held by a programme talk's document (schema/README.md, "Notes
 * joined to the programme") answer as that document, so a link to the
 * notes' own id keeps working: *docid and term become the pair's. */
static xc_status_t follow_held(xc_database_t *db, xc_docid_t *docid, char term[CS_TERM_BUF_BYTES],
                               size_t *tlen)
{
    xc_document_t *doc = NULL;
    char to[CS_TERM_BUF_BYTES] = "";
    xc_status_t xs = xc_database_get_document(db, *docid, &doc);
    if (xs == XC_OK)
        xs = xc_document_first_term(doc, CS_PREFIX_JOINED_TO, strlen(CS_PREFIX_JOINED_TO), to,
                                    sizeof to);
    xc_document_destroy(doc);
    if (xs != XC_OK || !to[0])
        return xs;
    const char *pair = to + strlen(CS_PREFIX_JOINED_TO);
    char pair_term[CS_TERM_BUF_BYTES];
    size_t pair_len = 0;
    xc_docid_t found = 0;
    if (cs_term_filter(NULL, CS_FILTER_ID, pair, strlen(pair), pair_term, &pair_len) != CS_OK)
        return XC_OK;
    xs = xc_database_first_docid(db, pair_term, pair_len, &found);
    if (xs == XC_OK && found) {
        *docid = found;
        memcpy(term, pair_term, pair_len + 1);
        *tlen = pair_len;
    }
    return xs;
}

json_t *cs_search_talk_answer(cs_searcher_t *s, cs_talk_answer_t kind, const char *id, size_t len,
                              cs_talk_reader_fn read, void *ctx, int *http_status)
{
    *http_status = 404;
    bool plain = len > 0 && len < CS_MAX_ID_BYTES;
    /* Only len bytes are ours: id need not be NUL-terminated. */
    for (size_t i = 0; plain && i < len; i++) {
        unsigned char ch = (unsigned char)id[i];
        plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '_' || ch == '-';
    }
    if (!plain)
        return cs_search_error("not_found", "no talk has that id");
    if (cs_searcher_ensure_db(s) != CS_OK)
        return unavailable(s, http_status);
    char term[CS_TERM_BUF_BYTES];
    size_t tlen = 0;
    if (cs_term_filter(NULL, CS_FILTER_ID, id, len, term, &tlen) != CS_OK)
        return cs_search_error("not_found", "no talk has that id");
    char why[200] = "";
    for (int tries = 0; tries <= MODIFIED_RETRIES; tries++) {
        xc_docid_t docid = 0;
        json_t *answer = NULL;
        why[0] = '\0';
        xc_status_t xs = xc_database_first_docid(s->db, term, tlen, &docid);
        if (xs == XC_OK && !docid)
            return cs_search_error("not_found", "no talk has that id");
        if (xs == XC_OK)
            xs = follow_held(s->db, &docid, term, &tlen);
        *http_status = 200;
        cs_read_t r = xs != XC_OK ? cs_read_of(xs)
                                  : read(s, s->db, docid, term, tlen, ctx, &answer, http_status,
                                         why, sizeof why);
        if (r == CS_READ_OK)
            return answer;
        json_decref(answer);
        if (r == CS_READ_NO_MEMORY || r == CS_READ_FAILED) {
            *http_status = 500;
            return cs_search_error("internal_error", r == CS_READ_NO_MEMORY ? "out of memory"
                                                     : why[0]               ? why
                                                              : "the index cannot be read");
        }
        if (r != CS_READ_CHANGED)
            break;
        cs_metrics_retry();
        xc_database_reopen(s->db, NULL);
    }
    const char *words = why[0] ? why : xc_database_status_string(s->db);
    snprintf(s->reason, sizeof s->reason, "index %s could not be read: %s", s->path,
             *words ? words : "unknown error");
    cs_search_request_t req = {.q = {id, len}};
    return damaged(s, kind == CS_TALK_ANSWER_SIMILAR ? CS_WITNESS_SIMILAR : CS_WITNESS_SESSION,
                   &req, http_status);
}

typedef struct {
    const char *q; /* the query whose words the talk view marks, or NULL */
    size_t len;
} session_query_t;

/* The talk's "marked" fields for the words of query: title, speakers,
 * abstract, description and notes (the rendered HTML of Markdown notes,
 * else the plain body).  A query that does not parse marks nothing: the
 * talk is still shown.  False when out of memory. */
static bool mark_talk(cs_searcher_t *s, json_t *talk, const session_query_t *query)
{
    cs_query_t *q = NULL;
    char *err = NULL;
    cs_status_t st = cs_query_parse(s->analyzer, s->stemmer, query->q, query->len, &q, &err);
    free(err);
    if (st != CS_OK)
        return st != CS_ERR_NO_MEMORY;
    cs_highlighter_t *hl = query_highlighter(s, q);
    bool ok = hl != NULL;
    if (ok && cs_highlighter_marks(hl)) {
        json_t *marked = marked_names(talk, hl);
        ok = marked && set_marked(marked, "abstract", hl, json_object_get(talk, "abstract")) &&
             set_marked(marked, "description", hl, json_object_get(talk, "description"));
        json_t *html = json_object_get(talk, "body_html");
        if (ok && json_is_string(html)) {
            char *m =
                cs_highlighter_mark_html(hl, json_string_value(html), json_string_length(html));
            ok = m && json_object_set_new(marked, "body_html", json_string(m)) == 0;
            free(m);
        } else if (ok) {
            ok = set_marked(marked, "body", hl, json_object_get(talk, "body"));
        }
        if (ok)
            ok = json_object_set_new(talk, "marked", marked) == 0; /* takes marked */
        else
            json_decref(marked);
    }
    cs_highlighter_destroy(hl);
    cs_query_destroy(q);
    return ok;
}

/* The talk as stored, a Markdown one also rendered, and its "marked"
 * fields when ctx (a session_query_t) has a query. */
static cs_read_t read_session(cs_searcher_t *s, xc_database_t *db, xc_docid_t docid,
                              const char *idterm, size_t idlen, void *ctx, json_t **answer,
                              int *http_status, char *why, size_t why_len)
{
    (void)idterm;
    (void)idlen;
    const session_query_t *query = ctx;
    xc_document_t *doc = NULL;
    char *data = NULL;
    size_t dlen = 0;
    xc_status_t xs = xc_database_get_document(db, docid, &doc);
    if (xs == XC_OK && (xs = xc_document_get_data(doc, &data, &dlen)) != XC_OK)
        snprintf(why, why_len, "%s", xc_document_status_string(doc));
    xc_document_destroy(doc);
    if (xs != XC_OK)
        return cs_read_of(xs);
    json_t *talk = NULL;
    bool bad = false;
    cs_status_t st = parse_stored(data, dlen, &talk, &bad);
    free(data);
    if (st != CS_OK) {
        *http_status = 500;
        *answer = cs_search_error("internal_error", cs_status_to_string(st));
        return CS_READ_OK;
    }
    if (bad) {
        snprintf(why, why_len, "its stored data is damaged");
        return CS_READ_DAMAGED; /* the index's failure: a 503 */
    }
    /* A pair's document keeps its programme talk's own JSON for the
     * indexer: the answer says only how the notes were joined. */
    json_object_del(json_object_get(talk, "joined"), "programme");
    /* A Markdown talk (it has a plain "text") is shown rendered. */
    json_t *body = json_object_get(talk, "body");
    if (talk && json_is_string(json_object_get(talk, "text")) && json_is_string(body)) {
        char *html = cs_markdown_view_html(json_string_value(body), json_string_length(body));
        if (!html || json_object_set_new(talk, "body_html", json_string(html)) != 0) {
            free(html);
            json_decref(talk);
            *http_status = 500;
            *answer = cs_search_error("internal_error", "out of memory");
            return CS_READ_OK;
        }
        free(html);
    }
    if (query && query->q && query->len && !mark_talk(s, talk, query)) {
        json_decref(talk);
        *http_status = 500;
        *answer = cs_search_error("internal_error", "out of memory");
        return CS_READ_OK;
    }
    *http_status = 200;
    *answer = talk;
    return CS_READ_OK;
}

json_t *cs_search_session(cs_searcher_t *s, const char *id, size_t len, int *http_status)
{
    return cs_search_session_marked(s, id, len, NULL, 0, http_status);
}

json_t *cs_search_session_marked(cs_searcher_t *s, const char *id, size_t len, const char *q,
                                 size_t qlen, int *http_status)
{
    session_query_t query = {q, qlen};
    return cs_search_talk_answer(s, CS_TALK_ANSWER_SESSION, id, len, read_session, &query,
                                 http_status);
}
