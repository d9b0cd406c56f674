/* talk_find.c: the structure of a notes file (talk_find.h).  One pass
 * classifies each heading and list item with the recognisers; a second
 * picks the talks (the level where most talk-shaped headings stand, or a
 * one-talk pad, or a hub pad's list items); a third walks the blocks in
 * order with a stack of context lines, giving each talk the day, date,
 * room and time in force and its span of lines. */
#define _GNU_SOURCE /* strcasestr */
#include "talk_find.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "recognise.h"
#include "utf8.h"

typedef enum {
    K_NONE,    /* LINE and RULE blocks */
    K_PLAIN,   /* a heading or item that is none of the below */
    K_META,    /* tags line, [TOC], the pad's own title */
    K_CONTEXT, /* sets day / date / time / room for what follows */
    K_SECTION, /* "Q&A", "Lunch": never a talk */
    K_AGENDA,  /* "議程", "Agenda": above a hub pad's list */
    K_TALK     /* talk-shaped */
} kind_t;

typedef struct {
    kind_t kind;
    bool strong;            /* a time, room or bracket leads it */
    bool is_talk;           /* chosen as a talk */
    bool file_wide;         /* context that holds until replaced ("- 日期：...", "9/12") */
    bool ends_talk;         /* a context line of its own ("9/12"): the talk before ends */
    cs_rec_context_t ctx;   /* K_CONTEXT: what it sets; K_TALK: its own time/room */
    char *title, *speakers; /* K_TALK / K_PLAIN */
} info_t;

static bool src_line_blank(const cs_lines_t *s, unsigned line)
{
    if (line == 0 || line > s->n)
        return true;
    for (size_t p = s->starts[line - 1]; p < s->ends[line - 1]; p++)
        if (s->text[p] != ' ' && s->text[p] != '\t')
            return false;
    return true;
}

