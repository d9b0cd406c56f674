/* schedule_ical.c: iCalendar programmes (RFC 5545) read with libical.  The
 * only file that calls libical; the component tree is freed here before
 * returning, and every string taken from it is copied first.
 *
 * libical unfolds lines, unescapes text and resolves TZIDs (against the
 * file's VTIMEZONEs, else its own copy of the tz database), but gives no
 * line numbers and reads a truncated file without complaint.  So a scan of
 * our own checks that BEGIN and END lines pair up, giving the line of a
 * mismatch or of a missing END, and tells each top-level VEVENT's line. */
#include <libical/ical.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "schedule_reader.h"

#define MAX_DEPTH 16
#define NAME_BYTES 32

typedef struct {
    unsigned *event_lines; /* line of each VEVENT directly inside a VCALENDAR */
    size_t n_events, cap;
} scan_t;

static bool push_line(scan_t *scan, unsigned line)
{
    if (!cs_grow(&scan->event_lines, &scan->cap, scan->n_events + 1, sizeof *scan->event_lines, 64))
        return false;
    scan->event_lines[scan->n_events++] = line;
    return true;
}

/* The component name after "BEGIN:" or "END:" (upper-cased, cut to fit). */
static void component_name(const char *p, const char *end, char name[NAME_BYTES])
{
    size_t n = 0;
    while (p < end && *p != ' ' && *p != '\t' && n + 1 < NAME_BYTES) {
        char c = *p++;
        name[n++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    name[n] = '\0';
}

static cs_status_t scan_structure(const char *text, size_t len, cs_sched_builder_t *b, scan_t *scan)
{
    char stack[MAX_DEPTH][NAME_BYTES];
    unsigned opened[MAX_DEPTH];
    int depth = 0;
    unsigned line = 0, last = 0;
    for (size_t i = 0; i < len;) {
        const char *p = text + i;
        size_t n = 0;
        while (i + n < len && text[i + n] != '\n' && text[i + n] != '\r')
            n++;
        i += n;
        if (i < len && text[i] == '\r') {
            i++;
            if (i < len && text[i] == '\n')
                i++;
        } else if (i < len) {
            i++; /* '\n' */
        }
        line++;
        if (n)
            last = line;
        const char *end = p + n;
        char name[NAME_BYTES];
        if (n >= 6 && strncasecmp(p, "BEGIN:", 6) == 0) {
            component_name(p + 6, end, name);
            if (depth == MAX_DEPTH)
                return cs_sched_fail(b, line, "components nested more than %d deep", MAX_DEPTH);
            if (depth == 1 && strcmp(name, "VEVENT") == 0 && strcmp(stack[0], "VCALENDAR") == 0 &&
                !push_line(scan, line))
                return CS_ERR_NO_MEMORY;
            memcpy(stack[depth], name, NAME_BYTES);
            opened[depth++] = line;
        } else if (n >= 4 && strncasecmp(p, "END:", 4) == 0) {
            component_name(p + 4, end, name);
            if (!depth)
                return cs_sched_fail(b, line, "END:%s without a BEGIN:%s", name, name);
            if (strcmp(name, stack[depth - 1]) != 0)
                return cs_sched_fail(b, line, "END:%s where BEGIN:%s of line %u is open", name,
                                     stack[depth - 1], opened[depth - 1]);
            depth--;
        }
    }
    if (depth)
        return cs_sched_fail(b, last ? last : 1,
                             "the file ends inside BEGIN:%s of line %u (truncated?)",
                             stack[depth - 1], opened[depth - 1]);
    return CS_OK;
}

/* An X- property of the calendar ("X-WR-CALNAME"), or NULL. */
static const char *x_property(icalcomponent *cal, const char *name)
{
    for (icalproperty *p = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY)) {
        const char *x = icalproperty_get_x_name(p);
        if (x && strcasecmp(x, name) == 0)
            return icalproperty_get_x(p);
    }
    return NULL;
}

/* X- values come as written: undo the text escapes (\, \; \n \\). */
static char *unescape(const char *v)
{
    if (!v)
        return NULL;
    char *out = malloc(strlen(v) + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = v; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            *o++ = *p == 'n' || *p == 'N' ? '\n' : *p;
        } else
            *o++ = *p;
    }
    *o = '\0';
    return out;
}

typedef struct {
    icaltimezone *display; /* X-WR-TIMEZONE, or NULL: times as written */
    bool warned_utc;
} zone_t;

