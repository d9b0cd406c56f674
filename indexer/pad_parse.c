/* pad_parse.c: splits a notes pad into talk sessions in one pass over its
 * lines, with hand-written matchers for the day header, talk headers and
 * separators (the grammar is small; a regex engine would add nothing). */
#include "pad_parse.h"

#include "blocks.h"
#include "grow.h"
#include "recognise.h"
#include "schema.h"
#include "strmap.h"
#include "talk_find.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest whole-file title kept: a first line can be a whole paragraph. */
#define WHOLE_FILE_TITLE_MAX 200
#define ROOM_MAX 16
#define UNTITLED "(untitled)"

/* ---- bytes and whitespace ---------------------------------------------- */

/* Pads pasted from browsers carry U+00A0 and U+3000 where spaces belong, so
 * they trim like spaces.  NUL counts too: the reader already maps stray NULs
 * to spaces, and treating them alike keeps the two in agreement. */
static size_t space_at(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    unsigned char c = (unsigned char)p[0];
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\0')
        return 1;
    if (c == 0xC2 && end - p >= 2 && (unsigned char)p[1] == 0xA0)
        return 2;
    if (c == 0xE3 && end - p >= 3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
        return 3;
    return 0;
}

static size_t space_before(const char *begin, const char *p)
{
    if (p <= begin)
        return 0;
    unsigned char c = (unsigned char)p[-1];
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\0')
        return 1;
    if (c == 0xA0 && p - begin >= 2 && (unsigned char)p[-2] == 0xC2)
        return 2;
    if (c == 0x80 && p - begin >= 3 && (unsigned char)p[-2] == 0x80 && (unsigned char)p[-3] == 0xE3)
        return 3;
    return 0;
}

static const char *skip_space(const char *p, const char *end)
{
    size_t n;
    while ((n = space_at(p, end)) > 0)
        p += n;
    return p;
}

static const char *trim_end(const char *begin, const char *p)
{
    size_t n;
    while ((n = space_before(begin, p)) > 0)
        p -= n;
    return p;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_letter(char c)
{
    c = ascii_lower(c);
    return c >= 'a' && c <= 'z';
}

/* Counts the digits at *p and advances past them; the value saturates so a
 * run of a million digits cannot overflow. */
static size_t eat_digits(const char **p, const char *end, int *value)
{
    const char *s = *p;
    int v = 0;
    while (*p < end && is_digit(**p)) {
        if (v < 100000)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    if (value)
        *value = v;
    return (size_t)(*p - s);
}

/* Matches an ASCII word case-insensitively, as a whole word: "day" must not
 * match the start of "daylight". */
static bool eat_word(const char **p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - *p) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((*p)[i]) != word[i])
            return false;
    if (*p + n < end && is_letter((*p)[n]))
        return false;
    *p += n;
    return true;
}

/* A NUL-terminated copy.  NULs inside become spaces so the C string holds
 * the whole text (the reader does the same). */
static char *dup_text(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, p, n);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0')
            s[i] = ' ';
    s[n] = '\0';
    return s;
}

