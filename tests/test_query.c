/* test_query.c: the query language (searchd/query.c): the Xapian queries it
 * builds, its errors and limits, and what it finds in a real index built by
 * the indexer's own document builder, hits and non-hits alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "query.h"
#include "query_plan.h"
#include "schema.h"
#include "session_doc.h"

#define MAX_DOCS 16

typedef struct {
    const char *name, *title, *room, *body;
    int day;
    const char *speaker; /* NULL: none */
} talk_t;

/* Bodies echo the seed notes; each term below is placed to tell one rule
 * apart: ICU makes 請舉手 one word, twist/twisted share a stem, and
 * "aq" starts more words than CS_QUERY_MAX_EXPANSION. */
static const talk_t talks[] = {
    {"d1", "Testing culture", "R0", "有在寫測試的人請舉手", 1, "Dan Maas"},
    {"d2", "Twisted", "R1", "Twisted is an event-driven networking engine", 1, "Amber Brown"},
    {"d3", "Coaching", "R0", "Django 教練 and flask tips for java people", 2, NULL},
    {"d4", "Tales", "R2", "A twist in the tale: java without python", 2, NULL},
    {"d5", "Frameworks", "R1", "python and java together; 測試 framework, unlike flask", 2, NULL},
    {"d6", "Words", "R3", NULL /* generated: 120 words starting with "aq" */, 3, NULL},
    {"d7", "Plot", "R3", "the plot twisted again", 3, NULL},
    /* compounds: whole, the same parts scattered, parts with a space */
    {"d8", "Mocking", "R4", "use @mock.patch and MAX_WORKERS, see docs.python.org/3/library", 4,
     NULL},
    {"d9", "Mocking", "R4", "patch the code, then mock it; the max workers", 4, NULL},
    {"d10", "Mocking", "R4", "a mock patch of MyConf2021", 4, NULL},
    /* the same notes in Simplified and in Taiwan Traditional */
    {"d11", "Streaming", "R5", "用网络看视频，写信息安全程序", 5, NULL},
    {"d12", "Streaming", "R5", "用網路看影片，寫資訊安全程式", 5, NULL},
};
#define N_TALKS (sizeof talks / sizeof talks[0])

typedef struct {
    char dir[64];
    xc_database_t *db;
    cs_analyzer_t *analyzer;
    xc_stemmer_t *stemmer;
    const char *names[MAX_DOCS + 1]; /* by docid */
} fixture_t;

static char *xstrdup(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    assert_true(!s || d);
    return d;
}

static char *generated_words(void)
{
    /* aqaa aqab ... : 120 distinct words, none stemmed to another's form. */
    char *buf = malloc(120 * 5 + 1);
    assert_non_null(buf);
    size_t at = 0;
    for (int i = 0; i < 120; i++) {
        buf[at++] = 'a';
        buf[at++] = 'q';
        buf[at++] = (char)('a' + i / 26);
        buf[at++] = (char)('a' + i % 26);
        buf[at++] = ' ';
    }
    buf[at] = '\0';
    return buf;
}

static void add_talk(fixture_t *f, xc_database_t *wdb, cs_doc_builder_t *b, const talk_t *t)
{
    cs_session_t s = {0};
    s.id = xstrdup(t->name);
    s.conference = xstrdup("Test Conf");
    s.day = t->day;
    s.room = xstrdup(t->room);
    s.title = xstrdup(t->title);
    if (t->speaker) {
        s.speaker = xstrdup(t->speaker);
        s.speakers[0] = xstrdup(t->speaker);
        s.n_speakers = 1;
    }
    s.body = t->body ? xstrdup(t->body) : generated_words();
    s.body_len = strlen(s.body);
    s.line = 1;
    char *json = NULL;
    xc_document_t *doc = NULL;
    assert_int_equal(cs_doc_builder_json(b, &s, &json), CS_OK);
    assert_int_equal(cs_doc_builder_build(b, &s, json, &doc), CS_OK);
    char idterm[64];
    snprintf(idterm, sizeof idterm, "%s%s", CS_PREFIX_ID, t->name);
    xc_docid_t docid = 0;
    assert_int_equal(xc_database_replace_document(wdb, idterm, strlen(idterm), doc, &docid), XC_OK);
    assert_true(docid > 0 && docid <= MAX_DOCS);
    f->names[docid] = t->name;
    xc_document_destroy(doc);
    free(json);
    cs_session_clear(&s);
}

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cs-test-query-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char *err = NULL;
    assert_int_equal(cs_analyzer_create(&f->analyzer, &err), CS_OK);
    assert_int_equal(xc_stemmer_create("english", &f->stemmer, &err), XC_OK);

    char path[96];
    snprintf(path, sizeof path, "%s/db", f->dir);
    xc_database_t *wdb = NULL;
    assert_int_equal(xc_database_open_writable(path, XC_DB_CREATE, &wdb, &err), XC_OK);
    cs_doc_builder_t *b = NULL;
    assert_int_equal(cs_doc_builder_create(wdb, &b, &err), CS_OK);
    for (size_t i = 0; i < N_TALKS; i++)
        add_talk(f, wdb, b, &talks[i]);
    cs_doc_builder_destroy(b);
    assert_int_equal(xc_database_commit(wdb), XC_OK);
    xc_database_destroy(wdb);
    assert_int_equal(xc_database_open(path, &f->db, &err), XC_OK);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    xc_database_destroy(f->db);
    cs_analyzer_destroy(f->analyzer);
    xc_stemmer_destroy(f->stemmer);
    nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static cs_query_t *parse_ok(fixture_t *f, const char *text)
{
    cs_query_t *q = NULL;
    char *err = NULL;
    cs_status_t st = cs_query_parse(f->analyzer, f->stemmer, text, strlen(text), &q, &err);
    if (st != CS_OK)
        fail_msg("parsing '%s': %s (%s)", text, cs_status_to_string(st), err ? err : "");
    assert_null(err);
    return q;
}

