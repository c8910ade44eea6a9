/* servicebot: the client. Reads global options, settles the settings,
 * finds the subcommand in the command table and runs it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/cli.h"
#include "client/commands.h"
#include "client/settings.h"
#include "client/table.h"
#include "common/xalloc.h"

/* Global options before the command. Returns the index of the first
 * non-option argument, or -1 after printing help/version (*exit set) or a
 * usage error. */
static int parse_globals(int argc, char **argv, struct settings_flags *flags, int *exit_code)
{
    struct sb_err err = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            commands_overview(stdout);
            *exit_code = CLI_OK;
            return -1;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("servicebot %s\n", PACKAGE_VERSION);
            *exit_code = CLI_OK;
            return -1;
        }
        /* Only globals here: one option, plus its value when it takes one. */
        struct cli_args args;
        int n = argc - i;
        int take = 1;
        if (!strncmp(argv[i], "--", 2) && !strchr(argv[i], '=')) {
            const struct cli_opt *o = commands_find_opt(commands_globals, argv[i] + 2);
            take = o && o->arg && i + 1 < argc ? 2 : 1;
        }
        int rc = commands_parse(NULL, take < n ? take : n, argv + i, flags, &args, &err);
        commands_args_free(&args);
        if (rc != SB_OK) {
            *exit_code = commands_usage_error(NULL, "%s", err.msg);
            return -1;
        }
        i += take - 1;
    }
    return i;
}

/* A word that is not a command: a group missing its subcommand, or unknown. */
static int unknown_command(int argc, char **argv)
{
    char members[200];
    if (commands_is_group(argv[0])) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            commands_group_help(stdout, argv[0]);
            return CLI_OK;
        }
        commands_group_members(argv[0], members, sizeof(members));
        if (argc < 2)
            return commands_usage_error(NULL, "'%s' needs a subcommand: %s", argv[0], members);
        char buf[64];
        const char *near = commands_suggest(argv[0], argv[1], buf, sizeof(buf));
        if (near)
            return commands_usage_error(NULL, "unknown subcommand '%s %s'; did you mean '%s'?",
                                        argv[0], argv[1], near);
        return commands_usage_error(NULL, "unknown subcommand '%s %s' (known: %s)", argv[0],
                                    argv[1], members);
    }
    char buf[64];
    const char *near = commands_suggest(argv[0], NULL, buf, sizeof(buf));
    if (near)
        return commands_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", argv[0],
                                    near);
    return commands_usage_error(NULL, "unknown command '%s'", argv[0]);
}

/* Runs cmd with argv[0] = its last word followed by the positional arguments. */
static int run(const struct cli_command *cmd, struct cli_ctx *ctx, int argc, char **argv,
               struct settings_flags *flags)
{
    struct cli_args args = {0};
    struct settings settings = {0};
    struct sb_err err = {0};
    int rc;
    if (!(cmd->flags & CLI_RAW)) {
        if (commands_parse(cmd, argc - 1, argv + 1, flags, &args, &err) != SB_OK) {
            rc = commands_usage_error(cmd, "%s", err.msg);
            goto out;
        }
        if (args.help) {
            commands_help(stdout, cmd);
            rc = CLI_OK;
            goto out;
        }
        ctx->args = &args;
    }
    ctx->command = cmd;
    if (settings_resolve(flags, &settings, ctx, &err) != SB_OK &&
        (!(cmd->flags & CLI_LOCAL) || (flags->jq && !ctx->jq))) {
        fprintf(stderr, "servicebot: %s\n", err.msg);
        rc = CLI_USAGE;
        goto out;
    }
    if (*settings.warning && !(cmd->flags & CLI_LOCAL))
        fprintf(stderr, "servicebot: warning: %s\n", settings.warning);
    if (cmd->flags & CLI_RAW) {
        rc = cmd->handler(ctx, argc, argv);
    } else {
        char **cargv = xcalloc((size_t)args.npos + 2, sizeof(char *));
        cargv[0] = argv[0];
        memcpy(cargv + 1, args.pos, (size_t)args.npos * sizeof(char *));
        rc = cmd->handler(ctx, args.npos + 1, cargv);
        free(cargv);
    }
out:
    ctx->args = NULL;
    commands_args_free(&args);
    settings_free(&settings);
    return rc;
}

int main(int argc, char **argv)
{
    struct settings_flags flags = {0};
    struct cli_ctx ctx = {.prog = "servicebot"};
    int rc = CLI_OK;
    table_setup_locale();
    int first = parse_globals(argc, argv, &flags, &rc);
    if (first < 0)
        goto out;
    int rest = argc - first;
    char **words = argv + first;
    char *chat_argv[] = {"chat", NULL};
    if (rest == 0) {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            rc = commands_usage_error(NULL, "no command given (chat needs a terminal)");
            goto out;
        }
        rest = 1;
        words = chat_argv;
    }
    int used = 0;
    const struct cli_command *cmd = commands_lookup(rest, words, &used);
    if (!cmd) {
        rc = unknown_command(rest, words);
        goto out;
    }
    rc = run(cmd, &ctx, rest - used + 1, words + used - 1, &flags);
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "servicebot: cannot write output\n");
        rc = rc ? rc : CLI_FAIL;
    }
    return rc;
}
