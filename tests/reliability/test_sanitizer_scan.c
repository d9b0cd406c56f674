/* test_sanitizer_scan.c: in a sanitizer build, a daemon whose stderr holds a
 * real ASan, UBSan or LeakSanitizer report (with the ASAN_OPTIONS and
 * UBSAN_OPTIONS CI sets) makes cs_daemon_stop fail the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_daemon.h"

static void expect_caught(const char *mode, const char *needed_sanitizer)
{
    if (!strstr(CS_SANITIZE, needed_sanitizer)) {
        printf("%s: not in this build (%s)\n", mode, CS_SANITIZE);
        return;
    }
    cs_daemon_t d;
    assert_int_equal(cs_daemon_start(&d, "/nonexistent", "--mode", mode, NULL), 0);
    int code = cs_daemon_stop(&d);
    printf("%s: cs_daemon_stop returned %d\n", mode, code);
    /* 1000: the report was found in the daemon's stderr. */
    assert_int_equal(code, 1000);
}

static void test_reports_fail_the_test(void **state)
{
    (void)state;
    if (!CS_SANITIZE[0])
        skip();
    expect_caught("uaf", "address");
    expect_caught("ub", "undefined");
    expect_caught("leak", "address");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_reports_fail_the_test)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
