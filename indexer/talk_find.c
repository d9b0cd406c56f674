/* talk_find.c: the structure of a notes file (talk_find.h).  One pass
 * classifies each heading and list item with the recognisers; a second
 * picks the talks (the level where most talk-shaped headings stand, or a
 * one-talk pad, or a hub pad's list items); a third walks the blocks in
 * order with a stack of context lines, giving each talk the day, date,
 * room and time in force and its span of lines. */
#include "talk_find.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "recognise.h"

typedef enum {
    K_NONE,     /* LINE and RULE blocks */
    K_PLAIN,    /* a heading or item that is none of the below */
    K_META,     /* tags line, [TOC], the pad's own title */
    K_CONTEXT,  /* sets day / date / time / room for what follows */
    K_SECTION,  /* "Q&A", "Lunch": never a talk */
    K_AGENDA,   /* "議程", "Agenda": above a hub pad's list */
    K_TALK      /* talk-shaped */
} kind_t;

typedef struct {
    kind_t kind;
    bool strong;            /* a time, room or bracket leads it */
    bool is_talk;           /* chosen as a talk */
    cs_rec_context_t ctx;   /* K_CONTEXT: what it sets; K_TALK: its own time/room */
    char *title, *speakers; /* K_TALK / K_PLAIN */
} info_t;

typedef struct {
    const char *text;
    size_t len;
    size_t *starts, *ends;
    unsigned n_lines;
} src_t;

/* ---- small helpers ------------------------------------------------------- */

static bool split_src(const char *text, size_t len, src_t *s)
{
    memset(s, 0, sizeof *s);
    s->text = text;
    s->len = len;
    size_t cap = 64;
    s->starts = malloc(cap * sizeof *s->starts);
    s->ends = malloc(cap * sizeof *s->ends);
    if (!s->starts || !s->ends)
        return false;
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        if (s->n_lines == cap) {
            cap *= 2;
            size_t *a = realloc(s->starts, cap * sizeof *a);
            if (!a)
                return false;
            s->starts = a;
            size_t *b = realloc(s->ends, cap * sizeof *b);
            if (!b)
                return false;
            s->ends = b;
        }
        s->starts[s->n_lines] = pos;
        s->ends[s->n_lines] = e;
        s->n_lines++;
        pos = e;
        if (pos < len) {
            if (text[pos] == '\r' && pos + 1 < len && text[pos + 1] == '\n')
                pos++;
            pos++;
        }
    }
    return true;
}

static bool src_line_blank(const src_t *s, unsigned line)
{
    if (line == 0 || line > s->n_lines)
        return true;
    for (size_t p = s->starts[line - 1]; p < s->ends[line - 1]; p++)
        if (s->text[p] != ' ' && s->text[p] != '\t')
            return false;
    return true;
}

/* Lines [first, last] joined with "\n", blank lines at both ends dropped. */
static char *src_body(const src_t *s, unsigned first, unsigned last, size_t *out_len)
{
    /* A line number past the end (or an end before the start) is a bug
     * upstream; it must cost nothing here. */
    if (last > s->n_lines)
        last = s->n_lines;
    while (first <= last && src_line_blank(s, first))
        first++;
    while (last >= first && last > 0 && src_line_blank(s, last))
        last--;
    if (first > last || first == 0 || last > s->n_lines) {
        *out_len = 0;
        return strdup("");
    }
    size_t b = s->starts[first - 1], e = s->ends[last - 1];
    char *out = malloc(e - b + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t p = b; p < e; p++) {
        char c = s->text[p];
        if (c == '\r') {
            if (p + 1 < e && s->text[p + 1] == '\n')
                p++;
            c = '\n';
        } else if (c == '\0') {
            c = ' ';
        }
        out[o++] = c;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static bool starts_ci(const char *s, const char *lit)
{
    return strncasecmp(s, lit, strlen(lit)) == 0;
}

static const char *skip_seps(const char *p)
{
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '-' || *p == '|' || *p == ':' || *p == ')' ||
            *p == ']' || *p == ',')
            p++;
        else if (strncmp(p, "：", 3) == 0 || strncmp(p, "–", 3) == 0 ||
                 strncmp(p, "—", 3) == 0 || strncmp(p, "｜", 3) == 0 ||
                 strncmp(p, "）", 3) == 0 || strncmp(p, "　", 3) == 0 ||
                 strncmp(p, "】", 3) == 0)
            p += 3;
        else
            return p;
    }
}

