#!/usr/bin/env bash
# Every REST route of servicebotd against a real server: successes and the
# usual errors, with the response shapes doc/protocol.md fixes.
. "$SB_SRCDIR/tests/lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }

api GET /healthz
is "$HTTP_STATUS" 200 "healthz answers 200"
is "$(jq -r .status <<<"$HTTP_BODY")" ok "healthz says ok"

api GET /api/customers
is "$HTTP_STATUS" 200 "admin lists customers"
is "$(jq -r '[.customers[].id] | join(",")' <<<"$HTTP_BODY")" "cust_001,cust_002,cust_003" \
    "the seed's three customers are loaded into the empty store"

api GET /api/customers/cust_002
is "$HTTP_STATUS" 200 "get one customer"
is "$(jq -r '.customer.name + "/" + .customer.service_level' <<<"$HTTP_BODY")" "John Doe/premium" \
    "the customer record carries name and service_level"

api GET /api/customers/nobody
is "$HTTP_STATUS" 404 "unknown customer is 404"
is "$(jq -r .code <<<"$HTTP_BODY")" not_found "with code not_found"

api GET /api/customers/cust_001/devices
is "$HTTP_STATUS" 200 "device list"
is "$(jq -r '.devices[0] | [.id, .type, .state, (.capabilities|length|tostring)] | join(" ")' \
    <<<"$HTTP_BODY")" "dev_001 SmartSpeaker off 3" "the seed's device list shape"
like "$(jq -r '.devices[0].lastUpdated' <<<"$HTTP_BODY")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z$' \
    "lastUpdated is ISO 8601 UTC"

api PATCH /api/customers/cust_001/devices/dev_001 '{"state":"on"}'
is "$HTTP_STATUS" 200 "PATCH turns the speaker on"
is "$(jq -r .device.state <<<"$HTTP_BODY")" on "the answer is {device} with the new state"

api PATCH /api/customers/cust_001/devices/dev_001 '{"volume":35}'
is "$HTTP_STATUS" 200 "a basic customer may set the volume"
is "$(jq -r .device.volume <<<"$HTTP_BODY")" 35 "volume changed"

api PATCH /api/customers/cust_001/devices/dev_001 '{"current_song":"Imagine"}'
is "$HTTP_STATUS" 403 "a basic customer may not change the song"
is "$(jq -r .code <<<"$HTTP_BODY")" denied "code denied"
is "$(jq -r '.denial.action + " " + .denial.requiredLevel' <<<"$HTTP_BODY")" "song_changes premium" \
    "the denial names the action and the cheapest level that allows it"

api PATCH /api/customers/cust_001/devices/dev_999 '{"state":"on"}'
is "$HTTP_STATUS" 404 "PATCH of an unknown device is 404"

api PATCH /api/customers/cust_001/devices/dev_001 '{"volume":"loud"}'
is "$HTTP_STATUS" 400 "PATCH with a wrong type is 400"
is "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" volume "the error names the field"

api GET /api/capabilities
is "$HTTP_STATUS" 200 "capabilities"
is "$(jq -r '.capabilities[] | select(.action=="song_changes") | [.basic, .premium, .enterprise] | map(tostring) | join(",")' \
    <<<"$HTTP_BODY")" "false,true,true" "per-level booleans come from the levels table"

api GET /api/service-levels
is "$HTTP_STATUS" 200 "service levels"
is "$(jq -r '[.service_levels[].level] | join(",")' <<<"$HTTP_BODY")" "basic,premium,enterprise" \
    "listed by rank"

api GET /api/service-levels/premium
is "$HTTP_STATUS" 200 "one level"
is "$(jq -r '.service_level.price' <<<"$HTTP_BODY")" 9.99 "with its price"

api GET /api/service-levels/platinum
is "$HTTP_STATUS" 404 "unknown level is 404"

api PUT /api/service-levels/platinum '{"name":"Platinum","description":"All of it","allowed_actions":["device_status","device_power","volume_control","song_changes","device_relocation","multi_room_audio","custom_actions"],"max_devices":50,"rank":3,"price":99.99}'
is "$HTTP_STATUS" 201 "admin creates a level"
api PUT /api/service-levels/platinum '{"name":"Platinum","description":"All of it, cheaper","allowed_actions":["device_status"],"max_devices":50,"rank":3,"price":89.99}'
is "$HTTP_STATUS" 200 "replacing it answers 200"
api GET /api/service-levels/platinum
is "$(jq -r '.service_level.price' <<<"$HTTP_BODY")" 89.99 "the level was replaced"
api PUT /api/service-levels/gold '{"level":"silver","name":"x","description":"x","allowed_actions":[],"max_devices":1,"rank":4,"price":1}'
is "$HTTP_STATUS" 400 "a level body naming another level is 400"

api PUT /api/customers/cust_004 '{"name":"Bob Stone","service_level":"basic","devices":[]}'
is "$HTTP_STATUS" 201 "admin creates a customer"
is "$(jq -r .customer.id <<<"$HTTP_BODY")" cust_004 "the id comes from the path"
api PUT /api/customers/cust_004 '{"name":"Bob Stone","service_level":"premium","devices":[]}'
is "$HTTP_STATUS" 200 "replacing a customer answers 200 (service_level changed)"
api GET /api/customers/cust_004
is "$(jq -r .customer.service_level <<<"$HTTP_BODY")" premium "the new level is stored"
api PUT /api/customers/cust_004 '{"name":"Bob","service_level":"gold","devices":[]}'
is "$HTTP_STATUS" 400 "an unknown level is 400"
is "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" service_level "naming service_level"

