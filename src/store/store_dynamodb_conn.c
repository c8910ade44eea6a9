/* Connections (filtered on ttl at read time: dynalite never expires items
 * and AWS may take hours) and cross-instance change notices.
 *
 * Notices: every instance owns an inbox item "#inbox#<instance>" in the
 * connections table holding a string set of customer ids. publish_change
 * finds the instances holding a connection of the customer (the connections
 * table records who is connected where) and ADDs the id to each one's set;
 * poll_changes reads its own inbox and DELETEs exactly the ids it read, so an
 * id published between the read and the delete stays for the next poll.
 * Latency is the server's polling interval plus two round trips.
 *
 * An instance's name is whatever its connections were recorded under (the
 * server's "host:port:pid"), plus the configured store_options.instance, so
 * publisher and poller agree without a separate handshake. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jsonx.h"
#include "store/store_dynamodb_int.h"

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

int ddb_names_add(struct store_dynamodb *s, const char *name, struct sb_err *err)
{
    int rc = SB_OK;

    pthread_mutex_lock(&s->names_lock);
    if (!strlist_contains(&s->names, name) && strlist_push(&s->names, name) != SB_OK)
        rc = sb_err_set(err, SB_EINTERNAL, "out of memory");
    pthread_mutex_unlock(&s->names_lock);
    return rc;
}

static bool is_mine(struct store_dynamodb *s, const char *name)
{
    bool mine;

    pthread_mutex_lock(&s->names_lock);
    mine = strcmp(name, s->instance) == 0 || strlist_contains(&s->names, name);
    pthread_mutex_unlock(&s->names_lock);
    return mine;
}

int ddb_put_connection(struct store *st, const struct connection *c, struct sb_err *err)
{
    json_object *req, *j;
    int rc;

    if (!c || ddb_is_reserved(c->connection_id))
        return sb_err_set(err, SB_EINVAL, "a connection id may not be empty or start with '#'");
    if (c->instance && (rc = ddb_names_add(ddb(st), c->instance, err)) != SB_OK)
        return rc;
    req = ddb_req(ddb(st), DDB_CONNECTIONS);
    j = connection_to_json(c);
    json_object_object_add(req, "Item", ddb_item_from_json(j));
    rc = ddb_call(ddb(st)->http, "PutItem", req, NULL, err);
    json_object_put(j);
    json_object_put(req);
    return rc;
}

int ddb_delete_connection(struct store *st, const char *id, struct sb_err *err)
{
    json_object *req;
    int rc;

    if (ddb_is_reserved(id))
        return sb_err_set(err, SB_ENOTFOUND, "connection %s not found", id ? id : "(null)");
    req = ddb_req(ddb(st), DDB_CONNECTIONS);
    json_object_object_add(req, "Key", ddb_key("connectionId", id));
    rc = ddb_call(ddb(st)->http, "DeleteItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

/* Live connections (ttl in the future), of one user or (user_id NULL) all. */
static int scan_live(struct store_dynamodb *s, const char *user_id, struct connection **out,
                     size_t *n, struct sb_err *err)
{
    struct ddb_list l = {NULL, 0, sizeof(struct connection), "connectionId",
                         ddb_connection_from_item};
    json_object *req = ddb_req(s, DDB_CONNECTIONS);
    int rc;

    json_object_object_add(req, "ConsistentRead", json_object_new_boolean(1));
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
    json_object *req;
    int rc;

    if (ddb_is_reserved(id))
        return SB_OK;
    req = ddb_req(e->s, DDB_CONNECTIONS);
    json_object_object_add(req, "Key", ddb_key("connectionId", id));
    rc = ddb_call(e->s->http, "DeleteItem", req, NULL, err);
    json_object_put(req);
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

/* ADD or DELETE customer ids in an instance's inbox set. */
static int inbox_update(struct store_dynamodb *s, const char *instance, const char *verb,
                        json_object *ids, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CONNECTIONS);
    json_object *set = json_object_new_object();
    char key[300], expr[64];
    int rc;

    snprintf(key, sizeof key, DDB_INBOX_PREFIX "%s", instance);
    snprintf(expr, sizeof expr, "%s customers :ids", verb);
    json_object_object_add(set, "SS", ids);
    json_object_object_add(req, "Key", ddb_key("connectionId", key));
    ddb_expr(req, "UpdateExpression", expr);
    ddb_expr_value(req, ":ids", set);
    rc = ddb_call(s->http, "UpdateItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

int ddb_publish_change(struct store *st, const char *customer_id, struct sb_err *err)
{
    struct store_dynamodb *s = ddb(st);
    struct connection *c = NULL;
    size_t i, k, n = 0;
    int rc = scan_live(s, customer_id, &c, &n, err);

    for (i = 0; i < n && rc == SB_OK; i++) {
        const char *inst = c[i].instance;
        bool seen = false;
        json_object *ids;
        if (!inst || is_mine(s, inst))
            continue;
        for (k = 0; k < i && !seen; k++)
            seen = c[k].instance && strcmp(c[k].instance, inst) == 0;
        if (seen)
            continue;
        ids = json_object_new_array();
        json_object_array_add(ids, json_object_new_string(customer_id));
        rc = inbox_update(s, inst, "ADD", ids, err);
    }
    connections_free(c, n);
    return rc;
}

/* Moves the ids in one inbox into ids. */
static int poll_inbox(struct store_dynamodb *s, const char *name, struct strlist *ids,
                      struct sb_err *err)
{
    json_object *item = NULL, *av, *set;
    char key[300];
    size_t i, n;
    int rc;

    snprintf(key, sizeof key, DDB_INBOX_PREFIX "%s", name);
    rc = ddb_get(s, DDB_CONNECTIONS, "connectionId", key, &item, err);
    if (rc != SB_OK || !item || !json_object_object_get_ex(item, "customers", &av) ||
        !json_object_object_get_ex(av, "SS", &set))
        goto out;
    n = json_object_array_length(set);
    for (i = 0; i < n && rc == SB_OK; i++) {
        const char *id = json_object_get_string(json_object_array_get_idx(set, i));
        if (!strlist_contains(ids, id) && strlist_push(ids, id) != SB_OK)
            rc = sb_err_set(err, SB_EINTERNAL, "out of memory");
    }
    if (rc == SB_OK && n)
        rc = inbox_update(s, name, "DELETE", json_object_get(set), err);
out:
    json_object_put(item);
    return rc;
}

int ddb_poll_changes(struct store *st, struct strlist *ids, struct sb_err *err)
{
    struct store_dynamodb *s = ddb(st);
    struct strlist names = {0};
    size_t i;
    int rc;

    pthread_mutex_lock(&s->names_lock);
    rc = strlist_copy(&names, &s->names);
    pthread_mutex_unlock(&s->names_lock);
    if (rc != SB_OK)
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    for (i = 0; i < names.len && rc == SB_OK; i++)
        rc = poll_inbox(s, names.items[i], ids, err);
    if (rc != SB_OK)
        strlist_free(ids);
    strlist_free(&names);
    return rc;
}
