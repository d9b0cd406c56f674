/* terms.h: the one home of the token -> term rules.  The indexer's document
 * builder, searchd's query parser, its highlighter, completions and "did
 * you mean" all build or recognise terms through these functions, so a
 * rule (a prefix, a length limit, what folds, what is one character, which
 * tokens form a CJK run, which words spell) cannot drift between the side
 * that writes the index and the side that searches it.  schema.h names the
 * prefixes; schema/README.md says what each term means.
 *
 * Every builder writes a NUL-terminated term into a caller's buffer of
 * CS_TERM_BUF_BYTES and its length to *n; nothing is allocated and nothing
 * needs freeing.  A term that would pass Xapian's limit is not built.
 */
#ifndef CS_TERMS_H
#define CS_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "status.h"
#include "xapian-c.h"

/* Xapian refuses longer terms.  CS_MAX_TOKEN_BYTES (analysis.h) leaves room
 * for the longest prefix before any token or filter value. */
#define CS_TERM_MAX_BYTES 245
#define CS_TERM_BUF_BYTES (CS_TERM_MAX_BYTES + 1)

/* ---- terms of analysed text -------------------------------------------- */

/* The field a word was found in: title and speaker words also get a
 * positionless field term (CS_PREFIX_TITLE, CS_PREFIX_SPEAKER). */
typedef enum { CS_FIELD_BODY, CS_FIELD_TITLE, CS_FIELD_SPEAKER } cs_field_t;

/* The term of a folded word, number or CJK word: the text itself.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_LIMIT (too long: no term). */
cs_status_t cs_term_word(const char *text, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n);

/* The field term of a word of field; CS_FIELD_BODY has none.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_FORMAT (a body word: no term),
 * CS_ERR_LIMIT. */
cs_status_t cs_term_field_word(cs_field_t field, const char *text, size_t len,
                               char buf[CS_TERM_BUF_BYTES], size_t *n);

/* The stem term (CS_PREFIX_STEM) of a folded CS_TOKEN_WORD, stemmed by
 * stemmer (borrowed; the index's is Snowball "english").  Any failure of
 * the stemmer means the word has no stem term, on both sides alike.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_LIMIT, CS_ERR_XAPIAN (the stemmer
 * failed, also for want of memory). */
cs_status_t cs_term_stem(xc_stemmer_t *stemmer, const char *word, size_t len,
                         char buf[CS_TERM_BUF_BYTES], size_t *n);

/* The bigram term (CS_PREFIX_BIGRAM) of two folded CJK characters; given
 * one character, the prefix every bigram starting with it shares.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_LIMIT. */
cs_status_t cs_term_bigram(const char *text, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n);

/* The character term (CS_PREFIX_CHAR) of one folded CJK character.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_LIMIT. */
cs_status_t cs_term_char(const char *text, size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n);

/* The term a token stands for at its position: cs_term_bigram for a
 * bigram, cs_term_char for a character, else cs_term_word.
 * Returns as those, plus CS_ERR_NULL_ARG for a NULL token. */
cs_status_t cs_term_of_token(const cs_token_t *t, char buf[CS_TERM_BUF_BYTES], size_t *n);

/* Whether a token of a title or body feeds the spelling table (and so may
 * be corrected by "did you mean"): a word (not a number, not CJK) of at
 * least 3 bytes whose first byte is an ASCII letter.  False for NULL. */
bool cs_term_is_spelling_word(const cs_token_t *t);

/* ---- CJK runs ----------------------------------------------------------- */

/* A stretch of a token list that a consumer treats as one: a CJK run (its
 * ICU words, then its bigrams, then its characters, all with the same run
 * number, as cs_analyze lists them), a compound (its whole, then its parts,
 * all with the same compound number; the whole is missing when it was too
 * long to index) or any other single token. */
typedef struct {
    size_t first, end; /* tokens[first, end) */
    size_t bigrams;    /* CS_TOKEN_BIGRAM tokens among them, as written */
    size_t variants;   /* tokens of the run's Taiwan form (analysis.h) */
    bool cjk;          /* a CJK run */
    bool compound;     /* a compound: tokens[first] is its whole when whole */
    bool whole;
} cs_token_span_t;

/* Whether t is a token of a CJK run (CJK word, bigram or character). */
bool cs_term_is_cjk(const cs_token_t *t);

/* The span that starts at tokens[i] (i < count); the next one starts at
 * its end, so `for (i = 0; i < count; i = span.end)` walks the list. */
cs_token_span_t cs_term_span(const cs_token_t *tokens, size_t count, size_t i);

