/* devices list, device show, device set. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/listview.h"
#include "client/timefmt.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

#define PATH_MAX_LEN 1024

/* GET /api/customers/{id}/devices. */
static int fetch_devices(const struct cli_ctx *ctx, const char *customer, json_object **body)
{
    char esc[3 * MODEL_ID_MAX + 1], path[PATH_MAX_LEN], what[MODEL_ID_MAX + 16];
    if (rest_escape(customer, esc, sizeof(esc)) < 0)
        return cmdutil_fail(ctx, CLI_USAGE, "customer id is too long");
    snprintf(path, sizeof(path), "/api/customers/%s/devices", esc);
    snprintf(what, sizeof(what), "customer %s", customer);
    return cmdutil_call(ctx, "GET", path, NULL, what, body);
}

/* The customer's devices: the customer from the options, then its list. */
static int load_devices(const struct cli_ctx *ctx, char *customer, size_t n, json_object **body)
{
    *body = NULL;
    int rc = cmdutil_customer(ctx, customer, n);
    return rc == CLI_OK ? fetch_devices(ctx, customer, body) : rc;
}

/* The device whose id (or, failing that, name) is wanted; NULL when none. */
static json_object *find_device(json_object *list, const char *wanted)
{
    size_t n = list ? json_object_array_length(list) : 0;
    for (int by_name = 0; by_name < 2; by_name++) {
        for (size_t i = 0; i < n; i++) {
            json_object *d = json_object_array_get_idx(list, i);
            const char *v = jsonx_get_string(d, by_name ? "name" : "id");
            if (v && (by_name ? strcasecmp(v, wanted) : strcmp(v, wanted)) == 0)
                return d;
        }
    }
    return NULL;
}

/* "unknown device 'x' for cust_001 (its devices: dev_001, dev_002)". */
static int unknown_device(const struct cli_ctx *ctx, const char *customer, const char *device,
                          json_object *list)
{
    char ids[600];
    cmdutil_join(list, "id", ids, sizeof(ids));
    return cmdutil_fail_json(ctx, CLI_NOT_FOUND, "not_found",
                             "unknown device '%s' for %s (its devices: %s)", device, customer,
                             *ids ? ids : "none");
}

static int print_device(const struct cli_ctx *ctx, json_object *d)
{
    static const struct {
        const char *label, *key;
    } rows[] = {
        {"ID", "id"},
        {"Name", "name"},
        {"Type", "type"},
        {"Location", "location"},
        {"State", "state"},
        {"Volume", "volume"},
        {"Song", "current_song"},
        {"Playback", "playback"},
        {"Playlist", "playlist"},
        {"Capabilities", "capabilities"},
        {"Last updated", "lastUpdated"},
    };
    struct table *t = table_new(2);
    char buf[2048];
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        table_add_styled(t, rows[i].label, TABLE_DIM);
        if (!strcmp(rows[i].key, "lastUpdated"))
            table_add(t,
                      timefmt_iso(jsonx_get_string(d, "lastUpdated"), ctx->utc, buf, sizeof(buf)));
        else
            table_add(t, cmdutil_field(d, rows[i].key, buf, sizeof(buf)));
    }
    int rc = cmdutil_print_table(ctx, t);
    table_free(t);
    return rc;
}

int cmd_devices_print(const struct cli_ctx *ctx, json_object *list, const char *customer)
{
    static const struct listview_col cols[] = {
        {"ID", "id", LV_TEXT, LV_FIXED},
        {"NAME", "name", LV_TEXT, LV_SHRINK},
        {"TYPE", "type", LV_TEXT, LV_FIXED},
        {"LOCATION", "location", LV_TEXT, LV_FIXED},
        {"STATE", "state", LV_STATE, LV_FIXED},
        {"VOLUME", "volume", LV_NUMBER, LV_FIXED},
        {"SONG", "current_song", LV_TEXT, LV_SHRINK},
        {"PLAYBACK", "playback", LV_TEXT, LV_FIXED},
    };
    char empty[MODEL_ID_MAX + 32];
    snprintf(empty, sizeof(empty), "%s has no devices", customer);
    return listview_print(ctx, list, cols, sizeof(cols) / sizeof(cols[0]), empty);
}

int cmd_devices_list(struct cli_ctx *ctx, int argc, char **argv)
{
    char customer[MODEL_ID_MAX];
    json_object *body;
    int rc = load_devices(ctx, customer, sizeof(customer), &body);
    if (rc != CLI_OK)
        return rc;
    if (ctx->json)
        rc = cmdutil_print_json(ctx, body);
    else
        rc = cmd_devices_print(ctx, cmdutil_list(body, "devices"), customer);
    json_object_put(body);
    return rc;
}

int cmd_device_show(struct cli_ctx *ctx, int argc, char **argv)
{
    char customer[MODEL_ID_MAX];
    json_object *body;
    int rc = load_devices(ctx, customer, sizeof(customer), &body);
    if (rc != CLI_OK)
        return rc;
    json_object *list = cmdutil_list(body, "devices");
    json_object *d = find_device(list, argv[1]);
    if (!d) {
        rc = unknown_device(ctx, customer, argv[1], list);
    } else if (ctx->json) {
        json_object *wrap = xjson(json_object_new_object());
        json_object_object_add(wrap, "device", json_object_get(d));
        rc = cmdutil_print_json(ctx, wrap);
        json_object_put(wrap);
    } else {
        rc = print_device(ctx, d);
    }
    json_object_put(body);
    return rc;
}

