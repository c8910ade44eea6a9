/* Line mode: each stdin line is one message, each reply one printout.
 * Replies go to stdout (the text, or with --json the reply frame on one
 * line); denial blocks and errors go to stderr, as `servicebot send` does.
 * Lines are sent one at a time, each after the previous reply, so that the
 * conversation reads in order and "it" refers to the previous turn. The
 * program ends once stdin is exhausted and every message is answered. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/chat.h"
#include "client/chat_fetch.h"
#include "client/chat_session.h"
#include "client/rest.h"
#include "client/render.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

#define LINE_MAX_RECONNECTS 6

struct line_state {
    struct cli_ctx *cli;
    const struct chat_args *args;
    struct chat_session *s;
    struct chat_fetch *fetch; /* checks that --conversation exists */
    char *buf;                /* an incomplete input line */
    size_t len, cap;
    struct strlist queue; /* lines not sent yet, from index next */
    size_t next;
    bool eof;
    bool done;
    bool greeted; /* a welcome arrived at least once */
    int downs;    /* connection losses since the last welcome */
    int rc;
};

static void print_block(json_object *frame, const char *key,
                        int (*render)(json_object *, int, struct render_lines *))
{
    json_object *v;
    struct render_lines lines = {0};

    if (!json_object_object_get_ex(frame, key, &v) || render(v, 0, &lines) != 0)
        return;
    for (size_t i = 0; i < lines.n; i++)
        fprintf(stderr, "%s%s\n", i ? "  " : "", lines.lines[i]);
    render_lines_free(&lines);
}

static void line_reply(void *ud, json_object *frame, const struct chat_pending *p)
{
    struct line_state *st = ud;
    const char *msg = jsonx_get_string(frame, "message");

    if (st->cli->json) {
        json_object *copy = NULL;
        /* the reply object itself: the frame minus its transport "type" */
        json_object_deep_copy(frame, &copy, NULL);
        if (copy)
            json_object_object_del(copy, "type");
        printf("%s\n", jsonx_string(copy ? copy : frame, NULL));
        json_object_put(copy);
    } else {
        printf("%s\n", msg ? msg : "");
        print_block(frame, "denial", render_denial);
    }
    fflush(stdout);
    /* as `send`: a refusal by the plan is exit 4, unless something worse happened */
    if (json_object_object_get_ex(frame, "denial", NULL) && st->rc == CLI_OK)
        st->rc = CLI_DENIED;
}

static void line_error(void *ud, json_object *frame)
{
    struct line_state *st = ud;
    const char *code = jsonx_get_string(frame, "code");
    const char *text = jsonx_get_string(frame, "error");

    fprintf(stderr, "%s: %s\n", st->cli->prog, text ? text : "the server reported an error");
    bool revoked = code && !strcmp(code, "unauthorized"); /* mid-chat: revoked or expired */
    if ((revoked || !jsonx_get_string(frame, "inReplyTo")) &&
        chat_session_refusal_exit(code) != CLI_FAIL) {
        /* a refused connection: the server closes it next; do not retry */
        st->rc = chat_session_refusal_exit(code);
        st->done = true;
        ws_client_hold(chat_session_ws(st->s));
    } else {
        st->rc = CLI_FAIL;
    }
}

/* The answer about --conversation: messages in it, or none (no such
 * conversation: say so rather than start a new one under that name). */
static void on_checked(void *ud, const struct chat_fetch_result *r)
{
    struct line_state *st = ud;
    json_object *msgs;

    if (r->body &&
        (!json_object_object_get_ex(r->body, "messages", &msgs) ||
         !json_object_is_type(msgs, json_type_array) || !json_object_array_length(msgs))) {
        fprintf(stderr, "%s: %s has no conversation %s (servicebot history lists them)\n",
                st->cli->prog, chat_session_customer_id(st->s), st->args->conversation);
        st->rc = CLI_NOT_FOUND;
        st->done = true;
        return;
    }
    if (!r->body)
        fprintf(stderr, "%s: warning: cannot check conversation %s: %s\n", st->cli->prog,
                st->args->conversation, r->error);
    chat_session_set_conversation(st->s, st->args->conversation);
}

static void check_conversation(struct line_state *st)
{
    const char *cust = chat_session_customer_id(st->s);
    char path[1024], ec[3 * MODEL_ID_MAX + 1], ev[3 * MODEL_ID_MAX + 1];

    if (!cust || rest_escape(cust, ec, sizeof ec) ||
        rest_escape(st->args->conversation, ev, sizeof ev)) {
        fprintf(stderr, "%s: conversation id too long\n", st->cli->prog);
        st->rc = CLI_USAGE;
        st->done = true;
        return;
    }
    snprintf(path, sizeof path, "/api/chat/history/%s?conversationId=%s&limit=1", ec, ev);
    chat_fetch_get(st->fetch, path, on_checked, st, NULL, 0);
}

