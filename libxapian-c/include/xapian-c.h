/* xapian-c.h: a small plain-C API over Xapian 1.4's C++ library.
 *
 * Conventions, for every function below:
 * - Objects are opaque handles.  Functions return an xc_status_t; XC_OK is 0.
 * - No C++ exception ever leaves the library: each one is mapped to a status,
 *   and its text (with context such as the query or the path) is kept by the
 *   handle the call was made on, readable with the handle's *_status_string().
 * - Constructors take `char **errmsg`: on failure, if errmsg is not NULL,
 *   *errmsg receives a malloc'd message that the caller frees with free().
 * - A NULL handle or required output pointer gives XC_ERR_NULL_ARG, never a
 *   crash.  Every *_destroy(NULL) is a no-op.
 * - Strings are UTF-8 byte strings with explicit lengths where a term may
 *   contain any byte (a pointer may be NULL when its length is 0); returned
 *   strings are malloc'd (caller frees) unless the comment says they are
 *   owned by a handle.
 * - Every status-returning call on a handle replaces that handle's status
 *   string ("" after success).
 * - Handles are not thread-safe.  Use one database handle (and everything
 *   made from it) per thread; never share a handle between threads.
 * - Each function's comment lists the statuses it returns, naming two
 *   groups: "the read errors" are XC_ERR_MODIFIED (reopen and retry),
 *   XC_ERR_CORRUPT, XC_ERR_DATABASE, XC_ERR_NO_MEMORY, XC_ERR_XAPIAN and
 *   XC_ERR_UNKNOWN, what reading a database may meet; "the write errors"
 *   are the read errors plus XC_ERR_INVALID_OP (a read-only handle, or no
 *   transaction to end) and XC_ERR_INVALID_ARG (a term or value Xapian
 *   refuses, e.g. a term over 245 bytes).
 */
#ifndef XAPIAN_C_H
#define XAPIAN_C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define XC_API __attribute__((visibility("default")))
#else
#define XC_API
#endif

typedef enum {
    XC_OK = 0,
    XC_ERR_NULL_ARG,    /* a required handle or pointer was NULL */
    XC_ERR_INVALID_ARG, /* an argument Xapian refused (e.g. a term over 245 bytes) */
    XC_ERR_NOT_FOUND,   /* no database at that path, or a document/term is absent */
    XC_ERR_OPENING,     /* a database exists but cannot be opened */
    XC_ERR_VERSION,     /* the database's on-disk format is not supported */
    XC_ERR_LOCKED,      /* another writer holds the database lock */
    XC_ERR_MODIFIED,    /* a reader's snapshot is gone: reopen and retry */
    XC_ERR_CORRUPT,     /* a database file is damaged */
    XC_ERR_DATABASE,    /* any other database error (I/O failure, disk full...) */
    XC_ERR_BAD_QUERY,   /* a query Xapian could not build or run */
    XC_ERR_WILDCARD,    /* a wildcard expanded to more terms than its limit */
    XC_ERR_INVALID_OP,  /* the call is not allowed in this state (e.g. no transaction) */
    XC_ERR_NO_MEMORY,   /* allocation failed */
    XC_ERR_XAPIAN,      /* any other Xapian::Error */
    XC_ERR_UNKNOWN      /* an exception of unknown type */
} xc_status_t;

/* A static English name for a status ("ok", "database is locked", ...).
 * Never NULL, also for values outside the enum. */
XC_API const char *xc_status_to_string(xc_status_t status);

/* The version of the Xapian library this was built against, e.g. "1.4.22".
 * Static string. */
XC_API const char *xc_xapian_version(void);

typedef uint32_t xc_docid_t; /* 0 is never a valid document id */
typedef uint32_t xc_termpos_t;
typedef uint32_t xc_valueno_t;

/* Iteration callbacks return 0 to go on, anything else to stop early. */
typedef int (*xc_term_fn)(const char *term, size_t len, uint32_t termfreq, void *ctx);
typedef int (*xc_docid_fn)(xc_docid_t docid, void *ctx);
typedef int (*xc_value_count_fn)(const char *value, size_t len, uint32_t count, void *ctx);

