/* API tokens in the DynamoDB backend: {env}-customers items keyed
 * "#token#<hash>" (the seed has no tokens table) carrying the public
 * tokenId, customerId or admin, created, lastUsed and expires. Listing and
 * revoking by id scan those items: tokens are few and these are admin
 * commands, while the per-request lookup is a GetItem by hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

static void token_key(char *key, size_t n, const char *hash)
{
    snprintf(key, n, DDB_TOKEN_PREFIX "%s", hash);
}

static char *dup_attr(json_object *item, const char *name)
{
    const char *v = ddb_item_s(item, name);
    return v ? xstrdup(v) : NULL;
}

static void token_from_item(json_object *item, struct token_info *t)
{
    memset(t, 0, sizeof(*t));
    t->id = dup_attr(item, "tokenId");
    t->customer_id = dup_attr(item, "customerId");
    t->created = dup_attr(item, "created");
    t->last_used = dup_attr(item, "lastUsed");
    t->expires = dup_attr(item, "expires");
    if (!t->id) /* stored before tokens had ids: listing gives it one */
        t->id = xstrdup("");
}

static int found_admin(json_object *item, void *arg, struct sb_err *err)
{
    *(bool *)arg = true;
    return DDB_STOP;
}

/* A consistent Scan of the token items, with an extra filter when given. */
static json_object *token_scan(struct store_dynamodb *s, const char *filter)
{
    json_object *req = ddb_req(s, DDB_CUSTOMERS);
    char expr[200];
    snprintf(expr, sizeof expr, "begins_with(id, :p)%s%s", filter ? " AND " : "",
             filter ? filter : "");
    xjson_add(req, "ConsistentRead", xjson(json_object_new_boolean(1)));
    ddb_expr(req, "FilterExpression", expr);
    ddb_expr_value(req, ":p", ddb_s(DDB_TOKEN_PREFIX));
    return req;
}

int ddb_has_admin_token(struct store *st, bool *out, struct sb_err *err)
{
    json_object *req = token_scan(ddb(st), "#admin = :t");
    int rc;

    *out = false;
    ddb_expr_name(req, "#admin", "admin");
    ddb_expr_value(req, ":t", ddb_bool(true));
    rc = ddb_each(ddb(st), "Scan", req, found_admin, out, err);
    json_object_put(req);
    return rc;
}

/* Appends ", item" (or the first item) to a comma-separated list. */
static void list_add(char *list, size_t n, const char *item)
{
    size_t len = strlen(list);
    snprintf(list + len, n - len, "%s%s", len ? ", " : "", item);
}

int ddb_add_token(struct store *st, const char *hash, const struct token_info *t,
                  struct sb_err *err)
{
    json_object *req = ddb_req(ddb(st), DDB_CUSTOMERS);
    /* An existing item keeps its id and creation time. */
    char key[200], expr[400], rm[64] = "",
                              set[300] = "tokenId = if_not_exists(tokenId, :id), "
                                         "created = if_not_exists(created, :c), #admin = :adm";
    int rc;

