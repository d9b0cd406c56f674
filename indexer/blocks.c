/* blocks.c: notes files as blocks (blocks.h).  The Markdown side walks
 * cmark-gfm's tree; the RST / plain side scans lines.  Front matter and
 * Pelican header lines are read here and hidden from both, since "---"
 * around YAML would otherwise read as a rule and a setext heading. */
#define _GNU_SOURCE /* memmem */
#include "blocks.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "recognise.h"

/* ---- growable text ------------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
    bool oom;
} buf_t;

static void buf_add(buf_t *b, const char *p, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (!cs_grow(&b->s, &b->cap, b->n + n + 1, 1, 64)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_str(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static char *buf_take(buf_t *b)
{
    if (b->oom) {
        free(b->s);
        return NULL;
    }
    if (!b->s)
        return strdup("");
    return b->s;
}

/* ---- lines ------------------------------------------------------------- */

bool cs_lines_split(const char *text, size_t len, cs_lines_t *L)
{
    memset(L, 0, sizeof *L);
    L->text = text;
    L->len = len;
    size_t cap = 64;
    L->starts = malloc(cap * sizeof *L->starts);
    L->ends = malloc(cap * sizeof *L->ends);
    if (!L->starts || !L->ends)
        return false;
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        size_t ends_cap = cap;
        if (!cs_grow(&L->starts, &cap, L->n + 1, sizeof *L->starts, 64) ||
            !cs_grow(&L->ends, &ends_cap, L->n + 1, sizeof *L->ends, 64))
            return false;
        L->starts[L->n] = pos;
        L->ends[L->n] = e;
        L->n++;
        pos = e;
        if (pos < len) {
            if (text[pos] == '\r' && pos + 1 < len && text[pos + 1] == '\n')
                pos++;
            pos++;
        }
    }
    return true;
}

void cs_lines_free(cs_lines_t *L)
{
    free(L->starts);
    free(L->ends);
}

static bool line_is_blank(const cs_lines_t *L, unsigned i)
{
    for (size_t p = L->starts[i]; p < L->ends[i]; p++)
        if (L->text[p] != ' ' && L->text[p] != '\t')
            return false;
    return true;
}

static char *line_dup(const cs_lines_t *L, unsigned i)
{
    size_t b = L->starts[i], e = L->ends[i];
    while (b < e && (L->text[b] == ' ' || L->text[b] == '\t'))
        b++;
    while (e > b && (L->text[e - 1] == ' ' || L->text[e - 1] == '\t'))
        e--;
    char *s = malloc(e - b + 1);
    if (!s)
        return NULL;
    memcpy(s, L->text + b, e - b);
    s[e - b] = '\0';
    for (size_t k = 0; k < e - b; k++)
        if (s[k] == '\0')
            s[k] = ' ';
    return s;
}

/* ---- metadata ------------------------------------------------------------ */

static const char *const meta_keys[] = {
    "title",       "date",       "tags",    "tag",      "category",  "categories", "slug",
    "author",      "authors",    "summary", "modified", "status",    "lang",       "layout",
    "description", "conference", "event",   "keywords", "published", "draft",      "permalink",
    "comments",    "image",      "cover",   "toc",      "series",    "type",       "updated",
    "excerpt",     "subtitle",   "robots",  "breaks"};

/* "Key: value" with a known key; *vb is where the value starts. */
static bool meta_line(const char *s, const char **key_end, const char **vb)
{
    const char *p = s;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '-')
        p++;
    const char *sep = p;
    while (*sep == ' ')
        sep++;
    /* "key: value" (YAML, Pelican) or "key = value" (TOML) */
    if (p == s || (*p != ':' && *sep != '='))
        return false;
    size_t n = (size_t)(p - s);
    if (*p != ':')
        p = sep;
    bool known = false;
    for (size_t i = 0; i < sizeof meta_keys / sizeof meta_keys[0] && !known; i++)
        known = strlen(meta_keys[i]) == n && strncasecmp(s, meta_keys[i], n) == 0;
    if (!known)
        return false;
    *key_end = p;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    *vb = p;
    return true;
}

