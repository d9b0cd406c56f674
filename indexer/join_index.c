/* join_index.c: the join kept inside the index (join_index.h). */
#define _GNU_SOURCE /* memmem */
#include "join_index.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "grow.h"
#include "join.h"
#include "schema.h"
#include "terms.h"
#include "xc_lists.h"

/* The key of a pair's stored JSON that holds the programme talk's own. */
#define JOINED_KEY "joined"
#define NONE SIZE_MAX

bool cs_join_index_own_json(const char *json, size_t len, char **own)
{
    *own = NULL;
    /* Inside a JSON string a quote is escaped, so only the key itself has
     * these bytes: most talks are told apart without parsing. */
    static const char needle[] = "\"" JOINED_KEY "\":";
    if (!json || !memmem(json, len, needle, sizeof needle - 1))
        return false;
    json_t *obj = json_loadb(json, len, 0, NULL);
    const char *p =
        json_string_value(json_object_get(json_object_get(obj, JOINED_KEY), "programme"));
    if (p)
        *own = strdup(p);
    json_decref(obj);
    return *own != NULL;
}

/* own (a stored talk's JSON) with its id set to id, as the builder writes
 * it, in *out. */
static cs_status_t own_with_id(cs_doc_builder_t *b, const char *own, const char *id, char **out)
{
    cs_session_t s;
    cs_status_t st = cs_schema_session_from_json(own, strlen(own), &s);
    if (st != CS_OK)
        return st;
    free(s.id);
    s.id = strdup(id);
    st = s.id ? cs_doc_builder_json(b, &s, out) : CS_ERR_NO_MEMORY;
    cs_session_clear(&s);
    return st;
}

cs_status_t cs_join_index_rekey_json(cs_doc_builder_t *b, const char *json, size_t len,
                                     const char *id, char **out)
{
    if (!b || !json || !id || !out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    char *own = NULL, *own2 = NULL;
    if (!cs_join_index_own_json(json, len, &own))
        return CS_ERR_FORMAT;
    cs_status_t st = own_with_id(b, own, id, &own2);
    json_t *obj = st == CS_OK ? json_loadb(json, len, 0, NULL) : NULL;
    json_t *joined = json_object_get(obj, JOINED_KEY);
    if (st == CS_OK && (!joined || json_object_set_new(obj, "id", json_string(id)) != 0 ||
                        json_object_set_new(joined, "programme", json_string(own2)) != 0 ||
                        !(*out = json_dumps(obj, JSON_COMPACT))))
        st = CS_ERR_NO_MEMORY;
    json_decref(obj);
    free(own);
    free(own2);
    return st;
}

/* ---- the pass ------------------------------------------------------------ */

typedef struct {
    xc_docid_t docid;
    char *data; /* stored JSON now: the pair's, or the talk's own */
    size_t len;
    char *own; /* the talk's own stored JSON */
    cs_session_t s;
    size_t partner; /* position in notes, NONE */
} prog_t;

typedef struct {
    xc_docid_t docid;
    char src[CS_TERM_BUF_BYTES]; /* its owner term, for the order */
    char to[CS_TERM_BUF_BYTES];  /* its CS_PREFIX_JOINED_TO term, "" when none */
    bool joined;                 /* holds CS_TERM_JOINED */
    char *data;
    size_t len;
    cs_session_t s;
    size_t holder; /* position in prog of the talk it joins, NONE */
} notes_t;

typedef struct {
    xc_database_t *db;
    cs_doc_builder_t *b;
    char *err;
    size_t err_len;
    cs_join_t *j;
    prog_t *prog;
    size_t n_prog, cap_prog;
    notes_t *notes;
    size_t n_notes, cap_notes;
    cs_docid_list_t cand;
    cs_status_t key_st;
} pass_t;

__attribute__((format(printf, 3, 4))) static cs_status_t fail(pass_t *p, cs_status_t st,
                                                              const char *fmt, ...)
{
    if (p->err && p->err_len && !p->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->err_len, fmt, ap);
        va_end(ap);
    }
    return st;
}

