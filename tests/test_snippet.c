/* test_snippet.c: the highlighter against the real analysis and stemmer,
 * asserting what must be marked and what must not, and pushing every byte
 * through the HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unicode/utf8.h>

#include "snippet.h"

static cs_analyzer_t *analyzer;
static xc_stemmer_t *stemmer;

static int setup(void **state)
{
    (void)state;
    char *err = NULL;
    if (cs_analyzer_create(&analyzer, &err) != CS_OK) {
        fprintf(stderr, "analyzer: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    if (xc_stemmer_create("english", &stemmer, &err) != XC_OK) {
        fprintf(stderr, "stemmer: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xc_stemmer_destroy(stemmer);
    cs_analyzer_destroy(analyzer);
    return 0;
}

/* A highlighter for query (NULL: none added); is_prefix as in the API. */
static cs_highlighter_t *highlighter(const char *query, int is_prefix)
{
    cs_highlighter_t *h = NULL;
    assert_int_equal(cs_highlighter_create(analyzer, stemmer, &h), CS_OK);
    assert_non_null(h);
    if (query)
        assert_int_equal(cs_highlighter_add(h, query, strlen(query), is_prefix), CS_OK);
    return h;
}

static bool valid_utf8(const char *s)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(u, i, len, c);
        if (c < 0)
            return false;
    }
    return true;
}

/* Code points a reader sees: tags dropped, each entity one character. */
static size_t visible_chars(const char *s)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t len = strlen(s), n = 0;
    for (size_t i = 0; i < len;) {
        if (strncmp(s + i, "<mark>", 6) == 0) {
            i += 6;
            continue;
        }
        if (strncmp(s + i, "</mark>", 7) == 0) {
            i += 7;
            continue;
        }
        if (s[i] == '&') {
            const char *semi = strchr(s + i, ';');
            assert_non_null(semi);
            i = (size_t)(semi - s) + 1;
            n++;
            continue;
        }
        UChar32 c;
        U8_NEXT(u, i, len, c);
        n++;
    }
    return n;
}

/* The only markup is <mark> and </mark>; every & starts an entity of ours;
 * no quote is left raw; the result is valid UTF-8. */
static void assert_safe_html(const char *s)
{
    assert_true(valid_utf8(s));
    for (const char *p = s; *p; p++) {
        if (*p == '<') {
            assert_true(strncmp(p, "<mark>", 6) == 0 || strncmp(p, "</mark>", 7) == 0);
        } else if (*p == '>') {
            assert_true((p - s >= 5 && strncmp(p - 5, "<mark>", 6) == 0) ||
                        (p - s >= 6 && strncmp(p - 6, "</mark>", 7) == 0));
        } else if (*p == '&') {
            assert_true(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 ||
                        strncmp(p, "&gt;", 4) == 0 || strncmp(p, "&quot;", 6) == 0 ||
                        strncmp(p, "&#39;", 5) == 0);
        } else {
            assert_true(*p != '"' && *p != '\'');
        }
    }
}

/* A plain scan: strstr in a loop is quadratic under ASan, whose strstr
 * measures the whole haystack on every call. */
static size_t count_marks(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += strncmp(p, "<mark>", 6) == 0;
    return n;
}

/* mark_all of text for query equals expected, and so does a snippet long
 * enough to hold the (single-line) text. */
static void check_marks(const char *query, int is_prefix, const char *text, const char *expected)
{
    cs_highlighter_t *h = highlighter(query, is_prefix);
    char *all = cs_highlighter_mark_all(h, text, strlen(text));
    assert_non_null(all);
    assert_string_equal(all, expected);
    assert_safe_html(all);
    char *snip = cs_highlighter_snippet(h, text, strlen(text), 1000);
    assert_non_null(snip);
    assert_string_equal(snip, expected);
    free(snip);
    free(all);
    cs_highlighter_destroy(h);
}