static char *unquote(const char *v)
{
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v++;
        n -= 2;
    }
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, v, n);
    s[n] = '\0';
    return s;
}

/* The first tag of "tags: [a, b]", "tags: a, b", "`myconf2021` `notes`",
 * skipping generic ones ("note", "筆記"). */
static char *first_tag(const char *v)
{
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '[' || *p == ',' || *p == '`' || *p == '\'' || *p == '"' ||
               *p == '#' || *p == '\t')
            p++;
        if (!*p || *p == ']')
            return NULL;
        const char *e = p;
        while (*e && *e != ',' && *e != ']' && *e != '`' && *e != '\'' && *e != '"' && *e != ' ')
            e++;
        size_t n = (size_t)(e - p);
        char tag[128];
        if (n < sizeof tag) {
            memcpy(tag, p, n);
            tag[n] = '\0';
            if (!cs_rec_is_section_name(tag) && !cs_rec_is_agenda_name(tag) &&
                cs_rec_year_in(tag) != 0)
                return strdup(tag);
        }
        p = e;
    }
}

static void take_meta(cs_blocks_t *b, const char *key, size_t kn, const char *value)
{
    if (kn == 5 && strncasecmp(key, "title", 5) == 0 && !b->meta_title) {
        b->meta_title = unquote(value);
    } else if ((kn == 10 && strncasecmp(key, "conference", 10) == 0) ||
               (kn == 5 && strncasecmp(key, "event", 5) == 0)) {
        free(b->meta_conference);
        b->meta_conference = unquote(value);
    } else if ((kn == 4 && strncasecmp(key, "tags", 4) == 0) ||
               (kn == 3 && strncasecmp(key, "tag", 3) == 0) ||
               (kn >= 8 && strncasecmp(key, "categor", 7) == 0)) {
        if (!b->meta_conference)
            b->meta_conference = first_tag(value);
    }
    if (kn == 4 && strncasecmp(key, "date", 4) == 0 && !b->meta_year)
        b->meta_year = cs_rec_year_in(value);
}

/* Front matter ("---" ... "---" or "..."), or Pelican header lines at the
 * top.  Returns the number of lines they take, 0 when none. */
static unsigned read_front_matter(const cs_lines_t *L, cs_blocks_t *b)
{
    if (L->n == 0)
        return 0;
    unsigned first = 0;
    while (first < L->n && line_is_blank(L, first))
        first++;
    if (first == L->n)
        return 0;
    char *l0 = line_dup(L, first);
    if (!l0)
        return 0;
    bool yaml = strcmp(l0, "---") == 0;
    bool toml = strcmp(l0, "+++") == 0; /* Hugo */
    free(l0);
    if (yaml || toml) {
        for (unsigned i = first + 1; i < L->n && i < first + 200; i++) {
            char *l = line_dup(L, i);
            if (!l)
                return 0;
            bool end =
                toml ? strcmp(l, "+++") == 0 : strcmp(l, "---") == 0 || strcmp(l, "...") == 0;
            free(l);
            if (!end)
                continue;
            for (unsigned k = first + 1; k < i; k++) {
                char *m = line_dup(L, k);
                const char *ke, *vb;
                if (m && meta_line(m, &ke, &vb))
                    take_meta(b, m, (size_t)(ke - m), vb);
                else if (m && m[0] == '-' && m[1] == ' ' && !b->meta_conference) {
                    /* a YAML list item under tags: */
                    char *t = first_tag(m + 2);
                    if (t)
                        b->meta_conference = t;
                }
                free(m);
            }
            return i + 1;
        }
        return 0;
    }
    /* Pelican / MultiMarkdown: "Title: ...", "Date: ..." up to a blank line;
     * two known keys at least, so a "Speaker: Title" line is not taken. */
    unsigned i = first, known = 0;
    for (; i < L->n && !line_is_blank(L, i); i++) {
        char *m = line_dup(L, i);
        const char *ke, *vb;
        bool ok = m && meta_line(m, &ke, &vb);
        free(m);
        if (!ok)
            break;
        known++;
    }
    if (known < 2 || (i < L->n && !line_is_blank(L, i)))
        return 0;
    for (unsigned k = first; k < i; k++) {
        char *m = line_dup(L, k);
        const char *ke, *vb;
        if (m && meta_line(m, &ke, &vb))
            take_meta(b, m, (size_t)(ke - m), vb);
        free(m);
    }
    return i;
}

