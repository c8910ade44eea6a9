# src/server: servicebotd, its integration tests, benchmarks and docs.
bin_PROGRAMS += servicebotd
servicebotd_SOURCES = \
	src/server/main.c src/server/server.c src/server/server.h \
	src/server/http.c src/server/http.h src/server/http_raw.c src/server/http_raw.h \
	src/server/routes.c src/server/routes.h \
	src/server/request.c src/server/request.h src/server/handlers.h \
	src/server/handlers_common.c src/server/handlers_customers.c \
	src/server/handlers_devices.c src/server/handlers_catalog.c \
	src/server/handlers_chat.c src/server/handlers_ops.c \
	src/server/ws.c src/server/ws.h src/server/push.c src/server/push.h \
	src/server/roster.c src/server/roster.h \
	src/server/jobs.c src/server/jobs.h src/server/metrics.c src/server/metrics.h \
	src/server/auth.c src/server/auth.h src/server/sha256.c src/server/sha256.h \
	src/server/scheduler.c src/server/scheduler.h src/server/handlers_routines.c \
	src/server/tls.c src/server/tls.h src/server/token_cmd.c src/server/token_cmd.h \
	src/server/ratelimit.c src/server/ratelimit.h src/server/watermark.c src/server/watermark.h \
	src/server/retention.c src/server/retention.h \
	src/server/loop.c src/server/loop.h
