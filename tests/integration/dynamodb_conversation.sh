#!/usr/bin/env bash
# Conversation state and one commit per exchange on the DynamoDB backend
# (dynalite): two servicebotd on one store (the first turn on A, the
# follow-up and the answer to "which one?" on B), a follow-up after a
# restart, a fault between the customer write and the messages, kill -9
# between them, and answers lost on the way back (lossy_proxy.py): every
# retry converges to exactly one application.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
. "$SB_SRCDIR/tests/integration/exchange_lib.sh"
dynalite_require
command -v jq >/dev/null || skip_all "jq is not installed"
export SERVICEBOT_STORE_FAULT_FILE=$SCRATCH/fault
dynalite_start || { ok 1 "dynalite starts"; done_testing; }
DDB=(--store dynamodb --dynamodb-endpoint "$DDB_URL" --env conv)
"$SERVICEBOTD" migrate "${DDB[@]}" >/dev/null 2>&1
ok $? "migrate creates the tables"

start_server "${DDB[@]}" || { ok 1 "instance A starts"; done_testing; }
URL_A=$SB_URL
start_server "${DDB[@]}" || { ok 1 "instance B starts"; done_testing; }
URL_B=$SB_URL PID_B=$SB_PID
cross_instance "$URL_A" "$URL_B" dynamodb

chat "$URL_B" conv_restart "turn up the bedroom speaker"
SB_PID=$PID_B stop_server
start_server "${DDB[@]}" || { ok 1 "instance B restarts"; done_testing; }
URL_B=$SB_URL
chat "$URL_B" conv_restart "turn it up"
is "$(jq -r '.outcome + " " + .steps[0].deviceId' <<<"$HTTP_BODY")" "done dev_002" \
    "after a restart 'turn it up' acts on the previous turn's device"

# The customer item is committed, the messages are not: the retry (the
# journal) completes them and answers the committed reply.
fault_between "$URL_A" dynamodb

# kill -9 of A between the writes; the retry goes to B.
before=$(volume "$URL_B" dev_002)
echo "exchange-between kill" >"$SERVICEBOT_STORE_FAULT_FILE"
chat "$URL_A" conv_kill "turn the bedroom speaker down by 5" cid_kill
is "$HTTP_STATUS" 000 "servicebotd killed between the writes answers nothing"
chat "$URL_B" conv_kill "turn the bedroom speaker down by 5" cid_kill
is "$HTTP_STATUS $(jq -r .duplicate <<<"$HTTP_BODY")" "200 true" \
    "the retry on B finds the committed exchange"
is "$(volume "$URL_B" dev_002)" $((before - 5)) "which was applied once"
is "$(messages_in "$URL_B" conv_kill)" 2 "and B completed its two messages"

# Every conditional PutItem's answer lost: each exchange still applies once.
python3 "$SB_SRCDIR/tests/dynalite/lossy_proxy.py" "$SCRATCH/lossy.port" "$DDB_URL" lose-answers \
    2>>"$SCRATCH/lossy.log" &
SB_PIDS="$SB_PIDS $!"
wait_for test -s "$SCRATCH/lossy.port"
start_server --store dynamodb --env conv \
    --dynamodb-endpoint "http://127.0.0.1:$(cat "$SCRATCH/lossy.port")" ||
    { ok 1 "an instance behind the lossy proxy starts"; done_testing; }
URL_L=$SB_URL
before=$(volume "$URL_B" dev_002)
codes=""
for i in 1 2 3 4 5; do
    chat "$URL_L" conv_lossy "turn the bedroom speaker down by 1" "cid_lossy_$i"
    codes="$codes$HTTP_STATUS$(jq -r '.duplicate // ""' <<<"$HTTP_BODY") "
done
is "$codes" "200 200 200 200 200 " "five exchanges whose writes' answers were lost all succeed, none as a duplicate"
[ "$(grep -c dropped "$SCRATCH/lossy.log")" -ge 5 ]
ok $? "the proxy dropped those answers"
is "$(volume "$URL_B" dev_002)" $((before - 5)) "each was applied exactly once"
is "$(messages_in "$URL_B" conv_lossy)" 10 "with its two messages"
done_testing