/* Parses text expecting failure st; returns the message (caller frees). */
static char *parse_fails_len(fixture_t *f, const char *text, size_t len, cs_status_t want)
{
    cs_query_t *q = (cs_query_t *)&q; /* must be reset to NULL */
    char *err = NULL;
    cs_status_t st = cs_query_parse(f->analyzer, f->stemmer, text, len, &q, &err);
    if (st != want)
        fail_msg("parsing '%.*s': got %s, want %s", (int)len, text, cs_status_to_string(st),
                 cs_status_to_string(want));
    assert_null(q);
    assert_non_null(err);
    assert_true(err[0] != '\0');
    return err;
}

static void parse_fails(fixture_t *f, const char *text, cs_status_t want, const char *msg_part)
{
    char *err = parse_fails_len(f, text, strlen(text), want);
    if (msg_part && !strstr(err, msg_part))
        fail_msg("parsing '%s': message '%s' lacks '%s'", text, err, msg_part);
    free(err);
}

/* The description of the text part, or "" when there is none. */
static void assert_describes(fixture_t *f, const char *text, const char *want)
{
    cs_query_t *q = parse_ok(f, text);
    char *desc = NULL;
    const xc_query_t *xq = cs_query_xapian(q);
    if (xq)
        assert_int_equal(xc_query_describe(xq, &desc), XC_OK);
    if (strcmp(desc ? desc : "", want) != 0)
        fail_msg("'%s' gave\n  %s\nwant\n  %s", text, desc ? desc : "", want);
    free(desc);
    cs_query_destroy(q);
}

/* Runs text as searchd does, through its query plan (query_plan.h): the
 * text part (all documents when none), filtered by each facet's values
 * OR-ed.  Returns the names of the hits
 * in rank order, space-separated, or "ERR:<status>" (caller frees). */
static char *search(fixture_t *f, const char *text)
{
    cs_query_t *q = parse_ok(f, text);
    cs_query_plan_t *plan = NULL;
    assert_int_equal(cs_query_plan_create(f->analyzer, q, NULL, &plan), CS_OK);
    xc_query_t *base = NULL;
    assert_int_equal(cs_query_plan_compose(plan, CS_FACET_COUNT, &base), XC_OK);
    cs_query_plan_destroy(plan);
    cs_query_destroy(q);

    xc_enquire_t *enq = NULL;
    assert_int_equal(xc_enquire_create(f->db, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, base), XC_OK);
    xc_query_destroy(base);
    xc_mset_t *mset = NULL;
    xc_status_t xs = xc_enquire_get_mset(enq, 0, MAX_DOCS, MAX_DOCS, &mset);
    char *out = calloc(1, 4 * MAX_DOCS + 32);
    assert_non_null(out);
    if (xs != XC_OK) {
        snprintf(out, 4 * MAX_DOCS + 32, "ERR:%s", xc_status_to_string(xs));
    } else {
        for (size_t i = 0; i < xc_mset_size(mset); i++) {
            xc_docid_t id = 0;
            assert_int_equal(xc_mset_get_docid(mset, i, &id), XC_OK);
            assert_true(id > 0 && id <= MAX_DOCS && f->names[id]);
            if (i)
                strcat(out, " ");
            strcat(out, f->names[id]);
        }
    }
    xc_mset_destroy(mset);
    xc_enquire_destroy(enq);
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The hits as a set: names sorted. */
static void assert_hits(fixture_t *f, const char *text, const char *want)
{
    char *ranked = search(f, text);
    char *names[MAX_DOCS];
    size_t n = 0;
    for (char *tok = strtok(ranked, " "); tok && n < MAX_DOCS; tok = strtok(NULL, " "))
        names[n++] = tok;
    qsort(names, n, sizeof names[0], cmp_str);
    char got[4 * MAX_DOCS + 32] = "";
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, names[i]);
    }
    if (strcmp(got, want) != 0)
        fail_msg("'%s' hit [%s], want [%s]", text, got, want);
    free(ranked);
}

static void assert_ranked(fixture_t *f, const char *text, const char *want)
{
    char *got = search(f, text);
    if (strcmp(got, want) != 0)
        fail_msg("'%s' ranked [%s], want [%s]", text, got, want);
    free(got);
}

/* ------------------------------------------------------------------ */
/* Structure                                                           */

static void test_latin_words(void **state)
{
    fixture_t *f = *state;
    assert_describes(f, "twisted", "Query((Ztwist AND_MAYBE twisted))");
    /* Full-width capitals fold like the documents' text. */
    assert_describes(f, "ＴＷＩＳＴＥＤ", "Query((Ztwist AND_MAYBE twisted))");
    assert_describes(f, "2015", "Query(2015)");
    assert_describes(f, "twisted python",
                     "Query(((Ztwist AND_MAYBE twisted) AND (Zpython AND_MAYBE python)))");
    /* A hyphenated chunk needs both words, like any chunk of several. */
    assert_describes(f, "event-driven",
                     "Query(((Zevent AND_MAYBE event) AND (Zdriven AND_MAYBE driven)))");
}

