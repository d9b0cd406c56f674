#!/bin/sh
# demo.sh: the README's first command: installs dependencies, builds,
# indexes the bundled demo notes and serves them on http://127.0.0.1:8080/.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)"
# Built afresh each time: it is derived from the bundled notes, and an index
# left by an older confsearch may have another format version.
rm -rf build/demo.db
build/indexer/confsearch-index --db build/demo.db data/demo/programme.json data/demo/*.txt data/demo/*.md
if [ -x build/searchd/confsearchd ]; then
    echo "serving http://${LISTEN:-127.0.0.1:8080}/ (Ctrl-C to stop)"
    exec build/searchd/confsearchd --db build/demo.db --listen "${LISTEN:-127.0.0.1:8080}" \
        --web web
fi
echo "demo index built in build/demo.db (try: xapian-delve build/demo.db)"
