/* test_pad_parse.c: the pad parser against the real seed pad, the demo pads
 * and small hand-made pads for each rule and each way input goes wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pad_parse.h"
#include "schema.h"
#include "utf8.h"

/* ---- helpers ------------------------------------------------------------- */

typedef struct {
    unsigned line;
    char message[160];
} warning_t;

typedef struct {
    warning_t w[32];
    size_t n;
} warnings_t;

static void collect_warning(const char *source, unsigned line, const char *message, void *ctx)
{
    warnings_t *ws = ctx;
    assert_non_null(source);
    if (ws->n < sizeof ws->w / sizeof ws->w[0]) {
        ws->w[ws->n].line = line;
        snprintf(ws->w[ws->n].message, sizeof ws->w[0].message, "%s", message);
        ws->n++;
    }
}

static bool warned_at(const warnings_t *ws, unsigned line, const char *needle)
{
    for (size_t i = 0; i < ws->n; i++)
        if (ws->w[i].line == line && strstr(ws->w[i].message, needle))
            return true;
    return false;
}

/* Parses exactly len bytes from a buffer of exactly that size, so the
 * sanitizers catch any read past the end (the parser must not expect a
 * terminating NUL). */
static cs_pad_t *parse_bytes(const char *text, size_t len, warnings_t *ws)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(copy, len, "test.txt", ws ? collect_warning : NULL, ws, &pad),
                     CS_OK);
    free(copy);
    assert_non_null(pad);
    return pad;
}

static cs_pad_t *parse(const char *text, warnings_t *ws)
{
    return parse_bytes(text, strlen(text), ws);
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, used = 0, n;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((n = fread(buf + used, 1, cap - used, f)) > 0) {
        used += n;
        if (used == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    *len = used;
    return buf;
}

static cs_pad_t *parse_file_or_skip(const char *path, warnings_t *ws)
{
    size_t len = 0;
    char *text = read_whole(path, &len);
    if (!text) {
        print_message("skipping: %s is not there\n", path);
        skip(); /* does not return */
    }
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(text, len, path, collect_warning, ws, &pad), CS_OK);
    free(text);
    return pad;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static size_t count_room(const cs_pad_t *pad, const char *room)
{
    size_t n = 0;
    for (size_t i = 0; i < pad->n_sessions; i++)
        if (pad->sessions[i].room && strcmp(pad->sessions[i].room, room) == 0)
            n++;
    return n;
}

/* ---- the seed pad -------------------------------------------------------- */

typedef struct {
    unsigned line;
    const char *time, *room, *title, *speaker;
} expected_talk_t;

/* Read off the seed file by eye. */
static const expected_talk_t seed_talks[] = {
    {10, "09:10", "R0", "Keynote: Ecosystem Threats to Python", "Van Lindberg"},
    {63, "10:00", "R0", "Openstack Swift Benchmark with Ansible", "Charles Hsu"},
    {211, "10:00", "R1", "When programming functionally in Python", "Apua Juan"},
    {247, "10:00", "R2", "Easy Map Applications Using Python", "Victor Gau"},
    {280, "11:10", "R0", "Python Debugger Uncovered", "Dmitry Trofimov"},
    {329, "11:10", "R1", "快快樂樂成為 Coding Ninja (by pytest)", "Chun-Yu Tseng"},
    {418, "11:10", "R2", "Happy rapid prototyping embedded assembly by Python: My Experience",
     "Albert Huang"},
    {440, "11:50", "R0", "Programmatic Debugging with GDB and Python", "Scott Tsai"},
    {527, "11:50", "R1", "ZoneIDAProc: Instrumentation-based Dynamic Accessing", "Tzung-Bi Shih"},
    {548, "11:50", "R2",
     "Orchestrating the execution of workflows for media streaming service and even more",
     "Shuen-Huei Guan"},
    {608, "13:30", "R0", "Keynote", "Kenneth Reitz"},
    {651, "14:20", "R0", "The Future of GUI Programming with Python", "Tzu-ping Chung"},
    {729, "14:20", "R1", "Future Development of PyCON in Asia Pacific", "Sammy Fung"},
    {737, "14:20", "R2", "教練，我要做自己的 Django package", "Tim Hsu"},
    {788, "15:10", "R0", "RPyScan", "Melvin Foo"},
    {794, "15:10", "R1", "Network Security and Analysis system with Python", "Lee Yang"},
    {807, "15:10", "R2", "Tagtoo Task Manager", "Chien-Hsun Chen"},
    {836, "15:50", "R0", "MMO Game Server Design with Twisted Python", "Dan Maas"},
    {933, "15:50", "R1", "Millions way to avoid overfitting when building a portfolio",
     "Chia-Yi Yen"},
    {945, "15:50", "R2", "How to scale up your Web Apps/Sites written by Python?", "Theon Lin"},
};

static void test_seed_talk_headers(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse_file_or_skip(CS_SHARED_CORPUS, &ws);
    size_t n = sizeof seed_talks / sizeof seed_talks[0];
    assert_int_equal(pad->n_sessions, n);
    for (size_t i = 0; i < n; i++) {
        const cs_session_t *s = &pad->sessions[i];
        const expected_talk_t *e = &seed_talks[i];
        assert_int_equal(s->line, e->line);
        assert_string_equal(s->time, e->time);
        assert_string_equal(s->room, e->room);
        assert_string_equal(s->title, e->title);
        assert_string_equal(s->speaker, e->speaker);
        assert_int_equal(s->n_speakers, 1);
        assert_string_equal(s->speakers[0], e->speaker);
        assert_string_equal(s->conference, "PyCon APAC 2015");
        assert_int_equal(s->day, 1);
        assert_string_equal(s->date, "2015-06-05");
        assert_string_equal(s->source, CS_SHARED_CORPUS);
        assert_null(s->id);
        assert_false(s->whole_file);
        assert_int_equal(strlen(s->body), s->body_len);
    }
    assert_int_equal(count_room(pad, "R0"), 8);
    assert_int_equal(count_room(pad, "R1"), 6);
    assert_int_equal(count_room(pad, "R2"), 6);
    /* The seed is clean: nothing in it deserves a warning. */
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);
}

static void test_seed_bodies_stop_where_talks_stop(void **state)
{
    (void)state;
    cs_pad_t *pad = parse_file_or_skip(CS_SHARED_CORPUS, NULL);
    assert_int_equal(pad->n_sessions, 20);
    const cs_session_t *first = &pad->sessions[0], *last = &pad->sessions[19];

    /* The preamble belongs to no talk. */
    assert_null(strstr(first->body, "Gitter"));
    assert_null(strstr(first->body, "Back To Future"));
    assert_true(strncmp(first->body, "主要是討論", strlen("主要是討論")) == 0);
    /* A Break separator ends the keynote. */
    assert_true(ends_with(first->body, "Thank you"));
    /* The Lunch Break ends a talk, and "[-whendone, ...]" stays body text. */
    assert_non_null(strstr(pad->sessions[9].body, "[-whendone, -whenerror"));
    assert_true(ends_with(pad->sessions[9].body, "Replace SWF by Apache Mesos or Mistral"));
    /* The day-end marker ends the last talk; the news after it is nobody's. */
    assert_true(ends_with(last->body, "Simple is the best"));
    assert_null(strstr(last->body, "PyCon/Python News"));
    assert_null(strstr(last->body, "Day 1 End"));
    /* Dashed diagrams inside a body are not separators. */
    assert_non_null(strstr(pad->sessions[17].body, "--|------|--------===========---====--"));
    assert_non_null(strstr(pad->sessions[17].body, "---timeline ->"));
    assert_true(ends_with(pad->sessions[17].body, ":D"));
    for (size_t i = 0; i < pad->n_sessions; i++) {
        const char *b = pad->sessions[i].body;
        assert_null(strstr(b, "---------------- "));
        assert_true(b[0] != '\n' && b[0] != '\0');
        assert_true(b[strlen(b) - 1] != '\n');
    }
    /* A talk that runs straight into the next header keeps its last line. */
    assert_true(ends_with(pad->sessions[1].body, "extend到24個nodes"));
    cs_pad_free(pad);
}

/* ---- the demo pads ------------------------------------------------------- */

static void test_demo_pads(void **state)
{
    (void)state;
    static const char *const paths[] = {CS_SOURCE_DIR "/data/demo/day1.txt",
                                        CS_SOURCE_DIR "/data/demo/day2.txt"};
    for (int d = 0; d < 2; d++) {
        warnings_t ws = {0};
        cs_pad_t *pad = parse_file_or_skip(paths[d], &ws);
        assert_int_equal(ws.n, 0);
        assert_int_equal(pad->n_sessions, 10);
        assert_int_equal(count_room(pad, "R0"), 4);
        assert_int_equal(count_room(pad, "R1"), 3);
        assert_int_equal(count_room(pad, "R2"), 3);
        for (size_t i = 0; i < pad->n_sessions; i++) {
            const cs_session_t *s = &pad->sessions[i];
            assert_string_equal(s->conference, "PyHarbor Keelung 2026");
            assert_int_equal(s->day, d + 1);
            assert_string_equal(s->date, d == 0 ? "2026-03-14" : "2026-03-15");
            assert_non_null(s->speaker);
            assert_true(s->body_len > 0);
            /* Nothing after the day-end marker is a talk's. */
            assert_null(strstr(s->body, "after party"));
            assert_null(strstr(s->body, "明年見"));
        }
        if (d == 0) {
            const cs_session_t *duo = &pad->sessions[4];
            assert_string_equal(duo->time, "11:00");
            assert_string_equal(duo->room, "R0");
            assert_string_equal(duo->speaker, "Ting-Yu Shen & Marco Vellani");
            assert_int_equal(duo->n_speakers, 2);
            assert_string_equal(duo->speakers[0], "Ting-Yu Shen");
            assert_string_equal(duo->speakers[1], "Marco Vellani");
            const cs_session_t *he = &pad->sessions[7];
            assert_int_equal(he->n_speakers, 2);
            assert_string_equal(he->speakers[1], "Ya-Ting Lo");
            assert_string_equal(pad->sessions[3].title,
                                "Django ORM 效能調校 (select_related 與 prefetch_related)");
            assert_string_equal(pad->sessions[3].speaker, "Yu-Chen Liao");
            assert_non_null(strstr(pad->sessions[1].body, "Twisted"));
            assert_non_null(strstr(pad->sessions[2].body, "寫測試"));
            assert_non_null(strstr(pad->sessions[6].body, "剛剛Kafka那段"));
        } else {
            assert_int_equal(pad->sessions[6].n_speakers, 2);
            assert_string_equal(pad->sessions[6].speakers[0], "Tsung-Han Lai");
            assert_int_equal(pad->sessions[8].n_speakers, 2);
            assert_string_equal(pad->sessions[8].speakers[1], "Daniel Okafor");
        }
        cs_pad_free(pad);
    }
}

/* ---- talk headers -------------------------------------------------------- */

typedef struct {
    const char *line;
    const char *time, *room, *title, *speaker; /* time NULL: not a header */
} header_case_t;

static void test_talk_header_lines(void **state)
{
    (void)state;
    static const header_case_t cases[] = {
        {"[9:10][R0] Keynote: Ecosystem Threats to Python (Van Lindberg)", "09:10", "R0",
         "Keynote: Ecosystem Threats to Python", "Van Lindberg"},
        /* Spacing: between, after and (a decision) inside the brackets. */
        {"[9:10] [R0]   Title  (X)", "09:10", "R0", "Title", "X"},
        {"[ 9:10 ] [ R0 ]  Title (X)  ", "09:10", "R0", "Title", "X"},
        {"  [10:00][R1]  When programming (Apua Juan)", "10:00", "R1", "When programming",
         "Apua Juan"},
        {"[9:10][R0]Title(X)", "09:10", "R0", "Title", "X"},
        {"[11:10][R1]\xC2\xA0Title (X)\xC2\xA0", "11:10", "R1", "Title", "X"},
        /* Time bounds and zero padding. */
        {"[0:00][R0] a", "00:00", "R0", "a", NULL},
        {"[23:59][Hall_B-2] a", "23:59", "Hall_B-2", "a", NULL},
        {"[09:05][R0] a", "09:05", "R0", "a", NULL},
        {"[9:10][ABCDEFGHIJKLMNOP] a", "09:10", "ABCDEFGHIJKLMNOP", "a", NULL},
        /* Parentheses: only the last, balanced group at the end names the speaker. */
        {"[11:10][R1] 快快樂樂成為 Coding Ninja (by pytest) (Chun-Yu Tseng)", "11:10", "R1",
         "快快樂樂成為 Coding Ninja (by pytest)", "Chun-Yu Tseng"},
        {"[9:10][R0] T (a (b) c)", "09:10", "R0", "T", "a (b) c"},
        {"[9:10][R0] Intro (part 1) for all", "09:10", "R0", "Intro (part 1) for all", NULL},
        {"[9:10][R0] T (x) y)", "09:10", "R0", "T (x) y)", NULL},
        {"[9:10][R0] T ()", "09:10", "R0", "T", NULL},
        {"[9:10][R0] Title only", "09:10", "R0", "Title only", NULL},
        /* Full-width parentheses, alone or mixed with ASCII ones. */
        {"[9:10][R1] 測試入門（上）（王小明）", "09:10", "R1", "測試入門（上）", "王小明"},
        {"[9:10][R1] 測試入門 (王小明）", "09:10", "R1", "測試入門", "王小明"},
        /* An empty title is still a header. */
        {"[9:10][R0]", "09:10", "R0", "(untitled)", NULL},
        {"[9:10][R0] (Someone)", "09:10", "R0", "(untitled)", "Someone"},
        /* Not headers. */
        {"[-whendone, -whenerror, -precmds, -postcmds, ...]", NULL, NULL, NULL, NULL},
        {"[25:00][R0] x", NULL, NULL, NULL, NULL},
        {"[24:00][R0] x", NULL, NULL, NULL, NULL},
        {"[9:60][R0] x", NULL, NULL, NULL, NULL},
        {"[9:1][R0] x", NULL, NULL, NULL, NULL},
        {"[123:00][R0] x", NULL, NULL, NULL, NULL},
        {"[9:10] x (Y)", NULL, NULL, NULL, NULL},
        {"[9:10][R 0] x", NULL, NULL, NULL, NULL},
        {"[9:10][] x", NULL, NULL, NULL, NULL},
        {"[9:10][ABCDEFGHIJKLMNOPQ] x", NULL, NULL, NULL, NULL},
        {"[9:10][R0", NULL, NULL, NULL, NULL},
        {"9:10 R0 x", NULL, NULL, NULL, NULL},
        {"x [9:10][R0] y", NULL, NULL, NULL, NULL},
        {"", NULL, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const header_case_t *c = &cases[i];
        char time[6] = "x";
        char *room = (char *)1, *title = (char *)1, *speaker = (char *)1;
        bool ok = cs_pad_parse_talk_header(c->line, strlen(c->line), time, &room, &title, &speaker);
        if (!c->time) {
            if (ok)
                fail_msg("taken for a header: \"%s\"", c->line);
            assert_null(room);
            assert_null(title);
            assert_null(speaker);
            continue;
        }
        if (!ok)
            fail_msg("not taken for a header: \"%s\"", c->line);
        assert_string_equal(time, c->time);
        assert_string_equal(room, c->room);
        assert_string_equal(title, c->title);
        if (c->speaker)
            assert_string_equal(speaker, c->speaker);
        else
            assert_null(speaker);
        free(room);
        free(title);
        free(speaker);
    }
}

static void test_header_oddities_warn(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad =
        parse("[9:10][R0]\n"
              "body\n"
              "[25:00][R1] late night (Owl)\n"
              "[10:00][R1] Crowd (A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R)\n",
              &ws);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].title, "(untitled)");
    assert_true(warned_at(&ws, 1, "title"));
    /* An impossible time is body text, and the user hears why. */
    assert_string_equal(pad->sessions[0].body, "body\n[25:00][R1] late night (Owl)");
    assert_true(warned_at(&ws, 3, "time"));
    assert_int_equal(pad->sessions[1].n_speakers, CS_MAX_SPEAKERS);
    assert_string_equal(pad->sessions[1].speakers[CS_MAX_SPEAKERS - 1], "P");
    assert_true(warned_at(&ws, 4, "speakers"));
    assert_int_equal(ws.n, 3);
    cs_pad_free(pad);
}

