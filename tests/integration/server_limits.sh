#!/usr/bin/env bash
# Per-token rate limits: a token flooding chats with 16 KB messages gets
# 429s (with Retry-After) while another customer's requests all succeed;
# over WebSocket the refusals are error frames with retryAfter; writes have
# their own bucket; admin tokens are unlimited unless --limit-admin. Then
# the storage watermark (507 for new chats).
# The refill rate is one request per 1000 s, so what a bucket allows is its
# burst, whatever the machine's speed: the assertions count outcomes only.
. "$SB_SRCDIR/tests/lib.sh"

start_server --chat-rate 0.001 --chat-burst 5 --write-rate 0.001 --write-burst 2 ||
    { ok 1 "servicebotd starts"; done_testing; }
FLOOD=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>>"$SCRATCH/server.log")
OTHER=$("$SERVICEBOTD" token create --customer cust_002 --db "$SB_DB" 2>>"$SCRATCH/server.log")

# 60 chats of 16 KB from one token, four at a time, while the other
# customer chats (its whole burst) and reads.
pad=$(head -c 16000 /dev/zero | tr '\0' 'a')
printf '{"message":"is my speaker on? %s"}' "$pad" >"$SCRATCH/big.json"
flood_one() {
    sb_curl -s -o /dev/null -D "$SCRATCH/flood.$1.h" -w '%{http_code}\n' -X POST \
        -H "Authorization: Bearer $FLOOD" -H 'Content-Type: application/json' \
        --data-binary @"$SCRATCH/big.json" "$SB_URL/api/chat"
}
export -f flood_one sb_curl
export FLOOD SB_URL SCRATCH SB_CACERT
seq 1 60 | xargs -P 4 -I{} bash -c 'flood_one {}' >"$SCRATCH/flood.codes" &
flood=$!
others=""
for i in 1 2 3 4 5; do
    api_as "$OTHER" POST /api/chat '{"message":"is the bedroom speaker on?"}'
    others="$others $HTTP_STATUS"
    api_as "$OTHER" GET /api/customers/cust_002/devices
    others="$others $HTTP_STATUS"
done
wait "$flood"
is "$others" " 200 200 200 200 200 200 200 200 200 200" \
    "the other customer's chats and reads all succeed during the flood"
is "$(grep -c '^200$' "$SCRATCH/flood.codes")" 5 "the flooding token gets its burst of 5 chats"
is "$(grep -c '^429$' "$SCRATCH/flood.codes")" 55 "and 429 for the other 55"
with_retry=$(grep -li '^retry-after: [1-9]' "$SCRATCH"/flood.*.h | wc -l)
is "$with_retry" 55 "every 429 carries Retry-After"
api_as "$FLOOD" POST /api/chat '{"message":"status"}'
is "$HTTP_STATUS:$(jq -r .code <<<"$HTTP_BODY")" "429:rate_limited" "the flooder is still refused"
like "$(jq -r .error <<<"$HTTP_BODY")" '^too many chat requests from this token: at most 0.001 per second, 5 at once; try again in [0-9]+ s$' \
    "saying why and when to try again"
is "$(jq -r '.retryAfter > 0' <<<"$HTTP_BODY")" true "with retryAfter in the body"
api_as "$FLOOD" GET /api/customers/cust_001/devices
is "$HTTP_STATUS" 200 "reads are not limited"
api_as "$FLOOD" PATCH /api/customers/cust_001/devices/dev_001 '{"state":"on"}'
is "$HTTP_STATUS" 200 "writes have their own bucket, untouched by the chats"
api_as "$FLOOD" PATCH /api/customers/cust_001/devices/dev_001 '{"volume":20}'
api_as "$FLOOD" PATCH /api/customers/cust_001/devices/dev_001 '{"volume":30}'
is "$HTTP_STATUS:$(jq -r .code <<<"$HTTP_BODY")" "429:rate_limited" "the third write past a burst of 2 is refused"
like "$(jq -r .error <<<"$HTTP_BODY")" '^too many write requests' "as a write"
api GET /api/customers/cust_001/devices
is "$(jq -r '.devices[0].volume' <<<"$HTTP_BODY")" 20 "and changed nothing"
out=$("$SB_BUILDDIR/tests/wsclient" -t "$FLOOD" -n 2 -w 20 "ws://127.0.0.1:$SB_PORT/ws")
is "$(sed -n 1p <<<"$out" | jq -r '.type + " " + .code')" "error rate_limited" \
    "opening a WebSocket (it stores a connection row) takes from the write bucket too"
