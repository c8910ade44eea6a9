#!/usr/bin/env bash
# Chat throughput and latency of servicebotd with the SQLite and the
# DynamoDB backend (on a local dynalite), measured one after the other in
# the same run and printed side by side.
#   bench/store.sh            (from the build directory; or make bench-store)
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 bench/store.sh
. "$(dirname "$0")/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
SECONDS_EACH=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-8}

die() { echo "bench/store: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed"
[ -x "$SERVICEBOTD" ] || die "no servicebotd in $SB_BUILDDIR (run make first)"
[ -f "$DYNALITE_CLI" ] || die "dynalite is not installed: run (cd tests/dynalite && npm ci)"

# run_one NAME [servicebotd args...]: prints "NAME req/s p50_ms p99_ms errors requests"
run_one() {
    local name=$1
    shift
    SB_DB=$SCRATCH/$name.db start_server "$@" || die "servicebotd ($name) did not start"
    api PATCH /api/customers/cust_001/devices/dev_001 '{"state":"on","volume":50}'
    [ "$HTTP_STATUS" = 200 ] || die "$name: cannot switch the speaker on ($HTTP_STATUS)"
    # A short warm-up so both start with open connections and warm caches.
    BENCH_TOKEN=$SB_ADMIN wrk -t2 -c"$CONNS" -d1s -s "$SB_SRCDIR/bench/store_chat.lua" \
        "$SB_URL" >/dev/null 2>&1
    BENCH_TOKEN=$SB_ADMIN wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" \
        -s "$SB_SRCDIR/bench/store_chat.lua" "$SB_URL" >"$SCRATCH/$name.wrk" 2>&1
    stop_server
    awk -v name="$name" '/^RESULT/ {
        printf "%s %.1f %.2f %.2f %d %d\n", name, $2 / ($3 / 1e6), $4 / 1000, $5 / 1000, $6, $2 }' \
        "$SCRATCH/$name.wrk"
}

dynalite_start >/dev/null || die "dynalite did not start"
"$SERVICEBOTD" migrate --store dynamodb --env bench --dynamodb-endpoint "$DDB_URL" \
    >/dev/null 2>&1 || die "migrate failed"
{
    run_one sqlite
    run_one dynamodb --store dynamodb --env bench --dynamodb-endpoint "$DDB_URL"
} >"$SCRATCH/results"

echo "servicebotd POST /api/chat, $CONNS connections, ${SECONDS_EACH}s each, $(nproc) cores"
awk '{ rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; err[$1] = $5; n[$1] = $6 }
END {
    printf "%-14s %12s %12s %12s\n", "", "sqlite", "dynamodb", "dynamodb/sqlite"
    printf "%-14s %12.1f %12.1f %12.2f\n", "requests/s", rps["sqlite"], rps["dynamodb"], rps["dynamodb"] / rps["sqlite"]
    printf "%-14s %12.2f %12.2f %12.2f\n", "p50 ms", p50["sqlite"], p50["dynamodb"], p50["dynamodb"] / p50["sqlite"]
    printf "%-14s %12.2f %12.2f %12.2f\n", "p99 ms", p99["sqlite"], p99["dynamodb"], p99["dynamodb"] / p99["sqlite"]
    printf "%-14s %12d %12d\n", "requests", n["sqlite"], n["dynamodb"]
    printf "%-14s %12d %12d\n", "errors", err["sqlite"], err["dynamodb"]
}' "$SCRATCH/results"
