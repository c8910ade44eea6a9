/* customers list, customers show ID. */
#include <stdio.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/listview.h"
#include "common/jsonx.h"
#include "common/model.h"

int cmd_customers_list(struct cli_ctx *ctx, int argc, char **argv)
{
    json_object *body = NULL;
    int rc = cmdutil_show(ctx, "/api/customers", "customers", &body);
    if (rc != CLI_OK || !body)
        return rc;
    static const struct listview_col cols[] = {
        {"ID", "id", LV_TEXT, LV_FIXED},
        {"NAME", "name", LV_TEXT, LV_SHRINK},
        {"LEVEL", "service_level", LV_TEXT, LV_FIXED},
        {"DEVICES", "devices", LV_COUNT, LV_FIXED},
    };
    rc = listview_print(ctx, cmdutil_list(body, "customers"), cols, sizeof(cols) / sizeof(cols[0]),
                        "no customers");
    json_object_put(body);
    return rc;
}

int cmd_customers_show(struct cli_ctx *ctx, int argc, char **argv)
{
    char esc[3 * MODEL_ID_MAX + 1], path[512], what[MODEL_ID_MAX + 16];
    json_object *body = NULL;
    if (rest_escape(argv[1], esc, sizeof(esc)) < 0)
        return commands_usage_error(ctx->command, "customer id is too long");
    snprintf(path, sizeof(path), "/api/customers/%s", esc);
    snprintf(what, sizeof(what), "customer %s", argv[1]);
    int rc = cmdutil_show(ctx, path, what, &body);
    if (rc != CLI_OK || !body)
        return rc;
    json_object *c = cmdutil_unwrap(body, "customer"), *devices = NULL;
    char buf[MODEL_NAME_MAX];
    struct table *t = table_new(2);
    table_add_styled(t, "ID", TABLE_DIM);
    table_add(t, cmdutil_field(c, "id", buf, sizeof(buf)));
    table_add_styled(t, "Name", TABLE_DIM);
    table_add(t, cmdutil_field(c, "name", buf, sizeof(buf)));
    table_add_styled(t, "Level", TABLE_DIM);
    table_add(t, cmdutil_field(c, "service_level", buf, sizeof(buf)));
    json_object_object_get_ex(c, "devices", &devices);
    for (size_t i = 0; devices && i < json_object_array_length(devices); i++) {
        json_object *d = json_object_array_get_idx(devices, i);
        char id[MODEL_ID_MAX];
        snprintf(id, sizeof(id), "%s", cmdutil_field(d, "id", buf, sizeof(buf)));
        table_add_styled(t, i == 0 ? "Devices" : "", TABLE_DIM);
        table_addf(t, "%s  %s (%s, %s)", id, cmdutil_field(d, "name", buf, sizeof(buf)),
                   jsonx_get_string(d, "location") ?: "-", jsonx_get_string(d, "state") ?: "-");
    }
    rc = cmdutil_print_table(ctx, t);
    table_free(t);
    json_object_put(body);
    return rc;
}
