#!/usr/bin/env bash
# Playback control end to end on a real servicebotd (SQLite here, DynamoDB
# through dynamodb_server_suite.sh): the device field over REST (PATCH,
# validation, the tier check from the levels data), chat over REST and the
# WebSocket with pushes to another connection, and the CLI's device set
# --playback, devices list and device show.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
WSC="$SB_BUILDDIR/tests/wsclient"
ws="ws://127.0.0.1:$SB_PORT/ws"
frame() { sed -n "${1}p" <<<"$2"; }

# REST: the record and PATCH
api GET /api/customers/cust_002/devices
is "$(jq -r '[.devices[].playback] | join(" ")' <<<"$HTTP_BODY")" "playing playing" \
    "media devices carry playback"
api GET /api/customers/cust_003/devices
is "$(jq -r '.devices[] | select(.id == "dev_006") | has("playback")' <<<"$HTTP_BODY")" false \
    "a hub has none"
api PATCH /api/customers/cust_002/devices/dev_002 '{"playback":"paused"}'
is "$HTTP_STATUS" 200 "PATCH playback pauses"
is "$(jq -r .device.playback <<<"$HTTP_BODY")" paused "and returns the paused device"
api PATCH /api/customers/cust_002/devices/dev_002 '{"playback":"stopped"}'
is "$HTTP_STATUS" 400 "an unknown playback word is 400"
is "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" playback "naming the field"
api PATCH /api/customers/cust_002/devices/dev_003 '{"playback":"playing"}'
is "$HTTP_STATUS" 400 "PATCH does not play on a device that is off"
like "$(jq -r '.fields[0].problem' <<<"$HTTP_BODY")" "Kitchen Display is off" "and says why"
api PATCH /api/customers/cust_002/devices/dev_003 '{"state":"on","playback":"playing"}'
is "$HTTP_STATUS" 200 "switching it on in the same PATCH works"
api PATCH /api/customers/cust_003/devices/dev_006 '{"playback":"paused"}'
is "$HTTP_STATUS" 400 "a hub's playback cannot be set"
api PUT /api/customers/cust_004 '{"name":"P","service_level":"basic","devices":[{"id":"dev_040","type":"SmartHub","location":"hall","playback":"paused"}]}'
is "$HTTP_STATUS" 400 "a record giving playback to a hub is refused"
like "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" 'devices\[0\]\.playback' "at its field"

# chat over REST: every seed level allows it
api POST /api/chat '{"customerId":"cust_001","message":"play some music on the speaker"}'
is "$(jq -r '.steps[0].action + " " + .outcome' <<<"$HTTP_BODY")" "playback_control done" \
    "basic: \"play some music\" is playback_control, done"
is "$(jq -r '.steps[0].device.state + " " + .steps[0].device.playback' <<<"$HTTP_BODY")" \
    "on playing" "it switched the speaker on and plays"
api POST /api/chat '{"customerId":"cust_001","message":"stop the music"}'
is "$(jq -r '.steps[0].device.state + " " + .steps[0].device.playback' <<<"$HTTP_BODY")" \
    "on paused" "\"stop the music\" pauses and leaves the speaker on"

# the tier check comes from the levels data: a level without the action denies it
api GET /api/service-levels/basic
level=$(jq -c '.service_level | .allowed_actions -= ["playback_control"]' <<<"$HTTP_BODY")
api PUT /api/service-levels/basic "$level"
is "$HTTP_STATUS" 200 "basic loses playback_control"
api POST /api/chat '{"customerId":"cust_001","message":"resume the music"}'
is "$(jq -r .outcome <<<"$HTTP_BODY")" denied "then resuming is denied"
is "$(jq -r .denial.action <<<"$HTTP_BODY")" playback_control "naming the action"
api PATCH /api/customers/cust_001/devices/dev_001 '{"playback":"playing"}'
is "$HTTP_STATUS" 403 "and so is the PATCH"

# resuming switches an off device on: a level with playback but no power
# cannot do that part
api PUT /api/service-levels/listen '{"name":"Listen","description":"Playback only","allowed_actions":["device_status","playback_control"],"max_devices":1,"rank":5,"price":1}'
is "$HTTP_STATUS" 201 "a level with playback_control and no device_power"
api PUT /api/customers/cust_009 '{"name":"L","service_level":"listen","devices":[{"id":"dev_090","type":"SmartSpeaker","location":"den","state":"off","current_song":"Imagine","playlist":["Imagine"]}]}'
is "$HTTP_STATUS" 201 "a customer on it with a speaker that is off"
api POST /api/chat '{"customerId":"cust_009","message":"play some music"}'
is "$(jq -r '.outcome + " " + .denial.action' <<<"$HTTP_BODY")" "denied device_power" \
    "\"play some music\" on an off speaker needs device_power"
api GET /api/customers/cust_009/devices
is "$(jq -r '.devices[0].state' <<<"$HTTP_BODY")" off "and the speaker stays off"

# the WebSocket: a reply, and a push to another connection
TOKEN=$(customer_token cust_002)
"$WSC" -t "$TOKEN" -n 3 -w 20 "$ws" >"$SCRATCH/listener" 2>&1 &
listener=$!
wait_for grep -q welcome "$SCRATCH/listener"
ok $? "a listener is connected"
out=$("$WSC" -t "$TOKEN" -n 2 -w 10 \
    -s '{"type":"message","id":"pb-1","text":"pause the music in the kitchen"}' "$ws")
reply=$(frame 2 "$out")
is "$(jq -r '.steps[0].deviceId + " " + .steps[0].device.playback' <<<"$reply")" "dev_003 paused" \
    "WS: the kitchen display pauses"
like "$(jq -r .message <<<"$reply")" '^I paused .* on the Kitchen Display\.$' "and the bot says so"
sb --server "$SB_URL" --token "$SB_ADMIN" --customer cust_002 device set dev_003 --playback playing
is "$RC" 0 "servicebot device set --playback playing"
wait $listener
ok $? "the listener got its pushes"
pushes=$(tail -n +2 "$SCRATCH/listener")
is "$(frame 1 "$pushes" | jq -r '.device.id + " " + .device.playback')" "dev_003 paused" \
    "the chat's pause is pushed"
is "$(frame 2 "$pushes" | jq -r '.device.id + " " + .device.playback')" "dev_003 playing" \
    "the CLI's resume is pushed"

# the CLI
sb --server "$SB_URL" --token "$SB_ADMIN" --customer cust_002 device set dev_003 --playback loud
is "$RC" 2 "--playback takes playing or paused"
like "$ERR" "playback must be playing or paused" "and says so"
sb --server "$SB_URL" --token "$SB_ADMIN" devices list --customer cust_002
like "$OUT" '^ID +NAME .* PLAYBACK' "devices list has a PLAYBACK column"
like "$OUT" 'dev_002 .* paused' "showing the paused speaker"
sb --server "$SB_URL" --token "$SB_ADMIN" --customer cust_002 device show dev_003
like "$OUT" 'Playback +playing' "device show shows playback"
done_testing