/* A room leading a talk line: "@R1、R2 Title", "R1: Title", "R1 - Title",
 * "[R1] Title", "【R1】Title".  Returns where the rest starts, or NULL. */
static const char *lead_room(const char *t, char *room, size_t cap)
{
    const char *p = t;
    bool at = *p == '@';
    if (at)
        p++;
    bool bracket = false;
    if (*p == '[' || strncmp(p, "【", 3) == 0) {
        bracket = true;
        p += *p == '[' ? 1 : 3;
    }
    const char *e = p;
    if (bracket) {
        while (*e && *e != ']' && strncmp(e, "】", 3) != 0)
            e++;
    } else if (at) {
        while (*e && *e != ' ' && *e != '\t' && strncmp(e, "　", 3) != 0)
            e++;
    } else {
        while (*e && *e != ':' && strncmp(e, "：", 3) != 0 && strncmp(e, " - ", 3) != 0 &&
               strncmp(e, "｜", 3) != 0 && *e != '|')
            e++;
        if (!*e)
            return NULL;
    }
    size_t n = (size_t)(e - p);
    if (n == 0 || n >= 64)
        return NULL;
    char buf[64];
    memcpy(buf, p, n);
    buf[n] = '\0';
    while (n > 0 && buf[n - 1] == ' ')
        buf[--n] = '\0';
    if (!cs_rec_room(buf, room, cap))
        return NULL;
    if (bracket)
        e += *e == ']' ? 1 : (*e ? 3 : 0);
    const char *rest = skip_seps(e);
    return *rest ? rest : NULL;
}

static void info_clear(info_t *in)
{
    free(in->title);
    free(in->speakers);
    in->title = in->speakers = NULL;
}

/* Reads a heading or item text as a talk: bracket header, or leading time
 * and room, then "title + speakers".  False when nothing of a talk is
 * there (no title). */
static bool parse_talkish(const char *text, info_t *in)
{
    cs_rec_bracket_t br;
    size_t len = strlen(text);
    if (cs_rec_bracket(text, len, &br) && !br.bad_time) {
        memcpy(in->ctx.time, br.time, 6);
        memcpy(in->ctx.end_time, br.end_time, 6);
        snprintf(in->ctx.room, sizeof in->ctx.room, "%s", br.room);
        in->strong = true;
        in->title = strndup(br.title, br.title_len);
        in->speakers = br.speaker ? strndup(br.speaker, br.speaker_len) : NULL;
        if (in->title && in->speakers && !cs_rec_looks_like_names(in->speakers, br.speaker_len)) {
            /* "(by pytest)": part of the title after all */
            free(in->title);
            free(in->speakers);
            in->speakers = NULL;
            in->title = strndup(br.title, (size_t)(br.speaker + br.speaker_len + 1 - br.title));
        }
        if (in->title)
            cs_rec_clean_title(in->title);
        return in->title && in->title[0];
    }
    const char *p = text;
    if (*p == '(' || strncmp(p, "（", 3) == 0) {
        /* "(14:00) Title" */
        const char *q = p + (*p == '(' ? 1 : 3);
        char t1[6], t2[6];
        size_t n = cs_rec_time(q, t1, t2);
        if (n)
            p = q;
    }
    char t1[6], t2[6];
    size_t n = cs_rec_time(p, t1, t2);
    if (n) {
        memcpy(in->ctx.time, t1, 6);
        memcpy(in->ctx.end_time, t2, 6);
        in->strong = true;
        p = skip_seps(p + n);
    }
    const char *r = lead_room(p, in->ctx.room, sizeof in->ctx.room);
    if (r) {
        in->strong = true;
        p = r;
    }
    /* A time after the room: "R1 14:00 Title" */
    if (!in->ctx.time[0] && (n = cs_rec_time(p, t1, t2)) > 0) {
        memcpy(in->ctx.time, t1, 6);
        memcpy(in->ctx.end_time, t2, 6);
        in->strong = true;
        p = skip_seps(p + n);
    }
    if (!*p)
        return false;
    cs_rec_title_speakers(p, &in->title, &in->speakers);
    return in->title && in->title[0];
}

