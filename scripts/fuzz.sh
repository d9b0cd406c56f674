#!/bin/sh
# fuzz.sh TARGET MINUTES: runs one libFuzzer target (tests/fuzz/TARGET.c) for
# MINUTES, then merges what it found into the kept, minimized corpus
# tests/fuzz/corpus/TARGET/; crashes land in tests/fuzz/crashes/TARGET/.
# The full working corpus stays in BUILD_DIR/fuzz-corpus/TARGET for the next
# run; the repository keeps only inputs that add edge coverage, to stay small.
# Targets: fuzz_pad fuzz_markdown fuzz_analyze fuzz_query fuzz_snippet fuzz_search fuzz_params
# fuzz_schedule.
# BUILD_DIR (default build-fuzz) is a clang build with ASan + UBSan.
set -eu
[ $# -eq 2 ] || { echo "usage: scripts/fuzz.sh TARGET MINUTES" >&2; exit 2; }
target=$1
minutes=$2
cd "$(dirname "$0")/.."
[ -f "tests/fuzz/$target.c" ] || { echo "fuzz.sh: no target tests/fuzz/$target.c" >&2; exit 2; }
scripts/install-deps.sh build fuzz
BUILD_DIR=${BUILD_DIR:-build-fuzz}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD_DIR" -DCONFSEARCH_FUZZ=ON \
    -DCONFSEARCH_SANITIZE=address,undefined >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "$target"
bin=$(find "$BUILD_DIR" -type f -name "$target" -perm -u+x | head -n 1)

corpus=tests/fuzz/corpus/$target
crashes=tests/fuzz/crashes/$target
mkdir -p "$corpus" "$crashes"
work=$BUILD_DIR/fuzz-corpus/$target
mkdir -p "$work"
log=$(mktemp)
trap 'rm -rf "$log" "$log.min"' EXIT INT TERM
dict=""
[ -f "tests/fuzz/$target.dict" ] && dict="-dict=tests/fuzz/$target.dict"
# Inputs stay small so the kept corpus does (a few hundred KB for all).
max_len=4096
[ "$target" = fuzz_query ] && max_len=1100
[ "$target" = fuzz_search ] && max_len=1200

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
# shellcheck disable=SC2086
"$bin" $dict -max_len=$max_len -max_total_time=$((minutes * 60)) -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$work" "$corpus" 2>"$log" || status=$?
cp "$log" "$BUILD_DIR/$target.log"
grep -E '^(stat::|Done |INFO: Loaded|==[0-9]+==ERROR|SUMMARY)' "$log" || true
# The smallest set of inputs with the edge coverage of both corpora.
mkdir -p "$log.min"
"$bin" -merge=1 -use_counters=0 -max_len=$max_len "$log.min" "$corpus" "$work" >/dev/null 2>&1
if [ "$(find "$log.min" -type f | wc -l)" -gt 0 ]; then
    rm -f "$corpus"/*
    cp "$log.min"/* "$corpus"/
fi
echo "fuzz.sh: $target: kept corpus $(find "$corpus" -type f | wc -l) files," \
     "$(cat "$corpus"/* | wc -c) bytes; crashes kept: $(find "$crashes" -type f | wc -l)"
rmdir "$crashes" 2>/dev/null || true
exit $status
