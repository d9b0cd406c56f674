/* test_schema.c: session ids, sort keys, source terms and the stored JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "schema.h"

static cs_session_t talk(const char *conference, int day, const char *date, const char *time,
                         const char *room)
{
    cs_session_t s;
    memset(&s, 0, sizeof s);
    s.conference = conference ? strdup(conference) : NULL;
    s.day = day;
    strcpy(s.date, date);
    strcpy(s.time, time);
    s.room = room ? strdup(room) : NULL;
    s.title = strdup("MMO Game Server Design with Twisted Python");
    s.source = strdup("/notes/day1.txt");
    s.body = strdup("");
    return s;
}

static void test_ids_are_readable_and_url_safe(void **state)
{
    (void)state;
    char id[CS_MAX_ID_BYTES];
    cs_session_t s = talk("PyCon APAC 2015", 1, "2015-06-05", "15:50", "R0");
    cs_schema_session_id(&s, id);
    assert_string_equal(id, "pycon-apac-2015_2015-06-05_1550_R0");
    cs_session_clear(&s);

    /* No date: the day number; no day header: the file's name. */
    s = talk("Formosa PyDay", 2, "", "09:10", "R1");
    cs_schema_session_id(&s, id);
    assert_string_equal(id, "formosa-pyday_day2_0910_R1");
    cs_session_clear(&s);
    s = talk(NULL, 0, "", "09:10", "R1");
    cs_schema_session_id(&s, id);
    assert_string_equal(id, "day1_0910_R1");
    cs_session_clear(&s);

    /* Non-ASCII and punctuation never reach the id. */
    s = talk("台灣 Python 年會 2026!", 1, "2026-08-01", "10:00", "R/1 x");
    cs_schema_session_id(&s, id);
    assert_string_equal(id, "python-2026_2026-08-01_1000_R-1-x");
    for (const char *p = id; *p; p++)
        assert_non_null(
            strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", *p));
    cs_session_clear(&s);

    /* No time or no room: the title names the talk (a hash of it when it
     * has no ASCII words), so that editing the pad around it keeps it. */
    s = talk("MyConf 2021", 2, "2021-07-31", "", NULL);
    cs_schema_session_id(&s, id);
    assert_string_equal(id, "myconf-2021_mmo-game-server-design-with-twisted-python");
    free(s.title);
    s.title = strdup("深度學習入門");
    cs_schema_session_id(&s, id);
    assert_non_null(strstr(id, "myconf-2021_"));
    assert_int_equal(strlen(id), strlen("myconf-2021_") + 8);
    char other[CS_MAX_ID_BYTES];
    free(s.title);
    s.title = strdup("深度學習進階");
    cs_schema_session_id(&s, other);
    assert_string_not_equal(id, other);
    cs_session_clear(&s);

    /* Rooms without ASCII get a hash of their name, so two are told apart. */
    s = talk("MyConf 2021", 1, "2021-07-31", "10:00", "演講廳");
    cs_schema_session_id(&s, id);
    assert_int_equal(strlen(id), strlen("myconf-2021_2021-07-31_1000_") + 8);
    free(s.room);
    s.room = strdup("視聽教室");
    cs_schema_session_id(&s, other);
    assert_string_not_equal(id, other);
    cs_session_clear(&s);

    s = talk(NULL, 0, "", "", NULL);
    s.whole_file = true;
    cs_schema_session_id(&s, id);
    assert_string_equal(id, "day1_file");
    cs_session_clear(&s);
}

static void test_long_names_fit(void **state)
{
    (void)state;
    char conf[600];
    memset(conf, 'x', sizeof conf - 1);
    conf[sizeof conf - 1] = '\0';
    cs_session_t s = talk(conf, 1, "2015-06-05", "15:50", "R0");
    char id[CS_MAX_ID_BYTES];
    cs_schema_session_id(&s, id);
    assert_true(strlen(id) < CS_MAX_ID_BYTES);
    assert_non_null(strstr(id, "_2015-06-05_1550_R0"));
    cs_session_clear(&s);
}

