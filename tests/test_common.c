/* test_common.c: the helpers every module shares (schema/hash.h, grow.h,
 * strmap.h, utf8.h): what their callers rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "hash.h"
#include "strmap.h"
#include "utf8.h"

/* Every byte alone, and a few sequences around each boundary of UTF-8. */
static void test_utf8(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        char c = (char)b;
        assert_int_equal(cs_utf8_valid(&c, 1), b < 0x80);
    }
    static const struct {
        const char *s;
        bool valid;
    } seqs[] = {
        {"", true},
        {"\xc2\x80", true},
        {"\xc1\xbf", false}, /* overlong */
        {"\xdf\xbf", true},
        {"\xe0\xa0\x80", true},
        {"\xe0\x9f\xbf", false}, /* overlong */
        {"\xed\x9f\xbf", true},
        {"\xed\xa0\x80", false}, /* surrogate */
        {"\xee\x80\x80", true},
        {"\xef\xbf\xbd", true},
        {"\xf0\x90\x80\x80", true},
        {"\xf0\x8f\xbf\xbf", false}, /* overlong */
        {"\xf4\x8f\xbf\xbf", true},
        {"\xf4\x90\x80\x80", false}, /* past U+10FFFF */
        {"\xf5\x80\x80\x80", false},
        {"\xe6\xb8", false},     /* truncated */
        {"\xe6\xb8\xac", true},  /* 測 */
        {"a\x80", false},        /* stray continuation */
        {"\xc3\xa9\xc3", false}, /* truncated at the end */
    };
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
        assert_int_equal(cs_utf8_valid(seqs[i].s, strlen(seqs[i].s)), seqs[i].valid);
    /* A NUL is a character: callers that refuse it check for it themselves. */
    assert_true(cs_utf8_valid("a\0b", 3));
}

/* Cuts land on character boundaries, so a cut message stays valid UTF-8. */
static void test_utf8_floor(void **state)
{
    (void)state;
    const char *s = "a\xe6\xb8\xac\xe8\xa9\xa6"; /* a測試: 1 + 3 + 3 bytes */
    size_t len = strlen(s);
    assert_int_equal(cs_utf8_floor(s, len, 100), len);
    assert_int_equal(cs_utf8_floor(s, len, 7), 7);
    assert_int_equal(cs_utf8_floor(s, len, 6), 4);
    assert_int_equal(cs_utf8_floor(s, len, 5), 4);
    assert_int_equal(cs_utf8_floor(s, len, 4), 4);
    assert_int_equal(cs_utf8_floor(s, len, 3), 1);
    assert_int_equal(cs_utf8_floor(s, len, 1), 1);
    assert_int_equal(cs_utf8_floor(s, len, 0), 0);
    for (size_t max = 0; max <= len; max++)
        assert_true(cs_utf8_valid(s, cs_utf8_floor(s, len, max)));
}

/* The ids and source terms in every index were made with this hash: its
 * values must never change (FNV-1a 64 test vectors). */
static void test_hash_is_fnv1a(void **state)
{
    (void)state;
    assert_true(cs_hash_bytes("", 0) == 0xcbf29ce484222325ull);
    assert_true(cs_hash_bytes("a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(cs_hash_bytes("foobar", 6) == 0x85944171f73967e8ull);
}

static void test_grow(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        assert_true(cs_grow(&a, &cap, (size_t)i + 1, sizeof *a, 16));
        a[i] = i;
    }
    assert_true(cap >= 1000 && cap < 2048 && (cap & (cap - 1)) == 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(a[i], i);
    /* A size that overflows is refused and the array stays as it was. */
    int *before = a;
    size_t before_cap = cap;
    assert_false(cs_grow(&a, &cap, SIZE_MAX / 2, sizeof *a, 16));
    assert_ptr_equal(a, before);
    assert_int_equal(cap, before_cap);
    free(a);

    long *z = NULL;
    size_t zcap = 0;
    assert_true(cs_grow_zeroed(&z, &zcap, 3, sizeof *z, 4));
    z[0] = 7;
    assert_true(cs_grow_zeroed(&z, &zcap, 5, sizeof *z, 4));
    assert_int_equal(zcap, 8);
    assert_int_equal(z[0], 7);
    for (size_t i = 1; i < zcap; i++)
        assert_int_equal(z[i], 0);
    free(z);
}

static void test_strmap(void **state)
{
    (void)state;
    cs_strmap_t *m = NULL;
    assert_int_equal(cs_strmap_create(&m), CS_OK);
    assert_null(cs_strmap_get(m, "x", 1));
    /* 10,000 keys force many rehashes; keys are kept at a stable address. */
    const char *first = NULL;
    char key[32];
    for (int i = 0; i < 10000; i++) {
        int n = snprintf(key, sizeof key, "word%d", i);
        bool added = false;
        const char *stored = NULL;
        int64_t *v = cs_strmap_put(m, key, (size_t)n, i, &added, &stored);
        assert_non_null(v);
        assert_true(added);
        assert_string_equal(stored, key);
        if (i == 0)
            first = stored;
    }
    assert_string_equal(first, "word0");
    assert_int_equal(cs_strmap_count(m), 10000);
    bool added = true;
    int64_t *v = cs_strmap_put(m, "word42", 6, -1, &added, NULL);
    assert_false(added);
    assert_int_equal(*v, 42);
    *v += 8;
    assert_int_equal(*cs_strmap_get(m, "word42", 6), 50);
    /* Keys are bytes with a length: a NUL inside and a prefix are keys of their own. */
    assert_int_equal(*cs_strmap_get(m, "word4", 5), 4);
    assert_null(cs_strmap_get(m, "word4x", 6));
    assert_non_null(cs_strmap_put(m, "a\0b", 3, 1, NULL, NULL));
    assert_null(cs_strmap_get(m, "a", 1));
    assert_int_equal(*cs_strmap_get(m, "a\0b", 3), 1);
    /* Iteration visits every entry once. */
    size_t seen = 0, at = 0;
    int64_t sum = 0, value;
    const char *k;
    size_t len;
    while (cs_strmap_next(m, &at, &k, &len, &value)) {
        seen++;
        sum += value;
        assert_int_equal(strlen(k), len == 3 && k[1] == '\0' ? 1 : len);
    }
    assert_int_equal(seen, 10001);
    assert_true(sum == (int64_t)9999 * 10000 / 2 + 8 + 1);
    cs_strmap_clear(m);
    assert_int_equal(cs_strmap_count(m), 0);
    assert_null(cs_strmap_get(m, "word42", 6));
    at = 0;
    assert_false(cs_strmap_next(m, &at, &k, &len, &value));
    assert_non_null(cs_strmap_put(m, "again", 5, 3, NULL, NULL));
    assert_int_equal(*cs_strmap_get(m, "again", 5), 3);
    cs_strmap_destroy(m);
    cs_strmap_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),          cmocka_unit_test(test_utf8_floor),
        cmocka_unit_test(test_hash_is_fnv1a), cmocka_unit_test(test_grow),
        cmocka_unit_test(test_strmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