/* One pasted log must not make every search slow: a talk's notes over the
 * cap are cut at a line end, the stored body says so, the user hears the
 * file and line, and the next talk is whole. */
static void test_huge_talk_is_cut_with_a_warning(void **state)
{
    (void)state;
    const char *head = "Cap Conf - Day 1 (2026-04-01)\n\n[9:10][R0] Logs (Ann)\n";
    const char *tail = "[9:20][R1] After (Bob)\nstill here\n";
    size_t cap = 3u * 1024u * 1024u;
    char *text = malloc(cap + 256);
    assert_non_null(text);
    size_t n = (size_t)sprintf(text, "%s", head);
    for (unsigned i = 0; n + 64 < cap; i++)
        n += (size_t)sprintf(text + n, "2026-04-01 09:%02u log line %08u 測試\n", i % 60, i);
    n += (size_t)sprintf(text + n, "%s", tail);
    warnings_t ws = {0};
    cs_pad_t *pad = parse_bytes(text, n, &ws);
    free(text);
    assert_int_equal(pad->n_sessions, 2);
    const cs_session_t *big = &pad->sessions[0];
    assert_true(big->body_len < CS_MAX_BODY_BYTES + 200);
    assert_int_equal(strlen(big->body), big->body_len);
    assert_non_null(strstr(big->body, "[cut: these notes were"));
    const char *notice = strstr(big->body, "\n\n[cut:");
    assert_non_null(notice);
    assert_true((size_t)(notice - big->body) <= CS_MAX_BODY_BYTES);
    /* Cut at a line end: the last kept line is whole. */
    assert_memory_equal(notice - 3, "試", 3);
    assert_true(warned_at(&ws, 3, "cut"));
    assert_int_equal(ws.n, 1);
    assert_string_equal(pad->sessions[1].body, "still here");
    cs_pad_free(pad);
}

