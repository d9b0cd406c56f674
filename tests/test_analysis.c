/* test_analysis.c: what the shared analysis must find in text, and what it must NOT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "analysis.h"
#include "script_fold.h"

typedef struct {
    const cs_token_t *tok;
    size_t n;
} result_t;

static int setup(void **state)
{
    cs_analyzer_t *a = NULL;
    char *err = NULL;
    if (cs_analyzer_create(&a, &err) != CS_OK) {
        fprintf(stderr, "cs_analyzer_create: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    cs_analyzer_destroy(*state);
    return 0;
}

static result_t analyze_n(cs_analyzer_t *a, const char *text, size_t len)
{
    result_t r = {0};
    assert_int_equal(cs_analyze(a, text, len, &r.tok, &r.n), CS_OK);
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.tok[i].start < r.tok[i].end);
        assert_true(r.tok[i].end <= len);
        assert_int_equal(strlen(r.tok[i].text), r.tok[i].len);
    }
    return r;
}

static result_t analyze(cs_analyzer_t *a, const char *text)
{
    return analyze_n(a, text, strlen(text));
}

static const char *kind_name(cs_token_kind_t k)
{
    switch (k) {
    case CS_TOKEN_WORD: return "word";
    case CS_TOKEN_NUMBER: return "number";
    case CS_TOKEN_COMPOUND: return "compound";
    case CS_TOKEN_CJK: return "cjk";
    case CS_TOKEN_BIGRAM: return "bigram";
    case CS_TOKEN_CHAR: return "char";
    }
    return "?";
}

static void print_tokens(result_t r)
{
    for (size_t i = 0; i < r.n; i++)
        print_message("  %zu: %s '%s' pos %u [%zu,%zu) run %u compound %u%s\n", i,
                      kind_name(r.tok[i].kind), r.tok[i].text, r.tok[i].pos, r.tok[i].start,
                      r.tok[i].end, r.tok[i].run, r.tok[i].compound, r.tok[i].part ? " part" : "");
}

static ptrdiff_t find(result_t r, cs_token_kind_t kind, const char *text)
{
    for (size_t i = 0; i < r.n; i++)
        if (r.tok[i].kind == kind && strcmp(r.tok[i].text, text) == 0)
            return (ptrdiff_t)i;
    return -1;
}

static size_t count_kind(result_t r, cs_token_kind_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += r.tok[i].kind == kind;
    return n;
}

/* The token of that kind and text must exist, exactly as described. */
static void expect(result_t r, cs_token_kind_t kind, const char *text, uint32_t pos, size_t start,
                   size_t end, uint32_t run)
{
    ptrdiff_t i = find(r, kind, text);
    if (i < 0) {
        print_tokens(r);
        fail_msg("no %s token '%s'", kind_name(kind), text);
    }
    const cs_token_t *t = &r.tok[i];
    if (t->pos != pos || t->start != start || t->end != end || t->run != run) {
        print_tokens(r);
        fail_msg("%s '%s': pos %u [%zu,%zu) run %u, want pos %u [%zu,%zu) run %u", kind_name(kind),
                 text, t->pos, t->start, t->end, t->run, pos, start, end, run);
    }
}

static void expect_none(result_t r, cs_token_kind_t kind, const char *text)
{
    if (find(r, kind, text) >= 0) {
        print_tokens(r);
        fail_msg("unexpected %s token '%s'", kind_name(kind), text);
    }
}

static bool any_text(result_t r, const char *text)
{
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.tok[i].text, text) == 0)
            return true;
    return false;
}

static bool valid_utf8(const char *s, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &err);
    return err == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(err);
}

static char *fold(cs_analyzer_t *a, const char *s, size_t len)
{
    char *out = NULL;
    size_t outlen = 0;
    assert_int_equal(cs_fold(a, s, len, &out, &outlen), CS_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), outlen);
    return out;
}

static char *fold_str(cs_analyzer_t *a, const char *s)
{
    return fold(a, s, strlen(s));
}

static void test_status_names(void **state)
{
    (void)state;
    const char *seen[CS_ERR_OPENCC + 1];
    for (int s = CS_OK; s <= CS_ERR_OPENCC; s++) {
        seen[s] = cs_status_to_string((cs_status_t)s);
        assert_non_null(seen[s]);
        assert_string_not_equal(seen[s], "unknown status");
        for (int k = 0; k < s; k++)
            assert_string_not_equal(seen[s], seen[k]);
    }
    assert_string_equal(cs_status_to_string((cs_status_t)999), "unknown status");
}

static void test_latin_words_and_offsets(void **state)
{
    result_t r = analyze(*state, "Openstack Swift Benchmark, with Ansible!");
    assert_int_equal(r.n, 5);
    expect(r, CS_TOKEN_WORD, "openstack", 0, 0, 9, 0);
    expect(r, CS_TOKEN_WORD, "swift", 1, 10, 15, 0);
    expect(r, CS_TOKEN_WORD, "benchmark", 2, 16, 25, 0);
    expect(r, CS_TOKEN_WORD, "with", 3, 27, 31, 0);
    expect(r, CS_TOKEN_WORD, "ansible", 4, 32, 39, 0);
    assert_false(any_text(r, ","));
    assert_false(any_text(r, "!"));
    assert_false(any_text(r, "Swift"));
}

/* One huge talk (3.8 MB of Han text made the daemon keep ~165 MB per
 * thread) must not leave the analyser holding its buffers for ever: the
 * next ordinary talk brings them back under a few MB. */
static void test_buffers_shrink_after_a_huge_input(void **state)
{
    cs_analyzer_t *a = *state;
    const char *han = "教練請舉手自己社群燈塔共筆議程講者志工效能部署資料分析網路";
    size_t unit = strlen(han), len = 0, want = 4u * 1024u * 1024u;
    char *big = malloc(want + unit + 1);
    assert_non_null(big);
    while (len < want) {
        memcpy(big + len, han, unit);
        len += unit;
    }
    big[len] = '\0';
    const cs_token_t *tokens = NULL;
    size_t n = 0;
    assert_int_equal(cs_analyze(a, big, len, &tokens, &n), CS_OK);
    assert_true(n > 100000);
    size_t after_big = cs_analyzer_held_bytes(a);
    assert_true(after_big > 16u * 1024u * 1024u);
    free(big);
    assert_int_equal(
        cs_analyze(a, "教練 and a small talk", strlen("教練 and a small talk"), &tokens, &n),
        CS_OK);
    assert_true(n >= 4);
    assert_string_equal(tokens[0].text, "教練");
    assert_true(cs_analyzer_held_bytes(a) < 8u * 1024u * 1024u);
}

