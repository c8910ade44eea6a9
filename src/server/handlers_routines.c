/* REST handlers for routines and the customer's time zone (doc/protocol.md
 * "Routines"). */
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "server/handlers.h"
#include "server/app.h"

void handle_routines_list(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct customer c = {0};
    char conv[MODEL_ID_MAX];
    if (store_get_customer(rq->app->st, rq->params[0], &c, &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    json_object *o = xjson(json_object_new_object());
    customer_routines_to_json(&c, o);
    engine_routine_conversation(c.id, conv, sizeof conv);
    xjson_add(o, "conversationId", xjson(json_object_new_string(conv)));
    response_json(rs, 200, o);
    customer_free(&c);
}

void handle_routine_get(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct customer c = {0};
    if (store_get_customer(rq->app->st, rq->params[0], &c, &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    const struct routine *r = customer_find_routine(&c, rq->params[1]);
    if (r) {
        response_json(rs, 200, handlers_wrap("routine", routine_to_json(r)));
    } else {
        sb_err_set(&err, SB_ENOTFOUND, "customer %s has no routine called \"%s\"", c.id,
                   rq->params[1]);
        response_from_err(rs, &err);
    }
    customer_free(&c);
}

/* Answers an engine call: its result, or the error with its details. */
static void answer(struct request *rq, struct response *rs, int rc, int status,
                   const struct sb_err *err, struct engine_reply *reply)
{
    if (rc != SB_OK) {
        json_object *denial = NULL;
        if (rc == SB_EDENIED && reply->result &&
            json_object_object_get_ex(reply->result, "denial", &denial))
            metrics_denial(rq->app->metrics, denial);
        handlers_engine_error(rs, rc, err, reply->result);
        return;
    }
    response_json(rs, status, json_object_get(reply->result));
    handlers_changed(rq, rs, rq->params[0], reply->changed, reply->n_changed, false);
}

void handle_routine_put(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct engine_reply reply = {0};
    bool created = false;
    int rc = engine_routine_put(rq->app->eng, rq->params[0], rq->params[1], rq->json, &created,
                                &reply, &err);
    answer(rq, rs, rc, created ? 201 : 200, &err, &reply);
    engine_reply_free(&reply);
}

/* DELETE and run: an engine call on one routine. */
static void on_routine(struct request *rq, struct response *rs,
                       int (*fn)(struct engine *, const char *, const char *, struct engine_reply *,
                                 struct sb_err *))
{
    struct sb_err err = {0};
    struct engine_reply reply = {0};
    int rc = fn(rq->app->eng, rq->params[0], rq->params[1], &reply, &err);
    answer(rq, rs, rc, 200, &err, &reply);
    engine_reply_free(&reply);
}

void handle_routine_delete(struct request *rq, struct response *rs)
{
    on_routine(rq, rs, engine_routine_delete);
}

void handle_routine_run(struct request *rq, struct response *rs)
{
    on_routine(rq, rs, engine_routine_run);
}

void handle_timezone_put(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct engine_reply reply = {0};
    const char *zone = jsonx_get_string(rq->json, "timezone");
    if (!zone || json_object_object_length(rq->json) != 1) {
        response_error(rs, 400, "bad_request",
                       "the body must be {\"timezone\": \"Area/City\"} (an IANA zone name)", NULL,
                       NULL);
        return;
    }
    int rc = engine_set_timezone(rq->app->eng, rq->params[0], zone, &reply, &err);
    answer(rq, rs, rc, 200, &err, &reply);
    engine_reply_free(&reply);
}
