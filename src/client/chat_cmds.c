/* The chat's slash commands: one table drives running them, /help (and
 * `chat --help`), the "unknown command" answer and tab completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/chat_tui.h"
#include "client/rest.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

#define HISTORY_DEFAULT 20

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
static void cmd_routines(struct chat_tui *ct, const char *arg);
static void cmd_clear(struct chat_tui *ct, const char *arg);
static void cmd_reconnect(struct chat_tui *ct, const char *arg);
static void cmd_quit(struct chat_tui *ct, const char *arg);
static void cmd_new(struct chat_tui *ct, const char *arg);
static void cmd_notify(struct chat_tui *ct, const char *arg);
static void cmd_mouse(struct chat_tui *ct, const char *arg);
static void cmd_search(struct chat_tui *ct, const char *arg);
static void cmd_edit(struct chat_tui *ct, const char *arg);
static void cmd_conversations(struct chat_tui *ct, const char *arg);

static const struct chat_cmd chat_cmds[] = {
    {"/help", "", "this list", cmd_help},
    {"/devices", "", "show or hide the device panel (also F2)", cmd_devices},
    {"/levels", "", "the service plans and what each allows", cmd_levels},
    {"/history", "[N]", "reload the last N messages of this conversation (default 20)",
     cmd_history},
    {"/routines", "", "your routines: steps, schedule and next run", cmd_routines},
    {"/search", "TEXT", "find TEXT in the pane (n older, N newer, Esc ends; also Ctrl-F)",
     cmd_search},
    {"/edit", "[TEXT]", "write the message in $VISUAL or $EDITOR; Enter then sends it", cmd_edit},
    {"/new", "", "start a new conversation", cmd_new},
    {"/conversations", "[N|ID]", "list your recent conversations, or continue one of them",
     cmd_conversations},
    {"/notify", "[MODE]", "a reply while scrolled back: off, bell (default), title, both",
     cmd_notify},
    {"/mouse", "[on|off]",
     "off: the terminal selects and copies text (the wheel no longer scrolls)", cmd_mouse},
    {"/clear", "", "clear the chat pane", cmd_clear},
    {"/reconnect", "", "connect again now instead of waiting for the next attempt", cmd_reconnect},
    {"/quit", "", "leave (also Ctrl-D on an empty line)", cmd_quit},
};
#define N_CMDS (sizeof chat_cmds / sizeof *chat_cmds)

/* The keys, for /help and `chat --help`. */
static const struct {
    const char *keys;
    const char *help;
} chat_keys[] = {
    {"Enter", "send the line (a paste is one message, newlines kept)"},
    {"Alt-Enter", "a new line inside the message (/edit for longer ones)"},
    {"Up/Down, Ctrl-R", "earlier lines"},
    {"Tab", "complete commands, device names and rooms"},
    {"Ctrl-F", "search the pane (then n, N, Esc)"},
    {"PgUp/PgDn, Home/End", "scroll (also the mouse wheel)"},
    {"F2", "show or hide the devices (80 columns or 16 rows needed)"},
    {"Alt-PgUp/Alt-PgDn", "scroll the devices (also the wheel over them)"},
    {"Ctrl-L", "redraw the screen"},
    {"Ctrl-D, Ctrl-C", "leave (Ctrl-D on an empty line)"},
};
#define N_KEYS (sizeof chat_keys / sizeof *chat_keys)

/* One row of the help: "/history [N]" and its text. */
static void cmd_left(const struct chat_cmd *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", c->name, *c->args ? " " : "", c->args);
}

/* Calls row(ud, left, right) for every command and key, and returns the
 * widest left column. */
static int help_rows(void (*row)(void *ud, const char *left, const char *right), void *ud)
{
    char left[64];
    int width = 0;
    for (size_t i = 0; i < N_CMDS; i++) {
        cmd_left(&chat_cmds[i], left, sizeof left);
        width = (int)strlen(left) > width ? (int)strlen(left) : width;
        if (row)
            row(ud, left, chat_cmds[i].help);
    }
    for (size_t i = 0; i < N_KEYS; i++) {
        width = (int)strlen(chat_keys[i].keys) > width ? (int)strlen(chat_keys[i].keys) : width;
        if (row)
            row(ud, chat_keys[i].keys, chat_keys[i].help);
    }
    return width;
}

struct print_help {
    FILE *f;
    int width;
};

static void print_row(void *ud, const char *left, const char *right)
{
    struct print_help *p = ud;
    fprintf(p->f, "  %-*s  %s\n", p->width, left, right);
}

void chat_cmd_print_help(FILE *f)
{
    struct print_help p = {f, help_rows(NULL, NULL)};
    fputs("Commands and keys in the full-screen chat:\n", f);
    help_rows(print_row, &p);
}

static void add_row(void *ud, const char *left, const char *right)
{
    json_object *rows = ud, *row = xjson(json_object_new_array());
    json_object_array_add(row, xjson(json_object_new_string(left)));
    json_object_array_add(row, xjson(json_object_new_string(right)));
    json_object_array_add(rows, row);
}

