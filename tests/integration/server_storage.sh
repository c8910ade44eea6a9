#!/usr/bin/env bash
# Storage that goes away under a running servicebotd (issue 14, defects 3
# and 4): a deleted or replaced SQLite file is detected, answered 503 with
# Retry-After and reported in /healthz and the log; a read-only store answers
# writes 503 instead of 500; an empty store is never seeded quietly.
. "$SB_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "the sqlite3 CLI is not installed"

SB_LOG_LEVEL=info
start_server || { ok 1 "servicebotd starts"; done_testing; }
TOKEN=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>>"$SCRATCH/server.log")
api_as "$TOKEN" GET /api/customers/cust_001
is "$HTTP_STATUS" 200 "a customer token works"
like "$(cat "$SCRATCH/server.log")" 'level=warn msg="the store was empty \(new, or its database was deleted' \
    "seeding a fresh store says so"

# headers PATH: the response headers of an admin GET, lower-cased.
headers() {
    curl -s -o /dev/null -D - -H "Authorization: Bearer $SB_ADMIN" "$SB_URL$1" | tr -d '\r' |
        tr 'A-Z' 'a-z'
}

# --- read-only: a second server on the same file, opened read-only -------------
ro_port=$(free_port)
"$SERVICEBOTD" --listen "127.0.0.1:$ro_port" --db "file:$SB_DB?mode=ro" --log-level info \
    2>>"$SCRATCH/ro.log" &
ro_pid=$!
SB_PIDS="$SB_PIDS $ro_pid"
wait_for curl -sf "http://127.0.0.1:$ro_port/healthz"
ok $? "a server on a read-only store starts (its admin token is already stored)"
ro() {
    HTTP_STATUS=$(curl -s -o "$SCRATCH/body" -D "$SCRATCH/h" -w '%{http_code}' -X "$1" \
        -H "Authorization: Bearer $SB_ADMIN" -H 'Content-Type: application/json' \
        ${2:+--data-binary "$2"} "http://127.0.0.1:$ro_port$3")
    HTTP_BODY=$(cat "$SCRATCH/body")
}
ro GET "" /api/customers
is "$HTTP_STATUS" 200 "it reads"
ro PATCH '{"state":"on"}' /api/customers/cust_001/devices/dev_001
is "$HTTP_STATUS $(jq -r .code <<<"$HTTP_BODY")" "503 unavailable" \
    "a write on a read-only store is 503 unavailable (it was 500 internal)"
like "$(tr -d '\r' <"$SCRATCH/h" | tr 'A-Z' 'a-z')" $'\n''retry-after: [0-9]+' "with Retry-After"
ro POST '{"customerId":"cust_001","message":"turn the speaker off"}' /api/chat
is "$HTTP_STATUS" 503 "so is a chat, which writes"
kill "$ro_pid"
wait "$ro_pid" 2>/dev/null

# --- the database file deleted under the running server ------------------------
api POST /api/chat '{"customerId":"cust_001","message":"turn the speaker on"}'
is "$HTTP_STATUS" 200 "chat works before"
rm -f "$SB_DB"
api GET /api/customers
is "$HTTP_STATUS $(jq -r .code <<<"$HTTP_BODY")" "503 unavailable" \
    "once the file is deleted requests are 503 (they used to stay 200)"
like "$(jq -r .error <<<"$HTTP_BODY")" 'was deleted while the server ran' "saying why"
like "$(headers /api/customers)" $'\n''retry-after: [0-9]+' "with Retry-After"
api POST /api/chat '{"customerId":"cust_001","message":"turn the speaker off"}'
is "$HTTP_STATUS" 503 "chat too: nothing is written to the lost file"
health=$(curl -s "$SB_URL/healthz")
is "$(jq -r .status <<<"$health")" unavailable "/healthz says unavailable (it used to say ok)"
like "$(jq -r .error <<<"$health")" "$SB_DB was deleted" "naming the file"
is "$(curl -s -o /dev/null -w '%{http_code}' "$SB_URL/healthz")" 503 "with status 503"
is "$(grep -c 'the database file is gone from under the running server' "$SCRATCH/server.log")" 1 \
    "the log says so, once"
stop_server

# A restart on the deleted path makes a new, empty store: seeded, loudly.
: >"$SCRATCH/server.log"
start_server || { ok 1 "servicebotd restarts"; done_testing; }
like "$(cat "$SCRATCH/server.log")" 'level=warn msg="the store was empty .*tokens made before are gone' \
    "the re-seed is announced, with the tokens lost"
api_as "$TOKEN" GET /api/customers/cust_001
is "$HTTP_STATUS" 401 "and the old customer token is indeed gone"

# A store that kept its tokens but lost its records is an error, not a warning.
stop_server
sqlite3 "$SB_DB" "DELETE FROM customers; DELETE FROM service_levels; DELETE FROM capabilities"
: >"$SCRATCH/server.log"
start_server || { ok 1 "servicebotd restarts"; done_testing; }
like "$(cat "$SCRATCH/server.log")" 'level=error msg="the store has tokens but no customers or levels: it lost its data' \
    "seeding a store that lost its data is logged as an error"

# --- the database file replaced under the running server -----------------------
cp "$SB_DB" "$SCRATCH/copy.db"
mv "$SCRATCH/copy.db" "$SB_DB"
api GET /api/customers/cust_001
is "$HTTP_STATUS" 503 "a file replaced under the server is 503 too"
like "$(jq -r .error <<<"$HTTP_BODY")" 'was replaced by another file' "saying so"
done_testing
