#!/bin/sh
# bench/shared_slot.sh [BUILD_DIR]: the cost of many talks claiming one id
# (issue 13): one file of N talks all at one time and room, against N talks
# in N rooms, for N = 1,000, 10,000 and 20,000; a first build (-j1) and a re-run
# that parses the file again (--rescan).  Prints seconds and the ratio of
# the shared slot to distinct rooms, measured in the same run.
set -eu
. "$(dirname "$0")/lib_indexer.sh"
printf '%-8s %7s %10s %10s\n' layout talks first_s rescan_s
for n in 1000 10000 20000; do
    for layout in same distinct; do
        f=$WORK/$layout$n.txt
        awk -v n="$n" -v layout="$layout" 'BEGIN {
            print "Slot Conf 2026 - Day 1 (2026-10-01)";
            for (i = 0; i < n; i++) {
                room = layout == "same" ? "R0" : "R" i;
                printf "[9:00][%s] Talk number %d (Speaker %d)\nnotes %d\n", room, i, i % 97, i;
            }
        }' > "$f"
        s=$(now); "$IDX" --db "$WORK/$layout$n.db" -q -j1 "$f"
        m=$(now); "$IDX" --db "$WORK/$layout$n.db" -q --rescan "$f"
        e=$(now)
        first=$(echo "$m - $s" | bc); rescan=$(echo "$e - $m" | bc)
        printf '%-8s %7d %10.2f %10.2f\n' "$layout" "$n" "$first" "$rescan"
        eval "${layout}_first=$first; ${layout}_rescan=$rescan"
    done
    # shellcheck disable=SC2154
    printf 'ratio shared/distinct at %d: first %.2fx, rescan %.2fx\n' "$n" \
        "$(echo "$same_first / $distinct_first" | bc -l)" "$(echo "$same_rescan / $distinct_rescan" | bc -l)"
done
