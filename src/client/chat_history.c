/* Which conversation the chat continues, and its messages in the pane. Every
 * request goes through chat_fetch, so the loop never waits for the server;
 * each answer carries the pane generation it was asked for and is dropped
 * when the pane started over in between (/clear, /new, a switch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/chat_tui.h"
#include "client/rest.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/util.h"
#include "common/xalloc.h"

#define HISTORY_INITIAL 200
#define HISTORY_PAGE    100
/* /conversations groups the customer's newest messages (the server's most) */
#define HISTORY_RECENT MODEL_HISTORY_MAX

enum step {
    STEP_LATEST, /* the customer's newest message: its conversation */
    STEP_PAGE,   /* a page of one conversation */
    STEP_LIST,   /* the customer's newest messages, for /conversations */
};

/* What a request was for; copied into the request (chat_fetch_get). */
struct hist_arg {
    unsigned generation;
    enum step step;
    bool first;    /* the page that opens the chat: settles the conversation */
    bool checking; /* --conversation: an empty answer means there is no such conversation */
    enum chat_history_mode mode;
    char conv[MODEL_ID_MAX];
};

static void on_answer(void *ud, const struct chat_fetch_result *r);

/* GET /api/chat/history/CUSTOMER?...; false (and a note) when it cannot be asked. */
static bool ask(struct chat_tui *ct, const struct hist_arg *a, int limit, const char *before)
{
    const char *cust = chat_session_customer_id(ct->s);
    char path[1024], ec[3 * MODEL_ID_MAX + 1], ev[3 * MODEL_ID_MAX + 1], eb[3 * 128 + 1];
    int len;

    if (!cust || rest_escape(cust, ec, sizeof ec) ||
        (a->step == STEP_PAGE && rest_escape(a->conv, ev, sizeof ev)) ||
        (before && rest_escape(before, eb, sizeof eb))) {
        chat_tui_error(ct, "cannot ask for the history: an id is too long");
        return false;
    }
    len = snprintf(path, sizeof path, "/api/chat/history/%s?limit=%d", ec, limit);
    if (a->step == STEP_PAGE)
        len += snprintf(path + len, sizeof path - (size_t)len, "&conversationId=%s", ev);
    if (before)
        snprintf(path + len, sizeof path - (size_t)len, "&before=%s", eb);
    chat_fetch_get(ct->fetch, path, on_answer, ct, a, sizeof *a);
    ct->dirty_status = true;
    return true;
}

/* From now on the chat continues conv; typed messages go out. */
static void settle(struct chat_tui *ct, const char *conv)
{
    chat_session_set_conversation(ct->s, conv);
    if (ct->rc == CLI_NOT_FOUND)
        ct->rc = CLI_OK; /* the missing conversation was replaced */
    ct->settled = true;
    ct->dirty_status = true;
}

/* Inserts messages (oldest first in the array) above the pane's entries. */
static void prepend_messages(struct chat_tui *ct, json_object *msgs)
{
    size_t n = json_object_array_length(msgs);
    for (size_t i = n; i-- > 0;) {
        json_object *m = json_object_array_get_idx(msgs, i);
        const char *sender = jsonx_get_string(m, "sender");
        char stamp[8];
        const char *ts = jsonx_get_string(m, "timestamp");
        chat_tui_stamp(ts, stamp, sizeof stamp);
        chat_tui_date(
            ct,
            scrollback_prepend(ct->sb, sender && !strcmp(sender, "bot") ? SCROLL_BOT : SCROLL_USER,
                               stamp, jsonx_get_string(m, "text"), NULL, NULL),
            ts);
    }
    ct->dirty_chat = ct->dirty_status = true;
}

static void on_latest(struct chat_tui *ct, const struct chat_fetch_result *r)
{
    json_object *msgs;
    size_t n;
    const char *conv = NULL;
    char line[800];
    struct hist_arg a = {.generation = ct->generation, .step = STEP_PAGE, .first = true};

    if (!r->body) {
        snprintf(line, sizeof line, "Cannot find your latest conversation (%s); this is a new one.",
                 r->error);
        chat_tui_error(ct, line);
        settle(ct, ct->fresh);
        return;
    }
    if (json_object_object_get_ex(r->body, "messages", &msgs) &&
        json_object_is_type(msgs, json_type_array) && (n = json_object_array_length(msgs)))
        conv = jsonx_get_string(json_object_array_get_idx(msgs, n - 1), "conversationId");
    if (!conv || strlen(conv) >= sizeof a.conv) {
        settle(ct, ct->fresh); /* no messages yet: a first conversation */
        return;
    }
    snprintf(a.conv, sizeof a.conv, "%s", conv);
    if (!ask(ct, &a, HISTORY_INITIAL, NULL))
        settle(ct, conv);
}

