/* version and help: the commands that need no server. */
#include "config.h"

#include <stdio.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "common/xalloc.h"

int cmd_version(struct cli_ctx *ctx, int argc, char **argv)
{
    if (!ctx->json) {
        printf("servicebot %s\n", PACKAGE_VERSION);
        return CLI_OK;
    }
    json_object *v = xjson(json_object_new_object());
    json_object_object_add(v, "version", xjson(json_object_new_string(PACKAGE_VERSION)));
    int rc = cmdutil_print_json(ctx, v);
    json_object_put(v);
    return rc;
}

int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        commands_overview(stdout);
        return CLI_OK;
    }
    int used = 0;
    const struct cli_command *cmd = commands_lookup(argc - 1, argv + 1, &used);
    if (!cmd && argc == 2 && commands_is_group(argv[1])) {
        commands_group_help(stdout, argv[1]);
        return CLI_OK;
    }
    if (!cmd || used != argc - 1) {
        char buf[64];
        const char *near = commands_is_group(argv[1]) && argc > 2
                               ? commands_suggest(argv[1], argv[2], buf, sizeof(buf))
                               : commands_suggest(argv[1], NULL, buf, sizeof(buf));
        return commands_usage_error(ctx->command, "no such command '%s%s%s'%s%s%s", argv[1],
                                    argc > 2 ? " " : "", argc > 2 ? argv[2] : "",
                                    near ? "; did you mean '" : "", near ? near : "",
                                    near ? "'?" : "");
    }
    commands_help(stdout, cmd);
    return CLI_OK;
}
