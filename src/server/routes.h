/* The REST route table: method, pattern, handler and who may call it. One
 * table drives routing, 404/405 with Allow, CORS preflight and the auth check. */
#ifndef SB_ROUTES_H
#define SB_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "server/request.h"

enum route_auth {
    ROUTE_PUBLIC, /* no token needed */
    ROUTE_ANY,    /* any valid token (handlers narrow customers down) */
    ROUTE_OWNER,  /* admin, or the customer named by the first parameter */
    ROUTE_ADMIN,  /* admin only */
};

typedef void (*route_fn)(struct request *rq, struct response *rs);

/* A chat route runs as a chat exchange (chat_exchange.h) in two halves on a
 * worker: begin reads the request into req (false: it answered rs itself),
 * end renders the exchange's outcome (rc, with reply or err) into rs. */
struct engine_request;
struct engine_reply;
struct route_chat {
    bool (*begin)(struct request *rq, struct response *rs, struct engine_request *req);
    void (*end)(struct request *rq, struct response *rs, int rc, struct engine_reply *reply,
                struct sb_err *err);
};

struct route {
    enum http_method method;
    const char *pattern; /* "/api/customers/{id}": {name} matches one segment */
    route_fn fn;
    enum route_auth auth;
    bool body;    /* takes a JSON body */
    bool on_loop; /* cheap and store-free: answered on the loop thread */
    bool quick;   /* a read the SQLite store answers from memory while nothing changed (jobs.h) */
    const struct route_chat *chat; /* instead of fn: a chat exchange */
};

/* Finds the route for method and path and copies its parameters into
 * rq->params. Returns NULL with *status 404, or 405 with allow set to the
 * methods the path does take ("GET, PATCH"). */
const struct route *routes_match(enum http_method method, const char *path, struct request *rq,
                                 char *allow, size_t n, int *status);
/* Whether a request for r is a quick job (jobs.h) on app's store: r is
 * quick and the store is SQLite (on DynamoDB every read is a round trip). */
bool routes_quick(const struct route *r, const struct app *app);
/* The methods a path takes, for preflight; false when no route matches. */
bool routes_allow(const char *path, char *allow, size_t n);
/* Authenticates rq (worker thread), checks its limits and parses its body;
 * false when rs has the refusal. */
bool routes_prepare(struct request *rq, struct response *rs);
/* routes_prepare, then the handler (a chat route's halves around
 * chat_exchange_run, all on this thread). */
void routes_run(struct request *rq, struct response *rs);

#endif
