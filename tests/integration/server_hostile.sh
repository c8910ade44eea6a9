#!/usr/bin/env bash
# servicebotd on a hostile network (issue 14): every class of bytes an
# attacker sent, replayed byte for byte. Poisoned strings are refused on every
# write path with the field named; a corrupt stored record never takes a list
# down and can always be replaced or removed; request smuggling shapes,
# lenient JSON, unknown methods, oversized heads and slow bodies get a clear
# answer. At the end: requests per class, and that nothing but the reads of a
# deliberately corrupted record got a 5xx.
. "$SB_SRCDIR/tests/lib.sh"

SB_LOG_LEVEL=info
start_server || { ok 1 "servicebotd starts"; done_testing; }
RAW="$SB_SRCDIR/tests/rawhttp.py"
WSC="$SB_BUILDDIR/tests/wsclient"
# count CLASS: one more request of that class (a file: raw runs in $(...)).
count() { echo "$1" >>"$SCRATCH/tried"; }
# hostile CLASS METHOD PATH BODY: an admin request with a raw body.
hostile() {
    count "$1"
    api "$2" "$3" "$4"
}
# raw CLASS BYTES [rawhttp args...]: bytes on a bare socket; prints the answers.
raw() {
    local class=$1
    shift
    count "$class"
    python3 "$RAW" "$SB_PORT" "$@"
}
field() { jq -r '[.fields[]?.field] | join(",")' <<<"$HTTP_BODY"; }
code() { jq -r .code <<<"$HTTP_BODY"; }
still_serving() {
    is "$(curl -s -m 10 "$SB_URL/healthz" | jq -r .status)" ok "$1: the server still answers"
}
volume() {
    api GET /api/customers/cust_001/devices
    jq '.devices[0].volume' <<<"$HTTP_BODY"
}

# --- 2, 6: poisoned strings on every write path ------------------------------
P=/api/customers/cust_001/devices/dev_001
hostile poison PATCH $P $'{"name":"x\xff"}'
is "$HTTP_STATUS" 400 "PATCH with a name that is not UTF-8 is 400 (it used to be stored)"
like "$(jq -r .error <<<"$HTTP_BODY")" '^name: must be valid UTF-8' "naming the field"
hostile poison PATCH $P '{"name":"x\u0001y"}'
is "$HTTP_STATUS $(field)" "400 name" "a control character in a name is refused, naming it"
hostile poison PATCH $P '{"location":"kitchen\u001b[2J"}'
is "$HTTP_STATUS $(field)" "400 location" "an escape sequence in a room is refused"
hostile poison PATCH $P '{"current_song":"a\u0085b"}'
is "$HTTP_STATUS $(field)" "400 current_song" "a C1 control in a title is refused"
hostile poison PATCH $P '{"name":"x\u0000y"}'
is "$HTTP_STATUS" 400 "a NUL byte in a name is refused"
hostile poison PATCH $P '{"name":"Küchen-Lautsprecher 日本"}'
is "$HTTP_STATUS" 200 "well-formed non-ASCII names are fine"
hostile poison PUT /api/customers/cust_009 \
    '{"name":"Eve\u0007","service_level":"basic","devices":[]}'
is "$HTTP_STATUS $(field)" "400 name" "PUT of a customer name with a bell is refused"
hostile poison POST /api/customers/cust_003/devices \
    '{"id":"d9","type":"SmartSpeaker","location":"office","playlist":["ok","bad\u0009tab"]}'
is "$HTTP_STATUS $(field)" "400 playlist[1]" "a tab in a playlist title is refused, naming the entry"
hostile poison POST /api/chat $'{"customerId":"cust_001","message":"hi","conversationId":"c\xc3"}'
is "$HTTP_STATUS" 400 "chat with a conversationId that is not UTF-8 is 400 (it used to be stored)"
like "$(jq -r .error <<<"$HTTP_BODY")" '^conversationId: must be valid UTF-8' "naming conversationId"
hostile poison POST /api/chat '{"customerId":"cust_001","message":"hi","conversationId":"c\u0001"}'
is "$HTTP_STATUS $(field)" "400 conversationId" "a control character in a conversationId is refused"
hostile poison POST /api/chat '{"customerId":"cust_001","message":"hi\u001b]0;owned\u0007"}'
is "$HTTP_STATUS $(field)" "400 message" "escape sequences in a chat message are refused"
hostile poison POST /api/chat '{"customerId":"cust_001","message":"turn the speaker on\nplease"}'
is "$HTTP_STATUS" 200 "a chat message may still hold a newline"
hostile poison POST /api/chat $'{"customerId":"cust_001","message":"hi","x\xfe":1}'
is "$HTTP_STATUS" 400 "a member name that is not UTF-8 is refused too"

TOKEN=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>>"$SCRATCH/server.log")
count poison
out=$("$WSC" -t "$TOKEN" -n 2 -w 10 \
    -s '{"type":"message","id":"w1","text":"hi","conversationId":"c\u0002"}' \
    "ws://127.0.0.1:$SB_PORT/ws")
