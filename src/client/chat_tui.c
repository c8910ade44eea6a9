/* The full-screen chat: one libwebsockets loop that watches the keyboard,
 * the WebSocket and a signal self-pipe together; events become scrollback
 * entries and screen updates. Only what changed is redrawn: a keystroke
 * redraws the input line, a reply the chat pane's visible rows. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/chat_tui.h"
#include "client/render.h"
#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"

#define CHAT_SCROLLBACK_MAX 20000
#define CHAT_WHEEL_ROWS     3

/* The signal self-pipe's write end and the flag (async-signal-safe). */
static volatile sig_atomic_t chat_signal;
static int chat_sig_wfd = -1;

static void on_signal(int sig)
{
    int saved = errno;
    chat_signal = sig;
    if (chat_sig_wfd >= 0 && write(chat_sig_wfd, "x", 1) < 0) {
        /* the flag alone still ends the loop at its next wake-up */
    }
    errno = saved;
}

static int install_signals(int pipefd[2])
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK))
        return -1;
    chat_sig_wfd = pipefd[1];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static void set_conn(struct chat_tui *ct, const char *text)
{
    snprintf(ct->conn, sizeof ct->conn, "%s", text);
    ct->dirty_title = true;
}

static json_object *devices_of(struct chat_tui *ct)
{
    json_object *c = chat_session_customer(ct->s), *d;
    return c && json_object_object_get_ex(c, "devices", &d) ? d : NULL;
}

static void draw_title(struct chat_tui *ct)
{
    char left[256], detail[256];
    json_object *c = chat_session_customer(ct->s), *lvl = chat_session_level(ct->s);
    const char *name = c ? jsonx_get_string(c, "name") : NULL;
    const char *plan = lvl ? jsonx_get_string(lvl, "name") : NULL;
    const char *server = ct->cli->server;

    if (!strncmp(server, "http://", 7))
        server += 7;
    if (name)
        snprintf(left, sizeof left, "%s \xc2\xb7 %s plan", name, plan ? plan : "?");
    else
        snprintf(left, sizeof left, "%s", ct->cli->customer ? ct->cli->customer : "servicebot");
    snprintf(detail, sizeof detail, "servicebot @ %s", server);
    tui_draw_title(ct->t, left, detail, ct->conn, !ws_client_is_open(chat_session_ws(ct->s)));
}

static void draw_status(struct chat_tui *ct)
{
    char text[128];
    if (ct->matches[0]) {
        tui_draw_status(ct->t, ct->matches, false);
    } else if (ct->search[0]) {
        tui_draw_status(ct->t, ct->search_status, true);
    } else if (ct->loading_older) {
        tui_draw_status(ct->t, "\xe2\x96\xb2 loading older messages\xe2\x80\xa6", true);
    } else if (!ct->view.follow && ct->view.unseen) {
        snprintf(text, sizeof text, "\xe2\x96\xbc %d new message%s below (End to jump)",
                 ct->view.unseen, ct->view.unseen == 1 ? "" : "s");
        tui_draw_status(ct->t, text, true);
    } else if (!ct->view.follow) {
        tui_draw_status(ct->t, "scrolled back \xc2\xb7 End returns to the newest", true);
    } else {
        /* F2 is offered only where the panel can be shown */
        snprintf(text, sizeof text, "%sPgUp/PgDn scroll \xc2\xb7 Tab completes \xc2\xb7 /help",
                 tui_panel_fits(ct->t) ? "F2 devices \xc2\xb7 " : "");
        tui_draw_status(ct->t, text, false);
    }
}

