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

done_testing
