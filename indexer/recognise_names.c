/* recognise_names.c: who and what: people's names and speaker groups
 * (separators, affiliations, romanised names), titles and their
 * "title + speakers" shapes, and speaker lines ("講者：Name"). */
#include "recognise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recognise_scan.h"

/* ---- names and speakers -------------------------------------------------- */

static size_t name_sep_at(const char *p, const char *b)
{
    static const char *const seps[] = {" & ", "&",  "、", "，", ",",  " and ", " 和 ", "與",
                                       "/",   "／", "＆", ";",  "；", " x ",   "×"};
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
    static const char *const words[] = {"is",   "not", "of",      "for",   "with",   "in",  "on",
                                        "to",   "and", "my",      "your",  "our",    "vs",  "from",
                                        "into", "at",  "without", "using", "beyond", "are", "be",
                                        "can",  "you", "we",      "it",    "its",    "this"};
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && eat_ci(b, words[i], false) == n)
            return true;
    return false;
}

/* Words that start titles and section names, never names. */
static bool is_title_word(const char *b, const char *e)
{
    static const char *const words[] = {"keynote",
                                        "lightning",
                                        "lightning talk",
                                        "lightning talks",
                                        "workshop",
                                        "panel",
                                        "tutorial",
                                        "talk",
                                        "session",
                                        "opening",
                                        "closing",
                                        "part",
                                        "q&a",
                                        "intro",
                                        "introduction",
                                        "day",
                                        "room",
                                        "track",
                                        "demo",
                                        "setup",
                                        "summary",
                                        "overview",
                                        "conclusion",
                                        "basics",
                                        "advanced",
                                        "recap",
                                        "notes",
                                        "slides",
                                        "discussion",
                                        "break",
                                        "lunch",
                                        "agenda",
                                        "schedule",
                                        "video",
                                        "chapter",
                                        "step",
                                        "section",
                                        "background",
                                        "motivation",
                                        "problem",
                                        "solution",
                                        "result",
                                        "results",
                                        "future work",
                                        "references",
                                        "links",
                                        "bof",
                                        "sponsor",
                                        "sponsor talk",
                                        "poster",
                                        "panel discussion",
                                        "welcome",
                                        "announcement",
                                        "announcements",
                                        "keynote speech",
                                        "invited talk",
                                        "note",
                                        "update",
                                        "tips",
                                        "example",
                                        "examples",
                                        "why",
                                        "how",
                                        "what",
                                        "the",
                                        "a",
                                        "an",
                                        "python",
                                        "rust",
                                        "go",
                                        "java",
                                        "javascript",
                                        "ruby",
                                        "docker",
                                        "kubernetes",
                                        "linux",
                                        "ai",
                                        "ml",
                                        "llm",
                                        "api",
                                        "web",
                                        "data",
                                        "security",
                                        "testing",
                                        "performance",
                                        "architecture",
                                        "design",
                                        "community",
                                        "open source",
                                        "case study",
                                        "experience",
                                        "hands-on",
                                        "live coding",
                                        "unconference",
                                        "open space",
                                        "tbd",
                                        "tba",
                                        "tbc",
                                        "todo",
                                        "session a",
                                        "session b"};
    size_t n = (size_t)(e - b);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && eat_ci(b, words[i], false) == n)
            return true;
    return false;
}

