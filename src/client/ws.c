/* WebSocket client over libwebsockets 4.1.6; see ws.h. */
#include "client/ws.h"

#include <libwebsockets.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "client/cli.h"
#include "common/jsonx.h"
#include "common/xalloc.h"

#define WS_RX_MAX             (4u << 20) /* a frame larger than this is a protocol error */
#define WS_BACKOFF_BASE_MS    500
#define WS_BACKOFF_CAP_MS     15000
#define WS_BACKOFF_JITTER_PCT 25

struct ws_out {
    unsigned char *buf; /* LWS_PRE bytes of headroom, then the payload */
    size_t len;
};

struct ws_client {
    struct lws_context *ctx;
    struct lws_vhost *vh;
    struct lws *wsi;
    lws_sorted_usec_list_t sul_connect;
    lws_sorted_usec_list_t sul_tick;
    struct ws_events ev;
    void *ud;

    char *url; /* parsed in place by lws_parse_uri */
    const char *address;
    char prefix[256]; /* path before /ws, without slashes at either end */
    int port;
    bool tls;
    char *token;
    char *cacert;
    char *customer;
    char *conversation;
    bool messages;
    int max_attempts;
    unsigned attempts;
    bool held; /* no automatic reconnects until ws_client_retry_now */

    bool live; /* an attempt is under way or the connection is open */
    bool open;
    bool stopping;
    char *rx;
    size_t rx_len, rx_cap;
    bool rx_overflow;
    struct ws_out *q;
    size_t q_head, q_len, q_cap;
};

/* Pings keep a quiet connection alive and notice a dead server. */
static const lws_retry_bo_t ws_idle_policy = {
    .secs_since_valid_ping = 20,
    .secs_since_valid_hangup = 50,
};

int64_t ws_backoff_delay_ms(unsigned attempt, int64_t base_ms, int64_t cap_ms, int jitter_pct,
                            uint32_t rnd)
{
    int64_t d = base_ms;
    for (unsigned i = 0; i < attempt && d < cap_ms; i++)
        d *= 2;
    if (d > cap_ms)
        d = cap_ms;
    /* spread by -jitter..+jitter percent so that many clients do not return in step */
    int64_t spread = d * jitter_pct / 100;
    if (spread > 0)
        d += (int64_t)(rnd % (uint32_t)(2 * spread + 1)) - spread;
    return d < 1 ? 1 : d;
}

static void outq_clear(struct ws_client *c)
{
    for (size_t i = 0; i < c->q_len; i++)
        free(c->q[(c->q_head + i) % c->q_cap].buf);
    c->q_head = c->q_len = 0;
}

static void do_connect(lws_sorted_usec_list_t *sul);

/* Marks the connection down and schedules the next attempt (or gives up). */
static void connection_down(struct ws_client *c, const char *why)
{
    if (!c->live)
        return;
    c->live = false;
    c->wsi = NULL;
    c->open = false;
    outq_clear(c);
    if (c->stopping)
        return;
    if (c->held || (c->max_attempts > 0 && c->attempts + 1 >= (unsigned)c->max_attempts)) {
        if (c->ev.on_down)
            c->ev.on_down(c->ud, why, -1);
        return;
    }
    uint32_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd)
        rnd = (uint32_t)lws_now_usecs();
    int64_t ms = ws_backoff_delay_ms(c->attempts++, WS_BACKOFF_BASE_MS, WS_BACKOFF_CAP_MS,
                                     WS_BACKOFF_JITTER_PCT, rnd);
    lws_sul_schedule(c->ctx, 0, &c->sul_connect, do_connect, ms * LWS_US_PER_MS);
    if (c->ev.on_down)
        c->ev.on_down(c->ud, why, ms);
}

static void append_query(char *path, size_t n, const char *key, const char *val, bool *first)
{
    char enc[3 * 256 + 1];
    size_t len;
    if (!val || !*val)
        return;
    lws_urlencode(enc, val, (int)sizeof enc);
    len = strlen(path);
    snprintf(path + len, n - len, "%c%s=%s", *first ? '?' : '&', key, enc);
    *first = false;
}

