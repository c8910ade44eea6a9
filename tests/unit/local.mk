# Unit tests of src/common and the store conformance suite (two programs:
# store_conformance and store_exchange, each run per backend).
check_PROGRAMS += tests/unit/store_conformance tests/unit/store_exchange tests/unit/common_test
TESTS += tests/unit/store_conformance tests/unit/store_exchange tests/unit/common_test
STORE_FIXTURE = tests/unit/store_fixture.c tests/unit/store_fixture.h tests/unit/store_ready.h tests/tap.h
tests_unit_store_conformance_SOURCES = tests/unit/store_conformance.c $(STORE_FIXTURE)
tests_unit_store_conformance_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_store_conformance_LDADD = $(STORE_LIBS)
check_PROGRAMS += tests/unit/store_sqlite_rows
TESTS += tests/unit/store_sqlite_rows
tests_unit_store_sqlite_rows_SOURCES = tests/unit/store_sqlite_rows.c $(STORE_FIXTURE)
tests_unit_store_sqlite_rows_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_store_sqlite_rows_LDADD = $(STORE_LIBS)
check_PROGRAMS += tests/unit/store_sqlite_wal
TESTS += tests/unit/store_sqlite_wal
tests_unit_store_sqlite_wal_SOURCES = tests/unit/store_sqlite_wal.c $(STORE_FIXTURE)
tests_unit_store_sqlite_wal_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests $(SQLITE_CFLAGS)
tests_unit_store_sqlite_wal_LDADD = $(STORE_LIBS)
tests_unit_store_exchange_SOURCES = tests/unit/store_exchange.c $(STORE_FIXTURE)
tests_unit_store_exchange_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_store_exchange_LDADD = $(STORE_LIBS) -lpthread
tests_unit_common_test_SOURCES = tests/unit/common_test.c tests/tap.h
tests_unit_common_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_common_test_LDADD = $(COMMON_LIBS) -lm

# The blind batches (tests/data/blind/README.md): the engine measured end to
# end on sentences written without reading the parser. make blind BATCH=NN
# runs one batch and shows its score and wrong cases.
BLIND_BATCHES = \
	tests/data/blind/01-casual.txt tests/data/blind/02-terse.txt \
	tests/data/blind/03-polite.txt tests/data/blind/04-areas.txt \
	tests/data/blind/05-questions.txt tests/data/blind/06-followups.txt \
	tests/data/blind/07-negation.txt tests/data/blind/08-unsupported.txt \
	tests/data/blind/09-generic-groups.txt tests/data/blind/10-media.txt \
	tests/data/blind/11-numbers.txt tests/data/blind/12-plans-multiline.txt \
	tests/data/blind/13-schedules.txt tests/data/blind/14-second-language.txt \
	tests/data/blind/15-context-and-voice.txt tests/data/blind/16-texting.txt tests/data/blind/17-plain-words.txt tests/data/blind/18-compound.txt tests/data/blind/19-conditions.txt tests/data/blind/20-dialogues.txt tests/data/blind/21-assistant-habits.txt tests/data/blind/22-situations.txt tests/data/blind/23-references.txt tests/data/blind/24-regional.txt tests/data/blind/25-technical.txt tests/data/blind/26-kids.txt tests/data/blind/27-frustrated.txt tests/data/blind/28-amounts.txt tests/data/blind/29-autocorrect.txt tests/data/blind/30-formal.txt tests/data/blind/31-hesitant.txt tests/data/blind/32-addressing-devices.txt tests/data/blind/33-irony.txt tests/data/blind/34-chat-formatting.txt tests/data/blind/35-home-questions.txt tests/data/blind/36-brands-and-nicknames.txt tests/data/blind/37-music-wishes.txt tests/data/blind/38-counts-and-positions.txt tests/data/blind/39-code-switching.txt tests/data/blind/40-fixing-the-bot.txt
check_PROGRAMS += tests/unit/engine_blind.test tests/unit/blind_batch_test.test
TESTS += tests/unit/engine_blind.test tests/unit/blind_batch_test.test
# Issue 11's invariant: no question, out-of-scope, unsupported or negated
# sentence of the corpus or of an unsealed blind batch changes any device.
check_PROGRAMS += tests/unit/engine_invariant.test
TESTS += tests/unit/engine_invariant.test
tests_unit_engine_invariant_test_SOURCES = tests/unit/engine_invariant.c tests/unit/blind_batch.c \
	tests/unit/blind_batch.h tests/unit/engine_fixture.c tests/unit/engine_fixture.h tests/tap.h
tests_unit_engine_invariant_test_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_invariant_test_LDADD = $(ENGINE_LIBS)
tests_unit_engine_blind_test_SOURCES = tests/unit/engine_blind.c tests/unit/blind_batch.c \
	tests/unit/blind_batch.h tests/unit/engine_fixture.c tests/unit/engine_fixture.h tests/tap.h
