/* snippet.h: highlighted snippets built from our own analysis offsets
 * (Xapian 1.4's snippet generator re-tokenizes and knows nothing of our ICU
 * terms or CJK bigrams).  Output is HTML: text escaped, matches wrapped in
 * <mark>...</mark>, and nothing else. */
#ifndef CS_SNIPPET_H
#define CS_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis.h"
#include "status.h"
#include "xapian-c.h"

typedef struct cs_highlighter cs_highlighter_t;

/* analyzer and stemmer are borrowed and must outlive the highlighter (one
 * per thread, like them); the stemmer should be the one the index uses (a
 * "none" stemmer turns stem matches off).  The highlighter runs cs_analyze
 * on the shared analyzer, so earlier tokens from it become invalid.
 * *out is caller-freed.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_highlighter_create(cs_analyzer_t *analyzer, xc_stemmer_t *stemmer,
                                  cs_highlighter_t **out);
void cs_highlighter_destroy(cs_highlighter_t *h);

/* Adds query text whose matches are marked: each Latin word (or number)
 * matches the same folded word or one with the same stem; with is_prefix,
 * the text's last word instead matches any word starting with it ("game
 * serv" from "game serv*"); each CJK run matches that character sequence
 * wherever it occurs in the text (whatever ICU's segmentation), a single
 * CJK character matches itself.  May be called several times; repeated
 * items are kept once.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_ICU,
 * CS_ERR_NO_MEMORY. */
cs_status_t cs_highlighter_add(cs_highlighter_t *h, const char *text, size_t len, int is_prefix);

/* An HTML snippet of at most max_chars characters (Unicode code points of
 * text, not bytes; "…" marks come on top) from text: the window with the
 * most distinct matches (ties: the earliest), or the start of the text when
 * nothing matches.  The window does not cut a Latin word where that can be
 * helped and gets "…" at a cut end; runs of whitespace, line breaks
 * included, become one space and the ends are trimmed.  Ill-formed UTF-8
 * and control characters come out as U+FFFD; nothing is read past len.
 * max_chars 0 or an empty text give "".  Caller frees; NULL on a NULL
 * argument or no memory. */
char *cs_highlighter_snippet(cs_highlighter_t *h, const char *text, size_t len, size_t max_chars);

/* How many bytes of its text the last cs_highlighter_snippet analysed (0
 * before any).  A snippet analyses pieces of the text until every query
 * item has been matched, and never more than a fixed budget (256 KiB),
 * so a match found only past the budget is not shown; this makes that
 * bound observable. */
size_t cs_highlighter_analysed(const cs_highlighter_t *h);

/* The whole text as HTML with every match marked (for the full talk view);
 * whitespace and line breaks are kept as they are, ill-formed UTF-8 and
 * other control characters become U+FFFD.  Caller frees; NULL on a NULL
 * argument or no memory. */
char *cs_highlighter_mark_all(cs_highlighter_t *h, const char *text, size_t len);

/* HTML (len bytes, as searchd's Markdown view renders it: tags, and text
 * whose only character references are &amp; &lt; &gt; &quot; &#39;) with
 * every match in its text marked; tags and attributes are copied as they
 * are, and a match never spans a tag.  Caller frees; NULL on a NULL
 * argument or no memory. */
char *cs_highlighter_mark_html(cs_highlighter_t *h, const char *html, size_t len);

/* Whether h has anything to mark (a query of words, not only filters). */
bool cs_highlighter_marks(const cs_highlighter_t *h);

#endif /* CS_SNIPPET_H */
