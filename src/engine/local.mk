# src/engine: the bot (parser, policy, actions, replies). Its vocabulary and
# reply templates are data files under data/engine/, embedded into the
# library at build time (engine_data.c) so servicebotd needs no data files to
# understand people, and tests use exactly what ships.
noinst_LIBRARIES += libsbengine.a
libsbengine_a_SOURCES = \
	src/engine/engine.h src/engine/engine_impl.h src/engine/engine.c \
	src/engine/admin.c src/engine/engine_data.h \
	src/engine/lexicon.c src/engine/lexicon.h \
	src/engine/text.c src/engine/text.h \
	src/engine/intent.c src/engine/intent_format.c src/engine/intent.h \
	src/engine/resolve.c src/engine/resolve.h \
	src/engine/followup.c src/engine/followup.h \
	src/engine/policy.c src/engine/policy.h \
	src/engine/plans.c src/engine/plans.h \
	src/engine/action.c src/engine/action.h \
	src/engine/actions.c src/engine/actions.h \
	src/engine/reply.c src/engine/reply.h \
	src/engine/turn.c src/engine/turn.h \
	src/engine/memo.c src/engine/memo.h src/engine/convo.c src/engine/convo.h \
	src/engine/inflight.c src/engine/inflight.h \
	src/engine/routine_lang.c src/engine/routine_lang.h src/engine/routine_data.h \
	src/engine/routine_parse.c src/engine/routine_parse.h \
	src/engine/routines.c src/engine/routines.h \
	src/engine/routine_api.c src/engine/routine_due.c \
	src/engine/routine_chat.c src/engine/routine_chat.h \
	src/engine/multiroom.c src/engine/multiroom.h
nodist_libsbengine_a_SOURCES = src/engine/engine_data.c src/engine/routine_data.c
ENGINE_LIBS = libsbengine.a $(STORE_LIBS)
ENGINE_DATA_FILES = data/engine/lexicon.txt data/engine/replies.txt
EXTRA_DIST += $(ENGINE_DATA_FILES) data/engine/types.txt src/engine/README.md
CLEANFILES += src/engine/engine_data.c

# Each data file becomes one C string: backslashes and quotes escaped, each
# line a literal ending in \n.
src/engine/engine_data.c: $(ENGINE_DATA_FILES:%=$(top_srcdir)/%)
	$(AM_V_GEN)$(MKDIR_P) src/engine && { \
	  echo '/* Generated from data/engine/ by src/engine/local.mk: do not edit. */'; \
	  echo '#include "engine/engine_data.h"'; \
	  for f in lexicon replies; do \
	    echo "const char engine_data_$$f[] ="; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' \
	      $(top_srcdir)/data/engine/$$f.txt; \
	    echo '    "";'; \
	  done; } > $@-t && mv $@-t $@

# Routines' language (data/engine/routines.txt) has its own embedded string.
EXTRA_DIST += data/engine/routines.txt
CLEANFILES += src/engine/routine_data.c
src/engine/routine_data.c: $(top_srcdir)/data/engine/routines.txt
	$(AM_V_GEN)$(MKDIR_P) src/engine && { \
	  echo '/* Generated from data/engine/routines.txt by src/engine/local.mk: do not edit. */'; \
	  echo '#include "engine/routine_data.h"'; \
	  echo "const char engine_data_routines[] ="; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	  echo '    "";'; } > $@-t && mv $@-t $@

# Tests: scenarios through the real SQLite store, the phrase corpus, and the
# engine's small parts.
# C tests end in .test so that the TAP driver counts each case.
ENGINE_TESTS = tests/unit/engine_scenarios.test tests/unit/engine_corpus.test \
	tests/unit/engine_units.test
check_PROGRAMS += $(ENGINE_TESTS)
TESTS += $(ENGINE_TESTS)
ENGINE_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/tests/unit
tests_unit_engine_scenarios_test_SOURCES = tests/unit/engine_scenarios.c \
	tests/unit/engine_fixture.c tests/unit/engine_fixture.h tests/tap.h
tests_unit_engine_scenarios_test_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_scenarios_test_LDADD = $(ENGINE_LIBS)
tests_unit_engine_corpus_test_SOURCES = tests/unit/engine_corpus.c tests/tap.h
tests_unit_engine_corpus_test_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_corpus_test_LDADD = $(ENGINE_LIBS)
tests_unit_engine_units_test_SOURCES = tests/unit/engine_units.c tests/tap.h
tests_unit_engine_units_test_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_units_test_LDADD = $(ENGINE_LIBS)
EXTRA_DIST += tests/data/phrases.txt tests/data/phrases_playback.txt

# Playback control end to end (REST, WebSocket, CLI) on a real servicebotd.
ENGINE_SHELL_TESTS = tests/integration/engine_playback.sh
TESTS += $(ENGINE_SHELL_TESTS)
EXTRA_DIST += $(ENGINE_SHELL_TESTS)

# bench/engine: throughput and latency figures (make bench-engine).
noinst_PROGRAMS += bench/engine
EXTRA_DIST += bench/engine.md
bench_engine_SOURCES = bench/engine.c tests/unit/engine_fixture.c tests/unit/engine_fixture.h
bench_engine_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
bench_engine_LDADD = $(ENGINE_LIBS)
BENCH_ENGINE_ROUNDS = 2000
bench-engine: bench/engine$(EXEEXT)
	./bench/engine$(EXEEXT) $(BENCH_ENGINE_ROUNDS)
.PHONY: bench-engine

# Fuzzing with libFuzzer: clang builds the engine's sources itself (with
# coverage and ASan/UBSan), whatever CC is; the store and common libraries
# are linked as built. make fuzz FUZZ_SECONDS=N runs each target N seconds
# (tests/fuzz/fuzz.sh), starting from the phrase corpus; a crash fails.
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-std=gnu11 -D_GNU_SOURCE -I$(top_srcdir)/src -I$(top_srcdir)/tests -I$(top_srcdir)/tests/unit -Isrc \
	-DSB_SRCDIR='"$(abs_top_srcdir)"' -DSB_DATADIR='"$(pkgdatadir)"' $(JSONC_CFLAGS)
FUZZ_PARSER_SRC = src/engine/lexicon.c src/engine/text.c src/engine/intent.c \
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
