#!/bin/bash
# Input beyond typing: a bracketed paste is one message with its newlines,
# PgUp/PgDn/Home/End and the mouse wheel scroll the pane.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
# a conversation longer than the pane, made through line mode
for i in $(seq 1 12); do echo "status number $i"; done |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
tui_chat 100 16
wait_screen '· connected$'
ok $? "connected"
# the history is loaded after the connection: the newest first, so that
# the absence of the oldest below means something
wait_screen 'status number 12'
screen_lacks 'status number 1 +│'
ok $? "the oldest messages are above the pane"

keys PageUp
wait_screen 'scrolled back'
ok $? "PgUp scrolls back and says so"
keys Home
wait_screen 'you +status number 1 +│'
ok $? "Home shows the start of the conversation"
keys End
wait_screen 'F2 devices'
ok $? "End returns to the newest"
screen_lacks 'status number 1 +│'
ok $? "and the oldest are above again"

tmx send-keys -t chat -l $'\e[<64;10;5M'
tmx send-keys -t chat -l $'\e[<64;10;5M'
wait_screen 'scrolled back'
ok $? "the mouse wheel scrolls back"
keys PageDown PageDown PageDown
wait_screen 'F2 devices'
ok $? "PgDn at the end follows the conversation again"

# the user message recorded last is the long paste
api_last_user_is_long() {
    api GET "/api/chat/history/cust_001?limit=2" >/dev/null
    [ "$(printf '%s' "$HTTP_BODY" | jq -r '[.messages[] | select(.sender == "user")] | last | .text | length')" -gt 1000 ]
}
tmx set-buffer -b p "$(printf 'turn on the speaker\nand set it to 20')"
tmx paste-buffer -p -b p -t chat
input_rows_are() { [ "$(screen | tail -2 | tr '\n' '|')" = "$1" ]; }
wait_for input_rows_are '> turn on the speaker|  and set it to 20|'
ok $? "a bracketed paste lands in the input area, one row per line"
screen_lacks 'you +turn on the speaker +│'
ok $? "and is not sent line by line"
keys Enter
wait_screen 'you +turn on the speaker +│'
ok $? "Enter sends it as one message, drawn on two rows"
like "$(screen)" '           and set it to 20' "the second line under the first"
wait_screen 'to 20%'
ok $? "and the bot answers the compound request"
api GET "/api/chat/history/cust_001?limit=5" >/dev/null
is "$(printf '%s' "$HTTP_BODY" | jq -r '[.messages[] | select(.sender == "user")] | last | .text')" \
    "$(printf 'turn on the speaker\nand set it to 20')" "the server got one message with the newline"
# a paste longer than a message (16384 bytes) keeps its start and says so
{ printf START; head -c 20000 /dev/zero | tr '\0' y; printf END; } >"$SCRATCH/big"
tmx load-buffer -b big "$SCRATCH/big"
tmx paste-buffer -p -b big -t chat
wait_screen 'The paste was 20008 bytes and a message holds'
ok $? "an over-long paste is cut, and the pane says so"
keys Enter
wait_for api_last_user_is_long
api GET "/api/chat/history/cust_001?limit=2" >/dev/null
is "$(printf '%s' "$HTTP_BODY" | jq -r '[.messages[] | select(.sender == "user")] | last | .text | .[0:8] + " " + (length | tostring)')" \
    "STARTyyy 16384" "the message sent is the paste's first 16384 bytes"

cursor_x() { tmx display -p -t chat '#{cursor_x}'; }
keys -l "日本"
wait_screen '^> 日本'
is "$(cursor_x)" 6 "the cursor sits after two wide characters (column 6)"
keys Enter
wait_screen 'you +日本 +│'
ok $? "wide characters are sent and drawn"

long=$(printf 'word%.0s ' $(seq 1 40))
cursor_is() { [ "$(cursor_x)" = "$1" ]; }
keys -l "$long"
wait_for cursor_is 99
ok $? "a line longer than the screen scrolls to keep the cursor visible"
! screen | tail -1 | grep -q '^> word'
ok $? "its start is scrolled off"
keys C-u

printf 'GARBAGE-ON-THE-SCREEN' >"$(tmx display -p -t chat '#{pane_tty}')"
wait_screen 'GARBAGE-ON-THE-SCREEN'
keys C-l
wait_for screen_lacks 'GARBAGE'
ok $? "Ctrl-L repaints a disturbed screen"

keys PageUp
wait_screen 'scrolled back'
stop_server
wait_screen '1 new message below \(End to jump\)'
ok $? "news arriving while scrolled back show a marker"
keys End
wait_screen 'Connection lost'
ok $? "End jumps to them"
done_testing
