#!/bin/sh
# install-deps.sh: installs with apt-get whatever Debian packages the build
# and the tests need and are missing (no-op when all are present).
set -eu
packages="build-essential cmake pkg-config libxapian-dev xapian-tools libicu-dev
libmicrohttpd-dev libjansson-dev libcmocka-dev libcurl4-openssl-dev curl"
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
