#!/usr/bin/env bash
# Scheduled routines at scale: N customers (default 10,000), each with one
# routine, all due at the same instant (the worst case of "due in one
# minute"), on SQLite and then on DynamoDB (a local dynalite). servicebotd
# runs with the test-only clock: the clock is moved to the due time at a
# moment R0, and each run's due-to-done time is its "routine run" log line's
# time minus R0 (the run is committed and its message recorded by then).
# Prints p50/p99/max and the CPU seconds servicebotd used for the batch.
#   bench/scheduler.sh        (from the build directory; or make bench-scheduler)
#   BENCH_CUSTOMERS=2000 bench/scheduler.sh
set -u
: "${SB_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
export SB_SRCDIR SB_VALGRIND=""
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
N=${BENCH_CUSTOMERS:-10000}
DUE=2030-01-01T08:00:00.000Z
export SERVICEBOTD_TEST_CLOCK=$SCRATCH/clock
die() { echo "bench/scheduler: $*" >&2; exit 1; }
[ -x "$SERVICEBOTD" ] || die "no servicebotd in $SB_BUILDDIR (run make first)"

# The seed's levels and catalogue with N enterprise customers.
python3 - "$SB_SRCDIR/data/seed.json" "$N" "$DUE" >"$SCRATCH/load.json" <<'PY'
import json, sys
seed = json.load(open(sys.argv[1]))
n, due = int(sys.argv[2]), sys.argv[3]
seed["customers"] = [{
    "id": "load%05d" % i, "name": "Load %d" % i, "service_level": "enterprise",
    "devices": [{"id": "spk", "type": "SmartSpeaker", "location": "office", "state": "on",
                 "volume": 10}],
    "routines": [{"name": "louder", "steps": ["turn up the speaker"],
                  "schedule": {"time": due[11:16]}, "next_run": due}]} for i in range(n)]
json.dump(seed, sys.stdout)
PY

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run_one NAME [servicebotd args...]: prints "NAME runs p50_ms p99_ms max_ms cpu_s"
run_one() {
    local name=$1 t0 t1 r0
    shift
    printf '2030-01-01T07:59:00Z\n' >"$SERVICEBOTD_TEST_CLOCK"
    : >"$SCRATCH/server.log"
    SB_LOG_LEVEL=info start_server "$@" || die "servicebotd ($name) did not start"
    t0=$(cpu_ticks "$SB_PID")
    r0=$(date +%s.%N)
    printf '%s\n' "$DUE" >"$SERVICEBOTD_TEST_CLOCK"
    local i=0
    until [ "$(grep -c 'msg="routine run"' "$SCRATCH/server.log")" -ge "$N" ]; do
        sleep 0.5
        i=$((i + 1))
        [ $i -lt 2400 ] || die "$name: only $(grep -c 'msg="routine run"' "$SCRATCH/server.log") of $N runs after 20 minutes"
    done
    t1=$(cpu_ticks "$SB_PID")
    stop_server
    grep 'msg="routine run"' "$SCRATCH/server.log" | sed -n 's/^ts=\([^ ]*\) .*/\1/p' |
        python3 -c '
import sys, datetime
r0, name, cpu = float(sys.argv[1]), sys.argv[2], float(sys.argv[3])
ms = sorted((datetime.datetime.strptime(l.strip(), "%Y-%m-%dT%H:%M:%S.%fZ")
             .replace(tzinfo=datetime.timezone.utc).timestamp() - r0) * 1000 for l in sys.stdin)
q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
print("%s %d %.0f %.0f %.0f %.1f" % (name, len(ms), q(0.5), q(0.99), ms[-1], cpu))
' "$r0" "$name" "$(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)"
}

"$SERVICEBOTD" import "$SCRATCH/load.json" --db "$SCRATCH/sqlite.db" >/dev/null 2>&1 ||
    die "import into SQLite failed"
SB_DB=$SCRATCH/sqlite.db run_one sqlite >"$SCRATCH/result"

if [ -f "$DYNALITE_CLI" ]; then
    dynalite_start >/dev/null || die "dynalite did not start"
    DDB=(--store dynamodb --env bench --dynamodb-endpoint "$DDB_URL")
    "$SERVICEBOTD" migrate "${DDB[@]}" >/dev/null 2>&1 || die "migrate failed"
    "$SERVICEBOTD" import "$SCRATCH/load.json" "${DDB[@]}" >/dev/null 2>&1 ||
        die "import into dynalite failed"
    run_one dynamodb "${DDB[@]}" >>"$SCRATCH/result"
else
    echo "bench/scheduler: dynalite is not installed; DynamoDB skipped" >&2
fi

echo "scheduler: $N routines due at one instant, due-to-done (ms) and servicebotd CPU"
printf '%-10s %8s %8s %8s %8s %8s\n' store runs p50_ms p99_ms max_ms cpu_s
while read -r name runs p50 p99 max cpu; do
    printf '%-10s %8s %8s %8s %8s %8s\n' "$name" "$runs" "$p50" "$p99" "$max" "$cpu"
done <"$SCRATCH/result"
