/* test_params.c: the query-string rules of searchd/params.c, one table row
 * per rule: which requests pass with which defaults, and for each refusal
 * its status and exact message (which names the parameter at fault). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "params.h"

/* One decoded parameter.  Sizes come from the literal, so "a\0b" is three
 * bytes, as libmicrohttpd hands over a decoded "a%00b". */
typedef struct {
    const char *key;
    size_t key_size;
    const char *value; /* NULL: "key" without '=' */
    size_t value_size;
} param_t;

#define MAX_PARAMS 4

enum {
    DAY = 1 << CS_FACET_DAY,
    ROOM = 1 << CS_FACET_ROOM,
    SPEAKER = 1 << CS_FACET_SPEAKER,
    CONFERENCE = 1 << CS_FACET_CONFERENCE,
    TRACK = 1 << CS_FACET_TRACK
};
#define ALL_FACETS (DAY | ROOM | SPEAKER | CONFERENCE | TRACK)

typedef struct {
    const char *name;
    bool search; /* /api/search; false: /api/suggest */
    param_t params[MAX_PARAMS];
    cs_status_t status;
    const char *error; /* the exact message when status is not CS_OK */
    /* When status is CS_OK: */
    const char *q; /* NULL: no q given */
    unsigned page, size;
    int facets; /* DAY | ROOM | SPEAKER | CONFERENCE */
    size_t n_filters[CS_FACET_COUNT];
} params_case_t;

/* Initializers in macros, one line each. */
/* clang-format off */
#define P(k, v) {k, sizeof(k) - 1, v, sizeof(v) - 1}
#define BARE(k) {k, sizeof(k) - 1, NULL, 0}
/* A search accepted with no filter values, and a refusal. */
#define ACCEPT(label, q, page, size, facets, ...)                                                  \
    {label, true, {__VA_ARGS__}, CS_OK, NULL, q, page, size, facets, {0}}
#define REFUSE(label, search, status, msg, ...)                                                    \
    {label, search, {__VA_ARGS__}, status, msg, NULL, 0, 0, 0, {0}}
/* clang-format on */

static const char page_msg[] = "page must be a whole number from 1 to 1000";
static const char size_msg[] = "size must be a whole number from 1 to 100";

