/* The seed's four tables: names, definitions, creation (idempotent, waits
 * until the tables and their indexes are ACTIVE) and the existence check
 * done on open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jsonx.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

#define DDB_ACTIVE_WAIT_MS 60000

struct table_def {
    const char *suffix;
    const char *key;
    const char *const *indexes; /* GSI partition keys, each with sort key "timestamp" */
};

static const char *const message_indexes[] = {"conversationId", "userId", NULL};

static const struct table_def tables[DDB_N_TABLES] = {
    [DDB_CUSTOMERS] = {"customers", "id", NULL},
    [DDB_LEVELS] = {"service-levels", "level", NULL},
    [DDB_MESSAGES] = {"messages", "id", message_indexes},
    [DDB_CONNECTIONS] = {"connections", "connectionId", NULL},
};

void ddb_tables_init(struct store_dynamodb *s, const char *env)
{
    for (int t = 0; t < DDB_N_TABLES; t++)
        s->table[t] = xasprintf("%s-%s", env, tables[t].suffix);
}

static json_object *key_schema(const char *hash, const char *range)
{
    json_object *ks = xjson(json_object_new_array());
    json_object *h = xjson(json_object_new_object());

    xjson_add(h, "AttributeName", xjson(json_object_new_string(hash)));
    xjson_add(h, "KeyType", xjson(json_object_new_string("HASH")));
    xjson_push(ks, h);
    if (range) {
        json_object *r = xjson(json_object_new_object());
        xjson_add(r, "AttributeName", xjson(json_object_new_string(range)));
        xjson_add(r, "KeyType", xjson(json_object_new_string("RANGE")));
        xjson_push(ks, r);
    }
    return ks;
}

static void add_attr_def(json_object *defs, const char *name)
{
    json_object *d = xjson(json_object_new_object());

    xjson_add(d, "AttributeName", xjson(json_object_new_string(name)));
    xjson_add(d, "AttributeType", xjson(json_object_new_string("S")));
    xjson_push(defs, d);
}

/* The CreateTable request for one table (on-demand billing). */
static json_object *create_request(struct store_dynamodb *s, int t)
{
    const struct table_def *def = &tables[t];
    json_object *req = ddb_req(s, t);
    json_object *defs = xjson(json_object_new_array());
    const char *const *ix;

    add_attr_def(defs, def->key);
    xjson_add(req, "KeySchema", key_schema(def->key, NULL));
    xjson_add(req, "BillingMode", xjson(json_object_new_string("PAY_PER_REQUEST")));
    if (def->indexes) {
        json_object *gsis = xjson(json_object_new_array());
        add_attr_def(defs, "timestamp");
        for (ix = def->indexes; *ix; ix++) {
            json_object *g = xjson(json_object_new_object());
            json_object *proj = xjson(json_object_new_object());
            char name[64];
            snprintf(name, sizeof name, "%s-index", *ix);
            add_attr_def(defs, *ix);
            xjson_add(g, "IndexName", xjson(json_object_new_string(name)));
            xjson_add(g, "KeySchema", key_schema(*ix, "timestamp"));
            xjson_add(proj, "ProjectionType", xjson(json_object_new_string("ALL")));
            xjson_add(g, "Projection", proj);
            xjson_push(gsis, g);
        }
        xjson_add(req, "GlobalSecondaryIndexes", gsis);
    }
    xjson_add(req, "AttributeDefinitions", defs);
    return req;
}

/* Whether a DescribeTable answer shows the table and all its indexes ACTIVE. */
static bool all_active(json_object *resp)
{
    json_object *table, *gsis;
    const char *status;
    size_t i, n;

    if (!json_object_object_get_ex(resp, "Table", &table))
        return false;
    status = jsonx_get_string(table, "TableStatus");
    if (!status || strcmp(status, "ACTIVE") != 0)
        return false;
    if (!json_object_object_get_ex(table, "GlobalSecondaryIndexes", &gsis))
        return true;
    n = json_object_array_length(gsis);
    for (i = 0; i < n; i++) {
        status = jsonx_get_string(json_object_array_get_idx(gsis, i), "IndexStatus");
        if (!status || strcmp(status, "ACTIVE") != 0)
            return false;
    }
    return true;
}

