# Fuzzing with libFuzzer: clang builds the engine's sources itself (with
# coverage and ASan/UBSan), whatever CC is; the store and common libraries
# are linked as built. make fuzz FUZZ_SECONDS=N runs each target N seconds
# (tests/fuzz/fuzz.sh), starting from the phrase corpus; a crash fails.
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-std=gnu11 -D_GNU_SOURCE -I$(top_srcdir)/src -I$(top_srcdir)/tests -I$(top_srcdir)/tests/unit -Isrc \
	-DSB_SRCDIR='"$(abs_top_srcdir)"' -DSB_DATADIR='"$(pkgdatadir)"' $(JSONC_CFLAGS)
FUZZ_PARSER_SRC = src/engine/lexicon.c src/engine/text.c src/engine/intent.c src/engine/intent_clause.c \
	src/engine/intent_speech.c src/engine/intent_retag.c src/engine/intent_steps.c \
	src/engine/intent_format.c src/engine/action.c src/engine/actions.c src/engine/resolve.c \
	src/engine/reply.c
FUZZ_ENGINE_SRC = $(filter %.c,$(libsbengine_a_SOURCES)) tests/unit/engine_fixture.c
# Not part of make check, which stays deterministic: .ci/test runs make fuzz
# as its own step (60 s per target) with its own summary line.
EXTRA_DIST += tests/fuzz/fuzz_parser.c tests/fuzz/fuzz_engine.c tests/fuzz/fuzz.sh
CLEANFILES += fuzz/parser fuzz/engine

fuzz/parser: tests/fuzz/fuzz_parser.c $(FUZZ_PARSER_SRC) src/engine/engine_data.c libsbcommon.a
	@test -n "$(CLANG)" || { echo "make fuzz needs clang (configure found none)"; exit 1; }
	$(AM_V_at)$(MKDIR_P) fuzz
	$(AM_V_GEN)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_parser.c \
	  $(FUZZ_PARSER_SRC:%=$(top_srcdir)/%) src/engine/engine_data.c libsbcommon.a $(JSONC_LIBS)
fuzz/engine: tests/fuzz/fuzz_engine.c $(FUZZ_ENGINE_SRC) src/engine/engine_data.c src/engine/routine_data.c libsbstore.a libsbcommon.a
	@test -n "$(CLANG)" || { echo "make fuzz needs clang (configure found none)"; exit 1; }
	$(AM_V_at)$(MKDIR_P) fuzz
	$(AM_V_GEN)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_engine.c \
	  $(FUZZ_ENGINE_SRC:%=$(top_srcdir)/%) src/engine/engine_data.c src/engine/routine_data.c \
	  libsbstore.a libsbcommon.a $(SQLITE_LIBS) $(CURL_LIBS) $(JSONC_LIBS) -lpthread -lm

# Seeds: each corpus sentence as one file (for the engine target its first
# byte also picks the customer).
fuzz/seeds: $(top_srcdir)/tests/data/phrases.txt
	$(AM_V_GEN)rm -rf $@ && $(MKDIR_P) $@ && \
	  awk -v dir=$@ '/^#/ || /^$$/ { next } { if (++n % 2) { f = dir "/s" n; \
	    printf "%s", $$0 > f; close(f) } }' $(top_srcdir)/tests/data/phrases.txt

fuzz:
	SB_SRCDIR='$(abs_top_srcdir)' SB_BUILDDIR='$(abs_top_builddir)' \
	  FUZZ_SECONDS=$(FUZZ_SECONDS) $(SHELL) $(top_srcdir)/tests/fuzz/fuzz.sh
.PHONY: fuzz

# libFuzzer target for the REST request layer behind lws (tests/fuzz/fuzz_http.c),
# built like the engine's (above) and run by make fuzz.
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

# libFuzzer target for the byte guard in front of lws (tests/fuzz/fuzz_rxguard.c):
# one file, small limits so that short inputs reach them.
EXTRA_DIST += tests/fuzz/fuzz_rxguard.c tests/fuzz/rxguard.dict
CLEANFILES += fuzz/rxguard
fuzz/rxguard: tests/fuzz/fuzz_rxguard.c src/server/rxguard.c src/server/rxguard.h
	@test -n "$(CLANG)" || { echo "make fuzz needs clang (configure found none)"; exit 1; }
	$(AM_V_at)$(MKDIR_P) fuzz
	$(AM_V_GEN)$(CLANG) $(FUZZ_CFLAGS) -DRXGUARD_HEAD_MAX=256 -DRXGUARD_FIELDS_MAX=16 -o $@ \
	  $(top_srcdir)/tests/fuzz/fuzz_rxguard.c $(top_srcdir)/src/server/rxguard.c