static void test_case_and_width_folding(void **state)
{
    cs_analyzer_t *a = *state;
    /* ＴＷＩＳＴＥＤ is 7 characters of 3 bytes each. */
    result_t r = analyze(a, "Twisted twisted ＴＷＩＳＴＥＤ");
    assert_int_equal(r.n, 3);
    expect(r, CS_TOKEN_WORD, "twisted", 0, 0, 7, 0);
    assert_string_equal(r.tok[1].text, "twisted");
    assert_int_equal(r.tok[1].pos, 1);
    assert_string_equal(r.tok[2].text, "twisted");
    assert_int_equal(r.tok[2].pos, 2);
    assert_int_equal(r.tok[2].start, 16);
    assert_int_equal(r.tok[2].end, 37);

    r = analyze(a, "２０１５ ﬁne Straße ÉCOLE");
    expect(r, CS_TOKEN_NUMBER, "2015", 0, 0, 12, 0);
    expect(r, CS_TOKEN_WORD, "fine", 1, 13, 18, 0);
    expect(r, CS_TOKEN_WORD, "strasse", 2, 19, 26, 0);
    expect(r, CS_TOKEN_WORD, "école", 3, 27, 33, 0);
    expect_none(r, CS_TOKEN_NUMBER, "２０１５");
    expect_none(r, CS_TOKEN_WORD, "straße");
}

/* One expected token of a list compared whole, in order. */
typedef struct {
    cs_token_kind_t kind;
    const char *text;
    uint32_t pos;
    size_t start, end;
    uint32_t compound;
    char role; /* ' ' plain or whole, 'p' part, 'c' case piece */
} row_t;

static void expect_rows(result_t r, const row_t *rows, size_t n)
{
    for (size_t i = 0; i < n || i < r.n; i++) {
        const row_t *w = i < n ? &rows[i] : NULL;
        const cs_token_t *t = i < r.n ? &r.tok[i] : NULL;
        char role = t && t->part ? 'p' : t && t->piece ? 'c' : ' ';
        if (!w || !t || t->kind != w->kind || strcmp(t->text, w->text) != 0 || t->pos != w->pos ||
            t->start != w->start || t->end != w->end || t->compound != w->compound ||
            role != w->role) {
            print_tokens(r);
            fail_msg("token %zu: want %s '%s' pos %u [%zu,%zu) compound %u role '%c'", i,
                     w ? kind_name(w->kind) : "none", w ? w->text : "", w ? w->pos : 0,
                     w ? w->start : 0, w ? w->end : 0, w ? w->compound : 0, w ? w->role : ' ');
        }
    }
}
#define EXPECT_ROWS(r, ...)                                                                        \
    do {                                                                                           \
        static const row_t rows_[] = {__VA_ARGS__};                                                \
        expect_rows(r, rows_, sizeof rows_ / sizeof rows_[0]);                                     \
    } while (0)

/* ICU's own choices (C++ is "c", "e-mail" two words), then ours: a word
 * with inner punctuation or a letters/digits boundary is a compound,
 * indexed whole and as its parts at consecutive positions. */
static void test_numbers_and_joined_words(void **state)
{
    result_t r = analyze(*state, "2015 3.5 3,000 v1.2.3 9:10 R0 C++ e-mail node.js don't");
    const cs_token_kind_t W = CS_TOKEN_WORD, N = CS_TOKEN_NUMBER, C = CS_TOKEN_COMPOUND;
    (void)W, (void)N, (void)C;
    EXPECT_ROWS(
        r, {N, "2015", 0, 0, 4, 0, ' '}, {C, "3.5", 1, 5, 8, 1, ' '}, {N, "3", 1, 5, 6, 1, 'p'},
        {N, "5", 2, 7, 8, 1, 'p'}, {C, "3,000", 3, 9, 14, 2, ' '}, {N, "3", 3, 9, 10, 2, 'p'},
        {N, "000", 4, 11, 14, 2, 'p'}, {C, "v1.2.3", 5, 15, 21, 3, ' '},
        {W, "v", 5, 15, 16, 3, 'p'}, {N, "1", 6, 16, 17, 3, 'p'}, {N, "2", 7, 18, 19, 3, 'p'},
        {N, "3", 8, 20, 21, 3, 'p'}, {C, "9:10", 9, 22, 26, 4, ' '}, {N, "9", 9, 22, 23, 4, 'p'},
        {N, "10", 10, 24, 26, 4, 'p'}, {C, "r0", 11, 27, 29, 5, ' '}, {W, "r", 11, 27, 28, 5, 'p'},
        {N, "0", 12, 28, 29, 5, 'p'}, {W, "c", 13, 30, 31, 0, ' '}, {W, "e", 14, 34, 35, 0, ' '},
        {W, "mail", 15, 36, 40, 0, ' '}, {C, "node.js", 16, 41, 48, 6, ' '},
        {W, "node", 16, 41, 45, 6, 'p'}, {W, "js", 17, 46, 48, 6, 'p'},
        {C, "don't", 18, 49, 54, 7, ' '}, {W, "don", 18, 49, 52, 7, 'p'},
        {W, "t", 19, 53, 54, 7, 'p'});
    assert_false(any_text(r, "c++"));
    assert_false(any_text(r, "e-mail"));
}

