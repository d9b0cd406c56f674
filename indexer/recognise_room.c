/* recognise_room.c: where a talk is: room names ("R1", "Room 101",
 * "視聽教室", "R1、R2") and the seed's bracket header "[14:10][R1] Title
 * (Speaker)", with its time ranges and several rooms. */
#include "recognise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recognise_scan.h"

static bool is_one_room(const char *b, const char *e)
{
    size_t len = (size_t)(e - b);
    if (len == 0 || len > 48)
        return false;
    /* Room codes: "R0", "R101", "TR313", "RB-105", "AU", "E102A". */
    {
        const char *p = b;
        size_t letters = 0, digits = 0;
        while (p < e && *p >= 'A' && *p <= 'Z') {
            p++;
            letters++;
        }
        if (p < e && *p == '-')
            p++;
        while (p < e && is_digit(*p)) {
            p++;
            digits++;
        }
        if (p < e && *p >= 'A' && *p <= 'Z' && digits)
            p++;
        if (p == e && letters >= 1 && letters <= 3 && digits >= 1 && digits <= 4)
            return true;
    }
    /* "Room 101", "Hall A", "Track 2", "Stage B", "Rm. 3" */
    static const char *const lead[] = {"room",    "rm.",     "rm",         "hall",
                                       "track",   "stage",   "auditorium", "studio",
                                       "theater", "theatre", "floor",      "lab"};
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
        size_t n = eat_ci(b, lead[i], !ends_with(lead[i], lead[i] + strlen(lead[i]), "."));
        if (!n)
            continue;
        const char *p = skip_sp(b + n);
        if (p == b + n && n > 0 && is_alpha(b[n - 1]) && p < e)
            continue;
        const char *q = p;
        while (q < e && (is_alpha(*q) || is_digit(*q) || *q == '-'))
            q++;
        if (q == e && q - p >= 1 && q - p <= 6)
            return true;
    }
    /* "Main Hall", "Grand Ballroom", "Lecture Theatre 2" */
    static const char *const tail[] = {" hall",    " room",       " stage",    " theater",
                                       " theatre", " auditorium", " ballroom", " lounge"};
    {
        char low[64];
        size_t n = len < sizeof low - 1 ? len : sizeof low - 1;
        for (size_t i = 0; i < n; i++)
            low[i] = lower(b[i]);
        low[n] = '\0';
        const char *le = low + n;
        while (le > low && (is_digit(le[-1]) || le[-1] == ' '))
            le--;
        size_t words = 1;
        for (const char *p = low; p < le; p++)
            words += *p == ' ';
        for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
            if (ends_with(low, le, tail[i]) && words <= 4)
                return true;
    }
    /* CJK room names: "視聽教室", "第一會議室", "演講廳", "1F 大廳", "國際會議廳 A" */
    size_t han, latin, digit, other;
    size_t all = count_cps(b, e, &han, &latin, &digit, &other);
    if (han == 0 || han > 10 || other > 0 || all > 16)
        return false;
    static const char *const suffixes[] = {"室",   "廳",   "館",   "堂",   "會場", "議場", "樓",
                                           "教室", "中心", "講堂", "舞台", "展區", "厅",   "会场"};
    const char *t = e;
    while (t > b &&
           (is_digit(t[-1]) || (t[-1] >= 'A' && t[-1] <= 'Z') || t[-1] == ' ' || t[-1] == '-'))
        t--;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (ends_with(b, t, suffixes[i]))
            return true;
    return false;
}

static size_t room_sep_at(const char *p)
{
    static const char *const seps[] = {"、", "，", ",", "/", "／", "&", "＆", "+", NULL};
    return eat_any_lit(p, seps);
}

bool cs_rec_room(const char *s, char *norm, size_t cap)
{
    const char *p = skip_sp(s);
    if (*p == '@')
        p = skip_sp(p + 1);
    size_t o = 0;
    if (cap)
        norm[0] = '\0';
    bool any = false;
    while (*p) {
        const char *q = p;
        while (*q && !room_sep_at(q))
            q++;
        const char *b = skip_sp(p), *e = trim_end_ptr(b, q);
        if (e > b && *b == '@')
            b = skip_sp(b + 1);
        if (!is_one_room(b, e))
            return false;
        size_t n = (size_t)(e - b);
        if (cap && o + n + 3 < cap) {
            if (any) {
                memcpy(norm + o, ", ", 2);
                o += 2;
            }
            memcpy(norm + o, b, n);
            o += n;
            norm[o] = '\0';
        }
        any = true;
        if (!*q)
            break;
        p = q + room_sep_at(q);
    }
    return any;
}

/* ---- the bracket header -------------------------------------------------- */

#define FW_OPEN "（"
#define FW_CLOSE "）"

/* The parenthesised group that ends exactly at end (ASCII or full-width,
 * nesting honoured); see pad_parse's speaker rule. */
