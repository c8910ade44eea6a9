/* The REST side of the engine: device updates, added devices and whole
 * customer records, checked against the level like the chat actions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/validate.h"
#include "common/xalloc.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/action.h"
#include "engine/actions.h"
#include "engine/reply.h"
#include "engine/turn.h"

#define PATCH_NAME "name" /* the one PATCH field that is no action: any level may */

/* A PATCH body as steps of the action table, in the table's order (power
 * first, so "on" plus a volume works in one request), plus a new name. */
struct patch_plan {
    struct intent_step steps[INTENT_MAX_STEPS];
    size_t n_steps;
    const char *name;
};

struct patch_arg {
    const struct lexicon *lx;
    const struct patch_plan *plan;
    struct model_problems problems;
};

/* "state, volume, current_song, location, name": what a body may hold. */
static void patch_fields(char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < action_count(); i++)
        if (action_at(i)->patch_field)
            action_appendf(buf, n, &o, "%s, ", action_at(i)->patch_field);
    action_appendf(buf, n, &o, "%s", PATCH_NAME);
}

/* Checks one field's type and value; a field of an action becomes a step. */
static void plan_field(const char *key, json_object *val, struct patch_plan *plan,
                       struct model_problems *p)
{
    char what[64], problem[160];
    const struct action_def *a = action_by_patch_field(key);
    json_type want = a ? a->patch_type : json_type_string;
    jsonx_describe(val, what, sizeof what);
    if (!json_object_is_type(val, want)) {
        model_problems_add(p, key, "must be %s, got %s",
                           want == json_type_int ? "an integer" : "a string", what);
        return;
    }
    if (want == json_type_string &&
        !validate_string(json_object_get_string(val), (size_t)json_object_get_string_len(val),
                         VALIDATE_LABEL, problem, sizeof problem)) {
        model_problems_add(p, key, "%s", problem);
        return;
    }
    if (!a) {
        size_t len = strlen(json_object_get_string(val));
        if (len == 0 || len >= MODEL_NAME_MAX)
            model_problems_add(p, key, "must be 1-%d characters", MODEL_NAME_MAX - 1);
        else
            plan->name = json_object_get_string(val);
        return;
    }
    if (plan->n_steps >= INTENT_MAX_STEPS)
        return; /* more fields than actions: cannot happen with the table */
    struct intent_step *s = &plan->steps[plan->n_steps];
    memset(s, 0, sizeof *s);
    s->action = a->id;
    s->state = -1;
    s->amount = -1;
    if (!a->from_patch(val, s, problem, sizeof problem))
        model_problems_add(p, key, "%s", problem);
    else
        plan->n_steps++;
}

/* Checks the body's shape and reads it into steps, in the table's order. */
static void plan_patch(json_object *patch, struct patch_plan *plan, struct model_problems *p)
{
    char fields[256];
    json_object *val;
    memset(plan, 0, sizeof *plan);
    if (!json_object_is_type(patch, json_type_object)) {
        model_problems_add(p, "body", "must be a JSON object");
        return;
    }
    if (json_object_object_length(patch) == 0) {
        patch_fields(fields, sizeof fields);
        model_problems_add(p, "body", "names no field to change (%s)", fields);
    }
    json_object_object_foreach(patch, key, v)
    {
        (void)v;
        if (!action_by_patch_field(key) && strcmp(key, PATCH_NAME) != 0)
            model_problems_add(p, key, "is not a field that can be changed");
    }
    for (size_t i = 0; i < action_count(); i++) {
        const char *f = action_at(i)->patch_field;
        if (f && json_object_object_get_ex(patch, f, &val))
            plan_field(f, val, plan, p);
    }
    if (json_object_object_get_ex(patch, PATCH_NAME, &val))
        plan_field(PATCH_NAME, val, plan, p);
}

