#!/usr/bin/env bash
# What lws 4.1 lets through or drops without a word, answered by the byte
# guard in front of it (src/server/rxguard.h), replayed byte for byte over
# plain TCP and then over TLS: unmasked WebSocket frames close with 1002
# (whole or with the header split across two writes) and change nothing;
# a head with too many query arguments or header lines, or over 16 KiB
# (unknown headers included), gets our JSON error and the connection is
# closed; what is under the limits is served as before, pipelined requests
# in order. Rerun on DynamoDB by dynamodb_server_suite.sh, where libcurl's
# reads pass through the same recv().
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/tls_lib.sh"

RAW="$SB_SRCDIR/tests/rawhttp.py"
WSF="$SB_SRCDIR/tests/wsframes.py"
TLS=()
raw() { python3 "$RAW" "$SB_PORT" "$@" "${TLS[@]}"; }
frames() { python3 "$WSF" "${TLS[@]}" "$SB_PORT" /ws "$TOKEN" "$@"; }
devices() {
    api GET /api/customers/cust_001/devices
    jq -c .devices <<<"$HTTP_BODY"
}
# chat ID: a message that changes the customer's speaker.
chat() { printf '{"type":"message","id":"%s","text":"turn on the speaker"}' "$1"; }
still_serving() {
    api GET /healthz
    is "$HTTP_STATUS" 200 "$1: the server still answers"
}
# padded N: a GET of the admin list whose whole head is N bytes.
padded() {
    local head=$'GET /api/customers HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer '"$SB_ADMIN"$'\r\nConnection: close\r\nX-Padding: \r\n\r\n'
    local pad
    pad=$(head -c $(($1 - ${#head})) /dev/zero | tr '\0' p)
    raw "GET /api/customers HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer $SB_ADMIN\r\nConnection: close\r\nX-Padding: $pad\r\n\r\n" --error
}
args() { for i in $(seq "$1"); do printf 'a%d=1&' "$i"; done; }

# suite LABEL: every case against the running server.
suite() {
    local t=$1 out before
    TOKEN=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>>"$SCRATCH/server.log")
    HI='{"type":"message","id":"m1","text":"hello"}'

    # --- unmasked WebSocket frames -----------------------------------------
    before=$(devices)
    out=$(frames wait:welcome "unmasked:$(chat "$t-u1")")
    is "$out" $'text welcome\nclose 1002 bad opc\nclosed' \
        "$t: an unmasked frame closes the connection with 1002 (lws's own close: \"bad opc\")"
    out=$(frames wait:welcome "split:$(chat "$t-u2")")
    is "$out" $'text welcome\nclose 1002 bad opc\nclosed' \
        "$t: so does one whose header comes in two writes (the mask bit in the second)"
    out=$(frames wait:welcome "masked:$HI" wait:reply "unmasked:$(chat "$t-u3")" "masked:$HI")
    is "$out" $'text welcome\ntext reply\nclose 1002 bad opc\nclosed' \
        "$t: a masked frame is answered, the unmasked one after it closes, nothing after it is read"
    # whether the welcome (written after the session's first store call)
    # goes out before lws's close depends on the store's speed
    out=$(frames "unmasked:$(chat "$t-u4")")
    like "$(printf '%s' "$out" | tr '\n' ';')" '^(text welcome;)?close 1002 bad opc;closed$' \
        "$t: an unmasked frame right behind the upgrade closes too"
    is "$(devices)" "$before" "$t: none of the unmasked chats changed the customer's devices"
    out=$(frames wait:welcome "masked:$(chat "$t-m2")" wait:reply bye)
    is "$out" $'text welcome\ntext reply\ntext device\nclose 1000 \nclosed' \
        "$t: on a fresh connection masked frames still work (a reply, the device pushed)"
    isnt_same=$(devices)
    ok $([ "$isnt_same" != "$before" ]; echo $?) "$t: and the masked chat did change the speaker"
    api PATCH /api/customers/cust_001/devices/dev_001 '{"state":"off"}' >/dev/null

    # --- query arguments and header lines ------------------------------------------
    out=$(raw "GET /api/customers?$(args 200) HTTP/1.1\r\nHost: a\r\n\r\n" --error)
    is "$out" $'400 too_many_arguments more than 80 query arguments; the limit is 8\nclosed' \
        "$t: 200 query arguments get 400 naming the limit (lws used to close without a word)"
    still_serving "$t: 200 arguments"
    out=$(raw "GET /api/customers?$(args 64) HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer $SB_ADMIN\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    is "$out" $'400 too_many_arguments\n200 -\nclosed' \
        "$t: 64 arguments are read whole (400 from the usual check, connection kept)"
    h=$(for i in $(seq 100); do printf 'X-H%d: 1\\r\\n' "$i"; done)
    out=$(raw "GET /api/customers HTTP/1.1\r\nHost: a\r\n$h\r\n" --error)
    is "$out" $'431 headers_too_large more than 80 header lines and query arguments together; the limit is 80\nclosed' \
        "$t: 100 header lines are 431"
    h=$(for i in $(seq 100); do printf 'Accept: */*\\r\\n'; done)
    out=$(raw "GET /api/customers HTTP/1.1\r\nHost: a\r\n$h\r\n")
    is "$out" $'431 headers_too_large\nclosed' "$t: a known header repeated 100 times too"

    # --- the size of the whole head ----------------------------------------------------
    pad=$(head -c 20480 /dev/zero | tr '\0' a)
    out=$(raw "GET /api/customers HTTP/1.1\r\nHost: a\r\nX-Unknown: $pad\r\n\r\n" --error)
    is "$out" $'431 headers_too_large the request head is over 16384 bytes; the limit is 16384\nclosed' \
        "$t: a 20 KiB header lws does not know is 431 (it was never counted)"
    still_serving "$t: 20 KiB header"
    out=$(padded 16384)
    is "$out" $'200 - \nclosed' "$t: a head of exactly 16384 bytes is served"
    out=$(padded 16385)
    is "$out" $'431 headers_too_large the request head is over 16384 bytes; the limit is 16384\nclosed' \
        "$t: one byte more is 431"
    out=$(raw "GET /api/customers?q=$pad HTTP/1.1\r\nHost: a\r\n\r\n")
    is "$out" $'414 uri_too_long\nclosed' "$t: a 20 KiB URI is 414"
    out=$(raw "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /api/customers HTTP/1.1\r\nHost: a\r\nX-Unknown: $pad\r\n\r\n")
    is "$out" $'200 -\n431 headers_too_large\nclosed' "$t: behind a pipelined request: it is answered first, in order"
    body='{"customerId":"cust_001","message":"hello"}'
    out=$(raw "POST /api/chat HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer $SB_ADMIN\r\nContent-Type: application/json\r\nContent-Length: ${#body}\r\nConnection: close\r\nX-Pad: ${pad:0:12000}\r\n\r\n$body")
    is "$out" $'200 -\nclosed' "$t: a chat with a 12 KB header and a body is served"
    up="Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13"
    out=$(raw "GET /ws?$(args 100) HTTP/1.1\r\nHost: a\r\n$up\r\n\r\n")
    is "$out" $'400 too_many_arguments\nclosed' "$t: an upgrade cut in its request line is answered too"
    out=$(raw "GET /ws HTTP/1.1\r\nHost: a\r\n$up\r\nX-Unknown: $pad\r\n\r\n")
    is "$out" closed "$t: one cut after its Upgrade header is closed (no answer, doc/protocol.md)"
    still_serving "$t: heads"
}

start_server || { ok 1 "servicebotd starts"; done_testing; }
suite plain
stop_server

tls_make_certs "$SCRATCH/tls"
SB_CACERT=$TLS_DIR/ca.pem SB_TLS_CERT=$TLS_DIR/server.pem SB_TLS_KEY=$TLS_DIR/server.key
TLS=(--tls "$SB_CACERT")
restart_server_tls() {
    SB_URL="https://127.0.0.1:$SB_PORT"
    restart_server
}
restart_server_tls || { ok 1 "servicebotd starts with TLS"; done_testing; }
suite tls
gone() { ! kill -0 "$SB_PID" 2>/dev/null; }
kill -TERM "$SB_PID"
wait_for gone
ok $? "SIGTERM still stops the server: nothing crashed or froze"
done_testing
