/* join_index.h: the join of notes to the official programme, kept inside
 * the index (schema/README.md, "Notes joined to the programme").
 *
 * Every talk of every file stays a document of its own, owned by its file
 * as the id rule says.  When a notes talk joins a programme talk
 * (join.h), the programme talk's document becomes the one document of the
 * pair (the programme's metadata and abstract, the notes' body; its stored
 * JSON keeps the programme talk's own JSON under "joined") and the notes
 * talk's document keeps only its id, owner, claim and join-key terms,
 * CS_TERM_JOINED and CS_PREFIX_JOINED_TO (the pair's id): searchd leaves
 * such documents out of every answer and sends a request for their id to
 * the pair.  Re-indexing either file rewrites its own talks as usual; the
 * commit then puts the join back in step with what the index holds, so the
 * result is the same whatever order files came in and whichever side was
 * re-indexed.
 *
 * Not thread-safe per database; one call per commit. */
#ifndef CS_JOIN_INDEX_H
#define CS_JOIN_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "session_doc.h"
#include "status.h"
#include "xapian-c.h"

typedef struct {
    size_t joined;    /* notes talks held by a programme talk after the call */
    size_t rewritten; /* documents the call rewrote */
} cs_join_index_stats_t;

/* Puts the join of db's notes talks to its programme talks in step with
 * what db holds: documents whose part in the join changed are rewritten
 * (spelling data through b, whose database must be db).  Work is bounded by
 * the programme's talks and the notes talks sharing a key with one; an
 * index without programme talks or joined notes costs two lookups.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_XAPIAN (err says why),
 * CS_ERR_FORMAT (a stored talk cannot be read; err names it), CS_ERR_ICU,
 * CS_ERR_OPENCC, CS_ERR_NO_MEMORY. */
cs_status_t cs_join_index_update(xc_database_t *db, cs_doc_builder_t *b,
                                 cs_join_index_stats_t *stats, char *err, size_t err_len);

/* When json (len bytes, a stored talk) is a programme talk's document
 * holding joined notes, its programme talk's own JSON in *own (caller
 * frees) and true; else false with *own NULL.  False also when out of
 * memory (the caller then treats the talk as changed, which is safe). */
bool cs_join_index_own_json(const char *json, size_t len, char **own);

/* The stored JSON of a joined pair's document with its id (and its
 * programme talk's) set to id, in *out (caller frees).  Returns CS_OK,
 * CS_ERR_FORMAT (json is no joined pair's), CS_ERR_NO_MEMORY. */
cs_status_t cs_join_index_rekey_json(cs_doc_builder_t *b, const char *json, size_t len,
                                     const char *id, char **out);

#endif /* CS_JOIN_INDEX_H */