/* Lines [first, last] joined with "\n", blank lines at both ends dropped. */
static char *src_body(const cs_lines_t *s, unsigned first, unsigned last, size_t *out_len)
{
    /* A line number past the end (or an end before the start) is a bug
     * upstream; it must cost nothing here. */
    if (last > s->n)
        last = s->n;
    while (first <= last && src_line_blank(s, first))
        first++;
    while (last >= first && last > 0 && src_line_blank(s, last))
        last--;
    if (first > last || first == 0 || last > s->n) {
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
        else if (strncmp(p, "：", 3) == 0 || strncmp(p, "–", 3) == 0 || strncmp(p, "—", 3) == 0 ||
                 strncmp(p, "｜", 3) == 0 || strncmp(p, "）", 3) == 0 || strncmp(p, "　", 3) == 0 ||
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
        cs_utf8_copy(in->ctx.room, sizeof in->ctx.room, br.room);
        in->strong = true;
        in->title = strndup(br.title, br.title_len);
        in->speakers = br.speaker ? strndup(br.speaker, br.speaker_len) : NULL;
        if (in->title && in->speakers && !cs_rec_looks_like_names(in->speakers, br.speaker_len)) {
            /* "(by pytest)": part of the title after all */
            free(in->title);
            free(in->speakers);
            in->speakers = NULL;
            /* Up to and with the group's ")" or "）" (three bytes). */
            const char *close = br.speaker + br.speaker_len;
            size_t close_len = strncmp(close, "）", 3) == 0 ? 3 : 1;
            in->title = strndup(br.title, (size_t)(close + close_len - br.title));
        }
        if (in->title)
            cs_rec_clean_title(in->title);
        return in->title && in->title[0];
    }
    const char *p = text;
    if (p[0] == '[' && p[1] && p[2] && p[3] == ']' && p[1] >= 'a' && p[1] <= 'z')
        p = skip_seps(p + 4); /* "[tw] 9:00~10:00 ...": a language tag */
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
    static const char *const tails[] = {
        " 共筆", "共筆",    " 筆記",   "筆記",      " notes",   " Notes",    " hackmd", " HackMD",
        " 議程", " agenda", " Agenda", " 議程共筆", "議程共筆", " 共同筆記", " note",   " Note"};
    char buf[256];
    cs_utf8_copy(buf, sizeof buf, t);
    size_t n = strlen(buf);
    /* The name ends with its year: "OpenHill Conf 2021 共筆入口". */
    /* (The year may be past the cut that made buf: then there is none to
     * end at.  A year ends at a space or a character's first byte.) */
    int year = cs_rec_year_in(buf);
    if (year) {
        char ystr[8];
        snprintf(ystr, sizeof ystr, "%d", year);
        char *y = strstr(buf, ystr);
        if (y && (y[4] == ' ' || (unsigned char)y[4] >= 0xC0) && y > buf) {
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
    static const char *const words[] = {"共筆",   "筆記",   "notes",    "Notes", "NOTES",
                                        "HackMD", "hackmd", "共同筆記", "Note",  "議程"};
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
    cs_rec_fields_t fl;
    if (b->kind == CS_BLOCK_ITEM && cs_rec_fields(t, &fl)) {
        /* "- 日期：2022/03/19": context; "- 講者：Name": about the talk above */
        free(fl.speakers);
        in->kind = K_PLAIN;
        if (fl.date.month || fl.time[0]) {
            in->kind = K_CONTEXT;
            in->file_wide = fl.date.month != 0;
            in->ctx.date = fl.date;
            memcpy(in->ctx.time, fl.time, 6);
            memcpy(in->ctx.end_time, fl.end_time, 6);
        }
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
    const cs_block_t *h = &bl->blocks[i];
    for (size_t j = i + 1; j < bl->n && j <= i + 6; j++) {
        const cs_block_t *b = &bl->blocks[j];
        if (b->kind == CS_BLOCK_HEADING) {
            /* "## Title" then "### Name": the sub-heading names the speaker */
            if (j == i + 1 && h->kind == CS_BLOCK_HEADING && b->level > h->level &&
                cs_rec_looks_like_names(b->text, strlen(b->text)))
                return strdup(b->text);
            break;
        }
        char *s = cs_rec_speaker_line(b->text);
        if (s)
            return s;
    }
    return NULL;
}

/* The "key: value" lines among the few blocks after talk i ("時間：14:00",
 * "**Room:** R2"), before the next heading; the first value of each field
 * wins. */
static bool fields_after(const cs_blocks_t *bl, size_t i, cs_rec_fields_t *out)
{
    memset(out, 0, sizeof *out);
    bool any = false;
    for (size_t j = i + 1; j < bl->n && j <= i + 8; j++) {
        const cs_block_t *b = &bl->blocks[j];
        if (b->kind == CS_BLOCK_HEADING || b->kind == CS_BLOCK_ROW)
            break;
        cs_rec_fields_t f;
        if (!cs_rec_fields(b->text, &f))
            continue;
        any = true;
        if (!out->time[0] && f.time[0]) {
            memcpy(out->time, f.time, 6);
            memcpy(out->end_time, f.end_time, 6);
        }
        if (!out->room[0] && f.room[0])
            memcpy(out->room, f.room, sizeof out->room);
        if (!out->date.month && f.date.month)
            out->date = f.date;
        if (!out->speakers && f.speakers)
            out->speakers = f.speakers;
        else
            free(f.speakers);
    }
    return any;
}

static bool link_looks_like_pad(const char *link)
{
    static const char *const hosts[] = {"hackmd", "codimd",      "hedgedoc", "etherpad",
                                        "pad.",   "/s/",         ".md",      "notes",
                                        "note",   "docs.google", "/pad/",    "#"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        if (strstr(link, hosts[i]))
            return true;
    return false;
}

/* ---- context stack ------------------------------------------------------- */

typedef struct {
    int rank; /* 0 a context line, 1..6 a heading level, 10 + depth a list item */
    const cs_rec_context_t *ctx;
} frame_t;

/* The context in force, in the order it was set (a later frame wins). */
typedef struct {
    frame_t f[48];
    int n;
} stack_t;

static bool shares_fields(const cs_rec_context_t *a, const cs_rec_context_t *b)
{
    return ((a->day_number || a->date.month) && (b->day_number || b->date.month)) ||
           (a->time[0] && b->time[0]) || (a->room[0] && b->room[0]);
}

/* Drops frames deeper than rank, and those of rank itself that c (NULL:
 * any) replaces: a "## R2" ends "## R1", but "## 09:30 Talk" under a
 * "## Day 1" of the same level keeps the day. */
static void stack_drop(stack_t *s, int rank, const cs_rec_context_t *c)
{
    int o = 0;
    for (int i = 0; i < s->n; i++) {
        const frame_t *fr = &s->f[i];
        bool drop = fr->rank > rank && !(rank < 10 && fr->rank == 0);
        if (fr->rank == rank && c && shares_fields(fr->ctx, c))
            drop = true;
        if (!drop)
            s->f[o++] = *fr;
    }
    s->n = o;
}

static void stack_push(stack_t *s, int rank, const cs_rec_context_t *c)
{
    if (s->n == 48)
        stack_drop(s, rank, c);
    if (s->n < 48)
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
    cs_lines_t src;
    cs_pad_warn_fn warn, explain;
    void *ctx;
    cs_session_t *out;
    size_t n, cap;
    char conference[256];
    int year;
    bool any_context;  /* a context heading somewhere: the programme is under them */
    bool single_pad;   /* one pad per talk: the talk's notes run to the end */
    char tag_room[64]; /* a room among the HackMD tags */
} finder_t;

__attribute__((format(printf, 4, 5))) static void say(finder_t *f, cs_pad_warn_fn fn, unsigned line,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cs_pad_vwarn(fn, f->source, line, f->ctx, fmt, ap);
    va_end(ap);
}

/* True when no other talk-shaped heading stands at the level of heading
 * i or above: then i is the one talk of the pad, and "# Q&A" or
 * "# 參考資料" at its level are its sections. */
static bool no_rival_talk(const finder_t *f, size_t i)
{
    int level = f->bl->blocks[i].level;
    for (size_t j = 0; j < f->bl->n; j++) {
        const cs_block_t *b = &f->bl->blocks[j];
        if (j != i && b->kind == CS_BLOCK_HEADING && b->level <= level && f->info[j].kind == K_TALK)
            return false;
    }
    return true;
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
            cs_rec_fields_t fl;
            if (sp) {
                free(in->speakers);
                in->speakers = sp;
                in->kind = K_TALK;
            } else if (fields_after(bl, i, &fl) && fl.time[0]) {
                in->kind = K_TALK; /* "## Title" over "- 時間：14:00" */
            }
            if (!sp)
                free(fl.speakers);
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
                cs_utf8_copy(f->conference, sizeof f->conference, conf);
            fi->kind = K_META;
            say(f, f->explain, fb->line, "metadata: the pad's title, conference \"%s\"", conf);
            if (fb->level >= 1 && fb->level <= 6 && count[fb->level] > 0 && fi->speakers)
                count[fb->level]--;
        }
    }
    /* One pad per talk: its first heading is the talk, the rest sections. */
    if (fi->kind == K_TALK && !fi->strong && no_rival_talk(f, first_h)) {
        size_t deeper = 0;
        for (int l = fb->level + 1; l <= 6; l++)
            deeper += count[l];
        /* ... unless the headings below are the programme (hub with talks) */
        if (deeper < 3 || unique_top) {
            fi->is_talk = true;
            f->single_pad = true;
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
    const cs_rec_context_t *parent_ctx_at[8] = {NULL};
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        if (b->kind != CS_BLOCK_HEADING)
            continue;
        info_t *in = &f->info[i];
        int l = b->level;
        if (open_level && l > open_level)
            continue; /* a section of the open talk */
        open_level = 0;
        for (int k = l; k < 8; k++) {
            parent_kind_at[k] = 0;
            parent_ctx_at[k] = NULL;
        }
        int parent = 0;
        bool parent_slot = false;
        for (int k = l - 1; k >= 1; k--)
            if (parent_kind_at[k]) {
                parent = parent_kind_at[k];
                /* a day, time or room: a programme slot, not a dated note */
                const cs_rec_context_t *pc = parent_ctx_at[k];
                parent_slot = pc && (pc->day_number || pc->time[0] || pc->room[0]);
                break;
            }
        bool talk = false;
        if (in->kind == K_TALK)
            talk = l == talk_level || in->strong || talk_level == 0 || parent == K_CONTEXT;
        else if (in->kind == K_PLAIN && in->title && parent == K_CONTEXT &&
                 (talk_level == 0 || l == talk_level) && parent_slot)
            talk = true;
        else if (in->kind == K_PLAIN && in->title && cs_rec_is_lightning(in->title) &&
                 (l == talk_level || parent == K_CONTEXT))
            talk = true; /* the lightning-talk slot has no one speaker */
        if (talk) {
            in->is_talk = true;
            open_level = l;
            talks++;
        }
        parent_kind_at[l] = in->kind;
        parent_ctx_at[l] = in->kind == K_CONTEXT ? &in->ctx : NULL;
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

/* ---- paragraphs, tables and tags ----------------------------------------- */

static bool ends_like_sentence(const char *t)
{
    static const char *const ends[] = {".", "。", "!", "！", ":", "：", ",", "，", "、", ";"};
    size_t n = strlen(t);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t k = strlen(ends[i]);
        if (n >= k && strcmp(t + n - k, ends[i]) == 0)
            return true;
    }
    return false;
}

/* A one-word handle as a speaker ("sosorry", "c9s"), taken only under a
 * title that is a link or bold line. */
static bool is_handle(const char *t)
{
    size_t n = strlen(t);
    if (n < 2 || n > 24)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_' ||
              t[i] == '-' || t[i] == '.'))
            return false;
    return true;
}

/* A paragraph that is a talk: its first line the title, the next its
 * speaker ("**Title**" then "*[Name](...)*", "[Title](video)" then a
 * name, "Title" then "Name (Nick) / Company"). */
static bool para_talk_at(const cs_blocks_t *bl, size_t i, char **title, char **speakers)
{
    *title = *speakers = NULL;
    const cs_block_t *b = &bl->blocks[i];
    if (b->kind != CS_BLOCK_LINE || !b->para_start || i + 1 >= bl->n)
        return false;
    const cs_block_t *n = &bl->blocks[i + 1];
    if (n->kind != CS_BLOCK_LINE || n->para_start)
        return false;
    size_t len = strlen(b->text);
    cs_rec_context_t c;
    cs_rec_fields_t fl;
    if (len < 2 || len > 160 || ends_like_sentence(b->text) || cs_rec_context(b->text, &c) ||
        cs_rec_is_section_name(b->text) || cs_rec_is_programme_break(b->text))
        return false;
    if (cs_rec_fields(b->text, &fl)) {
        free(fl.speakers);
        return false;
    }
    char *sp = cs_rec_speaker_line(n->text);
    if (!sp && (cs_rec_looks_like_names(n->text, strlen(n->text)) ||
                ((b->linked || b->emphasised) && is_handle(n->text))))
        sp = strdup(n->text);
    if (!sp)
        return false;
    *title = strdup(b->text);
    *speakers = sp;
    if (!*title) {
        free(sp);
        *speakers = NULL;
        return false;
    }
    cs_rec_clean_title(*title);
    return true;
}

/* "## 11:20 - 12:00 A" over a paragraph talk is the slot, not a talk: its
 * time (and a room letter) are context for the paragraph. */
static void demote_slot_headings(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    for (size_t i = 0; i + 1 < bl->n; i++) {
        info_t *in = &f->info[i];
        if (bl->blocks[i].kind != CS_BLOCK_HEADING || in->kind != K_TALK || !in->strong ||
            in->speakers || !in->ctx.time[0])
            continue;
        char *t, *sp;
        if (!para_talk_at(bl, i + 1, &t, &sp))
            continue;
        free(t);
        free(sp);
        const char *title = in->title ? in->title : "";
        if (title[0] >= 'A' && title[0] <= 'Z' && (title[1] == '\0' || title[1] == ' ') &&
            !in->ctx.room[0]) {
            in->ctx.room[0] = title[0];
            in->ctx.room[1] = '\0';
        }
        in->kind = K_CONTEXT;
        info_clear(in);
    }
}

static size_t choose_para_talks(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    size_t found = 0;
    for (size_t i = 0; i < bl->n; i++) {
        char *t, *sp;
        if (!para_talk_at(bl, i, &t, &sp))
            continue;
        free(t);
        free(sp);
        found++;
    }
    if (found < 2 && !(found == 1 && f->any_context))
        return 0;
    for (size_t i = 0; i < bl->n; i++) {
        info_t *in = &f->info[i];
        char *t, *sp;
        if (!para_talk_at(bl, i, &t, &sp))
            continue;
        info_clear(in);
        in->title = t;
        in->speakers = sp;
        in->kind = K_TALK;
        in->is_talk = true;
    }
    return found;
}

typedef enum { COL_TIME, COL_TITLE, COL_SPEAKER, COL_ROOM, COL_DATE, COL_COUNT } column_t;

static int column_of(const char *head)
{
    static const struct {
        const char *word;
        column_t col;
    } words[] = {{"時間", COL_TIME},      {"time", COL_TIME},          {"時段", COL_TIME},
                 {"시간", COL_TIME},      {"時刻", COL_TIME},          {"講題", COL_TITLE},
                 {"題目", COL_TITLE},     {"主題", COL_TITLE},         {"議程", COL_TITLE},
                 {"title", COL_TITLE},    {"talk", COL_TITLE},         {"session", COL_TITLE},
                 {"topic", COL_TITLE},    {"演講", COL_TITLE},         {"발표", COL_TITLE},
                 {"タイトル", COL_TITLE}, {"講演", COL_TITLE},         {"內容", COL_TITLE},
                 {"講者", COL_SPEAKER},   {"speaker", COL_SPEAKER},    {"主講", COL_SPEAKER},
                 {"講師", COL_SPEAKER},   {"發表人", COL_SPEAKER},     {"발표자", COL_SPEAKER},
                 {"登壇者", COL_SPEAKER}, {"スピーカー", COL_SPEAKER}, {"地點", COL_ROOM},
                 {"room", COL_ROOM},      {"場地", COL_ROOM},          {"教室", COL_ROOM},
                 {"會議室", COL_ROOM},    {"장소", COL_ROOM},          {"会場", COL_ROOM},
                 {"track", COL_ROOM},     {"日期", COL_DATE},          {"date", COL_DATE}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasestr(head, words[i].word))
            return (int)words[i].col;
    return -1;
}

/* An agenda table ("| 時間 | 講題 | 講者 |"): each row with a title is a
 * talk, its other cells its time, room and speakers. */
static size_t choose_row_talks(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    size_t found = 0;
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *h = &bl->blocks[i];
        if (h->kind != CS_BLOCK_ROW || h->level != 1)
            continue;
        int col[COL_COUNT];
        for (int c = 0; c < COL_COUNT; c++)
            col[c] = -1;
        for (size_t c = 0; c < h->n_cells; c++) {
            int k = column_of(h->cells[c]);
            if (k >= 0 && col[k] < 0)
                col[k] = (int)c;
        }
        if (col[COL_TITLE] < 0 || (col[COL_TIME] < 0 && col[COL_SPEAKER] < 0))
            continue;
        for (size_t j = i + 1; j < bl->n; j++) {
            const cs_block_t *r = &bl->blocks[j];
            if (r->kind != CS_BLOCK_ROW || r->level != 2)
                break;
            info_t *in = &f->info[j];
            const char *cell[COL_COUNT];
            for (int c = 0; c < COL_COUNT; c++)
                cell[c] = col[c] >= 0 && (size_t)col[c] < r->n_cells ? r->cells[col[c]] : "";
            if (!cell[COL_TITLE][0] || cs_rec_is_section_name(cell[COL_TITLE]) ||
                cs_rec_is_programme_break(cell[COL_TITLE]))
                continue;
            info_clear(in);
            memset(&in->ctx, 0, sizeof in->ctx);
            in->title = strdup(cell[COL_TITLE]);
            if (in->title)
                cs_rec_clean_title(in->title);
            if (cell[COL_SPEAKER][0])
                in->speakers = strdup(cell[COL_SPEAKER]);
            cs_rec_time(cell[COL_TIME], in->ctx.time, in->ctx.end_time);
            cs_utf8_copy(in->ctx.room, sizeof in->ctx.room, cell[COL_ROOM]);
            cs_rec_date(cell[COL_DATE], &in->ctx.date);
            in->kind = K_TALK;
            in->is_talk = true;
            found++;
        }
    }
    return found;
}

/* "###### tags: `myconf2021` `TR313`": the conference and year, and for a
 * one-talk pad its room. */
static void read_tags(finder_t *f, const char *text)
{
    const char *p = strchr(text, ':');
    if (!p)
        return;
    p++;
    while (*p) {
        while (*p == ' ' || *p == '`' || *p == ',' || *p == '#')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '`' && *e != ',')
            e++;
        if (e == p)
            break;
        char tag[64];
        cs_utf8_copy_span(tag, sizeof tag, p, (size_t)(e - p));
        char room[64];
        if (!f->year && cs_rec_year_in(tag)) {
            f->year = cs_rec_year_in(tag);
            if (!f->conference[0])
                cs_utf8_copy(f->conference, sizeof f->conference, tag);
        } else if (!f->tag_room[0] && cs_rec_room(tag, room, sizeof room)) {
            cs_utf8_copy(f->tag_room, sizeof f->tag_room, room);
        }
        p = e;
    }
}

/* A paragraph of its own that is only a day or date ("9/12"), or a slot
 * label ("Session 1: 15:00~15:20"): context for what follows. */
static bool line_context(const cs_blocks_t *bl, size_t i, cs_rec_context_t *ctx)
{
    const cs_block_t *b = &bl->blocks[i];
    if (b->kind != CS_BLOCK_LINE || !b->para_start || strlen(b->text) > 60)
        return false;
    if (i + 1 < bl->n && bl->blocks[i + 1].kind == CS_BLOCK_LINE && !bl->blocks[i + 1].para_start)
        return false;
    const char *t = b->text;
    bool label = false;
    if (strncasecmp(t, "session", 7) == 0) {
        t += 7;
        while (*t == ' ' || (*t >= '0' && *t <= '9'))
            t++;
        label = true;
    }
    if (!cs_rec_context(t, ctx))
        return false;
    return ctx->day_number || ctx->date.month || (label && ctx->time[0]);
}

/* List items are read only where they may be programme: outside the
 * notes of heading talks (a talk's own bullet points are its text, and
 * reading each through every recogniser was most of the parse). */
static void classify_items(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    int open_level = 0;
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        if (b->kind == CS_BLOCK_HEADING) {
            if (open_level && b->level > open_level)
                continue;
            open_level = f->info[i].is_talk ? b->level : 0;
            if (f->single_pad && f->info[i].is_talk)
                open_level = -1; /* the whole file is the talk's */
            continue;
        }
        if (b->kind == CS_BLOCK_ITEM && open_level == 0)
            classify(b, &f->info[i]);
    }
}

