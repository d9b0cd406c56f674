#!/bin/sh
# bench/summary.sh DIR: the tables and the chart of the benchmark, from the
# DIR/<talks>/results.env files that bench/run.sh leaves (so sizes measured
# in different runs, such as a later --sizes 100000, come together).
# Writes DIR/summary.md, DIR/latency.dat and DIR/latency.png.
set -eu
DIR=$1
OUT=$DIR/summary.md
sizes=$(ls -d "$DIR"/[0-9]* 2>/dev/null | xargs -n1 basename | sort -n)
[ -n "$sizes" ] || { echo "summary.sh: no results in $DIR" >&2; exit 1; }

get() { sed -n "s/^$2=//p" "$DIR/$1/results.env" | tail -1 | tr -d '"'; }
# value, and its ratio to the confsearch value: "12.3 (2.05x)".
with_ratio() { printf '%s|%s\n' "$1" "$2" | awk -F'|' '{ if ($1 == "" || $1 == "-") print "-"; else if ($2 == "" || $2 == "-" || $2 + 0 == 0) print $1; else printf "%s (%.2fx)", $1, $1 / $2 }'; }
mbps() { echo "$1 $2" | awk '{ if ($2 + 0 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
kb2mb() { echo "$1" | awk '{ if ($1 == "") print "-"; else printf "%.0f", $1 / 1024 }'; }

{
echo "# confsearch benchmark results"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)," \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)."
echo "Ratios are to confsearch's figure in the same table (time: >1x means slower than confsearch;"
echo "QPS: >1x means more queries per second than confsearch)."
for n in $sizes; do
    mb=$(get "$n" notes_mb)
    echo
    echo "## $n talks ($mb MB of notes in $(get "$n" pads) pads)"
    echo
    echo "Load average (other work on the machine): $(get "$n" load_start) at the start," \
         "$(get "$n" load_after_indexing) after indexing, $(get "$n" load_end) at the end."
    echo
    echo "### Indexing"
    echo
    echo "| run | wall s (vs confsearch) | MB/s | CPU s | peak RSS MB | index MB |"
    echo "|---|---:|---:|---:|---:|---:|"
    c=$(get "$n" conf_index_s)
    echo "| confsearch-index, first build ($(get "$n" cores) threads) | $c | $(mbps "$mb" "$c") | $(get "$n" conf_index_cpu) | $(kb2mb "$(get "$n" conf_index_rss_kb)") | $(get "$n" conf_index_mb) |"
    if [ -n "$(get "$n" conf1_index_s)" ]; then
        v=$(get "$n" conf1_index_s)
        echo "| confsearch-index -j1, first build (1 thread) | $(with_ratio "$v" "$c") | $(mbps "$mb" "$v") | $(get "$n" conf1_index_cpu) | $(kb2mb "$(get "$n" conf1_index_rss_kb)") | $(get "$n" conf1_index_mb) |"
    fi
    v=$(get "$n" conf_same_s)
    echo "| confsearch-index, nothing changed | $(with_ratio "$v" "$c") | $(mbps "$mb" "$v") | | $(kb2mb "$(get "$n" conf_same_rss_kb)") | |"
    v=$(get "$n" conf_incr_s)
    echo "| confsearch-index, 1% of pads changed | $(with_ratio "$v" "$c") | | | $(kb2mb "$(get "$n" conf_incr_rss_kb)") | $(get "$n" conf_incr_mb) |"
    v=$(get "$n" omega_index_s)
    echo "| Omega scriptindex, with spelling data (as confsearch) | $(with_ratio "$v" "$c") | $(mbps "$mb" "$v") | | $(kb2mb "$(get "$n" omega_index_rss_kb)") | $(get "$n" omega_index_mb) |"
    v=$(get "$n" omega_nospell_s)
    echo "| Omega scriptindex, no spelling data | $(with_ratio "$v" "$c") | $(mbps "$mb" "$v") | | $(kb2mb "$(get "$n" omega_nospell_rss_kb)") | $(get "$n" omega_nospell_mb) |"
    v=$(get "$n" sphinx_index_s)
    echo "| Sphinx 2.2.11 indexer | $(with_ratio "$v" "$c") | $(mbps "$mb" "$v") | | $(kb2mb "$(get "$n" sphinx_index_rss_kb)") | $(get "$n" sphinx_index_mb) |"
    echo
    echo "Incremental run: $(get "$n" conf_incr_summary)"
    echo
    echo "### Queries (the mix, with facets and snippets)"
    echo
    echo "| engine | p50 ms, 1 client | p99 ms, 1 client | QPS, 1 client | QPS, 16 clients | p50 / p99 ms, 16 clients | RSS MB after load | start-up ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    cp50=$(get "$n" conf_p50); cp99=$(get "$n" conf_p99); cq1=$(get "$n" conf_qps1); cq16=$(get "$n" conf_qps16)
    crss=$(kb2mb "$(get "$n" conf_rss_kb)"); cst=$(get "$n" conf_startup_ms)
    echo "| confsearchd | $cp50 | $cp99 | $cq1 | $cq16 | $(get "$n" conf_c16_p50) / $(get "$n" conf_c16_p99) | $crss | $cst |"
    echo "| Sphinx searchd (SphinxQL) | $(with_ratio "$(get "$n" sphinx_p50)" "$cp50") | $(with_ratio "$(get "$n" sphinx_p99)" "$cp99") | $(with_ratio "$(get "$n" sphinx_qps1)" "$cq1") | $(with_ratio "$(get "$n" sphinx_qps16)" "$cq16") | $(get "$n" sphinx_c16_p50) / $(get "$n" sphinx_c16_p99) | $(with_ratio "$(kb2mb "$(get "$n" sphinx_rss_kb)")" "$crss") | $(with_ratio "$(get "$n" sphinx_startup_ms)" "$cst") |"
    echo
    echo "confsearchd under wrk (HTTP, the mix): $(get "$n" conf_wrk_qps_c1) QPS at 1 connection," \
         "$(get "$n" conf_wrk_qps_c16) at 16, $(get "$n" conf_wrk_qps_c64) at 64." \
         "Failed requests in the latency runs: confsearchd $(get "$n" conf_errors), Sphinx $(get "$n" sphinx_errors)."
    echo
    if [ -f "$DIR/$n/truth.txt" ]; then
        echo "Truth check (bench/truth.py, exit $(get "$n" truth_rc)): $(get "$n" truth_summary)."
        echo
    fi
    echo "| query | talks matched (confsearch / Sphinx) | confsearch p50 / p99 ms | Sphinx p50 / p99 ms |"
    echo "|---|---:|---:|---:|"
    awk '$1 == "total" {print $2, $3}' "$DIR/$n/conf-totals.txt" | while read -r label total; do
        st=$(awk -v l="$label" '$1 == "total" && $2 == l {print $3}' "$DIR/$n/sphinx-totals.txt")
        cl=$(awk -v l="query $label" '{ k = $1 " " $2 } k == l { for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "%s / %s", v["p50"], v["p99"] }' "$DIR/$n/conf-c1.txt")
        sl=$(awk -v l="query $label" '{ k = $1 " " $2 } k == l { for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "%s / %s", v["p50"], v["p99"] }' "$DIR/$n/sphinx-c1.txt")
        echo "| $label | $total / $st | $cl | $sl |"
    done
done
} >"$OUT"