dev='{"id":"dev_100","type":"SmartLight","name":"Hall Light","location":"hall","state":"off","volume":0}'
api POST /api/customers/cust_004/devices "$dev"
is "$HTTP_STATUS" 201 "admin adds a device"
is "$(jq -r .device.id <<<"$HTTP_BODY")" dev_100 "the answer is the device"
api POST /api/customers/cust_004/devices "$dev"
is "$HTTP_STATUS" 409 "adding the same id again is 409"
api POST /api/customers/cust_001/devices "${dev/dev_100/dev_101}"
is "$HTTP_STATUS" 422 "past max_devices is 422"
is "$(jq -r '.code + " " + (.limit.maxDevices|tostring) + " " + .limit.requiredLevel' <<<"$HTTP_BODY")" \
    "tier_limit 1 premium" "with a structured limit naming the upgrade"
api DELETE /api/customers/cust_004/devices/dev_100
is "$HTTP_STATUS" 200 "admin deletes a device"
is "$(jq -r .device.id <<<"$HTTP_BODY")" dev_100 "the answer is the removed device"
api DELETE /api/customers/cust_004/devices/dev_100
is "$HTTP_STATUS" 404 "deleting it again is 404"

api POST /api/chat '{"customerId":"cust_002","message":"turn on the bedroom speaker"}'
is "$HTTP_STATUS" 200 "chat answers"
for f in message timestamp messageId id conversationId customerId outcome; do
    is "$(jq -r "has(\"$f\")" <<<"$HTTP_BODY")" true "the chat reply carries $f"
done
is "$(jq -r '.id == .messageId' <<<"$HTTP_BODY")" true "id is the messageId"
conv=$(jq -r .conversationId <<<"$HTTP_BODY")

api POST /api/chat "{\"customerId\":\"cust_002\",\"message\":\"set it to 20\",\"conversationId\":\"$conv\"}"
is "$HTTP_STATUS" 200 "a second message in the same conversation"
is "$(jq -r .conversationId <<<"$HTTP_BODY")" "$conv" "keeps the conversation"

api POST /api/chat '{"customerId":"cust_001","message":"next song please"}'
is "$(jq -r .outcome <<<"$HTTP_BODY")" denied "a basic customer's song change is denied in chat"
is "$(jq -r .denial.requiredLevel <<<"$HTTP_BODY")" premium "with the upgrade in the denial"

api POST /api/chat '{"customerId":"cust_002","message":"turn off the bedroom speaker","id":"rest-once"}'
first=$(jq -r .messageId <<<"$HTTP_BODY")
api POST /api/chat '{"customerId":"cust_002","message":"turn off the bedroom speaker","id":"rest-once"}'
is "$(jq -r '.duplicate' <<<"$HTTP_BODY")" true "a resent chat id gets the original reply, marked duplicate"
is "$(jq -r '.messageId' <<<"$HTTP_BODY")" "$first" "with the same message id"

api POST /api/chat '{"customerId":"nobody","message":"hi"}'
is "$HTTP_STATUS" 404 "chat for an unknown customer is 404"
api POST /api/chat '{"message":"hi"}'
is "$HTTP_STATUS" 400 "an admin must name the customer"
is "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" customerId "the error names customerId"

api GET "/api/chat/history/cust_002?conversationId=$conv"
is "$HTTP_STATUS" 200 "history"
is "$(jq -r '.messages | length' <<<"$HTTP_BODY")" 4 "both turns of the conversation, user and bot"
is "$(jq -r '[.messages[].sender] | join(",")' <<<"$HTTP_BODY")" "user,bot,user,bot" "oldest first"
is "$(jq -r .nextBefore <<<"$HTTP_BODY")" null "no older page"

api GET "/api/chat/history/cust_002?conversationId=$conv&limit=2"
is "$(jq -r '[.messages[].sender] | join(",")' <<<"$HTTP_BODY")" "user,bot" "limit=2 gives the newest page"
before=$(jq -r .nextBefore <<<"$HTTP_BODY")
like "$before" '^[0-9]{4}-' "a full page says where the previous one ends"
api GET "/api/chat/history/cust_002?conversationId=$conv&limit=2&before=$before"
is "$(jq -r '.messages[0].text' <<<"$HTTP_BODY")" "turn on the bedroom speaker" "before pages back"

api GET "/api/chat/history/cust_002?limit=0"
is "$HTTP_STATUS" 400 "limit 0 is refused"
api GET "/api/chat/history/cust_002?limit=501"
is "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" limit "limit over 500 names the field"
api GET "/api/chat/history/cust_002?before=yesterday"
is "$(jq -r '.fields[0].field' <<<"$HTTP_BODY")" before "a bad before names the field"
api GET /api/chat/history/nobody
is "$HTTP_STATUS" 404 "history of an unknown customer is 404"

done_testing