static cs_status_t xapian_fail(pass_t *p, const char *what)
{
    return fail(p, CS_ERR_XAPIAN, "%s: %s", what, xc_database_status_string(p->db));
}

static cs_status_t postlist(pass_t *p, const char *term, size_t len, cs_docid_list_t *into)
{
    if (xc_database_postlist(p->db, term, len, cs_docid_list_add, into) != XC_OK)
        return xapian_fail(p, "cannot read the talks to join");
    return into->failed ? CS_ERR_NO_MEMORY : CS_OK;
}

static xc_status_t first_term(xc_document_t *doc, const char *prefix, char *out, size_t cap)
{
    return xc_document_first_term(doc, prefix, strlen(prefix), out, cap);
}

static cs_status_t read_doc(pass_t *p, xc_docid_t docid, xc_document_t **doc, char **data,
                            size_t *len)
{
    if (xc_database_get_document(p->db, docid, doc) != XC_OK ||
        xc_document_get_data(*doc, data, len) != XC_OK) {
        xc_document_destroy(*doc);
        *doc = NULL;
        return xapian_fail(p, "cannot read a talk to join");
    }
    return CS_OK;
}

/* Every programme talk, with its own JSON and session.  A talk whose JSON
 * cannot be read is left out of the join (searchd reports such damage). */
static cs_status_t load_programme(pass_t *p)
{
    cs_docid_list_t ids = {0};
    cs_status_t st = postlist(p, CS_TERM_PROGRAMME, strlen(CS_TERM_PROGRAMME), &ids);
    for (size_t i = 0; st == CS_OK && i < ids.n; i++) {
        prog_t t = {.docid = ids.ids[i], .partner = NONE};
        xc_document_t *doc = NULL;
        st = read_doc(p, t.docid, &doc, &t.data, &t.len);
        xc_document_destroy(doc);
        if (st != CS_OK)
            break;
        if (!cs_join_index_own_json(t.data, t.len, &t.own))
            t.own = strndup(t.data, t.len);
        cs_status_t rd =
            t.own ? cs_schema_session_from_json(t.own, strlen(t.own), &t.s) : CS_ERR_NO_MEMORY;
        if (rd == CS_OK && !cs_grow(&p->prog, &p->cap_prog, p->n_prog + 1, sizeof *p->prog, 16))
            rd = CS_ERR_NO_MEMORY;
        if (rd == CS_OK) {
            p->prog[p->n_prog++] = t;
            continue;
        }
        cs_session_clear(&t.s);
        free(t.own);
        free(t.data);
        if (rd != CS_ERR_FORMAT)
            st = rd;
    }
    for (size_t k = 0; st == CS_OK && k < p->n_prog; k++)
        st = cs_join_add_programme(p->j, &p->prog[k].s, k);
    cs_docid_list_clear(&ids);
    return st;
}

static int find_by_key(cs_filter_t kind, const char *key, void *ctx)
{
    pass_t *p = ctx;
    char term[CS_TERM_BUF_BYTES];
    size_t len;
    p->key_st = cs_term_filter(NULL, kind, key, strlen(key), term, &len);
    if (p->key_st == CS_ERR_FORMAT) {
        p->key_st = CS_OK;
        return 0;
    }
    if (p->key_st == CS_OK)
        p->key_st = postlist(p, term, len, &p->cand);
    return p->key_st != CS_OK;
}

static cs_status_t keys_status(pass_t *p, cs_status_t st)
{
    return st == CS_ERR_NO_MEMORY && p->key_st != CS_OK ? p->key_st : st;
}

static int by_docid(const void *key, const void *elem)
{
    xc_docid_t a = *(const xc_docid_t *)key, b = ((const notes_t *)elem)->docid;
    return (a > b) - (a < b);
}

/* Whether docid is among the first n notes talks (loaded in docid order). */
static bool loaded(const pass_t *p, size_t n, xc_docid_t docid)
{
    return n && bsearch(&docid, p->notes, n, sizeof *p->notes, by_docid);
}

/* Loads the candidates not loaded yet (each call's are sorted, so the
 * first call's are found by binary search in the next).  Programme talks
 * are never notes. */
