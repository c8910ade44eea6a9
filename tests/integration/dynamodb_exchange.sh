#!/usr/bin/env bash
# The store's exchange and levels-cache tests (tests/unit/store_exchange.c),
# unchanged, against the DynamoDB backend on a local dynalite.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
dynalite_require
dynalite_start || { ok 1 "dynalite starts"; done_testing; }

# The program's own TAP lines are this test's results.
SB_TEST_STORE=dynamodb SB_TEST_DDB_ENDPOINT=$DDB_URL \
    $SB_VALGRIND "$SB_BUILDDIR/tests/unit/store_exchange"