/* The pad's own title ("# MyConf 2021 共筆", "# COSCUP 2021 Notes"): the
 * conference name without its notes words, or "" when it is not one. */
static void pad_title_conference(const char *t, char *out, size_t cap)
{
    out[0] = '\0';
    if (!cs_rec_year_in(t))
        return;
    static const char *const tails[] = {" 共筆", "共筆", " 筆記", "筆記", " notes", " Notes",
                                        " hackmd", " HackMD", " 議程", " agenda", " Agenda",
                                        " 議程共筆", "議程共筆", " 共同筆記", " note", " Note"};
    char buf[256];
    snprintf(buf, sizeof buf, "%s", t);
    size_t n = strlen(buf);
    /* The name ends with its year: "OpenHill Conf 2021 共筆入口". */
    {
        char ystr[8];
        snprintf(ystr, sizeof ystr, "%d", cs_rec_year_in(buf));
        char *y = strstr(buf, ystr);
        if (y && (y[4] == ' ' || (unsigned char)y[4] >= 0x80) && y > buf) {
            n = (size_t)(y + 4 - buf);
            buf[n] = '\0';
        }
    }
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
            size_t k = strlen(tails[i]);
            if (n > k && strcmp(buf + n - k, tails[i]) == 0) {
                n -= k;
                buf[n] = '\0';
                while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '-' || buf[n - 1] == '|'))
                    buf[--n] = '\0';
                again = true;
            }
        }
    }
    snprintf(out, cap, "%s", buf);
}

static bool has_notes_word(const char *t)
{
    static const char *const words[] = {"共筆", "筆記", "notes", "Notes", "NOTES", "HackMD",
                                        "hackmd", "共同筆記", "Note", "議程"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(t, words[i]))
            return true;
    return false;
}

/* ---- classification ------------------------------------------------------ */

static void classify(const cs_block_t *b, info_t *in)
{
    const char *t = b->text;
    if (!*t) {
        in->kind = b->kind == CS_BLOCK_HEADING ? K_SECTION : K_PLAIN;
        return;
    }
    if (starts_ci(t, "tags:") || starts_ci(t, "tags：") || strcmp(t, "[TOC]") == 0 ||
        strcmp(t, "[[_TOC_]]") == 0 || starts_ci(t, "title:")) {
        in->kind = K_META;
        return;
    }
    if (cs_rec_context(t, &in->ctx)) {
        in->kind = K_CONTEXT;
        return;
    }
    memset(&in->ctx, 0, sizeof in->ctx);
    if (cs_rec_is_agenda_name(t)) {
        in->kind = K_AGENDA;
        return;
    }
    if (cs_rec_is_section_name(t)) {
        in->kind = K_SECTION;
        return;
    }
    if (parse_talkish(t, in)) {
        if (cs_rec_is_section_name(in->title) || cs_rec_is_agenda_name(in->title)) {
            /* "12:00 Lunch", "R1 休息": a programme slot without a talk */
            in->kind = K_SECTION;
            info_clear(in);
            return;
        }
        in->kind = (in->strong || in->speakers) ? K_TALK : K_PLAIN;
        return;
    }
    info_clear(in);
    memset(&in->ctx, 0, sizeof in->ctx);
    in->kind = K_PLAIN;
}

/* A speaker line among the few blocks after heading i, before the next
 * heading: "講者：Name", "- speaker: Name". */
static char *speaker_after(const cs_blocks_t *bl, size_t i)
{
    for (size_t j = i + 1; j < bl->n && j <= i + 6; j++) {
        const cs_block_t *b = &bl->blocks[j];
        if (b->kind == CS_BLOCK_HEADING)
            break;
        char *s = cs_rec_speaker_line(b->text);
        if (s)
            return s;
    }
    return NULL;
}

