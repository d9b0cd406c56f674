/* analysis.h: the one text analysis of confsearch, used by the indexer on
 * documents and by searchd on queries, so both sides always agree.
 *
 * Text is NFKC case folded and broken into words with ICU (dictionary
 * segmentation for Chinese and Japanese).  Every run of CJK characters
 * (Han, Hiragana, Katakana, Hangul) is also cut into overlapping character
 * bigrams, because ICU's dictionary splits are imperfect ("請舉手" is one
 * ICU word, yet "舉手" must be findable) and Korean glues particles and
 * compounds to its words ("파이썬을", "데이터분석": 파이썬 and 분석 must be
 * findable).
 *
 * A CJK character carries its combining marks and variation selectors; a
 * piece with no letter or digit ("___", emoji, "★") yields no token.  Note
 * ICU's own rules: "C++" is "c", "e-mail" is "e" + "mail".
 *
 * Compounds, for the way tech notes are written (schema/README.md has the
 * table of input -> terms):
 * - A word's parts are its runs of letters and of digits: "mock.patch",
 *   "MAX_WORKERS", "O'Reilly", "python3", "3.11.2", "node.js" have two or
 *   more.  Such a word is a compound: its whole (CS_TOKEN_COMPOUND, from its
 *   first part to its last, so "__init__" is "init" and "@my_handle" is
 *   "my_handle") and then each part (part set).
 * - ICU words joined by ". _ @ : / '" (or U+2019) with nothing else between
 *   are one compound: "team@example.org", "docs.python.org/3/library",
 *   "10:30".  A space, "-", "(", a leading or trailing joiner end it.
 * - A run of letters is cut again where lower case meets upper case
 *   ("My|Conf", "HTTP|Server"): its case pieces (piece set) follow it.
 *   A word with pieces but one part ("PyCon") is a word with a compound
 *   number, so its pieces belong to it.
 * - A whole too long to index is dropped; its parts and pieces are kept.
 *
 * Positions: each Latin word or number takes one position; a compound's
 * whole stands at its first part's position and its parts at consecutive
 * positions ("mock patch" as a phrase matches mock.patch; "patch mock"
 * does not); a case piece stands at the position of the run it is cut
 * from (found, but never part of a phrase); each CJK character takes one
 * position.  A CJK word and a bigram stand at the position of their first
 * character.  So the words of a phrase, and the bigrams of a CJK run, sit
 * at consecutive positions in documents and queries alike.
 *
 * Simplified and Traditional (script_fold.h, OpenCC's s2twp): a CJK run of
 * verbatim characters (cs_term_is_verbatim_cjk) that holds a
 * Simplified-only character also gets the tokens of its Taiwan Traditional
 * form where they differ from the run as written ("variant" tokens, after
 * the run's bigrams, and after its characters when those are asked for):
 * its bigrams (a one-character form: that character as a CJK word) and
 * characters, never ICU words, each at the position and input bytes of the
 * character it stands for.  So 网络 also gives 網路's bigram, 视频 影片's,
 * 信息 資訊's, 写程序 寫程式's; a snippet marks the characters as written.
 * Traditional text and runs of characters both scripts share (程序, 信息
 * alone) give none: Traditional notes keep exactly their own terms.  A
 * query (CS_VARIANTS_QUERY) converts every run, shared characters too, so
 * 程序 also searches 程式.  Where the Taiwan form changes the length
 * (博客 -> 部落格) the extra characters share the last position of the
 * stretch they replace, so a phrase across that stretch does not match.
 */
#ifndef CS_ANALYSIS_H
#define CS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* A token whose folded form is longer is dropped: with the longest prefix
 * put before it, it would pass CS_TERM_MAX_BYTES (terms.h), Xapian's limit. */
#define CS_MAX_TOKEN_BYTES 200

typedef enum {
    CS_TOKEN_WORD,     /* letters of a non-CJK script (Latin, Greek, Cyrillic...) */
    CS_TOKEN_NUMBER,   /* digits ("2015") */
    CS_TOKEN_COMPOUND, /* the whole of a compound with inner punctuation or digits
                          ("mock.patch", "python3", "3.11.2", "team@example.org") */
    CS_TOKEN_CJK,      /* an ICU word made of CJK characters ("測試", "的", "파이썬을") */
    CS_TOKEN_BIGRAM,   /* two consecutive CJK characters of one run ("舉手") */
    CS_TOKEN_CHAR      /* one CJK character of a run ("舉"); only when asked for */
} cs_token_kind_t;

