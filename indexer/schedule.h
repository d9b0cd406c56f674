/* schedule.h: official programmes (a conference's schedule as its
 * organisers publish it) read into talks.  Three formats, told apart by
 * their content, each read by one file that owns its library:
 *
 *   frab JSON  (pretalx/frab "schedule.json")  schedule_frab_json.c, jansson
 *   frab XML   (pretalx/frab "schedule.xml")   schedule_frab_xml.c, libxml2
 *   iCalendar  (RFC 5545 ".ics")               schedule_ical.c, libical
 *
 * Each event becomes a cs_session_t in a cs_pad_t, so the index writer
 * takes a programme exactly as it takes a notes pad.  What each format
 * gives is in docs/formats.md, "Official programmes"; in short:
 *
 *  - conference: frab conference title; iCalendar X-WR-CALNAME.
 *  - day: the frab day's index; for iCalendar the n-th distinct date of
 *    the calendar's events (1-based, in date order).
 *  - date, time, end_time: in the schedule's own time zone.  frab gives
 *    local times already (its time_zone_name); iCalendar times are
 *    converted to X-WR-TIMEZONE when the calendar names one (so a UTC
 *    calendar shows local times), otherwise kept as written in their TZID.
 *    An all-day event has a date and no time.  end_time is start plus the
 *    frab duration, or the iCalendar DTEND (or DTSTART + DURATION).
 *  - room, title, track, language, abstract, description, url: frab's
 *    fields of the same names; iCalendar LOCATION, SUMMARY, the first
 *    CATEGORIES, the LANGUAGE parameter of SUMMARY, (none), DESCRIPTION,
 *    URL.
 *  - speakers: frab persons; iCalendar a DESCRIPTION line "Speaker: A, B"
 *    (also "Speakers:", "講者:"; the line is taken out of the description),
 *    else every ATTENDEE's CN.  ORGANIZER is not a speaker: feeds put the
 *    organising account there, the same on every event.
 *  - line: the event's line in the file (frab XML, iCalendar); 1 for frab
 *    JSON, whose parser gives no positions.
 *  - body is "" (a programme has no notes): the document builder indexes
 *    abstract and description as the talk's text.
 *
 * Talks come out sorted by day, date and time (events of one slot in file
 * order).  Every string handed out is valid UTF-8, trimmed, NULL when
 * empty.
 *
 * Untrusted input: XML is parsed with XML_PARSE_NONET, no DTD loading and
 * no entity substitution (a reference to a declared entity contributes
 * nothing to the text); libical's errors are made non-fatal once, globally.
 * Not thread-safe against other users of libical's global error state. */
#ifndef CS_SCHEDULE_H
#define CS_SCHEDULE_H

#include <stddef.h>

#include "pad_parse.h"
#include "status.h"

typedef enum {
    CS_SCHEDULE_NONE = 0,  /* not a programme: a notes file */
    CS_SCHEDULE_FRAB_JSON, /* a JSON object with a "schedule" key near its start */
    CS_SCHEDULE_FRAB_XML,  /* XML whose root element is <schedule> */
    CS_SCHEDULE_ICAL       /* first line BEGIN:VCALENDAR */
} cs_schedule_kind_t;

/* Which programme format len bytes of text are, from their first few
 * kilobytes (a leading byte-order mark and blank space are skipped).  The
 * name of the file plays no part.  NULL with len 0 is CS_SCHEDULE_NONE. */
cs_schedule_kind_t cs_schedule_sniff(const char *text, size_t len);

/* cs_schedule_sniff on the first bytes of the file at path, read without
 * blocking; CS_SCHEDULE_NONE for a file that cannot be read or is not a
 * regular file (the run reports those when it reads them). */
cs_schedule_kind_t cs_schedule_sniff_file(const char *path);

/* A static English name of a kind ("frab JSON"...), never NULL. */
const char *cs_schedule_kind_name(cs_schedule_kind_t kind);

/* Reads len bytes of valid UTF-8 without NUL bytes (need not be
 * NUL-terminated) as the programme format cs_schedule_sniff finds.
 * source (required) is copied into every talk; warn (may be NULL) hears of
 * events skipped or fields not understood, with their line.
 *
 * On CS_OK *out is the caller's (cs_pad_free).  CS_ERR_FORMAT when the text
 * is no programme or is broken (bad JSON, XML not well-formed, a truncated
 * calendar): *errmsg (caller frees) then reads "SOURCE:LINE: what is wrong"
 * (or "SOURCE: ..." when no line is known) and *out is NULL.  Also returns
 * CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY.  errmsg may be NULL. */
cs_status_t cs_schedule_parse(const char *text, size_t len, const char *source, cs_pad_warn_fn warn,
                              void *ctx, cs_pad_t **out, char **errmsg);

#endif /* CS_SCHEDULE_H */