/* ------------------------------------------------------------------ */
/* Databases                                                           */

typedef struct xc_database xc_database_t;
typedef struct xc_document xc_document_t;

typedef enum {
    XC_DB_OPEN,          /* open an existing writable database */
    XC_DB_CREATE,        /* create a new one; fails if one exists */
    XC_DB_CREATE_OR_OPEN /* open, creating it when absent */
} xc_db_mode_t;

/* Opens a read-only database at path (a directory or a stub file).
 * *out is owned by the caller: free with xc_database_destroy.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NOT_FOUND, XC_ERR_OPENING,
 * XC_ERR_VERSION, XC_ERR_CORRUPT, XC_ERR_DATABASE, XC_ERR_NO_MEMORY,
 * XC_ERR_XAPIAN, XC_ERR_UNKNOWN. */
XC_API xc_status_t xc_database_open(const char *path, xc_database_t **out, char **errmsg);

/* Opens (or creates, per mode) the single writable database at path.
 * Only one writer may hold a database: a second gets XC_ERR_LOCKED.
 * Returns as xc_database_open, plus XC_ERR_LOCKED; XC_DB_CREATE on an
 * existing database gives XC_ERR_DATABASE (Xapian's DatabaseCreateError),
 * an unknown mode XC_ERR_INVALID_ARG. */
XC_API xc_status_t xc_database_open_writable(const char *path, xc_db_mode_t mode,
                                             xc_database_t **out, char **errmsg);

/* Creates a new writable database at path (like XC_DB_CREATE) for scratch
 * work whose loss in a crash does not matter, e.g. a shard that will be
 * compacted into the real index: its commits are not synced to disk
 * (Xapian's DB_NO_SYNC), which makes them cheap.  Returns as
 * xc_database_open_writable. */
XC_API xc_status_t xc_database_create_scratch(const char *path, xc_database_t **out, char **errmsg);

/* Closes the database (a writable one is NOT committed: call
 * xc_database_commit first; uncommitted changes and an open transaction are
 * discarded) and frees the handle.  NULL is a no-op. */
XC_API void xc_database_destroy(xc_database_t *db);

/* The text of the last error on this handle, or "" if none.  Owned by the
 * handle, valid until the next call on it. */
XC_API const char *xc_database_status_string(const xc_database_t *db);

XC_API bool xc_database_is_writable(const xc_database_t *db);

/* Brings a reader up to the latest committed revision.  *changed (may be
 * NULL) tells whether anything changed.  Cheap when nothing did.
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_reopen(xc_database_t *db, bool *changed);

/* Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_get_doccount(xc_database_t *db, uint32_t *out);
/* The revision of the database (increases with each commit).
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_get_revision(xc_database_t *db, uint64_t *out);
/* The database's UUID as text (36 characters + NUL into out, cap >= 37):
 * it is new when a database is created, so with the revision it names one
 * state of one database (a replica keeps its master's).  "" when the
 * backend has none.  Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_get_uuid(xc_database_t *db, char *out, size_t cap);
/* Number of documents containing term; 0 when absent.
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_get_termfreq(xc_database_t *db, const char *term, size_t len,
                                            uint32_t *out);
/* Calls fn for every term starting with prefix (may be "" for all), in
 * byte order, with its document frequency.  Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_allterms(xc_database_t *db, const char *prefix, size_t len,
                                        xc_term_fn fn, void *ctx);
/* Calls fn for every document indexed by term, in docid order.
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_postlist(xc_database_t *db, const char *term, size_t len,
                                        xc_docid_fn fn, void *ctx);
/* The first (lowest) document indexed by term in *out, 0 when none: the
 * lookup of a unique id term.  Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_first_docid(xc_database_t *db, const char *term, size_t len,
                                           xc_docid_t *out);

/* Calls fn for every document with a value in slot, in increasing docid
 * order, with that value (value[len] is a NUL; valid during the call).
 * Reading a slot this way, in one pass, is far cheaper than loading the
 * documents one by one.  Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_MODIFIED
 * (reopen and retry) and the other database errors. */
