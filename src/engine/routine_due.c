/* The scheduler's side of the engine: due runs of one customer, claimed
 * and committed by one conditional customer write, and the time zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/routine_time.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "engine/engine.h"
#include "engine/routines.h"

struct due_arg {
    struct engine *e;
    const struct policy *pol;
    int64_t now_s;
    int grace_s;
    struct routine_run runs[MODEL_ROUTINES_MAX];
    char texts[MODEL_ROUTINES_MAX][TURN_MESSAGE_MAX + 256];
    size_t n_runs;
    struct device *changed;
    size_t n_changed;
};

static void due_reset(struct due_arg *a)
{
    for (size_t i = 0; i < a->n_runs; i++)
        routine_run_free(&a->runs[i]);
    a->n_runs = 0;
    for (size_t i = 0; i < a->n_changed; i++)
        device_free(&a->changed[i]);
    free(a->changed);
    a->changed = NULL;
    a->n_changed = 0;
}

/* The sentence recorded for a scheduled run. */
static void run_text(struct due_arg *a, const struct customer *c, const struct routine *r,
                     struct routine_run *run, char *buf, size_t n)
{
    struct reply_vars v = {0};
    char due[128], next[128];
    const char *zone = c->timezone;
    routines_local_time(a->e->rl, zone, run->due, due, sizeof due);
    routines_local_time(a->e->rl, zone, r->next_run, next, sizeof next);
    reply_set(&v, "name", r->name);
    reply_set(&v, "when", due);
    reply_set(&v, "due", due);
    reply_set(&v, "next", next);
    reply_set(&v, "message", run->message);
    reply_set(&v, "denial", run->message);
    const char *key = strcmp(run->outcome, "missed") == 0
                          ? (r->next_run ? "say.ran.missed" : "say.ran.missed.last")
                      : strcmp(run->outcome, "refused") == 0 ? "say.ran.refused"
                                                             : "say.ran.scheduled";
    routine_lang_say(a->e->rl, key, &v, buf, n);
}

/* A scheduled routine without a next run that should have one: written by
 * an import or a whole-customer PUT, which do not compute next runs. */
static bool unscheduled(const struct routine *r)
{
    return r->schedule.set && !r->next_run && (!r->schedule.once || !r->last_run);
}

static int due_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct due_arg *a = arg;
    size_t scheduled = 0;
    int rc = SB_OK;
    due_reset(a); /* a retry starts over */
    struct tz *z = routines_zone(c->timezone);
    for (size_t i = 0; i < c->n_routines && a->n_runs < MODEL_ROUTINES_MAX; i++) {
        struct routine *r = &c->routines[i];
        struct routine_run *run = &a->runs[a->n_runs];
        int64_t due_ms, latest;
        int skipped;
        char due[UTIL_TIMESTAMP_LEN];
        if (unscheduled(r)) {
            routines_schedule(r, c->timezone, a->now_s);
            scheduled++;
            continue;
        }
        if (!r->next_run || util_parse_timestamp(r->next_run, &due_ms) != 0 ||
            due_ms / 1000 > a->now_s)
            continue;
        routine_time_catch_up(&r->schedule, z, due_ms / 1000, a->now_s, &latest, &skipped);
        util_format_timestamp(latest * 1000, due, sizeof due);
        if (a->now_s - latest > a->grace_s) {
            memset(run, 0, sizeof *run);
            snprintf(run->name, sizeof run->name, "%s", r->name);
            snprintf(run->due, sizeof run->due, "%s", due);
            run->outcome = "missed";
        } else if ((rc = routines_apply(a->e, c, a->pol, r, due, run, &a->changed, &a->n_changed,
                                        err)) != SB_OK) {
            break;
        }
        a->n_runs++;
        free(r->last_run);
        free(r->last_outcome);
        r->last_run = xstrdup(due);
        r->last_outcome = xstrdup(run->outcome);
        routines_schedule(r, c->timezone, a->now_s);
        run_text(a, c, r, run, a->texts[a->n_runs - 1], sizeof a->texts[0]);
    }
    tz_free(z);
    if (rc != SB_OK)
        return rc;
    /* nothing due any more: another instance ran it; write nothing */
    return a->n_runs || scheduled ? SB_OK : sb_err_set(err, SB_ENOTFOUND, "nothing due");
}

