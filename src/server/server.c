#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "server/chat_exchange.h"
#include "server/http.h"
#include "server/loop.h"
#include "server/http_raw.h"
#include "server/push.h"
#include "server/roster.h"
#include "server/scheduler.h"
#include "server/tls.h"
#include "server/ws.h"

#define DEFAULT_GRACE_MS 10000

#define DEFAULT_PING_SECS 30

/* Clients that send no subprotocol get the chat protocol, not REST. */
static const struct lws_protocol_vhost_options pvo_default = {
    .name = "default",
    .value = "1",
};
static const struct lws_protocol_vhost_options pvo_chat = {
    .options = &pvo_default,
    .name = WS_PROTOCOL,
    .value = "",
};
/* CORS: lws adds this to every response, errors included. */
static const struct lws_protocol_vhost_options cors = {
    .name = "access-control-allow-origin:",
    .value = "*",
};

int server_parse_listen(const char *s, char *iface, size_t n, int *port, struct sb_err *err)
{
    const char *colon = NULL, *host = s;
    size_t host_len = 0;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return sb_err_set(err, SB_EINVAL, "--listen %s: expected [ADDR]:PORT", s);
        host = s + 1;
        host_len = (size_t)(close - host);
        colon = close + 1;
    } else if ((colon = strrchr(s, ':'))) {
        host_len = (size_t)(colon - s);
    }
    const char *p = colon ? colon + 1 : s;
    char *end = NULL;
    long v = strtol(p, &end, 10);
    if (!*p || *end || v < 0 || v > 65535)
        return sb_err_set(err, SB_EINVAL, "--listen %s: the port must be a number 0-65535", s);
    if (host_len >= n)
        return sb_err_set(err, SB_EINVAL, "--listen %s: address too long", s);
    memcpy(iface, host, host_len);
    iface[host_len] = '\0';
    *port = (int)v;
    return SB_OK;
}

/* SQLite takes one writer at a time and its calls are short, so more
 * threads than cores only add switching (measured: REST throughput fell
 * from about 25k to 14k req/s going from 1 to 8 workers on 2 cores); a
 * DynamoDB call waits on the network, so more threads keep the loop fed. */
static int server_default_workers(const struct store *st)
{
    return strcmp(store_kind(st), "dynamodb") == 0 ? 8 : 2;
}

/* Writes (chat exchanges, REST changes) run on a pool of their own: each
 * waits for its commit's fsync, and a commit carries as many exchanges as
 * are waiting (group commit), so more threads make fuller commits without
 * taking CPU from the reads (POST /api/chat, 50 connections: 1,560 req/s
 * with 2 threads, 2,450 with 8, 2,080 with 32). */
#define WRITE_WORKERS 8 /* default of --write-workers */

/* Where the store shares commits (SQLite), chat exchanges skip that pool:
 * one thread takes every exchange queued meanwhile, runs them and commits
 * them at once (chat_exchange.h), instead of a parked thread per exchange
 * and a wake-up to hand each over (6.8 context switches per exchange
 * before, 0.6 after; a switch to the other core costs ~25 us on this VM).
 * A second such thread measured no better: the store's write is serial. */
#define CHAT_THREADS 1

/* lws's own log lines, through ours. */
static void lws_emit(int level, const char *line)
{
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", line);
    msg[strcspn(msg, "\n")] = '\0';
    log_kv(level & LLL_ERR ? LOG_ERROR : LOG_WARN, "libwebsockets", "detail", msg, NULL);
}

static void deadline_cb(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, sul_deadline);
    srv->deadline_passed = true;
}