static void test_cjk_runs(void **state)
{
    fixture_t *f = *state;
    assert_describes(f, "舉手", "Query((舉手 OR XB舉手))");
    assert_describes(f, "寫測試", "Query(((寫 PHRASE 2 測試) OR (XB寫測 PHRASE 2 XB測試)))");
    /* A lone character is its character term, found inside longer words. */
    assert_describes(f, "手", "Query(XU手)");
    assert_describes(f, "手 django", "Query((XU手 AND (Zdjango AND_MAYBE django)))");
    /* ICU words are a phrase whose window spans the characters they cover. */
    assert_describes(f, "寫測試的人",
                     "Query(((寫 PHRASE 5 測試 PHRASE 5 的 PHRASE 5 人) OR "
                     "(XB寫測 PHRASE 4 XB測試 PHRASE 4 XB試的 PHRASE 4 XB的人)))");
    assert_describes(f, "Django教練", "Query(((Zdjango AND_MAYBE django) AND (教練 OR XB教練)))");
}

static void test_phrases(void **state)
{
    fixture_t *f = *state;
    assert_describes(f, "\"event-driven networking\"",
                     "Query((event PHRASE 3 driven PHRASE 3 networking))");
    /* Exact forms only, and one term is no phrase. */
    assert_describes(f, "\"Twisted\"", "Query(twisted)");
    assert_describes(f, "\"Django 教練\"", "Query((django PHRASE 2 XB教練))");
    assert_describes(f, "\"測試 framework\"", "Query((XB測試 PHRASE 3 framework))");
    /* Spaces take no position, as in documents. */
    assert_describes(f, "\"請 舉手\"", "Query((請 PHRASE 2 XB舉手))");
    /* Full-width and corner-bracket quotes. */
    assert_describes(f,
                     "\xe2\x80\x9c"
                     "event driven"
                     "\xe2\x80\x9d",
                     "Query((event PHRASE 2 driven))");
    assert_describes(f, "「舉手」", "Query(XB舉手)");
    assert_describes(f, "『寫測試』", "Query((XB寫測 PHRASE 2 XB測試))");
    /* Glued to a word, a quote still starts a phrase. */
    assert_describes(f, "我說「你好」", "Query((((我 PHRASE 2 說) OR XB我說) AND XB你好))");
    assert_describes(f, "\"  \"", "");
    assert_describes(f, "\"!!\" java", "Query((Zjava AND_MAYBE java))");
}

static void test_operators(void **state)
{
    fixture_t *f = *state;
    assert_describes(f, "java -python",
                     "Query(((Zjava AND_MAYBE java) AND_NOT (Zpython AND_MAYBE python)))");
    /* Only excluded words: every talk but those (notes held by a programme
     * talk's document are no talk of their own). */
    assert_describes(f, "-java",
                     "Query(((<alldocuments> AND_NOT XJOINED) AND_NOT (Zjava AND_MAYBE java)))");
    assert_describes(f, "-java -\"big data\"",
                     "Query(((<alldocuments> AND_NOT XJOINED) AND_NOT (Zjava AND_MAYBE java) "
                     "AND_NOT (big PHRASE 2 data)))");
    assert_describes(f, "django OR flask",
                     "Query(((Zdjango AND_MAYBE django) OR (Zflask AND_MAYBE flask)))");
    /* OR binds tighter than the implicit AND. */
    assert_describes(f, "2015 2016 OR 2017", "Query((2015 AND (2016 OR 2017)))");
    assert_describes(f, "(2015 2016) OR 2017", "Query(((2015 AND 2016) OR 2017))");
    assert_describes(f, "2015 -(2016 OR 2017)", "Query((2015 AND_NOT (2016 OR 2017)))");
    assert_describes(f, "2015 (-2016)",
                     "Query((2015 AND ((<alldocuments> AND_NOT XJOINED) AND_NOT 2016)))");
    assert_describes(f, "twis*", "Query(WILDCARD SYNONYM twis)");
    assert_describes(f, "Twis*", "Query(WILDCARD SYNONYM twis)");
    assert_describes(f, "測試*", "Query(WILDCARD SYNONYM 測試)");
    assert_describes(f, "-twis* 2015", "Query((2015 AND_NOT WILDCARD SYNONYM twis))");
    /* What analyses to nothing contributes nothing. */
    assert_describes(f, "", "");
    assert_describes(f, "   \t\xe3\x80\x80 ", "");
    assert_describes(f, "!!! ??", "");
    assert_describes(f, "()", "");
    assert_describes(f, "!!! OR 2015", "Query(2015)");
    assert_describes(f, "2015 - 2016", "Query((2015 AND 2016))");
    assert_describes(f, "2015 -", "Query(2015)");
    assert_describes(f, "-!!!", "");
    /* Lowercase "or" is a word; "OR" glued to text is text. */
    assert_describes(f, "2015 or", "Query((2015 AND (Zor AND_MAYBE or)))");
    assert_describes(f, "(2015)OR(2016)", "Query((2015 OR 2016))");
    assert_describes(f, "javaOR", "Query((Zjavaor AND_MAYBE javaor))");
}

