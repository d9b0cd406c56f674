/* test_schedule.c: official programmes (indexer/schedule.h): format sniffing,
 * the frab JSON and XML readers agreeing talk for talk, iCalendar time
 * zones (TZID, UTC with X-WR-TIMEZONE, a DST change), all-day events,
 * folding and escapes, clear errors for broken files, and confsearch-index
 * taking a programme and notes in one run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "schema.h"
#include "test_util.h"
#include "xapian-c.h"

#define FIXTURES CS_SOURCE_DIR "/tests/fixtures/schedules/"

typedef struct {
    char messages[2048];
    unsigned lines[16];
    size_t n;
} warnings_t;

static void keep_warning(const char *source, unsigned line, const char *message, void *ctx)
{
    warnings_t *w = ctx;
    (void)source;
    if (w->n < 16)
        w->lines[w->n] = line;
    w->n++;
    size_t used = strlen(w->messages);
    snprintf(w->messages + used, sizeof w->messages - used, "%u: %s\n", line, message);
}

/* The programme in file name (under FIXTURES), read with warnings kept. */
static cs_pad_t *parse_fixture(const char *name, warnings_t *w)
{
    char path[512];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    size_t len = 0;
    char *text = cs_test_read_file(path, &len);
    assert_non_null(text);
    cs_pad_t *pad = NULL;
    char *err = NULL;
    cs_status_t st = cs_schedule_parse(text, len, name, keep_warning, w, &pad, &err);
    if (st != CS_OK)
        fail_msg("%s: %s (%s)", name, cs_status_to_string(st), err ? err : "");
    free(text);
    return pad;
}

/* The talk of pad with this title, or a failure. */
static const cs_session_t *talk(const cs_pad_t *pad, const char *title)
{
    for (size_t i = 0; i < pad->n_sessions; i++)
        if (strcmp(pad->sessions[i].title, title) == 0)
            return &pad->sessions[i];
    fail_msg("no talk \"%s\"", title);
    return NULL;
}

static const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

static void test_sniff_tells_formats_by_content(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        cs_schedule_kind_t kind;
    } cases[] = {
        {"{\"schedule\": {\"conference\": {}}}", CS_SCHEDULE_FRAB_JSON},
        {"\xEF\xBB\xBF  \n{\n  \"$schema\": \"x\",\n  \"schedule\": {}}", CS_SCHEDULE_FRAB_JSON},
        {"{\"notes\": \"not a programme\"}", CS_SCHEDULE_NONE},
        {"<?xml version='1.0'?>\n<!-- made by hand -->\n<schedule>\n</schedule>",
         CS_SCHEDULE_FRAB_XML},
        {"<!DOCTYPE schedule [<!ENTITY a \"b\">]>\n<schedule version=\"1\"/>",
         CS_SCHEDULE_FRAB_XML},
        {"<schedules></schedules>", CS_SCHEDULE_NONE},
        {"<html><body>schedule</body></html>", CS_SCHEDULE_NONE},
        {"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", CS_SCHEDULE_ICAL},
        {"\n\nbegin:vcalendar\nend:vcalendar\n", CS_SCHEDULE_ICAL},
        {"# Notes\n\nBEGIN:VCALENDAR is how an .ics starts\n", CS_SCHEDULE_NONE},
        {"PyCon APAC 2015 - Day 1 (June 5)\n[9:10][R0] Keynote (Van Lindberg)\n", CS_SCHEDULE_NONE},
        {"", CS_SCHEDULE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cs_schedule_kind_t got = cs_schedule_sniff(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].kind)
            fail_msg("case %zu: %s, want %s", i, cs_schedule_kind_name(got),
                     cs_schedule_kind_name(cases[i].kind));
    }
    assert_int_equal(cs_schedule_sniff(NULL, 0), CS_SCHEDULE_NONE);
}

static void assert_same_string(const char *what, const char *a, const char *b, size_t i)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("talk %zu: %s differs: \"%s\" vs \"%s\"", i, what, or_null(a), or_null(b));
}

