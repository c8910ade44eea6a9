#!/usr/bin/env bash
# The row cache is fed by writes (issue 13): a servicebotd keeps the decode
# of each customer row it writes, keyed by the row's exact bytes. Two
# servers on one SQLite file and the sqlite3 CLI take turns changing the
# same customer: every chat and every GET must start from the row as it is
# in the file, never from the one the server wrote last.
. "$SB_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "the sqlite3 CLI is not installed"

start_server || { ok 1 "servicebotd starts"; done_testing; }
A_URL=$SB_URL
B_PORT=$(free_port)
B_URL="http://127.0.0.1:$B_PORT"
SERVICEBOT_ADMIN_TOKEN=$SB_ADMIN "$SERVICEBOTD" --listen "127.0.0.1:$B_PORT" --db "$SB_DB" \
    --log-level warn 2>>"$SCRATCH/b.log" &
b_pid=$!
SB_PIDS="$SB_PIDS $b_pid"
wait_for curl -sf "$B_URL/healthz"
ok $? "a second servicebotd on the same file starts"

# on URL METHOD PATH [BODY]: api against one of the two servers.
on() {
    local url=$1
    shift
    SB_URL=$url api "$@"
}
# chat URL TEXT: one chat as cust_001 on a server; its HTTP status.
chat() {
    on "$1" POST /api/chat "{\"customerId\":\"cust_001\",\"message\":\"$2\"}"
}
# volume URL: dev_001's volume as a GET on that server reads it.
volume() {
    on "$1" GET /api/customers/cust_001/devices
    jq -r '.devices[] | select(.id == "dev_001") | .volume' <<<"$HTTP_BODY"
}
# cli SQL: the sqlite3 CLI on the servers' file.
cli() { sqlite3 "$SB_DB" "$1"; }

on "$A_URL" PATCH /api/customers/cust_001/devices/dev_001 '{"state":"on","volume":50}'
is "$HTTP_STATUS" 200 "set the speaker to 50 through A"

chat "$A_URL" "turn the volume up by 1"
is "$HTTP_STATUS $(volume "$A_URL")" "200 51" "A's chat: 51, and A reads its own write"
is "$(volume "$B_URL")" 51 "B reads A's write"
chat "$B_URL" "turn the volume up by 1"
is "$HTTP_STATUS $(volume "$B_URL")" "200 52" "B's chat starts from A's row: 52"
is "$(volume "$A_URL")" 52 "A reads B's write, not the row it wrote last"
chat "$A_URL" "turn the volume up by 1"
is "$(volume "$A_URL") $(volume "$B_URL")" "53 53" "and A's next chat starts from it: 53 on both"

# The CLI changes the devices column and leaves the version as it is: a
# cache keyed by id and version would serve A's own 53.
version=$(cli "SELECT version FROM customers WHERE id = 'cust_001'")
cli "UPDATE customers SET devices = json_set(devices, '\$[0].volume', 20) WHERE id = 'cust_001'"
is "$(cli "SELECT version FROM customers WHERE id = 'cust_001'")" "$version" \
    "the CLI changed the row without touching its version"
is "$(volume "$A_URL") $(volume "$B_URL")" "20 20" "both servers read the CLI's change at once"
chat "$A_URL" "turn the volume down by 1"
is "$(volume "$A_URL") $(volume "$B_URL")" "19 19" "A's chat starts from the CLI's row: 19"

# The CLI puts back the whole row A wrote last, version included, after B
# wrote another: the same bytes as A's own write, read as the row they are.
r1=$(cli "SELECT devices FROM customers WHERE id = 'cust_001'")
v1=$(cli "SELECT version FROM customers WHERE id = 'cust_001'")
chat "$B_URL" "turn the volume up by 1"
is "$(volume "$A_URL")" 20 "B's chat: 20, read on A"
cli "UPDATE customers SET devices = '${r1//\'/\'\'}', version = $v1 WHERE id = 'cust_001'"
is "$(volume "$A_URL") $(volume "$B_URL")" "19 19" "the CLI's restore of A's older row is read as such"
chat "$A_URL" "turn the volume up by 1"
is "$HTTP_STATUS $(volume "$B_URL")" "200 20" "and the next chat starts from it"

# A change to the name column alone (not the JSON the write serialized).
cli "UPDATE customers SET name = 'Jane Elsewhere' WHERE id = 'cust_001'"
on "$A_URL" GET /api/customers/cust_001
is "$(jq -r .customer.name <<<"$HTTP_BODY")" "Jane Elsewhere" "a name changed by the CLI is read by A"
chat "$A_URL" "turn the volume up by 1"
on "$B_URL" GET /api/customers/cust_001
is "$(jq -r .customer.name <<<"$HTTP_BODY") $(volume "$B_URL")" "Jane Elsewhere 21" \
    "and A's next write keeps it"

# GET devices renders its body once per stored row (a memo kept with the
# row's decode): two reads on each server so that both hold one, then the
# CLI changes a field only that body shows, version kept, and then the
# other server writes.
location() {
    on "$1" GET /api/customers/cust_001/devices
    jq -r '.devices[] | select(.id == "dev_001") | .location' <<<"$HTTP_BODY"
}
for url in "$A_URL" "$B_URL" "$A_URL" "$B_URL"; do location "$url" >/dev/null; done
cli "UPDATE customers SET devices = json_set(devices, '\$[0].location', 'attic') WHERE id = 'cust_001'"
is "$(location "$A_URL") $(location "$B_URL")" "attic attic" \
    "a devices body rendered before gives way to the CLI's change at once"
volume "$A_URL" >/dev/null
chat "$B_URL" "turn the volume up by 1"
is "$(volume "$A_URL") $(location "$A_URL")" "22 attic" "and to the other server's write"
on "$A_URL" GET /api/customers/cust_001/devices
a_body=$HTTP_BODY
on "$B_URL" GET /api/customers/cust_001/devices
is "$a_body" "$HTTP_BODY" "both servers answer the same bytes"

kill "$b_pid"
wait "$b_pid" 2>/dev/null
done_testing
