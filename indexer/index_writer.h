/* index_writer.h: one indexing run against a database.  Every file's
 * sessions are written (unchanged ones skipped), sessions that vanished
 * from a file are deleted, and the whole run is committed atomically: a
 * crash or a full disk leaves the previous index as it was.  The spelling
 * table follows: the words of replaced and deleted sessions are taken
 * back, so it always holds what a fresh build of the same notes would.
 *
 * Each file written with its digest gets a record in the same transaction
 * (source_record.h), so a later run can keep a file whose bytes did not
 * change without parsing it:
 *
 *     cs_index_writer_file_digest(w, path, &d, &usable);
 *     if (usable && cs_notes_unchanged(path, flags, &d))
 *         cs_index_writer_keep_file(w, path, &talks);
 *     else
 *         read, parse, cs_index_writer_add_file_with_digest(w, path, pad, &digest);
 */
#ifndef CS_INDEX_WRITER_H
#define CS_INDEX_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "notes_reader.h"
#include "pad_parse.h"
#include "status.h"

typedef struct cs_index_writer cs_index_writer_t;

typedef struct {
    size_t added, updated, unchanged, deleted; /* talks; a kept file's count as unchanged */
    size_t files_kept;                         /* files left unread by keep_file */
    size_t joined; /* notes talks joined to the programme after a commit that wrote */
} cs_index_stats_t;

/* Opens (creating if needed) the database at path for writing and starts
 * the run's transaction.  An existing index of another format version is
 * refused (CS_ERR_VERSION).  *out is caller-freed with
 * cs_index_writer_destroy.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_LOCKED,
 * CS_ERR_VERSION, CS_ERR_XAPIAN, CS_ERR_ICU, CS_ERR_NO_MEMORY; *errmsg
 * (caller frees) says why. */
cs_status_t cs_index_writer_open(const char *path, cs_index_writer_t **out, char **errmsg);

/* Largest number of threads cs_index_writer_use_threads uses. */
#define CS_INDEX_MAX_THREADS 16

/* Asks for a run on up to jobs threads (call it before the first
 * add_file).  It applies to a first build only, an index without
 * documents: each thread then writes a share of the talks into a scratch
 * database "<path>.build-<pid>" beside the index, and the commit merges
 * them (Xapian compaction) into a new database that replaces the index
 * directory in one rename.  An index that has documents, a path that is a
 * symbolic link or a mount point, or any failure to set the threads up
 * leaves the run on one thread.  Returns how many threads will write. */
unsigned cs_index_writer_use_threads(cs_index_writer_t *w, unsigned jobs);

/* Writes the sessions of one file (pad is modified: ids are assigned; with
 * threads, its sessions move into the writer, leaving pad with none), and
 * deletes the sessions previously indexed from that file that it no longer
 * has.  With threads, talks are written in the background and a failure
 * shows in a later add_file or in the commit.  The file's record, if it
 * had one, is removed: nothing says any more which bytes its talks came
 * from.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_LIMIT (the run changes
 * more talks than one transaction holds: start it again on a copy, see
 * cs_index_writer_work_on_copy), CS_ERR_XAPIAN, CS_ERR_ICU,
 * CS_ERR_NO_MEMORY; cs_index_writer_error says why. */
cs_status_t cs_index_writer_add_file(cs_index_writer_t *w, const char *path, cs_pad_t *pad);

/* As cs_index_writer_add_file, and records that the talks came from bytes
 * with digest (from cs_notes_read), so that a later run of the same build
 * can keep the file unread while its bytes stay the same.  On a failure the
 * file is left without a record, so the next run processes it again.
 * Returns as cs_index_writer_add_file. */
cs_status_t cs_index_writer_add_file_with_digest(cs_index_writer_t *w, const char *path,
                                                 cs_pad_t *pad, const cs_notes_digest_t *digest);

/* The same for a file whose talks come in batches (cs_pad_parse_batched),
 * so that a file of a million talks is never held whole:
 *
 *     cs_index_writer_begin_file(w, path, &digest);
 *     cs_index_writer_add_talks(w, batch);   (each batch, in file order)
 *     cs_index_writer_end_file(w);
 *
 * begin_file starts the file (digest may be NULL: no record is made, as
 * with cs_index_writer_add_file); add_talks writes a batch as add_file
 * writes a pad's talks (ids assigned; with threads the sessions move into
 * the writer, leaving batch with none); end_file deletes the file's
 * talks that no batch had and stores its record.  After a failure the
 * file's later calls return the same status, and the run must not be
 * committed (nor when the file's parse failed and it was never ended: its
 * talks are then half written).  Each returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_FORMAT (add_talks
 * or end_file with no file begun), CS_ERR_LIMIT (as add_file),
 * CS_ERR_XAPIAN, CS_ERR_ICU, CS_ERR_NO_MEMORY; cs_index_writer_error says
 * why. */
