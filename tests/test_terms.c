/* test_terms.c: schema/terms.h, and the proof that the indexer and searchd
 * agree on terms.  Each row of the tables goes through the indexer's path
 * (the document builder; its terms read back from the built document) and
 * the query path (searchd's query parser; the terms its Xapian query uses):
 * every term a query asks for must be one the document made of the same
 * text holds, and a search must find that talk, or, for a non-hit, not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "schema.h"
#include "session_doc.h"
#include "terms.h"
#include "test_util.h"

/* A list of terms, one string of them joined by line feeds, which no term
 * holds (speaker names do hold spaces). */
typedef struct {
    char text[8192];
    size_t count;
} term_list_t;

static int collect_term(const char *term, size_t len, uint32_t freq, void *ctx)
{
    (void)freq;
    term_list_t *l = ctx;
    size_t at = strlen(l->text);
    assert_true(at + len + 2 < sizeof l->text);
    if (at > 0)
        l->text[at++] = '\n';
    memcpy(l->text + at, term, len);
    l->text[at + len] = '\0';
    l->count++;
    return 0;
}

static bool has_term(const term_list_t *l, const char *term, size_t len)
{
    for (const char *p = l->text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == len && memcmp(p, term, len) == 0)
            return true;
        p += n + (e ? 1 : 0);
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* The two paths                                                       */

typedef struct {
    const char *body, *room, *speaker, *conference, *date;
    int day;
} talk_t;

typedef struct {
    char *dir;
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    cs_doc_builder_t *builder;
    xc_database_t *db; /* scratch: one talk at a time, for the searches */
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char *err = NULL;
    assert_int_equal(cs_analyzer_create(&f->analyzer, &err), CS_OK);
    assert_int_equal(xc_stemmer_create("english", &f->stemmer, &err), XC_OK);
    assert_int_equal(cs_doc_builder_create(NULL, &f->builder, &err), CS_OK);
    f->dir = cs_test_mkdtemp();
    assert_non_null(f->dir);
    char *path = cs_test_path(f->dir, "db");
    assert_non_null(path);
    assert_int_equal(xc_database_create_scratch(path, &f->db, &err), XC_OK);
    free(path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    xc_database_destroy(f->db);
    cs_doc_builder_destroy(f->builder);
    xc_stemmer_destroy(f->stemmer);
    cs_analyzer_destroy(f->analyzer);
    cs_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static char *dup_or_null(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    assert_true(!s || d);
    return d;
}

/* The indexer's path: the document the builder makes of t, as the only
 * talk of f->db; *terms gets its terms. */
static void index_talk(fixture_t *f, const talk_t *t, term_list_t *terms)
{
    cs_session_t s = {0};
    s.id = dup_or_null("terms-conf_2026-03-14_0910_R0");
    s.conference = dup_or_null(t->conference);
    s.day = t->day;
    if (t->date)
        snprintf(s.date, sizeof s.date, "%s", t->date);
    snprintf(s.time, sizeof s.time, "09:10");
    s.room = dup_or_null(t->room);
    s.title = dup_or_null("");
    if (t->speaker) {
        s.speaker = dup_or_null(t->speaker);
        s.speakers[0] = dup_or_null(t->speaker);
        s.n_speakers = 1;
    }
    s.body = dup_or_null(t->body ? t->body : "");
    s.body_len = strlen(s.body);
    s.line = 1;
    char *json = NULL;
    xc_document_t *doc = NULL;
    assert_int_equal(cs_doc_builder_json(f->builder, &s, &json), CS_OK);
    assert_int_equal(cs_doc_builder_build(f->builder, &s, json, &doc), CS_OK);
    *terms = (term_list_t){0};
    assert_int_equal(xc_document_termlist(doc, "", 0, collect_term, terms), XC_OK);
    char idterm[CS_TERM_BUF_BYTES];
    size_t idlen;
    assert_int_equal(cs_term_filter(NULL, CS_FILTER_ID, s.id, strlen(s.id), idterm, &idlen), CS_OK);
    assert_int_equal(xc_database_replace_document(f->db, idterm, idlen, doc, NULL), XC_OK);
    assert_int_equal(xc_database_commit(f->db), XC_OK);
    xc_document_destroy(doc);
    free(json);
    cs_session_clear(&s);
}

static cs_query_t *parse(fixture_t *f, const char *text)
{
    cs_query_t *q = NULL;
    char *err = NULL;
    cs_status_t st = cs_query_parse(f->analyzer, f->stemmer, text, strlen(text), &q, &err);
    if (st != CS_OK)
        fail_msg("parsing '%s': %s (%s)", text, cs_status_to_string(st), err ? err : "");
    return q;
}

/* Whether l holds exactly the terms of want (joined by spaces). */
static bool list_is(const term_list_t *l, const char *want)
{
    char joined[sizeof l->text];
    snprintf(joined, sizeof joined, "%s", l->text);
    for (char *c = joined; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return strcmp(joined, want) == 0;
}

/* The query path: the terms of the Xapian query searchd makes of text. */
static void query_terms(fixture_t *f, const char *text, term_list_t *terms)
{
    cs_query_t *q = parse(f, text);
    *terms = (term_list_t){0};
    if (cs_query_xapian(q))
        assert_int_equal(xc_query_terms(cs_query_xapian(q), collect_term, terms), XC_OK);
    cs_query_destroy(q);
}

/* Whether searching f->db for text finds its one talk. */
static bool query_finds(fixture_t *f, const char *text)
{
    cs_query_t *q = parse(f, text);
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    char *err = NULL;
    assert_int_equal(xc_enquire_create(f->db, &enq, &err), XC_OK);
    assert_non_null(cs_query_xapian(q));
    assert_int_equal(xc_enquire_set_query(enq, cs_query_xapian(q)), XC_OK);
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &mset), XC_OK);
    bool found = xc_mset_size(mset) == 1;
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    cs_query_destroy(q);
    return found;
}

/* ------------------------------------------------------------------ */
/* Text: words, numbers, CJK runs                                      */

typedef struct {
    const char *body;  /* the talk's text */
    const char *query; /* typed in the search box */
    const char *terms; /* the query's terms, in byte order */
    size_t missing;    /* how many of them the talk's document lacks */
    bool hit;
} text_row_t;

/* A query term the document lacks is no miss where the bigrams or the
 * stem still match: ICU keeps 請舉手 as one word, and the variation
 * selector of 葛󠄀 splits its ICU word.  A long Chinese run is searched by
 * every other bigram (query.c).  ｶﾞ is half-width kana with its voicing
 * mark, "cafe\u0301" has a combining accent. */
static const text_row_t text_rows[] = {
    /* Latin, numbers, case and width */
    {"Twisted is an event-driven engine", "twisted", "Ztwist twisted", 0, true},
    {"Twisted is an event-driven engine", "ＴＷＩＳＴＥＤ", "Ztwist twisted", 0, true},
    {"Twisted is an event-driven engine", "event-driven", "Zdriven Zevent driven event", 0, true},
    {"the plot twisted again", "twisting", "Ztwist twisting", 1, true},
    {"the plot twisted again", "twister", "Ztwister twister", 2, false},
    {"PyCon 2015 in R0", "2015", "2015", 0, true},
    {"PyCon 2015 in R0", "２０１５", "2015", 0, true},
    {"PyCon 2015 in R0", "r0", "0 Zr r r0", 0, true},
    {"PyCon 2015 in R0", "2016", "2016", 1, false},
    /* compounds: the whole, or all of its parts; case pieces are found */
    {"Python3 and C++", "python3", "3 Zpython python python3", 0, true},
    {"Python3 and C++", "python", "Zpython python", 0, true},
    {"Python3 and C++", "c", "Zc c", 0, true},
    {"Python3 and C++", "c++", "Zc c", 0, true},
    {"Python3 and C++", "python4", "4 Zpython python python4", 2, false},
    {"use @mock.patch here", "mock.patch", "Zmock Zpatch mock mock.patch patch", 0, true},
    {"use @mock.patch here", "\"mock patch\"", "mock patch", 0, true},
    {"use @mock.patch here", "@mock.patch", "Zmock Zpatch mock mock.patch patch", 0, true},
    {"mock the patch", "mock.patch", "Zmock Zpatch mock mock.patch patch", 1, true},
    {"mock the patch", "\"mock patch\"", "mock patch", 0, false},
    {"mock the patch", "mock.patch.object",
     "Zmock Zobject Zpatch mock mock.patch.object object patch", 3, false},
    {"see docs.python.org/3/library/asyncio", "python", "Zpython python", 0, true},
    {"see docs.python.org/3/library/asyncio", "asyncio", "Zasyncio asyncio", 0, true},
    {"see docs.python.org/3/library/asyncio", "docs.python.org",
     "Zdoc Zorg Zpython docs docs.python.org org python", 1, true},
    {"see docs.python.org/3/library/asyncio", "python.org/4",
     "4 Zorg Zpython org python python.org/4", 2, false},
    {"numpy.linalg.svd(a)", "linalg", "Zlinalg linalg", 0, true},
    {"MAX_WORKERS = 4", "workers", "Zworker workers", 0, true},
    {"MAX_WORKERS = 4", "max_workers", "Zmax Zworker max max_workers workers", 0, true},
    {"MAX_WORKERS = 4", "maxworkers", "Zmaxwork maxworkers", 2, false},
    {"ping @my_handle", "my_handle", "Zhandl Zmy handle my my_handle", 0, true},
    {"ping @my_handle", "#my_handle", "Zhandl Zmy handle my my_handle", 0, true},
    {"O'Reilly books", "reilly", "Zreilli reilly", 0, true},
    {"O\xe2\x80\x99Reilly books", "o'reilly", "Zo Zreilli o o'reilly reilly", 1, true},
    {"MyConf2021 recap", "conf", "Zconf conf", 0, true},
    {"MyConf2021 recap", "myconf", "Zmyconf myconf", 0, true},
    {"MyConf2021 recap", "MyConf2022", "2022 Zmyconf myconf myconf2022", 2, false},
    {"HTTPServer", "server", "Zserver server", 0, true},
    {"mail team@example.org", "example", "Zexampl example", 0, true},
    {"mail team@example.org", "team@example.org",
     "Zexampl Zorg Zteam example org team team@example.org", 0, true},
    {"mail team@example.org", "team@example.com",
     "Zcom Zexampl Zteam com example team team@example.com", 3, false},
    {"host 192.168.0.1 up", "168", "168", 0, true},
    {"host 192.168.0.1 up", "192.168.0.1", "0 1 168 192 192.168.0.1", 0, true},
    {"host 192.168.0.1 up", "\"168 192\"", "168 192", 0, false},
    {"Python 3.11.2 released", "\"3.11\"", "11 3", 0, true},
    {"Python 3.11.2 released", "3.12", "12 3 3.12", 2, false},
    {"node.js and e-mail", "node", "Znode node", 0, true},
    {"node.js and e-mail", "\"node js\"", "js node", 0, true},
    {"node.js and e-mail", "nodejs", "Znodej nodejs", 2, false},
    {"node.js and e-mail", "e-mail", "Ze Zmail e mail", 0, true},
    {"node.js and e-mail", "\"mail e\"", "e mail", 0, false},
    {"\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac_test", "test", "Ztest test",
     0, true},
    {"\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac_test",
     "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac", "Zελληνικά ελληνικά", 0,
     true},
    /* combining marks and emoji */
    {"caf\xc3\xa9 talk", "cafe\xcc\x81", "Zcaf\xc3\xa9 caf\xc3\xa9", 0, true},
    {"cafe\xcc\x81 talk", "caf\xc3\xa9", "Zcaf\xc3\xa9 caf\xc3\xa9", 0, true},
    {"cafe talk", "caf\xc3\xa9", "Zcaf\xc3\xa9 caf\xc3\xa9", 2, false},
    {"ship it \xf0\x9f\x9a\x80 today", "it\xf0\x9f\x9a\x80", "Zit it", 0, true},
    {"ship it today", "\xf0\x9f\x9a\x80 ship", "Zship ship", 0, true},
    /* CJK */
    {"有在寫測試的人請舉手", "舉手", "XB舉手 舉手", 1, true},
    {"有在寫測試的人請舉手", "手舉", "XB手舉 手 舉", 3, false},
    {"有在寫測試的人請舉手", "寫測試", "XB寫測 XB測試 寫 測試", 0, true},
    {"有在寫測試的人請舉手", "手", "XU手", 0, true},
    {"有在寫測試的人請舉手", "腳", "XU腳", 1, false},
    {"教練，我要做自己的 Django package", "Django教練", "XB教練 Zdjango django 教練", 0, true},
    {"教練，我要做自己的 Django package", "\"Django 教練\"", "XB教練 django", 0, false},
    {"剛剛Django教練說", "\"Django 教練\"", "XB教練 django", 0, true},
    {"剛剛Django教練說", "「教練說」", "XB教練 XB練說", 0, true},
    {"在地的開源社群與技術分享活動", "在地的開源社群與技術分享活動",
     "XB分享 XB在地 XB技術 XB活動 XB源社 XB的開 XB群與", 0, true},
    /* A query's run is also searched in its Taiwan form, whatever script
     * it is typed in: 社區 is Taiwan's 社群 too. */
    {"在地的開源社群與技術分享活動", "在地的開源社區與技術分享活動",
     "XB分享 XB區與 XB在地 XB技術 XB活動 XB源社 XB的開 XB群與", 1, true},
    /* Simplified and Traditional (schema/README.md): a Simplified talk has
     * its Taiwan form's bigrams, a query searches its own Taiwan form */
    {"用网络看视频", "網路", "XB網路 網路", 1, true},
    {"用网络看视频", "网络", "XB網路 XB网络 网络", 0, true},
    {"網路影片", "网络", "XB網路 XB网络 网络", 2, true},
    {"網路影片", "视频", "XB影片 XB视频 视频", 2, true},
    {"資訊安全", "信息", "XB信息 XB資訊 信息", 2, true},
    {"寫程式", "程序", "XB程序 XB程式 程序", 2, true},
    {"網路影片", "网", "XU網 XU网", 1, true},
    {"網路影片", "网页", "XB網頁 XB网页 网页", 3, false},
    {"用网络看视频", "\"網路看影片\"", "XB影片 XB看影 XB網路 XB路看", 0, true},
    {"用網路看影片", "「网络看视频」", "XB影片 XB看影 XB看视 XB網路 XB络看 XB网络 XB视频 XB路看", 4,
     true},
    /* Not covered: a document's run of characters both scripts share stays
     * as written (Taiwan's 程序 is no 程式), so Traditional typed does not
     * find it */
    {"程序", "程式", "XB程式 程式", 2, false},
    /* full-width and half-width forms */
    {"ｶﾞｲﾄﾞ book", "ガイド", "XBイド XBガイ ガイド", 0, true},
    {"ガイド book", "ｶﾞｲﾄﾞ", "XBイド XBガイ ガイド", 0, true},
    {"葛\xf3\xa0\x84\x80城 trip", "葛城", "XB葛城 葛城", 1, true},
    /* Hangul runs get bigrams and characters like Han: particles and
     * compounds are glued to words */
    {"한국어 세션", "한국어", "XB국어 XB한국 한국어", 0, true},
    {"한국어 세션", "한국", "XB한국 한국", 1, true},
    {"파이썬을 배우는 데이터분석", "파이썬", "XB이썬 XB파이 파이썬", 1, true},
    {"파이썬을 배우는 데이터분석", "분석", "XB분석 분석", 1, true},
    {"파이썬을 배우는 데이터분석", "데이터분석", "XB데이 XB분석 XB이터 XB터분 데이터분석", 0, true},
    {"파이썬을 배우는 데이터분석", "석", "XU석", 0, true},
    {"파이썬을 배우는 데이터분석", "썬을배", "XB썬을 XB을배 썬을배", 2, false},
    {"파이썬을 배우는 데이터분석", "분서", "XB분서 분서", 2, false},
    {"파이썬을 배우는 데이터분석", "한", "XU한", 1, false},
    {"Python으로 배우기", "python", "Zpython python", 0, true},
    {"Python으로 배우기", "으로", "XB으로 으로", 0, true},
    {"Python으로 배우기", "\"python 으로\"", "XB으로 python", 0, true},
};

static void test_query_terms_are_the_documents_terms(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < sizeof text_rows / sizeof text_rows[0]; i++) {
        const text_row_t *r = &text_rows[i];
        term_list_t doc, query;
        index_talk(f, &(talk_t){.body = r->body, .room = "R0"}, &doc);
        query_terms(f, r->query, &query);
        if (!list_is(&query, r->terms))
            fail_msg("'%s' queries\n  %s\nwant\n  %s", r->query, query.text, r->terms);
        size_t missing = 0;
        for (const char *p = query.text; *p;) {
            size_t n = strcspn(p, "\n");
            missing += !has_term(&doc, p, n);
            p += n + (p[n] == '\n');
        }
        if (missing != r->missing)
            fail_msg("'%s' on '%s': %zu query terms not indexed, want %zu; the document has\n  %s",
                     r->query, r->body, missing, r->missing, doc.text);
        if (query_finds(f, r->query) != r->hit)
            fail_msg("'%s' on '%s': want %s", r->query, r->body, r->hit ? "a hit" : "no hit");
    }
}

/* The text of a talk's body and its query, made of the same input, give
 * the same unprefixed, stem and bigram terms where the query uses them
 * all: a short text has no terms the query leaves out. */
static void test_same_text_gives_the_same_terms(void **state)
{
    fixture_t *f = *state;
    static const char *const same[] = {
        "twisted networking", "ＴＷＩＳＴＥＤ", "Django教練", "event-driven 2015",
        "cafe\xcc\x81",       "舉手",           "한국어",     "ｶﾞｲﾄﾞ",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        term_list_t doc, query, kept = {0};
        index_talk(f, &(talk_t){.body = same[i]}, &doc);
        query_terms(f, same[i], &query);
        /* The document's own kinds of terms the query side never asks for:
         * field terms, filters, the id and the one-character XU terms. */
        for (const char *p = doc.text; *p;) {
            size_t n = strcspn(p, "\n");
            bool other = (n >= 2 && memcmp(p, CS_PREFIX_CHAR, 2) == 0) ||
                         (n >= 1 && (p[0] == 'S' || p[0] == 'A' || p[0] == 'Q')) ||
                         (n >= 1 && p[0] == 'X' && memcmp(p, CS_PREFIX_BIGRAM, 2) != 0);
            if (!other)
                collect_term(p, n, 0, &kept);
            p += n + (p[n] == '\n');
        }
        if (strcmp(kept.text, query.text) != 0)
            fail_msg("'%s': the document has\n  %s\nthe query\n  %s", same[i], kept.text,
                     query.text);
    }
}

/* ------------------------------------------------------------------ */
/* Filters                                                             */

typedef struct {
    cs_facet_t facet;
    talk_t talk;
    const char *query; /* a filter written in the query language */
    bool hit;
} filter_row_t;

static const filter_row_t filter_rows[] = {
    {CS_FACET_SPEAKER, {.speaker = "Dan Maas"}, "speaker:\"Dan Maas\"", true},
    {CS_FACET_SPEAKER, {.speaker = "Dan Maas"}, "speaker:\"dan maas\"", true},
    {CS_FACET_SPEAKER, {.speaker = "Dan Maas"}, "speaker:\"ＤＡＮ　ＭＡＡＳ\"", true},
    {CS_FACET_SPEAKER, {.speaker = "Dan Maas"}, "speaker:\"  Dan   Maas \"", true},
    {CS_FACET_SPEAKER, {.speaker = "ＤＡＮ Maas"}, "speaker:\"dan maas\"", true},
    {CS_FACET_SPEAKER, {.speaker = "Dan Maas"}, "speaker:Dan", false},
    {CS_FACET_SPEAKER, {.speaker = "Dan Maas"}, "speaker:\"Dan Mass\"", false},
    {CS_FACET_SPEAKER,
     {.speaker = "Jos\xc3\xa9 Ram\xc3\xadrez"},
     "speaker:\"jose\xcc\x81 rami\xcc\x81rez\"",
     true},
    {CS_FACET_SPEAKER,
     {.speaker = "Jos\xc3\xa9 Ram\xc3\xadrez"},
     "speaker:\"jose ramirez\"",
     false},
    {CS_FACET_SPEAKER, {.speaker = "曾君宇"}, "speaker:曾君宇", true},
    {CS_FACET_SPEAKER, {.speaker = "曾君宇"}, "speaker:曾君", false},
    {CS_FACET_ROOM, {.room = "R0"}, "room:R0", true},
    {CS_FACET_ROOM, {.room = "R0"}, "Room:R0", true},
    {CS_FACET_ROOM, {.room = "R0"}, "room:r0", false},
    {CS_FACET_ROOM, {.room = "R0"}, "room:Ｒ0", false},
    {CS_FACET_ROOM, {.room = "國際會議廳"}, "room:國際會議廳", true},
    {CS_FACET_DAY, {.day = 1}, "day:1", true},
    {CS_FACET_DAY, {.day = 1}, "day:01", true},
    {CS_FACET_DAY, {.day = 1}, "day:2", false},
    {CS_FACET_DAY, {.day = 12}, "day:12", true},
    {CS_FACET_DAY, {.day = 1}, "day:one", false},
};

static void test_filter_terms_agree(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < sizeof filter_rows / sizeof filter_rows[0]; i++) {
        const filter_row_t *r = &filter_rows[i];
        term_list_t doc;
        index_talk(f, &r->talk, &doc);
        cs_query_t *q = parse(f, r->query);
        assert_int_equal(cs_query_filter_count(q, r->facet), 1);
        const char *v = cs_query_filter(q, r->facet, 0);
        char *term = cs_query_filter_term(f->analyzer, r->facet, v, strlen(v));
        bool held = term && has_term(&doc, term, strlen(term));
        if (held != r->hit)
            fail_msg("'%s' gives %s, the talk has\n  %s", r->query, term ? term : "(none)",
                     doc.text);
        free(term);
        cs_query_destroy(q);
    }
}