/* ---- format detection ---------------------------------------------------- */

static bool name_ends(const char *name, const char *ext)
{
    if (!name)
        return false;
    size_t n = strlen(name), e = strlen(ext);
    return n >= e && strcasecmp(name + n - e, ext) == 0;
}

bool cs_blocks_is_markdown(const char *text, size_t len, const char *name)
{
    if (name_ends(name, ".md") || name_ends(name, ".markdown") || name_ends(name, ".mkd"))
        return true;
    cs_lines_t L;
    bool md = false;
    if (!cs_lines_split(text, len, &L)) {
        cs_lines_free(&L);
        return false;
    }
    unsigned score = 0;
    for (unsigned i = 0; i < L.n && !md; i++) {
        const char *p = text + L.starts[i], *e = text + L.ends[i];
        size_t n = (size_t)(e - p);
        if (n >= 2 && p[0] == '#') {
            size_t h = 0;
            while (h < n && p[h] == '#')
                h++;
            if (h <= 6 && h < n && p[h] == ' ')
                score += 2;
        }
        if (n >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0))
            score += 2;
        if (memmem(p, n, "](", 2))
            score++;
        if (n >= 3 && p[0] == '|' && memchr(p + 1, '|', n - 1))
            score++;
        if (i == 0 && n == 3 && memcmp(p, "---", 3) == 0)
            score += 2;
        md = score >= 2;
    }
    cs_lines_free(&L);
    return md;
}

static bool is_adornment(const cs_lines_t *L, unsigned i)
{
    size_t b = L->starts[i], e = L->ends[i];
    while (e > b && (L->text[e - 1] == ' ' || L->text[e - 1] == '\t'))
        e--;
    if (e - b < 3)
        return false;
    char c = L->text[b];
    if (!strchr("=-~^\"'`#*+_:.", c))
        return false;
    for (size_t p = b; p < e; p++)
        if (L->text[p] != c)
            return false;
    return true;
}

static size_t line_width(const cs_lines_t *L, unsigned i)
{
    size_t w = 0;
    for (size_t p = L->starts[i]; p < L->ends[i]; p++) {
        unsigned char c = (unsigned char)L->text[p];
        if ((c & 0xC0) != 0x80)
            w += c >= 0xE0 ? 2 : 1; /* CJK is drawn two columns wide */
    }
    return w;
}

/* A section title at line i: text underlined (maybe also overlined) with
 * an adornment at least about as wide.  *style tells titles apart. */
static bool rst_title_at(const cs_lines_t *L, unsigned i, int *style, unsigned *under)
{
    if (i + 1 >= L->n || line_is_blank(L, i) || is_adornment(L, i) || !is_adornment(L, i + 1))
        return false;
    if (line_width(L, i + 1) + 2 < line_width(L, i) || line_width(L, i + 1) < 3)
        return false;
    bool over =
        i > 0 && is_adornment(L, i - 1) && L->text[L->starts[i - 1]] == L->text[L->starts[i + 1]];
    *style = (unsigned char)L->text[L->starts[i + 1]] | (over ? 0x100 : 0);
    *under = i + 1;
    return true;
}

bool cs_blocks_is_rst(const char *text, size_t len, const char *name)
{
    if (name_ends(name, ".rst"))
        return true;
    cs_lines_t L;
    bool rst = false;
    if (cs_lines_split(text, len, &L)) {
        for (unsigned i = 0; i < L.n && !rst; i++) {
            int style;
            unsigned under;
            rst = rst_title_at(&L, i, &style, &under) && L.text[L.starts[i + 1]] != '-';
        }
    }
    cs_lines_free(&L);
    return rst;
}

/* ---- the block list ------------------------------------------------------ */

