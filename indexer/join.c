/* join.c: the notes <-> programme matcher (join.h). */
#include "join.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "analysis.h"
#include "grow.h"
#include "script_fold.h"
#include "strmap.h"
#include "terms.h"

/* Value of a key two programme talks share: it matches neither. */
#define AMBIGUOUS (-1)

typedef struct {
    size_t index;    /* the caller's number of the talk */
    char **speakers; /* title keys of its speakers */
    size_t n_speakers;
} programme_t;

struct cs_join {
    cs_analyzer_t *analyzer;
    cs_script_fold_t *fold;
    programme_t *talks;
    size_t n_talks, cap_talks;
    cs_strmap_t *by_title, *by_slot; /* key -> position in talks, or AMBIGUOUS */
    cs_strmap_t *by_pad;             /* pad key -> programme index, or AMBIGUOUS */
};

const char *cs_join_reason_name(cs_join_reason_t why)
{
    switch (why) {
    case CS_JOIN_SLOT: return "slot";
    case CS_JOIN_TITLE: return "title";
    case CS_JOIN_LINK: return "link";
    case CS_JOIN_NONE: break;
    }
    return "none";
}

cs_status_t cs_join_create(cs_join_t **out, char **errmsg)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    cs_join_t *j = calloc(1, sizeof *j);
    if (!j)
        return CS_ERR_NO_MEMORY;
    cs_status_t st = cs_analyzer_create(&j->analyzer, errmsg);
    if (st == CS_OK)
        st = cs_script_fold_create(&j->fold);
    if (st == CS_OK)
        st = cs_strmap_create(&j->by_title);
    if (st == CS_OK)
        st = cs_strmap_create(&j->by_slot);
    if (st == CS_OK)
        st = cs_strmap_create(&j->by_pad);
    if (st != CS_OK) {
        cs_join_destroy(j);
        return st;
    }
    *out = j;
    return CS_OK;
}

void cs_join_destroy(cs_join_t *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n_talks; i++) {
        for (size_t k = 0; k < j->talks[i].n_speakers; k++)
            free(j->talks[i].speakers[k]);
        free(j->talks[i].speakers);
    }
    free(j->talks);
    cs_strmap_destroy(j->by_title);
    cs_strmap_destroy(j->by_slot);
    cs_strmap_destroy(j->by_pad);
    cs_script_fold_destroy(j->fold);
    cs_analyzer_destroy(j->analyzer);
    free(j);
}

/* ---- keys --------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t len, cap;
} buf_t;

static bool buf_add(buf_t *b, const char *s, size_t n)
{
    if (!cs_grow(&b->s, &b->cap, b->len + n + 1, 1, 64))
        return false;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return true;
}

/* Appends a CJK run in its Taiwan form (the form the analysis gives
 * Simplified runs), so both scripts of one title give one key. */
static cs_status_t add_cjk_run(cs_join_t *j, buf_t *b, const char *run, size_t len, size_t nchars)
{
    if (!len)
        return CS_OK;
    cs_script_variant_t v;
    cs_status_t st = cs_script_fold_run(j->fold, run, len, nchars, &v);
    if (st != CS_OK)
        return st;
    bool ok = v.count ? buf_add(b, v.text, strlen(v.text)) : buf_add(b, run, len);
    return ok ? CS_OK : CS_ERR_NO_MEMORY;
}

