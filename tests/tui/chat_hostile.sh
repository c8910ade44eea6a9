#!/bin/bash
# Server text with terminal control sequences in it (a device named by
# someone hostile) reaches the screen as plain text: no clear, no new title,
# no colours, whether in the panel, a change line or a reply.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
tui_chat 120 30 --customer cust_003
wait_screen '· connected$'
title() { tmx display -p -t chat '#{pane_title}'; }
before=$(title)
# ESC [2J clears the screen, OSC 2 sets the title, U+009B is a one-byte CSI
api POST /api/customers/cust_003/devices \
    '{"id":"dev_evil","type":"SmartLight","name":"Evil\u001b[2J\u001b]2;pwned\u0007\u009b31mLamp","location":"office","state":"off"}' >/dev/null
is "$HTTP_STATUS" 201 "a device with control characters in its name is stored"
wait_screen 'Evil.*Lamp was added elsewhere'
ok $? "the change line shows the name as text"
screen_has 'Alice Johnson'
ok $? "the screen was not cleared"
is "$(title)" "$before" "the title was not set"
like "$(screen)" '○ Evil +\[2J +\]2;pwned +31mLamp' "the panel shows the name with the controls as spaces"
type_line "turn on the evil lamp"
wait_screen 'bot +.*Evil'
ok $? "a reply naming it is drawn too"
is "$(title)" "$before" "and the title is still untouched"
! tmx capture-pane -p -e -t chat | grep -q $'\e\\[31mLamp'
ok $? "the name switched no colour on"
done_testing
