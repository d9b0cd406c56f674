#!/bin/sh
# bench/run.sh: the benchmark of issue 6, in one command (not part of ctest).
#
#   bench/run.sh                 # 2k and 20k talks: ~10 minutes on 2 cores
#   bench/run.sh --with-100k     # and 100k talks (~250 MB of notes): add ~40 minutes
#   bench/run.sh --sizes 100000  # just that size (results of other sizes are kept)
#
# It installs what it needs (scripts/deps/bench.txt), builds confsearch in
# Release, generates the corpora (bench/gen_corpus.c), and measures on each:
#   - indexing: confsearch-index (first build on every core; incremental
#     after 1% of the pads changed; a re-run with nothing changed), Omega's
#     scriptindex and Sphinx's indexer on the same talks: wall time, MB/s,
#     peak RSS, index size;
#   - truth: bench/truth.py compares, for every query of the mix, the
#     talks confsearchd matches with a brute-force count over the generated
#     notes (words delimited by non-letters, CJK substrings); a talk missed
#     (or a CJK count that differs) makes run.sh exit 1 at the end, after
#     the summary, with DIR/<talks>/truth.txt saying which;
#   - queries: the mix of gen_corpus --queries, as /api/search with facets
#     and snippets: single-client p50/p99 (bench/latency.c), wrk throughput
#     at 1, 16 and 64 connections, and the same mix against Sphinx through
#     SphinxQL (FACETs, SHOW META, CALL SNIPPETS) at 1 and 16 connections
#     with the same client; searchd resident memory and start-up time.
# Every figure is printed absolute and as a ratio to confsearch's, into
# $BENCH_DIR/summary.md, with a chart $BENCH_DIR/latency.png.  All traffic
# goes to 127.0.0.1 and every load run is bounded in time.
#
# Options: --sizes "N ..."  --with-100k  --duration S (per load run, default 10)
#          --mix N (gen_corpus --mix: 1, the default, the text and queries of
#          the tables in bench/RESULTS.md; 2, also compounds, Korean and
#          Simplified Chinese, and queries for them)
#          --skip-deps  --single-thread (also time confsearch-index -j1)
#          --queries-only (keep the corpora, indexes and indexing figures of an
#          earlier run and measure the queries again, e.g. on a quieter machine)
# Environment: BENCH_DIR (default: build-bench/ in the repository).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/build-bench}
SIZES="2000 20000"
DURATION=10
SKIP_DEPS=0
SINGLE=0
QUERIES_ONLY=0
MIX=1
TRUTH_FAILED=""
CONF_PORT=18431
SPHINX_PORT=18432
while [ $# -gt 0 ]; do
    case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --with-100k) SIZES="$SIZES 100000"; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --skip-deps) SKIP_DEPS=1; shift ;;
    --single-thread) SINGLE=1; shift ;;
    --queries-only) QUERIES_ONLY=1; shift ;;
    --mix) MIX=$2; shift 2 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