cs_status_t cs_join_title_key(cs_join_t *j, const char *text, char **out)
{
    if (!j || !text || !out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    char *folded = NULL;
    size_t flen = 0;
    cs_status_t st = cs_fold(j->analyzer, text, strlen(text), &folded, &flen);
    if (st != CS_OK)
        return st;
    buf_t b = {0};
    if (!buf_add(&b, "", 0)) {
        free(folded);
        return CS_ERR_NO_MEMORY;
    }
    size_t run_start = 0, run_chars = 0;
    bool gap = false; /* punctuation or space since the last kept character */
    int32_t i = 0, n = (int32_t)flen;
    while (st == CS_OK && i < n) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(folded, i, n, c);
        bool cjk = c >= 0 && cs_term_is_verbatim_cjk(c);
        if (run_chars && !cjk) {
            st = add_cjk_run(j, &b, folded + run_start, (size_t)at - run_start, run_chars);
            run_chars = 0;
        }
        if (st != CS_OK)
            break;
        bool keep = c >= 0 && (u_isalnum(c) || (b.len && !gap && cs_term_joins_previous(c)));
        if (!keep) {
            gap = true;
            continue;
        }
        if (gap && b.len && !buf_add(&b, " ", 1))
            st = CS_ERR_NO_MEMORY;
        gap = false;
        if (cjk) {
            if (!run_chars)
                run_start = (size_t)at;
            run_chars++;
        } else if (st == CS_OK && !buf_add(&b, folded + at, (size_t)(i - at))) {
            st = CS_ERR_NO_MEMORY;
        }
    }
    if (st == CS_OK && run_chars)
        st = add_cjk_run(j, &b, folded + run_start, flen - run_start, run_chars);
    free(folded);
    if (st != CS_OK) {
        free(b.s);
        return st;
    }
    *out = b.s;
    return CS_OK;
}

