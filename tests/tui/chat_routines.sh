#!/bin/bash
# Routines in the chat screen: created in chat, listed with /routines, and
# a scheduled run (the test-only clock) shown in the pane as it happens.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"
export SERVICEBOTD_TEST_CLOCK=$SCRATCH/clock
printf '2026-12-02T06:00:00Z\n' >"$SERVICEBOTD_TEST_CLOCK"

start_server || exit 1
tui_chat 110 30 --customer cust_003
wait_screen 'Alice Johnson'
ok $? "the chat opens for an enterprise customer"

type_line "every day at 6:30 turn up the office speaker"
wait_screen 'saved the routine "turn up the office speaker"'
ok $? "a routine made in chat is confirmed"
type_line "/routines"
wait_screen 'turn up the office speaker \(06:30 mon tue wed thu fri sat sun\)'
ok $? "/routines lists it with its schedule"
screen_has '1\. turn up the office speaker'
ok $? "and its steps"

printf '2026-12-02T06:30:05Z\n' >"$SERVICEBOTD_TEST_CLOCK"
wait_screen 'Your routine "turn up the office speaker" ran'
ok $? "a scheduled run shows up in the pane"
wait_screen 'office, on, vol 35'
ok $? "and the device panel follows its change"

done_testing
