/* The chat's slash commands: one table drives running them, /help, the
 * "unknown command" answer and tab completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/chat_tui.h"
#include "client/rest.h"
#include "common/jsonx.h"

#define HISTORY_DEFAULT 20
#define HISTORY_MAX     1000

struct chat_cmd {
    const char *name;
    const char *args;
    const char *help;
    void (*run)(struct chat_tui *ct, const char *arg);
};

static void cmd_help(struct chat_tui *ct, const char *arg);
static void cmd_devices(struct chat_tui *ct, const char *arg);
static void cmd_levels(struct chat_tui *ct, const char *arg);
static void cmd_history(struct chat_tui *ct, const char *arg);
static void cmd_clear(struct chat_tui *ct, const char *arg);
static void cmd_reconnect(struct chat_tui *ct, const char *arg);
static void cmd_quit(struct chat_tui *ct, const char *arg);

static const struct chat_cmd chat_cmds[] = {
    {"/help", "", "this list", cmd_help},
    {"/devices", "", "show or hide the device panel (also F2)", cmd_devices},
    {"/levels", "", "the service plans and what each allows", cmd_levels},
    {"/history", "[N]", "reload the last N messages of this conversation (default 20)",
     cmd_history},
    {"/clear", "", "clear the chat pane", cmd_clear},
    {"/reconnect", "", "connect again now instead of waiting for the next attempt", cmd_reconnect},
    {"/quit", "", "leave (also Ctrl-D on an empty line)", cmd_quit},
};
#define N_CMDS (sizeof chat_cmds / sizeof *chat_cmds)

static void note(struct chat_tui *ct, const char *text)
{
    chat_tui_add(ct, SCROLL_SYSTEM, NULL, text, NULL, NULL);
}

static void cmd_help(struct chat_tui *ct, const char *arg)
{
    char buf[2048];
    size_t len = (size_t)snprintf(buf, sizeof buf, "Commands:");
    for (size_t i = 0; i < N_CMDS && len < sizeof buf; i++)
        len +=
            (size_t)snprintf(buf + len, sizeof buf - len, "\n%s%s%s  %s", chat_cmds[i].name,
                             *chat_cmds[i].args ? " " : "", chat_cmds[i].args, chat_cmds[i].help);
    if (len < sizeof buf)
        snprintf(buf + len, sizeof buf - len,
                 "\nKeys: PgUp/PgDn/Home/End or the mouse wheel scroll, F2 toggles the device "
                 "panel, Tab completes commands, device names and rooms, Up/Down recall "
                 "earlier lines, Ctrl-L redraws the screen.");
    note(ct, buf);
}

static void cmd_devices(struct chat_tui *ct, const char *arg)
{
    tui_set_panel(ct->t, !tui_panel_shown(ct->t));
    ct->dirty_title = ct->dirty_chat = ct->dirty_panel = ct->dirty_status = true;
    tui_input_redraw(ct->in);
}

/* Runs a GET; on failure puts the reason in the pane and returns NULL. */
static json_object *get_json(struct chat_tui *ct, const char *path)
{
    struct rest_response r = {0};
    struct sb_err err;
    json_object *body = NULL;
    char line[640];

    if (rest_request(ct->cli, "GET", path, NULL, &r, &err) != SB_OK) {
        snprintf(line, sizeof line, "%s", err.msg);
    } else if (r.status != 200) {
        const char *e = r.body ? jsonx_get_string(r.body, "error") : NULL;
        snprintf(line, sizeof line, "the server answered %ld: %s", r.status, e ? e : "no details");
    } else {
        body = json_object_get(r.body);
    }
    rest_response_free(&r);
    if (!body)
        chat_tui_add(ct, SCROLL_ERROR, NULL, line, NULL, NULL);
    return body;
}

static void append_level(char *buf, size_t n, json_object *lvl, const char *current)
{
    size_t len = strlen(buf);
    const char *key = jsonx_get_string(lvl, "level");
    const char *name = jsonx_get_string(lvl, "name");
    json_object *price = NULL, *acts = NULL;
    double p = 0;

    if (json_object_object_get_ex(lvl, "price", &price))
        p = json_object_get_double(price);
    len += (size_t)snprintf(buf + len, n - len, "\n%s ($%.2f/month)%s: ", name ? name : "?", p,
                            key && current && !strcmp(key, current) ? " - your plan" : "");
    if (json_object_object_get_ex(lvl, "allowed_actions", &acts) &&
        json_object_is_type(acts, json_type_array))
        for (size_t i = 0; i < json_object_array_length(acts) && len < n; i++)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
                                    json_object_get_string(json_object_array_get_idx(acts, i)));
}