like "$out" 'close 1008 rate_limited' "and the refused connection is closed"
like "$(sb_curl -s "$SB_URL/metrics")" 'servicebot_rate_limited_total\{kind="chat"\} 56' \
    "the refusals are counted in /metrics"

# Over WebSocket: the other customer's burst is spent, so its messages are
# refused with error frames and the connection stays open.
out=$("$SB_BUILDDIR/tests/wsclient" -t "$OTHER" -n 3 -w 20 \
    -s '{"type":"message","id":"w1","text":"status"}' -s '{"type":"message","id":"w2","text":"status"}' \
    "ws://127.0.0.1:$SB_PORT/ws")
frame2=$(sed -n 2p <<<"$out")
is "$(jq -r '.type + " " + .code + " " + .inReplyTo' <<<"$frame2")" "error rate_limited w1" \
    "a chat message past the limit gets an error frame naming it"
is "$(jq -r '.retryAfter > 0' <<<"$frame2")" true "with retryAfter"
is "$(sed -n 3p <<<"$out" | jq -r '.code + " " + .inReplyTo')" "rate_limited w2" \
    "and the connection stays open for the next"

# Admin tokens: unlimited by default.
codes=""
for i in $(seq 1 12); do
    api POST /api/chat '{"customerId":"cust_003","message":"status"}'
    codes="$codes$HTTP_STATUS "
done
is "$codes" "$(printf '200 %.0s' $(seq 1 12))" "the admin token is not limited by default"
stop_server

printf 'chat-rate = 0.001\nchat-burst = 2\nlimit-admin = yes\n' >"$SCRATCH/limits.conf"
start_server --config "$SCRATCH/limits.conf" || { ok 1 "servicebotd restarts"; done_testing; }
codes=""
for i in 1 2 3; do
    api POST /api/chat '{"customerId":"cust_003","message":"status"}'
    codes="$codes$HTTP_STATUS "
done
is "$codes" "200 200 429 " "limit-admin = yes in the config file limits the admin token too"
stop_server

# The storage watermark: past --store-max-size (here any store at all) new
# chats are refused with 507 on REST and WebSocket; reads and device
# changes go on.
SB_DB=$SCRATCH/full.db
start_server --store-max-size 1 || { ok 1 "servicebotd starts with a watermark"; done_testing; }
api POST /api/chat '{"customerId":"cust_001","message":"status"}'
is "$HTTP_STATUS:$(jq -r .code <<<"$HTTP_BODY")" "507:storage_full" "a store past --store-max-size refuses new chats"
like "$(jq -r .error <<<"$HTTP_BODY")" '^the store is full \([0-9.]+ MiB of its 0\.0 MiB limit, --store-max-size\)' \
    "saying why"
api GET /api/chat/history/cust_001
is "$HTTP_STATUS:$(jq '.messages | length' <<<"$HTTP_BODY")" "200:0" "nothing was stored and history still reads"
api PATCH /api/customers/cust_001/devices/dev_001 '{"state":"on"}'
is "$HTTP_STATUS" 200 "device changes still work"
out=$("$SB_BUILDDIR/tests/wsclient" -t "$SB_ADMIN" -n 2 -w 20 \
    -s '{"type":"message","id":"f1","text":"status"}' "ws://127.0.0.1:$SB_PORT/ws?customer=cust_001")
is "$(sed -n 2p <<<"$out" | jq -r '.type + " " + .code + " " + .inReplyTo')" "error storage_full f1" \
    "a WebSocket message gets a storage_full error frame"
