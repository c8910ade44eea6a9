/* bench/chat: a WebSocket load generator for servicebotd. N clients, each
 * talking as its own customer (admin token + ?customer=PREFIX<i>), send
 * chat messages one after another and time each reply; the figures are
 * printed, never judged.
 *
 *   chatload -u ws://127.0.0.1:PORT/ws -t TOKEN -c CLIENTS -m MESSAGES
 *            [-r RATE] [-p CUSTOMER_PREFIX] [-i IDLE_SECONDS]
 *
 * Without -r each client sends its next message as soon as the reply to the
 * last one arrives (saturation); with -r it sends RATE messages a second, so
 * that latency is measured at a known offered load.
 * With -i the clients only connect and stay idle that long (for memory
 * figures); the line "connected N" is printed once all are welcomed. */
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bench;

struct client {
    struct bench *b;
    struct lws *wsi;
    int index, sent, received;
    bool welcomed, waiting;
    lws_usec_t t_sent, t_first;
    lws_sorted_usec_list_t sul;
};

struct bench {
    const char *host, *path, *token, *prefix;
    int port, n_clients, n_messages, idle_secs;
    double rate; /* messages per second per client; 0 = as fast as replies come */
    struct lws_context *ctx;
    struct client *clients;
    int welcomed, finished, failed;
    double *rtt_us;
    size_t n_rtt;
    lws_usec_t t_start, t_end;
    bool done;
    lws_sorted_usec_list_t sul;
};

static void send_now(struct client *c)
{
    c->waiting = true;
    lws_callback_on_writable(c->wsi);
}

static void on_due(lws_sorted_usec_list_t *sul)
{
    send_now(lws_container_of(sul, struct client, sul));
}

/* Sends at once, or at the client's next slot when a rate is set. */
static void send_next(struct client *c)
{
    struct bench *b = c->b;
    lws_usec_t now = lws_now_usecs();
    if (b->rate <= 0) {
        send_now(c);
        return;
    }
    /* Spread the clients' slots evenly over one period, so that the
     * offered load is steady rather than a burst every period. */
    if (!c->t_first)
        c->t_first = now + (lws_usec_t)(1e6 / b->rate * c->index / b->n_clients);
    lws_usec_t due = c->t_first + (lws_usec_t)((double)c->sent * 1e6 / b->rate);
    if (due <= now)
        send_now(c);
    else
        lws_sul_schedule(b->ctx, 0, &c->sul, on_due, due - now);
}

static void all_welcomed(struct bench *b)
{
    if (b->idle_secs) {
        printf("connected %d\n", b->welcomed);
        fflush(stdout);
        return;
    }
    b->t_start = lws_now_usecs();
    for (int i = 0; i < b->n_clients; i++)
        if (b->n_messages)
            send_next(&b->clients[i]);
}

static int write_message(struct client *c)
{
    char text[256];
    unsigned char buf[LWS_PRE + 256];
    /* Each request changes the device, so each is a durable write. */
    int n =
        snprintf(text, sizeof(text),
                 "{\"type\":\"message\",\"id\":\"b%d-%d-%lld\",\"text\":\"set the volume to %d\"}",
                 c->index, c->sent, (long long)lws_now_usecs(), 10 + (c->sent * 7) % 80);
    memcpy(buf + LWS_PRE, text, (size_t)n);
    c->t_sent = lws_now_usecs();
    c->sent++;
    c->waiting = false;
    return lws_write(c->wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_TEXT) < 0 ? -1 : 0;
}

static void on_frame(struct client *c, const char *in, size_t len)
{
    struct bench *b = c->b;
    if (!c->welcomed) {
        if (len >= 16 && strstr(in, "\"type\":\"welcome\"")) {
            c->welcomed = true;
            if (++b->welcomed == b->n_clients)
                all_welcomed(b);
        } else {
            fprintf(stderr, "chatload: client %d refused: %.*s\n", c->index, (int)len, in);
            b->failed++;
        }
        return;
    }
    /* Device pushes follow replies; only replies end a round trip. */
    if (!memmem(in, len, "\"type\":\"reply\"", 14))
        return;
    b->rtt_us[b->n_rtt++] = (double)(lws_now_usecs() - c->t_sent);
    if (++c->received < b->n_messages) {
        send_next(c);
    } else if (++b->finished == b->n_clients) {
        b->t_end = lws_now_usecs();
        b->done = true;
    }
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct client *c = user;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        unsigned char **p = in, *end = *p + len;
        char value[512];
        int n = snprintf(value, sizeof(value), "Bearer %s", c->b->token);
        return lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
                                            (unsigned char *)value, n, p, end)
                   ? -1
                   : 0;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return c->waiting ? write_message(c) : 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        on_frame(c, in, len);
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        fprintf(stderr, "chatload: client %d: %s\n", c ? c->index : -1, in ? (char *)in : "error");
        if (c)
            c->b->failed++;
        return 0;
    default:
        return 0;
    }
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void on_idle_end(lws_sorted_usec_list_t *sul)
{
    struct bench *b = lws_container_of(sul, struct bench, sul);
    b->done = true;
}