static cs_block_t *add_block(cs_blocks_t *b, size_t *cap, cs_block_kind_t kind, int level,
                             unsigned line, unsigned end_line)
{
    if (!cs_grow(&b->blocks, cap, b->n + 1, sizeof *b->blocks, 64))
        return NULL;
    cs_block_t *k = &b->blocks[b->n++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->level = level;
    k->line = line;
    k->end_line = end_line;
    return k;
}

void cs_blocks_free(cs_blocks_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->blocks[i].text);
        free(b->blocks[i].link);
        for (size_t c = 0; c < b->blocks[i].n_cells; c++)
            free(b->blocks[i].cells[c]);
        free(b->blocks[i].cells);
    }
    free(b->blocks);
    free(b->meta_title);
    free(b->meta_conference);
    free(b);
}

/* ---- Markdown ------------------------------------------------------------ */

typedef struct {
    cs_blocks_t *b;
    size_t cap;
    bool oom;
} md_ctx_t;

/* Inline text of node's children, one string per source line (soft and
 * hard breaks split), with the first link's target. */
typedef struct {
    buf_t lines[64];
    size_t n;
    char *link;
    /* Per line, at the top level: how many inline pieces hold text, and
     * the kind of the last one (a line that is one strong span or one
     * link is a title in blog notes). */
    unsigned pieces[64];
    cmark_node_type piece_kind[64];
    int depth;
} inline_lines_t;

static bool blank_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

static void inline_walk(cmark_node *node, inline_lines_t *il)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        buf_t *cur = &il->lines[il->n];
        if (il->depth == 0 && t != CMARK_NODE_SOFTBREAK && t != CMARK_NODE_LINEBREAK &&
            t != CMARK_NODE_HTML_INLINE &&
            !(t == CMARK_NODE_TEXT && blank_text(cmark_node_get_literal(c)))) {
            il->pieces[il->n]++;
            il->piece_kind[il->n] = t;
        }
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(c);
            if (lit)
                buf_str(cur, lit);
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            if (il->n + 1 < sizeof il->lines / sizeof il->lines[0])
                il->n++;
            else
                buf_str(cur, " ");
        } else if (t == CMARK_NODE_LINK) {
            if (!il->link && cmark_node_get_url(c))
                il->link = strdup(cmark_node_get_url(c));
            il->depth++;
            inline_walk(c, il);
            il->depth--;
        } else if (t == CMARK_NODE_HTML_INLINE) {
            /* markup: not text */
        } else {
            il->depth++;
            inline_walk(c, il);
            il->depth--;
        }
    }
}

static void inline_free(inline_lines_t *il)
{
    for (size_t i = 0; i <= il->n && i < sizeof il->lines / sizeof il->lines[0]; i++)
        free(il->lines[i].s);
    free(il->link);
}