static void test_latin_exact(void **state)
{
    (void)state;
    check_marks("Twisted", 0, "MMO with Twisted Python", "MMO with <mark>Twisted</mark> Python");
    check_marks("twisted python", 0, "MMO with Twisted Python",
                "MMO with <mark>Twisted</mark> <mark>Python</mark>");
    /* a longer word is another word, and so are words inside words, but
     * not a case piece (as "conf" in MyConf2021) */
    check_marks("java", 0, "Javascript and Java", "Javascript and <mark>Java</mark>");
    check_marks("java", 0, "JavaScript and Java", "<mark>Java</mark>Script and <mark>Java</mark>");
    check_marks("mmo", 0, "MMORPG, not an MMO.", "MMORPG, not an <mark>MMO</mark>.");
    check_marks("2015", 0, "PyCon APAC 2015 and 20150", "PyCon APAC <mark>2015</mark> and 20150");
    check_marks("django", 0, "MMO with Twisted Python", "MMO with Twisted Python");
}

/* A compound's parts are marked where they matched, the whole where it did. */
static void test_compound_parts(void **state)
{
    (void)state;
    check_marks("patch", 0, "use @mock.patch here", "use @mock.<mark>patch</mark> here");
    check_marks("mock.patch", 0, "use @mock.patch or mock it",
                "use @<mark>mock.patch</mark> or <mark>mock</mark> it");
    check_marks("workers", 0, "MAX_WORKERS=4", "MAX_<mark>WORKERS</mark>=4");
    check_marks("python", 0, "docs.python.org/3/", "docs.<mark>python</mark>.org/3/");
    check_marks("conf", 0, "MyConf2021", "My<mark>Conf</mark>2021");
    check_marks("mock.pat", 1, "mock.patch and patch", "<mark>mock.patch</mark> and patch");
    check_marks("workers", 0, "coworkers", "coworkers");
}

static void test_folding(void **state)
{
    (void)state;
    /* full-width and case folding; the original text is what is marked */
    check_marks("twisted", 0, "ＴＷＩＳＴＥＤ and TWISTED and Twisted",
                "<mark>ＴＷＩＳＴＥＤ</mark> and <mark>TWISTED</mark> and <mark>Twisted</mark>");
    check_marks("ＴＷＩＳＴＥＤ", 0, "twisted", "<mark>twisted</mark>");
    check_marks("KKBOX", 0, "剛剛kkbox那一場", "剛剛<mark>kkbox</mark>那一場");
}

static void test_stem(void **state)
{
    (void)state;
    /* What Snowball's english stemmer says, checked first so a changed
     * stemmer shows up here and not as a puzzling highlight. */
    static const struct {
        const char *word, *stem;
    } stems[] = {{"testing", "test"},
                 {"tests", "test"},
                 {"tested", "test"},
                 {"tester", "tester"},
                 {"testament", "testament"}};
    for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
        char buf[64];
        size_t len = 0;
        assert_int_equal(
            xc_stemmer_stem(stemmer, stems[i].word, strlen(stems[i].word), buf, sizeof buf, &len),
            XC_OK);
        assert_string_equal(buf, stems[i].stem);
        assert_int_equal(len, strlen(stems[i].stem));
    }
    check_marks("testing", 0, "tests, tested, Testing, tester, testament, test",
                "<mark>tests</mark>, <mark>tested</mark>, <mark>Testing</mark>, tester, "
                "testament, <mark>test</mark>");
    /* Words whose stem is not a prefix of them still start as it does,
     * which the highlighter relies on to stem only words that can match. */
    check_marks("dying skies", 0, "they die under the sky",
                "they <mark>die</mark> under the <mark>sky</mark>");
    check_marks("die", 0, "Dying is hard", "<mark>Dying</mark> is hard");
}

static void test_prefix(void **state)
{
    (void)state;
    check_marks("twis", 1, "Twisted twist Twis untwisted tw",
                "<mark>Twisted</mark> <mark>twist</mark> <mark>Twis</mark> untwisted tw");
    /* without the star it is only a word */
    check_marks("twis", 0, "Twisted twist Twis", "Twisted twist <mark>Twis</mark>");
    /* only the last word is the prefix */
    check_marks("game serv", 1, "game server gamer serv servo",
                "<mark>game</mark> <mark>server</mark> gamer <mark>serv</mark> <mark>servo</mark>");
}

static const char *SEED = "有在寫測試的人請舉手";

