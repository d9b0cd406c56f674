/* schedule_reader.h: what the three programme readers share (internal to
 * schedule*.c): a growing list of talks, the field rules (trimmed, valid
 * UTF-8, NULL when empty), time arithmetic, and the one function that
 * turns a frab event into a talk, so frab JSON and XML cannot differ. */
#ifndef CS_SCHEDULE_READER_H
#define CS_SCHEDULE_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "pad_parse.h"
#include "status.h"

typedef struct {
    cs_pad_t *pad; /* talks so far; owned by the builder until handed out */
    size_t cap;
    const char *source;
    cs_pad_warn_fn warn;
    void *ctx;
    char *errmsg; /* set by cs_sched_fail; the builder's until handed out */
} cs_sched_builder_t;

/* A new talk at the end of the list: source, line and an empty body set.
 * NULL when out of memory. */
cs_session_t *cs_sched_new_talk(cs_sched_builder_t *b, unsigned line);

/* Drops the last talk (one that turned out to be no talk). */
void cs_sched_drop_last(cs_sched_builder_t *b);

/* *field = a copy of len bytes of text (NULL: none), trimmed of blank
 * space, invalid UTF-8 replaced, or NULL when nothing is left.  Returns
 * CS_OK or CS_ERR_NO_MEMORY. */
cs_status_t cs_sched_set(char **field, const char *text, size_t len);
/* The same for a NUL-terminated string (NULL: none).  Returns CS_OK or
 * CS_ERR_NO_MEMORY. */
cs_status_t cs_sched_set_str(char **field, const char *text);

/* Adds one speaker (trimmed; empty ones and those past CS_MAX_SPEAKERS are
 * dropped).  Returns CS_OK or CS_ERR_NO_MEMORY. */
cs_status_t cs_sched_add_speaker(cs_session_t *s, const char *name, size_t len);

/* "9:05", "09:05", "09:05:00" -> "09:05".  False for anything else. */
bool cs_sched_hhmm(const char *text, char out[6]);
/* "00:30", "1:30", "01:30:00" -> minutes.  False for anything else. */
bool cs_sched_duration(const char *text, int *minutes);
/* The ISO date at the start of text ("2026-03-14", "2026-03-14T09:00+08:00"). */
bool cs_sched_date(const char *text, char out[11]);
/* "HH:MM" of h (0-23) and m (0-59); "YYYY-MM-DD" of y (0-9999), mo, d. */
void cs_sched_format_time(int h, int m, char out[6]);
void cs_sched_format_date(int y, int mo, int d, char out[11]);
/* time plus minutes, on a 24-hour clock. */
void cs_sched_add_minutes(const char time[6], int minutes, char out[6]);

/* Tells warn (if any) about line of the source. */
__attribute__((format(printf, 3, 4))) void cs_sched_warn(cs_sched_builder_t *b, unsigned line,
                                                         const char *fmt, ...);
/* Records why the file cannot be read, "SOURCE:LINE: ..." (line 0: no
 * line), and returns CS_ERR_FORMAT (CS_ERR_NO_MEMORY when even that fails). */
__attribute__((format(printf, 3, 4))) cs_status_t
cs_sched_fail(cs_sched_builder_t *b, unsigned line, const char *fmt, ...);

/* One frab event as either frab reader finds it (strings NUL-terminated,
 * NULL when absent; none is kept). */
typedef struct {
    const char *conference;
    int day_index;
    const char *day_date;
    const char *title, *date, *start, *duration, *room, *track, *language, *abstract, *description,
        *url;
    const char *persons[CS_MAX_SPEAKERS];
    size_t n_persons;
    unsigned line;
} cs_frab_event_t;

/* Adds e as a talk (an event without a title is skipped, with a warning).
 * Returns CS_OK or CS_ERR_NO_MEMORY. */
cs_status_t cs_sched_add_frab_event(cs_sched_builder_t *b, const cs_frab_event_t *e);

/* The readers.  Each fills b and returns CS_OK, CS_ERR_FORMAT (after
 * cs_sched_fail) or CS_ERR_NO_MEMORY. */
cs_status_t cs_schedule_read_frab_json(const char *text, size_t len, cs_sched_builder_t *b);
cs_status_t cs_schedule_read_frab_xml(const char *text, size_t len, cs_sched_builder_t *b);
cs_status_t cs_schedule_read_ical(const char *text, size_t len, cs_sched_builder_t *b);

#endif /* CS_SCHEDULE_READER_H */
