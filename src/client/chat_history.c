/* Which conversation the chat continues, and its messages in the pane. Every
 * request goes through chat_fetch, so the loop never waits for the server;
 * each answer carries the pane generation it was asked for and is dropped
 * when the pane started over in between (/clear, /new, a switch). */
#include <stdio.h>
#include <string.h>

#include "client/chat_tui.h"
#include "client/rest.h"
#include "common/jsonx.h"
#include "common/model.h"

#define HISTORY_INITIAL 200
#define HISTORY_PAGE    100

enum step {
    STEP_LATEST, /* the customer's newest message: its conversation */
    STEP_PAGE,   /* a page of one conversation */
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
    if (chat_fetch_get(ct->fetch, path, on_answer, ct, a, sizeof *a) != SB_OK) {
        chat_tui_error(ct, "out of memory");
        return false;
    }
    ct->dirty_status = true;
    return true;
}

/* From now on the chat continues conv; typed messages go out. */
static void settle(struct chat_tui *ct, const char *conv)
{
    if (chat_session_set_conversation(ct->s, conv) != SB_OK) {
        chat_tui_error(ct, "out of memory");
        return;
    }
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
        chat_tui_stamp(jsonx_get_string(m, "timestamp"), stamp, sizeof stamp);
        scrollback_prepend(ct->sb, sender && !strcmp(sender, "bot") ? SCROLL_BOT : SCROLL_USER,
                           stamp, jsonx_get_string(m, "text"), NULL, NULL);
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
        snprintf(line, sizeof line,
                 "Cannot find your latest conversation (%s); this is a new one.", r->error);
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
    if (a->first) {
        ct->rc = CLI_OK;
        settle(ct, a->conv);
    }
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
