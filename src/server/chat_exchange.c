#include "server/chat_exchange.h"

#include "common/log.h"
#include "server/push.h"

int chat_exchange_run(struct app *app, const struct engine_request *req, struct engine_reply *reply,
                      struct push_list *push, struct sb_err *err)
{
    int rc = engine_handle(app->eng, req, reply, err);
    if (rc != SB_OK)
        return rc;
    metrics_chat(app->metrics, reply->result);
    /* Before the caller renames inReplyTo: it names the stored user message.
     * Reading the two messages back costs two queries: only for followers. */
    if (atomic_load(&app->message_followers) > 0)
        push_add_exchange(app->st, push, req->customer_id, reply->result, NULL);
    if (reply->n_changed == 0)
        return SB_OK;
    push_list_add(push, req->customer_id, reply->changed, reply->n_changed, false);
    struct sb_err perr = {0};
    if (store_publish_change(app->st, req->customer_id, &perr) != SB_OK)
        log_kv(LOG_WARN, "cannot publish a device change", "customer", req->customer_id, "error",
               perr.msg, NULL);
    return SB_OK;
}
