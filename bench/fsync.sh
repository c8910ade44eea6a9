#!/usr/bin/env bash
# fsyncs per chat exchange: servicebotd (SQLite) under strace -f -c while
# wrk posts /api/chat (bench/store_chat.lua) for a few seconds; prints the
# fsync + fdatasync calls, the exchanges answered and their ratio.
#   bench/fsync.sh            (from the build directory; or make bench-fsync)
#   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_SERVICEBOTD=/other/servicebotd \
#   BENCH_ARGS="--workers 16" bench/fsync.sh
. "$(dirname "$0")/lib.sh"
SECONDS_EACH=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-50}

die() { echo "bench/fsync: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed"
command -v strace >/dev/null || die "strace is not installed"
[ -x "$SERVICEBOTD" ] || die "no servicebotd at $SERVICEBOTD (run make first)"

# strace in front of servicebotd: start_server runs $SB_VALGRIND before it.
# shellcheck disable=SC2086 # BENCH_ARGS is a list of arguments
SB_VALGRIND="strace -f -c -e trace=fsync,fdatasync -o $SCRATCH/strace.out" \
    start_server ${BENCH_ARGS:-} || die "servicebotd did not start"
api PATCH /api/customers/cust_001/devices/dev_001 '{"state":"on","volume":50}'
[ "$HTTP_STATUS" = 200 ] || die "cannot switch the speaker on ($HTTP_STATUS)"
BENCH_TOKEN=$SB_ADMIN wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" -s "$SB_SRCDIR/bench/store_chat.lua" \
    "$SB_URL" >"$SCRATCH/wrk.out" 2>&1
# SIGTERM to servicebotd itself (strace would only detach), then strace reports.
kill -TERM "$(pgrep -P "$SB_PID")"
wait "$SB_PID"
exchanges=$(awk '/^RESULT/ { print $2 - $6 }' "$SCRATCH/wrk.out")
syncs=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$SCRATCH/strace.out")
echo "servicebotd ${BENCH_ARGS:-} POST /api/chat, $CONNS connections, ${SECONDS_EACH}s, $(nproc) cores, under strace"
printf '%-22s %10s\n' "exchanges answered" "$exchanges" "fsync+fdatasync" "$syncs"
awk -v s="$syncs" -v e="$exchanges" 'BEGIN { printf "%-22s %10.3f\n", "fsyncs per exchange", e ? s / e : 0 }'