/* Room for many idle WebSocket connections. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static struct lws_context *create_context(struct server *srv, const char *iface, int port)
{
    const struct server_options *opt = srv->opt;
    /* per_session_data_size comes from the modules, so the list lives in srv. */
    struct lws_protocols *list = srv->protocols;
    memset(srv->protocols, 0, sizeof(srv->protocols));
    list[0] = (struct lws_protocols){
        .name = "http", .callback = http_callback, .per_session_data_size = http_pss_size};
    list[1] = (struct lws_protocols){.name = WS_PROTOCOL,
                                     .callback = ws_callback,
                                     .per_session_data_size = ws_pss_size,
                                     .rx_buffer_size = 4096};
    list[2] = (struct lws_protocols){.name = HTTP_RAW_PROTOCOL,
                                     .callback = http_raw_callback,
                                     .per_session_data_size = http_raw_pss_size};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = port;
    info.iface = iface[0] ? iface : NULL;
    info.protocols = list;
    info.pvo = &pvo_chat;
    info.headers = &cors;
    info.user = srv;
    info.pcontext = &srv->ctx; /* NULL once lws has freed it (see server_run) */
    info.retry_and_idle_policy = &srv->idle_policy;
    info.max_http_header_data = SERVER_HEADER_HOLD;
    info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_LIBEV;
    info.foreign_loops = loop_foreign(srv->loop);
    /* what lws cannot parse as HTTP is answered by http_raw.c, not dropped */
    info.options |= LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG;
    info.listen_accept_role = "raw-skt";
    info.listen_accept_protocol = HTTP_RAW_PROTOCOL;
    if (iface[0] && !strchr(iface, ':'))
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    if (opt->tls_cert) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = opt->tls_cert;
        info.ssl_private_key_filepath = opt->tls_key;
        /* http.c speaks HTTP/1.1: do not let ALPN pick h2 */
        info.alpn = "http/1.1";
    }
    return lws_create_context(&info);
}

/* Stops taking connections: every listening socket of the process is
 * closed (new connections are refused) while accepted ones carry on. lws
 * 4.1 has no call for this that keeps the context running, and a listener
 * merely shut down stays readable, so lws called accept() on it in a loop
 * (EINVAL, logged about 100,000 times a second during the drain). Instead a
 * fresh unbound socket takes the listener's descriptor (dup2): the
 * listening file is closed, which takes it out of epoll, and the number
 * lws and libev still hold names something harmless until lws closes it. */
static void stop_listening(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        int fd = atoi(e->d_name), listening = 0;
        socklen_t len = sizeof(listening);
        if (fd == dirfd(d) || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 ||
            !listening)
            continue;
        int stand_in = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (stand_in < 0 || dup2(stand_in, fd) < 0)
            shutdown(fd, SHUT_RD); /* refused all the same, at the cost of the loop */
        if (stand_in >= 0)
            close(stand_in);
    }
    if (d)
        closedir(d);
}

/* How often the loop looks at the stop flag when nothing else happens. */
#define TICK_MS 50

/* SIGHUP: new certificate files for new connections, or the old ones kept. */
static void reload_tls(struct server *srv)
{
    const struct server_options *opt = srv->opt;
    struct sb_err err = {0};
    char not_after[64];
    if (!opt->tls_cert) {
        log_kv(LOG_INFO, "SIGHUP: nothing to reload (no TLS)", NULL);
        return;
    }
    if (tls_reload(srv->ctx, opt->tls_cert, opt->tls_key, not_after, sizeof(not_after), &err) !=
        SB_OK)
        log_kv(LOG_ERROR, "TLS reload failed; still serving the previous certificate", "detail",
               err.msg, NULL);
    else
        log_kv(LOG_INFO, "TLS certificate reloaded", "file", opt->tls_cert, "not_after", not_after,
               NULL);
}

/* Asked after every loop turn: a SIGHUP seen meanwhile reloads TLS. */
static bool stop_asked(void *arg)
{
    struct server *srv = arg;
    volatile sig_atomic_t *reload = srv->opt->reload;
    if (reload && *reload) {
        *reload = 0;
        reload_tls(srv);
    }
    return *srv->stop != 0;
}

/* Each loop turn's submissions, handed over with one wake-up per pool. */
/* jobs_set_idle of the pools that write: the store's upkeep between
 * bursts (store_idle: on SQLite, a short WAL checkpoint). */
static void writes_paused(void *app)
{
    store_idle(((struct app *)app)->st);
}

static void wake_workers(void *arg)
{
    struct server *srv = arg;
    jobs_flush(srv->jobs);
    jobs_flush(srv->writers);
    jobs_flush(srv->chats);
}

static bool drained(void *arg)
{
    struct server *srv = arg;
    return srv->deadline_passed ||
           !(atomic_load(&srv->app.chat_sessions) || srv->http_busy || jobs_in_flight(srv->jobs) ||
             jobs_in_flight(srv->writers) || (srv->chats && jobs_in_flight(srv->chats)));
}

/* Serves until *stop, then drains: WebSockets get 1001, requests in flight
 * are answered, jobs finish, until everything is quiet or the grace ends. */
static void serve(struct server *srv, int grace_ms)
{
    loop_run_until(srv->loop, stop_asked, srv, TICK_MS);
    log_kv(LOG_INFO, "shutting down", NULL);
    srv->app.draining = true;
    stop_listening();
    ws_close_all(srv);
    lws_sul_schedule(srv->ctx, 0, &srv->sul_deadline, deadline_cb,
                     (lws_usec_t)grace_ms * LWS_US_PER_MS);
    loop_run_until(srv->loop, drained, srv, TICK_MS);
}

