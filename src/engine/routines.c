/* Routines inside the engine: step checks, runs, next runs, how they read
 * (see routines.h). */
#include "engine/routines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/routine_time.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "engine/intent.h"
#include "engine/multiroom.h"
#include "engine/reply.h"
#include "engine/resolve.h"
#include "engine/routine_parse.h"

void routine_run_free(struct routine_run *r)
{
    json_object_put(r->steps);
    json_object_put(r->denial);
    memset(r, 0, sizeof *r);
}

int64_t routines_now_ms(const struct engine *e)
{
    return e->clock ? e->clock(e->clock_arg) : util_now_ms();
}

/* The text of the last step object a turn added. */
static const char *last_text(const struct turn *t, json_object **denial)
{
    size_t n = json_object_array_length(t->steps);
    json_object *o = n ? json_object_array_get_idx(t->steps, n - 1) : NULL;
    if (denial)
        *denial = o ? json_object_object_get(o, "denial") : NULL;
    return o ? jsonx_get_string(o, "text") : "";
}

static void problem(struct engine *e, struct routine_problem *p, size_t step, const char *key,
                    const char *text, const char *extra_key, const char *extra)
{
    struct reply_vars v = {0};
    reply_set(&v, "step", text);
    if (extra_key)
        reply_set(&v, extra_key, extra);
    p->step = step;
    routine_lang_say(e->rl, key, &v, p->text, sizeof p->text);
}

/* Whether a title step names a song one of the devices meant has. */
static bool title_found(const struct customer *c, const struct intent_step *s,
                        const struct resolve_result *r)
{
    if (s->action != INTENT_SONG || s->song != SONG_TITLE)
        return true;
    for (size_t i = 0; i < r->n; i++)
        if (resolve_title(&c->devices[r->idx[i]].playlist, s->title))
            return true;
    return false;
}

/* What the steps just added to t say about step i: fine, or *p filled. */
static bool judge(struct engine *e, const struct turn *t, size_t i, const char *text,
                  const size_t before[3], bool cannot, struct routine_problem *p)
{
    json_object *denial = NULL;
    if (t->n_clarify > before[0])
        problem(e, p, i, "say.step.which", text, "question", last_text(t, NULL));
    else if (t->n_denied > before[1]) {
        problem(e, p, i, "say.step.denied", text, "problem", last_text(t, &denial));
        p->denial = json_object_get(denial);
    } else if (cannot || t->n_oos > before[2])
        problem(e, p, i, "say.step.cannot", text, "problem", last_text(t, NULL));
    else
        return true;
    return false;
}

/* Dry-runs sentence i on t (whose customer is a copy); ents: its words. */
static bool check_one(struct engine *e, struct turn *t, const struct text_entities *ents, size_t i,
                      const char *text, struct routine_problem *p)
{
    struct sb_err err = {0};
    struct intent in;
    size_t before[3] = {t->n_clarify, t->n_denied, t->n_oos};
    size_t refused = t->n_refused;
    int rc = SB_OK;
    if (!routine_parse_is_step(e->rl, e->lx, ents, text)) {
        problem(e, p, i, "say.step.unclear", text, NULL, NULL);
        return false;
    }
    if (multiroom_chat(e, t, text, &rc, &err))
        return rc == SB_OK && judge(e, t, i, text, before, t->n_refused > refused, p);
    intent_parse_for(e->lx, ents, text, &in);
    for (size_t k = 0; k < in.n_steps; k++) {
        struct resolve_result r;
        resolve_target(t->c, &in.steps[k], (const char *const *)t->prev, t->n_prev, &r);
        bool cannot = r.status == RESOLVE_CANNOT ||
                      (r.status == RESOLVE_OK && !title_found(t->c, &in.steps[k], &r));
        t->step_no = k;
        if (turn_step(t, &in.steps[k], &err) != SB_OK) {
            problem(e, p, i, "say.step.unclear", text, NULL, NULL);
            return false;
        }
        if (!judge(e, t, i, text, before, cannot, p))
            return false;
    }
    return true;
}

