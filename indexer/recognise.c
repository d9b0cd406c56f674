/* recognise.c: the line recognisers of recognise.h.  Each is a small
 * hand-written matcher over plain UTF-8 (code points read with ICU's
 * U8_NEXT), since the shapes are short and a regex engine would not say
 * which part matched any more clearly. */
#include "recognise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

/* ---- characters ---------------------------------------------------------- */

static UChar32 cp_at(const char *p, int32_t *n)
{
    int32_t i = 0;
    UChar32 c;
    int32_t len = (int32_t)strnlen(p, 4);
    if (len == 0) {
        *n = 0;
        return 0;
    }
    U8_NEXT(p, i, len, c);
    *n = i;
    return c;
}

/* As cp_at, never reading at or past end (texts given with a length need
 * not be NUL-terminated). */
static UChar32 cp_in(const char *p, const char *end, int32_t *n)
{
    int32_t i = 0;
    UChar32 c;
    int32_t len = end - p > 4 ? 4 : (int32_t)(end - p);
    if (len <= 0) {
        *n = 0;
        return 0;
    }
    U8_NEXT(p, i, len, c);
    *n = i;
    return c;
}

static bool is_space_cp(UChar32 c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || c == '\r' || c == '\n' ||
           c == 0xFE0F || c == 0x200B;
}

static const char *skip_sp(const char *p)
{
    int32_t n;
    while (*p && is_space_cp(cp_at(p, &n)))
        p += n;
    return p;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_alpha(char c)
{
    c = lower(c);
    return c >= 'a' && c <= 'z';
}

static bool is_han(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    return c >= 0x2E80 && uscript_getScript(c, &e) == USCRIPT_HAN && U_SUCCESS(e);
}

/* Matches lit (ASCII, lower case) case-insensitively at p; for a
 * word-ending lit the next byte must not continue a word. */
static size_t eat_ci(const char *p, const char *lit, bool whole_word)
{
    if (lower(p[0]) != lit[0])
        return 0; /* the common case, before measuring lit */
    size_t n = strlen(lit);
    for (size_t i = 0; i < n; i++)
        if (!p[i] || lower(p[i]) != lit[i])
            return 0;
    if (whole_word && (is_alpha(p[n]) || is_digit(p[n])))
        return 0;
    return n;
}

static size_t eat_lit(const char *p, const char *lit)
{
    if (p[0] != lit[0])
        return 0;
    size_t n = strlen(lit);
    return strncmp(p, lit, n) == 0 ? n : 0;
}

static size_t eat_digits(const char *p, int *v)
{
    size_t n = 0;
    int x = 0;
    while (is_digit(p[n])) {
        if (x < 100000)
            x = x * 10 + (p[n] - '0');
        n++;
    }
    *v = x;
    return n;
}

/* "一" .. "十", "十一" .. "三十一" and "兩": Chinese numerals as days and
 * ordinals use them. */
static size_t eat_han_number(const char *p, int *v)
{
    static const char *const digits[] = {"〇", "一", "二", "三", "四", "五",
                                         "六", "七", "八", "九"};
    size_t at = 0;
    int value = 0, cur = -1;
    bool any = false;
    for (;;) {
        size_t n;
        int d = -1;
        for (int i = 0; i < 10; i++)
            if ((n = eat_lit(p + at, digits[i])) > 0) {
                d = i;
                break;
            }
        if (d < 0 && (n = eat_lit(p + at, "兩")) > 0)
            d = 2;
        if (d >= 0) {
            cur = d;
            at += n;
            any = true;
            continue;
        }
        if ((n = eat_lit(p + at, "十")) > 0) {
            value += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
            at += n;
            any = true;
            continue;
        }
        break;
    }
    if (!any)
        return 0;
    *v = value + (cur < 0 ? 0 : cur);
    return at;
}

/* ---- times --------------------------------------------------------------- */

static size_t eat_colon(const char *p)
{
    if (*p == ':')
        return 1;
    return eat_lit(p, "：");
}

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
    static const char *const seps[] = {"-", "~", "～", "–", "—", "〜", "－", "to "};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = eat_lit(p, seps[i]);
        if (n)
            return n;
    }
    return 0;
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
    static const char *const names[] = {"january", "february", "march",     "april",
                                        "may",     "june",     "july",      "august",
                                        "september", "october", "november", "december"};
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

static bool valid_date(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m) && (y == 0 || (y >= 1900 && y <= 2999));
}

