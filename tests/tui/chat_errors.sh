#!/bin/bash
# A refused token, an unknown customer, no server: a clear message in the
# pane and a title bar that says so, not a dead screen.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1

tui_start 100 24 "$TUI_CLIENT --server '$SB_URL' --token wrong-token --customer cust_001 chat"
wait_screen 'The server refused the connection: .+'
ok $? "a bad token is explained in the pane"
wait_screen 'refused$'
ok $? "the title bar says refused"
refusals() { [ "$(screen | grep -c 'The server refused the connection')" -ge "$1" ]; }
type_line "/reconnect"
wait_for refusals 2
ok $? "no retries after a refusal, but /reconnect tries again at once"
type_line "/quit"
wait_screen 'TUI-EXITED=5'
ok $? "/quit leaves with the unauthorized exit code"
tmx kill-session -t chat

tui_chat 100 24 --customer cust_999
wait_screen 'The server refused the connection: .+'
ok $? "an unknown customer is explained too"
keys C-d
wait_screen 'TUI-EXITED=3'
ok $? "and Ctrl-D leaves with the not-found code"
tmx kill-session -t chat

port=$(free_port)
tui_start 100 24 "$TUI_CLIENT --server http://127.0.0.1:$port --token x --customer cust_001 chat"
wait_screen "Cannot connect to servicebotd at http://127.0.0.1:$port"
ok $? "no server: the pane says it cannot connect"
wait_screen 'disconnected, retry in [0-9]+s'
ok $? "and the title bar counts down to the next attempt"
type_line "/help"
wait_screen 'Ctrl-D, Ctrl-C +leave'
ok $? "the screen stays usable meanwhile"
type_line "hello there"
wait_screen 'you +hello there \(pending\)'
ok $? "a message typed meanwhile waits, shown pending"
type_line "/quit"
wait_screen 'servicebot: 1 message was typed but not answered'
ok $? "leaving says that it was never delivered"
done_testing