static void cmd_help(struct chat_tui *ct, const char *arg)
{
    json_object *rows = xjson(json_object_new_array());
    help_rows(add_row, rows);
    chat_tui_add(ct, SCROLL_SYSTEM, NULL, "Commands and keys:", rows, chat_tui_render_columns);
    json_object_put(rows);
}

static void cmd_devices(struct chat_tui *ct, const char *arg)
{
    chat_tui_toggle_panel(ct);
}

/* The people's name of an action ("Song Changes") from the catalogue. */
static const char *action_name(json_object *caps, const char *action)
{
    size_t n =
        caps && json_object_is_type(caps, json_type_array) ? json_object_array_length(caps) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(caps, i);
        const char *a = jsonx_get_string(c, "action"), *name = jsonx_get_string(c, "name");
        if (a && name && !strcmp(a, action))
            return name;
    }
    return action;
}

/* One plan as a row: "Premium $9.99 (yours)" and what it allows. */
static void level_row(json_object *rows, json_object *lvl, json_object *caps, const char *current)
{
    const char *key = jsonx_get_string(lvl, "level");
    const char *name = jsonx_get_string(lvl, "name");
    json_object *price = NULL, *acts = NULL;
    char left[160], right[2048] = "";
    size_t len = 0;

    json_object_object_get_ex(lvl, "price", &price);
    if (!name)
        name = key ? key : "?";
    snprintf(left, sizeof left, "%s $%.2f%s", name, price ? json_object_get_double(price) : 0.0,
             key && current && !strcmp(key, current) ? " (yours)" : "");
    if (json_object_object_get_ex(lvl, "allowed_actions", &acts) &&
        json_object_is_type(acts, json_type_array))
        for (size_t i = 0; i < json_object_array_length(acts) && len < sizeof right; i++) {
            const char *a = json_object_get_string(json_object_array_get_idx(acts, i));
            len += (size_t)snprintf(right + len, sizeof right - len, "%s%s", i ? ", " : "",
                                    action_name(caps, a ? a : "?"));
        }
    add_row(rows, left, right);
}

enum levels_step { LEVELS_CATALOGUE, LEVELS_PLANS };

struct levels_arg {
    enum levels_step step;
};

static void on_levels(void *ud, const struct chat_fetch_result *r);

/* The plans are shown with the catalogue's names for actions, so the
 * catalogue is asked for first and kept until the plans arrive. */
static void on_levels(void *ud, const struct chat_fetch_result *r)
{
    struct chat_tui *ct = ud;
    const struct levels_arg *a = r->arg;
    json_object *list, *rows, *caps = NULL;
    const char *current;
    char line[800];

    if (!r->body) {
        snprintf(line, sizeof line, "Cannot show the plans: %s", r->error);
        chat_tui_error(ct, line);
        return;
    }
    if (a->step == LEVELS_CATALOGUE) {
        struct levels_arg next = {LEVELS_PLANS};
        json_object_put(ct->catalogue);
        ct->catalogue = json_object_get(r->body);
        chat_fetch_get(ct->fetch, "/api/service-levels", on_levels, ct, &next, sizeof next);
        return;
    }
    if (ct->catalogue)
        json_object_object_get_ex(ct->catalogue, "capabilities", &caps);
    current =
        chat_session_level(ct->s) ? jsonx_get_string(chat_session_level(ct->s), "level") : NULL;
    rows = xjson(json_object_new_array());
    if (json_object_object_get_ex(r->body, "service_levels", &list) &&
        json_object_is_type(list, json_type_array))
        for (size_t i = 0; i < json_object_array_length(list); i++)
            level_row(rows, json_object_array_get_idx(list, i), caps, current);
    chat_tui_add(ct, SCROLL_SYSTEM, NULL, "Service plans (per month) and what each allows:", rows,
                 chat_tui_render_columns);
    json_object_put(rows);
}

static void cmd_levels(struct chat_tui *ct, const char *arg)
{
    struct levels_arg a = {LEVELS_CATALOGUE};
    chat_fetch_get(ct->fetch, "/api/capabilities", on_levels, ct, &a, sizeof a);
}

