/* recognise.h: the small recognisers that read programme facts out of one
 * line of notes: a date or day ("Day 2 (2021/07/31 Sat)", "第二天",
 * "7月31日"), a time or time range ("14:00 ~ 15:30"), a room ("R1",
 * "Room 101", "視聽教室"), the bracket header "[14:10][R1] Title (Speaker)",
 * a "title + speakers" line ("Title - Speaker", "Speaker: Title",
 * "「Title」 by Speaker"), a speaker line ("講者：Name") and the section names
 * that are never talks ("Q&A", "參考資料").
 *
 * Every recogniser works on text that is already plain (Markdown inline
 * markup removed by the caller), valid UTF-8 and NUL-terminated; none
 * allocates except where it says so.  The structure of a file (which line
 * is a talk, which one sets the day for the talks below it) is decided in
 * talk_find.c from what these say; docs/formats.md shows every shape.
 * They live in recognise_when.c (times, dates, days, context lines),
 * recognise_room.c (rooms, the bracket header), recognise_names.c (names,
 * speakers, titles) and recognise_lines.c (section names, field lines). */
#ifndef CS_RECOGNISE_H
#define CS_RECOGNISE_H

#include <stdbool.h>
#include <stddef.h>

/* A date as far as the text gives it: year 0 when the text has none (the
 * caller completes it from the file), month and day 0 when no date. */
typedef struct {
    int year, month, day;
} cs_rec_date_t;

/* What a context line ("# Day 2 (2021/07/31 Sat)", "## R1", "## 14:00 ~
 * 15:30") sets for the talks below it.  Strings are NUL-terminated copies
 * inside the struct; empty when not given. */
typedef struct {
    int day_number;     /* "Day 2", "第二天": 2; 0 when not given */
    cs_rec_date_t date; /* month 0 when not given */
    char time[6], end_time[6];
    char room[64];
    char conference[128]; /* "PyCon APAC 2015" of "PyCon APAC 2015 - Day 1" */
} cs_rec_context_t;

/* Reads a time or time range at the start of s ("9:10", "14:00-15:00",
 * "14:00 ~ 15:30", "10:10~10:40", "14：20" with a full-width colon).  On a
 * match fills start (and end, or "") as "HH:MM" and returns the bytes
 * taken (trailing spaces and a following separator such as "|" or " - "
 * are not taken); 0 when s does not start with a time. */
size_t cs_rec_time(const char *s, char start[6], char end[6]);

/* Reads a date at the start of s: "2021/07/31", "2021-07-31",
 * "2021.07.31", "July 31", "Jul. 31st", "31 July", "7月31日", "7/31",
 * "07/31", "2021年7月31日".  Returns the bytes taken, 0 when none.  The
 * year is 0 when the text has none. */
size_t cs_rec_date(const char *s, cs_rec_date_t *out);

/* Reads a day number at the start of s: "Day 2", "Day2", "DAY 2",
 * "第二天", "第2天", "第二日", "Day Two".  Returns the bytes taken. */
size_t cs_rec_day(const char *s, int *day);

/* Reads a weekday at the start of s: "Sat", "Saturday", "(六)", "（六）",
 * "週六", "星期六", "周六", "(Sat.)".  Returns the bytes taken. */
size_t cs_rec_weekday(const char *s);

/* True when the whole of s names a room: "R1", "R0", "Room 101", "TR313",
 * "Hall A", "Main Hall", "視聽教室", "第一會議室", "演講廳", "1F 大廳",
 * "Track 2", also several joined by "、", "," or "/" ("R1、R2").  *norm
 * gets the room as stored (several rooms joined with ", "), at most
 * cap - 1 bytes. */
bool cs_rec_room(const char *s, char *norm, size_t cap);

/* True when the whole of s is context: any mix of day, date, weekday, time
 * range and room, with separators ("-", "|", "/", ",", "·", brackets)
 * between them, optionally after a conference name when a day number or a
 * date is present ("PyCon APAC 2015 - Day 1 (June 5)", "MyConf 2021 Day
 * 2").  Fills *out. */
bool cs_rec_context(const char *s, cs_rec_context_t *out);

/* The bracket header: "[14:10][R1] Title (Speaker)", with a time range
 * "[14:30-15:00]", rooms with spaces or CJK ("[Room 101]", "[演講廳]"),
 * several rooms ("[R1、R2]", "[R1][R2]"), spaces inside the brackets. */
typedef struct {
    char time[6], end_time[6];
    char room[64];
    const char *title; /* into s, trimmed; title_len may be 0 */
    size_t title_len;
    const char *speaker; /* into s: the last parenthesised group, or NULL */
    size_t speaker_len;
    bool bad_time; /* shaped like a header but the time is impossible */
} cs_rec_bracket_t;
bool cs_rec_bracket(const char *s, size_t len, cs_rec_bracket_t *out);

