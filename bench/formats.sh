#!/bin/sh
# bench/formats.sh: what reading Markdown notes costs, next to a full build
# of the same notes (not part of ctest).  Two corpora of about the same
# size: the seed format from bench/gen_corpus, and Markdown made of the
# fixtures of tests/fixtures/formats (every shape docs/formats.md lists, far
# denser in headings than real notes), copied under other names; and the
# seed pads rewritten as Markdown.  For each: the parser alone
# (bench/parse_bench) and a full confsearch-index build, in this run.
#
#   bench/formats.sh [COPIES]    # COPIES of the Markdown fixtures (default 40)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench-formats}
WORK=${WORK_DIR:-$(mktemp -d)}
COPIES=${1:-40}
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target parse_bench gen_corpus confsearch-index >/dev/null

md="$WORK/markdown"
mkdir -p "$md"
i=0
while [ "$i" -lt "$COPIES" ]; do
    for f in "$ROOT"/tests/fixtures/formats/*/*.md; do
        cp "$f" "$md/c$i-$(basename "$f")"
    done
    i=$((i + 1))
done
mdbytes=$(cat "$md"/*.md | wc -c)
# Seed-format pads of about the same size (a talk is ~2.5 kB), and the
# same pads written as HackMD notes ("# Conf - Day 1 (date)", "## 9:10 R0:
# Title (Speaker)"): the same talks and text through the Markdown reader.
talks=$((mdbytes / 2500))
"$BUILD/bench/gen_corpus" --talks "$talks" --out "$WORK/seed" >/dev/null
mkdir -p "$WORK/seed-md"
for f in "$WORK"/seed/*.txt; do
    sed -e '1s/^/# /' -e 's/^\[\([0-9:]*\)\]\[\([A-Za-z0-9]*\)\] /## \1 \2: /' "$f" \
        >"$WORK/seed-md/$(basename "$f" .txt).md"
done

for kind in markdown seed seed-md; do
    files=$(find "$WORK/$kind" -name '*.md' -o -name '*.txt' | sort)
    echo "== $kind"
    # shellcheck disable=SC2086
    "$BUILD/bench/parse_bench" $files
    rm -rf "$WORK/$kind.db"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$BUILD/indexer/confsearch-index" --quiet --db "$WORK/$kind.db" $files
    end=$(date +%s.%N)
    bytes=$(cat $files | wc -c)
    echo "full build: $(echo "$end - $start" | bc) s, $(echo "scale=2; $bytes / 1000000 / ($end - $start)" | bc) MB/s"
done
[ -n "${WORK_DIR:-}" ] || rm -rf "$WORK"
