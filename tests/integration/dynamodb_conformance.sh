#!/usr/bin/env bash
# The store conformance suite, unchanged, against the DynamoDB backend on a
# local dynalite. The suite picks a fresh table prefix and opens the store
# directly, so tables are created on open for it.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
dynalite_require
dynalite_start || { ok 1 "dynalite starts"; done_testing; }

# The suite's own TAP lines are this test's results.
SB_TEST_STORE=dynamodb SB_TEST_DDB_ENDPOINT=$DDB_URL \
    $SB_VALGRIND "$SB_BUILDDIR/tests/unit/store_conformance"
