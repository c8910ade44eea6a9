#!/usr/bin/env bash
# Message retention: by default every message is kept; --retention keeps a
# customer's newest N and/or drops what is older than an age, applied when
# servicebotd starts (and every minute after).
. "$SB_SRCDIR/tests/lib.sh"

SB_LOG_LEVEL=info
start_server || { ok 1 "servicebotd starts"; done_testing; }
for i in 1 2 3 4 5; do
    api POST /api/chat "{\"customerId\":\"cust_001\",\"message\":\"status $i\"}"
done
api POST /api/chat '{"customerId":"cust_002","message":"is the bedroom speaker on?"}'
api POST /api/chat '{"customerId":"cust_003","message":"status"}'
count() { # CUSTOMER: how many messages its history holds
    api GET "/api/chat/history/$1?limit=500" >/dev/null
    jq '.messages | length' <<<"$HTTP_BODY"
}
is "$(count cust_001)" 10 "without --retention every message is kept"
stop_server
# Two messages from 2020 for cust_002, as an older servicebotd would have left them.
sqlite3 "$SB_DB" "INSERT INTO messages (id, conversation_id, user_id, text, sender, timestamp) VALUES
    ('old_1', 'conv_old', 'cust_002', 'old question', 'user', '2020-01-01T00:00:00.000Z'),
    ('old_2', 'conv_old', 'cust_002', 'old answer', 'bot', '2020-01-01T00:00:01.000Z')"
is "$(sqlite3 "$SB_DB" "SELECT count(*) + count(reply_text) FROM messages WHERE user_id = 'cust_002'")" 4 \
    "cust_002 has two old and two recent messages"

start_server --retention 'cust_001:-:4,*:30d:-' || { ok 1 "servicebotd restarts"; done_testing; }
pruned() { [ "$(count cust_001)" = 4 ] && [ "$(count cust_002)" = 2 ]; }
wait_for pruned
ok $? "on start the rules are applied"
api GET /api/chat/history/cust_001
is "$(jq -r '[.messages[] | select(.sender == "user") | .text] | join(",")' <<<"$HTTP_BODY")" \
    "status 4,status 5" "cust_001 keeps its newest 4 messages (COUNT)"
api GET /api/chat/history/cust_002
is "$(jq -r '[.messages[].id] | map(startswith("old_")) | any' <<<"$HTTP_BODY")" false \
    "cust_002 loses the messages older than 30 days (the * rule's AGE)"
is "$(count cust_003)" 2 "recent messages of a customer under the * rule stay"
like "$(cat "$SCRATCH/server.log")" 'msg="retention: removed old messages" customer=cust_001 count=6' \
    "the log says what was removed"
api POST /api/chat '{"customerId":"cust_001","message":"status 6"}'
is "$HTTP_STATUS" 200 "chat goes on"
stop_server

# Bad rules are usage errors naming the problem.
rule_fails() { # SPEC REGEX NAME
    "$SERVICEBOTD" --db "$SCRATCH/x.db" --retention "$1" 2>"$SCRATCH/err"
    like "$?:$(cat "$SCRATCH/err")" "^2:servicebotd: $2" "$3"
}
rule_fails 'cust_001:30d' 'retention rule "cust_001:30d": expected CUSTOMER:AGE:COUNT' \
    "a rule without a count is refused"
rule_fails 'cust_001:soon:-' 'retention rule for cust_001: the age must be like 30d, 12h or -, got "soon"' \
    "an age that is not one is refused"
rule_fails 'cust_001:-:0' 'retention rule for cust_001: the count must be 1-100000000 or -, got "0"' \
    "a count of 0 is refused"
rule_fails 'cust_001:-:-' 'retention rule for cust_001 keeps everything' \
    "a rule that keeps everything is refused"
printf 'retention = :1d:-\n' >"$SCRATCH/r.conf"
"$SERVICEBOTD" --db "$SCRATCH/x.db" --config "$SCRATCH/r.conf" 2>"$SCRATCH/err"
like "$?:$(cat "$SCRATCH/err")" "^2:servicebotd: retention rule: the customer must be an id or \*" \
    "the config file key is checked the same way"
done_testing