static bool link_looks_like_pad(const char *link)
{
    static const char *const hosts[] = {"hackmd", "codimd", "hedgedoc", "etherpad", "pad.",
                                        "/s/", ".md", "notes", "note", "docs.google", "/pad/",
                                        "#"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        if (strstr(link, hosts[i]))
            return true;
    return false;
}

/* ---- context stack ------------------------------------------------------- */

typedef struct {
    int rank; /* heading level, or 10 + item depth */
    const cs_rec_context_t *ctx;
} frame_t;

typedef struct {
    frame_t f[32];
    int n;
} stack_t;

static void stack_pop_to(stack_t *s, int rank)
{
    while (s->n > 0 && s->f[s->n - 1].rank >= rank)
        s->n--;
}

static void stack_push(stack_t *s, int rank, const cs_rec_context_t *c)
{
    if (s->n < 32)
        s->f[s->n++] = (frame_t){rank, c};
}

static void stack_merge(const stack_t *s, cs_rec_context_t *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < s->n; i++) {
        const cs_rec_context_t *c = s->f[i].ctx;
        if (c->day_number)
            out->day_number = c->day_number;
        if (c->date.month)
            out->date = c->date;
        if (c->time[0]) {
            memcpy(out->time, c->time, 6);
            memcpy(out->end_time, c->end_time, 6);
        }
        if (c->room[0])
            memcpy(out->room, c->room, sizeof out->room);
        if (c->conference[0])
            memcpy(out->conference, c->conference, sizeof out->conference);
    }
}

/* ---- the finder ---------------------------------------------------------- */

typedef struct {
    const char *source;
    const cs_blocks_t *bl;
    info_t *info;
    src_t src;
    cs_pad_warn_fn warn, explain;
    void *ctx;
    cs_session_t *out;
    size_t n, cap;
    char conference[256];
    int year;
    bool any_context; /* a context heading somewhere: the programme is under them */
} finder_t;

__attribute__((format(printf, 4, 5))) static void say(finder_t *f, cs_pad_warn_fn fn,
                                                      unsigned line, const char *fmt, ...)
{
    if (!fn)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fn(f->source, line, msg, f->ctx);
}

/* Chooses the heading talks; returns how many. */
static size_t choose_heading_talks(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    size_t count[7] = {0};
    size_t first_h = SIZE_MAX;
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        if (b->kind != CS_BLOCK_HEADING)
            continue;
        info_t *in = &f->info[i];
        if (in->kind == K_PLAIN && in->title) {
            char *sp = speaker_after(bl, i);
            if (sp) {
                free(in->speakers);
                in->speakers = sp;
                in->kind = K_TALK;
            }
        }
        if (first_h == SIZE_MAX && in->kind != K_META)
            first_h = i;
        if (in->kind == K_TALK && b->level >= 1 && b->level <= 6)
            count[b->level]++;
    }
    if (first_h == SIZE_MAX)
        return 0;

    /* The pad's own title: "# MyConf 2021 共筆" above everything. */
    const cs_block_t *fb = &bl->blocks[first_h];
    info_t *fi = &f->info[first_h];
    bool unique_top = true;
    for (size_t i = first_h + 1; i < bl->n; i++)
        if (bl->blocks[i].kind == CS_BLOCK_HEADING && bl->blocks[i].level <= fb->level &&
            f->info[i].kind != K_META)
            unique_top = false;
    if (fi->kind != K_TALK || !fi->speakers || has_notes_word(fb->text)) {
        char conf[256];
        pad_title_conference(fb->text, conf, sizeof conf);
        if (conf[0] && fi->kind != K_CONTEXT && (fi->kind != K_TALK || !fi->strong)) {
            if (!f->conference[0])
                snprintf(f->conference, sizeof f->conference, "%s", conf);
            fi->kind = K_META;
            say(f, f->explain, fb->line, "metadata: the pad's title, conference \"%s\"", conf);
            if (fb->level >= 1 && fb->level <= 6 && count[fb->level] > 0 && fi->speakers)
                count[fb->level]--;
        }
    }
    /* One pad per talk: its first heading is the talk, the rest sections. */
    if (fi->kind == K_TALK && unique_top && !fi->strong) {
        size_t deeper = 0;
        for (int l = fb->level + 1; l <= 6; l++)
            deeper += count[l];
        /* ... unless the headings below are the programme (hub with talks) */
        if (deeper < 3) {
            fi->is_talk = true;
            return 1;
        }
    }

    int talk_level = 0;
    for (int l = 1; l <= 6; l++)
        if (count[l] > (talk_level ? count[talk_level] : 0))
            talk_level = l;
    size_t talks = 0;
    int open_level = 0; /* level of the open heading talk, 0 when none */
    int parent_kind_at[8] = {0};
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        if (b->kind != CS_BLOCK_HEADING)
            continue;
        info_t *in = &f->info[i];
        int l = b->level;
        if (open_level && l > open_level)
            continue; /* a section of the open talk */
        open_level = 0;
        for (int k = l; k < 8; k++)
            parent_kind_at[k] = 0;
        int parent = 0;
        for (int k = l - 1; k >= 1; k--)
            if (parent_kind_at[k]) {
                parent = parent_kind_at[k];
                break;
            }
        bool talk = false;
        if (in->kind == K_TALK)
            talk = l == talk_level || in->strong || talk_level == 0;
        else if (in->kind == K_PLAIN && in->title && parent == K_CONTEXT &&
                 (talk_level == 0 || l == talk_level))
            talk = true;
        if (talk) {
            in->is_talk = true;
            open_level = l;
            talks++;
        }
        parent_kind_at[l] = in->kind;
    }
    return talks;
}

