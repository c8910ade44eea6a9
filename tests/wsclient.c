/* A small WebSocket client for the shell tests: connects to a servicebotd
 * URL, sends the given frames, prints every frame it receives on its own
 * line, and "close CODE REASON" when the server closes.
 *
 *   wsclient [-t TOKEN] [-s TEXT]... [-F BYTES] [-S BYTES] [-n FRAMES] [-w SECONDS] [-P] URL
 *
 * -s sends TEXT as one message (repeatable, in order), split into fragments
 * of -F BYTES when given (continuation frames); -S sends one frame of
 * BYTES bytes; -n exits after that many frames; -w gives up after SECONDS
 * (exit 3); -P sends no subprotocol. Exit 0 after -n frames or a close, 2
 * when the connection fails (the reason on stderr). */
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SENDS 64

struct client {
    const char *token;
    const char *sends[MAX_SENDS];
    int n_sends, sent;
    size_t frag, off; /* fragment size (0: whole), bytes of the current message sent */
    long big;         /* bytes of the -S frame, 0 for none */
    int want_frames, frames;
    int exit_code;
    bool done;
    char *rx;
    size_t rx_len, rx_cap;
    lws_sorted_usec_list_t sul;
};

/* Sends the next message, or its next fragment, or the -S frame. */
static int send_next(struct lws *wsi, struct client *c)
{
    size_t len;
    unsigned char *buf;
    int flags = LWS_WRITE_TEXT;
    if (c->sent < c->n_sends) {
        const char *text = c->sends[c->sent];
        size_t total = strlen(text);
        len = c->frag && total - c->off > c->frag ? c->frag : total - c->off;
        buf = malloc(LWS_PRE + len + 1);
        memcpy(buf + LWS_PRE, text + c->off, len);
        if (c->frag)
            flags = lws_write_ws_flags(LWS_WRITE_TEXT, c->off == 0, c->off + len == total);
        c->off += len;
        if (c->off == total) {
            c->off = 0;
            c->sent++;
        }
    } else if (c->big) {
        len = (size_t)c->big;
        buf = malloc(LWS_PRE + len);
        memset(buf + LWS_PRE, 'x', len);
        c->big = 0;
    } else {
        return 0;
    }
    int n = lws_write(wsi, buf + LWS_PRE, len, (enum lws_write_protocol)flags);
    free(buf);
    if (n < 0)
        return -1;
    if (c->sent < c->n_sends || c->big)
        lws_callback_on_writable(wsi);
    return 0;
}

static void on_frame(struct client *c, const void *in, size_t len, bool final)
{
    if (c->rx_len + len + 1 > c->rx_cap) {
        c->rx_cap = (c->rx_len + len + 1) * 2;
        c->rx = realloc(c->rx, c->rx_cap);
    }
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    if (!final)
        return;
    printf("%.*s\n", (int)c->rx_len, c->rx);
    fflush(stdout);
    c->rx_len = 0;
    if (c->want_frames && ++c->frames >= c->want_frames)
        c->done = true;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct client *c = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        if (c->token) {
            unsigned char **p = in, *end = *p + len;
            char value[1024];
            int n = snprintf(value, sizeof(value), "Bearer %s", c->token);
            if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
                                             (unsigned char *)value, n, p, end))
                return -1;
        }
        return 0;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return send_next(wsi, c);
    case LWS_CALLBACK_CLIENT_RECEIVE:
        on_frame(c, in, len, lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi));
        return 0;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
        const unsigned char *b = in;
        int code = len >= 2 ? b[0] << 8 | b[1] : 0;
        printf("close %d %.*s\n", code, len > 2 ? (int)len - 2 : 0, len > 2 ? (char *)b + 2 : "");
        fflush(stdout);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        fprintf(stderr, "wsclient: connection failed: %s\n", in ? (char *)in : "(no reason)");
        c->exit_code = 2;
        c->done = true;
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        c->done = true;
        return 0;
    default:
        return 0;
    }
}

static void on_timeout(lws_sorted_usec_list_t *sul)
{
    struct client *c = lws_container_of(sul, struct client, sul);
    fprintf(stderr, "wsclient: timed out after %d frames\n", c->frames);
    c->exit_code = 3;
    c->done = true;
}

int main(int argc, char **argv)
{
    struct client c = {0};
    int opt, wait_s = 10;
    bool no_protocol = false;
    while ((opt = getopt(argc, argv, "t:s:F:S:n:w:P")) != -1) {
        switch (opt) {
        case 't':
            c.token = optarg;
            break;
        case 's':
            if (c.n_sends < MAX_SENDS)
                c.sends[c.n_sends++] = optarg;
            break;
        case 'F':
            c.frag = (size_t)atol(optarg);
            break;
        case 'S':
            c.big = atol(optarg);
            break;
        case 'n':
            c.want_frames = atoi(optarg);
            break;
        case 'w':
            wait_s = atoi(optarg);
            break;
        case 'P':
            no_protocol = true;
            break;
        default:
            fprintf(stderr,
                    "usage: wsclient [-t TOKEN] [-s TEXT]... [-F BYTES] [-S BYTES] [-n FRAMES] "
                    "[-w SECONDS] [-P] URL\n");
            return 64;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "wsclient: give one ws:// URL\n");
        return 64;
    }
    char url[2048], path[2048];
    const char *scheme, *host, *rest;
    int port;
    snprintf(url, sizeof(url), "%s", argv[optind]);
    if (lws_parse_uri(url, &scheme, &host, &port, &rest)) {
        fprintf(stderr, "wsclient: bad URL %s\n", argv[optind]);
        return 64;
    }
    snprintf(path, sizeof(path), "/%s", rest);
    static const struct lws_protocols protocols[] = {
        {.name = "chat", .callback = callback, .rx_buffer_size = 0},
        {.name = NULL},
    };
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = &c;
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context *ctx = lws_create_context(&info);
    if (!ctx)
        return 2;
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof(ci));
    ci.context = ctx;
    ci.address = host;
    ci.port = port;
    ci.path = path;
    ci.host = host;
    ci.origin = host;
    ci.protocol = no_protocol ? NULL : "chat";
    ci.local_protocol_name = "chat";
    if (!lws_client_connect_via_info(&ci)) {
        fprintf(stderr, "wsclient: cannot connect\n");
        lws_context_destroy(ctx);
        return 2;
    }
    lws_sul_schedule(ctx, 0, &c.sul, on_timeout, (lws_usec_t)wait_s * LWS_US_PER_SEC);
    while (!c.done && lws_service(ctx, 0) >= 0)
        ;
    lws_context_destroy(ctx);
    free(c.rx);
    return c.exit_code;
}
