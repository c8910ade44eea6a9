/* cmd_chat: options, then the TUI or line mode. */
#include "client/chat.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char chat_usage[] =
    "usage: servicebot [global options] chat [--conversation ID]\n"
    "\n"
    "Talk to the service bot. On a terminal this is a full-screen chat;\n"
    "when stdin or stdout is not a terminal (or with --json) each input line\n"
    "is sent and each reply printed: the reply text on stdout, a denial block\n"
    "on stderr, or with --json one reply object per line on stdout.\n"
    "\n"
    "  --conversation ID   resume that conversation (default: the most recent)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Commands: /help, /devices, /levels, /history [N], /clear, /reconnect, /quit.\n"
    "Keys: Enter sends, Up/Down and Ctrl-R search earlier lines, Tab completes\n"
    "commands, device names and rooms, PgUp/PgDn/Home/End and the mouse wheel\n"
    "scroll, F2 shows or hides the devices, Ctrl-L redraws, Ctrl-D on an empty\n"
    "line or Ctrl-C leaves. A paste is one message, newlines kept.\n"
    "Messages typed while the connection is down are sent once it is back.\n"
    "\n"
    "Files: $XDG_STATE_HOME/servicebot/history (input history) and chat.log\n"
    "(what would have gone to stderr while the screen is in use);\n"
    "$XDG_STATE_HOME defaults to ~/.local/state. SERVICEBOT_TUI_TIMING=1 adds\n"
    "paint timings to chat.log (see bench/tui.sh).\n";

bool chat_is_refusal(const char *code)
{
    return chat_refusal_exit(code) != CLI_FAIL;
}

int chat_refusal_exit(const char *code)
{
    if (!code)
        return CLI_FAIL;
    if (!strcmp(code, "unauthorized"))
        return CLI_UNAUTHORIZED;
    if (!strcmp(code, "forbidden"))
        return CLI_DENIED;
    if (!strcmp(code, "not_found"))
        return CLI_NOT_FOUND;
    if (!strcmp(code, "bad_request"))
        return CLI_USAGE; /* e.g. an admin token without --customer */
    return CLI_FAIL;
}

int cmd_chat(struct cli_ctx *ctx, int argc, char **argv)
{
    struct chat_args args = {0};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(chat_usage, stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--conversation") && i + 1 < argc) {
            args.conversation = argv[++i];
        } else if (!strncmp(a, "--conversation=", 15) && a[15]) {
            args.conversation = a + 15;
        } else {
            fprintf(stderr, "%s chat: %s '%s'\n%s", ctx->prog,
                    strcmp(a, "--conversation") ? "unknown argument" : "missing value for", a,
                    chat_usage);
            return CLI_USAGE;
        }
    }
    if (!ctx->server || !*ctx->server) {
        fprintf(stderr, "%s chat: no server URL (use --server or SERVICEBOT_SERVER)\n", ctx->prog);
        return CLI_USAGE;
    }
    if (!ctx->json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return chat_tui_run(ctx, &args);
    return chat_line_run(ctx, &args);
}
