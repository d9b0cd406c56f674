#!/bin/sh
# test.sh: the README's test command: installs dependencies (the build's and
# the browser tests'), builds with warnings as errors, and runs every test
# with ctest.  tests/web/run.sh adds Node.js and playwright-core if missing.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh build web
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCONFSEARCH_WERROR=ON ${CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j"$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