# The chart: latency against corpus size, with the mean number of matching
# talks of the mix, which is what the cost should follow.
: >"$DIR/latency.dat"
for n in $sizes; do
    matches=$(awk '$1 == "total" {s += $3; k++} END {printf "%.0f", s / k}' "$DIR/$n/conf-totals.txt")
    echo "$n $matches $(get "$n" conf_p50) $(get "$n" conf_p99) $(get "$n" sphinx_p50) $(get "$n" sphinx_p99) $(kb2mb "$(get "$n" conf_rss_kb)")" >>"$DIR/latency.dat"
done
gnuplot <<GP
set terminal pngcairo size 900,540 noenhanced font ",10"
set output "$DIR/latency.png"
set title "Query latency against corpus size (the mix, facets and snippets, 1 client, $(nproc) cores)"
set logscale xy
set xlabel "talks in the index"
set ylabel "latency, ms"
set y2label "talks matched, mean over the mix"
set logscale y2
set y2tics
set ytics nomirror
set key top left
set grid
plot "$DIR/latency.dat" using 1:3 with linespoints lw 2 title "confsearchd p50", \
     "" using 1:4 with linespoints lw 2 dt 2 title "confsearchd p99", \
     "" using 1:5 with linespoints lw 2 title "Sphinx p50", \
     "" using 1:6 with linespoints lw 2 dt 2 title "Sphinx p99", \
     "" using 1:2 axes x1y2 with linespoints lc rgb "gray" title "talks matched (right axis)"
GP
cat "$OUT"
echo
echo "summary: $OUT; chart: $DIR/latency.png"