typedef int (*xc_docvalue_fn)(xc_docid_t docid, const char *value, size_t len, void *ctx);
XC_API xc_status_t xc_database_values(xc_database_t *db, xc_valueno_t slot, xc_docvalue_fn fn,
                                      void *ctx);

/* Metadata: user key/value strings stored with the database.
 * get: *value (caller frees, NUL-terminated) and *len; an absent key gives
 * XC_OK with *value = NULL and *len = 0.  set needs a writable database. */
XC_API xc_status_t xc_database_get_metadata(xc_database_t *db, const char *key, char **value,
                                            size_t *len);
/* Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_set_metadata(xc_database_t *db, const char *key, const char *value,
                                            size_t len);

/* Loads document docid.  *out is owned by the caller (xc_document_destroy).
 * XC_ERR_NOT_FOUND when there is no such document (also for docid 0). */
XC_API xc_status_t xc_database_get_document(xc_database_t *db, xc_docid_t docid,
                                            xc_document_t **out);

/* Writing.  All need a writable database (else XC_ERR_INVALID_OP).
 * add and replace refuse a document with a term over 245 bytes with
 * XC_ERR_INVALID_ARG before writing anything, so other pending changes
 * survive (inside Xapian that failure would discard them all). */

/* Replaces the document(s) indexed by unique term idterm with doc, adding it
 * if none.  *docid (may be NULL) receives its id.  doc is not taken.
 * Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_replace_document(xc_database_t *db, const char *idterm, size_t len,
                                                const xc_document_t *doc, xc_docid_t *docid);
/* Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_add_document(xc_database_t *db, const xc_document_t *doc,
                                            xc_docid_t *docid);
/* Replaces document docid with doc (adding it under that id if there is
 * none).  doc is not taken.  Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_replace_document_at(xc_database_t *db, xc_docid_t docid,
                                                   const xc_document_t *doc);
/* Deletes every document indexed by idterm (none is not an error).
 * Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_delete_document_by_term(xc_database_t *db, const char *idterm,
                                                       size_t len);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NOT_FOUND (no such document), the write errors. */
XC_API xc_status_t xc_database_delete_document(xc_database_t *db, xc_docid_t docid);

/* Makes all pending changes durable, atomically.
 * Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_commit(xc_database_t *db);
/* Transactions: begin (flushed = commit at the end), commit, cancel.
 * Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_begin_transaction(xc_database_t *db, bool flushed);
/* Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_commit_transaction(xc_database_t *db);
/* Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_cancel_transaction(xc_database_t *db);

/* Spelling data: words and their frequencies, for "did you mean".
 * add_spelling adds word with frequency freqinc, or raises its frequency
 * by freqinc.  Needs a writable database.  Returns XC_OK, XC_ERR_NULL_ARG,
 * XC_ERR_INVALID_OP (read-only handle) and the database errors. */
XC_API xc_status_t xc_database_add_spelling(xc_database_t *db, const char *word, size_t len,
                                            uint32_t freqinc);
/* Lowers word's frequency by freqdec; a word whose frequency would reach 0
 * or less leaves the table, so it is suggested no more.  An absent word is
 * not an error (XC_OK, nothing changes): a caller taking back what it once
 * added need not know whether the word is still there.  Needs a writable
 * database.  Returns as xc_database_add_spelling. */
XC_API xc_status_t xc_database_remove_spelling(xc_database_t *db, const char *word, size_t len,
                                               uint32_t freqdec);
/* Calls fn for every word of the spelling table, in byte order, with its
 * frequency as termfreq (word[len] is a NUL; valid during the call).  A
 * writable handle also sees its uncommitted changes.  Returns XC_OK,
 * XC_ERR_NULL_ARG, XC_ERR_MODIFIED (reopen and retry) and the other
 * database errors. */
