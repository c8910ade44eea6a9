/* Connections, filtered on ttl at read time (dynalite never expires items
 * and AWS may take hours). Each put and delete also updates the customer's
 * presence item, which change notices read (store_dynamodb_notice.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

int ddb_put_connection(struct store *st, const struct connection *c, struct sb_err *err)
{
    if (!c || ddb_is_reserved(c->connection_id))
        return sb_err_set(err, SB_EINVAL, "a connection id may not be empty or start with '#'");
    json_object *j = connection_to_json(c), *item = ddb_item_from_json(j);
    int rc = ddb_put_item(ddb(st), DDB_CONNECTIONS, item, err);
    json_object_put(item);
    json_object_put(j);
    if (rc == SB_OK)
        rc = ddb_presence_set(ddb(st), c, err);
    return rc;
}

/* Deletes a connection row and its presence entry. */
static int delete_row(struct store_dynamodb *s, const char *id, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CONNECTIONS), *resp = NULL, *old;
    const char *user;
    int rc;

    xjson_add(req, "Key", ddb_key("connectionId", id));
    xjson_add(req, "ReturnValues", xjson(json_object_new_string("ALL_OLD")));
    rc = ddb_call(s->http, "DeleteItem", req, &resp, err);
    if (rc == SB_OK && json_object_object_get_ex(resp, "Attributes", &old) &&
        (user = ddb_item_s(old, "userId")))
        rc = ddb_presence_remove(s, user, id, err);
    json_object_put(resp);
    json_object_put(req);
    return rc;
}

int ddb_delete_connection(struct store *st, const char *id, struct sb_err *err)
{
    if (ddb_is_reserved(id))
        return sb_err_set(err, SB_ENOTFOUND, "no connection %s", id ? id : "(null)");
    if (!*id)
        return SB_OK; /* nothing has an empty id, and DynamoDB refuses one as a key */
    return delete_row(ddb(st), id, err);
}

/* Live connections (ttl in the future), of one user or (user_id NULL) all. */
static int scan_live(struct store_dynamodb *s, const char *user_id, struct connection **out,
                     size_t *n, struct sb_err *err)
{
    struct ddb_list l = {
        NULL, 0, sizeof(struct connection), "connectionId", ddb_connection_from_item, NULL};
    json_object *req = ddb_req(s, DDB_CONNECTIONS);
    int rc;

    xjson_add(req, "ConsistentRead", xjson(json_object_new_boolean(1)));
    ddb_expr_name(req, "#ttl", "ttl");
    ddb_expr_value(req, ":now", ddb_n((long long)time(NULL)));
    if (user_id) {
        ddb_expr(req, "FilterExpression", "userId = :u AND #ttl > :now");
        ddb_expr_value(req, ":u", ddb_s(user_id));
    } else {
        ddb_expr(req, "FilterExpression", "attribute_exists(userId) AND #ttl > :now");
    }
    rc = ddb_each(s, "Scan", req, ddb_collect, &l, err);
    json_object_put(req);
    if (rc != SB_OK) {
        connections_free(l.items, l.len);
        return rc;
    }
    *out = l.items;
    *n = l.len;
    return SB_OK;
}

int ddb_list_connections(struct store *st, const char *user_id, struct connection **out, size_t *n,
                         struct sb_err *err)
{
    return scan_live(ddb(st), user_id, out, n, err);
}

struct expiry {
    struct store_dynamodb *s;
    size_t removed;
};

static int delete_expired(json_object *item, void *arg, struct sb_err *err)
{
    struct expiry *e = arg;
    const char *id = ddb_item_s(item, "connectionId");
    int rc;

    if (ddb_is_reserved(id))
        return SB_OK;
    rc = delete_row(e->s, id, err);
    if (rc == SB_OK)
        e->removed++;
    return rc;
}

int ddb_expire_connections(struct store *st, int64_t now, size_t *removed, struct sb_err *err)
{
    struct expiry e = {ddb(st), 0};
    json_object *req = ddb_req(ddb(st), DDB_CONNECTIONS);
    int rc;

    ddb_expr(req, "FilterExpression", "#ttl <= :now");
    ddb_expr(req, "ProjectionExpression", "connectionId");
    ddb_expr_name(req, "#ttl", "ttl");
    ddb_expr_value(req, ":now", ddb_n((long long)now));
    rc = ddb_each(ddb(st), "Scan", req, delete_expired, &e, err);
    json_object_put(req);
    if (removed)
        *removed = e.removed;
    return rc;
}
