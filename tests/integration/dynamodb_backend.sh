#!/usr/bin/env bash
# The DynamoDB backend's own tests (migrate, errors, SigV4 signing, change
# notices, lost answers, retries, reserved items) on a local dynalite, a
# signature checker and proxies that drop answers or fail requests.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
dynalite_require
dynalite_start || { ok 1 "dynalite starts"; done_testing; }

export AWS_ACCESS_KEY_ID=AKIDSERVICEBOTTEST AWS_SECRET_ACCESS_KEY=test-secret:key/123+x
export AWS_SESSION_TOKEN=test-session-token
python3 "$SB_SRCDIR/tests/dynalite/sigv4_check.py" "$SCRATCH/sigv4.port" \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" eu-west-2 "$AWS_SESSION_TOKEN" \
    2>>"$SCRATCH/sigv4.log" &
SB_PIDS="$SB_PIDS $!"
wait_for test -s "$SCRATCH/sigv4.port"
for mode in lose-answers flaky throttle; do
    python3 "$SB_SRCDIR/tests/dynalite/lossy_proxy.py" "$SCRATCH/$mode.port" "$DDB_URL" $mode \
        2>>"$SCRATCH/proxy.log" &
    SB_PIDS="$SB_PIDS $!"
    wait_for test -s "$SCRATCH/$mode.port"
done

SB_TEST_DDB_ENDPOINT=$DDB_URL SB_TEST_SIGV4_URL="http://127.0.0.1:$(cat "$SCRATCH/sigv4.port")" \
    SB_TEST_LOSSY_URL="http://127.0.0.1:$(cat "$SCRATCH/lose-answers.port")" \
    SB_TEST_FLAKY_URL="http://127.0.0.1:$(cat "$SCRATCH/flaky.port")" \
    SB_TEST_THROTTLE_URL="http://127.0.0.1:$(cat "$SCRATCH/throttle.port")" $SB_VALGRIND "$SB_BUILDDIR/tests/dynalite/ddb_backend_test"