int engine_routines_due(struct engine *e, const char *customer_id, int64_t now_ms, int grace_s,
                        struct engine_reply *out, struct sb_err *err)
{
    struct policy pol = {0};
    struct due_arg *a = xcalloc(1, sizeof *a);
    json_object *runs = xjson(json_object_new_array());
    int rc = policy_load(e->st, &pol, err);
    memset(out, 0, sizeof *out);
    if (rc != SB_OK)
        goto out;
    a->e = e;
    a->pol = &pol;
    a->now_s = now_ms / 1000;
    a->grace_s = grace_s;
    rc = store_update_customer(e->st, customer_id, due_fn, a, NULL, err);
    if (rc == SB_ENOTFOUND && a->n_runs == 0 && strcmp(err->msg, "nothing due") == 0)
        rc = SB_OK;
    for (size_t i = 0; rc == SB_OK && i < a->n_runs; i++) {
        /* the run is committed; its message goes after it (a crash in
         * between loses the message, never repeats the run) */
        snprintf(a->runs[i].message, sizeof a->runs[i].message, "%s", a->texts[i]);
        if (routines_record(e, customer_id, &a->runs[i], a->texts[i], err) != SB_OK)
            a->runs[i].message_id[0] = '\0';
        xjson_push(runs, routines_run_json(customer_id, &a->runs[i]));
    }
    if (rc == SB_OK) {
        out->result = xjson(json_object_new_object());
        xjson_add(out->result, "runs", json_object_get(runs));
        out->changed = a->changed;
        out->n_changed = a->n_changed;
        a->changed = NULL;
        a->n_changed = 0;
    }
out:
    due_reset(a);
    free(a);
    json_object_put(runs);
    if (pol.levels || pol.caps)
        policy_free(&pol);
    return rc;
}

bool engine_routines_pending(const struct customer *c, int64_t now_ms)
{
    for (size_t i = 0; i < c->n_routines; i++) {
        int64_t due;
        if (unscheduled(&c->routines[i]))
            return true;
        if (c->routines[i].next_run && util_parse_timestamp(c->routines[i].next_run, &due) == 0 &&
            due <= now_ms)
            return true;
    }
    return false;
}

/* ---- time zone ---- */

struct zone_arg {
    int64_t now_s;
    char zone[TZ_NAME_MAX + 1];
};

static int zone_fn(struct customer *c, void *arg, struct sb_err *err)
{
    const struct zone_arg *a = arg;
    (void)err;
    free(c->timezone);
    c->timezone = xstrdup(a->zone);
    /* the same wall-clock times in the new zone */
    for (size_t i = 0; i < c->n_routines; i++)
        if (c->routines[i].next_run)
            routines_schedule(&c->routines[i], a->zone, a->now_s);
    return SB_OK;
}

int engine_set_timezone(struct engine *e, const char *customer_id, const char *zone,
                        struct engine_reply *out, struct sb_err *err)
{
    struct tz *z = NULL;
    struct customer c = {0};
    struct zone_arg arg;
    memset(out, 0, sizeof *out);
    int rc = tz_load(zone, &z, err);
    tz_free(z);
    if (rc != SB_OK)
        return rc;
    arg.now_s = routines_now_ms(e) / 1000;
    snprintf(arg.zone, sizeof arg.zone, "%s", zone);
    rc = store_update_customer(e->st, customer_id, zone_fn, &arg, &c, err);
    if (rc == SB_OK) {
        out->result = xjson(json_object_new_object());
        customer_routines_to_json(&c, out->result);
        customer_free(&c);
    }
    return rc;
}
