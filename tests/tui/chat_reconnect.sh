#!/bin/bash
# The server is killed while the chat is open: the title bar counts down to
# the next attempt, a message typed meanwhile is shown pending and is
# delivered exactly once when the server is back.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

# servicebotd again on the same port and database
restart_server() {
    SERVICEBOT_ADMIN_TOKEN=$SB_ADMIN "$SERVICEBOTD" --listen "127.0.0.1:$SB_PORT" --db "$SB_DB" \
        --log-level warn 2>>"$SCRATCH/server.log" &
    SB_PID=$!
    SB_PIDS="$SB_PIDS $SB_PID"
    wait_for curl -sf "$SB_URL/healthz"
}

start_server || exit 1
tui_chat 100 30
wait_screen '· connected$'
ok $? "connected"

kill -KILL "$SB_PID"
wait "$SB_PID" 2>/dev/null
wait_screen 'disconnected, retry in [0-9]+s'
ok $? "the title bar says the connection is down and counts down"
wait_screen 'Connection lost'
ok $? "the pane says so too"

type_line "turn on the speaker"
wait_screen 'you +turn on the speaker \(pending\)'
ok $? "a message typed while down is shown pending"

restart_server
ok $? "the server is back on the same port and database"

wait_screen 'bot +I turned the Living Room Speaker on'
ok $? "the pending message is answered after the reconnect"
wait_screen 'Reconnected'
ok $? "the pane notes the reconnect"
screen_lacks '\(pending\)'
ok $? "nothing is left pending"

api GET "/api/chat/history/cust_001?limit=50" >/dev/null
is "$(printf '%s' "$HTTP_BODY" |
    jq '[.messages[] | select(.sender == "user" and .text == "turn on the speaker")] | length')" 1 \
    "the server recorded the message exactly once"
is "$(printf '%s' "$HTTP_BODY" | jq '[.messages[] | .conversationId] | unique | length')" 1 \
    "in the same conversation"
# A message written to a connection whose server never read it: the server
# is frozen, the message goes out, then the frozen server dies.
kill -STOP "$SB_PID"
type_line "set it to 40"
wait_screen 'you +set it to 40 \(pending\)'
ok $? "a message sent to a frozen server stays pending"
kill -KILL "$SB_PID"
wait "$SB_PID" 2>/dev/null
wait_screen 'disconnected, retry in'
restart_server
ok $? "the server is back again"
wait_screen 'Speaker to 40%'
ok $? "the unanswered message is sent again and answered"
api GET "/api/chat/history/cust_001?limit=50" >/dev/null
is "$(printf '%s' "$HTTP_BODY" |
    jq '[.messages[] | select(.sender == "user" and .text == "set it to 40")] | length')" 1 \
    "and recorded once"
done_testing
