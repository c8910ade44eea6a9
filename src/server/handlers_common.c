#include <string.h>

#include "common/log.h"
#include "common/xalloc.h"
#include "server/handlers.h"
#include "server/app.h"

json_object *handlers_wrap(const char *name, json_object *o)
{
    json_object *w = xjson(json_object_new_object());
    xjson_add(w, name, o);
    return w;
}

void handlers_engine_error(struct response *rs, int rc, const struct sb_err *err,
                           json_object *result)
{
    static const struct {
        int rc, status;
        const char *code, *member;
    } kinds[] = {
        {SB_EINVAL, 400, "bad_request", "fields"},
        {SB_EDENIED, 403, "denied", "denial"},
        {SB_ELIMIT, 422, "tier_limit", "limit"},
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        json_object *member = NULL;
        if (kinds[i].rc != rc || !result ||
            !json_object_object_get_ex(result, kinds[i].member, &member))
            continue;
        response_error(rs, kinds[i].status, kinds[i].code, err->msg, kinds[i].member,
                       json_object_get(member));
        return;
    }
    response_from_err(rs, err);
}

void handlers_changed(struct request *rq, struct response *rs, const char *customer_id,
                      struct device *devices, size_t n, bool removed)
{
    if (n == 0)
        return;
    if (atomic_load(&rq->app->chat_sessions) > 0)
        response_push(rs, customer_id, devices, n, removed);
    struct sb_err err = {0};
    if (store_publish_change(rq->app->st, customer_id, &err) != SB_OK)
        log_kv(LOG_WARN, "cannot publish a device change", "customer", customer_id, "error",
               err.msg, NULL);
}
