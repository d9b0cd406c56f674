/* recognise_lines.c: lines about a talk rather than talks: section
 * names that are never talks ("Q&A", "參考資料"), programme breaks
 * ("午餐"), agenda headings, lightning-talk slots and "key: value" field
 * lines ("時間：14:00", "**Room:** R2"). */
#include "recognise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recognise_scan.h"
#include "utf8.h"

/* ---- section names ------------------------------------------------------- */

/* s folded for comparison: ASCII lower case, spaces, emoji, markup and
 * trailing punctuation dropped. */
static void fold_name(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = s; *p && o + 4 < cap;) {
        int32_t n;
        UChar32 c = cp_at(p, &n);
        if (n <= 0)
            break;
        bool keep = !is_space_cp(c) && c != ':' && c != 0xFF1A && c != '*' && c != '#' &&
                    c != '.' && c != '!' && c != 0x3002 && c != '-' && c != '_' &&
                    !(c >= 0x1F000 && c <= 0x1FAFF) && !(c >= 0x2600 && c <= 0x27BF) &&
                    !(c >= '0' && c <= '9' && o == 0);
        if (keep) {
            for (int32_t i = 0; i < n; i++)
                out[o++] = lower(p[i]);
        }
        p += n;
    }
    out[o] = '\0';
}

static bool in_list(const char *folded, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (folded[0] == list[i][0] && strcmp(folded, list[i]) == 0)
            return true;
    return false;
}

/* Programme slots that are not talks, wherever they stand in a short
 * line: "午餐時間", "報到、領取識別證", "Coffee break & networking". */
static const char *const slot_words[] = {
    "午餐",     "午休",       "休息",   "茶敘",         "報到",         "合照",  "交流時間",
    "用餐",     "晚宴",       "閉幕",   "開幕式",       "休憩",         "昼食",  "受付",
    "懇親会",   "開会",       "閉会",   "オープニング", "クロージング", "점심",  "휴식",
    "등록",     "개회",       "폐회",   "lunch",        "coffee",       "break", "registration",
    "check-in", "networking", "dinner", "group photo",  "午饭",         "签到",  "茶歇",
    "ランチ",   "お昼",       "休み",   "점심시간",     "휴게"};

bool cs_rec_is_section_name(const char *s)
{
    static const char *const names[] = {"q&a",
                                        "qa",
                                        "q/a",
                                        "qna",
                                        "questions",
                                        "question",
                                        "問答",
                                        "提問",
                                        "問與答",
                                        "qa時間",
                                        "問答時間",
                                        "q&a時間",
                                        "參考資料",
                                        "參考",
                                        "參考連結",
                                        "相關連結",
                                        "相關資料",
                                        "延伸閱讀",
                                        "reference",
                                        "references",
                                        "resources",
                                        "resource",
                                        "slides",
                                        "slide",
                                        "投影片",
                                        "簡報",
                                        "slides&video",
                                        "links",
                                        "link",
                                        "連結",
                                        "lunch",
                                        "午餐",
                                        "午休",
                                        "break",
                                        "休息",
                                        "茶敘",
                                        "coffeebreak",
                                        "teabreak",
                                        "breaks",
                                        "筆記",
                                        "notes",
                                        "note",
                                        "toc",
                                        "目錄",
                                        "agenda",
                                        "議程",
                                        "議程表",
                                        "開場",
                                        "opening",
                                        "大綱",
                                        "outline",
                                        "summary",
                                        "總結",
                                        "心得",
                                        "結論",
                                        "conclusion",
                                        "conclusions",
                                        "intro",
                                        "introduction",
                                        "介紹",
                                        "簡介",
                                        "前言",
                                        "demo",
                                        "範例",
                                        "問題",
                                        "討論",
                                        "discussion",
                                        "共筆",
                                        "hackmd",
                                        "其他",
                                        "misc",
                                        "備註",
                                        "報到",
                                        "registration",
                                        "closing",
                                        "閉幕",
                                        "合照",
                                        "groupphoto",
                                        "公告",
                                        "announcements",
                                        "announcement",
                                        "sponsor",
                                        "sponsors",
                                        "贊助",
                                        "video",
                                        "videos",
                                        "影片",
                                        "錄影",
                                        "講者介紹",
                                        "aboutthespeaker",
                                        "aboutspeaker",
                                        "speaker",
                                        "speakers",
                                        "講者",
                                        "schedule",
                                        "timetable",
                                        "待補",
                                        "tbd",
                                        "todo",
                                        "內容",
                                        "content",
                                        "contents",
                                        "重點",
                                        "keypoints",
                                        "takeaways",
                                        "takeaway",
                                        "感想",
                                        "摘要",
                                        "abstract",
                                        "簡述",
                                        "description",
                                        "主題",
                                        "overview",
                                        "概要",
                                        "背景",
                                        "background",
                                        "motivation",
                                        "動機",
                                        "tableofcontents",
                                        "共筆區",
                                        "議程共筆",
                                        "相關資源",
                                        "資源",
                                        "qa/討論",
                                        "q&a/討論",
                                        "wifi",
                                        "wi-fi",
                                        "交通",
                                        "場地",
                                        "venue",
                                        "contact",
                                        "聯絡",
                                        "faq",
                                        "常見問題",
                                        "code",
                                        "程式碼",
                                        "github",
                                        "repo",
                                        "source",
                                        "原始碼",
                                        "example",
                                        "examples",
                                        "結語",
                                        "後記",
                                        "afterword",
                                        "preface",
                                        "序",
                                        "目標",
                                        "goals",
                                        "goal",
                                        "agenda&notes",
                                        "備忘",
                                        "memo",
                                        "補充",
                                        "附錄",
                                        "appendix",
                                        "bio",
                                        "speakerbio",
                                        "講者簡介",
                                        "講者資訊",
                                        "date",
                                        "time",
                                        "location",
                                        "place",
                                        "where",
                                        "when",
                                        "日期",
                                        "時間",
                                        "地點",
                                        "地点",
                                        "actionitems",
                                        "action",
                                        "決議",
                                        "待辦",
                                        "出席",
                                        "attendees",
                                        "participants",
                                        "會議記錄",
                                        "meetingnotes",
                                        "minutes",
                                        "本週進度",
                                        "進度",
                                        "readinglist",
                                        "書單",
                                        "about",
                                        "關於",
                                        "info",
                                        "information",
                                        "活動資訊",
                                        "資訊",
                                        "details",
                                        "event",
                                        "news",
                                        "更新",
                                        "changelog"};
    char f[128];
    fold_name(s, f, sizeof f);
    if (!f[0])
        return true;
    if (in_list(f, names, sizeof names / sizeof names[0]))
        return true;
    return cs_rec_is_programme_break(s);
}

