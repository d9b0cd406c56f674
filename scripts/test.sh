#!/bin/sh
# test.sh: the README's test command: installs dependencies (the build's and
# the browser tests' and clang-format), checks that the C and C++ files
# follow .clang-format, builds with warnings as errors, and runs every test
# with ctest.  tests/web/run.sh adds Node.js and playwright-core if missing.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh build web format
scripts/check-format.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCONFSEARCH_WERROR=ON ${CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j"$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
# CI (CONFSEARCH_SANITIZER_PASS=1, set by .ci/run): the whole suite again,
# built with AddressSanitizer + UndefinedBehaviorSanitizer.  Reports go to
# stderr, where the e2e helpers look for them; a failed cmocka group
# teardown (which cmocka 1.1 does not count) fails the pass too.
if [ "${CONFSEARCH_SANITIZER_PASS:-0}" = 1 ]; then
    SAN_DIR=${SAN_BUILD_DIR:-build-asan}
    cmake -S . -B "$SAN_DIR" -DCONFSEARCH_WERROR=ON -DCONFSEARCH_SANITIZE=address,undefined \
        ${CMAKE_ARGS:-}
    cmake --build "$SAN_DIR" -j"$(nproc)"
    ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        ctest --test-dir "$SAN_DIR" --output-on-failure -j"$(nproc)"
    if grep -n "GROUP TEARDOWN" "$SAN_DIR/Testing/Temporary/LastTest.log"; then
        echo "test.sh: a test's group teardown failed (see above)" >&2
        exit 1
    fi
fi