static void test_depth(void **state)
{
    fixture_t *f = *state;
    char text[128];
    memset(text, 0, sizeof text);
    for (int i = 0; i < CS_QUERY_MAX_DEPTH; i++)
        strcat(text, "(");
    strcat(text, "2015");
    for (int i = 0; i < CS_QUERY_MAX_DEPTH; i++)
        strcat(text, ")");
    assert_describes(f, text, "Query(2015)");
    char deeper[128] = "(";
    strcat(deeper, text);
    strcat(deeper, ")");
    parse_fails(f, deeper, CS_ERR_LIMIT, "too many nested parentheses (max 16)");
    /* Depth is checked before the closing ones are looked for. */
    char open_only[64];
    memset(open_only, '(', 40);
    open_only[40] = '\0';
    parse_fails(f, open_only, CS_ERR_LIMIT, "nested");
}

static void test_term_limit(void **state)
{
    fixture_t *f = *state;
    char text[256] = "";
    for (int i = 1; i <= CS_QUERY_MAX_TERMS; i++) {
        char n[8];
        snprintf(n, sizeof n, "%d ", i);
        strcat(text, n);
    }
    cs_query_t *q = parse_ok(f, text);
    assert_int_equal(cs_query_term_count(q), CS_QUERY_MAX_TERMS);
    cs_query_destroy(q);
    strcat(text, "65");
    parse_fails(f, text, CS_ERR_LIMIT, "too many terms (max 64)");

    /* Each word costs two terms (exact and stem), each bigram one. */
    struct {
        const char *text;
        size_t terms;
    } counts[] = {
        {"twisted", 2},    {"2015", 1},  {"twis*", 1},   {"舉手", 2}, {"寫測試", 4},
        {"\"寫測試\"", 2}, {"-java", 2}, {"room:R0", 0}, {"!!!", 0},  {"\"a b c\"", 3},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        q = parse_ok(f, counts[i].text);
        if (cs_query_term_count(q) != counts[i].terms)
            fail_msg("'%s' counts %zu terms, want %zu", counts[i].text, cs_query_term_count(q),
                     counts[i].terms);
        cs_query_destroy(q);
    }
    /* A pasted English sentence of 32 words is a query; 33 are too many. */
    char words[512] = "";
    for (int i = 0; i < 33; i++)
        strcat(words, i == 32 ? "lastword" : "word ");
    parse_fails(f, words, CS_ERR_LIMIT, "too many terms");
    *strrchr(words, ' ') = '\0';
    q = parse_ok(f, words);
    cs_query_destroy(q);
    /* A pasted Chinese sentence: a long run is every other bigram and the
     * last, no words (30 characters: 29 bigrams, 15 kept). */
    const char *sentence = "有在寫測試的人請舉手有在寫測試的人請舉手有在寫測試的人請舉手";
    q = parse_ok(f, sentence);
    assert_int_equal(cs_query_term_count(q), 15);
    cs_query_destroy(q);
    /* Quoted, it must be exact: every bigram (found in review: a thinned
     * quoted phrase matched text broken by commas between its bigrams). */
    q = parse_ok(f, "\"有在寫測試的人請舉手有在寫測試的人請舉手有在寫測試的人請舉手\"");
    assert_int_equal(cs_query_term_count(q), 29);
    cs_query_destroy(q);
    /* 1 KiB of Chinese (341 characters) is still too many. */
    char long_run[1100] = "";
    for (int i = 0; i < 34; i++)
        strcat(long_run, "有在寫測試的人請舉手");
    parse_fails(f, long_run, CS_ERR_LIMIT, "too many terms");
}

