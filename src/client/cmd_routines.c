/* routines list, routines show, routines add, routines rm, routines run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/termsafe.h"
#include "client/timefmt.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

#define PATH_MAX_LEN 1024

/* /api/customers/{id}/routines[/{name}[/run]] for the customer to act for. */
static int routine_path(const struct cli_ctx *ctx, const char *name, const char *tail, char *path,
                        size_t n)
{
    char customer[MODEL_ID_MAX], cesc[3 * MODEL_ID_MAX + 1], nesc[3 * MODEL_ROUTINE_NAME_MAX + 1];
    int rc = cmdutil_customer(ctx, customer, sizeof customer);
    if (rc != CLI_OK)
        return rc;
    if (rest_escape(customer, cesc, sizeof cesc) < 0)
        return cmdutil_fail(ctx, CLI_USAGE, "customer id is too long");
    if (name && (strlen(name) > MODEL_ROUTINE_NAME_MAX || rest_escape(name, nesc, sizeof nesc) < 0))
        return commands_usage_error(ctx->command, "a routine name has at most %d bytes",
                                    MODEL_ROUTINE_NAME_MAX);
    snprintf(path, n, "/api/customers/%s/routines%s%s%s", cesc, name ? "/" : "", name ? nesc : "",
             tail ? tail : "");
    return CLI_OK;
}

/* "06:30 mon tue wed thu fri" or "21:00 on 2026-12-02"; "-" when unscheduled. */
static const char *schedule_text(json_object *r, char *buf, size_t n)
{
    json_object *s = json_object_object_get(r, "schedule"), *days;
    size_t o;
    if (!s || !json_object_is_type(s, json_type_object))
        return "-";
    o = (size_t)snprintf(buf, n, "%s", jsonx_get_string(s, "time") ?: "?");
    if (jsonx_get_string(s, "date"))
        snprintf(buf + o, n - o, " on %s", jsonx_get_string(s, "date"));
    else if ((days = json_object_object_get(s, "days")) && json_object_array_length(days) == 7)
        snprintf(buf + o, n - o, " daily");
    else
        for (size_t i = 0; days && i < json_object_array_length(days) && o < n; i++)
            o += (size_t)snprintf(buf + o, n - o, " %s",
                                  json_object_get_string(json_object_array_get_idx(days, i)));
    return buf;
}

/* The steps as "1. a  2. b". */
static const char *steps_text(json_object *r, char *buf, size_t n)
{
    json_object *steps = json_object_object_get(r, "steps");
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; steps && i < json_object_array_length(steps) && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%zu. %s", i ? "  " : "", i + 1,
                              json_object_get_string(json_object_array_get_idx(steps, i)));
    return buf;
}

int cmd_routines_list(struct cli_ctx *ctx, int argc, char **argv)
{
    char path[PATH_MAX_LEN], a[256], b[2048], c[64], d[64];
    json_object *body = NULL;
    (void)argc;
    (void)argv;
    int rc = routine_path(ctx, NULL, NULL, path, sizeof path);
    if (rc == CLI_OK)
        rc = cmdutil_show(ctx, path, "routines", &body);
    if (rc != CLI_OK || !body)
        return rc;
    json_object *list = cmdutil_list(body, "routines");
    struct table *t = table_new(5);
    table_header(t, "NAME", "SCHEDULE", "NEXT RUN", "LAST", "STEPS", NULL);
    table_flexible(t, 4);
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *r = json_object_array_get_idx(list, i);
        table_add(t, jsonx_get_string(r, "name"));
        table_add(t, schedule_text(r, a, sizeof a));
        table_add(t, timefmt_iso(jsonx_get_string(r, "next_run"), ctx->utc, c, sizeof c));
        table_add(t, cmdutil_field(r, "last_outcome", d, sizeof d));
        table_add(t, steps_text(r, b, sizeof b));
    }
    if (table_rows(t) == 0)
        termsafe_fprintf(stderr, "servicebot: no routines yet (time zone %s)\n",
                         jsonx_get_string(body, "timezone") ?: "UTC");
    else
        rc = cmdutil_print_table(ctx, t);
    table_free(t);
    json_object_put(body);
    return rc;
}

static int print_routine(const struct cli_ctx *ctx, json_object *r)
{
    char buf[2048];
    struct table *t = table_new(2);
    table_wrap(t, 1);
    table_add_styled(t, "Name", TABLE_DIM);
    table_add(t, jsonx_get_string(r, "name"));
    table_add_styled(t, "Steps", TABLE_DIM);
    table_add(t, steps_text(r, buf, sizeof buf));
    table_add_styled(t, "Schedule", TABLE_DIM);
    table_add(t, schedule_text(r, buf, sizeof buf));
    table_add_styled(t, "Next run", TABLE_DIM);
    table_add(t, timefmt_iso(jsonx_get_string(r, "next_run"), ctx->utc, buf, sizeof buf));
    table_add_styled(t, "Last run", TABLE_DIM);
    table_add(t, timefmt_iso(jsonx_get_string(r, "last_run"), ctx->utc, buf, sizeof buf));
    table_add_styled(t, "Last outcome", TABLE_DIM);
    table_add(t, cmdutil_field(r, "last_outcome", buf, sizeof buf));
    int rc = cmdutil_print_table(ctx, t);
    table_free(t);
    return rc;
}