/* The issue's cases: code names, handles, addresses, URLs, case pieces. */
static void test_compounds(void **state)
{
    cs_analyzer_t *a = *state;
    const cs_token_kind_t W = CS_TOKEN_WORD, N = CS_TOKEN_NUMBER, C = CS_TOKEN_COMPOUND;
    (void)W, (void)N, (void)C;
    /* A leading @ or # is not part of the word; "@" inside joins two words. */
    result_t r = analyze(a, "@my_handle #MAX_WORKERS team@example.org");
    EXPECT_ROWS(r, {C, "my_handle", 0, 1, 10, 1, ' '}, {W, "my", 0, 1, 3, 1, 'p'},
                {W, "handle", 1, 4, 10, 1, 'p'}, {C, "max_workers", 2, 12, 23, 2, ' '},
                {W, "max", 2, 12, 15, 2, 'p'}, {W, "workers", 3, 16, 23, 2, 'p'},
                {C, "team@example.org", 4, 24, 40, 3, ' '}, {W, "team", 4, 24, 28, 3, 'p'},
                {W, "example", 5, 29, 36, 3, 'p'}, {W, "org", 6, 37, 40, 3, 'p'});
    /* A URL: host labels and path words; "-" is no joint (ICU splits there). */
    r = analyze(a, "see https://docs.python.org/3/library/asyncio-task.html.");
    EXPECT_ROWS(r, {W, "see", 0, 0, 3, 0, ' '},
                {C, "https://docs.python.org/3/library/asyncio", 1, 4, 45, 1, ' '},
                {W, "https", 1, 4, 9, 1, 'p'}, {W, "docs", 2, 12, 16, 1, 'p'},
                {W, "python", 3, 17, 23, 1, 'p'}, {W, "org", 4, 24, 27, 1, 'p'},
                {N, "3", 5, 28, 29, 1, 'p'}, {W, "library", 6, 30, 37, 1, 'p'},
                {W, "asyncio", 7, 38, 45, 1, 'p'}, {C, "task.html", 8, 46, 55, 2, ' '},
                {W, "task", 8, 46, 50, 2, 'p'}, {W, "html", 9, 51, 55, 2, 'p'});
    /* Case pieces stand at their word's position: found, never a phrase. */
    r = analyze(a, "O'Reilly MyConf2021 HTTPServer python3 __init__");
    EXPECT_ROWS(r, {C, "o'reilly", 0, 0, 8, 1, ' '}, {W, "o", 0, 0, 1, 1, 'p'},
                {W, "reilly", 1, 2, 8, 1, 'p'}, {C, "myconf2021", 2, 9, 19, 2, ' '},
                {W, "myconf", 2, 9, 15, 2, 'p'}, {W, "my", 2, 9, 11, 2, 'c'},
                {W, "conf", 2, 11, 15, 2, 'c'}, {N, "2021", 3, 15, 19, 2, 'p'},
                {W, "httpserver", 4, 20, 30, 3, ' '}, {W, "http", 4, 20, 24, 3, 'c'},
                {W, "server", 4, 24, 30, 3, 'c'}, {C, "python3", 5, 31, 38, 4, ' '},
                {W, "python", 5, 31, 37, 4, 'p'}, {N, "3", 6, 37, 38, 4, 'p'},
                {W, "init", 7, 41, 45, 0, ' '});
    /* IPv4 and versions; a space or other punctuation ends a compound. */
    r = analyze(a, "192.168.0.1 3.11.2. mock. patch (a)b");
    EXPECT_ROWS(r, {C, "192.168.0.1", 0, 0, 11, 1, ' '}, {N, "192", 0, 0, 3, 1, 'p'},
                {N, "168", 1, 4, 7, 1, 'p'}, {N, "0", 2, 8, 9, 1, 'p'}, {N, "1", 3, 10, 11, 1, 'p'},
                {C, "3.11.2", 4, 12, 18, 2, ' '}, {N, "3", 4, 12, 13, 2, 'p'},
                {N, "11", 5, 14, 16, 2, 'p'}, {N, "2", 6, 17, 18, 2, 'p'},
                {W, "mock", 7, 20, 24, 0, ' '}, {W, "patch", 8, 26, 31, 0, ' '},
                {W, "a", 9, 33, 34, 0, ' '}, {W, "b", 10, 35, 36, 0, ' '});
    assert_false(any_text(r, "mock.patch"));
    /* Mixed scripts: Greek and Latin joined by "_"; Latin glued to Chinese. */
    r = analyze(a, "\xce\xb1\xce\xb2_Test KKBOX\xe9\x82\xa3");
    EXPECT_ROWS(r, {C, "\xce\xb1\xce\xb2_test", 0, 0, 9, 1, ' '},
                {W, "\xce\xb1\xce\xb2", 0, 0, 4, 1, 'p'}, {W, "test", 1, 5, 9, 1, 'p'},
                {W, "kkbox", 2, 10, 15, 0, ' '}, {CS_TOKEN_CJK, "\xe9\x82\xa3", 3, 15, 18, 0, ' '});
}

/* A whole too long to index is dropped; its parts are not. */
static void test_long_compound_keeps_its_parts(void **state)
{
    char text[CS_MAX_TOKEN_BYTES + 64] = "";
    while (strlen(text) < CS_MAX_TOKEN_BYTES)
        strcat(text, "segment.");
    strcat(text, "end");
    result_t r = analyze(*state, text);
    assert_true(r.n > 20);
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.tok[i].part);
        assert_int_equal(r.tok[i].compound, 1);
        assert_int_equal(r.tok[i].pos, i);
    }
    assert_string_equal(r.tok[r.n - 1].text, "end");
}

static void test_punctuation_and_space_dropped(void **state)
{
    cs_analyzer_t *a = *state;
    result_t r = analyze(a, " ，。！？ -- ... \t\n「」（）:) ___ ★ ½ ");
    if (r.n != 0)
        print_tokens(r);
    assert_int_equal(r.n, 0);

    r = analyze(a, "Swift，HA。「API」");
    assert_int_equal(r.n, 3);
    expect(r, CS_TOKEN_WORD, "swift", 0, 0, 5, 0);
    expect(r, CS_TOKEN_WORD, "ha", 1, 8, 10, 0);
    expect(r, CS_TOKEN_WORD, "api", 2, 16, 19, 0);
}

static void test_cjk_words_and_bigrams(void **state)
{
    /* Ten characters of three bytes each: character i is at byte 3i. */
    result_t r = analyze(*state, "有在寫測試的人請舉手");
    /* ICU's dictionary words, each at its first character's position. */
    expect(r, CS_TOKEN_CJK, "有", 0, 0, 3, 1);
    expect(r, CS_TOKEN_CJK, "在", 1, 3, 6, 1);
    expect(r, CS_TOKEN_CJK, "寫", 2, 6, 9, 1);
    expect(r, CS_TOKEN_CJK, "測試", 3, 9, 15, 1);
    expect(r, CS_TOKEN_CJK, "的", 5, 15, 18, 1);
    expect(r, CS_TOKEN_CJK, "人", 6, 18, 21, 1);
    expect(r, CS_TOKEN_CJK, "請舉手", 7, 21, 30, 1);
    assert_int_equal(count_kind(r, CS_TOKEN_CJK), 7);
    /* ICU keeps 請舉手 whole: 舉手 is found only through its bigram. */
    expect_none(r, CS_TOKEN_CJK, "舉手");
    static const char *const bigrams[] = {"有在", "在寫", "寫測", "測試", "試的",
                                          "的人", "人請", "請舉", "舉手"};
    for (uint32_t i = 0; i < 9; i++)
        expect(r, CS_TOKEN_BIGRAM, bigrams[i], i, 3 * i, 3 * i + 6, 1);
    assert_int_equal(count_kind(r, CS_TOKEN_BIGRAM), 9);
    expect_none(r, CS_TOKEN_BIGRAM, "試人");
    expect_none(r, CS_TOKEN_BIGRAM, "請舉手");
    assert_int_equal(count_kind(r, CS_TOKEN_WORD) + count_kind(r, CS_TOKEN_NUMBER), 0);
    /* The run's bigrams follow all of its words. */
    for (size_t i = 0; i < r.n; i++)
        assert_int_equal(r.tok[i].kind, i < 7 ? CS_TOKEN_CJK : CS_TOKEN_BIGRAM);
}