static void do_connect(lws_sorted_usec_list_t *sul)
{
    struct ws_client *c = lws_container_of(sul, struct ws_client, sul_connect);
    struct lws_client_connect_info i;
    char path[1024];
    bool first = true;

    snprintf(path, sizeof path, "/%s%sws", c->prefix, *c->prefix ? "/" : "");
    append_query(path, sizeof path, "customer", c->customer, &first);
    append_query(path, sizeof path, "conversation", c->conversation, &first);
    append_query(path, sizeof path, "messages", c->messages ? "1" : NULL, &first);

    c->live = true;
    memset(&i, 0, sizeof i);
    i.context = c->ctx;
    i.address = c->address;
    i.port = c->port;
    i.path = path;
    i.host = c->address;
    i.origin = c->address;
    /* Certificate and host name checks stay on: no LCCSCF_ALLOW_* flag. */
    i.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
    i.alpn = "http/1.1";
    i.protocol = "chat";
    i.local_protocol_name = "chat";
    i.retry_and_idle_policy = &ws_idle_policy;
    i.pwsi = &c->wsi;
    if (!lws_client_connect_via_info(&i))
        connection_down(c, "cannot start a connection");
}

static void on_tick_sul(lws_sorted_usec_list_t *sul)
{
    struct ws_client *c = lws_container_of(sul, struct ws_client, sul_tick);
    if (c->ev.on_tick)
        c->ev.on_tick(c->ud);
}

/* Collects the fragments of one message; returns 1 when it is complete. */
static int rx_collect(struct ws_client *c, struct lws *wsi, const void *in, size_t len)
{
    if (lws_is_first_fragment(wsi)) {
        c->rx_len = 0;
        c->rx_overflow = false;
    }
    if (!c->rx_overflow && c->rx_len + len > WS_RX_MAX)
        c->rx_overflow = true;
    if (!c->rx_overflow && len) {
        if (c->rx_len + len > c->rx_cap) {
            size_t cap = c->rx_cap ? c->rx_cap : 4096;
            while (cap < c->rx_len + len)
                cap *= 2;
            c->rx = xrealloc(c->rx, cap);
            c->rx_cap = cap;
        }
        memcpy(c->rx + c->rx_len, in, len);
        c->rx_len += len;
    }
    return lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
}

static void rx_deliver(struct ws_client *c)
{
    json_object *frame = NULL;
    struct sb_err err;

    if (c->rx_overflow || jsonx_parse(c->rx, c->rx_len, &frame, &err) != SB_OK ||
        !json_object_is_type(frame, json_type_object)) {
        json_object_put(frame);
        frame = xjson(json_object_new_object());
        json_object_object_add(frame, "type", xjson(json_object_new_string("error")));
        json_object_object_add(frame, "code", xjson(json_object_new_string("bad_frame")));
        json_object_object_add(
            frame, "error",
            xjson(json_object_new_string(c->rx_overflow ? "the server sent an oversized frame"
                                                        : "the server sent a frame that is not "
                                                          "a JSON object")));
    }
    if (c->ev.on_frame)
        c->ev.on_frame(c->ud, frame);
    json_object_put(frame);
}

static int write_one(struct ws_client *c, struct lws *wsi)
{
    if (!c->q_len)
        return 0;
    struct ws_out *o = &c->q[c->q_head];
    int n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
    free(o->buf);
    c->q_head = (c->q_head + 1) % c->q_cap;
    c->q_len--;
    if (n < (int)o->len)
        return -1;
    if (c->q_len)
        lws_callback_on_writable(wsi);
    return 0;
}

/* Adds the bearer token to the upgrade request; -1 when it does not fit. */
static int append_auth(struct ws_client *c, struct lws *wsi, void *in, size_t len)
{
    unsigned char **p = (unsigned char **)in, *end = *p + len;
    char value[1024];
    int n;
    if (!c->token)
        return 0;
    n = snprintf(value, sizeof value, "Bearer %s", c->token);
    if (n <= 0 || (size_t)n >= sizeof value)
        return -1;
    return lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, (unsigned char *)value,
                                        n, p, end)
               ? -1
               : 0;
}