static bool bytes_are(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

static bool bytes_end_with(const char *begin, const char *p, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(p - begin) >= n && memcmp(p - n, lit, n) == 0;
}

/* ---- talk headers -------------------------------------------------------- */

typedef enum {
    HEADER_NO,      /* ordinary text */
    HEADER_YES,     /* a talk header */
    HEADER_BAD_TIME /* shaped like a header but the time is impossible */
} header_match_t;

typedef struct {
    char time[6], end_time[6];
    char room[64];
    const char *title; /* trimmed; title_len may be 0 */
    size_t title_len;
    const char *speaker; /* trimmed inside of the last group, NULL when none */
    size_t speaker_len;
} header_parts_t;

/* Markdown around a line: "## ", "- ", "> ", "**...**".  The bracket
 * header and the day header read the same with or without it. */
static void strip_markup(const char **pb, const char **pe)
{
    const char *b = skip_space(*pb, *pe), *e = trim_end(b, *pe);
    if (b < e && *b == '>')
        b = skip_space(b + 1, e);
    const char *h = b;
    while (h < e && *h == '#' && h - b < 6)
        h++;
    if (h > b && h < e && (*h == ' ' || *h == '\t'))
        b = skip_space(h, e);
    else if (e - b >= 2 && (*b == '-' || *b == '*' || *b == '+') && b[1] == ' ')
        b = skip_space(b + 2, e);
    if (e - b >= 4 && ((bytes_are(b, e, "**") && bytes_end_with(b, e, "**")) ||
                       (bytes_are(b, e, "__") && bytes_end_with(b, e, "__")))) {
        b = skip_space(b + 2, e);
        e = trim_end(b, e - 2);
    }
    *pb = b;
    *pe = e;
}

/* The seed's "[9:10][R0] Title (Speaker)", read by recognise_room.c's bracket
 * recogniser; here the last parenthesised group is always the speaker, as
 * the seed's pads have it. */
static header_match_t match_talk_header(const char *line, size_t len, header_parts_t *h)
{
    const char *b = line, *e = line + len;
    strip_markup(&b, &e);
    if (b == e || *b != '[')
        return HEADER_NO;
    cs_rec_bracket_t br;
    if (!cs_rec_bracket(b, (size_t)(e - b), &br))
        return HEADER_NO;
    if (br.bad_time)
        return HEADER_BAD_TIME;
    memcpy(h->time, br.time, sizeof h->time);
    memcpy(h->end_time, br.end_time, sizeof h->end_time);
    memcpy(h->room, br.room, sizeof h->room);
    h->title = br.title;
    h->title_len = br.title_len;
    h->speaker = br.speaker;
    h->speaker_len = br.speaker_len;
    return HEADER_YES;
}

bool cs_pad_parse_talk_header(const char *line, size_t len, char time[6], char **room, char **title,
                              char **speaker)
{
    if (!time || !room || !title || !speaker)
        return false;
    time[0] = '\0';
    *room = *title = *speaker = NULL;
    header_parts_t h;
    if (!line || match_talk_header(line, len, &h) != HEADER_YES)
        return false;
    *room = dup_text(h.room, strlen(h.room));
    *title = h.title_len ? dup_text(h.title, h.title_len) : dup_text(UNTITLED, strlen(UNTITLED));
    if (h.speaker)
        *speaker = dup_text(h.speaker, h.speaker_len);
    if (!*room || !*title || (h.speaker && !*speaker)) {
        free(*room);
        free(*title);
        free(*speaker);
        *room = *title = *speaker = NULL;
        return false;
    }
    memcpy(time, h.time, 6);
    return true;
}

/* ---- speakers ------------------------------------------------------------ */

/* The speaker rule is recognise_names.c's, one for every format. */
size_t cs_pad_split_speakers(const char *group, char **names, size_t max)
{
    if (!group || !names)
        return 0;
    for (size_t i = 0; i < max; i++)
        names[i] = NULL;
    size_t total = cs_rec_split_speakers(group, names, max);
    if (total == SIZE_MAX) {
        for (size_t i = 0; i < max; i++)
            free(names[i]);
        return 0;
    }
    return total < max ? total : max;
}

/* ---- separators ---------------------------------------------------------- */

static bool is_rule_char(char c)
{
    return c == '-' || c == '=';
}

/* "Day 1 End", "End", and the way people also write it, "End of Day 1". */
static bool is_day_end_text(const char *p, const char *end)
{
    const char *q = p;
    if (eat_word(&q, end, "end")) {
        q = skip_space(q, end);
        if (q == end)
            return true;
        if (!eat_word(&q, end, "of"))
            return false;
        q = skip_space(q, end);
        if (!eat_word(&q, end, "day"))
            return false;
        q = skip_space(q, end);
        return eat_digits(&q, end, NULL) > 0 && skip_space(q, end) == end;
    }
    q = p;
    if (!eat_word(&q, end, "day"))
        return false;
    q = skip_space(q, end);
    if (eat_digits(&q, end, NULL) == 0)
        return false;
    q = skip_space(q, end);
    return eat_word(&q, end, "end") && skip_space(q, end) == end;
}

int cs_pad_separator_kind(const char *line, size_t len)
{
    if (!line)
        return 0;
    const char *b = skip_space(line, line + len);
    const char *e = trim_end(b, line + len);
    const char *p = b;
    while (p < e && is_rule_char(*p))
        p++;
    /* A line of only dashes is a drawn rule or an ASCII diagram, not a
     * break in the programme; it needs words between the rules. */
    if (p - b < 3 || p == e)
        return 0;
    const char *q = e;
    while (q > p && is_rule_char(q[-1]))
        q--;
    if (e - q < 3)
        return 0;
    const char *in_b = skip_space(p, q), *in_e = trim_end(in_b, q);
    if (in_b == in_e)
        return 0;
    return is_day_end_text(in_b, in_e) ? 2 : 1;
}

/* ---- the day header ------------------------------------------------------ */

/* The year in the conference name ("PyCon APAC 2015" gives 2015), by
 * recognise's rule; 0 when there is none. */
static int year_in(const char *p, const char *end)
{
    char buf[256];
    size_t n = (size_t)(end - p) < sizeof buf ? (size_t)(end - p) : sizeof buf - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return cs_rec_year_in(buf);
}

typedef enum {
    DATE_OK,
    DATE_NO_YEAR, /* a date we read, but neither it nor the conference has a year */
    DATE_UNREAD   /* not a date we know how to read */
} date_result_t;

/* The date of a day header's parenthesised group, read by recognise's
 * date recogniser ("June 5", "Jun. 5th", "2015-06-05", "6/5" month first,
 * "6月5日"); conf_year (0 when unknown) supplies a missing year. */
static date_result_t parse_date(const char *p, const char *end, int conf_year, char date[11])
{
    char buf[64];
    size_t n = (size_t)(end - p);
    if (n == 0 || n >= sizeof buf)
        return DATE_UNREAD;
    memcpy(buf, p, n);
    buf[n] = '\0';
    cs_rec_date_t d;
    size_t used = cs_rec_date(buf, &d);
    if (used == 0 || skip_space(buf + used, buf + n) != buf + n)
        return DATE_UNREAD;
    if (!d.year && !conf_year)
        return DATE_NO_YEAR;
    cs_rec_iso_date(&d, conf_year, date);
    return date[0] ? DATE_OK : DATE_UNREAD;
}

typedef struct {
    const char *conference;
    size_t conference_len;
    int day;
    char date[11];
    bool date_unread; /* a parenthesised group that is not a date we know */
} day_parts_t;

/* Read right to left: the "- Day N (date)" tail is the fixed part, and
 * whatever precedes it, dashes and all, is the conference name. */
static bool match_day_header(const char *line, size_t len, day_parts_t *out)
{
    const char *b = skip_space(line, line + len);
    const char *e = trim_end(b, line + len);
    const char *open = NULL, *date_b = NULL, *date_e = NULL;
    if (cs_rec_last_group(b, e, &open, &date_b, &date_e))
        e = trim_end(b, open);
    const char *q = e;
    while (q > b && is_digit(q[-1]))
        q--;
    if (e - q == 0 || e - q > 2)
        return false;
    int day = 0;
    for (const char *d = q; d < e; d++)
        day = day * 10 + (*d - '0');
    if (day == 0)
        return false;
    e = trim_end(b, q);
    if (e - b < 3)
        return false;
    const char *word = e - 3;
    if (!eat_word(&word, e, "day") || word != e)
        return false;
    e = trim_end(b, e - 3);
    const char *before_dash = e;
    for (;;) {
        if (e > b && e[-1] == '-')
            e--;
        else if (bytes_end_with(b, e, "\xE2\x80\x93") || bytes_end_with(b, e, "\xE2\x80\x94"))
            e -= 3;
        else
            break;
    }
    if (e == before_dash)
        return false;
    e = trim_end(b, e);
    if (e == b)
        return false;

    out->conference = b;
    out->conference_len = (size_t)(e - b);
    out->day = day;
    out->date[0] = '\0';
    out->date_unread = false;
    if (open) {
        date_b = skip_space(date_b, date_e);
        date_e = trim_end(date_b, date_e);
        /* A known date without a year anywhere simply stays unknown; only
         * a date we could not read is worth a warning. */
        date_result_t r = parse_date(date_b, date_e, year_in(b, e), out->date);
        if (r != DATE_OK)
            out->date[0] = '\0';
        out->date_unread = r == DATE_UNREAD;
    }
    return true;
}

bool cs_pad_parse_day_header(const char *line, size_t len, char **conference, int *day,
                             char date[11])
{
    if (!conference || !day || !date)
        return false;
    *conference = NULL;
    *day = 0;
    date[0] = '\0';
    day_parts_t d;
    if (!line || !match_day_header(line, len, &d))
        return false;
    *conference = dup_text(d.conference, d.conference_len);
    if (!*conference)
        return false;
    *day = d.day;
    memcpy(date, d.date, sizeof d.date);
    return true;
}

/* ---- the parser ---------------------------------------------------------- */

typedef struct {
    const char *text;
    size_t len;
    const char *source;
    cs_pad_warn_fn warn;
    void *ctx;

    cs_session_t *sessions;
    size_t n, cap;

    /* Streaming (cs_pad_parse_batched): finished talks go to sink in
     * batches, so a file of a million talks never holds them all.  handed
     * counts those already given; batch_bytes is the bodies' size in
     * ps->sessions. */
    cs_pad_sink_fn sink;
    void *sink_ctx;
    bool stream, markdown;
    size_t handed, batch_bytes;

    /* The open talk's body, as the byte span from its first non-blank line
     * to the end of its last one; built once when the talk closes, so the
     * whole parse copies each byte at most once. */
    bool in_talk, body_seen;
    size_t body_b, body_e;

    /* The day the next talk gets: each talk copies it when it opens. */
    bool talk_seen, day_found;
    day_parts_t day;
    /* A day header has started a new day since the last talk opened: more
     * such lines before the next talk are that day's links to other days'
     * pads, as in any preamble. */
    bool switched_since_talk;

    /* Set by a day-end marker, cleared by the next day header: talk headers
     * in between are talks of a day nobody named, which keep the current
     * one and earn one warning per marker. */
    bool day_ended, warned_after_end;

    /* A day header line met inside an open talk's body.  Whether it starts
     * a new day or is text of the talk depends on the next non-blank line,
     * so it waits here; it is not yet part of the body span. */
    bool day_pending;
    size_t pending_b, pending_e;
    unsigned pending_line;
    day_parts_t pending;

    /* The slots ("HH:MM|room") of "## [14:10][R1] ..." heading headers: a
     * list item or line of the same slot is the summary list above them,
     * not a second talk.  Owned by the parser; NULL when there are none. */
    cs_strmap_t *heading_slots;

    /* For a file without talk headers. */
    bool any_text;
    size_t text_b, text_e, title_b, title_e;
} parser_t;

static void warn_at(parser_t *ps, unsigned line, const char *message)
{
    if (ps->warn)
        ps->warn(ps->source, line, message, ps->ctx);
}

/* Copies [b, e) with every line ending ("\r\n", "\r", "\n") made "\n". */
static char *build_body(const char *b, const char *e, size_t *out_len)
{
    char *s = malloc((size_t)(e - b) + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (const char *p = b; p < e; p++) {
        char c = *p;
        if (c == '\r') {
            if (p + 1 < e && p[1] == '\n')
                p++;
            c = '\n';
        } else if (c == '\0') {
            c = ' ';
        }
        s[o++] = c;
    }
    s[o] = '\0';
    *out_len = o;
    return s;
}

static cs_status_t close_talk(parser_t *ps)
{
    if (!ps->in_talk)
        return CS_OK;
    ps->in_talk = false;
    cs_session_t *s = &ps->sessions[ps->n - 1];
    const char *b = ps->text + ps->body_b, *e = ps->text + ps->body_e;
    if (!ps->body_seen)
        e = b;
    s->body = build_body(b, e, &s->body_len);
    ps->batch_bytes += s->body_len;
    return s->body ? CS_OK : CS_ERR_NO_MEMORY;
}

static cs_status_t hand_batch(parser_t *ps);

/* A new session with the pad's source and the day in force now: a pad may
 * hold several days, so each talk takes the day its header stands in. */
static cs_session_t *new_session(parser_t *ps, cs_status_t *st)
{
    *st = CS_ERR_NO_MEMORY;
    if (!cs_grow(&ps->sessions, &ps->cap, ps->n + 1, sizeof *ps->sessions, 16))
        return NULL;
    cs_session_t *s = &ps->sessions[ps->n++];
    memset(s, 0, sizeof *s);
    /* Counted in ps->n already, so cs_pad_free frees whatever is set. */
    s->source = dup_text(ps->source, strlen(ps->source));
    if (!s->source)
        return NULL;
    if (ps->day_found) {
        if (ps->day.conference_len > 0) {
            s->conference = dup_text(ps->day.conference, ps->day.conference_len);
            if (!s->conference)
                return NULL;
        }
        s->day = ps->day.day;
        memcpy(s->date, ps->day.date, sizeof s->date);
    }
    *st = CS_OK;
    return s;
}

static cs_status_t open_talk(parser_t *ps, const header_parts_t *h, unsigned line)
{
    cs_status_t st = close_talk(ps);
    if (st == CS_OK && ps->stream &&
        (ps->n >= CS_PAD_BATCH_TALKS || ps->batch_bytes >= CS_PAD_BATCH_BYTES))
        st = hand_batch(ps);
    if (st != CS_OK)
        return st;
    cs_session_t *s = new_session(ps, &st);
    if (!s)
        return st;
    ps->in_talk = true;
    ps->body_seen = false;
    ps->talk_seen = true;
    ps->switched_since_talk = false;
    s->line = line;
    memcpy(s->time, h->time, sizeof s->time);
    memcpy(s->end_time, h->end_time, sizeof s->end_time);
    s->room = dup_text(h->room, strlen(h->room));
    if (h->title_len == 0) {
        warn_at(ps, line, "talk header without a title; titled \"" UNTITLED "\"");
        s->title = dup_text(UNTITLED, strlen(UNTITLED));
    } else {
        s->title = dup_text(h->title, h->title_len);
    }
    if (!s->room || !s->title)
        return CS_ERR_NO_MEMORY;
    if (h->speaker) {
        s->speaker = dup_text(h->speaker, h->speaker_len);
        if (!s->speaker)
            return CS_ERR_NO_MEMORY;
        size_t total = cs_rec_split_speakers(s->speaker, s->speakers, CS_MAX_SPEAKERS);
        if (total == SIZE_MAX)
            return CS_ERR_NO_MEMORY;
        while (s->n_speakers < CS_MAX_SPEAKERS && s->speakers[s->n_speakers])
            s->n_speakers++;
        if (total > CS_MAX_SPEAKERS) {
            char msg[96];
            snprintf(msg, sizeof msg, "%zu speakers named; only the first %d kept", total,
                     CS_MAX_SPEAKERS);
            warn_at(ps, line, msg);
        }
    }
    return CS_OK;
}

static bool same_conference(const day_parts_t *a, const day_parts_t *b)
{
    if (a->conference_len != b->conference_len)
        return false;
    for (size_t i = 0; i < a->conference_len; i++)
        if (ascii_lower(a->conference[i]) != ascii_lower(b->conference[i]))
            return false;
    return true;
}

/* Makes d the day of the talks that follow.  A header naming the day in
 * force again (same conference, same day number) changes nothing: pads
 * repeat it (atop a pasted half, after a marker), and a repeat without the
 * date must not wipe the date the first one gave.  Another conference's
 * "Day 1" is a new day all the same. */
static void switch_day(parser_t *ps, const day_parts_t *d, unsigned line)
{
    ps->day_ended = false;
    ps->switched_since_talk = true;
    if (ps->day_found && d->day == ps->day.day && same_conference(d, &ps->day))
        return;
    ps->day = *d;
    ps->day_found = true;
    if (d->date_unread)
        warn_at(ps, line, "day header date not understood; date left unknown");
}

/* The day header, also as a Markdown heading: "## PyCon APAC 2015 - Day 1
 * (June 5)", and "# Day 2 (2021/07/31)" naming no conference, which is a
 * day of the conference in force. */
static bool match_markdown_day_header(parser_t *ps, const char *p, size_t len, day_parts_t *d)
{
    const char *b = p, *e = p + len;
    strip_markup(&b, &e);
    if (match_day_header(b, (size_t)(e - b), d))
        return true;
    const char *h = skip_space(p, p + len);
    if (h == p + len || *h != '#' || e - b >= 256)
        return false;
    char buf[256];
    memcpy(buf, b, (size_t)(e - b));
    buf[e - b] = '\0';
    cs_rec_context_t c;
    if (!cs_rec_context(buf, &c) || (c.day_number == 0 && c.date.month == 0) || c.room[0] ||
        c.time[0])
        return false;
    memset(d, 0, sizeof *d);
    if (ps->day_found) {
        d->conference = ps->day.conference;
        d->conference_len = ps->day.conference_len;
    } else {
        d->conference = "";
    }
    d->day = c.day_number;
    int year =
        c.date.year ? c.date.year : year_in(d->conference, d->conference + d->conference_len);
    cs_rec_iso_date(&c.date, year, d->date);
    return true;
}

/* Handles a day-header-shaped line; true when it is structure rather than
 * text (for the open talk's body, that is).  "Anything - Day N (date)" is a
 * loose shape: links to other days' pads and plain notes ("the sprint is
 * tomorrow - day 2") have it too, so a line starts a new day only where a
 * pad's day header stands, and otherwise stays text:
 *
 * - before the first talk, the first such line (later ones are links,
 *   "Back To Future: ... Day 2 (June 6)");
 * - after the day-end marker, the first one before the next talk, whatever
 *   conference it names (a pasted day, with its own links after it);
 * - between talks otherwise (after a separator), the first one before the
 *   next talk if it names the conference in force (or none is known yet);
 * - inside an open talk, one naming the conference in force: it is held
 *   back and decided by the next non-blank line (settle_pending_day), a
 *   talk header there meaning the day changed between the two talks (the
 *   line then closes the open talk); anything else makes it text.
 *
 * So notes are never dropped, and a mislabel needs a line with the pad's
 * own conference name and another day standing last in a talk's notes. */
static bool take_day_header(parser_t *ps, const char *p, size_t len, unsigned line)
{
    day_parts_t d;
    if (!match_markdown_day_header(ps, p, len, &d))
        return false;
    if (!ps->talk_seen) {
        if (!ps->day_found) {
            ps->day = d;
            ps->day_found = true;
            ps->day_ended = false;
            if (d.date_unread)
                warn_at(ps, line, "day header date not understood; date left unknown");
        }
        return false;
    }
    if (ps->switched_since_talk)
        return false;
    bool ours = !ps->day_found || same_conference(&d, &ps->day);
    if (!ps->in_talk) {
        if (!ps->day_ended && !ours)
            return false;
        switch_day(ps, &d, line);
        return true;
    }
    /* The current day named again in the notes cannot change anything. */
    if (!ps->day_found || !ours || d.day == ps->day.day)
        return false;
    ps->day_pending = true;
    ps->pending = d;
    ps->pending_b = (size_t)(p - ps->text);
    ps->pending_e = ps->pending_b + len;
    ps->pending_line = line;
    return true;
}

/* The key of h's slot in ps->heading_slots, in key (len bytes). */
static size_t slot_key(const header_parts_t *h, char key[96])
{
    int n = snprintf(key, 96, "%s|%s", h->time, h->room);
    return n < 0 ? 0 : (size_t)n < 96 ? (size_t)n : 95;
}

static bool is_heading_slot(const parser_t *ps, const header_parts_t *h)
{
    char key[96];
    return ps->heading_slots && cs_strmap_get(ps->heading_slots, key, slot_key(h, key));
}

/* Handles a non-blank line that may be a header, a separator or the day
 * header; *consumed is false when it is plain text after all. */
static cs_status_t parse_structure(parser_t *ps, const char *p, size_t len, const char *first,
                                   unsigned line, bool *consumed)
{
    *consumed = true;
    if (*first && strchr("[#*+>_-", *first)) {
        header_parts_t h;
        header_match_t m = match_talk_header(p, len, &h);
        if (m == HEADER_YES && *first != '#' && is_heading_slot(ps, &h))
            m = HEADER_NO; /* the summary's line: text */
        if (m == HEADER_YES && ps->day_ended && !ps->warned_after_end) {
            /* Kept, but likely the next day pasted without its header: say
             * so once per marker rather than for each of its talks. */
            char msg[160];
            if (ps->day_found)
                snprintf(msg, sizeof msg,
                         "talk after the day-end marker with no new day header; it and the "
                         "talks after it stay on day %d",
                         ps->day.day);
            else
                snprintf(msg, sizeof msg,
                         "talk after the day-end marker with no new day header; kept");
            warn_at(ps, line, msg);
            ps->warned_after_end = true;
        }
        if (m == HEADER_YES)
            return open_talk(ps, &h, line);
        if (m == HEADER_BAD_TIME)
            warn_at(ps, line, "talk header with an impossible time; kept as text");
    }
    if (is_rule_char(*first)) {
        int kind = cs_pad_separator_kind(p, len);
        if (kind != 0) {
            if (kind == 2) {
                ps->day_ended = true;
                ps->warned_after_end = false;
            }
            return close_talk(ps);
        }
    }
    *consumed = take_day_header(ps, p, len, line);
    return CS_OK;
}

/* Widens the open talk's body span to end at le. */
static void extend_body(parser_t *ps, size_t ls, size_t le)
{
    if (!ps->body_seen) {
        ps->body_seen = true;
        ps->body_b = ls;
    }
    ps->body_e = le;
}

/* Decides a held-back day header line (take_day_header), given the next
 * non-blank line [p, p + len) or NULL at the end of the text. */
static cs_status_t settle_pending_day(parser_t *ps, const char *p, size_t len, const char *first)
{
    if (!ps->day_pending)
        return CS_OK;
    ps->day_pending = false;
    header_parts_t h;
    if (p && *first && strchr("[#*+>_-", *first) && match_talk_header(p, len, &h) == HEADER_YES) {
        cs_status_t st = close_talk(ps);
        if (st == CS_OK)
            switch_day(ps, &ps->pending, ps->pending_line);
        return st;
    }
    extend_body(ps, ps->pending_b, ps->pending_e);
    return CS_OK;
}

static cs_status_t parse_line(parser_t *ps, size_t ls, size_t le, unsigned line)
{
    const char *p = ps->text + ls, *end = ps->text + le;
    const char *first = skip_space(p, end);
    if (first == end)
        return CS_OK; /* blank lines only matter between the body's ends */
    if (!ps->any_text) {
        ps->any_text = true;
        ps->text_b = ls;
        ps->title_b = (size_t)(first - ps->text);
        ps->title_e = (size_t)(trim_end(first, end) - ps->text);
    }
    ps->text_e = le;

    cs_status_t st = settle_pending_day(ps, p, le - ls, first);
    if (st != CS_OK)
        return st;
    bool consumed;
    st = parse_structure(ps, p, le - ls, first, line, &consumed);
    if (st != CS_OK || consumed)
        return st;
    if (ps->in_talk)
        extend_body(ps, ls, le);
    return CS_OK;
}

static cs_status_t add_whole_file(parser_t *ps)
{
    cs_status_t st;
    cs_session_t *s = new_session(ps, &st);
    if (!s)
        return st;
    s->whole_file = true;
    s->line = 1;
    const char *t = ps->text + ps->title_b;
    size_t n = ps->title_e - ps->title_b;
    if (n > WHOLE_FILE_TITLE_MAX)
        n = (size_t)(trim_end(t, t + cs_utf8_floor(t, n, WHOLE_FILE_TITLE_MAX)) - t);
    s->title = dup_text(t, n);
    s->body = build_body(ps->text + ps->text_b, ps->text + ps->text_e, &s->body_len);
    return s->title && s->body ? CS_OK : CS_ERR_NO_MEMORY;
}

static cs_status_t run_parser(parser_t *ps)
{
    size_t pos = 0;
    /* A byte-order mark from a Windows editor would hide a day header or
     * talk header on line 1. */
    if (ps->len >= 3 && memcmp(ps->text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    unsigned line = 0;
    while (pos < ps->len) {
        size_t ls = pos, le = pos;
        while (le < ps->len && ps->text[le] != '\n' && ps->text[le] != '\r')
            le++;
        pos = le;
        if (pos < ps->len) {
            /* A lone "\r" ends a line too: old Mac files would otherwise
             * be one line with nothing found in it. */
            if (ps->text[pos] == '\r' && pos + 1 < ps->len && ps->text[pos + 1] == '\n')
                pos++;
            pos++;
        }
        if (line < UINT32_MAX)
            line++;
        cs_status_t st = parse_line(ps, ls, le, line);
        if (st != CS_OK)
            return st;
    }
    cs_status_t st = settle_pending_day(ps, NULL, 0, NULL);
    if (st == CS_OK)
        st = close_talk(ps);
    if (st != CS_OK)
        return st;
    /* No talks: keep the whole text as one document rather than drop what
     * the user gave. */
    if (ps->n + ps->handed == 0 && ps->any_text)
        return add_whole_file(ps);
    return CS_OK;
}

/* How many lines are bracket talk headers: a pad with any is read by the
 * line parser above, whose day rules the seed's pads need. */
/* How many lines are bracket talk headers, outside fenced code (an
 * example in a code block is not a header); the slots of those that are
 * Markdown headings ("## [14:10][R1] ...") go to ps->heading_slots. */
static size_t count_bracket_headers(const char *text, size_t len, parser_t *ps)
{
    size_t count = 0, pos = 0;
    bool fence = false;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        header_parts_t h;
        const char *first = skip_space(text + pos, text + e);
        if (text + e - first >= 3 &&
            (bytes_are(first, text + e, "```") || bytes_are(first, text + e, "~~~")))
            fence = !fence;
        else if (!fence && first < text + e && strchr("[#*+>_-", *first) &&
                 match_talk_header(text + pos, e - pos, &h) == HEADER_YES) {
            count++;
            /* (Out of memory, a summary may double a talk: no harm done.) */
            char key[96];
            if (*first == '#' &&
                (ps->heading_slots || cs_strmap_create(&ps->heading_slots) == CS_OK))
                cs_strmap_put(ps->heading_slots, key, slot_key(&h, key), 0, NULL, NULL);
        }
        pos = e + 1;
    }
    return count;
}

/* A line that cannot title a document: a rule, an RST adornment. */
static bool is_rule_line(const char *t)
{
    size_t n = strlen(t);
    if (n < 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (t[i] != t[0] || !strchr("=-~^*_#+`.:'\"", t[0]))
            return false;
    return true;
}

static cs_status_t add_plain_text(cs_session_t *sessions, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cs_session_t *s = &sessions[i];
        free(s->text);
        s->text = cs_markdown_plain_text(s->body, s->body_len, &s->text_len);
        if (!s->text)
            return CS_ERR_NO_MEMORY;
    }
    return CS_OK;
}

/* Cuts a body longer than CS_MAX_BODY_BYTES: at the last line end in its
 * final 64 KB when there is one (so Markdown stays whole lines), else at a
 * character boundary; the stored body ends with CS_BODY_CUT_NOTICE so a
 * reader sees the cut.  Before the plain text is made, so both agree. */
static cs_status_t cap_bodies(cs_session_t *sessions, size_t n, const char *source,
                              cs_pad_warn_fn warn, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        cs_session_t *s = &sessions[i];
        if (s->body_len <= CS_MAX_BODY_BYTES)
            continue;
        size_t keep = cs_utf8_floor(s->body, s->body_len, CS_MAX_BODY_BYTES);
        for (size_t k = keep; k > 0 && keep - k < 65536; k--)
            if (s->body[k - 1] == '\n') {
                keep = k - 1;
                break;
            }
        size_t was = s->body_len;
        int extra = snprintf(NULL, 0, CS_BODY_CUT_NOTICE, was, keep);
        if (extra < 0)
            return CS_ERR_NO_MEMORY;
        char *b = realloc(s->body, keep + (size_t)extra + 1);
        if (!b)
            return CS_ERR_NO_MEMORY;
        snprintf(b + keep, (size_t)extra + 1, CS_BODY_CUT_NOTICE, was, keep);
        s->body = b;
        s->body_len = keep + (size_t)extra;
        if (warn) {
            char msg[160];
            snprintf(msg, sizeof msg, "talk notes of %zu bytes cut to %zu (the cap is %u bytes)",
                     was, keep, CS_MAX_BODY_BYTES);
            warn(source, s->line, msg, ctx);
        }
    }
    return CS_OK;
}

/* A Markdown or RST file without talks: one document titled by its first
 * real heading (else its front matter title, else its file name). */
static cs_status_t whole_document(parser_t *ps, const cs_blocks_t *bl)
{
    cs_status_t st = run_parser(ps);
    if (st != CS_OK || ps->n != 1)
        return st;
    cs_session_t *s = &ps->sessions[0];
    free(s->title);
    s->title = cs_talk_find_document_title(bl, ps->source);
    if (!s->title)
        return CS_ERR_NO_MEMORY;
    s->title[cs_utf8_floor(s->title, strlen(s->title), WHOLE_FILE_TITLE_MAX)] = '\0';
    const char *conf = bl->meta_conference;
    if (!s->conference && conf && *conf && !(s->conference = strdup(conf)))
        return CS_ERR_NO_MEMORY;
    return CS_OK;
}

/* What every talk gets once found, whole pad or batch: a cap on its notes,
 * then (Markdown) its plain text, made from the capped body. */
static cs_status_t finish_talks(parser_t *ps, cs_session_t *sessions, size_t n)
{
    cs_status_t st = cap_bodies(sessions, n, ps->source, ps->warn, ps->ctx);
    if (st == CS_OK && ps->markdown)
        st = add_plain_text(sessions, n);
    return st;
}

/* Gives the talks found so far to the sink and starts a new batch.  The
 * sink may have moved the sessions out; what it left is freed here. */
static cs_status_t hand_batch(parser_t *ps)
{
    cs_pad_t batch = {ps->sessions, ps->n};
    cs_status_t st = ps->n ? finish_talks(ps, ps->sessions, ps->n) : CS_OK;
    if (st == CS_OK && ps->n)
        st = ps->sink(&batch, ps->sink_ctx);
    ps->handed += ps->n;
    for (size_t i = 0; i < batch.n_sessions; i++)
        cs_session_clear(&batch.sessions[i]);
    free(batch.sessions);
    ps->sessions = NULL;
    ps->n = ps->cap = 0;
    ps->batch_bytes = 0;
    return st;
}

/* Finds the talks of ps->text by the rules of its format into ps, handing
 * them to ps->sink as it goes when ps->sink is set. */
static cs_status_t find_talks(parser_t *ps, cs_pad_warn_fn explain)
{
    const char *text = ps->text, *source = ps->source;
    size_t len = ps->len;
    cs_status_t st;
    cs_blocks_t *bl = NULL;
    size_t brackets = count_bracket_headers(text, len, ps);
    /* In Markdown, a lone bracket line is more likely quoted than the
     * programme; where headings carry bracket headers, a list of them
     * above is the programme's summary, not its talks. */
    if (brackets > (ps->markdown ? 1u : 0u)) {
        /* Only the line rules stream: the other readers look at the whole
         * document (and their files are pages, not a million talks). */
        ps->stream = ps->sink != NULL;
        st = run_parser(ps);
    } else {
        bool rst = !ps->markdown && cs_blocks_is_rst(text, len, source);
        st = cs_blocks_read(text, len, ps->markdown, &bl);
        if (st == CS_OK)
            st = cs_talk_find(text, len, source, bl, ps->warn, explain, ps->ctx, &ps->sessions,
                              &ps->n);
        if (st == CS_OK && ps->n == 0) {
            if (ps->markdown || rst || bl->meta_end) {
                st = whole_document(ps, bl);
            } else {
                st = run_parser(ps);
                /* "---" or "=====" first: the file's name says more. */
                if (st == CS_OK && ps->n == 1 && is_rule_line(ps->sessions[0].title)) {
                    free(ps->sessions[0].title);
                    ps->sessions[0].title = cs_talk_find_document_title(bl, source);
                    if (!ps->sessions[0].title)
                        st = CS_ERR_NO_MEMORY;
                }
            }
        }
    }
    cs_blocks_free(bl);
    cs_strmap_destroy(ps->heading_slots);
    ps->heading_slots = NULL;
    return st;
}

cs_status_t cs_pad_parse_explained(const char *text, size_t len, const char *source,
                                   cs_pad_warn_fn warn, cs_pad_warn_fn explain, void *ctx,
                                   cs_pad_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    if ((!text && len > 0) || !source)
        return CS_ERR_NULL_ARG;
    text = text ? text : "";
    cs_pad_t *pad = calloc(1, sizeof *pad);
    if (!pad)
        return CS_ERR_NO_MEMORY;
    parser_t ps = {.text = text, .len = len, .source = source, .warn = warn, .ctx = ctx};
    ps.markdown = cs_blocks_is_markdown(text, len, source);
    cs_status_t st = find_talks(&ps, explain);
    if (st == CS_OK)
        st = finish_talks(&ps, ps.sessions, ps.n);
    pad->sessions = ps.sessions;
    pad->n_sessions = ps.n;
    if (st != CS_OK) {
        cs_pad_free(pad);
        return st;
    }
    *out = pad;
    return CS_OK;
}

cs_status_t cs_pad_parse_batched(const char *text, size_t len, const char *source,
                                 cs_pad_warn_fn warn, void *ctx, cs_pad_sink_fn sink,
                                 void *sink_ctx)
{
    if ((!text && len > 0) || !source || !sink)
        return CS_ERR_NULL_ARG;
    text = text ? text : "";
    parser_t ps = {.text = text,
                   .len = len,
                   .source = source,
                   .warn = warn,
                   .ctx = ctx,
                   .sink = sink,
                   .sink_ctx = sink_ctx};
    ps.markdown = cs_blocks_is_markdown(text, len, source);
    cs_status_t st = find_talks(&ps, NULL);
    if (st == CS_OK)
        return hand_batch(&ps);
    for (size_t i = 0; i < ps.n; i++)
        cs_session_clear(&ps.sessions[i]);
    free(ps.sessions);
    return st;
}

void cs_pad_vwarn(cs_pad_warn_fn fn, const char *source, unsigned line, void *ctx, const char *fmt,
                  va_list ap)
{
    if (!fn)
        return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    fn(source, line, msg, ctx);
}

cs_status_t cs_pad_parse(const char *text, size_t len, const char *source, cs_pad_warn_fn warn,
                         void *ctx, cs_pad_t **out)
{
    return cs_pad_parse_explained(text, len, source, warn, NULL, ctx, out);
}

void cs_pad_free(cs_pad_t *pad)
{
    if (!pad)
        return;
    for (size_t i = 0; i < pad->n_sessions; i++)
        cs_session_clear(&pad->sessions[i]);
    free(pad->sessions);
    free(pad);
}
