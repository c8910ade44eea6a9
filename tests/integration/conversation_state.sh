#!/usr/bin/env bash
# What a conversation remembers lives in the SQLite store: a follow-up
# after a restart, two servicebotd on one file (the first turn on A, the
# follow-up and the answer to "which one?" on B), an admin change to a
# level reaching the other instance, and one atomic commit per exchange
# (a fault between the writes, kill -9 between them, a full disk).
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/exchange_lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
export SERVICEBOT_STORE_FAULT_FILE=$SCRATCH/fault

start_server || { ok 1 "servicebotd starts"; done_testing; }
chat "$SB_URL" conv_restart "turn up the bedroom speaker"
is "$(jq -r '.steps[0].deviceId' <<<"$HTTP_BODY")" dev_002 "the first turn acts on the bedroom speaker"
stop_server
start_server || { ok 1 "servicebotd restarts"; done_testing; }
chat "$SB_URL" conv_restart "turn it up"
is "$(jq -r '.outcome + " " + .steps[0].deviceId' <<<"$HTTP_BODY")" "done dev_002" \
    "after a restart 'turn it up' acts on the previous turn's device"
URL_A=$SB_URL
start_server || { ok 1 "a second servicebotd on the same file starts"; done_testing; }
URL_B=$SB_URL
cross_instance "$URL_A" "$URL_B" sqlite

# The read path reuses decoded rows only for identical row bytes: a write
# acknowledged by one instance is in the very next GET of the other (both
# warmed up, every round, a REST write and a chat write).
volume_on() { # volume_on URL: cust_002's bedroom speaker volume read through URL
    SB_URL=$1 api GET /api/customers/cust_002/devices
    jq '.devices[] | select(.id == "dev_002") | .volume' <<<"$HTTP_BODY"
}
volume_on "$URL_A" >/dev/null
volume_on "$URL_B" >/dev/null
seen=0
for v in 11 12 13 14 15 16 17 18 19 20; do
    SB_URL=$URL_A api PATCH /api/customers/cust_002/devices/dev_002 "{\"volume\":$v}"
    [ "$HTTP_STATUS" = 200 ] && [ "$(volume_on "$URL_B")" = "$v" ] && seen=$((seen + 1))
    chat "$URL_B" conv_reads "set the bedroom speaker volume to $((v + 30))"
    [ "$(volume_on "$URL_A")" = "$((v + 30))" ] && seen=$((seen + 1))
done
is "$seen" 20 "every acknowledged write on one instance is in the other's next GET (20 of 20)"

# An admin change on A: A sees it at once, B within the cache bound.
SB_URL=$URL_A api GET /api/service-levels/premium
level=$(jq -c .service_level <<<"$HTTP_BODY")
SB_URL=$URL_B api GET /api/service-levels/premium
SB_URL=$URL_A api PUT /api/service-levels/premium \
    "$(jq -c '.allowed_actions -= ["volume_control"]' <<<"$level")"
is "$HTTP_STATUS" 200 "an admin takes volume control out of premium on A"
chat "$URL_A" conv_level "turn up the bedroom speaker"
is "$(jq -r .outcome <<<"$HTTP_BODY")" denied "A applies the change to its next request"
denied_on_b() {
    chat "$URL_B" conv_level "turn up the bedroom speaker"
    [ "$(jq -r .outcome <<<"$HTTP_BODY")" = denied ]
}
wait_for denied_on_b
ok $? "B applies it too once its cache has expired (at most 1 s, doc/protocol.md)"
SB_URL=$URL_A api PUT /api/service-levels/premium "$level"
allowed_on_b() {
    chat "$URL_B" conv_level "turn up the bedroom speaker"
    [ "$(jq -r .outcome <<<"$HTTP_BODY")" = done ]
}
wait_for allowed_on_b
ok $? "and the level put back is seen by B again"

SB_URL=$URL_A
fault_between "$URL_A" sqlite
before=$(volume "$URL_A" dev_002)
echo "exchange-between kill" >"$SERVICEBOT_STORE_FAULT_FILE"
chat "$URL_A" conv_kill "turn the bedroom speaker down by 5" cid_kill
is "$HTTP_STATUS" 000 "servicebotd killed between the writes answers nothing"
chat "$URL_B" conv_kill "turn the bedroom speaker down by 5" cid_kill
is "$(jq -r .duplicate <<<"$HTTP_BODY")" null "the retry on B runs it afresh (nothing was committed)"
is "$(volume "$URL_B" dev_002)" $((before - 5)) "and applies it once"
is "$(messages_in "$URL_B" conv_kill)" 2 "with its two messages"
SB_URL=$URL_B stop_server

# A full disk: the database on a small tmpfs (needs root to mount).
MNT=$SCRATCH/small
mkdir -p "$MNT"
if mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
    trap 'umount "$MNT" 2>/dev/null; sb_cleanup' EXIT
    # --min-free-disk 0: the store itself meets the full disk here, not the
    # watermark that would refuse new chats first (server_limits.sh)
    SB_DB=$MNT/servicebot.db start_server --min-free-disk 0 ||
        { ok 1 "servicebotd on the tmpfs starts"; done_testing; }
    URL=$SB_URL
    chat "$URL" conv_full "turn on the bedroom speaker"
    before=$(volume "$URL" dev_002)
    dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
    chat "$URL" conv_full "turn the bedroom speaker up by 10" cid_full
    is "$HTTP_STATUS" 503 "with the disk full the exchange answers 503"
    chat "$URL" conv_full "turn the bedroom speaker up by 10" cid_full
    is "$HTTP_STATUS" 503 "and so does its retry"
    rm -f "$MNT/filler"
    is "$(volume "$URL" dev_002)" "$before" "nothing of the failed exchanges was applied"
    chat "$URL" conv_full "turn the bedroom speaker up by 10" cid_full
    is "$HTTP_STATUS" 200 "once there is room the retry succeeds"
    is "$(volume "$URL" dev_002)" $((before + 10)) "the volume went up once ($before -> $((before + 10))), not once per attempt"
    chat "$URL" conv_full "turn the bedroom speaker up by 10" cid_full
    is "$(jq -r .duplicate <<<"$HTTP_BODY") $(volume "$URL" dev_002)" "true $((before + 10))" \
        "a further retry is a duplicate"
    stop_server
else
    ok 0 "# SKIP the full-disk case needs a tmpfs mount (root); the fault hook above covers the rollback"
fi
done_testing