/* Redraws what changed since the last paint, then updates the terminal. */
static void repaint(struct chat_tui *ct)
{
    int64_t t0 = ct->work_start_us ? ct->work_start_us : util_monotonic_us();
    bool full = ct->dirty_chat, keyed = ct->work_start_us != 0;

    if (ct->dirty_title)
        draw_title(ct);
    if (ct->dirty_chat)
        tui_draw_chat(ct->t, ct->sb, &ct->view);
    if (ct->dirty_panel)
        tui_draw_panel(ct->t, devices_of(ct));
    if (ct->dirty_status)
        draw_status(ct);
    ct->dirty_title = ct->dirty_chat = ct->dirty_panel = ct->dirty_status = false;
    tui_flush(ct->t);
    chat_notify_back(ct);
    ct->work_start_us = 0;
    if (!ct->timing)
        return;
    int64_t t1 = util_monotonic_us();
    if (!ct->painted && chat_session_welcomed(ct->s) && ct->settled) {
        /* the history arrives after the welcome: the first paint with it */
        ct->painted = true;
        fprintf(stderr, "tui: first full paint ms=%.2f entries=%zu\n",
                (double)(t1 - ct->started_us) / 1000.0, scrollback_count(ct->sb));
    } else if (ct->painted && (keyed || full)) {
        fprintf(stderr, "tui: paint us=%lld chat=%d\n", (long long)(t1 - t0), full);
    }
    fflush(stderr);
}

static void ev_welcome(void *ud, json_object *frame)
{
    struct chat_tui *ct = ud;
    json_object *c = chat_session_customer(ct->s);
    const char *name = c ? jsonx_get_string(c, "name") : NULL;
    const char *fresh = jsonx_get_string(frame, "conversationId");
    char text[256];

    set_conn(ct, "connected");
    ct->retry_at_us = 0;
    ct->refused = false;
    if (!ct->greeted_once) {
        ct->greeted_once = true;
        snprintf(ct->fresh, sizeof ct->fresh, "%s",
                 fresh && strlen(fresh) < sizeof ct->fresh ? fresh : "");
        chat_history_start(ct);
        snprintf(text, sizeof text, "Connected as %s. Ask about your devices, or type /help.",
                 name ? name : "?");
        chat_tui_note(ct, text);
    } else if (ct->outage) {
        chat_tui_add(ct, SCROLL_SYSTEM, NULL, "Reconnected.", NULL, NULL);
    }
    ct->outage = false;
    ct->last_error[0] = '\0';
    chat_tui_dirty_all(ct);
}

/* With a denial, the reply's sentence about it would repeat the block under
 * it: the text keeps only the other steps' sentences. */
static char *reply_text(json_object *frame, json_object *denial)
{
    const char *msg = jsonx_get_string(frame, "message");
    json_object *steps;
    char *out = NULL;
    size_t len = 0;
    FILE *f;

    if (!denial || !json_object_object_get_ex(frame, "steps", &steps) ||
        !json_object_is_type(steps, json_type_array) || !(f = open_memstream(&out, &len)))
        return xstrdup(msg ? msg : "");
    for (size_t i = 0; i < json_object_array_length(steps); i++) {
        json_object *st = json_object_array_get_idx(steps, i);
        const char *status = jsonx_get_string(st, "status"), *text = jsonx_get_string(st, "text");
        if (text && !(status && !strcmp(status, "denied")))
            fprintf(f, "%s%s", ftell(f) ? " " : "", text);
    }
    fclose(f);
    return out;
}

static void ev_reply(void *ud, json_object *frame, const struct chat_pending *p)
{
    struct chat_tui *ct = ud;
    json_object *denial = NULL;
    char *text;

    if (p)
        chat_tui_settle_pending(ct, p->id);
    else if (jsonx_get_string(frame, "inReplyTo"))
        chat_tui_settle_pending(ct, jsonx_get_string(frame, "inReplyTo"));
    json_object_object_get_ex(frame, "denial", &denial);
    text = reply_text(frame, denial);
    chat_tui_add(ct, SCROLL_BOT, NULL, text ? text : "", denial, denial ? render_denial : NULL);
    free(text);
    chat_notify_own_reply(ct, frame);
    chat_notify_reply(ct);
}

