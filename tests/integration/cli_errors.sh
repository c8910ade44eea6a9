#!/usr/bin/env bash
# The errors a person meets, each with its exit code and a message that says
# what to do: server down or silent, bad values (caught before any request),
# tokens, unknown devices, levels and customers, usage mistakes.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

DOWN="http://127.0.0.1:$(free_port)"
sb --server "$DOWN" --customer cust_001 devices list
is "$RC" 6 "server down exits 6"
is "$ERR" "servicebot: cannot reach servicebotd at $DOWN: connection refused" "server down message"
is "$OUT" "" "nothing on stdout"

sb --server "$DOWN" --customer cust_001 device set dev_001 --volume 150
is "$RC" 2 "a bad volume is a usage error, found before any request"
like "$ERR" "volume must be 0-100, got '150'" "bad volume message"
sb --server "$DOWN" --customer cust_001 device set dev_001 --volume loud
like "$ERR" "volume must be 0-100" "a non-number volume"
sb --server "$DOWN" --customer cust_001 device set dev_001 --state maybe
is "$RC" 2 "a bad state exits 2"
like "$ERR" "state must be on or off" "bad state message"
sb --server "$DOWN" device set dev_001
is "$RC" 2 "device set with nothing to change exits 2"
like "$ERR" "nothing to change" "says what is missing"
sb --server "$DOWN" --customer cust_001 history --limit 0
is "$RC" 2 "history --limit 0 exits 2"
sb --server "$DOWN" --customer cust_001 history --before yesterday
like "$ERR" "before must be an ISO 8601" "history --before validates the time"
sb --server "$DOWN" --customer cust_001 send
is "$RC" 2 "send without text exits 2"

"$SERVICEBOT" --json version >/dev/full 2>"$SCRATCH/full.err"
is "$?" 1 "a write error exits 1"
is "$(cat "$SCRATCH/full.err")" "servicebot: cannot write output" "a write error is reported once"

sb frobnicate
is "$RC" 2 "unknown command exits 2"
like "$ERR" "unknown command 'frobnicate'" "unknown command message"
sb device
like "$ERR" "'device' needs a subcommand: show, set" "a group without subcommand lists them"
sb devices list --colour
is "$RC" 2 "unknown option exits 2"
like "$ERR" "unknown option '--colour'" "unknown option message"
like "$ERR" "usage: servicebot devices list" "usage line on errors"
sb device show
like "$ERR" "missing DEVICE" "missing argument"
sb --timeout soon version
is "$RC" 0 "version needs no settings"
sb --timeout soon --server "$DOWN" capabilities
is "$RC" 2 "a bad timeout exits 2"
like "$ERR" "--timeout: expected a number of seconds" "bad timeout message"
sb --server ftp://x capabilities
like "$ERR" "server must be an http:// or https:// URL" "bad server URL"
sb --server
like "$ERR" "option '--server' needs a value" "missing option value"

# A server that accepts connections and never answers.
SILENT_PORT=$(free_port)
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); print("up", flush=True); time.sleep(60)' \
    "$SILENT_PORT" >"$SCRATCH/silent.out" &
SB_PIDS="$SB_PIDS $!"
wait_for grep -q up "$SCRATCH/silent.out"
sb --server "http://127.0.0.1:$SILENT_PORT" --timeout 0.3 capabilities
is "$RC" 6 "a server that does not answer exits 6"
like "$ERR" "cannot reach servicebotd at http://127.0.0.1:$SILENT_PORT: no answer within 0.3 s" \
    "timeout message"

# Something that speaks HTTP but is not servicebotd.
WEB_PORT=$(free_port)
mkdir -p "$SCRATCH/www/api"
echo '<html>hello</html>' >"$SCRATCH/www/api/capabilities"
(cd "$SCRATCH/www" && exec python3 -m http.server --bind 127.0.0.1 "$WEB_PORT" >/dev/null 2>&1) &
SB_PIDS="$SB_PIDS $!"
wait_for curl -sf "http://127.0.0.1:$WEB_PORT/api/capabilities"
sb --server "http://127.0.0.1:$WEB_PORT" --customer cust_001 devices list
is "$RC" 3 "a 404 from another web server exits 3"
like "$ERR" "answered HTTP 404 without JSON: is it servicebotd\?" "says it is not servicebotd"
sb --server "http://127.0.0.1:$WEB_PORT" capabilities
is "$RC" 1 "a 200 that is not JSON exits 1"
like "$ERR" "without JSON: is it servicebotd\?" "says the answer is not JSON"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL

sb --customer cust_001 devices list
is "$RC" 5 "no token exits 5"
like "$ERR" "no token given" "says the token is missing"
like "$ERR" "SERVICEBOT_TOKEN" "hints how to set one"
sb --token wrong-token --customer cust_001 devices list
is "$RC" 5 "a wrong token exits 5"
like "$ERR" "did not accept the token" "says the token was refused"
TOKEN=$(customer_token cust_001)
sb --token "$TOKEN" --customer cust_002 devices list
is "$RC" 5 "another customer's devices are forbidden (5)"
like "$ERR" "not allowed" "forbidden message"
sb --token "$TOKEN" customers show cust_003
is "$RC" 5 "a customer token cannot read other customers"

export SERVICEBOT_TOKEN=$SB_ADMIN
sb --customer cust_001 device show dev_999
is "$RC" 3 "unknown device exits 3"
is "$ERR" "servicebot: unknown device 'dev_999' for cust_001 (its devices: dev_001)" \
    "unknown device lists the customer's devices"
sb --customer cust_002 device set dev_999 --state on
is "$RC" 3 "device set on an unknown device exits 3"
like "$ERR" "its devices: dev_002, dev_003" "device set lists the devices too"
sb --customer cust_404 devices list
is "$RC" 3 "unknown customer exits 3"
sb customers show cust_404
is "$RC" 3 "customers show of an unknown customer exits 3"
sb levels show platinum
is "$RC" 3 "unknown level exits 3"
like "$ERR" "known levels: basic, premium, enterprise" "unknown level lists the levels"
sb --json levels show platinum
json_ok '.code == "not_found"' "--json prints the error object on stdout (servicebot(1): the --json rule)"
sb devices list
is "$RC" 2 "the admin token needs a customer"
like "$ERR" "which customer\\? use --customer ID .*cust_001, cust_002, cust_003" \
    "names the customers to choose from"

done_testing
