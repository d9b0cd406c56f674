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

/* Hands the spelling data gathered since the last call to the database
 * given to cs_doc_builder_create (the builder also does so by itself when
 * it holds many words).  Call it before committing.  Returns CS_OK,
 * CS_ERR_NULL_ARG, CS_ERR_XAPIAN, CS_ERR_NO_MEMORY. */
cs_status_t cs_doc_builder_flush_spelling(cs_doc_builder_t *b);

#endif /* CS_SESSION_DOC_H */
