/* `servicebot chat`: the full-screen TUI on a terminal, line mode in pipes.
 * Both run on a chat_session (chat_session.h). */
#ifndef SB_CHAT_H
#define SB_CHAT_H

#include <stdbool.h>

#include "client/cli.h"

struct chat_args {
    const char *conversation; /* --conversation ID, or NULL */
};

/* Each returns an enum cli_exit. */
int chat_line_run(struct cli_ctx *ctx, const struct chat_args *args);
int chat_tui_run(struct cli_ctx *ctx, const struct chat_args *args);

/* Whether an error frame's code means the server refused this connection
 * for good (bad token, no such customer, no customer named for an admin
 * token: doc/protocol.md), so that reconnecting is pointless; and the exit
 * code for it. */
bool chat_is_refusal(const char *code);
int chat_refusal_exit(const char *code);

#endif
