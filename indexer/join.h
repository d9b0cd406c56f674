/* join.h: which official programme talk a notes talk is (issue 11, the
 * join).  A pure matcher: it reads sessions and says which programme talk
 * each notes talk joins and why; it writes nothing.  The index writer (or
 * --explain) feeds it the programme talks of the index, then asks about
 * each notes talk; cs_join_merge then makes the one session of a joined
 * pair.
 *
 * The rule, first that applies (docs/formats.md, "Joining notes to the
 * programme"):
 *  1. slot: the notes give date, start time and room, and exactly one
 *     programme talk has them (room compared by its title key, so "r0"
 *     and "R 0" agree).
 *  2. title: the notes title's key equals exactly one programme talk's,
 *     or does once a speaker suffix is taken off ("Title (Speaker)",
 *     "Title - Speaker", "Title by Speaker") and that suffix's key is the
 *     key of one of that programme talk's speakers.
 *  3. link: the notes come from the pad a hub talk links to (the link's
 *     pad key is the notes file's stem) and that hub talk matched by slot
 *     or title.
 * A key two programme talks share matches neither: a guess would put one
 * talk's notes under another.
 *
 * The title key: NFKC case folded (analysis.h cs_fold), every run of
 * characters that are neither letters nor digits (ICU) one space, ends
 * trimmed, CJK runs in their Taiwan Traditional form (script_fold.h), so
 * "Fast Tests!", "ＦＡＳＴ tests" and "fast-tests" are one key, and
 * 测试驱动开发 is 測試驅動開發.
 *
 * A cs_join_t owns an analyzer and an OpenCC handle: one per thread. */
#ifndef CS_JOIN_H
#define CS_JOIN_H

#include <stddef.h>

#include "session.h"
#include "status.h"
#include "terms.h"

typedef enum {
    CS_JOIN_NONE = 0, /* a talk of its own */
    CS_JOIN_SLOT,
    CS_JOIN_TITLE,
    CS_JOIN_LINK
} cs_join_reason_t;

/* "none", "slot", "title", "link": static, never NULL. */
const char *cs_join_reason_name(cs_join_reason_t why);

typedef struct cs_join cs_join_t;

/* *out is the caller's (cs_join_destroy; NULL is a no-op).  Returns CS_OK,
 * CS_ERR_NULL_ARG, CS_ERR_ICU (*errmsg, caller frees), CS_ERR_NO_MEMORY. */
cs_status_t cs_join_create(cs_join_t **out, char **errmsg);
void cs_join_destroy(cs_join_t *j);

/* The title key of text (see above) in *out (caller frees; "" for a title
 * without letters or digits).  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU,
 * CS_ERR_OPENCC, CS_ERR_NO_MEMORY. */
cs_status_t cs_join_title_key(cs_join_t *j, const char *text, char **out);

/* The slot key "DATE TIME ROOMKEY" of s in *out (caller frees), or NULL
 * when s lacks its date, time or room.  Same statuses. */
cs_status_t cs_join_slot_key(cs_join_t *j, const cs_session_t *s, char **out);

/* The pad key of a link: its last non-empty path segment without query,
 * fragment or a ".md"/".txt" ending, ASCII lower case
 * ("https://hackmd.io/AbC_12?view" -> "abc_12"); for a path, its file
 * stem the same way ("notes/AbC_12.md" -> "abc_12").  NULL for NULL, an
 * empty link or no memory.  Caller frees. */
char *cs_join_pad_key(const char *link_or_path);

/* Adds programme talk number index (the caller's numbering) to the
 * matcher.  s is read, not kept.  Returns CS_OK, CS_ERR_NULL_ARG and the
 * statuses of the keys. */
cs_status_t cs_join_add_programme(cs_join_t *j, const cs_session_t *s, size_t index);

/* Which programme talk notes talk s is: *index (only when *why is not
 * CS_JOIN_NONE) and *why.  Slot, then title; link needs the hub talks'
 * answers, so it is cs_join_add_hub_link's and cs_join_match_link's.
 * Returns CS_OK, CS_ERR_NULL_ARG and the statuses of the keys. */
cs_status_t cs_join_match(cs_join_t *j, const cs_session_t *s, size_t *index,
                          cs_join_reason_t *why);

/* Records that hub talk s (which cs_join_match joined to programme talk
 * index) links to a pad: a notes talk read from that pad's file then
 * joins the same programme talk.  A pad two hub talks of different
 * programme talks link to joins none.  No link: nothing done.  Returns
 * CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_join_add_hub_link(cs_join_t *j, const cs_session_t *s, size_t index);

/* The link step for notes talk s that slot and title did not join: *why is
 * CS_JOIN_LINK with *index when its source file is a pad a hub talk links
 * to, else CS_JOIN_NONE.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_join_match_link(cs_join_t *j, const cs_session_t *s, size_t *index,
                               cs_join_reason_t *why);

/* The whole decision for a run's notes talks, in the order that makes it
 * independent of the order they come in: every talk's slot and title
 * first (cs_join_match), the links of the hub talks that matched, then
 * the link step for the rest.  notes[i] gets index[i] and why[i].  The
 * programme talks must have been added.  Returns CS_OK, CS_ERR_NULL_ARG
 * and the statuses of the steps. */
cs_status_t cs_join_resolve(cs_join_t *j, const cs_session_t *const *notes, size_t n, size_t *index,
                            cs_join_reason_t *why);

/* The keys the matcher looks talk s up by, for the index to find a
 * programme talk's candidates without reading every talk: for a notes
 * talk, its slot key, its title key and the key of its title without each
 * speaker suffix it may have (CS_FILTER_JOIN_SLOT, CS_FILTER_JOIN_TITLE),
 * and its file's pad key (CS_FILTER_JOIN_PAD); for a programme talk (see
 * session.h), its slot and title keys.  fn gets each (key valid during the
 * call; a nonzero return stops with CS_ERR_NO_MEMORY).  Returns CS_OK,
 * CS_ERR_NULL_ARG and the statuses of the keys. */
typedef int (*cs_join_key_fn)(cs_filter_t kind, const char *key, void *ctx);
cs_status_t cs_join_keys(cs_join_t *j, const cs_session_t *s, cs_join_key_fn fn, void *ctx);

/* The one session of a joined pair in *out (cs_session_clear to free):
 * the programme's metadata (conference, day, date, time, end, room,
 * title, speakers, track, language, url), abstract and description, the
 * notes' body, text, link, source and line.  Both are read, not kept.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY (*out then cleared). */
cs_status_t cs_join_merge(const cs_session_t *programme, const cs_session_t *notes,
                          cs_session_t *out);

#endif /* CS_JOIN_H */