/* ---- talks handed over in batches ----------------------------------------- */

typedef struct {
    cs_pad_t all; /* every session received, moved out of the batches */
    size_t batches, largest, fail_at;
    size_t most_bytes; /* the largest batch's notes */
} batches_t;

static cs_status_t take_batch(cs_pad_t *batch, void *ctx)
{
    batches_t *b = ctx;
    assert_true(batch->n_sessions > 0);
    b->batches++;
    if (b->fail_at && b->batches == b->fail_at)
        return CS_ERR_XAPIAN;
    size_t bytes = 0;
    for (size_t i = 0; i < batch->n_sessions; i++)
        bytes += batch->sessions[i].body_len;
    b->largest = batch->n_sessions > b->largest ? batch->n_sessions : b->largest;
    b->most_bytes = bytes > b->most_bytes ? bytes : b->most_bytes;
    /* Moves the sessions out, as the writer's threads do; odd batches are
     * copied field by field instead, leaving the parser to free them. */
    cs_session_t *grown =
        realloc(b->all.sessions, (b->all.n_sessions + batch->n_sessions) * sizeof *grown);
    assert_non_null(grown);
    b->all.sessions = grown;
    memcpy(grown + b->all.n_sessions, batch->sessions, batch->n_sessions * sizeof *grown);
    b->all.n_sessions += batch->n_sessions;
    if (b->batches % 2) {
        free(batch->sessions);
        batch->sessions = NULL;
        batch->n_sessions = 0;
    } else {
        memset(batch->sessions, 0, batch->n_sessions * sizeof *batch->sessions);
    }
    return CS_OK;
}

static void assert_same_session(const cs_session_t *a, const cs_session_t *b)
{
    assert_int_equal(a->line, b->line);
    assert_string_equal(a->title, b->title);
    assert_string_equal(a->room ? a->room : "-", b->room ? b->room : "-");
    assert_string_equal(a->conference ? a->conference : "-", b->conference ? b->conference : "-");
    assert_string_equal(a->time, b->time);
    assert_string_equal(a->date, b->date);
    assert_int_equal(a->day, b->day);
    assert_int_equal(a->body_len, b->body_len);
    assert_memory_equal(a->body, b->body, a->body_len);
    assert_int_equal(!a->text, !b->text);
    if (a->text)
        assert_string_equal(a->text, b->text);
    assert_int_equal(a->n_speakers, b->n_speakers);
    for (size_t i = 0; i < a->n_speakers; i++)
        assert_string_equal(a->speakers[i], b->speakers[i]);
    assert_int_equal(a->whole_file, b->whole_file);
}

/* A pad of n talks over two days (the second pasted below a day-end
 * marker, one more day named by a header inside the notes), every 500th
 * talk a megabyte of pasted log, one of them over the cap. */
static char *many_talks(size_t n, size_t *len)
{
    size_t cap = n * 128 + 16u * 1024 * 1024, at = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    at += (size_t)sprintf(t + at, "Batch Conf 2026 - Day 1 (2026-05-01)\n\n");
    for (size_t i = 0; i < n; i++) {
        if (i == n / 2)
            at += (size_t)sprintf(t + at, "---- Day 1 End ----\n\nBatch Conf 2026 - Day 2 "
                                          "(2026-05-02)\n\n");
        at += (size_t)sprintf(t + at, "[%zu:%02zu][R%zu] **Talk** %zu (Speaker %zu & Other %zu)\n",
                              9 + i / 60 % 10, i % 60, i % 5, i, i % 31, i % 7);
        if (i % 500 == 7) {
            size_t want = i == 507 ? 3u * 1024 * 1024 : 1024u * 1024;
            for (size_t k = 0; k < want / 32; k++)
                at += (size_t)sprintf(t + at, "log %08zu 測試 `code` line\n", k);
        } else {
            at += (size_t)sprintf(t + at, "notes of *talk* %zu 網路\n\n", i);
        }
        if (i == n / 4)
            at += (size_t)sprintf(t + at, "Batch Conf 2026 - Day 3 (2026-05-03)\n");
        assert_true(at + 4u * 1024 * 1024 < cap);
    }
    *len = at;
    return t;
}

static void test_batches_are_the_whole_pad(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = many_talks(2600, &len);
    /* .md: bracket headers in Markdown, so batches get their plain text too. */
    warnings_t whole_w = {0}, batch_w = {0};
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(text, len, "big.md", collect_warning, &whole_w, &pad), CS_OK);
    batches_t b = {0};
    assert_int_equal(
        cs_pad_parse_batched(text, len, "big.md", collect_warning, &batch_w, take_batch, &b),
        CS_OK);
    assert_int_equal(pad->n_sessions, 2600);
    assert_int_equal(b.all.n_sessions, pad->n_sessions);
    for (size_t i = 0; i < pad->n_sessions; i++)
        assert_same_session(&b.all.sessions[i], &pad->sessions[i]);
    assert_string_equal(pad->sessions[1000].date, "2026-05-03");
    assert_string_equal(pad->sessions[2000].date, "2026-05-02");
    assert_non_null(pad->sessions[0].text);
    /* Bounded: never more than a batch's talks, nor much more than a
     * batch's bytes of notes (the talk that crosses the line finishes it). */
    assert_true(b.batches >= 3);
    assert_true(b.largest <= CS_PAD_BATCH_TALKS);
    assert_true(b.most_bytes < CS_PAD_BATCH_BYTES + CS_MAX_BODY_BYTES + 4096);
    /* The same warnings, the cap's among them, at the same lines. */
    assert_int_equal(batch_w.n, whole_w.n);
    assert_true(batch_w.n >= 1);
    for (size_t i = 0; i < whole_w.n; i++) {
        assert_int_equal(batch_w.w[i].line, whole_w.w[i].line);
        assert_string_equal(batch_w.w[i].message, whole_w.w[i].message);
    }
    cs_pad_free(pad);
    for (size_t i = 0; i < b.all.n_sessions; i++)
        cs_session_clear(&b.all.sessions[i]);
    free(b.all.sessions);

    /* A sink's failure stops the parse, which returns it. */
    batches_t fail = {.fail_at = 2};
    assert_int_equal(cs_pad_parse_batched(text, len, "big.txt", NULL, NULL, take_batch, &fail),
                     CS_ERR_XAPIAN);
    assert_int_equal(fail.batches, 2);
    for (size_t i = 0; i < fail.all.n_sessions; i++)
        cs_session_clear(&fail.all.sessions[i]);
    free(fail.all.sessions);
    free(text);

    /* No talks: one batch of the whole-file document; nothing: no batch. */
    batches_t one = {0}, none = {0};
    const char *plain = "Just some notes\nabout nothing in particular\n";
    assert_int_equal(
        cs_pad_parse_batched(plain, strlen(plain), "n.txt", NULL, NULL, take_batch, &one), CS_OK);
    assert_int_equal(one.batches, 1);
    assert_int_equal(one.all.n_sessions, 1);
    assert_true(one.all.sessions[0].whole_file);
    assert_string_equal(one.all.sessions[0].title, "Just some notes");
    cs_session_clear(&one.all.sessions[0]);
    free(one.all.sessions);
    assert_int_equal(cs_pad_parse_batched("\n \n", 3, "e.txt", NULL, NULL, take_batch, &none),
                     CS_OK);
    assert_int_equal(none.batches, 0);
    assert_int_equal(cs_pad_parse_batched("x", 1, "e.txt", NULL, NULL, NULL, NULL),
                     CS_ERR_NULL_ARG);
}

/* A pad title longer than the conference name's buffer was cut inside a
 * character: the talks' conference was not UTF-8 and could not be stored
 * (found by fuzz_pad; tests/fuzz/crashes/fuzz_pad). */
static void test_long_pad_title_is_cut_on_a_character(void **state)
{
    (void)state;
    char text[2048];
    int at = snprintf(text, sizeof text, "# X");
    for (int i = 0; i < 100; i++)
        at += snprintf(text + at, sizeof text - (size_t)at, "會");
    snprintf(
        text + at, sizeof text - (size_t)at,
        " 2023 共筆\n\n## 10:00 Rust 入門 - 김민준\n\nnotes\n\n## 11:00 Go 入門 - Lee\n\nmore\n");
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(text, strlen(text), "pad.md", NULL, NULL, &pad), CS_OK);
    assert_true(pad->n_sessions >= 1);
    for (size_t i = 0; i < pad->n_sessions; i++) {
        const char *c = pad->sessions[i].conference;
        assert_non_null(c);
        assert_true(cs_utf8_valid(c, strlen(c)));
        assert_true(strlen(c) > 200);
    }
    cs_pad_free(pad);

    /* The year is past the cut: a "0" before a two-byte character was
     * taken for the year's end and cut the next character in two (the
     * second fuzz_pad input). */
    at = snprintf(text, sizeof text, "# Expo 0é");
    for (int i = 0; i < 100; i++)
        at += snprintf(text + at, sizeof text - (size_t)at, "會");
    snprintf(
        text + at, sizeof text - (size_t)at,
        " 2023 共筆\n\n## 10:00 Rust 入門 - 김민준\n\nnotes\n\n## 11:00 Go 入門 - Lee\n\nmore\n");
    assert_int_equal(cs_pad_parse(text, strlen(text), "pad.md", NULL, NULL, &pad), CS_OK);
    for (size_t i = 0; i < pad->n_sessions; i++) {
        const char *c = pad->sessions[i].conference;
        assert_true(!c || cs_utf8_valid(c, strlen(c)));
    }
    cs_pad_free(pad);
}