/* Says why the upgrade failed, with the HTTP status when there was one. A
 * certificate that does not verify ends the retries: trying again cannot
 * help (lws itself only says "connect SSL err 1"). */
static void connection_error(struct ws_client *c, struct lws *wsi, const char *in)
{
    char why[512];
    unsigned status = wsi ? lws_http_client_http_response(wsi) : 0;
    SSL *ssl = wsi && c->tls ? lws_get_ssl(wsi) : NULL;
    long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verify != X509_V_OK) {
        snprintf(why, sizeof why, "its TLS certificate is not trusted (%s); %s",
                 X509_verify_cert_error_string(verify),
                 cli_untrusted_advice(c->cacert, verify == X509_V_ERR_HOSTNAME_MISMATCH ||
                                                     verify == X509_V_ERR_IP_ADDRESS_MISMATCH));
        c->held = true;
    } else if (c->tls && in && !strncmp(in, "connect SSL err", 15)) {
        snprintf(why, sizeof why, "the TLS handshake failed; does the server speak https://?");
    } else if (status >= 400)
        snprintf(why, sizeof why, "the server refused the connection (HTTP %u)", status);
    else
        snprintf(why, sizeof why, "%s", in && *in ? in : "connection failed");
    connection_down(c, why);
}

static int cb_chat(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len)
{
    struct ws_client *c = lws_context_user(lws_get_context(wsi));

    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        return append_auth(c, wsi, in, len);
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        c->open = true;
        c->attempts = 0;
        if (c->ev.on_open)
            c->ev.on_open(c->ud);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (rx_collect(c, wsi, in, len))
            rx_deliver(c);
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return write_one(c, wsi);
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        connection_error(c, wsi, in);
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        connection_down(c, NULL); /* closed: there is no more to say */
        break;
    default:
        break;
    }
    return 0;
}