like "$(cat "$SCRATCH/server.log")" 'storage watermark reached: refusing new chats' "the log says so once"
out=$(sb_curl -s "$SB_URL/healthz")
is "$(jq -r '.status + " " + .storage' <<<"$out")" "ok full" "/healthz stays ok and says the storage is full"
like "$(jq -r .storageDetail <<<"$out")" '^the store is full' "and why"
stop_server
SB_DB=$SCRATCH/disk.db
start_server --min-free-disk 1000000T || { ok 1 "servicebotd starts with a free-disk floor"; done_testing; }
api POST /api/chat '{"customerId":"cust_001","message":"status"}'
is "$HTTP_STATUS" 507 "less free disk than --min-free-disk refuses new chats"
like "$(jq -r .error <<<"$HTTP_BODY")" "^the store's disk is nearly full \([0-9.]+ MiB left, below --min-free-disk" \
    "saying how much is left"
stop_server
SB_DB=$SCRATCH/off.db
start_server --min-free-disk 0 || { ok 1 "servicebotd starts without a floor"; done_testing; }
api POST /api/chat '{"customerId":"cust_001","message":"status"}'
is "$HTTP_STATUS" 200 "--min-free-disk 0 turns the floor off"
stop_server

# The default floor on a small disk (a 64 MiB tmpfs, which needs root):
# 5% of it, 3.2 MiB. Filled to 2 MiB short of full, new chats are refused
# while there is still room, and accepted again once room is made.
MNT=$SCRATCH/small
mkdir -p "$MNT"
if mount -t tmpfs -o size=64m tmpfs "$MNT" 2>/dev/null; then
    trap 'umount "$MNT" 2>/dev/null; sb_cleanup' EXIT
    SB_DB=$MNT/servicebot.db
    start_server || { ok 1 "servicebotd on the tmpfs starts"; done_testing; }
    api POST /api/chat '{"customerId":"cust_001","message":"status"}'
    is "$HTTP_STATUS" 200 "with the small disk mostly free chats are stored"
    avail=$(df --output=avail -B1 "$MNT" | tail -1)
    dd if=/dev/zero of="$MNT/filler" bs=1024 count=$(((avail - 2048 * 1024) / 1024)) 2>/dev/null
    refused() {
        api POST /api/chat '{"customerId":"cust_001","message":"status"}' >/dev/null
        [ "$HTTP_STATUS" = 507 ]
    }
    wait_for refused
    ok $? "below 5% free (the default floor of a small disk) new chats get 507"
    [ "$(df --output=avail -B1 "$MNT" | tail -1)" -gt 0 ]
    ok $? "while the disk still has room"
    rm -f "$MNT/filler"
    accepted() {
        api POST /api/chat '{"customerId":"cust_001","message":"status"}' >/dev/null
        [ "$HTTP_STATUS" = 200 ]
    }
    wait_for accepted
    ok $? "once room is made chats are accepted again"
    stop_server
    umount "$MNT"
else
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - # SKIP mounting a tmpfs needs root"
fi

# Bad values are usage errors naming the setting.
"$SERVICEBOTD" --db "$SCRATCH/x.db" --chat-rate fast 2>"$SCRATCH/err"
is "$?" 2 "a rate that is not a number is a usage error"
like "$(cat "$SCRATCH/err")" "chat-rate must be a number from 0 \(no limit\) to 1000000, got 'fast'" \
    "naming the setting"
"$SERVICEBOTD" --db "$SCRATCH/x.db" --write-burst 0 2>"$SCRATCH/err"
like "$(cat "$SCRATCH/err")" "write-burst must be a number from 1 to 1000000, got '0'" \
    "a burst below 1 is refused"
"$SERVICEBOTD" --db "$SCRATCH/x.db" --store-max-size 5Q 2>"$SCRATCH/err"
like "$?:$(cat "$SCRATCH/err")" "^2:servicebotd: store-max-size takes a size such as 500M or 2G \(0: off\), got '5Q'" \
    "a size with an unknown unit is a usage error"
printf 'limit-admin = maybe\n' >"$SCRATCH/bad.conf"
"$SERVICEBOTD" --db "$SCRATCH/x.db" --config "$SCRATCH/bad.conf" 2>"$SCRATCH/err"
like "$?:$(cat "$SCRATCH/err")" "^2:servicebotd: limit-admin must be yes or no, got 'maybe'" \
    "limit-admin takes yes or no"
done_testing