/* A full-width group that names nobody stays in the title, closing
 * parenthesis and all: it was cut one byte after "）" began (found by
 * fuzz_markdown; its input is kept). */
static void test_fullwidth_group_that_is_no_speaker_stays_whole(void **state)
{
    (void)state;
    const char *md = "# Patch Conf 2024\n\n## [14:20][R0] 從 CVE 到修補（v2.0）\n\nnotes\n\n"
                     "## 15:00 Fuzzing the parser - Ann Lee\n\nmore notes\n";
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(md, strlen(md), "pad.md", NULL, NULL, &pad), CS_OK);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].title, "從 CVE 到修補（v2.0）");
    assert_int_equal(pad->sessions[0].n_speakers, 0);
    cs_pad_free(pad);
}

/* ---- speakers ------------------------------------------------------------ */

static void assert_speakers(const char *group, size_t max, size_t n, const char *const *want)
{
    char *names[CS_MAX_SPEAKERS + 4] = {0};
    size_t got = cs_pad_split_speakers(group, names, max);
    if (got != n)
        fail_msg("\"%s\": %zu names, want %zu", group, got, n);
    for (size_t i = 0; i < got; i++) {
        assert_string_equal(names[i], want[i]);
        free(names[i]);
    }
}

static void test_split_speakers(void **state)
{
    (void)state;
    assert_speakers("Van Lindberg", 16, 1, (const char *const[]){"Van Lindberg"});
    assert_speakers("Alice & Bob", 16, 2, (const char *const[]){"Alice", "Bob"});
    assert_speakers("Alice, Bob ,Carol", 16, 3, (const char *const[]){"Alice", "Bob", "Carol"});
    assert_speakers("王小明 和 李小華", 16, 2, (const char *const[]){"王小明", "李小華"});
    assert_speakers("王小明、李小華，陳大文", 16, 3,
                    (const char *const[]){"王小明", "李小華", "陳大文"});
    assert_speakers("Alice and Bob", 16, 2, (const char *const[]){"Alice", "Bob"});
    assert_speakers("Alice/Bob", 16, 2, (const char *const[]){"Alice", "Bob"});
    assert_speakers("A & B, C and D", 16, 4, (const char *const[]){"A", "B", "C", "D"});
    /* Empty segments are no names: the count was of segments, and a caller
     * read that many names, past the ones set (fuzz_schedule: an iCalendar
     * "Speaker:" line of commas crashed the indexer). */
    {
        /* The line of an iCalendar description fuzz_schedule found: every
         * name counted is one set. */
        const char *group =
            " A & \\ \xb8"
            "Cnf\",\"ti\"index\":1,\"date,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\x0c"
            ",,,,,,@,,,,,,,,,,,,,5,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,Aroo,,,,,,,,,,\":"
            "\"2026-05-,,,,,,Aroo,,,,,,,,,,\":\"20e\":\"T\xe8"
            "st\",\"date\":\"202me_zone_name\":\"Asia/l\xba"
            "o:c>d";
        char *names[CS_MAX_SPEAKERS] = {NULL};
        size_t got = cs_pad_split_speakers(group, names, CS_MAX_SPEAKERS);
        assert_true(got >= 2);
        for (size_t i = 0; i < CS_MAX_SPEAKERS; i++) {
            assert_int_equal(names[i] != NULL, i < got);
            free(names[i]);
        }
    }
    /* Separators only count as whole words: names keep their "and" and "和". */
    assert_speakers("Sandy Anderson", 16, 1, (const char *const[]){"Sandy Anderson"});
    assert_speakers("和田 Ando", 16, 1, (const char *const[]){"和田 Ando"});
    /* "&" without spaces splits too: "Felix&Vincent" is two people (issue 10). */
    assert_speakers("Tom&Jerry", 16, 2, (const char *const[]){"Tom", "Jerry"});
    assert_speakers("王小明與李小華", 16, 2, (const char *const[]){"王小明", "李小華"});
    assert_speakers("Alice Wu (Google), Bob@某大學", 16, 2,
                    (const char *const[]){"Alice Wu", "Bob"});
    assert_speakers(" , A,, ,B, ", 16, 2, (const char *const[]){"A", "B"});
    assert_speakers("   ", 16, 0, NULL);
    assert_speakers("", 16, 0, NULL);
    assert_speakers("A, B, C", 2, 2, (const char *const[]){"A", "B"});
    assert_int_equal(cs_pad_split_speakers(NULL, (char *[1]){NULL}, 1), 0);
}

/* ---- separators ---------------------------------------------------------- */

static void test_separator_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int kind;
    } cases[] = {
        {"---------------- Break ----------------", 1},
        {"---- Lunch Break ----", 1},
        {"  ---Break---  ", 1},
        {"=== 午餐 ===", 1},
        {"---------------- Day 1 End ----------------", 2},
        {"---- day 2 end ----", 2},
        {"---- DAY12 END ----", 2},
        {"--- End ---", 2},
        {"=== End of Day 3 ===", 2},
        {"---- Ending soon ----", 1},
        {"---- Day 1 Ends ----", 1},
        {"---------------", 0},
        {"---- ----", 0},
        {"--|------|--------===========---====--", 0},
        {"---timeline ->", 0},
        {"-- Break --", 0},
        {"--- Break --", 0},
        {"Break", 0},
        {"- item", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int kind = cs_pad_separator_kind(cases[i].line, strlen(cases[i].line));
        if (kind != cases[i].kind)
            fail_msg("\"%s\": kind %d, want %d", cases[i].line, kind, cases[i].kind);
    }
    assert_int_equal(cs_pad_separator_kind(NULL, 5), 0);
}

static void test_separators_in_a_pad(void **state)
{
    (void)state;
    cs_pad_t *pad = parse("[9:00][R0] One (A)\n"
                          "one\n"
                          "---- Break ----\n"
                          "announcement: nobody's\n"
                          "\n"
                          "[9:30][R0] Two (B)\n"
                          "two\n"
                          "---------------\n"
                          "still two\n"
                          "---- Day 1 End ----\n"
                          "news after the end\n"
                          "[10:00][R0] Three (C)\n"
                          "three\n",
                          NULL);
    /* The talk after the marker is kept; the news before it is nobody's. */
    assert_int_equal(pad->n_sessions, 3);
    assert_string_equal(pad->sessions[0].body, "one");
    assert_string_equal(pad->sessions[1].body, "two\n---------------\nstill two");
    assert_string_equal(pad->sessions[2].title, "Three");
    assert_string_equal(pad->sessions[2].body, "three");
    cs_pad_free(pad);

    warnings_t ws = {0};
    pad = parse("[9:00][R0] One (A)\n--- End ---\n[10:00][R0] Late (B)\n[11:00][R0] Later (C)\n",
                &ws);
    assert_int_equal(pad->n_sessions, 3);
    assert_string_equal(pad->sessions[0].body, "");
    assert_string_equal(pad->sessions[1].title, "Late");
    assert_string_equal(pad->sessions[2].title, "Later");
    assert_true(warned_at(&ws, 3, "day-end"));
    assert_int_equal(ws.n, 1);
    cs_pad_free(pad);
}

/* ---- the day header ------------------------------------------------------ */

