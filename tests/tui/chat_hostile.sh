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
# ESC [2J clears the screen, OSC 2 sets the title, U+009B is a one-byte CSI.
# The server refuses such a name from clients (issue 14), so the device is
# added plainly and renamed in the store behind the server's back (a record
# from before that rule), then changed so that the server pushes it.
api POST /api/customers/cust_003/devices \
    '{"id":"dev_evil","type":"SmartLight","name":"Plain Lamp","location":"office","state":"off"}' >/dev/null
wait_screen 'Plain Lamp was added elsewhere'
sqlite3 "$SB_DB" "UPDATE customers SET devices = json_set(devices, '\$[3].name',
    json_extract('[\"Evil\u001b[2J\u001b]2;pwned\u0007\u009b31mLamp\"]', '\$[0]'))
    WHERE id = 'cust_003'"
api PATCH /api/customers/cust_003/devices/dev_evil '{"state":"on"}' >/dev/null
is "$HTTP_STATUS $(jq '.device.name | test("\u001b")' <<<"$HTTP_BODY")" "200 true" \
    "a device with control characters in its name is stored"
wait_screen 'Evil.*Lamp changed elsewhere'
ok $? "the change line shows the name as text"
screen_has 'Alice Johnson'
ok $? "the screen was not cleared"
is "$(title)" "$before" "the title was not set"
like "$(screen)" '[○●] Evil +\[2J +\]2;pwned +31mLamp' "the panel shows the name with the controls as spaces"
type_line "turn off the evil lamp"
wait_screen 'bot +.*Evil'
ok $? "a reply naming it is drawn too"
is "$(title)" "$before" "and the title is still untouched"
! tmx capture-pane -p -e -t chat | grep -q $'\e\\[31mLamp'
ok $? "the name switched no colour on"
done_testing