static char *trimmed_copy(const char *s)
{
    if (!s)
        return strdup("");
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

/* HackMD's "==highlight==" around a heading is markup, not title. */
static void strip_highlight(char *t)
{
    size_t n = strlen(t);
    if (n > 4 && strncmp(t, "==", 2) == 0 && strcmp(t + n - 2, "==") == 0) {
        memmove(t, t + 2, n - 4);
        t[n - 4] = '\0';
    }
}

static void md_emit(md_ctx_t *m, cs_block_kind_t kind, int level, unsigned line, unsigned end_line,
                    const char *text, const char *link)
{
    cs_block_t *k = add_block(m->b, &m->cap, kind, level, line, end_line);
    if (!k) {
        m->oom = true;
        return;
    }
    k->text = trimmed_copy(text);
    k->link = link ? strdup(link) : NULL;
    if (!k->text || (link && !k->link))
        m->oom = true;
}

/* A paragraph or heading: the first line becomes first_kind (an item's
 * first line, a heading), the others LINE blocks. */
static void md_text_block(md_ctx_t *m, cmark_node *node, cs_block_kind_t first_kind, int level,
                          unsigned item_end)
{
    inline_lines_t il;
    memset(&il, 0, sizeof il);
    inline_walk(node, &il);
    unsigned line = (unsigned)cmark_node_get_start_line(node);
    if (line == 0) {
        /* cmark-gfm leaves the paragraph it splits off above a table
         * without a position: it ends on the line before the table. */
        cmark_node *next = cmark_node_next(node);
        unsigned t = next ? (unsigned)cmark_node_get_start_line(next) : 0;
        line = t > il.n + 1 ? t - (unsigned)il.n - 1 : 1;
    }
    for (size_t i = 0; i <= il.n && !m->oom; i++) {
        bool first = i == 0;
        cs_block_kind_t kind = first ? first_kind : CS_BLOCK_LINE;
        unsigned end = first && kind == CS_BLOCK_ITEM      ? item_end
                       : first && kind == CS_BLOCK_HEADING ? (unsigned)cmark_node_get_end_line(node)
                                                           : line + (unsigned)i;
        /* A heading is one block whatever its breaks (setext). */
        if (kind == CS_BLOCK_HEADING) {
            buf_t all = {0};
            for (size_t k = 0; k <= il.n; k++) {
                if (k)
                    buf_str(&all, " ");
                if (il.lines[k].s)
                    buf_str(&all, il.lines[k].s);
            }
            md_emit(m, kind, level, line, end, all.s ? all.s : "", il.link);
            free(all.s);
            if (!m->oom)
                strip_highlight(m->b->blocks[m->b->n - 1].text);
            break;
        }
        md_emit(m, kind, level, line + (unsigned)i, end, il.lines[i].s, first ? il.link : NULL);
        if (!m->oom) {
            cs_block_t *k = &m->b->blocks[m->b->n - 1];
            k->para_start = first && kind == CS_BLOCK_LINE;
            if (il.pieces[i] == 1) {
                k->emphasised =
                    il.piece_kind[i] == CMARK_NODE_STRONG || il.piece_kind[i] == CMARK_NODE_EMPH;
                k->linked = il.piece_kind[i] == CMARK_NODE_LINK;
            }
        }
    }
    inline_free(&il);
}

/* A table: one ROW block per row, with each cell's plain text (an agenda
 * table's rows are talks). */
static void md_table(md_ctx_t *m, cmark_node *table)
{
    for (cmark_node *row = cmark_node_first_child(table); row && !m->oom;
         row = cmark_node_next(row)) {
        const char *ts = cmark_node_get_type_string(row);
        bool header = ts && strcmp(ts, "table_header") == 0;
        unsigned l = (unsigned)cmark_node_get_start_line(row);
        buf_t all = {0};
        size_t n = 0;
        for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c))
            n++;
        char **cells = calloc(n ? n : 1, sizeof *cells);
        char *link = NULL;
        size_t k = 0;
        for (cmark_node *c = cmark_node_first_child(row); c && cells; c = cmark_node_next(c), k++) {
            inline_lines_t il;
            memset(&il, 0, sizeof il);
            inline_walk(c, &il);
            cells[k] = trimmed_copy(il.lines[0].s);
            if (!link && il.link)
                link = strdup(il.link);
            if (k)
                buf_str(&all, " | ");
            if (cells[k])
                buf_str(&all, cells[k]);
            inline_free(&il);
        }
        md_emit(m, CS_BLOCK_ROW, header ? 1 : 2, l, l, all.s ? all.s : "", link);
        free(all.s);
        free(link);
        if (m->oom || !cells) {
            for (size_t i = 0; cells && i < n; i++)
                free(cells[i]);
            free(cells);
            m->oom = true;
            return;
        }
        cs_block_t *blk = &m->b->blocks[m->b->n - 1];
        blk->cells = cells;
        blk->n_cells = n;
    }
}

