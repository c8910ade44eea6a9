# Tests: unit tests are C programs speaking TAP; integration and TUI tests
# are shell scripts (*.sh) speaking TAP, run against the real programs.
EXTRA_DIST += tests/tap.h tests/lib.sh tests/rawhttp.py tests/wsframes.py

# A small libwebsockets client the shell tests drive the chat with.
check_PROGRAMS += tests/wsclient
tests_wsclient_SOURCES = tests/wsclient.c
tests_wsclient_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
tests_wsclient_LDADD = $(LWS_LIBS)

include tests/unit/local.mk
include tests/integration/local.mk
include tests/tui/local.mk
include tests/fuzz/local.mk
include tests/dynalite/local.mk
