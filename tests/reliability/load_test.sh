#!/bin/sh
# load_test.sh [TALKS [SECONDS [CONNECTIONS]]]: on demand, not in ctest.
# wrk against confsearchd serving TALKS generated talks (bench/gen_corpus.c;
# default 100000) for SECONDS (60) with CONNECTIONS (64), while an indexer
# commits an edited pad every few seconds.  Passes when no request failed or
# got a non-2xx answer, and searchd's RSS at the end is at most 10% above
# its RSS after warm-up.  BUILD_DIR (default build) holds the built binaries;
# WORK_DIR (default a temporary directory) keeps corpus and index for reuse;
# WRK_TIMEOUT (default 2s, wrk's own) is how long an answer may take before
# wrk counts it as an error.
set -eu
talks=${1:-100000}
seconds=${2:-60}
connections=${3:-64}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
indexer=$build/indexer/confsearch-index
searchd=$build/searchd/confsearchd
for bin in "$indexer" "$searchd"; do
    [ -x "$bin" ] || { echo "load_test: build first: $bin is missing" >&2; exit 2; }
done
[ -f "$root/bench/gen_corpus.c" ] || { echo "load_test: bench/gen_corpus.c is missing" >&2; exit 77; }
command -v wrk >/dev/null || "$root/scripts/install-deps.sh" bench

work=${WORK_DIR:-$(mktemp -d)}
mkdir -p "$work"
daemon_pid=""
writer_pid=""
cleanup() {
    [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
    [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
    [ -z "${WORK_DIR:-}" ] && rm -rf "$work"
    return 0
}
trap cleanup EXIT INT TERM

# Corpus and index, once per WORK_DIR and size.
if [ ! -f "$work/notes-$talks.done" ]; then
    cc -O2 -o "$work/gen_corpus" "$root/bench/gen_corpus.c" -lm
    rm -rf "$work/notes" "$work/talks.db"
    "$work/gen_corpus" --talks "$talks" --out "$work/notes" --queries "$work/queries.tsv"
    start=$(date +%s)
    "$indexer" --db "$work/talks.db" --quiet "$work"/notes/*.txt
    echo "load_test: indexed $talks talks in $(($(date +%s) - start)) s"
    touch "$work/notes-$talks.done"
fi

"$searchd" --db "$work/talks.db" --listen 127.0.0.1:0 --no-access-log \
    >"$work/searchd.out" 2>"$work/searchd.err" &
daemon_pid=$!
for _ in $(seq 100); do
    grep -q listening "$work/searchd.out" 2>/dev/null && break
    sleep 0.1
done
port=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/searchd.out")
[ -n "$port" ] || { echo "load_test: confsearchd did not start" >&2; cat "$work/searchd.err"; exit 1; }
url=http://127.0.0.1:$port

# The benchmark's query mix, less any query this corpus answers with a 4xx
# by design (e.g. a prefix matching over 100 words), round robin over every
# wrk connection; statuses are counted by class.
: >"$work/paths.txt"
for path in $(cut -f2 "$work/queries.tsv"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url$path")
    if [ "$code" = 200 ]; then
        echo "$path" >>"$work/paths.txt"
    else
        echo "load_test: left out of the mix ($code): $path"
    fi
done
{
    echo 'local paths = {'
    sed 's/.*/  "&",/' "$work/paths.txt"
    echo '}'
    cat <<'LUA'
local threads = {}
local i = 0
function setup(thread) table.insert(threads, thread) end
function init(args) n5xx = 0; n4xx = 0 end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status >= 500 then n5xx = n5xx + 1 elseif status >= 400 then n4xx = n4xx + 1 end
end
function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("n5xx"); b = b + t:get("n4xx") end
  io.write(string.format("status 5xx: %d\nstatus 4xx: %d\n", a, b))
end
LUA
} >"$work/mix.lua"

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$daemon_pid/status"; }
revision() { curl -s "$url/healthz" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p'; }

wrk -t2 -c"$connections" -d10s -s "$work/mix.lua" "$url" >"$work/warmup.txt"
rss_warm=$(rss_kb)
rev_before=$(revision)

# A writer: every 3 s one pad's first talk gets a new line and the pad is
# re-indexed on its own, so each run commits one changed talk.
(
    n=0
    for pad in "$work"/notes/*.txt; do
        [ "$n" -ge $((seconds / 3 + 1)) ] && break
        n=$((n + 1))
        awk -v n="$n" '{ print } !done && /^\[/ { print "load test edit " n; done = 1 }' \
            "$pad" >"$pad.new" && mv "$pad.new" "$pad"
        "$indexer" --db "$work/talks.db" --quiet "$pad" || echo "load_test: indexer failed" >&2
        sleep 3
    done
) &
writer_pid=$!

wrk -t2 -c"$connections" -d"${seconds}s" --timeout "${WRK_TIMEOUT:-2s}" --latency \
    -s "$work/mix.lua" "$url" | tee "$work/run.txt"
wait "$writer_pid" || true
writer_pid=""
rss_end=$(rss_kb)
rev_after=$(revision)

errors=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/run.txt")
non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/run.txt")
requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/run.txt")
echo "load_test: RSS after warm-up ${rss_warm} kB, at the end ${rss_end} kB;" \
     "index revision ${rev_before} -> ${rev_after}"
fail=0
[ -z "$errors" ] || { echo "load_test: FAIL: socket errors: $errors"; fail=1; }
[ -z "$non2xx" ] || { echo "load_test: FAIL: $non2xx non-2xx answers"; fail=1; }
[ "$rev_after" -gt "$rev_before" ] || { echo "load_test: FAIL: no commit was seen"; fail=1; }
[ "${requests:-0}" -gt 0 ] || { echo "load_test: FAIL: no request answered"; fail=1; }
# Growth is what a leak looks like; the allocator giving memory back is not.
if [ $((rss_end * 10)) -gt $((rss_warm * 11)) ]; then
    echo "load_test: FAIL: RSS grew more than 10%"
    fail=1
fi
kill "$daemon_pid"
wait "$daemon_pid" || { echo "load_test: FAIL: confsearchd did not exit 0"; fail=1; }
daemon_pid=""
[ "$fail" -eq 0 ] && echo "load_test: PASS"
exit "$fail"
