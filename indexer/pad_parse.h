/* pad_parse.h: splits a conference notes pad into talks.
 *
 * The format (see schema/README.md): a day header such as
 * "PyCon APAC 2015 - Day 1 (June 5)" names the conference, day and date of
 * the talks below it; a talk header "[9:10][R0] Title (Speaker)" starts a
 * talk; a separator line such as "---- Break ----" ends it, and
 * "---- Day 1 End ----" (the day-end marker) ends it and the day.  The
 * speaker group is the LAST parenthesised group of the header; "A & B",
 * "A, B", "A 和 B" and "A and B" name several.  A file with no talk headers
 * becomes one whole-file session whose title is its first non-empty line, so
 * nothing a user gives is dropped.
 *
 * Several days in one pad: organisers paste day 2 below day 1.
 *  - Before the first talk (the preamble) only the first day header counts;
 *    later ones there are links to other days' pads.
 *  - After the day-end marker, the first day header before the next talk
 *    starts a new day, whatever conference it names; later ones before that
 *    talk are the pasted day's links.
 *  - Between talks after a plain separator, the first day header naming
 *    the conference in force (or any, when none is known) starts a new day.
 *  - A day header of the conference in force inside a talk's notes starts a
 *    new day only when the next non-blank line is a talk header; it then
 *    ends the talk before it.  Otherwise it is text of the talk.
 *  - Any other "... - Day N" line is text ("the sprint is tomorrow - day 2").
 *  - A header for the conference and day number in force changes nothing.
 *  - Talks after a day-end marker with no day header since are kept on the
 *    current day, with one warning per marker.
 * Text after a separator or marker and before the next talk header is in no
 * talk (announcements, news), as is the preamble.
 *
 * Lenient where pads are messy: spaces may stand inside and between the
 * brackets ("[ 9:10 ] [R0]"); lines may end in "\n", "\r\n" or a lone
 * "\r"; a leading byte-order mark is skipped.  A header-shaped line with an
 * impossible time ("[25:00]") stays body text, with a warning.
 */
#ifndef CS_PAD_PARSE_H
#define CS_PAD_PARSE_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

#include "session.h"
#include "status.h"

typedef struct {
    cs_session_t *sessions; /* owned by the pad */
    size_t n_sessions;
} cs_pad_t;

/* Called for each recoverable oddity found while parsing (e.g. a talk
 * header with no title), with the 1-based line it is on. */
typedef void (*cs_pad_warn_fn)(const char *source, unsigned line, const char *message, void *ctx);

/* Calls fn (NULL: nothing) with the message fmt and ap make (cut at 511
 * bytes), for the readers that word their warnings with printf formats. */
void cs_pad_vwarn(cs_pad_warn_fn fn, const char *source, unsigned line, void *ctx, const char *fmt,
                  va_list ap);

/* Parses len bytes of valid UTF-8 text (lines end in "\n" or "\r\n"; need
 * not be NUL-terminated; NULL with len 0 is an empty pad).  source (required)
 * is copied into every session's source.
 * warn may be NULL.  On CS_OK, *out is owned by the caller: cs_pad_free.
 * Empty or blank text gives CS_OK with no sessions.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_pad_parse(const char *text, size_t len, const char *source, cs_pad_warn_fn warn,
                         void *ctx, cs_pad_t **out);
void cs_pad_free(cs_pad_t *pad);

/* As cs_pad_parse, for every format docs/formats.md describes: a file
 * with bracket talk headers is read by the line rules above (Markdown
 * around them allowed); any other Markdown, RST or plain text by
 * talk_find.h's recognisers, and as one whole-file document when no talk
 * is found.  A Markdown talk's body stays Markdown and its text is the
 * plain text.  explain (may be NULL) hears of each line taken as context
 * or metadata, for confsearch-index --explain.  Returns as cs_pad_parse. */
cs_status_t cs_pad_parse_explained(const char *text, size_t len, const char *source,
                                   cs_pad_warn_fn warn, cs_pad_warn_fn explain, void *ctx,
                                   cs_pad_t **out);

/* Talks handed over as the parser finds them (cs_pad_parse_batched): a
 * batch is full at this many talks, or this many bytes of notes. */
#define CS_PAD_BATCH_TALKS 1024
#define CS_PAD_BATCH_BYTES (4u * 1024 * 1024)

/* Receives one batch of talks, in file order, each finished as
 * cs_pad_parse would leave it.  The sink may move the sessions out of
 * batch (take batch->sessions and set it NULL with n_sessions 0); what it
 * leaves is freed after the call.  Anything but CS_OK stops the parse,
 * which returns that status. */
typedef cs_status_t (*cs_pad_sink_fn)(cs_pad_t *batch, void *ctx);

/* As cs_pad_parse, handing the talks to sink (required) in batches instead
 * of returning them all, so that memory is bounded by a batch rather than
 * by the file: a pad of bracket talk headers is streamed as it is read
 * (the other formats are read whole, then handed over).  sink is called
 * at least once when the text holds any talk, never with an empty batch.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY, or the sink's status. */
cs_status_t cs_pad_parse_batched(const char *text, size_t len, const char *source,
                                 cs_pad_warn_fn warn, void *ctx, cs_pad_sink_fn sink,
                                 void *sink_ctx);

/* Exposed for tests: recognises one line.  Each returns true and fills its
 * out-parameters (owned by the caller, free()) when the line is of its kind. */
bool cs_pad_parse_talk_header(const char *line, size_t len, char time[6], char **room, char **title,
                              char **speaker);
bool cs_pad_parse_day_header(const char *line, size_t len, char **conference, int *day,
                             char date[11]);
/* 0: not a separator; 1: a separator ending a talk; 2: the day-end marker. */
int cs_pad_separator_kind(const char *line, size_t len);
/* Splits a speaker group into names; returns how many (at most max),
 * each malloc'd. */
size_t cs_pad_split_speakers(const char *group, char **names, size_t max);

#endif /* CS_PAD_PARSE_H */