static void ev_device(void *ud, json_object *device, json_object *previous, bool removed)
{
    chat_notify_device(ud, device, previous, removed);
}

/* A routine ran by itself: its message, as the bot said it. */
static void ev_routine(void *ud, json_object *frame)
{
    struct chat_tui *ct = ud;
    json_object *run = json_object_object_get(frame, "run");
    const char *text = jsonx_get_string(run, "message");
    if (text)
        chat_tui_add(ct, SCROLL_BOT, NULL, text, json_object_object_get(run, "denial"),
                     json_object_object_get(run, "denial") ? render_denial : NULL);
}

static void ev_error(void *ud, json_object *frame)
{
    struct chat_tui *ct = ud;
    const char *code = jsonx_get_string(frame, "code");
    const char *text = jsonx_get_string(frame, "error");
    const char *to = jsonx_get_string(frame, "inReplyTo");
    char line[640];

    if (to)
        chat_tui_settle_pending(ct, to);
    if (chat_session_refusal_exit(code) == CLI_FAIL || to) {
        snprintf(line, sizeof line, "%s", text ? text : "the server could not handle that");
    } else {
        /* the server refuses the connection and closes it: do not retry */
        ct->refused = true;
        ws_client_hold(chat_session_ws(ct->s));
        ct->rc = chat_session_refusal_exit(code);
        snprintf(line, sizeof line,
                 "The server refused the connection: %s (check --token and --customer). "
                 "/quit to leave.",
                 text   ? text
                 : code ? code
                        : "unknown reason");
        set_conn(ct, "refused");
    }
    /* a connection-level error repeated by every retry is shown once */
    if (!to && ct->outage && !strcmp(line, ct->last_error))
        return;
    snprintf(ct->last_error, sizeof ct->last_error, "%s", line);
    chat_tui_add(ct, SCROLL_ERROR, NULL, line, NULL, NULL);
}

static void show_countdown(struct chat_tui *ct)
{
    char text[96];
    int64_t left = ct->retry_at_us - util_monotonic_us();
    int secs = (int)((left + 999999) / 1000000);
    if (secs > 0)
        snprintf(text, sizeof text, "disconnected, retry in %ds", secs);
    else
        snprintf(text, sizeof text, "reconnecting");
    set_conn(ct, text);
}

static void ev_down(void *ud, const char *why, int64_t retry_in_ms)
{
    struct chat_tui *ct = ud;
    char line[384];

    if (ct->refused) {
        set_conn(ct, "refused");
        return;
    }
    if (!ct->outage) {
        ct->outage = true;
        if (!ct->greeted_once)
            /* a certificate that does not verify is not retried (ws.c) */
            snprintf(line, sizeof line, "Cannot connect to servicebotd at %s (%s); %s.",
                     ct->cli->server, why ? why : "the connection closed",
                     retry_in_ms < 0 ? "/reconnect tries again" : "retrying");
        else
            snprintf(line, sizeof line,
                     "Connection lost%s%s%s. Messages you type are kept and sent when it is back.",
                     why ? " (" : "", why ? why : "", why ? ")" : "");
        chat_tui_add(ct, SCROLL_ERROR, NULL, line, NULL, NULL);
    }
    if (retry_in_ms < 0) {
        ct->retry_at_us = 0;
        set_conn(ct, "offline");
        return;
    }
    ct->retry_at_us = util_monotonic_us() + retry_in_ms * 1000;
    show_countdown(ct);
    ws_client_tick_in(chat_session_ws(ct->s), 250);
}

static void ev_tick(void *ud)
{
    struct chat_tui *ct = ud;
    if (!ct->retry_at_us || ws_client_is_open(chat_session_ws(ct->s)))
        return;
    show_countdown(ct);
    if (ct->retry_at_us > util_monotonic_us())
        ws_client_tick_in(chat_session_ws(ct->s), 250);
    else
        ct->retry_at_us = 0;
}

