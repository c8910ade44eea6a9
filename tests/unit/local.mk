# Unit tests of src/common and the store conformance suite.
check_PROGRAMS += tests/unit/store_conformance tests/unit/common_test
TESTS += tests/unit/store_conformance tests/unit/common_test
tests_unit_store_conformance_SOURCES = tests/unit/store_conformance.c tests/tap.h
tests_unit_store_conformance_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_store_conformance_LDADD = $(STORE_LIBS)
tests_unit_common_test_SOURCES = tests/unit/common_test.c tests/tap.h
tests_unit_common_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_common_test_LDADD = $(COMMON_LIBS) -lm

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
