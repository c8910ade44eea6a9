/* The table of subcommands and global options. It drives the parsing of
 * the command line, `help`, `--help`, usage errors and shell completion, so
 * a command or option added here shows up everywhere at once.
 *
 * Ownership: the tables are static and constant; struct cli_args points
 * into the argv it was parsed from and owns only its pos array. */
#ifndef SB_COMMANDS_H
#define SB_COMMANDS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "client/cli.h"
#include "client/settings.h"
#include "common/err.h"

#define CLI_MAX_OPTS 8

/* A --long option. values names what completes its argument: a list of
 * words ("on off") or a server lookup ("@devices", "@routines", "@levels", "@customers",
 * "@songs" of the device argument, "@rooms", "@conversations"). */
struct cli_opt {
    const char *name; /* without "--" */
    char short_name;  /* 0 when none */
    const char *arg;  /* "N", "ID", ...; NULL for a flag */
    const char *help;
    const char *values;
};

enum cli_command_flags {
    CLI_RAW = 1 << 0,    /* arguments are passed on unparsed (__complete reads them) */
    CLI_HIDDEN = 1 << 1, /* not listed in help */
    CLI_LOCAL = 1 << 2,  /* needs no server, so settings errors do not stop it */
};

struct cli_command {
    const char *name; /* one or two words: "capabilities", "device set" */
    const char *args; /* positional arguments for the usage line: "DEVICE" */
    const char *summary;
    const struct cli_opt *opts; /* ended by an entry with a NULL name; may be NULL */
    int min_args, max_args;     /* positional counts; max -1 = any */
    const char *arg_values;     /* what completes the positional arguments, as cli_opt.values */
    cli_handler handler;
    unsigned flags;
    const char *example;
};

/* What the command line gave a command. */
struct cli_args {
    const char *values[CLI_MAX_OPTS]; /* by index into cmd->opts; "" for a given flag */
    char **pos;
    int npos;
    bool help;
};

extern const struct cli_command commands_table[]; /* ended by an entry with a NULL name */
extern const struct cli_opt commands_globals[];

/* The command named by the first one or two words of argv; *words says how
 * many it used. NULL when there is none. */
const struct cli_command *commands_lookup(int argc, char **argv, int *words);
/* Whether word starts a two-word command ("device", "levels", ...). */
bool commands_is_group(const char *word);
const struct cli_opt *commands_find_opt(const struct cli_opt *opts, const char *name);

/* Applies one global option (value NULL for flags) to flags. Returns 0, or
 * -1 when name is not a global option. */
int commands_apply_global(const struct cli_opt *opt, const char *value,
                          struct settings_flags *flags);
/* Parses argv (after the command's words): the command's options, global
 * options anywhere, "--" ending options, positional arguments. On a usage
 * problem returns SB_EINVAL with err saying what. */
int commands_parse(const struct cli_command *cmd, int argc, char **argv,
                   struct settings_flags *flags, struct cli_args *out, struct sb_err *err);
void commands_args_free(struct cli_args *a);

/* The value of the current command's option name, "" for a flag that was
 * given, NULL when absent. */
const char *cli_opt(const struct cli_ctx *ctx, const char *name);

/* Help texts on f: the overview, and one command's usage and options. */
void commands_overview(FILE *f);
void commands_help(FILE *f, const struct cli_command *cmd);
/* The help of every subcommand under a group word ("device"). */
void commands_group_help(FILE *f, const char *group);
/* Prints "servicebot: CMD: message" and the usage line on stderr; returns CLI_USAGE. */
int commands_usage_error(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The visible command closest to a mistyped word into buf (returned), or
 * NULL: with sub NULL the first words ("devics" -> "devices"), else the
 * subcommands of the group ("device", "sett" -> "device set"). */
const char *commands_suggest(const char *group_or_word, const char *sub, char *buf, size_t n);
/* Lists the subcommands under a group word ("show, set") into buf. */
void commands_group_members(const char *group, char *buf, size_t n);

/* The handlers, one file per family. */
int cmd_devices_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_devices_watch(struct cli_ctx *ctx, int argc, char **argv);
/* The devices table of `devices list` (and watch) for list; an empty list
 * says "CUSTOMER has no devices" on stderr. */
int cmd_devices_print(const struct cli_ctx *ctx, json_object *list, const char *customer);
int cmd_device_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_device_set(struct cli_ctx *ctx, int argc, char **argv);
int cmd_levels_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_capabilities(struct cli_ctx *ctx, int argc, char **argv);
int cmd_history(struct cli_ctx *ctx, int argc, char **argv);
/* history's table of a history body. */
int cmd_history_print(const struct cli_ctx *ctx, json_object *body);
/* history --follow: the page at path, then the customer's new messages as
 * they are pushed (only conversation's, when not NULL), until interrupted. */
int cmd_history_follow(struct cli_ctx *ctx, const char *customer, const char *path,
                       const char *conversation);
int cmd_customers_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_customers_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_send(struct cli_ctx *ctx, int argc, char **argv);
int cmd_routines_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_routines_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_routines_add(struct cli_ctx *ctx, int argc, char **argv);
int cmd_routines_rm(struct cli_ctx *ctx, int argc, char **argv);
int cmd_routines_run(struct cli_ctx *ctx, int argc, char **argv);
int cmd_login(struct cli_ctx *ctx, int argc, char **argv);
int cmd_logout(struct cli_ctx *ctx, int argc, char **argv);
int cmd_auth_status(struct cli_ctx *ctx, int argc, char **argv);
int cmd_version(struct cli_ctx *ctx, int argc, char **argv);
int cmd_help(struct cli_ctx *ctx, int argc, char **argv);
int cmd_complete(struct cli_ctx *ctx, int argc, char **argv);

#endif
