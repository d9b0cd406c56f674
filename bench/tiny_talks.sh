#!/bin/sh
# bench/tiny_talks.sh: the indexer's time and peak memory on one file of
# many tiny talks (issue 13: 1,000,000 talks in a 13 MB file took 930 MB).
# For each size: talks/s, peak RSS (/usr/bin/time -v) and bytes of peak RSS
# per talk; the ratio column compares each size's per-talk figures with the
# smallest size's, measured in this run (1.0 = linear).  Not part of ctest.
#
#   bench/tiny_talks.sh [N ...]    # talk counts (default 10000 100000 1000000)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench-tiny}
WORK=${WORK_DIR:-$(mktemp -d)}
[ $# -gt 0 ] || set -- 10000 100000 1000000
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target confsearch-index >/dev/null
INDEX=$(find "$BUILD" -name confsearch-index -type f -perm -u+x | head -n1)

# One conference day per 10,000 talks (minutes 00:00-23:59 x 7 rooms fill
# a day's slots), each talk a header and one short line, as in the report.
gen() {
    awk -v n="$1" 'BEGIN {
        for (i = 0; i < n; i++) {
            if (i % 10000 == 0)
                printf "Tiny Conf - Day %d (2026-%02d-%02d)\n\n", i / 10000 + 1,
                       int(i / 10000 / 28) % 12 + 1, int(i / 10000) % 28 + 1
            s = int(i % 10000 / 7)
            printf "[%d:%02d][R%d] T%d\nx\n", int(s / 60) % 24, s % 60, i % 7, i
        }
    }'
}

printf '%10s %10s %9s %10s %10s %12s %8s\n' talks bytes seconds talks/s peak_MB B/talk ratio
base_tps= ; base_bpt=
for n in "$@"; do
    f="$WORK/tiny-$n.txt"
    gen "$n" >"$f"
    rm -rf "$WORK/db-$n"
    /usr/bin/time -v "$INDEX" --quiet --db "$WORK/db-$n" "$f" 2>"$WORK/time-$n" >/dev/null || true
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/time-$n")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time-$n")
    bytes=$(wc -c <"$f")
    tps=$(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n / (s > 0 ? s : 0.01)}')
    bpt=$(awk -v n="$n" -v k="$kb" 'BEGIN {printf "%.0f", k * 1024 / n}')
    [ -n "$base_tps" ] || { base_tps=$tps; base_bpt=$bpt; }
    ratio=$(awk -v a="$tps" -v b="$base_tps" 'BEGIN {printf "%.2f", b / a}')
    printf '%10s %10s %9s %10s %10.0f %12s %8s\n' "$n" "$bytes" "$secs" "$tps" \
        "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$bpt" "$ratio"
    grep -q "Exit status: 0" "$WORK/time-$n" || echo "  (indexer exit: $(grep 'Exit status' "$WORK/time-$n"))"
done
echo "ratio = seconds per talk relative to the first size (1.00 = linear time)"