static void test_frab_json_and_xml_give_identical_talks(void **state)
{
    (void)state;
    warnings_t wj = {0}, wx = {0};
    cs_pad_t *json = parse_fixture("lantern-harbour.json", &wj);
    cs_pad_t *xml = parse_fixture("lantern-harbour.xml", &wx);
    assert_int_equal(wj.n, 0);
    assert_int_equal(wx.n, 0);
    assert_int_equal(json->n_sessions, 10);
    assert_int_equal(xml->n_sessions, json->n_sessions);
    for (size_t i = 0; i < json->n_sessions; i++) {
        const cs_session_t *a = &json->sessions[i], *b = &xml->sessions[i];
        assert_same_string("conference", a->conference, b->conference, i);
        assert_int_equal(a->day, b->day);
        assert_same_string("date", a->date, b->date, i);
        assert_same_string("time", a->time, b->time, i);
        assert_same_string("end_time", a->end_time, b->end_time, i);
        assert_same_string("room", a->room, b->room, i);
        assert_same_string("title", a->title, b->title, i);
        assert_same_string("speaker", a->speaker, b->speaker, i);
        assert_int_equal(a->n_speakers, b->n_speakers);
        for (size_t k = 0; k < a->n_speakers; k++)
            assert_same_string("speakers", a->speakers[k], b->speakers[k], i);
        assert_same_string("body", a->body, b->body, i);
        assert_same_string("track", a->track, b->track, i);
        assert_same_string("language", a->language, b->language, i);
        assert_same_string("abstract", a->abstract, b->abstract, i);
        assert_same_string("description", a->description, b->description, i);
        assert_same_string("url", a->url, b->url, i);
        assert_null(a->link);
        assert_false(a->whole_file);
        /* Only the XML parser gives lines. */
        assert_int_equal(a->line, 1);
        assert_true(b->line > 1);
    }
    cs_pad_free(json);
    cs_pad_free(xml);
}

static void test_frab_fields(void **state)
{
    (void)state;
    warnings_t w = {0};
    cs_pad_t *pad = parse_fixture("lantern-harbour.xml", &w);
    /* Sorted by day, date, time; one slot's talks in file order. */
    assert_string_equal(pad->sessions[0].title,
                        "Keynote: Lanterns, Lighthouses and Long-lived Code");
    assert_string_equal(pad->sessions[9].title, "Workshop: Fuzzing C parsers with libFuzzer");
    const cs_session_t *ws = talk(pad, "Workshop: Building a search engine in C");
    assert_string_equal(ws->conference, "Lantern Harbour Conf 2026");
    assert_int_equal(ws->day, 1);
    assert_string_equal(ws->date, "2026-05-16");
    assert_string_equal(ws->time, "10:00");
    assert_string_equal(ws->end_time, "11:30"); /* 90 minutes */
    assert_string_equal(ws->room, "Workshop Room");
    assert_int_equal(ws->n_speakers, 2);
    assert_string_equal(ws->speakers[0], "José Núñez");
    assert_string_equal(ws->speakers[1], "Zoë Brontë");
    assert_string_equal(ws->speaker, "José Núñez, Zoë Brontë");
    assert_string_equal(ws->track, "Workshop");
    assert_string_equal(ws->language, "en");
    assert_string_equal(ws->url, "https://programme.lanternharbour.example/2026/talk/T106/");
    assert_string_equal(ws->body, "");
    assert_int_equal(ws->body_len, 0);
    assert_non_null(strstr(ws->description, "BM25"));
    const cs_session_t *pbt = talk(pad, "Property-based testing for the impatient");
    assert_string_equal(pbt->abstract,
                        "Let the computer find the edge cases <before> your users do.");
    assert_string_equal(pbt->description,
                        "Hypothesis & QuickCheck compared; shrinking explained with one example.");
    const cs_session_t *db = talk(pad, "資料庫備份的最後一哩路");
    assert_int_equal(db->day, 2);
    assert_string_equal(db->room, "R1");
    assert_string_equal(db->speakers[0], "李佳蓉");
    assert_string_equal(db->language, "zh-tw");
    const cs_session_t *lt = talk(pad, "Lightning talks");
    assert_int_equal(lt->n_speakers, 0);
    assert_null(lt->speaker);
    assert_null(lt->description); /* empty in the file */
    assert_string_equal(lt->room, "R0 主廳");
    cs_pad_free(pad);
}