[ "$SKIP_DEPS" = 1 ] || "$ROOT/scripts/install-deps.sh" build bench
BUILD=$BENCH_DIR/release
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target confsearch-index confsearchd gen_corpus latency >/dev/null
INDEXER=$BUILD/indexer/confsearch-index
SEARCHD=$BUILD/searchd/confsearchd
GEN=$BUILD/bench/gen_corpus
LATENCY=$BUILD/bench/latency
CORES=$(nproc)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now_ns() { date +%s%N; }
load_avg() { cut -d' ' -f1 /proc/loadavg; }
# Measures a command: wall seconds (our clock), peak RSS and CPU (GNU time).
# Sets T_WALL, T_RSS_KB, T_CPU; the command's output goes to $1.
measure() {
    out=$1; shift
    t0=$(now_ns)
    /usr/bin/time -v -o "$out.time" "$@" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
    t1=$(now_ns)
    T_WALL=$(echo "$t0 $t1" | awk '{printf "%.3f", ($2 - $1) / 1e9}')
    T_RSS_KB=$(awk -F': ' '/Maximum resident/ {print $2}' "$out.time")
    T_CPU=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$out.time")
}
dir_mb() { du -sk "$1" | awk '{printf "%.1f", $1 / 1024}'; }
put() { echo "$1=$2" >>"$RES"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
# "key value" from the latency client's "all ..." line.
lat_field() { awk -v k="$2" '$1 == "all" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }
qps_field() { awk '/^connections=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "qps") print kv[2] } }' "$1"; }
# curl says 7 ("couldn't connect") only when nothing listens there.
wait_port_free() {
    rc=0
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" || rc=$?
    if [ "$rc" != 7 ]; then
        echo "run.sh: 127.0.0.1:$1 is in use; change the port at the top of $0" >&2
        exit 1
    fi
}

bench_size() {
    N=$1
    D=$BENCH_DIR/$N
    RES=$D/results.env
    log "== $N talks in $D"
    if [ "$QUERIES_ONLY" = 1 ]; then
        [ -d "$D/confsearch.db" ] && [ -d "$D/sphinx" ] || {
            echo "run.sh: no earlier run in $D for --queries-only" >&2
            exit 1
        }
        # Keep the indexing figures; later lines of a key win.
        put load_start "$(load_avg)"
        put load_after_indexing "$(load_avg)"
        bench_queries
        return
    fi
    rm -rf "$D"
    mkdir -p "$D"
    : >"$RES"
    put cores "$CORES"
    put load_start "$(load_avg)"

    # ---- corpus ----
    "$GEN" --mix "$MIX" --talks "$N" --out "$D/notes" --queries "$D/queries.tsv" \
        --sphinx "$D/talks.xml" --omega "$D/talks.omega" >"$D/gen.txt"
    BYTES=$(cat "$D"/notes/*.txt | wc -c)
    MB=$(echo "$BYTES" | awk '{printf "%.2f", $1 / 1e6}')
    put notes_mb "$MB"
    put pads "$(ls "$D/notes" | wc -l)"

    # ---- confsearch indexing ----
    log "confsearch-index, first build ($MB MB)"
    measure "$D/index-full.txt" "$INDEXER" --no-progress --db "$D/confsearch.db" "$D"/notes/*.txt
    put conf_index_s "$T_WALL"; put conf_index_cpu "$T_CPU"; put conf_index_rss_kb "$T_RSS_KB"
    put conf_index_mb "$(dir_mb "$D/confsearch.db")"
    if [ "$SINGLE" = 1 ]; then
        log "confsearch-index -j1, first build"
        measure "$D/index-j1.txt" "$INDEXER" -j1 --no-progress --db "$D/confsearch-j1.db" "$D"/notes/*.txt
        put conf1_index_s "$T_WALL"; put conf1_index_cpu "$T_CPU"; put conf1_index_rss_kb "$T_RSS_KB"
        put conf1_index_mb "$(dir_mb "$D/confsearch-j1.db")"
        rm -rf "$D/confsearch-j1.db"
    fi
    log "confsearch-index, nothing changed"
    measure "$D/index-same.txt" "$INDEXER" --no-progress --db "$D/confsearch.db" "$D"/notes/*.txt
    put conf_same_s "$T_WALL"; put conf_same_rss_kb "$T_RSS_KB"
    # The incremental run updates a copy of the index, so that the queries
    # below search the very talks that the peers indexed.  The pads change
    # in place: a talk's source is its file's path, so only the same paths
    # let the indexer see which talks vanished.
    cp -a "$D/confsearch.db" "$D/confsearch-incr.db"
    "$GEN" --mix "$MIX" --talks "$N" --out "$D/notes" --change-percent 1 >"$D/gen-change.txt"
    log "confsearch-index, 1% of pads changed ($(cat "$D/gen-change.txt"))"
    measure "$D/index-incr.txt" "$INDEXER" --no-progress --db "$D/confsearch-incr.db" "$D"/notes/*.txt
    put conf_incr_s "$T_WALL"; put conf_incr_rss_kb "$T_RSS_KB"
    put conf_incr_summary "\"$(tail -1 "$D/index-incr.txt")\""
    put conf_incr_mb "$(dir_mb "$D/confsearch-incr.db")"
    rm -rf "$D/confsearch-incr.db"

    # ---- Omega scriptindex ----
    log "scriptindex (Omega), with spelling data as confsearch"
    measure "$D/omega.txt" env XAPIAN_CJK_NGRAM=1 scriptindex "$D/omega.db" \
        "$ROOT/bench/omega.script" "$D/talks.omega"
    put omega_index_s "$T_WALL"; put omega_index_rss_kb "$T_RSS_KB"; put omega_index_mb "$(dir_mb "$D/omega.db")"
    rm -rf "$D/omega.db"
    log "scriptindex (Omega), without spelling data"
    sed 's/ spell//' "$ROOT/bench/omega.script" >"$D/omega-nospell.script"
    measure "$D/omega-nospell.txt" env XAPIAN_CJK_NGRAM=1 scriptindex "$D/omega.db" \
        "$D/omega-nospell.script" "$D/talks.omega"
    put omega_nospell_s "$T_WALL"; put omega_nospell_rss_kb "$T_RSS_KB"; put omega_nospell_mb "$(dir_mb "$D/omega.db")"
    # talks.omega stays: bench/truth.py reads the talks from it (also in a
    # later --queries-only run).
    rm -rf "$D/omega.db"

    # ---- Sphinx indexer ----
    mkdir -p "$D/sphinx"
    sed -e "s|@DIR@|$D/sphinx|g" -e "s|@XML@|$D/talks.xml|g" -e "s|@PORT@|$SPHINX_PORT|g" \
        "$ROOT/bench/sphinx.conf.in" >"$D/sphinx/sphinx.conf"
    log "Sphinx indexer"
    measure "$D/sphinx-index.txt" indexer --config "$D/sphinx/sphinx.conf" --all
    put sphinx_index_s "$T_WALL"; put sphinx_index_rss_kb "$T_RSS_KB"
    put sphinx_index_mb "$(du -ck "$D"/sphinx/talks.* | tail -1 | awk '{printf "%.1f", $1 / 1024}')"
    put load_after_indexing "$(load_avg)"
    bench_queries
    rm -f "$D/talks.xml"
}

bench_queries() {
    # ---- confsearchd ----
    wait_port_free $CONF_PORT
    sync
    t0=$(now_ns)
    "$SEARCHD" --db "$D/confsearch.db" --listen 127.0.0.1:$CONF_PORT --no-access-log \
        >"$D/confsearchd.out" 2>&1 &
    CONF_PID=$!
    up=$("$LATENCY" --http http://127.0.0.1:$CONF_PORT --wait 10 | sed 's/up_ns=//')
    put conf_startup_ms "$(echo "$t0 $up" | awk '{printf "%.1f", ($2 - $1) / 1e6}')"
    put conf_rss_start_kb "$(rss_kb $CONF_PID)"
    "$LATENCY" --http http://127.0.0.1:$CONF_PORT --queries "$D/queries.tsv" --totals >"$D/conf-totals.txt" || true
    # ---- truth: no talk missed ----
    if [ -f "$D/talks.omega" ]; then
        log "truth check: every query of the mix against a brute-force count"
        rc=0
        python3 "$ROOT/bench/truth.py" --queries "$D/queries.tsv" --talks "$D/talks.omega" \
            --url http://127.0.0.1:$CONF_PORT >"$D/truth.txt" || rc=$?
        put truth_rc "$rc"
        put truth_summary "\"$(sed -n 's/^truth summary: //p' "$D/truth.txt")\""
        if [ "$rc" != 0 ]; then
            log "truth check FAILED ($D/truth.txt): $(tail -1 "$D/truth.txt")"
            TRUTH_FAILED="$TRUTH_FAILED $N"
        fi
    else
        log "truth check skipped: no $D/talks.omega"
    fi
    log "confsearchd: single client"
    "$LATENCY" --http http://127.0.0.1:$CONF_PORT --queries "$D/queries.tsv" --rounds 3 >/dev/null
    "$LATENCY" --http http://127.0.0.1:$CONF_PORT --queries "$D/queries.tsv" --rounds 30 >"$D/conf-c1.txt" || true
    put conf_p50 "$(lat_field "$D/conf-c1.txt" p50)"; put conf_p99 "$(lat_field "$D/conf-c1.txt" p99)"
    put conf_qps1 "$(qps_field "$D/conf-c1.txt")"
    for c in 1 16 64; do
        t=2
        [ $c -lt 2 ] && t=1
        log "confsearchd: wrk, $c connections, ${DURATION}s"
        wrk -t$t -c$c -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/bench/mix.lua" \
            http://127.0.0.1:$CONF_PORT -- "$D/queries.tsv" >"$D/conf-wrk-c$c.txt"
        put conf_wrk_qps_c$c "$(awk '/^Requests\/sec/ {print $2}' "$D/conf-wrk-c$c.txt")"
    done
    log "confsearchd: latency client, 16 connections, ${DURATION}s"
    "$LATENCY" --http http://127.0.0.1:$CONF_PORT --queries "$D/queries.tsv" -c 16 -d "$DURATION" >"$D/conf-c16.txt" || true
    put conf_qps16 "$(qps_field "$D/conf-c16.txt")"
    put conf_c16_p50 "$(lat_field "$D/conf-c16.txt" p50)"; put conf_c16_p99 "$(lat_field "$D/conf-c16.txt" p99)"
    put conf_errors "$(cat "$D"/conf-c*.txt | sed -n 's/.*errors=\([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')"
    put conf_rss_kb "$(rss_kb $CONF_PID)"; put conf_hwm_kb "$(hwm_kb $CONF_PID)"
    kill $CONF_PID; wait $CONF_PID 2>/dev/null || true

    # ---- Sphinx searchd ----
    wait_port_free $SPHINX_PORT
    t0=$(now_ns)
    searchd --config "$D/sphinx/sphinx.conf" --nodetach >"$D/sphinx-searchd.out" 2>&1 &
    SPHINX_PID=$!
    up=$("$LATENCY" --sphinxql 127.0.0.1:$SPHINX_PORT --wait 30 | sed 's/up_ns=//')
    put sphinx_startup_ms "$(echo "$t0 $up" | awk '{printf "%.1f", ($2 - $1) / 1e6}')"
    put sphinx_rss_start_kb "$(rss_kb $SPHINX_PID)"
    "$LATENCY" --sphinxql 127.0.0.1:$SPHINX_PORT --queries "$D/queries.tsv" --totals >"$D/sphinx-totals.txt" || true
    log "Sphinx searchd: single client"
    "$LATENCY" --sphinxql 127.0.0.1:$SPHINX_PORT --queries "$D/queries.tsv" --rounds 3 >/dev/null
    "$LATENCY" --sphinxql 127.0.0.1:$SPHINX_PORT --queries "$D/queries.tsv" --rounds 30 >"$D/sphinx-c1.txt" || true
    put sphinx_p50 "$(lat_field "$D/sphinx-c1.txt" p50)"; put sphinx_p99 "$(lat_field "$D/sphinx-c1.txt" p99)"
    put sphinx_qps1 "$(qps_field "$D/sphinx-c1.txt")"
    log "Sphinx searchd: latency client, 16 connections, ${DURATION}s"
    "$LATENCY" --sphinxql 127.0.0.1:$SPHINX_PORT --queries "$D/queries.tsv" -c 16 -d "$DURATION" >"$D/sphinx-c16.txt" || true
    put sphinx_qps16 "$(qps_field "$D/sphinx-c16.txt")"
    put sphinx_c16_p50 "$(lat_field "$D/sphinx-c16.txt" p50)"; put sphinx_c16_p99 "$(lat_field "$D/sphinx-c16.txt" p99)"
    put sphinx_errors "$(cat "$D"/sphinx-c*.txt | sed -n 's/.*errors=\([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')"
    put sphinx_rss_kb "$(rss_kb $SPHINX_PID)"; put sphinx_hwm_kb "$(hwm_kb $SPHINX_PID)"
    kill $SPHINX_PID; wait $SPHINX_PID 2>/dev/null || true
    put load_end "$(load_avg)"
}

for n in $SIZES; do
    bench_size "$n"
done
"$ROOT/bench/summary.sh" "$BENCH_DIR"
if [ -n "$TRUTH_FAILED" ]; then
    echo "run.sh: the truth check found talks missed (or CJK counts off) at:$TRUTH_FAILED talks; see $BENCH_DIR/<talks>/truth.txt" >&2
    exit 1
fi
