/* levels show [LEVEL], capabilities: the plans and what each allows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/termsafe.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

/* The service levels in a list body, sorted by rank (a new array holding references). */
static json_object *sorted_levels(json_object *body)
{
    json_object *list = cmdutil_list(body, "service_levels");
    if (!list)
        list = cmdutil_list(body, "levels");
    json_object *sorted = xjson(json_object_new_array());
    size_t n = list ? json_object_array_length(list) : 0;
    for (size_t i = 0; i < n; i++)
        json_object_array_add(sorted, json_object_get(json_object_array_get_idx(list, i)));
    /* Insertion sort: there are only a handful of levels. */
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0; j--) {
            json_object *a = json_object_array_get_idx(sorted, j - 1);
            json_object *b = json_object_array_get_idx(sorted, j);
            long long ra = 0, rb = 0;
            jsonx_get_int(a, "rank", &ra);
            jsonx_get_int(b, "rank", &rb);
            if (ra <= rb)
                break;
            json_object_get(a);
            json_object_get(b);
            json_object_array_put_idx(sorted, j - 1, b);
            json_object_array_put_idx(sorted, j, a);
        }
    }
    return sorted;
}

static bool list_has(json_object *list, const char *s)
{
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(list, i));
        if (v && !strcmp(v, s))
            return true;
    }
    return false;
}

/* Every action, in catalogue order, then any a level lists that the catalogue lacks. */
static json_object *all_actions(json_object *caps, json_object *levels)
{
    json_object *actions = xjson(json_object_new_array());
    for (size_t i = 0; caps && i < json_object_array_length(caps); i++) {
        const char *a = jsonx_get_string(json_object_array_get_idx(caps, i), "action");
        if (a && !list_has(actions, a))
            json_object_array_add(actions, xjson(json_object_new_string(a)));
    }
    for (size_t i = 0; i < json_object_array_length(levels); i++) {
        json_object *allowed;
        if (!json_object_object_get_ex(json_object_array_get_idx(levels, i), "allowed_actions",
                                       &allowed))
            continue;
        for (size_t j = 0; j < json_object_array_length(allowed); j++) {
            const char *a = json_object_get_string(json_object_array_get_idx(allowed, j));
            if (a && !list_has(actions, a))
                json_object_array_add(actions, xjson(json_object_new_string(a)));
        }
    }
    return actions;
}

/* The catalogue's display name for an action, or the action itself. */
static const char *action_name(json_object *caps, const char *action)
{
    for (size_t i = 0; caps && i < json_object_array_length(caps); i++) {
        json_object *c = json_object_array_get_idx(caps, i);
        const char *a = jsonx_get_string(c, "action"), *name = jsonx_get_string(c, "name");
        if (a && name && !strcmp(a, action))
            return name;
    }
    return action;
}

static void add_yes_no(struct table *t, bool yes)
{
    table_add_styled(t, yes ? "yes" : "no", yes ? TABLE_GOOD : TABLE_BAD);
}

/* All levels side by side: price, device limit, then a row per action. */
static int print_matrix(const struct cli_ctx *ctx, json_object *levels, json_object *caps)
{
    size_t n = json_object_array_length(levels);
    struct table *t = table_new(n + 1);
    json_object *actions = all_actions(caps, levels);
    char buf[256];
    table_add(t, "");
    for (size_t i = 0; i < n; i++) {
        json_object *l = json_object_array_get_idx(levels, i);
        const char *name = jsonx_get_string(l, "name");
        table_add(t, name ? name : cmdutil_field(l, "level", buf, sizeof(buf)));
        table_align_right(t, i + 1);
    }
    table_first_row_is_header(t);
    table_add_styled(t, "Price", TABLE_DIM);
    for (size_t i = 0; i < n; i++) {
        cmdutil_price(json_object_array_get_idx(levels, i), buf, sizeof(buf));
        table_add(t, buf);
    }
    table_add_styled(t, "Devices", TABLE_DIM);
    for (size_t i = 0; i < n; i++)
        table_add(t, cmdutil_field(json_object_array_get_idx(levels, i), "max_devices", buf,
                                   sizeof(buf)));
    for (size_t a = 0; a < json_object_array_length(actions); a++) {
        const char *action = json_object_get_string(json_object_array_get_idx(actions, a));
        table_add(t, action_name(caps, action));
        for (size_t i = 0; i < n; i++) {
            json_object *allowed = NULL;
            json_object_object_get_ex(json_object_array_get_idx(levels, i), "allowed_actions",
                                      &allowed);
            add_yes_no(t, list_has(allowed, action));
        }
    }
    int rc = cmdutil_print_table(ctx, t);
    table_free(t);
    json_object_put(actions);
    return rc;
}

