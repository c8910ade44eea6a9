#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xalloc.h"
#include "server/handlers.h"
#include "server/app.h"

void handle_customers_list(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct customer *all = NULL;
    struct strlist skipped = {0};
    size_t n = 0;
    int rc;
    if (rq->who.admin) {
        rc = store_list_customers_skipping(rq->app->st, &all, &n, &skipped, &err);
    } else {
        /* A customer sees only itself. */
        all = xcalloc(1, sizeof(*all));
        rc = store_get_customer(rq->app->st, rq->who.customer_id, all, &err);
        n = rc == SB_OK ? 1 : 0;
    }
    if (rc != SB_OK) {
        response_from_err(rs, &err);
        goto out;
    }
    json_object *list = xjson(json_object_new_array());
    for (size_t i = 0; i < n; i++)
        xjson_push(list, customer_to_json(&all[i]));
    json_object *answer = handlers_wrap("customers", list);
    if (skipped.len) {
        /* One broken record must not hide the others: list them apart. */
        json_object *bad = xjson(json_object_new_array());
        for (size_t i = 0; i < skipped.len; i++) {
            log_kv(LOG_ERROR, "a stored record cannot be read; left out of the list", "error",
                   skipped.items[i], NULL);
            xjson_push(bad, xjson(json_object_new_string(skipped.items[i])));
        }
        xjson_add(answer, "skipped", bad);
    }
    response_json(rs, 200, answer);
out:
    strlist_free(&skipped);
    customers_free(all, n);
}

void handle_customer_delete(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    if (store_delete_customer(rq->app->st, rq->params[0], &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    response_json(rs, 200, handlers_wrap("deleted", xjson(json_object_new_string(rq->params[0]))));
}

void handle_customer_get(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct customer c = {0};
    if (store_get_customer(rq->app->st, rq->params[0], &c, &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    response_json(rs, 200, handlers_wrap("customer", customer_to_json(&c)));
    customer_free(&c);
}

/* Checks the parts of a PUT body that span records: the id matches the
 * path and the level exists. */
static int check_put(struct request *rq, const struct customer *c, struct model_problems *p,
                     struct sb_err *err)
{
    if (strcmp(c->id, rq->params[0]) != 0)
        model_problems_add(p, "id", "must match the customer in the path (%s)", rq->params[0]);
    struct service_level level = {0};
    int rc = store_get_level(rq->app->st, c->service_level, &level, err);
    service_level_free(&level);
    if (rc == SB_ENOTFOUND)
        model_problems_add(p, "service_level", "unknown level \"%s\"", c->service_level);
    else if (rc != SB_OK)
        return rc;
    return p->len ? SB_EINVAL : SB_OK;
}

void handle_customer_put(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct model_problems problems = {0};
    struct customer c = {0}, old = {0};
    struct engine_reply reply = {0};
    if (!json_object_object_get_ex(rq->json, "id", NULL))
        xjson_add(rq->json, "id", xjson(json_object_new_string(rq->params[0])));
    if (customer_from_json(rq->json, "", &problems, &c) != SB_OK) {
        response_problems(rs, &problems);
        goto out;
    }
    int rc = check_put(rq, &c, &problems, &err);
    if (rc == SB_EINVAL) {
        response_problems(rs, &problems);
        goto out;
    }
    if (rc == SB_OK)
        rc = engine_check_customer(rq->app->eng, &c, &reply, &err);
    if (rc != SB_OK) {
        handlers_engine_error(rs, rc, &err, reply.result);
        goto out;
    }
    /* A corrupt stored record is there and is replaced, never an obstacle. */
    rc = store_get_customer(rq->app->st, c.id, &old, &err);
    if (rc != SB_OK && rc != SB_ENOTFOUND && rc != SB_ECORRUPT) {
        response_from_err(rs, &err);
        goto out;
    }
    bool existed = rc != SB_ENOTFOUND;
    if (store_put_customer(rq->app->st, &c, &err) != SB_OK) {
        response_from_err(rs, &err);
        goto out;
    }
    response_json(rs, existed ? 200 : 201, handlers_wrap("customer", customer_to_json(&c)));
    handlers_changed(rq, rs, c.id, c.devices, c.n_devices, false);
out:
    engine_reply_free(&reply);
    model_problems_free(&problems);
    customer_free(&old);
    customer_free(&c);
}