cs_status_t cs_join_slot_key(cs_join_t *j, const cs_session_t *s, char **out)
{
    if (!j || !s || !out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    if (!s->date[0] || !s->time[0] || !s->room)
        return CS_OK;
    char *room = NULL;
    cs_status_t st = cs_join_title_key(j, s->room, &room);
    if (st != CS_OK)
        return st;
    if (room[0])
        *out = cs_strdup_printf("%s %s %s", s->date, s->time, room);
    bool oom = room[0] && !*out;
    free(room);
    return oom ? CS_ERR_NO_MEMORY : CS_OK;
}

char *cs_join_pad_key(const char *link)
{
    if (!link)
        return NULL;
    size_t end = strcspn(link, "?#");
    while (end && link[end - 1] == '/')
        end--;
    size_t start = end;
    while (start && link[start - 1] != '/' && link[start - 1] != '\\')
        start--;
    /* "https://host" alone names no pad. */
    if (start >= 2 && link[start - 2] == '/' && start >= 3 && link[start - 3] == ':')
        return NULL;
    static const char *const endings[] = {".md", ".markdown", ".txt"};
    for (size_t k = 0; k < sizeof endings / sizeof *endings; k++) {
        size_t el = strlen(endings[k]);
        if (end - start > el && strncasecmp(link + end - el, endings[k], el) == 0) {
            end -= el;
            break;
        }
    }
    if (end == start)
        return NULL;
    char *key = strndup(link + start, end - start);
    for (char *p = key; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return key;
}

/* ---- programme talks ---------------------------------------------------- */

/* Puts key -> value, or AMBIGUOUS when the key already names another. */
static cs_status_t put_key(cs_strmap_t *m, const char *key, int64_t value)
{
    if (!key || !key[0])
        return CS_OK;
    bool added = false;
    int64_t *v = cs_strmap_put(m, key, strlen(key), value, &added, NULL);
    if (!v)
        return CS_ERR_NO_MEMORY;
    if (!added && *v != value)
        *v = AMBIGUOUS;
    return CS_OK;
}

static const programme_t *lookup(const cs_join_t *j, const cs_strmap_t *m, const char *key)
{
    if (!key || !key[0])
        return NULL;
    const int64_t *v = cs_strmap_get(m, key, strlen(key));
    return v && *v != AMBIGUOUS ? &j->talks[*v] : NULL;
}

cs_status_t cs_join_add_programme(cs_join_t *j, const cs_session_t *s, size_t index)
{
    if (!j || !s)
        return CS_ERR_NULL_ARG;
    if (!cs_grow(&j->talks, &j->cap_talks, j->n_talks + 1, sizeof *j->talks, 16))
        return CS_ERR_NO_MEMORY;
    programme_t *p = &j->talks[j->n_talks];
    memset(p, 0, sizeof *p);
    p->index = index;
    j->n_talks++;
    cs_status_t st = CS_OK;
    if (s->n_speakers) {
        p->speakers = calloc(s->n_speakers, sizeof *p->speakers);
        if (!p->speakers)
            return CS_ERR_NO_MEMORY;
    }
    for (size_t k = 0; st == CS_OK && k < s->n_speakers; k++) {
        st = cs_join_title_key(j, s->speakers[k], &p->speakers[k]);
        if (st == CS_OK)
            p->n_speakers++;
    }
    char *title = NULL, *slot = NULL;
    if (st == CS_OK)
        st = cs_join_title_key(j, s->title, &title);
    if (st == CS_OK)
        st = cs_join_slot_key(j, s, &slot);
    int64_t pos = (int64_t)(j->n_talks - 1);
    if (st == CS_OK)
        st = put_key(j->by_title, title, pos);
    if (st == CS_OK)
        st = put_key(j->by_slot, slot, pos);
    free(title);
    free(slot);
    return st;
}

/* ---- matching ----------------------------------------------------------- */

static bool is_speaker_key(const programme_t *p, const char *key, size_t len)
{
    for (size_t k = 0; k < p->n_speakers; k++)
        if (strlen(p->speakers[k]) == len && memcmp(p->speakers[k], key, len) == 0)
            return true;
    return false;
}

/* Whether every name of suffix key (names parted by " and " or by what
 * the key turned into spaces between names: "&", ",", "、") is a speaker
 * of p.  The key has lost the separators, so the names are tried as
 * whole runs of words: greedy longest first. */
static bool all_speakers(const programme_t *p, const char *key)
{
    size_t len = strlen(key);
    size_t at = 0;
    while (at < len) {
        size_t best = 0;
        for (size_t end = len; end > at; end--) {
            if (end < len && key[end] != ' ')
                continue;
            if (is_speaker_key(p, key + at, end - at)) {
                best = end;
                break;
            }
        }
        if (!best) {
            if (len - at > 4 && strncmp(key + at, "and ", 4) == 0 && at) {
                at += 4;
                continue;
            }
            return false;
        }
        at = best < len ? best + 1 : len;
    }
    return len > 0;
}

/* Where a title's speaker suffix starts and its text: "(Speaker)" or
 * "（Speaker）" at the end, or after the last " - ", " – ", " — ", " by ".
 * Returns the number of candidates written to stem_len/suffix (at most 2). */
static size_t speaker_suffixes(const char *title, size_t stem_len[2], const char *suffix[2],
                               size_t suffix_len[2])
{
    size_t n = 0, len = strlen(title);
    while (len && (title[len - 1] == ' ' || title[len - 1] == '\t'))
        len--;
    static const char *const closes[][2] = {{")", "("}, {"\xef\xbc\x89", "\xef\xbc\x88"}};
    for (size_t k = 0; k < 2 && !n; k++) {
        size_t cl = strlen(closes[k][0]);
        if (len <= cl || memcmp(title + len - cl, closes[k][0], cl) != 0)
            continue;
        const char *open = NULL;
        for (const char *p = strstr(title, closes[k][1]); p && p < title + len;
             p = strstr(p + 1, closes[k][1]))
            open = p;
        if (open && open > title) {
            size_t ol = strlen(closes[k][1]);
            stem_len[n] = (size_t)(open - title);
            suffix[n] = open + ol;
            suffix_len[n] = (size_t)(title + len - cl - suffix[n]);
            n++;
        }
    }
    static const char *const dashes[] = {" - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " by "};
    const char *last = NULL;
    size_t last_len = 0;
    for (size_t k = 0; k < sizeof dashes / sizeof *dashes; k++) {
        size_t dl = strlen(dashes[k]);
        for (const char *p = strstr(title, dashes[k]); p && p + dl <= title + len;
             p = strstr(p + 1, dashes[k]))
            if (!last || p > last) {
                last = p;
                last_len = dl;
            }
    }
    if (last && last > title && n < 2) {
        stem_len[n] = (size_t)(last - title);
        suffix[n] = last + last_len;
        suffix_len[n] = (size_t)(title + len - suffix[n]);
        n++;
    }
    return n;
}

static cs_status_t key_of(cs_join_t *j, const char *s, size_t len, char **out)
{
    char *copy = strndup(s, len);
    if (!copy)
        return CS_ERR_NO_MEMORY;
    cs_status_t st = cs_join_title_key(j, copy, out);
    free(copy);
    return st;
}

static cs_status_t match_title(cs_join_t *j, const char *title, const programme_t **found)
{
    *found = NULL;
    char *key = NULL;
    cs_status_t st = cs_join_title_key(j, title, &key);
    if (st != CS_OK)
        return st;
    *found = lookup(j, j->by_title, key);
    free(key);
    if (*found)
        return CS_OK;
    size_t stem_len[2];
    const char *suffix[2];
    size_t suffix_len[2];
    size_t n = speaker_suffixes(title, stem_len, suffix, suffix_len);
    for (size_t k = 0; k < n && st == CS_OK && !*found; k++) {
        char *stem = NULL, *who = NULL;
        st = key_of(j, title, stem_len[k], &stem);
        if (st == CS_OK)
            st = key_of(j, suffix[k], suffix_len[k], &who);
        const programme_t *p = st == CS_OK ? lookup(j, j->by_title, stem) : NULL;
        if (p && all_speakers(p, who))
            *found = p;
        free(stem);
        free(who);
    }
    return st;
}

cs_status_t cs_join_match(cs_join_t *j, const cs_session_t *s, size_t *index, cs_join_reason_t *why)
{
    if (!j || !s || !index || !why)
        return CS_ERR_NULL_ARG;
    *why = CS_JOIN_NONE;
    char *slot = NULL;
    cs_status_t st = cs_join_slot_key(j, s, &slot);
    if (st != CS_OK)
        return st;
    const programme_t *p = lookup(j, j->by_slot, slot);
    free(slot);
    if (p) {
        *index = p->index;
        *why = CS_JOIN_SLOT;
        return CS_OK;
    }
    if (s->whole_file || !s->title)
        return CS_OK;
    st = match_title(j, s->title, &p);
    if (st == CS_OK && p) {
        *index = p->index;
        *why = CS_JOIN_TITLE;
    }
    return st;
}

cs_status_t cs_join_add_hub_link(cs_join_t *j, const cs_session_t *s, size_t index)
{
    if (!j || !s)
        return CS_ERR_NULL_ARG;
    char *key = cs_join_pad_key(s->link);
    if (!key)
        return CS_OK;
    cs_status_t st = put_key(j->by_pad, key, (int64_t)index);
    free(key);
    return st;
}

cs_status_t cs_join_match_link(cs_join_t *j, const cs_session_t *s, size_t *index,
                               cs_join_reason_t *why)
{
    if (!j || !s || !index || !why)
        return CS_ERR_NULL_ARG;
    *why = CS_JOIN_NONE;
    char *key = cs_join_pad_key(s->source);
    if (!key)
        return CS_OK;
    const int64_t *v = cs_strmap_get(j->by_pad, key, strlen(key));
    free(key);
    if (v && *v != AMBIGUOUS) {
        *index = (size_t)*v;
        *why = CS_JOIN_LINK;
    }
    return CS_OK;
}

cs_status_t cs_join_resolve(cs_join_t *j, const cs_session_t *const *notes, size_t n, size_t *index,
                            cs_join_reason_t *why)
{
    if (!j || (n && (!notes || !index || !why)))
        return CS_ERR_NULL_ARG;
    cs_status_t st = CS_OK;
    for (size_t i = 0; st == CS_OK && i < n; i++)
        st = cs_join_match(j, notes[i], &index[i], &why[i]);
    for (size_t i = 0; st == CS_OK && i < n; i++)
        if (why[i] != CS_JOIN_NONE)
            st = cs_join_add_hub_link(j, notes[i], index[i]);
    for (size_t i = 0; st == CS_OK && i < n; i++)
        if (why[i] == CS_JOIN_NONE)
            st = cs_join_match_link(j, notes[i], &index[i], &why[i]);
    return st;
}

/* ---- keys for the index --------------------------------------------------- */

static cs_status_t give_key(cs_filter_t kind, char *key, cs_join_key_fn fn, void *ctx)
{
    cs_status_t st = key && key[0] && fn(kind, key, ctx) ? CS_ERR_NO_MEMORY : CS_OK;
    free(key);
    return st;
}

cs_status_t cs_join_keys(cs_join_t *j, const cs_session_t *s, cs_join_key_fn fn, void *ctx)
{
    if (!j || !s || !fn)
        return CS_ERR_NULL_ARG;
    char *key = NULL;
    cs_status_t st = cs_join_slot_key(j, s, &key);
    if (st == CS_OK)
        st = give_key(CS_FILTER_JOIN_SLOT, key, fn, ctx);
    if (st != CS_OK)
        return st;
    /* As cs_join_match: no title step for a whole-file document. */
    if (!s->programme && (s->whole_file || !s->title))
        return give_key(CS_FILTER_JOIN_PAD, cs_join_pad_key(s->source), fn, ctx);
    if (!s->title)
        return CS_OK;
    key = NULL;
    st = cs_join_title_key(j, s->title, &key);
    if (st == CS_OK)
        st = give_key(CS_FILTER_JOIN_TITLE, key, fn, ctx);
    if (s->programme)
        return st;
    size_t stem_len[2], suffix_len[2];
    const char *suffix[2];
    size_t n = speaker_suffixes(s->title, stem_len, suffix, suffix_len);
    for (size_t k = 0; k < n && st == CS_OK; k++) {
        key = NULL;
        st = key_of(j, s->title, stem_len[k], &key);
        if (st == CS_OK)
            st = give_key(CS_FILTER_JOIN_TITLE, key, fn, ctx);
    }
    if (st == CS_OK)
        st = give_key(CS_FILTER_JOIN_PAD, cs_join_pad_key(s->source), fn, ctx);
    return st;
}

/* ---- the merged session ------------------------------------------------- */

static bool copy_str(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst;
}

cs_status_t cs_join_merge(const cs_session_t *programme, const cs_session_t *notes,
                          cs_session_t *out)
{
    if (!programme || !notes || !out)
        return CS_ERR_NULL_ARG;
    memset(out, 0, sizeof *out);
    const cs_session_t *p = programme, *n = notes;
    out->day = p->day;
    memcpy(out->date, p->date, sizeof out->date);
    memcpy(out->time, p->time, sizeof out->time);
    memcpy(out->end_time, p->end_time, sizeof out->end_time);
    out->line = n->line;
    out->whole_file = false;
    out->body_len = n->body_len;
    out->text_len = n->text_len;
    bool ok = copy_str(&out->id, p->id) && copy_str(&out->conference, p->conference) &&
              copy_str(&out->room, p->room) && copy_str(&out->title, p->title) &&
              copy_str(&out->speaker, p->speaker) && copy_str(&out->link, n->link) &&
              copy_str(&out->track, p->track) && copy_str(&out->language, p->language) &&
              copy_str(&out->abstract, p->abstract) &&
              copy_str(&out->description, p->description) && copy_str(&out->url, p->url) &&
              copy_str(&out->source, n->source);
    out->programme = true;
    for (size_t k = 0; ok && k < p->n_speakers; k++) {
        ok = copy_str(&out->speakers[k], p->speakers[k]);
        out->n_speakers = k + 1;
    }
    if (ok) {
        out->body = malloc(n->body_len + 1);
        ok = out->body != NULL;
        if (ok) {
            memcpy(out->body, n->body, n->body_len);
            out->body[n->body_len] = '\0';
        }
    }
    if (ok && n->text) {
        out->text = malloc(n->text_len + 1);
        ok = out->text != NULL;
        if (ok) {
            memcpy(out->text, n->text, n->text_len);
            out->text[n->text_len] = '\0';
        }
    }
    if (!ok) {
        cs_session_clear(out);
        memset(out, 0, sizeof *out);
        return CS_ERR_NO_MEMORY;
    }
    return CS_OK;
}