static cs_status_t load_notes(pass_t *p)
{
    cs_docid_list_sort_unique(&p->cand);
    cs_status_t st = CS_OK;
    size_t before = p->n_notes;
    for (size_t i = 0; st == CS_OK && i < p->cand.n; i++) {
        xc_docid_t docid = p->cand.ids[i];
        if (loaded(p, before, docid))
            continue;
        notes_t n = {.docid = docid, .holder = NONE};
        xc_document_t *doc = NULL;
        char joined[CS_TERM_BUF_BYTES];
        st = read_doc(p, docid, &doc, &n.data, &n.len);
        if (st == CS_OK && (first_term(doc, CS_PREFIX_SOURCE, n.src, sizeof n.src) != XC_OK ||
                            first_term(doc, CS_PREFIX_JOINED_TO, n.to, sizeof n.to) != XC_OK ||
                            first_term(doc, CS_TERM_JOINED, joined, sizeof joined) != XC_OK))
            st = xapian_fail(p, "cannot read a talk to join");
        xc_document_destroy(doc);
        cs_status_t rd = st == CS_OK ? cs_schema_session_from_json(n.data, n.len, &n.s) : st;
        n.joined = st == CS_OK && strcmp(joined, CS_TERM_JOINED) == 0;
        if (rd == CS_OK && n.s.programme)
            rd = CS_ERR_FORMAT;
        if (rd == CS_OK && !cs_grow(&p->notes, &p->cap_notes, p->n_notes + 1, sizeof *p->notes, 16))
            rd = CS_ERR_NO_MEMORY;
        if (rd == CS_OK) {
            p->notes[p->n_notes++] = n;
            continue;
        }
        cs_session_clear(&n.s);
        free(n.data);
        if (rd != CS_ERR_FORMAT)
            st = rd;
    }
    return st;
}

/* The notes talks any programme talk may join: those sharing a slot or
 * title key with one, every one joined now (it may have to be let go),
 * then the pads the hub talks among them link to. */
static cs_status_t find_notes(pass_t *p)
{
    cs_status_t st = CS_OK;
    for (size_t k = 0; st == CS_OK && k < p->n_prog; k++)
        st = keys_status(p, cs_join_keys(p->j, &p->prog[k].s, find_by_key, p));
    if (st == CS_OK)
        st = postlist(p, CS_TERM_JOINED, strlen(CS_TERM_JOINED), &p->cand);
    if (st == CS_OK)
        st = load_notes(p);
    p->cand.n = 0;
    for (size_t i = 0; st == CS_OK && i < p->n_notes; i++) {
        char *pad = cs_join_pad_key(p->notes[i].s.link);
        if (pad)
            st = find_by_key(CS_FILTER_JOIN_PAD, pad, p) ? keys_status(p, CS_ERR_NO_MEMORY) : CS_OK;
        free(pad);
    }
    return st == CS_OK ? load_notes(p) : st;
}

/* The id rule's order (schema.h cs_schema_claim_compare). */
static int by_claim_order(const void *a, const void *b)
{
    const notes_t *x = a, *y = b;
    cs_claim_t cx = {false, x->src, x->s.line, x->data, x->len};
    cs_claim_t cy = {false, y->src, y->s.line, y->data, y->len};
    return cs_schema_claim_compare(&cx, &cy);
}

/* Bytes of notes a talk has: its body without blank space. */
static size_t notes_bytes(const cs_session_t *s)
{
    size_t n = 0;
    for (size_t i = 0; s->body && i < s->body_len; i++)
        n += !(s->body[i] == ' ' || s->body[i] == '\t' || s->body[i] == '\n' || s->body[i] == '\r');
    return n;
}

/* Which notes talk each programme talk holds: of those the matcher joins
 * to it, the one with the most notes, the first in the id rule's order
 * among equals (a hub pad's item, a line and a link, loses to the pad it
 * links to).  The others without notes are held by it too, so the talk is
 * listed once; those with notes of their own (a second note-taker's pad)
 * stay talks of their own. */
