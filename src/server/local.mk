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
servicebotd_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
servicebotd_LDADD = $(ENGINE_LIBS) $(STORE_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(EV_LIBS) -lpthread \
	$(JEMALLOC_LIBS)
# the byte guard in front of lws's parser (rxguard.h)
servicebotd_SOURCES += src/server/rxguard.c src/server/rxguard_io.c src/server/rxguard.h
servicebotd_SOURCES += src/server/app.h src/server/chat_exchange.c src/server/chat_exchange.h

dist_man_MANS += man/servicebotd.8
EXTRA_DIST += contrib/servicebotd.service

# Benchmarks: figures printed, never judged (bench/README.md).
noinst_PROGRAMS += bench/chatload
bench_chatload_SOURCES = bench/chat.c
bench_chatload_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
bench_chatload_LDADD = $(LWS_LIBS)
EXTRA_DIST += bench/rest.sh bench/chat.sh bench/history.sh bench/idle.sh
EXTRA_DIST += bench/flood.sh bench/walframes.sh bench/walframes.py
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
# WebSocket chat as the history grows, and what the WAL gets per commit.
bench-walframes: servicebotd bench/chatload
	$(SHELL) $(srcdir)/bench/walframes.sh
.PHONY: bench-rest bench-chat bench-idle bench-history bench-walframes