/* The tokens that stand for one form of the CJK run span, in position
 * order: with taiwan false, the run as written (its bigrams; a run of one
 * character, its CJK word); with taiwan true, its Taiwan form (at each
 * position the form's bigrams there, else the bigram as written; a form of
 * one character, its CJK word).  Queries and the highlighter match this
 * sequence, so the Taiwan form is read one way everywhere.  out has room
 * for span.end - span.first pointers; returns how many it filled, 0 for
 * the Taiwan form of a run that has none, or for a span that is no run. */
size_t cs_term_run_form(const cs_token_t *tokens, cs_token_span_t span, bool taiwan,
                        const cs_token_t **out);

/* ---- characters --------------------------------------------------------- */

/* Whether code point c belongs to the character before it, taking no
 * position of its own: marks, format characters (variation selectors,
 * ZWJ) and whatever NFKC case folding composes with what precedes it
 * (half-width dakuten, Hangul vowel and final jamo). */
bool cs_term_joins_previous(int32_t c);

/* Whether c is a CJK character that NFKC case folding leaves as it is and
 * that takes one code point: the unified Han ideographs (and Extension A),
 * kana and Hangul syllables.  The bulk of CJK text; the analysis folds
 * these by copying and converts only runs made of them (script_fold.h). */
bool cs_term_is_verbatim_cjk(int32_t c);

/* Bytes of the character at s[i, limit): its first code point and every
 * code point that joins it; ill-formed UTF-8 ends a character.  At least 1
 * when i < limit, 0 otherwise. */
size_t cs_term_char_bytes(const char *s, size_t i, size_t limit);

/* ---- filter terms ------------------------------------------------------- */

/* The boolean terms that filter talks.  The first three are the facets a
 * search filters by and counts (searchd's cs_facet_t). */
typedef enum {
    CS_FILTER_DAY = 0,     /* CS_PREFIX_DAY: the day number in decimal, "01" is 1 */
    CS_FILTER_ROOM = 1,    /* CS_PREFIX_ROOM: the room as written */
    CS_FILTER_SPEAKER = 2, /* CS_PREFIX_SPK: one speaker's whole name, folded */
    CS_FILTER_DATE,        /* CS_PREFIX_DATE: the ISO date as written */
    CS_FILTER_CONF,        /* CS_PREFIX_CONF: the conference name, folded */
    CS_FILTER_ID,          /* CS_PREFIX_ID: the session id as written */
    CS_FILTER_TRACK,       /* CS_PREFIX_TRACK: the programme's track, folded */
    CS_FILTER_BASE,        /* CS_PREFIX_BASE: the id claimed, before its suffix */
    CS_FILTER_JOINED_TO,   /* CS_PREFIX_JOINED_TO: the id of the talk holding the notes */
    /* Join keys (indexer/join.h makes them): a key too long for a term is
     * its hash, since the terms only find candidates the matcher then
     * checks, and two keys sharing a hash only add a candidate. */
    CS_FILTER_JOIN_SLOT,  /* CS_PREFIX_JOIN_SLOT */
    CS_FILTER_JOIN_TITLE, /* CS_PREFIX_JOIN_TITLE */
    CS_FILTER_JOIN_PAD    /* CS_PREFIX_JOIN_PAD */
} cs_filter_t;

/* The term that filters by value (len bytes, need not be NUL-terminated).
 * Speaker and conference names are folded with cs_fold on analyzer
 * (borrowed; may be NULL for the other filters), so a value typed in a
 * query finds what the indexer wrote however it is cased or spaced.
 * Returns CS_OK; CS_ERR_FORMAT when no talk can carry the value (empty,
 * folding to nothing, holding a NUL byte, a day that is not a number from
 * 1 to 999999, an unknown filter); CS_ERR_LIMIT when the value, folded, is
 * over CS_MAX_TOKEN_BYTES; CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_NO_MEMORY.
 * The indexer writes no term for the first two, searchd then matches
 * nothing. */
cs_status_t cs_term_filter(cs_analyzer_t *analyzer, cs_filter_t filter, const char *value,
                           size_t len, char buf[CS_TERM_BUF_BYTES], size_t *n);

/* The part of an index term that names a topic (a word, a stem, a CJK
 * bigram's two characters), for "similar talks": a pointer into term with
 * its length in *word_len, or NULL for a term that tells nothing of a
 * topic (ids, filter terms, title/speaker field copies, single CJK
 * characters, numbers, one-character words).  Reads len bytes of term. */
const char *cs_term_topic_word(const char *term, size_t len, size_t *word_len);

#endif /* CS_TERMS_H */
