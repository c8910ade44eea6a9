#!/usr/bin/env bash
# bench/history.sh: the history query at scale. Fills a SQLite store with N
# messages of one customer (spread over 100 conversations, two a second),
# then runs wrk against GET /api/chat/history for random pages (a random
# `before` timestamp, half of them within one conversation), once with 10,000
# stored messages and once with N; prints p50/p99 of both and the ratio. The
# aim: the p99 at 1,000,000 within 1.5x of the p99 at 10,000, which only
# holds when each page is an index range scan (the query plan is printed).
# Run from the build directory (make bench-history) or with SB_BUILDDIR.
#   bench/history.sh [MESSAGES] [SECONDS]   (default 1000000, 5 s)
. "$(dirname "$0")/lib.sh"
BIG=${1:-1000000}
SECS=${2:-5}
command -v wrk >/dev/null || { echo "bench/history: wrk is not installed" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench/history: sqlite3 is not installed" >&2; exit 1; }

# fill DB N: a migrated, seeded store with N messages of cust_001 added in one
# transaction (an exchange a second from 2026-01-01, its reply 1 ms after the
# request; ids and rows as the server makes them: one row per exchange).
fill() {
    local db=$1 n=$2 t0
    "$SERVICEBOTD" import "$SB_SRCDIR/data/seed.json" --db "$db" >/dev/null || return 1
    t0=$(date +%s.%N)
    sqlite3 "$db" <<SQL || return 1
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 2 FROM k WHERE i + 2 < $n)
INSERT INTO messages (id, conversation_id, user_id, text, sender, timestamp,
                      reply_text, reply_sender, reply_timestamp)
SELECT printf('msg_u_%08d', i), printf('conv_bench%03d', (i / 2) % 100), 'cust_001',
       'turn the volume up', 'user',
       strftime('%Y-%m-%dT%H:%M:%f', 1767225600 + i / 2.0, 'unixepoch') || 'Z',
       'I turned the volume up to 55%.', 'bot',
       strftime('%Y-%m-%dT%H:%M:%f', 1767225600 + i / 2.0 + 0.001, 'unixepoch') || 'Z'
FROM k;
COMMIT;
SQL
    echo "bench/history: $n messages stored in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s" >&2
}

# run N: prints "p50_ms p99_ms req/s" of wrk against a server on the N store.
run() {
    local n=$1
    SB_DB="$SCRATCH/history-$n.db"
    fill "$SB_DB" "$n" || { echo "bench/history: filling the store failed" >&2; exit 1; }
    if [ "$n" = "$BIG" ]; then
        echo "query plan (with before, one conversation):" >&2
        sqlite3 "$SB_DB" "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE user_id = 'cust_001'
            AND conversation_id = 'conv_bench001' AND timestamp < '2026-01-02'
            ORDER BY timestamp DESC, rowid DESC LIMIT 50" | sed 's/^/  /' >&2
    fi
    start_server || { echo "bench/history: servicebotd did not start" >&2; exit 1; }
    cat >"$SCRATCH/history.lua" <<LUA
math.randomseed(42)
local span = math.floor($n / 2)
wrk.headers["Authorization"] = "Bearer $SB_ADMIN"
request = function()
  local s = 1767225600 + math.random(0, span)
  local before = os.date("!%Y-%m-%dT%H:%M:%S.000Z", s)
  local path = "/api/chat/history/cust_001?limit=50&before=" .. before
  if math.random(2) == 1 then
    path = path .. "&conversationId=" .. string.format("conv_bench%03d", math.random(0, 99))
  end
  return wrk.format("GET", path)
end
LUA
    wrk -t1 -c8 -d"${SECS}s" --latency -s "$SCRATCH/history.lua" "$SB_URL" >"$SCRATCH/wrk-$n.txt" 2>&1
    stop_server
    awk '/^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2} /^Requests\/sec/ {rps = $2}
         function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                          if (v ~ /s$/) return v * 1000; return v }
         END { printf "%.2f %.2f %.0f\n", ms(p50), ms(p99), rps }' "$SCRATCH/wrk-$n.txt"
}

read -r s50 s99 srps < <(run 10000)
read -r b50 b99 brps < <(run "$BIG")
printf '%-12s %10s %10s %10s\n' messages "p50 ms" "p99 ms" "req/s"
printf '%-12s %10s %10s %10s\n' 10000 "$s50" "$s99" "$srps"
printf '%-12s %10s %10s %10s\n' "$BIG" "$b50" "$b99" "$brps"
echo "p99 ratio ($BIG / 10000): $(awk -v a="$b99" -v b="$s99" 'BEGIN { printf "%.2f", a / b }')x (aim: at most 1.5x)"