/* t as a date and a time in the programme's zone; false for no time. */
static bool local_of(struct icaltimetype t, zone_t *z, char date[11], char time[6])
{
    if (icaltime_is_null_time(t))
        return false;
    if (!icaltime_is_date(t) && z->display &&
        (icaltime_is_utc(t) ||
         (icaltime_get_timezone(t) && icaltime_get_timezone(t) != z->display)))
        t = icaltime_convert_to_zone(t, z->display);
    if (t.year < 1 || t.year > 9999 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31)
        return false;
    cs_sched_format_date(t.year, t.month, t.day, date);
    if (icaltime_is_date(t))
        time[0] = '\0';
    else
        cs_sched_format_time(t.hour, t.minute, time);
    return true;
}

/* The speaker line of a description ("Speaker: A, B"): the speakers are
 * taken and the line taken out.  Returns CS_OK or CS_ERR_NO_MEMORY. */
static cs_status_t speakers_from_description(cs_session_t *s)
{
    static const char *const labels[] = {"speakers:",           "speaker:", "speakers\xEF\xBC\x9A",
                                         "speaker\xEF\xBC\x9A", "講者:",    "講者\xEF\xBC\x9A"};
    char *d = s->description;
    for (char *line = d; line && *line;) {
        char *eol = strchr(line, '\n');
        size_t n = eol ? (size_t)(eol - line) : strlen(line);
        char *p = line;
        while (p < line + n && (*p == ' ' || *p == '\t'))
            p++;
        for (size_t k = 0; k < sizeof labels / sizeof *labels; k++) {
            size_t l = strlen(labels[k]);
            if ((size_t)(line + n - p) < l || strncasecmp(p, labels[k], l) != 0)
                continue;
            char *group = strndup(p + l, (size_t)(line + n - p - l));
            if (!group)
                return CS_ERR_NO_MEMORY;
            char *names[CS_MAX_SPEAKERS];
            size_t got = cs_pad_split_speakers(group, names, CS_MAX_SPEAKERS);
            free(group);
            cs_status_t st = CS_OK;
            for (size_t j = 0; j < got; j++) {
                if (st == CS_OK)
                    st = cs_sched_add_speaker(s, names[j], strlen(names[j]));
                free(names[j]);
            }
            /* Out with the line (and its newline). */
            memmove(line, eol ? eol + 1 : line + n, strlen(eol ? eol + 1 : line + n) + 1);
            if (st == CS_OK) {
                char *rest = s->description;
                s->description = NULL;
                st = cs_sched_set_str(&s->description, rest);
                free(rest);
            }
            return st;
        }
        line = eol ? eol + 1 : NULL;
    }
    return CS_OK;
}

static cs_status_t speakers_from_attendees(cs_session_t *s, icalcomponent *ev)
{
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
        icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
        const char *name = cn ? icalparameter_get_cn(cn) : NULL;
        if (name && cs_sched_add_speaker(s, name, strlen(name)) != CS_OK)
            return CS_ERR_NO_MEMORY;
    }
    return CS_OK;
}

static const char *first_text(icalcomponent *ev, icalproperty_kind kind,
                              const char *(*get)(const icalproperty *))
{
    icalproperty *p = icalcomponent_get_first_property(ev, kind);
    return p ? get(p) : NULL;
}

/* DTEND, or DTSTART + DURATION, or a null time.  libical's own
 * icalcomponent_get_dtend adds a duration to the wall clock, so a talk
 * across a DST change would end an hour off; RFC 5545 makes hours exact,
 * so the sum is taken in UTC and brought back to DTSTART's zone. */
static struct icaltimetype end_of(icalcomponent *ev, struct icaltimetype start)
{
    if (icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY))
        return icalcomponent_get_dtend(ev);
    icalproperty *dur = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
    if (!dur)
        return icaltime_null_time(); /* no end given: none made up */
    struct icaldurationtype d = icalproperty_get_duration(dur);
    icaltimezone *zone = (icaltimezone *)icaltime_get_timezone(start);
    if (!zone || icaltime_is_utc(start))
        return icaltime_add(start, d); /* floating or UTC: no clock change */
    struct icaltimetype utc = icaltime_convert_to_zone(start, icaltimezone_get_utc_timezone());
    return icaltime_convert_to_zone(icaltime_add(utc, d), zone);
}