/* Filters only the indexer writes (searchd looks a talk up by its id):
 * each value a caller may pass is turned into the term the document has. */
static void test_filter_terms_of_the_indexer(void **state)
{
    fixture_t *f = *state;
    term_list_t doc;
    index_talk(f,
               &(talk_t){.conference = "PyCon APAC 2015",
                         .date = "2015-06-05",
                         .day = 1,
                         .room = "R0",
                         .speaker = "Dan Maas"},
               &doc);
    static const struct {
        cs_filter_t filter;
        const char *value, *term; /* term NULL: none in the document */
    } rows[] = {
        {CS_FILTER_CONF, "PyCon APAC 2015", "XCONF:pycon apac 2015"},
        {CS_FILTER_CONF, "ＰＹＣＯＮ  apac\t2015", "XCONF:pycon apac 2015"},
        {CS_FILTER_CONF, "PyCon APAC 2016", NULL},
        {CS_FILTER_DATE, "2015-06-05", "XDATE:2015-06-05"},
        {CS_FILTER_DATE, "2015-6-5", NULL},
        {CS_FILTER_DAY, "1", "XDAY:1"},
        {CS_FILTER_ROOM, "R0", "XROOM:R0"},
        {CS_FILTER_SPEAKER, "DAN MAAS", "XSPK:dan maas"},
        {CS_FILTER_ID, "terms-conf_2026-03-14_0910_R0", "Qterms-conf_2026-03-14_0910_R0"},
        {CS_FILTER_ID, "terms-conf_2026-03-14_0910_r0", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char term[CS_TERM_BUF_BYTES];
        size_t n = 0;
        assert_int_equal(cs_term_filter(f->analyzer, rows[i].filter, rows[i].value,
                                        strlen(rows[i].value), term, &n),
                         CS_OK);
        assert_int_equal(n, strlen(term));
        if (rows[i].term)
            assert_string_equal(term, rows[i].term);
        if (has_term(&doc, term, n) != (rows[i].term != NULL))
            fail_msg("'%s' gives %s; the talk has\n  %s", rows[i].value, term, doc.text);
    }
}

/* A value no talk can carry has no term: the indexer writes none, and a
 * search filtered by it matches nothing rather than everything. */
static void test_filter_values_without_a_term(void **state)
{
    fixture_t *f = *state;
    char long_room[CS_MAX_TOKEN_BYTES + 2];
    memset(long_room, 'R', sizeof long_room - 1);
    long_room[sizeof long_room - 1] = '\0';
    static const char nul_room[] = "R\0"
                                   "0";
    static const struct {
        cs_filter_t filter;
        const char *value;
        size_t len; /* 0: strlen */
        cs_status_t want;
    } rows[] = {
        {CS_FILTER_DAY, "0", 0, CS_ERR_FORMAT},
        {CS_FILTER_DAY, "x", 0, CS_ERR_FORMAT},
        {CS_FILTER_DAY, "-1", 0, CS_ERR_FORMAT},
        {CS_FILTER_DAY, "1000000", 0, CS_ERR_FORMAT},
        {CS_FILTER_DAY, "999999", 0, CS_OK},
        {CS_FILTER_ROOM, "", 0, CS_ERR_FORMAT},
        {CS_FILTER_ROOM, nul_room, 3, CS_ERR_FORMAT},
        {CS_FILTER_SPEAKER, " \t ", 0, CS_ERR_FORMAT},
        {CS_FILTER_CONF, "\xe3\x80\x80", 0, CS_ERR_FORMAT},
        {(cs_filter_t)99, "1", 0, CS_ERR_FORMAT},
    };
    char term[CS_TERM_BUF_BYTES];
    size_t n;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t len = rows[i].len ? rows[i].len : strlen(rows[i].value);
        cs_status_t st = cs_term_filter(f->analyzer, rows[i].filter, rows[i].value, len, term, &n);
        if (st != rows[i].want)
            fail_msg("row %zu: %s, want %s", i, cs_status_to_string(st),
                     cs_status_to_string(rows[i].want));
    }
    assert_int_equal(
        cs_term_filter(f->analyzer, CS_FILTER_ROOM, long_room, strlen(long_room), term, &n),
        CS_ERR_LIMIT);
    assert_int_equal(
        cs_term_filter(f->analyzer, CS_FILTER_ROOM, long_room, CS_MAX_TOKEN_BYTES, term, &n),
        CS_OK);
    assert_int_equal(cs_term_filter(NULL, CS_FILTER_SPEAKER, "Dan", 3, term, &n), CS_ERR_NULL_ARG);
    assert_int_equal(cs_term_filter(f->analyzer, CS_FILTER_ROOM, NULL, 0, term, &n),
                     CS_ERR_NULL_ARG);
    /* searchd: no term, so the filter matches nothing */
    assert_null(cs_query_filter_term(f->analyzer, CS_FACET_DAY, "0", 1));
    assert_null(cs_query_filter_term(f->analyzer, CS_FACET_ROOM, long_room, strlen(long_room)));
    assert_null(cs_query_filter_term(f->analyzer, CS_FACET_COUNT, "1", 1));

    /* the indexer: no term for an over-long room, the talk is still indexed */
    term_list_t doc;
    index_talk(f, &(talk_t){.room = long_room, .body = "twisted"}, &doc);
    assert_null(strstr(doc.text, CS_PREFIX_ROOM));
    assert_true(has_term(&doc, "twisted", 7));
}

