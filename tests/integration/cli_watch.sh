#!/usr/bin/env bash
# devices watch against a real servicebotd: device changes made over REST,
# by the chat and after a server restart arrive through the WebSocket as
# one JSON object each (--json, --jq), a line each (pipe) or a redrawn
# table (terminal); Ctrl-C or SIGTERM ends it with 0.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN

sb devices watch --customer cust_404
is "$RC" 3 "watching an unknown customer exits 3"
SERVICEBOT_TOKEN=wrong sb devices watch --customer cust_002
is "$RC" 5 "watching with a refused token exits 5"
sb --server "http://127.0.0.1:$(free_port)" devices watch --customer cust_002
is "$RC" 6 "watching an unreachable server exits 6"

# watch_start NAME ARGS...: runs servicebot -v ARGS in the background, output
# in $SCRATCH/NAME.out and .err, and waits until it is connected.
watch_start() {
    local name=$1
    shift
    $SB_VALGRIND "$SERVICEBOT" -v "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
    WATCH=$!
    SB_PIDS="$SB_PIDS $WATCH"
    wait_for grep -q "watching cust_002's devices" "$SCRATCH/$name.err"
}

watch_start json --json devices watch --customer cust_002
ok $? "devices watch --json connects"
watch_start jq devices watch --customer cust_002 --jq '.device.id + " " + .device.state'
watch_start text devices watch --customer cust_002
api PATCH /api/customers/cust_002/devices/dev_002 '{"volume": 21}'
wait_for grep -q '"volume":21' "$SCRATCH/json.out"
ok $? "a change over REST arrives"
sb --customer cust_002 send 'turn on the kitchen display'
wait_for grep -q '"id":"dev_003".*"state":"on"' "$SCRATCH/json.out"
ok $? "a change made by the bot arrives"
wait_for grep -q 'dev_003 on' "$SCRATCH/jq.out"
wait_for grep -q 'dev_003  Kitchen Display: on' "$SCRATCH/text.out"

is "$(wc -l <"$SCRATCH/json.out")" 2 "--json: one line per change"
is "$(jq -s -c 'map(.device.id)' "$SCRATCH/json.out")" '["dev_002","dev_003"]' \
    "each line is one JSON object with the device"
is "$(jq -r .customerId "$SCRATCH/json.out" | sort -u)" cust_002 "and the customer"
is "$(cat "$SCRATCH/jq.out")" $'dev_002 on\ndev_003 on' "--jq filters each change"
like "$(head -n 1 "$SCRATCH/text.out")" '^ID +NAME +TYPE +LOCATION +STATE +VOLUME +SONG' \
    "into a pipe: the table first"
like "$(cat "$SCRATCH/text.out")" '[0-9:]+ [+-][0-9]{4}  dev_002  Bedroom Speaker: on, volume 21, Clair de Lune, in bedroom' \
    "then a line per change"

# The server goes away and comes back on the same port: watch reconnects.
stop_server
wait_for grep -q 'reconnecting' "$SCRATCH/json.err"
ok $? "a lost connection is reported on stderr"
restart_server
# Made while watch may still be in its backoff: it arrives as a push or,
# after the reconnect, from the difference to the welcome; once either way.
api PATCH /api/customers/cust_002/devices/dev_003 '{"volume": 31}'
wait_for grep -q '"volume":31' "$SCRATCH/json.out"
ok $? "a change around a server restart arrives"
wait_for grep -q "watching\|reconnect" "$SCRATCH/json.err"
api PATCH /api/customers/cust_002/devices/dev_003 '{"volume": 32}'
wait_for grep -q '"volume":32' "$SCRATCH/json.out"
ok $? "after the server restarts, changes arrive again"
is "$(grep -c '"volume":31' "$SCRATCH/json.out")" 1 "the change around the restart shows once"

kill -TERM $WATCH
wait $WATCH
is "$?" 0 "SIGTERM ends watch with 0"

# history --follow: the first page, then each new message as it is stored,
# whether it came over REST (send) or the WebSocket (chat).
sb --customer cust_002 history --follow --before 2026-01-01T00:00:00Z
is "$RC" 2 "history --follow with --before is a usage error"
sb --customer cust_404 history --follow
is "$RC" 3 "history --follow of an unknown customer exits 3"
SERVICEBOT_TOKEN=wrong sb --customer cust_002 history --follow
is "$RC" 5 "history --follow with a refused token exits 5"
sb --customer cust_002 --json send 'what can I do?'
FIRST_CONV=$(printf '%s' "$OUT" | jq -r .conversationId)
$SB_VALGRIND "$SERVICEBOT" -v --json --customer cust_002 history --follow \
    >"$SCRATCH/follow.out" 2>"$SCRATCH/follow.err" &
