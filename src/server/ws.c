#include "server/ws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/validate.h"
#include "common/xalloc.h"
#include "common/log.h"
#include "common/util.h"
#include "server/auth.h"
#include "server/chat_exchange.h"
#include "server/push.h"
#include "server/roster.h"
#include "server/server.h"

#define WS_QUEUE_MAX  256  /* client messages waiting for the engine */
#define WS_OUTBOX_MAX 1024 /* frames waiting for a slow reader */

struct frame {
    struct frame *next;
    size_t len;
    unsigned char data[]; /* LWS_PRE headroom, then the text */
};

struct pending {
    struct pending *next;
    size_t len;
    char text[]; /* the frame as received, NUL-terminated */
};

struct ws_job;

struct ws_session {
    struct lws *wsi;
    struct server *srv;
    struct ws_session *prev, *next;
    struct roster_entry by_customer; /* once ready */
    bool established, ready, closing;
    bool messages; /* opened with ?messages=1: wants the customer's message pushes */
    int close_code;
    const char *close_reason; /* static; NULL: from the code */
    char conn_id[UTIL_ID_LEN];
    char *token, *want_customer, *conversation, *customer_id;
    struct frame *out_head, *out_tail;
    size_t out_n;
    struct pending *in_head, *in_tail;
    size_t in_n;
    struct ws_job *job; /* the open or message job in flight */
    char *rx;           /* a fragmented frame being gathered */
    size_t rx_len, rx_cap;
    bool close_due;                   /* the close frame is decided: send nothing else */
    lws_sorted_usec_list_t sul_close; /* closes from the loop (see close_soon) */
};

const size_t ws_pss_size = sizeof(struct ws_session);

/* Work for a session on the pool: opening it, or one chat message. */
struct ws_job {
    struct chat_job chat; /* its job runs every step off the loop */
    struct server *srv;
    struct ws_session *s; /* NULL once the session closed */
    char *token, *want_customer, *conversation, *customer_id, *conn_id;
    json_object *msg;
    /* results */
    bool ok, row_written;
    char *frame;
    size_t frame_len;
    const char *close_reason; /* a static machine code */
    int retry_after;          /* > 0: refused by the token's write limit */
    struct push_list push;
};

static void ws_job_free(struct ws_job *wj)
{
    free(wj->token);
    free(wj->want_customer);
    free(wj->conversation);
    free(wj->customer_id);
    free(wj->conn_id);
    if (wj->msg)
        json_object_put(wj->msg);
    free(wj->frame);
    push_list_free(&wj->push);
    free(wj);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* Serialises o into the job's frame and releases o. */
static void job_frame(struct ws_job *wj, json_object *o)
{
    free(wj->frame);
    wj->frame = response_take_text(o, &wj->frame_len);
}

static json_object *error_frame(const char *code, const char *msg, const char *in_reply_to)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "type", xjson(json_object_new_string("error")));
    xjson_add(o, "code", xjson(json_object_new_string(code)));
    xjson_add(o, "error", xjson(json_object_new_string(msg)));
    if (in_reply_to)
        xjson_add(o, "inReplyTo", xjson(json_object_new_string(in_reply_to)));
    return o;
}

static void send_text(struct ws_session *s, const char *text, size_t len)
{
    if (s->out_n >= WS_OUTBOX_MAX) {
        /* A reader this far behind is gone or hostile: drop it. */
        lws_set_timeout(s->wsi, PENDING_TIMEOUT_LAGGING, LWS_TO_KILL_ASYNC);
        return;
    }
    struct frame *f = xmalloc(sizeof(*f) + LWS_PRE + len);
    f->next = NULL;
    f->len = len;
    memcpy(f->data + LWS_PRE, text, len);
    if (s->out_tail)
        s->out_tail->next = f;
    else
        s->out_head = f;
    s->out_tail = f;
    s->out_n++;
    lws_callback_on_writable(s->wsi);
}

