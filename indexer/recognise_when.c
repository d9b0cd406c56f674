/* recognise_when.c: when a line says a talk is: times and time ranges,
 * dates in the forms people write, day numbers ("Day 2", "第二天",
 * "1日目"), weekdays, and whole context lines ("# Day 2 (2021/07/31 Sat)",
 * "## 14:00 ~ 15:30", "PyCon APAC 2015 - Day 1 (June 5)"). */
#include "recognise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recognise_scan.h"
#include "utf8.h"

/* ---- times --------------------------------------------------------------- */

static size_t eat_one_time(const char *p, int *hour, int *minute)
{
    int h, m;
    size_t nh = eat_digits(p, &h);
    if (nh == 0 || nh > 2)
        return 0;
    size_t c = eat_colon(p + nh);
    if (c == 0)
        return 0;
    size_t nm = eat_digits(p + nh + c, &m);
    if (nm != 2 || h > 24 || m > 59)
        return 0;
    size_t at = nh + c + nm;
    /* "2:30 pm": the 12-hour clock of English programmes. */
    const char *q = skip_sp(p + at);
    size_t ap;
    if ((ap = eat_ci(q, "pm", true)) > 0 || (ap = eat_ci(q, "p.m.", false)) > 0) {
        if (h < 12)
            h += 12;
        at = (size_t)(q - p) + ap;
    } else if ((ap = eat_ci(q, "am", true)) > 0 || (ap = eat_ci(q, "a.m.", false)) > 0) {
        if (h == 12)
            h = 0;
        at = (size_t)(q - p) + ap;
    } else if (h >= 1 && h <= 6 && nh == 1) {
        h += 12; /* "1:30~2:00" in a programme is the afternoon ("07:30" is not) */
    }
    if (h == 24)
        return 0;
    *hour = h;
    *minute = m;
    return at;
}

static void put_hhmm(char out[6], int h, int m)
{
    out[0] = (char)('0' + (h / 10) % 10);
    out[1] = (char)('0' + h % 10);
    out[2] = ':';
    out[3] = (char)('0' + (m / 10) % 10);
    out[4] = (char)('0' + m % 10);
    out[5] = '\0';
}

static size_t eat_range_sep(const char *p)
{
    static const char *const seps[] = {"-", "~", "～", "–", "—", "〜", "－", "to ", NULL};
    return eat_any_lit(p, seps);
}

size_t cs_rec_time(const char *s, char start[6], char end[6])
{
    int h, m;
    start[0] = end[0] = '\0';
    size_t n = eat_one_time(s, &h, &m);
    if (n == 0 || is_digit(s[n]))
        return 0;
    put_hhmm(start, h, m);
    const char *q = skip_sp(s + n);
    size_t sep = eat_range_sep(q);
    if (sep) {
        const char *r = skip_sp(q + sep);
        int h2, m2;
        size_t n2 = eat_one_time(r, &h2, &m2);
        if (n2 && !is_digit(r[n2])) {
            put_hhmm(end, h2, m2);
            return (size_t)(r + n2 - s);
        }
    }
    return n;
}

/* ---- dates --------------------------------------------------------------- */

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && year > 0)
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
    return days[month - 1];
}

static size_t eat_month_name(const char *p, int *month)
{
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
    size_t n = 0;
    while (is_alpha(p[n]))
        n++;
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(names[m]);
        if (n > full)
            continue;
        size_t i = 0;
        while (i < n && lower(p[i]) == names[m][i])
            i++;
        if (i == n && (n == full || n <= 4)) {
            *month = m + 1;
            if (p[n] == '.')
                n++;
            return n;
        }
    }
    return 0;
}

static size_t eat_ordinal_suffix(const char *p)
{
    static const char *const sfx[] = {"st", "nd", "rd", "th"};
    for (size_t i = 0; i < 4; i++)
        if (eat_ci(p, sfx[i], true))
            return 2;
    return 0;
}

/* The year that may follow a day and month ("5 June 2015", "June 5th,
 * 2015"): bytes eaten, *year 0 when there is none.  strict refuses four
 * digits that run on into more digits or a ':' (a time, "June 5 1530:"). */
