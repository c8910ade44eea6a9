#!/bin/bash
# Live device pushes and resizing, down to 40x10 and below.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
tui_chat 100 30
wait_screen 'living room, off, vol 50'
ok $? "the panel shows the speaker off"

"$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 \
    device set dev_001 --state on --volume 35 >/dev/null 2>"$SCRATCH/err"
is "$?" 0 "servicebot device set changes the speaker"
wait_screen 'living room, on, vol 35'
ok $? "the change appears in the panel"

keys F2
wait_for screen_lacks 'Devices'
ok $? "F2 hides the panel"
keys F2
wait_screen 'Devices'
ok $? "F2 shows it again"

tmx resize-window -t chat -x 60 -y 24
wait_screen '^─+$'
ok $? "on a narrow terminal the panel moves below the chat"
like "$(screen | grep -A1 '^─')" 'Devices' "with its heading"
like "$(screen)" '● Living Room Speaker · living room, on, vol 35 · ▶ ' "and one row per device"

"$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 \
    device set dev_001 --playback paused >/dev/null 2>"$SCRATCH/err"
is "$?" 0 "servicebot device set --playback pauses the speaker"
wait_screen 'vol 35 · ⏸ Bohemian'
ok $? "the panel marks the song paused"
type_line "resume the music"
wait_screen 'vol 35 · ▶ Bohemian'
ok $? "and playing again when the bot resumes it"

tmx resize-window -t chat -x 40 -y 10
# resizing may reach the chat in steps: wait for the final layout
at_40x10() {
    local s
    s=$(screen)
    [ "$(printf '%s\n' "$s" | wc -l)" -eq 10 ] && printf '%s\n' "$s" | head -1 | grep -q 'Jane Smith.* connected$' &&
        ! printf '%s\n' "$s" | grep -qE '^─+$'
}
wait_for at_40x10
ok $? "at 40x10 the title bar keeps the customer and the connection state"
like "$(screen | tail -1)" '^>' "and the input line"
like "$(screen | tail -2 | head -1)" '^PgUp/PgDn scroll' "the status line does not offer F2 where the panel cannot show"
keys F2
wait_screen 'The device panel needs a'
ok $? "and F2 says why instead of doing nothing"
type_line "turn it down"
wait_screen 'bot +I '
ok $? "the chat works at 40x10"
is "$(screen | wc -L)" 40 "the screen is drawn to the 40th column and not past it"

tmx resize-window -t chat -x 30 -y 8
wait_screen 'Terminal too small: 30x8'
ok $? "below 40x10 a notice replaces the screen"
like "$(screen | tr -s ' \n' '  ')" 'Terminal too small: 30x8\. The chat needs at least 40x10\.' \
    "wrapped to the width: all of it shows"

tmx resize-window -t chat -x 100 -y 30
wait_screen 'Devices'
ok $? "back at 100x30 the panel returns"
like "$(screen)" 'you +turn it down' "and the conversation is still there"
screen_lacks 'TUI-EXITED'
ok $? "the chat survived every resize"
colours() { tmx capture-pane -p -e -t chat | grep -cE $'\e\\[(3|4)[0-7]m'; }
[ "$(colours)" -gt 0 ]
ok $? "speakers and the title bar are coloured"
tmx kill-session -t chat
tui_chat 100 30 --no-color --customer cust_001
wait_screen '· connected$'
is "$(colours)" 0 "--no-color draws without colours"
tmx kill-session -t chat
tui_start 100 30 "NO_COLOR=1 $TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
is "$(colours)" 0 "and so does NO_COLOR"
tmx kill-session -t chat

# what goes to stderr while the screen is in use lands in the log instead
tui_start 100 30 "SERVICEBOT_TUI_TIMING=1 $TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' \
--customer cust_001 chat"
wait_screen '· connected$'
wait_for grep -q 'first full paint' "$TUI_STATE/servicebot/chat.log"
ok $? "stderr goes to \$XDG_STATE_HOME/servicebot/chat.log while the chat runs"
screen_lacks 'first full paint'
ok $? "not onto the screen"
done_testing
