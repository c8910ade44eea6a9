#!/usr/bin/env bash
# The auth matrix: every route x (no token, the customer's own token,
# another customer's token, the admin token), plus WebSocket upgrades.
. "$SB_SRCDIR/tests/lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
OWN=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>>"$SCRATCH/server.log")
OTHER=$("$SERVICEBOTD" token create --customer cust_002 --db "$SB_DB" 2>>"$SCRATCH/server.log")
like "$OWN" '^sbt_[A-Za-z0-9_-]{43}$' "token create prints a customer token"
[ "$OWN" != "$OTHER" ]
ok $? "every token is new"

api GET /api/customers/cust_001
cust1=$(jq -c .customer <<<"$HTTP_BODY")
api GET /api/service-levels/basic
basic=$(jq -c .service_level <<<"$HTTP_BODY")
newdev='{"id":"dev_050","type":"SmartPlug","location":"garage","state":"off","volume":0}'

# method path body | expected status for: none own other admin
matrix=(
    "GET|/api/customers||401 200 200 200"
    "GET|/api/customers/cust_001||401 200 403 200"
    "PUT|/api/customers/cust_001|$cust1|401 403 403 200"
    "GET|/api/customers/cust_001/devices||401 200 403 200"
    "POST|/api/customers/cust_001/devices|$newdev|401 403 403 422"
    "PATCH|/api/customers/cust_001/devices/dev_001|{\"state\":\"on\"}|401 200 403 200"
    "DELETE|/api/customers/cust_001/devices/dev_404||401 403 403 404"
    "GET|/api/capabilities||401 200 200 200"
    "GET|/api/service-levels||401 200 200 200"
    "GET|/api/service-levels/basic||401 200 200 200"
    "PUT|/api/service-levels/basic|$basic|401 403 403 200"
    "POST|/api/chat|{\"customerId\":\"cust_001\",\"message\":\"is my speaker on?\"}|401 200 403 200"
    "GET|/api/chat/history/cust_001||401 200 403 200"
    "GET|/healthz||200 200 200 200"
    "GET|/metrics||200 200 200 200"
)
names=(none own other admin)
for row in "${matrix[@]}"; do
    IFS='|' read -r method path body want <<<"$row"
    read -r -a expect <<<"$want"
    tokens=("" "$OWN" "$OTHER" "$SB_ADMIN")
    for i in 0 1 2 3; do
        api_as "${tokens[$i]}" "$method" "$path" "$body"
        is "$HTTP_STATUS" "${expect[$i]}" "$method $path with ${names[$i]} token"
        case "$HTTP_STATUS" in
        401) is "$(jq -r .code <<<"$HTTP_BODY")" unauthorized "  ... says unauthorized" ;;
        403) is "$(jq -r .code <<<"$HTTP_BODY")" forbidden "  ... says forbidden" ;;
        esac
    done
done

api_as "$OWN" GET /api/customers
is "$(jq -r '[.customers[].id] | join(",")' <<<"$HTTP_BODY")" cust_001 "a customer lists only itself"
api_as "$OTHER" POST /api/chat '{"message":"is my speaker on?"}'
is "$(jq -r .customerId <<<"$HTTP_BODY")" cust_002 "chat without customerId talks as the token's customer"
api_as "not-a-token" GET /api/capabilities
is "$HTTP_STATUS" 401 "an unknown token is 401"
HTTP_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Basic $OWN" "$SB_URL/api/capabilities")
is "$HTTP_STATUS" 401 "a non-bearer Authorization header is 401"
if grep -q -e "$OWN" -e "$SB_ADMIN" "$SCRATCH/server.log"; then
    ok 1 "tokens never appear in the log"
else
    ok 0 "tokens never appear in the log"
fi

WSC="$SB_BUILDDIR/tests/wsclient"
ws="ws://127.0.0.1:$SB_PORT/ws"
out=$("$WSC" -w 5 "$ws?customer=cust_001")
like "$out" '"code":"unauthorized"' "WS without a token gets an unauthorized error frame"
like "$out" '^close 1008 unauthorized' "and is closed with 1008, the code as reason"
out=$("$WSC" -t "$OWN" -n 1 -w 5 "$ws")
like "$out" '"type":"welcome".*"id":"cust_001"' "WS with a customer token is welcomed as that customer"
out=$("$WSC" -t "$OTHER" -w 5 "$ws?customer=cust_001")
like "$out" '"code":"forbidden"' "WS with another customer's token is forbidden"
like "$out" 'close 1008 forbidden' "and closed with 1008 forbidden"
out=$("$WSC" -t "$SB_ADMIN" -w 5 "$ws")
like "$out" '"code":"bad_request".*customer=' "WS with the admin token must name the customer"
out=$("$WSC" -t "$SB_ADMIN" -n 1 -w 5 "$ws?customer=cust_003")
like "$out" '"type":"welcome".*"id":"cust_003"' "WS with the admin token and ?customer= is welcomed"
out=$("$WSC" -n 1 -w 5 "$ws?customer=cust_002&token=$OTHER")
like "$out" '"type":"welcome".*"id":"cust_002"' "browsers may pass ?token="

done_testing