static size_t eat_year_after(const char *p, bool strict, int *year)
{
    const char *r = skip_sp(p);
    if (*r == ',')
        r = skip_sp(r + 1);
    size_t ny = eat_digits(r, year);
    if (ny == 4 && (!strict || (!is_digit(r[ny]) && r[ny] != ':')))
        return (size_t)(r + ny - p);
    *year = 0;
    return 0;
}

static bool valid_date(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m) &&
           (y == 0 || (y >= 1900 && y <= 2999));
}

/* The rest of a CJK date after its month number: month_mark ("月", "월"),
 * the day number and its mark ("日" or "號" after 月, "일" after 월).  Fills
 * *out with year, month and the day; returns the bytes taken from p. */
static size_t eat_month_day(const char *p, const char *month_mark, int year, int month,
                            cs_rec_date_t *out)
{
    size_t k = eat_lit(p, month_mark);
    if (!k)
        return 0;
    const char *r = skip_sp(p + k);
    int dd;
    size_t nd = eat_digits(r, &dd);
    if (!nd)
        return 0;
    bool korean = strcmp(month_mark, "월") == 0;
    size_t kd = eat_lit(r + nd, korean ? "일" : "日");
    if (!kd && !korean)
        kd = eat_lit(r + nd, "號");
    if (!kd || !valid_date(year, month, dd))
        return 0;
    *out = (cs_rec_date_t){year, month, dd};
    return (size_t)(r + nd + kd - p);
}

size_t cs_rec_date(const char *s, cs_rec_date_t *out)
{
    int a, b, c;
    memset(out, 0, sizeof *out);
    const char *p = s;
    size_t na = eat_digits(p, &a);
    if (na > 0) {
        p += na;
        /* 2021年7月31日, 7月31日, Korean 8월 13일 */
        size_t k;
        if (na == 4 && (k = eat_lit(p, "年")) > 0) {
            const char *q = skip_sp(p + k);
            int mm;
            size_t nm = eat_digits(q, &mm);
            size_t n = nm && nm <= 2 ? eat_month_day(q + nm, "月", a, mm, out) : 0;
            return n ? (size_t)(q + nm - s) + n : 0;
        }
        if (na <= 2 && ((k = eat_month_day(p, "월", 0, a, out)) > 0 ||
                        (k = eat_month_day(p, "月", 0, a, out)) > 0))
            return (size_t)(p - s) + k;
        if (na <= 2 && (eat_lit(p, "월") || eat_lit(p, "月")))
            return 0;
        char sep = *p;
        if (sep != '/' && sep != '-' && sep != '.')
            goto day_month_name;
        size_t nb = eat_digits(p + 1, &b);
        if (nb == 0 || nb > 2)
            return 0;
        p += 1 + nb;
        if (na == 4) {
            if (*p != sep)
                return 0;
            size_t nc = eat_digits(p + 1, &c);
            if (nc == 0 || nc > 2 || !valid_date(a, b, c))
                return 0;
            p += 1 + nc;
            if (is_digit(*p))
                return 0;
            *out = (cs_rec_date_t){a, b, c};
            return (size_t)(p - s);
        }
        if (na > 2 || sep != '/')
            return 0;
        int yy = 0;
        if (*p == '/') {
            size_t ny = eat_digits(p + 1, &yy);
            if (ny != 4)
                return 0;
            p += 1 + ny;
        }
        if (is_digit(*p) || *p == ':' || !valid_date(yy, a, b))
            return 0;
        *out = (cs_rec_date_t){yy, a, b};
        return (size_t)(p - s);
    day_month_name:
        /* "31 July", "31 Jul 2021" */
        if (na > 2)
            return 0;
        {
            const char *q = skip_sp(p);
            int mm;
            size_t nm = eat_month_name(q, &mm);
            if (nm == 0 || q == p)
                return 0;
            p = q + nm;
            int y;
            p += eat_year_after(p, false, &y);
            if (!valid_date(y, mm, a))
                return 0;
            *out = (cs_rec_date_t){y, mm, a};
            return (size_t)(p - s);
        }
    }
    int mm;
    size_t nm = eat_month_name(p, &mm);
    if (nm == 0)
        return 0;
    p = skip_sp(p + nm);
    int dd;
    size_t nd = eat_digits(p, &dd);
    if (nd == 0 || nd > 2)
        return 0;
    p += nd;
    p += eat_ordinal_suffix(p);
    int y;
    p += eat_year_after(p, true, &y);
    if (!valid_date(y, mm, dd))
        return 0;
    *out = (cs_rec_date_t){y, mm, dd};
    return (size_t)(p - s);
}

