/* test_join.c: the notes <-> programme matcher (indexer/join.h): title
 * keys, slot and pad keys, which programme talk a notes talk joins and
 * why, and the merged session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "test_util.h"

#define DEMO CS_SOURCE_DIR "/data/demo/"

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int setup(void **state)
{
    cs_join_t *j = NULL;
    char *err = NULL;
    if (cs_join_create(&j, &err) != CS_OK) {
        free(err);
        return -1;
    }
    *state = j;
    return 0;
}

static int teardown(void **state)
{
    cs_join_destroy(*state);
    return 0;
}

static void assert_key(cs_join_t *j, const char *title, const char *want)
{
    char *key = NULL;
    assert_int_equal(cs_join_title_key(j, title, &key), CS_OK);
    assert_string_equal(key, want);
    free(key);
}

static void test_title_key_folds_width_case_punctuation_and_script(void **state)
{
    cs_join_t *j = *state;
    assert_key(j, "Fast Tests!", "fast tests");
    assert_key(j, "ＦＡＳＴ   tests", "fast tests");
    assert_key(j, "fast-tests...", "fast tests");
    assert_key(j, "  Straße: the Ärger  ", "strasse the ärger");
    /* Simplified and Traditional give one key; shared characters stay. */
    char *simp = NULL, *trad = NULL;
    assert_int_equal(cs_join_title_key(j, "测试驱动开发入门", &simp), CS_OK);
    assert_int_equal(cs_join_title_key(j, "測試驅動開發入門", &trad), CS_OK);
    assert_string_equal(simp, trad);
    free(simp);
    free(trad);
    assert_key(j, "Python 与 数据", "python 與 資料");
    assert_key(j, "Python 與 數據", "python 與 資料");
    assert_key(j, "!!!", "");
}

static void test_pad_key(void **state)
{
    (void)state;
    char *k = cs_join_pad_key("https://hackmd.io/AbC_12?view#top");
    assert_string_equal(k, "abc_12");
    free(k);
    k = cs_join_pad_key("https://hackmd.io/AbC_12/");
    assert_string_equal(k, "abc_12");
    free(k);
    k = cs_join_pad_key("/data/notes/AbC_12.md");
    assert_string_equal(k, "abc_12");
    free(k);
    assert_null(cs_join_pad_key("https://hackmd.io"));
    assert_null(cs_join_pad_key(""));
    assert_null(cs_join_pad_key(NULL));
}

/* A session on the stack whose strings are literals (never cleared). */
static cs_session_t talk(const char *date, const char *time, const char *room, const char *title,
                         const char *speaker)
{
    cs_session_t s;
    memset(&s, 0, sizeof s);
    strcpy(s.date, date);
    strcpy(s.time, time);
    s.room = (char *)room;
    s.title = (char *)title;
    if (speaker) {
        s.speaker = (char *)speaker;
        s.speakers[0] = (char *)speaker;
        s.n_speakers = 1;
    }
    s.body = (char *)"";
    return s;
}

static void add_programme(cs_join_t *j)
{
    cs_session_t p[] = {
        talk("2025-03-01", "10:00", "Room A", "Fast Tests for Slow Code", "Alice Chen"),
        talk("2025-03-01", "11:00", "Room A", "測試驅動開發入門", "王小明"),
        talk("2025-03-01", "12:00", "Room B", "Packaging in 2025", "Bob Li"),
        /* Two talks of one title: their title matches nothing. */
        talk("2025-03-02", "09:00", "Room A", "Lightning Talks", NULL),
        talk("2025-03-02", "17:00", "Room A", "Lightning talks!", NULL),
    };
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        assert_int_equal(cs_join_add_programme(j, &p[i], 100 + i), CS_OK);
}

static void expect(cs_join_t *j, cs_session_t notes, cs_join_reason_t want, size_t want_index)
{
    size_t index = 0;
    cs_join_reason_t why = CS_JOIN_NONE;
    assert_int_equal(cs_join_match(j, &notes, &index, &why), CS_OK);
    assert_string_equal(cs_join_reason_name(why), cs_join_reason_name(want));
    if (want != CS_JOIN_NONE)
        assert_int_equal(index, want_index);
}