    if (t->customer_id)
        list_add(set, sizeof set, "customerId = :cust");
    else
        list_add(rm, sizeof rm, "customerId");
    if (t->expires)
        list_add(set, sizeof set, "expires = :exp");
    else
        list_add(rm, sizeof rm, "expires");
    snprintf(expr, sizeof expr, "SET %s%s%s", set, *rm ? " REMOVE " : "", rm);
    token_key(key, sizeof key, hash);
    xjson_add(req, "Key", ddb_key("id", key));
    ddb_expr(req, "UpdateExpression", expr);
    ddb_expr_name(req, "#admin", "admin");
    ddb_expr_value(req, ":id", ddb_s(t->id));
    ddb_expr_value(req, ":c", ddb_s(t->created));
    ddb_expr_value(req, ":adm", ddb_bool(t->customer_id == NULL));
    if (t->customer_id)
        ddb_expr_value(req, ":cust", ddb_s(t->customer_id));
    if (t->expires)
        ddb_expr_value(req, ":exp", ddb_s(t->expires));
    rc = ddb_call(ddb(st)->http, "UpdateItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

int ddb_find_token(struct store *st, const char *hash, struct token_info *out, struct sb_err *err)
{
    json_object *item = NULL;
    char key[200];
    int rc;

    token_key(key, sizeof key, hash);
    rc = ddb_get(ddb(st), DDB_CUSTOMERS, "id", key, &item, err);
    if (rc == SB_OK && !item)
        rc = sb_err_set(err, SB_ENOTFOUND, "unknown token");
    if (rc == SB_OK)
        token_from_item(item, out);
    json_object_put(item);
    return rc;
}

struct token_list {
    struct store_dynamodb *s;
    struct token_info *items;
    size_t n;
};

/* A token stored before tokens had ids gets one (and a creation time) the
 * first time it is listed, as SQLite's migration gives its rows; *fixed is
 * the item as it now is (a new reference). */
static int give_id(struct store_dynamodb *s, json_object *item, json_object **fixed,
                   struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CUSTOMERS), *resp = NULL, *attrs;
    char id[UTIL_ID_LEN], now[UTIL_TIMESTAMP_LEN];
    const char *key = ddb_item_s(item, "id");
    int rc;

    util_new_id("tok", id, sizeof id);
    util_timestamp_now(now, sizeof now);
    xjson_add(req, "Key", ddb_key("id", key ? key : ""));
    ddb_expr(req, "UpdateExpression",
             "SET tokenId = if_not_exists(tokenId, :id), created = if_not_exists(created, :c)");
    ddb_expr(req, "ConditionExpression", "attribute_exists(id)");
    ddb_expr_value(req, ":id", ddb_s(id));
    ddb_expr_value(req, ":c", ddb_s(now));
    xjson_add(req, "ReturnValues", xjson(json_object_new_string("ALL_NEW")));
    rc = ddb_call(s->http, "UpdateItem", req, &resp, err);
    if (rc == SB_OK && json_object_object_get_ex(resp, "Attributes", &attrs))
        *fixed = json_object_get(attrs);
    else if (rc == SB_OK)
        rc = sb_err_set(err, SB_EINTERNAL, "giving token %s an id: no item came back", key);
    json_object_put(resp);
    json_object_put(req);
    return rc;
}

static int collect_token(json_object *item, void *arg, struct sb_err *err)
{
    struct token_list *l = arg;
    json_object *fixed = NULL;
    int rc = SB_OK;
    ddb_grow((void **)&l->items, l->n, sizeof(*l->items));
    if (!ddb_item_s(item, "tokenId") && l->s)
        rc = give_id(l->s, item, &fixed, err);
    if (rc == SB_ECONFLICT) /* revoked while listed */
        return SB_OK;
    if (rc == SB_OK)
        token_from_item(fixed ? fixed : item, &l->items[l->n++]);
    json_object_put(fixed);
    return rc;
}

/* Oldest first, as SQLite lists them (a Scan has no order). */
static int by_created(const void *a, const void *b)
{
    const struct token_info *x = a, *y = b;
    int c = strcmp(x->created ? x->created : "", y->created ? y->created : "");
    return c ? c : strcmp(x->id, y->id);
}

static int scan_tokens(struct store_dynamodb *s, json_object *req, struct token_list *l,
                       struct sb_err *err)
{
    int rc = ddb_each(s, "Scan", req, collect_token, l, err);
    if (rc != SB_OK) {
        token_infos_free(l->items, l->n);
        l->items = NULL;
        l->n = 0;
    }
    return rc;
}

int ddb_list_tokens(struct store *st, struct token_info **out, size_t *n, struct sb_err *err)
{
    json_object *req = token_scan(ddb(st), NULL);
    struct token_list l = {.s = ddb(st)};
    int rc = scan_tokens(ddb(st), req, &l, err);
    json_object_put(req);
    if (rc == SB_OK && l.n)
        qsort(l.items, l.n, sizeof(*l.items), by_created);
    *out = l.items;
    *n = l.n;
    return rc;
}

/* The token with a given id, found by a scan: its item key and record. */
struct id_match {
    char *key;
    struct token_info info;
    bool found;
};

static int match_id(json_object *item, void *arg, struct sb_err *err)
{
    struct id_match *m = arg;
    const char *key = ddb_item_s(item, "id");
    if (!key)
        return sb_err_set(err, SB_EINTERNAL, "a token item has no key");
    m->key = xstrdup(key);
    token_from_item(item, &m->info);
    m->found = true;
    return DDB_STOP;
}

int ddb_revoke_token(struct store *st, const char *id, struct token_info *out, struct sb_err *err)
{
    json_object *req = token_scan(ddb(st), "tokenId = :tid");
    struct id_match m = {0};
    int rc;

    ddb_expr_value(req, ":tid", ddb_s(id));
    rc = ddb_each(ddb(st), "Scan", req, match_id, &m, err);
    json_object_put(req);
    if (rc == SB_OK && !m.found)
        rc = sb_err_set(err, SB_ENOTFOUND, "no token %s", id);
    if (rc == SB_OK) {
        req = ddb_req(ddb(st), DDB_CUSTOMERS);
        xjson_add(req, "Key", ddb_key("id", m.key));
        ddb_expr(req, "ConditionExpression", "attribute_exists(id)");
        rc = ddb_call(ddb(st)->http, "DeleteItem", req, NULL, err);
        json_object_put(req);
        if (rc == SB_ECONFLICT) /* revoked by someone else meanwhile */
            rc = sb_err_set(err, SB_ENOTFOUND, "no token %s", id);
    }
    free(m.key);
    if (rc == SB_OK)
        *out = m.info;
    else
        token_info_free(&m.info);
    return rc;
}

int ddb_touch_token(struct store *st, const char *hash, const char *when, struct sb_err *err)
{
    json_object *req = ddb_req(ddb(st), DDB_CUSTOMERS);
    char key[200];
    int rc;

    token_key(key, sizeof key, hash);
    xjson_add(req, "Key", ddb_key("id", key));
    ddb_expr(req, "UpdateExpression", "SET lastUsed = :t");
    ddb_expr(req, "ConditionExpression", "attribute_exists(id)");
    ddb_expr_value(req, ":t", ddb_s(when));
    rc = ddb_call(ddb(st)->http, "UpdateItem", req, NULL, err);
    json_object_put(req);
    /* a token revoked since it was read must not come back as a stub */
    return rc == SB_ECONFLICT ? SB_OK : rc;
}