void cs_rec_iso_date(const cs_rec_date_t *d, int year, char iso[11])
{
    iso[0] = '\0';
    int y = d->year ? d->year : year;
    if (d->month == 0 || y == 0 || !valid_date(y, d->month, d->day))
        return;
    int parts[3] = {y, d->month, d->day}, widths[3] = {4, 2, 2}, o = 0;
    for (int i = 0; i < 3; i++) {
        if (i > 0)
            iso[o++] = '-';
        for (int w = widths[i] - 1, v = parts[i]; w >= 0; w--, v /= 10)
            iso[o + w] = (char)('0' + v % 10);
        o += widths[i];
    }
    iso[o] = '\0';
}

/* ---- days and weekdays --------------------------------------------------- */

size_t cs_rec_day(const char *s, int *day)
{
    size_t n;
    if ((n = eat_ci(s, "day", false)) > 0) {
        const char *p = s + n;
        if (is_alpha(*p))
            return 0;
        p = skip_sp(p);
        if (*p == '-' || *p == '#' || *p == '.')
            p = skip_sp(p + 1);
        int v;
        size_t nd = eat_digits(p, &v);
        if (nd > 0 && nd <= 2 && v > 0 && !is_digit(p[nd]) &&
            !(p[nd] == ':' && is_digit(p[nd + 1]))) {
            *day = v;
            return (size_t)(p + nd - s);
        }
        static const char *const words[] = {"one", "two", "three", "four", "five", "six", "seven"};
        for (int i = 0; i < 7; i++)
            if ((n = eat_ci(p, words[i], true)) > 0) {
                *day = i + 1;
                return (size_t)(p + n - s);
            }
        return 0;
    }
    if ((n = eat_lit(s, "第")) > 0) {
        const char *p = skip_sp(s + n);
        int v;
        size_t nd = eat_digits(p, &v);
        if (nd == 0)
            nd = eat_han_number(p, &v);
        if (nd == 0 || v <= 0 || v > 31)
            return 0;
        p = skip_sp(p + nd);
        size_t k = eat_lit(p, "天");
        if (!k)
            k = eat_lit(p, "日");
        if (!k)
            return 0;
        *day = v;
        return (size_t)(p + k - s);
    }
    /* Japanese "1日目", Korean "1일차" */
    {
        int v;
        size_t nd = eat_digits(s, &v);
        size_t k = nd && nd <= 2 ? eat_lit(s + nd, "日目") : 0;
        if (!k && nd && nd <= 2)
            k = eat_lit(s + nd, "일차");
        if (k && v > 0) {
            *day = v;
            return nd + k;
        }
    }
    /* "D1", as hub pads abbreviate: only with the digit glued on. */
    if ((s[0] == 'D' || s[0] == 'd') && is_digit(s[1]) && !is_digit(s[2]) && !is_alpha(s[2]) &&
        s[1] != '0') {
        *day = s[1] - '0';
        return 2;
    }
    return 0;
}

