/* Level lookups and the denial/limit objects. */
#include "engine/policy.h"

#include "common/jsonx.h"
#include "common/xalloc.h"

#include <stdio.h>
#include <string.h>

int policy_load(struct store *st, struct policy *p, struct sb_err *err)
{
    memset(p, 0, sizeof *p);
    int rc = store_snapshot_get(st, &p->snap, err);
    if (rc != SB_OK)
        return rc;
    p->levels = p->snap->levels;
    p->n_levels = p->snap->n_levels;
    p->caps = p->snap->caps;
    p->n_caps = p->snap->n_caps;
    return SB_OK;
}

void policy_free(struct policy *p)
{
    store_snapshot_release(p->snap);
    memset(p, 0, sizeof *p);
}

const struct service_level *policy_level(const struct policy *p, const char *level)
{
    for (size_t i = 0; level && i < p->n_levels; i++)
        if (strcmp(p->levels[i].level, level) == 0)
            return &p->levels[i];
    return NULL;
}

bool policy_allows(const struct service_level *l, const char *action)
{
    return l && strlist_contains(&l->allowed_actions, action);
}

const struct service_level *policy_upgrade(const struct policy *p, const struct service_level *cur,
                                           const char *action)
{
    const struct service_level *best = NULL;
    for (size_t i = 0; i < p->n_levels; i++) {
        const struct service_level *l = &p->levels[i];
        if (l->rank > cur->rank && policy_allows(l, action) && (!best || l->rank < best->rank))
            best = l;
    }
    return best;
}

const char *policy_action_name(const struct policy *p, const char *action)
{
    for (size_t i = 0; i < p->n_caps; i++)
        if (p->caps[i].action && strcmp(p->caps[i].action, action) == 0 && p->caps[i].name)
            return p->caps[i].name;
    return action;
}

/* A price as a JSON number written with exactly two decimals (9.99). */
static json_object *price_json(const struct service_level *l)
{
    char buf[32];
    if (!l)
        return NULL;
    snprintf(buf, sizeof buf, "%d.%02d", l->price_cents / 100, l->price_cents % 100);
    return xjson(json_object_new_double_s(l->price_cents / 100.0, buf));
}

json_object *policy_denial(const struct policy *p, const struct service_level *cur,
                           const char *action)
{
    const struct service_level *up = policy_upgrade(p, cur, action);
    json_object *o = xjson(json_object_new_object());
    json_object *ids = xjson(json_object_new_array()), *names = xjson(json_object_new_array());
    xjson_add_lit(o, "action", xjson(json_object_new_string(action)));
    xjson_add_lit(o, "actionName", xjson(json_object_new_string(policy_action_name(p, action))));
    xjson_add_lit(o, "currentLevel", xjson(json_object_new_string(cur->level)));
    xjson_add_lit(o, "currentLevelName", jsonx_string_or_null(cur->name));
    xjson_add_lit(o, "requiredLevel", up ? xjson(json_object_new_string(up->level)) : NULL);
    xjson_add_lit(o, "requiredLevelName", up ? jsonx_string_or_null(up->name) : NULL);
    xjson_add_lit(o, "price", price_json(up));
    for (size_t i = 0; i < cur->allowed_actions.len; i++) {
        const char *a = cur->allowed_actions.items[i];
        xjson_push(ids, xjson(json_object_new_string(a)));
        xjson_push(names, xjson(json_object_new_string(policy_action_name(p, a))));
    }
    xjson_add_lit(o, "allowedActions", ids);
    xjson_add_lit(o, "allowedActionNames", names);
    return o;
}

json_object *policy_limit(const struct policy *p, const struct service_level *cur, size_t n_devices)
{
    const struct service_level *up = NULL;
    for (size_t i = 0; i < p->n_levels; i++) {
        const struct service_level *l = &p->levels[i];
        if (l->rank > cur->rank && (size_t)l->max_devices >= n_devices &&
            (!up || l->rank < up->rank))
            up = l;
    }
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "currentLevel", xjson(json_object_new_string(cur->level)));
    xjson_add_lit(o, "currentLevelName", jsonx_string_or_null(cur->name));
    xjson_add_lit(o, "maxDevices", xjson(json_object_new_int(cur->max_devices)));
    xjson_add_lit(o, "devices", xjson(json_object_new_int64((int64_t)n_devices)));
    xjson_add_lit(o, "requiredLevel", up ? xjson(json_object_new_string(up->level)) : NULL);
    xjson_add_lit(o, "requiredLevelName", up ? jsonx_string_or_null(up->name) : NULL);
    xjson_add_lit(o, "price", price_json(up));
    return o;
}
