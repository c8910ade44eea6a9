#!/usr/bin/env bash
# Bad input never crashes servicebotd or gets a 500: oversized, chunked,
# non-JSON and malformed bodies, wrong field types, unknown routes, wrong
# methods. Also CORS, the request log line and /metrics.
. "$SB_SRCDIR/tests/lib.sh"

SB_LOG_LEVEL=info
start_server || { ok 1 "servicebotd starts"; done_testing; }

# raw METHOD PATH [curl args...]: admin request; sets HTTP_STATUS, HTTP_BODY, HEADERS.
raw() {
    local method=$1 path=$2
    shift 2
    HTTP_STATUS=$(curl -s -D "$SCRATCH/headers" -o "$SCRATCH/body" -w '%{http_code}' -X "$method" \
        -H "Authorization: Bearer $SB_ADMIN" "$@" "$SB_URL$path")
    HTTP_BODY=$(cat "$SCRATCH/body")
    HEADERS=$(tr -d '\r' <"$SCRATCH/headers")
}

head -c 70000 /dev/zero | tr '\0' 'a' >"$SCRATCH/big"
raw POST /api/chat -H 'Content-Type: application/json' --data-binary @"$SCRATCH/big"
is "$HTTP_STATUS" 413 "a 70 KB body is 413"
is "$(jq -r .code <<<"$HTTP_BODY")" too_large "with code too_large"

raw POST /api/chat -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
    --data-binary '{"message":"hi","customerId":"cust_001"}'
is "$HTTP_STATUS" 411 "a chunked body without Content-Length is 411"

# raw_send REQUEST: sends REQUEST over a bare socket, prints the response
# up to the JSON body line (waiting at most 10 s per line).
raw_send() {
    exec 3<>"/dev/tcp/127.0.0.1/$SB_PORT"
    printf '%b' "$1" >&3
    local line out=""
    while read -r -t 10 line <&3 || [ -n "$line" ]; do
        out+="${line%$'\r'}"$'\n'
        case "$line" in "{"*) break ;; esac
        line=""
    done
    exec 3<&-
    printf '%s' "$out"
}
out=$(raw_send 'POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n{')
like "$out" '^HTTP/1.1 413' "a 100 MB declared body is refused before it is sent"
like "$out" '"code":"too_large"' "with the JSON error"
out=$(raw_send 'GET /api/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nxx')
like "$out" '^HTTP/1.1 404' "so is an unknown route with one: answered at once, not read"
like "$out" '"code":"not_found"' "with the JSON error"

raw POST /api/chat -H 'Content-Type: text/plain' --data-binary 'hello'
is "$HTTP_STATUS" 415 "a text/plain body is 415"
is "$(jq -r .code <<<"$HTTP_BODY")" unsupported_media_type "with code unsupported_media_type"

raw POST /api/chat -H 'Content-Type: application/json; charset=utf-8' \
    --data-binary '{"customerId": "cust_001", "message": }'
is "$HTTP_STATUS" 400 "malformed JSON is 400"
like "$(jq -r .error <<<"$HTTP_BODY")" 'at byte [0-9]+' "the error gives the parse position"

raw POST /api/chat -H 'Content-Type: application/json' --data-binary '[1, 2]'
is "$HTTP_STATUS" 400 "a JSON array body is 400"

raw POST /api/chat -H 'Content-Type: application/json' -H 'Content-Length: 0'
is "$HTTP_STATUS" 400 "an empty POST body is 400"
raw PATCH /api/customers/cust_001/devices/dev_001 -H 'Content-Type: application/json' -H 'Content-Length: 0'
is "$HTTP_STATUS" 400 "an empty PATCH body is 400"

nested=$(printf '%.0s[' $(seq 5000))
raw POST /api/chat -H 'Content-Type: application/json' --data-binary "$nested"
is "$HTTP_STATUS" 400 "5000 nested arrays are 400, not a crash"

raw PUT /api/customers/cust_009 -H 'Content-Type: application/json' \
    --data-binary '{"name": 5, "service_level": "basic", "devices": "none"}'
