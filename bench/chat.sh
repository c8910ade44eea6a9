#!/usr/bin/env bash
# bench/chat.sh: chat throughput and round-trip latency over WebSocket for
# 1, 100 and 1000 concurrent clients (each its own customer), flat out and
# paced at 500 messages/s in all and 1000 clients at 2,000/s (the issue-13 aim), then the RSS
# of servicebotd holding 1000 idle connections. Figures are printed, not
# judged. Run from the build directory (make bench-chat) or with SB_BUILDDIR.
#   bench/chat.sh [MESSAGES_PER_RUN]   (default 3000 per client count)
. "$(dirname "$0")/lib.sh"
TOTAL=${1:-3000}
LOAD="$SB_BUILDDIR/bench/chatload"
CLIENTS=1000

start_server || { echo "bench/chat: servicebotd did not start" >&2; exit 1; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$SB_PID/status"; }
echo "machine: $(nproc) cores, $(uname -sr); store: sqlite (WAL) at $SB_DB"
echo "servicebotd RSS at start: $(rss_kb) kB"

# One premium customer per client, each with a speaker that is on.
jq --argjson n "$CLIENTS" '.customers = [range(1; $n + 1) | {
      id: ("bench_" + (tostring | ("000" + .)[-4:])), name: "Bench \(.)", service_level: "premium",
      devices: [{id: "spk_\(.)", type: "SmartSpeaker", name: "Speaker", location: "office",
                 state: "on", volume: 50, playlist: ["One", "Two"], current_song: "One"}]}]' \
    "$SB_SRCDIR/data/seed.json" >"$SCRATCH/bench.json"
"$SERVICEBOTD" import "$SCRATCH/bench.json" --db "$SB_DB" 2>/dev/null ||
    { echo "bench/chat: import failed" >&2; exit 1; }

WS="ws://127.0.0.1:$SB_PORT/ws"
before=$(sqlite3 "$SB_DB" 'SELECT count(*) + count(reply_text) FROM messages')
# Saturation: every client sends again as soon as its reply arrives.
for n in 1 100 1000; do
    "$LOAD" -u "$WS" -t "$SB_ADMIN" -c "$n" -m $((TOTAL / n > 0 ? TOTAL / n : 1)) ||
        { echo "bench/chat: load generator failed at $n clients" >&2; exit 1; }
done
# Paced: 500 messages/s offered in all, to see latency below saturation.
"$LOAD" -u "$WS" -t "$SB_ADMIN" -c 100 -m 20 -r 5 &&
    "$LOAD" -u "$WS" -t "$SB_ADMIN" -c 1000 -m 4 -r 0.5 &&
    "$LOAD" -u "$WS" -t "$SB_ADMIN" -c 1000 -m 6 -r 2 ||
    { echo "bench/chat: paced load failed" >&2; exit 1; }
after=$(sqlite3 "$SB_DB" 'SELECT count(*) + count(reply_text) FROM messages')
echo "messages stored during the runs: $((after - before)) (two per acknowledged request)"

"$LOAD" -u "$WS" -t "$SB_ADMIN" -c "$CLIENTS" -i 6 >"$SCRATCH/idle" &
idle=$!
wait_for grep -q "connected $CLIENTS" "$SCRATCH/idle" ||
    { echo "bench/chat: $CLIENTS idle clients did not all connect" >&2; exit 1; }
echo "servicebotd RSS with $CLIENTS idle WebSocket connections: $(rss_kb) kB"
wait "$idle"
