#!/usr/bin/env bash
# servicebot routines list|show|add|rm|run against a real servicebotd:
# tables, --json, the denial and not-found exit codes.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"
export SERVICEBOTD_TEST_CLOCK=$SCRATCH/clock TZ=UTC
printf '2026-12-02T10:00:00Z\n' >"$SERVICEBOTD_TEST_CLOCK"
start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN

sb --customer cust_003 routines list
is "$RC" 0 "routines list exits 0 with no routines"
like "$ERR" "no routines yet \(time zone UTC\)" "and says so on stderr"

sb --customer cust_003 routines add 'wind down' 'turn off the reception hub' \
    'set the office speaker to 15' --at 22:00 --days weekdays
is "$RC" 0 "routines add exits 0"
like "$OUT" 'Steps +1\. turn off the reception hub  2\. set the office speaker to 15' "it shows the steps"
like "$OUT" 'Schedule +22:00 mon tue wed thu fri' "and the schedule"
like "$OUT" 'Next run +2026-12-02 22:00:00' "and the next run"

sb --customer cust_003 routines list
like "$OUT" '^NAME +SCHEDULE +NEXT RUN +LAST +STEPS' "routines list prints a header"
like "$OUT" 'wind down +22:00 mon tue wed thu fri' "and a row per routine"
sb --customer cust_003 --json routines list
json_ok '.routines[0].name == "wind down" and .timezone == "UTC"' "routines list --json passes the API through"

sb --customer cust_003 routines run 'wind down'
is "$RC" 0 "routines run exits 0"
like "$OUT" 'I ran the routine "wind down": .*Office Speaker to 15%' "and prints what the run did"
sb --customer cust_003 --json routines show 'wind down'
json_ok '.routine.last_outcome == "done"' "routines show --json has the last outcome"

sb --customer cust_003 routines add broken 'dance a little'
is "$RC" 2 "a step the bot does not understand is refused (bad input: exit 2)"
like "$ERR" "steps\[0\]" "naming the step"
sb --customer cust_003 routines add x 'turn on the hub' --days weekdays
is "$RC" 2 "--days without --at is a usage error"
sb --customer cust_001 routines add tea 'turn on the speaker'
is "$RC" 4 "a plan without custom actions: exit 4"
like "$ERR" "Enterprise" "with the upgrade"
sb --customer cust_003 routines show nope
is "$RC" 3 "an unknown routine: exit 3"

sb --customer cust_003 routines rm 'wind down'
is "$RC" 0 "routines rm exits 0"
sb --customer cust_003 --json routines list
json_ok '.routines == []' "and the routine is gone"
done_testing
