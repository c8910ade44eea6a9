#!/bin/bash
# News from elsewhere: a device changed by another client is a line in the
# pane (our own changes are not), and a reply arriving while the reader is
# scrolled back rings the bell and/or sets the title (/notify).
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
for i in $(seq 1 15); do echo "status number $i"; done |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
tui_start 100 16 "SERVICEBOT_NOTIFY=both $TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
type_line "turn on the speaker"
wait_screen 'bot +I turned the Living Room Speaker on'
wait_screen 'living room, on, vol 50'
screen_lacks 'changed elsewhere'
ok $? "a change our own message made is not news"
"$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 device set dev_001 \
    --volume 20 >/dev/null
wait_screen 'Living Room Speaker changed elsewhere: volume 50 → 20\.'
ok $? "a change made elsewhere is a line in the pane, saying what changed"
"$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 device set dev_001 \
    --state off >/dev/null
wait_screen 'changed elsewhere: power on → off\.'
ok $? "each change its own line"

title() { tmx display -p -t chat '#{pane_title}'; }
bell() { tmx display -p -t chat '#{window_bell_flag}'; }
is "$(bell)" 0 "no bell so far"
# a reply that arrives while scrolled back: the server is frozen while the
# message is typed and the reader scrolls up, then let go
kill -STOP "$SB_PID"
type_line "what is the status"
wait_screen 'what is the status \(pending\)'
keys PageUp
wait_screen 'scrolled back'
kill -CONT "$SB_PID"
wait_screen 'new message.? below'
title_is() { [ "$(title)" = "$1" ]; }
wait_for title_is "servicebot: 1 new reply"
ok $? "the reply while scrolled back sets the terminal title"
is "$(bell)" 1 "and rings the bell"
keys End
wait_for title_is "servicebot"
ok $? "back at the newest, the title is put back"

type_line "/notify off"
wait_screen 'scrolled back: nothing \(off\)'
ok $? "/notify off turns both off"
type_line "/notify loud"
wait_screen 'usage: /notify \[off\|bell\|title\|both\]'
ok $? "an unknown mode is a usage line"
kill -STOP "$SB_PID"
type_line "is it on"
wait_screen 'is it on \(pending\)'
keys PageUp
wait_screen 'scrolled back'
kill -CONT "$SB_PID"
wait_screen 'new message.? below'
is "$(title)" "servicebot" "with /notify off the title stays"
done_testing
