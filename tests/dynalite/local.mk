# The DynamoDB backend's test helpers (dynalite, the proxies, a C client the
# integration tests run) and its benchmark; the tests themselves are
# tests/integration/dynamodb_*.sh, registered in tests/integration/local.mk.
check_PROGRAMS += tests/dynalite/ddb_backend_test
tests_dynalite_ddb_backend_test_SOURCES = tests/dynalite/ddb_backend_test.c
tests_dynalite_ddb_backend_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_dynalite_ddb_backend_test_LDADD = $(STORE_LIBS) -lpthread -lm
EXTRA_DIST += tests/dynalite/package.json tests/dynalite/package-lock.json \
	tests/dynalite/dynalite.sh tests/dynalite/sigv4_check.py tests/dynalite/ws_watch.js \
	tests/dynalite/lossy_proxy.py

EXTRA_DIST += bench/store.sh bench/store_chat.lua
# Chat requests/s and p50/p99, SQLite vs DynamoDB (dynalite), side by side.
bench-store: servicebotd
	SB_BUILDDIR='$(abs_top_builddir)' SB_SRCDIR='$(abs_top_srcdir)' \
		$(SHELL) $(top_srcdir)/bench/store.sh
.PHONY: bench-store
