#!/usr/bin/env bash
# Routines end to end on SQLite: REST (auth, validation, denial), runs and
# their records, chat, the scheduler with the test-only clock (a due run,
# a missed run within and past the grace period, a run refused after a
# downgrade, the WebSocket push), and two servicebotd on one SQLite file
# running 50 routines due in the same minute exactly once.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/routines_lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
WSC="$SB_BUILDDIR/tests/wsclient"
SB_LOG_LEVEL=info
set_clock 2026-12-02T06:00:00Z
start_server || { ok 1 "servicebotd starts"; done_testing; }

api GET /api/customers/cust_003/routines
is "$HTTP_STATUS" 200 "GET routines answers"
is "$(jq -c '[.timezone, .routines, .conversationId]' <<<"$HTTP_BODY")" \
    '["UTC",[],"routines-cust_003"]' "no routines yet, time zone UTC, the routine conversation named"

api PUT /api/customers/cust_001/routines/wind%20down '{"steps":["turn off the speaker"]}'
is "$HTTP_STATUS" 403 "a basic customer cannot create a routine"
is "$(jq -r '.code + " " + .denial.action + " " + .denial.requiredLevel' <<<"$HTTP_BODY")" \
    "denied custom_actions enterprise" "the denial names the action and the plan that has it"

api PUT /api/customers/cust_003/routines/wind%20down \
    '{"steps":["turn off the conference room display","set the office speaker to 15"]}'
is "$HTTP_STATUS" 201 "an enterprise customer creates a routine"
is "$(jq -c '.routine | [.name, .steps, .schedule, .next_run]' <<<"$HTTP_BODY")" \
    '["wind down",["turn off the conference room display","set the office speaker to 15"],null,null]' \
    "the saved routine comes back"
api PUT /api/customers/cust_003/routines/wind%20down '{"steps":["set the office speaker to 15"]}'
is "$HTTP_STATUS" 200 "PUT again replaces it"

api PUT /api/customers/cust_003/routines/x '{"steps":["dance a little"]}'
is "$HTTP_STATUS" 400 "a step that is not an action is refused"
like "$(jq -r '.fields[0].field + ": " + .fields[0].problem' <<<"$HTTP_BODY")" \
    '^steps\[0\]: I couldn.t understand "dance a little"' "the field names the step and why"
api PUT /api/customers/cust_003/routines/x '{"steps":["turn on the lights"]}'
is "$HTTP_STATUS" 400 "a step naming no device of the customer is refused"
like "$HTTP_BODY" "couldn't find a device like that" "and says which devices there are"
api PUT /api/customers/cust_003/routines/x '{"steps":["turn on the speaker"],"schedule":{"time":"25:00"}}'
like "$HTTP_STATUS $(jq -r '.fields[0].field' <<<"$HTTP_BODY")" "^400 schedule.time$" "a bad time is named"
api PUT /api/customers/cust_003/routines/x '{"steps":["turn on the speaker"],"color":"red"}'
like "$HTTP_STATUS $(jq -r '.fields[0].field' <<<"$HTTP_BODY")" "^400 color$" "an unknown field is named"
api PUT /api/customers/cust_003/routines/x '{"steps":["play Yellow Submarine on the office speaker"]}'
like "$HTTP_STATUS $(jq -r '.fields[0].problem' <<<"$HTTP_BODY")" \
    "^400 In \"play Yellow Submarine on the office speaker\": I couldn't find" "a title no device has is refused"
api GET /api/customers/cust_003/routines/x
is "$HTTP_STATUS" 404 "nothing refused was saved"
api PUT /api/customers/cust_003/routines/party '{"steps":["play the same music everywhere"]}'
is "$HTTP_STATUS" 201 "a multi-room step is a routine step"
api POST /api/customers/cust_003/routines/party/run
api GET /api/customers/cust_003/devices
is "$(jq -r '[.devices[] | select(.current_song == "Weightless" and .state == "on")] | length' <<<"$HTTP_BODY")" 2 \
    "running it plays the same title on both media devices"
api DELETE /api/customers/cust_003/routines/party
chat_off() { api POST /api/chat '{"customerId":"cust_003","message":"turn off the conference room display","conversationId":"conv_off"}'; }
chat_off

"$SERVICEBOTD" token create --customer cust_002 --db "$SB_DB" >"$SCRATCH/tok2" 2>/dev/null
api_as "$(cat "$SCRATCH/tok2")" GET /api/customers/cust_003/routines
is "$HTTP_STATUS" 403 "a customer token does not reach another customer's routines"
"$SERVICEBOTD" token create --customer cust_003 --db "$SB_DB" >"$SCRATCH/tok3" 2>/dev/null
api_as "$(cat "$SCRATCH/tok3")" GET /api/customers/cust_003/routines/wind%20down
is "$HTTP_STATUS" 200 "the customer's own token does"

