/* Chat state and the pending-message protocol; see chat_session.h. */
#include "client/chat_session.h"

#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"

struct chat_session {
    struct ws_client *ws;
    struct chat_view view;
    void *ud;
    json_object *customer;
    json_object *level;
    char *conversation;
    struct chat_pending *pending;
    size_t n_pending, cap_pending;
    bool welcomed;
    bool held; /* see chat_session_hold */
};

static json_object *message_frame(const struct chat_session *s, const struct chat_pending *p)
{
    json_object *f = xjson(json_object_new_object());
    json_object_object_add(f, "type", xjson(json_object_new_string("message")));
    json_object_object_add(f, "id", xjson(json_object_new_string(p->id)));
    json_object_object_add(f, "text", xjson(json_object_new_string(p->text)));
    if (s->conversation)
        json_object_object_add(f, "conversationId", xjson(json_object_new_string(s->conversation)));
    return f;
}

static void send_pending(struct chat_session *s)
{
    if (s->held || !s->welcomed || !ws_client_is_open(s->ws))
        return;
    for (size_t i = 0; i < s->n_pending; i++) {
        struct chat_pending *p = &s->pending[i];
        if (p->sent)
            continue;
        json_object *f = message_frame(s, p);
        if (ws_client_send(s->ws, f) == SB_OK)
            p->sent = true;
        json_object_put(f);
    }
}

static void on_welcome(struct chat_session *s, json_object *frame)
{
    json_object *v;
    const char *conv = jsonx_get_string(frame, "conversationId");

    json_object_put(s->customer);
    json_object_put(s->level);
    s->customer = json_object_object_get_ex(frame, "customer", &v) ? json_object_get(v) : NULL;
    s->level = json_object_object_get_ex(frame, "level", &v) ? json_object_get(v) : NULL;
    if (conv && !s->held) {
        char *dup = xstrdup(conv);
        free(s->conversation);
        s->conversation = dup;
        /* a reconnect continues this conversation */
        ws_client_set_conversation(s->ws, conv);
    }
    s->welcomed = true;
    if (s->view.welcome)
        s->view.welcome(s->ud, frame);
    send_pending(s);
}

/* The pending message a frame answers (by inReplyTo), or n_pending. */
static size_t find_pending(const struct chat_session *s, json_object *frame)
{
    const char *to = jsonx_get_string(frame, "inReplyTo");
    size_t i;
    for (i = 0; to && i < s->n_pending; i++)
        if (!strcmp(s->pending[i].id, to))
            break;
    return to ? i : s->n_pending;
}

static void drop_pending(struct chat_session *s, size_t i)
{
    free(s->pending[i].text);
    memmove(&s->pending[i], &s->pending[i + 1], (s->n_pending - i - 1) * sizeof *s->pending);
    s->n_pending--;
}

static void on_reply(struct chat_session *s, json_object *frame)
{
    size_t i = find_pending(s, frame);
    bool known = i < s->n_pending;

    if (s->view.reply)
        s->view.reply(s->ud, frame, known ? &s->pending[i] : NULL);
    if (known)
        drop_pending(s, i);
}

/* An error answering one of our messages settles it as a reply would. */
static void on_error(struct chat_session *s, json_object *frame)
{
    size_t i = find_pending(s, frame);

    if (s->view.error)
        s->view.error(s->ud, frame);
    if (i < s->n_pending)
        drop_pending(s, i);
}

/* Replaces the device with the same id in the customer record, adds it,
 * or drops it when the push says it was removed. */
static void on_device(struct chat_session *s, json_object *frame)
{
    json_object *dev, *list, *removed_v, *previous = NULL;
    bool removed;
    const char *id;

    if (!json_object_object_get_ex(frame, "device", &dev) || !(id = jsonx_get_string(dev, "id")))
        return;
    removed = json_object_object_get_ex(frame, "removed", &removed_v) &&
              json_object_get_boolean(removed_v);
    if (s->customer && json_object_object_get_ex(s->customer, "devices", &list) &&
        json_object_is_type(list, json_type_array)) {
        size_t n = json_object_array_length(list), i;
        for (i = 0; i < n; i++) {
            const char *other = jsonx_get_string(json_object_array_get_idx(list, i), "id");
            if (other && !strcmp(other, id))
                break;
        }
        if (i < n)
            previous = json_object_get(json_object_array_get_idx(list, i));
        if (removed) {
            if (i < n)
                json_object_array_del_idx(list, i, 1);
        } else if (i < n) {
            json_object_array_put_idx(list, i, json_object_get(dev));
        } else {
            json_object_array_add(list, json_object_get(dev));
        }
    }
    if (s->view.device)
        s->view.device(s->ud, dev, previous, removed);
    json_object_put(previous);
}

