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
	src/engine/intent.c src/engine/intent_clause.c src/engine/intent_speech.c src/engine/intent_retag.c src/engine/intent_steps.c src/engine/intent_impl.h src/engine/intent_format.c src/engine/intent.h \
	src/engine/resolve.c src/engine/resolve.h \
	src/engine/followup.c src/engine/followup.h \
	src/engine/compare.c src/engine/compare.h \
	src/engine/policy.c src/engine/policy.h \
	src/engine/plans.c src/engine/plans.h \
	src/engine/action.c src/engine/action.h \
	src/engine/actions.c src/engine/actions.h \
	src/engine/reply.c src/engine/reply.h \
	src/engine/turn.c src/engine/turn.h \
	src/engine/memo.c src/engine/memo.h src/engine/convo.c src/engine/convo.h \
	src/engine/undo.c src/engine/undo.h \
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

# bench/engine: throughput and latency figures (make bench-engine). The
# engine's tests are in tests/unit/local.mk, its fuzzers in tests/fuzz/local.mk.
noinst_PROGRAMS += bench/engine
EXTRA_DIST += bench/engine.md
bench_engine_SOURCES = bench/engine.c tests/unit/engine_fixture.c tests/unit/engine_fixture.h
bench_engine_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
bench_engine_LDADD = $(ENGINE_LIBS)
BENCH_ENGINE_ROUNDS = 2000
bench-engine: bench/engine$(EXEEXT)
	./bench/engine$(EXEEXT) $(BENCH_ENGINE_ROUNDS)
.PHONY: bench-engine

