/* history: a customer's conversation messages, oldest first. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/listview.h"
#include "client/termsafe.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/util.h"

/* Appends "&name=value" (value escaped) to the query in buf. */
static int add_param(char *buf, size_t n, const char *name, const char *value)
{
    char esc[3 * MODEL_NAME_MAX + 1];
    size_t used = strlen(buf);
    if (rest_escape(value, esc, sizeof(esc)) < 0)
        return -1;
    int w = snprintf(buf + used, n - used, "%c%s=%s", strchr(buf, '?') ? '&' : '?', name, esc);
    return w < 0 || (size_t)w >= n - used ? -1 : 0;
}

/* The request path from the options, validated before anything is sent. */
static int build_path(struct cli_ctx *ctx, const char *customer, char *path, size_t n)
{
    const char *conv = cli_opt(ctx, "conversation"), *limit = cli_opt(ctx, "limit");
    const char *before = cli_opt(ctx, "before");
    if (limit) {
        char *end;
        errno = 0;
        long v = strtol(limit, &end, 10);
        if (errno || end == limit || *end || v < 1 || v > MODEL_HISTORY_MAX)
            return commands_usage_error(ctx->command,
                                        "limit must be 1-%d (the server's maximum page), got '%s'",
                                        MODEL_HISTORY_MAX, limit);
    }
    int64_t ms;
    if (before && util_parse_timestamp(before, &ms) < 0)
        return commands_usage_error(
            ctx->command,
            "before must be an ISO 8601 UTC time such as 2026-11-24T23:00:00Z, got '%s'", before);
    char esc[3 * MODEL_ID_MAX + 1];
    if (rest_escape(customer, esc, sizeof(esc)) < 0)
        return commands_usage_error(ctx->command, "customer id is too long");
    snprintf(path, n, "/api/chat/history/%s", esc);
    if ((conv && add_param(path, n, "conversationId", conv) < 0) ||
        (limit && add_param(path, n, "limit", limit) < 0) ||
        (before && add_param(path, n, "before", before) < 0))
        return commands_usage_error(ctx->command, "an option value is too long");
    return CLI_OK;
}

int cmd_history_print(const struct cli_ctx *ctx, json_object *body)
{
    /* One conversation asked for: its id would repeat on every row. */
    static const struct listview_col all[] = {
        {"TIME", "timestamp", LV_TIME, LV_FIXED},
        {"CONVERSATION", "conversationId", LV_TEXT, LV_FIXED},
        {"FROM", "sender", LV_DIM, LV_FIXED},
        {"TEXT", "text", LV_TEXT, LV_WRAP},
    };
    static const struct listview_col one[] = {
        {"TIME", "timestamp", LV_TIME, LV_FIXED},
        {"FROM", "sender", LV_DIM, LV_FIXED},
        {"TEXT", "text", LV_TEXT, LV_WRAP},
    };
    bool single = cli_opt(ctx, "conversation") != NULL;
    int rc = listview_print(ctx, cmdutil_list(body, "messages"), single ? one : all,
                            single ? sizeof(one) / sizeof(one[0]) : sizeof(all) / sizeof(all[0]),
                            "no messages");
    const char *next = jsonx_get_string(body, "nextBefore");
    if (rc == CLI_OK && next)
        termsafe_fprintf(stderr, "%s: older messages: add --before %s\n", ctx->prog, next);
    return rc;
}

int cmd_history(struct cli_ctx *ctx, int argc, char **argv)
{
    char customer[MODEL_ID_MAX], path[2048];
    json_object *body = NULL;
    bool follow = cli_opt(ctx, "follow") != NULL;
    if (follow && cli_opt(ctx, "before"))
        return commands_usage_error(ctx->command,
                                    "--follow shows the newest messages: no --before");
    int rc = cmdutil_customer(ctx, customer, sizeof(customer));
    if (rc == CLI_OK)
        rc = build_path(ctx, customer, path, sizeof(path));
    if (rc == CLI_OK && follow)
        return cmd_history_follow(ctx, customer, path, cli_opt(ctx, "conversation"));
    if (rc == CLI_OK)
        rc = cmdutil_show(ctx, path, "history", &body);
    if (rc != CLI_OK || !body)
        return rc;
    rc = cmd_history_print(ctx, body);
    json_object_put(body);
    return rc;
}