static void test_bad_queries(void **state)
{
    fixture_t *f = *state;
    parse_fails(f, "\"event driven", CS_ERR_BAD_QUERY, "unbalanced quote");
    parse_fails(f, "java \"", CS_ERR_BAD_QUERY, "unbalanced quote");
    /* Each opening quote closes only on its partner. */
    parse_fails(f,
                "\xe2\x80\x9c"
                "event driven\"",
                CS_ERR_BAD_QUERY, "unbalanced quote");
    parse_fails(f, "「舉手", CS_ERR_BAD_QUERY, "unbalanced quote");
    parse_fails(f, "(java", CS_ERR_BAD_QUERY, "unbalanced parentheses");
    parse_fails(f, "java)", CS_ERR_BAD_QUERY, "unbalanced parentheses");
    parse_fails(f, ")", CS_ERR_BAD_QUERY, "unbalanced parentheses");
    parse_fails(f, "(a))(", CS_ERR_BAD_QUERY, "unbalanced parentheses");
    parse_fails(f, "OR java", CS_ERR_BAD_QUERY, "OR must stand between two terms");
    parse_fails(f, "java OR", CS_ERR_BAD_QUERY, "OR must stand between two terms");
    parse_fails(f, "java OR OR python", CS_ERR_BAD_QUERY, "OR");
    parse_fails(f, "(java OR) python", CS_ERR_BAD_QUERY, "OR");
    parse_fails(f, "OR", CS_ERR_BAD_QUERY, "OR");
    parse_fails(f, "java OR -python", CS_ERR_BAD_QUERY, "excluded");
    parse_fails(f, "-java OR python", CS_ERR_BAD_QUERY, "excluded");
    parse_fails(f, "*", CS_ERR_BAD_QUERY, "'*'");
    parse_fails(f, "!!*", CS_ERR_BAD_QUERY, "'*'");
    parse_fails(f, "寫測試*", CS_ERR_BAD_QUERY, "single word");
    parse_fails(f, "event-driv*", CS_ERR_BAD_QUERY, "single word");
    parse_fails(f, "-room:R0", CS_ERR_BAD_QUERY, "cannot be excluded");
    parse_fails(f, "room:R0 OR room:R1", CS_ERR_BAD_QUERY, "room:R0 room:R1");
    parse_fails(f, "java OR day:1", CS_ERR_BAD_QUERY, "OR");
    parse_fails(f, "(room:R0 java)", CS_ERR_BAD_QUERY, "parentheses");
    parse_fails(f, "room:", CS_ERR_BAD_QUERY, "room: needs a value");
    parse_fails(f, "room: R0", CS_ERR_BAD_QUERY, "room: needs a value");
    parse_fails(f, "speaker:\"  \"", CS_ERR_BAD_QUERY, "speaker: needs a value");
    parse_fails(f, "speaker:\"Dan", CS_ERR_BAD_QUERY, "unbalanced quote");

    char *err = parse_fails_len(f, "java\0python", 11, CS_ERR_BAD_QUERY);
    assert_non_null(strstr(err, "NUL"));
    free(err);
    parse_fails(f, "java \xff", CS_ERR_BAD_QUERY, "UTF-8");
    parse_fails(f, "\xc0\xaf", CS_ERR_BAD_QUERY, "UTF-8");         /* overlong '/' */
    parse_fails(f, "\xed\xa0\x80", CS_ERR_BAD_QUERY, "UTF-8");     /* a surrogate */
    parse_fails(f, "\xe6\xb8\xac\xe8", CS_ERR_BAD_QUERY, "UTF-8"); /* cut in a character */

    size_t big = 5000;
    char *long_text = malloc(big + 1);
    assert_non_null(long_text);
    for (size_t i = 0; i < big; i++)
        long_text[i] = i % 2 ? ' ' : '!';
    long_text[big] = '\0';
    parse_fails(f, long_text, CS_ERR_LIMIT, "too long");
    free(long_text);

    char filters[512] = "";
    for (int i = 0; i <= CS_QUERY_MAX_FILTERS; i++)
        strcat(filters, "day:1 ");
    parse_fails(f, filters, CS_ERR_LIMIT, "too many day: filters");

    cs_query_t *q = (cs_query_t *)&q;
    assert_int_equal(cs_query_parse(NULL, f->stemmer, "a", 1, &q, NULL), CS_ERR_NULL_ARG);
    assert_null(q);
    assert_int_equal(cs_query_parse(f->analyzer, NULL, "a", 1, &q, NULL), CS_ERR_NULL_ARG);
    assert_int_equal(cs_query_parse(f->analyzer, f->stemmer, NULL, 0, &q, NULL), CS_ERR_NULL_ARG);
    assert_int_equal(cs_query_parse(f->analyzer, f->stemmer, "a", 1, NULL, NULL), CS_ERR_NULL_ARG);
    /* errmsg may be NULL on failure too. */
    assert_int_equal(cs_query_parse(f->analyzer, f->stemmer, "(", 1, &q, NULL), CS_ERR_BAD_QUERY);
    assert_null(q);
    cs_query_destroy(NULL);
}

/* The plan composes the search with every filter, or without one facet's
 * (the pass that counts that facet's other values); a request's filters
 * join the query's own. */
static void test_plan_composes_without_one_facet(void **state)
{
    fixture_t *f = *state;
    cs_query_t *q = parse_ok(f, "twisted room:R0 day:1");
    cs_search_request_t req = {0};
    req.filters[CS_FACET_SPEAKER][0] = (cs_str_t){"Dan Maas", 8};
    req.n_filters[CS_FACET_SPEAKER] = 1;
    cs_query_plan_t *plan = NULL;
    assert_int_equal(cs_query_plan_create(f->analyzer, q, &req, &plan), CS_OK);
    assert_true(cs_query_plan_has_text(plan));
    assert_true(cs_query_plan_has_filter(plan, CS_FACET_ROOM));
    assert_true(cs_query_plan_has_filter(plan, CS_FACET_SPEAKER));
    assert_false(cs_query_plan_has_filter(plan, CS_FACET_TRACK));
    xc_query_t *all = NULL, *no_room = NULL;
    assert_int_equal(cs_query_plan_compose(plan, CS_FACET_COUNT, &all), XC_OK);
    assert_int_equal(cs_query_plan_compose(plan, CS_FACET_ROOM, &no_room), XC_OK);
    char *a = NULL, *b = NULL;
    assert_int_equal(xc_query_describe(all, &a), XC_OK);
    assert_int_equal(xc_query_describe(no_room, &b), XC_OK);
    assert_non_null(strstr(a, CS_PREFIX_ROOM "R0"));
    assert_non_null(strstr(a, CS_PREFIX_DAY "1"));
    assert_non_null(strstr(a, CS_PREFIX_SPK));
    assert_null(strstr(b, CS_PREFIX_ROOM));
    assert_non_null(strstr(b, CS_PREFIX_DAY "1"));
    free(a);
    free(b);
    xc_query_destroy(all);
    xc_query_destroy(no_room);
    cs_query_plan_destroy(plan);
    cs_query_destroy(q);
}

