#include "server/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "server/chat_exchange.h"
#include "server/push.h"
#include "server/routes.h"
#include "server/rxguard.h"
#include "server/server.h"

/* Bodies declared bigger than this are not read at all: answer and close. */
#define DISCARD_MAX (1024 * 1024)

/* ST_READY: the request is complete and waits one turn of the loop before
 * it goes to a worker (see on_body_complete). */
enum http_state { ST_IDLE, ST_BODY, ST_DISCARD, ST_READY, ST_WORKING, ST_HEADERS };

/* One request/response exchange; a worker job while ST_WORKING. */
struct exchange {
    struct chat_job chat; /* its job runs every request off the loop */
    struct server *srv;
    struct http_pss *pss; /* NULL once the connection closed: drop the result */
    struct request rq;
    struct response rs;
    int64_t t0;
    size_t expect;
    size_t seen; /* body bytes received, kept or not */
};

/* A body must be in by a deadline that grows with its length: a grace plus
 * its Content-Length at a minimum rate (lws only times out a body that stops
 * altogether, so one byte a second would hold a connection and a worker's
 * buffer forever): doc/protocol.md, "Limits". */
#define BODY_GRACE_S  10
#define BODY_MIN_RATE 1024 /* bytes per second */

struct http_pss {
    struct lws *wsi;
    struct exchange *x;
    enum http_state state;
};

const size_t http_pss_size = sizeof(struct http_pss);

static enum http_method map_method(int lws_method)
{
    switch (lws_method) {
    case LWSHUMETH_GET:
        return HTTP_GET;
    case LWSHUMETH_POST:
        return HTTP_POST;
    case LWSHUMETH_PUT:
        return HTTP_PUT;
    case LWSHUMETH_PATCH:
        return HTTP_PATCH;
    case LWSHUMETH_DELETE:
        return HTTP_DELETE;
    case LWSHUMETH_OPTIONS:
        return HTTP_OPTIONS;
    default:
        return HTTP_OTHER;
    }
}

static void exchange_free(struct exchange *x)
{
    if (!x)
        return;
    request_free(&x->rq);
    response_free(&x->rs);
    free(x);
}

/* A heap copy of header h, or NULL when absent. */
static char *copy_header(struct lws *wsi, enum lws_token_indexes h)
{
    int len = lws_hdr_total_length(wsi, h);
    if (len <= 0)
        return NULL;
    char *s = xmalloc((size_t)len + 1);
    if (lws_hdr_copy(wsi, s, len + 1, h) < 0) {
        free(s);
        s = NULL;
    }
    return s;
}

/* Copies the (already url-decoded) query arguments into rq. */
static void copy_query(struct lws *wsi, struct request *rq)
{
    char buf[1024];
    for (int i = 0; rq->n_query < REQUEST_MAX_QUERY; i++) {
        if (lws_hdr_copy_fragment(wsi, buf, sizeof(buf), WSI_TOKEN_HTTP_URI_ARGS, i) < 0)
            break;
        char *eq = strchr(buf, '=');
        if (eq)
            *eq = '\0';
        rq->query[rq->n_query].name = xstrdup(buf);
        rq->query[rq->n_query].value = xstrdup(eq ? eq + 1 : "");
        rq->n_query++;
    }
}

static void set_error(struct exchange *x, int status, const char *code, const char *msg, bool close)
{
    response_error(&x->rs, status, code, msg, NULL, NULL);
    x->rs.close = close;
}

/* Limits of a request's head (doc/protocol.md, "Limits"). lws holds up to
 * SERVER_HEADER_HOLD bytes so that a request a little over them is answered
 * rather than dropped; a whole head over RXGUARD_HEAD_MAX, or with more than
 * RXGUARD_FIELDS_MAX arguments and header lines (lws's fixed fragment table
 * would overflow), is cut short by rxguard.c and answered from its verdict. */
#define URI_MAX     4096
#define HEADERS_MAX 8192