size_t cs_rec_date(const char *s, cs_rec_date_t *out)
{
    int a, b, c;
    memset(out, 0, sizeof *out);
    const char *p = s;
    size_t na = eat_digits(p, &a);
    if (na > 0) {
        p += na;
        /* 2021年7月31日, 7月31日 */
        size_t k;
        if (na == 4 && (k = eat_lit(p, "年")) > 0) {
            const char *q = skip_sp(p + k);
            int mm, dd;
            size_t nm = eat_digits(q, &mm);
            size_t ky = nm ? eat_lit(q + nm, "月") : 0;
            if (ky) {
                const char *r = skip_sp(q + nm + ky);
                size_t nd = eat_digits(r, &dd);
                size_t kd = nd ? eat_lit(r + nd, "日") : 0;
                if (!kd && nd)
                    kd = eat_lit(r + nd, "號");
                if (kd && valid_date(a, mm, dd)) {
                    *out = (cs_rec_date_t){a, mm, dd};
                    return (size_t)(r + nd + kd - s);
                }
            }
            return 0;
        }
        if (na <= 2 && (k = eat_lit(p, "월")) > 0) {
            /* Korean: "8월 13일" */
            const char *r = skip_sp(p + k);
            int dd;
            size_t nd = eat_digits(r, &dd);
            size_t kd = nd ? eat_lit(r + nd, "일") : 0;
            if (kd && valid_date(0, a, dd)) {
                *out = (cs_rec_date_t){0, a, dd};
                return (size_t)(r + nd + kd - s);
            }
            return 0;
        }
        if (na <= 2 && (k = eat_lit(p, "月")) > 0) {
            const char *r = skip_sp(p + k);
            int dd;
            size_t nd = eat_digits(r, &dd);
            size_t kd = nd ? eat_lit(r + nd, "日") : 0;
            if (!kd && nd)
                kd = eat_lit(r + nd, "號");
            if (kd && valid_date(0, a, dd)) {
                *out = (cs_rec_date_t){0, a, dd};
                return (size_t)(r + nd + kd - s);
            }
            return 0;
        }
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
            int y = 0;
            const char *r = skip_sp(p);
            if (*r == ',')
                r = skip_sp(r + 1);
            size_t ny = eat_digits(r, &y);
            if (ny == 4)
                p = r + ny;
            else
                y = 0;
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
    int y = 0;
    const char *r = skip_sp(p);
    if (*r == ',')
        r = skip_sp(r + 1);
    size_t ny = eat_digits(r, &y);
    if (ny == 4 && !is_digit(r[ny]) && r[ny] != ':')
        p = r + ny;
    else
        y = 0;
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
    static const char *const en[] = {"monday", "tuesday", "wednesday", "thursday",
                                     "friday", "saturday", "sunday"};
    /* Chinese (一..日), Japanese (月..日) and Korean (월..일) weekday
     * characters; a lone one counts only in brackets or after 週/星期. */
    static const char *const zh[] = {"一", "二", "三", "四", "五", "六", "日", "天", "月", "火",
                                     "水", "木", "金", "土", "월", "화", "수", "목", "금", "토",
                                     "일"};
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

/* ---- rooms --------------------------------------------------------------- */

static bool ends_with(const char *b, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(e - b) >= n && memcmp(e - n, lit, n) == 0;
}

static size_t count_cps(const char *b, const char *e, size_t *han, size_t *latin, size_t *digit,
                        size_t *other)
{
    size_t all = 0;
    *han = *latin = *digit = *other = 0;
    for (const char *p = b; p < e;) {
        int32_t n;
        UChar32 c = cp_at(p, &n);
        if (n <= 0)
            break;
        p += n;
        all++;
        if (is_han(c))
            (*han)++;
        else if (c < 128 && is_alpha((char)c))
            (*latin)++;
        else if (c < 128 && is_digit((char)c))
            (*digit)++;
        else if (!is_space_cp(c))
            (*other)++;
    }
    return all;
}

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
    static const char *const lead[] = {"room", "rm.", "rm", "hall", "track", "stage", "auditorium",
                                       "studio", "theater", "theatre", "floor", "lab"};
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
    static const char *const tail[] = {" hall", " room", " stage", " theater", " theatre",
                                       " auditorium", " ballroom", " lounge"};
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
    static const char *const suffixes[] = {"室", "廳", "館", "堂", "會場", "議場", "樓", "教室",
                                           "中心", "講堂", "舞台", "展區", "厅", "会场"};
    const char *t = e;
    while (t > b && (is_digit(t[-1]) || (t[-1] >= 'A' && t[-1] <= 'Z') || t[-1] == ' ' ||
                     t[-1] == '-'))
        t--;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (ends_with(b, t, suffixes[i]))
            return true;
    return false;
}

static size_t room_sep_at(const char *p)
{
    static const char *const seps[] = {"、", "，", ",", "/", "／", "&", "＆", "+"};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = eat_lit(p, seps[i]);
        if (n)
            return n;
    }
    return 0;
}

static const char *trim_end_ptr(const char *b, const char *e)
{
    while (e > b) {
        const char *q = e - 1;
        while (q > b && ((unsigned char)*q & 0xC0) == 0x80)
            q--;
        int32_t n;
        if (!is_space_cp(cp_in(q, e, &n)))
            break;
        e = q;
    }
    return e;
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

/* ---- context lines ------------------------------------------------------- */

static size_t eat_context_sep(const char *p)
{
    static const char *const seps[] = {" ",  "\t", "-", "–", "—", "|", "｜", "/", ",", "，", "、",
                                       "·",  "・", "(", ")", "（", "）", "[", "]", "【", "】",
                                       ":",  "：", "~", "～", "　", "*", "_", "#", "."};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = eat_lit(p, seps[i]);
        if (n)
            return n;
    }
    return 0;
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
            if (q > p) {
                char buf[64];
                size_t n = (size_t)(q - p);
                if (n < sizeof buf) {
                    memcpy(buf, p, n);
                    buf[n] = '\0';
                    char norm[64];
                    if (cs_rec_room(buf, norm, sizeof norm)) {
                        best = n;
                        snprintf(room, cap, "%s", norm);
                    }
                }
            }
            break;
        }
        int32_t k;
        cp_at(q, &k);
        q += k > 0 ? k : 1;
        if (*q == '\0' || *q == ' ') {
            size_t n = (size_t)(q - p);
            char buf[64];
            if (n < sizeof buf) {
                memcpy(buf, p, n);
                buf[n] = '\0';
                char norm[64];
                if (cs_rec_room(buf, norm, sizeof norm)) {
                    best = n;
                    snprintf(room, cap, "%s", norm);
                }
            }
        }
    }
    return best;
}

/* "議程", "Agenda", "共筆" after a day: "Day 1 議程" is still a day. */
static size_t eat_filler_word(const char *p)
{
    static const char *const words[] = {"議程", "共筆", "agenda", "schedule", "notes", "talks",
                                        "sessions", "場次", "上午", "下午", "morning", "afternoon",
                                        "am", "pm"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = (unsigned char)words[i][0] < 0x80 ? eat_ci(p, words[i], true) : eat_lit(p, words[i]);
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
            else if (ends_with(p, e, "–") || ends_with(p, e, "—"))
                e -= 3;
            else
                break;
        }
        size_t han, latin, digit, other;
        count_cps(p, e, &han, &latin, &digit, &other);
        if (latin + han == 0)
            return false;
        *out = c;
        size_t n = (size_t)(e - p);
        if (n >= sizeof out->conference)
            n = sizeof out->conference - 1;
        while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;
        memcpy(out->conference, p, n);
        out->conference[n] = '\0';
        return true;
    }
    return false;
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