/* Runs the body's steps through the same apply functions as chat (volume
 * needs the device on, songs come from its playlist); a step the device
 * refuses is a problem with its field, in the words chat would use. */
static int patch_fn(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    struct patch_arg *a = arg;
    char text[REPLY_TEXT_MAX];
    (void)c;
    model_problems_free(&a->problems);
    for (size_t i = 0; i < a->plan->n_steps; i++) {
        const struct intent_step *s = &a->plan->steps[i];
        struct act_result r;
        actions_apply(s, d, &r);
        if (r.status != ACT_REFUSED && r.status != ACT_CLARIFY)
            continue;
        actions_render(a->lx, r.reply, d, r.title, NULL, text, sizeof text);
        model_problems_add(&a->problems, action_get(s->action)->patch_field, "%s", text);
    }
    if (a->plan->name) {
        free(d->name);
        d->name = xstrdup(a->plan->name);
    }
    if (a->problems.len)
        return model_problems_to_err(&a->problems, err);
    return SB_OK;
}

static json_object *wrap(const char *key, json_object *v)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, key, v);
    return o;
}

/* The first step the level or the device does not allow, as a result. */
static int check_allowed(const struct lexicon *lx, const struct patch_plan *plan,
                         const struct policy *pol, const struct service_level *level,
                         const struct device *d, struct engine_reply *out, struct sb_err *err)
{
    struct model_problems p = {0};
    char name[MODEL_NAME_MAX];
    model_device_display_name(d, name, sizeof name);
    for (size_t i = 0; i < plan->n_steps; i++) {
        const struct action_def *a = action_get(plan->steps[i].action);
        const char *cap = action_capability(&plan->steps[i]);
        if (!policy_allows(level, a->name)) {
            char text[sizeof err->msg];
            out->result = wrap("denial", policy_denial(pol, level, a->name));
            model_problems_free(&p);
            turn_denial_text(lx, pol, level, a->name, text, sizeof text);
            return sb_err_set(err, SB_EDENIED, "%s", text);
        }
        if (cap && !model_device_can(d, cap))
            model_problems_add(&p, a->patch_field, "the %s has no %s", name, cap);
    }
    if (!p.len)
        return SB_OK;
    out->result = wrap("fields", model_problems_to_json(&p));
    int rc = model_problems_to_err(&p, err);
    model_problems_free(&p);
    return rc;
}

int engine_patch_device(struct engine *e, const char *customer_id, const char *device_id,
                        json_object *patch, struct engine_reply *out, struct sb_err *err)
{
    struct customer c = {0};
    struct policy pol = {0};
    const struct service_level *level;
    struct patch_plan plan;
    struct patch_arg a = {.lx = e->lx, .plan = &plan};
    struct device d = {0};
    int rc;
    memset(out, 0, sizeof *out);
    plan_patch(patch, &plan, &a.problems);
    if (a.problems.len) {
        out->result = wrap("fields", model_problems_to_json(&a.problems));
        rc = model_problems_to_err(&a.problems, err);
        goto out;
    }
    rc = store_get_customer(e->st, customer_id, &c, err);
    if (rc != SB_OK)
        goto out;
    const struct device *cur = customer_find_device(&c, device_id);
    if (!cur) {
        rc = sb_err_set(err, SB_ENOTFOUND, "customer %s has no device %s", customer_id, device_id);
        goto out;
    }
    rc = engine_load_level(e, &c, &pol, &level, err);
    if (rc != SB_OK)
        goto out;
    rc = check_allowed(e->lx, &plan, &pol, level, cur, out, err);
    if (rc != SB_OK)
        goto out;
    rc = store_update_device(e->st, customer_id, device_id, patch_fn, &a, &d, err);
    if (rc == SB_EINVAL && a.problems.len)
        out->result = wrap("fields", model_problems_to_json(&a.problems));
    if (rc != SB_OK)
        goto out;
    out->result = wrap("device", device_to_json(&d));
    out->changed = xcalloc(1, sizeof *out->changed);
    out->changed[0] = d;
    out->n_changed = 1;
    memset(&d, 0, sizeof d);
out:
    device_free(&d);
    model_problems_free(&a.problems);
    if (pol.levels || pol.caps)
        policy_free(&pol);
    customer_free(&c);
    return rc;
}

