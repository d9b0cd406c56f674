/* source_record.h: what the index remembers of a source file it was given,
 * so that a later run can leave an unchanged file unread.  Kept as Xapian
 * metadata (CS_META_SOURCE_PREFIX in schema.h, documented in
 * schema/README.md) and written in the run's own transaction, so a record
 * and the talks it describes are committed, or lost, together.
 *
 * The value is text, one field a line:
 *     xxh3-128 00112233445566778899aabbccddeeff
 *     size 51234
 *     build 3f2a9c0d1e2b4a5c icu-72.1 xapian-1.4.22
 *     name 9d3c1f0e2b4a5c6d
 *     talk pycon-apac-2015_2015-06-05_0910_R0
 *     talk pycon-apac-2015_2015-06-05_0910_R0-2 pycon-apac-2015_2015-06-05_0910_R0
 * name is the XXH3-64 of the file name as given (its last component): the
 * talks' stored source and, without a conference, their ids come from it,
 * so the same bytes under another name (a symlink, a copy) are processed;
 * then a talk line per talk written from the file, in file order: its id, and
 * when the run had to add a "-N" suffix, the id it would have had without
 * (so a later run can tell whether it would still get the same one). */
#ifndef CS_SOURCE_RECORD_H
#define CS_SOURCE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes_reader.h"
#include "session.h"
#include "status.h"

typedef struct {
    cs_notes_digest_t digest; /* of the bytes the talks were made from */
    const char *build;        /* the indexer build that wrote them (cs_indexer_build_id) */
    uint64_t name;            /* cs_source_record_name of the path they were read from */
    size_t n_talks;
    const char **ids;   /* each talk's id, in file order */
    const char **bases; /* each talk's id without the run's "-N" suffix */
    char *text;         /* owns the strings above */
} cs_source_record_t;

/* The name field for a file given as path. */
uint64_t cs_source_record_name(const char *path);

/* The metadata value for a file, built as its talks are given ids (a
 * file's talks may come in batches):
 *
 *     cs_source_record_start(&t, digest, build, path);
 *     for each talk, in file order: cs_source_record_add_talk(&t, id, base);
 *     value = cs_source_record_finish(&t);     (caller frees; NULL: no memory)
 *
 * A failed step (false: no memory) makes the rest no-ops and finish give
 * NULL; finish also frees whatever t holds, so it ends every build. */
typedef struct {
    char *text;
    size_t len, cap;
    bool failed;
} cs_source_record_text_t;

/* Starts the value for the file path, read with digest by build. */
bool cs_source_record_start(cs_source_record_text_t *t, const cs_notes_digest_t *digest,
                            const char *build, const char *path);
/* Adds the talk given id, whose base id (without the run's "-N") is base. */
bool cs_source_record_add_talk(cs_source_record_text_t *t, const char *id, const char *base);
char *cs_source_record_finish(cs_source_record_text_t *t);

/* Parses a value into *rec (cs_source_record_clear frees it).  Returns
 * CS_OK, CS_ERR_NULL_ARG, CS_ERR_FORMAT (not a record this code writes: the
 * file is then simply processed and its record written anew),
 * CS_ERR_NO_MEMORY. */
cs_status_t cs_source_record_parse(const char *value, size_t len, cs_source_record_t *rec);

/* Frees what *rec holds and empties it.  An empty record is a no-op. */
void cs_source_record_clear(cs_source_record_t *rec);

#endif /* CS_SOURCE_RECORD_H */
