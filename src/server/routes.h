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

struct route {
    enum http_method method;
    const char *pattern; /* "/api/customers/{id}": {name} matches one segment */
    route_fn fn;
    enum route_auth auth;
    bool body;    /* takes a JSON body */
    bool on_loop; /* cheap and store-free: answered on the loop thread */
};

/* Finds the route for method and path and copies its parameters into
 * rq->params. Returns NULL with *status 404, or 405 with allow set to the
 * methods the path does take ("GET, PATCH"). */
const struct route *routes_match(enum http_method method, const char *path, struct request *rq,
                                 char *allow, size_t n, int *status);
/* The methods a path takes, for preflight; false when no route matches. */
bool routes_allow(const char *path, char *allow, size_t n);
/* Authenticates rq (worker thread), parses its body and runs the handler. */
void routes_run(struct request *rq, struct response *rs);

#endif