static void test_order_key_sorts_programme_order(void **state)
{
    (void)state;
    cs_session_t a = talk("C", 1, "2015-06-05", "09:10", "R0");
    cs_session_t b = talk("C", 1, "2015-06-05", "10:00", "R0");
    cs_session_t c = talk("C", 2, "2015-06-06", "09:00", "R0");
    char *ka = cs_schema_order_key(&a), *kb = cs_schema_order_key(&b),
         *kc = cs_schema_order_key(&c);
    assert_true(strcmp(ka, kb) < 0);
    assert_true(strcmp(kb, kc) < 0);
    free(ka), free(kb), free(kc);
    cs_session_t d9 = talk("C", 9, "", "09:00", "R0"), d10 = talk("C", 10, "", "09:00", "R0");
    char *k9 = cs_schema_order_key(&d9), *k10 = cs_schema_order_key(&d10);
    assert_true(strcmp(k9, k10) < 0);
    free(k9), free(k10);
    cs_session_clear(&a), cs_session_clear(&b), cs_session_clear(&c);
    cs_session_clear(&d9), cs_session_clear(&d10);
}

static void test_source_terms_fit_xapian(void **state)
{
    (void)state;
    char *t = cs_schema_source_term("/no/such/dir/day1.txt");
    assert_string_equal(t, "XSRC:/no/such/dir/day1.txt");
    free(t);
    char path[1000] = "/";
    memset(path + 1, 'p', sizeof path - 2);
    path[sizeof path - 1] = '\0';
    char *a = cs_schema_source_term(path);
    path[500] = 'q';
    char *b = cs_schema_source_term(path);
    assert_true(strlen(a) < 245);
    assert_string_not_equal(a, b);
    free(a), free(b);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    cs_session_t s = talk("PyCon APAC 2015", 1, "2015-06-05", "15:50", "R0");
    s.id = strdup("pycon-apac-2015_2015-06-05_1550_R0");
    s.speaker = strdup("Dan Maas & 王小明");
    s.speakers[0] = strdup("Dan Maas");
    s.speakers[1] = strdup("王小明");
    s.n_speakers = 2;
    free(s.body);
    s.body = strdup("line one\n<b>two</b> \"quoted\" 測試\n");
    s.body_len = strlen(s.body);
    s.line = 836;
    char *json = cs_schema_session_to_json(&s);
    assert_non_null(json);
    cs_session_t back;
    assert_int_equal(cs_schema_session_from_json(json, strlen(json), &back), CS_OK);
    assert_string_equal(back.id, s.id);
    assert_string_equal(back.conference, s.conference);
    assert_int_equal(back.day, 1);
    assert_string_equal(back.date, "2015-06-05");
    assert_string_equal(back.time, "15:50");
    assert_string_equal(back.room, "R0");
    assert_string_equal(back.title, s.title);
    assert_string_equal(back.speaker, s.speaker);
    assert_int_equal(back.n_speakers, 2);
    assert_string_equal(back.speakers[1], "王小明");
    assert_string_equal(back.body, s.body);
    assert_int_equal(back.body_len, s.body_len);
    assert_int_equal(back.line, 836);
    /* The server's directory layout is not published, only the file name. */
    assert_string_equal(back.source, "day1.txt");
    cs_session_clear(&back);
    free(json);
    cs_session_clear(&s);

    cs_session_t bad;
    assert_int_equal(cs_schema_session_from_json("{\"title\":1}", 11, &bad), CS_ERR_FORMAT);
    assert_int_equal(cs_schema_session_from_json("not json", 8, &bad), CS_ERR_FORMAT);
    assert_int_equal(cs_schema_session_from_json(NULL, 0, &bad), CS_ERR_NULL_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_are_readable_and_url_safe),
        cmocka_unit_test(test_long_names_fit),
        cmocka_unit_test(test_order_key_sorts_programme_order),
        cmocka_unit_test(test_source_terms_fit_xapian),
        cmocka_unit_test(test_json_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