static int describe(struct store_dynamodb *s, int t, bool *active, struct sb_err *err)
{
    json_object *req = ddb_req(s, t), *resp = NULL;
    int rc = ddb_call(s->http, "DescribeTable", req, &resp, err);

    if (rc == SB_OK)
        *active = all_active(resp);
    json_object_put(resp);
    json_object_put(req);
    return rc;
}

int ddb_tables_check(struct store_dynamodb *s, struct sb_err *err)
{
    int t, rc;
    bool active;

    for (t = 0; t < DDB_N_TABLES; t++) {
        rc = describe(s, t, &active, err);
        if (rc == SB_ENOTFOUND)
            return sb_err_set(err, rc,
                              "table %s does not exist: run servicebotd migrate --store dynamodb "
                              "--env %s",
                              s->table[t], s->env);
        if (rc != SB_OK)
            return rc;
    }
    return SB_OK;
}

/* TTL on the connections table, unless it is on already. This works on
 * AWS only: dynalite has no UpdateTimeToLive and never expires anything,
 * which is why reads filter on ttl as well. */
static void ensure_ttl(struct store_dynamodb *s)
{
    json_object *req = ddb_req(s, DDB_CONNECTIONS), *resp = NULL, *desc;
    json_object *spec;
    const char *status = NULL;
    struct sb_err err;

    if (ddb_call(s->http, "DescribeTimeToLive", req, &resp, &err) == SB_OK &&
        json_object_object_get_ex(resp, "TimeToLiveDescription", &desc))
        status = jsonx_get_string(desc, "TimeToLiveStatus");
    if (status && (strcmp(status, "ENABLED") == 0 || strcmp(status, "ENABLING") == 0))
        goto out;
    spec = xjson(json_object_new_object());
    xjson_add(spec, "Enabled", xjson(json_object_new_boolean(1)));
    xjson_add(spec, "AttributeName", xjson(json_object_new_string("ttl")));
    xjson_add(req, "TimeToLiveSpecification", spec);
    if (ddb_call(s->http, "UpdateTimeToLive", req, NULL, &err) != SB_OK)
        log_kv(LOG_INFO, "dynamodb ttl not enabled (connections are filtered on read)", "table",
               s->table[DDB_CONNECTIONS], "reason", err.msg, NULL);
out:
    json_object_put(resp);
    json_object_put(req);
}

static int wait_active(struct store_dynamodb *s, int t, struct sb_err *err)
{
    int rc, waited = 0;
    bool active = false;
    struct timespec ts = {0, 100 * 1000000L};

    for (;;) {
        rc = describe(s, t, &active, err);
        if (rc != SB_OK || active)
            return rc;
        if (waited >= DDB_ACTIVE_WAIT_MS)
            return sb_err_set(err, SB_EUNAVAIL, "table %s is not ACTIVE after %d s", s->table[t],
                              DDB_ACTIVE_WAIT_MS / 1000);
        nanosleep(&ts, NULL);
        waited += 100;
    }
}

int ddb_tables_create(struct store_dynamodb *s, struct sb_err *err)
{
    int t, rc = SB_OK;
    bool active;

    for (t = 0; t < DDB_N_TABLES && rc == SB_OK; t++) {
        json_object *req;
        if (describe(s, t, &active, err) == SB_OK)
            continue;
        req = create_request(s, t);
        rc = ddb_call(s->http, "CreateTable", req, NULL, err);
        json_object_put(req);
        /* Another process may have created it in between: that is fine. */
        if (rc == SB_EINVAL || rc == SB_EINTERNAL)
            rc = describe(s, t, &active, err) == SB_OK ? SB_OK : rc;
        if (rc == SB_OK)
            log_kv(LOG_INFO, "dynamodb table created", "table", s->table[t], NULL);
    }
    for (t = 0; t < DDB_N_TABLES && rc == SB_OK; t++)
        rc = wait_active(s, t, err);
    if (rc == SB_OK)
        ensure_ttl(s);
    return rc;
}