static void test_latin_glued_to_chinese(void **state)
{
    result_t r = analyze(*state, "剛剛KKBOX那一場");
    expect(r, CS_TOKEN_WORD, "kkbox", 2, 6, 11, 0);
    expect(r, CS_TOKEN_CJK, "剛剛", 0, 0, 6, 1);
    expect(r, CS_TOKEN_BIGRAM, "剛剛", 0, 0, 6, 1);
    expect(r, CS_TOKEN_BIGRAM, "那一", 3, 11, 17, 2);
    expect(r, CS_TOKEN_BIGRAM, "一場", 4, 14, 20, 2);
    assert_int_equal(count_kind(r, CS_TOKEN_BIGRAM), 3);
    /* KKBOX ends one run and starts the next: no bigram bridges it. */
    expect_none(r, CS_TOKEN_BIGRAM, "剛那");
    assert_false(any_text(r, "剛剛kkbox"));
    assert_false(any_text(r, "kkbox那一場"));
    for (size_t i = 0; i < r.n; i++) {
        const cs_token_t *t = &r.tok[i];
        if (t->kind == CS_TOKEN_CJK || t->kind == CS_TOKEN_BIGRAM)
            assert_int_equal(t->run, t->start < 6 ? 1 : 2);
    }
    /* Order: run 1's word and bigram, the word, then run 2's words and bigrams. */
    assert_int_equal(r.tok[0].kind, CS_TOKEN_CJK);
    assert_int_equal(r.tok[1].kind, CS_TOKEN_BIGRAM);
    assert_int_equal(r.tok[2].kind, CS_TOKEN_WORD);
    assert_int_equal(r.tok[r.n - 1].kind, CS_TOKEN_BIGRAM);
}

static void test_mixed_positions_consecutive(void **state)
{
    result_t r = analyze(*state, "Django 教練 course");
    assert_int_equal(r.n, 4);
    expect(r, CS_TOKEN_WORD, "django", 0, 0, 6, 0);
    expect(r, CS_TOKEN_CJK, "教練", 1, 7, 13, 1);
    expect(r, CS_TOKEN_BIGRAM, "教練", 1, 7, 13, 1);
    expect(r, CS_TOKEN_WORD, "course", 3, 14, 20, 0);
}

static void test_icu_word_split_at_script_boundary(void **state)
{
    /* ICU joins Latin and katakana across "_" into one word. */
    result_t r = analyze(*state, "abc_カナ 1_カナ");
    expect(r, CS_TOKEN_WORD, "abc", 0, 0, 3, 0);
    expect(r, CS_TOKEN_CJK, "カナ", 1, 4, 10, 1);
    expect(r, CS_TOKEN_BIGRAM, "カナ", 1, 4, 10, 1);
    expect(r, CS_TOKEN_NUMBER, "1", 3, 11, 12, 0);
    assert_false(any_text(r, "abc_カナ"));
    assert_false(any_text(r, "1_カナ"));
    assert_int_equal(r.n, 6);
}

static void test_marks_and_supplementary_characters(void **state)
{
    cs_analyzer_t *a = *state;
    /* Half-width ｶﾞ is two code points but one character once folded. */
    result_t r = analyze(a, "ｶﾞｷﾞ");
    expect(r, CS_TOKEN_CJK, "ガ", 0, 0, 6, 1);
    expect(r, CS_TOKEN_CJK, "ギ", 1, 6, 12, 1);
    expect(r, CS_TOKEN_BIGRAM, "ガギ", 0, 0, 12, 1);
    assert_int_equal(r.n, 3);

    /* A combining mark or an ideographic variation selector belongs to its
     * Han character: no position of its own, and the run goes on. */
    r = analyze(a, "漢\xcc\x81字 葛\xf3\xa0\x84\x80城 e\xcc\x81t\xc3\xa9");
    expect(r, CS_TOKEN_CJK, "漢\xcc\x81", 0, 0, 5, 1);
    expect(r, CS_TOKEN_CJK, "字", 1, 5, 8, 1);
    expect(r, CS_TOKEN_BIGRAM, "漢\xcc\x81字", 0, 0, 8, 1);
    expect(r, CS_TOKEN_BIGRAM, "葛城", 2, 9, 19, 2); /* the selector folds away */
    expect(r, CS_TOKEN_WORD, "\xc3\xa9t\xc3\xa9", 4, 20, 26, 0);
    assert_int_equal(r.n, 7);

    /* 𠮷 is four bytes and a surrogate pair in UTF-16. */
    r = analyze(a, "𠮷野家 カタカナ");
    expect(r, CS_TOKEN_CJK, "𠮷", 0, 0, 4, 1);
    expect(r, CS_TOKEN_CJK, "野家", 1, 4, 10, 1);
    expect(r, CS_TOKEN_BIGRAM, "𠮷野", 0, 0, 7, 1);
    expect(r, CS_TOKEN_BIGRAM, "野家", 1, 4, 10, 1);
    expect(r, CS_TOKEN_CJK, "カタカナ", 3, 11, 23, 2);
    expect(r, CS_TOKEN_BIGRAM, "カタ", 3, 11, 17, 2);
    expect_none(r, CS_TOKEN_BIGRAM, "家カ");
}

static void test_emoji_and_symbols_give_nothing(void **state)
{
    cs_analyzer_t *a = *state;
    result_t r = analyze(a, "😀 🎉🎉 👍🏽 ☃ ★ ㈱ ① ￥ 👨‍👩‍👧");
    if (r.n)
        print_tokens(r);
    assert_int_equal(r.n, 0);

    r = analyze(a, "👍 ok 🎉測試🎉");
    assert_int_equal(r.n, 3);
    expect(r, CS_TOKEN_WORD, "ok", 0, 5, 7, 0);
    expect(r, CS_TOKEN_CJK, "測試", 1, 12, 18, 1);
    expect(r, CS_TOKEN_BIGRAM, "測試", 1, 12, 18, 1);
}

static void test_invalid_utf8(void **state)
{
    cs_analyzer_t *a = *state;
    result_t r = analyze(a, "abc\xff def");
    assert_int_equal(r.n, 2);
    expect(r, CS_TOKEN_WORD, "abc", 0, 0, 3, 0);
    expect(r, CS_TOKEN_WORD, "def", 1, 5, 8, 0);

    /* A lone continuation byte, glued to words on both sides. */
    r = analyze(a, "ab\x80"
                   "cd");
    assert_int_equal(r.n, 2);
    expect(r, CS_TOKEN_WORD, "ab", 0, 0, 2, 0);
    expect(r, CS_TOKEN_WORD, "cd", 1, 3, 5, 0);

    /* A truncated 3-byte sequence at the very end, and inside a CJK run. */
    r = analyze(a, "測試\xe6\xb8");
    expect(r, CS_TOKEN_CJK, "測試", 0, 0, 6, 1);
    expect(r, CS_TOKEN_BIGRAM, "測試", 0, 0, 6, 1);
    assert_int_equal(r.n, 2);
    r = analyze(a, "測\xe6\xb8試");
    expect_none(r, CS_TOKEN_BIGRAM, "測試");
    expect(r, CS_TOKEN_CJK, "試", 1, 5, 8, 2);

    /* Overlong, surrogate and out-of-range encodings are invalid too. */
    r = analyze(a, "x\xc0\xafy \xed\xa0\x80z \xf4\x90\x80\x80w");
    expect(r, CS_TOKEN_WORD, "x", 0, 0, 1, 0);
    expect(r, CS_TOKEN_WORD, "y", 1, 3, 4, 0);
    expect(r, CS_TOKEN_WORD, "z", 2, 8, 9, 0);
    expect(r, CS_TOKEN_WORD, "w", 3, 14, 15, 0);
    assert_int_equal(r.n, 4);

    /* Every byte value, alone and between letters and Han: never a token
     * that is not valid UTF-8 or reaches outside the input. */
    for (int b = 0; b < 256; b++) {
        char in[8] = {'a', (char)b, 'b', ' ', '\xe6', '\xb8', '\xac', (char)b};
        result_t s = analyze_n(a, in, sizeof in);
        for (size_t i = 0; i < s.n; i++) {
            assert_true(valid_utf8(s.tok[i].text, s.tok[i].len));
            assert_null(strstr(s.tok[i].text, "\xef\xbf\xbd"));
        }
        s = analyze_n(a, in + 1, 1);
        assert_true(s.n <= 1);
    }
}

