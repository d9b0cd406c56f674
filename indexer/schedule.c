/* schedule.c: tells a programme file from notes by its content, and keeps
 * the rules the three readers share (fields, times, frab events, order). */
#include "schedule.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "notes_reader.h"
#include "schedule_reader.h"

/* How far into a file the sniffer looks for a JSON "schedule" key. */
#define SNIFF_JSON_BYTES 4096
/* How far it looks for the root element past an XML prolog. */
#define SNIFF_XML_BYTES (64 * 1024)

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f'))
        p++;
    return p;
}

static bool starts(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* Past the end of the first "close" at or after p, or NULL. */
static const char *past(const char *p, const char *end, const char *close)
{
    size_t n = strlen(close);
    for (; (size_t)(end - p) >= n; p++)
        if (memcmp(p, close, n) == 0)
            return p + n;
    return NULL;
}

/* The root element of XML text is <schedule>: the prolog (declaration,
 * comments, processing instructions, a doctype) is stepped over. */
static bool xml_root_is_schedule(const char *p, const char *end)
{
    for (;;) {
        p = skip_space(p, end);
        if (starts(p, end, "<?"))
            p = past(p, end, "?>");
        else if (starts(p, end, "<!--"))
            p = past(p, end, "-->");
        else if (starts(p, end, "<!DOCTYPE")) {
            const char *q = p;
            while (q < end && *q != '>' && *q != '[')
                q++;
            if (q < end && *q == '[')
                q = past(q, end, "]");
            p = q ? past(q, end, ">") : NULL;
        } else
            break;
        if (!p)
            return false;
    }
    if (!starts(p, end, "<schedule"))
        return false;
    p += strlen("<schedule");
    return p < end &&
           (*p == '>' || *p == '/' || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n');
}

cs_schedule_kind_t cs_schedule_sniff(const char *text, size_t len)
{
    if (!text)
        return CS_SCHEDULE_NONE;
    const char *p = text, *end = text + len;
    if (starts(p, end, "\xEF\xBB\xBF"))
        p += 3;
    p = skip_space(p, end);
    if ((size_t)(end - p) >= 15 && strncasecmp(p, "BEGIN:VCALENDAR", 15) == 0)
        return CS_SCHEDULE_ICAL;
    if (p < end && *p == '{') {
        const char *limit = (size_t)(end - p) > SNIFF_JSON_BYTES ? p + SNIFF_JSON_BYTES : end;
        return past(p, limit, "\"schedule\"") ? CS_SCHEDULE_FRAB_JSON : CS_SCHEDULE_NONE;
    }
    if (p < end && *p == '<') {
        const char *limit = (size_t)(end - p) > SNIFF_XML_BYTES ? p + SNIFF_XML_BYTES : end;
        return xml_root_is_schedule(p, limit) ? CS_SCHEDULE_FRAB_XML : CS_SCHEDULE_NONE;
    }
    return CS_SCHEDULE_NONE;
}

cs_schedule_kind_t cs_schedule_sniff_file(const char *path)
{
    int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
    struct stat sb;
    if (fd < 0)
        return CS_SCHEDULE_NONE;
    cs_schedule_kind_t kind = CS_SCHEDULE_NONE;
    /* The most cs_schedule_sniff reads: a byte-order mark, then the XML
     * limit (blank space before the text is not expected to be long). */
    static char head[3 + SNIFF_XML_BYTES];
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        size_t got = 0;
        ssize_t r;
        while (got < sizeof head && (r = read(fd, head + got, sizeof head - got)) > 0)
            got += (size_t)r;
        kind = cs_schedule_sniff(head, got);
    }
    close(fd);
    return kind;
}

const char *cs_schedule_kind_name(cs_schedule_kind_t kind)
{
    switch (kind) {
    case CS_SCHEDULE_FRAB_JSON: return "frab JSON";
    case CS_SCHEDULE_FRAB_XML: return "frab XML";
    case CS_SCHEDULE_ICAL: return "iCalendar";
    case CS_SCHEDULE_NONE: break;
    }
    return "not a programme";
}

/* ---- the builder ---- */

cs_session_t *cs_sched_new_talk(cs_sched_builder_t *b, unsigned line)
{
    cs_pad_t *pad = b->pad;
    if (!cs_grow(&pad->sessions, &b->cap, pad->n_sessions + 1, sizeof *pad->sessions, 16))
        return NULL;
    cs_session_t *s = &pad->sessions[pad->n_sessions];
    memset(s, 0, sizeof *s);
    s->body = strdup("");
    s->source = strdup(b->source);
    s->title = strdup("");
    if (!s->body || !s->source || !s->title) {
        cs_session_clear(s);
        return NULL;
    }
    s->line = line ? line : 1;
    pad->n_sessions++;
    return s;
}

void cs_sched_drop_last(cs_sched_builder_t *b)
{
    if (b->pad->n_sessions)
        cs_session_clear(&b->pad->sessions[--b->pad->n_sessions]);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

cs_status_t cs_sched_set(char **field, const char *text, size_t len)
{
    free(*field);
    *field = NULL;
    if (!text)
        return CS_OK;
    while (len && is_blank(*text))
        text++, len--;
    while (len && is_blank(text[len - 1]))
        len--;
    if (!len)
        return CS_OK;
    size_t out_len = 0, repairs = 0;
    unsigned first = 0;
    /* Readers hand over what their libraries decoded (escapes, entities,
     * folded lines): checked again, since the index wants valid UTF-8. */
    return cs_utf8_repair(text, len, field, &out_len, &repairs, &first);
}

cs_status_t cs_sched_set_str(char **field, const char *text)
{
    return cs_sched_set(field, text, text ? strlen(text) : 0);
}

cs_status_t cs_sched_add_speaker(cs_session_t *s, const char *name, size_t len)
{
    if (s->n_speakers >= CS_MAX_SPEAKERS)
        return CS_OK;
    char *copy = NULL;
    cs_status_t st = cs_sched_set(&copy, name, len);
    if (st == CS_OK && copy)
        s->speakers[s->n_speakers++] = copy;
    return st;
}

static bool two_digits(const char *p, int *v)
{
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
        return false;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

/* "H:MM" or "HH:MM" with an optional ":SS"; *h unbounded up to 99. */
static bool parse_clock(const char *t, int *h, int *m)
{
    if (!t)
        return false;
    int hours = 0, n = 0;
    while (isdigit((unsigned char)t[n]) && n < 2)
        hours = hours * 10 + (t[n++] - '0');
    if (n == 0 || t[n] != ':' || !two_digits(t + n + 1, m) || *m > 59)
        return false;
    const char *rest = t + n + 3;
    int sec;
    if (*rest == ':' && two_digits(rest + 1, &sec) && sec < 60)
        rest += 3;
    if (*rest)
        return false;
    *h = hours;
    return true;
}

/* Digits by hand: snprintf's "%02d" cannot show the compiler the bounds. */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

void cs_sched_format_time(int h, int m, char out[6])
{
    put_digits(out, h % 24, 2);
    out[2] = ':';
    put_digits(out + 3, m % 60, 2);
    out[5] = '\0';
}

void cs_sched_format_date(int y, int mo, int d, char out[11])
{
    put_digits(out, y % 10000, 4);
    out[4] = '-';
    put_digits(out + 5, mo % 100, 2);
    out[7] = '-';
    put_digits(out + 8, d % 100, 2);
    out[10] = '\0';
}

bool cs_sched_hhmm(const char *text, char out[6])
{
    int h, m;
    if (!parse_clock(text, &h, &m) || h > 23)
        return false;
    cs_sched_format_time(h, m, out);
    return true;
}

bool cs_sched_duration(const char *text, int *minutes)
{
    int h, m;
    if (!parse_clock(text, &h, &m))
        return false;
    *minutes = h * 60 + m;
    return true;
}

bool cs_sched_date(const char *text, char out[11])
{
    if (!text || strlen(text) < 10)
        return false;
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? text[i] != '-' : !isdigit((unsigned char)text[i]))
            return false;
    }
    int month = (text[5] - '0') * 10 + (text[6] - '0'),
        day = (text[8] - '0') * 10 + (text[9] - '0');
    if (month < 1 || month > 12 || day < 1 || day > 31 ||
        (text[10] && text[10] != 'T' && text[10] != ' '))
        return false;
    memcpy(out, text, 10);
    out[10] = '\0';
    return true;
}

void cs_sched_add_minutes(const char time[6], int minutes, char out[6])
{
    int at = ((time[0] - '0') * 10 + (time[1] - '0')) * 60 + (time[3] - '0') * 10 + (time[4] - '0');
    at = (at + minutes % (24 * 60)) % (24 * 60);
    cs_sched_format_time(at / 60, at % 60, out);
}

void cs_sched_warn(cs_sched_builder_t *b, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cs_pad_vwarn(b->warn, b->source, line, b->ctx, fmt, ap);
    va_end(ap);
}

cs_status_t cs_sched_fail(cs_sched_builder_t *b, unsigned line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    free(b->errmsg);
    b->errmsg = line ? cs_strdup_printf("%s:%u: %s", b->source, line, msg)
                     : cs_strdup_printf("%s: %s", b->source, msg);
    return b->errmsg ? CS_ERR_FORMAT : CS_ERR_NO_MEMORY;
}

/* ---- frab events, from JSON or XML alike ---- */

cs_status_t cs_sched_add_frab_event(cs_sched_builder_t *b, const cs_frab_event_t *e)
{
    char *title = NULL;
    if (cs_sched_set_str(&title, e->title) != CS_OK)
        return CS_ERR_NO_MEMORY;
    if (!title) {
        cs_sched_warn(b, e->line, "an event without a title is skipped");
        return CS_OK;
    }
    cs_session_t *s = cs_sched_new_talk(b, e->line);
    if (!s) {
        free(title);
        return CS_ERR_NO_MEMORY;
    }
    free(s->title);
    s->title = title;
    const struct {
        char **field;
        const char *value;
    } fields[] = {{&s->conference, e->conference},
                  {&s->room, e->room},
                  {&s->track, e->track},
                  {&s->language, e->language},
                  {&s->abstract, e->abstract},
                  {&s->description, e->description},
                  {&s->url, e->url}};
    cs_status_t st = CS_OK;
    for (size_t i = 0; st == CS_OK && i < sizeof fields / sizeof *fields; i++)
        st = cs_sched_set_str(fields[i].field, fields[i].value);
    for (size_t i = 0; st == CS_OK && i < e->n_persons; i++)
        st = cs_sched_add_speaker(s, e->persons[i], e->persons[i] ? strlen(e->persons[i]) : 0);
    if (st != CS_OK)
        return st;
    s->day = e->day_index > 0 ? e->day_index : 0;
    /* The event's own date first: a talk after midnight is on the next
     * date, though frab keeps it in the day it belongs to. */
    if (!cs_sched_date(e->date, s->date) && !cs_sched_date(e->day_date, s->date) &&
        (e->date || e->day_date))
        cs_sched_warn(b, e->line, "\"%s\": no date understood", s->title);
    if (e->start && !cs_sched_hhmm(e->start, s->time))
        cs_sched_warn(b, e->line, "\"%s\": start \"%s\" is no time (HH:MM)", s->title, e->start);
    if (!s->time[0] && e->date && strlen(e->date) >= 16 && e->date[10] == 'T') {
        char hm[6] = {e->date[11], e->date[12], e->date[13], e->date[14], e->date[15], '\0'};
        cs_sched_hhmm(hm, s->time);
    }
    int minutes = 0;
    if (e->duration && !cs_sched_duration(e->duration, &minutes))
        cs_sched_warn(b, e->line, "\"%s\": duration \"%s\" is no HH:MM", s->title, e->duration);
    else if (e->duration && s->time[0])
        cs_sched_add_minutes(s->time, minutes, s->end_time);
    return CS_OK;
}

/* ---- finishing a programme ---- */

/* The speaker group as a notes pad would write it. */
static cs_status_t join_speakers(cs_session_t *s)
{
    if (!s->n_speakers || s->speaker)
        return CS_OK;
    size_t total = 1;
    for (size_t i = 0; i < s->n_speakers; i++)
        total += strlen(s->speakers[i]) + 2;
    s->speaker = malloc(total);
    if (!s->speaker)
        return CS_ERR_NO_MEMORY;
    s->speaker[0] = '\0';
    for (size_t i = 0; i < s->n_speakers; i++) {
        if (i)
            strcat(s->speaker, ", ");
        strcat(s->speaker, s->speakers[i]);
    }
    return CS_OK;
}

typedef struct {
    const cs_session_t *s;
    size_t at;
} order_t;

static int by_slot(const void *pa, const void *pb)
{
    const order_t *a = pa, *b = pb;
    if (a->s->day != b->s->day)
        return a->s->day < b->s->day ? -1 : 1;
    int c = strcmp(a->s->date, b->s->date);
    if (!c)
        c = strcmp(a->s->time, b->s->time);
    if (!c)
        c = a->at < b->at ? -1 : a->at > b->at;
    return c;
}

static cs_status_t sort_talks(cs_pad_t *pad)
{
    size_t n = pad->n_sessions;
    if (n < 2)
        return CS_OK;
    order_t *order = malloc(n * sizeof *order);
    cs_session_t *sorted = malloc(n * sizeof *sorted);
    if (!order || !sorted) {
        free(order);
        free(sorted);
        return CS_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (order_t){&pad->sessions[i], i};
    qsort(order, n, sizeof *order, by_slot);
    for (size_t i = 0; i < n; i++)
        sorted[i] = pad->sessions[order[i].at];
    free(pad->sessions);
    pad->sessions = sorted;
    free(order);
    return CS_OK;
}

cs_status_t cs_schedule_parse(const char *text, size_t len, const char *source, cs_pad_warn_fn warn,
                              void *ctx, cs_pad_t **out, char **errmsg)
{
    if (out)
        *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    if (!out || !source || (!text && len))
        return CS_ERR_NULL_ARG;
    cs_sched_builder_t b = {.source = source, .warn = warn, .ctx = ctx};
    b.pad = calloc(1, sizeof *b.pad);
    if (!b.pad)
        return CS_ERR_NO_MEMORY;
    cs_status_t st;
    switch (cs_schedule_sniff(text, len)) {
    case CS_SCHEDULE_FRAB_JSON: st = cs_schedule_read_frab_json(text, len, &b); break;
    case CS_SCHEDULE_FRAB_XML: st = cs_schedule_read_frab_xml(text, len, &b); break;
    case CS_SCHEDULE_ICAL: st = cs_schedule_read_ical(text, len, &b); break;
    default: st = cs_sched_fail(&b, 0, "not a programme (frab JSON, frab XML or iCalendar)"); break;
    }
    for (size_t i = 0; st == CS_OK && i < b.pad->n_sessions; i++) {
        b.pad->sessions[i].programme = true;
        st = join_speakers(&b.pad->sessions[i]);
    }
    if (st == CS_OK)
        st = sort_talks(b.pad);
    if (st != CS_OK) {
        cs_pad_free(b.pad);
        if (errmsg)
            *errmsg = b.errmsg;
        else
            free(b.errmsg);
        return st;
    }
    free(b.errmsg);
    *out = b.pad;
    return CS_OK;
}
