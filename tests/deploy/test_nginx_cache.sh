#!/bin/sh
# test_nginx_cache.sh INDEXER SEARCHD NGINX_CONF: the real nginx, with
# deploy/nginx/confsearch.conf, in front of confsearchd on loopback: a
# repeated search is a cache hit, a re-index shows within --cache-max-age,
# and a 503 is never kept.
set -eu
. "$(dirname "$0")/daemon.sh"
indexer=$1 searchd=$2 conf=$3
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ]; then
    echo "test_nginx_cache: nginx is not installed (Debian package nginx): skipped" >&2
    exit 77
fi
tmp=$(mktemp -d)
dpid= npid=
cleanup() {
    [ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
    [ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test_nginx_cache: $*" >&2; [ -f "$tmp/error.log" ] && cat "$tmp/error.log" >&2; exit 1; }

talk() { # n: the notes with n lighthouse talks
    printf 'Harbour Conf 2026 - Day 1 (March 14)\n\n'
    for i in $(seq "$1"); do
        printf '[%d:10][R1] Lighthouse talk %d (Speaker %d)\n\nlighthouse notes %d\n\n' \
            $((8 + i)) "$i" "$i" "$i"
    done
}
index() {
    talk "$1" >"$tmp/day1.txt"
    "$indexer" --quiet --db "$tmp/talks.db" "$tmp/day1.txt" || fail "indexer failed"
}
index 1
max_age=2
"$searchd" --db "$tmp/talks.db" --listen 127.0.0.1:0 --threads 2 --cache-max-age $max_age \
    --no-access-log >"$tmp/daemon.out" 2>"$tmp/daemon.err" &
dpid=$!
port=$(listening_port "$tmp/daemon.out")
[ -n "$port" ] || fail "confsearchd did not start: $(cat "$tmp/daemon.err")"

# nginx as this user, everything under $tmp; a few ports tried in turn.
mkdir -p "$tmp/cache"
# As root nginx's workers would switch to a user that cannot enter $tmp.
user_line=
[ "$(id -u)" = 0 ] && user_line="user root;"
started=
for try in 0 1 2 3 4 5 6 7; do
    # Below the ephemeral range (32768 up), where port 0 listeners and
    # client connections would take it.
    nport=$((20000 + ($$ * 7 + try * 1013) % 12000))
    sed -e "s|@CACHE_DIR@|$tmp/cache|" -e "s|@LISTEN@|127.0.0.1:$nport|" \
        -e "s|@UPSTREAM@|server 127.0.0.1:$port;|" "$conf" >"$tmp/confsearch.conf"
    cat >"$tmp/nginx.conf" <<CONF
daemon off;
$user_line
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    include $tmp/confsearch.conf;
}
CONF
    "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" &
    npid=$!
    for _ in $(seq 30); do
        # nginx writes its pid file once it holds its port: before that the
        # port may answer for another program (a parallel test's nginx).
        if [ -s "$tmp/nginx.pid" ] && kill -0 "$npid" 2>/dev/null &&
            curl -s -o /dev/null "http://127.0.0.1:$nport/healthz"; then started=1; break; fi
        kill -0 "$npid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$started" ] && break
    kill "$npid" 2>/dev/null || true
    wait "$npid" 2>/dev/null || true
    npid=
done
[ -n "$started" ] || fail "nginx did not start"
base=http://127.0.0.1:$nport

get() { # path: headers into $tmp/h, body into $tmp/b
    curl -s -D "$tmp/h" -o "$tmp/b" "$base$1" || fail "curl $1 failed"
}
status() { sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$tmp/h"; }
cache() { sed -n 's/^X-Cache-Status: \([A-Z]*\).*/\1/Ip' "$tmp/h"; }

get "/api/search?q=lighthouse"
[ "$(status)" = 200 ] && [ "$(cache)" = MISS ] || fail "first search: $(status) $(cache)"
grep -q '"total":1' "$tmp/b" || fail "first search: $(cat "$tmp/b")"
get "/api/search?q=lighthouse"
[ "$(status)" = 200 ] && [ "$(cache)" = HIT ] || fail "repeated search not a hit: $(status) $(cache)"
echo "test_nginx_cache: a repeated search is a cache hit"

# A re-index: the cached answer may be served for max-age, not longer.
index 2
t0=$(date +%s)
seen=
while [ $(( $(date +%s) - t0 )) -le $((max_age + 1)) ]; do
    get "/api/search?q=lighthouse"
    [ "$(status)" = 200 ] || fail "search during re-index: $(status)"
    if grep -q '"total":2' "$tmp/b"; then seen=1; break; fi
    sleep 0.2
done
[ -n "$seen" ] || fail "the re-index was not visible within max-age ($max_age s)"
echo "test_nginx_cache: the re-index is visible within $max_age s"

# No index: 503s, none kept, none a hit.
rm -rf "$tmp/talks.db"
for _ in 1 2 3; do
    get "/api/search?q=harbour"
    [ "$(status)" = 503 ] || fail "expected 503 without an index, got $(status)"
    [ "$(cache)" != HIT ] || fail "a 503 came from the cache"
done
index 1
get "/api/search?q=harbour"
[ "$(status)" = 200 ] || fail "after the index came back: $(status) $(cache)"
echo "test_nginx_cache: a 503 is never cached"
