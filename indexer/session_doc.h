/* session_doc.h: turns a session into the Xapian document described in
 * schema/README.md (terms with positions and field weights, stems, CJK
 * bigrams, filter terms, facet and sort values, stored JSON). */
#ifndef CS_SESSION_DOC_H
#define CS_SESSION_DOC_H

#include "analysis.h"
#include "session.h"
#include "status.h"
#include "xapian-c.h"

typedef struct cs_doc_builder cs_doc_builder_t;

/* db (borrowed, may be NULL) receives spelling data for Latin words.
 * *out is caller-freed with cs_doc_builder_destroy.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_XAPIAN, CS_ERR_NO_MEMORY
 * (with *errmsg, caller frees). */
cs_status_t cs_doc_builder_create(xc_database_t *db, cs_doc_builder_t **out, char **errmsg);
void cs_doc_builder_destroy(cs_doc_builder_t *b);

/* Builds the document of s (whose id must be set) and its stored JSON.
 * *json and *doc are caller-freed (free, xc_document_destroy).  Building
 * also gathers the spelling data, so build only documents that are
 * written; the JSON alone tells whether a stored session changed.  Returns
 * CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_XAPIAN, CS_ERR_NO_MEMORY. */
cs_status_t cs_doc_builder_json(cs_doc_builder_t *b, const cs_session_t *s, char **json);
cs_status_t cs_doc_builder_build(cs_doc_builder_t *b, const cs_session_t *s, const char *json,
                                 xc_document_t **doc);

/* As cs_doc_builder_build, for a document that replaces a stored one whose
 * stored JSON is old_json (old_len bytes): the spelling data building that
 * one gathered is taken back at the same time (see
 * cs_doc_builder_retract_spelling), and a title or body whose text did not
 * change is not analysed for spelling at all, since its counts would
 * cancel.  Returns as cs_doc_builder_build, plus CS_ERR_FORMAT (old_json is
 * not a stored session: nothing built). */
cs_status_t cs_doc_builder_build_replacement(cs_doc_builder_t *b, const cs_session_t *s,
                                             const char *json, const char *old_json, size_t old_len,
                                             xc_document_t **doc);

/* Takes back the spelling data that building a stored document gathered,
 * for a document about to be deleted: json (len bytes) is its stored JSON.
 * The spelling table then ends up as a fresh build of the remaining talks
 * would make it (nothing reaches the database before
 * cs_doc_builder_flush_spelling).  Returns CS_OK (also for a builder
 * without a database), CS_ERR_NULL_ARG, CS_ERR_FORMAT (json is not a stored
 * session: nothing taken back), CS_ERR_ICU, CS_ERR_NO_MEMORY. */
cs_status_t cs_doc_builder_retract_spelling(cs_doc_builder_t *b, const char *json, size_t len);

/* Hands the spelling data gathered since the last call (added and taken
 * back) to the database given to cs_doc_builder_create (the builder also
 * does so by itself when it holds many words).  Call it before committing.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_XAPIAN, CS_ERR_NO_MEMORY. */
cs_status_t cs_doc_builder_flush_spelling(cs_doc_builder_t *b);

#endif /* CS_SESSION_DOC_H */