/* lit (ASCII, lower case) stands in s as a word of its own. */
static bool has_word_ci(const char *s, const char *lit)
{
    size_t n = strlen(lit);
    for (const char *p = s; *p; p++) {
        if ((p > s && (is_alpha(p[-1]) || is_digit(p[-1]))) || eat_ci(p, lit, true) != n)
            continue;
        return true;
    }
    return false;
}

bool cs_rec_is_programme_break(const char *s)
{
    char f[128];
    fold_name(s, f, sizeof f);
    if (strlen(f) > 30)
        return false;
    for (size_t i = 0; i < sizeof slot_words / sizeof slot_words[0]; i++) {
        const char *w = slot_words[i];
        /* "Lunch", "Coffee break", but not "Breaking changes" */
        if ((unsigned char)w[0] < 0x80 ? has_word_ci(s, w) : strstr(f, w) != NULL)
            return true;
    }
    return false;
}

bool cs_rec_is_agenda_name(const char *s)
{
    static const char *const names[] = {
        "議程",       "議程表",     "agenda",       "schedule",  "program",    "programme",
        "共筆",       "notes",      "議程共筆",     "talks",     "sessions",   "講題",
        "timetable",  "時程",       "時間表",       "場次",      "共筆區",     "共筆連結",
        "各場次共筆", "議程與共筆", "sessionnotes", "talknotes", "notesindex", "共筆索引",
        "所有共筆",   "議程列表",   "演講列表",     "talklist"};
    char f[128];
    fold_name(s, f, sizeof f);
    return in_list(f, names, sizeof names / sizeof names[0]);
}

/* ---- field lines --------------------------------------------------------- */

typedef enum { FIELD_NONE, FIELD_TIME, FIELD_ROOM, FIELD_DATE, FIELD_SPEAKER } field_t;

static field_t field_key(const char *k, size_t n)
{
    static const struct {
        const char *key;
        field_t field;
    } keys[] = {
        {"time", FIELD_TIME},          {"時間", FIELD_TIME},         {"时间", FIELD_TIME},
        {"時段", FIELD_TIME},          {"시간", FIELD_TIME},         {"時刻", FIELD_TIME},
        {"when", FIELD_TIME},          {"room", FIELD_ROOM},         {"地點", FIELD_ROOM},
        {"地点", FIELD_ROOM},          {"場地", FIELD_ROOM},         {"教室", FIELD_ROOM},
        {"會議室", FIELD_ROOM},        {"location", FIELD_ROOM},     {"venue", FIELD_ROOM},
        {"장소", FIELD_ROOM},          {"会場", FIELD_ROOM},         {"部屋", FIELD_ROOM},
        {"where", FIELD_ROOM},         {"date", FIELD_DATE},         {"日期", FIELD_DATE},
        {"날짜", FIELD_DATE},          {"日付", FIELD_DATE},         {"日時", FIELD_DATE},
        {"speaker", FIELD_SPEAKER},    {"speakers", FIELD_SPEAKER},  {"講者", FIELD_SPEAKER},
        {"主講", FIELD_SPEAKER},       {"主講人", FIELD_SPEAKER},    {"講師", FIELD_SPEAKER},
        {"分享者", FIELD_SPEAKER},     {"演講者", FIELD_SPEAKER},    {"讲者", FIELD_SPEAKER},
        {"발표자", FIELD_SPEAKER},     {"연사", FIELD_SPEAKER},      {"登壇者", FIELD_SPEAKER},
        {"スピーカー", FIELD_SPEAKER}, {"presenter", FIELD_SPEAKER}, {"講演者", FIELD_SPEAKER}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].key) == n && eat_ci(k, keys[i].key, false) == n)
            return keys[i].field;
    return FIELD_NONE;
}

