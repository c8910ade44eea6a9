#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/validate.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "server/handlers.h"
#include "server/chat_exchange.h"
#include "server/app.h"

#define HISTORY_DEFAULT MODEL_HISTORY_DEFAULT
#define HISTORY_MAX     MODEL_HISTORY_MAX

/* An optional string member: NULL when absent, a problem when of another type. */
static const char *opt_string(json_object *body, const char *key, struct model_problems *p)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(body, key, &v) || v == NULL)
        return NULL;
    if (!json_object_is_type(v, json_type_string)) {
        char what[64];
        jsonx_describe(v, what, sizeof(what));
        model_problems_add(p, key, "must be a string, got %s", what);
        return NULL;
    }
    return json_object_get_string(v);
}

/* Reads and checks the POST /api/chat body into req; 0 or an answered error. */
static int chat_request(struct request *rq, struct response *rs, struct engine_request *req)
{
    struct model_problems p = {0};
    req->customer_id = opt_string(rq->json, "customerId", &p);
    req->text = opt_string(rq->json, "message", &p);
    req->conversation_id = opt_string(rq->json, "conversationId", &p);
    req->message_id = opt_string(rq->json, "id", &p);
    if (!req->text && !p.len)
        model_problems_add(&p, "message", "is required");
    if (!req->customer_id && !rq->who.admin)
        req->customer_id = rq->who.customer_id;
    if (!req->customer_id && !p.len)
        model_problems_add(&p, "customerId", "is required with an admin token");
    const char *bad = NULL;
    char problem[160];
    if (!p.len && !validate_chat(rq->json, &bad, problem, sizeof problem))
        model_problems_add(&p, bad, "%s", problem);
    int rc = -1;
    if (p.len)
        response_problems(rs, &p);
    else if (!rq->who.admin && strcmp(req->customer_id, rq->who.customer_id) != 0)
        response_error(rs, 403, "forbidden", "this token does not reach that customer", NULL, NULL);
    else
        rc = 0;
    model_problems_free(&p);
    return rc;
}

static bool chat_begin(struct request *rq, struct response *rs, struct engine_request *req)
{
    return chat_request(rq, rs, req) == 0;
}

static void chat_end(struct request *rq, struct response *rs, int rc, struct engine_reply *reply,
                     struct sb_err *err)
{
    if (rc != SB_OK) {
        handlers_engine_error(rs, rc, err, reply->result);
        return;
    }
    /* The seed-era fields: id duplicates messageId, customerId is always there. */
    const char *mid = jsonx_get_string(reply->result, "messageId");
    xjson_add(reply->result, "id", jsonx_string_or_null(mid));
    if (!jsonx_get_string(reply->result, "customerId")) {
        const char *cid = jsonx_get_string(rq->json, "customerId");
        xjson_add(reply->result, "customerId",
                  jsonx_string_or_null(cid ? cid : rq->who.customer_id));
    }
    response_json(rs, 200, json_object_get(reply->result));
}

const struct route_chat handle_chat = {chat_begin, chat_end};

/* Reads limit and before from the query; 0 or an answered 400. */
static int history_query(struct request *rq, struct response *rs, struct store_history_query *q)
{
    struct model_problems p = {0};
    const char *limit = request_query(rq, "limit");
    q->limit = HISTORY_DEFAULT;
    if (limit) {
        char *end = NULL;
        long v = strtol(limit, &end, 10);
        if (!*limit || *end || v < 1 || v > HISTORY_MAX)
            model_problems_add(&p, "limit", "must be an integer 1-%d, got \"%s\"", HISTORY_MAX,
                               limit);
        else
            q->limit = (int)v;
    }
    int64_t ms;
    q->before = request_query(rq, "before");
    if (q->before && util_parse_timestamp(q->before, &ms) != 0)
        model_problems_add(&p, "before", "must be an ISO 8601 timestamp, got \"%s\"", q->before);
    q->conversation_id = request_query(rq, "conversationId");
    if (q->conversation_id && !*q->conversation_id)
        q->conversation_id = NULL;
    int rc = p.len ? -1 : 0;
    if (p.len)
        response_problems(rs, &p);
    model_problems_free(&p);
    return rc;
}

void handle_history(struct request *rq, struct response *rs)
{
    struct store_history_query q = {.customer_id = rq->params[0]};
    struct sb_err err = {0};
    struct customer c = {0};
    struct message *msgs = NULL;
    size_t n = 0;
    if (history_query(rq, rs, &q) != 0)
        return;
    if (store_get_customer(rq->app->st, q.customer_id, &c, &err) != SB_OK ||
        store_history(rq->app->st, &q, &msgs, &n, &err) != SB_OK) {
        response_from_err(rs, &err);
        goto out;
    }
    json_object *o = xjson(json_object_new_object()), *list = xjson(json_object_new_array());
    for (size_t i = 0; i < n; i++)
        xjson_push(list, message_to_json(&msgs[i]));
    xjson_add(o, "customerId", xjson(json_object_new_string(q.customer_id)));
    xjson_add(o, "conversationId", jsonx_string_or_null(q.conversation_id));
    xjson_add(o, "messages", list);
    /* A full page may have older messages before it. */
    xjson_add(o, "nextBefore",
              jsonx_string_or_null(n && n == (size_t)q.limit ? msgs[0].timestamp : NULL));
    response_json(rs, 200, o);
out:
    messages_free(msgs, n);
    customer_free(&c);
}
