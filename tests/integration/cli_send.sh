#!/usr/bin/env bash
# send --continue: the last conversation of each customer on each server is
# kept under XDG_STATE_HOME, so "it" carries over between calls.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN
STATE=$XDG_STATE_HOME/servicebot/conversations

sb --customer cust_002 send --continue 'turn on the kitchen display'
is "$RC" 0 "--continue with nothing to continue starts a conversation"
like "$OUT" 'Kitchen Display' "and the bot answers"
[ -f "$STATE" ]
ok $? "the conversation is remembered under XDG_STATE_HOME"
is "$(stat -c %a "$STATE")" 600 "the state file is private"
sb --customer cust_002 --json send --continue 'turn it off'
is "$RC" 0 "send --continue exits 0"
json_ok '.outcome == "done" and (.message | test("Kitchen Display"))' "\"it\" carries over to the next call"
CONV=$(printf '%s' "$OUT" | jq -r .conversationId)
sb --customer cust_002 --json history --conversation "$CONV"
json_ok '.messages | length == 4' "both exchanges are in one conversation"

sb --customer cust_002 --json send 'what can I do?'
OTHER=$(printf '%s' "$OUT" | jq -r .conversationId)
[ "$OTHER" != "$CONV" ]
ok $? "send without --continue starts its own conversation"
sb --customer cust_002 --json send --continue 'hello'
json_ok ".conversationId == \"$OTHER\"" "--continue picks the latest conversation"

sb --customer cust_003 --json send --continue 'hello'
THIRD=$(printf '%s' "$OUT" | jq -r .conversationId)
[ "$THIRD" != "$OTHER" ]
ok $? "each customer has their own last conversation"
sb --customer cust_002 --json send --continue 'hello again'
json_ok ".conversationId == \"$OTHER\"" "and the other customer's is kept"

sb --customer cust_002 send --continue --conversation "$CONV" hi
is "$RC" 2 "--continue with --conversation is a usage error"
like "$ERR" "exclude each other" "and says why"

done_testing