static void send_json(struct ws_session *s, json_object *o)
{
    size_t len = 0;
    const char *text = jsonx_string(o, &len);
    send_text(s, text, len);
    json_object_put(o);
}

static void close_session(struct ws_session *s, int code)
{
    s->closing = true;
    s->close_code = code;
    lws_callback_on_writable(s->wsi);
}

void ws_send_customer(struct server *srv, const char *customer_id, const char *frame, size_t len)
{
    for (struct roster_entry *e = roster_first(srv->by_customer, customer_id); e;
         e = roster_next(e))
        send_text(lws_container_of(e, struct ws_session, by_customer), frame, len);
}

bool ws_customer_connected(struct server *srv, const char *customer_id)
{
    return roster_first(srv->by_customer, customer_id) != NULL;
}

void ws_send_customer_messages(struct server *srv, const char *customer_id, const char *frame,
                               size_t len, const void *except)
{
    for (struct roster_entry *e = roster_first(srv->by_customer, customer_id); e;
         e = roster_next(e)) {
        struct ws_session *s = lws_container_of(e, struct ws_session, by_customer);
        if (s->messages && s != except)
            send_text(s, frame, len);
    }
}

void ws_close_all(struct server *srv)
{
    for (struct ws_session *s = srv->sessions; s; s = s->next)
        close_session(s, LWS_CLOSE_STATUS_GOINGAWAY);
}

/* Resolves who the connection talks as; fills the job's close reason on refusal. */
static int open_customer(struct ws_job *wj, struct customer *c, struct sb_err *err)
{
    struct auth_identity who = {0};
    int rc = auth_lookup(wj->srv->app.auth, wj->srv->app.st, wj->token, &who, err);
    char msg[200];
    if (rc != SB_OK)
        return rc;
    const char *want = wj->want_customer, *conv = wj->conversation;
    char problem[160];
    if (conv && (strlen(conv) > MODEL_ID_MAX ||
                 !validate_string(conv, strlen(conv), VALIDATE_LABEL, problem, sizeof problem)))
        rc = sb_err_set(err, SB_EINVAL, "?conversation= %s",
                        strlen(conv) > MODEL_ID_MAX ? "is too long" : problem);
    /* An open writes a connection row: it takes from the token's write bucket. */
    else if (!ratelimit_take(wj->srv->app.limits, who.hash, who.admin, RL_WRITE, &wj->retry_after,
                             msg, sizeof(msg)))
        rc = sb_err_set(err, SB_EUNAVAIL, "%s", msg);
    else if (who.admin && !want)
        rc = sb_err_set(err, SB_EINVAL, "an admin token must name the customer (?customer=ID)");
    else if (!who.admin && want && strcmp(want, who.customer_id) != 0)
        rc = sb_err_set(err, SB_EDENIED, "this token does not reach customer %s", want);
    else
        rc = store_get_customer(wj->srv->app.st, who.admin ? want : who.customer_id, c, err);
    auth_identity_free(&who);
    return rc;
}