api POST /api/customers/cust_003/routines/wind%20down/run
is "$HTTP_STATUS" 200 "run a routine now"
is "$(jq -r '.run.outcome + " " + .routine.last_outcome' <<<"$HTTP_BODY")" "done done" "it ran"
api GET /api/customers/cust_003/devices
is "$(jq -r '.devices[] | select(.id=="dev_004") | .volume' <<<"$HTTP_BODY")" 15 "its step changed the device"
wait_for history_has cust_003 'I ran the routine \\"wind down\\"'
ok $? "the run is recorded in the routine conversation"
api POST /api/customers/cust_003/routines/nope/run
is "$HTTP_STATUS" 404 "running an unknown routine is 404"

# Chat.
chat() { api POST /api/chat "{\"customerId\":\"cust_003\",\"message\":\"$1\",\"conversationId\":\"conv_rt\"}"; jq -r .message <<<"$HTTP_BODY"; }
like "$(chat 'every weekday at 6:30 turn up the office speaker')" \
    'saved the routine "turn up the office speaker".*on weekdays at 06:30; next run Wednesday 2026-12-02 at 06:30 \(UTC\)' \
    "chat: a scheduled routine, with its next run"
like "$(chat 'rename turn up the office speaker to morning')" 'renamed "turn up the office speaker" to "morning"' \
    "chat: rename"
like "$(chat 'what routines do I have?')" 'You have 2 routines: wind down and morning \(on weekdays at 06:30\)' \
    "chat: list"
like "$(chat 'create a routine called wind down: turn off the hub')" 'already have a routine called "wind down"' \
    "chat: a taken name is refused"

like "$(chat 'create a routine called t: switch the office speaker')" \
    'In "switch the office speaker": Do you want the Office Speaker on or off\?' \
    "chat: a step lacking a value is asked about before saving"
like "$(chat 'off')" '^Which one' "the answer is not taken for the step itself (nothing runs)"
api GET /api/customers/cust_003/routines/t
is "$HTTP_STATUS" 404 "and nothing was saved"

# A time with nothing to do asks what should happen then and changes
# nothing (it was read as "volume 6" for every device with a volume).
devices() { api GET /api/customers/cust_003/devices; jq -c '[.devices[] | [.id, .state, .volume]]' <<<"$HTTP_BODY"; }
before=$(devices)
like "$(chat 'every weekday at 6:30')" '^What should happen then\?' \
    "chat: a schedule alone asks what should happen then"
is "$(devices)" "$before" "and changes no device"
like "$(chat '23:15')" '^What should happen then\?' "chat: so does a clock time alone"
is "$(devices)" "$before" "and changes no device either"

# A routine's steps are read as chat reads them, the home's own words
# first: "hall" is a room of this home that the vocabulary does not know.
"$SERVICEBOTD" import "$SB_SRCDIR/tests/data/blind/homes.json" --db "$SB_DB" >/dev/null 2>&1
okafor() { api POST /api/chat "{\"customerId\":\"cust_okafor\",\"message\":\"$1\",\"conversationId\":\"conv_ok\"}"; jq -r .message <<<"$HTTP_BODY"; }
like "$(okafor 'create a routine called hall off: switch the hall lights off')" \
    'saved the routine "hall off"' "chat: a step naming the home's own room is saved"
like "$(okafor 'run hall off')" '^I ran the routine "hall off": I turned the Hall Ceiling Light and the Hall Wall Light off' \
    "and its run finds the devices chat would"

# A routine question is remembered with the conversation: the next message
# answers it, and only the next one.
okafor_dev() { api GET /api/customers/cust_okafor/devices; jq -r ".devices[] | select(.id == \"$1\") | .$2" <<<"$HTTP_BODY"; }
like "$(okafor 'turn off the porch light every night')" '^At what time\?' \
    "chat: steps with days only ask for the time"
like "$(okafor '23:15')" 'saved the routine "turn off the porch light".*every day at 23:15' \
    "a clock time alone answers it"
like "$(okafor 'every weekday at 6:30')" '^What should happen then\?' "a time alone asks what then"
like "$(okafor 'turn on the bedroom speaker')" \
    'saved the routine "turn on the bedroom speaker".*on weekdays at 06:30' "an action answers it"
is "$(okafor_dev bedroom_speaker state)" off "and nothing runs now"
like "$(okafor 'turn on the kitchen speaker')" 'Kitchen Speaker is already on' \
    "the question was answered once: the next message is a request of its own"
api GET /api/customers/cust_okafor/routines
is "$(jq -c '[.routines[] | [.name, .schedule.time]]' <<<"$HTTP_BODY")" \
    '[["hall off",null],["turn off the porch light","23:15"],["turn on the bedroom speaker","06:30"]]' \
    "both are stored, with their times"
for r in turn%20off%20the%20porch%20light turn%20on%20the%20bedroom%20speaker; do
    api DELETE "/api/customers/cust_okafor/routines/$r" # not due while the clock moves on below
done