static void connect_all(struct lws_context *ctx, struct bench *b)
{
    for (int i = 0; i < b->n_clients; i++) {
        struct client *c = &b->clients[i];
        char path[512];
        c->b = b;
        c->index = i;
        snprintf(path, sizeof(path), "%s?customer=%s%04d", b->path, b->prefix, i + 1);
        struct lws_client_connect_info ci;
        memset(&ci, 0, sizeof(ci));
        ci.context = ctx;
        ci.address = b->host;
        ci.port = b->port;
        ci.path = path;
        ci.host = b->host;
        ci.origin = b->host;
        ci.protocol = "chat";
        ci.userdata = c;
        ci.pwsi = &c->wsi;
        if (!lws_client_connect_via_info(&ci))
            b->failed++;
        /* Let the server breathe while a thousand handshakes queue up. */
        if (i % 50 == 49)
            lws_service(ctx, 0);
    }
}

int main(int argc, char **argv)
{
    struct bench b = {.prefix = "bench_", .n_clients = 1, .n_messages = 100};
    const char *url = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "u:t:c:m:r:p:i:")) != -1) {
        switch (opt) {
        case 'u':
            url = optarg;
            break;
        case 't':
            b.token = optarg;
            break;
        case 'c':
            b.n_clients = atoi(optarg);
            break;
        case 'm':
            b.n_messages = atoi(optarg);
            break;
        case 'r':
            b.rate = atof(optarg);
            break;
        case 'p':
            b.prefix = optarg;
            break;
        case 'i':
            b.idle_secs = atoi(optarg);
            break;
        default:
            return 64;
        }
    }
    char buf[1024] = {0}, path[1024];
    const char *scheme, *rest;
    if (!url || !b.token || b.n_clients < 1 ||
        lws_parse_uri(strncpy(buf, url, sizeof(buf) - 1), &scheme, &b.host, &b.port, &rest)) {
        fprintf(stderr, "usage: chatload -u ws://HOST:PORT/ws -t TOKEN [-c N] [-m M] [-r RATE] "
                        "[-p PREFIX] [-i IDLE_SECONDS]\n");
        return 64;
    }
    snprintf(path, sizeof(path), "/%s", rest);
    b.path = path;
    b.clients = calloc((size_t)b.n_clients, sizeof(*b.clients));
    b.rtt_us = calloc((size_t)b.n_clients * (size_t)(b.n_messages + 1), sizeof(double));
    static const struct lws_protocols protocols[] = {
        {.name = "chat", .callback = callback, .per_session_data_size = 0},
        {.name = NULL},
    };
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context *ctx = lws_create_context(&info);
    if (!ctx)
        return 1;
    b.ctx = ctx;
    connect_all(ctx, &b);
    if (b.idle_secs)
        lws_sul_schedule(ctx, 0, &b.sul, on_idle_end, (lws_usec_t)b.idle_secs * LWS_US_PER_SEC);
    while (!b.done && !b.failed && lws_service(ctx, 0) >= 0)
        ;
    int rc = b.failed ? 1 : 0;
    if (!b.idle_secs && !b.failed && b.n_rtt) {
        qsort(b.rtt_us, b.n_rtt, sizeof(double), compare);
        double secs = (double)(b.t_end - b.t_start) / 1e6;
        printf("clients=%d rate=%s messages=%zu seconds=%.2f msgs_per_sec=%.0f p50_ms=%.3f "
               "p99_ms=%.3f\n",
               b.n_clients, b.rate > 0 ? "paced" : "max", b.n_rtt, secs, (double)b.n_rtt / secs,
               b.rtt_us[b.n_rtt / 2] / 1000, b.rtt_us[(size_t)((double)b.n_rtt * 0.99)] / 1000);
    }
    lws_context_destroy(ctx);
    free(b.clients);
    free(b.rtt_us);
    return rc;
}