/* Sets the error for a head over the limits; returns whether it did. */
static bool check_head(struct lws *wsi, struct exchange *x, int ulen)
{
    int headers = 0, args = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS);
    char msg[160];
    for (int h = 0; h < WSI_TOKEN_COUNT; h++)
        if (h != WSI_TOKEN_HTTP_URI_ARGS && h != WSI_TOKEN_GET_URI && h != WSI_TOKEN_POST_URI &&
            h != WSI_TOKEN_OPTIONS_URI && h != WSI_TOKEN_PATCH_URI && h != WSI_TOKEN_PUT_URI &&
            h != WSI_TOKEN_DELETE_URI && h != WSI_TOKEN_HEAD_URI)
            headers += lws_hdr_total_length(wsi, (enum lws_token_indexes)h);
    int n_args = 0;
    while (lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, n_args) > 0)
        n_args++;
    if (ulen + args > URI_MAX) {
        snprintf(msg, sizeof msg, "the URI is %d bytes; the limit is %d", ulen + args, URI_MAX);
        set_error(x, 414, "uri_too_long", msg, true);
    } else if (headers > HEADERS_MAX) {
        snprintf(msg, sizeof msg, "the request's headers are %d bytes; the limit is %d", headers,
                 HEADERS_MAX);
        set_error(x, 431, "headers_too_large", msg, true);
    } else if (n_args > REQUEST_MAX_QUERY) {
        snprintf(msg, sizeof msg, "%d query arguments; the limit is %d", n_args, REQUEST_MAX_QUERY);
        set_error(x, 400, "too_many_arguments", msg, false);
    } else {
        return false;
    }
    return true;
}

/* Why the body's framing is ambiguous, or NULL: the shapes a proxy in front
 * and this server could read differently (request smuggling). lws keeps
 * each repeated header as one more fragment of the same header. */
static const char *framing_problem(struct lws *wsi, const char *cl)
{
    char a[32], b[32];
    if (cl && lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0)
        return "Transfer-Encoding and Content-Length together: send one of them";
    if (lws_hdr_copy_fragment(wsi, b, sizeof b, WSI_TOKEN_HTTP_CONTENT_LENGTH, 1) >= 0) {
        /* a repeat starts with the space lws joins fragments with */
        if (lws_hdr_copy_fragment(wsi, a, sizeof a, WSI_TOKEN_HTTP_CONTENT_LENGTH, 0) < 0 ||
            strcmp(a + strspn(a, " "), b + strspn(b, " ")) != 0)
            return "two different Content-Length headers";
        return "Content-Length is given twice: send it once";
    }
    if (cl && (!*cl || strspn(cl, "0123456789") != strlen(cl) || strlen(cl) > 18))
        return "Content-Length must be a decimal number of bytes";
    return NULL;
}

/* Checks the body a route takes before reading any of it; sets an error
 * response when refused. Returns whether a body follows. */
static bool check_body(struct lws *wsi, struct exchange *x, const struct route *r)
{
    char *cl = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    char *ctype = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
    bool follows = false;
    unsigned long long n = 0;
    const char *framing = framing_problem(wsi, cl);
    if (framing) {
        /* answered before any of the body is read, and the connection
         * closed: whatever follows cannot be told apart from a request */
        set_error(x, 400, "bad_framing", framing, true);
        goto out;
    }
    if (cl) {
        char *end = NULL;
        n = strtoull(cl, &end, 10);
        follows = n > 0 || x->rq.method == HTTP_POST;
        x->expect = (size_t)n;
    } else if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
        /* A chunked body lws cannot frame: answer, then drop the connection. */
        x->rs.close = true;
    }
    if (n > DISCARD_MAX) {
        /* Too big even to read and throw away, whatever the route. */
        x->rs.close = true;
        if (x->rs.status)
            goto out;
    } else if (!r || !r->body || x->rs.status) {
        goto out;
    }
    if (!cl) {
        /* Chunked bodies are not decoded by lws 4.1: insist on a length. */
        set_error(x, 411, "length_required", "send the body with a Content-Length", true);
    } else if (n > SERVER_BODY_MAX) {
        char msg[128];
        snprintf(msg, sizeof(msg), "the body is %llu bytes; the limit is %d", n, SERVER_BODY_MAX);
        set_error(x, 413, "too_large", msg, n > DISCARD_MAX);
    } else if (ctype && strncasecmp(ctype, "application/json", 16) != 0) {
        char msg[192];
        snprintf(msg, sizeof(msg), "send JSON (Content-Type: application/json), not %.100s", ctype);
        set_error(x, 415, "unsupported_media_type", msg, false);
    }
out:
    free(cl);
    free(ctype);
    return follows;
}

static int on_writeable(struct lws *wsi, struct http_pss *pss);

static void start_response(struct http_pss *pss)
{
    pss->state = ST_HEADERS;
    lws_callback_on_writable(pss->wsi);
}

static void exchange_run(struct job *j)
{
    struct exchange *x = lws_container_of(j, struct exchange, chat.job);
    routes_run(&x->rq, &x->rs);
}

