#!/bin/sh
# test_install.sh BUILD_DIR SOURCE_DIR: `cmake --install` into a temporary
# DESTDIR under a prefix of its own gives the documented tree; the
# installed programs run from it (their private libxapian-c found, the
# daemon's web files found without --web); the man pages name every option
# of --help; systemd-analyze verify accepts the units.
set -eu
. "$(dirname "$0")/daemon.sh"
build=$1 src=$2
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test_install: $*" >&2; exit 1; }

prefix=/opt/confsearch-test
DESTDIR=$tmp/root cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" ||
    { cat "$tmp/install.log"; fail "cmake --install failed"; }
root=$tmp/root$prefix
for f in bin/confsearch-index sbin/confsearchd share/confsearch/web/index.html \
         share/confsearch/web/app.js share/man/man1/confsearch-index.1 \
         share/man/man8/confsearchd.8 lib/systemd/system/confsearchd.service \
         lib/systemd/system/confsearch-index.service lib/systemd/system/confsearch-index.timer \
         lib/sysusers.d/confsearch.conf share/doc/confsearch/api.md \
         share/doc/confsearch/deploy.md; do
    [ -e "$root/$f" ] || fail "$f is not installed"
done
ls "$root"/lib*/confsearch/libxapian-c.so.0 >/dev/null 2>&1 || fail "libxapian-c.so.0 is not installed"
# Nothing of the build tree leaks in: no headers, no static libraries.
if find "$root" -name '*.h' -o -name '*.a' | grep -q .; then fail "headers or archives installed"; fi

# The installed programs run from the tree alone.
"$root/bin/confsearch-index" --quiet --db "$tmp/talks.db" "$src/data/demo/day1.txt" ||
    fail "the installed indexer failed"
# Marked, so that the source tree's copy (the build-tree default) cannot pass for it.
echo "// installed copy" >>"$root/share/confsearch/web/app.js"
"$root/sbin/confsearchd" --db "$tmp/talks.db" --listen 127.0.0.1:0 --no-access-log \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
port=$(listening_port "$tmp/out")
[ -n "$port" ] || { cat "$tmp/err"; fail "the installed daemon did not start"; }
url=http://127.0.0.1:$port/
curl -sf "${url}app.js" -o "$tmp/app.js" || fail "no /app.js from the installed daemon"
cmp -s "$tmp/app.js" "$root/share/confsearch/web/app.js" ||
    fail "the installed daemon does not serve the installed web files"
curl -sf "${url}api/search?q=keynote" | grep -q '"total":[1-9]' ||
    fail "the installed daemon finds nothing"
kill "$pid"; wait "$pid" || true; pid=

# Every option of --help is in the man page.
check_man() { # program page
    opts=$("$1" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
    text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$2")
    for o in $opts; do
        printf '%s\n' "$text" | grep -q -- "$o" || fail "$(basename "$2") lacks $o"
    done
}
check_man "$root/bin/confsearch-index" "$root/share/man/man1/confsearch-index.1"
check_man "$root/sbin/confsearchd" "$root/share/man/man8/confsearchd.8"

# The units name the programs under the prefix configured at build time
# (CMAKE_INSTALL_PREFIX): verified with that prefix pointed at this tree.
if ! command -v systemd-analyze >/dev/null; then
    echo "test_install: systemd-analyze is not installed (Debian package systemd): units not verified" >&2
    exit 0
fi
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
mkdir -p "$tmp/units"
for u in confsearchd.service confsearch-index.service confsearch-index.timer; do
    sed "s|$configured/|$root/|g" "$root/lib/systemd/system/$u" >"$tmp/units/$u"
done
grep -q "^ExecStart=$root/sbin/confsearchd " "$tmp/units/confsearchd.service" ||
    fail "confsearchd.service does not start $configured/sbin/confsearchd"
SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$tmp/units/confsearchd.service" \
    "$tmp/units/confsearch-index.service" "$tmp/units/confsearch-index.timer" \
    >"$tmp/verify" 2>&1 || { cat "$tmp/verify"; fail "systemd-analyze verify failed"; }
if grep -q . "$tmp/verify"; then cat "$tmp/verify"; fail "systemd-analyze verify warns"; fi
echo "test_install: ok"