static cs_status_t decide(pass_t *p, cs_join_reason_t **why_out)
{
    if (p->n_notes > 1)
        qsort(p->notes, p->n_notes, sizeof *p->notes, by_claim_order);
    const cs_session_t **list = calloc(p->n_notes + 1, sizeof *list);
    size_t *index = calloc(p->n_notes + 1, sizeof *index);
    cs_join_reason_t *why = calloc(p->n_notes + 1, sizeof *why);
    cs_status_t st = list && index && why ? CS_OK : CS_ERR_NO_MEMORY;
    for (size_t i = 0; st == CS_OK && i < p->n_notes; i++)
        list[i] = &p->notes[i].s;
    if (st == CS_OK)
        st = cs_join_resolve(p->j, list, p->n_notes, index, why);
    for (size_t i = 0; st == CS_OK && i < p->n_notes; i++) {
        if (why[i] == CS_JOIN_NONE || index[i] >= p->n_prog)
            continue;
        prog_t *t = &p->prog[index[i]];
        if (t->partner == NONE ||
            notes_bytes(&p->notes[i].s) > notes_bytes(&p->notes[t->partner].s))
            t->partner = i;
    }
    for (size_t i = 0; st == CS_OK && i < p->n_notes; i++) {
        if (why[i] == CS_JOIN_NONE || index[i] >= p->n_prog)
            continue;
        if (p->prog[index[i]].partner == i || notes_bytes(&p->notes[i].s) == 0)
            p->notes[i].holder = index[i];
    }
    free(list);
    free(index);
    if (st != CS_OK) {
        free(why);
        why = NULL;
    }
    *why_out = why;
    return st;
}

/* ---- writing ------------------------------------------------------------- */

/* The terms of doc with each of the n prefixes (a document's term list is
 * walked before it is changed). */
static cs_status_t terms_with(pass_t *p, xc_document_t *doc, const char *const *prefixes, size_t n,
                              cs_term_list_t *out)
{
    for (size_t i = 0; i < n && !out->failed; i++)
        if (xc_document_termlist(doc, prefixes[i], strlen(prefixes[i]), cs_term_list_add, out) !=
            XC_OK)
            return xapian_fail(p, "cannot read a talk to join");
    return out->failed ? CS_ERR_NO_MEMORY : CS_OK;
}

/* The terms that say who owns a talk: a document rebuilt from stored JSON
 * knows only its file's name, so these come from the document it replaces. */
static const char *const owner_prefixes[] = {CS_PREFIX_ID, CS_PREFIX_BASE, CS_PREFIX_SOURCE};
#define N_OWNER (sizeof owner_prefixes / sizeof *owner_prefixes)

static cs_status_t adopt_owner(pass_t *p, xc_docid_t docid, xc_document_t *doc)
{
    xc_document_t *cur = NULL;
    if (xc_database_get_document(p->db, docid, &cur) != XC_OK)
        return xapian_fail(p, "cannot read a joined talk");
    cs_term_list_t built = {0}, owner = {0};
    cs_status_t st = terms_with(p, doc, owner_prefixes, N_OWNER, &built);
    if (st == CS_OK)
        st = terms_with(p, cur, owner_prefixes, N_OWNER, &owner);
    for (size_t i = 0; st == CS_OK && i < built.n; i++)
        if (xc_document_remove_term(doc, built.terms[i], strlen(built.terms[i])) != XC_OK)
            st = fail(p, CS_ERR_XAPIAN, "cannot rewrite a joined talk");
    for (size_t i = 0; st == CS_OK && i < owner.n; i++)
        if (xc_document_add_boolean_term(doc, owner.terms[i], strlen(owner.terms[i])) != XC_OK)
            st = fail(p, CS_ERR_XAPIAN, "cannot rewrite a joined talk");
    cs_term_list_clear(&built);
    cs_term_list_clear(&owner);
    xc_document_destroy(cur);
    return st;
}

/* Rebuilds docid's document from s and its stored JSON json, replacing the
 * one whose stored JSON is old (its spelling data taken back). */