static void cmd_levels(struct chat_tui *ct, const char *arg)
{
    json_object *body = get_json(ct, "/api/service-levels"), *list;
    json_object *mine = chat_session_level(ct->s);
    const char *current = mine ? jsonx_get_string(mine, "level") : NULL;
    char buf[4096] = "Service plans:";

    if (!body)
        return;
    if (json_object_object_get_ex(body, "service_levels", &list) &&
        json_object_is_type(list, json_type_array))
        for (size_t i = 0; i < json_object_array_length(list); i++)
            append_level(buf, sizeof buf, json_object_array_get_idx(list, i), current);
    note(ct, buf);
    json_object_put(body);
}

/* Prepends messages (oldest first in the array) above the pane's entries. */
static void prepend_messages(struct chat_tui *ct, json_object *msgs)
{
    size_t n = json_object_array_length(msgs);
    for (size_t i = n; i-- > 0;) {
        json_object *m = json_object_array_get_idx(msgs, i);
        const char *sender = jsonx_get_string(m, "sender");
        char stamp[8];
        chat_tui_stamp(jsonx_get_string(m, "timestamp"), stamp, sizeof stamp);
        scrollback_prepend(ct->sb, sender && !strcmp(sender, "bot") ? SCROLL_BOT : SCROLL_USER,
                           stamp, jsonx_get_string(m, "text"), NULL, NULL);
    }
}

void chat_tui_load_history(struct chat_tui *ct, int limit, enum chat_history_mode mode)
{
    const char *cust = chat_session_customer_id(ct->s);
    const char *conv = chat_session_conversation(ct->s);
    char path[1024], ec[3 * MODEL_ID_MAX + 1], ev[3 * MODEL_ID_MAX + 1], eb[3 * 128 + 1];
    json_object *body, *msgs;
    const char *next;
    int len;

    if (!cust || !conv || rest_escape(cust, ec, sizeof ec) || rest_escape(conv, ev, sizeof ev)) {
        note(ct, "No conversation yet.");
        return;
    }
    len = snprintf(path, sizeof path, "/api/chat/history/%s?conversationId=%s&limit=%d", ec, ev,
                   limit);
    if (mode == CHAT_HISTORY_OLDER) {
        if (!ct->older[0] || rest_escape(ct->older, eb, sizeof eb))
            return;
        snprintf(path + len, sizeof path - (size_t)len, "&before=%s", eb);
    }
    if (!(body = get_json(ct, path)))
        return;
    if (mode == CHAT_HISTORY_RELOAD)
        scrollback_clear(ct->sb);
    if (json_object_object_get_ex(body, "messages", &msgs) &&
        json_object_is_type(msgs, json_type_array))
        prepend_messages(ct, msgs);
    next = jsonx_get_string(body, "nextBefore");
    snprintf(ct->older, sizeof ct->older, "%s",
             next && strlen(next) < sizeof ct->older ? next : "");
    json_object_put(body);
    ct->dirty_chat = ct->dirty_status = true;
}

static void cmd_history(struct chat_tui *ct, const char *arg)
{
    char *end;
    long n = HISTORY_DEFAULT;

    if (*arg) {
        n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > HISTORY_MAX) {
            chat_tui_add(ct, SCROLL_ERROR, NULL, "usage: /history [N], N from 1 to 1000", NULL,
                         NULL);
            return;
        }
    }
    scrollback_view_end(&ct->view);
    chat_tui_load_history(ct, (int)n, CHAT_HISTORY_RELOAD);
}

static void cmd_clear(struct chat_tui *ct, const char *arg)
{
    scrollback_clear(ct->sb);
    scrollback_view_end(&ct->view);
    ct->n_pend = 0;
    ct->dirty_chat = ct->dirty_status = true;
}

static void cmd_reconnect(struct chat_tui *ct, const char *arg)
{
    struct ws_client *ws = chat_session_ws(ct->s);
    if (ws_client_is_open(ws)) {
        note(ct, "Already connected.");
        return;
    }
    ct->refused = false;
    ct->retry_at_us = 0;
    snprintf(ct->conn, sizeof ct->conn, "reconnecting");
    ct->dirty_title = true;
    ws_client_retry_now(ws);
}

static void cmd_quit(struct chat_tui *ct, const char *arg)
{
    ct->quit = true;
}

void chat_cmd_run(struct chat_tui *ct, const char *line)
{
    char name[32], buf[512];
    size_t len = strcspn(line, " \t");
    const char *arg = line + len;

    while (*arg == ' ' || *arg == '\t')
        arg++;
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), line);
    for (size_t i = 0; i < N_CMDS; i++) {
        if (!strcmp(name, chat_cmds[i].name)) {
            chat_cmds[i].run(ct, arg);
            return;
        }
    }
    len = (size_t)snprintf(buf, sizeof buf, "Unknown command %s. Known:", name);
    for (size_t i = 0; i < N_CMDS && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, " %s", chat_cmds[i].name);
    chat_tui_add(ct, SCROLL_ERROR, NULL, buf, NULL, NULL);
}

void chat_cmd_names(struct strlist *out)
{
    for (size_t i = 0; i < N_CMDS; i++)
        strlist_push(out, chat_cmds[i].name);
}
