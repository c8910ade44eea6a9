#!/usr/bin/env bash
# The token lifecycle: token list (ids, customer, times; never the secret),
# token revoke on two servicebotd sharing one store (both refuse the token
# within their --auth-cache bound, open WebSockets included), and tokens
# that expire (token create --expires).
. "$SB_SRCDIR/tests/lib.sh"
trap '' PIPE # the chat client below may be gone when the test writes to it

tokd() { "$SERVICEBOTD" token "$@" --db "$SB_DB" 2>>"$SCRATCH/tokens.err"; }
status_at() { # URL TOKEN: the status of GET /api/customers/cust_001 there
    sb_curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1/api/customers/cust_001"
}

# Two instances on one store, each trusting a looked-up token for 1 s.
start_server --auth-cache 1 || { ok 1 "servicebotd A starts"; done_testing; }
A_URL=$SB_URL
start_server --auth-cache 1 || { ok 1 "servicebotd B starts"; done_testing; }
B_URL=$SB_URL

OWN=$(tokd create --customer cust_001)
LATER=$(tokd create --customer cust_001 --expires 30d)
tokd create --admin >/dev/null
like "$(tail -1 "$SCRATCH/tokens.err")" '^servicebotd: token tok_[a-z0-9]+ for admin, expires never$' \
    "token create names the new token's id on stderr"
is "$(status_at "$A_URL" "$OWN"):$(status_at "$B_URL" "$OWN")" "200:200" "a new token works on both instances"

list=$(tokd list --json)
is "$(jq '.tokens | length' <<<"$list")" 4 "token list shows every token (the admin one from the environment too)"
is "$(jq -r '[.tokens[] | .customerId // "admin"] | join(",")' <<<"$list")" "admin,cust_001,cust_001,admin" \
    "with its customer, oldest first"
is "$(jq -r '[.tokens[] | .id | test("^tok_[a-z0-9]+$")] | all' <<<"$list")" true "and its id"
is "$(jq -r '[.tokens[] | .created | test("^20..-..-..T..:..:..\\....Z$")] | all' <<<"$list")" true \
    "and when it was made"
own_id=$(jq -r '.tokens[1].id' <<<"$list")
like "$(jq -r '.tokens[1].lastUsed' <<<"$list")" '^20..-..-..T' "a token that was used says when"
is "$(jq -r '.tokens[2].lastUsed' <<<"$list")" null "one never used says null"
like "$(jq -r '.tokens[2].expires' <<<"$list")" '^20..-..-..T' "--expires 30d sets an expiry"
is "$(jq -r '.tokens[1].expires' <<<"$list")" null "without --expires a token never expires"
text=$(tokd list)
like "$(head -1 <<<"$text")" '^ID +CUSTOMER +CREATED +LAST USED +EXPIRES$' "token list prints a table"
like "$text" "$own_id +cust_001 " "one row per token"
hash=$(printf %s "$OWN" | sha256sum | cut -c1-64)
if grep -q -e "$OWN" -e "$LATER" -e "$hash" -e "$SB_ADMIN" <<<"$text$list"; then
    ok 1 "token list never shows a secret or its hash"
else
    ok 0 "token list never shows a secret or its hash"
fi

# A chat open on B with the token that is about to be revoked.
mkfifo "$SCRATCH/chat.in"
"$SERVICEBOT" --server "$B_URL" --token "$OWN" chat <"$SCRATCH/chat.in" >"$SCRATCH/chat.out" \
    2>"$SCRATCH/chat.err" &
chat=$!
SB_PIDS="$SB_PIDS $chat"
exec 4>"$SCRATCH/chat.in"
echo "is the speaker on?" >&4
wait_for grep -q 'Living Room Speaker' "$SCRATCH/chat.out"
ok $? "a chat on B is answered"

tokd revoke "$own_id"
is "$?" 0 "token revoke ID succeeds"
like "$(tail -1 "$SCRATCH/tokens.err")" "revoked $own_id \(cust_001\)" "and says what it revoked"
refused_on() { [ "$(status_at "$1" "$OWN")" = 401 ]; }
wait_for refused_on "$B_URL"
ok $? "instance B refuses the revoked token once its 1 s cache lets it go"
wait_for refused_on "$A_URL"
ok $? "and so does instance A"
api_as "$OWN" GET /api/customers/cust_001
is "$(jq -r .error <<<"$HTTP_BODY")" "unknown token" "saying the token is unknown"
# The open chat: the next message (after the cache lets go) is refused and
# the connection closed, so the client stops with the unauthorized status.
probe() { echo "status" >&4; grep -q 'unknown token' "$SCRATCH/chat.err"; }
wait_for probe
ok $? "an open chat's next message is refused with the revoked token"
exec 4>&-
wait "$chat"
is "$?" 5 "and the chat client exits 5 (unauthorized)"
is "$(status_at "$A_URL" "$LATER")" 200 "the customer's other token still works"
is "$(tokd list --json | jq -r --arg id "$own_id" '[.tokens[].id] | index($id)')" null \
    "the revoked token is gone from the list"
tokd revoke "$own_id"
is "$?" 1 "revoking it again fails"
like "$(tail -1 "$SCRATCH/tokens.err")" "no token $own_id" "naming the id"

# Expiry: a token made to last one second stops working by itself.
SHORT=$(tokd create --customer cust_002 --expires 1s)
expired_on() { [ "$(status_at "$1" "$SHORT")" = 401 ]; }
wait_for expired_on "$A_URL"
ok $? "a token past its expiry is refused"
api_as "$SHORT" GET /api/customers/cust_002
like "$(jq -r .error <<<"$HTTP_BODY")" '^this token expired at 20' "saying when it expired"
is "$(tokd list --json | jq -r '.tokens[] | select(.customerId == "cust_002") | .expired')" true \
    "token list marks it expired"

tokd create --customer cust_001 --expires 3x >/dev/null
is "$?" 2 "--expires with an unknown unit is a usage error"
like "$(tail -2 "$SCRATCH/tokens.err" | head -1)" '30d, 12h, 90m or 3600s' "showing the forms it takes"
tokd list --customer cust_001 >/dev/null
is "$?" 2 "--customer goes with create only"
tokd revoke >/dev/null
is "$?" 2 "token revoke without an id is a usage error"
tokd rotate >/dev/null
is "$?" 2 "an unknown token subcommand is a usage error"
like "$(tail -2 "$SCRATCH/tokens.err" | head -1)" 'token takes create, list or revoke' "listing the ones there are"
done_testing