static void md_walk(md_ctx_t *m, cmark_node *node, int depth)
{
    for (cmark_node *c = cmark_node_first_child(node); c && !m->oom; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_HEADING) {
            md_text_block(m, c, CS_BLOCK_HEADING, cmark_node_get_heading_level(c), 0);
        } else if (t == CMARK_NODE_PARAGRAPH) {
            md_text_block(m, c, CS_BLOCK_LINE, 0, 0);
        } else if (t == CMARK_NODE_THEMATIC_BREAK) {
            unsigned l = (unsigned)cmark_node_get_start_line(c);
            md_emit(m, CS_BLOCK_RULE, 0, l, l, "", NULL);
        } else if (t == CMARK_NODE_ITEM) {
            cmark_node *first = cmark_node_first_child(c);
            unsigned end = (unsigned)cmark_node_get_end_line(c);
            if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
                md_text_block(m, first, CS_BLOCK_ITEM, depth + 1, end);
                /* the rest of the item: nested lists, more paragraphs */
                cmark_node *k = cmark_node_next(first);
                while (k && !m->oom) {
                    cmark_node_type kt = cmark_node_get_type(k);
                    if (kt == CMARK_NODE_LIST)
                        md_walk(m, k, depth + 1);
                    else if (kt == CMARK_NODE_PARAGRAPH)
                        md_text_block(m, k, CS_BLOCK_LINE, 0, 0);
                    else if (kt == CMARK_NODE_HEADING)
                        md_text_block(m, k, CS_BLOCK_HEADING, cmark_node_get_heading_level(k), 0);
                    else if (kt == CMARK_NODE_BLOCK_QUOTE)
                        md_walk(m, k, depth + 1);
                    k = cmark_node_next(k);
                }
            } else {
                unsigned l = (unsigned)cmark_node_get_start_line(c);
                md_emit(m, CS_BLOCK_ITEM, depth + 1, l, end, "", NULL);
                md_walk(m, c, depth + 1);
            }
        } else if (t == CMARK_NODE_LIST) {
            md_walk(m, c, depth);
        } else if (t == CMARK_NODE_BLOCK_QUOTE) {
            md_walk(m, c, depth);
        } else if (cmark_node_get_type_string(c) &&
                   strcmp(cmark_node_get_type_string(c), "table") == 0) {
            md_table(m, c);
        }
        /* code blocks and HTML blocks carry no programme lines */
    }
}