static int cb_fd(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
    struct ws_client *c = lws_context_user(lws_get_context(wsi));
    int fd = (int)(intptr_t)lws_get_opaque_user_data(wsi);

    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        if (c->ev.on_fd && !c->stopping)
            return c->ev.on_fd(c->ud, fd, false);
        break;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (c->ev.on_fd && !c->stopping)
            c->ev.on_fd(c->ud, fd, true);
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols ws_protocols[] = {
    {.name = "chat", .callback = cb_chat, .rx_buffer_size = 8192},
    {.name = "sbfd", .callback = cb_fd},
    {.name = NULL},
};

static int parse_server(struct ws_client *c, const char *server, struct sb_err *err)
{
    const char *prot, *path;
    size_t n;
    c->url = xstrdup(server);
    if (lws_parse_uri(c->url, &prot, &c->address, &c->port, &path) || !*c->address)
        return sb_err_set(err, SB_EINVAL, "cannot parse the server URL \"%s\"", server);
    c->tls = !strcmp(prot, "https") || !strcmp(prot, "wss");
    if (strcmp(prot, "http") && strcmp(prot, "ws") && !c->tls)
        return sb_err_set(err, SB_EINVAL, "server URL \"%s\": expected http:// or https://",
                          server);
    /* lws may point path at a constant "": copy it before trimming */
    n = strlen(path);
    while (n && path[n - 1] == '/')
        n--;
    if (n >= sizeof c->prefix)
        return sb_err_set(err, SB_EINVAL, "server URL \"%s\": path too long", server);
    memcpy(c->prefix, path, n);
    c->prefix[n] = '\0';
    return SB_OK;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

int ws_client_new(const struct ws_options *opts, const struct ws_events *ev, void *ud,
                  struct ws_client **out, struct sb_err *err)
{
    struct lws_context_creation_info info;
    struct ws_client *c = xcalloc(1, sizeof *c);
    int rc;

    *out = NULL;
    rc = parse_server(c, opts->server, err);
    if (rc != SB_OK)
        goto out;
    c->ev = *ev;
    c->ud = ud;
    c->token = dup_or_null(opts->token);
    c->cacert = dup_or_null(opts->cacert);
    c->customer = dup_or_null(opts->customer);
    c->conversation = dup_or_null(opts->conversation);
    c->max_attempts = opts->max_attempts;
    c->messages = opts->messages;

    /* lws logs to stderr, which is the screen while the TUI runs */
    lws_set_log_level(opts->verbose > 0 ? LLL_ERR | LLL_WARN : 0, NULL);
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = ws_protocols;
    info.user = c;
    info.options = c->tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
    /* loaded on top of the system's CAs (lws calls set_default_verify_paths) */
    info.client_ssl_ca_filepath = c->cacert;
    c->ctx = lws_create_context(&info);
    if (!c->ctx) {
        rc = sb_err_set(err, SB_EINTERNAL, "cannot create the libwebsockets context");
        goto out;
    }
    c->vh = lws_get_vhost_by_name(c->ctx, "default");
    lws_sul_schedule(c->ctx, 0, &c->sul_connect, do_connect, 1);
    *out = c;
    rc = SB_OK;
out:
    if (rc != SB_OK)
        ws_client_free(c);
    return rc;
}

void ws_client_free(struct ws_client *c)
{
    if (!c)
        return;
    c->stopping = true;
    if (c->ctx)
        lws_context_destroy(c->ctx);
    outq_clear(c);
    free(c->q);
    free(c->rx);
    free(c->url);
    free(c->token);
    free(c->cacert);
    free(c->customer);
    free(c->conversation);
    free(c);
}

int ws_client_watch_fd(struct ws_client *c, int fd, struct sb_err *err)
{
    lws_sock_file_fd_type u;
    struct lws *wsi;
    u.filefd = fd;
    wsi =
        c->vh ? lws_adopt_descriptor_vhost(c->vh, LWS_ADOPT_RAW_FILE_DESC, u, "sbfd", NULL) : NULL;
    if (!wsi)
        return sb_err_set(err, SB_EINTERNAL, "cannot watch file descriptor %d", fd);
    lws_set_opaque_user_data(wsi, (void *)(intptr_t)fd);
    return SB_OK;
}

int ws_client_send(struct ws_client *c, json_object *frame)
{
    size_t len;
    const char *s;
    unsigned char *buf;

    if (!c->open || !c->wsi)
        return SB_EUNAVAIL;
    if (c->q_len == c->q_cap) {
        size_t cap = c->q_cap ? c->q_cap * 2 : 16;
        struct ws_out *q = xmalloc(cap * sizeof *q);
        for (size_t i = 0; i < c->q_len; i++)
            q[i] = c->q[(c->q_head + i) % c->q_cap];
        free(c->q);
        c->q = q;
        c->q_head = 0;
        c->q_cap = cap;
    }
    s = jsonx_string(frame, &len);
    buf = xmalloc(LWS_PRE + len);
    memcpy(buf + LWS_PRE, s, len);
    c->q[(c->q_head + c->q_len) % c->q_cap] = (struct ws_out){buf, len};
    c->q_len++;
    lws_callback_on_writable(c->wsi);
    return SB_OK;
}

bool ws_client_is_open(const struct ws_client *c)
{
    return c->open;
}

void ws_client_set_conversation(struct ws_client *c, const char *conversation)
{
    char *dup = dup_or_null(conversation);
    free(c->conversation);
    c->conversation = dup;
}

void ws_client_retry_now(struct ws_client *c)
{
    c->held = false;
    if (c->live)
        return;
    lws_sul_schedule(c->ctx, 0, &c->sul_connect, do_connect, 1);
}

void ws_client_hold(struct ws_client *c)
{
    c->held = true;
    lws_sul_cancel(&c->sul_connect);
}

void ws_client_tick_in(struct ws_client *c, int64_t ms)
{
    lws_sul_schedule(c->ctx, 0, &c->sul_tick, on_tick_sul, (ms < 1 ? 1 : ms) * LWS_US_PER_MS);
}

void ws_client_service(struct ws_client *c)
{
    lws_service(c->ctx, 0);
}