typedef struct {
    const char *text;  /* folded UTF-8, NUL-terminated; owned by the analyzer */
    size_t len;        /* bytes in text */
    size_t start, end; /* byte range [start, end) in the INPUT text it came from */
    uint32_t pos;      /* position, from 0 (see above) */
    uint32_t run;      /* CJK run number for CJK and BIGRAM tokens, else 0 */
    uint32_t compound; /* compound number for a compound's whole and parts, else 0 */
    bool part;         /* a part of compound, after its whole ("patch" of "mock.patch") */
    bool piece;        /* a case piece of compound, after the word it is cut from
                          ("conf" of "MyConf"), at that word's position */
    bool variant;      /* of the run's Taiwan Traditional form, where it differs
                          from the text as written (see above) */
    cs_token_kind_t kind;
} cs_token_t;

typedef struct cs_analyzer cs_analyzer_t;

/* Creates an analyzer (ICU break iterator and normaliser).  One per thread.
 * *out is owned by the caller: cs_analyzer_destroy.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU (with *errmsg, caller frees),
 * CS_ERR_NO_MEMORY. */
cs_status_t cs_analyzer_create(cs_analyzer_t **out, char **errmsg);
void cs_analyzer_destroy(cs_analyzer_t *a);

/* With on, cs_analyze also lists every character of each CJK run as a
 * CS_TOKEN_CHAR token (after the run's bigrams, at the character's
 * position).  The indexer asks for them, so that a one-character query
 * finds the character inside longer words ("教" in "教練"); queries need
 * no such tokens (a lone character is already its own CJK word), so the
 * default is off and every other consumer sees the tokens it always did. */
void cs_analyzer_set_chars(cs_analyzer_t *a, bool on);

/* Which CJK runs get their Taiwan Traditional form (see above). */
typedef enum {
    CS_VARIANTS_DOCUMENT = 0, /* runs holding a Simplified-only character (the default) */
    CS_VARIANTS_QUERY,        /* every run that s2twp changes */
    CS_VARIANTS_NONE          /* none */
} cs_variants_t;

/* Sets which runs get variant tokens; returns the mode it replaces, so a
 * caller can put it back.  searchd's query parser and highlighter use
 * CS_VARIANTS_QUERY for query text; everything that analyses documents
 * keeps the default.  NULL: no effect, returns CS_VARIANTS_DOCUMENT. */
cs_variants_t cs_analyzer_set_variants(cs_analyzer_t *a, cs_variants_t mode);

/* Analyses len bytes of UTF-8 (need not be NUL-terminated; invalid
 * sequences are read as U+FFFD and yield no token).  On CS_OK, *tokens and
 * *count describe the tokens in order of start offset (bigrams of a run
 * follow the run's words, and its characters, when asked for, its bigrams), owned by the analyzer
 * and valid until its next cs_analyze or destroy.  A compound's whole comes before its parts, a
 * part before its case pieces, all with the whole's start.  Tokens longer
 * than CS_MAX_TOKEN_BYTES are dropped.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_NO_MEMORY, CS_ERR_OPENCC
 * (OpenCC's data could not be read: no tokens rather than tokens the index
 * and queries would disagree on). */
cs_status_t cs_analyze(cs_analyzer_t *a, const char *utf8, size_t len, const cs_token_t **tokens,
                       size_t *count);

/* Bytes the analyser's growing buffers hold now (not its fixed chunk).
 * A buffer that one input grew past 1 MiB is released when the next
 * cs_analyze starts, so this returns to an ordinary talk's figure after
 * a huge one. */
size_t cs_analyzer_held_bytes(const cs_analyzer_t *a);

/* Folds one string (NFKC case fold) into a malloc'd NUL-terminated string
 * (*out, caller frees; *outlen may be NULL).  Used for filter values such as
 * speaker names, so "Dan Maas" and "ＤＡＮ maas" are the same.  Returns
 * CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU, CS_ERR_NO_MEMORY. */
cs_status_t cs_fold(cs_analyzer_t *a, const char *utf8, size_t len, char **out, size_t *outlen);

#endif /* CS_ANALYSIS_H */
