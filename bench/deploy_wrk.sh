#!/bin/sh
# deploy_wrk.sh [BUILD_DIR]: throughput of the deployment in docs/deploy.md,
# with wrk and the benchmark's query mix (bench/mix.lua) on a generated
# corpus, all on this machine:
#   1. one confsearchd, asked directly;
#   2. nginx balancing two confsearchd on two copies of the index, no cache;
#   3. the same with proxy_cache (deploy/nginx/confsearch.conf, max-age 5 s).
# Prints requests/s, p50/p99 and each ratio to (1), measured in the same run.
# Env: TALKS (default 2000), DURATION (default 10s), CONNECTIONS (default 16).
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
TALKS=${TALKS:-2000} DURATION=${DURATION:-10s} CONNECTIONS=${CONNECTIONS:-16}
. tests/deploy/daemon.sh
for tool in wrk nginx; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] ||
        { echo "deploy_wrk: $tool is missing (scripts/deps/bench.txt, build.txt)" >&2; exit 1; }
done
with_scratch

"$BUILD/bench/gen_corpus" --talks "$TALKS" --out "$tmp/notes" --queries "$tmp/queries.tsv" \
    >/dev/null
"$BUILD/indexer/confsearch-index" --quiet --db "$tmp/talks.db" "$tmp"/notes/*
cp -a "$tmp/talks.db" "$tmp/replica1"
cp -a "$tmp/talks.db" "$tmp/replica2"

for d in 1 2; do
    "$BUILD/searchd/confsearchd" --db "$tmp/replica$d" --listen 127.0.0.1:0 --threads 2 \
        --no-access-log --cache-max-age 5 >"$tmp/d$d.out" 2>"$tmp/d$d.err" &
    pids="$pids $!"
done
p1=$(listening_port "$tmp/d1.out")
p2=$(listening_port "$tmp/d2.out")
[ -n "$p1" ] && [ -n "$p2" ] || { echo "deploy_wrk: confsearchd did not start" >&2; exit 1; }

# start_nginx NAME on|off: nginx with the configuration of docs/deploy.md in
# front of both daemons, with or without its cache; sets $nport.
start_nginx() {
    mkdir -p "$tmp/$1/cache"
    user=
    [ "$(id -u)" = 0 ] && user="user root;"
    for try in 0 1 2 3 4 5; do
        nport=$((20000 + ($$ * 7 + try * 1009 + ${#1} * 13) % 12000))
        sed -e "s|@CACHE_DIR@|$tmp/$1/cache|" -e "s|@LISTEN@|127.0.0.1:$nport|" \
            -e "s|@UPSTREAM@|server 127.0.0.1:$p1; server 127.0.0.1:$p2;|" \
            deploy/nginx/confsearch.conf >"$tmp/$1/confsearch.conf"
        [ "$2" = on ] || sed -i 's/^\( *proxy_cache\) confsearch;/\1 off;/' "$tmp/$1/confsearch.conf"
        cat >"$tmp/$1/nginx.conf" <<CONF
daemon off;
$user
worker_processes 2;
pid $tmp/$1/nginx.pid;
error_log $tmp/$1/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/$1/body;
    proxy_temp_path $tmp/$1/proxy;
    fastcgi_temp_path $tmp/$1/fastcgi;
    uwsgi_temp_path $tmp/$1/uwsgi;
    scgi_temp_path $tmp/$1/scgi;
    include $tmp/$1/confsearch.conf;
}
CONF
        nginx -p "$tmp/$1" -c "$tmp/$1/nginx.conf" -e "$tmp/$1/error.log" 2>/dev/null &
        npid=$!
        for _ in $(seq 30); do
            # The pid file is written once nginx holds its port.
            if [ -s "$tmp/$1/nginx.pid" ] && kill -0 $npid 2>/dev/null &&
                curl -s -o /dev/null "http://127.0.0.1:$nport/healthz"; then
                pids="$pids $npid"
                return
            fi
            kill -0 $npid 2>/dev/null || break
            sleep 0.1
        done
        kill $npid 2>/dev/null || true
        wait $npid 2>/dev/null || true
    done
    echo "deploy_wrk: nginx did not start: $(cat "$tmp/$1/error.log")" >&2
    exit 1
}
start_nginx plain off
plain=$nport
start_nginx cached on
cached=$nport

run() { # label url
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/mix.lua "$2" -- "$tmp/queries.tsv")
    rps=$(printf '%s\n' "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
    sum=$(printf '%s\n' "$out" | sed -n 's/^wrk_summary //p')
    echo "$1 $rps $sum"
}
echo "deploy_wrk: $TALKS talks, $(wc -l <"$tmp/queries.tsv") queries, wrk -t2 -c$CONNECTIONS -d$DURATION, load $(cut -d' ' -f1-3 /proc/loadavg)"
r1=$(run one-daemon "http://127.0.0.1:$p1")
r2=$(run nginx-2-daemons "http://127.0.0.1:$plain")
r3=$(run nginx-cache-2-daemons "http://127.0.0.1:$cached")
one=$(echo "$r1" | cut -d' ' -f2)
printf '%s\n%s\n%s\n' "$r1" "$r2" "$r3" | while read -r label rps rest; do
    printf '%-24s %10s req/s  x%-5s %s\n' "$label" "$rps" \
        "$(awk -v a="$rps" -v b="$one" 'BEGIN { printf "%.2f", a / b }')" "$rest"
done