/* Chooses hub-pad list items as talks (outside heading talks). */
static size_t choose_item_talks(finder_t *f, bool heading_talks)
{
    const cs_blocks_t *bl = f->bl;
    size_t talks = 0;
    int heading_kind = 0, heading_level = 0;
    unsigned open_item_end = 0;
    int open_item_depth = 0;
    int in_talk_level = 0;
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        info_t *in = &f->info[i];
        if (b->kind == CS_BLOCK_HEADING) {
            if (in_talk_level && b->level > in_talk_level)
                continue;
            in_talk_level = in->is_talk ? b->level : 0;
            if (!in->is_talk && in->kind != K_META) {
                if (in->kind == K_CONTEXT || in->kind == K_AGENDA || in->kind == K_SECTION ||
                    heading_level == 0 || b->level <= heading_level) {
                    heading_kind = in->kind;
                    heading_level = b->level;
                }
            }
            open_item_end = 0;
            continue;
        }
        if (b->kind != CS_BLOCK_ITEM || in_talk_level)
            continue;
        if (open_item_end && b->line <= open_item_end && b->level > open_item_depth)
            continue; /* nested inside a talk item */
        open_item_end = 0;
        if (in->kind == K_CONTEXT || in->kind == K_SECTION || in->kind == K_META ||
            in->kind == K_AGENDA)
            continue;
        bool talk = false;
        bool under_programme = heading_kind == K_CONTEXT || heading_kind == K_AGENDA;
        if (heading_kind == K_SECTION && !under_programme) {
            talk = false;
        } else if (in->kind == K_TALK && in->strong) {
            talk = true;
        } else if (b->link && in->title &&
                   (under_programme ||
                    (!f->any_context && heading_kind == 0 && link_looks_like_pad(b->link)))) {
            talk = true;
        } else if (in->kind == K_TALK && in->speakers && under_programme) {
            talk = true;
        }
        /* Beside heading talks a list is a summary or notes, not talks. */
        if (heading_talks)
            talk = false;
        if (talk) {
            in->is_talk = true;
            open_item_end = b->end_line;
            open_item_depth = b->level;
            talks++;
        }
    }
    return talks;
}

static cs_session_t *new_session(finder_t *f)
{
    if (f->n == f->cap) {
        size_t c = f->cap ? f->cap * 2 : 16;
        cs_session_t *g = realloc(f->out, c * sizeof *g);
        if (!g)
            return NULL;
        f->out = g;
        f->cap = c;
    }
    cs_session_t *s = &f->out[f->n++];
    memset(s, 0, sizeof *s);
    return s;
}

