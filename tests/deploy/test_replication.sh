#!/bin/sh
# test_replication.sh INDEXER SEARCHD: one indexer committing in place with
# Xapian changesets (--jobs 1, XAPIAN_MAX_CHANGESETS), the real
# xapian-replicate-server, two xapian-replicate clients and a confsearchd on
# each replica, all on loopback.  While the indexer commits, both daemons
# are asked without pause: every answer must be a 200 whose hits are those
# of the revision its ETag names (never a half-copied state), and both must
# reach the last revision without a restart.
set -eu
. "$(dirname "$0")/daemon.sh"
indexer=$1 searchd=$2
for tool in xapian-replicate xapian-replicate-server curl; do
    if ! command -v $tool >/dev/null; then
        echo "test_replication: $tool is not installed (Debian package xapian-tools): skipped" >&2
        exit 77
    fi
done
with_scratch
fail() { echo "test_replication: $*" >&2; exit 1; }

mkdir -p "$tmp/master"
commit() { # n: the notes with n talks, committed in place with a changeset
    printf 'Harbour Conf 2026 - Day 1 (March 14)\n\n' >"$tmp/day1.txt"
    for i in $(seq "$1"); do
        printf '[%d:10][R1] Lighthouse talk %d (Speaker %d)\n\nlighthouse notes %d\n\n' \
            $((8 + i)) "$i" "$i" "$i" >>"$tmp/day1.txt"
    done
    XAPIAN_MAX_CHANGESETS=20 "$indexer" --quiet --jobs 1 --db "$tmp/master/talks.db" \
        "$tmp/day1.txt" || fail "indexer failed"
}
commit 1

started=
for try in 0 1 2 3 4 5 6 7; do
    rport=$((20000 + ($$ * 11 + try * 997) % 12000)) # below the ephemeral range
    # In a session of its own: on SIGTERM the server signals its whole
    # process group, which would otherwise be this script's.
    setsid xapian-replicate-server -I 127.0.0.1 -p $rport "$tmp/master" >"$tmp/server.log" 2>&1 &
    spid=$!
    sleep 0.3
    if kill -0 $spid 2>/dev/null; then started=1; pids="$pids $spid"; break; fi
done
[ -n "$started" ] || fail "xapian-replicate-server did not start: $(cat "$tmp/server.log")"

ports=
for r in 1 2; do
    xapian-replicate -h 127.0.0.1 -p $rport -m talks.db -o -q "$tmp/replica$r" ||
        fail "the first copy to replica $r failed"
    "$searchd" --db "$tmp/replica$r" --listen 127.0.0.1:0 --threads 2 --no-access-log \
        >"$tmp/daemon$r.out" 2>"$tmp/daemon$r.err" &
    pids="$pids $!"
    port=$(listening_port "$tmp/daemon$r.out")
    [ -n "$port" ] || fail "confsearchd on replica $r did not start: $(cat "$tmp/daemon$r.err")"
    ports="$ports $port"
    # The replica follows the master, asking every second.
    xapian-replicate -h 127.0.0.1 -p $rport -m talks.db -i 1 -r 1 -q "$tmp/replica$r" \
        >"$tmp/client$r.log" 2>&1 &
    pids="$pids $!"
done

set -- $ports
first=$(curl -s "http://127.0.0.1:$1/healthz" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
[ -n "$first" ] || fail "no revision from the first replica"

# Each daemon asked without pause: "STATUS REVISION TOTAL" per answer.
poll() { # port out
    while [ ! -e "$tmp/stop" ]; do
        curl -s -D "$2.h" -o "$2.b" "http://127.0.0.1:$1/api/search?q=lighthouse&size=1" ||
            { echo "curl-failed - -" >>"$2"; continue; }
        st=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$2.h")
        rev=$(sed -n 's/^ETag: "r\([0-9]*\)-.*/\1/Ip' "$2.h")
        total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$2.b")
        echo "$st ${rev:--} ${total:--}" >>"$2"
    done
}
n=0
for port in $ports; do
    n=$((n + 1))
    poll "$port" "$tmp/poll$n" &
    pids="$pids $!"
done

talks=1
for _ in 1 2 3 4; do
    sleep 1.5
    talks=$((talks + 1))
    commit $talks
done
last=$((first + talks - 1))

# Both reach the last revision without a restart.
for port in $ports; do
    reached=
    for _ in $(seq 100); do
        rev=$(curl -s "http://127.0.0.1:$port/healthz" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
        if [ "$rev" = "$last" ]; then reached=1; break; fi
        sleep 0.1
    done
    [ -n "$reached" ] || fail "the daemon on port $port serves revision ${rev:-none}, not $last"
done
touch "$tmp/stop"
sleep 0.5

# Every answer whole: 200, and as many hits as its revision has talks.
for n in 1 2; do
    answers=$(wc -l <"$tmp/poll$n")
    [ "$answers" -ge 20 ] || fail "replica $n answered only $answers times"
    bad=$(awk -v first="$first" '$1 != 200 || $2 == "-" || $3 != $2 - first + 1' "$tmp/poll$n" |
          head -5)
    [ -z "$bad" ] || fail "replica $n answered (status revision total): $bad"
    seen=$(awk '{print $2}' "$tmp/poll$n" | sort -un | tr '\n' ' ')
    echo "test_replication: replica $n: $answers answers, all 200 and whole; revisions seen: $seen"
done