/* The routines as rows: "wind down (22:00 mon tue, next 2026-12-02T22:00)" and its steps. */
static void on_routines(void *ud, const struct chat_fetch_result *r)
{
    struct chat_tui *ct = ud;
    json_object *list = r->body ? json_object_object_get(r->body, "routines") : NULL, *rows;
    char line[800];
    if (!r->body) {
        snprintf(line, sizeof line, "Cannot show the routines: %s", r->error);
        chat_tui_error(ct, line);
        return;
    }
    rows = xjson(json_object_new_array());
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *rt = json_object_array_get_idx(list, i), *sched, *steps, *days;
        char left[256], right[2048] = "";
        size_t o = 0;
        sched = json_object_object_get(rt, "schedule");
        o = (size_t)snprintf(left, sizeof left, "%s", jsonx_get_string(rt, "name") ?: "?");
        if (sched && jsonx_get_string(sched, "time")) {
            o += (size_t)snprintf(left + o, sizeof left - o, " (%s",
                                  jsonx_get_string(sched, "time"));
            days = json_object_object_get(sched, "days");
            for (size_t k = 0; days && k < json_object_array_length(days) && o < sizeof left; k++)
                o += (size_t)snprintf(left + o, sizeof left - o, " %s",
                                      json_object_get_string(json_object_array_get_idx(days, k)));
            if (jsonx_get_string(sched, "date") && o < sizeof left)
                o += (size_t)snprintf(left + o, sizeof left - o, " %s",
                                      jsonx_get_string(sched, "date"));
            if (o < sizeof left)
                snprintf(left + o, sizeof left - o, ")");
        }
        steps = json_object_object_get(rt, "steps");
        o = 0;
        for (size_t k = 0; steps && k < json_object_array_length(steps) && o < sizeof right; k++)
            o += (size_t)snprintf(right + o, sizeof right - o, "%s%zu. %s", k ? "  " : "", k + 1,
                                  json_object_get_string(json_object_array_get_idx(steps, k)));
        add_row(rows, left, right);
    }
    snprintf(line, sizeof line, "%s (time zone %s):",
             json_object_array_length(rows) ? "Your routines" : "You have no routines yet",
             jsonx_get_string(r->body, "timezone") ?: "UTC");
    chat_tui_add(ct, SCROLL_SYSTEM, NULL, line, rows, chat_tui_render_columns);
    json_object_put(rows);
}

static void cmd_routines(struct chat_tui *ct, const char *arg)
{
    char path[512], esc[3 * 128 + 1];
    const char *id = chat_session_customer_id(ct->s);
    (void)arg;
    if (!id || rest_escape(id, esc, sizeof esc) < 0) {
        chat_tui_error(ct, "Not connected yet: the customer is not known.");
        return;
    }
    snprintf(path, sizeof path, "/api/customers/%s/routines", esc);
    chat_fetch_get(ct->fetch, path, on_routines, ct, NULL, 0);
}

static void cmd_history(struct chat_tui *ct, const char *arg)
{
    char *end;
    long n = HISTORY_DEFAULT;

    if (*arg) {
        n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > MODEL_HISTORY_MAX) {
            chat_tui_error(ct, "usage: /history [N], N from 1 to " MODEL_STR(MODEL_HISTORY_MAX));
            return;
        }
    }
    scrollback_view_end(&ct->view);
    chat_history_load(ct, (int)n, CHAT_HISTORY_RELOAD);
}

static void cmd_clear(struct chat_tui *ct, const char *arg)
{
    chat_tui_clear(ct);
}

static void cmd_reconnect(struct chat_tui *ct, const char *arg)
{
    struct ws_client *ws = chat_session_ws(ct->s);
    if (ws_client_is_open(ws)) {
        chat_tui_note(ct, "Already connected.");
        return;
    }
    ct->refused = false;
    ct->retry_at_us = 0;
    snprintf(ct->conn, sizeof ct->conn, "reconnecting");
    ct->dirty_title = true;
    ws_client_retry_now(ws);
}

static void cmd_notify(struct chat_tui *ct, const char *arg)
{
    char line[160];
    if (*arg && chat_notify_parse(arg, &ct->notify)) {
        chat_tui_error(ct, "usage: /notify [off|bell|title|both]");
        return;
    }
    snprintf(line, sizeof line, "A reply while you are scrolled back: %s.",
             ct->notify ? chat_notify_name(ct->notify) : "nothing (off)");
    chat_tui_note(ct, line);
}

static void cmd_edit(struct chat_tui *ct, const char *arg)
{
    chat_edit(ct, arg);
}

static void cmd_search(struct chat_tui *ct, const char *arg)
{
    chat_search_start(ct, arg);
}

static void cmd_mouse(struct chat_tui *ct, const char *arg)
{
    bool on = !tui_mouse(ct->t); /* no argument: the other way round */
    if (*arg && strcmp(arg, "on") && strcmp(arg, "off")) {
        chat_tui_error(ct, "usage: /mouse [on|off]");
        return;
    }
    if (*arg)
        on = !strcmp(arg, "on");
    tui_set_mouse(ct->t, on);
    chat_tui_note(ct, on ? "Mouse on: the wheel scrolls the chat (Shift selects text in most "
                           "terminals)."
                         : "Mouse off: select and copy with the mouse; PgUp/PgDn scroll.");
}

static void cmd_new(struct chat_tui *ct, const char *arg)
{
    chat_history_new(ct);
}

static void cmd_conversations(struct chat_tui *ct, const char *arg)
{
    char *end;
    long n;

    if (!*arg) {
        chat_history_list(ct);
        return;
    }
    n = strtol(arg, &end, 10);
    if (*end == '\0' && end != arg) {
        if (n < 1 || (size_t)n > ct->conversations.len) {
            chat_tui_error(ct, ct->conversations.len
                                   ? "No such number in the last /conversations list."
                                   : "Run /conversations first to number them.");
            return;
        }
        arg = ct->conversations.items[n - 1];
    }
    chat_history_switch(ct, arg);
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
    chat_tui_error(ct, buf);
}

void chat_cmd_names(struct strlist *out)
{
    for (size_t i = 0; i < N_CMDS; i++)
        strlist_push(out, chat_cmds[i].name);
}
