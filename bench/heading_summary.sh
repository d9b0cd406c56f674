#!/bin/sh
# bench/heading_summary.sh [BUILD_DIR]: a Markdown pad whose talks are
# "## [time][room]" headings under a summary list of the same slots (the
# list is the programme, not more talks).  Each list line is checked
# against the heading slots; that check was a scan of every heading, so a
# pad of N talks cost N^2 (30,000 took 2.1 s).  Prints seconds for N =
# 3,000 and 30,000 talks and the time per talk of the larger relative to
# the smaller, measured in the same run (1.0 = linear).  Not part of ctest.
set -eu
. "$(dirname "$0")/lib_indexer.sh"
printf '%8s %10s\n' talks seconds
for n in 3000 30000; do
    awk -v n="$n" 'BEGIN {
        print "# Summary Conf 2026 - Day 1 (2026-01-01)\n";
        for (i = 0; i < n; i++) { s = i % 1440; printf "- [%d:%02d][R%d] Talk %d\n", int(s / 60), s % 60, int(i / 1440), i }
        print "";
        for (i = 0; i < n; i++) { s = i % 1440; printf "## [%d:%02d][R%d] Talk %d\n\nnotes %d\n\n", int(s / 60), s % 60, int(i / 1440), i, i }
    }' > "$WORK/pad$n.md"
    s=$(now); "$IDX" --explain "$WORK/pad$n.md" > "$WORK/out$n"; e=$(now)
    t=$(echo "$e - $s" | bc)
    printf '%8d %10.3f   (%s)\n' "$n" "$t" "$(tail -n 1 "$WORK/out$n" | sed 's/^ *//')"
    eval "t$n=$t"
done
echo "time per talk at 30,000 vs 3,000: $(echo "scale=2; ($t30000 * 3000) / ($t3000 * 30000)" | bc)x"