static cs_status_t read_event(cs_sched_builder_t *b, icalcomponent *ev, unsigned line,
                              const char *conference, zone_t *z)
{
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_XLICERROR_PROPERTY))
        cs_sched_warn(b, line, "%s", icalproperty_get_xlicerror(p));
    if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
        return CS_OK;
    const char *summary = icalcomponent_get_summary(ev);
    struct icaltimetype start = icalcomponent_get_dtstart(ev);
    char date[11], time[6];
    if (!summary || !*summary) {
        cs_sched_warn(b, line, "an event without a SUMMARY is skipped");
        return CS_OK;
    }
    if (!local_of(start, z, date, time)) {
        cs_sched_warn(b, line, "\"%s\": no DTSTART understood; skipped", summary);
        return CS_OK;
    }
    if (icaltime_is_utc(start) && !z->display && !z->warned_utc) {
        z->warned_utc = true;
        cs_sched_warn(b, line, "times are in UTC: no X-WR-TIMEZONE names the programme's zone");
    }
    cs_session_t *s = cs_sched_new_talk(b, line);
    if (!s)
        return CS_ERR_NO_MEMORY;
    memcpy(s->date, date, sizeof date);
    memcpy(s->time, time, sizeof time);
    if (time[0]) {
        char end_date[11], end[6];
        if (local_of(end_of(ev, start), z, end_date, end) && end[0] &&
            (strcmp(end, time) != 0 || strcmp(end_date, date) != 0))
            memcpy(s->end_time, end, sizeof end);
    }
    icalproperty *sp = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
    icalparameter *lang = sp ? icalproperty_get_first_parameter(sp, ICAL_LANGUAGE_PARAMETER) : NULL;
    cs_status_t st = cs_sched_set_str(&s->title, summary);
    if (st == CS_OK)
        st = cs_sched_set_str(&s->conference, conference);
    if (st == CS_OK)
        st = cs_sched_set_str(&s->room, icalcomponent_get_location(ev));
    if (st == CS_OK)
        st = cs_sched_set_str(&s->description, icalcomponent_get_description(ev));
    if (st == CS_OK)
        st = cs_sched_set_str(&s->url, first_text(ev, ICAL_URL_PROPERTY, icalproperty_get_url));
    if (st == CS_OK)
        st = cs_sched_set_str(
            &s->track, first_text(ev, ICAL_CATEGORIES_PROPERTY, icalproperty_get_categories));
    if (st == CS_OK && lang)
        st = cs_sched_set_str(&s->language, icalparameter_get_language(lang));
    if (st == CS_OK)
        st = speakers_from_description(s);
    if (st == CS_OK && !s->n_speakers)
        st = speakers_from_attendees(s, ev);
    if (st == CS_OK && !s->title) /* a SUMMARY of blanks */
        cs_sched_drop_last(b);
    return st;
}

static int by_date(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Day n is the n-th distinct date among the talks. */
static cs_status_t number_days(cs_pad_t *pad)
{
    size_t n = pad->n_sessions, distinct = 0;
    if (!n)
        return CS_OK;
    const char **dates = malloc(n * sizeof *dates);
    if (!dates)
        return CS_ERR_NO_MEMORY;
    for (size_t i = 0; i < n; i++)
        dates[i] = pad->sessions[i].date;
    qsort(dates, n, sizeof *dates, by_date);
    for (size_t i = 0; i < n; i++)
        if (!distinct || strcmp(dates[distinct - 1], dates[i]) != 0)
            dates[distinct++] = dates[i];
    for (size_t i = 0; i < n; i++) {
        const char **at = bsearch(&(const char *){pad->sessions[i].date}, dates, distinct,
                                  sizeof *dates, by_date);
        pad->sessions[i].day = at && at - dates < 999 ? (int)(at - dates) + 1 : 0;
    }
    free(dates);
    return CS_OK;
}

cs_status_t cs_schedule_read_ical(const char *text, size_t len, cs_sched_builder_t *b)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3; /* libical does not skip a byte-order mark */
    scan_t scan = {0};
    cs_status_t st = scan_structure(text, len, b, &scan);
    if (st != CS_OK) {
        free(scan.event_lines);
        return st;
    }
    char *copy = strndup(text, len); /* libical wants a terminated string */
    if (!copy) {
        free(scan.event_lines);
        return CS_ERR_NO_MEMORY;
    }
    icalerror_set_errors_are_fatal(0);
    icalcomponent *root = icalparser_parse_string(copy);
    free(copy);
    icalcomponent *cal = root;
    if (root && icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
        cal = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
    if (!cal) {
        if (root)
            icalcomponent_free(root);
        free(scan.event_lines);
        return cs_sched_fail(b, 1, "iCalendar that libical cannot read (%s)",
                             icalerror_strerror(icalerrno));
    }
    zone_t z = {0};
    const char *tzid = x_property(cal, "X-WR-TIMEZONE");
    if (tzid && !(z.display = icaltimezone_get_builtin_timezone(tzid)))
        cs_sched_warn(b, 1, "X-WR-TIMEZONE \"%s\" is no known time zone; times as written", tzid);
    char *conference = unescape(x_property(cal, "X-WR-CALNAME"));
    if (!conference && x_property(cal, "X-WR-CALNAME"))
        st = CS_ERR_NO_MEMORY;
    size_t k = 0;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         ev && st == CS_OK; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), k++)
        st = read_event(b, ev, k < scan.n_events ? scan.event_lines[k] : 1, conference, &z);
    if (st == CS_OK)
        st = number_days(b->pad);
    free(conference);
    free(scan.event_lines);
    icalcomponent_free(root);
    return st;
}
