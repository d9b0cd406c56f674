/* blocks.h: a notes file as a flat list of the lines that can carry
 * programme structure (headings, list items, paragraph lines), each as
 * plain text with its source line, plus the file's metadata (front
 * matter, Pelican header lines).  Markdown is read with cmark-gfm, the
 * only module that includes it; reStructuredText and unstructured text
 * with a line scanner that gives the same kind of blocks, so talk_find.c
 * runs one set of recognisers over every format.
 *
 * Ownership: a cs_blocks_t and every string in it belong to it; free with
 * cs_blocks_free.  Line numbers are 1-based and count "\n", "\r\n" and a
 * lone "\r" alike, as the pad parser does. */
#ifndef CS_BLOCKS_H
#define CS_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

typedef enum {
    CS_BLOCK_HEADING, /* level 1..6 (RST: by order of first appearance) */
    CS_BLOCK_ITEM,    /* a list item's first line; level = nesting depth, 1 outermost */
    CS_BLOCK_LINE,    /* any other line of a paragraph */
    CS_BLOCK_RULE,    /* a thematic break ("---", "***") */
    CS_BLOCK_ROW      /* a table row; level 1 the header row, 2 a body row */
} cs_block_kind_t;

typedef struct {
    cs_block_kind_t kind;
    int level;
    unsigned line;     /* the block's first source line */
    unsigned end_line; /* its last source line (an item: with its nested content) */
    char *text;        /* plain text: inline markup removed, link text kept, never NULL */
    char *link;        /* the first link's target, or NULL */
    bool para_start;   /* LINE: the first line of its paragraph */
    bool emphasised;   /* the whole line is one bold or italic span ("**Title**") */
    bool linked;       /* the whole line is one link ("[Title](url)") */
    char **cells;      /* ROW: each cell's plain text */
    size_t n_cells;
} cs_block_t;

typedef struct {
    cs_block_t *blocks;
    size_t n;
    bool markdown;         /* read as Markdown (else as RST / plain lines) */
    unsigned meta_end;     /* last line of front matter / header lines, 0 when none */
    char *meta_title;      /* front matter "title:", or NULL */
    char *meta_conference; /* front matter "conference:"/"event:", tags' first, or NULL */
    int meta_year;         /* a year from date:, tags or title, 0 when none */
} cs_blocks_t;

/* A text's lines: where each starts and ends (its line end excluded).
 * text is borrowed; starts and ends are owned (cs_lines_free). */
typedef struct {
    const char *text;
    size_t len;
    size_t *starts; /* starts[i]: offset of line i + 1 */
    size_t *ends;
    unsigned n;
} cs_lines_t;

/* Splits text at "\n", "\r\n" and a lone "\r", after a byte-order mark.
 * False when out of memory (then cs_lines_free what was made). */
bool cs_lines_split(const char *text, size_t len, cs_lines_t *out);
void cs_lines_free(cs_lines_t *lines);

/* True when text reads as Markdown: ATX headings, front matter, link
 * lists, fences or emphasis, or a name ending in .md / .markdown. */
bool cs_blocks_is_markdown(const char *text, size_t len, const char *name);

/* True when text has reStructuredText section titles (a line underlined,
 * and maybe overlined, with "=", "-", "~", ...), or name ends in .rst. */
bool cs_blocks_is_rst(const char *text, size_t len, const char *name);

/* Reads text (valid UTF-8, len bytes) as Markdown (markdown true) or as
 * RST / plain lines.  Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_blocks_read(const char *text, size_t len, bool markdown, cs_blocks_t **out);
void cs_blocks_free(cs_blocks_t *b);

/* The plain text of Markdown: what a reader sees, without "##", "**",
 * table rules, list bullets, fences or raw HTML; link text stays, link
 * targets go.  For indexing and snippets of a Markdown body.  Returns a
 * malloc'd string (caller frees) with its length in *out_len, or NULL
 * when out of memory. */
char *cs_markdown_plain_text(const char *md, size_t len, size_t *out_len);

#endif /* CS_BLOCKS_H */
