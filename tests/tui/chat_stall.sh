#!/bin/bash
# Nothing the chat asks the server for blocks it: while servicebotd holds
# back the history or the plans (a proxy in front of it keeps the request),
# typing and slash commands go on, and the answer lands when it comes.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
for i in 1 2 3; do echo "status number $i"; done |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
api GET "/api/chat/history/cust_001?limit=1" >/dev/null
conv=$(printf '%s' "$HTTP_BODY" | jq -r '.messages[-1].conversationId')
stall_proxy_start || exit 1

hold 'GET /api/chat/history'
tui_start 100 16 "$TUI_CLIENT --server '$PROXY_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
ok $? "the chat connects through the proxy"
wait_for test -e "$HOLD.seen"
ok $? "the history request is held back by the server"
keys -l "what's the status"
wait_screen "^> what's the status"
ok $? "typing works while the history answer is held"
keys Enter
wait_screen "you +what's the status \(pending\)"
ok $? "a message waits, shown pending, until the conversation is known"
type_line "/help"
wait_screen 'Ctrl-D, Ctrl-C +leave'
ok $? "slash commands run meanwhile"
keys PageUp
wait_screen 'scrolled back'
ok $? "and so does scrolling"
keys End
screen_lacks 'status number 3'
ok $? "the history is not there yet"

rm "$HOLD"
wait_screen 'bot +The Living Room Speaker is'
ok $? "once the server answers, the waiting message is sent and answered"
keys Home
wait_screen 'you +status number 1 '
ok $? "and the history filled in above"
keys End
api GET "/api/chat/history/cust_001?limit=1" >/dev/null
is "$(printf '%s' "$HTTP_BODY" | jq -r '.messages[-1].conversationId')" "$conv" \
    "in the conversation the chat resumed"

hold 'GET /api/service-levels'
type_line "/levels"
wait_for test -e "$HOLD.seen"
ok $? "/levels asks the server, which holds the answer back"
keys -l "still typing"
wait_screen '^> still typing'
ok $? "typing works while /levels waits"
keys C-u
rm "$HOLD"
wait_screen 'Premium \$9\.99 '
ok $? "the plans appear when the answer comes"

# leaving while an answer is held back: the request is cancelled, not waited for
tmx kill-session -t chat
hold 'GET /api/chat/history'
tui_start 100 16 "$TUI_CLIENT --server '$PROXY_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
wait_for test -e "$HOLD.seen"
keys C-d
wait_screen 'TUI-EXITED=0'
ok $? "Ctrl-D leaves while the history answer is held, without waiting it out"
rm "$HOLD"
done_testing