static void read_keys(struct chat_tui *ct)
{
    int c;
    while ((c = tui_read_key(ct->t)) != ERR) {
        if (!ct->work_start_us)
            ct->work_start_us = util_monotonic_us();
        if (c == KEY_RESIZE) {
            tui_layout(ct->t);
            chat_tui_dirty_all(ct);
            tui_input_redraw(ct->in);
        } else if (c >= 0 && c < 256) {
            tui_input_byte(ct->in, c);
        }
    }
    tui_input_idle(ct->in);
}

static int ev_fd(void *ud, int fd, bool eof)
{
    struct chat_tui *ct = ud;
    char buf[64];

    if (fd == chat_fetch_fd(ct->fetch)) {
        chat_fetch_drain(ct->fetch);
        return 0;
    }
    if (fd == ct->sig_fd) {
        while (read(fd, buf, sizeof buf) > 0)
            ;
        return 0;
    }
    if (eof) {
        ct->quit = true;
        return -1;
    }
    read_keys(ct);
    return 0;
}

static void in_line(void *ud, const char *line)
{
    struct chat_tui *ct = ud;
    const struct chat_pending *p;

    if (!line) {
        ct->quit = true;
        return;
    }
    if (!*line)
        return;
    if (line[0] == '/') {
        chat_cmd_run(ct, line);
        return;
    }
    if (strlen(line) > MODEL_TEXT_MAX) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "That message is %zu bytes and a message holds %d; it was not sent (Up recalls "
                 "it).",
                 strlen(line), MODEL_TEXT_MAX);
        chat_tui_error(ct, msg);
        return;
    }
    p = chat_session_submit(ct->s, line);
    scrollback_view_end(&ct->view);
    scrollback_set_mark(ct->sb, 0); /* what came before this message has been read */
    chat_tui_remember_pending(ct, p->id, chat_tui_add(ct, SCROLL_PENDING, NULL, line, NULL, NULL));
}

static void in_key(void *ud, enum tui_key key)
{
    struct chat_tui *ct = ud;
    int h = tui_chat_height(ct->t), w = tui_chat_width(ct->t);

    switch (key) {
    case TUI_KEY_PGUP:
        scrollback_view_scroll(ct->sb, &ct->view, -(h > 2 ? h - 1 : 1), h, w);
        break;
    case TUI_KEY_PGDN:
        scrollback_view_scroll(ct->sb, &ct->view, h > 2 ? h - 1 : 1, h, w);
        break;
    case TUI_KEY_WHEEL_UP:
        scrollback_view_scroll(ct->sb, &ct->view, -CHAT_WHEEL_ROWS, h, w);
        break;
    case TUI_KEY_WHEEL_DOWN:
        scrollback_view_scroll(ct->sb, &ct->view, CHAT_WHEEL_ROWS, h, w);
        break;
    case TUI_KEY_HOME:
        scrollback_view_home(ct->sb, &ct->view);
        break;
    case TUI_KEY_END:
        scrollback_view_end(&ct->view);
        break;
    case TUI_KEY_F2:
        chat_tui_toggle_panel(ct);
        return;
    case TUI_KEY_PANEL_UP:
    case TUI_KEY_PANEL_DOWN:
        tui_scroll_panel(ct->t, key == TUI_KEY_PANEL_UP ? -1 : 1);
        ct->dirty_panel = true;
        return;
    case TUI_KEY_SEARCH:
        tui_input_set_line(ct->in, "/search ");
        return;
    case TUI_KEY_REDRAW:
        tui_force_repaint(ct->t);
        chat_tui_dirty_all(ct);
        tui_input_redraw(ct->in);
        return;
    }
    /* reading back past the oldest loaded message fetches the page before it */
    if ((key == TUI_KEY_PGUP || key == TUI_KEY_HOME || key == TUI_KEY_WHEEL_UP) && ct->older[0] &&
        scrollback_at_top(ct->sb, &ct->view, h, w))
        chat_history_load(ct, 0, CHAT_HISTORY_OLDER);
    ct->dirty_chat = ct->dirty_status = true;
}