int server_run(struct store *st, const struct server_options *opt, volatile sig_atomic_t *stop,
               struct sb_err *err)
{
    struct server srv;
    memset(&srv, 0, sizeof(srv));
    srv.app.st = st;
    srv.stop = stop;
    srv.opt = opt;
    char iface[128];
    int port = 0, rc;
    const char *listen = opt->listen ? opt->listen : SERVER_DEFAULT_LISTEN;
    if ((rc = server_parse_listen(listen, iface, sizeof(iface), &port, err)) != SB_OK)
        return rc;
    snprintf(srv.app.instance, sizeof(srv.app.instance), "%s",
             opt->instance ? opt->instance : "servicebotd");
    srv.app.metrics = metrics_new();
    srv.by_customer = roster_new();
    srv.app.auth = auth_cache_new(opt->auth_cache_secs);
    srv.app.limits = ratelimit_new(opt->limits);
    srv.app.watermark = watermark_new(&opt->storage);
    if ((rc = engine_new(st, &srv.app.eng, err)) != SB_OK)
        goto out;
    if ((rc = jobs_start(opt->workers > 0 ? opt->workers : server_default_workers(st), &srv.jobs,
                         err)) != SB_OK ||
        (rc = jobs_start(opt->write_workers > 0 ? opt->write_workers : WRITE_WORKERS, &srv.writers,
                         err)) != SB_OK ||
        (store_shares_commits(st) &&
         (rc = jobs_start_batched(CHAT_THREADS, chat_exchange_batch, &srv.chats, err)) != SB_OK))
        goto out;
    jobs_set_idle(srv.writers, writes_paused, &srv.app);
    if (srv.chats)
        jobs_set_idle(srv.chats, writes_paused, &srv.app);
    /* Idle chat connections are pinged, and dropped when they stop answering. */
    int ping = opt->ws_ping_secs > 0 ? opt->ws_ping_secs : DEFAULT_PING_SECS;
    srv.idle_policy.secs_since_valid_ping = (uint16_t)ping;
    srv.idle_policy.secs_since_valid_hangup = (uint16_t)(ping * 5 / 2 + 1);
    raise_fd_limit();
    if ((rc = loop_new(&srv.loop, err)) != SB_OK)
        goto out;
    loop_before_wait(srv.loop, wake_workers, &srv);
    lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);
    if (!(srv.ctx = create_context(&srv, iface, port))) {
        rc = sb_err_set(err, SB_EUNAVAIL, "cannot listen on %s (address in use or not local?)",
                        listen);
        goto out;
    }
    jobs_set_context(srv.jobs, srv.ctx);
    jobs_set_context(srv.writers, srv.ctx);
    if (srv.chats)
        jobs_set_context(srv.chats, srv.ctx);
    push_start_polling(&srv);
    ws_start_sweeping(&srv);
    retention_start(&srv);
    srv.sched = scheduler_start(&srv, opt->routine_grace_secs);
    log_kv(LOG_INFO, "listening", "address", listen, "store", store_kind(st), "tls",
           opt->tls_cert ? "on" : "off", NULL);
    serve(&srv, opt->shutdown_grace_ms > 0 ? opt->shutdown_grace_ms : DEFAULT_GRACE_MS);
    srv.stopped = true;
    jobs_set_context(srv.jobs, NULL); /* workers must not wake a destroyed context */
    jobs_set_context(srv.writers, NULL);
    if (srv.chats)
        jobs_set_context(srv.chats, NULL);
    lws_context_destroy(srv.ctx);
    /* On an event library lws may leave the last step of closing to a
     * second call after a loop turn; srv.ctx is NULL once it is freed. */
    loop_drain(srv.loop);
    if (srv.ctx)
        lws_context_destroy(srv.ctx);
    srv.ctx = NULL;
    rc = SB_OK;
out:
    loop_free(srv.loop);
    jobs_stop(srv.chats);
    jobs_stop(srv.writers);
    jobs_stop(srv.jobs);
    scheduler_free(srv.sched);
    engine_free(srv.app.eng);
    metrics_free(srv.app.metrics);
    roster_free(srv.by_customer);
    auth_cache_free(srv.app.auth);
    ratelimit_free(srv.app.limits);
    watermark_free(srv.app.watermark);
    return rc;
}
