/* schema.h: the one description of a confsearch index, shared by the
 * indexer (which writes it) and searchd (which reads it).  schema/README.md
 * documents every prefix, slot and weight below; keep the two in step and
 * bump CS_SCHEMA_FORMAT_VERSION when the meaning of any of them changes. */
#ifndef CS_SCHEMA_H
#define CS_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"
#include "status.h"

/* Stored under the metadata key below; searchd refuses other versions. */
#define CS_SCHEMA_FORMAT_VERSION "8"
#define CS_META_FORMAT_KEY "confsearch.format"
/* One metadata key per source file the indexer was given: this prefix, then
 * the file's source key (cs_schema_source_term without CS_PREFIX_SOURCE).
 * The value tells the file's content digest, the indexer build and the ids
 * of its talks (indexer/source_record.h), so that an unchanged file is not
 * parsed again.  An index without these keys is simply processed in full
 * once; no format version is involved. */
#define CS_META_SOURCE_PREFIX "confsearch.source:"
/* The revision the last commit of a record-aware indexer made: a record is
 * trusted only while the index is still at it (an older indexer commits
 * talks without their records). */
#define CS_META_RECORDS_REV "confsearch.records-rev"

/* Term prefixes (Xapian's conventions: capitals, X for our own). */
#define CS_PREFIX_ID "Q"          /* unique session id: "Q" + id */
#define CS_PREFIX_STEM "Z"        /* stemmed Latin word, no positions */
#define CS_PREFIX_TITLE "S"       /* title word (folded), no positions */
#define CS_PREFIX_SPEAKER "A"     /* speaker name word (folded), no positions */
#define CS_PREFIX_BIGRAM "XB"     /* CJK character bigram, with positions */
#define CS_PREFIX_CHAR "XU"       /* one CJK character, no positions */
#define CS_PREFIX_DAY "XDAY:"     /* boolean: day number, "XDAY:1" */
#define CS_PREFIX_ROOM "XROOM:"   /* boolean: room as written, "XROOM:R0" */
#define CS_PREFIX_SPK "XSPK:"     /* boolean: whole speaker name, folded */
#define CS_PREFIX_DATE "XDATE:"   /* boolean: ISO date */
#define CS_PREFIX_CONF "XCONF:"   /* boolean: conference name, folded */
#define CS_PREFIX_TRACK "XTRACK:" /* boolean: programme track, folded */
#define CS_PREFIX_SOURCE "XSRC:"  /* boolean: source file key (cs_schema_source_term) */
#define CS_PREFIX_BASE "XCLAIM:"  /* boolean: the id a talk claims, before any -2, -3 suffix */
/* The join of notes to the official programme (schema/README.md, "Notes
 * joined to the programme"). */
#define CS_TERM_PROGRAMME "XPROG"   /* boolean: a talk of an official programme */
#define CS_TERM_JOINED "XJOINED"    /* boolean: notes held by a programme talk's document */
#define CS_PREFIX_JOINED_TO "XJTO:" /* boolean: the id of the talk that holds these notes */
#define CS_PREFIX_JOIN_SLOT "XJS:"  /* boolean: join key, date time room (join.h) */
#define CS_PREFIX_JOIN_TITLE "XJT:" /* boolean: join key, title (join.h) */
#define CS_PREFIX_JOIN_PAD "XJP:"   /* boolean: join key, the notes file's pad key */
/* Unprefixed terms are folded words: Latin words, numbers and CJK words. */

/* Value slots. */
enum {
    CS_SLOT_DAY = 0,        /* day number as decimal text ("1"), facet */
    CS_SLOT_ROOM = 1,       /* room as written ("R0"), facet */
    CS_SLOT_SPEAKERS = 2,   /* speaker names joined by CS_SPEAKER_SEP, facet */
    CS_SLOT_ORDER = 3,      /* sort key: date or day, time, room (cs_schema_order_key) */
    CS_SLOT_DATE = 4,       /* ISO date or "" */
    CS_SLOT_TIME = 5,       /* "HH:MM" or "" */
    CS_SLOT_CONFERENCE = 6, /* conference name as written, facet */
    CS_SLOT_TRACK = 7       /* programme track as written, facet */
};
#define CS_SPEAKER_SEP '\x1f'

/* Field weights, applied as wdf increments on the unprefixed terms, so BM25
 * ranks a word in a title or speaker name above the same word in a body. */
#define CS_WEIGHT_TITLE 5
#define CS_WEIGHT_SPEAKER 5
#define CS_WEIGHT_BODY 1

/* Most bytes of notes one talk keeps (its body, before the cut notice):
 * a pasted 21 MB log in one talk made every search that matched it slow
 * (issue 13).  A longer body is cut at a line end (or a character
 * boundary) below this, with a warning naming the file and line and the
 * notice CS_BODY_CUT_NOTICE at the end of the stored body. */
#define CS_MAX_BODY_BYTES (2u * 1024u * 1024u)
#define CS_BODY_CUT_NOTICE "\n\n[cut: these notes were %zu bytes; confsearch keeps the first %zu]"

/* Largest number of bytes in a session id. */
#define CS_MAX_ID_BYTES 160

/* Makes the stable, readable id of s from its conference (or, without a
 * day header, the stem of its source file), date (or day), time and room:
 * "pycon-apac-2015_2015-06-05_1550_R0"; a whole-file document gets
 * "<file-stem>_file".  Only [A-Za-z0-9_-] appear, so ids are URL-safe.
 * Writes a NUL-terminated id of at most CS_MAX_ID_BYTES-1 bytes to buf. */
void cs_schema_session_id(const cs_session_t *s, char buf[CS_MAX_ID_BYTES]);

/* A talk's place among the claimants of one base id (schema/README.md,
 * "Who owns an id"): programme talks first, then by the source key of
 * their file, then by line, then by stored JSON (len bytes of data), so
 * that no two talks tie.  The fields are borrowed. */
typedef struct {
    bool programme;
    const char *source_key; /* its file's source term */
    unsigned line;
    const char *data;
    size_t len;
} cs_claim_t;

/* <0, 0, >0 as a comes before, with or after b in that order. */
int cs_schema_claim_compare(const cs_claim_t *a, const cs_claim_t *b);

/* The sort key of s: date-or-day, time, room, so that an empty query lists
 * talks in programme order.  Caller frees. */
char *cs_schema_order_key(const cs_session_t *s);

/* The boolean term naming a source file (its absolute path, or a hash of it
 * when that would make the term too long).  Caller frees. */
char *cs_schema_source_term(const char *path);

/* The session as the JSON stored in the document data (every field and the
 * full body); searchd serves it as is.  Caller frees.  NULL on no memory. */
char *cs_schema_session_to_json(const cs_session_t *s);
/* The reverse: fills *s (cs_session_clear to free) from stored JSON.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_FORMAT, CS_ERR_NO_MEMORY. */
cs_status_t cs_schema_session_from_json(const char *json, size_t len, cs_session_t *s);

#endif /* CS_SCHEMA_H */
