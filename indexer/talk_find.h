/* talk_find.h: finds the talks of a Markdown, RST or plain notes file in
 * its blocks (blocks.h), with the recognisers of recognise.h: which
 * headings or list items are talks, which set the day, date, room or time
 * of the talks below them, and where each talk's notes end.  The rules,
 * with an example of each shape, are in docs/formats.md. */
#ifndef CS_TALK_FIND_H
#define CS_TALK_FIND_H

#include <stddef.h>

#include "blocks.h"
#include "pad_parse.h"
#include "session.h"
#include "status.h"

/* Finds the talks in text (the bytes blocks was read from).  Each session
 * gets source, line, title, speakers, time, end time, room, day, date,
 * conference, link and body (the talk's lines as written, from the line
 * after its heading to the line before the next talk or context heading).
 * *out (caller frees each with cs_session_clear, then the array) holds *n
 * sessions; none is not an error (the caller makes a whole-file document).
 * explain (may be NULL) hears of every line taken as context or metadata.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_talk_find(const char *text, size_t len, const char *source,
                         const cs_blocks_t *blocks, cs_pad_warn_fn warn, cs_pad_warn_fn explain,
                         void *ctx, cs_session_t **out, size_t *n);

/* The title a file without talks gets: its first real heading, else the
 * front matter's title, else the file name without directory and
 * extension.  Returns a malloc'd string, NULL when out of memory. */
char *cs_talk_find_document_title(const cs_blocks_t *blocks, const char *source);

#endif /* CS_TALK_FIND_H */