static bool in_empty_line_key(void *ud, int c)
{
    return chat_search_key(ud, c);
}

static void in_notice(void *ud, const char *text)
{
    chat_tui_error(ud, text);
}

/* The wheel scrolls what it is over: the device panel or the chat. */
static void in_wheel(void *ud, bool up, int x, int y)
{
    struct chat_tui *ct = ud;
    if (tui_in_panel(ct->t, x, y)) {
        tui_scroll_panel(ct->t, up ? -1 : 1);
        ct->dirty_panel = true;
        return;
    }
    in_key(ud, up ? TUI_KEY_WHEEL_UP : TUI_KEY_WHEEL_DOWN);
}

static void in_draw(void *ud, const char *prompt, const char *line, int point)
{
    struct chat_tui *ct = ud;
    if (tui_draw_input(ct->t, prompt, line, point))
        chat_tui_dirty_all(ct); /* the input area changed height */
}

static void in_matches(void *ud, char **matches, int n)
{
    struct chat_tui *ct = ud;
    size_t len = 0;
    ct->matches[0] = '\0';
    for (int i = 0; i < n && len + 2 < sizeof ct->matches; i++) {
        int k = snprintf(ct->matches + len, sizeof ct->matches - len, "%s%s", i ? "  " : "",
                         matches[i]);
        if (k < 0)
            break;
        len += (size_t)k;
    }
    if (len >= sizeof ct->matches)
        ct->matches[sizeof ct->matches - 1] = '\0';
    ct->dirty_status = true;
}

/* Device names and rooms ("living room"), each once. */
static void in_candidates(void *ud, bool line_start, struct strlist *out)
{
    struct chat_tui *ct = ud;
    json_object *devs = devices_of(ct);
    size_t n =
        devs && json_object_is_type(devs, json_type_array) ? json_object_array_length(devs) : 0;

    if (line_start)
        chat_cmd_names(out);
    for (size_t i = 0; i < n; i++) {
        json_object *d = json_object_array_get_idx(devs, i);
        const char *name = jsonx_get_string(d, "name");
        const char *room = jsonx_get_string(d, "location");
        if (name && !strlist_contains(out, name))
            strlist_push(out, name);
        if (room) {
            char buf[MODEL_NAME_MAX];
            snprintf(buf, sizeof buf, "%s", room);
            for (char *p = buf; *p; p++)
                if (*p == '_')
                    *p = ' ';
            if (!strlist_contains(out, buf))
                strlist_push(out, buf);
        }
    }
}

/* Sends stderr to a log file while curses owns the screen; returns the
 * saved descriptor to restore, or -1. */
static int redirect_stderr(void)
{
    char path[1024];
    int fd, saved;
    if (tui_state_path("chat.log", path, sizeof path))
        return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    if (saved >= 0)
        dup2(fd, STDERR_FILENO);
    close(fd);
    return saved;
}