/* A chat route's two halves around its exchange (chat_exchange.h). */
static bool chat_begin(struct chat_job *cj)
{
    struct exchange *x = lws_container_of(cj, struct exchange, chat);
    return routes_prepare(&x->rq, &x->rs) && x->rq.route->chat->begin(&x->rq, &x->rs, &cj->req);
}

static void chat_end(struct chat_job *cj, int rc)
{
    struct exchange *x = lws_container_of(cj, struct exchange, chat);
    x->rq.route->chat->end(&x->rq, &x->rs, rc, &cj->reply, &cj->err);
    /* The body's parse was made on this thread (chat_begin): freed here,
     * not by the loop, where each of its frees waited on the lock of this
     * thread's malloc arena (7.6% of the loop's samples on POST /api/chat). */
    json_object_put(x->rq.json);
    x->rq.json = NULL;
}

static void exchange_done(struct job *j)
{
    struct exchange *x = lws_container_of(j, struct exchange, chat.job);
    push_devices(x->srv, &x->rs.push);
    if (!x->pss) {
        exchange_free(x);
        return;
    }
    start_response(x->pss);
}

/* The request is complete (headers and any body): answer it. */
static void dispatch(struct http_pss *pss)
{
    struct exchange *x = pss->x;
    if (x->rs.status) {
        start_response(pss);
    } else if (x->rq.route->on_loop) {
        routes_run(&x->rq, &x->rs);
        start_response(pss);
    } else if (x->rq.route->chat) {
        pss->state = ST_WORKING;
        x->chat = (struct chat_job){.job.done = exchange_done,
                                    .app = &x->srv->app,
                                    .push = &x->rs.push,
                                    .begin = chat_begin,
                                    .end = chat_end};
        chat_job_submit(server_chat_pool(x->srv), &x->chat);
    } else {
        pss->state = ST_WORKING;
        x->chat.job.run = exchange_run;
        x->chat.job.done = exchange_done;
        x->chat.job.quick = routes_quick(x->rq.route, &x->srv->app);
        /* every route but a GET writes (server.c, WRITE_WORKERS) */
        jobs_submit(x->rq.route->method == HTTP_GET ? x->srv->jobs : x->srv->writers, &x->chat.job);
    }
}

/* LWS_CALLBACK_HTTP: a new request line and headers. */
static int on_request(struct lws *wsi, struct http_pss *pss, struct server *srv, const char *path)
{
    struct exchange *x = xcalloc(1, sizeof(*x));
    char *uri = NULL;
    int ulen = 0;
    x->srv = srv;
    x->pss = pss;
    x->t0 = util_monotonic_us();
    x->rq.app = &srv->app;
    x->rq.method = map_method(lws_http_get_uri_and_method(wsi, &uri, &ulen));
    x->rq.path = xstrdup(path ? path : "/");
    pss->wsi = wsi;
    pss->x = x;
    srv->http_busy++;
    const struct route *r = NULL;
    int status = 0;
    struct rxguard_answer cut;
    /* asked for every head, in order: the guard counts them */
    bool was_cut = rxguard_take_verdict(lws_get_socket_fd(wsi), &cut);
    if (was_cut) {
        /* what lws saw of it was cut short (rxguard.h): nothing else holds */
        set_error(x, cut.status, cut.code, cut.msg, true);
    } else if (srv->app.draining) {
        set_error(x, 503, "unavailable", "servicebotd is shutting down", true);
    } else if (check_head(wsi, x, ulen)) {
        /* refused as a whole: no route, nothing read */
    } else if (x->rq.method == HTTP_OPTIONS) {
        if (routes_allow(x->rq.path, x->rs.allow, sizeof(x->rs.allow)))
            x->rs.status = 204;
        else
            set_error(x, 404, "not_found", "no such resource", false);
    } else if (!(r = routes_match(x->rq.method, x->rq.path, &x->rq, x->rs.allow,
                                  sizeof(x->rs.allow), &status))) {
        char msg[160];
        snprintf(msg, sizeof(msg),
                 status == 405 ? "%s is not allowed here (allowed: %s)" : "no such resource: %s",
                 status == 405 ? http_method_name(x->rq.method) : x->rq.path, x->rs.allow);
        set_error(x, status, status == 405 ? "method_not_allowed" : "not_found", msg, false);
    }
    x->rq.route = r;
    char *auth = copy_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
    const char *token = auth_bearer(auth);
    x->rq.token = token ? xstrdup(token) : NULL;
    free(auth);
    copy_query(wsi, &x->rq);
    if (check_body(wsi, x, r)) {
        if (x->rs.close) {
            start_response(pss);
            return 0;
        }
        bool keep = !x->rs.status && r && r->body;
        if (keep)
            x->rq.body = xmalloc(x->expect + 1);
        pss->state = keep ? ST_BODY : ST_DISCARD;
        return 0;
    }
    dispatch(pss);
    return 0;
}