/* One "key: value" part [b, e). */
static bool read_field(const char *b, const char *e, cs_rec_fields_t *out)
{
    b = skip_sp_to(b, e);
    if (e - b >= 2 && (*b == '-' || *b == '*' || *b == '+') && b[1] == ' ')
        b = skip_sp_to(b + 2, e);
    const char *k = b;
    {
        /* a time leads: "9:20 AM, main hall" has a colon of its own */
        char t1[6], t2[6];
        if (cs_rec_time(b, t1, t2))
            k = b;
        else
            while (k < e && *k != ':' && !eat_lit(k, "："))
                k++;
    }
    if (k == e)
        return false;
    field_t f = field_key(b, (size_t)(trim_end_ptr(b, k) - b));
    if (f == FIELD_NONE) {
        /* "- 9:20 AM, main hall": a time and a place without keys */
        char t1[6], t2[6];
        size_t t = cs_rec_time(b, t1, t2);
        const char *r = skip_sp_to(b + t, e);
        if (t && r == e) {
            /* "- 10:15 AM": the time alone */
            memcpy(out->time, t1, 6);
            memcpy(out->end_time, t2, 6);
            return true;
        }
        if (!t || r == e || *r != ',')
            return false;
        r = skip_sp_to(r + 1, e);
        const char *re = trim_end_ptr(r, e);
        if (re <= r || re - r > 24)
            return false;
        memcpy(out->time, t1, 6);
        memcpy(out->end_time, t2, 6);
        size_t n = (size_t)(re - r) < sizeof out->room ? (size_t)(re - r) : sizeof out->room - 1;
        memcpy(out->room, r, n);
        out->room[n] = '\0';
        return true;
    }
    const char *v = skip_sp_to(k + (*k == ':' ? 1 : 3), e);
    const char *ve = trim_end_ptr(v, e);
    if (ve <= v || ve - v >= 200)
        return false;
    char buf[200];
    memcpy(buf, v, (size_t)(ve - v));
    buf[ve - v] = '\0';
    const char *p = buf;
    switch (f) {
    case FIELD_DATE: {
        size_t n = cs_rec_date(p, &out->date);
        if (!n)
            return false;
        /* "日時: 2021/07/31 14:00-14:30" */
        const char *q = skip_sp(p + n);
        q += cs_rec_weekday(q);
        q = skip_sp(q);
        if (cs_rec_time(q, out->time, out->end_time) == 0)
            out->time[0] = out->end_time[0] = '\0';
        return true;
    }
    case FIELD_TIME: {
        cs_rec_date_t d;
        size_t n = cs_rec_date(p, &d);
        if (n) {
            out->date = d;
            p = skip_sp(p + n);
            p = skip_sp(p + cs_rec_weekday(p));
        }
        size_t t = cs_rec_time(p, out->time, out->end_time);
        /* "Time: 10:50 AM, Room 26A" */
        const char *r = skip_sp(p + t);
        if (t && *r == ',' && !out->room[0])
            cs_utf8_copy(out->room, sizeof out->room, skip_sp(r + 1));
        return t > 0 || n > 0;
    }
    case FIELD_ROOM: cs_utf8_copy(out->room, sizeof out->room, p); return true;
    case FIELD_SPEAKER:
        if (!cs_rec_looks_like_names(p, strlen(p)))
            return false;
        free(out->speakers);
        out->speakers = strdup(p);
        return out->speakers != NULL;
    case FIELD_NONE: break;
    }
    return false;
}

bool cs_rec_fields(const char *s, cs_rec_fields_t *out)
{
    memset(out, 0, sizeof *out);
    bool any = false;
    const char *p = s, *e = s + strlen(s);
    while (p < e) {
        const char *q = p;
        while (q < e && *q != '|' && !eat_lit(q, "｜"))
            q++;
        any |= read_field(p, q, out);
        if (q == e)
            break;
        p = q + (*q == '|' ? 1 : 3);
    }
    return any;
}

bool cs_rec_is_lightning(const char *s)
{
    static const char *const names[] = {"lightningtalks",
                                        "lightningtalk",
                                        "lt",
                                        "lts",
                                        "閃電講",
                                        "閃電秀",
                                        "閃電講lightningtalks",
                                        "閃電秀lightningtalks",
                                        "ライトニングトーク",
                                        "라이트닝토크",
                                        "闪电演讲",
                                        "闪电秀",
                                        "5分鐘閃電講"};
    char f[128];
    fold_name(s, f, sizeof f);
    return in_list(f, names, sizeof names / sizeof names[0]);
}