static void open_run(struct job *j)
{
    struct ws_job *wj = lws_container_of(j, struct ws_job, chat.job);
    struct sb_err err = {0};
    struct customer c = {0};
    struct service_level level = {0};
    int rc = open_customer(wj, &c, &err);
    if (rc == SB_OK)
        rc = store_get_level(wj->srv->app.st, c.service_level, &level, &err);
    if (rc != SB_OK) {
        const char *code = wj->retry_after    ? "rate_limited"
                           : rc == SB_EDENIED ? "forbidden"
                                              : sb_status_name(rc);
        json_object *o = error_frame(code, err.msg, NULL);
        if (wj->retry_after)
            xjson_add(o, "retryAfter", xjson(json_object_new_int(wj->retry_after)));
        job_frame(wj, o);
        wj->close_reason = code;
        goto out;
    }
    char now[UTIL_TIMESTAMP_LEN];
    util_timestamp_now(now, sizeof(now));
    struct connection row = {
        .connection_id = wj->conn_id,
        .user_id = c.id,
        .connection_time = now,
        .ttl = util_now_ms() / 1000 + WS_TTL_SECS,
        .instance = wj->srv->app.instance,
    };
    if (store_put_connection(wj->srv->app.st, &row, &err) != SB_OK) {
        job_frame(wj, error_frame("unavailable", err.msg, NULL));
        wj->close_reason = "unavailable";
        goto out;
    }
    wj->row_written = true;
    if (!wj->conversation) {
        char conv[UTIL_ID_LEN];
        util_new_id("conv", conv, sizeof(conv));
        wj->conversation = xstrdup(conv);
    }
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "type", xjson(json_object_new_string("welcome")));
    xjson_add(o, "connectionId", xjson(json_object_new_string(wj->conn_id)));
    xjson_add(o, "customer", customer_to_json(&c));
    xjson_add(o, "level", service_level_to_json(&level));
    xjson_add(o, "conversationId", jsonx_string_or_null(wj->conversation));
    job_frame(wj, o);
    wj->customer_id = xstrdup(c.id);
    wj->ok = true;
out:
    customer_free(&c);
    service_level_free(&level);
}

/* Deletes a connection row; needs no session. */
static void row_delete_run(struct job *j)
{
    struct ws_job *wj = lws_container_of(j, struct ws_job, chat.job);
    struct sb_err err = {0};
    if (store_delete_connection(wj->srv->app.st, wj->conn_id, &err) != SB_OK)
        log_kv(LOG_WARN, "cannot delete connection row", "connection", wj->conn_id, "error",
               err.msg, NULL);
}

static void job_free_done(struct job *j)
{
    ws_job_free(lws_container_of(j, struct ws_job, chat.job));
}

static void delete_row(struct server *srv, const char *conn_id)
{
    struct ws_job *wj = xcalloc(1, sizeof(*wj));
    wj->conn_id = xstrdup(conn_id);
    wj->srv = srv;
    wj->chat.job.run = row_delete_run;
    wj->chat.job.done = job_free_done;
    jobs_submit(srv->jobs, &wj->chat.job);
}

/* Each message checks its token again (through the auth cache), so that a
 * revoked or expired token closes the connection within the cache's bound,
 * takes one from the token's chat bucket and needs room in the store. False
 * with the error frame (and, for the token, the close reason) set when
 * refused. */
static bool message_allowed(struct ws_job *wj, const char *id)
{
    struct auth_identity who = {0};
    struct sb_err err = {0};
    char msg[240];
    int retry = 0;
    bool allowed = false;
    if (auth_lookup(wj->srv->app.auth, wj->srv->app.st, wj->token, &who, &err) != SB_OK) {
        const char *code = err.code == SB_EAUTH ? "unauthorized" : sb_status_name(err.code);
        job_frame(wj, error_frame(code, err.msg, id));
        if (err.code == SB_EAUTH)
            wj->close_reason = "unauthorized";
    } else if (!ratelimit_take(wj->srv->app.limits, who.hash, who.admin, RL_CHAT, &retry, msg,
                               sizeof(msg))) {
        json_object *o = error_frame("rate_limited", msg, id);
        xjson_add(o, "retryAfter", xjson(json_object_new_int(retry)));
        job_frame(wj, o);
        metrics_rate_limited(wj->srv->app.metrics, "chat");
    } else if (!watermark_allows(wj->srv->app.watermark, wj->srv->app.st, msg, sizeof(msg))) {
        job_frame(wj, error_frame("storage_full", msg, id));
    } else {
        allowed = true;
    }
    auth_identity_free(&who);
    return allowed;
}