/* The body is complete. A request the loop answers at once is answered;
 * one for a worker waits for the next turn of the loop (the writeable
 * callback) before it is submitted, because lws 4.1 may still be inside
 * its own loop over bytes pipelined behind this body (see on_pipelined). */
static void on_body_complete(struct http_pss *pss)
{
    struct exchange *x = pss->x;
    if (x->rs.status || x->rq.route->on_loop) {
        dispatch(pss);
        return;
    }
    pss->state = ST_READY;
    lws_callback_on_writable(pss->wsi);
}

/* lws 4.1 delivers BODY_COMPLETION again, in a loop it never leaves
 * (lws_http_action consuming its buffer), when another request is
 * pipelined behind a request with a body: the completion consumes no
 * bytes. The only way out is to close the connection from here. The
 * current request is answered first: with its answer when it is made,
 * otherwise with a 400 that says to resend without pipelining (it has not
 * run, so nothing is applied). */
static int on_pipelined(struct lws *wsi, struct http_pss *pss)
{
    struct exchange *x = pss->x;
    if (pss->state == ST_WORKING) {
        /* submitted on a later turn, so not inside that loop: answer when
         * done, then close */
        x->rs.close = true;
        return 0;
    }
    if (pss->state == ST_READY) {
        set_error(x, 400, "pipelined_body",
                  "a request with a body cannot have another request pipelined behind it: "
                  "send the next request after this answer",
                  true);
        pss->state = ST_HEADERS;
    }
    x->rs.close = true;
    on_writeable(wsi, pss);
    return -1;
}

static void on_body(struct http_pss *pss, const void *in, size_t len)
{
    struct exchange *x = pss->x;
    if ((pss->state != ST_BODY && pss->state != ST_DISCARD) || len == 0)
        return; /* an empty POST body comes as NULL, 0 */
    int64_t us = util_monotonic_us() - x->t0;
    double deadline = BODY_GRACE_S + (double)x->expect / BODY_MIN_RATE;
    x->seen += len;
    if (x->seen < x->expect && (double)us / 1e6 > deadline) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "the body came at %.0f bytes/s: a body must be in within %d s plus 1 s "
                 "per %d bytes",
                 (double)x->seen * 1e6 / (double)us, BODY_GRACE_S, BODY_MIN_RATE);
        set_error(x, 408, "body_too_slow", msg, true);
        start_response(pss);
        return;
    }
    if (pss->state != ST_BODY)
        return;
    if (x->rq.body_len + len > x->expect) {
        set_error(x, 400, "bad_request", "the body is longer than its Content-Length", true);
        pss->state = ST_DISCARD;
        return;
    }
    memcpy(x->rq.body + x->rq.body_len, in, len);
    x->rq.body_len += len;
    x->rq.body[x->rq.body_len] = '\0';
}

/* Room for the status line and headers, ahead of the body in one buffer. */
#define ANSWER_HEAD_MAX 1024

/* Puts the status line and headers of the finished exchange at *pp (up to
 * end) and moves *pp past them. */
static int put_headers(struct lws *wsi, struct http_pss *pss, unsigned char **pp,
                       unsigned char *end)
{
    struct exchange *x = pss->x;
    unsigned char *p = *pp;
    const char *ctype = x->rs.content_type ? x->rs.content_type : "application/json";
    if (lws_add_http_common_headers(wsi, (unsigned int)x->rs.status, ctype, x->rs.len, &p, end))
        return -1;
    if (x->rs.allow[0]) {
        const char *name = x->rs.status == 204 ? "access-control-allow-methods:" : "allow:";
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                        (const unsigned char *)x->rs.allow,
                                        (int)strlen(x->rs.allow), &p, end))
            return -1;
    }
    if (x->rs.retry_after > 0) {
        char secs[16];
        int n = snprintf(secs, sizeof(secs), "%d", x->rs.retry_after);
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)"retry-after:",
                                        (const unsigned char *)secs, n, &p, end))
            return -1;
    }
    if (x->rs.status == 204) {
        static const char hdrs[] = "authorization, content-type";
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)"access-control-allow-headers:",
                                        (const unsigned char *)hdrs, (int)strlen(hdrs), &p, end) ||
            lws_add_http_header_by_name(wsi, (const unsigned char *)"access-control-max-age:",
                                        (const unsigned char *)"600", 3, &p, end))
            return -1;
    }
    if (lws_finalize_http_header(wsi, &p, end))
        return -1;
    *pp = p;
    return 0;
}

