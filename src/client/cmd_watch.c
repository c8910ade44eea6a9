/* Following the WebSocket's pushes until Ctrl-C: `devices watch` (device
 * pushes: a table redrawn on a terminal, else a line or with --json one
 * JSON object per change) and `history --follow` (message pushes: each new
 * message of the customer as a line or one JSON object). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/termsafe.h"
#include "client/timefmt.h"
#include "client/ws.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

static int stop_pipe[2] = {-1, -1}; /* the signal handler's self-pipe */

static void on_signal(int sig)
{
    int saved = errno;
    if (write(stop_pipe[1], "x", 1) < 0) {
        /* nothing to do: the loop wakes for the next event anyway */
    }
    errno = saved;
}

struct watch {
    struct cli_ctx *ctx;
    char customer[MODEL_ID_MAX];
    json_object *devices; /* the live list (an array we own) */
    bool terminal;        /* redraw a table rather than print lines */
    bool stop;
    bool connected; /* the last connection was greeted */
    int rc;
    /* history --follow: message pushes instead of device pushes. */
    bool messages;
    const char *conversation; /* only this conversation, or NULL */
    const char *history_path; /* the page fetched on every (re)connect */
    bool page_shown;
    char last_ts[64];      /* the newest message shown, so none shows twice */
    json_object *last_ids; /* the ids shown with that timestamp */
};

/* The whole screen: a title line, then the table (terminal mode). */
static void redraw(struct watch *w, const char *note)
{
    char now[64];
    timefmt_ms((int64_t)time(NULL) * 1000, w->ctx->utc, now, sizeof(now));
    fputs("\033[H\033[2J", stdout);
    termsafe_fprintf(stdout, "%s's devices on %s, %s%s (Ctrl-C stops)\n\n", w->customer,
                     w->ctx->server, note ? note : "updated ", note ? "" : now);
    cmd_devices_print(w->ctx, w->devices, w->customer);
    fflush(stdout);
}

/* Replaces (or adds, or removes) the device in the live list. */
static void update_list(struct watch *w, json_object *device, bool removed)
{
    const char *id = jsonx_get_string(device, "id");
    json_object *next = xjson(json_object_new_array());
    bool seen = false;
    for (size_t i = 0; i < json_object_array_length(w->devices); i++) {
        json_object *d = json_object_array_get_idx(w->devices, i);
        const char *did = jsonx_get_string(d, "id");
        if (id && did && !strcmp(id, did)) {
            seen = true;
            if (!removed)
                json_object_array_add(next, json_object_get(device));
        } else {
            json_object_array_add(next, json_object_get(d));
        }
    }
    if (!seen && !removed)
        json_object_array_add(next, json_object_get(device));
    json_object_put(w->devices);
    w->devices = next;
}

/* One line for a change when stdout is not a terminal (and not --json). */
static void print_change(struct watch *w, json_object *d, bool removed)
{
    char when[64], buf[1024];
    timefmt_iso(jsonx_get_string(d, "lastUpdated"), w->ctx->utc, when, sizeof(when));
    if (removed) {
        termsafe_fprintf(stdout, "%s  %s  %s: removed\n", when, cmdutil_field(d, "id", buf, 128),
                         jsonx_get_string(d, "name") ?: "-");
    } else {
        char vol[32], song[MODEL_NAME_MAX];
        snprintf(vol, sizeof(vol), "%s", cmdutil_field(d, "volume", buf, sizeof(buf)));
        snprintf(song, sizeof(song), "%s", cmdutil_field(d, "current_song", buf, sizeof(buf)));
        termsafe_fprintf(stdout, "%s  %s  %s: %s, volume %s, %s, in %s\n", when,
                         jsonx_get_string(d, "id") ?: "-", jsonx_get_string(d, "name") ?: "-",
                         jsonx_get_string(d, "state") ?: "-", vol, song,
                         jsonx_get_string(d, "location") ?: "-");
    }
    fflush(stdout);
}

