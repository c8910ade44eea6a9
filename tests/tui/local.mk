# The chat TUI: C tests of its parts, and tmux-driven tests of the real chat
# against a real servicebotd.
check_PROGRAMS += tests/tui/scrollback_test
tests_tui_scrollback_test_SOURCES = tests/tui/scrollback_test.c src/client/scrollback.c tests/tap.h
tests_tui_scrollback_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_tui_scrollback_test_LDADD = $(CLIENT_LIBS)
TESTS += tests/tui/scrollback_test

check_PROGRAMS += tests/tui/ws_backoff_test
tests_tui_ws_backoff_test_SOURCES = tests/tui/ws_backoff_test.c src/client/ws.c tests/tap.h
tests_tui_ws_backoff_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_tui_ws_backoff_test_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
tests_tui_ws_backoff_test_LDADD = $(COMMON_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS)
TESTS += tests/tui/ws_backoff_test

check_PROGRAMS += tests/tui/tui_input_test
tests_tui_tui_input_test_SOURCES = tests/tui/tui_input_test.c src/client/tui_input.c tests/tap.h
tests_tui_tui_input_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_tui_tui_input_test_CFLAGS = $(AM_CFLAGS) $(READLINE_CFLAGS)
tests_tui_tui_input_test_LDADD = $(COMMON_LIBS) $(READLINE_LIBS)
TESTS += tests/tui/tui_input_test

# tmux-driven tests of the real chat against a real servicebotd
CHAT_TUI_TESTS = tests/tui/chat_basic.sh tests/tui/chat_line.sh tests/tui/chat_live.sh \
	tests/tui/chat_reconnect.sh tests/tui/chat_signals.sh tests/tui/chat_input.sh \
	tests/tui/chat_errors.sh tests/tui/chat_history.sh tests/tui/chat_stall.sh \
	tests/tui/chat_panel.sh tests/tui/chat_conversations.sh tests/tui/chat_notify.sh \
	tests/tui/chat_keys.sh tests/tui/chat_dates.sh tests/tui/chat_hostile.sh
CHAT_TUI_TESTS += tests/tui/chat_routines.sh
CHAT_TUI_TESTS += tests/tui/chat_tls.sh
TESTS += $(CHAT_TUI_TESTS)
EXTRA_DIST += tests/tui/tui_lib.sh tests/tui/stall_proxy.py $(CHAT_TUI_TESTS)
