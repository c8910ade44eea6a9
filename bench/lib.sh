# The start of every bench/*.sh, sourced first: . "$(dirname "$0")/lib.sh"
# Benchmarks run from the build directory (make bench-*) or with
# SB_BUILDDIR set, never under valgrind, on tests/lib.sh's helpers (a fresh
# servicebotd on a free port, scratch directory, cleanup).
set -u
: "${SB_BUILDDIR:=$(pwd)}"
: "${SB_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
SB_VALGRIND=
export SB_BUILDDIR SB_SRCDIR SB_VALGRIND
. "$SB_SRCDIR/tests/lib.sh"
# BENCH_SERVICEBOTD runs another build of servicebotd (a before/after pair).
[ -n "${BENCH_SERVICEBOTD:-}" ] && SERVICEBOTD=$BENCH_SERVICEBOTD
