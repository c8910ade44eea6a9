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
	src/engine/intent.c src/engine/intent.h \
	src/engine/resolve.c src/engine/resolve.h \
	src/engine/policy.c src/engine/policy.h \
	src/engine/actions.c src/engine/actions.h \
	src/engine/reply.c src/engine/reply.h \
	src/engine/turn.c src/engine/turn.h \
	src/engine/memo.c src/engine/memo.h
nodist_libsbengine_a_SOURCES = src/engine/engine_data.c
ENGINE_LIBS = libsbengine.a $(STORE_LIBS)
ENGINE_DATA_FILES = data/engine/lexicon.txt data/engine/types.txt data/engine/replies.txt
EXTRA_DIST += $(ENGINE_DATA_FILES)
CLEANFILES += src/engine/engine_data.c

# Each data file becomes one C string: backslashes and quotes escaped, each
# line a literal ending in \n.
src/engine/engine_data.c: $(ENGINE_DATA_FILES:%=$(top_srcdir)/%)
	$(AM_V_GEN)$(MKDIR_P) src/engine && { \
	  echo '/* Generated from data/engine/ by src/engine/local.mk: do not edit. */'; \
	  echo '#include "engine/engine_data.h"'; \
	  for f in lexicon types replies; do \
	    echo "const char engine_data_$$f[] ="; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' \
	      $(top_srcdir)/data/engine/$$f.txt; \
	    echo '    "";'; \
	  done; } > $@-t && mv $@-t $@

# Tests: scenarios through the real SQLite store, and the phrase corpus.
check_PROGRAMS += tests/unit/engine_scenarios tests/unit/engine_corpus
TESTS += tests/unit/engine_scenarios tests/unit/engine_corpus
ENGINE_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_engine_scenarios_SOURCES = tests/unit/engine_scenarios.c \
	tests/unit/engine_fixture.c tests/unit/engine_fixture.h
tests_unit_engine_scenarios_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_scenarios_LDADD = $(ENGINE_LIBS)
tests_unit_engine_corpus_SOURCES = tests/unit/engine_corpus.c
tests_unit_engine_corpus_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_corpus_LDADD = $(ENGINE_LIBS)
EXTRA_DIST += tests/data/phrases.txt
