#!/usr/bin/env bash
# bench/flood.sh: one customer token floods POST /api/chat with 16 KB
# messages (wrk, SECONDS long) while another customer chats once every
# half second; prints what the flooder offered and got stored, how the other
# customer fared, and how much the store grew. The per-token limit is what
# keeps the flood out; the figures say by how much.
# Run from the build directory (make bench-flood) or with SB_BUILDDIR.
#   bench/flood.sh [SECONDS] [CONNECTIONS]   (default 10 s, 8 connections)
. "$(dirname "$0")/lib.sh"
SECS=${1:-10}
CONNS=${2:-8}
command -v wrk >/dev/null || { echo "bench/flood: wrk is not installed" >&2; exit 1; }

SB_LOG_LEVEL=error
start_server || { echo "bench/flood: servicebotd did not start" >&2; exit 1; }
FLOOD=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>/dev/null)
OTHER=$("$SERVICEBOTD" token create --customer cust_002 --db "$SB_DB" 2>/dev/null)
store_bytes() { cat "$SB_DB" "$SB_DB-wal" 2>/dev/null | wc -c; }
before=$(store_bytes)
pad=$(head -c 16000 /dev/zero | tr '\0' a)
cat >"$SCRATCH/flood.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $FLOOD"
wrk.body = '{"message":"status $pad"}'
LUA
wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$SCRATCH/flood.lua" "$SB_URL/api/chat" >"$SCRATCH/wrk.out" 2>&1 &
wrk_pid=$!
ok_n=0 tried=0
while kill -0 "$wrk_pid" 2>/dev/null; do
    api_as "$OTHER" POST /api/chat '{"message":"is the bedroom speaker on?"}'
    tried=$((tried + 1))
    [ "$HTTP_STATUS" = 200 ] && ok_n=$((ok_n + 1))
    sleep 0.5
done
wait "$wrk_pid"
metrics=$(curl -s "$SB_URL/metrics")
stored=$(sed -n 's/^servicebot_http_requests_total{route="\/api\/chat",method="POST",status="200"} //p' <<<"$metrics")
refused=$(sed -n 's/^servicebot_rate_limited_total{kind="chat"} //p' <<<"$metrics")
offered=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$SCRATCH/wrk.out")
echo "flooding token: $offered chats of 16 KB in $SECS s ($((offered * 16 / 1024)) MB offered)," \
    "$((stored - ok_n)) stored, $refused refused with 429"
echo "other customer: $ok_n of $tried chats answered 200 during the flood"
echo "store grew by $(((($(store_bytes) - before)) / 1024)) KB"
