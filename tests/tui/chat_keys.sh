#!/bin/bash
# Search in the pane (/search, Ctrl-F, n/N, Esc), multi-line messages
# (Alt-Enter, /edit with $EDITOR) and /mouse off.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
for i in $(seq 1 30); do echo "status number $i"; done |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
# an editor that appends a line to what it is given
cat >"$SCRATCH/editor" <<'SH'
#!/bin/sh
printf '%s\nand set it to 30\n' "$(cat "$1")" >"$1"
SH
chmod +x "$SCRATCH/editor"
tui_start 100 16 "EDITOR='$SCRATCH/editor' $TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'

type_line "/search NUMBER 2"
wait_screen 'search "NUMBER 2": 1 of 11 · n older · N newer · Esc ends'
ok $? "/search finds the newest match, ignoring case, and counts them"
wait_screen 'you +status number 29 '
ok $? "and scrolls to it"
reversed() { tmx capture-pane -p -e -t chat | grep -q $'\e\\[[0-9;]*7[0-9;]*mnumber 2\e'; }
wait_for reversed
ok $? "the match is drawn reversed"
keys n
wait_screen 'search "NUMBER 2": 2 of 11'
wait_screen 'you +status number 28 '
ok $? "n goes to the next older match"
keys N
wait_screen 'search "NUMBER 2": 1 of 11'
ok $? "N back to the newer one"
keys N
wait_screen 'no newer match'
ok $? "past the newest, N says there is none"
keys Escape
wait_for screen_lacks 'search "NUMBER 2"'
ok $? "Esc ends the search"
! reversed
ok $? "and its highlight"
keys End
keys C-f
wait_screen '^> /search$'
ok $? "Ctrl-F starts a search in the input line"
keys -l "nothing like this"
keys Enter
wait_screen 'No match for "nothing like this"'
ok $? "a search without matches says so"

keys -l "turn on the speaker"
keys M-Enter
keys -l "and set it to 20"
input_rows_are() { [ "$(screen | tail -2 | tr '\n' '|')" = "$1" ]; }
wait_for input_rows_are '> turn on the speaker|  and set it to 20|'
ok $? "Alt-Enter puts a newline in the message: the input area grows a row"
like "$(screen | tail -3 | head -1)" 'PgUp/PgDn scroll' "with the status line above it"
keys Enter
wait_screen 'to 20%'
ok $? "which is sent as one message"
like "$(screen | tail -2 | head -1)" 'PgUp/PgDn scroll' "and the input area is one row again"
api GET "/api/chat/history/cust_001?limit=2" >/dev/null
is "$(printf '%s' "$HTTP_BODY" | jq -r '[.messages[] | select(.sender == "user")] | last | .text')" \
    "$(printf 'turn on the speaker\nand set it to 20')" "with its newline"

type_line "/edit turn the speaker off"
wait_for input_rows_are '> turn the speaker off|  and set it to 30|'
ok $? "/edit runs \$EDITOR on the text and puts the result in the line"
screen_has 'Jane Smith'
ok $? "the screen is back after the editor"
keys Enter
wait_screen 'bot +I turned the Living Room Speaker off'
ok $? "Enter sends the edited message"

tmx kill-session -t chat
tui_start 100 16 "EDITOR=/nonexistent/editor $TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
type_line "/edit"
wait_screen 'The editor did not finish \(it was not found: set VISUAL or'
ok $? "an editor that cannot run is said to be missing"
screen_has 'Jane Smith'
ok $? "and the screen is back"

mouse() { tmx display -p -t chat '#{mouse_standard_flag}#{mouse_sgr_flag}'; }
is "$(mouse)" 11 "the chat asks for mouse reports (the wheel scrolls)"
type_line "/mouse off"
wait_screen 'Mouse off'
mouse_is() { [ "$(mouse)" = "$1" ]; }
wait_for mouse_is 00
ok $? "/mouse off gives the mouse back to the terminal"
type_line "/mouse on"
wait_for mouse_is 11
ok $? "/mouse on takes it again"
done_testing