/* "Jane Smith", or the customer id. */
static const char *customer_name(struct chat_tui *ct)
{
    json_object *c = chat_session_customer(ct->s);
    const char *name = c ? jsonx_get_string(c, "name") : NULL;
    return name ? name : chat_session_customer_id(ct->s);
}

static void on_page(struct chat_tui *ct, const struct hist_arg *a,
                    const struct chat_fetch_result *r)
{
    json_object *msgs = NULL;
    const char *next;
    char line[900];
    bool any;

    if (a->mode == CHAT_HISTORY_OLDER)
        ct->loading_older = false;
    if (!r->body) {
        snprintf(line, sizeof line, "Cannot load the conversation's messages: %s", r->error);
        chat_tui_error(ct, line);
        if (a->first)
            settle(ct, a->conv); /* it may well exist: do not keep messages back */
        return;
    }
    any = json_object_object_get_ex(r->body, "messages", &msgs) &&
          json_object_is_type(msgs, json_type_array) && json_object_array_length(msgs) > 0;
    if (a->checking && !any) {
        snprintf(line, sizeof line,
                 "%s has no conversation %s. /conversations lists them, /new starts one; "
                 "what you type waits until then.",
                 customer_name(ct), a->conv);
        chat_tui_error(ct, line);
        ct->rc = CLI_NOT_FOUND;
        return;
    }
    if (a->first)
        settle(ct, a->conv);
    if (a->mode == CHAT_HISTORY_RELOAD && !a->first) {
        scrollback_clear(ct->sb);
        scrollback_view_end(&ct->view);
        ct->n_pend = 0;
    }
    if (any)
        prepend_messages(ct, msgs);
    next = jsonx_get_string(r->body, "nextBefore");
    snprintf(ct->older, sizeof ct->older, "%s",
             next && strlen(next) < sizeof ct->older ? next : "");
}

/* One conversation in the /conversations list. */
struct conv_row {
    const char *id;
    const char *last; /* timestamp of its newest message */
    const char *first_text;
    int messages;
};

static int by_last_desc(const void *a, const void *b)
{
    const struct conv_row *x = a, *y = b;
    return strcmp(y->last, x->last); /* ISO 8601 UTC sorts as text */
}

/* "Dec 01 09:30" local time for an ISO timestamp. */
static void short_time(const char *iso, char *buf, size_t n)
{
    int64_t ms;
    time_t secs;
    struct tm tm;
    if (util_parse_timestamp(iso, &ms)) {
        snprintf(buf, n, "?");
        return;
    }
    secs = (time_t)(ms / 1000);
    localtime_r(&secs, &tm);
    strftime(buf, n, "%b %d %H:%M", &tm);
}

static void on_list(struct chat_tui *ct, const struct chat_fetch_result *r)
{
    json_object *msgs, *rows;
    struct conv_row *convs = NULL;
    size_t n = 0, cap = 0, count;
    const char *current = ct->settled ? chat_session_conversation(ct->s) : NULL;
    char line[900];

    if (!r->body || !json_object_object_get_ex(r->body, "messages", &msgs) ||
        !json_object_is_type(msgs, json_type_array)) {
        snprintf(line, sizeof line, "Cannot list the conversations: %s",
                 r->body ? "the answer has no messages" : r->error);
        chat_tui_error(ct, line);
        return;
    }
    count = json_object_array_length(msgs);
    for (size_t i = 0; i < count; i++) {
        json_object *m = json_object_array_get_idx(msgs, i);
        const char *id = jsonx_get_string(m, "conversationId");
        const char *ts = jsonx_get_string(m, "timestamp"), *who = jsonx_get_string(m, "sender");
        size_t k;
        if (!id || !ts)
            continue;
        for (k = 0; k < n && strcmp(convs[k].id, id); k++)
            ;
        if (k == n) {
            if (n == cap)
                convs = xrealloc(convs, (cap = cap ? cap * 2 : 16) * sizeof *convs);
            convs[n++] = (struct conv_row){id, ts, NULL, 0};
        }
        convs[k].messages++;
        if (strcmp(ts, convs[k].last) > 0)
            convs[k].last = ts;
        if (!convs[k].first_text && who && !strcmp(who, "user"))
            convs[k].first_text = jsonx_get_string(m, "text");
    }
    if (!n) {
        chat_tui_note(ct, "No conversations yet.");
        free(convs);
        return;
    }
    qsort(convs, n, sizeof *convs, by_last_desc);
    strlist_free(&ct->conversations);
    memset(&ct->conversations, 0, sizeof ct->conversations);
    rows = xjson(json_object_new_array());
    for (size_t k = 0; k < n; k++) {
        char left[MODEL_ID_MAX + 16], when[32], right[400];
        json_object *row = xjson(json_object_new_array());
        short_time(convs[k].last, when, sizeof when);
        snprintf(left, sizeof left, "%zu %s", k + 1, convs[k].id);
        snprintf(right, sizeof right, "%s \xc2\xb7 %d message%s%s%s%s", when, convs[k].messages,
                 convs[k].messages == 1 ? "" : "s", convs[k].first_text ? " \xc2\xb7 " : "",
                 convs[k].first_text ? convs[k].first_text : "",
                 current && !strcmp(current, convs[k].id) ? " (this one)" : "");
        json_object_array_add(row, xjson(json_object_new_string(left)));
        json_object_array_add(row, xjson(json_object_new_string(right)));
        json_object_array_add(rows, row);
        strlist_push(&ct->conversations, convs[k].id);
    }
    snprintf(line, sizeof line,
             "Your conversations in your newest %d messages, newest first (/conversations N "
             "continues one):",
             HISTORY_RECENT);
    chat_tui_add(ct, SCROLL_SYSTEM, NULL, line, rows, chat_tui_render_columns);
    json_object_put(rows);
    free(convs);
}