int cmd_routines_show(struct cli_ctx *ctx, int argc, char **argv)
{
    char path[PATH_MAX_LEN], what[MODEL_ROUTINE_NAME_MAX + 16];
    json_object *body = NULL;
    (void)argc;
    snprintf(what, sizeof what, "routine %s", argv[1]);
    int rc = routine_path(ctx, argv[1], NULL, path, sizeof path);
    if (rc == CLI_OK)
        rc = cmdutil_show(ctx, path, what, &body);
    if (rc == CLI_OK && body)
        rc = print_routine(ctx, cmdutil_unwrap(body, "routine"));
    json_object_put(body);
    return rc;
}

/* --days: "mon,wed", "weekdays", "weekends" or "daily" as the day keys. */
static json_object *days_json(const char *arg)
{
    static const struct {
        const char *word, *days;
    } sets[] = {{"daily", "sun,mon,tue,wed,thu,fri,sat"},
                {"weekdays", "mon,tue,wed,thu,fri"},
                {"weekends", "sat,sun"}};
    char copy[64], *save = NULL;
    json_object *list = xjson(json_object_new_array());
    snprintf(copy, sizeof copy, "%s", arg);
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        if (strcmp(arg, sets[i].word) == 0)
            snprintf(copy, sizeof copy, "%s", sets[i].days);
    for (char *d = strtok_r(copy, ", ", &save); d; d = strtok_r(NULL, ", ", &save))
        json_object_array_add(list, xjson(json_object_new_string(d)));
    return list;
}

int cmd_routines_add(struct cli_ctx *ctx, int argc, char **argv)
{
    char path[PATH_MAX_LEN], what[MODEL_ROUTINE_NAME_MAX + 16];
    const char *at = cli_opt(ctx, "at"), *days = cli_opt(ctx, "days"), *date = cli_opt(ctx, "date");
    json_object *body = xjson(json_object_new_object()), *steps = xjson(json_object_new_array()),
                *out = NULL;
    int rc;
    if ((days || date) && !at) {
        json_object_put(steps);
        json_object_put(body);
        return commands_usage_error(ctx->command, "--days and --date need --at HH:MM");
    }
    for (int i = 2; i < argc; i++)
        json_object_array_add(steps, xjson(json_object_new_string(argv[i])));
    json_object_object_add(body, "steps", steps);
    if (at) {
        json_object *s = xjson(json_object_new_object());
        json_object_object_add(s, "time", xjson(json_object_new_string(at)));
        if (days)
            json_object_object_add(s, "days", days_json(days));
        if (date)
            json_object_object_add(s, "date", xjson(json_object_new_string(date)));
        json_object_object_add(body, "schedule", s);
    }
    snprintf(what, sizeof what, "routine %s", argv[1]);
    rc = routine_path(ctx, argv[1], NULL, path, sizeof path);
    if (rc == CLI_OK)
        rc = cmdutil_call(ctx, "PUT", path, body, what, &out);
    if (rc == CLI_OK && ctx->json)
        rc = cmdutil_print_json(ctx, out);
    else if (rc == CLI_OK && !ctx->quiet)
        rc = print_routine(ctx, cmdutil_unwrap(out, "routine"));
    json_object_put(out);
    json_object_put(body);
    return rc;
}

/* A call on one routine (DELETE it, POST .../run) and what to tell the user. */
static int routine_call(struct cli_ctx *ctx, const char *name, const char *method, const char *tail,
                        void (*say)(json_object *out, const char *name))
{
    char path[PATH_MAX_LEN], what[MODEL_ROUTINE_NAME_MAX + 16];
    json_object *out = NULL;
    snprintf(what, sizeof what, "routine %s", name);
    int rc = routine_path(ctx, name, tail, path, sizeof path);
    if (rc == CLI_OK)
        rc = cmdutil_call(ctx, method, path, NULL, what, &out);
    if (rc == CLI_OK && ctx->json)
        rc = cmdutil_print_json(ctx, out);
    else if (rc == CLI_OK && !ctx->quiet)
        say(out, name);
    json_object_put(out);
    return rc;
}

static void say_removed(json_object *out, const char *name)
{
    fprintf(stderr, "servicebot: removed routine %s\n",
            jsonx_get_string(cmdutil_unwrap(out, "routine"), "name") ?: name);
}

static void say_ran(json_object *out, const char *name)
{
    (void)name;
    printf("%s\n", jsonx_get_string(json_object_object_get(out, "run"), "message") ?: "");
}

int cmd_routines_rm(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    return routine_call(ctx, argv[1], "DELETE", NULL, say_removed);
}

int cmd_routines_run(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    return routine_call(ctx, argv[1], "POST", "/run", say_ran);
}