static void test_cjk(void **state)
{
    (void)state;
    check_marks("測試", 0, SEED, "有在寫<mark>測試</mark>的人請舉手");
    /* ICU keeps 請舉手 as one word: the match must not depend on it */
    check_marks("舉手", 0, SEED, "有在寫測試的人請<mark>舉手</mark>");
    check_marks("寫測試", 0, SEED, "有在<mark>寫測試</mark>的人請舉手");
    check_marks("測驗", 0, SEED, SEED);
    check_marks("試寫", 0, SEED, SEED);
    check_marks("人", 0, SEED, "有在寫測試的<mark>人</mark>請舉手");
    check_marks("有", 0, SEED, "<mark>有</mark>在寫測試的人請舉手");
    check_marks("手", 0, SEED, "有在寫測試的人請舉<mark>手</mark>");
    check_marks("的 請", 0, SEED, "有在寫測試<mark>的</mark>人<mark>請</mark>舉手");
    /* runs of one and two characters */
    check_marks("手", 0, "舉手", "舉<mark>手</mark>");
    check_marks("舉", 0, "舉手", "<mark>舉</mark>手");
    check_marks("人", 0, "a 人 b", "a <mark>人</mark> b");
    check_marks("人手", 0, "人", "人");
    /* a combining mark stays with the character before it */
    check_marks("試", 0, "人測\xcc\x81試", "人測\xcc\x81<mark>試</mark>");
    check_marks("試", 0, "測\xcc\x81試", "測\xcc\x81<mark>試</mark>");
    check_marks("人", 0, "人測\xcc\x81試", "<mark>人</mark>測\xcc\x81試");
    /* a sequence never spans two runs */
    check_marks("測試", 0, "測，試 測 試", "測，試 測 試");
    /* overlapping occurrences merge into one mark */
    check_marks("哈哈", 0, "哈哈哈，哈", "<mark>哈哈哈</mark>，哈");
}

/* Simplified and Traditional: a match through the Taiwan form marks the
 * characters as written, in either direction; what does not match stays
 * unmarked. */
static void test_simplified_and_traditional(void **state)
{
    (void)state;
    check_marks("網路", 0, "用网络看视频", "用<mark>网络</mark>看视频");
    check_marks("网络", 0, "用網路看影片", "用<mark>網路</mark>看影片");
    check_marks("网络", 0, "用网络看视频", "用<mark>网络</mark>看视频");
    check_marks("视频", 0, "用網路看影片", "用網路看<mark>影片</mark>");
    check_marks("影片", 0, "用网络看视频", "用网络看<mark>视频</mark>");
    check_marks("程序", 0, "寫程式", "寫<mark>程式</mark>");
    check_marks("「網路看影片」", 0, "用网络看视频", "用<mark>网络看视频</mark>");
    check_marks("网", 0, "網路", "<mark>網</mark>路");
    /* one concept for both forms: the window counts them once */
    check_marks("网络 網路", 0, "网络 網路", "<mark>网络</mark> <mark>網路</mark>");
    /* a form of another length marks what it stands for */
    check_marks("部落格", 0, "写博客", "写<mark>博客</mark>");
    /* non-matches: other words, other order, Traditional text unchanged */
    check_marks("网页", 0, "用网络看视频", "用网络看视频");
    check_marks("影片看", 0, "用网络看视频", "用网络看视频");
    check_marks("程式", 0, "台南的程序", "台南的程序");
}

/* Rendered Markdown (the talk view): the text between tags is marked,
 * tags and attributes are copied as they are (a word in a link's address
 * is never marked), the character references cmark writes are read back
 * and written again, and a match never spans a tag. */
static void test_marks_in_rendered_html(void **state)
{
    (void)state;
    cs_highlighter_t *h = highlighter("python 測試", 0);
    static const char html[] =
        "<p>Use <a href=\"https://python.example.org/python\" rel=\"noopener\">Python &amp; "
        "tools</a> for 寫測試</p>\n<pre><code>import python\n</code></pre>\n<p>py<em>thon</em></p>";
    char *out = cs_highlighter_mark_html(h, html, strlen(html));
    assert_non_null(out);
    assert_string_equal(out,
                        "<p>Use <a href=\"https://python.example.org/python\" rel=\"noopener\">"
                        "<mark>Python</mark> &amp; tools</a> for 寫<mark>測試</mark></p>\n"
                        "<pre><code>import <mark>python</mark>\n</code></pre>\n"
                        "<p>py<em>thon</em></p>");
    free(out);
    /* Nothing to mark: the HTML as it was. */
    cs_highlighter_t *none = highlighter("", 0);
    out = cs_highlighter_mark_html(none, html, strlen(html));
    assert_string_equal(out, html);
    assert_false(cs_highlighter_marks(none));
    assert_true(cs_highlighter_marks(h));
    free(out);
    cs_highlighter_destroy(none);
    cs_highlighter_destroy(h);
}