servicebotd_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS) $(UV_CFLAGS)
servicebotd_LDADD = $(ENGINE_LIBS) $(STORE_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(UV_LIBS) -lpthread
servicebotd_SOURCES += src/server/app.h src/server/chat_exchange.c src/server/chat_exchange.h

check_PROGRAMS += tests/unit/server_test
tests_unit_server_test_SOURCES = tests/unit/server_test.c src/server/sha256.c src/server/metrics.c \
	src/server/roster.c src/server/auth.c src/server/ratelimit.c src/server/watermark.c
tests_unit_server_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_server_test_LDADD = $(STORE_LIBS) -lpthread
TESTS += tests/unit/server_test

# A small libwebsockets client the shell tests drive the chat with.
check_PROGRAMS += tests/wsclient
tests_wsclient_SOURCES = tests/wsclient.c
tests_wsclient_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
tests_wsclient_LDADD = $(LWS_LIBS)

# One test per line, so that branches adding tests do not collide.
SERVER_SHELL_TESTS = tests/integration/server_rest.sh
SERVER_SHELL_TESTS += tests/integration/server_auth.sh
SERVER_SHELL_TESTS += tests/integration/server_robust.sh
SERVER_SHELL_TESTS += tests/integration/server_ws.sh
SERVER_SHELL_TESTS += tests/integration/server_lifecycle.sh
SERVER_SHELL_TESTS += tests/integration/server_man.sh
SERVER_SHELL_TESTS += tests/integration/server_ping.sh
SERVER_SHELL_TESTS += tests/integration/server_pipeline.sh
SERVER_SHELL_TESTS += tests/integration/server_routines.sh
SERVER_SHELL_TESTS += tests/integration/server_multiroom.sh
SERVER_SHELL_TESTS += tests/integration/server_hostile.sh
SERVER_SHELL_TESTS += tests/integration/server_storage.sh
SERVER_SHELL_TESTS += tests/integration/server_tls.sh
SERVER_SHELL_TESTS += tests/integration/tls_suites.sh
SERVER_SHELL_TESTS += tests/integration/server_tokens.sh
SERVER_SHELL_TESTS += tests/integration/server_limits.sh
SERVER_SHELL_TESTS += tests/integration/server_retention.sh
TESTS += $(SERVER_SHELL_TESTS)
EXTRA_DIST += tests/integration/routines_lib.sh
EXTRA_DIST += tests/integration/tls_lib.sh
EXTRA_DIST += $(SERVER_SHELL_TESTS)
EXTRA_DIST += tests/rawhttp.py
dist_man_MANS += man/servicebotd.8
EXTRA_DIST += contrib/servicebotd.service

# Benchmarks: figures printed, never judged (bench/README.md).
noinst_PROGRAMS += bench/chatload
bench_chatload_SOURCES = bench/chat.c
bench_chatload_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
bench_chatload_LDADD = $(LWS_LIBS)
EXTRA_DIST += bench/rest.sh bench/chat.sh bench/history.sh bench/idle.sh
EXTRA_DIST += bench/flood.sh
bench-flood: servicebotd
	$(SHELL) $(srcdir)/bench/flood.sh
.PHONY: bench-flood
EXTRA_DIST += bench/scheduler.sh
# Scheduled routines at scale: due-to-done p50/p99 and CPU, SQLite and dynalite.
bench-scheduler: servicebotd
	SB_BUILDDIR='$(abs_top_builddir)' SB_SRCDIR='$(abs_top_srcdir)' \
		$(SHELL) $(top_srcdir)/bench/scheduler.sh
.PHONY: bench-scheduler
bench-rest: servicebotd
	$(SHELL) $(srcdir)/bench/rest.sh
bench-chat: servicebotd bench/chatload
	$(SHELL) $(srcdir)/bench/chat.sh
bench-idle: servicebotd bench/chatload
	$(SHELL) $(srcdir)/bench/idle.sh
bench-history: servicebotd
	$(SHELL) $(srcdir)/bench/history.sh
.PHONY: bench-rest bench-chat bench-idle bench-history

# libFuzzer target for the REST request layer behind lws (tests/fuzz/fuzz_http.c),
# built like the engine's (src/engine/local.mk) and run by make fuzz.
FUZZ_HTTP_SRC = src/server/routes.c src/server/request.c src/server/handlers_common.c \
	src/server/handlers_customers.c src/server/handlers_devices.c src/server/handlers_catalog.c \
	src/server/handlers_chat.c src/server/chat_exchange.c src/server/handlers_ops.c src/server/handlers_routines.c \
	src/server/auth.c src/server/sha256.c src/server/metrics.c src/server/push.c \
	src/server/ws.c src/server/roster.c src/server/jobs.c src/server/ratelimit.c src/server/watermark.c
EXTRA_DIST += tests/fuzz/fuzz_http.c tests/fuzz/http_seeds.txt
CLEANFILES += fuzz/http
fuzz/http: tests/fuzz/fuzz_http.c $(FUZZ_HTTP_SRC) $(FUZZ_ENGINE_SRC) src/engine/engine_data.c src/engine/routine_data.c libsbstore.a libsbcommon.a
	@test -n "$(CLANG)" || { echo "make fuzz needs clang (configure found none)"; exit 1; }
	$(AM_V_at)$(MKDIR_P) fuzz
	$(AM_V_GEN)$(CLANG) $(FUZZ_CFLAGS) $(LWS_CFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_http.c \
	  $(FUZZ_HTTP_SRC:%=$(top_srcdir)/%) $(FUZZ_ENGINE_SRC:%=$(top_srcdir)/%) \
	  src/engine/engine_data.c src/engine/routine_data.c libsbstore.a libsbcommon.a \
	  $(LWS_LIBS) $(SQLITE_LIBS) $(CURL_LIBS) $(JSONC_LIBS) -lpthread -lm
# One seed file per line of http_seeds.txt: the request line, the token byte, the body.
fuzz/http-seeds: $(top_srcdir)/tests/fuzz/http_seeds.txt
	$(AM_V_GEN)rm -rf $@ && $(MKDIR_P) $@ && \
	  awk -F '\t' -v dir=$@ '/^#/ || /^$$/ { next } { f = dir "/h" ++n; \
	    printf "%s\n%c%s", $$1, 48 + $$2, $$3 > f; close(f) }' $(top_srcdir)/tests/fuzz/http_seeds.txt
