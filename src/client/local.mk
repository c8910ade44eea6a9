# src/client: servicebot. The chat TUI lives in its own fragment (chat.mk).
# Everything but main.c is in libsbclient.a so that unit tests and the chat
# code link the same REST client, settings, tables and renderer.
noinst_LIBRARIES += libsbclient.a
libsbclient_a_SOURCES = \
	src/client/cli.h \
	src/client/rest.c src/client/rest.h \
	src/client/render.c src/client/render.h src/client/wrap.c src/client/wrap.h \
	src/client/settings.c src/client/settings.h \
	src/client/table.c src/client/table.h src/client/termsafe.c src/client/termsafe.h \
	src/client/jqfilter.c src/client/jqfilter.h src/client/suggest.c src/client/suggest.h \
	src/client/commands.c src/client/commands.h src/client/args.c \
	src/client/cmdutil.c src/client/cmdutil.h \
	src/client/listview.c src/client/listview.h src/client/timefmt.c src/client/timefmt.h \
	src/client/cmd_devices.c src/client/cmd_levels.c src/client/cmd_history.c \
	src/client/cmd_customers.c src/client/cmd_send.c src/client/cmd_misc.c \
	src/client/cmd_auth.c src/client/cfgedit.c src/client/cfgedit.h \
	src/client/lastconv.c src/client/lastconv.h \
	src/client/complete.c src/client/cmd_routines.c
libsbclient_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
CLIENT_LIBS = libsbclient.a $(COMMON_LIBS) $(CURL_LIBS) $(JQ_LIBS)

bin_PROGRAMS += servicebot
servicebot_SOURCES = src/client/main.c src/client/cmd_watch.c
servicebot_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS) $(NCURSES_CFLAGS) $(READLINE_CFLAGS)
servicebot_LDADD = $(CLIENT_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(NCURSES_LIBS) $(READLINE_LIBS)

# The client's tests are in tests/unit/local.mk and tests/integration/local.mk.
EXTRA_DIST += bench/cli.sh bench/README.md
dist_man_MANS += man/servicebot.1 man/servicebot.conf.5

# bash-completion loads completions/<command> on demand, so the file is
# installed under the program's name.
bashcompdir = $(BASH_COMPLETIONS_DIR)
EXTRA_DIST += completions/servicebot.bash
zshcompdir = $(ZSH_COMPLETIONS_DIR)
dist_zshcomp_DATA = completions/_servicebot
fishcompdir = $(FISH_COMPLETIONS_DIR)
dist_fishcomp_DATA = completions/servicebot.fish
install-data-local: install-bash-completion
uninstall-local: uninstall-bash-completion
install-bash-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompdir)'
	$(INSTALL_DATA) '$(srcdir)/completions/servicebot.bash' '$(DESTDIR)$(bashcompdir)/servicebot'
uninstall-bash-completion:
	rm -f '$(DESTDIR)$(bashcompdir)/servicebot'
.PHONY: install-bash-completion uninstall-bash-completion

bench-cli: servicebot servicebotd
	$(SHELL) $(srcdir)/bench/cli.sh
.PHONY: bench-cli

include src/client/chat.mk
