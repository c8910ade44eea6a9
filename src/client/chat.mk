# src/client chat TUI: sources are added to servicebot_SOURCES here
servicebot_SOURCES += src/client/chat.c src/client/chat.h src/client/chat_line.c \
	src/client/chat_session.c src/client/chat_session.h src/client/ws.c src/client/ws.h
