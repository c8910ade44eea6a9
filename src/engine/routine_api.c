/* Routines through the engine: save, delete, run now, time zone, and the
 * scheduler's due runs (engine.h); each one customer update. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/jsonx.h"
#include "common/routine_time.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "engine/engine.h"
#include "engine/routines.h"

void engine_set_clock(struct engine *e, int64_t (*now_ms)(void *arg), void *arg)
{
    e->clock = now_ms;
    e->clock_arg = arg;
}

static void reset_changed(struct device **list, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        device_free(&(*list)[i]);
    free(*list);
    *list = NULL;
    *n = 0;
}

/* Loads the customer's policy and level; SB_EDENIED (result {"denial"})
 * when the level does not allow routines and need is set. */
static int load(struct engine *e, const char *customer_id, bool need, struct customer *c,
                struct policy *pol, const struct service_level **level, struct engine_reply *out,
                struct sb_err *err)
{
    int rc = store_get_customer(e->st, customer_id, c, err);
    if (rc == SB_OK)
        rc = engine_load_level(e, c, pol, level, err);
    if (rc != SB_OK) {
        customer_free(c);
        return rc;
    }
    if (need && !policy_allows(*level, ROUTINE_ACTION)) {
        char text[REPLY_TEXT_MAX];
        turn_denial_text(e->lx, pol, *level, ROUTINE_ACTION, text, sizeof text);
        out->result = xjson(json_object_new_object());
        xjson_add_lit(out->result, "denial", policy_denial(pol, *level, ROUTINE_ACTION));
        rc = sb_err_set(err, SB_EDENIED, "%s", text);
    }
    return rc;
}

static void release(struct customer *c, struct policy *pol)
{
    if (pol->levels || pol->caps)
        policy_free(pol);
    customer_free(c);
}

/* ---- save ---- */

struct save_arg {
    const struct routine *r;
    const char *old_name; /* the routine being changed; NULL: r->name's */
    bool replace;         /* an existing routine of that name may be replaced */
    int64_t now_s;
    bool created;
};

static int save_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct save_arg *a = arg;
    struct routine *old = customer_find_routine(c, a->old_name ? a->old_name : a->r->name);
    struct routine *clash = customer_find_routine(c, a->r->name);
    struct routine copy;
    if (a->old_name && !old)
        return sb_err_set(err, SB_ENOTFOUND, "no routine called \"%s\"", a->old_name);
    if (old && !a->replace)
        return sb_err_set(err, SB_ECONFLICT, "there is already a routine called \"%s\"", old->name);
    if (clash && clash != old)
        return sb_err_set(err, SB_ECONFLICT, "there is already a routine called \"%s\"",
                          clash->name);
    if (!old && c->n_routines >= MODEL_ROUTINES_MAX)
        return sb_err_set(err, SB_ELIMIT, "a customer has at most %d routines", MODEL_ROUTINES_MAX);
    routine_copy(&copy, a->r);
    if (old && !copy.last_run && old->last_run) {
        copy.last_run = xstrdup(old->last_run);
        copy.last_outcome = old->last_outcome ? xstrdup(old->last_outcome) : NULL;
    }
    /* same schedule: keep the pending run (even one that is due right now) */
    bool same =
        old && old->next_run && memcmp(&old->schedule, &copy.schedule, sizeof copy.schedule) == 0;
    free(copy.next_run);
    copy.next_run = same ? xstrdup(old->next_run) : NULL;
    if (!same)
        routines_schedule(&copy, c->timezone, a->now_s);
    a->created = !old;
    if (old) {
        routine_free(old);
        *old = copy;
        return SB_OK;
    }
    c->routines = xrealloc(c->routines, (c->n_routines + 1) * sizeof *c->routines);
    c->routines[c->n_routines++] = copy;
    return SB_OK;
}

/* What a save hands back: the routine as saved and the time zone. */
static int saved_of(const struct customer *c, const struct routine *r, struct routine *saved,
                    char *zone, size_t zn, struct sb_err *err)
{
    struct routine *got = customer_find_routine(c, r->name);
    int rc = got ? routine_copy(saved, got) : sb_err_set(err, SB_EINTERNAL, "the routine vanished");
    if (zone)
        snprintf(zone, zn, "%s", c->timezone ? c->timezone : TZ_DEFAULT);
    return rc;
}

int routines_save(struct engine *e, const char *customer_id, const struct routine *r,
                  const char *old_name, bool replace, struct routine *saved, bool *created,
                  char *zone, size_t zn, struct sb_err *err)
{
    struct save_arg a = {r, old_name, replace, routines_now_ms(e) / 1000, false};
    struct customer c = {0};
    int rc = store_update_customer(e->st, customer_id, save_fn, &a, &c, err);
    if (rc != SB_OK)
        return rc;
    rc = saved_of(&c, r, saved, zone, zn, err);
    if (created)
        *created = a.created;
    customer_free(&c);
    return rc;
}