tests_unit_engine_blind_test_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_engine_blind_test_LDADD = $(ENGINE_LIBS)
tests_unit_blind_batch_test_test_SOURCES = tests/unit/blind_batch_test.c tests/unit/blind_batch.c \
	tests/unit/blind_batch.h tests/tap.h
tests_unit_blind_batch_test_test_CPPFLAGS = $(ENGINE_TEST_CPPFLAGS)
tests_unit_blind_batch_test_test_LDADD = $(COMMON_LIBS)
EXTRA_DIST += tests/data/blind/README.md tests/data/blind/homes.json $(BLIND_BATCHES)
blind: tests/unit/engine_blind.test$(EXEEXT)
	@test -n "$(BATCH)" || { echo "usage: make blind BATCH=NN" >&2; exit 2; }
	@./tests/unit/engine_blind.test$(EXEEXT) --report $(BATCH)
.PHONY: blind
# Routines on the customer record: zones, schedules, JSON.
check_PROGRAMS += tests/unit/routine_test
TESTS += tests/unit/routine_test
tests_unit_routine_test_SOURCES = tests/unit/routine_test.c tests/tap.h
tests_unit_routine_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_routine_test_LDADD = $(COMMON_LIBS) -lm

# The routine command corpus (tests/data/routine_phrases.txt).
check_PROGRAMS += tests/unit/routine_parse.test
TESTS += tests/unit/routine_parse.test
tests_unit_routine_parse_test_SOURCES = tests/unit/routine_parse.c tests/tap.h
tests_unit_routine_parse_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_routine_parse_test_LDADD = $(ENGINE_LIBS)
EXTRA_DIST += tests/data/routine_phrases.txt tests/unit/routine_test.c

# The engine: scenarios through the real SQLite store, the phrase corpus,
# and its small parts.
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

# The client's pure parts: denial rendering, tables, settings, terminal safety.
# C unit tests end in .test so that the TAP driver counts each case and
# --enable-valgrind runs them under valgrind (TEST_LOG_COMPILER).
CLIENT_UNIT_TESTS = tests/unit/client_render.test tests/unit/client_table.test \
	tests/unit/client_settings.test tests/unit/client_termsafe.test
check_PROGRAMS += $(CLIENT_UNIT_TESTS)
tests_unit_client_render_test_SOURCES = tests/unit/client_render.c tests/tap.h
tests_unit_client_render_test_LDADD = $(CLIENT_LIBS)
tests_unit_client_table_test_SOURCES = tests/unit/client_table.c tests/tap.h
tests_unit_client_table_test_LDADD = $(CLIENT_LIBS)
tests_unit_client_settings_test_SOURCES = tests/unit/client_settings.c tests/tap.h
tests_unit_client_settings_test_LDADD = $(CLIENT_LIBS)
tests_unit_client_termsafe_test_SOURCES = tests/unit/client_termsafe.c tests/tap.h
tests_unit_client_termsafe_test_LDADD = $(CLIENT_LIBS)
TESTS += $(CLIENT_UNIT_TESTS)

# servicebotd's parts that need no server: hashing, metrics, the session
# roster, tokens, rate limits, the size watermark.
check_PROGRAMS += tests/unit/server_test
tests_unit_server_test_SOURCES = tests/unit/server_test.c src/server/sha256.c src/server/metrics.c \
	src/server/roster.c src/server/auth.c src/server/ratelimit.c src/server/watermark.c
tests_unit_server_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_server_test_LDADD = $(STORE_LIBS) -lpthread
TESTS += tests/unit/server_test

# The worker pool's wake-ups (quick jobs).
check_PROGRAMS += tests/unit/jobs_test
tests_unit_jobs_test_SOURCES = tests/unit/jobs_test.c src/server/jobs.c
tests_unit_jobs_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_jobs_test_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
tests_unit_jobs_test_LDADD = $(COMMON_LIBS) $(LWS_LIBS) -lpthread
TESTS += tests/unit/jobs_test

# The out-of-memory policy holds in the converted directories (the script
# names them): no raw allocation, every json-c constructor through xjson().
TESTS += tests/unit/oom_policy.sh
EXTRA_DIST += tests/unit/oom_policy.sh
# And it ends the process: xalloc_die's messages, and SQLite's own NOMEM on
# a real store aborting instead of answering an error.
check_PROGRAMS += tests/unit/oom_abort
TESTS += tests/unit/oom_abort
tests_unit_oom_abort_SOURCES = tests/unit/oom_abort.c tests/tap.h
tests_unit_oom_abort_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_oom_abort_LDADD = $(STORE_LIBS) -lpthread