/* Whether m is newer than what was shown (and then remembers it): the page
 * fetched on a reconnect and the pushes that follow may overlap. */
static bool is_new(struct watch *w, json_object *m)
{
    const char *ts = jsonx_get_string(m, "timestamp") ?: "", *id = jsonx_get_string(m, "id") ?: "";
    int order = strcmp(ts, w->last_ts);
    if (order < 0)
        return false;
    if (order == 0) {
        for (size_t i = 0; i < json_object_array_length(w->last_ids); i++) {
            if (!strcmp(json_object_get_string(json_object_array_get_idx(w->last_ids, i)), id))
                return false;
        }
    } else {
        snprintf(w->last_ts, sizeof(w->last_ts), "%s", ts);
        json_object_put(w->last_ids);
        w->last_ids = xjson(json_object_new_array());
    }
    json_object_array_add(w->last_ids, xjson(json_object_new_string(id)));
    return true;
}

/* One message of history --follow: a JSON line, or "TIME  [CONVERSATION]  FROM  TEXT". */
static void print_message(struct watch *w, json_object *m)
{
    const char *conv = jsonx_get_string(m, "conversationId");
    if (w->conversation && (!conv || strcmp(conv, w->conversation)))
        return;
    if (!is_new(w, m))
        return;
    if (w->ctx->json) {
        if (cmdutil_print_json_line(w->ctx, m) != CLI_OK)
            w->rc = CLI_FAIL;
    } else {
        char when[64];
        timefmt_iso(jsonx_get_string(m, "timestamp"), w->ctx->utc, when, sizeof(when));
        termsafe_fprintf(stdout, "%s  %s%s%-4s  ", when,
                         w->conversation ? ""
                         : conv          ? conv
                                         : "-",
                         w->conversation ? "" : "  ", jsonx_get_string(m, "sender") ?: "-");
        termsafe_fputs(jsonx_get_string(m, "text"), TERMSAFE_ONE_LINE, stdout);
        fputc('\n', stdout);
    }
    fflush(stdout);
    if (ferror(stdout))
        w->stop = true;
}

/* On every (re)connect of history --follow: the newest page, first as the
 * history table (or JSON lines), later only what was missed while away.
 * Fetched once the pushes are on, so that nothing falls between the two. */
static void catch_up(struct watch *w)
{
    json_object *body = NULL;
    int rc = cmdutil_call(w->ctx, "GET", w->history_path, NULL, "history", &body);
    if (rc != CLI_OK) {
        w->rc = rc;
        w->stop = true;
        return;
    }
    json_object *list = cmdutil_list(body, "messages");
    bool table = !w->page_shown && !w->ctx->json;
    if (table)
        cmd_history_print(w->ctx, body);
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *m = json_object_array_get_idx(list, i);
        if (table)
            is_new(w, m); /* shown by the table */
        else
            print_message(w, m);
    }
    w->page_shown = true;
    fflush(stdout);
    json_object_put(body);
}

/* The customer's devices over REST into *list (new reference). */
static int fetch_devices(struct watch *w, json_object **list)
{
    char esc[3 * MODEL_ID_MAX + 1], path[512], what[MODEL_ID_MAX + 16];
    json_object *body = NULL;
    *list = NULL;
    if (rest_escape(w->customer, esc, sizeof(esc)) < 0)
        return cmdutil_fail(w->ctx, CLI_USAGE, "customer id is too long");
    snprintf(path, sizeof(path), "/api/customers/%s/devices", esc);
    snprintf(what, sizeof(what), "customer %s", w->customer);
    int rc = cmdutil_call(w->ctx, "GET", path, NULL, what, &body);
    if (rc != CLI_OK)
        return rc;
    json_object *l = cmdutil_list(body, "devices");
    *list = l ? json_object_get(l) : xjson(json_object_new_array());
    json_object_put(body);
    return CLI_OK;
}

/* One change, as a pushed frame would report it: a JSON line, a redrawn
 * table or a line. */
