/* cmd_chat: the command table parsed the options; pick the TUI or line mode. */
#include "client/chat.h"

#include <stdio.h>
#include <unistd.h>

#include "client/commands.h"

void chat_help(FILE *f)
{
    fputs("\nOn a terminal this is a full-screen chat; when stdin or stdout is not a\n"
          "terminal (or with --json) each input line is sent and each reply printed:\n"
          "the reply text on stdout, a denial block on stderr, or with --json one\n"
          "reply object per line on stdout. Exit status 4 when a reply was a denial.\n"
          "Messages typed while the connection is down are sent once it is back.\n\n",
          f);
    chat_cmd_print_help(f);
    fputs("\nFiles: $XDG_STATE_HOME/servicebot/history (input history) and chat.log\n"
          "(what would have gone to stderr while the screen is in use);\n"
          "$XDG_STATE_HOME defaults to ~/.local/state. SERVICEBOT_TUI_TIMING=1 adds\n"
          "paint timings to chat.log (see bench/tui.sh).\n",
          f);
}

int cmd_chat(struct cli_ctx *ctx, int argc, char **argv)
{
    struct chat_args args = {.conversation = cli_opt(ctx, "conversation")};

    if (!ctx->server || !*ctx->server)
        return commands_usage_error(ctx->command,
                                    "no server URL (use --server or SERVICEBOT_SERVER)");
    if (!ctx->json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return chat_tui_run(ctx, &args);
    return chat_line_run(ctx, &args);
}
