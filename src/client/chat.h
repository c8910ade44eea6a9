/* `servicebot chat`: the full-screen TUI on a terminal, line mode in pipes.
 * Both run on a chat_session (chat_session.h). */
#ifndef SB_CHAT_H
#define SB_CHAT_H

#include <stdio.h>

#include "client/cli.h"

struct chat_args {
    const char *conversation; /* --conversation ID, or NULL */
};

/* Each returns an enum cli_exit. */
int chat_line_run(struct cli_ctx *ctx, const struct chat_args *args);
int chat_tui_run(struct cli_ctx *ctx, const struct chat_args *args);

/* The slash commands and keys of the full-screen chat, one per line in two
 * aligned columns (for `chat --help`; /help shows the same lines). */
void chat_cmd_print_help(FILE *f);

#endif
