/* notes_reader.h: reads a notes file into memory as clean UTF-8, with
 * bounded memory however hostile the file: over-long lines are cut, invalid
 * UTF-8 is repaired with U+FFFD, binary files are refused.  It also
 * fingerprints the raw bytes, so that a later run can tell a file it need
 * not read again. */
#ifndef CS_NOTES_READER_H
#define CS_NOTES_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pad_parse.h"
#include "status.h"

/* A line longer than this is cut (with a warning): talk notes never need
 * more, and it bounds memory for a file that is one 100 MB line. */
#define CS_MAX_LINE_BYTES (64 * 1024)
/* A file is read up to this many bytes of kept text; the rest is dropped
 * with a warning. */
#define CS_MAX_FILE_BYTES (256u * 1024 * 1024)

/* The fingerprint of the bytes read from a file: the raw bytes, before any
 * repair or cut, since a repaired or cut text no longer tells which bytes
 * it came from. */
typedef struct {
    uint64_t size;          /* how many bytes were read */
    unsigned char hash[16]; /* their XXH3 128-bit hash, canonical (big-endian) bytes */
} cs_notes_digest_t;

/* Flags for cs_notes_read and cs_notes_unchanged. */
enum {
    /* Read a file through a symbolic link.  Without it a notes file that is
     * a link is refused: the index is served to the world, and a link in
     * the notes (talk.txt -> /etc/passwd) would publish its target. */
    CS_NOTES_FOLLOW_SYMLINKS = 1u << 0
};

/* Reads path (flags: CS_NOTES_*).  On CS_OK *text (NUL-terminated, caller frees) holds *len
 * bytes of valid UTF-8, and *digest (may be NULL) fingerprints the bytes
 * the text was made from (all of the file, or up to where the
 * CS_MAX_FILE_BYTES cut stopped reading); warn (may be NULL) hears of
 * repairs and cuts with the line they were on.  Returns CS_OK; CS_ERR_IO
 * when the file cannot be opened or read, or is no regular file (a FIFO, a
 * directory, a device: refused without waiting on it), or is a symbolic
 * link and flags lack CS_NOTES_FOLLOW_SYMLINKS; CS_ERR_FORMAT when it looks
 * binary (a NUL byte, or mostly control characters); CS_ERR_NO_MEMORY.  On
 * error *errmsg (caller frees) says why, naming the file. */
cs_status_t cs_notes_read(const char *path, unsigned flags, cs_pad_warn_fn warn, void *ctx,
                          char **text, size_t *len, cs_notes_digest_t *digest, char **errmsg);

/* True when path (opened as cs_notes_read opens it with the same flags)
 * is a regular file whose bytes have digest d, i.e. reading
 * it would give the text that d was taken from.  Reads the file once,
 * keeping nothing; a file of another size is not read at all (nor is one
 * cs_notes_read cut at CS_MAX_FILE_BYTES: its digest covers only what was
 * read, so it is processed on every run).  False on any failure to read it
 * (cs_notes_read then says what is wrong). */
bool cs_notes_unchanged(const char *path, unsigned flags, const cs_notes_digest_t *d);

/* True when a and b are the same fingerprint. */
bool cs_notes_digest_equal(const cs_notes_digest_t *a, const cs_notes_digest_t *b);

/* The repair step on its own (for tests): copies len bytes of in to a new
 * NUL-terminated buffer with every invalid sequence replaced by U+FFFD.
 * *repairs counts them and *first_line (1-based) is where the first was.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_utf8_repair(const char *in, size_t len, char **out, size_t *outlen, size_t *repairs,
                           unsigned *first_line);

#endif /* CS_NOTES_READER_H */
