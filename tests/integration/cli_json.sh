#!/usr/bin/env bash
# --json and --jq: one rule for what a failure prints on stdout, and jq
# filters (through libjq) on every command that prints JSON.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

DOWN="http://127.0.0.1:$(free_port)"
sb --json --server "$DOWN" --customer cust_001 devices list
is "$RC" 6 "--json, server down: exits 6"
is "$OUT" "" "--json, no answer from the server: nothing on stdout"
sb --json --server "$DOWN" --customer cust_001 device set dev_001 --volume 101
is "$OUT" "" "--json, usage error: nothing on stdout"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN

# The rule: when the server answered, its error object is on stdout.
sb --json --customer cust_001 device set dev_001 --song Imagine
is "$RC" 4 "--json denial exits 4"
json_ok '.code == "denied" and .denial.requiredLevel == "premium"' "--json denial: the error object with its denial"
sb --json --customer cust_001 device show dev_404
is "$RC" 3 "--json unknown device exits 3"
json_ok '.code == "not_found" and (.error | test("unknown device .dev_404."))' \
    "--json not found (found by the client): an error object of the same shape"
sb --json --customer cust_001 device set dev_404 --state on
is "$RC" 3 "--json device set of an unknown device exits 3"
json_ok '.code == "not_found"' "--json device set not found: the error object"
sb --json customers show cust_404
is "$RC" 3 "--json unknown customer exits 3"
json_ok '.code == "not_found" and (.error | type == "string")' "--json not found from the server: its error object"
sb --json levels show gold
is "$RC" 3 "--json unknown level exits 3"
json_ok '.code == "not_found"' "--json unknown level: the error object"
like "$ERR" 'known levels: basic, premium, enterprise' "and the human hint still goes to stderr"
sb --json --customer cust_002 device set dev_002 --song 'Not In The Playlist'
is "$RC" 2 "--json bad request exits 2"
json_ok '.code == "bad_request" and (.fields | length) >= 1' "--json bad request: the error object with its fields"
SERVICEBOT_TOKEN=wrong sb --json customers list
is "$RC" 5 "--json bad token exits 5"
json_ok '.code == "unauthorized"' "--json unauthorized: the error object"
sb --customer cust_001 device show dev_404
is "$OUT" "" "without --json, errors leave stdout empty"

# --jq on every command that prints JSON: strings raw, other values compact.
sb --customer cust_002 devices list --jq '.devices[].id'
is "$OUT" $'dev_002\ndev_003' "devices list --jq: one raw string per line"
sb --customer cust_002 --jq '.devices | map(.id)' devices list
is "$OUT" '["dev_002","dev_003"]' "--jq before the command; non-strings as compact JSON"
sb --customer cust_001 device show 'living room speaker' --jq .device.id
is "$OUT" dev_001 "device show --jq"
sb --customer cust_001 device set dev_001 --state on --volume 35 --jq .device.volume
is "$OUT" 35 "device set --jq"
sb levels show --jq '[.service_levels[].level] | join(",")'
is "$OUT" basic,premium,enterprise "levels show --jq"
sb levels show premium --jq .service_level.max_devices
is "$OUT" 3 "levels show LEVEL --jq"
sb capabilities --jq '.capabilities | length'
is "$OUT" "$(jq '.capabilities | length' "$SB_SRCDIR/data/seed.json")" "capabilities --jq (one per catalogue entry)"
sb customers list --jq '.customers[] | select(.service_level == "enterprise") | .name'
is "$OUT" "Alice Johnson" "customers list --jq with select"
sb customers show cust_003 --jq '.customer.devices | length'
is "$OUT" 3 "customers show --jq"
sb --customer cust_001 send 'turn off the speaker' --jq .outcome
is "$OUT" done "send --jq"
sb --customer cust_001 history --limit 2 --jq '.messages[].sender'
is "$OUT" $'user\nbot' "history --jq"
sb version --jq .version
like "$OUT" '^[0-9]+\.[0-9]+' "version --jq"
sb --customer cust_001 device set dev_001 --song Imagine --jq .denial.requiredLevel
is "$RC" 4 "--jq on a denial keeps exit 4"
is "$OUT" premium "--jq filters the error object too"
sb --customer cust_001 device show dev_404 --jq .code
is "$OUT" not_found "--jq on a client-found not found"
OUT=$("$SERVICEBOT" --customer cust_002 devices list --jq '.devices[]' 2>/dev/null | jq -s 'length')
is "$OUT" 2 "--jq output feeds jq (one JSON value per line)"

sb devices list --customer cust_002 --jq '.devices['
is "$RC" 2 "a --jq program that does not compile exits 2"
like "$ERR" '^servicebot: --jq: syntax error' "and says jq's reason"
is "$OUT" "" "and prints nothing"
sb version --jq '('
is "$RC" 2 "also for a command that needs no server"
sb customers list --jq '.customers | error("no thanks")'
is "$RC" 1 "a --jq run-time error exits 1"
like "$ERR" 'servicebot: --jq: no thanks' "with jq's message"
sb customers list --jq
is "$RC" 2 "--jq needs a program"

done_testing