static void on_answer(void *ud, const struct chat_fetch_result *r)
{
    struct chat_tui *ct = ud;
    const struct hist_arg *a = r->arg;

    ct->dirty_status = true;
    if (a->generation != ct->generation)
        return; /* the pane started over since: this answer is for what was there */
    if (a->step == STEP_LATEST)
        on_latest(ct, r);
    else if (a->step == STEP_LIST)
        on_list(ct, r);
    else
        on_page(ct, a, r);
}

void chat_history_start(struct chat_tui *ct)
{
    struct hist_arg a = {.generation = ct->generation, .first = true};
    const char *conv = ct->args->conversation;

    if (conv && strlen(conv) < sizeof a.conv) {
        a.step = STEP_PAGE;
        a.checking = true;
        snprintf(a.conv, sizeof a.conv, "%s", conv);
        if (!ask(ct, &a, HISTORY_INITIAL, NULL))
            settle(ct, conv);
        return;
    }
    a.step = STEP_LATEST;
    /* without a conversationId the server lists the customer's newest messages */
    if (!ask(ct, &a, 1, NULL))
        settle(ct, ct->fresh);
}

void chat_history_load(struct chat_tui *ct, int limit, enum chat_history_mode mode)
{
    struct hist_arg a = {.generation = ct->generation, .step = STEP_PAGE, .mode = mode};
    const char *conv = chat_session_conversation(ct->s);

    if (!ct->settled || !conv || strlen(conv) >= sizeof a.conv) {
        chat_tui_note(ct, "No conversation yet.");
        return;
    }
    snprintf(a.conv, sizeof a.conv, "%s", conv);
    if (mode == CHAT_HISTORY_OLDER) {
        if (ct->loading_older || !ct->older[0])
            return;
        if (ask(ct, &a, HISTORY_PAGE, ct->older))
            ct->loading_older = true;
        return;
    }
    ask(ct, &a, limit, NULL);
}

void chat_history_list(struct chat_tui *ct)
{
    struct hist_arg a = {.generation = ct->generation, .step = STEP_LIST};
    ask(ct, &a, HISTORY_RECENT, NULL);
}

/* The pane starts over for another conversation; what is typed waits until
 * it is known to exist. */
static void start_over(struct chat_tui *ct)
{
    chat_tui_clear(ct);
    chat_session_hold(ct->s);
    ct->settled = false;
}

void chat_history_switch(struct chat_tui *ct, const char *conv)
{
    struct hist_arg a = {.step = STEP_PAGE, .first = true, .checking = true};
    char line[300];

    if (strlen(conv) >= sizeof a.conv) {
        chat_tui_error(ct, "That conversation id is too long.");
        return;
    }
    start_over(ct);
    a.generation = ct->generation;
    snprintf(a.conv, sizeof a.conv, "%s", conv);
    snprintf(line, sizeof line, "Conversation %s:", conv);
    chat_tui_note(ct, line);
    ask(ct, &a, HISTORY_INITIAL, NULL);
}

void chat_history_new(struct chat_tui *ct)
{
    char id[64];
    util_new_id("conv", id, sizeof id);
    start_over(ct);
    settle(ct, id);
    chat_tui_note(ct, "A new conversation: what you say now does not refer to earlier ones.");
}
