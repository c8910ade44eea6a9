# dynalite (a local DynamoDB-compatible server) for the DynamoDB tests.
# Source after tests/lib.sh. dynalite_start sets DDB_PORT, DDB_URL, DDB_PID.
# When dynalite is not installed the test is skipped with a loud reason,
# except under CI=true, where that is a failure.
DYNALITE_CLI=${SB_DYNALITE_CLI:-$SB_SRCDIR/tests/dynalite/node_modules/dynalite/cli.js}

dynalite_require() { # [ws]: also the ws module (for ws_watch.js)
    local why=""
    if ! command -v node >/dev/null 2>&1; then
        why="node is not installed"
    elif [ ! -f "$DYNALITE_CLI" ]; then
        why="dynalite is not installed: run (cd tests/dynalite && npm ci)"
    elif [ "${1:-}" = ws ] && [ ! -d "$SB_SRCDIR/tests/dynalite/node_modules/ws" ]; then
        why="the ws module is not installed: run (cd tests/dynalite && npm ci)"
    fi
    [ -z "$why" ] && return 0
    if [ "${CI:-}" = true ]; then
        echo "not ok 1 - DynamoDB backend tests need dynalite: $why"
        echo "1..1"
        exit 1
    fi
    echo "# ******** DynamoDB backend NOT TESTED: $why ********" >&2
    skip_all "DynamoDB backend not tested: $why"
}

# A DynamoDB call with curl; fails when the endpoint does not answer.
ddb_raw() { # ddb_raw OPERATION JSON
    curl -sf --max-time 10 -X POST "$DDB_URL/" --aws-sigv4 aws:amz:us-east-1:dynamodb --user local:local \
        -H "X-Amz-Target: DynamoDB_20120810.$1" \
        -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2"
}

# dynalite_start [PORT]: in memory, or in DYNALITE_PATH when set (so that a
# restart on the same PORT finds the data again).
dynalite_start() {
    DDB_PORT=${1:-$(free_port)}
    DDB_URL="http://127.0.0.1:$DDB_PORT"
    node "$DYNALITE_CLI" --host 127.0.0.1 --port "$DDB_PORT" --createTableMs 0 \
        ${DYNALITE_PATH:+--path "$DYNALITE_PATH"} >>"$SCRATCH/dynalite.log" 2>&1 &
    DDB_PID=$!
    SB_PIDS="$SB_PIDS $DDB_PID"
    if ! wait_for ddb_raw ListTables '{}'; then
        diag "dynalite did not come up; log:"
        diag "$(cat "$SCRATCH/dynalite.log")"
        return 1
    fi
}

dynalite_stop() {
    kill "$DDB_PID" 2>/dev/null
    wait "$DDB_PID" 2>/dev/null
}