is "$HTTP_STATUS" 400 "wrong field types are 400"
fields=$(jq -r '[.fields[].field] | join(",")' <<<"$HTTP_BODY")
like "$fields" 'name' "the error names name"
like "$fields" 'devices' "and devices"

raw POST /api/chat -H 'Content-Type: application/json' --data-binary '{"customerId":7,"message":["x"]}'
is "$(jq -r '[.fields[].field] | join(",")' <<<"$HTTP_BODY")" "customerId,message" \
    "chat names each bad field"

raw GET /api/nothing
is "$HTTP_STATUS" 404 "an unknown API route is 404"
is "$(jq -r .code <<<"$HTTP_BODY")" not_found "with a JSON error"
raw GET /index.html
is "$HTTP_STATUS" 404 "a path outside the API is 404"
raw GET /api/customers/
is "$HTTP_STATUS" 200 "a trailing slash is tolerated"

raw DELETE /api/customers
is "$HTTP_STATUS" 405 "DELETE of the customer list is 405"
like "$HEADERS" $'\n''allow: GET' "with Allow: GET"
is "$(jq -r .code <<<"$HTTP_BODY")" method_not_allowed "and code method_not_allowed"
raw GET /api/chat
is "$HTTP_STATUS" 405 "GET /api/chat is 405"
raw POST /api/customers/cust_001/devices/dev_001 -H 'Content-Type: application/json' --data-binary '{}'
like "$HEADERS" 'allow: PATCH, DELETE' "Allow lists every method of the path"

raw OPTIONS /api/customers/cust_001/devices/dev_001 -H 'Origin: http://example.com' \
    -H 'Access-Control-Request-Method: PATCH'
is "$HTTP_STATUS" 204 "a CORS preflight is 204"
like "$HEADERS" 'access-control-allow-methods: PATCH, DELETE, OPTIONS' "naming the allowed methods"
like "$HEADERS" 'access-control-allow-headers: authorization, content-type' "and headers"
raw GET /api/capabilities -H 'Origin: http://example.com'
like "$HEADERS" 'access-control-allow-origin: \*' "responses carry access-control-allow-origin"

raw GET /api/customers -H 'Content-Type: application/json' --data-binary '{"ignored":true}'
is "$HTTP_STATUS" 200 "a GET with a body is answered once"

api GET /api/capabilities
is "$HTTP_STATUS" 200 "the server is still healthy after all of that"

if grep -q ' status=500 ' "$SCRATCH/server.log"; then
    ok 1 "no request got a 500"
else
    ok 0 "no request got a 500"
fi
like "$(cat "$SCRATCH/server.log")" \
    'msg=request method=GET path=/api/capabilities status=200 duration_ms=[0-9.]+ customer=admin' \
    "one logfmt line per request with method, path, status, duration and customer"

api POST /api/chat '{"customerId":"cust_001","message":"skip this song"}'
api PATCH /api/customers/cust_001/devices/dev_001 '{"current_song":"Imagine"}'
metrics=$(curl -s "$SB_URL/metrics")
like "$metrics" 'servicebot_http_requests_total\{route="/api/chat",method="POST",status="413"\} 2' \
    "metrics count requests by route, method and status"
like "$metrics" 'servicebot_http_requests_total\{route="unmatched",method="GET",status="404"\} 3' \
    "unmatched paths share one label"
like "$metrics" 'servicebot_http_request_duration_seconds_bucket\{le="\+Inf"\} [0-9]+' \
    "a latency histogram"
like "$metrics" 'servicebot_chat_replies_total\{outcome="denied"\} 1' "chat outcomes"
like "$metrics" 'servicebot_chat_steps_total\{action="song_changes",outcome="denied"\} 1' \
    "chat steps by action and outcome"
like "$metrics" 'servicebot_denials_total\{action="song_changes",level="basic"\} 2' \
    "denials by action and level, from chat and PATCH"
like "$metrics" 'servicebot_ws_connections 0' "open WebSocket connections"

done_testing
