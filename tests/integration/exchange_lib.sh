# Checks shared by the SQLite and DynamoDB runs of the conversation-state
# and one-commit-per-exchange tests. Source after tests/lib.sh; the caller
# starts the servers.

# chat URL CONVERSATION TEXT [CLIENT-ID] [CUSTOMER]: POST /api/chat as admin.
chat() {
    local body
    body=$(jq -cn --arg c "${5:-cust_002}" --arg v "$2" --arg t "$3" --arg id "${4:-}" \
        '{customerId: $c, conversationId: $v, message: $t} + (if $id == "" then {} else {id: $id} end)')
    SB_URL=$1 api POST /api/chat "$body"
}

# volume URL DEVICE [CUSTOMER]: the device's stored volume.
volume() {
    SB_URL=$1 api GET "/api/customers/${3:-cust_002}/devices"
    jq -r --arg d "$2" '.devices[] | select(.id == $d) | .volume' <<<"$HTTP_BODY"
}

# messages_in URL CONVERSATION: how many messages the conversation holds.
messages_in() {
    SB_URL=$1 api GET "/api/chat/history/cust_002?conversationId=$2&limit=500"
    jq -r '.messages | length' <<<"$HTTP_BODY"
}

# cross_instance A_URL B_URL TAG: what the first turn on A set up, B
# understands: "it", and the answer to "which one?".
cross_instance() {
    local a=$1 b=$2 tag=$3 conv
    conv="conv_${tag}_it"
    chat "$a" "$conv" "turn on the kitchen display"
    is "$(jq -r '.steps[0].deviceId' <<<"$HTTP_BODY")" dev_003 "[$tag] the first turn on A acts on the display"
    chat "$b" "$conv" "turn it up"
    is "$HTTP_STATUS" 200 "[$tag] the follow-up on B is answered"
    is "$(jq -r '.outcome + " " + .steps[0].deviceId' <<<"$HTTP_BODY")" "done dev_003" \
        "[$tag] 'turn it up' on B acts on the device of the turn on A"
    conv="conv_${tag}_which"
    chat "$a" "$conv" "turn it down"
    is "$(jq -r .outcome <<<"$HTTP_BODY")" clarify "[$tag] A asks which one"
    chat "$b" "$conv" "the bedroom one"
    is "$(jq -r '.outcome + " " + .steps[0].deviceId + " " + .steps[0].action' <<<"$HTTP_BODY")" \
        "done dev_002 volume_control" "[$tag] B understands the answer to A's question"
    chat "$a" "$conv" "the bedroom one"
    is "$(jq -r .outcome <<<"$HTTP_BODY")" status "[$tag] and the question is answered for A too"
}

# fault_between URL TAG: a failure between the customer write and the
# messages, then the retry with the same client id: applied exactly once.
fault_between() {
    local url=$1 tag=$2 before after
    # away from the ends of 0-100, where a change by 10 would be clamped
    SB_URL=$url api PATCH /api/customers/cust_002/devices/dev_002 '{"state":"on","volume":40}'
    before=$(volume "$url" dev_002)
    echo "exchange-between fail" >"$SERVICEBOT_STORE_FAULT_FILE"
    chat "$url" "conv_${tag}_fault" "turn the bedroom speaker up by 10" "cid_${tag}_fault"
    is "$HTTP_STATUS" 503 "[$tag] an exchange failing between its writes answers 503"
    chat "$url" "conv_${tag}_fault" "turn the bedroom speaker up by 10" "cid_${tag}_fault"
    is "$HTTP_STATUS" 200 "[$tag] the retry with the same id succeeds"
    after=$(volume "$url" dev_002)
    is "$after" $((before + 10)) "[$tag] the change is applied exactly once ($before -> $after)"
    chat "$url" "conv_${tag}_fault" "turn the bedroom speaker up by 10" "cid_${tag}_fault"
    is "$(jq -r .duplicate <<<"$HTTP_BODY") $(volume "$url" dev_002)" "true $after" \
        "[$tag] another retry is a duplicate and changes nothing"
    is "$(messages_in "$url" "conv_${tag}_fault")" 2 "[$tag] the conversation holds the exchange once"
}