/* A half-width kana and its voicing mark are one character to the
 * analysis (NFKC composes them), so a match marks them together. */
static void test_voiced_half_width_kana_is_one_character(void **state)
{
    (void)state;
    /* ｶﾞｲ, searched as ガ and as イ */
    check_marks("\xe3\x82\xac", 0, "\xef\xbd\xb6\xef\xbe\x9e\xef\xbd\xb2",
                "<mark>\xef\xbd\xb6\xef\xbe\x9e</mark>\xef\xbd\xb2");
    check_marks("\xe3\x82\xa4", 0, "\xef\xbd\xb6\xef\xbe\x9e\xef\xbd\xb2",
                "\xef\xbd\xb6\xef\xbe\x9e<mark>\xef\xbd\xb2</mark>");
}

static void test_mixed(void **state)
{
    (void)state;
    check_marks("Django 教練", 0, "教練，我要做自己的 Django package",
                "<mark>教練</mark>，我要做自己的 <mark>Django</mark> package");
    /* touching matches become one mark */
    check_marks("Django教練", 0, "剛剛Django教練說", "剛剛<mark>Django教練</mark>說");

    cs_highlighter_t *h = highlighter("twisted", 0);
    assert_int_equal(cs_highlighter_add(h, "測試", strlen("測試"), 0), CS_OK);
    assert_int_equal(cs_highlighter_add(h, "twisted", strlen("twisted"), 0), CS_OK);
    const char *text = "用 Twisted 寫測試";
    char *all = cs_highlighter_mark_all(h, text, strlen(text));
    assert_string_equal(all, "用 <mark>Twisted</mark> 寫<mark>測試</mark>");
    free(all);
    cs_highlighter_destroy(h);
}

static void test_html_escaping(void **state)
{
    (void)state;
    check_marks("twisted", 0, "<script>alert('x')</script> & Twisted",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>Twisted</mark>");
    check_marks("script", 0, "<script>\"x\"</script>",
                "&lt;<mark>script</mark>&gt;&quot;x&quot;&lt;/<mark>script</mark>&gt;");
    /* the query text itself is never echoed */
    check_marks("<mark>", 0, "a <mark> b", "a &lt;<mark>mark</mark>&gt; b");
}

static void test_whitespace(void **state)
{
    (void)state;
    cs_highlighter_t *h = highlighter("twisted", 0);
    const char *text = "\n  MMO  with\n\nTwisted\r\n\t Python \n";
    char *snip = cs_highlighter_snippet(h, text, strlen(text), 100);
    assert_string_equal(snip, "MMO with <mark>Twisted</mark> Python");
    char *all = cs_highlighter_mark_all(h, text, strlen(text));
    assert_string_equal(all, "\n  MMO  with\n\n<mark>Twisted</mark>\r\n\t Python \n");
    free(snip);
    free(all);
    cs_highlighter_destroy(h);
}

/* words * copies of word followed by a space. */
static void repeat(char *buf, size_t *len, const char *word, size_t copies)
{
    for (size_t i = 0; i < copies; i++) {
        memcpy(buf + *len, word, strlen(word));
        *len += strlen(word);
        buf[(*len)++] = ' ';
    }
    buf[*len] = '\0';
}

/* Every word of a snippet is whole: one of words[]. */
static void assert_whole_words(const char *snip, const char *const *words, size_t nwords)
{
    char *copy = strdup(snip), *save = NULL;
    assert_non_null(copy);
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char clean[64];
        size_t k = 0;
        for (const char *p = w; *p && k + 1 < sizeof clean;) {
            if (strncmp(p, "<mark>", 6) == 0)
                p += 6;
            else if (strncmp(p, "</mark>", 7) == 0)
                p += 7;
            else if (strncmp(p, "…", strlen("…")) == 0)
                p += strlen("…");
            else
                clean[k++] = *p++;
        }
        clean[k] = '\0';
        bool known = false;
        for (size_t i = 0; i < nwords; i++)
            known |= strcmp(clean, words[i]) == 0;
        if (!known)
            fail_msg("cut or unknown word \"%s\" in \"%s\"", clean, snip);
    }
    free(copy);
}