static void test_filters(void **state)
{
    fixture_t *f = *state;
    cs_query_t *q = parse_ok(f, "room:R0");
    assert_null(cs_query_xapian(q));
    assert_int_equal(cs_query_filter_count(q, CS_FACET_ROOM), 1);
    assert_string_equal(cs_query_filter(q, CS_FACET_ROOM, 0), "R0");
    assert_int_equal(cs_query_filter_count(q, CS_FACET_DAY), 0);
    assert_null(cs_query_filter(q, CS_FACET_ROOM, 1));
    assert_int_equal(cs_query_highlight_count(q), 0);
    cs_query_destroy(q);

    q = parse_ok(f, "ROOM:R0 Day:1 speaker:\"Dan Maas\" java day:2 "
                    "speaker:「林 大」 room:\"R 1 \"");
    assert_non_null(cs_query_xapian(q));
    assert_int_equal(cs_query_filter_count(q, CS_FACET_ROOM), 2);
    assert_string_equal(cs_query_filter(q, CS_FACET_ROOM, 0), "R0");
    assert_string_equal(cs_query_filter(q, CS_FACET_ROOM, 1), "R 1");
    assert_int_equal(cs_query_filter_count(q, CS_FACET_DAY), 2);
    assert_string_equal(cs_query_filter(q, CS_FACET_DAY, 0), "1");
    assert_string_equal(cs_query_filter(q, CS_FACET_DAY, 1), "2");
    assert_int_equal(cs_query_filter_count(q, CS_FACET_SPEAKER), 2);
    assert_string_equal(cs_query_filter(q, CS_FACET_SPEAKER, 0), "Dan Maas");
    assert_string_equal(cs_query_filter(q, CS_FACET_SPEAKER, 1), "林 大");
    assert_int_equal(cs_query_filter_count(q, CS_FACET_COUNT), 0);
    assert_null(cs_query_filter(q, CS_FACET_COUNT, 0));
    cs_query_destroy(q);

    /* Other names are text, so URLs stay searchable. */
    q = parse_ok(f, "see:http://example.com rooms:R0");
    assert_non_null(cs_query_xapian(q));
    for (int facet = 0; facet < CS_FACET_COUNT; facet++)
        assert_int_equal(cs_query_filter_count(q, (cs_facet_t)facet), 0);
    cs_query_destroy(q);

    struct {
        cs_facet_t facet;
        const char *value, *term;
    } terms[] = {
        {CS_FACET_DAY, "1", "XDAY:1"},
        {CS_FACET_DAY, "01", "XDAY:1"},
        {CS_FACET_DAY, "12", "XDAY:12"},
        {CS_FACET_DAY, "0", NULL},
        {CS_FACET_DAY, "-1", NULL},
        {CS_FACET_DAY, "x", NULL},
        {CS_FACET_DAY, "1x", NULL},
        {CS_FACET_DAY, "", NULL},
        {CS_FACET_DAY, "99999999999999999999", NULL},
        {CS_FACET_ROOM, "R0", "XROOM:R0"},
        {CS_FACET_ROOM, "r0", "XROOM:r0"},
        {CS_FACET_ROOM, "", NULL},
        {CS_FACET_SPEAKER, "Dan Maas", "XSPK:dan maas"},
        {CS_FACET_SPEAKER, "ＤＡＮ MAAS", "XSPK:dan maas"},
        {CS_FACET_SPEAKER, "", NULL},
        {CS_FACET_COUNT, "1", NULL},
    };
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        char *t = cs_query_filter_term(f->analyzer, terms[i].facet, terms[i].value,
                                       strlen(terms[i].value));
        if ((t == NULL) != (terms[i].term == NULL) || (t && strcmp(t, terms[i].term) != 0))
            fail_msg("filter term of '%s' is '%s', want '%s'", terms[i].value, t ? t : "(null)",
                     terms[i].term ? terms[i].term : "(null)");
        free(t);
    }
    assert_null(cs_query_filter_term(f->analyzer, CS_FACET_ROOM, NULL, 0));
    assert_null(cs_query_filter_term(NULL, CS_FACET_SPEAKER, "Dan", 3));
    assert_null(cs_query_filter_term(f->analyzer, CS_FACET_ROOM,
                                     "R\0"
                                     "0",
                                     3));
    char longroom[CS_MAX_TOKEN_BYTES + 2];
    memset(longroom, 'r', sizeof longroom - 1);
    longroom[sizeof longroom - 1] = '\0';
    assert_null(cs_query_filter_term(f->analyzer, CS_FACET_ROOM, longroom, strlen(longroom)));
}

static void test_highlights(void **state)
{
    fixture_t *f = *state;
    cs_query_t *q = parse_ok(f, "Twisted -java \"event  driven\" twis* (flask OR Django) "
                                "-\"big data\" -(perl ruby) 教練 !!! room:R0 twisted Twisted");
    const struct {
        const char *text;
        int prefix;
    } want[] = {{"Twisted", 0}, {"event  driven", 0}, {"twis", 1},   {"flask", 0},
                {"Django", 0},  {"教練", 0},          {"twisted", 0}};
    size_t n = sizeof want / sizeof want[0];
    assert_int_equal(cs_query_highlight_count(q), n);
    for (size_t i = 0; i < n; i++) {
        int is_prefix = -1;
        const char *h = cs_query_highlight(q, i, &is_prefix);
        assert_non_null(h);
        assert_string_equal(h, want[i].text);
        assert_int_equal(is_prefix, want[i].prefix);
    }
    assert_null(cs_query_highlight(q, n, NULL));
    assert_non_null(cs_query_highlight(q, 0, NULL));
    cs_query_destroy(q);
    assert_int_equal(cs_query_highlight_count(NULL), 0);
    assert_int_equal(cs_query_term_count(NULL), 0);
    assert_null(cs_query_xapian(NULL));
}