static void ev_frame(void *ud, json_object *frame)
{
    struct chat_session *s = ud;
    const char *type = jsonx_get_string(frame, "type");

    if (!type)
        type = "";
    if (!strcmp(type, "welcome"))
        on_welcome(s, frame);
    else if (!strcmp(type, "reply"))
        on_reply(s, frame);
    else if (!strcmp(type, "device"))
        on_device(s, frame);
    else if (!strcmp(type, "error"))
        on_error(s, frame);
    else if (!strcmp(type, "routine") && s->view.routine)
        s->view.routine(s->ud, frame);
}

static void ev_down(void *ud, const char *why, int64_t retry_in_ms)
{
    struct chat_session *s = ud;
    s->welcomed = false;
    /* whatever was written to the lost connection may not have arrived */
    for (size_t i = 0; i < s->n_pending; i++)
        s->pending[i].sent = false;
    if (s->view.down)
        s->view.down(s->ud, why, retry_in_ms);
}

static int ev_fd(void *ud, int fd, bool eof)
{
    struct chat_session *s = ud;
    return s->view.fd ? s->view.fd(s->ud, fd, eof) : -1;
}

static void ev_tick(void *ud)
{
    struct chat_session *s = ud;
    if (s->view.tick)
        s->view.tick(s->ud);
}

int chat_session_new(const struct cli_ctx *cli, const char *conversation, int max_attempts,
                     const struct chat_view *view, void *ud, struct chat_session **out,
                     struct sb_err *err)
{
    static const struct ws_events ev = {
        .on_frame = ev_frame,
        .on_down = ev_down,
        .on_fd = ev_fd,
        .on_tick = ev_tick,
    };
    struct ws_options o = {
        .server = cli->server,
        .token = cli->token,
        .cacert = cli->cacert,
        .customer = cli->customer,
        .conversation = conversation,
        .max_attempts = max_attempts,
        .verbose = cli->verbose,
    };
    struct chat_session *s = xcalloc(1, sizeof *s);
    int rc;

    *out = NULL;
    s->view = *view;
    s->ud = ud;
    if (conversation)
        s->conversation = xstrdup(conversation);
    rc = ws_client_new(&o, &ev, s, &s->ws, err);
    if (rc != SB_OK) {
        chat_session_free(s);
        return rc;
    }
    *out = s;
    return SB_OK;
}

void chat_session_free(struct chat_session *s)
{
    if (!s)
        return;
    ws_client_free(s->ws);
    for (size_t i = 0; i < s->n_pending; i++)
        free(s->pending[i].text);
    free(s->pending);
    json_object_put(s->customer);
    json_object_put(s->level);
    free(s->conversation);
    free(s);
}

struct ws_client *chat_session_ws(struct chat_session *s)
{
    return s->ws;
}

const struct chat_pending *chat_session_submit(struct chat_session *s, const char *text)
{
    struct chat_pending *p;

    if (s->n_pending == s->cap_pending) {
        size_t cap = s->cap_pending ? s->cap_pending * 2 : 8;
        s->pending = xrealloc(s->pending, cap * sizeof *s->pending);
        s->cap_pending = cap;
    }
    p = &s->pending[s->n_pending];
    memset(p, 0, sizeof *p);
    p->text = xstrdup(text);
    util_new_id("cmsg", p->id, sizeof p->id);
    s->n_pending++;
    send_pending(s);
    return p;
}

void chat_session_hold(struct chat_session *s)
{
    s->held = true;
}

void chat_session_set_conversation(struct chat_session *s, const char *id)
{
    char *dup = xstrdup(id);
    free(s->conversation);
    s->conversation = dup;
    ws_client_set_conversation(s->ws, id);
    s->held = false;
    send_pending(s);
}

int chat_session_refusal_exit(const char *code)
{
    static const struct {
        const char *code;
        int exit;
    } refusals[] = {
        {"unauthorized", CLI_UNAUTHORIZED},
        {"forbidden", CLI_DENIED},
        {"not_found", CLI_NOT_FOUND},
        {"bad_request", CLI_USAGE}, /* e.g. an admin token without --customer */
    };
    for (size_t i = 0; code && i < sizeof refusals / sizeof *refusals; i++)
        if (!strcmp(code, refusals[i].code))
            return refusals[i].exit;
    return CLI_FAIL;
}

size_t chat_session_pending_count(const struct chat_session *s)
{
    return s->n_pending;
}

bool chat_session_welcomed(const struct chat_session *s)
{
    return s->welcomed;
}

json_object *chat_session_customer(const struct chat_session *s)
{
    return s->customer;
}

json_object *chat_session_level(const struct chat_session *s)
{
    return s->level;
}

const char *chat_session_customer_id(const struct chat_session *s)
{
    return s->customer ? jsonx_get_string(s->customer, "id") : NULL;
}

const char *chat_session_conversation(const struct chat_session *s)
{
    return s->conversation;
}