static void test_embedded_nul(void **state)
{
    cs_analyzer_t *a = *state;
    result_t r = analyze_n(a, "foo\0bar", 7);
    assert_int_equal(r.n, 2);
    expect(r, CS_TOKEN_WORD, "foo", 0, 0, 3, 0);
    expect(r, CS_TOKEN_WORD, "bar", 1, 4, 7, 0);

    r = analyze_n(a, "測\0試", 7);
    expect(r, CS_TOKEN_CJK, "測", 0, 0, 3, 1);
    expect(r, CS_TOKEN_CJK, "試", 1, 4, 7, 2);
    assert_int_equal(count_kind(r, CS_TOKEN_BIGRAM), 0);

    /* The length, not a NUL, ends the input. */
    r = analyze_n(a, "abc def", 5);
    assert_int_equal(r.n, 2);
    expect(r, CS_TOKEN_WORD, "d", 1, 4, 5, 0);
}

static void test_long_token_dropped(void **state)
{
    cs_analyzer_t *a = *state;
    char in[CS_MAX_TOKEN_BYTES + 16];
    memset(in, 'a', CS_MAX_TOKEN_BYTES + 1);
    strcpy(in + CS_MAX_TOKEN_BYTES + 1, " next");
    result_t r = analyze(a, in);
    assert_int_equal(r.n, 1);
    /* The dropped word still takes its position. */
    expect(r, CS_TOKEN_WORD, "next", 1, CS_MAX_TOKEN_BYTES + 2, CS_MAX_TOKEN_BYTES + 6, 0);

    /* Exactly the limit is kept; the limit applies to the folded form. */
    memset(in, 'A', CS_MAX_TOKEN_BYTES);
    in[CS_MAX_TOKEN_BYTES] = '\0';
    r = analyze(a, in);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.tok[0].len, CS_MAX_TOKEN_BYTES);
    assert_int_equal(r.tok[0].text[0], 'a');

    /* 67 full-width letters: 201 bytes in, 67 once folded, so kept. */
    char wide[67 * 3 + 1];
    for (int i = 0; i < 67; i++)
        memcpy(wide + 3 * i, "\xef\xbd\x81", 3); /* ａ */
    wide[sizeof wide - 1] = '\0';
    r = analyze(a, wide);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.tok[0].len, 67);
    assert_int_equal(r.tok[0].end, 201);
}

static void test_empty_input(void **state)
{
    cs_analyzer_t *a = *state;
    const cs_token_t *tok = (const cs_token_t *)1;
    size_t n = 99;
    assert_int_equal(cs_analyze(a, "", 0, &tok, &n), CS_OK);
    assert_int_equal(n, 0);
    /* Length 0 ignores whatever the pointer holds. */
    assert_int_equal(cs_analyze(a, "abc", 0, &tok, &n), CS_OK);
    assert_int_equal(n, 0);
    result_t r = analyze(a, "   \n\t  ");
    assert_int_equal(r.n, 0);
}

static void test_fold(void **state)
{
    cs_analyzer_t *a = *state;
    char *s = fold_str(a, "ＤＡＮ  Maas ");
    assert_string_equal(s, "dan maas");
    free(s);
    s = fold_str(a, "\t Dan\u3000\u3000Maas\n");
    assert_string_equal(s, "dan maas");
    free(s);
    s = fold_str(a, "Ｖａｎ　Ｌｉｎｄｂｅｒｇ");
    assert_string_equal(s, "van lindberg");
    free(s);
    s = fold(a, "  ", 2);
    assert_string_equal(s, "");
    free(s);
    s = fold(a, "", 0);
    assert_string_equal(s, "");
    free(s);
    /* Invalid bytes read as U+FFFD; a NUL is a space, so C strings stay whole. */
    s = fold(a, "Dan\xff", 4);
    assert_string_equal(s, "dan\xef\xbf\xbd");
    free(s);
    s = fold(a, "Dan\0Maas", 8);
    assert_string_equal(s, "dan maas");
    free(s);
    s = fold_str(a, "張 家豪");
    assert_string_equal(s, "張 家豪");
    free(s);
    char *out = NULL;
    assert_int_equal(cs_fold(a, "X", 1, &out, NULL), CS_OK);
    assert_string_equal(out, "x");
    free(out);
}

static void test_null_args(void **state)
{
    cs_analyzer_t *a = *state;
    const cs_token_t *tok = NULL;
    size_t n = 0;
    char *out = NULL, *err = (char *)1;
    assert_int_equal(cs_analyzer_create(NULL, &err), CS_ERR_NULL_ARG);
    assert_null(err);
    assert_int_equal(cs_analyze(NULL, "a", 1, &tok, &n), CS_ERR_NULL_ARG);
    assert_int_equal(cs_analyze(a, NULL, 1, &tok, &n), CS_ERR_NULL_ARG);
    assert_int_equal(cs_analyze(a, "a", 1, NULL, &n), CS_ERR_NULL_ARG);
    assert_int_equal(cs_analyze(a, "a", 1, &tok, NULL), CS_ERR_NULL_ARG);
    assert_int_equal(cs_fold(NULL, "a", 1, &out, NULL), CS_ERR_NULL_ARG);
    assert_int_equal(cs_fold(a, NULL, 1, &out, NULL), CS_ERR_NULL_ARG);
    assert_int_equal(cs_fold(a, "a", 1, NULL, NULL), CS_ERR_NULL_ARG);
    assert_null(out);
    cs_analyzer_destroy(NULL);

    /* A create without errmsg works too. */
    cs_analyzer_t *b = NULL;
    assert_int_equal(cs_analyzer_create(&b, NULL), CS_OK);
    cs_analyzer_destroy(b);
}

typedef struct {
    char text[64];
    uint32_t pos, run;
    size_t start, end;
    cs_token_kind_t kind;
} saved_token_t;

static size_t save(result_t r, saved_token_t *out, size_t max)
{
    assert_true(r.n <= max);
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.tok[i].len < sizeof out[i].text);
        strcpy(out[i].text, r.tok[i].text);
        out[i].pos = r.tok[i].pos;
        out[i].run = r.tok[i].run;
        out[i].start = r.tok[i].start;
        out[i].end = r.tok[i].end;
        out[i].kind = r.tok[i].kind;
    }
    return r.n;
}

