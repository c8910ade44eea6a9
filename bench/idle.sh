#!/usr/bin/env bash
# bench/idle.sh: servicebotd holding many idle WebSockets. Prints its RSS and
# the round trip of one probe client (paced chat, every message a durable
# device change) first with no other connection, then while CLIENTS idle
# WebSockets are open, and the ratio. Figures are printed, not judged.
# Run from the build directory (make bench-idle) or with SB_BUILDDIR;
# BENCH_SERVICEBOTD runs another build of servicebotd (a before/after pair).
#   bench/idle.sh [CLIENTS] [PROBE_MESSAGES]   (default 10000 and 500 at 50/s)
set -u
: "${SB_BUILDDIR:=$(pwd)}"
SB_SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
SB_VALGRIND=
. "$SB_SRCDIR/tests/lib.sh"
CLIENTS=${1:-10000}
PROBE=${2:-500}
LOAD="$SB_BUILDDIR/bench/chatload"
# Each connection is a descriptor on both ends (same machine).
ulimit -n $((CLIENTS + 1024)) 2>/dev/null ||
    { echo "bench/idle: cannot open $CLIENTS descriptors (ulimit -Hn is $(ulimit -Hn))" >&2; exit 1; }

start_server || { echo "bench/idle: servicebotd did not start" >&2; exit 1; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$SB_PID/status"; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); servicebotd $SERVICEBOTD"

# One customer per idle client (bench_0001...) and one for the probe.
jq --argjson n "$CLIENTS" '.customers = [range(1; $n + 1) | {
      id: ("bench_" + (tostring | if length < 4 then ("000" + .)[-4:] else . end)),
      name: "Bench \(.)", service_level: "premium",
      devices: [{id: "spk_\(.)", type: "SmartSpeaker", name: "Speaker", location: "office",
                 state: "on", volume: 50, playlist: ["One", "Two"], current_song: "One"}]}]
    + [{id: "probe_0001", name: "Probe", service_level: "premium",
        devices: [{id: "spk_probe", type: "SmartSpeaker", name: "Speaker", location: "office",
                   state: "on", volume: 50, playlist: ["One"], current_song: "One"}]}]' \
    "$SB_SRCDIR/data/seed.json" >"$SCRATCH/bench.json"
"$SERVICEBOTD" import "$SCRATCH/bench.json" --db "$SB_DB" 2>/dev/null ||
    { echo "bench/idle: import failed" >&2; exit 1; }

WS="ws://127.0.0.1:$SB_PORT/ws"
probe() { "$LOAD" -u "$WS" -t "$SB_ADMIN" -p probe_ -c 1 -m "$PROBE" -r 50; }
ref=$(probe) || { echo "bench/idle: the reference probe failed" >&2; exit 1; }
echo "probe alone:        $ref"
rss0=$(rss_kb)

# Held open far longer than the probe needs; stopped once it is done.
"$LOAD" -u "$WS" -t "$SB_ADMIN" -c "$CLIENTS" -i 3600 >"$SCRATCH/idle" 2>"$SCRATCH/idle.err" &
idle=$!
SB_PIDS="$SB_PIDS $idle"
waited=0
until grep -q "connected $CLIENTS" "$SCRATCH/idle"; do
    kill -0 "$idle" 2>/dev/null ||
        { echo "bench/idle: the idle clients failed: $(head -3 "$SCRATCH/idle.err")" >&2; exit 1; }
    [ $((waited += 1)) -lt 900 ] ||
        { echo "bench/idle: $CLIENTS clients not all welcomed after 15 minutes" >&2; exit 1; }
    sleep 1
done
echo "all $CLIENTS welcomed after about $waited s"
rss1=$(rss_kb)
loaded=$(probe) || { echo "bench/idle: the probe failed" >&2; exit 1; }
echo "probe with $CLIENTS idle: $loaded"
echo "servicebotd RSS: $rss0 kB without, $rss1 kB with $CLIENTS idle WebSockets"
p99() { sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p'; }
awk -v a="$(p99 <<<"$ref")" -v b="$(p99 <<<"$loaded")" \
    'BEGIN { printf "probe p99 ratio (idle/alone): %.2f\n", b / a }'
kill "$idle" 2>/dev/null
wait "$idle" 2>/dev/null
exit 0
