#!/bin/sh
# check-format.sh [--fix]: checks every C and C++ file git tracks against
# .clang-format (exit 1 and the names of the files that differ), or with
# --fix rewrites them.  The format is clang-format 14's (Debian 12), which
# install-deps.sh installs with the "format" group; another version may
# format some lines differently, so the check says which one it ran.
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed" >&2; exit 2; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files '*.c' '*.h' '*.cc' | grep -v '/node_modules/')
else
    files=$(find libxapian-c schema indexer searchd tests bench \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -not -path '*/node_modules/*')
fi
if [ "${1:-}" = --fix ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi
bad=""
for f in $files; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
    echo "check-format: these files differ from .clang-format ($(clang-format --version)); run scripts/check-format.sh --fix:" >&2
    for f in $bad; do echo "  $f" >&2; done
    exit 1
fi
