#!/bin/sh
# install-deps.sh [GROUP...]: installs with apt-get the Debian packages listed
# in scripts/deps/GROUP.txt (default: build) that are missing; a no-op when
# all are present.  Groups: build (compile and unit/e2e tests), and whatever
# other lists sit beside it (web tests, fuzzing, benchmarks).
set -eu
dir=$(dirname "$0")/deps
[ $# -gt 0 ] || set -- build
packages=""
for group in "$@"; do
    [ -f "$dir/$group.txt" ] || { echo "install-deps: no package list $dir/$group.txt" >&2; exit 2; }
    packages="$packages $(grep -v '^#' "$dir/$group.txt")"
done
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