/* ------------------------------------------------------------------ */
/* Against the index                                                   */

static void test_index_latin(void **state)
{
    fixture_t *f = *state;
    assert_hits(f, "networking", "d2");
    assert_hits(f, "NETWORKING", "d2");
    /* Stemming: twist and twisted share the stem "twist"... */
    assert_hits(f, "twisted", "d2 d4 d7");
    assert_hits(f, "twist", "d2 d4 d7");
    assert_hits(f, "twister", "");
    /* ...and the exact form ranks first: d4 has "twist", d7 "twisted". */
    assert_ranked(f, "twist tale", "d4");
    char *ranked = search(f, "twist");
    assert_true(strncmp(ranked, "d4 ", 3) == 0);
    free(ranked);
    ranked = search(f, "twisted");
    assert_true(strcmp(ranked + strlen(ranked) - 2, "d4") == 0);
    free(ranked);
    assert_hits(f, "java", "d3 d4 d5");
    assert_hits(f, "java -python", "d3");
    assert_hits(f, "-python", "d1 d10 d11 d12 d2 d3 d6 d7 d9");
    assert_hits(f, "django OR flask", "d3 d5");
    assert_hits(f, "django flask", "d3");
    assert_hits(f, "(django OR twisted) java", "d3 d4");
    assert_hits(f, "twis*", "d2 d4 d7");
    assert_hits(f, "-twis* java", "d3 d5");
    assert_hits(f, "\"event-driven networking\"", "d2");
    assert_hits(f, "\"event driven networking engine\"", "d2");
    assert_hits(f, "\"networking event\"", "");
    assert_hits(f, "networking event", "d2");
    assert_hits(f, "\"java python\"", "");
    /* A phrase does not run from the title into the body. */
    assert_hits(f, "\"twisted twisted\"", "");
    assert_hits(f, "\"plot twisted\"", "d7");
    assert_hits(f, "aqa*", "d6");
    assert_hits(f, "aqab", "d6");
}

static void test_index_cjk(void **state)
{
    fixture_t *f = *state;
    /* ICU indexed 請舉手 as one word: the bigrams find 舉手 in it. */
    assert_hits(f, "舉手", "d1");
    assert_hits(f, "請舉手", "d1");
    assert_hits(f, "寫測試", "d1");
    assert_hits(f, "測試", "d1 d5");
    assert_hits(f, "人請", "d1"); /* across ICU's word boundary */
    assert_hits(f, "有在寫測試的人請舉手", "d1");
    /* A long run is searched by every other bigram, yet every character
     * still counts, in order: */
    assert_describes(f, "有在寫測試的人請舉手",
                     "Query((XB有在 PHRASE 9 XB寫測 PHRASE 9 XB試的 PHRASE 9 XB人請 PHRASE 9 "
                     "XB舉手))");
    assert_hits(f, "有在寫測試之人請舉手", "");
    assert_hits(f, "有在寫測試的人請舉腳", "");
    assert_hits(f, "人請舉手有在寫測試的", "");
    assert_hits(f, "「有在寫測試的人請舉手」", "d1");
    assert_describes(f, "「有在寫測試的人請舉手」",
                     "Query((XB有在 PHRASE 9 XB在寫 PHRASE 9 XB寫測 PHRASE 9 XB測試 PHRASE 9 "
                     "XB試的 PHRASE 9 XB的人 PHRASE 9 XB人請 PHRASE 9 XB請舉 PHRASE 9 XB舉手))");
    assert_hits(f, "測驗", "");
    assert_hits(f, "手舉", "");
    assert_hits(f, "試寫", "");
    assert_hits(f, "教練", "d3");
    /* A lone character is found inside words, first, middle or last. */
    assert_hits(f, "教", "d3");
    assert_hits(f, "練", "d3");
    assert_hits(f, "舉", "d1");
    assert_hits(f, "試", "d1 d5");
    assert_hits(f, "人", "d1");
    assert_hits(f, "鳥", "");
    assert_hits(f, "練 django", "d3");
    assert_hits(f, "練 -django", "");
    assert_hits(f, "Django教練", "d3");
    assert_hits(f, "\"Django 教練\"", "d3");
    assert_hits(f, "\"Django教練\"", "d3");
    assert_hits(f, "\"教練 Django\"", "");
    assert_hits(f, "\"測試 framework\"", "d5");
    assert_hits(f, "\"framework 測試\"", "");
    assert_hits(f, "「請舉手」", "d1");
    assert_hits(f, "「的人」", "d1");
    /* A lone character is found only as an ICU word of its own; d1 has
     * 人 alone but 請 only inside 請舉手. */
    assert_hits(f, "\"的 人\"", "d1");
    assert_hits(f, "\"人 請\"", "");
    assert_hits(f, "測試 -python", "d1");
    assert_hits(f, "測試 OR 教練", "d1 d3 d5");
    assert_hits(f, "測*", "d1 d5");
}