static cs_session_t *new_session(finder_t *f)
{
    if (!cs_grow(&f->out, &f->cap, f->n + 1, sizeof *f->out, 16))
        return NULL;
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
    cs_rec_fields_t fl;
    memset(&fl, 0, sizeof fl);
    if (b->kind == CS_BLOCK_HEADING || b->kind == CS_BLOCK_LINE)
        fields_after(f->bl, i, &fl);
    const char *time = in->ctx.time[0] ? in->ctx.time : fl.time[0] ? fl.time : ctx->time;
    const char *end = in->ctx.time[0] ? in->ctx.end_time : fl.time[0] ? fl.end_time : ctx->end_time;
    memcpy(s->time, time, 6);
    memcpy(s->end_time, end, 6);
    const char *room = in->ctx.room[0] ? in->ctx.room : fl.room[0] ? fl.room : ctx->room;
    if (!room[0] && f->single_pad)
        room = f->tag_room;
    if (room[0] && !(s->room = strdup(room)))
        goto no_memory;
    s->day = ctx->day_number;
    int year = f->year;
    if (!year && ctx->conference[0])
        year = cs_rec_year_in(ctx->conference);
    const cs_rec_date_t *date = in->ctx.date.month                  ? &in->ctx.date
                                : fl.date.month && !ctx->date.month ? &fl.date
                                                                    : &ctx->date;
    cs_rec_iso_date(date, year, s->date);
    const char *conf = ctx->conference[0] ? ctx->conference : f->conference;
    if (conf[0] && !(s->conference = strdup(conf)))
        goto no_memory;
    if (b->link &&
        (b->kind == CS_BLOCK_ITEM || b->kind == CS_BLOCK_ROW ||
         (b->kind == CS_BLOCK_LINE && b->linked)) &&
        !(s->link = strdup(b->link)))
        goto no_memory;
    char *group = in->speakers;
    char *found = NULL;
    if (!group && b->kind == CS_BLOCK_HEADING)
        group = found = speaker_after(f->bl, i);
    if (!group && fl.speakers) {
        group = found = fl.speakers;
        fl.speakers = NULL;
    }
    free(fl.speakers);
    if (group) {
        s->speaker = strdup(group);
        if (!s->speaker) {
            free(found);
            return CS_ERR_NO_MEMORY;
        }
        size_t total = cs_rec_split_speakers(group, s->speakers, CS_MAX_SPEAKERS);
        if (total == SIZE_MAX) {
            free(found);
            return CS_ERR_NO_MEMORY;
        }
        while (s->n_speakers < CS_MAX_SPEAKERS && s->speakers[s->n_speakers])
            s->n_speakers++;
        if (total > CS_MAX_SPEAKERS)
            say(f, f->warn, b->line, "%s", "more speakers named than are kept; the first 16 kept");
    }
    free(found);
    s->body = src_body(&f->src, body_first, body_last, &s->body_len);
    return s->body ? CS_OK : CS_ERR_NO_MEMORY;
no_memory:
    free(fl.speakers);
    return CS_ERR_NO_MEMORY;
}