static cs_status_t fill_session(finder_t *f, size_t i, const cs_rec_context_t *ctx,
                                unsigned body_first, unsigned body_last)
{
    const cs_block_t *b = &f->bl->blocks[i];
    info_t *in = &f->info[i];
    cs_session_t *s = new_session(f);
    if (!s)
        return CS_ERR_NO_MEMORY;
    s->source = strdup(f->source);
    s->line = b->line;
    s->title = strdup(in->title && in->title[0] ? in->title : "(untitled)");
    if (!s->source || !s->title)
        return CS_ERR_NO_MEMORY;
    const char *time = in->ctx.time[0] ? in->ctx.time : ctx->time;
    const char *end = in->ctx.time[0] ? in->ctx.end_time : ctx->end_time;
    memcpy(s->time, time, 6);
    memcpy(s->end_time, end, 6);
    const char *room = in->ctx.room[0] ? in->ctx.room : ctx->room;
    if (room[0] && !(s->room = strdup(room)))
        return CS_ERR_NO_MEMORY;
    s->day = ctx->day_number;
    int year = f->year;
    if (!year && ctx->conference[0])
        year = cs_rec_year_in(ctx->conference);
    cs_rec_iso_date(&ctx->date, year, s->date);
    const char *conf = ctx->conference[0] ? ctx->conference : f->conference;
    if (conf[0] && !(s->conference = strdup(conf)))
        return CS_ERR_NO_MEMORY;
    if (b->link && b->kind == CS_BLOCK_ITEM && !(s->link = strdup(b->link)))
        return CS_ERR_NO_MEMORY;
    char *group = in->speakers;
    char *found = NULL;
    if (!group && b->kind == CS_BLOCK_HEADING)
        group = found = speaker_after(f->bl, i);
    if (group) {
        s->speaker = strdup(group);
        if (!s->speaker) {
            free(found);
            return CS_ERR_NO_MEMORY;
        }
        size_t total = cs_rec_split_speakers(group, s->speakers, CS_MAX_SPEAKERS);
        s->n_speakers = total < CS_MAX_SPEAKERS ? total : CS_MAX_SPEAKERS;
        if (total > CS_MAX_SPEAKERS)
            say(f, f->warn, b->line, "%s", "more speakers named than are kept; the first 16 kept");
    }
    free(found);
    s->body = src_body(&f->src, body_first, body_last, &s->body_len);
    return s->body ? CS_OK : CS_ERR_NO_MEMORY;
}

static bool is_separator_line(const cs_block_t *b)
{
    return b->kind == CS_BLOCK_LINE && cs_pad_separator_kind(b->text, strlen(b->text)) != 0;
}

static cs_status_t emit_talks(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    stack_t st = {.n = 0};
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        info_t *in = &f->info[i];
        if (b->kind == CS_BLOCK_HEADING) {
            stack_pop_to(&st, b->level);
        } else if (b->kind == CS_BLOCK_ITEM) {
            stack_pop_to(&st, 10 + b->level);
        }
        if ((b->kind == CS_BLOCK_HEADING || b->kind == CS_BLOCK_ITEM) && in->kind == K_CONTEXT &&
            !in->is_talk) {
            /* Context inside a talk's own notes is the talk's text. */
            bool inside = false;
            for (size_t j = i; j-- > 0;) {
                const cs_block_t *p = &bl->blocks[j];
                if (f->info[j].is_talk) {
                    inside = b->kind == CS_BLOCK_HEADING
                                 ? (p->kind == CS_BLOCK_HEADING && b->level > p->level)
                                 : (p->kind == CS_BLOCK_HEADING ||
                                    (p->kind == CS_BLOCK_ITEM && b->line <= p->end_line));
                    break;
                }
                if (p->kind == CS_BLOCK_HEADING && b->kind == CS_BLOCK_HEADING &&
                    p->level <= b->level)
                    break;
            }
            if (!inside) {
                stack_push(&st, b->kind == CS_BLOCK_HEADING ? b->level : 10 + b->level, &in->ctx);
                if (in->ctx.conference[0] && !f->conference[0])
                    snprintf(f->conference, sizeof f->conference, "%s", in->ctx.conference);
                say(f, f->explain, b->line, "context: %s", b->text);
            }
        }
        if (!in->is_talk)
            continue;
        cs_rec_context_t ctx;
        stack_merge(&st, &ctx);
        unsigned first = b->kind == CS_BLOCK_HEADING ? b->end_line + 1 : b->line + 1;
        unsigned last = f->src.n_lines;
        for (size_t j = i + 1; j < bl->n; j++) {
            const cs_block_t *nb = &bl->blocks[j];
            bool stop = f->info[j].is_talk || is_separator_line(nb) ||
                        (nb->kind == CS_BLOCK_HEADING &&
                         (b->kind == CS_BLOCK_ITEM || nb->level <= b->level)) ||
                        (b->kind == CS_BLOCK_ITEM && nb->line > b->end_line);
            if (stop) {
                last = nb->line - 1;
                break;
            }
        }
        if (b->kind == CS_BLOCK_ITEM && b->end_line < last)
            last = b->end_line;
        cs_status_t s = fill_session(f, i, &ctx, first, last);
        if (s != CS_OK)
            return s;
    }
    return CS_OK;
}