static void report_change(struct watch *w, json_object *device, bool gone)
{
    update_list(w, device, gone);
    if (w->ctx->json) {
        json_object *o = xjson(json_object_new_object());
        json_object_object_add(o, "device", json_object_get(device));
        json_object_object_add(o, "customerId", xjson(json_object_new_string(w->customer)));
        if (gone)
            json_object_object_add(o, "removed", xjson(json_object_new_boolean(1)));
        if (cmdutil_print_json_line(w->ctx, o) != CLI_OK)
            w->rc = CLI_FAIL;
        json_object_put(o);
        fflush(stdout);
    } else if (w->terminal) {
        redraw(w, NULL);
    } else {
        print_change(w, device, gone);
    }
    if (ferror(stdout)) /* the reader went away (| head) */
        w->stop = true;
}

static json_object *find_by_id(json_object *list, const char *id)
{
    for (size_t i = 0; id && list && i < json_object_array_length(list); i++) {
        json_object *d = json_object_array_get_idx(list, i);
        if (!strcmp(jsonx_get_string(d, "id") ?: "", id))
            return d;
    }
    return NULL;
}

/* After a reconnect (not on a terminal, where the table is redrawn): what
 * changed while away, as changes, so that a JSON stream misses none. */
static void report_differences(struct watch *w, json_object *now)
{
    json_object *before = json_object_get(w->devices);
    for (size_t i = 0; i < json_object_array_length(now); i++) {
        json_object *d = json_object_array_get_idx(now, i);
        json_object *old = find_by_id(before, jsonx_get_string(d, "id"));
        if (!old || !json_object_equal(old, d))
            report_change(w, d, false);
    }
    for (size_t i = 0; before && i < json_object_array_length(before); i++) {
        json_object *d = json_object_array_get_idx(before, i);
        if (!find_by_id(now, jsonx_get_string(d, "id")))
            report_change(w, d, true);
    }
    json_object_put(before);
}

static void on_frame(void *ud, json_object *frame)
{
    struct watch *w = ud;
    const char *type = jsonx_get_string(frame, "type");
    json_object *v = NULL;
    if (!type)
        return;
    if (!strcmp(type, "welcome")) {
        /* A (re)connect. The list is read again over REST now that the pushes
         * are on: servicebotd reads the welcome's record before it adds the
         * connection to its push list, so a change in between would be in
         * neither. What changed while away is reported as changes. */
        json_object *list = NULL;
        if (!w->messages) {
            int rc = fetch_devices(w, &list);
            if (rc != CLI_OK) {
                w->rc = rc;
                w->stop = true;
                return;
            }
            if (!w->terminal)
                report_differences(w, list);
            json_object_put(w->devices);
            w->devices = list;
        }
        if (w->messages)
            catch_up(w);
        if (w->terminal)
            redraw(w, NULL);
        else if (!w->connected && w->ctx->verbose)
            fprintf(stderr, "%s: watching %s's %s\n", w->ctx->prog, w->customer,
                    w->messages ? "messages" : "devices");
        w->connected = true;
    } else if (w->messages) {
        if (!strcmp(type, "message") && json_object_object_get_ex(frame, "message", &v) &&
            json_object_is_type(v, json_type_object))
            print_message(w, v);
    } else if (!strcmp(type, "device") && json_object_object_get_ex(frame, "device", &v) &&
               json_object_is_type(v, json_type_object)) {
        json_object *removed = NULL;
        bool gone = json_object_object_get_ex(frame, "removed", &removed) &&
                    json_object_get_boolean(removed);
        json_object *known = find_by_id(w->devices, jsonx_get_string(v, "id"));
        /* Already shown: a push racing the welcome that held the change. */
        if (gone ? known != NULL : !known || !json_object_equal(known, v))
            report_change(w, v, gone);
    } else if (!strcmp(type, "error")) {
        termsafe_fprintf(stderr, "%s: %s\n", w->ctx->prog,
                         jsonx_get_string(frame, "error") ?: "the server reported an error");
    }
}