static bool is_separator_line(const cs_block_t *b)
{
    return b->kind == CS_BLOCK_LINE && cs_pad_separator_kind(b->text, strlen(b->text)) != 0;
}

/* Where talk i's notes end: before the next talk, separator, or heading
 * of its level or above (a "## Q&A" at its level is still its own). */
static unsigned talk_last_line(const finder_t *f, size_t i)
{
    const cs_blocks_t *bl = f->bl;
    const cs_block_t *b = &bl->blocks[i];
    if (b->kind == CS_BLOCK_ROW)
        return b->line; /* a table row has no notes */
    unsigned last = f->src.n;
    for (size_t j = i + 1; j < bl->n; j++) {
        const cs_block_t *nb = &bl->blocks[j];
        bool stop = f->info[j].is_talk || f->info[j].ends_talk || is_separator_line(nb);
        if (nb->kind == CS_BLOCK_HEADING) {
            if (b->kind != CS_BLOCK_HEADING)
                stop = true;
            else if (nb->level <= b->level && !f->single_pad)
                stop = stop || !(nb->level == b->level && f->info[j].kind == K_SECTION &&
                                 !cs_rec_is_programme_break(nb->text));
        }
        if (b->kind == CS_BLOCK_ITEM && nb->line > b->end_line)
            stop = true;
        if (b->kind == CS_BLOCK_LINE && nb->kind == CS_BLOCK_ROW)
            stop = true;
        if (stop) {
            last = nb->line - 1;
            break;
        }
    }
    if (b->kind == CS_BLOCK_ITEM && b->end_line < last)
        last = b->end_line;
    return last;
}