bool cs_rec_last_group(const char *begin, const char *end, const char **open, const char **in_b,
                       const char **in_e)
{
    const char *q;
    if (end > begin && end[-1] == ')')
        q = end - 1;
    else if (ends_with(begin, end, FW_CLOSE))
        q = end - 3;
    else
        return false;
    *in_e = q;
    int depth = 1;
    while (q > begin) {
        if (q[-1] == ')') {
            depth++;
            q--;
        } else if (q[-1] == '(') {
            q--;
            if (--depth == 0) {
                *open = q;
                *in_b = q + 1;
                return true;
            }
        } else if (ends_with(begin, q, FW_CLOSE)) {
            depth++;
            q -= 3;
        } else if (ends_with(begin, q, FW_OPEN)) {
            q -= 3;
            if (--depth == 0) {
                *open = q;
                *in_b = q + 3;
                return true;
            }
        } else {
            q--;
        }
    }
    return false;
}

/* A bracketed room: a short code of the seed's kind ("R0", "Hall_B-2"),
 * or anything cs_rec_room reads ("Room 101", "演講廳", "R1、R2"). */
static bool bracket_room(const char *b, const char *e)
{
    bool code = e - b <= 16;
    for (const char *p = b; p < e && code; p++)
        code = is_alpha(*p) || is_digit(*p) || *p == '_' || *p == '-';
    if (code)
        return true;
    char buf[48];
    size_t n = (size_t)(e - b);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, b, n);
    buf[n] = '\0';
    char norm[64];
    return cs_rec_room(buf, norm, sizeof norm);
}

static bool bracket_terminated(const char *s, size_t len, cs_rec_bracket_t *out)
{
    memset(out, 0, sizeof *out);
    const char *end = s + len, *p = skip_sp_to(s, end);
    if (p == end || *p != '[')
        return false;
    p = skip_sp_to(p + 1, end);
    const char *close = memchr(p, ']', (size_t)(end - p));
    if (!close)
        return false;
    /* Inside the first bracket: a time or range, nothing else. */
    char inner[48];
    size_t in_n = (size_t)(trim_end_ptr(p, close) - p);
    if (in_n == 0 || in_n >= sizeof inner)
        return false;
    memcpy(inner, p, in_n);
    inner[in_n] = '\0';
    size_t t = cs_rec_time(inner, out->time, out->end_time);
    if (t == 0 || t != in_n) {
        /* "[25:00]", "[9:7]": header-shaped, impossible time. */
        int h, m;
        size_t nh = eat_digits(inner, &h);
        size_t c = nh ? eat_colon(inner + nh) : 0;
        size_t nm = c ? eat_digits(inner + nh + c, &m) : 0;
        if (nh && c && nm && nh + c + nm == in_n && nh <= 3 && nm <= 3)
            out->bad_time = true;
        else
            return false;
    }
    p = skip_sp_to(close + 1, end);
    size_t o = 0, rooms = 0;
    while (p < end && *p == '[') {
        const char *rb = skip_sp_to(p + 1, end);
        const char *rc = memchr(rb, ']', (size_t)(end - rb));
        if (!rc)
            break;
        const char *re = trim_end_ptr(rb, rc);
        if (re == rb || re - rb > 40 || memchr(rb, '[', (size_t)(re - rb)) || !bracket_room(rb, re))
            break;
        size_t n = (size_t)(re - rb);
        if (o + n + 3 >= sizeof out->room)
            break;
        if (rooms) {
            memcpy(out->room + o, ", ", 2);
            o += 2;
        }
        /* "[R1、R2]" names two rooms in one bracket. */
        for (size_t i = 0; i < n;) {
            size_t k = room_sep_at(rb + i);
            if (k && strncmp(rb + i, "-", 1) != 0) {
                while (o > 0 && out->room[o - 1] == ' ')
                    o--;
                memcpy(out->room + o, ", ", 2);
                o += 2;
                i += k;
                while (i < n && rb[i] == ' ')
                    i++;
                continue;
            }
            out->room[o++] = rb[i++];
        }
        out->room[o] = '\0';
        rooms++;
        p = skip_sp_to(rc + 1, end);
    }
    if (rooms == 0)
        return false;
    const char *rest = p, *rest_end = trim_end_ptr(rest, end);
    const char *open, *in_b, *in_e;
    if (cs_rec_last_group(rest, rest_end, &open, &in_b, &in_e)) {
        in_b = skip_sp_to(in_b, in_e);
        in_e = trim_end_ptr(in_b, in_e);
        if (in_e > in_b) {
            out->speaker = in_b;
            out->speaker_len = (size_t)(in_e - in_b);
        }
        rest_end = trim_end_ptr(rest, open);
    }
    out->title = rest;
    out->title_len = (size_t)(rest_end - rest);
    return true;
}

/* The recognisers read NUL-terminated text; a line handed over with a
 * length is copied first (pointers in *out are mapped back to s). */
bool cs_rec_bracket(const char *s, size_t len, cs_rec_bracket_t *out)
{
    memset(out, 0, sizeof *out);
    if (!s || len == 0)
        return false;
    char stack[512];
    char *copy = len < sizeof stack ? stack : malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, s, len);
    copy[len] = '\0';
    /* A NUL inside the line would end the copy early: the parser treats
     * NULs as spaces, so the recogniser does too. */
    for (size_t i = 0; i < len; i++)
        if (copy[i] == '\0')
            copy[i] = ' ';
    bool ok = bracket_terminated(copy, len, out);
    if (out->title)
        out->title = s + (out->title - copy);
    if (out->speaker)
        out->speaker = s + (out->speaker - copy);
    if (copy != stack)
        free(copy);
    return ok;
}
