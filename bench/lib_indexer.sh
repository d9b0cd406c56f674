# bench/lib_indexer.sh: sourced by the indexer benches that take a build
# directory as their first argument (shared_slot.sh, heading_summary.sh).
# Sets IDX (the indexer of BUILD, default build-rel; exits 2 when it is not
# built), WORK (a temporary directory removed at exit) and now() (seconds).
BUILD=${1:-build-rel}
IDX=$BUILD/indexer/confsearch-index
[ -x "$IDX" ] || { echo "$(basename "$0"): no $IDX (cmake --build $BUILD --target confsearch-index)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
