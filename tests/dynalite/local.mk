# The DynamoDB backend's tests (on a local dynalite) and its benchmark.
check_PROGRAMS += tests/dynalite/ddb_backend_test
tests_dynalite_ddb_backend_test_SOURCES = tests/dynalite/ddb_backend_test.c
tests_dynalite_ddb_backend_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_dynalite_ddb_backend_test_LDADD = $(STORE_LIBS) -lpthread -lm
TESTS += tests/integration/dynamodb_conformance.sh tests/integration/dynamodb_backend.sh \
	tests/integration/dynamodb_server.sh tests/integration/dynamodb_server_suite.sh \
	tests/integration/dynamodb_routines.sh tests/integration/dynamodb_conversation.sh \
	tests/integration/dynamodb_exchange.sh
EXTRA_DIST += tests/dynalite/package.json tests/dynalite/package-lock.json \
	tests/dynalite/dynalite.sh tests/integration/dynamodb_conformance.sh \
	tests/integration/dynamodb_backend.sh tests/dynalite/sigv4_check.py \
	tests/integration/dynamodb_server.sh tests/dynalite/ws_watch.js \
	tests/integration/dynamodb_server_suite.sh tests/dynalite/lossy_proxy.py \
	tests/integration/dynamodb_routines.sh tests/integration/dynamodb_conversation.sh \
	tests/integration/dynamodb_exchange.sh

EXTRA_DIST += bench/store.sh bench/store_chat.lua
# Chat requests/s and p50/p99, SQLite vs DynamoDB (dynalite), side by side.
bench-store: servicebotd
	SB_BUILDDIR='$(abs_top_builddir)' SB_SRCDIR='$(abs_top_srcdir)' \
		$(SHELL) $(top_srcdir)/bench/store.sh
.PHONY: bench-store
