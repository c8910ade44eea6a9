/* Messages: idempotent appends (PutItem with attribute_not_exists(id)) and
 * history through the conversationId-index / userId-index GSIs, read newest
 * first (eventually consistent, as the seed says) and returned oldest-first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_dynamodb_impl.h"
#include "common/xalloc.h"

/* GSI pages are read in this size; a page holds at most the 500-limit anyway. */
#define DDB_HISTORY_PAGE 100

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

static int delete_message(struct store_dynamodb *s, const char *id, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_MESSAGES);
    int rc;

    xjson_add(req, "Key", ddb_key("id", id));
    rc = ddb_call(s->http, "DeleteItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

/* Puts m unless its id exists; *created says which. */
static int put_new_message(struct store_dynamodb *s, const struct message *m, bool *created,
                           struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_MESSAGES);
    json_object *j = message_to_json(m);
    int rc;

    xjson_add(req, "Item", ddb_item_from_json(j));
    ddb_expr(req, "ConditionExpression", "attribute_not_exists(id)");
    rc = ddb_call(s->http, "PutItem", req, NULL, err);
    *created = rc == SB_OK;
    if (rc == SB_ECONFLICT)
        rc = SB_OK; /* a resend of a message that is already stored */
    json_object_put(j);
    json_object_put(req);
    return rc;
}

/* All or none without transactions: the messages this call created are
 * deleted again when a later one fails. Ids are client-chosen per message,
 * so only a concurrent resend of the very same message could have seen one
 * of them meanwhile; the client resends until it is acknowledged. */
int ddb_append_messages(struct store *st, const struct message *m, size_t n, struct sb_err *err)
{
    struct store_dynamodb *s = ddb(st);
    bool *created = xcalloc(n, sizeof *created);
    size_t i;
    int rc = SB_OK;

    for (i = 0; i < n && rc == SB_OK; i++)
        if (!m[i].id || !*m[i].id || !m[i].user_id || !*m[i].user_id || !m[i].timestamp ||
            !*m[i].timestamp)
            rc = sb_err_set(err, SB_EINVAL, "message %zu needs an id, a userId and a timestamp", i);
    for (i = 0; i < n && rc == SB_OK; i++)
        rc = put_new_message(s, &m[i], &created[i], err);
    if (rc != SB_OK) {
        struct sb_err ignored;
        while (i-- > 0)
            if (created[i])
                delete_message(s, m[i].id, &ignored);
    }
    free(created);
    return rc;
}

int ddb_get_message(struct store *st, const char *id, struct message *out, struct sb_err *err)
{
    return ddb_get_record(ddb(st), DDB_MESSAGES, "id", id, "message with id", ddb_message_from_item,
                          out, err);
}

struct history {
    struct ddb_list l; /* of struct message */
    size_t limit;
    bool have_cut;
    char cut[64]; /* timestamp of the limit-th newest message, once known */
};

/* Newest first; equal timestamps by id, also descending. */
static int newest_first(const void *a, const void *b)
{
    const struct message *x = a, *y = b;
    int c = strcmp(y->timestamp, x->timestamp);

    return c ? c : strcmp(y->id, x->id);
}

static int collect_message(json_object *item, void *arg, struct sb_err *err)
{
    struct history *h = arg;
    const char *ts = ddb_item_s(item, "timestamp");
    struct message *items;
    int rc;

    /* The index orders by timestamp only; messages sharing the limit-th
     * one's timestamp are all read so that ties can be ordered by id. */
    if (h->have_cut && ts && strcmp(ts, h->cut) < 0)
        return DDB_STOP;
    rc = ddb_collect(item, &h->l, err);
    items = h->l.items;
    if (rc == SB_OK && h->l.len == h->limit) {
        snprintf(h->cut, sizeof h->cut, "%s", items[h->l.len - 1].timestamp);
        h->have_cut = true;
    }
    return rc;
}

