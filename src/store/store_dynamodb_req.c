/* Request helpers shared by the DynamoDB operation files: request skeletons,
 * a strongly consistent GetItem, and Scan/Query paging. */
#include <stdlib.h>
#include <string.h>

#include "store/store_dynamodb_impl.h"
#include "common/xalloc.h"

json_object *ddb_req(struct store_dynamodb *s, enum ddb_table t)
{
    json_object *req = xjson(json_object_new_object());

    xjson_add(req, "TableName", xjson(json_object_new_string(s->table[t])));
    return req;
}

int ddb_put_item(struct store_dynamodb *s, enum ddb_table t, json_object *item, struct sb_err *err)
{
    json_object *req = ddb_req(s, t);
    xjson_add(req, "Item", json_object_get(item));
    int rc = ddb_call(s->http, "PutItem", req, NULL, err);
    json_object_put(req);
    return rc;
}

json_object *ddb_key(const char *name, const char *value)
{
    json_object *key = xjson(json_object_new_object());

    xjson_add(key, name, ddb_s(value));
    return key;
}

int ddb_get(struct store_dynamodb *s, enum ddb_table t, const char *key, const char *value,
            json_object **item, struct sb_err *err)
{
    json_object *req = ddb_req(s, t), *resp = NULL, *found;
    int rc;

    *item = NULL;
    xjson_add(req, "Key", ddb_key(key, value));
    xjson_add(req, "ConsistentRead", xjson(json_object_new_boolean(1)));
    rc = ddb_call(s->http, "GetItem", req, &resp, err);
    if (rc == SB_OK && json_object_object_get_ex(resp, "Item", &found))
        *item = json_object_get(found);
    json_object_put(resp);
    json_object_put(req);
    return rc;
}

int ddb_get_record(struct store_dynamodb *s, enum ddb_table t, const char *key, const char *value,
                   const char *what, ddb_decode_fn decode, void *out, struct sb_err *err)
{
    json_object *item = NULL;
    int rc;

    /* DynamoDB refuses an empty key; no record has one. */
    if (ddb_is_reserved(value) || !*value)
        return sb_err_set(err, SB_ENOTFOUND, "no %s %s", what, value && *value ? value : "(empty)");
    rc = ddb_get(s, t, key, value, &item, err);
    if (rc == SB_OK && !item)
        rc = sb_err_set(err, SB_ENOTFOUND, "no %s %s", what, value);
    if (rc == SB_OK)
        rc = decode(item, out, err);
    json_object_put(item);
    return rc;
}

int ddb_collect(json_object *item, void *list, struct sb_err *err)
{
    struct ddb_list *l = list;
    char *slot;
    int rc;

    if (ddb_is_reserved(ddb_item_s(item, l->key)))
        return SB_OK;
    ddb_grow(&l->items, l->len, l->size);
    slot = (char *)l->items + l->len * l->size;
    memset(slot, 0, l->size);
    struct sb_err derr = {0};
    rc = l->decode(item, slot, &derr);
    if (rc == SB_ECORRUPT && l->skipped) {
        strlist_push(l->skipped, derr.msg);
        return SB_OK;
    }
    if (rc == SB_OK)
        l->len++;
    else if (err)
        *err = derr;
    return rc;
}

int ddb_each(struct store_dynamodb *s, const char *op, json_object *req, ddb_item_fn fn, void *arg,
             struct sb_err *err)
{
    int rc;
    json_object *resp = NULL, *items, *last;
    size_t i, n;

    for (;;) {
        rc = ddb_call(s->http, op, req, &resp, err);
        if (rc != SB_OK)
            goto out;
        if (json_object_object_get_ex(resp, "Items", &items)) {
            n = json_object_array_length(items);
            for (i = 0; i < n; i++) {
                rc = fn(json_object_array_get_idx(items, i), arg, err);
                if (rc == DDB_STOP) {
                    rc = SB_OK;
                    goto out;
                }
                if (rc != SB_OK)
                    goto out;
            }
        }
        if (!json_object_object_get_ex(resp, "LastEvaluatedKey", &last))
            break;
        xjson_add(req, "ExclusiveStartKey", json_object_get(last));
        json_object_put(resp);
        resp = NULL;
    }
    rc = SB_OK;
out:
    json_object_put(resp);
    return rc;
}

bool ddb_is_reserved(const char *key)
{
    return !key || key[0] == DDB_RESERVED_PREFIX;
}

/* Adds {"#name": "name"} / {":name": value} pairs to req's expression maps. */
void ddb_expr_name(json_object *req, const char *placeholder, const char *name)
{
    json_object *names;

    if (!json_object_object_get_ex(req, "ExpressionAttributeNames", &names)) {
        names = xjson(json_object_new_object());
        xjson_add(req, "ExpressionAttributeNames", names);
    }
    xjson_add(names, placeholder, xjson(json_object_new_string(name)));
}

void ddb_expr_value(json_object *req, const char *placeholder, json_object *av)
{
    json_object *values;

    if (!json_object_object_get_ex(req, "ExpressionAttributeValues", &values)) {
        values = xjson(json_object_new_object());
        xjson_add(req, "ExpressionAttributeValues", values);
    }
    xjson_add(values, placeholder, av);
}

void ddb_expr(json_object *req, const char *field, const char *expression)
{
    xjson_add(req, field, xjson(json_object_new_string(expression)));
}

/* Makes room for element n; capacities run 8, 16, 32, ... so they follow from n. */
void ddb_grow(void **items, size_t n, size_t size)
{
    size_t cap = 8;

    while (cap < n)
        cap *= 2;
    if (n == 0 || n == cap)
        *items = xrealloc(*items, (n ? cap * 2 : cap) * size);
}
