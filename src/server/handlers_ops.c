#include <stdlib.h>

#include "server/handlers.h"
#include "server/app.h"
#include "server/watermark.h"
#include "common/xalloc.h"

void handle_healthz(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    bool lost = store_check(rq->app->st, &err) != SB_OK;
    const char *status = rq->app->draining ? "draining" : lost ? "unavailable" : "ok";
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "status", xjson(json_object_new_string(status)));
    xjson_add(o, "store", xjson(json_object_new_string(store_kind(rq->app->st))));
    if (lost)
        xjson_add(o, "error", xjson(json_object_new_string(err.msg)));
    /* Past the storage watermark the service is up but takes no new chats. */
    char why[240];
    bool room = watermark_allows(rq->app->watermark, rq->app->st, why, sizeof(why));
    xjson_add(o, "storage", xjson(json_object_new_string(room ? "ok" : "full")));
    if (!room)
        xjson_add(o, "storageDetail", xjson(json_object_new_string(why)));
    response_json(rs, rq->app->draining || lost ? 503 : 200, o);
    if (lost)
        rs->retry_after = RESPONSE_RETRY_AFTER;
}

void handle_metrics(struct request *rq, struct response *rs)
{
    size_t len = 0;
    char *text = metrics_render(rq->app->metrics, &len);
    free(rs->body);
    rs->body = text;
    rs->len = len;
    rs->status = 200;
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
