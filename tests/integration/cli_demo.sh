#!/usr/bin/env bash
# ./demo: its own servicebotd or none (a busy port is refused with a hint),
# the admin token never on a command line, the token file for its owner
# only; servicebotd on a busy port exits before making a one-time token.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

export SERVICEBOT_BUILD=$SB_BUILDDIR XDG_STATE_HOME=$SCRATCH/state
STATE=$XDG_STATE_HOME/servicebot

# A busy port: something else listens there.
start_server || { ok 1 "servicebotd starts"; done_testing; }
BUSY=$SB_PORT
SERVICEBOT_PORT=$BUSY "$SB_SRCDIR/demo" </dev/null >"$SCRATCH/demo.out" 2>"$SCRATCH/demo.err"
is "$?" 1 "demo on a busy port fails"
like "$(cat "$SCRATCH/demo.err")" "port $BUSY is in use; set SERVICEBOT_PORT" "and says what to do"
is "$(grep -c listening "$SCRATCH/demo.err" "$SCRATCH/demo.out" | awk -F: '{s+=$2} END {print s}')" 0 \
    "and does not announce success"

# servicebotd itself on the busy port: no admin token printed, no database made.
unset SERVICEBOT_ADMIN_TOKEN
"$SERVICEBOTD" --listen "127.0.0.1:$BUSY" --db "$SCRATCH/other.db" 2>"$SCRATCH/busy.err"
is "$?" 1 "servicebotd on a busy port exits 1"
like "$(cat "$SCRATCH/busy.err")" "cannot listen on 127.0.0.1:$BUSY: the port is in use" "servicebotd says the port is in use"
if grep -q 'admin token' "$SCRATCH/busy.err"; then ok 1 "no one-time admin token is printed"; else ok 0 "no one-time admin token is printed"; fi
[ ! -e "$SCRATCH/other.db" ]
ok $? "the store is not touched"

# A free port: the demo runs its own server, the chat talks to it.
PORT=$(free_port)
mkfifo "$SCRATCH/in"
(umask 022 && SERVICEBOT_PORT=$PORT exec "$SB_SRCDIR/demo" cust_002 <"$SCRATCH/in" \
    >"$SCRATCH/demo.out" 2>"$SCRATCH/demo.err") &
DEMO=$!
SB_PIDS="$SB_PIDS $DEMO"
exec 3>"$SCRATCH/in"
wait_for grep -q 'servicebotd is listening' "$SCRATCH/demo.err"
ok $? "demo announces its server"
TOKEN=$(cat "$STATE/demo-admin-token")
[ -n "$TOKEN" ]
ok $? "the admin token is kept in the state directory"
is "$(stat -c %a "$STATE/demo-admin-token")" 600 "the token file is mode 0600 despite umask 022"
wait_for pgrep -f "servicebot --server http://127.0.0.1:$PORT --customer cust_002 chat"
ok $? "the chat is running"
if ps -eo args | grep -v grep | grep -qF -- "$TOKEN"; then
    ok 1 "the admin token is on no command line"
else
    ok 0 "the admin token is on no command line"
fi
printf 'turn on the kitchen display\n' >&3
exec 3>&-
wait "$DEMO"
is "$?" 0 "demo exits 0 when the chat ends"
like "$(cat "$SCRATCH/demo.out")" 'Kitchen Display' "the chat answered through the demo's own server"
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null
is "$?" 7 "the demo's server is stopped afterwards"

done_testing
