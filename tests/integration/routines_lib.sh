# Helpers for the routine tests: the test-only clock and many customers
# with routines due at once. Source after tests/lib.sh.
export SERVICEBOTD_TEST_CLOCK=$SCRATCH/clock

set_clock() { printf '%s\n' "$1" >"$SERVICEBOTD_TEST_CLOCK"; }

# history_has CUSTOMER REGEX: the customer's routine conversation has a message matching REGEX.
history_has() {
    api GET "/api/chat/history/$1?conversationId=routines-$1&limit=500"
    printf '%s' "$HTTP_BODY" | grep -Eq -- "$2"
}

# make_due N PREFIX DUE: N enterprise customers PREFIX1..PREFIXN, each with a
# speaker at volume 10 and a routine "louder" ("turn up the speaker") due at DUE.
make_due() {
    local n=$1 prefix=$2 due=$3 i
    for i in $(seq 1 "$n"); do
        api PUT "/api/customers/$prefix$i" "{\"id\":\"$prefix$i\",\"name\":\"Load $i\",
            \"service_level\":\"enterprise\",\"devices\":[{\"id\":\"spk\",\"type\":\"SmartSpeaker\",
            \"location\":\"office\",\"state\":\"on\",\"volume\":10}],\"routines\":[{\"name\":\"louder\",
            \"steps\":[\"turn up the speaker\"],\"schedule\":{\"time\":\"${due:11:5}\"},
            \"next_run\":\"$due\"}]}"
        [ "$HTTP_STATUS" = 200 ] || [ "$HTTP_STATUS" = 201 ] || { diag "PUT $prefix$i: $HTTP_STATUS $HTTP_BODY"; return 1; }
    done
}

# volumes N PREFIX: each customer's speaker volume, one per line.
volumes() {
    local i
    for i in $(seq 1 "$1"); do
        api GET "/api/customers/$2$i/devices"
        printf '%s\n' "$HTTP_BODY" | sed -n 's/.*"volume":\([0-9]*\).*/\1/p'
    done
}

# runs_logged LOG...: how many "routine run" lines the servers logged.
runs_logged() { cat "$@" 2>/dev/null | grep -c 'msg="routine run"'; }
