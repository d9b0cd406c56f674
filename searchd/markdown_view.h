/* markdown_view.h: a Markdown talk body as HTML that is safe to put in the
 * page: cmark-gfm's renderer (tables, strikethrough, autolinks, task
 * lists) in its safe mode; raw HTML in notes is shown as the text it is
 * (never as markup) and javascript: links are dropped; images become links (the page's
 * CSP loads no images from other hosts); every link gets
 * rel="noopener noreferrer".  The only module of searchd that includes
 * cmark-gfm. */
#ifndef CS_MARKDOWN_VIEW_H
#define CS_MARKDOWN_VIEW_H

#include <stddef.h>

/* Renders len bytes of Markdown.  Returns a malloc'd NUL-terminated HTML
 * fragment (caller frees), or NULL when out of memory. */
char *cs_markdown_view_html(const char *md, size_t len);

#endif /* CS_MARKDOWN_VIEW_H */