/* A chat message's two halves around its exchange (chat_exchange.h). */
static bool message_begin(struct chat_job *cj)
{
    struct ws_job *wj = lws_container_of(cj, struct ws_job, chat);
    const char *id = jsonx_get_string(wj->msg, "id");
    if (!message_allowed(wj, id))
        return false;
    const char *conv = jsonx_get_string(wj->msg, "conversationId");
    cj->req = (struct engine_request){
        .customer_id = wj->customer_id,
        .text = jsonx_get_string(wj->msg, "text"),
        .conversation_id = conv ? conv : wj->conversation,
        .message_id = id,
    };
    return true;
}

static void message_end(struct chat_job *cj, int rc)
{
    struct ws_job *wj = lws_container_of(cj, struct ws_job, chat);
    const char *id = cj->req.message_id;
    if (rc != SB_OK) {
        job_frame(wj, error_frame(sb_status_name(rc), cj->err.msg, id));
        return;
    }
    xjson_add(cj->reply.result, "type", xjson(json_object_new_string("reply")));
    xjson_add(cj->reply.result, "inReplyTo", xjson(json_object_new_string(id)));
    job_frame(wj, json_object_get(cj->reply.result));
}

static void message_done(struct job *j);

/* Checks one client frame; NULL and an error frame sent when it is not a
 * well-formed message. */
static json_object *check_message(struct ws_session *s, const char *text, size_t len)
{
    json_object *msg = NULL, *v = NULL;
    struct sb_err err = {0};
    if (jsonx_parse(text, len, &msg, &err) != SB_OK) {
        send_json(s, error_frame("bad_request", err.msg, NULL));
        return NULL;
    }
    const char *type = jsonx_get_string(msg, "type");
    const char *id = jsonx_get_string(msg, "id"), *bad = NULL;
    char problem[256] = "", why[160];
    if (!json_object_is_type(msg, json_type_object))
        snprintf(problem, sizeof(problem), "a frame must be a JSON object");
    else if (!type)
        snprintf(problem, sizeof(problem), "the frame has no \"type\"");
    else if (strcmp(type, "message") != 0)
        snprintf(problem, sizeof(problem), "unknown frame type \"%.60s\" (expected \"message\")",
                 type);
    else if (!id || !*id || strlen(id) >= MODEL_ID_MAX)
        snprintf(problem, sizeof(problem), "\"id\" must be a non-empty string under %d bytes",
                 MODEL_ID_MAX);
    else if (!json_object_object_get_ex(msg, "text", &v) ||
             !json_object_is_type(v, json_type_string))
        snprintf(problem, sizeof(problem), "\"text\" must be a string");
    else if (json_object_object_get_ex(msg, "conversationId", &v) &&
             !json_object_is_type(v, json_type_string))
        snprintf(problem, sizeof(problem), "\"conversationId\" must be a string");
    else if (!validate_chat(msg, &bad, why, sizeof why))
        snprintf(problem, sizeof(problem), "\"%s\" %s", bad, why);
    if (!problem[0])
        return msg;
    send_json(s, error_frame("bad_request", problem, id));
    json_object_put(msg);
    return NULL;
}

/* Starts the next queued message when the session is ready and idle;
 * frames that are not messages are answered with an error in turn. */
static void pump(struct ws_session *s)
{
    while (!s->job && s->ready && !s->closing && s->in_head) {
        struct pending *p = s->in_head;
        s->in_head = p->next;
        if (!s->in_head)
            s->in_tail = NULL;
        s->in_n--;
        json_object *msg = check_message(s, p->text, p->len);
        free(p);
        if (!msg)
            continue;
        struct ws_job *wj = xcalloc(1, sizeof(*wj));
        wj->customer_id = xstrdup(s->customer_id);
        wj->conversation = xstrdup(s->conversation);
        if (s->token)
            wj->token = xstrdup(s->token);
        wj->msg = msg;
        wj->srv = s->srv;
        wj->s = s;
        wj->chat.job.done = message_done;
        wj->chat.app = &s->srv->app;
        wj->chat.push = &wj->push;
        wj->chat.begin = message_begin;
        wj->chat.end = message_end;
        s->job = wj;
        chat_job_submit(server_chat_pool(s->srv), &wj->chat);
    }
}