/* ------------------------------------------------------------------ */
/* Term builders and their limit                                       */

static void test_prefixes_and_the_245_byte_limit(void **state)
{
    fixture_t *f = *state;
    char term[CS_TERM_BUF_BYTES], text[CS_TERM_BUF_BYTES + 8];
    size_t n;
    assert_int_equal(cs_term_word("twisted", 7, term, &n), CS_OK);
    assert_string_equal(term, "twisted");
    assert_int_equal(cs_term_bigram("舉手", strlen("舉手"), term, &n), CS_OK);
    assert_string_equal(term, "XB舉手");
    assert_int_equal(cs_term_char("舉", strlen("舉"), term, &n), CS_OK);
    assert_string_equal(term, "XU舉");
    assert_int_equal(cs_term_field_word(CS_FIELD_TITLE, "twisted", 7, term, &n), CS_OK);
    assert_string_equal(term, "Stwisted");
    assert_int_equal(cs_term_field_word(CS_FIELD_SPEAKER, "maas", 4, term, &n), CS_OK);
    assert_string_equal(term, "Amaas");
    assert_int_equal(cs_term_field_word(CS_FIELD_BODY, "maas", 4, term, &n), CS_ERR_FORMAT);
    assert_int_equal(cs_term_stem(f->stemmer, "twisted", 7, term, &n), CS_OK);
    assert_string_equal(term, "Ztwist");
    assert_int_equal(n, 6);

    memset(text, 'a', sizeof text);
    assert_int_equal(cs_term_word(text, CS_TERM_MAX_BYTES, term, &n), CS_OK);
    assert_int_equal(n, CS_TERM_MAX_BYTES);
    assert_int_equal(term[n], '\0');
    assert_int_equal(cs_term_word(text, CS_TERM_MAX_BYTES + 1, term, &n), CS_ERR_LIMIT);
    assert_int_equal(cs_term_bigram(text, CS_TERM_MAX_BYTES - 2, term, &n), CS_OK);
    assert_int_equal(cs_term_bigram(text, CS_TERM_MAX_BYTES - 1, term, &n), CS_ERR_LIMIT);
    assert_int_equal(cs_term_stem(f->stemmer, text, CS_TERM_MAX_BYTES - 1, term, &n), CS_OK);
    assert_int_equal(cs_term_stem(f->stemmer, text, CS_TERM_MAX_BYTES, term, &n), CS_ERR_LIMIT);
    /* the longest token the analysis keeps fits behind any prefix */
    assert_int_equal(
        cs_term_filter(f->analyzer, CS_FILTER_ROOM, text, CS_MAX_TOKEN_BYTES, term, &n), CS_OK);
    assert_true(n <= CS_TERM_MAX_BYTES);

    /* a token's own term follows its kind */
    const cs_token_t *tokens;
    size_t count;
    assert_int_equal(
        cs_analyze(f->analyzer, "Twisted 2015 舉手", strlen("Twisted 2015 舉手"), &tokens, &count),
        CS_OK);
    term_list_t got = {0};
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(cs_term_of_token(&tokens[i], term, &n), CS_OK);
        collect_term(term, n, 0, &got);
    }
    assert_true(list_is(&got, "twisted 2015 舉手 XB舉手"));
    assert_int_equal(cs_term_of_token(NULL, term, &n), CS_ERR_NULL_ARG);
    assert_int_equal(cs_term_word(NULL, 1, term, &n), CS_ERR_NULL_ARG);
}