struct add_arg {
    const struct device *d;
    int max_devices;
    size_t wanted;  /* the count the customer would have */
    bool duplicate; /* the id exists (fn stops with SB_EINVAL: a store retries a conflict) */
};

static int add_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct add_arg *a = arg;
    a->wanted = c->n_devices + 1;
    a->duplicate = customer_find_device(c, a->d->id) != NULL;
    if (a->duplicate)
        return sb_err_set(err, SB_EINVAL, "customer %s already has a device %s", c->id, a->d->id);
    if (a->wanted > (size_t)a->max_devices)
        return sb_err_set(err, SB_ELIMIT, "the plan allows %d devices", a->max_devices);
    c->devices = xrealloc(c->devices, a->wanted * sizeof *c->devices);
    device_copy(&c->devices[c->n_devices++], a->d);
    return SB_OK;
}

int engine_add_device(struct engine *e, const char *customer_id, const struct device *d,
                      struct engine_reply *out, struct sb_err *err)
{
    struct customer c = {0}, after = {0};
    struct policy pol = {0};
    const struct service_level *level;
    int rc;
    memset(out, 0, sizeof *out);
    if (!d || !d->id || !*d->id)
        return sb_err_set(err, SB_EINVAL, "the device needs an id");
    rc = store_get_customer(e->st, customer_id, &c, err);
    if (rc != SB_OK)
        goto out;
    rc = engine_load_level(e, &c, &pol, &level, err);
    if (rc != SB_OK)
        goto out;
    struct add_arg a = {.d = d, .max_devices = level->max_devices};
    rc = store_update_customer(e->st, customer_id, add_fn, &a, &after, err);
    if (rc == SB_EINVAL && a.duplicate)
        rc = err->code = SB_ECONFLICT;
    if (rc == SB_ELIMIT)
        out->result = wrap("limit", policy_limit(&pol, level, a.wanted));
    if (rc != SB_OK)
        goto out;
    const struct device *added = customer_find_device(&after, d->id);
    if (!added) {
        rc = sb_err_set(err, SB_EINTERNAL, "the added device %s vanished", d->id);
        goto out;
    }
    out->changed = xcalloc(1, sizeof *out->changed);
    device_copy(out->changed, added);
    out->n_changed = 1;
    out->result = wrap("device", device_to_json(added));
out:
    if (pol.levels || pol.caps)
        policy_free(&pol);
    customer_free(&c);
    customer_free(&after);
    return rc;
}

int engine_check_customer(struct engine *e, const struct customer *c, struct engine_reply *out,
                          struct sb_err *err)
{
    struct policy pol = {0};
    const struct service_level *level;
    memset(out, 0, sizeof *out);
    int rc = engine_load_level(e, c, &pol, &level, err);
    if (rc == SB_ECORRUPT) {
        struct model_problems p = {0};
        model_problems_add(&p, "service_level", "\"%s\" is not a service level",
                           c->service_level ? c->service_level : "");
        out->result = wrap("fields", model_problems_to_json(&p));
        rc = model_problems_to_err(&p, err);
        model_problems_free(&p);
        return rc;
    }
    if (rc != SB_OK)
        return rc;
    if (c->n_devices > (size_t)level->max_devices) {
        out->result = wrap("limit", policy_limit(&pol, level, c->n_devices));
        rc = sb_err_set(err, SB_ELIMIT, "the %s plan allows %d devices, the customer has %zu",
                        level->name ? level->name : level->level, level->max_devices, c->n_devices);
    }
    policy_free(&pol);
    return rc;
}
