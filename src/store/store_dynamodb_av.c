/* Attribute values: plain JSON <-> DynamoDB's typed shapes, and stored
 * items <-> model records. Records go through their JSON form
 * (customer_to_json / customer_from_json), so the stored item carries the
 * seed's field names and every read is validated like any other input. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

json_object *ddb_s(const char *s)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "S", xjson(json_object_new_string(s ? s : "")));
    return o;
}

json_object *ddb_n(long long n)
{
    char buf[32];
    json_object *o = xjson(json_object_new_object());

    snprintf(buf, sizeof buf, "%lld", n);
    xjson_add(o, "N", xjson(json_object_new_string(buf)));
    return o;
}

static json_object *typed(const char *type, json_object *v)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, type, v);
    return o;
}

json_object *ddb_bool(bool b)
{
    return typed("BOOL", xjson(json_object_new_boolean(b)));
}

json_object *ddb_av_from_json(json_object *v)
{
    char buf[64];

    switch (json_object_get_type(v)) {
    case json_type_null:
        return typed("NULL", xjson(json_object_new_boolean(1)));
    case json_type_boolean:
        return typed("BOOL", xjson(json_object_new_boolean(json_object_get_boolean(v))));
    case json_type_int:
        snprintf(buf, sizeof buf, "%" PRId64, json_object_get_int64(v));
        return typed("N", xjson(json_object_new_string(buf)));
    case json_type_double:
        /* 15 significant digits: 9.99 stays "9.99", not 9.9900000000000002. */
        snprintf(buf, sizeof buf, "%.15g", json_object_get_double(v));
        return typed("N", xjson(json_object_new_string(buf)));
    case json_type_string:
        return typed("S", xjson(json_object_new_string(json_object_get_string(v))));
    case json_type_array: {
        json_object *l = xjson(json_object_new_array());
        size_t i, n = json_object_array_length(v);
        for (i = 0; i < n; i++)
            xjson_push(l, ddb_av_from_json(json_object_array_get_idx(v, i)));
        return typed("L", l);
    }
    case json_type_object: {
        json_object *m = xjson(json_object_new_object());
        json_object_object_foreach(v, key, val)
        {
            xjson_add(m, key, ddb_av_from_json(val));
        }
        return typed("M", m);
    }
    }
    return typed("NULL", xjson(json_object_new_boolean(1)));
}

json_object *ddb_item_from_json(json_object *obj)
{
    json_object *item = xjson(json_object_new_object());

    json_object_object_foreach(obj, key, val)
    {
        if (val && json_object_get_type(val) != json_type_null)
            xjson_add(item, key, ddb_av_from_json(val));
    }
    return item;
}

static json_object *number_to_json(const char *s)
{
    char *end;
    long long ll;

    if (!strpbrk(s, ".eE")) {
        ll = strtoll(s, &end, 10);
        if (*s && !*end)
            return xjson(json_object_new_int64(ll));
    }
    return xjson(json_object_new_double_s(strtod(s, NULL), s));
}

static json_object *av_to_json(json_object *av);

static json_object *list_to_json(json_object *l, bool plain)
{
    json_object *a = xjson(json_object_new_array());
    size_t i, n = json_object_array_length(l);

    for (i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(l, i);
        if (plain)
            xjson_push(a, json_object_get(e));
        else
            xjson_push(a, av_to_json(e));
    }
    return a;
}

/* One AV to plain JSON; unknown shapes become null (and fail validation later). */
static json_object *av_to_json(json_object *av)
{
    json_object_object_foreach(av, type, v)
    {
        if (strcmp(type, "S") == 0)
            return json_object_get(v);
        if (strcmp(type, "N") == 0)
            return number_to_json(json_object_get_string(v));
        if (strcmp(type, "BOOL") == 0)
            return xjson(json_object_new_boolean(json_object_get_boolean(v)));
        if (strcmp(type, "NULL") == 0)
            return NULL;
        if (strcmp(type, "L") == 0)
            return list_to_json(v, false);
        if (strcmp(type, "SS") == 0)
            return list_to_json(v, true);
        if (strcmp(type, "M") == 0)
            return ddb_item_to_json(v);
        break;
    }
    return NULL;
}

