/* notes_reader.h: reads a notes file into memory as clean UTF-8, with
 * bounded memory however hostile the file: over-long lines are cut, invalid
 * UTF-8 is repaired with U+FFFD, binary files are refused. */
#ifndef CS_NOTES_READER_H
#define CS_NOTES_READER_H

#include <stddef.h>

#include "pad_parse.h"
#include "status.h"

/* A line longer than this is cut (with a warning): talk notes never need
 * more, and it bounds memory for a file that is one 100 MB line. */
#define CS_MAX_LINE_BYTES (64 * 1024)
/* A file is read up to this many bytes of kept text; the rest is dropped
 * with a warning. */
#define CS_MAX_FILE_BYTES (256u * 1024 * 1024)

/* Reads path.  On CS_OK *text (NUL-terminated, caller frees) holds *len
 * bytes of valid UTF-8; warn (may be NULL) hears of repairs and cuts with
 * the line they were on.  Returns CS_OK; CS_ERR_IO when the file cannot be
 * opened or read; CS_ERR_FORMAT when it looks binary (a NUL byte, or mostly
 * control characters); CS_ERR_NO_MEMORY.  On error *errmsg (caller frees)
 * says why, naming the file. */
cs_status_t cs_notes_read(const char *path, cs_pad_warn_fn warn, void *ctx, char **text,
                          size_t *len, char **errmsg);

/* The repair step on its own (for tests): copies len bytes of in to a new
 * NUL-terminated buffer with every invalid sequence replaced by U+FFFD.
 * *repairs counts them and *first_line (1-based) is where the first was. */
cs_status_t cs_utf8_repair(const char *in, size_t len, char **out, size_t *outlen,
                           size_t *repairs, unsigned *first_line);

#endif /* CS_NOTES_READER_H */