static int file_name_year(const char *source)
{
    const char *base = strrchr(source, '/');
    return cs_rec_year_in(base ? base + 1 : source);
}

cs_status_t cs_talk_find(const char *text, size_t len, const char *source,
                         const cs_blocks_t *blocks, cs_pad_warn_fn warn, cs_pad_warn_fn explain,
                         void *ctx, cs_session_t **out, size_t *n)
{
    if (!out || !n || !source || !blocks || (!text && len))
        return CS_ERR_NULL_ARG;
    *out = NULL;
    *n = 0;
    finder_t f = {.source = source, .bl = blocks, .warn = warn, .explain = explain, .ctx = ctx};
    f.info = calloc(blocks->n ? blocks->n : 1, sizeof *f.info);
    cs_status_t st = CS_ERR_NO_MEMORY;
    if (!f.info || !split_src(text ? text : "", len, &f.src))
        goto done;
    if (blocks->meta_conference)
        snprintf(f.conference, sizeof f.conference, "%s", blocks->meta_conference);
    f.year = blocks->meta_year;
    if (blocks->meta_end)
        say(&f, explain, 1, "%s", "metadata: front matter / header lines");
    for (size_t i = 0; i < blocks->n; i++)
        if (blocks->blocks[i].kind == CS_BLOCK_HEADING || blocks->blocks[i].kind == CS_BLOCK_ITEM) {
            classify(&blocks->blocks[i], &f.info[i]);
            if (blocks->blocks[i].kind == CS_BLOCK_HEADING && f.info[i].kind == K_CONTEXT)
                f.any_context = true;
        }
    size_t heading_talks = choose_heading_talks(&f);
    choose_item_talks(&f, heading_talks > 0);
    if (!f.year)
        f.year = cs_rec_year_in(f.conference);
    if (!f.year)
        f.year = file_name_year(source);
    st = emit_talks(&f);
done:
    if (f.info)
        for (size_t i = 0; i < blocks->n; i++)
            info_clear(&f.info[i]);
    free(f.info);
    free(f.src.starts);
    free(f.src.ends);
    if (st != CS_OK) {
        for (size_t i = 0; i < f.n; i++)
            cs_session_clear(&f.out[i]);
        free(f.out);
        return st;
    }
    *out = f.out;
    *n = f.n;
    return CS_OK;
}

char *cs_talk_find_document_title(const cs_blocks_t *blocks, const char *source)
{
    for (size_t i = 0; i < blocks->n; i++) {
        const cs_block_t *b = &blocks->blocks[i];
        if (b->kind != CS_BLOCK_HEADING || !b->text[0] || starts_ci(b->text, "tags:") ||
            strcmp(b->text, "[TOC]") == 0)
            continue;
        return strdup(b->text);
    }
    if (blocks->meta_title && blocks->meta_title[0])
        return strdup(blocks->meta_title);
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    char *t = strdup(base);
    if (t) {
        char *dot = strrchr(t, '.');
        if (dot && dot != t)
            *dot = '\0';
    }
    return t;
}