/* ------------------------------------------------------------------ */
/* Spelling words                                                      */

static void test_spelling_words(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *text;
        bool spelling;
    } rows[] = {
        {"twisted", true},
        {"Twisted", true},
        {"ＴＷＩＳＴＥＤ", true},
        {"node.js", false},
        {"MAX_WORKERS", false},
        {"the", true},
        {"go", false},
        {"2015", false},
        {"python3", false},
        {"R0", false},
        {"測試", false},
        {"\xc3\xa9"
         "clair",
         false},
        {"über", false},
        {"한국어", false},
        {"\xce\xb1\xce\xb2\xce\xb3", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const cs_token_t *tokens;
        size_t count;
        assert_int_equal(
            cs_analyze(f->analyzer, rows[i].text, strlen(rows[i].text), &tokens, &count), CS_OK);
        assert_true(count >= 1);
        if (cs_term_is_spelling_word(&tokens[0]) != rows[i].spelling)
            fail_msg("'%s' %s a spelling word", rows[i].text, rows[i].spelling ? "is" : "is not");
    }
    assert_false(cs_term_is_spelling_word(NULL));
}

/* ------------------------------------------------------------------ */
/* CJK runs and characters                                             */

static void test_cjk_runs(void **state)
{
    fixture_t *f = *state;
    const char *text = "Django教練 2015 寫測試 人";
    const cs_token_t *tokens;
    size_t count;
    assert_int_equal(cs_analyze(f->analyzer, text, strlen(text), &tokens, &count), CS_OK);
    /* django | 教練 XB教練 | 2015 | 寫 測試 XB寫測 XB測試 | 人 */
    static const struct {
        size_t tokens, bigrams;
        bool cjk;
    } want[] = {{1, 0, false}, {2, 1, true}, {1, 0, false}, {4, 2, true}, {1, 0, true}};
    size_t k = 0;
    for (size_t i = 0; i < count; k++) {
        cs_token_span_t sp = cs_term_span(tokens, count, i);
        assert_true(k < sizeof want / sizeof want[0]);
        assert_int_equal(sp.first, i);
        assert_int_equal(sp.end - sp.first, want[k].tokens);
        assert_int_equal(sp.bigrams, want[k].bigrams);
        assert_int_equal(sp.cjk, want[k].cjk);
        i = sp.end;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);

    /* The indexer's analyzer adds each character to the run. */
    cs_analyzer_set_chars(f->analyzer, true);
    assert_int_equal(cs_analyze(f->analyzer, "寫測試", strlen("寫測試"), &tokens, &count), CS_OK);
    cs_token_span_t all = cs_term_span(tokens, count, 0);
    cs_analyzer_set_chars(f->analyzer, false);
    assert_int_equal(all.end, count);
    assert_int_equal(count, 2 + 2 + 3);
    assert_int_equal(cs_term_span(tokens, 0, 0).end, 0);
}