/* Simplified and Traditional: a query finds both scripts and mainland and
 * Taiwan words alike, the talk in the script typed first. */
static void test_index_simplified_and_traditional(void **state)
{
    fixture_t *f = *state;
    /* d11 is Simplified, d12 Taiwan Traditional. */
    static const struct {
        const char *query, *ranked;
    } rows[] = {
        {"网络", "d11 d12"}, {"網路", "d12 d11"}, {"视频", "d11 d12"}, {"影片", "d12 d11"},
        {"信息", "d11 d12"}, {"資訊", "d12 d11"}, {"程序", "d11 d12"}, {"程式", "d12 d11"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_ranked(f, rows[i].query, rows[i].ranked);
    assert_hits(f, "网", "d11 d12");
    /* Phrases, in either script, across the scripts. */
    assert_hits(f, "「網路看影片」", "d11 d12");
    assert_hits(f, "\"网络看视频\"", "d11 d12");
    assert_hits(f, "\"写資訊\"", "d11 d12");
    /* ...and what must not match. */
    assert_hits(f, "「影片看網路」", "");
    assert_hits(f, "网页", "");
    assert_hits(f, "網絡電視", "");
    assert_hits(f, "视频 -影片", "");
    /* The form typed, OR its Taiwan form weighted lower. */
    assert_describes(f, "网络", "Query(((网络 OR XB网络) OR 0.5 * XB網路))");
    assert_describes(f, "網路", "Query((網路 OR XB網路))");
}

/* A compound is its whole OR all of its parts: typed whole it finds the
 * talks with the parts anywhere, the talk that has it as written first. */
static void test_index_compounds(void **state)
{
    fixture_t *f = *state;
    assert_describes(
        f, "mock.patch",
        "Query((mock.patch OR ((Zmock AND_MAYBE mock) AND (Zpatch AND_MAYBE patch))))");
    assert_hits(f, "mock.patch", "d10 d8 d9");
    char *ranked = search(f, "mock.patch");
    assert_true(strncmp(ranked, "d8 ", 3) == 0);
    free(ranked);
    assert_hits(f, "@mock.patch", "d10 d8 d9");
    assert_hits(f, "\"mock patch\"", "d10 d8");
    assert_hits(f, "\"patch mock\"", "");
    assert_hits(f, "\"mock.patch\"", "d10 d8");
    assert_hits(f, "workers", "d8 d9");
    assert_hits(f, "\"max workers\"", "d8 d9");
    assert_hits(f, "MAX_WORKERS", "d8 d9");
    assert_ranked(f, "max_workers -patch", "");
    assert_hits(f, "python", "d4 d5 d8");
    assert_hits(f, "library", "d8");
    assert_hits(f, "docs.python.org", "d8");
    assert_hits(f, "conf", "d10");
    assert_hits(f, "myconf", "d10");
    assert_hits(f, "2021", "d10");
    assert_hits(f, "mock.pat*", "d8");
    assert_hits(f, "mockpatch", "");
    assert_hits(f, "maxworkers", "");
}

static void test_index_filters(void **state)
{
    fixture_t *f = *state;
    assert_hits(f, "room:R0", "d1 d3");
    assert_hits(f, "room:R0 room:R1", "d1 d2 d3 d5");
    assert_hits(f, "room:r0", "");
    assert_hits(f, "day:2 java", "d3 d4 d5");
    assert_hits(f, "day:02 room:R1", "d5");
    assert_hits(f, "day:x", "");
    assert_hits(f, "speaker:\"Dan Maas\"", "d1");
    assert_hits(f, "Speaker:「ＤＡＮ MAAS」", "d1");
    assert_hits(f, "speaker:Dan", "");
    /* Speaker words are also text. */
    assert_hits(f, "maas", "d1");
}

static void test_index_wildcard_limit(void **state)
{
    fixture_t *f = *state;
    /* 120 words start with "aq", past CS_QUERY_MAX_EXPANSION: an error
     * when run rather than a query over every one of them. */
    char *got = search(f, "aq*");
    char want[128];
    snprintf(want, sizeof want, "ERR:%s", xc_status_to_string(XC_ERR_WILDCARD));
    assert_string_equal(got, want);
    free(got);

    cs_query_t *q = parse_ok(f, "a*");
    xc_enquire_t *enq = NULL;
    assert_int_equal(xc_enquire_create(f->db, &enq, NULL), XC_OK);
    assert_int_equal(xc_enquire_set_query(enq, cs_query_xapian(q)), XC_OK);
    xc_mset_t *mset = NULL;
    assert_int_equal(xc_enquire_get_mset(enq, 0, 10, 10, &mset), XC_ERR_WILDCARD);
    assert_null(mset);
    xc_enquire_destroy(enq);
    cs_query_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_words),
        cmocka_unit_test(test_cjk_runs),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_term_limit),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_plan_composes_without_one_facet),
        cmocka_unit_test(test_highlights),
        cmocka_unit_test(test_index_latin),
        cmocka_unit_test(test_index_cjk),
        cmocka_unit_test(test_index_simplified_and_traditional),
        cmocka_unit_test(test_index_compounds),
        cmocka_unit_test(test_index_filters),
        cmocka_unit_test(test_index_wildcard_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