/* The PATCH body from the options, validated before anything is sent. */
static int build_patch(struct cli_ctx *ctx, json_object **out)
{
    const char *state = cli_opt(ctx, "state"), *volume = cli_opt(ctx, "volume");
    const char *location = cli_opt(ctx, "location"), *song = cli_opt(ctx, "song");
    const char *playback = cli_opt(ctx, "playback");
    *out = NULL;
    if (!state && !volume && !location && !song && !playback)
        return commands_usage_error(ctx->command, "nothing to change: give --state, --volume, "
                                                  "--location, --song or --playback");
    if (state && strcmp(state, "on") && strcmp(state, "off"))
        return commands_usage_error(ctx->command, "state must be on or off, got '%s'", state);
    if (playback && strcmp(playback, "playing") && strcmp(playback, "paused"))
        return commands_usage_error(ctx->command, "playback must be playing or paused, got '%s'",
                                    playback);
    long vol = 0;
    if (volume) {
        char *end;
        errno = 0;
        vol = strtol(volume, &end, 10);
        if (errno || end == volume || *end || vol < 0 || vol > MODEL_VOLUME_MAX)
            return commands_usage_error(ctx->command, "volume must be 0-%d, got '%s'",
                                        MODEL_VOLUME_MAX, volume);
    }
    if (location && (!*location || strlen(location) >= MODEL_NAME_MAX))
        return commands_usage_error(ctx->command, "location must be 1-%d characters",
                                    MODEL_NAME_MAX - 1);
    if (song && (!*song || strlen(song) >= MODEL_NAME_MAX))
        return commands_usage_error(ctx->command, "song must be 1-%d characters",
                                    MODEL_NAME_MAX - 1);
    json_object *body = xjson(json_object_new_object());
    if (state)
        json_object_object_add(body, "state", xjson(json_object_new_string(state)));
    if (volume)
        json_object_object_add(body, "volume", xjson(json_object_new_int((int)vol)));
    if (location)
        json_object_object_add(body, "location", xjson(json_object_new_string(location)));
    if (song)
        json_object_object_add(body, "current_song", xjson(json_object_new_string(song)));
    if (playback)
        json_object_object_add(body, "playback", xjson(json_object_new_string(playback)));
    *out = body;
    return CLI_OK;
}

/* After a 404 from PATCH: the id of the device so named (into id), or
 * CLI_NOT_FOUND after telling which devices exist. */
static int device_by_name(const struct cli_ctx *ctx, const char *customer, const char *device,
                          char *id, size_t n)
{
    json_object *body = NULL;
    int rc = fetch_devices(ctx, customer, &body);
    if (rc != CLI_OK)
        return rc;
    json_object *list = cmdutil_list(body, "devices");
    const char *found = jsonx_get_string(find_device(list, device), "id");
    if (found && strcmp(found, device))
        snprintf(id, n, "%s", found);
    else
        rc = unknown_device(ctx, customer, device, list);
    json_object_put(body);
    return rc;
}

/* PATCH one device of customer; *r is the answer. */
static int patch_device(const struct cli_ctx *ctx, const char *customer, const char *device,
                        json_object *patch, struct rest_response *r)
{
    char cesc[3 * MODEL_ID_MAX + 1], desc[3 * MODEL_NAME_MAX + 1], path[PATH_MAX_LEN];
    struct sb_err err = {0};
    if (rest_escape(customer, cesc, sizeof(cesc)) < 0 ||
        rest_escape(device, desc, sizeof(desc)) < 0)
        return commands_usage_error(ctx->command, "id is too long");
    snprintf(path, sizeof(path), "/api/customers/%s/devices/%s", cesc, desc);
    if (rest_request(ctx, "PATCH", path, patch, r, &err) != SB_OK)
        return cmdutil_fail_err(ctx, &err);
    return CLI_OK;
}

static bool is_not_found(const struct rest_response *r)
{
    return r->status == 404 && r->body &&
           !strcmp(jsonx_get_string(r->body, "code") ?: "", "not_found");
}

int cmd_device_set(struct cli_ctx *ctx, int argc, char **argv)
{
    char customer[MODEL_ID_MAX], id[MODEL_ID_MAX];
    json_object *patch = NULL;
    struct rest_response r = {0};
    int rc = build_patch(ctx, &patch);
    if (rc == CLI_OK)
        rc = cmdutil_customer(ctx, customer, sizeof(customer));
    if (rc == CLI_OK)
        rc = patch_device(ctx, customer, argv[1], patch, &r);
    /* Not an id: a device's name, as device show takes (one more GET, only then). */
    if (rc == CLI_OK && is_not_found(&r)) {
        rest_response_free(&r);
        rc = device_by_name(ctx, customer, argv[1], id, sizeof(id));
        if (rc == CLI_OK)
            rc = patch_device(ctx, customer, id, patch, &r);
    }
    if (rc != CLI_OK)
        goto out;
    rc = rest_exit_code(&r);
    if (rc != CLI_OK)
        rc = cmdutil_fail_response(ctx, &r, argv[1]);
    else if (!r.body)
        rc = cmdutil_fail(ctx, CLI_FAIL, "the server's answer is not JSON");
    else if (ctx->quiet)
        rc = CLI_OK;
    else if (ctx->json)
        rc = cmdutil_print_json(ctx, r.body);
    else
        rc = print_device(ctx, cmdutil_unwrap(r.body, "device"));
out:
    rest_response_free(&r);
    if (patch)
        json_object_put(patch);
    return rc;
}