static void test_window(void **state)
{
    (void)state;
    char text[4096];
    size_t len = 0;
    repeat(text, &len, "lorem", 60); /* 360 characters before the match */
    repeat(text, &len, "Twisted", 1);
    repeat(text, &len, "ipsum", 60);
    cs_highlighter_t *h = highlighter("twisted", 0);
    for (size_t max = 20; max <= 200; max += 7) {
        char *snip = cs_highlighter_snippet(h, text, len, max);
        assert_non_null(snip);
        assert_true(strncmp(snip, "…", strlen("…")) == 0);
        assert_non_null(strstr(snip, "<mark>Twisted</mark>"));
        assert_true(strcmp(snip + strlen(snip) - strlen("…"), "…") == 0);
        assert_true(visible_chars(snip) <= max + 2);
        /* the match sits inside the window, with context on both sides */
        assert_non_null(strstr(snip, "lorem <mark>"));
        assert_non_null(strstr(snip, "</mark> ipsum"));
        static const char *const words[] = {"lorem", "ipsum", "Twisted"};
        assert_whole_words(snip, words, 3);
        assert_safe_html(snip);
        free(snip);
    }
    cs_highlighter_destroy(h);

    /* the same in Chinese: 測試 at character 500 */
    char cjk[8192];
    len = 0;
    for (int i = 0; i < 250; i++)
        len += (size_t)sprintf(cjk + len, "今天");
    len += (size_t)sprintf(cjk + len, "測試");
    for (int i = 0; i < 250; i++)
        len += (size_t)sprintf(cjk + len, "天氣");
    h = highlighter("測試", 0);
    char *snip = cs_highlighter_snippet(h, cjk, len, 40);
    assert_true(strncmp(snip, "…", strlen("…")) == 0);
    assert_non_null(strstr(snip, "<mark>測試</mark>"));
    assert_true(visible_chars(snip) <= 42);
    assert_true(visible_chars(snip) >= 30);
    free(snip);
    cs_highlighter_destroy(h);
}

static void test_window_edges(void **state)
{
    (void)state;
    /* cuts inside a rule of dashes and inside a URL move to a near space */
    char text[256];
    memset(text, '-', 50);
    strcpy(text + 50, " MMO with Twisted Python https://example.com/a/b/c/d and more");
    cs_highlighter_t *h = highlighter("twisted", 0);
    char *snip = cs_highlighter_snippet(h, text, strlen(text), 40);
    assert_string_equal(snip, "…MMO with <mark>Twisted</mark> Python…");
    free(snip);
    cs_highlighter_destroy(h);
}

static void test_window_choice(void **state)
{
    (void)state;
    char text[8192];
    size_t len = 0;
    /* python alone early; twisted and python together later: the later
     * window shows more distinct words */
    repeat(text, &len, "python", 1);
    repeat(text, &len, "lorem", 60);
    repeat(text, &len, "twisted", 1);
    repeat(text, &len, "python", 1);
    repeat(text, &len, "lorem", 60);
    cs_highlighter_t *h = highlighter("twisted python", 0);
    char *snip = cs_highlighter_snippet(h, text, len, 60);
    assert_non_null(strstr(snip, "<mark>twisted</mark> <mark>python</mark>"));
    assert_true(strncmp(snip, "…", strlen("…")) == 0);
    free(snip);
    cs_highlighter_destroy(h);

    /* a tie goes to the earliest window */
    len = 0;
    repeat(text, &len, "lorem", 60);
    repeat(text, &len, "twisted", 1);
    repeat(text, &len, "first", 1);
    repeat(text, &len, "ipsum", 60);
    repeat(text, &len, "twisted", 1);
    repeat(text, &len, "second", 1);
    repeat(text, &len, "ipsum", 60);
    h = highlighter("twisted", 0);
    snip = cs_highlighter_snippet(h, text, len, 60);
    assert_non_null(strstr(snip, "<mark>twisted</mark> first"));
    assert_null(strstr(snip, "second"));
    free(snip);
    cs_highlighter_destroy(h);
}