XC_API xc_status_t xc_database_spellings(xc_database_t *db, xc_term_fn fn, void *ctx);
/* The most likely correction of word within max_edit_distance edits, or
 * *out = NULL when there is none.  *out is caller-freed.
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_get_spelling_suggestion(xc_database_t *db, const char *word,
                                                       size_t len, unsigned max_edit_distance,
                                                       char **out);
/* Synonym data: synonym is added to (or removed from) term's synonyms.
 * Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_add_synonym(xc_database_t *db, const char *term,
                                           const char *synonym);
/* Returns XC_OK, XC_ERR_NULL_ARG, the write errors. */
XC_API xc_status_t xc_database_remove_synonym(xc_database_t *db, const char *term,
                                              const char *synonym);
/* Calls fn (termfreq 0) for each synonym of term.
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors. */
XC_API xc_status_t xc_database_synonyms(xc_database_t *db, const char *term, xc_term_fn fn,
                                        void *ctx);

/* Shards and compaction. */

/* Makes db search the documents of other as well (Xapian's
 * Database::add_database): db then stands for both, for searching or for
 * xc_database_compact.  Both must be read-only handles (a writable one
 * gives XC_ERR_INVALID_OP).  other is not taken: it may be destroyed
 * afterwards, db keeps what it needs.  Returns XC_OK, XC_ERR_NULL_ARG,
 * XC_ERR_INVALID_OP, XC_ERR_NO_MEMORY, XC_ERR_XAPIAN, XC_ERR_UNKNOWN. */
XC_API xc_status_t xc_database_add_database(xc_database_t *db, const xc_database_t *other);

typedef enum {
    XC_COMPACT_STANDARD, /* quickest; leaves room in blocks for later updates */
    XC_COMPACT_FULL,     /* packs blocks whenever that saves space (Xapian's default) */
    XC_COMPACT_FULLER    /* smaller still, for an index that will not be updated */
} xc_compact_level_t;

/* Writes every database db stands for, merged and compacted, as a new
 * database in the directory dest (created; it must not hold a database).
 * Document ids are renumbered: each source's documents keep their order
 * and follow those of the sources added before it.  A metadata key in one
 * source keeps its value; a key in several keeps one of their values, and
 * which is not defined (Xapian 1.4 does not go by the order of the
 * sources): set such a key in dest afterwards.  dest is complete, and synced,
 * only when XC_OK is returned; on failure it may hold a partial database
 * that the caller removes.  Returns XC_OK, XC_ERR_NULL_ARG,
 * XC_ERR_INVALID_ARG (unknown level), XC_ERR_INVALID_OP (a source has
 * uncommitted changes), XC_ERR_LOCKED, XC_ERR_DATABASE (I/O failure, disk
 * full), XC_ERR_NO_MEMORY, XC_ERR_XAPIAN, XC_ERR_UNKNOWN. */
XC_API xc_status_t xc_database_compact(xc_database_t *db, const char *dest,
                                       xc_compact_level_t level);

/* ------------------------------------------------------------------ */
/* Documents                                                           */

/* A new empty document; caller frees with xc_document_destroy.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_document_create(xc_document_t **out);
XC_API void xc_document_destroy(xc_document_t *doc);
XC_API const char *xc_document_status_string(const xc_document_t *doc);

/* Adds term at position pos, increasing its wdf by wdfinc.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_document_add_posting(xc_document_t *doc, const char *term, size_t len,
                                           xc_termpos_t pos, uint32_t wdfinc);
/* Adds term without a position.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_document_add_term(xc_document_t *doc, const char *term, size_t len,
                                        uint32_t wdfinc);
/* Adds a term that only filters: wdf 0, no position. */
/* Removes term (and its positions) from doc; XC_ERR_NOT_FOUND when doc
 * does not hold it. */
XC_API xc_status_t xc_document_remove_term(xc_document_t *doc, const char *term, size_t len);
XC_API xc_status_t xc_document_add_boolean_term(xc_document_t *doc, const char *term, size_t len);
/* Value slots (for sorting and facets) and the opaque document data.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_document_set_value(xc_document_t *doc, xc_valueno_t slot, const char *value,
                                         size_t len);
/* *value is caller-freed and NUL-terminated; an empty slot gives "" (len 0).
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors (a document read from a database loads its
 * values lazily). */
