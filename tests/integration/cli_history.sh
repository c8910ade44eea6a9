#!/usr/bin/env bash
# history: one limit (the server's) in the client, its help and the man
# page; times in local time with the offset (TZ), or UTC with --utc.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

DOWN="http://127.0.0.1:$(free_port)"
sb --server "$DOWN" --customer cust_001 history --limit 501
is "$RC" 2 "a limit above the server's maximum is a usage error, before any request"
like "$ERR" "limit must be 1-500 \(the server's maximum page\), got '501'" "and says the range"
sb history --help
like "$OUT" '--limit N +at most N messages \(1-500, default 50\)' "history --help states the same range"
if command -v mandoc >/dev/null; then
    PAGE=$(mandoc -Tascii "$SB_SRCDIR/man/servicebot.1" | col -bx | tr -s ' \n' ' ')
    like "$PAGE" 'takes 1-500, the server.s largest page \(its default is 50\)' \
        "servicebot(1) states the same range"
fi

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN
api GET '/api/chat/history/cust_001?limit=501'
is "$HTTP_STATUS" 400 "the server refuses 501 too"
like "$HTTP_BODY" '1-500' "with the same range"

sb --customer cust_001 send 'what can I do?'
sb --customer cust_001 history --limit 500
is "$RC" 0 "history --limit 500 is accepted by both"

sb --customer cust_001 --json history --limit 1
TS=$(printf '%s' "$OUT" | jq -r '.messages[0].timestamp')
WANT_UTC=$(date -u -d "$TS" '+%Y-%m-%d %H:%M:%S [+]0000')
WANT_KOL=$(TZ=Asia/Kolkata date -d "$TS" '+%Y-%m-%d %H:%M:%S [+]0530')
TZ=Asia/Kolkata sb --customer cust_001 history --limit 1
like "$OUT" "^$WANT_KOL " "history shows local time (TZ) with its offset"
TZ=Asia/Kolkata sb --customer cust_001 history --limit 1 --utc
like "$OUT" "^$WANT_UTC " "--utc shows UTC with +0000"
TZ=America/New_York sb --customer cust_001 --utc history --limit 1
like "$OUT" "^$WANT_UTC " "--utc is a global option (before the command too)"
TZ=UTC sb --customer cust_001 history --limit 1
like "$OUT" "^$WANT_UTC " "TZ=UTC is local time with +0000"
TZ=Asia/Kolkata sb --customer cust_001 --json history --limit 1
json_ok ".messages[0].timestamp == \"$TS\"" "--json keeps the server's ISO 8601 UTC timestamps"

sb --customer cust_001 --json device show dev_001
DEV_TS=$(printf '%s' "$OUT" | jq -r '.device.lastUpdated')
TZ=Asia/Kolkata sb --customer cust_001 device show dev_001
like "$OUT" "Last updated +$(TZ=Asia/Kolkata date -d "$DEV_TS" '+%Y-%m-%d %H:%M:%S [+]0530')" \
    "device show follows the same rule"

done_testing
