#!/bin/bash
# The device panel with more devices than it has rows for: it says how many
# are above and below and scrolls (Alt-PgUp/Alt-PgDn, the wheel over it).
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
# Alice (enterprise) may have 10 devices: add 7 lights to her 3
for i in 1 2 3 4 5 6 7; do
    api POST /api/customers/cust_003/devices \
        "{\"id\":\"dev_l$i\",\"type\":\"SmartLight\",\"name\":\"Lamp $i\",\"location\":\"office\",\"state\":\"off\"}" >/dev/null
    [ "$HTTP_STATUS" = 201 ] || diag "adding Lamp $i: $HTTP_STATUS $HTTP_BODY"
done
tui_chat 100 20 --customer cust_003
wait_screen '· connected$'
wait_screen '▼ [0-9]+ more \(Alt-PgDn\)'
ok $? "devices past the panel's end are counted, not silently cut"
screen_lacks 'Lamp 7'
ok $? "the last one is out of view"
keys M-PageDown
wait_screen '▲ 1 more \(Alt-PgUp\)'
ok $? "Alt-PgDn scrolls the panel by one device and counts those above"
for i in 1 2 3 4 5 6 7 8 9; do keys M-PageDown; done
wait_screen 'Lamp 7'
ok $? "scrolling down reaches the last device"
screen_lacks '▼ [0-9]+ more'
ok $? "and stops there, with nothing counted below"
keys M-PageUp
wait_for screen_lacks '▲ 9 more'
ok $? "Alt-PgUp scrolls back"
# the wheel over the panel (column 80 of 100) scrolls it, not the chat
for i in 1 2 3 4 5 6 7 8 9 10; do tmx send-keys -t chat -l $'\e[<64;80;5M'; done
wait_for screen_lacks '▲ [0-9]+ more'
ok $? "the wheel over the panel scrolls the panel back to its top"
screen_lacks 'scrolled back'
ok $? "and leaves the chat where it was"
done_testing