size_t cs_rec_weekday(const char *s)
{
    static const char *const en[] = {"monday", "tuesday",  "wednesday", "thursday",
                                     "friday", "saturday", "sunday"};
    /* Chinese (一..日), Japanese (月..日) and Korean (월..일) weekday
     * characters; a lone one counts only in brackets or after 週/星期. */
    static const char *const zh[] = {"一", "二", "三", "四", "五", "六", "日",
                                     "天", "月", "火", "水", "木", "金", "土",
                                     "월", "화", "수", "목", "금", "토", "일"};
    const char *p = s;
    size_t open = 0;
    if (*p == '(')
        open = 1;
    else
        open = eat_lit(p, "（");
    p = skip_sp(p + open);
    size_t n = 0;
    for (int i = 0; i < 7 && !n; i++) {
        char three[4] = {en[i][0], en[i][1], en[i][2], 0};
        if ((n = eat_ci(p, en[i], true)) == 0 && (n = eat_ci(p, three, true)) == 0) {
            /* "Tues", "Thur", "Thurs" */
            if (i == 1)
                n = eat_ci(p, "tues", true);
            else if (i == 3 && (n = eat_ci(p, "thurs", true)) == 0)
                n = eat_ci(p, "thur", true);
        }
    }
    if (n) {
        if (p[n] == '.')
            n++;
    } else {
        size_t pre = eat_lit(p, "星期");
        if (!pre)
            pre = eat_lit(p, "週");
        if (!pre)
            pre = eat_lit(p, "周");
        if (!pre)
            pre = eat_lit(p, "禮拜");
        if (!pre && !open)
            return 0;
        for (size_t i = 0; i < sizeof zh / sizeof zh[0] && !n; i++) {
            if (i >= 8 && !open)
                break;
            size_t k = eat_lit(p + pre, zh[i]);
            if (k)
                n = pre + k;
        }
        if (!n)
            return 0;
    }
    p += n;
    {
        size_t k = eat_lit(p, "曜日");
        if (!k)
            k = eat_lit(p, "曜");
        if (!k)
            k = eat_lit(p, "요일");
        p += k;
    }
    if (open) {
        p = skip_sp(p);
        size_t close = *p == ')' ? 1 : eat_lit(p, "）");
        if (!close)
            return 0;
        p += close;
    }
    return (size_t)(p - s);
}

/* ---- context lines ------------------------------------------------------- */

static size_t eat_context_sep(const char *p)
{
    static const char *const seps[] = {" ",  "\t", "-",  "–", "—",  "|",  "｜", "/", ",", "，",
                                       "、", "·",  "・", "(", ")",  "（", "）", "[", "]", "【",
                                       "】", ":",  "：", "~", "～", "　", "*",  "_", "#", "."};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = eat_lit(p, seps[i]);
        if (n)
            return n;
    }
    return 0;
}

/* When p's first n bytes read as a room, it becomes the best candidate
 * (its normalised name in room, n in *best). */
static void room_candidate(const char *p, size_t n, char *room, size_t cap, size_t *best)
{
    char buf[64], norm[64];
    if (n >= sizeof buf)
        return;
    memcpy(buf, p, n);
    buf[n] = '\0';
    if (cs_rec_room(buf, norm, sizeof norm)) {
        *best = n;
        snprintf(room, cap, "%s", norm);
    }
}

/* The room words of a context line end where the next separator run
 * does; the longest prefix that reads as a room wins ("Room 101"). */
static size_t eat_context_room(const char *p, char *room, size_t cap)
{
    size_t best = 0;
    const char *q = p;
    /* A room is a short name that starts like one. */
    unsigned char c0 = (unsigned char)*p;
    if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9') || c0 == '@' || c0 >= 0x80))
        return 0;
    while (*q && q - p <= 48) {
        /* candidate ends: before a separator other than a single space */
        size_t sep = eat_context_sep(q);
        if (sep && *q != ' ') {
            if (q > p)
                room_candidate(p, (size_t)(q - p), room, cap, &best);
            break;
        }
        int32_t k;
        cp_at(q, &k);
        q += k > 0 ? k : 1;
        if (*q == '\0' || *q == ' ')
            room_candidate(p, (size_t)(q - p), room, cap, &best);
    }
    return best;
}

/* "議程", "Agenda", "共筆" after a day: "Day 1 議程" is still a day. */
static size_t eat_filler_word(const char *p)
{
    static const char *const words[] = {"議程",    "共筆",      "agenda", "schedule", "notes",
                                        "talks",   "sessions",  "場次",   "上午",     "下午",
                                        "morning", "afternoon", "am",     "pm"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n =
            (unsigned char)words[i][0] < 0x80 ? eat_ci(p, words[i], true) : eat_lit(p, words[i]);
        if (n)
            return n;
    }
    return 0;
}