static void test_frab_oddities_are_warned_with_their_line(void **state)
{
    (void)state;
    const char xml[] = "<schedule>\n"
                       "<conference><title>Odd Conf</title></conference>\n"
                       "<day index='1' date='2026-01-02'><room name='A'>\n"
                       "<event><title></title><start>09:00</start></event>\n"
                       "<event><title>Late</title><start>25:00</start><duration>1h</duration>"
                       "</event>\n"
                       "<event><start>10:00</start><title>Roomless &amp; dateless</title>"
                       "<room></room></event>\n"
                       "</room></day></schedule>\n";
    warnings_t w = {0};
    cs_pad_t *pad = NULL;
    char *err = NULL;
    assert_int_equal(cs_schedule_parse(xml, strlen(xml), "odd.xml", keep_warning, &w, &pad, &err),
                     CS_OK);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].title, "Late"); /* no time sorts first */
    assert_string_equal(pad->sessions[0].time, "");
    assert_string_equal(pad->sessions[0].end_time, "");
    assert_string_equal(pad->sessions[1].title, "Roomless & dateless");
    assert_string_equal(pad->sessions[1].room, "A"); /* the <room name> around it */
    assert_string_equal(pad->sessions[1].date, "2026-01-02");
    assert_int_equal(pad->sessions[1].line, 6);
    assert_int_equal(w.n, 3);
    assert_int_equal(w.lines[0], 4);
    assert_int_equal(w.lines[1], 5);
    assert_int_equal(w.lines[2], 5);
    assert_non_null(strstr(w.messages, "without a title"));
    assert_non_null(strstr(w.messages, "\"25:00\""));
    cs_pad_free(pad);
}