bool routines_check_steps(struct engine *e, const struct customer *c, const struct policy *pol,
                          const struct service_level *level, const struct strlist *steps,
                          struct routine_problem *p)
{
    struct customer copy = {0};
    struct turn t;
    bool fine = true;
    memset(p, 0, sizeof *p);
    customer_copy(&copy, c);
    /* steps read as chat reads them, the customer's own words first; anew
     * for each step, since the words point into the copy, which the steps
     * before may have changed */
    struct text_entities *ents = xmalloc(sizeof *ents);
    turn_init(&t, NULL, e->lx, &copy, pol, level);
    for (size_t i = 0; fine && i < steps->len; i++) {
        resolve_entities(e->lx, &copy, ents);
        fine = check_one(e, &t, ents, i, steps->items[i], p);
    }
    turn_free(&t);
    free(ents);
    customer_free(&copy);
    return fine;
}

struct tz *routines_zone(const char *zone)
{
    struct tz *z = NULL;
    struct sb_err err;
    if (tz_load(zone ? zone : TZ_DEFAULT, &z, &err) != SB_OK)
        tz_load(TZ_DEFAULT, &z, &err); /* UTC reads no file: it cannot fail */
    return z;
}

void routines_schedule(struct routine *r, const char *zone, int64_t now_s)
{
    struct tz *z = routines_zone(zone);
    int64_t next;
    char iso[UTIL_TIMESTAMP_LEN];
    free(r->next_run);
    r->next_run = NULL;
    if (routine_time_next(&r->schedule, z, now_s, &next)) {
        util_format_timestamp(next * 1000, iso, sizeof iso);
        r->next_run = xstrdup(iso);
    }
    tz_free(z);
}

/* Stamps the devices a run changed with now, in the record and the copies. */
static void stamp(struct customer *c, struct device *changed, size_t n)
{
    char now[UTIL_TIMESTAMP_LEN];
    util_timestamp_now(now, sizeof now);
    for (size_t i = 0; i < n; i++) {
        struct device *d = customer_find_device(c, changed[i].id);
        free(changed[i].last_updated);
        changed[i].last_updated = xstrdup(now);
        if (d) {
            free(d->last_updated);
            d->last_updated = xstrdup(now);
        }
    }
}

/* Adds a turn's changed devices to the run's list, latest copy per device. */
static void collect(struct turn *t, struct device **list, size_t *n)
{
    for (size_t i = 0; i < t->n_changed; i++) {
        struct device *slot = NULL;
        for (size_t k = 0; k < *n; k++)
            if (strcmp((*list)[k].id, t->changed[i].id) == 0)
                slot = &(*list)[k];
        if (!slot) {
            *list = xrealloc(*list, (*n + 1) * sizeof **list);
            slot = &(*list)[(*n)++];
        } else {
            device_free(slot);
        }
        *slot = t->changed[i];
        memset(&t->changed[i], 0, sizeof t->changed[i]);
    }
    t->n_changed = 0;
}

int routines_apply(struct engine *e, struct customer *c, const struct policy *pol,
                   struct routine *r, const char *due, struct routine_run *out,
                   struct device **changed, size_t *n_changed, struct sb_err *err)
{
    struct turn t;
    const struct service_level *level = policy_level(pol, c->service_level);
    int rc = SB_OK;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", r->name);
    snprintf(out->due, sizeof out->due, "%s", due);
    if (!level || !policy_allows(level, ROUTINE_ACTION)) {
        /* after a downgrade: the routine stays, its runs are refused */
        out->outcome = "refused";
        if (level) {
            turn_denial_text(e->lx, pol, level, ROUTINE_ACTION, out->message, sizeof out->message);
            out->denial = policy_denial(pol, level, ROUTINE_ACTION);
        }
        return SB_OK;
    }
    turn_init(&t, NULL, e->lx, c, pol, level);
    struct text_entities *ents = xmalloc(sizeof *ents);
    for (size_t i = 0; i < r->steps.len && rc == SB_OK; i++) {
        struct intent in;
        if (multiroom_chat(e, &t, r->steps.items[i], &rc, err))
            continue; /* one title on several devices: a step of its own */
        /* read as chat reads it; anew for each step, since the words
         * point into c, which the steps before may have changed */
        resolve_entities(e->lx, c, ents);
        intent_parse_for(e->lx, ents, r->steps.items[i], &in);
        for (size_t k = 0; k < in.n_steps && rc == SB_OK; k++) {
            t.step_no = k;
            rc = turn_step(&t, &in.steps[k], err);
        }
    }
    if (rc == SB_OK) {
        out->outcome = turn_outcome(&t);
        snprintf(out->message, sizeof out->message, "%s", t.message);
        out->steps = t.steps;
        out->denial = t.denial;
        t.steps = NULL;
        t.denial = NULL;
        stamp(c, t.changed, t.n_changed);
        collect(&t, changed, n_changed);
    }
    free(ents);
    turn_free(&t);
    return rc;
}