/* The parenthesised group that ends exactly at end ("Title (Speaker)"),
 * ASCII or full-width parentheses (people mix them when switching input
 * methods), nesting honoured.  On a match *open is where "(" starts and
 * the inside is [*in_b, *in_e); nothing is read outside [begin, end). */
bool cs_rec_last_group(const char *begin, const char *end, const char **open, const char **in_b,
                       const char **in_e);

/* A "title + speakers" line.  Shapes, in the order they are tried:
 * "「Title」 by Speaker", "Title by Speaker", "Title (Speaker)",
 * "Title - Speaker" / "Title — Speaker" / "Title ／ Speaker" (the side that
 * reads as names is the speaker; the right one when both could),
 * "Speaker: Title" (only when the left side reads as names and is not a
 * word such as "Keynote").  Leading list numbers ("3. ") and surrounding
 * quotes ("「」", "『』", "“”") are not part of the title.  On a match the
 * title and speaker group are malloc'd copies (caller frees); *title alone
 * is set when there is no speaker (returns false then). */
bool cs_rec_title_speakers(const char *s, char **title, char **speakers);

/* Strips list numbers and surrounding quotes from a title in place:
 * "3. Title" and "「Title」" become "Title". */
void cs_rec_clean_title(char *title);

/* A line that names the speaker of the talk above it: "- speaker: Name",
 * "講者：Name", "Speaker - Name", "主講: Name", "分享者：Name",
 * "by Name".  Returns a malloc'd copy of the names, or NULL. */
char *cs_rec_speaker_line(const char *s);

/* A "key: value" line about the talk above it, or several joined by "|":
 * "**Time:** 09:00 ~ 09:30 | **Room:** Main Stage", "- 時間：14:00",
 * "地點：R2", "日期：2022/03/19 (六)", "* 발표자: 김서연" (markup already
 * removed).  Fills what it finds; fields not given stay empty.  The
 * speaker is a malloc'd copy (caller frees). */
typedef struct {
    char time[6], end_time[6];
    char room[64];
    cs_rec_date_t date;
    char *speakers;
} cs_rec_fields_t;
/* Returns true when at least one field was read. */
bool cs_rec_fields(const char *s, cs_rec_fields_t *out);

/* True when s names a lightning-talk slot ("Lightning Talks", "閃電講",
 * "LT", "ライトニングトーク", "라이트닝 토크"): a talk even without a
 * speaker. */
bool cs_rec_is_lightning(const char *s);

/* True when s reads as one or more people's names (what a speaker group
 * looks like): each name one to four words, no sentence punctuation, not
 * a word that titles use ("Keynote", "Workshop", "開場"). */
bool cs_rec_looks_like_names(const char *s, size_t len);

/* Splits a speaker group on "、" "," "，" "&" " and " " 和 " "與" "/" and
 * drops affiliations: "(Google)", "（某大學）", "@某大學", and what follows
 * "/" when it reads as one.  Returns how many names there were (empty
 * segments are none); at most max
 * are stored, each malloc'd (names[0..stored) are then set, the rest
 * untouched), or SIZE_MAX when out of memory (what was stored is the
 * caller's to free). */
size_t cs_rec_split_speakers(const char *group, char **names, size_t max);

/* True when s is a section heading that never names a talk ("Q&A",
 * "參考資料", "Slides", "Links", "Lunch", "Break", "筆記", "TOC", "議程",
 * "Agenda", "開場", "Outline", ...), compared without case and spaces. */
bool cs_rec_is_section_name(const char *s);

/* True when s is a programme slot that is no talk, wherever it stands in
 * a short line: "午餐時間", "Coffee break", "報到、領取識別證". */
bool cs_rec_is_programme_break(const char *s);

/* True when s names a programme overview (a heading above a hub pad's list
 * of talks): "議程", "Agenda", "Schedule", "Programme", "共筆", "Notes",
 * "議程共筆" and the like. */
bool cs_rec_is_agenda_name(const char *s);

/* The first plausible year (1990-2099) standing alone or at the end of a
 * word ("pycontw2021", "MyConf 2021", "myconf-2021-day2.md"); 0 if none. */
int cs_rec_year_in(const char *s);

/* Writes the ISO date "YYYY-MM-DD" of d into iso (11 bytes), completing a
 * missing year with year; "" when d has no day or no year is known, or the
 * date does not exist. */
void cs_rec_iso_date(const cs_rec_date_t *d, int year, char iso[11]);

#endif /* CS_RECOGNISE_H */
