#!/usr/bin/env bash
# Scheduled routines with two servicebotd on one DynamoDB (a local
# dynalite): 50 routines due in the same minute each run exactly once; then
# one instance is killed (SIGKILL) while 50 more are running and the other
# finishes them without running anything twice. Routines and the time zone
# round-trip through the customers table (no table of their own).
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
. "$SB_SRCDIR/tests/integration/routines_lib.sh"
dynalite_require
command -v jq >/dev/null || skip_all "jq is not installed"
dynalite_start || { ok 1 "dynalite starts"; done_testing; }
DDB=(--store dynamodb --dynamodb-endpoint "$DDB_URL" --env rtest)
SB_LOG_LEVEL=info
"$SERVICEBOTD" migrate "${DDB[@]}" >/dev/null 2>&1
ok $? "migrate creates the tables"
set_clock 2026-12-02T07:59:00Z
start_server "${DDB[@]}" || { ok 1 "instance A starts"; done_testing; }
A=$SB_PID
A_URL=$SB_URL
start_server "${DDB[@]}" || { ok 1 "instance B starts"; done_testing; }
B=$SB_PID

ddb_raw ListTables '{}' >"$SCRATCH/tables.json"
is "$(jq -r '.TableNames | join(" ")' "$SCRATCH/tables.json")" \
    "rtest-connections rtest-customers rtest-messages rtest-service-levels" \
    "the seed's four tables are the only tables"
api PUT /api/customers/cust_003/timezone '{"timezone":"Europe/Berlin"}'
is "$HTTP_STATUS" 200 "set a time zone"
api PUT /api/customers/cust_003/routines/tea '{"steps":["turn on the office speaker"],"schedule":{"time":"17:00","days":["sat"]}}'
is "$HTTP_STATUS $(jq -r .routine.next_run <<<"$HTTP_BODY")" "201 2026-12-05T16:00:00.000Z" \
    "a routine saved on DynamoDB, its next run from the customer's zone"
SB_URL=$A_URL api GET /api/customers/cust_003/routines
is "$(jq -c '[.timezone, [.routines[].name]]' <<<"$HTTP_BODY")" '["Europe/Berlin",["tea"]]' \
    "the other instance reads it back"
# A routine question asked in chat on one instance and answered on the
# other: the question is remembered with the conversation, and the answer's
# exchange commits the routine with its messages.
ask() { api POST /api/chat "{\"customerId\":\"cust_003\",\"message\":\"$1\",\"conversationId\":\"conv_when\"}"; jq -r .message <<<"$HTTP_BODY"; }
like "$(SB_URL=$A_URL ask 'turn off the reception hub every night')" '^At what time\?' \
    "chat: steps with days only ask for the time"
like "$(ask '23:15')" 'saved the routine "turn off the reception hub"' \
    "the answer, on the other instance, completes the routine"
SB_URL=$A_URL api GET "/api/customers/cust_003/routines/turn%20off%20the%20reception%20hub"
is "$(jq -c '.routine.schedule' <<<"$HTTP_BODY")" '{"time":"23:15","days":["mon","tue","wed","thu","fri","sat","sun"]}' \
    "and it is stored with the time answered"

make_due 50 load 2026-12-02T08:00:00.000Z
ok $? "50 customers with a routine due at 08:00"
set_clock 2026-12-02T08:00:30Z
wait_true '[ "$(grep -c routine=louder "$SCRATCH/server.log")" -ge 50 ]'
api PUT /api/customers/load1/routines/marker '{"steps":["turn on the speaker"],"schedule":{"time":"08:01"}}'
set_clock 2026-12-02T08:01:30Z
wait_for grep -q 'routine=marker' "$SCRATCH/server.log"
ok $? "a later routine ran too (both instances scanned past 08:00)"
is "$(grep -c 'routine=louder' "$SCRATCH/server.log")" 50 "50 routines, 50 runs between the two instances"
is "$(volumes 50 load | sort -u | tr '\n' ' ')" "20 " "each customer's speaker went up exactly once"
diag "runs per instance: $(grep 'routine=louder' "$SCRATCH/server.log" | sed -n 's/.*instance=\([^ ]*\).*/\1/p' | sort | uniq -c | tr '\n' ' ')"
wait_for history_has load7 'Your routine \\"louder\\" ran'
ok $? "each run is recorded in the customer's routine conversation"

# One instance killed while 50 more runs are in progress.
make_due 50 kill 2026-12-02T09:00:00.000Z
set_clock 2026-12-02T09:00:10Z
wait_for grep -q 'routine=louder.*due=2026-12-02T09:00' "$SCRATCH/server.log"
kill -KILL "$A"
wait "$A" 2>/dev/null
wait_true '[ "$(volumes 50 kill | grep -c "^20$")" -eq 50 ]'
is "$(volumes 50 kill | sort -u | tr '\n' ' ')" "20 " \
    "after a SIGKILL mid-run every routine ran, none twice"
ok $(($(grep -c 'routine=louder.*due=2026-12-02T09:00' "$SCRATCH/server.log") > 50)) \
    "no more runs were committed than routines ($(grep -c 'routine=louder.*due=2026-12-02T09:00' "$SCRATCH/server.log") logged)"
kill -TERM "$B"
done_testing
