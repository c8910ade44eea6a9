#!/usr/bin/env bash
# The writing threads' pauses copy the WAL into the database file
# (store_idle, src/store/sqlite_wal.h): chats (the exchange thread) or REST
# changes (the writers' pool) one after the other leave the thread idle
# after each, so once the WAL holds a hundred pages or so a checkpoint runs,
# long before the busy mark of 4,000. In WAL mode the database file
# changes only in a checkpoint, so its contents show one ran (its size
# need not grow: a checkpoint of changed rows rewrites pages in place).
. "$SB_SRCDIR/tests/lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
size() { stat -c %s "$SB_DB"; }
sum() { cksum <"$SB_DB"; }
before=$(sum)
texts=("turn the volume up by 1" "turn the volume down by 1")
failed=0
for i in $(seq 1 150); do
    api POST /api/chat "{\"customerId\":\"cust_001\",\"message\":\"${texts[i % 2]}\"}"
    [ "$HTTP_STATUS" = 200 ] || failed=$((failed + 1))
done
is "$failed" 0 "150 chats, one after the other, are answered"
changed() { [ "$(sum)" != "$before" ]; }
wait_for changed
ok $? "a pause of the exchange thread copied the WAL into the database ($(size) bytes)"
# REST writes run on the writers' pool, whose pauses do the same
before=$(sum)
failed=0
for i in $(seq 1 300); do
    api PATCH /api/customers/cust_001/devices/dev_001 "{\"state\":\"$([ $((i % 2)) = 0 ] && echo on || echo off)\"}"
    [ "$HTTP_STATUS" = 200 ] || failed=$((failed + 1))
done
is "$failed" 0 "300 device changes, one after the other, are answered"
wait_for changed
ok $? "a pause of the writers copied the WAL into the database ($(size) bytes)"
api GET "/api/chat/history/cust_001?limit=1"
is "$HTTP_STATUS $(jq -r '.messages | length' <<<"$HTTP_BODY")" "200 1" "history reads after it"
done_testing