/* Reads context tokens from p to the end; false when something else is
 * in the way. */
static bool read_context_tokens(const char *p, cs_rec_context_t *out, bool *any_day_or_date)
{
    bool any = false;
    *any_day_or_date = false;
    while (*p) {
        size_t n = cs_rec_weekday(p);
        if (n) {
            p += n;
            any = true;
            continue;
        }
        n = eat_context_sep(p);
        if (n) {
            p += n;
            continue;
        }
        n = eat_filler_word(p);
        if (n && any) {
            p += n;
            continue;
        }
        int day;
        cs_rec_date_t d;
        char t1[6], t2[6], room[64];
        if ((n = cs_rec_day(p, &day)) > 0) {
            out->day_number = day;
            *any_day_or_date = true;
        } else if ((n = cs_rec_date(p, &d)) > 0) {
            out->date = d;
            *any_day_or_date = true;
        } else if ((n = cs_rec_time(p, t1, t2)) > 0) {
            memcpy(out->time, t1, 6);
            memcpy(out->end_time, t2, 6);
        } else if ((n = cs_rec_weekday(p)) > 0) {
        } else if ((n = eat_context_room(p, room, sizeof room)) > 0) {
            /* "## R1、R2": every room named */
            size_t have = strlen(out->room);
            if (have && have + strlen(room) + 3 < sizeof out->room) {
                memcpy(out->room + have, ", ", 2);
                memcpy(out->room + have + 2, room, strlen(room) + 1);
            } else if (!have) {
                memcpy(out->room, room, strlen(room) + 1);
            }
        } else {
            return false;
        }
        any = true;
        p += n;
    }
    return any;
}

bool cs_rec_context(const char *s, cs_rec_context_t *out)
{
    memset(out, 0, sizeof *out);
    /* A day, a date, a time and a room fit in far less; a longer line is
     * a title or a sentence, and is not tried (it is on every heading). */
    if (strnlen(s, 161) > 160)
        return false;
    bool dd;
    const char *p = skip_sp(s);
    if (read_context_tokens(p, out, &dd))
        return true;
    /* "PyCon APAC 2015 - Day 1 (June 5)", "MyConf 2021 Day 2": a name, then
     * a day or date; the name ends at the last separator before it. */
    for (const char *q = p; *q; q++) {
        if (q == p || !(q[-1] == ' ' || q[-1] == '-' || q[-1] == '|' || q[-1] == '(' ||
                        ((unsigned char)q[-1] >= 0x80 && ((unsigned char)*q & 0xC0) != 0x80)))
            continue;
        int day;
        cs_rec_date_t d;
        if (cs_rec_day(q, &day) == 0 && cs_rec_date(q, &d) == 0)
            continue;
        cs_rec_context_t c;
        memset(&c, 0, sizeof c);
        if (!read_context_tokens(q, &c, &dd) || !dd)
            continue;
        const char *e = q;
        for (;;) {
            e = trim_end_ptr(p, e);
            if (e > p && (e[-1] == '-' || e[-1] == '|' || e[-1] == '(' || e[-1] == ','))
                e--;
            else if (ends_with(p, e, "–") || ends_with(p, e, "—") || ends_with(p, e, "（"))
                e -= 3;
            else
                break;
        }
        size_t han, latin, digit, other;
        count_cps(p, e, &han, &latin, &digit, &other);
        if (latin + han == 0)
            return false;
        *out = c;
        cs_utf8_copy_span(out->conference, sizeof out->conference, p, (size_t)(e - p));
        return true;
    }
    return false;
}

int cs_rec_year_in(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!is_digit(*p) || (p > s && is_digit(p[-1])))
            continue;
        int v;
        size_t n = eat_digits(p, &v);
        if (n == 4 && v >= 1990 && v <= 2099)
            return v;
        p += n - 1;
    }
    return 0;
}