static void test_day_header_lines(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        const char *conference; /* NULL: not a day header */
        int day;
        const char *date;
    } cases[] = {
        {"PyCon APAC 2015 - Day 1 (June 5)", "PyCon APAC 2015", 1, "2015-06-05"},
        {"PyCon APAC 2015 – Day 2 (Jun 6)", "PyCon APAC 2015", 2, "2015-06-06"},
        {"PyCon APAC 2015 — day 3 (2015-06-07)", "PyCon APAC 2015", 3, "2015-06-07"},
        {"PyCon APAC 2015-DAY 1(6/5)", "PyCon APAC 2015", 1, "2015-06-05"},
        {"  COSCUP 2024   -   Day 2   ( Aug. 4th )  ", "COSCUP 2024", 2, "2024-08-04"},
        {"PyCon TW 2026 - Day 12 (Sept 9)", "PyCon TW 2026", 12, "2026-09-09"},
        {"Sprint - Day 1 (2026/3/14)", "Sprint", 1, "2026-03-14"},
        {"Sprint - Day 1 (March 14, 2027)", "Sprint", 1, "2027-03-14"},
        {"Py-Con 2020 - Day 1", "Py-Con 2020", 1, ""},
        {"Leap 2024 - Day 1 (Feb 29)", "Leap 2024", 1, "2024-02-29"},
        {"Leap 2023 - Day 1 (Feb 29)", "Leap 2023", 1, ""},
        {"No Year Con - Day 1 (June 5)", "No Year Con", 1, ""},
        {"PyCon 2015 - Day 1 (June 31)", "PyCon 2015", 1, ""},
        {"PyCon 2015 - Day 1 (Friday)", "PyCon 2015", 1, ""},
        {"Back To Future: PyCon APAC 2015 - Day 2 (June 6)", "Back To Future: PyCon APAC 2015", 2,
         "2015-06-06"},
        {"PyCon APAC 2015 Day 3 June 7", NULL, 0, ""},
        {"PyCon APAC 2015 Day 3 (June 7)", NULL, 0, ""},
        {"- Day 1 (June 5)", NULL, 0, ""},
        {"PyCon - Sunday 1", NULL, 0, ""},
        {"PyCon 2015 - Day (June 5)", NULL, 0, ""},
        {"PyCon 2015 - Day 0 (June 5)", NULL, 0, ""},
        {"PyCon 2015 - Day 1 (June 5) notes", NULL, 0, ""},
        {"", NULL, 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *conference = (char *)1;
        int day = -1;
        char date[11] = "x";
        bool ok =
            cs_pad_parse_day_header(cases[i].line, strlen(cases[i].line), &conference, &day, date);
        if (ok != (cases[i].conference != NULL))
            fail_msg("\"%s\": %s", cases[i].line, ok ? "taken for a day header" : "missed");
        if (ok)
            assert_string_equal(conference, cases[i].conference);
        else
            assert_null(conference);
        assert_int_equal(day, cases[i].day);
        assert_string_equal(date, cases[i].date);
        free(conference);
    }
}

static void test_day_header_in_a_pad(void **state)
{
    (void)state;
    /* Only the first match in the preamble counts. */
    cs_pad_t *pad = parse("\xEF\xBB\xBF"
                          "Demo Con 2026 - Day 2 (Mar 15)\n"
                          "Back To Future: Demo Con 2026 - Day 1 (Mar 14)\n"
                          "[9:00][R0] T (S)\n"
                          "Other Con 2030 - Day 9 (Jan 1)\n",
                          NULL);
    assert_int_equal(pad->n_sessions, 1);
    assert_string_equal(pad->sessions[0].conference, "Demo Con 2026");
    assert_int_equal(pad->sessions[0].day, 2);
    assert_string_equal(pad->sessions[0].date, "2026-03-15");
    assert_string_equal(pad->sessions[0].body, "Other Con 2030 - Day 9 (Jan 1)");
    cs_pad_free(pad);

    pad = parse("just notes\n[9:00][R0] T (S)\nbody\n", NULL);
    assert_int_equal(pad->n_sessions, 1);
    assert_null(pad->sessions[0].conference);
    assert_int_equal(pad->sessions[0].day, 0);
    assert_string_equal(pad->sessions[0].date, "");
    cs_pad_free(pad);

    warnings_t ws = {0};
    pad = parse("\nCon 2026 - Day 1 (Smarch 3)\n[9:00][R0] T (S)\n", &ws);
    assert_int_equal(pad->sessions[0].day, 1);
    assert_string_equal(pad->sessions[0].date, "");
    assert_true(warned_at(&ws, 2, "date"));
    cs_pad_free(pad);
}

/* ---- several days in one pad --------------------------------------------- */

typedef struct {
    unsigned line;
    int day;
    const char *date, *time, *room, *title, *speaker, *body;
} expected_day_talk_t;

static void check_talks(const cs_pad_t *pad, const char *conference,
                        const expected_day_talk_t *want, size_t n)
{
    assert_int_equal(pad->n_sessions, n);
    for (size_t i = 0; i < n; i++) {
        const cs_session_t *s = &pad->sessions[i];
        const expected_day_talk_t *e = &want[i];
        if (s->day != e->day)
            fail_msg("talk %zu (\"%s\"): day %d, want %d", i, s->title, s->day, e->day);
        assert_int_equal(s->line, e->line);
        if (conference)
            assert_string_equal(s->conference, conference);
        else
            assert_null(s->conference);
        assert_string_equal(s->date, e->date);
        assert_string_equal(s->time, e->time);
        assert_string_equal(s->room, e->room);
        assert_string_equal(s->title, e->title);
        assert_string_equal(s->speaker, e->speaker);
        assert_string_equal(s->body, e->body);
        assert_false(s->whole_file);
    }
}

/* Day 2 pasted below day 1's end marker, with its own day header: the way
 * organisers keep a whole conference in one pad. */
static void test_two_days_after_the_end_marker(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse("PyHarbor 2026 - Day 1 (March 7)\n"             /* 1 */
                          "\n"                                            /* 2 */
                          "[9:00][R0] Opening (Ann Lee)\n"                /* 3 */
                          "day one opening notes\n"                       /* 4 */
                          "---- Break ----\n"                             /* 5 */
                          "[10:00][R1] Testing Tales (Bo Chen)\n"         /* 6 */
                          "day one testing notes\n"                       /* 7 */
                          "---------------- Day 1 End ----------------\n" /* 8 */
                          "see you tomorrow\n"                            /* 9 */
                          "\n"                                            /* 10 */
                          "PyHarbor 2026 - Day 2 (March 8)\n"             /* 11 */
                          "\n"                                            /* 12 */
                          "[9:00][R0] Day Two Opening (Cy Wu)\n"          /* 13 */
                          "day two opening notes\n"                       /* 14 */
                          "---- Break ----\n"                             /* 15 */
                          "[10:00][R1] Second Day Talk (Di Ma & Ed Ng)\n" /* 16 */
                          "day two talk notes\n"                          /* 17 */
                          "---------------- Day 2 End ----------------\n" /* 18 */
                          "thanks all\n",                                 /* 19 */
                          &ws);
    static const expected_day_talk_t want[] = {
        {3, 1, "2026-03-07", "09:00", "R0", "Opening", "Ann Lee", "day one opening notes"},
        {6, 1, "2026-03-07", "10:00", "R1", "Testing Tales", "Bo Chen", "day one testing notes"},
        {13, 2, "2026-03-08", "09:00", "R0", "Day Two Opening", "Cy Wu", "day two opening notes"},
        {16, 2, "2026-03-08", "10:00", "R1", "Second Day Talk", "Di Ma & Ed Ng",
         "day two talk notes"},
    };
    check_talks(pad, "PyHarbor 2026", want, sizeof want / sizeof want[0]);
    assert_int_equal(pad->sessions[3].n_speakers, 2);
    assert_int_equal(ws.n, 0);
    /* Same time and room on both days, yet distinct ids. */
    char a[CS_MAX_ID_BYTES], b[CS_MAX_ID_BYTES];
    cs_schema_session_id(&pad->sessions[0], a);
    cs_schema_session_id(&pad->sessions[2], b);
    assert_string_equal(a, "pyharbor-2026_2026-03-07_0900_R0");
    assert_string_equal(b, "pyharbor-2026_2026-03-08_0900_R0");
    cs_pad_free(pad);

    /* Without dates the ids tell the days apart by number. */
    pad = parse("Con 2026 - Day 1\n[9:00][R0] A (X)\na\n--- Day 1 End ---\n"
                "Con 2026 - Day 2\n[9:00][R0] B (Y)\nb\n",
                NULL);
    assert_int_equal(pad->n_sessions, 2);
    cs_schema_session_id(&pad->sessions[0], a);
    cs_schema_session_id(&pad->sessions[1], b);
    assert_string_equal(a, "con-2026_day1_0900_R0");
    assert_string_equal(b, "con-2026_day2_0900_R0");
    cs_pad_free(pad);
}

static void test_day_header_after_a_plain_separator(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse("Con 2026 - Day 1 (2026-05-01)\n" /* 1 */
                          "[16:00][R2] Late Talk (X)\n"     /* 2 */
                          "late notes\n"                    /* 3 */
                          "---- Closing ----\n"             /* 4 */
                          "Con 2026 - Day 2 (2026-05-02)\n" /* 5 */
                          "[9:00][R2] Early Talk (Y)\n"     /* 6 */
                          "early notes\n",                  /* 7 */
                          &ws);
    static const expected_day_talk_t want[] = {
        {2, 1, "2026-05-01", "16:00", "R2", "Late Talk", "X", "late notes"},
        {6, 2, "2026-05-02", "09:00", "R2", "Early Talk", "Y", "early notes"},
    };
    check_talks(pad, "Con 2026", want, 2);
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);

    /* A pad whose first day had no header: the talks before the header stay
     * without a day, the ones after it get it. */
    pad = parse("[9:00][R0] A (X)\na\n---- Break ----\nCon 2026 - Day 2 (May 2)\n"
                "[9:00][R0] B (Y)\nb\n",
                NULL);
    assert_int_equal(pad->n_sessions, 2);
    assert_null(pad->sessions[0].conference);
    assert_int_equal(pad->sessions[0].day, 0);
    assert_string_equal(pad->sessions[0].body, "a");
    assert_string_equal(pad->sessions[1].conference, "Con 2026");
    assert_int_equal(pad->sessions[1].day, 2);
    assert_string_equal(pad->sessions[1].date, "2026-05-02");
    cs_pad_free(pad);
}

