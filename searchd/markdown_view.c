/* markdown_view.c: safe HTML for a Markdown talk body (markdown_view.h). */
#include "markdown_view.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

static const char *const extensions[] = {"table", "strikethrough", "autolink", "tasklist"};

/* An image from a note would load from another host: the page shows it as
 * a link to the image instead, its alt text as the link text. */
static void images_to_links(cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE)
            continue;
        cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
        if (!link)
            continue;
        cmark_node_set_url(link, cmark_node_get_url(n));
        cmark_node_set_title(link, cmark_node_get_title(n));
        cmark_node *child;
        while ((child = cmark_node_first_child(n)) != NULL) {
            cmark_node_unlink(child);
            cmark_node_append_child(link, child);
        }
        if (!cmark_node_first_child(link)) {
            cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
            if (t) {
                cmark_node_set_literal(t, cmark_node_get_url(n));
                cmark_node_append_child(link, t);
            }
        }
        /* Replacing the node the iterator stands on: reset it there. */
        cmark_node_replace(n, link);
        cmark_node_free(n);
        cmark_iter_reset(it, link, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
}

/* Raw HTML in notes is something the note-taker typed: it is shown as
 * the text it is ("<script>" stays visible and inert), never as markup. */
static void html_to_text(cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE))
            continue;
        /* A block becomes a code block, so its lines keep their shape. */
        cmark_node *repl =
            cmark_node_new(t == CMARK_NODE_HTML_BLOCK ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_TEXT);
        if (!repl)
            continue;
        cmark_node_set_literal(repl, cmark_node_get_literal(n));
        cmark_node_replace(n, repl);
        cmark_node_free(n);
        cmark_iter_reset(it, repl, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
}

/* Adds rel="noopener noreferrer" to every "<a href=" of html. */
static char *with_rel(const char *html)
{
    static const char from[] = "<a href=\"", to[] = "<a rel=\"noopener noreferrer\" href=\"";
    size_t count = 0;
    for (const char *p = html; (p = strstr(p, from)) != NULL; p += sizeof from - 1)
        count++;
    size_t n = strlen(html) + count * (sizeof to - sizeof from) + 1;
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    for (const char *p = html;;) {
        const char *q = strstr(p, from);
        if (!q) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, sizeof to - 1);
        o += sizeof to - 1;
        p = q + sizeof from - 1;
    }
    return out;
}

char *cs_markdown_view_html(const char *md, size_t len)
{
    cmark_gfm_core_extensions_ensure_registered();
    /* CMARK_OPT_DEFAULT is cmark-gfm's safe mode: raw HTML becomes a
     * comment and unsafe link schemes an empty href. */
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    if (!parser)
        return NULL;
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(extensions[i]);
        if (e)
            cmark_parser_attach_syntax_extension(parser, e);
    }
    cmark_parser_feed(parser, md ? md : "", md ? len : 0);
    cmark_node *doc = cmark_parser_finish(parser);
    char *out = NULL;
    if (doc) {
        images_to_links(doc);
        html_to_text(doc);
        char *html =
            cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
        if (html) {
            out = with_rel(html);
            free(html);
        }
        cmark_node_free(doc);
    }
    cmark_parser_free(parser);
    return out;
}