static void test_ical_tzid_with_vtimezone(void **state)
{
    (void)state;
    warnings_t w = {0};
    cs_pad_t *pad = parse_fixture("taipei-tzid.ics", &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(pad->n_sessions, 3);
    const cs_session_t *open = &pad->sessions[0];
    assert_string_equal(open->title, "開場演講：港口城市的開源十年");
    assert_string_equal(open->conference, "港都開源日 2026");
    assert_int_equal(open->day, 1);
    assert_string_equal(open->date, "2026-06-06");
    assert_string_equal(open->time, "09:30");
    assert_string_equal(open->end_time, "10:15");
    assert_string_equal(open->room, "國際會議廳");
    assert_string_equal(open->language, "zh-TW");
    assert_string_equal(open->track, "Keynote");
    assert_string_equal(open->url, "https://gangdu.example.org/2026/talks/opening");
    assert_int_equal(open->n_speakers, 1);
    assert_string_equal(open->speakers[0], "黃美玲");
    /* The speaker line is taken out of the description. */
    assert_string_equal(open->description, "從第一場小聚到千人年會。");
    assert_int_equal(open->line, 14);
    const cs_session_t *go = &pad->sessions[1];
    assert_string_equal(go->end_time, "11:10"); /* DURATION:PT40M */
    assert_string_equal(go->track, "Go");       /* the first category */
    assert_string_equal(go->description, "Slices, not copies.");
    /* Attendees' CNs, not the organiser. */
    assert_int_equal(go->n_speakers, 2);
    assert_string_equal(go->speakers[0], "Ömer Çelik");
    assert_string_equal(go->speakers[1], "Tan, Mei Ling");
    assert_int_equal(pad->sessions[2].day, 2);
    assert_string_equal(pad->sessions[2].time, "14:00");
    cs_pad_free(pad);
}

static void test_ical_utc_shown_in_wr_timezone(void **state)
{
    (void)state;
    warnings_t w = {0};
    cs_pad_t *pad = parse_fixture("utc-wr-timezone.ics", &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(pad->n_sessions, 2);
    assert_string_equal(pad->sessions[0].date, "2026-05-16");
    assert_string_equal(pad->sessions[0].time, "09:00"); /* 01:00Z in Taipei */
    assert_string_equal(pad->sessions[0].end_time, "09:45");
    assert_string_equal(pad->sessions[0].speakers[0], "Ana Lúcia Ferreira");
    assert_string_equal(pad->sessions[0].speakers[1], "Kenji Sato");
    assert_null(pad->sessions[0].description);
    /* 17:30Z on the 16th is half past one on the 17th, a new day. */
    assert_string_equal(pad->sessions[1].date, "2026-05-17");
    assert_string_equal(pad->sessions[1].time, "01:30");
    assert_string_equal(pad->sessions[1].end_time, "02:30");
    assert_int_equal(pad->sessions[1].day, 2);
    cs_pad_free(pad);

    /* Without X-WR-TIMEZONE, UTC stays UTC, and the indexer says so once. */
    const char ics[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260516T010000Z\r\n"
                       "SUMMARY:A\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20260516T020000Z\r\n"
                       "SUMMARY:B\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    warnings_t w2 = {0};
    char *err = NULL;
    assert_int_equal(cs_schedule_parse(ics, strlen(ics), "utc.ics", keep_warning, &w2, &pad, &err),
                     CS_OK);
    assert_string_equal(pad->sessions[0].time, "01:00");
    assert_string_equal(pad->sessions[0].end_time, ""); /* neither DTEND nor DURATION */
    assert_int_equal(w2.n, 1);
    assert_int_equal(w2.lines[0], 2);
    assert_non_null(strstr(w2.messages, "UTC"));
    cs_pad_free(pad);
}

static void test_ical_across_a_dst_change(void **state)
{
    (void)state;
    warnings_t w = {0};
    cs_pad_t *pad = parse_fixture("berlin-dst.ics", &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(pad->n_sessions, 4);
    /* 08:00Z is 09:00 in winter time (CET, +1)... */
    assert_string_equal(pad->sessions[0].date, "2026-03-28");
    assert_string_equal(pad->sessions[0].time, "09:00");
    assert_string_equal(pad->sessions[0].end_time, "10:00");
    /* ...four hours from 23:30 end at 04:30, the clock having skipped one
     * (DURATION is exact time, not the wall clock)... */
    assert_string_equal(pad->sessions[1].time, "23:30");
    assert_string_equal(pad->sessions[1].end_time, "04:30");
    /* ...local times in the zone stay as written across the change... */
    assert_string_equal(pad->sessions[2].date, "2026-03-29");
    assert_string_equal(pad->sessions[2].time, "01:30");
    assert_string_equal(pad->sessions[2].end_time, "03:30");
    /* ...and 08:00Z is 10:00 the day after, in summer time (CEST, +2). */
    assert_string_equal(pad->sessions[3].title, "Sunday opening (summer time)");
    assert_string_equal(pad->sessions[3].time, "10:00");
    assert_string_equal(pad->sessions[3].end_time, "11:00");
    assert_string_equal(pad->sessions[3].speakers[0], "Jürgen Weiß");
    assert_int_equal(pad->sessions[3].day, 2);
    cs_pad_free(pad);
}

static void test_ical_all_day_folded_and_escaped(void **state)
{
    (void)state;
    warnings_t w = {0};
    cs_pad_t *pad = parse_fixture("allday-folded.ics", &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(pad->n_sessions, 2); /* the cancelled event is left out */
    const cs_session_t *sprint = &pad->sessions[0];
    assert_string_equal(sprint->title, "Sprint day: all rooms, all day");
    assert_string_equal(sprint->conference, "Folded, Escaped & Co. 2026");
    assert_string_equal(sprint->date, "2026-09-12");
    assert_string_equal(sprint->time, "");
    assert_string_equal(sprint->end_time, "");
    assert_int_equal(sprint->day, 1);
    const cs_session_t *ws = &pad->sessions[1];
    assert_string_equal(ws->title, "A very long workshop title that an exporter folded at "
                                   "seventy-five octets; with a semicolon");
    assert_string_equal(ws->room, "Room 1, upstairs");
    assert_string_equal(ws->time, "10:00");
    assert_string_equal(ws->end_time, "11:30");
    assert_int_equal(ws->n_speakers, 2);
    assert_string_equal(ws->speakers[0], "Åsa Lindqvist");
    assert_string_equal(ws->speakers[1], "Björn Ek");
    assert_string_equal(ws->description, "First line\nThird line has a folded tail, commas; "
                                         "semicolons and a backslash \\ too.");
    assert_string_equal(ws->track, "Workshops");
    assert_int_equal(ws->line, 13);
    cs_pad_free(pad);
}

static void test_broken_files_name_the_file_and_line(void **state)
{
    (void)state;
    static const struct {
        const char *source, *text, *error;
    } cases[] = {
        {"cut.json", "{\"schedule\": {\"conference\": {\n\"title\": \"X\",\n\"days\": [",
         "cut.json:3: not valid JSON"},
        {"shape.json", "{\"schedule\": 1}",
         "shape.json: frab JSON without schedule.conference.days"},
        {"bad.xml", "<schedule>\n<conference>\n<title>X</titel>\n</conference></schedule>",
         "bad.xml:3: not valid XML"},
        {"cut.xml", "<?xml version='1.0'?>\n<schedule>\n<day index='1'>\n<room name='A'>",
         "cut.xml:4: not valid XML"},
        {"cut.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:2026",
         "cut.ics:4: the file ends inside BEGIN:VEVENT of line 2 (truncated?)"},
        {"crossed.ics", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VCALENDAR\nEND:VEVENT\n",
         "crossed.ics:4: END:VCALENDAR where BEGIN:VEVENT of line 2 is open"},
        {"notes.md", "# Just notes\n", "notes.md: not a programme"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cs_pad_t *pad = (cs_pad_t *)1;
        char *err = NULL;
        cs_status_t st = cs_schedule_parse(cases[i].text, strlen(cases[i].text), cases[i].source,
                                           NULL, NULL, &pad, &err);
        if (st != CS_ERR_FORMAT || !err || strncmp(err, cases[i].error, strlen(cases[i].error)))
            fail_msg("case %zu: %s, \"%s\"; want \"%s\"", i, cs_status_to_string(st), or_null(err),
                     cases[i].error);
        assert_null(pad);
        free(err);
    }
    /* An error message is optional; the status is not. */
    cs_pad_t *pad = NULL;
    assert_int_equal(cs_schedule_parse("{\"schedule\": [", 14, "x.json", NULL, NULL, &pad, NULL),
                     CS_ERR_FORMAT);
    assert_int_equal(cs_schedule_parse("x", 1, NULL, NULL, NULL, &pad, NULL), CS_ERR_NULL_ARG);
}

static void test_xml_entities_are_not_expanded(void **state)
{
    (void)state;
    const char xml[] =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE schedule [<!ENTITY boom \"BOOM\">"
        "<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\n"
        "<schedule><conference><title>E&amp;E &boom;</title></conference>\n"
        "<day index='1' date='2026-01-02'><room name='A'>\n"
        "<event><title>Talk &ext;&boom;&#x263A;</title><start>09:00</start></event>\n"
        "</room></day></schedule>\n";
    cs_pad_t *pad = NULL;
    char *err = NULL;
    assert_int_equal(cs_schedule_parse(xml, strlen(xml), "e.xml", NULL, NULL, &pad, &err), CS_OK);
    assert_int_equal(pad->n_sessions, 1);
    assert_string_equal(pad->sessions[0].conference, "E&E");
    assert_string_equal(pad->sessions[0].title, "Talk \xE2\x98\xBA");
    cs_pad_free(pad);
}

static void test_new_fields_survive_the_stored_json(void **state)
{
    (void)state;
    warnings_t w = {0};
    cs_pad_t *pad = parse_fixture("lantern-harbour.json", &w);
    cs_session_t *s = &pad->sessions[0];
    char id[CS_MAX_ID_BYTES];
    cs_schema_session_id(s, id);
    assert_string_equal(id, "lantern-harbour-conf-2026_2026-05-16_0900_R0");
    s->id = strdup(id);
    char *json = cs_schema_session_to_json(s);
    assert_non_null(json);
    cs_session_t back;
    assert_int_equal(cs_schema_session_from_json(json, strlen(json), &back), CS_OK);
    assert_string_equal(back.track, s->track);
    assert_string_equal(back.language, s->language);
    assert_string_equal(back.abstract, s->abstract);
    assert_string_equal(back.description, s->description);
    assert_string_equal(back.url, s->url);
    assert_string_equal(back.end_time, "09:45");
    cs_session_clear(&back);
    free(json);
    /* A notes talk stores no such keys. */
    cs_session_t plain = {
        .id = (char *)"x", .title = (char *)"t", .body = (char *)"b", .body_len = 1};
    json = cs_schema_session_to_json(&plain);
    assert_null(strstr(json, "\"track\""));
    assert_null(strstr(json, "\"abstract\""));
    free(json);
    cs_pad_free(pad);
}

/* confsearch-index with a programme, notes and a broken calendar: the
 * broken file is named with its line and counted, the rest is indexed, and
 * a programme talk's abstract and description are searchable text. */
static void test_indexer_takes_a_programme_with_notes(void **state)
{
    (void)state;
    char *dir = cs_test_mkdtemp();
    assert_non_null(dir);
    char *db = cs_test_path(dir, "talks.db");
    char *notes = cs_test_path(dir, "day1.txt");
    char *broken = cs_test_path(dir, "broken.ics");
    /* Named .txt: the kind of file is told by its content. */
    char *programme = cs_test_path(dir, "programme.txt");
    size_t len = 0;
    char *text = cs_test_read_file(FIXTURES "lantern-harbour.json", &len);
    assert_non_null(text);
    assert_int_equal(cs_test_write_file(programme, text, len), 0);
    free(text);
    const char notes_text[] = "Demo Conf 2026 - Day 1 (2026-03-14)\n"
                              "[9:00][R1] Zebra Testing (Ana Liu)\nzebras are here\n";
    assert_int_equal(cs_test_write_file(notes, notes_text, sizeof notes_text - 1), 0);
    const char broken_text[] = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:cut off\n";
    assert_int_equal(cs_test_write_file(broken, broken_text, sizeof broken_text - 1), 0);

    char *argv[] = {(char *)CS_INDEXER_BIN, (char *)"--db", db, programme, broken, notes, NULL};
    cs_run_result_t r;
    assert_int_equal(cs_test_run(argv, 0, &r), 0);
    assert_int_equal(r.exit_code, 1);
    char where[1024];
    snprintf(where, sizeof where, "%s:3: the file ends inside BEGIN:VEVENT of line 2", broken);
    if (!strstr(r.err, where))
        fail_msg("stderr lacks \"%s\":\n%s", where, r.err);
    assert_non_null(strstr(r.out, "11 talks"));
    cs_test_run_free(&r);

    xc_database_t *x = NULL;
    char *err = NULL;
    assert_int_equal(xc_database_open(db, &x, &err), XC_OK);
    uint32_t n = 0;
    assert_int_equal(xc_database_get_doccount(x, &n), XC_OK);
    assert_int_equal(n, 11);
    static const char *const terms[] = {
        "inverted", /* an abstract */
        "bm25",     /* a description */
        "zebras",   /* the notes */
        "XDAY:2",   /* the programme's day 2 */
        "Qlantern-harbour-conf-2026_2026-05-16_1000_Workshop-Room",
    };
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++) {
        uint32_t freq = 0;
        assert_int_equal(xc_database_get_termfreq(x, terms[i], strlen(terms[i]), &freq), XC_OK);
        if (freq == 0)
            fail_msg("no document has the term %s", terms[i]);
    }
    xc_database_destroy(x);

    /* --explain shows the programme's talks too. */
    char *explain[] = {(char *)CS_INDEXER_BIN, (char *)"--explain", programme, NULL};
    assert_int_equal(cs_test_run(explain, 0, &r), 0);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "10:00-11:30 Workshop Room Workshop: Building a search engine"));
    assert_non_null(strstr(r.out, "[Workshop]"));
    assert_non_null(strstr(r.out, "10 talks, conference Lantern Harbour Conf 2026"));
    cs_test_run_free(&r);

    cs_test_rmtree(dir);
    free(dir), free(db), free(notes), free(broken), free(programme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_tells_formats_by_content),
        cmocka_unit_test(test_frab_json_and_xml_give_identical_talks),
        cmocka_unit_test(test_frab_fields),
        cmocka_unit_test(test_frab_oddities_are_warned_with_their_line),
        cmocka_unit_test(test_ical_tzid_with_vtimezone),
        cmocka_unit_test(test_ical_utc_shown_in_wr_timezone),
        cmocka_unit_test(test_ical_across_a_dst_change),
        cmocka_unit_test(test_ical_all_day_folded_and_escaped),
        cmocka_unit_test(test_broken_files_name_the_file_and_line),
        cmocka_unit_test(test_xml_entities_are_not_expanded),
        cmocka_unit_test(test_new_fields_survive_the_stored_json),
        cmocka_unit_test(test_indexer_takes_a_programme_with_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
