/* libFuzzer target: the HTTP request layer behind lws, as a worker runs it
 * (route match with 404/405, query arguments, bearer token, the auth check,
 * strict JSON with the string validator, every handler, the engine, a seeded
 * in-memory store). Input: "METHOD PATH[?QUERY]\n" then one byte choosing
 * the token (admin, a customer's, none, garbage), then the body.
 *
 * Every answer must be a status of the protocol with a body that is valid
 * JSON (strict, UTF-8) and, apart from /metrics and 204, an object; never a
 * 500, since no request can store a record that cannot be read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "engine_fixture.h"
#include "server/ratelimit.h"
#include "server/routes.h"
#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct server srv;
static char admin[96], customer[96];

static int setup(void)
{
    struct sb_err err = {0};
    /* rate limits and the storage watermark as servicebotd starts them:
     * admin unlimited, customer tokens throttled (429 is a valid answer) */
    struct watermark_options none = {0};
    if (fixture_open(":memory:", &srv.app.st, &srv.app.eng) != 0 ||
        !(srv.app.auth = auth_cache_new(30)) || !(srv.app.metrics = metrics_new()) ||
        !(srv.app.limits = ratelimit_new(NULL)) || !(srv.app.watermark = watermark_new(&none)) ||
        auth_create_token(srv.app.st, NULL, 0, admin, sizeof admin, NULL, &err) != SB_OK ||
        auth_create_token(srv.app.st, "cust_001", 0, customer, sizeof customer, NULL, &err) !=
            SB_OK) {
        fprintf(stderr, "fuzz_http: setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static enum http_method method_of(const char *s, size_t n)
{
    for (int m = HTTP_GET; m < HTTP_OTHER; m++)
        if (strlen(http_method_name(m)) == n && memcmp(http_method_name(m), s, n) == 0)
            return m;
    return HTTP_OTHER;
}

/* Splits the query as lws hands it over: name=value fragments between '&'. */
static void read_query(struct request *rq, const char *q)
{
    while (q && *q && rq->n_query < REQUEST_MAX_QUERY) {
        const char *end = strchrnul(q, '&'), *eq = memchr(q, '=', (size_t)(end - q));
        rq->query[rq->n_query].name = strndup(q, (size_t)((eq ? eq : end) - q));
        rq->query[rq->n_query].value = eq ? strndup(eq + 1, (size_t)(end - eq - 1)) : strdup("");
        rq->n_query++;
        q = *end ? end + 1 : NULL;
    }
}

static void check_answer(const struct request *rq, const struct response *rs)
{
    static const int allowed[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429};
    bool known = false;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        known |= rs->status == allowed[i];
    if (!known) {
        fprintf(stderr, "fuzz_http: %s %s answered %d: %.*s\n", http_method_name(rq->method),
                rq->path, rs->status, (int)rs->len, rs->body ? rs->body : "");
        abort();
    }
    if (rs->content_type || rs->status == 204)
        return; /* /metrics is text */
    json_object *o = NULL;
    struct sb_err err = {0};
    if (jsonx_parse(rs->body ? rs->body : "", rs->len, &o, &err) != SB_OK ||
        !json_object_is_type(o, json_type_object)) {
        fprintf(stderr, "fuzz_http: %s %s: the answer is not a JSON object (%s): %.*s\n",
                http_method_name(rq->method), rq->path, err.msg, (int)rs->len, rs->body);
        abort();
    }
    json_object_put(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!srv.app.st && setup() != 0)
        abort();
    const char *in = (const char *)data, *nl = memchr(in, '\n', size);
    if (!nl || (size_t)(nl - in) + 2 > size)
        return 0;
    char *line = strndup(in, (size_t)(nl - in));
    char *sp = strchr(line, ' ');
    if (!sp || sp[1] != '/') {
        free(line);
        return 0;
    }
    struct request rq = {.app = &srv.app, .method = method_of(line, (size_t)(sp - line))};
    struct response rs = {0};
    char *q = strchr(sp + 1, '?');
    if (q)
        *q++ = '\0';
    rq.path = strdup(sp + 1);
    read_query(&rq, q);
    static const char *const tokens[] = {admin, customer, NULL, "not-a-token"};
    const char *token = tokens[(uint8_t)nl[1] & 3];
    rq.token = token ? strdup(token) : NULL;
    size_t body_len = size - (size_t)(nl - in) - 2;
    int status = 0;
    rq.route = routes_match(rq.method, rq.path, &rq, rs.allow, sizeof rs.allow, &status);
    if (!rq.route) {
        if (status != 404 && status != 405)
            abort();
    } else {
        if (rq.route->body) {
            rq.body = malloc(body_len + 1);
            memcpy(rq.body, nl + 2, body_len);
            rq.body[body_len] = '\0';
            rq.body_len = body_len;
        }
        routes_run(&rq, &rs);
        check_answer(&rq, &rs);
    }
    response_free(&rs);
    request_free(&rq);
    free(line);
    return 0;
}