XC_API xc_status_t xc_document_get_value(xc_document_t *doc, xc_valueno_t slot, char **value,
                                         size_t *len);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_document_set_data(xc_document_t *doc, const char *data, size_t len);
/* Returns XC_OK, XC_ERR_NULL_ARG, the read errors (data is read lazily). */
XC_API xc_status_t xc_document_get_data(xc_document_t *doc, char **data, size_t *len);
/* Calls fn (termfreq 0: wdf is not reported) for each term with prefix.
 * Returns XC_OK, XC_ERR_NULL_ARG, the read errors (terms are read lazily). */
XC_API xc_status_t xc_document_termlist(xc_document_t *doc, const char *prefix, size_t len,
                                        xc_term_fn fn, void *ctx);
/* The first term with prefix (in byte order) into out, NUL-terminated;
 * "" when doc has none.  XC_ERR_INVALID_ARG when it needs more than cap bytes. */
XC_API xc_status_t xc_document_first_term(xc_document_t *doc, const char *prefix, size_t len,
                                          char *out, size_t cap);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_document_get_docid(xc_document_t *doc, xc_docid_t *out);

/* ------------------------------------------------------------------ */
/* Stemming                                                            */

typedef struct xc_stemmer xc_stemmer_t;
/* language: a Snowball name such as "english" ("none" stems nothing).
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG (an unknown language), XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_stemmer_create(const char *language, xc_stemmer_t **out, char **errmsg);
/* As xc_stemmer_create, and the stemmer remembers the stems of up to
 * max_words distinct words (then starts afresh), for callers that stem
 * the same words over and over (0: remembers nothing).  Same results,
 * same thread rules, more memory.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG (an unknown language), XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_stemmer_create_cached(const char *language, size_t max_words,
                                            xc_stemmer_t **out, char **errmsg);
XC_API void xc_stemmer_destroy(xc_stemmer_t *st);
/* Stems word into buf (NUL-terminated).  *outlen gets the stem's length;
 * XC_ERR_INVALID_ARG (with *outlen set) when bufsize is too small, so
 * buf = NULL with bufsize = 0 asks for the length alone.  An unknown
 * language makes xc_stemmer_create return XC_ERR_INVALID_ARG. */
XC_API xc_status_t xc_stemmer_stem(xc_stemmer_t *st, const char *word, size_t len, char *buf,
                                   size_t bufsize, size_t *outlen);

/* ------------------------------------------------------------------ */
/* Queries: immutable trees.  Combining copies the parts (cheaply), so the
 * caller still owns and must destroy every query it made.               */

typedef struct xc_query xc_query_t;

typedef enum {
    XC_OP_AND,
    XC_OP_OR,
    XC_OP_AND_NOT,   /* first minus the union of the rest */
    XC_OP_FILTER,    /* first, restricted to docs matching all the rest; no weight from them */
    XC_OP_AND_MAYBE, /* first, with extra weight from the rest */
    XC_OP_PHRASE,    /* in order, within window positions (0: as many as parts) */
    XC_OP_NEAR,      /* any order, within window positions */
    XC_OP_SYNONYM,   /* the parts weighted as one term */
    XC_OP_ELITE_SET
} xc_query_op_t;

typedef enum {
    XC_WILDCARD_LIMIT_ERROR,        /* over the limit: XC_ERR_WILDCARD when run */
    XC_WILDCARD_LIMIT_FIRST,        /* keep the first terms in byte order */
    XC_WILDCARD_LIMIT_MOST_FREQUENT /* keep the most frequent terms */
} xc_wildcard_limit_t;

