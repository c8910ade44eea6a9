#include "client/listview.h"

#include <stdio.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/table.h"
#include "client/timefmt.h"
#include "common/jsonx.h"
#include "common/util.h"

/* One cell of record r for column c. */
static void add_cell(const struct cli_ctx *ctx, struct table *t, json_object *r,
                     const struct listview_col *c)
{
    char buf[1024];
    json_object *v = NULL;
    switch (c->kind) {
    case LV_STATE: {
        const char *state = jsonx_get_string(r, c->key);
        table_add_styled(t, state ? state : "-",
                         state && !strcmp(state, "on") ? TABLE_GOOD : TABLE_DIM);
        break;
    }
    case LV_TIME:
        table_add(t, timefmt_iso(jsonx_get_string(r, c->key), ctx->utc, buf, sizeof(buf)));
        break;
    case LV_COUNT:
        json_object_object_get_ex(r, c->key, &v);
        table_addf(t, "%zu",
                   json_object_is_type(v, json_type_array) ? json_object_array_length(v)
                                                           : (size_t)0);
        break;
    case LV_DIM:
        table_add_styled(t, cmdutil_field(r, c->key, buf, sizeof(buf)), TABLE_DIM);
        break;
    default:
        table_add(t, cmdutil_field(r, c->key, buf, sizeof(buf)));
    }
}

int listview_print(const struct cli_ctx *ctx, json_object *list, const struct listview_col *cols,
                   size_t ncols, const char *empty_msg)
{
    size_t n = list ? json_object_array_length(list) : 0;
    if (n == 0) {
        fprintf(stderr, "%s: %s\n", ctx->prog, empty_msg);
        return CLI_OK;
    }
    struct table *t = table_new(ncols);
    for (size_t c = 0; c < ncols; c++) {
        table_add(t, cols[c].header);
        if (cols[c].kind == LV_NUMBER || cols[c].kind == LV_COUNT)
            table_align_right(t, c);
        if (cols[c].fit == LV_SHRINK)
            table_flexible(t, c);
        else if (cols[c].fit == LV_WRAP)
            table_wrap(t, c);
    }
    table_first_row_is_header(t);
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < ncols; c++)
            add_cell(ctx, t, json_object_array_get_idx(list, i), &cols[c]);
    }
    int rc = cmdutil_print_table(ctx, t);
    table_free(t);
    return rc;
}