static void test_snippet_bounds(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "MMO with Twisted Python, a game server that scales to many players at once",
        "有在寫測試的人請舉手，教練，我要做自己的 Django package，剛剛KKBOX那一場",
        "Supercalifragilisticexpialidocious Twisted antidisestablishmentarianism words",
        "<<<&&&>>> Twisted '\"' \n\n\n 測試 \t\t &amp;",
    };
    static const char *const queries[] = {NULL, "twisted", "測試", "nothing"};
    for (size_t q = 0; q < 4; q++) {
        cs_highlighter_t *h = highlighter(queries[q], 0);
        for (size_t t = 0; t < 4; t++) {
            for (size_t max = 0; max <= 90; max++) {
                char *snip = cs_highlighter_snippet(h, texts[t], strlen(texts[t]), max);
                assert_non_null(snip);
                assert_safe_html(snip);
                if (visible_chars(snip) > max + 2)
                    fail_msg("%zu chars > %zu + 2: %s", visible_chars(snip), max, snip);
                if (max == 0)
                    assert_string_equal(snip, "");
                free(snip);
            }
        }
        cs_highlighter_destroy(h);
    }
}

static void test_no_match(void **state)
{
    (void)state;
    char text[4096];
    size_t len = 0;
    repeat(text, &len, "lorem", 100);
    static const char *const words[] = {"lorem"};
    for (int added = 0; added < 2; added++) {
        cs_highlighter_t *h = highlighter(added ? "nothing" : NULL, 0);
        char *snip = cs_highlighter_snippet(h, text, len, 50);
        assert_true(strncmp(snip, "lorem lorem", 11) == 0);
        assert_true(strcmp(snip + strlen(snip) - strlen("…"), "…") == 0);
        assert_int_equal(count_marks(snip), 0);
        assert_true(visible_chars(snip) <= 51);
        assert_true(visible_chars(snip) >= 40);
        assert_whole_words(snip, words, 1);
        free(snip);
        cs_highlighter_destroy(h);
    }
    /* without highlights, text is just escaped */
    cs_highlighter_t *h = highlighter(NULL, 0);
    const char *short_text = "a < b & \"c\"";
    char *snip = cs_highlighter_snippet(h, short_text, strlen(short_text), 100);
    assert_string_equal(snip, "a &lt; b &amp; &quot;c&quot;");
    char *all = cs_highlighter_mark_all(h, short_text, strlen(short_text));
    assert_string_equal(all, "a &lt; b &amp; &quot;c&quot;");
    free(all);
    free(snip);
    cs_highlighter_destroy(h);
}

/* Runs text through both outputs from an exact-size heap copy, so a read
 * past len is an ASan report. */
static void check_valid_output(cs_highlighter_t *h, const char *text, size_t len)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    char *all = cs_highlighter_mark_all(h, copy, len);
    char *snip = cs_highlighter_snippet(h, copy, len, 30);
    assert_non_null(all);
    assert_non_null(snip);
    assert_safe_html(all);
    assert_safe_html(snip);
    free(all);
    free(snip);
    free(copy);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    cs_highlighter_t *h = highlighter("twisted 測試", 0);
    static const char bad[] =
        "abc\xff\xfe Twisted \xe6\xb8 寫測試 \xc0\x80 \xed\xa0\x80 end \xf4\x90\x80\x80";
    char *all = cs_highlighter_mark_all(h, bad, sizeof bad - 1);
    assert_true(valid_utf8(all));
    assert_non_null(strstr(all, "abc\xEF\xBF\xBD"));
    assert_non_null(strstr(all, "<mark>Twisted</mark>"));
    assert_non_null(strstr(all, "寫<mark>測試</mark>"));
    free(all);
    check_valid_output(h, bad, sizeof bad - 1);
    /* len cutting a character, or ending on a lead byte */
    check_valid_output(h, "測試", 4);
    check_valid_output(h, "Twisted \xe6", 9);
    check_valid_output(h, "\xe6\xb8", 2);
    check_valid_output(h, "\xf0", 1);
    /* an embedded NUL must not end the string early */
    char *nul = cs_highlighter_mark_all(h, "a\0Twisted", 9);
    assert_string_equal(nul, "a\xEF\xBF\xBD<mark>Twisted</mark>");
    free(nul);
    cs_highlighter_destroy(h);
}

