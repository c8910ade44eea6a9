#!/usr/bin/env bash
# The DynamoDB backend's own tests (migrate, errors, change notices,
# reserved items) on a local dynalite.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
dynalite_require
dynalite_start || { ok 1 "dynalite starts"; done_testing; }

SB_TEST_DDB_ENDPOINT=$DDB_URL $SB_VALGRIND "$SB_BUILDDIR/tests/dynalite/ddb_backend_test"
