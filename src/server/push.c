#include "server/push.h"

#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "server/server.h"
#include "server/ws.h"

void push_devices(struct server *srv, const struct push_list *p)
{
    /* most REST changes and chats have no listener here: no frame to make
     * (rendering them was a tenth of the loop thread on POST /api/chat) */
    if (!p->customer_id || !ws_customer_connected(srv, p->customer_id))
        return;
    for (size_t i = 0; i < p->n; i++) {
        json_object *o = xjson(json_object_new_object());
        xjson_add(o, "type", xjson(json_object_new_string("device")));
        xjson_add(o, "device", device_to_json(&p->devices[i]));
        xjson_add(o, "customerId", xjson(json_object_new_string(p->customer_id)));
        if (p->removed)
            xjson_add(o, "removed", xjson(json_object_new_boolean(1)));
        size_t len = 0;
        const char *s = jsonx_string(o, &len);
        ws_send_customer(srv, p->customer_id, s, len);
        json_object_put(o);
    }
    for (size_t i = 0; p->messages && i < json_object_array_length(p->messages); i++) {
        json_object *o = xjson(json_object_new_object());
        xjson_add(o, "type", xjson(json_object_new_string("message")));
        xjson_add(o, "message", json_object_get(json_object_array_get_idx(p->messages, i)));
        xjson_add(o, "customerId", xjson(json_object_new_string(p->customer_id)));
        size_t len = 0;
        const char *s = jsonx_string(o, &len);
        ws_send_customer_messages(srv, p->customer_id, s, len, p->except);
        json_object_put(o);
    }
}

void push_add_exchange(struct store *st, struct push_list *p, const char *customer_id,
                       json_object *result, const void *except)
{
    json_object *dup = NULL;
    if (json_object_object_get_ex(result, "duplicate", &dup) && json_object_get_boolean(dup))
        return;
    const char *ids[] = {jsonx_get_string(result, "inReplyTo"),
                         jsonx_get_string(result, "messageId")};
    for (size_t i = 0; i < 2; i++) {
        struct message m = {0};
        struct sb_err err = {0};
        if (!ids[i] || store_get_message(st, ids[i], &m, &err) != SB_OK)
            continue; /* a push is a courtesy: the exchange itself is answered */
        if (!p->messages)
            p->messages = xjson(json_object_new_array());
        xjson_push(p->messages, message_to_json(&m));
        message_free(&m);
    }
    if (p->messages && !p->customer_id)
        p->customer_id = xstrdup(customer_id);
    p->except = except;
}

/* A poll for change notices; the result is one push list per customer. */
struct poll_job {
    struct job job;
    struct server *srv;
    struct push_list *lists;
    size_t n;
};

static void poll_run(struct job *j)
{
    struct poll_job *pj = lws_container_of(j, struct poll_job, job);
    struct strlist ids = {0};
    struct sb_err err = {0};
    if (store_poll_changes(pj->srv->app.st, &ids, &err) != SB_OK) {
        log_kv(LOG_WARN, "cannot poll change notices", "error", err.msg, NULL);
        return;
    }
    pj->lists = xcalloc(ids.len ? ids.len : 1, sizeof(*pj->lists));
    for (size_t i = 0; i < ids.len; i++) {
        struct customer c = {0};
        if (store_get_customer(pj->srv->app.st, ids.items[i], &c, &err) != SB_OK)
            continue;
        struct push_list *pl = &pj->lists[pj->n++];
        pl->customer_id = c.id;
        pl->devices = c.devices;
        pl->n = c.n_devices;
        c.id = NULL;
        c.devices = NULL;
        c.n_devices = 0;
        customer_free(&c);
    }
    strlist_free(&ids);
}

static void poll_tick(lws_sorted_usec_list_t *sul);

static void poll_done(struct job *j)
{
    struct poll_job *pj = lws_container_of(j, struct poll_job, job);
    for (size_t i = 0; i < pj->n; i++) {
        push_devices(pj->srv, &pj->lists[i]);
        push_list_free(&pj->lists[i]);
    }
    pj->srv->poll_busy = false;
    free(pj->lists);
    free(pj);
}

static void poll_tick(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, sul_poll);
    if (srv->stopped)
        return;
    if (!srv->poll_busy && !srv->app.draining) {
        struct poll_job *pj = xcalloc(1, sizeof(*pj));
        pj->srv = srv;
        pj->job.run = poll_run;
        pj->job.done = poll_done;
        srv->poll_busy = true;
        jobs_submit(srv->jobs, &pj->job);
    }
    /* Also wakes the loop regularly, so a signal is never missed for long. */
    lws_sul_schedule(srv->ctx, 0, &srv->sul_poll, poll_tick, PUSH_POLL_MS * LWS_US_PER_MS);
}

void push_start_polling(struct server *srv)
{
    lws_sul_schedule(srv->ctx, 0, &srv->sul_poll, poll_tick, PUSH_POLL_MS * LWS_US_PER_MS);
}