json_object *ddb_item_to_json(json_object *item)
{
    json_object *o = xjson(json_object_new_object());

    json_object_object_foreach(item, key, av)
    {
        xjson_add(o, key, av_to_json(av));
    }
    return o;
}

const char *ddb_item_s(json_object *item, const char *key)
{
    json_object *av, *s;

    if (!json_object_object_get_ex(item, key, &av) || !json_object_object_get_ex(av, "S", &s))
        return NULL;
    return json_object_get_string(s);
}

bool ddb_item_n(json_object *item, const char *key, long long *out)
{
    json_object *av, *n;
    char *end;
    const char *s;

    if (!json_object_object_get_ex(item, key, &av) || !json_object_object_get_ex(av, "N", &n))
        return false;
    s = json_object_get_string(n);
    *out = strtoll(s, &end, 10);
    return *s && !*end;
}

typedef int (*from_json_fn)(json_object *o, const char *path, struct model_problems *p, void *out);

/* Decodes item (minus the backend's own attributes in drop) with fn. */
static int decode(json_object *item, const char *what, const char *key, const char *const *drop,
                  from_json_fn fn, void *out, struct sb_err *err)
{
    int rc;
    json_object *o = ddb_item_to_json(item);
    struct model_problems p = {.stored = true};
    const char *id = ddb_item_s(item, key);

    for (; drop && *drop; drop++)
        json_object_object_del(o, *drop);
    rc = fn(o, "", &p, out);
    if (rc != SB_OK) {
        model_problems_to_err(&p, err);
        sb_err_prefix(err, "stored %s %s is corrupt", what, id ? id : "(no key)");
        err->code = SB_ECORRUPT;
        rc = SB_ECORRUPT;
    }
    model_problems_free(&p);
    json_object_put(o);
    return rc;
}

static int customer_json(json_object *o, const char *path, struct model_problems *p, void *out)
{
    return customer_from_json(o, path, p, out);
}

static int level_json(json_object *o, const char *path, struct model_problems *p, void *out)
{
    return service_level_from_json(o, path, p, out);
}

static int capability_json(json_object *o, const char *path, struct model_problems *p, void *out)
{
    return capability_from_json(o, path, p, out);
}

static int message_json(json_object *o, const char *path, struct model_problems *p, void *out)
{
    return message_from_json(o, path, p, out);
}

static int connection_json(json_object *o, const char *path, struct model_problems *p, void *out)
{
    return connection_from_json(o, path, p, out);
}

int ddb_customer_from_item(json_object *item, void *out, struct sb_err *err)
{
    static const char *const drop[] = {"version", "writeMark", DDB_MEMORY_ATTR, NULL};
    long long version = 0;
    int rc = decode(item, "customer", "id", drop, customer_json, out, err);

    if (rc == SB_OK && ddb_item_n(item, "version", &version))
        ((struct customer *)out)->version = version;
    return rc;
}

int ddb_level_from_item(json_object *item, void *out, struct sb_err *err)
{
    return decode(item, "service level", "level", NULL, level_json, out, err);
}

int ddb_capability_from_item(json_object *item, struct capability *out, long long *pos,
                             struct sb_err *err)
{
    static const char *const drop[] = {"level", "pos", NULL};

    if (!ddb_item_n(item, "pos", pos))
        *pos = 0;
    return decode(item, "capability", "level", drop, capability_json, out, err);
}

int ddb_message_from_item(json_object *item, void *out, struct sb_err *err)
{
    return decode(item, "message", "id", NULL, message_json, out, err);
}

int ddb_connection_from_item(json_object *item, void *out, struct sb_err *err)
{
    return decode(item, "connection", "connectionId", NULL, connection_json, out, err);
}
