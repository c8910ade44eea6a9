#!/usr/bin/env bash
# WebSocket chat as the history grows: ROUNDS rounds of 100 clients flat out
# (each its own customer, MESSAGES per client per round) on one servicebotd
# and one SQLite file. After each round: the round's msg/s, the server's
# file writes and bytes written per exchange (/proc/PID/io, checkpoints
# included), and which b-trees the WAL's chat commits wrote
# (bench/walframes.py). A fresh database is the best case: its indexes are
# a few pages that every exchange shares; as they grow, each exchange of a
# commit writes pages of its own.
#   bench/walframes.sh [ROUNDS] [MESSAGES]   (from the build directory; or
#   make bench-walframes; BENCH_SERVICEBOTD=/other/servicebotd to compare)
. "$(dirname "$0")/lib.sh"
ROUNDS=${1:-6}
MESSAGES=${2:-100}
CLIENTS=100
LOAD="$SB_BUILDDIR/bench/chatload"

die() { echo "bench/walframes: $*" >&2; exit 1; }
command -v sqlite3 >/dev/null || die "sqlite3 is not installed"
[ -x "$LOAD" ] || die "no chatload at $LOAD (run make first)"
start_server || die "servicebotd did not start"
jq --argjson n "$CLIENTS" '.customers = [range(1; $n + 1) | {
      id: ("bench_" + (tostring | ("000" + .)[-4:])), name: "Bench \(.)", service_level: "premium",
      devices: [{id: "spk_\(.)", type: "SmartSpeaker", name: "Speaker", location: "office",
                 state: "on", volume: 50, playlist: ["One", "Two"], current_song: "One"}]}]' \
    "$SB_SRCDIR/data/seed.json" >"$SCRATCH/bench.json"
"$SERVICEBOTD" import "$SCRATCH/bench.json" --db "$SB_DB" >/dev/null 2>&1 || die "import failed"
WS="ws://127.0.0.1:$SB_PORT/ws"
io() { awk '/^(syscw|wchar):/ { printf "%s ", $2 }' "/proc/$SB_PID/io"; }
echo "machine: $(nproc) cores, $(uname -sr); $CLIENTS clients x $MESSAGES messages per round"
for round in $(seq "$ROUNDS"); do
    before=$(io)
    out=$("$LOAD" -u "$WS" -t "$SB_ADMIN" -c "$CLIENTS" -m "$MESSAGES") || die "chatload failed"
    after=$(io)
    stored=$(sqlite3 "$SB_DB" 'SELECT count(*) + count(reply_text) FROM messages')
    echo "round $round: $(grep -o 'msgs_per_sec=[0-9]*' <<<"$out"), $stored messages stored"
    echo "$before $after" | awk -v m=$((CLIENTS * MESSAGES)) \
        '{ printf "  per exchange: %.1f file writes, %.0f bytes written\n", ($4 - $2) / m, ($3 - $1) / m }'
    python3 "$SB_SRCDIR/bench/walframes.py" "$SB_DB" | sed 's/^/  /'
done
