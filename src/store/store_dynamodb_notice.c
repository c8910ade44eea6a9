/* Cross-instance change notices, so that a device changed through one
 * servicebotd reaches WebSocket clients connected to another.
 *
 * Who is connected where: besides its row in the connections table, every
 * connection has an entry in its customer's presence item
 * "#presence#<customerId>" (same table): attribute "c:<connectionId>" =
 * {instance, ttl}. publish_change reads that one item (a GetItem, however
 * many connections the table holds) instead of scanning the table.
 *
 * Delivery: every instance owns an inbox item "#inbox#<instance>" holding a
 * string set of customer ids. publish ADDs the id to the inbox of each
 * other instance with a live connection of the customer; poll reads its
 * inboxes and DELETEs exactly the ids it read, so an id published between
 * the read and the delete stays for the next poll. Latency is the server's
 * polling interval plus three round trips. Polling also keeps the inbox's
 * "seen" time fresh, so that publishers skip instances that have gone.
 *
 * An instance's names are those its connections were recorded under (the
 * server's "host:port:pid", or store_options.instance for a connection
 * without one), so publisher and poller agree without a handshake, and a
 * process polls only inboxes that someone may write to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

#define PRESENCE_ENTRY "c:"
/* A polling instance marks its inbox "seen" at least this often; inboxes
 * not seen for DDB_INBOX_STALE_S belong to instances that are gone. */
#define DDB_INBOX_BEAT_S  5
#define DDB_INBOX_STALE_S 60

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

void ddb_names_add(struct store_dynamodb *s, const char *name)
{
    pthread_mutex_lock(&s->names_lock);
    if (!strlist_contains(&s->names, name))
        strlist_push(&s->names, name);
    pthread_mutex_unlock(&s->names_lock);
}

static bool is_mine(struct store_dynamodb *s, const char *name)
{
    bool mine;

    pthread_mutex_lock(&s->names_lock);
    mine = strcmp(name, s->instance) == 0 || strlist_contains(&s->names, name);
    pthread_mutex_unlock(&s->names_lock);
    return mine;
}

