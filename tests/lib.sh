# Shared helpers for shell tests: TAP output, a scratch directory that is
# removed on exit, and a real servicebotd on a free loopback port.
# Source it with: . "$SB_SRCDIR/tests/lib.sh"
set -u

: "${SB_BUILDDIR:=$(pwd)}"
: "${SB_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
SERVICEBOTD="$SB_BUILDDIR/servicebotd"
SERVICEBOT="$SB_BUILDDIR/servicebot"

tap_n=0
tap_failed=0
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sbtest.XXXXXX")
SB_PIDS=""

sb_cleanup() {
    for pid in $SB_PIDS; do
        kill "$pid" 2>/dev/null
    done
    for pid in $SB_PIDS; do
        wait "$pid" 2>/dev/null
    done
    rm -rf "$SCRATCH"
}
trap sb_cleanup EXIT

ok() { # ok COND-EXIT-STATUS NAME...
    local status=$1
    shift
    tap_n=$((tap_n + 1))
    if [ "$status" -eq 0 ]; then
        echo "ok $tap_n - $*"
    else
        echo "not ok $tap_n - $*"
        tap_failed=$((tap_failed + 1))
    fi
}

is() { # is GOT WANT NAME...
    local got=$1 want=$2
    shift 2
    if [ "$got" = "$want" ]; then
        ok 0 "$@"
    else
        ok 1 "$@"
        diag "  got:  $got"
        diag "  want: $want"
    fi
}

like() { # like GOT REGEX NAME...
    local got=$1 re=$2
    shift 2
    if printf '%s' "$got" | grep -Eq -- "$re"; then
        ok 0 "$@"
    else
        ok 1 "$@"
        diag "  got:  $(printf '%s' "$got" | head -c 600)"
        diag "  want match: $re"
    fi
}

diag() { printf '# %s\n' "$*" | sed '2,$s/^/# /'; }

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
    exit $?
}

# relay_suite LABEL OUT [SKIP...]: renumbers another test's TAP output OUT
# into this one's, each name prefixed "[LABEL] "; prefixed names listed in
# SKIP are reported as skipped (why: $RELAY_SKIP_WHY). Then checks that the
# suite reached the end of its plan.
relay_suite() {
    local label=$1 out=$2 line name seen=0 plan
    shift 2
    while IFS= read -r line; do
        case $line in
        "ok "* | "not ok "*)
            seen=$((seen + 1))
            name="[$label] ${line#* - }"
            if [ $# -gt 0 ] && printf '%s\n' "$@" | grep -Fxq -- "$name"; then
                tap_n=$((tap_n + 1))
                echo "ok $tap_n - $name # SKIP ${RELAY_SKIP_WHY:-}"
                continue
            fi
            ok "$([ "${line%% [0-9]*}" = ok ] && echo 0 || echo 1)" "$name"
            ;;
        "#"*) echo "$line" ;;
        esac
    done <<<"$out"
    plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' <<<"$out")
    is "$seen" "${plan:-none}" "$label ran to the end of its plan"
}

# A TCP port nobody listens on right now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for CMD...: retries CMD until it succeeds (at most ~20 s), so tests
# wait for conditions rather than sleeping fixed times.
wait_for() {
    local i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -ge 400 ] && return 1
        sleep 0.05
    done
}

# curl, trusting SB_CACERT when the server under test speaks TLS.
sb_curl() { curl ${SB_CACERT:+--cacert "$SB_CACERT"} "$@"; }

# wait_true 'TEST': wait_for a shell test whose $(...) parts are evaluated
# anew on every try (wait_for test "$(cmd)" ... would evaluate them once).
wait_true() { wait_for eval "$1"; }

# start_server [extra servicebotd args...]: starts servicebotd on a free port
# with a fresh database in SCRATCH; sets SB_PORT, SB_URL, SB_PID, SB_DB, SB_ADMIN.
# With SB_CACERT set SB_URL is https:// (the server is given its certificate
# by SB_TLS_CERT and SB_TLS_KEY, or by its args; tests/integration/tls_suites.sh).
start_server() {
    local scheme=http
    [ -n "${SB_CACERT:-}" ] && scheme=https
    SB_PORT=$(free_port)
    SB_URL="$scheme://127.0.0.1:$SB_PORT"
    : "${SB_DB:=$SCRATCH/servicebot.db}"
    SB_ADMIN=${SB_ADMIN:-test-admin-token-0123456789}
    restart_server "$@"
}

# restart_server [extra servicebotd args...]: starts servicebotd (again) on
# SB_PORT with SB_DB, as start_server does (TLS included), and waits until
# it answers; sets SB_PID.
restart_server() {
    local tls=()
    [ -n "${SB_TLS_CERT:-}" ] && tls=(--tls-cert "$SB_TLS_CERT" --tls-key "$SB_TLS_KEY")
    SERVICEBOT_ADMIN_TOKEN=$SB_ADMIN $SB_VALGRIND "$SERVICEBOTD" --listen "127.0.0.1:$SB_PORT" \
        --db "$SB_DB" --log-level "${SB_LOG_LEVEL:-warn}" "${tls[@]}" "$@" 2>>"$SCRATCH/server.log" &
    SB_PID=$!
    SB_PIDS="$SB_PIDS $SB_PID"
    if ! wait_for sb_curl -sf "$SB_URL/healthz"; then
        diag "servicebotd did not come up; log:"
        diag "$(cat "$SCRATCH/server.log")"
        return 1
    fi
}

stop_server() {
    kill -TERM "$SB_PID" 2>/dev/null
    wait "$SB_PID" 2>/dev/null
}

# api METHOD PATH [BODY]: curl as admin; prints body, then sets HTTP_STATUS.
api() {
    local method=$1 path=$2 body=${3-}
    api_as "$SB_ADMIN" "$method" "$path" "$body"
}

api_as() {
    local token=$1 method=$2 path=$3 body=${4-}
    local args=(-s -o "$SCRATCH/body" -w '%{http_code}' -X "$method")
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    HTTP_STATUS=$(sb_curl "${args[@]}" "$SB_URL$path")
    HTTP_BODY=$(cat "$SCRATCH/body")
}
