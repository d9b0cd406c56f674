#!/bin/sh
# bench/opencc.sh: the Simplified <-> Traditional mechanisms measured side by
# side (bench/RESULTS.md, "Format 5"); not part of ctest.
#
#   bench/opencc.sh NEW_BUILD BASE_BUILD [TALKS]
#
# NEW_BUILD is a Release build of this tree (format 5), BASE_BUILD one of
# format 4 (0523fbd), each with confsearch-index and confsearchd; NEW_BUILD
# also with gen_corpus and latency.  TALKS defaults to 20000.
#
# The generator writes Taiwan Traditional only, so every fifth pad is turned
# into Simplified with mainland words (OpenCC tw2sp: 網路 -> 网络, 程式 -> 程序,
# 資料庫 -> 数据库) by this script rather than by the generator.  Then:
#   format 4   the mixed pads as they are, no conversion (the baseline);
#   format 5   the mixed pads, Simplified runs with their Taiwan form's terms;
#   fold       every pad through s2twp first (fold both sides to one script,
#              the query folded too), indexed by format 4.
# For each: index size, the indexer's CPU time (user + sys), and the
# single-client latency of CJK queries in both scripts (30 rounds).
set -eu
NEW=$(cd "$1" && pwd)
BASE=$(cd "$2" && pwd)
TALKS=${3:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${BENCH_DIR:-$ROOT/build-bench}/opencc-$TALKS
PORT=18541
mkdir -p "$W"
cd "$W"

if [ ! -d notes ]; then
    "$NEW/bench/gen_corpus" --talks "$TALKS" --out notes >/dev/null
fi
if [ ! -d mixed ]; then
    mkdir mixed
    i=0
    for f in notes/*; do
        i=$((i + 1))
        if [ $((i % 5)) -eq 0 ]; then
            opencc -c tw2sp.json -i "$f" -o "mixed/${f##*/}"
        else
            cp "$f" mixed/
        fi
    done
fi
if [ ! -d folded ]; then
    mkdir folded
    /usr/bin/time -f "%U %S" -o fold-cpu.txt sh -c \
        'for f in mixed/*; do opencc -c s2twp.json -i "$f" -o "folded/${f##*/}"; done'
fi

# Queries: label, then the query as typed (the fold mechanism searches its
# s2twp form).
cat >queries.txt <<'EOF'
zh-trad-word	網路
zh-simp-word	网络
zh-trad-program	程式
zh-simp-program	程序
zh-simp-db	数据库
zh-trad-test	測試
zh-simp-test	测试
zh-phrase-simp	"机器学习"
EOF

urlenc() {
    printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /%/g; s/^/%/'
}

write_tsv() { # $1: out file, $2: fold the queries
    : >"$1"
    while IFS='	' read -r label q; do
        [ "$2" = fold ] && q=$(printf '%s' "$q" | opencc -c s2twp.json)
        printf '%s\t/api/search?q=%s\t\t\n' "$label" "$(urlenc "$q")" >>"$1"
    done <queries.txt
}
write_tsv queries.tsv plain
write_tsv queries-fold.tsv fold

measure() { # $1: name, $2: build, $3: notes dir, $4: query file
    rm -rf "$1.db"
    /usr/bin/time -f "%U %S %e %M" -o "$1.time" \
        "$2/indexer/confsearch-index" --no-progress --db "$1.db" "$3"/* >/dev/null 2>"$1.log"
    "$2/searchd/confsearchd" --db "$1.db" --listen 127.0.0.1:$PORT --threads 1 --no-access-log \
        >/dev/null 2>&1 &
    pid=$!
    "$NEW/bench/latency" --http http://127.0.0.1:$PORT --wait 10 >/dev/null
    "$NEW/bench/latency" --http http://127.0.0.1:$PORT --queries "$4" --totals >"$1.totals"
    "$NEW/bench/latency" --http http://127.0.0.1:$PORT --queries "$4" --rounds 3 >/dev/null
    "$NEW/bench/latency" --http http://127.0.0.1:$PORT --queries "$4" --rounds 30 >"$1.lat" || true
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    read -r user sys wall rss <"$1.time"
    printf '%s: index %s MB, CPU %.1f s (wall %s s, peak %s kB)\n' "$1" \
        "$(du -sm "$1.db" | cut -f1)" "$(echo "$user + $sys" | bc)" "$wall" "$rss"
    sed -n 's/^query \([^ ]*\) .* p50=\([0-9.]*\) .*/  \1 p50 \2 ms/p' "$1.lat" | tr '\n' ' '
    echo
    sed 's/^total /  total /' "$1.totals" | tr '\n' ' '
    echo
}

echo "pads: $(ls mixed | wc -l), $(du -sm mixed | cut -f1) MB; s2twp over every pad: $(cat fold-cpu.txt) s user sys"
measure format4 "$BASE" mixed queries.tsv
measure format5 "$NEW" mixed queries.tsv
measure fold "$BASE" folded queries-fold.tsv
