/* test_recognise.c: the line recognisers of indexer/recognise.h, one table
 * per recogniser, hits and non-hits (what a line must NOT be read as
 * matters as much: a title taken for a room loses the talk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "recognise.h"

static void test_times(void **state)
{
    (void)state;
    static const struct {
        const char *in, *start, *end; /* start NULL: not a time */
    } rows[] = {
        {"9:10", "09:10", ""},
        {"14:00-15:00 Title", "14:00", "15:00"},
        {"14:00 ~ 15:30", "14:00", "15:30"},
        {"10:10~10:40", "10:10", "10:40"},
        {"14：20 全形", "14:20", ""},
        {"10:00〜10:45", "10:00", "10:45"},
        {"2:30 PM", "14:30", ""},
        {"12:15 am", "00:15", ""},
        /* a programme's afternoon written without pm, but not "07:30" */
        {"1:30~2:00", "13:30", "14:00"},
        {"07:30", "07:30", ""},
        {"8:00", "08:00", ""},
        {"24:00", NULL, NULL},
        {"9:7", NULL, NULL},
        {"123:00", NULL, NULL},
        {"2021/07/31", NULL, NULL},
        {"Title 14:00", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char start[6], end[6];
        size_t n = cs_rec_time(rows[i].in, start, end);
        if (!rows[i].start) {
            if (n)
                fail_msg("\"%s\" read as a time", rows[i].in);
            continue;
        }
        if (!n)
            fail_msg("\"%s\" not read as a time", rows[i].in);
        assert_string_equal(start, rows[i].start);
        assert_string_equal(end, rows[i].end);
    }
}

static void test_dates_days_weekdays(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int y, m, d; /* m 0: not a date */
    } dates[] = {
        {"2021/07/31", 2021, 7, 31}, {"2021-07-31", 2021, 7, 31},
        {"2021.07.31", 2021, 7, 31}, {"July 31", 0, 7, 31},
        {"Jul. 31st", 0, 7, 31},     {"31 July 2021", 2021, 7, 31},
        {"7月31日", 0, 7, 31},       {"2021年7月31日", 2021, 7, 31},
        {"8월 13일", 0, 8, 13},      {"7/31", 0, 7, 31},
        {"07/31", 0, 7, 31},         {"2/30", 0, 0, 0},
        {"13/01", 0, 0, 0},          {"9:10", 0, 0, 0},
        {"Maybe", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        cs_rec_date_t d;
        size_t n = cs_rec_date(dates[i].in, &d);
        if (!dates[i].m) {
            if (n)
                fail_msg("\"%s\" read as a date", dates[i].in);
            continue;
        }
        if (!n)
            fail_msg("\"%s\" not read as a date", dates[i].in);
        assert_int_equal(d.year, dates[i].y);
        assert_int_equal(d.month, dates[i].m);
        assert_int_equal(d.day, dates[i].d);
    }
    static const struct {
        const char *in;
        int day; /* 0: not a day */
    } days[] = {{"Day 2", 2},  {"Day2", 2},     {"DAY 2", 2},     {"Day Two", 2}, {"Day1: 9/15", 1},
                {"第二天", 2}, {"第2天", 2},    {"第十一日", 11}, {"1日目", 1},   {"2일차", 2},
                {"D1", 1},     {"Daylight", 0}, {"Day 1:30", 0},  {"Days", 0},    {"第二場", 0}};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        int day = 0;
        size_t n = cs_rec_day(days[i].in, &day);
        if (!days[i].day) {
            if (n)
                fail_msg("\"%s\" read as a day", days[i].in);
            continue;
        }
        if (!n)
            fail_msg("\"%s\" not read as a day", days[i].in);
        assert_int_equal(day, days[i].day);
    }
    static const char *const weekdays[] = {"Sat",    "Saturday", "(Sat.)", "（六）", "週六",
                                           "星期六", "（金）",   "(토)",   "Thurs"};
    for (size_t i = 0; i < sizeof weekdays / sizeof weekdays[0]; i++)
        if (cs_rec_weekday(weekdays[i]) != strlen(weekdays[i]))
            fail_msg("\"%s\" not read as a weekday", weekdays[i]);
    static const char *const not_weekdays[] = {"六", "Satellite", "Sun Microsystems", "金"};
    for (size_t i = 0; i < sizeof not_weekdays / sizeof not_weekdays[0]; i++)
        if (cs_rec_weekday(not_weekdays[i]) == strlen(not_weekdays[i]))
            fail_msg("\"%s\" read as a weekday", not_weekdays[i]);
}

