# src/client: servicebot. The chat TUI lives in its own fragment (chat.mk).
bin_PROGRAMS += servicebot
servicebot_SOURCES = src/client/cli.h src/client/rest.h src/client/render.h
servicebot_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(LWS_CFLAGS) $(NCURSES_CFLAGS) $(READLINE_CFLAGS)
servicebot_LDADD = $(COMMON_LIBS) $(CURL_LIBS) $(LWS_LIBS) $(NCURSES_LIBS) $(READLINE_LIBS)

include src/client/chat.mk