/* Day 2 pasted below the marker without its header: nothing is dropped, the
 * talks stay on day 1, and the user hears about it once. */
static void test_talks_after_the_end_marker_without_a_day_header(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse("Con 2026 - Day 1 (May 1)\n" /* 1 */
                          "[9:00][R0] A (X)\n"         /* 2 */
                          "a\n"                        /* 3 */
                          "---- Day 1 End ----\n"      /* 4 */
                          "news, nobody's\n"           /* 5 */
                          "\n"                         /* 6 */
                          "[9:30][R1] B (Y)\n"         /* 7 */
                          "b\n"                        /* 8 */
                          "---- Break ----\n"          /* 9 */
                          "[10:00][R0] C (Z)\n"        /* 10 */
                          "c\n",                       /* 11 */
                          &ws);
    static const expected_day_talk_t want[] = {
        {2, 1, "2026-05-01", "09:00", "R0", "A", "X", "a"},
        {7, 1, "2026-05-01", "09:30", "R1", "B", "Y", "b"},
        {10, 1, "2026-05-01", "10:00", "R0", "C", "Z", "c"},
    };
    check_talks(pad, "Con 2026", want, 3);
    assert_int_equal(ws.n, 1);
    assert_true(warned_at(&ws, 7, "day-end marker with no new day header"));
    assert_non_null(strstr(ws.w[0].message, "day 1"));
    cs_pad_free(pad);

    /* Each marker that talks follow unnamed is one place to fix: one warning
     * each. */
    ws.n = 0;
    pad = parse("Con 2026 - Day 1 (May 1)\n[9:00][R0] A (X)\n--- End ---\n[9:00][R1] B (Y)\n"
                "--- End ---\n[9:00][R2] C (Z)\n[9:30][R2] D (W)\n",
                &ws);
    assert_int_equal(pad->n_sessions, 4);
    assert_int_equal(ws.n, 2);
    assert_true(warned_at(&ws, 4, "day-end"));
    assert_true(warned_at(&ws, 6, "day-end"));
    cs_pad_free(pad);
}

static void test_day_header_inside_a_talk_body(void **state)
{
    (void)state;
    /* No separator before the next day's header: blank lines, then a talk
     * header, make it a day switch that also ends the talk before it. */
    warnings_t ws = {0};
    cs_pad_t *pad = parse("Con 2026 - Day 1 (May 1)\n"        /* 1 */
                          "[17:00][R0] Last Of Day One (X)\n" /* 2 */
                          "notes\n"                           /* 3 */
                          "\n"                                /* 4 */
                          "Con 2026 - Day 2 (May 2)\n"        /* 5 */
                          "\n"                                /* 6 */
                          "[9:00][R0] First Of Day Two (Y)\n" /* 7 */
                          "two\n",                            /* 8 */
                          &ws);
    static const expected_day_talk_t want[] = {
        {2, 1, "2026-05-01", "17:00", "R0", "Last Of Day One", "X", "notes"},
        {7, 2, "2026-05-02", "09:00", "R0", "First Of Day Two", "Y", "two"},
    };
    check_talks(pad, "Con 2026", want, 2);
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);

    /* Not followed by a talk header, such a line is the talk's text (a link,
     * a quote) and the day stays. */
    pad = parse("Con 2026 - Day 1 (May 1)\n"
                "[9:00][R0] A (X)\n"
                "see also: Con 2026 - Day 2 (May 2)\n"
                "more notes\n"
                "[10:00][R0] B (Y)\n"
                "b\n"
                "Con 2026 - Day 3 (May 3)\n"
                "---- Break ----\n"
                "[11:00][R0] C (Z)\n"
                "c\n"
                "Con 2026 - Day 4 (May 4)\n",
                NULL);
    assert_int_equal(pad->n_sessions, 3);
    assert_string_equal(pad->sessions[0].body, "see also: Con 2026 - Day 2 (May 2)\nmore notes");
    assert_string_equal(pad->sessions[1].body, "b\nCon 2026 - Day 3 (May 3)");
    assert_string_equal(pad->sessions[2].body, "c\nCon 2026 - Day 4 (May 4)");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(pad->sessions[i].day, 1);
        assert_string_equal(pad->sessions[i].date, "2026-05-01");
    }
    cs_pad_free(pad);

    /* Two such lines in a row: only the one right above the talk header
     * switches; the other stays text. */
    pad = parse("Con 2026 - Day 1 (May 1)\n"
                "[9:00][R0] A (X)\n"
                "a\n"
                "link: Con 2026 - Day 3 (May 3)\n"
                "Con 2026 - Day 2 (May 2)\n"
                "[9:00][R0] B (Y)\n",
                NULL);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].body, "a\nlink: Con 2026 - Day 3 (May 3)");
    assert_int_equal(pad->sessions[0].day, 1);
    assert_int_equal(pad->sessions[1].day, 2);
    assert_string_equal(pad->sessions[1].date, "2026-05-02");
    assert_string_equal(pad->sessions[1].body, "");
    cs_pad_free(pad);
}

/* "Anything - Day N" lines that are not a pad's day header (found in
 * review: each of these changed the day, one dropped a line of notes). */
static void test_day_shaped_lines_that_are_not_headers(void **state)
{
    (void)state;
    /* A pasted day 2 keeps its own preamble links: the first header after
     * the marker is the day, the links below it are links. */
    warnings_t ws = {0};
    cs_pad_t *pad = parse("PyCon APAC 2015 - Day 1 (June 5)\n"                 /* 1 */
                          "[9:00][R0] Day One (Ann)\n"                         /* 2 */
                          "one\n"                                              /* 3 */
                          "---- Day 1 End ----\n"                              /* 4 */
                          "PyCon APAC 2015 - Day 2 (June 6)\n"                 /* 5 */
                          "Back To Future: PyCon APAC 2015 - Day 1 (June 5)\n" /* 6 */
                          "Next: PyCon APAC 2015 - Day 3 (June 7)\n"           /* 7 */
                          "[9:10][R0] Day two keynote (Bob)\n"                 /* 8 */
                          "two\n",                                             /* 9 */
                          &ws);
    static const expected_day_talk_t pasted[] = {
        {2, 1, "2015-06-05", "09:00", "R0", "Day One", "Ann", "one"},
        {8, 2, "2015-06-06", "09:10", "R0", "Day two keynote", "Bob", "two"},
    };
    check_talks(pad, "PyCon APAC 2015", pasted, 2);
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);

    /* A note in that shape right above the next talk stays in the notes,
     * and the day stays. */
    pad = parse("Con 2026 - Day 1 (May 1)\n"
                "[9:00][R0] A (X)\n"
                "the sprint is tomorrow - day 2\n"
                "[10:00][R0] B (Y)\n"
                "b\n",
                NULL);
    static const expected_day_talk_t note[] = {
        {2, 1, "2026-05-01", "09:00", "R0", "A", "X", "the sprint is tomorrow - day 2"},
        {4, 1, "2026-05-01", "10:00", "R0", "B", "Y", "b"},
    };
    check_talks(pad, "Con 2026", note, 2);
    cs_pad_free(pad);

    /* Between talks after a plain separator, only the pad's own conference
     * starts a day. */
    pad = parse("Con 2026 - Day 1 (May 1)\n"
                "[9:00][R0] A (X)\n"
                "a\n"
                "---- Break ----\n"
                "Sprints - Day 3\n"
                "[10:00][R0] B (Y)\n"
                "b\n",
                NULL);
    static const expected_day_talk_t sprints[] = {
        {2, 1, "2026-05-01", "09:00", "R0", "A", "X", "a"},
        {6, 1, "2026-05-01", "10:00", "R0", "B", "Y", "b"},
    };
    check_talks(pad, "Con 2026", sprints, 2);
    cs_pad_free(pad);

    /* After the marker, another conference's Day 1 is a new day too. */
    pad = parse("PyCon APAC 2015 - Day 1 (June 5)\n"
                "[9:00][R0] A (X)\n"
                "a\n"
                "---- Day 1 End ----\n"
                "PyCon TW 2016 - Day 1 (June 3)\n"
                "[9:00][R0] B (Y)\n"
                "b\n",
                NULL);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[1].conference, "PyCon TW 2016");
    assert_int_equal(pad->sessions[1].day, 1);
    assert_string_equal(pad->sessions[1].date, "2016-06-03");
    char a[CS_MAX_ID_BYTES], b[CS_MAX_ID_BYTES];
    cs_schema_session_id(&pad->sessions[0], a);
    cs_schema_session_id(&pad->sessions[1], b);
    assert_string_not_equal(a, b);
    cs_pad_free(pad);
}

