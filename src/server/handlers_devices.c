#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "server/handlers.h"
#include "server/app.h"

/* The body of GET devices for c: {"devices": [...]}, a function of c alone. */
static char *devices_body(const struct customer *c, size_t *len)
{
    json_object *list = xjson(json_object_new_array());
    for (size_t i = 0; i < c->n_devices; i++)
        xjson_push(list, device_to_json(&c->devices[i]));
    return response_take_text(handlers_wrap("devices", list), len);
}

/* Rendered once per stored record: the memo lives with the shared record,
 * which is the decode of exact stored bytes, so any change of the row
 * (whatever wrote it, even with the same version) is a record without one. */
void handle_devices_list(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    const struct store_customer *sc = NULL;
    if (store_get_customer_shared(rq->app->st, rq->params[0], &sc, &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    size_t len = 0;
    const char *body = store_customer_memo(sc, STORE_MEMO_DEVICES, &len);
    if (!body)
        body = store_customer_memo_set(sc, STORE_MEMO_DEVICES, devices_body(&sc->c, &len), &len);
    response_text(rs, 200, body, len);
    store_customer_release(sc);
}

/* Answers a successful engine call: {"device": ...} and the pushes. */
static void device_done(struct request *rq, struct response *rs, int status,
                        struct engine_reply *reply)
{
    json_object *device = NULL;
    json_object_object_get_ex(reply->result, "device", &device);
    response_json(rs, status, handlers_wrap("device", json_object_get(device)));
    handlers_changed(rq, rs, rq->params[0], reply->changed, reply->n_changed, false);
}

void handle_device_add(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct model_problems problems = {0};
    struct device d = {0};
    struct engine_reply reply = {0};
    if (device_from_json(rq->json, "", &problems, &d) != SB_OK) {
        response_problems(rs, &problems);
        goto out;
    }
    int rc = engine_add_device(rq->app->eng, rq->params[0], &d, &reply, &err);
    if (rc != SB_OK) {
        handlers_engine_error(rs, rc, &err, reply.result);
        goto out;
    }
    device_done(rq, rs, 201, &reply);
out:
    engine_reply_free(&reply);
    model_problems_free(&problems);
    device_free(&d);
}

void handle_device_patch(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct engine_reply reply = {0};
    int rc =
        engine_patch_device(rq->app->eng, rq->params[0], rq->params[1], rq->json, &reply, &err);
    if (rc == SB_OK) {
        device_done(rq, rs, 200, &reply);
    } else {
        json_object *denial = NULL;
        if (rc == SB_EDENIED && reply.result &&
            json_object_object_get_ex(reply.result, "denial", &denial))
            metrics_denial(rq->app->metrics, denial);
        handlers_engine_error(rs, rc, &err, reply.result);
    }
    engine_reply_free(&reply);
}

/* store_update_customer callback: removes the device, keeping a copy. */
static int remove_device(struct customer *c, void *arg, struct sb_err *err)
{
    struct device *removed = arg;
    const char *id = removed->id;
    for (size_t i = 0; i < c->n_devices; i++) {
        if (strcmp(c->devices[i].id, id) != 0)
            continue;
        /* fn may run again after a conflict: keep only the last copy. */
        char *keep_id = removed->id;
        removed->id = NULL;
        device_free(removed);
        device_copy(removed, &c->devices[i]);
        free(keep_id);
        device_free(&c->devices[i]);
        memmove(&c->devices[i], &c->devices[i + 1], (c->n_devices - i - 1) * sizeof(*c->devices));
        c->n_devices--;
        return SB_OK;
    }
    return sb_err_set(err, SB_ENOTFOUND, "customer %s has no device %s", c->id, id);
}

void handle_device_delete(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct device removed = {.id = xstrdup(rq->params[1])};
    if (store_update_customer(rq->app->st, rq->params[0], remove_device, &removed, NULL, &err) !=
        SB_OK) {
        response_from_err(rs, &err);
        goto out;
    }
    response_json(rs, 200, handlers_wrap("device", device_to_json(&removed)));
    handlers_changed(rq, rs, rq->params[0], &removed, 1, true);
out:
    device_free(&removed);
}