static void message_done(struct job *j)
{
    struct ws_job *wj = lws_container_of(j, struct ws_job, chat.job);
    struct ws_session *s = wj->s;
    if (s) {
        s->job = NULL;
        if (wj->frame) {
            send_text(s, wj->frame, wj->frame_len);
            metrics_ws_frame(s->srv->app.metrics, "out", "reply");
        }
        if (wj->close_reason) {
            s->close_reason = wj->close_reason;
            close_session(s, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        }
        if (s->closing)
            lws_callback_on_writable(s->wsi);
    }
    wj->push.except = s; /* the sender has its reply */
    push_devices(wj->srv, &wj->push);
    if (s)
        pump(s);
    ws_job_free(wj);
}

static void open_done(struct job *j)
{
    struct ws_job *wj = lws_container_of(j, struct ws_job, chat.job);
    struct ws_session *s = wj->s;
    if (!s) {
        if (wj->row_written)
            delete_row(wj->srv, wj->conn_id);
        ws_job_free(wj);
        return;
    }
    s->job = NULL;
    if (wj->frame)
        send_text(s, wj->frame, wj->frame_len);
    if (!wj->ok) {
        if (wj->row_written)
            delete_row(wj->srv, wj->conn_id);
        s->close_reason = wj->close_reason;
        close_session(s, LWS_CLOSE_STATUS_POLICY_VIOLATION);
    } else {
        free(s->customer_id);
        free(s->conversation);
        s->customer_id = wj->customer_id;
        s->conversation = wj->conversation;
        wj->customer_id = wj->conversation = NULL;
        s->ready = true;
        roster_add(s->srv->by_customer, &s->by_customer, s->customer_id);
        log_kv(LOG_INFO, "websocket open", "connection", s->conn_id, "customer", s->customer_id,
               NULL);
        pump(s);
    }
    ws_job_free(wj);
}

/* Copies the upgrade request's token, customer and conversation. */
static void read_upgrade(struct lws *wsi, struct ws_session *s)
{
    char buf[1024];
    int len = lws_hdr_copy(wsi, buf, sizeof(buf), WSI_TOKEN_HTTP_AUTHORIZATION);
    const char *bearer = len > 0 ? auth_bearer(buf) : NULL;
    const char *v;
    if (bearer)
        s->token = xstrdup(bearer);
    else if ((v = lws_get_urlarg_by_name(wsi, "token=", buf, sizeof(buf))))
        s->token = xstrdup(v);
    if ((v = lws_get_urlarg_by_name(wsi, "customer=", buf, sizeof(buf))) && *v)
        s->want_customer = xstrdup(v);
    if ((v = lws_get_urlarg_by_name(wsi, "conversation=", buf, sizeof(buf))) && *v)
        s->conversation = xstrdup(v);
    /* Opt-in, so that clients that know only device pushes see no new frames. */
    if ((v = lws_get_urlarg_by_name(wsi, "messages=", buf, sizeof(buf))))
        s->messages = !strcmp(v, "1");
}

static int on_filter(struct lws *wsi, struct ws_session *s, struct server *srv)
{
    char path[64];
    if (srv->app.draining || lws_hdr_copy(wsi, path, sizeof(path), WSI_TOKEN_GET_URI) < 0 ||
        strcmp(path, "/ws") != 0)
        return 1;
    read_upgrade(wsi, s);
    return 0;
}

static int on_established(struct lws *wsi, struct ws_session *s, struct server *srv)
{
    s->wsi = wsi;
    s->srv = srv;
    s->established = true;
    util_new_id("conn", s->conn_id, sizeof(s->conn_id));
    s->next = srv->sessions;
    if (srv->sessions)
        srv->sessions->prev = s;
    srv->sessions = s;
    int open = atomic_fetch_add(&srv->app.chat_sessions, 1) + 1;
    if (s->messages)
        atomic_fetch_add(&srv->app.message_followers, 1);
    metrics_ws_connections(srv->app.metrics, (long)open);
    struct ws_job *wj = xcalloc(1, sizeof(*wj));
    wj->srv = srv;
    wj->s = s;
    wj->token = dup_or_null(s->token);
    wj->want_customer = dup_or_null(s->want_customer);
    wj->conversation = dup_or_null(s->conversation);
    wj->conn_id = xstrdup(s->conn_id);
    wj->chat.job.run = open_run;
    wj->chat.job.done = open_done;
    s->job = wj;
    jobs_submit(srv->jobs, &wj->chat.job);
    return 0;
}

/* Queues one complete client frame; it is checked when its turn comes, so
 * that every answer follows the welcome and the replies before it. */
static void on_message(struct ws_session *s, const char *text, size_t len)
{
    metrics_ws_frame(s->srv->app.metrics, "in", "message");
    if (s->in_n >= WS_QUEUE_MAX) {
        send_json(s, error_frame("busy", "too many messages waiting; slow down", NULL));
        return;
    }
    struct pending *p = xmalloc(sizeof(*p) + len + 1);
    p->next = NULL;
    p->len = len;
    if (len)
        memcpy(p->text, text, len);
    p->text[p->len] = '\0';
    if (s->in_tail)
        s->in_tail->next = p;
    else
        s->in_head = p;
    s->in_tail = p;
    s->in_n++;
    pump(s);
}

/* Handles one complete frame: binary ones are refused, text ones queued. */
static void on_frame(struct lws *wsi, struct ws_session *s, const char *text, size_t len)
{
    if (lws_frame_is_binary(wsi))
        send_json(s, error_frame("bad_request", "send JSON text frames, not binary", NULL));
    else
        on_message(s, text, len);
}

static void close_cb(lws_sorted_usec_list_t *sul)
{
    struct ws_session *s = lws_container_of(sul, struct ws_session, sul_close);
    lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
}

/* Closes with a status frame. Not by returning -1 from the callback: on
 * an event library (libuv, libev), Debian's lws (a _DEBUG build) closes twice on that path and the
 * second close kills the socket before the close frame is written. One
 * close from the loop sends the frame and waits for the peer's answer. */
static void close_soon(struct ws_session *s, int code, const char *reason)
{
    lws_close_reason(s->wsi, (enum lws_close_status)code, (unsigned char *)reason, strlen(reason));
    s->close_due = true;
    lws_sul_schedule(s->srv->ctx, 0, &s->sul_close, close_cb, 1);
}

/* Gathers fragments (a frame may come in pieces) up to the size limit. */
static int on_receive(struct lws *wsi, struct ws_session *s, const char *in, size_t len)
{
    bool first = lws_is_first_fragment(wsi);
    bool last = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
    if (s->close_due)
        return 0; /* the rest of what it sent before the close is dropped */
    if (first)
        s->rx_len = 0;
    if (s->rx_len + len > SERVER_BODY_MAX) {
        close_soon(s, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message over 64 KiB");
        return 0;
    }
    if (first && last) { /* the usual case: no copy needed */
        on_frame(wsi, s, in, len);
        return 0;
    }
    if (s->rx_len + len > s->rx_cap) {
        size_t cap = s->rx_cap ? s->rx_cap * 2 : 4096;
        while (cap < s->rx_len + len)
            cap *= 2;
        s->rx = xrealloc(s->rx, cap);
        s->rx_cap = cap;
    }
    if (len) /* the closing empty continuation frame has no data */
        memcpy(s->rx + s->rx_len, in, len);
    s->rx_len += len;
    if (last)
        on_frame(wsi, s, s->rx, s->rx_len);
    return 0;
}

/* Sends queued frames while the socket takes them whole (a reply and its
 * device push usually leave together), then the close when one is due. */
static int on_writeable(struct lws *wsi, struct ws_session *s)
{
    if (s->close_due)
        return 0;
    if (s->out_head) {
        do {
            struct frame *f = s->out_head;
            s->out_head = f->next;
            if (!s->out_head)
                s->out_tail = NULL;
            s->out_n--;
            int n = lws_write(wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT);
            free(f);
            if (n < 0)
                return -1;
        } while (s->out_head && !lws_send_pipe_choked(wsi));
        if (s->out_head || s->closing)
            lws_callback_on_writable(wsi);
        return 0;
    }
    /* A closing session still gets the reply it is waiting for. */
    if (!s->closing || s->job)
        return 0;
    const char *reason = s->close_code == LWS_CLOSE_STATUS_GOINGAWAY ? "shutdown"
                         : s->close_reason                           ? s->close_reason
                                                                     : "refused";
    close_soon(s, s->close_code, reason);
    return 0;
}

static void on_closed(struct ws_session *s)
{
    struct server *srv = s->srv;
    lws_sul_cancel(&s->sul_close);
    if (!s->established) /* refused in FILTER: never joined */
        goto out;
    if (s->prev)
        s->prev->next = s->next;
    else
        srv->sessions = s->next;
    if (s->next)
        s->next->prev = s->prev;
    int open = atomic_fetch_sub(&srv->app.chat_sessions, 1) - 1;
    if (s->messages)
        atomic_fetch_sub(&srv->app.message_followers, 1);
    metrics_ws_connections(srv->app.metrics, (long)open);
    if (s->job)
        s->job->s = NULL;
    if (s->ready) {
        roster_remove(srv->by_customer, &s->by_customer);
        delete_row(srv, s->conn_id);
        log_kv(LOG_INFO, "websocket closed", "connection", s->conn_id, "customer", s->customer_id,
               NULL);
    }
    while (s->out_head) {
        struct frame *f = s->out_head;
        s->out_head = f->next;
        free(f);
    }
    while (s->in_head) {
        struct pending *p = s->in_head;
        s->in_head = p->next;
        free(p);
    }
out:
    free(s->token);
    free(s->want_customer);
    free(s->conversation);
    free(s->customer_id);
    free(s->rx);
    memset(s, 0, sizeof(*s));
}

int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct ws_session *s = user;
    struct server *srv = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return on_filter(wsi, s, srv);
    case LWS_CALLBACK_ESTABLISHED:
        return on_established(wsi, s, srv);
    case LWS_CALLBACK_RECEIVE:
        return on_receive(wsi, s, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return on_writeable(wsi, s);
    case LWS_CALLBACK_CLOSED:
        if (s)
            on_closed(s);
        return 0;
    default:
        return 0;
    }
}

static void sweep_run(struct job *j)
{
    struct ws_job *wj = lws_container_of(j, struct ws_job, chat.job);
    struct sb_err err = {0};
    size_t removed = 0;
    if (store_expire_connections(wj->srv->app.st, util_now_ms() / 1000, &removed, &err) != SB_OK)
        log_kv(LOG_WARN, "cannot expire connection rows", "error", err.msg, NULL);
    else if (removed) {
        char count[24];
        snprintf(count, sizeof(count), "%zu", removed);
        log_kv(LOG_INFO, "expired connection rows", "count", count, NULL);
    }
}

static void sweep_tick(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, sul_sweep);
    if (srv->stopped || srv->app.draining)
        return;
    struct ws_job *wj = xcalloc(1, sizeof(*wj));
    wj->srv = srv;
    wj->chat.job.run = sweep_run;
    wj->chat.job.done = job_free_done;
    jobs_submit(srv->jobs, &wj->chat.job);
    lws_sul_schedule(srv->ctx, 0, &srv->sul_sweep, sweep_tick, WS_SWEEP_MS * LWS_US_PER_MS);
}

void ws_start_sweeping(struct server *srv)
{
    /* The first sweep right away clears rows a crash left behind. */
    lws_sul_schedule(srv->ctx, 0, &srv->sul_sweep, sweep_tick, 1);
}
