#!/bin/bash
# A long conversation: the chat opens with the newest 200 messages and
# fetches the page before them when the reader scrolls past the oldest.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
for i in $(seq 1 110); do echo "status number $i"; done |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
is "$?" 0 "a conversation of 220 messages"

tui_chat 100 20
wait_screen '· connected$'
wait_screen 'you +status number 110 +│'
ok $? "the chat opens at the newest message"
keys Home
wait_screen 'you +status number (10|11|12) +│'
ok $? "Home shows the oldest of the 200 loaded"
screen_lacks 'status number 1 +│'
ok $? "the first messages are not loaded yet"
keys Home
wait_screen 'you +status number 1 +│'
ok $? "reading back past them fetched the page before"
keys End
wait_screen 'you +status number 110 +│'
ok $? "End returns to the newest"
done_testing