/* Logs the exchange, counts it and gets the connection ready for the next. */
static int finish(struct lws *wsi, struct http_pss *pss)
{
    struct exchange *x = pss->x;
    struct server *srv = x->srv;
    double secs = (double)(util_monotonic_us() - x->t0) / 1e6;
    const char *route = x->rq.route ? x->rq.route->pattern : "unmatched";
    const char *method = http_method_name(x->rq.method);
    metrics_http(srv->app.metrics, route, method, x->rs.status, secs);
    if (log_get_level() <= LOG_INFO) {
        char status[8], ms[32];
        snprintf(status, sizeof(status), "%d", x->rs.status);
        snprintf(ms, sizeof(ms), "%.3f", secs * 1000);
        const char *who = x->rq.who.admin ? "admin" : x->rq.who.customer_id;
        log_kv(LOG_INFO, "request", "method", method, "path", x->rq.path, "status", status,
               "duration_ms", ms, "customer", who ? who : "-", NULL);
    }
    bool close = x->rs.close;
    exchange_free(x);
    pss->x = NULL;
    pss->state = ST_IDLE;
    srv->http_busy--;
    if (close)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Headers and body go out in one write (one send for a small answer, as
 * lws does for its own status pages on HTTP/1.1); lws queues whatever the
 * socket does not take at once and sends it before anything else. */
static int on_writeable(struct lws *wsi, struct http_pss *pss)
{
    struct exchange *x = pss->x;
    if (x && pss->state == ST_READY) {
        dispatch(pss);
        return 0;
    }
    if (!x || pss->state != ST_HEADERS)
        return 0;
    unsigned char *buf = xmalloc(LWS_PRE + ANSWER_HEAD_MAX + x->rs.len);
    unsigned char *start = buf + LWS_PRE, *p = start;
    int rc = put_headers(wsi, pss, &p, start + ANSWER_HEAD_MAX - 1);
    if (rc == 0) {
        if (x->rs.len) /* a 204 has no body at all */
            memcpy(p, x->rs.body, x->rs.len);
        size_t n = (size_t)(p - start) + x->rs.len;
        if (lws_write(wsi, start, n, LWS_WRITE_HTTP_FINAL) != (int)n)
            rc = -1;
    }
    free(buf);
    return rc ? -1 : finish(wsi, pss);
}

static void on_closed(struct http_pss *pss)
{
    struct exchange *x = pss->x;
    if (!x)
        return;
    x->srv->http_busy--;
    if (pss->state == ST_WORKING)
        x->pss = NULL; /* the worker still holds it: exchange_done frees it */
    else
        exchange_free(x);
    pss->x = NULL;
    pss->state = ST_IDLE;
}

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len)
{
    struct http_pss *pss = user;
    struct server *srv = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (pss->x) /* a new request before the last was answered */
            return -1;
        return on_request(wsi, pss, srv, in);
    case LWS_CALLBACK_HTTP_BODY:
        if (pss->x)
            on_body(pss, in, len);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (!pss->x)
            return 0;
        if (pss->state == ST_BODY || pss->state == ST_DISCARD)
            on_body_complete(pss);
        else
            return on_pipelined(wsi, pss);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return on_writeable(wsi, pss);
    case LWS_CALLBACK_CLOSED_HTTP:
        on_closed(pss);
        return 0;
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
        /* every accepted socket, before lws reads a byte of it */
        if (!rxguard_register((int)(lws_intptr_t)in, srv->opt->tls_cert != NULL))
            log_kv(LOG_WARN, "connection not guarded (descriptor beyond the guard's table)", NULL);
        return 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        /* a cut WebSocket upgrade: lws has no way to answer it here with
         * our JSON error, so the connection is closed */
        return rxguard_take_verdict(lws_get_socket_fd(wsi), &(struct rxguard_answer){0}) ? -1 : 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        jobs_drain(srv->jobs);
        jobs_drain(srv->writers);
        if (srv->chats)
            jobs_drain(srv->chats);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}
