/* query.h: the user query language, parsed into a Xapian query built from
 * the same analysis as the index (schema/analysis.h), plus the inline
 * filters it names and the text to highlight.
 *
 * Language:
 *   twisted python        words are AND-ed
 *   "game server"         a phrase (words in order, adjacent)
 *   -java  -"big data"    excludes
 *   django OR flask       either (OR binds tighter than the implicit AND)
 *   twis*                 words starting with "twis" (expansion capped)
 *   (a OR b) c            grouping, at most CS_QUERY_MAX_DEPTH deep
 *   room:R0 day:1 speaker:"Dan Maas"   filters, as the API parameters
 * Phrases may also be quoted “…”, 「…」 or 『…』.  Filters stand alone at
 * the top level: "-room:R0", "room:R0 OR room:R1" and "(room:R0 x)" are
 * errors (several values of a facet are written "room:R0 room:R1").  "-" only
 * excludes when glued to what follows; unbalanced quotes, a stray ")" and a
 * dangling OR are errors, each with a message for the user.
 * Any other "name:value" is plain text (URLs stay searchable).  A word
 * is analysed like document text: Latin words match exactly or by stem,
 * the exact form weighing more; a CJK run matches its ICU words as a phrase
 * OR its character bigrams as a phrase (for recall when segmentation
 * differs); mixed runs like "Django教練" need every part.
 */
#ifndef CS_QUERY_H
#define CS_QUERY_H

#include <stddef.h>

#include "analysis.h"
#include "status.h"
#include "xapian-c.h"

#define CS_QUERY_MAX_TERMS 64      /* more terms than this: CS_ERR_LIMIT */
#define CS_QUERY_MAX_DEPTH 16      /* deeper parentheses: CS_ERR_LIMIT */
#define CS_QUERY_MAX_EXPANSION 100 /* a prefix matching more words: error when run */
#define CS_QUERY_MAX_FILTERS 32    /* filter values per facet */
#define CS_QUERY_MAX_BYTES 4096    /* longer query text: CS_ERR_LIMIT */

typedef enum {
    CS_FACET_DAY = 0,
    CS_FACET_ROOM = 1,
    CS_FACET_SPEAKER = 2,
    CS_FACET_CONFERENCE = 3,
    CS_FACET_TRACK = 4,
    CS_FACET_COUNT
} cs_facet_t;

/* The facet's name as the API and the query language spell it ("day",
 * "room", "speaker", "conference", "track"); "" for no facet.  Static. */
const char *cs_facet_name(cs_facet_t facet);

typedef struct cs_query cs_query_t;

/* Every talk: what an empty query searches, and what a query of only
 * excluded words subtracts from.  Notes held by a programme talk's
 * document (schema/README.md, "Notes joined to the programme") are not
 * talks of their own.  *out is caller-freed.  Returns XC_OK or
 * XC_ERR_NO_MEMORY. */
xc_status_t cs_query_all_talks(xc_query_t **out);

/* Parses len bytes of UTF-8 query text.  analyzer and stemmer are borrowed
 * for the call only.  On CS_OK *out is caller-freed (cs_query_destroy).
 * Returns CS_OK; CS_ERR_BAD_QUERY (unbalanced quotes or parentheses, a
 * dangling OR, an empty filter value...) or CS_ERR_LIMIT (too many terms,
 * too deep) with *errmsg (caller frees) saying what is wrong in words a user
 * understands; CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_NO_MEMORY. */
cs_status_t cs_query_parse(cs_analyzer_t *analyzer, xc_stemmer_t *stemmer, const char *text,
                           size_t len, cs_query_t **out, char **errmsg);
void cs_query_destroy(cs_query_t *q);

/* The text part, owned by q; NULL when the query has only filters (or is
 * empty): then every talk matches, subject to the filters. */
const xc_query_t *cs_query_xapian(const cs_query_t *q);

/* Inline filter values of one facet, as typed (day "1", room "R0", speaker
 * "Dan Maas"); owned by q. */
size_t cs_query_filter_count(const cs_query_t *q, cs_facet_t facet);
const char *cs_query_filter(const cs_query_t *q, cs_facet_t facet, size_t i);

/* The positive (not excluded) words and phrases, as typed, for the
 * highlighter; owned by q.  Prefix words are given without the '*' and
 * flagged. */
size_t cs_query_highlight_count(const cs_query_t *q);
const char *cs_query_highlight(const cs_query_t *q, size_t i, int *is_prefix);

/* How many index terms the query uses (checked against CS_QUERY_MAX_TERMS). */
size_t cs_query_term_count(const cs_query_t *q);

/* The Xapian boolean term that filters facet by value, the indexer's own
 * (cs_term_filter: "XROOM:R0", speaker names folded); caller frees.  NULL
 * for a value no talk can have (e.g. day "x"), so the caller matches
 * nothing. */
char *cs_query_filter_term(cs_analyzer_t *analyzer, cs_facet_t facet, const char *value,
                           size_t len);

#endif /* CS_QUERY_H */