/* An UpdateItem on the presence item of user_id: "SET #c = :v" or "REMOVE #c". */
static int presence_update(struct store_dynamodb *s, const char *user_id, const char *connection_id,
                           const char *expr, json_object *value, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CONNECTIONS);
    char key[300], attr[300];
    int rc;

    snprintf(key, sizeof key, DDB_PRESENCE_PREFIX "%s", user_id);
    snprintf(attr, sizeof attr, PRESENCE_ENTRY "%s", connection_id);
    xjson_add(req, "Key", ddb_key("connectionId", key));
    ddb_expr(req, "UpdateExpression", expr);
    ddb_expr_name(req, "#c", attr);
    if (value)
        ddb_expr_value(req, ":v", value);
    rc = ddb_call(s->http, "UpdateItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

int ddb_presence_set(struct store_dynamodb *s, const struct connection *c, struct sb_err *err)
{
    const char *inst = c->instance ? c->instance : s->instance;
    json_object *entry, *value;

    ddb_names_add(s, inst);
    entry = xjson(json_object_new_object());
    value = xjson(json_object_new_object());
    xjson_add(entry, "instance", ddb_s(inst));
    xjson_add(entry, "ttl", ddb_n((long long)c->ttl));
    xjson_add(value, "M", entry);
    return presence_update(s, c->user_id, c->connection_id, "SET #c = :v", value, err);
}

int ddb_presence_remove(struct store_dynamodb *s, const char *user_id, const char *connection_id,
                        struct sb_err *err)
{
    return presence_update(s, user_id, connection_id, "REMOVE #c", NULL, err);
}

/* The other instances holding a live connection of customer_id. */
static int instances_to_tell(struct store_dynamodb *s, const char *customer_id, struct strlist *out,
                             struct sb_err *err)
{
    json_object *item = NULL;
    char key[300];
    long long now = (long long)time(NULL), ttl;
    int rc;

    snprintf(key, sizeof key, DDB_PRESENCE_PREFIX "%s", customer_id);
    rc = ddb_get(s, DDB_CONNECTIONS, "connectionId", key, &item, err);
    if (rc != SB_OK || !item)
        return rc;
    json_object_object_foreach(item, name, av)
    {
        json_object *entry;
        const char *inst;
        if (strncmp(name, PRESENCE_ENTRY, strlen(PRESENCE_ENTRY)) != 0 ||
            !json_object_object_get_ex(av, "M", &entry))
            continue;
        inst = ddb_item_s(entry, "instance");
        if (!inst || !*inst || !ddb_item_n(entry, "ttl", &ttl) || ttl <= now || is_mine(s, inst) ||
            strlist_contains(out, inst))
            continue;
        strlist_push(out, inst);
    }
    json_object_put(item);
    return rc;
}

/* An UpdateItem on an instance's inbox: expr uses :ids (a string set made
 * of ids, taken) when ids is not NULL, and :now (epoch seconds). */
static int inbox_update(struct store_dynamodb *s, const char *instance, const char *expr,
                        const char *condition, json_object *ids, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CONNECTIONS);
    char key[300];
    long long now = (long long)time(NULL);
    int rc;

    snprintf(key, sizeof key, DDB_INBOX_PREFIX "%s", instance);
    xjson_add(req, "Key", ddb_key("connectionId", key));
    ddb_expr(req, "UpdateExpression", expr);
    if (ids) {
        json_object *set = xjson(json_object_new_object());
        xjson_add(set, "SS", ids);
        ddb_expr_value(req, ":ids", set);
    }
    if (strstr(expr, ":now") || (condition && strstr(condition, ":now")))
        ddb_expr_value(req, ":now", ddb_n(now));
    if (condition) {
        ddb_expr(req, "ConditionExpression", condition);
        ddb_expr_value(req, ":alive", ddb_n(now - DDB_INBOX_STALE_S));
    }
    rc = ddb_call(s->http, "UpdateItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

int ddb_publish_change(struct store *st, const char *customer_id, struct sb_err *err)
{
    struct store_dynamodb *s = ddb(st);
    struct strlist targets = {0};
    struct sb_err one;
    size_t i;
    int rc = instances_to_tell(s, customer_id, &targets, err), r;

    for (i = 0; i < targets.len && rc == SB_OK; i++) {
        json_object *ids = xjson(json_object_new_array());
        xjson_push(ids, xjson(json_object_new_string(customer_id)));
        /* An instance that stopped polling (crashed, replaced by a deploy)
         * leaves presence entries behind until their ttl: skip its inbox. */
        r = inbox_update(s, targets.items[i], "ADD customers :ids",
                         "attribute_not_exists(seen) OR seen > :alive", ids, &one);
        /* One unreachable inbox must not keep the others from being told. */
        if (r != SB_OK && r != SB_ECONFLICT && rc == SB_OK) {
            rc = r;
            *err = one;
        }
    }
    strlist_free(&targets);
    return rc;
}

/* Moves the ids in one inbox into ids, and says the instance is alive. */
static int poll_inbox(struct store_dynamodb *s, const char *name, bool beat, struct strlist *ids,
                      struct sb_err *err)
{
    json_object *item = NULL, *av, *set = NULL;
    char key[300];
    size_t i, n = 0;
    int rc;

    snprintf(key, sizeof key, DDB_INBOX_PREFIX "%s", name);
    rc = ddb_get(s, DDB_CONNECTIONS, "connectionId", key, &item, err);
    if (rc == SB_OK && item && json_object_object_get_ex(item, "customers", &av) &&
        json_object_object_get_ex(av, "SS", &set))
        n = json_object_array_length(set);
    for (i = 0; i < n && rc == SB_OK; i++) {
        const char *id = json_object_get_string(json_object_array_get_idx(set, i));
        if (!strlist_contains(ids, id))
            strlist_push(ids, id);
    }
    if (rc == SB_OK && n)
        rc = inbox_update(s, name, "DELETE customers :ids SET seen = :now", NULL,
                          json_object_get(set), err);
    else if (rc == SB_OK && beat)
        rc = inbox_update(s, name, "SET seen = :now", NULL, NULL, err);
    json_object_put(item);
    return rc;
}

int ddb_poll_changes(struct store *st, struct strlist *ids, struct sb_err *err)
{
    struct store_dynamodb *s = ddb(st);
    struct strlist names = {0};
    int64_t now = util_monotonic_us() / 1000000;
    bool beat;
    size_t i;
    int rc = SB_OK;

    pthread_mutex_lock(&s->names_lock);
    strlist_copy(&names, &s->names);
    beat = now - s->last_beat >= DDB_INBOX_BEAT_S;
    if (beat)
        s->last_beat = now;
    pthread_mutex_unlock(&s->names_lock);
    for (i = 0; i < names.len && rc == SB_OK; i++)
        rc = poll_inbox(s, names.items[i], beat, ids, err);
    if (rc != SB_OK)
        strlist_free(ids);
    strlist_free(&names);
    return rc;
}