FOLLOW=$!
SB_PIDS="$SB_PIDS $FOLLOW"
"$SERVICEBOT" -v --customer cust_002 history -f --conversation "$FIRST_CONV" \
    >"$SCRATCH/follow1.out" 2>"$SCRATCH/follow1.err" &
FOLLOW1=$!
SB_PIDS="$SB_PIDS $FOLLOW1"
wait_for grep -q "watching cust_002's messages" "$SCRATCH/follow.err"
ok $? "history --follow connects"
wait_for grep -q "watching cust_002's messages" "$SCRATCH/follow1.err"
START=$(wc -l <"$SCRATCH/follow.out")
api GET /api/chat/history/cust_002
is "$START" "$(jq '.messages | length' <<<"$HTTP_BODY")" "the first page comes first, one JSON object per message"
sb --customer cust_002 send 'turn off the kitchen display'
printf 'turn on the kitchen display\n' | "$SERVICEBOT" --customer cust_002 chat >/dev/null 2>&1
sb --customer cust_002 send --conversation "$FIRST_CONV" 'and the bedroom speaker?'
wait_true '[ "$(wc -l <"$SCRATCH/follow.out")" -ge $((START + 6)) ]'
NEW=$(tail -n +$((START + 1)) "$SCRATCH/follow.out")
is "$(jq -r .sender <<<"$NEW" | tr '\n' ' ')" "user bot user bot user bot " "each exchange arrives as the user's and the bot's message"
is "$(jq -r .text <<<"$NEW" | sed -n '1p;3p;5p' | tr '\n' '|')" \
    "turn off the kitchen display|turn on the kitchen display|and the bedroom speaker?|" \
    "from REST and from the WebSocket chat, in order"
jq -e -s 'all(.[]; .id and .timestamp and .conversationId)' "$SCRATCH/follow.out" >/dev/null
ok $? "as stored: ids, timestamps, conversation ids"
wait_for grep -q 'and the bedroom speaker' "$SCRATCH/follow1.out"
if grep -q 'kitchen display' "$SCRATCH/follow1.out"; then
    ok 1 "--conversation: only that conversation is followed"
else
    ok 0 "--conversation: only that conversation is followed"
fi
like "$(cat "$SCRATCH/follow1.out")" '[0-9:]+ [+-][0-9]{4}  user  and the bedroom speaker\?' \
    "followed messages print as TIME FROM TEXT"
# Across a server restart: what was stored while away shows once, not twice.
stop_server
wait_for grep -q 'reconnecting' "$SCRATCH/follow.err"
restart_server
sb --customer cust_002 send 'said while you were away'
wait_for grep -q 'said while you were away' "$SCRATCH/follow.out"
sb --customer cust_002 send 'and once you were back'
wait_for grep -q 'and once you were back' "$SCRATCH/follow.out"
is "$(grep -c '"text":"said while you were away"' "$SCRATCH/follow.out")" 1 \
    "a message from around a reconnect shows exactly once"
kill -INT $FOLLOW $FOLLOW1
wait $FOLLOW
is "$?" 0 "Ctrl-C ends history --follow with 0"

# On a terminal: the table is redrawn in place; Ctrl-C ends it.
if command -v python3 >/dev/null; then
    python3 "$SB_SRCDIR/tests/integration/pty_run.py" "$SCRATCH/watch.pty" \
        --expect 'Pantry Display' --send $'\x03' \
        "$SERVICEBOT" devices watch --customer cust_002 &
    PTY=$!
    SB_PIDS="$SB_PIDS $PTY"
    wait_for grep -q 'Ctrl-C stops' "$SCRATCH/watch.pty"
    api PATCH /api/customers/cust_002/devices/dev_003 '{"name": "Pantry Display"}'
    wait $PTY
    is "$?" 0 "on a terminal, Ctrl-C ends watch with 0"
    SCREEN=$(cat "$SCRATCH/watch.pty")
    like "$SCREEN" "cust_002's devices on $SB_URL, updated" "a title says whose devices and when"
    is "$(grep -o $'\x1b\\[H\x1b\\[2J' "$SCRATCH/watch.pty" | wc -l)" 2 \
        "the screen is redrawn: once connected, once for the change"
    like "$SCREEN" 'dev_003 +Pantry Display' "with the changed device"
fi

done_testing