static const char *skip_sp_to(const char *p, const char *e)
{
    while (p < e) {
        int32_t n;
        if (!is_space_cp(cp_in(p, e, &n)) || n <= 0)
            break;
        p += n;
    }
    return p;
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
        if (re == rb || re - rb > 40 || memchr(rb, '[', (size_t)(re - rb)) ||
            !bracket_room(rb, re))
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

/* ---- names and speakers -------------------------------------------------- */

static char *dup_range(const char *b, const char *e)
{
    size_t n = (size_t)(e - b);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, b, n);
    s[n] = '\0';
    return s;
}

static size_t name_sep_at(const char *p, const char *b)
{
    static const char *const seps[] = {" & ", "&", "、", "，", ",", " and ", " 和 ", "與",
                                       "/",   "／", "＆", ";", "；", " x ", "×"};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = eat_lit(p, seps[i]);
        if (n && (seps[i][0] != ' ' || p > b))
            return n;
    }
    return 0;
}

/* English words that stand in titles, never in a person's name. */
static bool is_function_word(const char *b, const char *e)
{
    static const char *const words[] = {"is",   "not", "of",   "for", "with", "in",  "on",
                                        "to",   "and", "my",   "your", "our", "vs",  "from",
                                        "into", "at",  "without", "using", "beyond", "are",
                                        "be",   "can", "you",  "we",  "it",   "its", "this"};
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && eat_ci(b, words[i], false) == n)
            return true;
    return false;
}

/* Words that start titles and section names, never names. */
static bool is_title_word(const char *b, const char *e)
{
    static const char *const words[] = {
        "keynote", "lightning", "lightning talk", "lightning talks", "workshop", "panel",
        "tutorial", "talk", "session", "opening", "closing", "part", "q&a", "intro",
        "introduction", "day", "room", "track", "demo", "setup", "summary", "overview",
        "conclusion", "basics", "advanced", "recap", "notes", "slides", "discussion",
        "break", "lunch", "agenda", "schedule", "video", "chapter", "step", "section",
        "background", "motivation", "problem", "solution", "result", "results", "future work",
        "references", "links", "bof", "sponsor", "sponsor talk", "poster", "panel discussion",
        "welcome", "announcement", "announcements", "keynote speech", "invited talk", "note",
        "update", "tips", "example", "examples", "why", "how", "what", "the", "a", "an",
        "python", "rust", "go", "java", "javascript", "ruby", "docker", "kubernetes", "linux",
        "ai", "ml", "llm", "api", "web", "data", "security", "testing", "performance",
        "architecture", "design", "community", "open source", "case study", "experience",
        "hands-on", "live coding", "unconference", "open space", "tbd", "tba", "tbc", "todo",
        "session a", "session b"};
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && eat_ci(b, words[i], false) == n)
            return true;
    return false;
}

static bool is_title_han_word(const char *b, const char *e)
{
    static const char *const words[] = {
        "키노트", "기조연설", "기조 연설", "라이트닝 토크", "라이트닝토크", "발표", "세션",
        "基調講演", "招待講演", "特別講演", "ライトニングトーク", "基调演讲", "主题演讲",
        "閃電講", "閃電秀", "專題演講", "主題演講", "開放議程", "議程", "講題", "主題",
        "共筆", "筆記", "議程", "開場", "簡介", "介紹", "問答", "心得", "總結", "結論", "休息",
        "午餐", "報到", "閉幕", "致詞", "議題", "實作", "範例", "演講", "分享", "講者", "主持",
        "專題", "論壇", "座談", "工作坊", "閃電秀", "閃電講", "開幕", "主題演講", "茶敘", "合照",
        "投影片", "簡報", "影片", "連結", "參考", "資料", "目錄", "大綱", "前言", "結語", "問題",
        "討論", "示範", "展示", "未定", "待定", "其他", "公告", "活動", "贊助", "攤位", "交流",
        "現場", "線上", "直播", "重點", "摘要", "心得分享", "經驗", "架構", "效能", "測試", "安全",
        "社群", "開源", "教學", "入門", "進階", "實戰", "案例", "應用", "工具", "資料科學"};
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(b, words[i], n) == 0)
            return true;
    return false;
}

/* What follows a name after "/" when it is where the person works, not a
 * second person: "72Shop Agile Coach", "某雲端公司 SRE", "自由工作者". */
static bool is_affiliation(const char *b, const char *e)
{
    static const char *const words[] = {
        "公司", "科技", "大學", "大学", "學院", "学院", "實驗室", "研究院", "研究所", "銀行",
        "集團", "工作室", "協會", "基金會", "政府", "學校", "高中", "支付", "資訊", "遊戲",
        "網路", "電信", "辦公室", "自由工作者", "工程師", "經理", "顧問", "創辦人", "研究員",
        "教授", "學生", "講師", "設計師", "架構師", "技術長", "執行長", "主管", "負責人",
        "株式会社", "大学", "회사", "대학교", "雲端", "數位", "軟體", "系統", "媒體", "實業",
        "電子", "新創", "智慧", "股份", " Inc", " Ltd", " Corp", " LLC", " Co.",
        "University", " Lab", "Engineer", "Developer", "Manager", "Coach", "Scrum Master",
        "CTO", "CEO", "Founder", "Architect", "SRE", "Designer", "Consultant", "Researcher",
        "Professor", "Student", "Freelance", "Lead", "Head of", "Director", "Evangelist",
        "Advocate"};
    for (const char *p = b; p < e; p++)
        if (is_digit(*p))
            return true;
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t k = strlen(words[i]);
        for (size_t at = 0; at + k <= n; at++)
            if (memcmp(b + at, words[i], k) == 0)
                return true;
    }
    return false;
}

/* An affiliation after a name: "(Google)", "（某大學）", "@某大學"; and a
 * romanised name after a Han one ("范詠晴 Yung-Ching Fan" is 范詠晴). */
