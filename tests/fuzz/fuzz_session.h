/* fuzz_session.h: what the notes and programme fuzz targets check of every
 * talk a reader makes, written once: a warning callback that counts, the
 * document builder both use, and the talk's way into the index (its id is
 * URL-safe, its stored JSON reads back as itself, a document builds). */
#ifndef CS_FUZZ_SESSION_H
#define CS_FUZZ_SESSION_H

#include <stddef.h>

#include "session.h"

/* Creates the document builder (aborts naming target when it cannot). */
void fuzz_session_init(const char *target);

/* A cs_pad_warn_fn: checks the message and counts it in *(size_t *)ctx. */
void fuzz_count_warning(const char *source, unsigned line, const char *message, void *ctx);

/* Gives s its id and checks the talk's way into the index, as above. */
void fuzz_check_stored_session(cs_session_t *s);

#endif /* CS_FUZZ_SESSION_H */