/* A single term; wqf is its within-query frequency (1 usually), pos its
 * position in the query (0 if it does not matter).
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_term(const char *term, size_t len, uint32_t wqf, xc_termpos_t pos,
                                 xc_query_t **out);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_match_all(xc_query_t **out);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_match_nothing(xc_query_t **out);
/* Combines n subqueries (NULL entries are not allowed) with op.  window
 * is used by PHRASE and NEAR, and as the set size by ELITE_SET.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG (an unknown operator), XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_combine(xc_query_op_t op, xc_query_t *const *subs, size_t n,
                                    uint32_t window, xc_query_t **out);
/* All terms starting with prefix, at most max_expansion of them (0 means
 * no limit; callers facing users should always set one).
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_wildcard(const char *prefix, size_t len, uint32_t max_expansion,
                                     xc_wildcard_limit_t limit, xc_query_t **out);
/* q with its weight multiplied by factor (>= 0).
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_scale(const xc_query_t *q, double factor, xc_query_t **out);
/* True for a query that matches nothing (and for NULL). */
XC_API bool xc_query_is_empty(const xc_query_t *q);
/* A readable description, for logs and tests; caller frees.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_query_describe(const xc_query_t *q, char **out);
/* Calls fn (termfreq 0) once for each distinct term q uses, in byte order,
 * until fn returns non-zero.  A wildcard's terms are only known when it
 * runs, so it gives none.  Returns XC_OK, XC_ERR_NULL_ARG,
 * XC_ERR_NO_MEMORY, XC_ERR_XAPIAN. */
XC_API xc_status_t xc_query_terms(const xc_query_t *q, xc_term_fn fn, void *ctx);
XC_API void xc_query_destroy(xc_query_t *q);

/* ------------------------------------------------------------------ */
/* Match spies: counting facet values over every matching document.    */

typedef struct xc_matchspy xc_matchspy_t;

/* Counts the values in slot.  If separator is not '\0', a value holds
 * several entries separated by that byte (e.g. several speakers), each
 * counted once per document; empty entries and empty values count nothing.
 * Caller frees; it must outlive any enquire it is added to.
 * Counts accumulate over every xc_enquire_get_mset the spy takes part in:
 * use a fresh spy per search.  Local databases only (a remote server
 * would not know this spy).  Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_matchspy_value_count_create(xc_valueno_t slot, char separator,
                                                  xc_matchspy_t **out);
XC_API void xc_matchspy_destroy(xc_matchspy_t *spy);
/* How many documents the spy has seen.  Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_matchspy_total(const xc_matchspy_t *spy, uint32_t *out);
/* Calls fn for at most max values (0: all), by count descending then
 * value ascending.  Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_matchspy_values(const xc_matchspy_t *spy, size_t max, xc_value_count_fn fn,
                                      void *ctx);

/* A spy that only records the ids of the documents the match visits, so
 * that facets can be counted from them afterwards (xc_matchspy_docids):
 * counting values during the match means fetching each matching
 * document's values, a seek in its slot's value chunks for every match and
 * slot, the largest cost of a faceted search.  xc_matchspy_total tells how
 * many documents it recorded; xc_matchspy_values is not for it
 * (XC_ERR_INVALID_OP).  Caller frees; it must outlive any enquire it is
 * added to, and it accumulates like the other spies: use a fresh one per
 * search. */
XC_API xc_status_t xc_matchspy_docids_create(xc_matchspy_t **out);
/* The ids a docids spy recorded, in increasing order: *ids (owned by the
 * spy, valid until it is destroyed or sees another match) and *n.  Returns
 * XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_OP (another kind of spy). */
XC_API xc_status_t xc_matchspy_docids(xc_matchspy_t *spy, const xc_docid_t **ids, size_t *n);

/* ------------------------------------------------------------------ */
/* Enquire and results                                                 */

typedef struct xc_enquire xc_enquire_t;
typedef struct xc_mset xc_mset_t;

/* The enquire borrows db, which must outlive it.  Caller frees.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_create(xc_database_t *db, xc_enquire_t **out, char **errmsg);
XC_API void xc_enquire_destroy(xc_enquire_t *enq);
XC_API const char *xc_enquire_status_string(const xc_enquire_t *enq);
/* The query is copied.  Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_set_query(xc_enquire_t *enq, const xc_query_t *q);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_set_weighting_bm25(xc_enquire_t *enq, double k1, double k2, double k3,
                                                 double b, double min_normlen);
/* Every match weighs the same (pure filtering).
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_set_weighting_bool(xc_enquire_t *enq);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_set_sort_by_relevance(xc_enquire_t *enq);
/* Sort by the bytes of slot (descending if reverse), ties by relevance.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_set_sort_by_value(xc_enquire_t *enq, xc_valueno_t slot, bool reverse);
/* Adds spy to the enquire (borrowed: it must outlive the enquire).  Spies
 * see documents only up to checkatleast in xc_enquire_get_mset.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_add_matchspy(xc_enquire_t *enq, xc_matchspy_t *spy);
/* Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_NO_MEMORY. */
XC_API xc_status_t xc_enquire_clear_matchspies(xc_enquire_t *enq);
/* Runs the query: up to maxitems results from rank first.  With
 * checkatleast >= the document count, totals and spies are exact.
 * *out is caller-freed.  XC_ERR_MODIFIED means reopen and retry. */