static const char *name_end(const char *b, const char *e)
{
    {
        const char *p = b;
        size_t han = 0;
        while (p < e) {
            int32_t n;
            UChar32 c = cp_in(p, e, &n);
            if (n <= 0 || !is_han(c))
                break;
            p += n;
            han++;
        }
        /* a romanised full name ("Yung-Ching Fan") or a handle ("lian")
         * after the Han one repeats the person; "和田 Ando" is one name */
        if (han >= 2 && han <= 4 && p < e && *p == ' ' && p + 1 < e && is_alpha(p[1])) {
            const char *r = p + 1;
            bool hyphen = false, space = false;
            for (const char *q = r; q < e; q++) {
                hyphen |= *q == '-';
                space |= *q == ' ';
            }
            if (hyphen || space || (*r >= 'a' && *r <= 'z'))
                e = p;
        }
    }
    const char *at = NULL;
    for (const char *p = b; p < e; p++) {
        if (*p == '@' && p > b) {
            at = p;
            break;
        }
        if (*p == '(' || eat_lit(p, "（") || eat_lit(p, "【") || eat_lit(p, "[")) {
            if (p > b) {
                at = p;
                break;
            }
        }
    }
    if (at)
        e = at;
    return trim_end_ptr(b, e);
}

static const char *name_begin(const char *b, const char *e)
{
    b = skip_sp_to(b, e);
    if (b < e && *b == '@')
        b++;
    return b;
}

static bool is_particle(const char *b, const char *e)
{
    static const char *const words[] = {"van", "von", "de", "der", "den", "da", "di", "bin",
                                        "binti", "la", "le", "du", "dos", "del", "al", "ibn"};
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(b, words[i], n) == 0)
            return true;
    return false;
}

/* The first character of most Chinese names (the common surnames), or a
 * nickname's 阿/小/老: what tells "陳立安" from "實際案例". */
static bool han_name_start(const char *b, const char *e, size_t han)
{
    static const char surnames[] =
        "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁"
        "趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓馬阮董唐藍蔣石古紀姚連馮歐程湯田康姜白汪鄒尤巫鐘黎"
        "涂龔嚴韓袁金童陸夏柳邵錢伍倪溫于譚駱熊任甘秦顧毛章史官萬俞雷粘饒司諸上歐陈刘杨郑谢赵"
        "黄张吴许邓萧罗钟卢苏叶庄吕蒋孙钱冯韩龚严袁陆马汤邹顾谭贺龙韦万乔贾夏段郝孔邵毛邱雷"
        "佐鈴高田中山伊渡斎加吉松井木森池橋石清前藤岡長闕褚嚴岳祁祝聶易廉樊閻楚鮑";
    /* nicknames: 阿哲, 小草, 老王 (never four characters) */
    static const char nick[] = "阿小老";
    int32_t n;
    cp_in(b, e, &n);
    if (n <= 0)
        return false;
    char first[8];
    memcpy(first, b, (size_t)n);
    first[n] = '\0';
    if (strstr(surnames, first))
        return true;
    return han <= 3 && strstr(nick, first) != NULL;
}

/* One name: "Alice Wu", "王小明", "王小明 Ming", "Dan", "c9s", "@tkng",
 * "金민수", "山田 太郎". */
static bool looks_like_one_name_shape(const char *b, const char *e, bool lenient)
{
    b = name_begin(b, e);
    e = name_end(b, e);
    if (e <= b || e - b > 60)
        return false;
    size_t han, latin, digit, other;
    size_t all = count_cps(b, e, &han, &latin, &digit, &other);
    (void)all;
    /* Sentence punctuation or markup never stands in a name. */
    for (const char *p = b; p < e; p++)
        if (strchr("?!:;\"=<>{}|#*`~$%^+", *p))
            return false;
    size_t words = 0;
    bool lower_word = false, title_word = false;
    const char *p = b;
    while (p < e) {
        p = skip_sp_to(p, e);
        if (p >= e)
            break;
        const char *w = p;
        while (p < e) {
            int32_t n;
            UChar32 c = cp_at(p, &n);
            if (n <= 0 || is_space_cp(c))
                break;
            p += n;
        }
        words++;
        if (w < p && *w >= 'a' && *w <= 'z' && !is_particle(w, p))
            lower_word = true;
        if (is_title_word(w, p) || is_title_han_word(w, p) || is_function_word(w, p))
            title_word = true;
    }
    if (title_word || words == 0)
        return false;
    if (han >= 3 && words == 1 && !han_name_start(b, e, han))
        return false; /* "實際案例", "資料科學": words, not a person */
    if (han > 0) {
        /* Han names are two to four characters, maybe with a Latin nickname. */
        size_t han_run_max = han; /* names rarely hold more than 4 Han */
        if (han_run_max > 4 && !(han <= 6 && words >= 2))
            return false;
        if (han == 1 && latin == 0)
            return false;
        return words <= 3 && other <= 2;
    }
    if (other > 4)
        return false;
    /* Hangul, kana and other scripts: short. */
    if (latin == 0)
        return other >= 2 && other <= 8 && words <= 3;
    if (words > 4 || digit > 3)
        return false;
    if (words == 1)
        return lenient || (latin >= 2 && !lower_word);
    return !lower_word;
}

/* A name's shape, then (dearer) that it is no day, room or section. */
static bool looks_like_one_name(const char *b, const char *e, bool lenient)
{
    if (!looks_like_one_name_shape(b, e, lenient))
        return false;
    b = name_begin(b, e);
    e = name_end(b, e);
    /* "Sat", "June 5", "R1": context, not people. */
    {
        char buf[64];
        size_t n = (size_t)(e - b);
        if (n < sizeof buf) {
            memcpy(buf, b, n);
            buf[n] = '\0';
            cs_rec_context_t c;
            if (cs_rec_context(buf, &c) || cs_rec_is_section_name(buf))
                return false;
        }
    }
    return true;
}

typedef struct {
    const char *b, *e;
} span_t;

/* Cuts a speaker group into its names: on the separators of name_sep_at,
 * never inside parentheses (an affiliation may hold commas), and without
 * what follows a "/" when it reads as an affiliation ("Name (Nick) /
 * Company").  Returns how many there are; the first max are stored. */