static void test_analyzer_reuse(void **state)
{
    cs_analyzer_t *a = *state;
    const char *first = "剛剛KKBOX那一場 Twisted";
    saved_token_t before[32];
    size_t n = save(analyze(a, first), before, 32);

    result_t r = analyze(a, "hello world 測試");
    assert_int_equal(r.n, 4);
    expect(r, CS_TOKEN_WORD, "hello", 0, 0, 5, 0);
    expect(r, CS_TOKEN_CJK, "測試", 2, 12, 18, 1);
    assert_false(any_text(r, "kkbox"));

    /* Positions and run numbers start afresh on every call. */
    r = analyze(a, first);
    assert_int_equal(r.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(r.tok[i].text, before[i].text);
        assert_int_equal(r.tok[i].pos, before[i].pos);
        assert_int_equal(r.tok[i].run, before[i].run);
        assert_int_equal(r.tok[i].start, before[i].start);
        assert_int_equal(r.tok[i].end, before[i].end);
        assert_int_equal(r.tok[i].kind, before[i].kind);
    }
}

static char *read_seed(size_t *len)
{
    FILE *f = fopen(CS_SHARED_CORPUS, "rb");
    if (f) {
        char *buf = malloc(1 << 20);
        assert_non_null(buf);
        *len = fread(buf, 1, 1 << 20, f);
        fclose(f);
        if (*len > 0)
            return buf;
        free(buf);
    }
    /* No shared corpus: notes of the same mixture. */
    static const char *const lines[] = {
        "[10:00][R0] Openstack Swift Benchmark with Ansible (Charles Hsu)\n",
        "今天主要的要講如何 Benchmark Swift(Openstack)，可以讓你輕易用RESTful api 去管理\n",
        "有在寫測試的人請舉手 ＴＷＩＳＴＥＤ ２０１５ 3.5 C++ e-mail 😀👍\n",
        "剛剛KKBOX那一場 Django 教練 ｶﾞｷﾞ 𠮷野家 abc_カナ\n"};
    size_t cap = 32768, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t i = 0; n + 200 < cap; i++) {
        size_t l = strlen(lines[i % 4]);
        memcpy(buf + n, lines[i % 4], l);
        n += l;
    }
    *len = n;
    return buf;
}

static void test_long_input_invariants(void **state)
{
    cs_analyzer_t *a = *state;
    size_t seed_len;
    char *seed = read_seed(&seed_len);
    saved_token_t *one = malloc(sizeof *one * seed_len);
    assert_non_null(one);
    size_t n_one;
    {
        const cs_token_t *tok;
        assert_int_equal(cs_analyze(a, seed, seed_len, &tok, &n_one), CS_OK);
        assert_true(n_one > 100 && n_one <= seed_len);
        for (size_t i = 0; i < n_one; i++) {
            /* Texts are checked below; here only what shifts between copies. */
            one[i].pos = tok[i].pos;
            one[i].start = tok[i].start;
            one[i].end = tok[i].end;
            one[i].kind = tok[i].kind;
        }
    }

    /* 50 copies: far more than one 64K-unit chunk, so chunk cuts are crossed. */
    enum { COPIES = 50 };
    size_t stride = seed_len + 1, len = stride * COPIES;
    char *big = malloc(len);
    assert_non_null(big);
    for (size_t c = 0; c < COPIES; c++) {
        memcpy(big + c * stride, seed, seed_len);
        big[c * stride + seed_len] = '\n';
    }
    assert_true(len > 4 * 65536);
    result_t r = analyze_n(a, big, len);
    assert_int_equal(r.n, n_one * COPIES);

    /* The positions one copy takes, dropped tokens included. */
    uint32_t positions = r.tok[n_one].pos - one[0].pos;
    size_t last_start = 0;
    uint32_t last_pos = 0, last_run = 0;
    bool have_last = false;
    for (size_t i = 0; i < r.n; i++) {
        const cs_token_t *t = &r.tok[i];
        /* Every copy analyses the same, shifted: cutting chunks changed nothing. */
        size_t c = i / n_one;
        const saved_token_t *o = &one[i % n_one];
        if (t->start != o->start + c * stride || t->pos != o->pos + c * positions ||
            t->kind != o->kind)
            fail_msg("token %zu '%s' [%zu,%zu) pos %u differs from copy 0's [%zu,%zu) pos %u", i,
                     t->text, t->start, t->end, t->pos, o->start, o->end, o->pos);
        assert_int_equal(t->end, o->end + c * stride);

        /* Text is the fold of exactly the bytes the offsets name (a
         * Taiwan form's differs from them by design). */
        char *f = fold(a, big + t->start, t->end - t->start);
        if (!t->variant && strcmp(f, t->text) != 0)
            fail_msg("token %zu '%s' but its bytes fold to '%s'", i, t->text, f);
        free(f);

        if (t->kind == CS_TOKEN_BIGRAM) {
            assert_int_equal(t->run, last_run);
            continue;
        }
        /* Words, numbers and CJK words come in strictly increasing order;
         * a compound's first part or case piece starts where what it is
         * cut from does, at its position. */
        if (have_last && (t->piece || (t->part && t->start == last_start))) {
            assert_true(t->start >= last_start);
            assert_true(t->pos == last_pos);
        } else if (have_last) {
            assert_true(t->start > last_start);
            assert_true(t->pos > last_pos);
        }
        if (t->kind == CS_TOKEN_CJK) {
            assert_true(t->run >= last_run);
            last_run = t->run;
        }
        last_start = t->start;
        last_pos = t->pos;
        have_last = true;
    }
    free(big);
    free(one);
    free(seed);
}

static void test_cjk_run_longer_than_a_chunk(void **state)
{
    cs_analyzer_t *a = *state;
    /* No space or punctuation to cut at: the run must carry across chunks. */
    enum { PAIRS = 40000 };
    size_t len = PAIRS * 6;
    char *in = malloc(len);
    assert_non_null(in);
    for (size_t i = 0; i < PAIRS; i++)
        memcpy(in + 6 * i, "測試", 6);
    result_t r = analyze_n(a, in, len);
    size_t words = 0, bigrams = 0, next_start = 0;
    for (size_t i = 0; i < r.n; i++) {
        const cs_token_t *t = &r.tok[i];
        assert_int_equal(t->run, 1);
        if (t->kind == CS_TOKEN_CJK) {
            /* The words tile the text, each at its first character. */
            assert_int_equal(t->start, next_start);
            assert_int_equal(t->pos, t->start / 3);
            next_start = t->end;
            words++;
        } else {
            assert_int_equal(t->kind, CS_TOKEN_BIGRAM);
            assert_int_equal(t->pos, bigrams);
            assert_int_equal(t->start, 3 * bigrams);
            assert_string_equal(t->text, bigrams % 2 ? "試測" : "測試");
            bigrams++;
        }
    }
    assert_int_equal(next_start, len);
    assert_int_equal(bigrams, 2 * PAIRS - 1);
    assert_true(words > 0);
    free(in);
}