/* The seed's pattern: link lines to the other days' pads in the preamble do
 * not change the day; a real day header after the marker still does. */
static void test_preamble_links_keep_the_first_day(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse("PyCon APAC 2015 - Day 1 (June 5)\n"
                          "\n"
                          "This pad text is synchronized as you type.\n"
                          "\n"
                          "Back To Future: PyCon APAC 2015 - Day 2 (June 6) \n"
                          "\n"
                          "            PyCon APAC 2015 Day 3 June 7\n"
                          "[9:10][R0] Keynote (Van Lindberg)\n"
                          "keynote notes\n"
                          "---------------- Day 1 End ----------------\n"
                          "PyCon APAC 2015 - Day 2 (June 6)\n"
                          "[9:10][R0] Day Two Keynote (Kenneth Reitz)\n"
                          "more notes\n",
                          &ws);
    static const expected_day_talk_t want[] = {
        {8, 1, "2015-06-05", "09:10", "R0", "Keynote", "Van Lindberg", "keynote notes"},
        {12, 2, "2015-06-06", "09:10", "R0", "Day Two Keynote", "Kenneth Reitz", "more notes"},
    };
    check_talks(pad, "PyCon APAC 2015", want, 2);
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);
}

static void test_same_day_header_repeated(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse("Con 2026 - Day 1 (May 1)\n" /* 1 */
                          "[9:00][R0] A (X)\n"         /* 2 */
                          "a\n"                        /* 3 */
                          "---- Break ----\n"          /* 4 */
                          "Con 2026 - Day 1\n"         /* 5: no date, keeps May 1 */
                          "[10:00][R0] B (Y)\n"        /* 6 */
                          "b\n"                        /* 7 */
                          "Con 2026 - Day 1 (May 1)\n" /* 8: in a body: text */
                          "[11:00][R0] C (Z)\n"        /* 9 */
                          "c\n"                        /* 10 */
                          "---- Day 1 End ----\n"      /* 11 */
                          "Con 2026 - Day 1 (May 1)\n" /* 12: names the day: no warning */
                          "[12:00][R0] D (W)\n"        /* 13 */
                          "d\n",                       /* 14 */
                          &ws);
    static const expected_day_talk_t want[] = {
        {2, 1, "2026-05-01", "09:00", "R0", "A", "X", "a"},
        {6, 1, "2026-05-01", "10:00", "R0", "B", "Y", "b\nCon 2026 - Day 1 (May 1)"},
        {9, 1, "2026-05-01", "11:00", "R0", "C", "Z", "c"},
        {13, 1, "2026-05-01", "12:00", "R0", "D", "W", "d"},
    };
    check_talks(pad, "Con 2026", want, 4);
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);
}

static void test_three_days_and_back(void **state)
{
    (void)state;
    warnings_t ws = {0};
    cs_pad_t *pad = parse("Con 2026 - Day 1 (May 1)\n" /* 1 */
                          "[9:00][R0] One (A)\n"       /* 2 */
                          "1\n"                        /* 3 */
                          "---- Day 1 End ----\n"      /* 4 */
                          "Con 2026 - Day 2 (May 2)\n" /* 5 */
                          "[9:00][R0] Two (B)\n"       /* 6 */
                          "2\n"                        /* 7 */
                          "---- Day 2 End ----\n"      /* 8 */
                          "Con 2026 - Day 3 (May 3)\n" /* 9 */
                          "[9:00][R0] Three (C)\n"     /* 10 */
                          "3\n"                        /* 11 */
                          "---- Day 3 End ----\n",     /* 12 */
                          &ws);
    static const expected_day_talk_t want[] = {
        {2, 1, "2026-05-01", "09:00", "R0", "One", "A", "1"},
        {6, 2, "2026-05-02", "09:00", "R0", "Two", "B", "2"},
        {10, 3, "2026-05-03", "09:00", "R0", "Three", "C", "3"},
    };
    check_talks(pad, "Con 2026", want, 3);
    assert_int_equal(ws.n, 0);
    cs_pad_free(pad);

    /* Backwards is allowed (a pad pasted in the wrong order), and a switch
     * warns about a date it cannot read, at the header's line. */
    pad = parse("Con 2026 - Day 2 (May 2)\n"    /* 1 */
                "[9:00][R0] Two (B)\n"          /* 2 */
                "---- Break ----\n"             /* 3 */
                "Con 2026 - Day 1 (May 1)\n"    /* 4 */
                "[9:00][R0] One (A)\n"          /* 5 */
                "---- Break ----\n"             /* 6 */
                "Con 2026 - Day 3 (Smarch 3)\n" /* 7 */
                "[9:00][R0] Three (C)\n",       /* 8 */
                &ws);
    assert_int_equal(pad->n_sessions, 3);
    assert_int_equal(pad->sessions[0].day, 2);
    assert_string_equal(pad->sessions[0].date, "2026-05-02");
    assert_int_equal(pad->sessions[1].day, 1);
    assert_string_equal(pad->sessions[1].date, "2026-05-01");
    assert_int_equal(pad->sessions[2].day, 3);
    assert_string_equal(pad->sessions[2].date, "");
    assert_int_equal(ws.n, 1);
    assert_true(warned_at(&ws, 7, "date"));
    cs_pad_free(pad);
}

/* ---- whole pads ---------------------------------------------------------- */

static void test_bodies_and_line_numbers(void **state)
{
    (void)state;
    cs_pad_t *pad = parse("preamble\n"
                          "\n"
                          "[9:00][R0] First (A & B)\n"
                          "\n"
                          "   \n"
                          "  indented line\n"
                          "\n"
                          "\n"
                          "last line  \n"
                          "\n"
                          "[9:30][R1] Second (C)\n"
                          "[10:00][R2] Third (D)\n"
                          "\n",
                          NULL);
    assert_int_equal(pad->n_sessions, 3);
    const cs_session_t *s = &pad->sessions[0];
    assert_int_equal(s->line, 3);
    assert_string_equal(s->body, "  indented line\n\n\nlast line  ");
    assert_int_equal(s->body_len, strlen(s->body));
    assert_int_equal(s->n_speakers, 2);
    assert_string_equal(s->speakers[1], "B");
    assert_string_equal(s->source, "test.txt");
    assert_int_equal(pad->sessions[1].line, 11);
    assert_string_equal(pad->sessions[1].body, "");
    assert_int_equal(pad->sessions[1].body_len, 0);
    assert_int_equal(pad->sessions[2].line, 12);
    assert_string_equal(pad->sessions[2].body, "");
    cs_pad_free(pad);
}

static void test_line_endings(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Con 2026 - Day 1 (May 1)\n\n[9:00][R0] T (S)\n\na\n\nb\n---- Break ----\n",
        "Con 2026 - Day 1 (May 1)\r\n\r\n[9:00][R0] T (S)\r\n\r\na\r\n\r\nb\r\n---- Break ----\r\n",
        "Con 2026 - Day 1 (May 1)\r\r[9:00][R0] T (S)\r\ra\r\rb\r---- Break ----\r",
        "Con 2026 - Day 1 (May 1)\n\n[9:00][R0] T (S)\n\na\n\nb",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cs_pad_t *pad = parse(texts[i], NULL);
        assert_int_equal(pad->n_sessions, 1);
        const cs_session_t *s = &pad->sessions[0];
        assert_string_equal(s->title, "T");
        assert_string_equal(s->speaker, "S");
        assert_string_equal(s->date, "2026-05-01");
        assert_int_equal(s->line, 3);
        assert_string_equal(s->body, "a\n\nb");
        cs_pad_free(pad);
    }
}

static void test_whole_file(void **state)
{
    (void)state;
    cs_pad_t *pad = parse("\n\n  My meetup notes  \n\nline two\n  indented\n\n", NULL);
    assert_int_equal(pad->n_sessions, 1);
    const cs_session_t *s = &pad->sessions[0];
    assert_true(s->whole_file);
    assert_string_equal(s->title, "My meetup notes");
    assert_string_equal(s->body, "  My meetup notes  \n\nline two\n  indented");
    assert_int_equal(s->line, 1);
    assert_string_equal(s->time, "");
    assert_null(s->room);
    assert_null(s->speaker);
    assert_null(s->conference);
    cs_pad_free(pad);

    pad = parse("Meetup 2026 - Day 1 (Apr 2)\n---- Break ----\nno talks here\n", NULL);
    assert_int_equal(pad->n_sessions, 1);
    assert_true(pad->sessions[0].whole_file);
    assert_string_equal(pad->sessions[0].conference, "Meetup 2026");
    assert_int_equal(pad->sessions[0].day, 1);
    assert_string_equal(pad->sessions[0].date, "2026-04-02");
    assert_non_null(strstr(pad->sessions[0].body, "no talks here"));
    cs_pad_free(pad);

    /* A long first line is cut on a character boundary. */
    char line[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(line, "測");
    pad = parse(line, NULL);
    const char *title = pad->sessions[0].title;
    assert_true(strlen(title) <= 200 && strlen(title) >= 190);
    assert_int_equal(strlen(title) % 3, 0);
    assert_int_equal(pad->sessions[0].body_len, 300);
    cs_pad_free(pad);
}

static void test_empty_and_blank(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "\n", "  \n\t\n\r\n", "\xEF\xBB\xBF", "\0\0"};
    static const size_t lens[] = {0, 1, 7, 3, 2};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cs_pad_t *pad = parse_bytes(texts[i], lens[i], NULL);
        assert_int_equal(pad->n_sessions, 0);
        cs_pad_free(pad);
    }
    cs_pad_t *pad = (cs_pad_t *)1;
    assert_int_equal(cs_pad_parse(NULL, 0, "x", NULL, NULL, &pad), CS_OK);
    assert_int_equal(pad->n_sessions, 0);
    cs_pad_free(pad);
    pad = (cs_pad_t *)1;
    assert_int_equal(cs_pad_parse(NULL, 3, "x", NULL, NULL, &pad), CS_ERR_NULL_ARG);
    assert_null(pad);
    assert_int_equal(cs_pad_parse("x", 1, NULL, NULL, NULL, &pad), CS_ERR_NULL_ARG);
    assert_int_equal(cs_pad_parse("x", 1, "x", NULL, NULL, NULL), CS_ERR_NULL_ARG);
    cs_pad_free(NULL);
    cs_session_clear(NULL);
}

