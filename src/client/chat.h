/* `servicebot chat`: the full-screen TUI on a terminal, line mode in pipes.
 * Both run on a chat_session (chat_session.h). */
#ifndef SB_CHAT_H
#define SB_CHAT_H

#include "client/cli.h"

struct chat_args {
    const char *conversation; /* --conversation ID, or NULL */
};

/* Each returns an enum cli_exit. */
int chat_line_run(struct cli_ctx *ctx, const struct chat_args *args);
int chat_tui_run(struct cli_ctx *ctx, const struct chat_args *args);

/* The exit code and sentence for a refused connection, learnt from the
 * error frame the server sends before closing (doc/protocol.md). */
int chat_refusal_exit(const char *code);

#endif