frame=$(sed -n 2p <<<"$out")
is "$(jq -r '.type + " " + .code' <<<"$frame")" "error bad_request" \
    "over WebSocket a control character in conversationId is an error frame"
like "$(jq -r .error <<<"$frame")" '^"conversationId" must not contain control' "naming it"
count poison
out=$("$WSC" -t "$TOKEN" -n 1 -w 10 "ws://127.0.0.1:$SB_PORT/ws?conversation=a%01b")
like "$out" 'conversation= must not contain control' "so is one in the ?conversation= of the upgrade"

printf '{"service_levels":[],"capabilities":[],"customers":[{"id":"cust_007","name":"Bad\\u0008","service_level":"basic","devices":[]}]}' >"$SCRATCH/bad.json"
count poison
"$SERVICEBOTD" import "$SCRATCH/bad.json" --db "$SB_DB" 2>"$SCRATCH/import.err"
ok $((! $?)) "import refuses a name with a control character"
like "$(cat "$SCRATCH/import.err")" 'customers\[0\]\.name: must not contain control' \
    "naming the record and the field"

api GET /api/customers
is "$HTTP_STATUS $(jq '.customers | length' <<<"$HTTP_BODY")" "200 3" \
    "after all of that the admin list is whole"
api GET /api/customers/cust_001/devices
is "$HTTP_STATUS" 200 "and the attacked customer's devices still read"

# --- 2: a corrupt stored record (written behind the server's back) -----------
corrupt() { sqlite3 "$SB_DB" "UPDATE customers SET name = CAST(X'4A61FF6E65' AS TEXT) WHERE id = 'cust_002'"; }
if [ -f "$SB_DB" ] && command -v sqlite3 >/dev/null && corrupt; then
    count corrupt
    api GET /api/customers
    is "$HTTP_STATUS $(jq -c '[.customers[].id]' <<<"$HTTP_BODY")" '200 ["cust_001","cust_003"]' \
        "a corrupt record no longer takes down the admin list"
    like "$(jq -r '.skipped[0]' <<<"$HTTP_BODY")" 'cust_002 is corrupt: name: must be valid UTF-8' \
        "the answer names the skipped record and what is wrong"
    like "$(cat "$SCRATCH/server.log")" 'level=error msg="a stored record cannot be read.*cust_002' \
        "and the log says so"
    count corrupt
    api GET /api/customers/cust_002
    is "$HTTP_STATUS $(code)" "500 corrupt_record" "reading the record itself says it is corrupt"
    count corrupt
    api PUT /api/customers/cust_002 '{"name":"John Doe","service_level":"premium","devices":[]}'
    is "$HTTP_STATUS" 200 "admin PUT replaces the corrupt record"
    api GET /api/customers/cust_002
    is "$HTTP_STATUS $(jq -r .customer.name <<<"$HTTP_BODY")" "200 John Doe" "which reads again"
    corrupt
    count corrupt
    api DELETE /api/customers/cust_002
    is "$HTTP_STATUS $(jq -r .deleted <<<"$HTTP_BODY")" "200 cust_002" "admin DELETE removes a corrupt record"
    api GET /api/customers/cust_002
    is "$HTTP_STATUS" 404 "and it is gone"
    count corrupt
    api DELETE /api/customers/cust_002
    is "$HTTP_STATUS" 404 "deleting it again is 404"
else
    for t in "corrupt records are skipped and reported" "admin PUT and DELETE replace them"; do
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $t # SKIP no SQLite file to corrupt (the DynamoDB backend test does it)"
    done
fi

# --- 5: request smuggling shapes -------------------------------------------------
body='{"customerId":"cust_001","message":"turn the volume up"}'
H="Host: a\r\nAuthorization: Bearer $SB_ADMIN\r\nContent-Type: application/json"
before=$(volume)
out=$(raw smuggle "POST /api/chat HTTP/1.1\r\n$H\r\nContent-Length: ${#body}\r\nTransfer-Encoding: chunked\r\n\r\n$body")
is "$out" $'400 bad_framing\nclosed' "Transfer-Encoding with Content-Length: 400 and closed"
out=$(raw smuggle "POST /api/chat HTTP/1.1\r\n$H\r\nTransfer-Encoding: chunked\r\nContent-Length: ${#body}\r\n\r\n$body")
is "$out" $'400 bad_framing\nclosed' "in the other order too"
out=$(raw smuggle "POST /api/chat HTTP/1.1\r\n$H\r\nContent-Length: ${#body}\r\nContent-Length: 5\r\n\r\n$body")
is "$out" $'400 bad_framing\nclosed' "two different Content-Length headers: 400 and closed"
out=$(raw smuggle "POST /api/chat HTTP/1.1\r\n$H\r\nContent-Length: ${#body}\r\nContent-Length: ${#body}\r\n\r\n$body")
is "$out" $'400 bad_framing\nclosed' "the same Content-Length twice too"
out=$(raw smuggle "POST /api/chat HTTP/1.1\r\n$H\r\nContent-Length: +${#body}\r\n\r\n$body")
is "$out" $'400 bad_framing\nclosed' "a Content-Length that is not plain digits too"
smuggled="GET /api/customers HTTP/1.1\r\nHost: a\r\n\r\n"
out=$(raw smuggle "POST /api/chat HTTP/1.1\r\n$H\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$smuggled")
is "$out" $'400 bad_framing\nclosed' "a request hidden behind a chunked body is never run"
is "$(volume)" "$before" "none of the smuggled chats ran (the volume is unchanged)"
still_serving "smuggling"