/* A mark right where a full chunk is cut still belongs to its character
 * (found in review: it ended the run and was lost, and the character term
 * was ス where the text has ズ). */
static void test_mark_at_a_chunk_cut(void **state)
{
    cs_analyzer_t *a = *state;
    enum { CHARS = 70000, MARKED = 65535 };
    size_t len = CHARS * 3 + 3;
    char *in = malloc(len);
    assert_non_null(in);
    size_t at = 0;
    for (size_t i = 0; i < CHARS; i++) {
        memcpy(in + at, "ス", 3);
        at += 3;
        if (i == MARKED) {
            memcpy(in + at, "\xe3\x82\x99", 3); /* U+3099, the voiced mark */
            at += 3;
        }
    }
    cs_analyzer_set_chars(a, true);
    result_t r = analyze_n(a, in, len);
    size_t bigrams = 0, chars = 0;
    for (size_t i = 0; i < r.n; i++) {
        const cs_token_t *t = &r.tok[i];
        assert_int_equal(t->run, 1);
        if (t->kind == CS_TOKEN_BIGRAM)
            bigrams++;
        if (t->kind != CS_TOKEN_CHAR)
            continue;
        assert_int_equal(t->pos, chars);
        assert_string_equal(t->text, chars == MARKED ? "ズ" : "ス");
        chars++;
    }
    assert_int_equal(chars, CHARS);
    assert_int_equal(bigrams, CHARS - 1);
    cs_analyzer_set_chars(a, false);
    free(in);
}

/* The indexer asks for each CJK character too (one-character queries find
 * it inside longer words); off, nothing changes for queries. */
static void test_characters_when_asked(void **state)
{
    cs_analyzer_t *a = *state;
    result_t r = analyze(a, "教練 ok");
    assert_int_equal(count_kind(r, CS_TOKEN_CHAR), 0);

    cs_analyzer_set_chars(a, true);
    r = analyze(a, "Django 教練 ｶﾞｷﾞ 葛\xf3\xa0\x84\x80 字 ok");
    expect(r, CS_TOKEN_CHAR, "教", 1, 7, 10, 1);
    expect(r, CS_TOKEN_CHAR, "練", 2, 10, 13, 1);
    /* Folded like the words: a half-width kana and its mark are one. */
    expect(r, CS_TOKEN_CHAR, "ガ", 3, 14, 20, 2);
    expect(r, CS_TOKEN_CHAR, "ギ", 4, 20, 26, 2);
    /* The selector stays with its character and folds away. */
    expect(r, CS_TOKEN_CHAR, "葛", 5, 27, 34, 3);
    /* A one-character run is a word and a character, and has no bigram. */
    expect(r, CS_TOKEN_CJK, "字", 6, 35, 38, 4);
    expect(r, CS_TOKEN_CHAR, "字", 6, 35, 38, 4);
    assert_int_equal(count_kind(r, CS_TOKEN_CHAR), 6);
    assert_int_equal(count_kind(r, CS_TOKEN_BIGRAM), 2);
    /* Each run's characters come last in it, after its bigrams. */
    for (size_t i = 1; i < r.n; i++)
        if (r.tok[i].run == r.tok[i - 1].run && r.tok[i - 1].kind == CS_TOKEN_CHAR)
            assert_int_equal(r.tok[i].kind, CS_TOKEN_CHAR);
    assert_int_equal(r.tok[r.n - 1].kind, CS_TOKEN_WORD); /* "ok" */

    cs_analyzer_set_chars(a, false);
    r = analyze(a, "教練");
    assert_int_equal(count_kind(r, CS_TOKEN_CHAR), 0);
    cs_analyzer_set_chars(NULL, true); /* harmless */
}

static size_t count_variants(result_t r)
{
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += r.tok[i].variant;
    return n;
}

/* The variant token of that kind and text, at pos and input bytes. */
static void expect_variant(result_t r, cs_token_kind_t kind, const char *text, uint32_t pos,
                           size_t start, size_t end)
{
    for (size_t i = 0; i < r.n; i++) {
        const cs_token_t *t = &r.tok[i];
        if (t->variant && t->kind == kind && strcmp(t->text, text) == 0) {
            if (t->pos != pos || t->start != start || t->end != end) {
                print_tokens(r);
                fail_msg("%s '%s': pos %u [%zu,%zu), want pos %u [%zu,%zu)", kind_name(kind), text,
                         t->pos, t->start, t->end, pos, start, end);
            }
            return;
        }
    }
    print_tokens(r);
    fail_msg("no variant %s token '%s'", kind_name(kind), text);
}

/* A Simplified run also gives its Taiwan form's bigrams, with mainland
 * vocabulary turned into Taiwan's, at the positions and bytes of the
 * characters as written; its own tokens stay as they were. */
static void test_simplified_run_gets_taiwan_bigrams(void **state)
{
    cs_analyzer_t *a = *state;
    result_t r = analyze(a, "用网络看视频");
    expect(r, CS_TOKEN_BIGRAM, "网络", 1, 3, 9, 1);
    expect_variant(r, CS_TOKEN_BIGRAM, "網路", 1, 3, 9);
    expect_variant(r, CS_TOKEN_BIGRAM, "影片", 4, 12, 18);
    expect_variant(r, CS_TOKEN_BIGRAM, "看影", 3, 9, 15);
    /* Only where the form differs: 用 stays 用, but 用網 differs from 用网. */
    expect_variant(r, CS_TOKEN_BIGRAM, "用網", 0, 0, 6);
    assert_int_equal(count_variants(r), 5);
    /* No ICU words of the Taiwan form: a talk written in the script typed
     * also matches the query's words, and ranks first. */
    for (size_t i = 0; i < r.n; i++)
        assert_true(!r.tok[i].variant || r.tok[i].kind == CS_TOKEN_BIGRAM);

    r = analyze(a, "这是网络视频信息程序");
    expect_variant(r, CS_TOKEN_BIGRAM, "資訊", 6, 18, 24);
    expect_variant(r, CS_TOKEN_BIGRAM, "程式", 8, 24, 30);
    expect_variant(r, CS_TOKEN_BIGRAM, "這是", 0, 0, 6);
    expect_none(r, CS_TOKEN_BIGRAM, "进程");
}

/* Traditional text, and runs of characters both scripts share, give no
 * variant token at all: Taiwan's 程序 stays 程序, 台 stays 台. */
static void test_traditional_text_is_unchanged(void **state)
{
    cs_analyzer_t *a = *state;
    const char *texts[] = {"網路影片資訊程式", "有在寫測試的人請舉手", "台南的程序", "信息",
                           "公里 皇后 面 干",  "データ分析 파이썬을"};
    cs_analyzer_set_chars(a, true);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        result_t r = analyze(a, texts[i]);
        if (count_variants(r) != 0) {
            print_tokens(r);
            fail_msg("variant tokens for '%s'", texts[i]);
        }
    }
    cs_analyzer_set_chars(a, false);
}