static void test_match_slot_then_title(void **state)
{
    cs_join_t *j = *state;
    add_programme(j);
    /* Slot: the room written another way, the title a note-taker's own. */
    expect(j, talk("2025-03-01", "10:00", "ROOM-A", "tests talk", NULL), CS_JOIN_SLOT, 100);
    /* Title with the speaker left in it, no time given. */
    expect(j, talk("", "", NULL, "Fast tests for slow code (Alice Chen)", NULL), CS_JOIN_TITLE,
           100);
    expect(j, talk("", "", NULL, "Packaging in 2025 - Bob Li", NULL), CS_JOIN_TITLE, 102);
    /* Simplified characters and a full-width bracketed speaker. */
    expect(j, talk("", "", NULL, "测试驱动开发入门（王小明）", NULL), CS_JOIN_TITLE, 101);
    /* A slot nobody has and a suffix that is not the speaker. */
    expect(j, talk("2025-03-01", "15:00", "Room A", "Something else", NULL), CS_JOIN_NONE, 0);
    expect(j, talk("", "", NULL, "Packaging in 2025 - the sequel", NULL), CS_JOIN_NONE, 0);
    /* A title two programme talks share joins neither. */
    expect(j, talk("", "", NULL, "lightning talks", NULL), CS_JOIN_NONE, 0);
    /* A wrong time in the notes still joins by title. */
    expect(j, talk("2025-03-01", "10:05", "Room A", "Fast Tests for Slow Code", NULL),
           CS_JOIN_TITLE, 100);
}

static void test_match_by_hub_link(void **state)
{
    cs_join_t *j = *state;
    add_programme(j);
    cs_session_t hub = talk("2025-03-01", "12:00", "Room B", "Packaging", NULL);
    hub.link = (char *)"https://hackmd.io/PkgNotes2025?both";
    size_t index = 0;
    cs_join_reason_t why = CS_JOIN_NONE;
    assert_int_equal(cs_join_match(j, &hub, &index, &why), CS_OK);
    assert_int_equal(why, CS_JOIN_SLOT);
    assert_int_equal(cs_join_add_hub_link(j, &hub, index), CS_OK);

    cs_session_t own = talk("", "", NULL, "my notes", NULL);
    own.whole_file = true;
    own.source = (char *)"pads/pkgnotes2025.md";
    assert_int_equal(cs_join_match(j, &own, &index, &why), CS_OK);
    assert_int_equal(why, CS_JOIN_NONE);
    assert_int_equal(cs_join_match_link(j, &own, &index, &why), CS_OK);
    assert_int_equal(why, CS_JOIN_LINK);
    assert_int_equal(index, 102);

    own.source = (char *)"pads/other.md";
    assert_int_equal(cs_join_match_link(j, &own, &index, &why), CS_OK);
    assert_int_equal(why, CS_JOIN_NONE);
}

/* The own pad listed before the hub that links to it joins all the same. */
static void test_resolve_is_independent_of_order(void **state)
{
    cs_join_t *j = *state;
    add_programme(j);
    cs_session_t own = talk("", "", NULL, "my notes", NULL);
    own.whole_file = true;
    own.source = (char *)"pads/PkgNotes2025.txt";
    cs_session_t hub = talk("", "", NULL, "Packaging in 2025 (Bob Li)", NULL);
    hub.link = (char *)"https://pad.example/pkgnotes2025";
    cs_session_t lone = talk("", "", NULL, "Nothing like it", NULL);
    const cs_session_t *notes[] = {&own, &lone, &hub};
    size_t index[3];
    cs_join_reason_t why[3];
    assert_int_equal(cs_join_resolve(j, notes, 3, index, why), CS_OK);
    assert_int_equal(why[0], CS_JOIN_LINK);
    assert_int_equal(index[0], 102);
    assert_int_equal(why[1], CS_JOIN_NONE);
    assert_int_equal(why[2], CS_JOIN_TITLE);
    assert_int_equal(index[2], 102);
}