static void line_welcome(void *ud, json_object *frame)
{
    struct line_state *st = ud;
    if (!st->greeted && st->fetch)
        check_conversation(st);
    st->greeted = true;
    st->downs = 0;
}

static void line_down(void *ud, const char *why, int64_t retry_in_ms)
{
    struct line_state *st = ud;

    if (st->done)
        return;
    if (!st->greeted || retry_in_ms < 0 || ++st->downs > LINE_MAX_RECONNECTS) {
        fprintf(stderr, "%s: cannot reach servicebotd at %s: %s\n", st->cli->prog, st->cli->server,
                why ? why : "the connection closed");
        st->rc = CLI_UNREACHABLE;
        st->done = true;
    }
}

/* Sends the next queued line once the previous one is answered. */
static void pump(struct line_state *st)
{
    if (st->done || chat_session_pending_count(st->s) || st->next >= st->queue.len)
        return;
    chat_session_submit(st->s, st->queue.items[st->next++]);
}

static void submit_line(struct line_state *st, char *line, size_t len)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    line[len] = '\0';
    if (len)
        strlist_push(&st->queue, line); /* cannot fail: xalloc.h */
    pump(st);
}

/* Whether everything read has been sent and answered. */
static bool finished(const struct line_state *st)
{
    return st->done ||
           (st->eof && st->next >= st->queue.len && chat_session_pending_count(st->s) == 0);
}

/* Appends input and submits every complete line. */
static void take_input(struct line_state *st, const char *in, size_t n)
{
    if (st->len + n + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n + 1)
            cap *= 2;
        st->buf = xrealloc(st->buf, cap);
        st->cap = cap;
    }
    memcpy(st->buf + st->len, in, n);
    st->len += n;
    size_t start = 0;
    for (size_t i = 0; i < st->len; i++) {
        if (st->buf[i] != '\n')
            continue;
        submit_line(st, st->buf + start, i - start);
        start = i + 1;
    }
    memmove(st->buf, st->buf + start, st->len - start);
    st->len -= start;
}

static int line_fd(void *ud, int fd, bool eof)
{
    struct line_state *st = ud;
    char in[4096];
    ssize_t n = 0;

    if (st->fetch && fd == chat_fetch_fd(st->fetch)) {
        chat_fetch_drain(st->fetch);
        return 0;
    }
    if (!eof) {
        n = read(fd, in, sizeof in);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return 0;
        if (n > 0) {
            take_input(st, in, (size_t)n);
            return 0;
        }
    }
    /* end of input: a last line without a newline still counts */
    if (st->len)
        submit_line(st, st->buf, st->len);
    st->len = 0;
    st->eof = true;
    return -1;
}

int chat_line_run(struct cli_ctx *ctx, const struct chat_args *args)
{
    static const struct chat_view view = {
        .welcome = line_welcome,
        .reply = line_reply,
        .error = line_error,
        .down = line_down,
        .fd = line_fd,
    };
    struct line_state st = {.cli = ctx, .args = args, .rc = CLI_OK};
    struct sb_err err;
    int rc;

    rc = chat_session_new(ctx, args->conversation, 0, &view, &st, &st.s, &err);
    if (rc == SB_OK && args->conversation && (rc = chat_fetch_new(ctx, &st.fetch, &err)) == SB_OK)
        chat_session_hold(st.s); /* nothing goes out until the conversation is known to exist */
    if (rc != SB_OK) {
        fprintf(stderr, "%s: %s\n", ctx->prog, err.msg);
        chat_session_free(st.s);
        return rc == SB_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    if (ws_client_watch_fd(chat_session_ws(st.s), STDIN_FILENO, &err) != SB_OK ||
        (st.fetch &&
         ws_client_watch_fd(chat_session_ws(st.s), chat_fetch_fd(st.fetch), &err) != SB_OK)) {
        fprintf(stderr, "%s: %s\n", ctx->prog, err.msg);
        st.rc = CLI_FAIL;
        goto out;
    }
    if (st.fetch)
        chat_fetch_fd_adopted(st.fetch);
    while (!finished(&st)) {
        ws_client_service(chat_session_ws(st.s));
        pump(&st);
    }
out:
    /* the worker stops before the loop closes the pipe it writes to */
    chat_fetch_free(st.fetch);
    chat_session_free(st.s);
    strlist_free(&st.queue);
    free(st.buf);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write to stdout\n", ctx->prog);
        return CLI_FAIL;
    }
    return st.rc;
}
