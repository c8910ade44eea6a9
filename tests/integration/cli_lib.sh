# Helpers for the servicebot CLI tests, on top of tests/lib.sh.
# Source after lib.sh: . "$SB_SRCDIR/tests/integration/cli_lib.sh"

# Keep the user's own settings out of the tests.
unset SERVICEBOT_SERVER SERVICEBOT_CUSTOMER SERVICEBOT_TOKEN SERVICEBOT_CONFIG \
    SERVICEBOT_TIMEOUT SERVICEBOT_CONNECT_TIMEOUT SERVICEBOT_CACERT NO_COLOR
# Over TLS (tests/integration/tls_suites.sh) the client trusts the test CA.
[ -n "${SB_CACERT:-}" ] && export SERVICEBOT_CACERT=$SB_CACERT
export XDG_CONFIG_HOME="$SCRATCH/xdg" XDG_STATE_HOME="$SCRATCH/state"
mkdir -p "$XDG_CONFIG_HOME/servicebot"

# sb ARGS...: runs servicebot; sets OUT (stdout), ERR (stderr) and RC.
sb() {
    OUT=$($SB_VALGRIND "$SERVICEBOT" "$@" 2>"$SCRATCH/cli.err")
    RC=$?
    ERR=$(cat "$SCRATCH/cli.err")
}

# json_ok FILTER NAME...: OUT is valid JSON and jq -e FILTER holds on it
# (jq 1.6 -e succeeds on empty input, so empty output fails here first).
json_ok() {
    local filter=$1
    shift
    if [ -n "$OUT" ] && printf '%s' "$OUT" | jq -e "$filter" >/dev/null 2>&1; then
        ok 0 "$@"
    else
        ok 1 "$@"
        diag "  jq -e '$filter' failed on: $(printf '%s' "$OUT" | head -c 400)"
    fi
}

# customer_token ID: prints a new token for customer ID.
customer_token() {
    "$SERVICEBOTD" token create --customer "$1" --db "$SB_DB" 2>>"$SCRATCH/server.log"
}