static void test_rooms(void **state)
{
    (void)state;
    static const struct {
        const char *in, *room; /* room NULL: not a room */
    } rows[] = {
        {"R1", "R1"},
        {"TR313", "TR313"},
        {"Room 101", "Room 101"},
        {"Hall A", "Hall A"},
        {"Main Hall", "Main Hall"},
        {"視聽教室", "視聽教室"},
        {"第一會議室", "第一會議室"},
        {"演講廳", "演講廳"},
        {"R1、R2", "R1, R2"},
        {"@R0、R1", "R0, R1"},
        {"Keynote", NULL},
        {"Python", NULL},
        {"深度學習", NULL},
        {"A", NULL},
        {"Room for improvement", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char room[64];
        bool ok = cs_rec_room(rows[i].in, room, sizeof room);
        if (!rows[i].room) {
            if (ok)
                fail_msg("\"%s\" read as a room", rows[i].in);
            continue;
        }
        if (!ok)
            fail_msg("\"%s\" not read as a room", rows[i].in);
        assert_string_equal(room, rows[i].room);
    }
}

static void test_context_lines(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
        int day;
        const char *date, *time, *room, *conference;
    } rows[] = {
        {"Day 2 (2021/07/31 Sat)", true, 2, "2021-07-31", "", "", ""},
        {"Day 2 - 2021-07-31 - Sat", true, 2, "2021-07-31", "", "", ""},
        {"7/31 Day2", true, 2, "2021-07-31", "", "", ""},
        {"第一天 7/31（六）", true, 1, "2021-07-31", "", "", ""},
        {"8월 13일 (토)", true, 0, "2021-08-13", "", "", ""},
        {"14:00 ~ 15:30", true, 0, "", "14:00", "", ""},
        {"R1、R2", true, 0, "", "", "R1, R2", ""},
        {"Day 1 議程", true, 1, "", "", "", ""},
        {"PyCon APAC 2015 - Day 1 (June 5)", true, 1, "2021-06-05", "", "", "PyCon APAC 2015"},
        {"MyConf 2021 Day 2", true, 2, "", "", "", "MyConf 2021"},
        /* A full-width parenthesis before the day is no part of the name
         * (the name kept its "（"). */
        {"MyConf 2021（Day 2）", true, 2, "", "", "", "MyConf 2021"},
        {"開源研討會 2021（7/31）", true, 0, "2021-07-31", "", "", "開源研討會 2021"},
        {"Lantern JS Day 2019", false, 0, "", "", "", ""},
        {"Opening Keynote", false, 0, "", "", "", ""},
        {"14:20 Title - Alice Wu", false, 0, "", "", "", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cs_rec_context_t c;
        bool ok = cs_rec_context(rows[i].in, &c);
        if (ok != rows[i].ok)
            fail_msg("\"%s\": context %d, want %d", rows[i].in, ok, rows[i].ok);
        if (!ok)
            continue;
        char iso[11];
        cs_rec_iso_date(&c.date, 2021, iso);
        assert_int_equal(c.day_number, rows[i].day);
        assert_string_equal(iso, rows[i].date);
        assert_string_equal(c.time, rows[i].time);
        assert_string_equal(c.room, rows[i].room);
        assert_string_equal(c.conference, rows[i].conference);
    }
}

static void test_brackets(void **state)
{
    (void)state;
    cs_rec_bracket_t b;
    const char *line = "[14:30-15:00][Room 101] Async IO (Alice Wu、Bob Lin)";
    assert_true(cs_rec_bracket(line, strlen(line), &b));
    assert_string_equal(b.time, "14:30");
    assert_string_equal(b.end_time, "15:00");
    assert_string_equal(b.room, "Room 101");
    assert_int_equal(b.title_len, strlen("Async IO"));
    assert_int_equal(b.speaker_len, strlen("Alice Wu、Bob Lin"));
    line = "[9:10][R1][R2] Both rooms";
    assert_true(cs_rec_bracket(line, strlen(line), &b));
    assert_string_equal(b.room, "R1, R2");
    line = "[9:10][演講廳] 開場";
    assert_true(cs_rec_bracket(line, strlen(line), &b));
    assert_string_equal(b.room, "演講廳");
    line = "[25:00][R0] x";
    assert_true(cs_rec_bracket(line, strlen(line), &b));
    assert_true(b.bad_time);
    /* given with a length and no NUL after it: nothing past it is read */
    char cut[] = {'[', '9', ':', '1', '0', ']', '[', 'R', '0', ']', ' ', 'T'};
    assert_true(cs_rec_bracket(cut, sizeof cut, &b));
    assert_int_equal(b.title_len, 1);
    static const char *const not_headers[] = {"[9:10] x (Y)", "[9:10][R 0] x", "[link](url)",
                                              "x [9:10][R0] y"};
    for (size_t i = 0; i < sizeof not_headers / sizeof not_headers[0]; i++)
        if (cs_rec_bracket(not_headers[i], strlen(not_headers[i]), &b) && !b.bad_time)
            fail_msg("\"%s\" read as a bracket header", not_headers[i]);
}

static void test_titles_and_speakers(void **state)
{
    (void)state;
    static const struct {
        const char *in, *title, *speakers; /* speakers NULL: none found */
    } rows[] = {
        {"Fast Python — 王小明", "Fast Python", "王小明"},
        {"Alice Wu: Building things", "Building things", "Alice Wu"},
        {"Title by Bob Lin", "Title", "Bob Lin"},
        {"「深度學習入門」 by 陳大文", "深度學習入門", "陳大文"},
        {"How to test - 王小明、李大華", "How to test", "王小明、李大華"},
        {"開源貢獻的第一步 (許家豪 / 謝宜庭)", "開源貢獻的第一步", "許家豪 / 謝宜庭"},
        {"時間序列資料庫比較 by Sam Liao / Tina Hung", "時間序列資料庫比較",
         "Sam Liao / Tina Hung"},
        {"Henry Su / Rita Shih：TypeScript 5 年導入回顧", "TypeScript 5 年導入回顧",
         "Henry Su / Rita Shih"},
        {"Tomás Rivera - Async Is Not Magic", "Async Is Not Magic", "Tomás Rivera"},
        {"3. Title", "Title", NULL},
        {"Talk: Writing Tests", "Writing Tests", NULL},
        {"議程一：資料管線", "資料管線", NULL},
        {"🔸當我們談論 Python", "當我們談論 Python", NULL},
        /* not a speaker: words, a weekday, a section */
        {"Keynote: The future", "Keynote: The future", NULL},
        {"實際案例：找出慢的 syscall", "實際案例：找出慢的 syscall", NULL},
        {"Part 1 - Setup", "Part 1 - Setup", NULL},
        {"Title (by pytest)", "Title (by pytest)", NULL},
        {"Day 2 (Sat)", "Day 2 (Sat)", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *title = NULL, *speakers = NULL;
        bool split = cs_rec_title_speakers(rows[i].in, &title, &speakers);
        if (split != (rows[i].speakers != NULL))
            fail_msg("\"%s\": split %d (\"%s\" | \"%s\")", rows[i].in, split, title,
                     speakers ? speakers : "");
        assert_string_equal(title, rows[i].title);
        if (rows[i].speakers)
            assert_string_equal(speakers, rows[i].speakers);
        free(title);
        free(speakers);
    }
    static const struct {
        const char *group;
        const char *names[3];
    } groups[] = {
        {"Alice Wu@某大學, Bob Chen", {"Alice Wu", "Bob Chen", NULL}},
        {"王小明 與 李大華", {"王小明", "李大華", NULL}},
        {"李承翰 (Ray) / 72Shop Agile Coach", {"李承翰", NULL, NULL}},
        {"范詠晴 Yung-Ching Fan", {"范詠晴", NULL, NULL}},
        {"A & B and C", {"A", "B", "C"}},
    };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        char *names[8] = {NULL};
        cs_rec_split_speakers(groups[i].group, names, 8);
        for (size_t k = 0; k < 3; k++) {
            if (!groups[i].names[k]) {
                assert_null(names[k]);
                break;
            }
            assert_non_null(names[k]);
            assert_string_equal(names[k], groups[i].names[k]);
        }
        for (size_t k = 0; k < 8; k++)
            free(names[k]);
    }
}

static void test_speaker_and_field_lines(void **state)
{
    (void)state;
    char *s = cs_rec_speaker_line("講者：王小明");
    assert_string_equal(s, "王小明");
    free(s);
    s = cs_rec_speaker_line("- speaker: Alice Wu, Bob");
    assert_string_equal(s, "Alice Wu, Bob");
    free(s);
    assert_null(cs_rec_speaker_line("The speaker said hello"));

    cs_rec_fields_t f;
    assert_true(cs_rec_fields("Time: 09:00 ~ 09:30 | Room: Main Stage", &f));
    assert_string_equal(f.time, "09:00");
    assert_string_equal(f.end_time, "09:30");
    assert_string_equal(f.room, "Main Stage");
    assert_null(f.speakers);
    assert_true(cs_rec_fields("Time: 10:50 AM, Room 26A", &f));
    assert_string_equal(f.time, "10:50");
    assert_string_equal(f.room, "Room 26A");
    assert_true(cs_rec_fields("- 9:20 AM, main hall", &f));
    assert_string_equal(f.room, "main hall");
    assert_true(cs_rec_fields("日期：2022/03/19 (六)", &f));
    assert_int_equal(f.date.day, 19);
    assert_true(cs_rec_fields("* 발표자: 김서연", &f));
    assert_string_equal(f.speakers, "김서연");
    free(f.speakers);
    /* a time inside a sentence is not a field */
    assert_false(cs_rec_fields("- 10:30 之前的 build 特別慢", &f));
    assert_false(cs_rec_fields("We met at: the venue", &f));
}

static void test_sections_and_breaks(void **state)
{
    (void)state;
    static const char *const sections[] = {"Q&A",      "參考資料", "Slides",
                                           "## Links", "目錄",     "Action Items"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!cs_rec_is_section_name(sections[i]))
            fail_msg("\"%s\" is not a section name", sections[i]);
    static const char *const breaks[] = {"午餐時間", "Coffee break", "報到、領取識別證", "ランチ",
                                         "Lunch"};
    for (size_t i = 0; i < sizeof breaks / sizeof breaks[0]; i++)
        if (!cs_rec_is_programme_break(breaks[i]))
            fail_msg("\"%s\" is not a programme break", breaks[i]);
    static const char *const talks[] = {"Breaking changes in Python 3.12", "Photography with Go",
                                        "深度學習入門", "Lightning Talks"};
    for (size_t i = 0; i < sizeof talks / sizeof talks[0]; i++)
        if (cs_rec_is_programme_break(talks[i]) || cs_rec_is_section_name(talks[i]))
            fail_msg("\"%s\" taken for a break or section", talks[i]);
    assert_true(cs_rec_is_lightning("閃電講"));
    assert_true(cs_rec_is_lightning("Lightning Talks"));
    assert_false(cs_rec_is_lightning("Lightning fast Python"));
    assert_int_equal(cs_rec_year_in("myconf-2021-day2.md"), 2021);
    assert_int_equal(cs_rec_year_in("pycontw2021"), 2021);
    assert_int_equal(cs_rec_year_in("room 12345"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_dates_days_weekdays),
        cmocka_unit_test(test_rooms),
        cmocka_unit_test(test_context_lines),
        cmocka_unit_test(test_brackets),
        cmocka_unit_test(test_titles_and_speakers),
        cmocka_unit_test(test_speaker_and_field_lines),
        cmocka_unit_test(test_sections_and_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