static size_t name_segments(const char *s, size_t len, span_t *out, size_t max)
{
    const char *e = s + len, *seg = s, *p = s;
    size_t n = 0;
    bool after_slash = false;
    while (p <= e) {
        size_t sep = p < e ? name_sep_at(p, s) : 0;
        if (p < e && sep == 0) {
            if (*p == '(' || eat_lit(p, "（")) {
                const char *close = NULL;
                for (const char *q = p; q < e; q++)
                    if (*q == ')' || eat_lit(q, "）")) {
                        close = q;
                        break;
                    }
                if (close) {
                    p = close + (*close == ')' ? 1 : 3);
                    continue;
                }
            }
            int32_t k;
            cp_in(p, e, &k);
            p += k > 0 ? k : 1;
            continue;
        }
        const char *b = skip_sp_to(seg, p), *t = trim_end_ptr(b, p);
        if (t > b && !(after_slash && is_affiliation(b, t))) {
            if (n < max)
                out[n] = (span_t){b, t};
            n++;
        }
        if (p == e)
            break;
        after_slash = *p == '/' || eat_lit(p, "／") || eat_lit(skip_sp_to(p, e), "/");
        p += sep;
        seg = p;
    }
    return n;
}

bool cs_rec_looks_like_names(const char *s, size_t len)
{
    span_t segs[16];
    size_t n = name_segments(s, len, segs, 16);
    if (n == 0 || n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!looks_like_one_name(segs[i].b, segs[i].e, n > 1))
            return false;
    return true;
}

size_t cs_rec_split_speakers(const char *group, char **names, size_t max)
{
    span_t segs[64];
    size_t n = name_segments(group, strlen(group), segs, 64), stored = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *b = name_begin(segs[i].b, segs[i].e);
        const char *ne = name_end(b, segs[i].e);
        if (ne <= b)
            continue;
        if (stored < max) {
            names[stored] = dup_range(b, ne);
            if (!names[stored])
                return SIZE_MAX;
            stored++;
        }
    }
    return n;
}

/* ---- titles with speakers ------------------------------------------------ */

static const char *strip_list_number(const char *p)
{
    const char *q = p;
    int v;
    size_t n = eat_digits(q, &v);
    if (n > 0 && n <= 2) {
        q += n;
        size_t k;
        if (*q == '.' || *q == ')')
            k = 1;
        else
            k = eat_lit(q, "、");
        if (k && (q[k] == ' ' || (unsigned char)q[k] >= 0x80))
            return skip_sp(q + k);
    }
    return p;
}

/* A label before a title that is neither title nor speaker: "Talk:",
 * "Session 2:", "議程一：", "講題：", "[tw]" (a language tag). */
static const char *strip_label(const char *p)
{
    static const char *const labels[] = {"talk", "session", "topic", "title", "議程", "講題",
                                         "主題", "題目", "場次", "第"};
    if (*p == '[' && is_alpha(p[1]) && is_alpha(p[2]) && p[3] == ']')
        return skip_sp(p + 4); /* "[tw]", "[en]" */
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t n = (unsigned char)labels[i][0] < 0x80 ? eat_ci(p, labels[i], false)
                                                      : eat_lit(p, labels[i]);
        if (!n || (is_alpha(labels[i][0]) && is_alpha(p[n])))
            continue;
        const char *q = skip_sp(p + n);
        int v;
        size_t d = eat_digits(q, &v);
        if (!d)
            d = eat_han_number(q, &v);
        q = skip_sp(q + d);
        if (strcmp(labels[i], "第") == 0) {
            if (!d)
                continue;
            size_t k = eat_lit(q, "場");
            if (!k)
                k = eat_lit(q, "個");
            if (!k)
                continue;
            q = skip_sp(q + k);
        }
        size_t c = eat_colon(q);
        if (c && *skip_sp(q + c))
            return skip_sp(q + c);
    }
    return p;
}

/* Emoji and bullets people put before titles ("🔸", "▶", "★"). */
static const char *skip_symbols(const char *p)
{
    for (;;) {
        int32_t n;
        UChar32 c = cp_at(p, &n);
        if (n <= 0)
            return p;
        int8_t t = u_charType(c);
        if (c >= 0x80 && (t == U_OTHER_SYMBOL || t == U_MATH_SYMBOL || c == 0xFE0F || c == 0x200D))
            p = skip_sp(p + n);
        else
            return p;
    }
}