static json_object *history_request(struct store_dynamodb *s, const struct store_history_query *q)
{
    json_object *req = ddb_req(s, DDB_MESSAGES);
    char cond[128];

    snprintf(cond, sizeof cond, "%s%s", q->conversation_id ? "conversationId = :k" : "userId = :k",
             q->before ? " AND #ts < :before" : "");
    xjson_add(req, "IndexName",
              xjson(json_object_new_string(q->conversation_id ? "conversationId-index"
                                                              : "userId-index")));
    ddb_expr(req, "KeyConditionExpression", cond);
    ddb_expr_value(req, ":k", ddb_s(q->conversation_id ? q->conversation_id : q->customer_id));
    if (q->before) {
        ddb_expr_name(req, "#ts", "timestamp");
        ddb_expr_value(req, ":before", ddb_s(q->before));
    }
    if (q->conversation_id) {
        /* A conversation id reaches only its own customer's messages. */
        ddb_expr(req, "FilterExpression", "userId = :u");
        ddb_expr_value(req, ":u", ddb_s(q->customer_id));
    }
    xjson_add(req, "ScanIndexForward", xjson(json_object_new_boolean(0)));
    xjson_add(req, "Limit", xjson(json_object_new_int(DDB_HISTORY_PAGE)));
    return req;
}

int ddb_history(struct store *st, const struct store_history_query *q, struct message **out,
                size_t *n, struct sb_err *err)
{
    struct history h = {.l = {NULL, 0, sizeof(struct message), "id", ddb_message_from_item}};
    struct message *items;
    json_object *req;
    size_t i;
    int rc;

    if (!q->customer_id || !*q->customer_id)
        return sb_err_set(err, SB_EINVAL, "history needs a customer id");
    if (q->limit < 1 || q->limit > 500)
        return sb_err_set(err, SB_EINVAL, "limit must be 1-500, got %d", q->limit);
    h.limit = (size_t)q->limit;
    /* No message has an empty conversation id (and DynamoDB refuses one as a key). */
    if (q->conversation_id && !*q->conversation_id) {
        *out = NULL;
        *n = 0;
        return SB_OK;
    }
    req = history_request(ddb(st), q);
    rc = ddb_each(ddb(st), "Query", req, collect_message, &h, err);
    json_object_put(req);
    items = h.l.items;
    if (rc != SB_OK) {
        messages_free(items, h.l.len);
        return rc;
    }
    if (h.l.len)
        qsort(items, h.l.len, sizeof *items, newest_first);
    while (h.l.len > h.limit)
        message_free(&items[--h.l.len]);
    for (i = 0; i < h.l.len / 2; i++) {
        struct message t = items[i];
        items[i] = items[h.l.len - 1 - i];
        items[h.l.len - 1 - i] = t;
    }
    *out = items;
    *n = h.l.len;
    return SB_OK;
}

/* Retention walks the customer's messages newest first (userId-index) and
 * deletes each one past the count or older than the cut. The index is
 * eventually consistent: a message appended during the walk may be kept
 * until the next one. */
struct prune {
    struct store_dynamodb *s;
    const char *before;
    size_t keep, seen, removed;
};

static int prune_one(json_object *item, void *arg, struct sb_err *err)
{
    struct prune *p = arg;
    const char *id = ddb_item_s(item, "id"), *ts = ddb_item_s(item, "timestamp");
    bool old = p->before && ts && strcmp(ts, p->before) < 0;
    bool over = p->keep && p->seen >= p->keep;
    p->seen++;
    if (!id || (!old && !over))
        return SB_OK;
    int rc = delete_message(p->s, id, err);
    if (rc == SB_OK)
        p->removed++;
    return rc;
}

int ddb_prune_messages(struct store *st, const char *customer_id, const char *before, size_t keep,
                       size_t *removed, struct sb_err *err)
{
    struct prune p = {ddb(st), before, keep, 0, 0};
    json_object *req = ddb_req(ddb(st), DDB_MESSAGES);
    int rc;

    if (!customer_id || !*customer_id)
        return sb_err_set(err, SB_EINVAL, "pruning needs a customer id");
    xjson_add(req, "IndexName", xjson(json_object_new_string("userId-index")));
    ddb_expr(req, "KeyConditionExpression", "userId = :k");
    ddb_expr_value(req, ":k", ddb_s(customer_id));
    ddb_expr(req, "ProjectionExpression", "id, #ts");
    ddb_expr_name(req, "#ts", "timestamp");
    xjson_add(req, "ScanIndexForward", xjson(json_object_new_boolean(0)));
    xjson_add(req, "Limit", xjson(json_object_new_int(DDB_HISTORY_PAGE)));
    rc = ddb_each(ddb(st), "Query", req, prune_one, &p, err);
    json_object_put(req);
    *removed = p.removed;
    return rc;
}