static void restore_stderr(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static void loop(struct chat_tui *ct)
{
    repaint(ct);
    while (!ct->quit) {
        ws_client_service(chat_session_ws(ct->s));
        if (chat_signal)
            break;
        read_keys(ct);
        repaint(ct);
    }
}

static int open_parts(struct chat_tui *ct, const struct chat_args *args, int pipefd[2],
                      struct sb_err *err)
{
    static const struct chat_view view = {
        .welcome = ev_welcome,
        .reply = ev_reply,
        .device = ev_device,
        .error = ev_error,
        .routine = ev_routine,
        .down = ev_down,
        .fd = ev_fd,
        .tick = ev_tick,
    };
    static const struct tui_input_events input_ev = {
        .line = in_line,
        .key = in_key,
        .wheel = in_wheel,
        .draw = in_draw,
        .matches = in_matches,
        .candidates = in_candidates,
        .notice = in_notice,
        .empty_line_key = in_empty_line_key,
    };
    char hist[1024];
    int rc;

    ct->sb = scrollback_new(CHAT_SCROLLBACK_MAX);
    if ((rc = chat_fetch_new(ct->cli, &ct->fetch, err)) != SB_OK)
        return rc;
    rc = chat_session_new(ct->cli, args->conversation, 0, &view, ct, &ct->s, err);
    if (rc != SB_OK)
        return rc;
    /* nothing goes out before chat_history.c knows which conversation this is */
    chat_session_hold(ct->s);
    if ((rc = tui_open(ct->cli->color, &ct->t, err)) != SB_OK)
        return rc;
    rc = tui_input_new(&input_ev, ct, tui_state_path("history", hist, sizeof hist) ? NULL : hist,
                       &ct->in, err);
    if (rc != SB_OK)
        return rc;
    ct->sig_fd = pipefd[0];
    if ((rc = ws_client_watch_fd(chat_session_ws(ct->s), STDIN_FILENO, err)) != SB_OK ||
        (rc = ws_client_watch_fd(chat_session_ws(ct->s), chat_fetch_fd(ct->fetch), err)) != SB_OK)
        return rc;
    chat_fetch_fd_adopted(ct->fetch);
    return ws_client_watch_fd(chat_session_ws(ct->s), pipefd[0], err);
}

int chat_tui_run(struct cli_ctx *ctx, const struct chat_args *args)
{
    struct chat_tui ct = {.cli = ctx, .args = args, .rc = CLI_OK, .sig_fd = -1};
    struct sb_err err = {0};
    int pipefd[2] = {-1, -1}, saved_err, rc;
    const char *notify_env;
    size_t unsent;

    ct.started_us = util_monotonic_us();
    ct.timing = getenv("SERVICEBOT_TUI_TIMING") != NULL;
    ct.notify = CHAT_NOTIFY_BELL;
    notify_env = getenv("SERVICEBOT_NOTIFY");
    scrollback_view_end(&ct.view);
    set_conn(&ct, "connecting");
    if (install_signals(pipefd)) {
        fprintf(stderr, "%s: cannot create a pipe: %s\n", ctx->prog, strerror(errno));
        return CLI_FAIL;
    }
    saved_err = redirect_stderr();
    rc = open_parts(&ct, args, pipefd, &err);
    if (rc == SB_OK && notify_env && *notify_env && chat_notify_parse(notify_env, &ct.notify))
        chat_tui_error(&ct, "SERVICEBOT_NOTIFY: expected off, bell, title or both; using bell.");
    if (rc == SB_OK) {
        chat_tui_dirty_all(&ct);
        tui_input_redraw(ct.in);
        loop(&ct);
    }
    tui_input_free(ct.in);
    tui_close(ct.t);
    unsent = ct.s ? chat_session_pending_count(ct.s) : 0;
    /* the worker stops before the loop closes the pipe it writes to */
    chat_fetch_free(ct.fetch);
    chat_session_free(ct.s);
    scrollback_free(ct.sb);
    free(ct.pend);
    json_object_put(ct.catalogue);
    strlist_free(&ct.conversations);
    restore_stderr(saved_err);
    if (unsent)
        fprintf(stderr, "%s: %zu message%s typed but not answered (not connected)\n", ctx->prog,
                unsent, unsent == 1 ? " was" : "s were");
    chat_sig_wfd = -1;
    close(pipefd[0]);
    close(pipefd[1]);
    if (rc != SB_OK) {
        fprintf(stderr, "%s: %s\n", ctx->prog, err.msg);
        return rc == SB_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    return chat_signal ? 128 + chat_signal : ct.rc;
}