XC_API xc_status_t xc_enquire_get_mset(xc_enquire_t *enq, uint32_t first, uint32_t maxitems,
                                       uint32_t checkatleast, xc_mset_t **out);

/* Relevance feedback ("more like this"): the terms that best tell a set of
 * documents, the relevant set, apart from the rest of the database
 * (Xapian's Enquire::get_eset with the default "trad" expand weights), to
 * be OR-ed into a query that finds documents like them.
 *
 * keep (may be NULL: every term) is asked once about each term of the
 * relevant documents, with the number of documents in the database that
 * hold it, and returns true to let the term be chosen: it is where a
 * caller drops the terms that only filter (ids, facets) or that only the
 * relevant documents hold, which no other document can match.  Terms of
 * the enquire's query are never chosen (set none to consider them all),
 * nor terms of weight <= 0, i.e. held by most documents.  fn then gets at
 * most maxitems terms, best first, each with its expand weight, until it
 * returns non-zero; the strings are valid during the call only.  Neither
 * callback may call back into this enquire.
 *
 * Returns XC_OK (also for n_rset or maxitems 0, without calling fn),
 * XC_ERR_NULL_ARG (enq, fn, or rset with n_rset > 0), XC_ERR_INVALID_ARG
 * (docid 0 in rset), XC_ERR_NOT_FOUND (no document with a docid of rset),
 * XC_ERR_MODIFIED (reopen and retry), XC_ERR_CORRUPT, XC_ERR_DATABASE,
 * XC_ERR_NO_MEMORY, XC_ERR_XAPIAN, XC_ERR_UNKNOWN; the text is the
 * enquire's status string. */
typedef bool (*xc_expand_decider_fn)(const char *term, size_t len, uint32_t termfreq, void *ctx);
typedef int (*xc_expand_term_fn)(const char *term, size_t len, double weight, void *ctx);
XC_API xc_status_t xc_enquire_expand(xc_enquire_t *enq, const xc_docid_t *rset, size_t n_rset,
                                     uint32_t maxitems, xc_expand_decider_fn keep, void *keep_ctx,
                                     xc_expand_term_fn fn, void *ctx);

XC_API void xc_mset_destroy(xc_mset_t *mset);
XC_API const char *xc_mset_status_string(const xc_mset_t *mset);
/* Number of results held (<= maxitems). */
XC_API size_t xc_mset_size(const xc_mset_t *mset);
/* Estimates of the total number of matches; lower == upper means exact. */
XC_API uint32_t xc_mset_matches_lower_bound(const xc_mset_t *mset);
XC_API uint32_t xc_mset_matches_estimated(const xc_mset_t *mset);
XC_API uint32_t xc_mset_matches_upper_bound(const xc_mset_t *mset);
/* The i-th result (0 <= i < size; otherwise XC_ERR_INVALID_ARG). */
XC_API xc_status_t xc_mset_get_docid(const xc_mset_t *mset, size_t i, xc_docid_t *out);
XC_API xc_status_t xc_mset_get_weight(const xc_mset_t *mset, size_t i, double *out);
/* *out is caller-freed.
 * Returns XC_OK, XC_ERR_NULL_ARG, XC_ERR_INVALID_ARG (index out of range), the read errors. */
XC_API xc_status_t xc_mset_get_document(xc_mset_t *mset, size_t i, xc_document_t **out);

#ifdef __cplusplus
}
#endif

#endif /* XAPIAN_C_H */