static bool is_title_han_word(const char *b, const char *e)
{
    static const char *const words[] = {"키노트",
                                        "기조연설",
                                        "기조 연설",
                                        "라이트닝 토크",
                                        "라이트닝토크",
                                        "발표",
                                        "세션",
                                        "基調講演",
                                        "招待講演",
                                        "特別講演",
                                        "ライトニングトーク",
                                        "基调演讲",
                                        "主题演讲",
                                        "閃電講",
                                        "閃電秀",
                                        "專題演講",
                                        "主題演講",
                                        "開放議程",
                                        "議程",
                                        "講題",
                                        "主題",
                                        "共筆",
                                        "筆記",
                                        "議程",
                                        "開場",
                                        "簡介",
                                        "介紹",
                                        "問答",
                                        "心得",
                                        "總結",
                                        "結論",
                                        "休息",
                                        "午餐",
                                        "報到",
                                        "閉幕",
                                        "致詞",
                                        "議題",
                                        "實作",
                                        "範例",
                                        "演講",
                                        "分享",
                                        "講者",
                                        "主持",
                                        "專題",
                                        "論壇",
                                        "座談",
                                        "工作坊",
                                        "閃電秀",
                                        "閃電講",
                                        "開幕",
                                        "主題演講",
                                        "茶敘",
                                        "合照",
                                        "投影片",
                                        "簡報",
                                        "影片",
                                        "連結",
                                        "參考",
                                        "資料",
                                        "目錄",
                                        "大綱",
                                        "前言",
                                        "結語",
                                        "問題",
                                        "討論",
                                        "示範",
                                        "展示",
                                        "未定",
                                        "待定",
                                        "其他",
                                        "公告",
                                        "活動",
                                        "贊助",
                                        "攤位",
                                        "交流",
                                        "現場",
                                        "線上",
                                        "直播",
                                        "重點",
                                        "摘要",
                                        "心得分享",
                                        "經驗",
                                        "架構",
                                        "效能",
                                        "測試",
                                        "安全",
                                        "社群",
                                        "開源",
                                        "教學",
                                        "入門",
                                        "進階",
                                        "實戰",
                                        "案例",
                                        "應用",
                                        "工具",
                                        "資料科學"};
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
        "公司",         "科技",       "大學",       "大学",     "學院",      "学院",    "實驗室",
        "研究院",       "研究所",     "銀行",       "集團",     "工作室",    "協會",    "基金會",
        "政府",         "學校",       "高中",       "支付",     "資訊",      "遊戲",    "網路",
        "電信",         "辦公室",     "自由工作者", "工程師",   "經理",      "顧問",    "創辦人",
        "研究員",       "教授",       "學生",       "講師",     "設計師",    "架構師",  "技術長",
        "執行長",       "主管",       "負責人",     "株式会社", "大学",      "회사",    "대학교",
        "雲端",         "數位",       "軟體",       "系統",     "媒體",      "實業",    "電子",
        "新創",         "智慧",       "股份",       " Inc",     " Ltd",      " Corp",   " LLC",
        " Co.",         "University", " Lab",       "Engineer", "Developer", "Manager", "Coach",
        "Scrum Master", "CTO",        "CEO",        "Founder",  "Architect", "SRE",     "Designer",
        "Consultant",   "Researcher", "Professor",  "Student",  "Freelance", "Lead",    "Head of",
        "Director",     "Evangelist", "Advocate"};
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
    static const char *const words[] = {"van",   "von", "de", "der", "den", "da",  "di", "bin",
                                        "binti", "la",  "le", "du",  "dos", "del", "al", "ibn"};
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
    size_t n = name_segments(group, strlen(group), segs, 64), stored = 0, named = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *b = name_begin(segs[i].b, segs[i].e);
        const char *ne = name_end(b, segs[i].e);
        if (ne <= b)
            continue; /* ",," or an affiliation alone: no name */
        named++;
        if (stored < max) {
            names[stored] = dup_range(b, ne);
            if (!names[stored])
                return SIZE_MAX;
            stored++;
        }
    }
    /* The names, not the segments: a caller takes min(named, max) as how
     * many are stored, and ",,," counted empty segments that were not
     * (an iCalendar description's list of commas read garbage pointers). */
    return named;
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
    static const char *const labels[] = {"talk", "session", "topic", "title", "議程",
                                         "講題", "主題",    "題目",  "場次",  "第"};
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
    static const char *const pairs[][2] = {{"「", "」"}, {"『", "』"}, {"“", "”"},
                                           {"\"", "\""}, {"《", "》"}, {"【", "】"}};
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
static bool take_split(const char *tb, const char *te, const char *sb, const char *se, char **title,
                       char **speakers)
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

static const char *const dash_seps[] = {" - ", " — ", " – ", " ─ ",  " －", "／",
                                        " | ", "｜",  "——",  " -- ", "—",   " / "};

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
    static const char *const keys[] = {"speakers", "speaker", "presenters", "presenter",  "講者們",
                                       "講者",     "主講人",  "主講",       "講師",       "分享者",
                                       "演講者",   "分享人",  "發表人",     "讲者",       "演讲者",
                                       "발표자",   "연사",    "登壇者",     "スピーカー", "by"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t n =
            (unsigned char)keys[i][0] < 0x80 ? eat_ci(p, keys[i], true) : eat_lit(p, keys[i]);
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