static void test_merge_takes_programme_metadata_and_notes_body(void **state)
{
    (void)state;
    cs_session_t p =
        talk("2025-03-01", "10:00", "Room A", "Fast Tests for Slow Code", "Alice Chen");
    strcpy(p.end_time, "10:45");
    p.track = (char *)"Testing";
    p.language = (char *)"en";
    p.abstract = (char *)"Why the suite takes an hour.";
    p.url = (char *)"https://conf.example/talk/1";
    p.id = (char *)"conf_2025-03-01_1000_Room-A";
    cs_session_t n = talk("2025-03-01", "10:05", "A", "fast tests (alice)", NULL);
    n.body = (char *)"- **pytest -x** stops at the first failure";
    n.body_len = strlen(n.body);
    n.text = (char *)"pytest -x stops at the first failure";
    n.text_len = strlen(n.text);
    n.source = (char *)"day1.md";
    n.line = 12;
    cs_session_t m;
    assert_int_equal(cs_join_merge(&p, &n, &m), CS_OK);
    assert_string_equal(m.title, "Fast Tests for Slow Code");
    assert_string_equal(m.time, "10:00");
    assert_string_equal(m.end_time, "10:45");
    assert_string_equal(m.room, "Room A");
    assert_string_equal(m.speakers[0], "Alice Chen");
    assert_int_equal(m.n_speakers, 1);
    assert_string_equal(m.track, "Testing");
    assert_string_equal(m.url, "https://conf.example/talk/1");
    assert_string_equal(m.abstract, "Why the suite takes an hour.");
    assert_string_equal(m.body, n.body);
    assert_string_equal(m.text, n.text);
    assert_string_equal(m.source, "day1.md");
    assert_int_equal(m.line, 12);
    cs_session_clear(&m);
}

/* The lines of out from the "join:" line on, sorted, in a NULL-ended array
 * of copies (one allocation: free the array). */
static char **join_lines(const char *out, size_t *n)
{
    const char *at = strstr(out, "\njoin:\n");
    assert_non_null(at);
    at += strlen("\njoin:\n");
    size_t len = strlen(at), count = 0;
    for (size_t i = 0; i < len; i++)
        count += at[i] == '\n';
    char **lines = malloc((count + 1) * sizeof *lines + len + 1);
    assert_non_null(lines);
    char *text = (char *)(lines + count + 1);
    memcpy(text, at, len + 1);
    *n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        lines[(*n)++] = line;
    lines[*n] = NULL;
    qsort(lines, *n, sizeof *lines, compare_lines);
    return lines;
}

