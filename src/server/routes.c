#include "server/routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/validate.h"
#include "common/xalloc.h"
#include "server/handlers.h"
#include "server/app.h"
#include "server/chat_exchange.h"
#include "server/ratelimit.h"
#include "server/watermark.h"

static const struct route table[] = {
    /* method, pattern, handler; .auth: who may call it, .body: takes a JSON
     * body, .on_loop: answered on the loop thread, .quick: a quick job (routes.h) */
    {HTTP_GET, "/api/customers", handle_customers_list, .auth = ROUTE_ANY},
    {HTTP_GET, "/api/customers/{id}", handle_customer_get, .auth = ROUTE_OWNER},
    {HTTP_PUT, "/api/customers/{id}", handle_customer_put, .auth = ROUTE_ADMIN, .body = true},
    {HTTP_DELETE, "/api/customers/{id}", handle_customer_delete, .auth = ROUTE_ADMIN},
    {HTTP_GET, "/api/customers/{id}/devices", handle_devices_list, .auth = ROUTE_OWNER,
     .quick = true},
    {HTTP_POST, "/api/customers/{id}/devices", handle_device_add, .auth = ROUTE_ADMIN,
     .body = true},
    {HTTP_PATCH, "/api/customers/{id}/devices/{deviceId}", handle_device_patch, .auth = ROUTE_OWNER,
     .body = true},
    {HTTP_DELETE, "/api/customers/{id}/devices/{deviceId}", handle_device_delete,
     .auth = ROUTE_ADMIN},
    {HTTP_GET, "/api/customers/{id}/routines", handle_routines_list, .auth = ROUTE_OWNER},
    {HTTP_GET, "/api/customers/{id}/routines/{name}", handle_routine_get, .auth = ROUTE_OWNER},
    {HTTP_PUT, "/api/customers/{id}/routines/{name}", handle_routine_put, .auth = ROUTE_OWNER,
     .body = true},
    {HTTP_DELETE, "/api/customers/{id}/routines/{name}", handle_routine_delete,
     .auth = ROUTE_OWNER},
    {HTTP_POST, "/api/customers/{id}/routines/{name}/run", handle_routine_run, .auth = ROUTE_OWNER},
    {HTTP_PUT, "/api/customers/{id}/timezone", handle_timezone_put, .auth = ROUTE_OWNER,
     .body = true},
    {HTTP_GET, "/api/capabilities", handle_capabilities, .auth = ROUTE_ANY},
    {HTTP_GET, "/api/service-levels", handle_levels_list, .auth = ROUTE_ANY},
    {HTTP_GET, "/api/service-levels/{level}", handle_level_get, .auth = ROUTE_ANY},
    {HTTP_PUT, "/api/service-levels/{level}", handle_level_put, .auth = ROUTE_ADMIN, .body = true},
    {HTTP_POST, "/api/chat", .chat = &handle_chat, .auth = ROUTE_ANY, .body = true},
    {HTTP_GET, "/api/chat/history/{id}", handle_history, .auth = ROUTE_OWNER},
    {HTTP_GET, "/healthz", handle_healthz, .auth = ROUTE_PUBLIC, .on_loop = true},
    {HTTP_GET, "/metrics", handle_metrics, .auth = ROUTE_PUBLIC, .on_loop = true},
};
#define N_ROUTES (sizeof(table) / sizeof(table[0]))

/* Matches path against pattern; on success copies the {} segments into
 * params (when not NULL). A trailing slash on the path is tolerated. */
static bool match(const char *pattern, const char *path, char **params)
{
    size_t n_params = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pe = strchrnul(p, '/'), *se = strchrnul(s, '/');
        if (*p == '{') {
            if (se == s || n_params >= REQUEST_MAX_PARAMS)
                return false;
            if (params) {
                free(params[n_params]);
                params[n_params] = xstrndup(s, (size_t)(se - s));
            }
            n_params++;
        } else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)) != 0) {
            return false;
        }
        p = pe;
        s = se;
    }
    return *p == '\0' && (*s == '\0' || strcmp(s, "/") == 0);
}

/* Appends the methods of every route whose pattern matches path to allow. */
static bool collect_allow(const char *path, char *allow, size_t n)
{
    bool any = false;
    allow[0] = '\0';
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!match(table[i].pattern, path, NULL))
            continue;
        size_t len = strlen(allow);
        snprintf(allow + len, n - len, "%s%s", any ? ", " : "", http_method_name(table[i].method));
        any = true;
    }
    return any;
}

const struct route *routes_match(enum http_method method, const char *path, struct request *rq,
                                 char *allow, size_t n, int *status)
{
    for (size_t i = 0; i < N_ROUTES; i++)
        if (table[i].method == method && match(table[i].pattern, path, rq->params))
            return &table[i];
    *status = collect_allow(path, allow, n) ? 405 : 404;
    return NULL;
}

bool routes_quick(const struct route *r, const struct app *app)
{
    return r->quick && strcmp(store_kind(app->st), "sqlite") == 0;
}