static int context_rank(const cs_block_t *b, const info_t *in)
{
    if (in->file_wide)
        return 0;
    return b->kind == CS_BLOCK_HEADING ? b->level : b->kind == CS_BLOCK_ITEM ? 10 + b->level : 0;
}

static cs_status_t emit_talks(finder_t *f)
{
    const cs_blocks_t *bl = f->bl;
    stack_t st = {.n = 0};
    unsigned open_last = 0; /* the open talk's last line: context there is its text */
    /* "RubyHarbor 2016 Day 2" as the post's title: the day of its talks */
    cs_rec_context_t meta;
    if (bl->meta_title && cs_rec_context(bl->meta_title, &meta) &&
        (meta.day_number || meta.date.month)) {
        meta.conference[0] = '\0';
        meta.time[0] = meta.end_time[0] = meta.room[0] = '\0';
        stack_push(&st, 0, &meta);
    }
    for (size_t i = 0; i < bl->n; i++) {
        const cs_block_t *b = &bl->blocks[i];
        info_t *in = &f->info[i];
        bool context = in->kind == K_CONTEXT && !in->is_talk;
        bool inside = b->line <= open_last && !in->ends_talk;
        int rank = context_rank(b, in);
        if (b->kind == CS_BLOCK_HEADING || b->kind == CS_BLOCK_ITEM)
            stack_drop(&st, rank, context && !inside ? &in->ctx : NULL);
        if (context && !inside) {
            if (rank == 0)
                stack_drop(&st, 0, &in->ctx);
            stack_push(&st, rank, &in->ctx);
            if (in->ctx.conference[0] && !f->conference[0])
                cs_utf8_copy(f->conference, sizeof f->conference, in->ctx.conference);
            say(f, f->explain, b->line, "context: %s", b->text);
        }
        if (!in->is_talk)
            continue;
        cs_rec_context_t ctx;
        stack_merge(&st, &ctx);
        unsigned first = b->kind == CS_BLOCK_HEADING ? b->end_line + 1 : b->line + 1;
        unsigned last = talk_last_line(f, i);
        open_last = last;
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
    if (!f.info || !cs_lines_split(text ? text : "", len, &f.src))
        goto done;
    if (blocks->meta_conference)
        cs_utf8_copy(f.conference, sizeof f.conference, blocks->meta_conference);
    f.year = blocks->meta_year;
    if (blocks->meta_end)
        say(&f, explain, 1, "%s", "metadata: front matter / header lines");
    for (size_t i = 0; i < blocks->n; i++) {
        const cs_block_t *b = &blocks->blocks[i];
        if (b->kind == CS_BLOCK_HEADING) {
            classify(b, &f.info[i]);
            if (b->kind == CS_BLOCK_HEADING && f.info[i].kind == K_CONTEXT)
                f.any_context = true;
            if (b->kind == CS_BLOCK_HEADING && f.info[i].kind == K_META &&
                starts_ci(b->text, "tags"))
                read_tags(&f, b->text);
        } else if (b->kind == CS_BLOCK_LINE) {
            info_t *in = &f.info[i];
            cs_rec_fields_t fl;
            if (cs_rec_fields(b->text, &fl)) {
                free(fl.speakers);
                if (fl.date.month) {
                    /* "日期：2019/11/02" in an info block: the day of it all */
                    in->kind = K_CONTEXT;
                    in->file_wide = true;
                    in->ctx.date = fl.date;
                }
            } else if (line_context(blocks, i, &in->ctx)) {
                in->kind = K_CONTEXT;
                in->file_wide = in->ends_talk = true;
            } else if (starts_ci(b->text, "tags:") || starts_ci(b->text, "tags：")) {
                read_tags(&f, b->text);
            }
        }
    }
    demote_slot_headings(&f);
    size_t talks = choose_heading_talks(&f);
    bool heading_talks = talks > 0;
    classify_items(&f);
    talks += choose_item_talks(&f, heading_talks);
    if (talks == 0)
        talks += choose_row_talks(&f);
    if (talks == 0)
        choose_para_talks(&f);
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
    cs_lines_free(&f.src);
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