int routines_save_into(struct engine *e, struct customer *c, const struct routine *r,
                       const char *old_name, bool replace, struct routine *saved, char *zone,
                       size_t zn, struct sb_err *err)
{
    struct save_arg a = {r, old_name, replace, routines_now_ms(e) / 1000, false};
    int rc = save_fn(c, &a, err);
    return rc != SB_OK ? rc : saved_of(c, r, saved, zone, zn, err);
}

/* Whether a body field is one a routine PUT takes. */
static bool known_field(const char *key)
{
    return strcmp(key, "steps") == 0 || strcmp(key, "schedule") == 0 || strcmp(key, "name") == 0;
}

int engine_routine_put(struct engine *e, const char *customer_id, const char *name,
                       json_object *body, bool *created, struct engine_reply *out,
                       struct sb_err *err)
{
    struct customer c = {0};
    struct policy pol = {0};
    struct model_problems p = {0};
    struct routine r = {0}, saved = {0};
    struct routine_problem why = {0};
    const struct service_level *level = NULL;
    char zone[TZ_NAME_MAX + 1];
    json_object *o = xjson(json_object_new_object());
    memset(out, 0, sizeof *out);
    int rc = SB_OK;
    json_object_object_foreach(body, key, val)
    {
        if (!known_field(key))
            model_problems_add(&p, key, "is not a routine field (steps, schedule)");
        else if (strcmp(key, "name") == 0 && (!json_object_is_type(val, json_type_string) ||
                                              strcasecmp(json_object_get_string(val), name) != 0))
            model_problems_add(&p, key, "must be the name in the path (\"%s\") or left out", name);
        else if (strcmp(key, "name") != 0)
            xjson_add(o, key, json_object_get(val));
    }
    xjson_add_lit(o, "name", xjson(json_object_new_string(name)));
    if (p.len || routine_from_json(o, "", &p, &r) != SB_OK) {
        out->result = xjson(json_object_new_object());
        xjson_add_lit(out->result, "fields", model_problems_to_json(&p));
        rc = model_problems_to_err(&p, err);
        goto out;
    }
    if ((rc = load(e, customer_id, true, &c, &pol, &level, out, err)) != SB_OK)
        goto out;
    if (!routines_check_steps(e, &c, &pol, level, &r.steps, &why)) {
        char field[32];
        snprintf(field, sizeof field, "steps[%zu]", why.step);
        out->result = xjson(json_object_new_object());
        if (why.denial) {
            xjson_add_lit(out->result, "denial", why.denial);
            why.denial = NULL;
            rc = sb_err_set(err, SB_EDENIED, "%s", why.text);
        } else {
            model_problems_add(&p, field, "%s", why.text);
            xjson_add_lit(out->result, "fields", model_problems_to_json(&p));
            rc = model_problems_to_err(&p, err);
        }
        goto out;
    }
    rc = routines_save(e, customer_id, &r, NULL, true, &saved, created, zone, sizeof zone, err);
    if (rc == SB_OK)
        out->result = xjson(json_object_new_object()),
        xjson_add_lit(out->result, "routine", routine_to_json(&saved));
out:
    json_object_put(why.denial);
    json_object_put(o);
    routine_free(&r);
    routine_free(&saved);
    model_problems_free(&p);
    release(&c, &pol);
    return rc;
}

/* ---- delete ---- */

static int delete_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct routine *removed = arg, *r = customer_find_routine(c, removed->name);
    char *name = removed->name;
    if (!r)
        return sb_err_set(err, SB_ENOTFOUND, "no routine called \"%s\"", name);
    removed->name = NULL;
    routine_free(removed);
    routine_copy(removed, r);
    free(name);
    routine_free(r);
    size_t i = (size_t)(r - c->routines);
    memmove(r, r + 1, (c->n_routines - i - 1) * sizeof *r);
    c->n_routines--;
    return SB_OK;
}

int routines_delete(struct engine *e, const char *customer_id, const char *name,
                    struct routine *removed, struct sb_err *err)
{
    memset(removed, 0, sizeof *removed);
    removed->name = xstrdup(name);
    int rc = store_update_customer(e->st, customer_id, delete_fn, removed, NULL, err);
    if (rc != SB_OK)
        routine_free(removed);
    return rc;
}

int engine_routine_delete(struct engine *e, const char *customer_id, const char *name,
                          struct engine_reply *out, struct sb_err *err)
{
    struct routine removed;
    memset(out, 0, sizeof *out);
    int rc = routines_delete(e, customer_id, name, &removed, err);
    if (rc == SB_OK) {
        out->result = xjson(json_object_new_object());
        xjson_add_lit(out->result, "routine", routine_to_json(&removed));
        routine_free(&removed);
    }
    return rc;
}