/* The conversation routine runs are recorded in: "routines-<customer>". */
void engine_routine_conversation(const char *customer_id, char *buf, size_t n)
{
    snprintf(buf, n, "routines-%.*s", MODEL_ID_MAX - 10, customer_id);
}

int routines_record(struct engine *e, const char *customer_id, struct routine_run *run,
                    const char *text, struct sb_err *err)
{
    char conv[MODEL_ID_MAX], ts[UTIL_TIMESTAMP_LEN];
    util_new_id("msg_r", run->message_id, sizeof run->message_id);
    engine_routine_conversation(customer_id, conv, sizeof conv);
    util_timestamp_now(ts, sizeof ts);
    struct message m = {run->message_id, conv, (char *)customer_id, (char *)text, "bot", ts};
    return store_append_messages(e->st, &m, 1, err);
}

void routines_when(const struct routine_lang *rl, const struct routine_schedule *s, char *buf,
                   size_t n)
{
    struct reply_vars v = {0};
    char key[32], days[256], time[8], date[16];
    const char *names[7];
    size_t k = 0;
    snprintf(time, sizeof time, "%02d:%02d", s->minute / 60, s->minute % 60);
    reply_set(&v, "time", time);
    if (s->once) {
        int y, m, d;
        tz_civil_from_days(s->date, &y, &m, &d);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        reply_set(&v, "date", date);
        routine_lang_say(rl, "when.once", &v, buf, n);
        return;
    }
    snprintf(key, sizeof key, "when.days.%u", s->days);
    if (routine_lang_get(rl, key)[0]) {
        snprintf(days, sizeof days, "%s", routine_lang_get(rl, key));
    } else {
        char list[200];
        for (int w = 1; w <= 7; w++) { /* Monday first */
            snprintf(key, sizeof key, "when.day.%d", w % 7);
            if (s->days & (1u << (w % 7)))
                names[k++] = routine_lang_get(rl, key);
        }
        routine_lang_join(rl, names, k, list, sizeof list);
        struct reply_vars dv = {0};
        reply_set(&dv, "days", list);
        routine_lang_say(rl, "when.listed.days", &dv, days, sizeof days);
    }
    reply_set(&v, "days", days);
    routine_lang_say(rl, "when.recurring", &v, buf, n);
}

void routines_local_time(const struct routine_lang *rl, const char *zone, const char *iso,
                         char *buf, size_t n)
{
    struct reply_vars v = {0};
    struct tz *z = routines_zone(zone);
    int64_t ms, days;
    int minute, y, m, d;
    char key[16], date[16], time[8];
    if (!iso || util_parse_timestamp(iso, &ms) != 0) {
        snprintf(buf, n, "%s", routine_lang_get(rl, "say.next.none"));
        tz_free(z);
        return;
    }
    routine_time_local(z, ms / 1000, &days, &minute);
    tz_free(z);
    tz_civil_from_days(days, &y, &m, &d);
    snprintf(key, sizeof key, "when.day.%d", tz_weekday(days));
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
    snprintf(time, sizeof time, "%02d:%02d", minute / 60, minute % 60);
    reply_set(&v, "day", routine_lang_get(rl, key));
    reply_set(&v, "date", date);
    reply_set(&v, "time", time);
    routine_lang_say(rl, "when.next", &v, buf, n);
}

void routines_steps_text(const struct routine_lang *rl, const struct strlist *steps, char *buf,
                         size_t n)
{
    char items[MODEL_ROUTINE_STEPS_MAX][MODEL_STEP_MAX + 16];
    const char *list[MODEL_ROUTINE_STEPS_MAX];
    size_t k = 0;
    for (; k < steps->len && k < MODEL_ROUTINE_STEPS_MAX; k++) {
        struct reply_vars v = {0};
        reply_set(&v, "step", steps->items[k]);
        routine_lang_say(rl, "say.step.item", &v, items[k], sizeof items[k]);
        list[k] = items[k];
    }
    routine_lang_join(rl, list, k, buf, n);
}
