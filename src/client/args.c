#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "client/commands.h"
#include "client/suggest.h"
#include "common/xalloc.h"

int commands_apply_global(const struct cli_opt *opt, const char *value,
                          struct settings_flags *flags)
{
    const char *n = opt->name;
    if (!strcmp(n, "server"))
        flags->server = value;
    else if (!strcmp(n, "customer"))
        flags->customer = value;
    else if (!strcmp(n, "token"))
        flags->token = value;
    else if (!strcmp(n, "config"))
        flags->config = value;
    else if (!strcmp(n, "timeout"))
        flags->timeout = value;
    else if (!strcmp(n, "connect-timeout"))
        flags->connect_timeout = value;
    else if (!strcmp(n, "cacert"))
        flags->cacert = value;
    else if (!strcmp(n, "jq"))
        flags->jq = value;
    else if (!strcmp(n, "json"))
        flags->json = true;
    else if (!strcmp(n, "no-color"))
        flags->no_color = true;
    else if (!strcmp(n, "utc"))
        flags->utc = true;
    else if (!strcmp(n, "quiet"))
        flags->quiet = true;
    else if (!strcmp(n, "color"))
        flags->color = value;
    else if (!strcmp(n, "verbose"))
        flags->verbose++;
    else
        return -1;
    return 0;
}

/* Stores one option: the command's own into out->values, "help" and
 * "version" into out, the rest into the global flags. */
static int store(const struct cli_command *cmd, const struct cli_opt *opt, const char *value,
                 struct settings_flags *flags, struct cli_args *out, struct sb_err *err)
{
    /* Compared entry by entry: a range test on pointers into different
     * arrays is undefined, and the globals may sit right after the command's. */
    ptrdiff_t own = -1;
    for (ptrdiff_t i = 0; cmd && cmd->opts && cmd->opts[i].name && i < CLI_MAX_OPTS; i++) {
        if (opt == &cmd->opts[i])
            own = i;
    }
    if (own >= 0) {
        out->values[own] = value ? value : "";
        return SB_OK;
    }
    if (!strcmp(opt->name, "help") || !strcmp(opt->name, "version")) {
        out->help = true;
        return SB_OK;
    }
    if (commands_apply_global(opt, value, flags) < 0)
        return sb_err_set(err, SB_EINVAL, "option '--%s' is not supported here", opt->name);
    return SB_OK;
}

/* The command's own short option c, else the global one. */
static const struct cli_opt *find_short(const struct cli_command *cmd, char c)
{
    for (const struct cli_opt *o = cmd ? cmd->opts : NULL; o && o->name; o++) {
        if (o->short_name == c)
            return o;
    }
    for (const struct cli_opt *o = commands_globals; o->name; o++) {
        if (o->short_name == c)
            return o;
    }
    return NULL;
}

/* One "--name[=value]" argument, taking its value from the next one when needed. */
static int parse_long(const struct cli_command *cmd, int argc, char **argv, int *i,
                      struct settings_flags *flags, struct cli_args *out, struct sb_err *err)
{
    char name[64];
    const char *arg = argv[*i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (len >= sizeof(name))
        return sb_err_set(err, SB_EINVAL, "unknown option '--%.40s...'", arg);
    memcpy(name, arg, len);
    name[len] = '\0';
    const struct cli_opt *opt = cmd ? commands_find_opt(cmd->opts, name) : NULL;
    if (!opt)
        opt = commands_find_opt(commands_globals, name);
    if (!opt) {
        struct suggest s;
        suggest_init(&s, name);
        for (const struct cli_opt *o = cmd ? cmd->opts : NULL; o && o->name; o++)
            suggest_consider(&s, o->name);
        for (const struct cli_opt *o = commands_globals; o->name; o++)
            suggest_consider(&s, o->name);
        const char *near = suggest_best(&s);
        return sb_err_set(err, SB_EINVAL, "unknown option '--%s'%s%s%s", name,
                          near ? "; did you mean '--" : "", near ? near : "", near ? "'?" : "");
    }
    const char *value = NULL;
    if (opt->arg && eq) {
        value = eq + 1;
    } else if (opt->arg) {
        if (*i + 1 >= argc)
            return sb_err_set(err, SB_EINVAL, "option '--%s' needs a value (%s)", name, opt->arg);
        value = argv[++*i];
    } else if (eq) {
        return sb_err_set(err, SB_EINVAL, "option '--%s' takes no value", name);
    }
    return store(cmd, opt, value, flags, out, err);
}

/* A cluster of short flags such as "-vv" or "-h". */
static int parse_short(const struct cli_command *cmd, const char *arg, struct settings_flags *flags,
                       struct cli_args *out, struct sb_err *err)
{
    for (const char *p = arg + 1; *p; p++) {
        const struct cli_opt *opt = find_short(cmd, *p);
        if (!opt)
            return sb_err_set(err, SB_EINVAL, "unknown option '-%c'", *p);
        int rc = store(cmd, opt, NULL, flags, out, err);
        if (rc != SB_OK)
            return rc;
    }
    return SB_OK;
}

int commands_parse(const struct cli_command *cmd, int argc, char **argv,
                   struct settings_flags *flags, struct cli_args *out, struct sb_err *err)
{
    memset(out, 0, sizeof(*out));
    out->pos = xcalloc((size_t)argc + 1, sizeof(char *));
    bool options = true;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int rc = SB_OK;
        if (options && !strcmp(a, "--"))
            options = false;
        else if (options && !strncmp(a, "--", 2))
            rc = parse_long(cmd, argc, argv, &i, flags, out, err);
        else if (options && a[0] == '-' && a[1])
            rc = parse_short(cmd, a, flags, out, err);
        else
            out->pos[out->npos++] = argv[i];
        if (rc != SB_OK)
            return rc;
    }
    if (out->help || !cmd)
        return SB_OK;
    if (out->npos < cmd->min_args)
        return sb_err_set(err, SB_EINVAL, "missing %s", cmd->args);
    if (cmd->max_args >= 0 && out->npos > cmd->max_args)
        return sb_err_set(err, SB_EINVAL, "unexpected argument '%s'", out->pos[cmd->max_args]);
    return SB_OK;
}

void commands_args_free(struct cli_args *a)
{
    free(a->pos);
    a->pos = NULL;
    a->npos = 0;
}

const char *cli_opt(const struct cli_ctx *ctx, const char *name)
{
    if (!ctx->command || !ctx->args)
        return NULL;
    const struct cli_opt *opt = commands_find_opt(ctx->command->opts, name);
    return opt ? ctx->args->values[opt - ctx->command->opts] : NULL;
}