/* ---- run now ---- */

struct run_arg {
    struct engine *e;
    const struct policy *pol;
    const char *name;
    char now[UTIL_TIMESTAMP_LEN];
    struct routine_run run;
    struct device *changed;
    size_t n_changed;
};

static int run_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct run_arg *a = arg;
    struct routine *r = customer_find_routine(c, a->name);
    routine_run_free(&a->run); /* a retry starts over */
    reset_changed(&a->changed, &a->n_changed);
    if (!r)
        return sb_err_set(err, SB_ENOTFOUND, "no routine called \"%s\"", a->name);
    int rc = routines_apply(a->e, c, a->pol, r, a->now, &a->run, &a->changed, &a->n_changed, err);
    if (rc != SB_OK)
        return rc;
    if (strcmp(a->run.outcome, "refused") == 0)
        return sb_err_set(err, SB_EDENIED, "%s", a->run.message);
    free(r->last_run);
    free(r->last_outcome);
    r->last_run = xstrdup(a->now);
    r->last_outcome = xstrdup(a->run.outcome);
    return SB_OK;
}

int routines_run_now(struct engine *e, const char *customer_id, const char *name,
                     struct routine_run *run, struct routine *committed, struct engine_reply *out,
                     struct sb_err *err)
{
    struct customer c = {0}, after = {0};
    struct policy pol = {0};
    const struct service_level *level;
    struct run_arg *a = xcalloc(1, sizeof *a);
    int rc = load(e, customer_id, true, &c, &pol, &level, out, err);
    if (rc != SB_OK)
        goto out;
    a->e = e;
    a->pol = &pol;
    a->name = name;
    util_format_timestamp(routines_now_ms(e), a->now, sizeof a->now);
    rc = store_update_customer(e->st, customer_id, run_fn, a, &after, err);
    if (rc == SB_OK && committed)
        rc = routine_copy(committed, customer_find_routine(&after, name));
    if (rc == SB_OK || rc == SB_EDENIED) {
        *run = a->run;
        memset(&a->run, 0, sizeof a->run);
    }
    if (rc == SB_EDENIED && run->denial) {
        out->result = xjson(json_object_new_object());
        xjson_add_lit(out->result, "denial", json_object_get(run->denial));
    }
    if (rc == SB_OK) {
        out->changed = a->changed;
        out->n_changed = a->n_changed;
        a->changed = NULL;
        a->n_changed = 0;
    }
out:
    routine_run_free(&a->run);
    reset_changed(&a->changed, &a->n_changed);
    free(a);
    customer_free(&after);
    release(&c, &pol);
    return rc;
}

/* {"name","due","outcome","message","steps","denial"?,"messageId","conversationId"} */
json_object *routines_run_json(const char *customer_id, const struct routine_run *run)
{
    char conv[MODEL_ID_MAX];
    json_object *o = xjson(json_object_new_object());
    engine_routine_conversation(customer_id, conv, sizeof conv);
    xjson_add_lit(o, "name", xjson(json_object_new_string(run->name)));
    xjson_add_lit(o, "due", xjson(json_object_new_string(run->due)));
    xjson_add_lit(o, "outcome", xjson(json_object_new_string(run->outcome)));
    xjson_add_lit(o, "message", xjson(json_object_new_string(run->message)));
    xjson_add_lit(o, "steps",
                  run->steps ? json_object_get(run->steps) : xjson(json_object_new_array()));
    if (run->denial)
        xjson_add_lit(o, "denial", json_object_get(run->denial));
    xjson_add_lit(o, "messageId",
                  jsonx_string_or_null(run->message_id[0] ? run->message_id : NULL));
    xjson_add_lit(o, "conversationId", xjson(json_object_new_string(conv)));
    return o;
}

int engine_routine_run(struct engine *e, const char *customer_id, const char *name,
                       struct engine_reply *out, struct sb_err *err)
{
    struct routine_run run = {0};
    struct routine committed = {0};
    struct reply_vars v = {0};
    char text[TURN_MESSAGE_MAX + 256];
    memset(out, 0, sizeof *out);
    int rc = routines_run_now(e, customer_id, name, &run, &committed, out, err);
    if (rc != SB_OK)
        goto out;
    reply_set(&v, "name", committed.name);
    reply_set(&v, "message", run.message);
    routine_lang_say(e->rl, "say.ran", &v, text, sizeof text);
    rc = routines_record(e, customer_id, &run, text, err);
    snprintf(run.message, sizeof run.message, "%s", text);
    if (rc == SB_OK) {
        out->result = xjson(json_object_new_object());
        xjson_add_lit(out->result, "routine", routine_to_json(&committed));
        xjson_add_lit(out->result, "run", routines_run_json(customer_id, &run));
    }
out:
    routine_run_free(&run);
    routine_free(&committed);
    return rc;
}
