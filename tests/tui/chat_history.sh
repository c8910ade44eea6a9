#!/bin/bash
# A long conversation: the chat opens with the newest 200 messages and
# fetches the page before them when the reader scrolls past the oldest,
# without waiting for it (a proxy holds the server's answer back).
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
for i in $(seq 1 110); do echo "status number $i"; done |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
is "$?" 0 "a conversation of 220 messages"

stall_proxy_start || exit 1
tui_start 100 20 "$TUI_CLIENT --server '$PROXY_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
wait_screen 'you +status number 110 +│'
ok $? "the chat opens at the newest message"
hold 'before='
keys Home
wait_screen 'you +status number (10|11|12) +│'
ok $? "Home shows the oldest of the 200 loaded"
wait_for test -e "$HOLD.seen"
ok $? "reaching the oldest asks for the page before (held back by the server)"
wait_screen 'loading older messages'
ok $? "the status line says it is on its way"
screen_lacks 'status number 1 +│'
ok $? "the first messages are not there yet"
keys -l "typed meanwhile"
wait_screen '^> typed meanwhile'
ok $? "typing works while the page is held"
keys C-u
rm "$HOLD"
wait_for screen_lacks 'loading older messages'
keys Home
wait_screen 'you +status number 1 +│'
ok $? "the page arrived above the oldest loaded"
keys End
wait_screen 'you +status number 110 +│'
ok $? "End returns to the newest"
done_testing