/* A row per case: the formatter would give each field its own line. */
/* clang-format off */
static const params_case_t cases[] = {
    /* Accepted, with the defaults filled in. */
    ACCEPT("no parameters", NULL, 1, 10, ALL_FACETS, {0}),
    ACCEPT("q only", "twisted python", 1, 10, ALL_FACETS, P("q", "twisted python")),
    ACCEPT("q without '='", "", 1, 10, ALL_FACETS, BARE("q")),
    ACCEPT("empty q", "", 1, 10, ALL_FACETS, P("q", "")),
    ACCEPT("CJK q", "有在寫測試的人請舉手", 1, 10, ALL_FACETS, P("q", "有在寫測試的人請舉手")),
    ACCEPT("page 1", NULL, 1, 10, ALL_FACETS, P("page", "1")),
    ACCEPT("page 1000", NULL, 1000, 10, ALL_FACETS, P("page", "1000")),
    ACCEPT("page of 9 digits", NULL, 7, 10, ALL_FACETS, P("page", "000000007")),
    ACCEPT("size 1", NULL, 1, 1, ALL_FACETS, P("size", "1")),
    ACCEPT("size 100", NULL, 1, 100, ALL_FACETS, P("size", "100")),
    ACCEPT("page and size", NULL, 3, 25, ALL_FACETS, P("page", "3"), P("size", "25")),
    ACCEPT("facets empty: none", NULL, 1, 10, 0, P("facets", "")),
    ACCEPT("facets day,room", NULL, 1, 10, DAY | ROOM, P("facets", "day,room")),
    ACCEPT("facets speaker", NULL, 1, 10, SPEAKER, P("facets", "speaker")),
    ACCEPT("facets all, reordered", NULL, 1, 10, ALL_FACETS, P("facets", "speaker,conference,day,track,room")),
    ACCEPT("facets conference", NULL, 1, 10, CONFERENCE, P("facets", "conference")),
    ACCEPT("unknown parameters ignored", NULL, 1, 10, ALL_FACETS,
           P("_", "1700000000"), P("Q", "x"), P("qq", ""), BARE("x")),
    ACCEPT("unknown parameter given twice", "x", 1, 10, ALL_FACETS,
           P("utm", "a"), P("utm", "b"), P("q", "x")),
    ACCEPT("empty name ignored", NULL, 1, 10, ALL_FACETS, P("", "x"), BARE("")),
    {"filters", true,
     {P("room", "R0"), P("room", "R1"), P("day", "1"), P("speaker", "Dan Maas")},
     CS_OK, NULL, NULL, 1, 10, ALL_FACETS, {1, 2, 1}},
    /* /api/suggest reads q only: page, size and facets go unchecked. */
    {"suggest ignores page, size, facets", false,
     {P("q", "twi"), P("page", "x"), P("size", "-1"), P("facets", "colour")},
     CS_OK, NULL, "twi", 0, 0, 0, {0}},

    /* NUL bytes (%00), in a name or a value, known parameter or not. */
    REFUSE("NUL in q", true, CS_ERR_BAD_QUERY, "parameter q contains a NUL byte", P("q", "a\0b")),
    REFUSE("NUL in a filter", true, CS_ERR_BAD_QUERY, "parameter room contains a NUL byte",
           P("room", "R0\0")),
    REFUSE("NUL in page", true, CS_ERR_BAD_QUERY, "parameter page contains a NUL byte",
           P("page", "1\0")),
    REFUSE("NUL alone in an unknown parameter", true, CS_ERR_BAD_QUERY,
           "parameter foo contains a NUL byte", P("foo", "\0")),
    REFUSE("NUL in a name", true, CS_ERR_BAD_QUERY,
           "parameter with an unprintable name contains a NUL byte", P("q\0x", "1")),
    REFUSE("NUL in suggest's q", false, CS_ERR_BAD_QUERY, "parameter q contains a NUL byte",
           P("q", "\0")),

    /* Invalid UTF-8: truncated, bad continuation, overlong, surrogate, past U+10FFFF. */
    REFUSE("truncated UTF-8 in q", true, CS_ERR_BAD_QUERY, "parameter q is not valid UTF-8",
           P("q", "\xe6\xb8")),
    REFUSE("bad continuation in q", true, CS_ERR_BAD_QUERY, "parameter q is not valid UTF-8",
           P("q", "\xc3\x28")),
    REFUSE("overlong '/' in a filter", true, CS_ERR_BAD_QUERY, "parameter day is not valid UTF-8",
           P("day", "\xc0\xaf")),
    REFUSE("surrogate in a filter", true, CS_ERR_BAD_QUERY, "parameter speaker is not valid UTF-8",
           P("speaker", "\xed\xa0\x80")),
    REFUSE("past U+10FFFF", true, CS_ERR_BAD_QUERY, "parameter facets is not valid UTF-8",
           P("facets", "\xf4\x90\x80\x80")),
    REFUSE("0xff in an unknown parameter", true, CS_ERR_BAD_QUERY, "parameter x is not valid UTF-8",
           P("x", "\xff")),
    REFUSE("invalid UTF-8 in a name", true, CS_ERR_BAD_QUERY,
           "parameter with an unprintable name is not valid UTF-8", P("\xff", "1")),
    REFUSE("name of 40 bytes is quoted", true, CS_ERR_BAD_QUERY,
           "parameter aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is not valid UTF-8",
           P("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\xff")),
    REFUSE("name of 41 bytes is not", true, CS_ERR_BAD_QUERY,
           "parameter with an unprintable name is not valid UTF-8",
           P("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\xff")),
    /* A NUL is reported before bad UTF-8, and the first refusal sticks. */
    REFUSE("NUL before UTF-8", true, CS_ERR_BAD_QUERY, "parameter q contains a NUL byte",
           P("q", "\xff\0")),
    REFUSE("first refusal sticks", true, CS_ERR_BAD_QUERY, "parameter room is not valid UTF-8",
           P("room", "\xff"), P("q", "\0"), P("q", "a"), P("q", "b")),
    REFUSE("parameter refusal before page", true, CS_ERR_BAD_QUERY, "parameter q is given twice",
           P("page", "0"), P("q", "a"), P("q", "b")),

    /* Given twice. */
    REFUSE("q twice", true, CS_ERR_BAD_QUERY, "parameter q is given twice", P("q", "a"),
           P("q", "a")),
    REFUSE("q twice, bare", false, CS_ERR_BAD_QUERY, "parameter q is given twice", BARE("q"),
           BARE("q")),
    REFUSE("page twice", true, CS_ERR_BAD_QUERY, "parameter page is given twice", P("page", "1"),
           P("page", "2")),
    REFUSE("size twice", true, CS_ERR_BAD_QUERY, "parameter size is given twice", P("size", "1"),
           P("size", "1")),
    REFUSE("facets twice", true, CS_ERR_BAD_QUERY, "parameter facets is given twice",
           P("facets", "day"), P("facets", "room")),
    REFUSE("page twice in suggest", false, CS_ERR_BAD_QUERY, "parameter page is given twice",
           P("page", "1"), P("page", "1")),

    /* Empty filter values. */
    REFUSE("empty day", true, CS_ERR_BAD_QUERY, "parameter day is empty", P("day", "")),
    REFUSE("room without '='", true, CS_ERR_BAD_QUERY, "parameter room is empty", BARE("room")),
    REFUSE("empty speaker after a good one", true, CS_ERR_BAD_QUERY, "parameter speaker is empty",
           P("speaker", "Dan Maas"), P("speaker", "")),

    /* page and size: plain digits within range, nothing else. */
    REFUSE("page 0", true, CS_ERR_BAD_QUERY, page_msg, P("page", "0")),
    REFUSE("page 1001", true, CS_ERR_BAD_QUERY, page_msg, P("page", "1001")),
    REFUSE("page -1", true, CS_ERR_BAD_QUERY, page_msg, P("page", "-1")),
    REFUSE("page 1e3", true, CS_ERR_BAD_QUERY, page_msg, P("page", "1e3")),
    REFUSE("page +5", true, CS_ERR_BAD_QUERY, page_msg, P("page", "+5")),
    REFUSE("page ' 5'", true, CS_ERR_BAD_QUERY, page_msg, P("page", " 5")),
    REFUSE("page '5 '", true, CS_ERR_BAD_QUERY, page_msg, P("page", "5 ")),
    REFUSE("page empty", true, CS_ERR_BAD_QUERY, page_msg, P("page", "")),
    REFUSE("page without '='", true, CS_ERR_BAD_QUERY, page_msg, BARE("page")),
    REFUSE("page of 10 digits, small", true, CS_ERR_BAD_QUERY, page_msg, P("page", "0000000001")),
    REFUSE("page of 10 digits", true, CS_ERR_BAD_QUERY, page_msg, P("page", "4294967297")),
    REFUSE("page 1.5", true, CS_ERR_BAD_QUERY, page_msg, P("page", "1.5")),
    REFUSE("page two", true, CS_ERR_BAD_QUERY, page_msg, P("page", "two")),
    REFUSE("page in fullwidth digits", true, CS_ERR_BAD_QUERY, page_msg, P("page", "\xef\xbc\x91")),
    REFUSE("size 0", true, CS_ERR_BAD_QUERY, size_msg, P("size", "0")),
    REFUSE("size 101", true, CS_ERR_BAD_QUERY, size_msg, P("size", "101")),
    REFUSE("size -1", true, CS_ERR_BAD_QUERY, size_msg, P("size", "-1")),
    REFUSE("size 1e3", true, CS_ERR_BAD_QUERY, size_msg, P("size", "1e3")),
    REFUSE("size +5", true, CS_ERR_BAD_QUERY, size_msg, P("size", "+5")),
    REFUSE("size ' 5'", true, CS_ERR_BAD_QUERY, size_msg, P("size", " 5")),
    REFUSE("size 0x10", true, CS_ERR_BAD_QUERY, size_msg, P("size", "0x10")),
    REFUSE("size of 10 digits", true, CS_ERR_BAD_QUERY, size_msg, P("size", "0000000010")),
    REFUSE("page is named before size", true, CS_ERR_BAD_QUERY, page_msg, P("size", "0"),
           P("page", "0")),

    /* facets: known names only. */
    REFUSE("unknown facet", true, CS_ERR_BAD_QUERY,
           "unknown facet \"colour\" (known: day, room, speaker, conference, track)", P("facets", "colour")),
    REFUSE("facet names are case-sensitive", true, CS_ERR_BAD_QUERY,
           "unknown facet \"Day\" (known: day, room, speaker, conference, track)", P("facets", "day,Day")),
    REFUSE("empty facet name", true, CS_ERR_BAD_QUERY,
           "unknown facet \"\" (known: day, room, speaker, conference, track)", P("facets", "day,,room")),
    REFUSE("leading comma", true, CS_ERR_BAD_QUERY,
           "unknown facet \"\" (known: day, room, speaker, conference, track)", P("facets", ",day")),
    REFUSE("facet with a space", true, CS_ERR_BAD_QUERY,
           "unknown facet \"day \" (known: day, room, speaker, conference, track)", P("facets", "day ")),
    REFUSE("long facet name quoted to 40 bytes", true, CS_ERR_BAD_QUERY,
           "unknown facet \"dayyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\" (known: day, room, speaker, conference, track)",
           P("facets", "dayyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy")),
    /* ...but never within a character: the message must stay UTF-8 for
     * the JSON answer (found by fuzz_params). */
    REFUSE("long facet name cut before a character", true, CS_ERR_BAD_QUERY,
           "unknown facet \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" (known: day, room, speaker, conference, track)",
           P("facets", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe3\x80\x8e" "aa")),
};
/* clang-format on */

static void check_case(const params_case_t *c)
{
    cs_params_t p;
    cs_params_init(&p);
    cs_status_t st = CS_OK;
    for (size_t i = 0; i < MAX_PARAMS && c->params[i].key; i++) {
        const param_t *a = &c->params[i];
        cs_status_t got = cs_params_add(&p, a->key, a->key_size, a->value, a->value_size);
        /* Once refused, every later call answers the same refusal. */
        if (st != CS_OK)
            assert_int_equal(got, st);
        st = got;
    }
    cs_status_t got = cs_params_finish(&p, c->search);
    if (got != c->status || (c->error && strcmp(cs_params_error(&p), c->error) != 0))
        print_error("case \"%s\": status %d, error \"%s\"\n", c->name, (int)got,
                    cs_params_error(&p));
    assert_int_equal(got, c->status);
    if (c->status != CS_OK) {
        assert_string_equal(cs_params_error(&p), c->error);
        /* finish again: the same refusal, not a new one */
        assert_int_equal(cs_params_finish(&p, c->search), c->status);
        assert_string_equal(cs_params_error(&p), c->error);
        return;
    }
    assert_string_equal(cs_params_error(&p), "");
    const cs_search_request_t *r = &p.request;
    if (!c->q) {
        assert_null(r->q.value);
        assert_int_equal(r->q.len, 0);
    } else {
        assert_non_null(r->q.value);
        assert_int_equal(r->q.len, strlen(c->q));
        assert_memory_equal(r->q.value, c->q, r->q.len);
    }
    assert_int_equal(r->page, c->page);
    assert_int_equal(r->size, c->size);
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        assert_int_equal(r->n_filters[f], c->n_filters[f]);
        if (c->search)
            assert_int_equal(r->facets[f], (c->facets >> f) & 1);
    }
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* Accepted values point into the caller's strings, and only the sizes
 * count: nothing is copied, no NUL terminator is needed. */
static void test_values_are_borrowed(void **state)
{
    (void)state;
    const char buf[] = "qXroomR1R2pageZ";
    cs_params_t p;
    cs_params_init(&p);
    assert_int_equal(cs_params_add(&p, buf, 1, buf + 1, 1), CS_OK);      /* q=X */
    assert_int_equal(cs_params_add(&p, buf + 2, 4, buf + 6, 2), CS_OK);  /* room=R1 */
    assert_int_equal(cs_params_add(&p, buf + 2, 4, buf + 8, 2), CS_OK);  /* room=R2 */
    assert_int_equal(cs_params_add(&p, buf + 10, 4, "7page", 1), CS_OK); /* page=7 */
    assert_int_equal(cs_params_finish(&p, true), CS_OK);
    assert_ptr_equal(p.request.q.value, buf + 1);
    assert_int_equal(p.request.q.len, 1);
    assert_int_equal(p.request.n_filters[CS_FACET_ROOM], 2);
    assert_ptr_equal(p.request.filters[CS_FACET_ROOM][0].value, buf + 6);
    assert_ptr_equal(p.request.filters[CS_FACET_ROOM][1].value, buf + 8);
    assert_int_equal(p.request.filters[CS_FACET_ROOM][1].len, 2);
    assert_int_equal(p.request.page, 7);
}

/* 32 values of one filter pass, the 33rd is refused, for each filter. */
static void test_filter_count(void **state)
{
    (void)state;
    for (int f = 0; f < CS_FACET_COUNT; f++) {
        cs_params_t p;
        cs_params_init(&p);
        char values[CS_QUERY_MAX_FILTERS + 1][4];
        for (int i = 0; i < CS_QUERY_MAX_FILTERS; i++) {
            snprintf(values[i], sizeof values[i], "v%d", i);
            assert_int_equal(cs_params_add(&p, cs_facet_name(f), strlen(cs_facet_name(f)),
                                           values[i], strlen(values[i])),
                             CS_OK);
        }
        assert_int_equal(cs_params_finish(&p, true), CS_OK);
        assert_int_equal(p.request.n_filters[f], CS_QUERY_MAX_FILTERS);
        assert_memory_equal(p.request.filters[f][31].value, "v31", 3);

        /* The count is checked before the value, so even an empty 33rd
         * value is "too many". */
        assert_int_equal(cs_params_add(&p, cs_facet_name(f), strlen(cs_facet_name(f)), "", 0),
                         CS_ERR_LIMIT);
        char want[80];
        snprintf(want, sizeof want, "too many values for parameter %s (at most 32)",
                 cs_facet_name(f));
        assert_string_equal(cs_params_error(&p), want);
        assert_int_equal(cs_params_finish(&p, false), CS_ERR_LIMIT);
        assert_int_equal(p.request.n_filters[f], CS_QUERY_MAX_FILTERS);
    }
}

/* q up to CS_SEARCH_MAX_QUERY_BYTES, for both endpoints. */
static void test_q_length(void **state)
{
    (void)state;
    static char q[CS_SEARCH_MAX_QUERY_BYTES + 1];
    memset(q, 'a', sizeof q);
    for (int search = 0; search <= 1; search++) {
        cs_params_t p;
        cs_params_init(&p);
        assert_int_equal(cs_params_add(&p, "q", 1, q, CS_SEARCH_MAX_QUERY_BYTES), CS_OK);
        assert_int_equal(cs_params_finish(&p, search), CS_OK);
        assert_int_equal(p.request.q.len, CS_SEARCH_MAX_QUERY_BYTES);

        cs_params_init(&p);
        assert_int_equal(cs_params_add(&p, "q", 1, q, sizeof q), CS_OK);
        assert_int_equal(cs_params_finish(&p, search), CS_ERR_LIMIT);
        assert_string_equal(cs_params_error(&p), "q is longer than 1024 bytes");
    }
}

/* A refused add leaves the request as it was. */
static void test_refusal_changes_nothing(void **state)
{
    (void)state;
    cs_params_t p;
    cs_params_init(&p);
    assert_int_equal(cs_params_add(&p, "room", 4, "R0", 2), CS_OK);
    assert_int_equal(cs_params_add(&p, "room", 4, "R\xff", 2), CS_ERR_BAD_QUERY);
    assert_int_equal(cs_params_add(&p, "room", 4, "R1", 2), CS_ERR_BAD_QUERY);
    assert_int_equal(cs_params_add(&p, "q", 1, "x", 1), CS_ERR_BAD_QUERY);
    assert_int_equal(p.request.n_filters[CS_FACET_ROOM], 1);
    assert_null(p.request.q.value);
    assert_string_equal(cs_params_error(&p), "parameter room is not valid UTF-8");

    /* init starts over. */
    cs_params_init(&p);
    assert_string_equal(cs_params_error(&p), "");
    assert_int_equal(cs_params_finish(&p, true), CS_OK);
}

static void test_null_args(void **state)
{
    (void)state;
    cs_params_t p;
    cs_params_init(NULL);
    cs_params_init(&p);
    assert_int_equal(cs_params_add(NULL, "q", 1, "x", 1), CS_ERR_NULL_ARG);
    assert_int_equal(cs_params_add(&p, NULL, 0, "x", 1), CS_ERR_NULL_ARG);
    assert_int_equal(cs_params_finish(NULL, true), CS_ERR_NULL_ARG);
    assert_string_equal(cs_params_error(NULL), "");
    /* A NULL value is an empty one whatever its size says. */
    assert_int_equal(cs_params_add(&p, "q", 1, NULL, 99), CS_OK);
    assert_int_equal(cs_params_finish(&p, true), CS_OK);
    assert_int_equal(p.request.q.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_values_are_borrowed),
        cmocka_unit_test(test_filter_count),
        cmocka_unit_test(test_q_length),
        cmocka_unit_test(test_refusal_changes_nothing),
        cmocka_unit_test(test_null_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