void cs_rec_clean_title(char *title)
{
    const char *b = strip_label(strip_list_number(skip_symbols(skip_sp(title))));
    const char *e = trim_end_ptr(b, b + strlen(b));
    static const char *const pairs[][2] = {{"「", "」"}, {"『", "』"}, {"“", "”"}, {"\"", "\""},
                                           {"《", "》"}, {"【", "】"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        size_t o = strlen(pairs[i][0]), c = strlen(pairs[i][1]);
        if ((size_t)(e - b) > o + c && eat_lit(b, pairs[i][0]) && ends_with(b, e, pairs[i][1])) {
            /* only when the quotes wrap the whole title, not two quoted parts */
            const char *inner_close = strstr(b + o, pairs[i][1]);
            if (inner_close == e - c) {
                b += o;
                e -= c;
            }
            break;
        }
    }
    b = skip_sp_to(b, e);
    e = trim_end_ptr(b, e);
    size_t n = (size_t)(e - b);
    memmove(title, b, n);
    title[n] = '\0';
}

/* Sets *title and *speakers from [tb, te) and [sb, se). */
static bool take_split(const char *tb, const char *te, const char *sb, const char *se,
                       char **title, char **speakers)
{
    tb = skip_sp_to(tb, te);
    te = trim_end_ptr(tb, te);
    sb = skip_sp_to(sb, se);
    se = trim_end_ptr(sb, se);
    if (te <= tb || se <= sb)
        return false;
    *title = dup_range(tb, te);
    *speakers = dup_range(sb, se);
    if (!*title || !*speakers) {
        free(*title);
        free(*speakers);
        *title = *speakers = NULL;
        return false;
    }
    cs_rec_clean_title(*title);
    return **title != '\0';
}

static const char *const dash_seps[] = {" - ", " — ", " – ", " ─ ", " －", "／", " | ", "｜",
                                        "——", " -- ", "—", " / "};

static const char *find_last(const char *b, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    const char *last = NULL;
    for (const char *p = b; p + n <= e; p++)
        if (memcmp(p, lit, n) == 0)
            last = p;
    return last;
}

static const char *find_first(const char *b, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    for (const char *p = b; p + n <= e; p++)
        if (memcmp(p, lit, n) == 0)
            return p;
    return NULL;
}

static const char *find_ci(const char *b, const char *e, const char *lit, bool last)
{
    size_t n = strlen(lit);
    const char *found = NULL;
    for (const char *p = b; p + n <= e; p++)
        if (eat_ci(p, lit, false) == n) {
            found = p;
            if (!last)
                break;
        }
    return found;
}

/* True when p stands inside a parenthesised group that opened after b. */
static bool inside_parens(const char *b, const char *p)
{
    int depth = 0;
    for (const char *q = b; q < p; q++) {
        if (*q == '(' || eat_lit(q, "（"))
            depth++;
        else if ((*q == ')' || eat_lit(q, "）")) && depth > 0)
            depth--;
    }
    return depth > 0;
}

bool cs_rec_title_speakers(const char *s, char **title, char **speakers)
{
    *title = *speakers = NULL;
    const char *b = strip_label(strip_list_number(skip_sp(s)));
    const char *e = trim_end_ptr(b, b + strlen(b));
    if (e <= b)
        return false;

    /* 「Title」 by Speaker, 「Title」 - Speaker, 《Title》Speaker */
    static const char *const quotes[][2] = {{"「", "」"}, {"『", "』"}, {"《", "》"}, {"“", "”"}};
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        if (!eat_lit(b, quotes[i][0]))
            continue;
        const char *close = find_first(b, e, quotes[i][1]);
        if (!close)
            break;
        const char *r = skip_sp_to(close + strlen(quotes[i][1]), e);
        size_t k = eat_ci(r, "by", true);
        if (!k) {
            for (size_t j = 0; j < sizeof dash_seps / sizeof dash_seps[0] && !k; j++) {
                const char *sep = dash_seps[j];
                while (*sep == ' ')
                    sep++;
                k = eat_lit(r, sep);
            }
        }
        if (!k)
            k = eat_colon(r);
        const char *sb = skip_sp_to(r + k, e);
        if (sb < e && cs_rec_looks_like_names(sb, (size_t)(e - sb)))
            return take_split(b + strlen(quotes[i][0]), close, sb, e, title, speakers);
        break;
    }

    /* Title by Speaker */
    const char *by = find_ci(b, e, " by ", true);
    if (by && cs_rec_looks_like_names(skip_sp_to(by + 4, e), (size_t)(e - skip_sp_to(by + 4, e))))
        return take_split(b, by, by + 4, e, title, speakers);

    /* Title - Speaker (the last dash outside parentheses) */
    for (size_t i = 0; i < sizeof dash_seps / sizeof dash_seps[0]; i++) {
        const char *last = find_last(b, e, dash_seps[i]);
        if (!last || inside_parens(b, last))
            continue;
        const char *sb = skip_sp_to(last + strlen(dash_seps[i]), e);
        if (cs_rec_looks_like_names(sb, (size_t)(e - sb)))
            return take_split(b, last, sb, e, title, speakers);
    }

    /* Title (Speaker) */
    const char *open, *in_b, *in_e;
    if (cs_rec_last_group(b, e, &open, &in_b, &in_e) && open > b) {
        const char *ib = skip_sp_to(in_b, in_e), *ie = trim_end_ptr(ib, in_e);
        if (ie > ib && cs_rec_looks_like_names(ib, (size_t)(ie - ib)))
            return take_split(b, open, ib, ie, title, speakers);
    }

    /* Speaker: Title */
    for (const char *p = b; p < e; p++) {
        size_t c = eat_colon(p);
        if (!c)
            continue;
        if (p > b && cs_rec_looks_like_names(b, (size_t)(trim_end_ptr(b, p) - b)) &&
            skip_sp_to(p + c, e) < e)
            return take_split(p + c, e, b, p, title, speakers);
        break;
    }

    /* Speaker - Title (the first dash) */
    for (size_t i = 0; i < sizeof dash_seps / sizeof dash_seps[0]; i++) {
        const char *first = find_first(b, e, dash_seps[i]);
        if (!first || inside_parens(b, first))
            continue;
        if (cs_rec_looks_like_names(b, (size_t)(trim_end_ptr(b, first) - b)) &&
            skip_sp_to(first + strlen(dash_seps[i]), e) < e)
            return take_split(first + strlen(dash_seps[i]), e, b, first, title, speakers);
    }
    *title = dup_range(b, e);
    if (*title)
        cs_rec_clean_title(*title);
    return false;
}

char *cs_rec_speaker_line(const char *s)
{
    const char *p = skip_sp(s);
    if ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' ')
        p = skip_sp(p + 2);
    if (eat_lit(p, "**"))
        p += 2;
    static const char *const keys[] = {"speakers", "speaker", "presenters", "presenter",
                                       "講者們",   "講者",    "主講人",     "主講",
                                       "講師",     "分享者",  "演講者",     "分享人",
                                       "發表人",   "讲者",    "演讲者",     "발표자",
                                       "연사",     "登壇者",  "スピーカー", "by"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t n = (unsigned char)keys[i][0] < 0x80 ? eat_ci(p, keys[i], true) : eat_lit(p, keys[i]);
        if (!n)
            continue;
        const char *q = p + n;
        if (eat_lit(q, "**"))
            q += 2;
        q = skip_sp(q);
        size_t c = eat_colon(q);
        if (!c && *q == '-' && q[1] == ' ')
            c = 1;
        if (!c && strcmp(keys[i], "by") != 0)
            return NULL;
        q = skip_sp(q + c);
        if (eat_lit(q, "**"))
            q = skip_sp(q + 2);
        const char *e = trim_end_ptr(q, q + strlen(q));
        if (e - q >= 2 && ends_with(q, e, "**"))
            e = trim_end_ptr(q, e - 2);
        if (e <= q || !cs_rec_looks_like_names(q, (size_t)(e - q)))
            return NULL;
        return dup_range(q, e);
    }
    return NULL;
}

/* ---- section names ------------------------------------------------------- */

/* s folded for comparison: ASCII lower case, spaces, emoji, markup and
 * trailing punctuation dropped. */