static cs_status_t rebuild(pass_t *p, xc_docid_t docid, const cs_session_t *s, const char *json,
                           const char *old, size_t old_len)
{
    xc_document_t *doc = NULL;
    cs_status_t st = cs_doc_builder_build_replacement(p->b, s, json, old, old_len, &doc);
    if (st == CS_ERR_FORMAT)
        st = cs_doc_builder_build(p->b, s, json, &doc);
    if (st == CS_OK)
        st = adopt_owner(p, docid, doc);
    if (st == CS_OK && xc_database_replace_document_at(p->db, docid, doc) != XC_OK)
        st = xapian_fail(p, "cannot rewrite a joined talk");
    xc_document_destroy(doc);
    return st;
}

/* The stored JSON of programme talk t holding notes talk n. */
static cs_status_t pair_json(pass_t *p, const prog_t *t, const notes_t *n, cs_join_reason_t why,
                             cs_session_t *m, char **out)
{
    *out = NULL;
    cs_status_t st = cs_join_merge(&t->s, &n->s, m);
    if (st != CS_OK)
        return st;
    char *base = NULL;
    st = cs_doc_builder_json(p->b, m, &base);
    json_t *obj = st == CS_OK ? json_loads(base, 0, NULL) : NULL;
    if (st == CS_OK &&
        (!obj ||
         json_object_set_new(obj, JOINED_KEY,
                             json_pack("{s:s, s:s?, s:s}", "why", cs_join_reason_name(why),
                                       "notes_id", n->s.id, "programme", t->own)) != 0 ||
         !(*out = json_dumps(obj, JSON_COMPACT))))
        st = CS_ERR_NO_MEMORY;
    json_decref(obj);
    free(base);
    return st;
}

static cs_status_t write_programme(pass_t *p, prog_t *t, cs_join_reason_t why, bool *wrote)
{
    cs_session_t m = {0};
    char *json = NULL;
    cs_status_t st = CS_OK;
    if (t->partner != NONE)
        st = pair_json(p, t, &p->notes[t->partner], why, &m, &json);
    const char *want = t->partner != NONE ? json : t->own;
    if (st == CS_OK && (strlen(want) != t->len || memcmp(want, t->data, t->len) != 0)) {
        st = rebuild(p, t->docid, t->partner != NONE ? &m : &t->s, want, t->data, t->len);
        *wrote = st == CS_OK;
    }
    cs_session_clear(&m);
    free(json);
    return st;
}

/* What a notes talk held by a pair keeps: its owner terms and join keys
 * (so the next commit finds it again), and its own stored JSON (so that
 * its file's next run sees it unchanged). */
static const char *const held_prefixes[] = {CS_PREFIX_ID,         CS_PREFIX_BASE,
                                            CS_PREFIX_SOURCE,     CS_PREFIX_JOIN_SLOT,
                                            CS_PREFIX_JOIN_TITLE, CS_PREFIX_JOIN_PAD};

static cs_status_t hold(pass_t *p, const notes_t *n, const char *to_term, size_t to_len)
{
    xc_document_t *cur = NULL, *doc = NULL;
    if (xc_database_get_document(p->db, n->docid, &cur) != XC_OK)
        return xapian_fail(p, "cannot read a joined talk");
    cs_term_list_t keep = {0};
    cs_status_t st =
        terms_with(p, cur, held_prefixes, sizeof held_prefixes / sizeof *held_prefixes, &keep);
    if (st == CS_OK && xc_document_create(&doc) != XC_OK)
        st = CS_ERR_NO_MEMORY;
    for (size_t i = 0; st == CS_OK && i < keep.n; i++)
        if (xc_document_add_boolean_term(doc, keep.terms[i], strlen(keep.terms[i])) != XC_OK)
            st = CS_ERR_NO_MEMORY;
    if (st == CS_OK &&
        (xc_document_add_boolean_term(doc, CS_TERM_JOINED, strlen(CS_TERM_JOINED)) != XC_OK ||
         xc_document_add_boolean_term(doc, to_term, to_len) != XC_OK ||
         xc_document_set_data(doc, n->data, n->len) != XC_OK))
        st = CS_ERR_NO_MEMORY;
    if (st == CS_OK && xc_database_replace_document_at(p->db, n->docid, doc) != XC_OK)
        st = xapian_fail(p, "cannot rewrite a joined talk");
    cs_term_list_clear(&keep);
    xc_document_destroy(doc);
    xc_document_destroy(cur);
    return st;
}