static void test_explain_shows_the_demo_join_in_either_order(void **state)
{
    (void)state;
    char *forward[] = {(char *)CS_INDEXER_BIN,          (char *)"--explain",
                       (char *)DEMO "programme.json",   (char *)DEMO "day1.txt",
                       (char *)DEMO "day2.txt",         (char *)DEMO "day3-workshops.md",
                       (char *)DEMO "hallway-track.md", NULL};
    char *backward[] = {(char *)CS_INDEXER_BIN,          (char *)"--explain",
                        (char *)DEMO "hallway-track.md", (char *)DEMO "day3-workshops.md",
                        (char *)DEMO "day2.txt",         (char *)DEMO "day1.txt",
                        (char *)DEMO "programme.json",   NULL};
    cs_run_result_t a, b;
    assert_int_equal(cs_test_run(forward, 0, &a), 0);
    assert_int_equal(a.exit_code, 0);
    assert_int_equal(cs_test_run(backward, 0, &b), 0);
    assert_int_equal(b.exit_code, 0);
    size_t na = 0, nb = 0;
    char **la = join_lines(a.out, &na), **lb = join_lines(b.out, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_string_equal(la[i], lb[i]);
    static const char *const want[] = {
        "day1.txt:32 slot  用 asyncio 打造百萬連線的聊天室  => ",
        /* The programme moved this talk by five minutes. */
        "day2.txt:94 title 開源授權不踩雷 (GPL、MIT 與 Apache 2.0)  => ",
        /* Simplified in the notes, Traditional in the programme. */
        "hallway-track.md:10 title 用网络爬虫收集开放数据  => " DEMO
        "programme.json:1 用網路爬蟲收集開放資料",
        "programme.json:1 no notes yet: 測試金字塔倒過來之後：契約測試入門",
    };
    for (size_t k = 0; k < sizeof want / sizeof *want; k++)
        if (!strstr(a.out, want[k]))
            fail_msg("--explain lacks \"%s\":\n%s", want[k], a.out);
    /* 28 notes talks, all joined; one programme talk alone. */
    size_t none = 0, no_notes = 0;
    for (size_t i = 0; i < na; i++) {
        none += strstr(la[i], " none ") != NULL;
        no_notes += strstr(la[i], "no notes yet") != NULL;
    }
    assert_int_equal(na, 29);
    assert_int_equal(none, 0);
    assert_int_equal(no_notes, 1);
    free(la);
    free(lb);
    cs_test_run_free(&a);
    cs_test_run_free(&b);
}

static void test_explain_joins_a_hub_link_and_leaves_strangers_alone(void **state)
{
    (void)state;
    char *dir = cs_test_mkdtemp();
    assert_non_null(dir);
    char *prog = cs_test_path(dir, "schedule.json");
    char *hub = cs_test_path(dir, "hub.md");
    char *own = cs_test_path(dir, "ms23-3.md");
    char *stray = cs_test_path(dir, "stray.md");
    const char prog_text[] =
        "{\"schedule\": {\"version\": \"1\", \"conference\": {\"title\": \"Maple Summit 2023\",\n"
        " \"time_zone_name\": \"Asia/Taipei\", \"days\": [{\"index\": 1, \"date\": "
        "\"2023-09-09\",\n"
        " \"rooms\": {\"R1\": [{\"id\": 3, \"start\": \"11:00\", \"duration\": \"00:30\",\n"
        " \"room\": \"R1\", \"title\": \"Caching Without Tears!\", \"track\": \"Web\",\n"
        " \"persons\": [{\"public_name\": \"Omar Haddad\"}]}]}}]}}}\n";
    const char hub_text[] =
        "# Maple Summit 2023 共筆入口\n\n## 議程\n\n"
        "- [Caching without tears - Omar Haddad](https://hackmd.example.org/ms23-3)\n"
        "- [Lightning talks](https://hackmd.example.org/ms23-lt)\n";
    const char own_text[] = "Notes taken in the room.\n\nRedis first, then the CDN.\n";
    const char stray_text[] = "Some other day\n\nNothing to do with the programme.\n";
    assert_int_equal(cs_test_write_file(prog, prog_text, sizeof prog_text - 1), 0);
    assert_int_equal(cs_test_write_file(hub, hub_text, sizeof hub_text - 1), 0);
    assert_int_equal(cs_test_write_file(own, own_text, sizeof own_text - 1), 0);
    assert_int_equal(cs_test_write_file(stray, stray_text, sizeof stray_text - 1), 0);
    char *argv[] = {(char *)CS_INDEXER_BIN, (char *)"--explain", own, stray, hub, prog, NULL};
    cs_run_result_t r;
    assert_int_equal(cs_test_run(argv, 0, &r), 0);
    assert_int_equal(r.exit_code, 0);
    char want[3][1024];
    snprintf(want[0], sizeof want[0], "%s:1 link ", own);
    snprintf(want[1], sizeof want[1], "%s:1 none ", stray);
    snprintf(want[2], sizeof want[2], "%s:5 title Caching without tears", hub);
    for (size_t k = 0; k < 3; k++)
        if (!strstr(r.out, want[k]))
            fail_msg("--explain lacks \"%s\":\n%s", want[k], r.out);
    cs_test_run_free(&r);
    cs_test_rmtree(dir);
    free(prog);
    free(hub);
    free(own);
    free(stray);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_title_key_folds_width_case_punctuation_and_script,
                                        setup, teardown),
        cmocka_unit_test(test_pad_key),
        cmocka_unit_test_setup_teardown(test_match_slot_then_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match_by_hub_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_is_independent_of_order, setup, teardown),
        cmocka_unit_test(test_merge_takes_programme_metadata_and_notes_body),
        cmocka_unit_test(test_explain_shows_the_demo_join_in_either_order),
        cmocka_unit_test(test_explain_joins_a_hub_link_and_leaves_strangers_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