/* A query cannot tell mainland 程序 from Taiwan's: its runs are converted
 * whatever they hold; CS_VARIANTS_NONE converts nothing. */
static void test_query_runs_are_converted_whatever_they_hold(void **state)
{
    cs_analyzer_t *a = *state;
    assert_int_equal(cs_analyzer_set_variants(a, CS_VARIANTS_QUERY), CS_VARIANTS_DOCUMENT);
    result_t r = analyze(a, "程序");
    expect_variant(r, CS_TOKEN_BIGRAM, "程式", 0, 0, 6);
    r = analyze(a, "信息");
    expect_variant(r, CS_TOKEN_BIGRAM, "資訊", 0, 0, 6);
    r = analyze(a, "網路");
    assert_int_equal(count_variants(r), 0);
    /* A one-character form is a CJK word, like the character as written. */
    r = analyze(a, "网");
    expect_variant(r, CS_TOKEN_CJK, "網", 0, 0, 3);
    assert_int_equal(cs_analyzer_set_variants(a, CS_VARIANTS_NONE), CS_VARIANTS_QUERY);
    r = analyze(a, "用网络看视频");
    assert_int_equal(count_variants(r), 0);
    assert_int_equal(cs_analyzer_set_variants(a, CS_VARIANTS_DOCUMENT), CS_VARIANTS_NONE);
    assert_int_equal(cs_analyzer_set_variants(NULL, CS_VARIANTS_QUERY), CS_VARIANTS_DOCUMENT);
}

/* A Taiwan form of another length (写博客 -> 寫部落格): the extra character
 * shares the last position of the stretch it replaces and marks its
 * bytes; characters, when asked for, come after the run's own. */
static void test_taiwan_form_of_another_length(void **state)
{
    cs_analyzer_t *a = *state;
    cs_analyzer_set_chars(a, true);
    result_t r = analyze(a, "写博客 ok");
    expect_variant(r, CS_TOKEN_BIGRAM, "寫部", 0, 0, 6);
    expect_variant(r, CS_TOKEN_BIGRAM, "部落", 1, 3, 9);
    expect_variant(r, CS_TOKEN_BIGRAM, "落格", 2, 6, 9);
    expect_variant(r, CS_TOKEN_CHAR, "寫", 0, 0, 3);
    expect_variant(r, CS_TOKEN_CHAR, "格", 2, 6, 9);
    expect(r, CS_TOKEN_WORD, "ok", 3, 10, 12, 0);
    /* The run's own characters, then the form's, all after its bigrams. */
    bool chars = false;
    for (size_t i = 0; i < r.n && r.tok[i].run == 1; i++) {
        if (r.tok[i].kind == CS_TOKEN_CHAR)
            chars = true;
        else
            assert_false(chars);
    }
    cs_analyzer_set_chars(a, false);
}

/* The OpenCC module alone: which characters are Simplified-only, what a
 * run's form and map are, and what it refuses. */
static void test_script_fold_module(void **state)
{
    (void)state;
    bool is = true;
    assert_int_equal(cs_script_is_simplified(0x7F51 /* 网 */, &is), CS_OK);
    assert_false(is); /* Big5 has it */
    assert_int_equal(cs_script_is_simplified(0x7EDC /* 络 */, &is), CS_OK);
    assert_true(is);
    assert_int_equal(cs_script_is_simplified(0x53F0 /* 台 */, &is), CS_OK);
    assert_false(is);
    assert_int_equal(cs_script_is_simplified(0x7A0B /* 程 */, &is), CS_OK);
    assert_false(is);
    assert_int_equal(cs_script_is_simplified('a', &is), CS_OK);
    assert_false(is);
    assert_int_equal(cs_script_is_simplified(0x7EDC, NULL), CS_ERR_NULL_ARG);

    cs_script_fold_t *f = NULL;
    assert_int_equal(cs_script_fold_create(&f), CS_OK);
    cs_script_variant_t v;
    assert_int_equal(cs_script_fold_run(f, "网络", 6, 2, &v), CS_OK);
    assert_int_equal(v.count, 2);
    assert_string_equal(v.text, "網路");
    assert_int_equal(v.at[1], 3);
    assert_int_equal(v.at[2], 6);
    assert_int_equal(v.from[0], 0);
    assert_int_equal(v.from[1], 1);
    /* Unchanged, mixed with non-CJK, or a wrong count: no form. */
    assert_int_equal(cs_script_fold_run(f, "網路", 6, 2, &v), CS_OK);
    assert_int_equal(v.count, 0);
    assert_int_equal(cs_script_fold_run(f, "网a", 4, 2, &v), CS_OK);
    assert_int_equal(v.count, 0);
    assert_int_equal(cs_script_fold_run(f, "网络", 6, 3, &v), CS_OK);
    assert_int_equal(v.count, 0);
    assert_int_equal(cs_script_fold_run(f, "\xe7\xbd", 2, 1, &v), CS_OK);
    assert_int_equal(v.count, 0);
    assert_int_equal(cs_script_fold_run(NULL, "网", 3, 1, &v), CS_ERR_NULL_ARG);
    assert_int_equal(cs_script_fold_run(f, NULL, 3, 1, &v), CS_ERR_NULL_ARG);
    assert_string_equal(cs_script_fold_error(f), "");
    cs_script_fold_destroy(f);
    cs_script_fold_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_latin_words_and_offsets),
        cmocka_unit_test(test_case_and_width_folding),
        cmocka_unit_test(test_numbers_and_joined_words),
        cmocka_unit_test(test_compounds),
        cmocka_unit_test(test_long_compound_keeps_its_parts),
        cmocka_unit_test(test_punctuation_and_space_dropped),
        cmocka_unit_test(test_cjk_words_and_bigrams),
        cmocka_unit_test(test_latin_glued_to_chinese),
        cmocka_unit_test(test_mixed_positions_consecutive),
        cmocka_unit_test(test_icu_word_split_at_script_boundary),
        cmocka_unit_test(test_marks_and_supplementary_characters),
        cmocka_unit_test(test_emoji_and_symbols_give_nothing),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_long_token_dropped),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_analyzer_reuse),
        cmocka_unit_test(test_long_input_invariants),
        cmocka_unit_test(test_cjk_run_longer_than_a_chunk),
        cmocka_unit_test(test_characters_when_asked),
        cmocka_unit_test(test_simplified_run_gets_taiwan_bigrams),
        cmocka_unit_test(test_traditional_text_is_unchanged),
        cmocka_unit_test(test_query_runs_are_converted_whatever_they_hold),
        cmocka_unit_test(test_taiwan_form_of_another_length),
        cmocka_unit_test(test_script_fold_module),
        cmocka_unit_test(test_mark_at_a_chunk_cut),
        cmocka_unit_test(test_buffers_shrink_after_a_huge_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