static cs_status_t write_notes(pass_t *p, notes_t *n, bool *wrote)
{
    if (n->holder == NONE) {
        if (!n->joined)
            return CS_OK;
        /* Let go: a talk of its own again. */
        cs_status_t st = rebuild(p, n->docid, &n->s, n->data, n->data, n->len);
        *wrote = st == CS_OK;
        return st;
    }
    const char *id = p->prog[n->holder].s.id;
    char term[CS_TERM_BUF_BYTES];
    size_t len;
    cs_status_t st =
        cs_term_filter(NULL, CS_FILTER_JOINED_TO, id ? id : "", id ? strlen(id) : 0, term, &len);
    if (st != CS_OK)
        return st == CS_ERR_FORMAT || st == CS_ERR_LIMIT ? CS_OK : st;
    if (n->joined && strcmp(n->to, term) == 0)
        return CS_OK;
    st = hold(p, n, term, len);
    *wrote = st == CS_OK;
    return st;
}

cs_status_t cs_join_index_update(xc_database_t *db, cs_doc_builder_t *b,
                                 cs_join_index_stats_t *stats, char *err, size_t err_len)
{
    if (!db || !b || !stats)
        return CS_ERR_NULL_ARG;
    *stats = (cs_join_index_stats_t){0};
    if (err && err_len)
        err[0] = '\0';
    uint32_t programme = 0, joined = 0;
    if (xc_database_get_termfreq(db, CS_TERM_PROGRAMME, strlen(CS_TERM_PROGRAMME), &programme) !=
            XC_OK ||
        xc_database_get_termfreq(db, CS_TERM_JOINED, strlen(CS_TERM_JOINED), &joined) != XC_OK) {
        if (err && err_len)
            snprintf(err, err_len, "cannot read the talks to join: %s",
                     xc_database_status_string(db));
        return CS_ERR_XAPIAN;
    }
    if (programme == 0 && joined == 0)
        return CS_OK;
    pass_t p = {.db = db, .b = b, .err = err, .err_len = err_len};
    char *msg = NULL;
    cs_status_t st = cs_join_create(&p.j, &msg);
    if (st != CS_OK)
        fail(&p, st, "cannot join notes to the programme: %s", msg ? msg : cs_status_to_string(st));
    free(msg);
    cs_join_reason_t *why = NULL;
    if (st == CS_OK)
        st = load_programme(&p);
    if (st == CS_OK)
        st = find_notes(&p);
    if (st == CS_OK)
        st = decide(&p, &why);
    for (size_t k = 0; st == CS_OK && k < p.n_prog; k++) {
        bool wrote = false;
        prog_t *t = &p.prog[k];
        st = write_programme(&p, t, t->partner != NONE ? why[t->partner] : CS_JOIN_NONE, &wrote);
        stats->rewritten += wrote;
    }
    for (size_t i = 0; st == CS_OK && i < p.n_notes; i++) {
        bool wrote = false;
        st = write_notes(&p, &p.notes[i], &wrote);
        stats->rewritten += wrote;
        stats->joined += p.notes[i].holder != NONE;
    }
    if (st != CS_OK && st != CS_ERR_XAPIAN)
        fail(&p, st, "cannot join notes to the programme: %s", cs_status_to_string(st));
    for (size_t k = 0; k < p.n_prog; k++) {
        cs_session_clear(&p.prog[k].s);
        free(p.prog[k].own);
        free(p.prog[k].data);
    }
    for (size_t i = 0; i < p.n_notes; i++) {
        cs_session_clear(&p.notes[i].s);
        free(p.notes[i].data);
    }
    free(p.prog);
    free(p.notes);
    cs_docid_list_clear(&p.cand);
    free(why);
    cs_join_destroy(p.j);
    return st;
}