bool routes_allow(const char *path, char *allow, size_t n)
{
    if (!collect_allow(path, allow, n))
        return false;
    size_t len = strlen(allow);
    snprintf(allow + len, n - len, ", OPTIONS");
    return true;
}

/* The auth check of the table: fills rs and returns false when refused. */
static bool authorize(struct request *rq, struct response *rs)
{
    const struct route *r = rq->route;
    if (r->auth == ROUTE_PUBLIC)
        return true;
    struct sb_err err = {0};
    int rc = auth_lookup(rq->app->auth, rq->app->st, rq->token, &rq->who, &err);
    if (rc != SB_OK) {
        response_from_err(rs, &err);
        return false;
    }
    if (rq->who.admin || r->auth == ROUTE_ANY)
        return true;
    if (r->auth == ROUTE_OWNER && rq->params[0] && strcmp(rq->params[0], rq->who.customer_id) == 0)
        return true;
    response_error(rs, 403, "forbidden",
                   r->auth == ROUTE_ADMIN ? "this needs an admin token"
                                          : "this token does not reach that customer",
                   NULL, NULL);
    return false;
}

/* The name of the n-th {param} of pattern, copied into buf. */
static void param_name(const char *pattern, size_t n, char *buf, size_t len)
{
    const char *p = pattern;
    for (size_t i = 0; (p = strchr(p, '{')); i++, p++) {
        if (i == n) {
            snprintf(buf, len, "%.*s", (int)(strcspn(p + 1, "}")), p + 1);
            return;
        }
    }
    snprintf(buf, len, "path");
}

/* Path parameters and query arguments are ids and stamps that answers may
 * quote: the same rule as every other label. Fills rs and returns false when
 * one is not. */
static bool check_words(struct request *rq, struct response *rs)
{
    struct model_problems p = {0};
    char problem[160], name[64];
    for (size_t i = 0; i < REQUEST_MAX_PARAMS && rq->params[i]; i++)
        if (!validate_string(rq->params[i], strlen(rq->params[i]), VALIDATE_LABEL, problem,
                             sizeof problem)) {
            param_name(rq->route->pattern, i, name, sizeof name);
            model_problems_add(&p, name, "%s", problem);
        }
    for (size_t i = 0; i < rq->n_query; i++)
        if (!validate_string(rq->query[i].value, strlen(rq->query[i].value), VALIDATE_LABEL,
                             problem, sizeof problem)) {
            snprintf(name, sizeof name, "%s", rq->query[i].name);
            validate_scrub(name);
            model_problems_add(&p, name, "%s", problem);
        }
    if (p.len)
        response_problems(rs, &p);
    model_problems_free(&p);
    return rs->status == 0;
}

/* The token's bucket for this kind of request: false with a 429 when empty. */
static bool within_limits(struct request *rq, struct response *rs)
{
    enum rl_kind kind = ratelimit_kind(rq->method, rq->route->pattern);
    char msg[200];
    int retry = 0;
    if (rq->route->auth == ROUTE_PUBLIC ||
        ratelimit_take(rq->app->limits, rq->who.hash, rq->who.admin, kind, &retry, msg,
                       sizeof(msg)))
        return true;
    response_error(rs, 429, "rate_limited", msg, "retryAfter", xjson(json_object_new_int(retry)));
    rs->retry_after = retry;
    metrics_rate_limited(rq->app->metrics, ratelimit_kind_name(kind));
    return false;
}

/* New chats wait while the store is past its size watermark: 507. */
static bool room_to_store(struct request *rq, struct response *rs)
{
    char msg[240];
    if (ratelimit_kind(rq->method, rq->route->pattern) != RL_CHAT ||
        watermark_allows(rq->app->watermark, rq->app->st, msg, sizeof(msg)))
        return true;
    response_error(rs, 507, "storage_full", msg, NULL, NULL);
    return false;
}

bool routes_prepare(struct request *rq, struct response *rs)
{
    if (!authorize(rq, rs) || !within_limits(rq, rs) || !check_words(rq, rs) ||
        !room_to_store(rq, rs))
        return false;
    if (rq->route->body) {
        struct sb_err err = {0};
        if (jsonx_parse(rq->body ? rq->body : "", rq->body_len, &rq->json, &err) != SB_OK) {
            response_error(rs, 400, "bad_request", err.msg, NULL, NULL);
            return false;
        }
        if (!json_object_is_type(rq->json, json_type_object)) {
            response_error(rs, 400, "bad_request", "the body must be a JSON object", NULL, NULL);
            return false;
        }
    }
    return true;
}

void routes_run(struct request *rq, struct response *rs)
{
    if (!routes_prepare(rq, rs))
        return;
    if (rq->route->fn) {
        rq->route->fn(rq, rs);
        return;
    }
    /* a chat route whole on this thread (http.c hands those to a chat_job) */
    struct engine_request req = {0};
    struct engine_reply reply = {0};
    struct sb_err err = {0};
    if (rq->route->chat->begin(rq, rs, &req)) {
        int rc = chat_exchange_run(rq->app, &req, &reply, &rs->push, &err);
        rq->route->chat->end(rq, rs, rc, &reply, &err);
    }
    engine_reply_free(&reply);
}