# A due run: the clock passes 06:30; the client sees the push.
"$WSC" -t "$SB_ADMIN" -w 20 -n 4 "ws://127.0.0.1:$SB_PORT/ws?customer=cust_003&messages=1" >"$SCRATCH/ws" 2>&1 &
client=$!
wait_for grep -q welcome "$SCRATCH/ws"
set_clock 2026-12-02T06:30:20Z
wait_for history_has cust_003 'Your routine \\"morning\\" ran'
ok $? "the scheduled run happens and is recorded"
wait "$client"
like "$(cat "$SCRATCH/ws")" '"type":"routine".*"name":"morning".*"outcome":"done"' "a routine frame is pushed"
like "$(cat "$SCRATCH/ws")" '"type":"device".*"volume":25' "with the device change"
like "$(cat "$SCRATCH/ws")" '"type":"message".*"conversationId":"routines-cust_003".*"sender":"bot"' \
    "and the recorded message to a client that asked for messages (history --follow)"
api GET /api/customers/cust_003/routines/morning
is "$(jq -r '.routine | .last_run + " " + .next_run' <<<"$HTTP_BODY")" \
    "2026-12-02T06:30:00.000Z 2026-12-03T06:30:00.000Z" "last run is the due time, next run tomorrow"

# Missed while down: within the grace (600 s) it runs once, past it is recorded missed.
api PUT /api/customers/cust_003/routines/early '{"steps":["turn off the hub"],"schedule":{"time":"07:00"}}'
api PUT /api/customers/cust_003/routines/late '{"steps":["turn on the hub"],"schedule":{"time":"07:15"}}'
stop_server
set_clock 2026-12-02T07:20:00Z
start_server || ok 1 "servicebotd restarts"
wait_for history_has cust_003 'Your routine \\"early\\" was due Wednesday 2026-12-02 at 07:00 but servicebot was down'
ok $? "20 minutes late (past the grace period): recorded as missed"
wait_for history_has cust_003 'Your routine \\"late\\" ran'
ok $? "5 minutes late: it runs at start"
api GET /api/customers/cust_003/routines
is "$(jq -r '[.routines[] | select(.name=="early" or .name=="late") | .last_outcome] | join(" ")' <<<"$HTTP_BODY")" \
    "missed done" "each outcome is kept on the routine"

# After a downgrade a scheduled run is refused and says so.
api GET /api/customers/cust_003
jq -c '.customer // . | .service_level = "premium"' <<<"$HTTP_BODY" >"$SCRATCH/c3.json"
api PUT /api/customers/cust_003 "$(cat "$SCRATCH/c3.json")"
is "$HTTP_STATUS" 200 "downgrade to premium (the routines stay)"
set_clock 2026-12-03T06:30:10Z
wait_for history_has cust_003 'Your routine \\"morning\\" did not run.*needs the Enterprise plan'
ok $? "the next scheduled run is refused and says why"
api GET /api/customers/cust_003/devices
is "$(jq -r '.devices[] | select(.id=="dev_004") | .volume' <<<"$HTTP_BODY")" 25 "and changed nothing"
api POST /api/customers/cust_003/routines/morning/run
is "$HTTP_STATUS" 403 "running it by hand is denied too"
api DELETE /api/customers/cust_003/routines/morning
is "$HTTP_STATUS" 200 "but it can be deleted"
api GET /api/customers/cust_003/routines/morning
is "$HTTP_STATUS" 404 "and is gone"

# A customer record PUT (or an import) with a schedule but no next run: the scheduler computes it.
api PUT /api/customers/plain '{"id":"plain","name":"Plain","service_level":"enterprise","devices":[
    {"id":"spk","type":"SmartSpeaker","location":"office","state":"on","volume":10}],
    "routines":[{"name":"noon","steps":["turn up the speaker"],"schedule":{"time":"12:00"}}]}'
next_run_of_noon() {
    api GET /api/customers/plain/routines/noon
    [ "$(jq -r .routine.next_run <<<"$HTTP_BODY")" = 2026-12-03T12:00:00.000Z ]
}
wait_for next_run_of_noon
ok $? "a routine stored without its next run gets one from the scheduler"

# Two servicebotd on one SQLite file, 50 routines due in the same minute.
set_clock 2026-12-03T07:59:00Z
make_due 50 load 2026-12-03T08:00:00.000Z
ok $? "50 customers with a routine due at 08:00"
first=$SB_PID
start_server || ok 1 "a second servicebotd on the same file"
set_clock 2026-12-03T08:00:30Z
wait_true '[ "$(runs_logged "$SCRATCH/server.log")" -ge 51 ]'
# a marker due later: once it ran, both instances have scanned past 08:00
api PUT /api/customers/load1/routines/marker '{"steps":["turn on the speaker"],"schedule":{"time":"08:01"}}'
set_clock 2026-12-03T08:01:30Z
wait_for grep -q 'routine=marker' "$SCRATCH/server.log"
ok $? "a later routine ran too"
is "$(grep 'msg="routine run"' "$SCRATCH/server.log" | grep -c 'routine=louder')" 50 \
    "the 50 routines ran 50 times in all"
is "$(volumes 50 load | sort -u | tr '\n' ' ')" "20 " "each customer's speaker went up exactly once"
diag "runs per instance: $(grep 'routine=louder' "$SCRATCH/server.log" | sed -n 's/.*instance=\([^ ]*\).*/\1/p' | sort | uniq -c | tr '\n' ' ')"
kill -TERM "$first"
done_testing
