#!/usr/bin/env bash
# Multi-room audio through chat: one title playing on several media
# devices (switched on), group volume, the denial on a plan without
# multi_room_audio, and a single device that never needs it.
. "$SB_SRCDIR/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
start_server || { ok 1 "servicebotd starts"; done_testing; }

chat() { # chat CUSTOMER CONVERSATION TEXT
    api POST /api/chat "{\"customerId\":\"$1\",\"conversationId\":\"$2\",\"message\":\"$3\"}"
    jq -r '.outcome + " | " + .message' <<<"$HTTP_BODY"
}
devices() { # devices CUSTOMER: "id state song playback" per device
    api GET "/api/customers/$1/devices"
    jq -r '.devices[] | "\(.id) \(.state) \(.current_song) \(.playback // "-")"' <<<"$HTTP_BODY" | tr '\n' ';'
}

like "$(chat cust_002 c1 'play the same music everywhere')" \
    '^done \| .*Now playing Clair de Lune on the Kitchen Display' "premium: the same music everywhere"
is "$(devices cust_002)" "dev_002 on Clair de Lune playing;dev_003 on Clair de Lune playing;" \
    "every media device is on, playing the same title"
chat cust_002 c1 'turn off the kitchen display' >/dev/null
like "$(chat cust_002 c1 'play this in the kitchen too')" 'Now playing Clair de Lune on the Kitchen Display' \
    "play this in the kitchen too"
is "$(devices cust_002)" "dev_002 on Clair de Lune playing;dev_003 on Clair de Lune playing;" \
    "the kitchen joins, switched on"
like "$(chat cust_002 c1 'set everything to 20')" 'I set the Bedroom Speaker and the Kitchen Display to 20%' \
    "group volume"

api PUT /api/customers/mr_1 '{"id":"mr_1","name":"Multi","service_level":"premium","devices":[
    {"id":"b","type":"SmartSpeaker","location":"bedroom","state":"off","volume":10,"playlist":["Yesterday","Hey Jude"]},
    {"id":"k","type":"SmartSpeaker","location":"kitchen","state":"off","volume":10,"playlist":["Imagine"]}]}'
like "$(chat mr_1 c2 'play Yesterday on the bedroom and kitchen speakers')" \
    '^done \| Now playing Yesterday on the Bedroom Speaker and the Kitchen Speaker, in sync' \
    "a title on two named speakers"
is "$(devices mr_1)" "b on Yesterday playing;k on Yesterday playing;" \
    "both on, the same title (from the group's stream), playing"
like "$(chat mr_1 c2 'sync the speakers')" 'already playing Yesterday' "already in sync says so"

api PUT /api/service-levels/duo '{"level":"duo","name":"Duo","description":"two devices","allowed_actions":["device_status","device_power","volume_control","song_changes"],"max_devices":2,"rank":0,"price":4.99}'
api PUT /api/customers/mr_2 '{"id":"mr_2","name":"Duo","service_level":"duo","devices":[
    {"id":"b","type":"SmartSpeaker","location":"bedroom","state":"on","volume":10,"current_song":"Yesterday","playlist":["Yesterday"]},
    {"id":"k","type":"SmartSpeaker","location":"kitchen","state":"off","volume":10,"playlist":["Imagine"]}]}'
is "$HTTP_STATUS" 201 "a customer on a plan without multi-room audio"
like "$(chat mr_2 c3 'play the same music everywhere')" \
    '^denied \| Playing on several speakers at once needs the Premium plan' "is denied, with the upgrade"
api POST /api/chat '{"customerId":"mr_2","conversationId":"c3","message":"sync the speakers"}'
is "$(jq -r '.denial.action + " " + .denial.requiredLevel' <<<"$HTTP_BODY")" "multi_room_audio premium" \
    "the denial names multi_room_audio and the plan that has it"
is "$(devices mr_2)" "b on Yesterday playing;k off null playing;" "and nothing changed"
like "$(chat mr_2 c3 'all speakers to 30')" '^denied \| Playing on several speakers' "group volume is denied too"

like "$(chat cust_001 c4 'play the same music everywhere')" '^done \| I turned the Living Room Speaker on' \
    "one device never needs multi-room audio (basic)"
done_testing