# --- 7: lenient JSON ----------------------------------------------------------------
for shape in "{'customerId':'cust_001','message':'hi'}" '{"customerId":"cust_001","message":'"'hi'"'}' \
    '{"customerId":"cust_001","message":"hi",}' '{"customerId":"cust_001",/* c */"message":"hi"}' \
    '{"customerId":"cust_001","message":"hi"} // c' '{"customerId":"cust_001","message":NaN}' \
    '{"customerId":"cust_001","message":"hi","n":Infinity}' '["a",]'; do
    hostile json POST /api/chat "$shape"
    is "$HTTP_STATUS" 400 "strict JSON refuses $shape"
    like "$(jq -r .error <<<"$HTTP_BODY")" 'invalid JSON at byte [0-9]+' "naming the position"
done

# --- 7: unknown methods -------------------------------------------------------------
for m in FOO TRACE PROPFIND; do
    out=$(raw method "$m /api/customers HTTP/1.1\r\nHost: a\r\n\r\n")
    is "$out" $'501 not_implemented\nclosed' "$m gets 501, not lws's 403"
done
out=$(raw method "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n")
is "$out" $'400 bad_request\nclosed' "bytes that are no request line at all get 400"
still_serving "methods"

# --- 7: oversized heads ---------------------------------------------------------------
pad=$(head -c 9216 /dev/zero | tr '\0' a)
out=$(raw head "GET /api/customers HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer $pad\r\n\r\n")
is "$out" $'431 headers_too_large\nclosed' "a 9 KB header is 431 (it used to be a silent close)"
out=$(raw head "GET /api/customers HTTP/1.1\r\nHost: a\r\nUser-Agent: $pad\r\n\r\n")
is "$out" $'431 headers_too_large\nclosed' "whichever header it is"
out=$(raw head "GET /api/customers?q=$pad HTTP/1.1\r\nHost: a\r\n\r\n")
is "$out" $'414 uri_too_long\nclosed' "a 9 KB query is 414"
q=$(for i in $(seq 40); do printf 'a%d=1&' "$i"; done)
out=$(raw head "GET /api/customers?$q HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer $SB_ADMIN\r\n\r\n")
is "$out" "400 too_many_arguments" "40 query arguments are 400 naming the limit"
q=$(for i in $(seq 200); do printf 'a%d=1&' "$i"; done)
out=$(raw head "GET /api/customers?$q HTTP/1.1\r\nHost: a\r\n\r\n")
is "$out" $'400 too_many_arguments\nclosed' "200 query arguments are 400 and closed (lws 4.1 alone closed them without a word)"
still_serving "200 query arguments"

# --- 7: a body at 1 byte/s ----------------------------------------------------------------
out=$(raw slow "POST /api/chat HTTP/1.1\r\n$H\r\nContent-Length: ${#body}\r\n\r\n$body" \
    --trickle 12 --wait 30 --error)
like "$out" $'^408 body_too_slow .*within 10 s plus 1 s per 1024 bytes\nclosed$' \
    "a body sent at 1 byte/s is refused with 408 by the minimum rate"
still_serving "slow body"

# --- figures ---------------------------------------------------------------------------------
# 501 is the designed answer to an unknown method, not a failure
fives=$(grep ' status=5[0-9][0-9] ' "$SCRATCH/server.log" | grep -vc ' status=501 ')
corrupt_reads=$(grep -c 'path=/api/customers/cust_002 status=500 ' "$SCRATCH/server.log")
while read -r n class; do
    diag "class $class: $n requests"
done < <(sort "$SCRATCH/tried" | uniq -c)
diag "5xx answers (501 aside): $fives (of which reads of the corrupted record: $corrupt_reads)"
is "$fives" "$corrupt_reads" "no 5xx but the reads of the record corrupted on purpose"
[ "$fives" = "$corrupt_reads" ] || diag "$(grep ' status=5[0-9][0-9] ' "$SCRATCH/server.log" | grep -v ' status=501 ')"
gone() { ! kill -0 "$SB_PID" 2>/dev/null; }
kill -TERM "$SB_PID"
wait_for gone
ok $? "SIGTERM still stops the server: nothing crashed or froze"
done_testing