static int print_level(const struct cli_ctx *ctx, json_object *level, json_object *caps)
{
    struct table *t = table_new(2);
    char buf[1024];
    json_object *allowed = NULL;
    table_add_styled(t, "Level", TABLE_DIM);
    table_add(t, cmdutil_field(level, "level", buf, sizeof(buf)));
    table_add_styled(t, "Name", TABLE_DIM);
    table_add(t, cmdutil_field(level, "name", buf, sizeof(buf)));
    table_add_styled(t, "Description", TABLE_DIM);
    table_add(t, cmdutil_field(level, "description", buf, sizeof(buf)));
    table_add_styled(t, "Price", TABLE_DIM);
    cmdutil_price(level, buf, sizeof(buf));
    table_add(t, buf);
    table_add_styled(t, "Devices", TABLE_DIM);
    table_add(t, cmdutil_field(level, "max_devices", buf, sizeof(buf)));
    json_object_object_get_ex(level, "allowed_actions", &allowed);
    for (size_t i = 0; allowed && i < json_object_array_length(allowed); i++) {
        const char *a = json_object_get_string(json_object_array_get_idx(allowed, i));
        table_add_styled(t, i == 0 ? "Allows" : "", TABLE_DIM);
        table_add(t, action_name(caps, a ? a : "?"));
    }
    int rc = cmdutil_print_table(ctx, t);
    table_free(t);
    return rc;
}

/* After a 404 for one level: name the levels that exist. */
static void list_known_levels(const struct cli_ctx *ctx)
{
    json_object *body = NULL;
    if (cmdutil_call(ctx, "GET", "/api/service-levels", NULL, "levels", &body) != CLI_OK)
        return;
    json_object *levels = sorted_levels(body);
    char buf[512];
    cmdutil_join(levels, "level", buf, sizeof(buf));
    termsafe_fprintf(stderr, "%s: known levels: %s\n", ctx->prog, buf);
    json_object_put(levels);
    json_object_put(body);
}

int cmd_levels_show(struct cli_ctx *ctx, int argc, char **argv)
{
    json_object *body = NULL, *caps_body = NULL;
    char path[512], esc[3 * MODEL_ID_MAX + 1];
    int rc;
    if (argc > 1) {
        if (rest_escape(argv[1], esc, sizeof(esc)) < 0)
            return commands_usage_error(ctx->command, "level name is too long");
        snprintf(path, sizeof(path), "/api/service-levels/%s", esc);
        rc = cmdutil_show(ctx, path, argv[1], &body);
        if (rc == CLI_NOT_FOUND)
            list_known_levels(ctx);
    } else {
        rc = cmdutil_show(ctx, "/api/service-levels", "levels", &body);
    }
    if (rc != CLI_OK || !body)
        return rc;
    /* Display names for actions; the table still works without them. */
    rc = cmdutil_call(ctx, "GET", "/api/capabilities", NULL, "capabilities", &caps_body);
    if (rc != CLI_OK)
        goto out;
    json_object *caps = cmdutil_list(caps_body, "capabilities");
    if (argc > 1) {
        rc = print_level(ctx, cmdutil_unwrap(body, "service_level"), caps);
    } else {
        json_object *levels = sorted_levels(body);
        rc = print_matrix(ctx, levels, caps);
        json_object_put(levels);
    }
out:
    json_object_put(caps_body);
    json_object_put(body);
    return rc;
}

int cmd_capabilities(struct cli_ctx *ctx, int argc, char **argv)
{
    json_object *body = NULL;
    int rc = cmdutil_show(ctx, "/api/capabilities", "capabilities", &body);
    if (rc != CLI_OK || !body)
        return rc;
    json_object *caps = cmdutil_list(body, "capabilities");
    json_object *first =
        caps && json_object_array_length(caps) ? json_object_array_get_idx(caps, 0) : NULL;
    /* The per-level booleans are whatever boolean fields the records carry. */
    const char *levels[16];
    size_t nl = 0;
    if (first) {
        json_object_object_foreach(first, key, val)
        {
            if (json_object_is_type(val, json_type_boolean) && nl < 16)
                levels[nl++] = key;
        }
    }
    struct table *t = table_new(nl + 2);
    table_add(t, "CAPABILITY");
    table_add(t, "CATEGORY");
    for (size_t i = 0; i < nl; i++)
        table_add(t, levels[i]);
    table_first_row_is_header(t);
    char buf[256];
    for (size_t i = 0; caps && i < json_object_array_length(caps); i++) {
        json_object *c = json_object_array_get_idx(caps, i);
        table_add(t, cmdutil_field(c, "name", buf, sizeof(buf)));
        table_add(t, cmdutil_field(c, "category", buf, sizeof(buf)));
        for (size_t j = 0; j < nl; j++) {
            json_object *v = NULL;
            json_object_object_get_ex(c, levels[j], &v);
            add_yes_no(t, v && json_object_get_boolean(v));
        }
    }
    rc = cmdutil_print_table(ctx, t);
    table_free(t);
    json_object_put(body);
    return rc;
}
