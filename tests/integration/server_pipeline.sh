#!/usr/bin/env bash
# Pipelined HTTP/1.1 requests (several requests sent before the first answer)
# are answered in order, or the connection is closed cleanly after an answer;
# the server never spins and keeps serving everybody else. The byte strings are
# the ones of the report: two pipelined requests with bodies used to freeze the
# whole server at 100% CPU, without a token.
. "$SB_SRCDIR/tests/lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }

# pipeline BYTES: sends BYTES (with \r \n escapes) on one connection, reads
# until the server closes it or stays silent for 3 s, and prints one line per
# answer: "STATUS CODE" (CODE is the JSON error code, or -), then "closed" if
# the server closed the connection.
pipeline() {
    python3 "$SB_SRCDIR/tests/rawhttp.py" "$SB_PORT" "$1"
}

# flat TEXT: the answer lines joined by ";", for one-line patterns.
flat() { printf '%s' "$1" | tr '\n' ';'; }

# still_serving NAME: a fresh connection still gets /healthz.
still_serving() {
    is "$(curl -s -m 10 "$SB_URL/healthz" | jq -r .status)" ok "$1: the server still answers others"
}

X='POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx'
# Which of the two is answered depends on how the event library splits the
# reads (libuv: the first, libev: both); either way in order, then closed.
out=$(pipeline "$X$X")
like "$(flat "$out")" '^404 not_found;(404 not_found;)?closed$' \
    "two pipelined POSTs with bodies: answered in order (the first or both), then closed"
still_serving "two POSTs"

# Every chat turns cust_002's speaker up by 10: a chat answered 200 ran once,
# one refused (400 pipelined_body) or never answered did not run at all.
body='{"customerId":"cust_002","message":"turn up the speaker"}'
CHAT="POST /api/chat HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer $SB_ADMIN\r\nContent-Type: application/json\r\nContent-Length: ${#body}\r\n\r\n$body"
HEALTH='GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n'
speaker() {
    api GET /api/customers/cust_002/devices
    jq '.devices[] | select(.id == "dev_002") | .volume' <<<"$HTTP_BODY"
}
api PATCH /api/customers/cust_002/devices/dev_002 '{"state":"on","volume":10}'
before=$(speaker)
out=$(pipeline "$CHAT$CHAT")
like "$(flat "$out")" '^(200 -|400 pipelined_body);((200 -|400 pipelined_body);)?closed$' \
    "two pipelined chats: answered in order or refused as pipelined, then closed"
ran=$(grep -c '^200 ' <<<"$out")
is "$(speaker)" "$((before + 10 * ran))" "and each chat answered 200 ran once, the others not at all"
still_serving "two chats"

before=$(speaker)
out=$(pipeline "$HEALTH$CHAT$CHAT$HEALTH")
like "$(flat "$out")" '^200 -;(200 -|400 pipelined_body);((200 -|400 pipelined_body);)?closed$' \
    "a GET then two chats: the GET answered, the chats in order or refused, then closed"
ran=$(($(grep -c '^200 ' <<<"$out") - 1))
is "$(speaker)" "$((before + 10 * ran))" "GET + chats: each chat answered 200 ran once"
still_serving "GET + chats"

out=$(pipeline "$HEALTH$X$HEALTH")
is "$out" $'200 -\n404 not_found\nclosed' "a GET, a POST with a body, a GET: in order, then closed"

out=$(pipeline "$HEALTH$HEALTH$HEALTH")
is "$out" $'200 -\n200 -\n200 -' "pipelined GETs without bodies are all answered, in order"

PUT='PUT /api/customers/zz HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'
out=$(pipeline "$PUT$PUT")
like "$out" $'^4[0-9][0-9] [a-z_]+\nclosed$' "two pipelined PUTs: one answer, then closed"
GETB='GET /api/service-levels HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}'
out=$(pipeline "$GETB$GETB")
like "$out" $'^4[0-9][0-9] [a-z_]+\nclosed$' "two pipelined GETs with bodies: one answer, then closed"
still_serving "PUTs and GETs with bodies"

out=$(pipeline "$CHAT")
like "$out" '^200 -$' "a single chat on a kept-alive connection is answered as before"

# The loop is idle again: SIGTERM still stops the server (it used to be ignored).
gone() { ! kill -0 "$SB_PID" 2>/dev/null; }
kill -TERM "$SB_PID"
wait_for gone
ok $? "SIGTERM stops the server after all of this"
done_testing