cs_status_t cs_index_writer_begin_file(cs_index_writer_t *w, const char *path,
                                       const cs_notes_digest_t *digest);
cs_status_t cs_index_writer_add_talks(cs_index_writer_t *w, cs_pad_t *batch);
cs_status_t cs_index_writer_end_file(cs_index_writer_t *w);

/* Looks up path's record.  *usable is true, with *digest the digest it
 * holds, when the file's talks can be kept as they are should its bytes
 * still have that digest: the record was written by this build, every talk
 * it lists is still in the index under the file, and this run would give
 * them the same ids (no file before it in this run has taken one).
 * Otherwise (no record, as in an index written before records existed)
 * *usable is false and the file must be read and added.  Returns CS_OK,
 * CS_ERR_NULL_ARG, CS_ERR_XAPIAN, CS_ERR_NO_MEMORY. */
cs_status_t cs_index_writer_file_digest(cs_index_writer_t *w, const char *path,
                                        cs_notes_digest_t *digest, bool *usable);

/* Keeps path's talks as they are, its bytes being unchanged: they count as
 * unchanged, and their ids stay theirs for the rest of the run.  Call it
 * right after cs_index_writer_file_digest found the record usable for the
 * same path; *talks (may be NULL) gets how many talks the file has.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_FORMAT (no usable record of path
 * was just looked up), CS_ERR_NO_MEMORY. */
cs_status_t cs_index_writer_keep_file(cs_index_writer_t *w, const char *path, size_t *talks);

/* Replaces the build identity stored in records and required of them
 * (cs_indexer_build_id() by default), e.g. for a test that plays an older
 * indexer.  id is copied.  Returns CS_OK, CS_ERR_NULL_ARG,
 * CS_ERR_NO_MEMORY. */
cs_status_t cs_index_writer_set_build_id(cs_index_writer_t *w, const char *id);

/* Makes the run work on a compacted copy of the index beside it
 * ("<path>.build-<pid>"), which the commit puts in the index's place in
 * one rename, as a threaded first build does.  For a run too big for one
 * transaction: in place, Xapian holds every change of the run in memory
 * until the commit, so a run that changes more than 50,000 talks fails
 * with CS_ERR_LIMIT, and is to be done again from the start by a new
 * writer that calls this first.  The copy is committed every 50,000
 * changes (it is scratch), so memory stays bounded; the index is left as
 * it was until the end, and a crash leaves it so.  Call it before the
 * first file.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_FORMAT (too late),
 * CS_ERR_IO (no copy can be made beside the index, e.g. it is a mount
 * point), CS_ERR_XAPIAN, CS_ERR_NO_MEMORY; cs_index_writer_error says
 * why.  After a failure the writer still works, in place and without the
 * limit (memory then grows with the run, as before there was a copy). */
cs_status_t cs_index_writer_work_on_copy(cs_index_writer_t *w);

/* Commits the run.  Returns CS_OK, CS_ERR_LIMIT (see work_on_copy: the
 * commit's re-numbering changed too many talks), CS_ERR_XAPIAN (e.g. disk full: the
 * previous index is intact), CS_ERR_IO (a first build's merged index could
 * not be renamed into place: the previous index is kept) or
 * CS_ERR_NO_MEMORY. */
cs_status_t cs_index_writer_commit(cs_index_writer_t *w);

/* Abandons anything uncommitted and closes the database. NULL is a no-op. */
void cs_index_writer_destroy(cs_index_writer_t *w);

/* Removes from the index the talks and record of every indexed file that
 * no longer exists (--prune): a file is only ever removed so, never as a
 * side effect of a run over other files.  A file indexed under a hashed
 * key (a path too long for a term) cannot be looked for and stays.
 * *files gets how many were removed.  Returns CS_OK, CS_ERR_NULL_ARG,
 * CS_ERR_LIMIT (as add_file), CS_ERR_NO_MEMORY, CS_ERR_XAPIAN
 * (cs_index_writer_error says why). */
cs_status_t cs_index_writer_prune(cs_index_writer_t *w, size_t *files);

/* Called at the commit with a line for each talk that shares its base id
 * (its slot, or its title without one) with a talk of another file:
 * "B.md:12: same slot as A.md:40 (pycon-apac-2015_2015-06-05_1550_R0);
 * kept both as pycon-apac-2015_2015-06-05_1550_R0-2".  msg is valid during
 * the call. */
typedef void (*cs_index_notice_fn)(const char *msg, void *ctx);
void cs_index_writer_set_notice(cs_index_writer_t *w, cs_index_notice_fn fn, void *ctx);

const cs_index_stats_t *cs_index_writer_stats(const cs_index_writer_t *w);
/* The last error's text; owned by the writer. */
const char *cs_index_writer_error(const cs_index_writer_t *w);

#endif /* CS_INDEX_WRITER_H */
