#!/bin/sh
# run.sh INDEXER SEARCHD SOURCE_DIR BUILD_DIR: the browser tests of web/, run
# by ctest.  Installs what they need when it is missing (Debian's chromium and
# a Chinese font from scripts/deps/web.txt, Node.js and npm, playwright-core
# from the lock file), then runs web.test.mjs with node's test runner.
set -eu
if [ $# -ne 4 ]; then
    echo "usage: run.sh INDEXER SEARCHD SOURCE_DIR BUILD_DIR" >&2
    exit 2
fi
src=$3

"$src/scripts/install-deps.sh" web

# Node.js may come from elsewhere than Debian (with its own npm): Debian's
# nodejs and npm only fill a gap, they must not replace or fight it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "run.sh: installing nodejs and npm" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

cd "$src/tests/web"
want=$(node -p "require('./package.json').devDependencies['playwright-core']")
have=$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$want" != "$have" ]; then
    echo "run.sh: npm ci (playwright-core $want)" >&2
    npm ci --no-audit --no-fund --loglevel=error
fi

CS_INDEXER=$1 CS_SEARCHD=$2 CS_SOURCE_DIR=$src CS_BUILD_DIR=$4
export CS_INDEXER CS_SEARCHD CS_SOURCE_DIR CS_BUILD_DIR
exec node --test --test-reporter=spec web.test.mjs
