# src/client chat TUI: sources are added to servicebot_SOURCES here
CHAT_SOURCES = src/client/chat.c src/client/chat.h src/client/chat_line.c \
	src/client/chat_session.c src/client/chat_session.h src/client/ws.c src/client/ws.h \
	src/client/chat_tui.c src/client/chat_tui.h src/client/chat_cmds.c \
	src/client/chat_pane.c src/client/chat_history.c src/client/chat_notify.c \
	src/client/chat_search.c src/client/chat_edit.c \
	src/client/chat_fetch.c src/client/chat_fetch.h \
	src/client/scrollback.c src/client/scrollback.h src/client/tui.c src/client/tui.h \
	src/client/tui_input.c src/client/tui_input.h
servicebot_SOURCES += $(CHAT_SOURCES)
# The chat's tests are in tests/tui/local.mk.

# first paint with a 10,000-message conversation, keystroke and scroll redraws
bench-tui: servicebot servicebotd
	SB_BUILDDIR='$(abs_top_builddir)' $(SHELL) $(srcdir)/bench/tui.sh
.PHONY: bench-tui
EXTRA_DIST += bench/tui.sh