static void fold_name(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = s; *p && o + 4 < cap;) {
        int32_t n;
        UChar32 c = cp_at(p, &n);
        if (n <= 0)
            break;
        bool keep = !is_space_cp(c) && c != ':' && c != 0xFF1A && c != '*' && c != '#' &&
                    c != '.' && c != '!' && c != 0x3002 && c != '-' && c != '_' &&
                    !(c >= 0x1F000 && c <= 0x1FAFF) && !(c >= 0x2600 && c <= 0x27BF) &&
                    !(c >= '0' && c <= '9' && o == 0);
        if (keep) {
            for (int32_t i = 0; i < n; i++)
                out[o++] = lower(p[i]);
        }
        p += n;
    }
    out[o] = '\0';
}

static bool in_list(const char *folded, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (folded[0] == list[i][0] && strcmp(folded, list[i]) == 0)
            return true;
    return false;
}

/* Programme slots that are not talks, wherever they stand in a short
 * line: "午餐時間", "報到、領取識別證", "Coffee break & networking". */
static const char *const slot_words[] = {
        "午餐", "午休", "休息", "茶敘", "報到", "合照", "交流時間", "用餐", "晚宴", "閉幕",
        "開幕式", "休憩", "昼食", "受付", "懇親会", "開会", "閉会", "オープニング",
        "クロージング", "점심", "휴식", "등록", "개회", "폐회", "lunch", "coffee", "break",
        "registration", "check-in", "networking", "dinner", "group photo", "午饭",
        "签到", "茶歇", "ランチ", "お昼", "休み", "점심시간", "휴게"};

bool cs_rec_is_section_name(const char *s)
{
    static const char *const names[] = {
        "q&a", "qa", "q/a", "qna", "questions", "question", "問答", "提問", "問與答", "qa時間",
        "問答時間", "q&a時間", "參考資料", "參考", "參考連結", "相關連結", "相關資料", "延伸閱讀",
        "reference", "references", "resources", "resource", "slides", "slide", "投影片", "簡報",
        "slides&video", "links", "link", "連結", "lunch", "午餐", "午休", "break", "休息",
        "茶敘", "coffeebreak", "teabreak", "breaks", "筆記", "notes", "note", "toc", "目錄",
        "agenda", "議程", "議程表", "開場", "opening", "大綱", "outline", "summary", "總結",
        "心得", "結論", "conclusion", "conclusions", "intro", "introduction", "介紹", "簡介",
        "前言", "demo", "範例", "問題", "討論", "discussion", "共筆", "hackmd", "其他", "misc",
        "備註", "報到", "registration", "closing", "閉幕", "合照", "groupphoto", "公告",
        "announcements", "announcement", "sponsor", "sponsors", "贊助", "video", "videos",
        "影片", "錄影", "講者介紹", "aboutthespeaker", "aboutspeaker", "speaker", "speakers",
        "講者", "schedule", "timetable", "待補", "tbd", "todo", "內容", "content", "contents",
        "重點", "keypoints", "takeaways", "takeaway", "感想", "摘要", "abstract", "簡述",
        "description", "主題", "overview", "概要", "背景", "background", "motivation", "動機",
        "tableofcontents", "共筆區", "議程共筆", "相關資源", "資源", "qa/討論", "q&a/討論",
        "wifi", "wi-fi", "交通", "場地", "venue", "contact", "聯絡", "faq", "常見問題",
        "code", "程式碼", "github", "repo", "source", "原始碼", "example", "examples",
        "結語", "後記", "afterword", "preface", "序", "目標", "goals", "goal", "agenda&notes",
        "備忘", "memo", "補充", "附錄", "appendix", "bio", "speakerbio", "講者簡介", "講者資訊",
        "date", "time", "location", "place", "where", "when", "日期", "時間", "地點", "地点",
        "actionitems", "action", "決議", "待辦", "出席", "attendees", "participants", "會議記錄",
        "meetingnotes", "minutes", "本週進度", "進度", "readinglist", "書單", "about", "關於",
        "info", "information", "活動資訊", "資訊", "details", "event", "news", "更新", "changelog"};
    char f[128];
    fold_name(s, f, sizeof f);
    if (!f[0])
        return true;
    if (in_list(f, names, sizeof names / sizeof names[0]))
        return true;
    return cs_rec_is_programme_break(s);
}

/* lit (ASCII, lower case) stands in s as a word of its own. */
static bool has_word_ci(const char *s, const char *lit)
{
    size_t n = strlen(lit);
    for (const char *p = s; *p; p++) {
        if ((p > s && (is_alpha(p[-1]) || is_digit(p[-1]))) || eat_ci(p, lit, true) != n)
            continue;
        return true;
    }
    return false;
}

bool cs_rec_is_programme_break(const char *s)
{
    char f[128];
    fold_name(s, f, sizeof f);
    if (strlen(f) > 30)
        return false;
    for (size_t i = 0; i < sizeof slot_words / sizeof slot_words[0]; i++) {
        const char *w = slot_words[i];
        /* "Lunch", "Coffee break", but not "Breaking changes" */
        if ((unsigned char)w[0] < 0x80 ? has_word_ci(s, w) : strstr(f, w) != NULL)
            return true;
    }
    return false;
}

