#!/usr/bin/env bash
# WebSocket chat at /ws with the real server and a libwebsockets client:
# welcome, reply, idempotent resend, device pushes to other connections
# (from chat, PATCH and admin writes), bad frames, the 64 KiB limit and
# the connection rows.
. "$SB_SRCDIR/tests/lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
WSC="$SB_BUILDDIR/tests/wsclient"
ws="ws://127.0.0.1:$SB_PORT/ws"
TOKEN=$("$SERVICEBOTD" token create --customer cust_002 --db "$SB_DB" 2>>"$SCRATCH/server.log")

frame() { sed -n "${1}p" <<<"$2"; }
connections() { sqlite3 "$SB_DB" "SELECT count(*) FROM connections WHERE user_id = '$1'"; }

out=$("$WSC" -t "$TOKEN" -n 2 -w 10 \
    -s '{"type":"message","id":"c1-m1","text":"turn on the bedroom speaker"}' "$ws")
welcome=$(frame 1 "$out")
reply=$(frame 2 "$out")
is "$(jq -r .type <<<"$welcome")" welcome "the first frame is welcome"
is "$(jq -r '.customer.id + " " + .level.level' <<<"$welcome")" "cust_002 premium" \
    "welcome carries the customer and its level"
like "$(jq -r .connectionId <<<"$welcome")" '^conn_' "and a connection id"
conv=$(jq -r .conversationId <<<"$welcome")
like "$conv" '^conv_' "and a conversation id"
is "$(jq -r .type <<<"$reply")" reply "a message gets a reply"
is "$(jq -r .inReplyTo <<<"$reply")" c1-m1 "naming the client's message id"
is "$(jq -r .outcome <<<"$reply")" done "the speaker was turned on"
is "$(jq -r .conversationId <<<"$reply")" "$conv" "in the welcome's conversation"
is "$(jq -r '.steps[0].device.state' <<<"$reply")" on "the step carries the device after it"

out=$("$WSC" -t "$TOKEN" -n 2 -w 10 \
    -s '{"type":"message","id":"c1-m1","text":"turn on the bedroom speaker"}' "$ws?conversation=$conv")
resend=$(frame 2 "$out")
is "$(jq -r .duplicate <<<"$resend")" true "a resent id gets the original reply marked duplicate"
is "$(jq -r .messageId <<<"$resend")" "$(jq -r .messageId <<<"$reply")" "the same bot message"
is "$(jq -r '.conversationId' <<<"$(frame 1 "$out")")" "$conv" "?conversation= resumes a conversation"
api GET "/api/chat/history/cust_002?conversationId=$conv"
is "$(jq -r '.messages | length' <<<"$HTTP_BODY")" 2 "the resend executed and stored nothing new"

# A listener that waits for pushes while other clients change devices.
"$WSC" -t "$TOKEN" -n 5 -w 20 "$ws" >"$SCRATCH/listener" 2>&1 &
listener=$!
wait_for grep -q welcome "$SCRATCH/listener"
ok $? "a second connection is open"
is "$(connections cust_002)" 1 "its connection row is stored"
like "$(curl -s "$SB_URL/metrics")" 'servicebot_ws_connections 1' "the open-connections gauge counts it"
"$WSC" -t "$TOKEN" -n 2 -w 10 -s '{"type":"message","id":"c2-m1","text":"set the bedroom speaker to 20"}' \
    "$ws" >/dev/null
api PATCH /api/customers/cust_002/devices/dev_003 '{"state":"on"}'
api POST /api/customers/cust_002/devices '{"id":"dev_077","type":"SmartLight","location":"hall","state":"off","volume":0}'
api DELETE /api/customers/cust_002/devices/dev_077
wait $listener
ok $? "the listener received four pushes"
pushes=$(tail -n +2 "$SCRATCH/listener")
is "$(jq -r .type <<<"$pushes" | sort -u)" device "they are device frames"
is "$(frame 1 "$pushes" | jq -r '.device.volume')" 20 "a chat change by another connection is pushed"
is "$(frame 2 "$pushes" | jq -r '.device.id + " " + .device.state')" "dev_003 on" "a PATCH is pushed"
is "$(frame 3 "$pushes" | jq -r '.device.id')" dev_077 "an admin's new device is pushed"
is "$(frame 4 "$pushes" | jq -r '.device.id + " " + (.removed|tostring)')" "dev_077 true" \
    "a deleted device is pushed as removed"
wait_true '[ "$(connections cust_002)" = 0 ]'
ok $? "closed connections delete their rows"

out=$("$WSC" -t "$TOKEN" -n 5 -w 10 -s 'this is not json' -s '{"type":"shout","id":"x"}' \
    -s '{"type":"message","text":"no id"}' -s '{"type":"message","id":"c3-m1","text":"is the bedroom speaker on?"}' "$ws")
is "$(frame 2 "$out" | jq -r '.type + " " + .code')" "error bad_request" "invalid JSON gets an error frame"
like "$(frame 2 "$out" | jq -r .error)" 'at byte' "with the parse position"
like "$(frame 3 "$out" | jq -r .error)" 'unknown frame type "shout"' "an unknown type gets an error frame"
is "$(frame 3 "$out" | jq -r .inReplyTo)" x "naming the frame's id"
like "$(frame 4 "$out" | jq -r .error)" '"id"' "a message without id gets an error frame"
is "$(frame 5 "$out" | jq -r '.type + " " + .inReplyTo')" "reply c3-m1" "and the connection stays open"

out=$("$WSC" -t "$TOKEN" -n 2 -w 10 -F 7 \
    -s '{"type":"message","id":"c5-frag","text":"is the bedroom speaker on?"}' "$ws")
is "$(frame 2 "$out" | jq -r '.type + " " + .inReplyTo')" "reply c5-frag" \
    "a message sent in 7-byte continuation frames is put together and answered"
big=$(head -c 40000 /dev/zero | tr '\0' 'a')
out=$("$WSC" -t "$TOKEN" -F 30000 -s "{\"type\":\"message\",\"id\":\"c6\",\"text\":\"$big$big\"}" -w 10 "$ws")
like "$out" 'close 1009' "fragments adding up to over 64 KiB close with 1009"
out=$("$WSC" -t "$TOKEN" -S 70000 -w 10 "$ws")
like "$out" 'close 1009' "a 70 KB frame closes the connection with 1009"
out=$("$WSC" -t "$TOKEN" -n 2 -w 10 -s "{\"type\":\"message\",\"id\":\"c4\",\"text\":\"$(head -c 60000 /dev/zero | tr '\0' 'a')\"}" "$ws")
is "$(frame 2 "$out" | jq -r .type)" error "a 60 KB message is within the frame limit but refused by the engine"
is "$(frame 2 "$out" | jq -r .inReplyTo)" c4 "naming its id"

out=$("$WSC" -P -t "$TOKEN" -n 1 -w 10 "$ws")
is "$(jq -r .type <<<"$out")" welcome "a client without a subprotocol gets the chat"
HTTP_STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$SB_URL/ws")
is "$HTTP_STATUS" 404 "a plain GET of /ws is 404"

metrics=$(curl -s "$SB_URL/metrics")
like "$metrics" 'servicebot_ws_frames_total\{direction="in",type="message"\} [0-9]+' \
    "WebSocket frames are counted"

done_testing