static void on_down(void *ud, const char *why, int64_t retry_in_ms)
{
    struct watch *w = ud;
    w->connected = false;
    if (retry_in_ms < 0) {
        w->rc = cmdutil_fail(w->ctx, CLI_UNREACHABLE, "%s", why);
        w->stop = true;
        return;
    }
    char note[300];
    snprintf(note, sizeof(note), "reconnecting in %.1f s: %s; ", retry_in_ms / 1000.0, why);
    if (w->terminal)
        redraw(w, note);
    else
        termsafe_fprintf(stderr, "%s: %s, reconnecting in %.1f s\n", w->ctx->prog, why,
                         retry_in_ms / 1000.0);
}

static int on_fd(void *ud, int fd, bool eof)
{
    struct watch *w = ud;
    w->stop = true;
    return 0;
}

/* The first list over REST: it also checks the token and the customer,
 * with the usual messages and exit codes, before the WebSocket is opened. */
static int first_list(struct watch *w)
{
    int rc = cmdutil_customer(w->ctx, w->customer, sizeof(w->customer));
    return rc == CLI_OK ? fetch_devices(w, &w->devices) : rc;
}

/* Follows the pushes until a signal (or the reader goes away). */
static int follow(struct watch *w)
{
    struct cli_ctx *ctx = w->ctx;
    struct ws_client *c = NULL;
    struct sb_err err = {0};
    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    int rc;
    if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        rc = cmdutil_fail(ctx, CLI_FAIL, "cannot create a pipe: %s", strerror(errno));
        goto out;
    }
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    const struct ws_options opts = {.server = ctx->server,
                                    .token = ctx->token,
                                    .cacert = ctx->cacert,
                                    .customer = w->customer,
                                    .messages = w->messages,
                                    .verbose = ctx->verbose};
    const struct ws_events ev = {.on_frame = on_frame, .on_down = on_down, .on_fd = on_fd};
    if (ws_client_new(&opts, &ev, w, &c, &err) != SB_OK ||
        ws_client_watch_fd(c, stop_pipe[0], &err) != SB_OK) {
        rc = cmdutil_fail_err(ctx, &err);
        goto restore;
    }
    while (!w->stop)
        ws_client_service(c);
    rc = w->rc;
restore:
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
out:
    ws_client_free(c);
    for (int i = 0; i < 2; i++) {
        if (stop_pipe[i] >= 0)
            close(stop_pipe[i]);
        stop_pipe[i] = -1;
    }
    return rc;
}

int cmd_devices_watch(struct cli_ctx *ctx, int argc, char **argv)
{
    struct watch w = {.ctx = ctx, .terminal = !ctx->json && isatty(STDOUT_FILENO)};
    int rc = first_list(&w);
    if (rc == CLI_OK && !ctx->json && !w.terminal) {
        /* A pipe or file: the current table once, then a line per change. */
        cmd_devices_print(ctx, w.devices, w.customer);
        fflush(stdout);
    }
    if (rc == CLI_OK)
        rc = follow(&w);
    if (w.devices)
        json_object_put(w.devices);
    return rc;
}

int cmd_history_follow(struct cli_ctx *ctx, const char *customer, const char *path,
                       const char *conversation)
{
    struct watch w = {.ctx = ctx,
                      .messages = true,
                      .conversation = conversation,
                      .history_path = path,
                      .last_ids = xjson(json_object_new_array())};
    snprintf(w.customer, sizeof(w.customer), "%s", customer);
    /* The token and the customer checked over REST, with the usual exit
     * codes, before the WebSocket (which would only retry) is opened. */
    json_object *check = NULL;
    int rc = cmdutil_call(ctx, "GET", path, NULL, "history", &check);
    if (check)
        json_object_put(check);
    if (rc == CLI_OK)
        rc = follow(&w);
    if (w.devices) /* from the welcome, unused here */
        json_object_put(w.devices);
    json_object_put(w.last_ids);
    return rc;
}