bool cs_rec_is_agenda_name(const char *s)
{
    static const char *const names[] = {
        "議程", "議程表", "agenda", "schedule", "program", "programme", "共筆", "notes",
        "議程共筆", "talks", "sessions", "講題", "timetable", "時程", "時間表", "場次", "共筆區",
        "共筆連結", "各場次共筆", "議程與共筆", "sessionnotes", "talknotes", "notesindex",
        "共筆索引", "所有共筆", "議程列表", "演講列表", "talklist"};
    char f[128];
    fold_name(s, f, sizeof f);
    return in_list(f, names, sizeof names / sizeof names[0]);
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

/* ---- field lines --------------------------------------------------------- */

typedef enum { FIELD_NONE, FIELD_TIME, FIELD_ROOM, FIELD_DATE, FIELD_SPEAKER } field_t;

static field_t field_key(const char *k, size_t n)
{
    static const struct {
        const char *key;
        field_t field;
    } keys[] = {
        {"time", FIELD_TIME},       {"時間", FIELD_TIME},     {"时间", FIELD_TIME},
        {"時段", FIELD_TIME},       {"시간", FIELD_TIME},     {"時刻", FIELD_TIME},
        {"when", FIELD_TIME},       {"room", FIELD_ROOM},     {"地點", FIELD_ROOM},
        {"地点", FIELD_ROOM},       {"場地", FIELD_ROOM},     {"教室", FIELD_ROOM},
        {"會議室", FIELD_ROOM},     {"location", FIELD_ROOM}, {"venue", FIELD_ROOM},
        {"장소", FIELD_ROOM},       {"会場", FIELD_ROOM},     {"部屋", FIELD_ROOM},
        {"where", FIELD_ROOM},      {"date", FIELD_DATE},     {"日期", FIELD_DATE},
        {"날짜", FIELD_DATE},       {"日付", FIELD_DATE},     {"日時", FIELD_DATE},
        {"speaker", FIELD_SPEAKER}, {"speakers", FIELD_SPEAKER}, {"講者", FIELD_SPEAKER},
        {"主講", FIELD_SPEAKER},    {"主講人", FIELD_SPEAKER}, {"講師", FIELD_SPEAKER},
        {"分享者", FIELD_SPEAKER},  {"演講者", FIELD_SPEAKER}, {"讲者", FIELD_SPEAKER},
        {"발표자", FIELD_SPEAKER},  {"연사", FIELD_SPEAKER},  {"登壇者", FIELD_SPEAKER},
        {"スピーカー", FIELD_SPEAKER}, {"presenter", FIELD_SPEAKER}, {"講演者", FIELD_SPEAKER}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].key) == n && eat_ci(k, keys[i].key, false) == n)
            return keys[i].field;
    return FIELD_NONE;
}

/* One "key: value" part [b, e). */
static bool read_field(const char *b, const char *e, cs_rec_fields_t *out)
{
    b = skip_sp_to(b, e);
    if (e - b >= 2 && (*b == '-' || *b == '*' || *b == '+') && b[1] == ' ')
        b = skip_sp_to(b + 2, e);
    const char *k = b;
    {
        /* a time leads: "9:20 AM, main hall" has a colon of its own */
        char t1[6], t2[6];
        if (cs_rec_time(b, t1, t2))
            k = b;
        else
            while (k < e && *k != ':' && !eat_lit(k, "："))
                k++;
    }
    if (k == e)
        return false;
    field_t f = field_key(b, (size_t)(trim_end_ptr(b, k) - b));
    if (f == FIELD_NONE) {
        /* "- 9:20 AM, main hall": a time and a place without keys */
        char t1[6], t2[6];
        size_t t = cs_rec_time(b, t1, t2);
        const char *r = skip_sp_to(b + t, e);
        if (t && r == e) {
            /* "- 10:15 AM": the time alone */
            memcpy(out->time, t1, 6);
            memcpy(out->end_time, t2, 6);
            return true;
        }
        if (!t || r == e || *r != ',')
            return false;
        r = skip_sp_to(r + 1, e);
        const char *re = trim_end_ptr(r, e);
        if (re <= r || re - r > 24)
            return false;
        memcpy(out->time, t1, 6);
        memcpy(out->end_time, t2, 6);
        size_t n = (size_t)(re - r) < sizeof out->room ? (size_t)(re - r) : sizeof out->room - 1;
        memcpy(out->room, r, n);
        out->room[n] = '\0';
        return true;
    }
    const char *v = skip_sp_to(k + (*k == ':' ? 1 : 3), e);
    const char *ve = trim_end_ptr(v, e);
    if (ve <= v || ve - v >= 200)
        return false;
    char buf[200];
    memcpy(buf, v, (size_t)(ve - v));
    buf[ve - v] = '\0';
    const char *p = buf;
    switch (f) {
    case FIELD_DATE: {
        size_t n = cs_rec_date(p, &out->date);
        if (!n)
            return false;
        /* "日時: 2021/07/31 14:00-14:30" */
        const char *q = skip_sp(p + n);
        q += cs_rec_weekday(q);
        q = skip_sp(q);
        if (cs_rec_time(q, out->time, out->end_time) == 0)
            out->time[0] = out->end_time[0] = '\0';
        return true;
    }
    case FIELD_TIME: {
        cs_rec_date_t d;
        size_t n = cs_rec_date(p, &d);
        if (n) {
            out->date = d;
            p = skip_sp(p + n);
            p = skip_sp(p + cs_rec_weekday(p));
        }
        size_t t = cs_rec_time(p, out->time, out->end_time);
        /* "Time: 10:50 AM, Room 26A" */
        const char *r = skip_sp(p + t);
        if (t && *r == ',' && !out->room[0])
            snprintf(out->room, sizeof out->room, "%s", skip_sp(r + 1));
        return t > 0 || n > 0;
    }
    case FIELD_ROOM:
        snprintf(out->room, sizeof out->room, "%s", p);
        return true;
    case FIELD_SPEAKER:
        if (!cs_rec_looks_like_names(p, strlen(p)))
            return false;
        free(out->speakers);
        out->speakers = strdup(p);
        return out->speakers != NULL;
    case FIELD_NONE: break;
    }
    return false;
}

bool cs_rec_fields(const char *s, cs_rec_fields_t *out)
{
    memset(out, 0, sizeof *out);
    bool any = false;
    const char *p = s, *e = s + strlen(s);
    while (p < e) {
        const char *q = p;
        while (q < e && *q != '|' && !eat_lit(q, "｜"))
            q++;
        any |= read_field(p, q, out);
        if (q == e)
            break;
        p = q + (*q == '|' ? 1 : 3);
    }
    return any;
}

bool cs_rec_is_lightning(const char *s)
{
    static const char *const names[] = {"lightningtalks", "lightningtalk", "lt", "lts",
                                        "閃電講", "閃電秀", "閃電講lightningtalks",
                                        "閃電秀lightningtalks", "ライトニングトーク",
                                        "라이트닝토크", "闪电演讲", "闪电秀", "5分鐘閃電講"};
    char f[128];
    fold_name(s, f, sizeof f);
    return in_list(f, names, sizeof names / sizeof names[0]);
}
