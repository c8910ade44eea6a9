/* servicebotd's shared state, created by server_run and passed to the
 * parts that drive the event loop (HTTP, WebSocket, pushes, scheduler). The
 * loop thread owns everything here except app (app.h), which is all that
 * request handlers and the work they do on worker threads see. */
#ifndef SB_SERVER_H
#define SB_SERVER_H

#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>

#include "common/err.h"
#include "engine/engine.h"
#include "server/app.h"
#include "server/auth.h"
#include "server/jobs.h"
#include "server/metrics.h"
#include "server/ratelimit.h"
#include "server/retention.h"
#include "server/watermark.h"
#include "store/store.h"

#define SERVER_BODY_MAX (64 * 1024) /* request bodies and WebSocket messages */
#define SERVER_HEADER_HOLD                                                                         \
    (32 * 1024) /* what lws holds of a request head; the limits: http.c, rxguard.h */
#define SERVER_DEFAULT_LISTEN "127.0.0.1:8080"

struct ws_session;

struct server_options {
    const char *listen; /* ADDR:PORT, [v6]:PORT or PORT; default 127.0.0.1:8080 */
    int workers;        /* worker threads; 0: by store kind (2 SQLite, 8 DynamoDB) */
    int write_workers;  /* worker threads for writes; 0: WRITE_WORKERS (server.c) */
    int shutdown_grace_ms;
    int ws_ping_secs;       /* ping idle WebSockets after this long; default 30 */
    const char *instance;   /* this process's name in connection rows */
    int routine_grace_secs; /* how late a missed routine may still run; 0: default */
    /* HTTPS and WSS on the same port when both are set (checked by the caller) */
    const char *tls_cert, *tls_key;
    volatile sig_atomic_t *reload;     /* set by SIGHUP: re-read the TLS files */
    int auth_cache_secs;               /* how long a looked-up token is trusted; 0: 30 */
    const struct rl_options *limits;   /* per-token rate limits; NULL: the defaults */
    struct watermark_options storage;  /* when new chats are refused (all 0: never) */
    const struct retention *retention; /* message retention rules; NULL: keep all */
};

struct server {
    struct lws_context *ctx;
    struct app app;       /* what handlers and jobs see (app.h) */
    struct jobs *jobs;    /* reads and housekeeping */
    struct jobs *writers; /* durable writes: threads that mostly wait on a commit */
    /* chat exchanges, batched on one thread, when the store shares commits
     * (chat_exchange.h); NULL: they go to writers */
    struct jobs *chats;
    const struct server_options *opt;
    struct ws_session *sessions; /* open chat sessions (doubly linked) */
    struct roster *by_customer;  /* the ready ones, by customer id */
    size_t http_busy;            /* HTTP requests accepted and not yet answered */
    bool stopped;                /* context destroyed: timers must not be rearmed */
    lws_retry_bo_t idle_policy;
    struct lws_protocols protocols[4]; /* http, chat, raw fallback, terminator */
    lws_sorted_usec_list_t sul_sweep, sul_poll, sul_deadline;
    lws_sorted_usec_list_t sul_retention;
    bool retention_busy; /* a retention sweep is on a worker */
    bool poll_busy;
    bool deadline_passed;
    struct scheduler *sched;     /* scheduled routines (scheduler.h) */
    struct loop *loop;           /* the event loop lws runs on (loop.h) */
    volatile sig_atomic_t *stop; /* set by the signal handler */
};

/* Runs servicebotd on an open store until *stop becomes nonzero (set by a
 * signal handler), then shuts down gracefully. Returns SB_OK or an error
 * (e.g. the address is in use). The store stays open for the caller. */
int server_run(struct store *st, const struct server_options *opt, volatile sig_atomic_t *stop,
               struct sb_err *err);

/* Splits "ADDR:PORT", "[ADDR]:PORT" or "PORT" into iface (NULL = all) and port. */
int server_parse_listen(const char *s, char *iface, size_t n, int *port, struct sb_err *err);

/* The pool a chat exchange is submitted to. */
static inline struct jobs *server_chat_pool(const struct server *srv)
{
    return srv->chats ? srv->chats : srv->writers;
}

#endif
