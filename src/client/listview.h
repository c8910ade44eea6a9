/* Lists of records as tables, described by data: one struct listview_col
 * per column says which field it shows and how. The commands that list
 * devices, customers or messages only declare their columns. */
#ifndef SB_LISTVIEW_H
#define SB_LISTVIEW_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/cli.h"

enum listview_kind {
    LV_TEXT,   /* the field as text ("-" when absent) */
    LV_NUMBER, /* right-aligned */
    LV_STATE,  /* "on" in green, anything else dim */
    LV_TIME,   /* an ISO 8601 timestamp in local time with offset (timefmt.h) */
    LV_COUNT,  /* the length of a list field, right-aligned */
    LV_DIM,    /* text of lesser importance */
};

/* What a column does when the terminal is too narrow. */
enum listview_fit {
    LV_FIXED,  /* shrinks last */
    LV_SHRINK, /* shrinks first; cut cells end in "…" */
    LV_WRAP,   /* shrinks first; cells wrap onto more lines */
};

struct listview_col {
    const char *header;
    const char *key;
    enum listview_kind kind;
    enum listview_fit fit;
};

/* Prints the records of list as a table on stdout; when there are none,
 * prints empty_msg on stderr instead. Returns an enum cli_exit. */
int listview_print(const struct cli_ctx *ctx, json_object *list, const struct listview_col *cols,
                   size_t ncols, const char *empty_msg);

#endif