static void test_empty(void **state)
{
    (void)state;
    cs_highlighter_t *h = highlighter("twisted", 0);
    char *all = cs_highlighter_mark_all(h, "", 0);
    char *snip = cs_highlighter_snippet(h, "", 0, 100);
    assert_string_equal(all, "");
    assert_string_equal(snip, "");
    free(all);
    free(snip);
    /* an empty query adds nothing */
    cs_highlighter_t *e = highlighter("", 0);
    all = cs_highlighter_mark_all(e, "twisted", 7);
    assert_string_equal(all, "twisted");
    free(all);
    cs_highlighter_destroy(e);
    cs_highlighter_destroy(h);
}

/* filler repeated to len bytes, with insert (if any) written at byte at */
static char *filler_text(size_t len, const char *insert, size_t at)
{
    static const char filler[] = "lorem ipsum dolor sit amet 測試 ";
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i < len; i += sizeof filler - 1) {
        size_t n = len - i < sizeof filler - 1 ? len - i : sizeof filler - 1;
        memcpy(text + i, filler, n);
    }
    /* keep the text well-formed: the insert starts after a space */
    while (insert && at > 0 && text[at - 1] != ' ')
        at++;
    if (insert)
        memcpy(text + at, insert, strlen(insert));
    text[len] = '\0';
    return text;
}

/* A match 200 KB into a talk is found and shown in context, and the
 * analysis stops soon after it rather than going on to the end. */
static void test_deep_match(void **state)
{
    (void)state;
    size_t len = 2u << 20, at = 200u << 10;
    char *text = filler_text(len, " the python interpreter ", at);
    cs_highlighter_t *h = highlighter("python", 0);
    char *snip = cs_highlighter_snippet(h, text, len, 120);
    assert_non_null(snip);
    assert_non_null(strstr(snip, "the <mark>python</mark> interpreter"));
    assert_int_equal(count_marks(snip), 1);
    assert_true(strncmp(snip, "…", strlen("…")) == 0);
    size_t analysed = cs_highlighter_analysed(h);
    assert_true(analysed > at);
    assert_true(analysed < at + (64u << 10));
    free(snip);
    cs_highlighter_destroy(h);
    free(text);
}

/* A 5 MB talk costs a bounded analysis: a few KB when every query word is
 * near the start, at most the budget (256 KiB and one piece) when one never
 * appears, and the snippet is still the best of what was seen. */
static void test_bounded_analysis(void **state)
{
    (void)state;
    size_t len = 5u << 20;
    char *text = filler_text(len, NULL, 0);
    cs_highlighter_t *h = highlighter("ipsum", 0);
    char *snip = cs_highlighter_snippet(h, text, len, 100);
    assert_non_null(snip);
    assert_true(count_marks(snip) >= 1);
    assert_true(cs_highlighter_analysed(h) <= 4096);
    free(snip);
    cs_highlighter_destroy(h);

    h = highlighter("dolor zebra", 0);
    snip = cs_highlighter_snippet(h, text, len, 100);
    assert_non_null(snip);
    assert_true(count_marks(snip) >= 1); /* dolor, zebra nowhere */
    assert_true(cs_highlighter_analysed(h) >= (256u << 10));
    assert_true(cs_highlighter_analysed(h) <= (256u << 10) + (64u << 10));
    free(snip);
    cs_highlighter_destroy(h);

    /* a CJK query word near a piece boundary is still matched whole */
    h = highlighter("測試 lorem", 0);
    snip = cs_highlighter_snippet(h, text, len, 100);
    assert_non_null(snip);
    assert_non_null(strstr(snip, "<mark>測試</mark>"));
    assert_true(cs_highlighter_analysed(h) <= 4096);
    free(snip);
    cs_highlighter_destroy(h);
    free(text);
}