static cmark_parser *new_parser(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    if (!p)
        return NULL;
    static const char *const exts[] = {"table", "strikethrough", "autolink", "tasklist"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    return p;
}

static cmark_node *parse_markdown(const char *text, size_t len)
{
    cmark_parser *p = new_parser();
    if (!p)
        return NULL;
    cmark_parser_feed(p, text, len);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    return doc;
}

static cs_status_t read_markdown(const char *text, size_t len, const cs_lines_t *L, cs_blocks_t *b,
                                 unsigned skip_lines)
{
    /* Front matter lines become blank, so cmark sees neither the "---"
     * rules nor "key: value" as text, and line numbers stay. */
    char *copy = malloc(len + 1);
    if (!copy)
        return CS_ERR_NO_MEMORY;
    memcpy(copy, text, len);
    copy[len] = '\0';
    for (unsigned i = 0; i < skip_lines && i < L->n; i++)
        memset(copy + L->starts[i], ' ', L->ends[i] - L->starts[i]);
    for (size_t i = 0; i < len; i++)
        if (copy[i] == '\0')
            copy[i] = ' ';
    cmark_node *doc = parse_markdown(copy, len);
    free(copy);
    if (!doc)
        return CS_ERR_NO_MEMORY;
    md_ctx_t m = {.b = b};
    md_walk(&m, doc, 0);
    cmark_node_free(doc);
    return m.oom ? CS_ERR_NO_MEMORY : CS_OK;
}

/* ---- RST and plain lines ------------------------------------------------- */

static cs_status_t read_lines(const cs_lines_t *L, cs_blocks_t *b, unsigned skip_lines)
{
    size_t cap = 0;
    int styles[8];
    int n_styles = 0;
    for (unsigned i = skip_lines; i < L->n; i++) {
        if (line_is_blank(L, i))
            continue;
        int style;
        unsigned under;
        if (rst_title_at(L, i, &style, &under)) {
            int level = 0;
            for (int k = 0; k < n_styles; k++)
                if (styles[k] == style)
                    level = k + 1;
            if (level == 0) {
                if (n_styles < 8)
                    styles[n_styles++] = style;
                level = n_styles;
            }
            cs_block_t *k =
                add_block(b, &cap, CS_BLOCK_HEADING, level > 6 ? 6 : level, i + 1, under + 1);
            if (!k || !(k->text = line_dup(L, i)))
                return CS_ERR_NO_MEMORY;
            i = under;
            continue;
        }
        if (is_adornment(L, i) && i + 2 < L->n && rst_title_at(L, i + 1, &style, &under))
            continue; /* an overline */
        char *t = line_dup(L, i);
        if (!t)
            return CS_ERR_NO_MEMORY;
        cs_block_kind_t kind = CS_BLOCK_LINE;
        int depth = 0;
        size_t ind = 0;
        const char *raw = L->text + L->starts[i];
        while (raw + ind < L->text + L->ends[i] && raw[ind] == ' ')
            ind++;
        if ((t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') {
            kind = CS_BLOCK_ITEM;
            depth = (int)(ind / 2) + 1;
            memmove(t, t + 2, strlen(t + 2) + 1);
        }
        cs_block_t *k = add_block(b, &cap, kind, depth, i + 1, i + 1);
        if (!k) {
            free(t);
            return CS_ERR_NO_MEMORY;
        }
        k->text = t;
        k->para_start = kind == CS_BLOCK_LINE && (i == 0 || line_is_blank(L, i - 1));
    }
    return CS_OK;
}

cs_status_t cs_blocks_read(const char *text, size_t len, bool markdown, cs_blocks_t **out)
{
    if (!out)
        return CS_ERR_NULL_ARG;
    *out = NULL;
    if (!text && len)
        return CS_ERR_NULL_ARG;
    cs_blocks_t *b = calloc(1, sizeof *b);
    if (!b)
        return CS_ERR_NO_MEMORY;
    cs_lines_t L;
    cs_status_t st = CS_ERR_NO_MEMORY;
    if (cs_lines_split(text ? text : "", len, &L)) {
        b->markdown = markdown;
        b->meta_end = read_front_matter(&L, b);
        if (b->meta_title && !b->meta_year)
            b->meta_year = cs_rec_year_in(b->meta_title);
        if (b->meta_conference && !b->meta_year)
            b->meta_year = cs_rec_year_in(b->meta_conference);
        st = markdown ? read_markdown(text ? text : "", len, &L, b, b->meta_end)
                      : read_lines(&L, b, b->meta_end);
    }
    cs_lines_free(&L);
    if (st != CS_OK) {
        cs_blocks_free(b);
        return st;
    }
    *out = b;
    return CS_OK;
}

/* ---- plain text of Markdown ---------------------------------------------- */

static bool is_block_end(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == CMARK_NODE_CODE_BLOCK ||
        t == CMARK_NODE_ITEM || t == CMARK_NODE_THEMATIC_BREAK)
        return true;
    const char *ts = cmark_node_get_type_string(n);
    return ts && strcmp(ts, "table_row") == 0;
}

char *cs_markdown_plain_text(const char *md, size_t len, size_t *out_len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, md, len);
    for (size_t i = 0; i < len; i++)
        if (copy[i] == '\0')
            copy[i] = ' ';
    copy[len] = '\0';
    cmark_node *doc = parse_markdown(copy, len);
    free(copy);
    if (!doc)
        return NULL;
    buf_t out = {0};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER) {
            if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK) {
                const char *lit = cmark_node_get_literal(n);
                if (lit)
                    buf_str(&out, lit);
            } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
                buf_str(&out, "\n");
            }
        } else if (ev == CMARK_EVENT_EXIT) {
            const char *ts = cmark_node_get_type_string(n);
            if (ts && strcmp(ts, "table_cell") == 0)
                buf_str(&out, " ");
            else if (is_block_end(n) && out.n > 0 && out.s[out.n - 1] != '\n')
                buf_str(&out, "\n");
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    while (!out.oom && out.n > 0 && out.s[out.n - 1] == '\n')
        out.s[--out.n] = '\0';
    char *s = buf_take(&out);
    if (s && out_len)
        *out_len = strlen(s);
    return s;
}
