/* What every servicebot subcommand receives: the settled global options
 * (flag > environment > config file > default) and the exit codes main maps
 * failures to. One table in commands.c lists the subcommands (name, usage,
 * handler) and drives --help, usage errors and completion. */
#ifndef SB_CLI_H
#define SB_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in servicebot(1). */
enum cli_exit {
    CLI_OK = 0,
    CLI_FAIL = 1,
    CLI_USAGE = 2,
    CLI_NOT_FOUND = 3,
    CLI_DENIED = 4,
    CLI_UNAUTHORIZED = 5,
    CLI_UNREACHABLE = 6,
};

struct cli_command;
struct cli_args;
struct jqfilter;

struct cli_ctx {
    const char *prog;     /* "servicebot" for messages */
    const char *server;   /* base URL, e.g. http://127.0.0.1:8080 */
    const char *customer; /* customer id, or NULL */
    const char *token;    /* bearer token, or NULL */
    const char *cacert;   /* CA file (PEM) for https:// and wss://; NULL: the system store */
    const char *config_path;
    const char *server_from; /* "--server", "SERVICEBOT_SERVER", "FILE:LINE" or "default" */
    const char *token_from;  /* the same for the token; "" when there is none */
    bool json;               /* --json: machine output on stdout */
    bool color;              /* stdout is a terminal and NO_COLOR unset and no --no-color */
    bool color_always;       /* --color=always: colour on stderr too, terminal or not */
    bool utc;                /* --utc: times in UTC rather than local time (timefmt.h) */
    bool quiet;              /* --quiet: commands that change something print nothing on success */
    int verbose;
    struct jqfilter *jq; /* --jq EXPR compiled (jqfilter.h), or NULL; implies json */
    long connect_timeout_ms;
    long timeout_ms;
    const struct cli_command *command; /* the subcommand being run (commands.h) */
    const struct cli_args *args;       /* its parsed options; NULL for CLI_RAW commands */
};

/* What to do about a server certificate that did not verify, for REST and
 * chat alike (there is deliberately no way to skip the check). */
static inline const char *cli_untrusted_advice(const char *cacert, bool wrong_name)
{
    if (wrong_name)
        return "it was issued for another name: use that name in the server URL";
    return cacert ? "is --cacert the CA that signed it?"
                  : "pass the CA that signed it with --cacert FILE or SERVICEBOT_CACERT";
}

/* A subcommand: argv[0] is the command's name; returns an enum cli_exit. */
typedef int (*cli_handler)(struct cli_ctx *ctx, int argc, char **argv);

/* The chat command (full-screen TUI, or line mode when not on a terminal). */
int cmd_chat(struct cli_ctx *ctx, int argc, char **argv);
/* What `chat --help` adds after the options: modes, slash commands, keys. */
void chat_help(FILE *f);

#endif