/* What one character is, for positions (the analysis) and for marking
 * (the highlighter): both ask cs_term_joins_previous. */
static void test_character_boundaries(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *text;
        size_t first; /* bytes of the first character */
        size_t chars; /* characters in all */
    } rows[] = {
        {"a", 1, 1},
        {"ab", 1, 2},
        {"\xc3\xa9", 2, 1},                             /* é, precomposed */
        {"e\xcc\x81x", 3, 2},                           /* e + combining acute */
        {"測\xcc\x81試", 5, 2},                         /* a mark on a Han character */
        {"\xef\xbd\xb6\xef\xbe\x9e\xef\xbd\xb2", 6, 2}, /* ｶﾞｲ: half-width voicing mark */
        {"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", 9, 1}, /* 한 as three jamo */
        {"葛\xf3\xa0\x84\x80城", 7, 2},                 /* a variation selector */
        {"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb", 7, 2}, /* ZWJ joins the man */
        {"\xf0\x9f\x9a\x80", 4, 1},                             /* an emoji */
        {"a\xff\xcc\x81", 1, 2}, /* ill-formed bytes end a character */
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *s = rows[i].text;
        size_t len = strlen(s), chars = 0;
        if (cs_term_char_bytes(s, 0, len) != rows[i].first)
            fail_msg("row %zu: the first character has %zu bytes, want %zu", i,
                     cs_term_char_bytes(s, 0, len), rows[i].first);
        for (size_t at = 0; at < len; chars++)
            at += cs_term_char_bytes(s, at, len);
        assert_int_equal(chars, rows[i].chars);
    }
    assert_int_equal(cs_term_char_bytes(NULL, 0, 1), 0);
    assert_true(cs_term_joins_previous(0x0301));
    assert_true(cs_term_joins_previous(0xFF9E));
    assert_true(cs_term_joins_previous(0x200D));
    assert_false(cs_term_joins_previous('a'));
    assert_false(cs_term_joins_previous(0x6E2C));

    /* The document's character terms come in the same pieces. */
    term_list_t doc;
    index_talk(f, &(talk_t){.body = "測\xcc\x81試 ｶﾞｲ"}, &doc);
    assert_true(has_term(&doc, "XU測\xcc\x81", strlen("XU測\xcc\x81")));
    assert_true(has_term(&doc, "XU試", strlen("XU試")));
    assert_true(has_term(&doc, "XUガ", strlen("XUガ")));
    assert_true(has_term(&doc, "XUイ", strlen("XUイ")));
    assert_false(strstr(doc.text, "XU\xef\xbd\xb6") != NULL); /* ｶ alone */
}