static void test_large_text(void **state)
{
    (void)state;
    static const char chunk[] = "Twisted 有在寫測試的人請舉手 lorem ipsum\n哈哈哈哈哈哈哈哈 ";
    size_t total = 1 << 20, len = 0;
    char *text = malloc(total);
    assert_non_null(text);
    size_t copies = 0;
    while (len + sizeof chunk - 1 <= total) {
        memcpy(text + len, chunk, sizeof chunk - 1);
        len += sizeof chunk - 1;
        copies++;
    }
    cs_highlighter_t *h = highlighter("twisted 測試 舉手 哈哈哈 人 lore", 1);
    char *snip = cs_highlighter_snippet(h, text, len, 200);
    assert_non_null(snip);
    assert_true(count_marks(snip) > 0);
    char *all = cs_highlighter_mark_all(h, text, len);
    assert_non_null(all);
    /* per chunk: Twisted, 測試, 人, 舉手, lorem, the 哈 run */
    assert_int_equal(count_marks(all), 6 * copies);
    free(all);
    free(snip);
    cs_highlighter_destroy(h);

    /* one long run without spaces, and one long word */
    memset(text, 'a', len);
    h = highlighter("aaa", 1);
    snip = cs_highlighter_snippet(h, text, len, 50);
    assert_non_null(snip);
    free(snip);
    cs_highlighter_destroy(h);
    free(text);
}

static void test_null_args(void **state)
{
    (void)state;
    cs_highlighter_t *h = (cs_highlighter_t *)&h;
    assert_int_equal(cs_highlighter_create(NULL, stemmer, &h), CS_ERR_NULL_ARG);
    assert_null(h);
    assert_int_equal(cs_highlighter_create(analyzer, NULL, &h), CS_ERR_NULL_ARG);
    assert_int_equal(cs_highlighter_create(analyzer, stemmer, NULL), CS_ERR_NULL_ARG);
    h = highlighter(NULL, 0);
    assert_int_equal(cs_highlighter_add(NULL, "x", 1, 0), CS_ERR_NULL_ARG);
    assert_int_equal(cs_highlighter_add(h, NULL, 0, 0), CS_ERR_NULL_ARG);
    assert_null(cs_highlighter_snippet(NULL, "x", 1, 10));
    assert_null(cs_highlighter_snippet(h, NULL, 0, 10));
    assert_null(cs_highlighter_mark_all(NULL, "x", 1));
    assert_null(cs_highlighter_mark_all(h, NULL, 0));
    cs_highlighter_destroy(h);
    cs_highlighter_destroy(NULL);
}

/* Every byte value, alone and in every pair, between words and next to a
 * match (after omega's jsonesctest): the output is always safe HTML. */
static void test_every_byte(void **state)
{
    (void)state;
    cs_highlighter_t *h = highlighter("twisted", 0);
    for (int b = 0; b < 256; b++) {
        char text[32];
        /* spaces keep the byte out of the word: "Twisted_" is one word */
        int n = snprintf(text, sizeof text, "x%cy Twisted %c", b ? b : 1, b ? b : 1);
        if (b == 0) {
            text[1] = '\0';
            text[12] = '\0';
        }
        char *all = cs_highlighter_mark_all(h, text, (size_t)n);
        char *snip = cs_highlighter_snippet(h, text, (size_t)n, 100);
        assert_safe_html(all);
        assert_safe_html(snip);
        /* nothing is lost: both ends are still there */
        assert_true(all[0] == 'x');
        assert_non_null(strstr(all, "y <mark>Twisted</mark>"));
        assert_non_null(strstr(snip, "<mark>Twisted</mark>"));
        free(all);
        free(snip);
    }
    for (int b1 = 0; b1 < 256; b1++) {
        for (int b2 = 0; b2 < 256; b2++) {
            char text[2] = {(char)b1, (char)b2};
            char *all = cs_highlighter_mark_all(h, text, 2);
            assert_non_null(all);
            assert_safe_html(all);
            free(all);
        }
    }
    cs_highlighter_destroy(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_exact),
        cmocka_unit_test(test_compound_parts),
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_stem),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_html_escaping),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_window_choice),
        cmocka_unit_test(test_snippet_bounds),
        cmocka_unit_test(test_no_match),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_large_text),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_deep_match),
        cmocka_unit_test(test_bounded_analysis),
        cmocka_unit_test(test_simplified_and_traditional),
        cmocka_unit_test(test_marks_in_rendered_html),
        cmocka_unit_test(test_voiced_half_width_kana_is_one_character),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