static void test_nul_bytes_and_long_lines(void **state)
{
    (void)state;
    static const char text[] = "[9:10][R0] A\0B (X\0Y)\nbody\0x\n";
    cs_pad_t *pad = parse_bytes(text, sizeof text - 1, NULL);
    assert_int_equal(pad->n_sessions, 1);
    assert_string_equal(pad->sessions[0].title, "A B");
    assert_string_equal(pad->sessions[0].speaker, "X Y");
    assert_string_equal(pad->sessions[0].body, "body x");
    assert_int_equal(pad->sessions[0].body_len, 6);
    cs_pad_free(pad);

    size_t big = 4 * 1024 * 1024;
    char *long_text = malloc(big + 64);
    assert_non_null(long_text);
    size_t n = (size_t)sprintf(long_text, "[9:10][R0] ");
    memset(long_text + n, 'w', big);
    n += big;
    n += (size_t)sprintf(long_text + n, " (S)\n");
    memset(long_text + n, '-', 10);
    n += 10;
    pad = parse_bytes(long_text, n, NULL);
    assert_int_equal(pad->n_sessions, 1);
    assert_int_equal(strlen(pad->sessions[0].title), big);
    assert_string_equal(pad->sessions[0].body, "----------");
    cs_pad_free(pad);
    free(long_text);
}

/* Every prefix of a tricky pad parses without reading past its end. */
static void test_every_prefix(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF"
                               "Con 2026 – Day 1 （6/5）\r\n"
                               "[ 9:10 ][R0] T (a (b)) （王小明 和 李小華）\r"
                               "body ---- x ----\n"
                               "---- Break ====\n"
                               "[9:10][R1] (A & B , C)\n"
                               "[9:99][R1]\n"
                               "--- Day 1 End ---";
    for (size_t len = 0; len <= sizeof text - 1; len++) {
        cs_pad_t *pad = parse_bytes(text, len, NULL);
        for (size_t i = 0; i < pad->n_sessions; i++) {
            assert_non_null(pad->sessions[i].title);
            assert_non_null(pad->sessions[i].body);
            assert_int_equal(strlen(pad->sessions[i].body), pad->sessions[i].body_len);
        }
        cs_pad_free(pad);
    }
    cs_pad_t *pad = parse(text, NULL);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].date, "2026-06-05");
    assert_string_equal(pad->sessions[0].title, "T (a (b))");
    assert_int_equal(pad->sessions[0].n_speakers, 2);
    assert_int_equal(pad->sessions[1].n_speakers, 3);
    assert_string_equal(pad->sessions[1].body, "[9:99][R1]");
    cs_pad_free(pad);
}

static void test_session_clear(void **state)
{
    (void)state;
    cs_session_t s;
    memset(&s, 0, sizeof s);
    s.id = strdup("id");
    s.title = strdup("t");
    s.speakers[0] = strdup("a");
    s.n_speakers = 1;
    s.body = strdup("");
    cs_session_clear(&s);
    assert_null(s.id);
    assert_null(s.title);
    assert_null(s.speakers[0]);
    assert_int_equal(s.n_speakers, 0);
    cs_session_clear(&s); /* cleared twice is harmless */
}

/* A hub pad's agenda table links each talk to its own pad, as its list
 * items do: the row's link is the talk's, so the talk's pad can join the
 * programme through it (it was dropped for rows). */
static void test_agenda_table_rows_keep_their_links(void **state)
{
    (void)state;
    static const char hub[] = "# Join Conf 2026 共筆\n\n"
                              "| 時間 | 講題 |\n|------|------|\n"
                              "| 14:00 | [Packaging Wheels - Cy Wu](https://hackmd.io/WheelPad) |\n"
                              "| 15:00 | Lightning talks |\n";
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(hub, sizeof hub - 1, "hub.md", NULL, NULL, &pad), CS_OK);
    assert_int_equal(pad->n_sessions, 2);
    assert_non_null(strstr(pad->sessions[0].title, "Packaging Wheels"));
    assert_non_null(pad->sessions[0].link);
    assert_string_equal(pad->sessions[0].link, "https://hackmd.io/WheelPad");
    assert_null(pad->sessions[1].link);
    cs_pad_free(pad);
}

/* Markdown with bracket headers: a lone one in a code fence does not take
 * the file from the Markdown reader; a summary list of the slots that
 * headings carry below is not a second set of talks. */
static void test_bracket_headers_in_markdown(void **state)
{
    (void)state;
    static const char fenced[] = "# MyConf 2021\n\n"
                                 "## 10:00 Writing parsers - Alice Wu\n\n"
                                 "```\n[9:10][R0] an example line from the seed format\n```\n\n"
                                 "## 11:00 Testing parsers - Bob Lin\n\nnotes\n";
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_pad_parse(fenced, sizeof fenced - 1, "pad.md", NULL, NULL, &pad), CS_OK);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].title, "Writing parsers");
    assert_non_null(strstr(pad->sessions[0].body, "[9:10][R0] an example"));
    cs_pad_free(pad);

    static const char summary[] = "# Day 1\n\n"
                                  "- [09:10][R1] Opening (Kelly Fang)\n"
                                  "- [10:00][R1] Mobile pinning (Jason Tu)\n\n"
                                  "### [09:10-09:50][R1] Opening (Kelly Fang)\n\nwelcome\n\n"
                                  "### [10:00-10:40][R1] Mobile pinning (Jason Tu)\n\nnotes\n\n"
                                  "- [11:30][R2] Honeypots (Nathan Pan)\n\nmore\n";
    assert_int_equal(cs_pad_parse(summary, sizeof summary - 1, "pad.md", NULL, NULL, &pad), CS_OK);
    assert_int_equal(pad->n_sessions, 3);
    assert_int_equal(pad->sessions[0].line, 6);
    assert_string_equal(pad->sessions[0].end_time, "09:50");
    assert_int_equal(pad->sessions[1].line, 10);
    assert_string_equal(pad->sessions[2].title, "Honeypots");
    cs_pad_free(pad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_talk_headers),
        cmocka_unit_test(test_seed_bodies_stop_where_talks_stop),
        cmocka_unit_test(test_demo_pads),
        cmocka_unit_test(test_talk_header_lines),
        cmocka_unit_test(test_header_oddities_warn),
        cmocka_unit_test(test_huge_talk_is_cut_with_a_warning),
        cmocka_unit_test(test_batches_are_the_whole_pad),
        cmocka_unit_test(test_long_pad_title_is_cut_on_a_character),
        cmocka_unit_test(test_fullwidth_group_that_is_no_speaker_stays_whole),
        cmocka_unit_test(test_split_speakers),
        cmocka_unit_test(test_separator_kinds),
        cmocka_unit_test(test_separators_in_a_pad),
        cmocka_unit_test(test_day_header_lines),
        cmocka_unit_test(test_day_header_in_a_pad),
        cmocka_unit_test(test_two_days_after_the_end_marker),
        cmocka_unit_test(test_day_header_after_a_plain_separator),
        cmocka_unit_test(test_talks_after_the_end_marker_without_a_day_header),
        cmocka_unit_test(test_day_header_inside_a_talk_body),
        cmocka_unit_test(test_preamble_links_keep_the_first_day),
        cmocka_unit_test(test_agenda_table_rows_keep_their_links),
        cmocka_unit_test(test_same_day_header_repeated),
        cmocka_unit_test(test_three_days_and_back),
        cmocka_unit_test(test_day_shaped_lines_that_are_not_headers),
        cmocka_unit_test(test_bodies_and_line_numbers),
        cmocka_unit_test(test_line_endings),
        cmocka_unit_test(test_whole_file),
        cmocka_unit_test(test_bracket_headers_in_markdown),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_nul_bytes_and_long_lines),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_session_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