/* What a term says of a topic (similar talks): words, stems and bigrams
 * do; ids, filters, field copies, single characters and numbers do not. */
static void test_topic_words(void **state)
{
    (void)state;
    static const struct {
        const char *term, *word; /* word NULL: no topic */
    } rows[] = {
        {"pytest", "pytest"},
        {"Zfixtur", "fixtur"},
        {"XB\xE6\xB8\xAC\xE8\xA9\xA6", "\xE6\xB8\xAC\xE8\xA9\xA6"},
        {"Qpycon-apac-2015_2015-06-05_1110_R1", NULL},
        {"XROOM:R0", NULL},
        {"Spytest", NULL},
        {"Adan", NULL},
        {"XU\xE6\xB8\xAC", NULL},
        {"2015", NULL},
        {"a", NULL},
        {"ZPython", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n = 0;
        const char *w = cs_term_topic_word(rows[i].term, strlen(rows[i].term), &n);
        if (!rows[i].word) {
            if (w)
                fail_msg("\"%s\" taken as a topic word", rows[i].term);
            continue;
        }
        if (!w)
            fail_msg("\"%s\" not taken as a topic word", rows[i].term);
        assert_int_equal(n, strlen(rows[i].word));
        assert_memory_equal(w, rows[i].word, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topic_words),
        cmocka_unit_test(test_query_terms_are_the_documents_terms),
        cmocka_unit_test(test_same_text_gives_the_same_terms),
        cmocka_unit_test(test_filter_terms_agree),
        cmocka_unit_test(test_filter_terms_of_the_indexer),
        cmocka_unit_test(test_filter_values_without_a_term),
        cmocka_unit_test(test_prefixes_and_the_245_byte_limit),
        cmocka_unit_test(test_spelling_words),
        cmocka_unit_test(test_cjk_runs),
        cmocka_unit_test(test_character_boundaries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
