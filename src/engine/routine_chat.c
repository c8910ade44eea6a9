/* Routine commands in chat (see routine_chat.h): each answer is one step
 * object of action custom_actions and sentences from routines.txt. */
#include "engine/routine_chat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/routine_time.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "engine/reply.h"
#include "engine/routine_parse.h"
#include "engine/routines.h"

/* One answer: a step object, counted by its status. */
static void answer(struct turn *t, const char *status, const char *text, json_object *denial)
{
    /* a listing is a status answer: step status "done", counted as status */
    bool listing = strcmp(status, "status") == 0;
    turn_add(t, ROUTINE_ACTION, NULL, listing ? "done" : status, text, denial);
    if (listing)
        t->n_status++;
    else if (strcmp(status, "done") == 0)
        t->n_done++;
    else if (strcmp(status, "status") == 0)
        t->n_status++;
    else if (strcmp(status, "clarify") == 0)
        t->n_clarify++;
    else if (strcmp(status, "denied") == 0)
        t->n_denied++;
    else
        t->n_refused++;
}

static void say(struct engine *e, struct turn *t, const char *status, const char *key,
                const struct reply_vars *v)
{
    char text[REPLY_TEXT_MAX];
    routine_lang_say(e->rl, key, v, text, sizeof text);
    answer(t, status, text, NULL);
}

static void list_names(struct engine *e, const struct customer *c, char *buf, size_t n)
{
    char items[MODEL_ROUTINES_MAX][MODEL_ROUTINE_NAME_MAX + 96];
    const char *list[MODEL_ROUTINES_MAX];
    size_t k = 0;
    for (; k < c->n_routines && k < MODEL_ROUTINES_MAX; k++) {
        struct reply_vars v = {0};
        char when[96];
        const struct routine *r = &c->routines[k];
        routines_when(e->rl, &r->schedule, when, sizeof when);
        reply_set(&v, "name", r->name);
        reply_set(&v, "when", when);
        routine_lang_say(e->rl, r->schedule.set ? "say.list.item" : "say.list.item.plain", &v,
                         items[k], sizeof items[k]);
        list[k] = items[k];
    }
    routine_lang_join(e->rl, list, k, buf, n);
}

static void cmd_list(struct engine *e, struct turn *t)
{
    struct reply_vars v = {0};
    char names[4096], count[16];
    list_names(e, t->c, names, sizeof names);
    snprintf(count, sizeof count, "%zu", t->c->n_routines);
    reply_set(&v, "names", names);
    reply_set(&v, "count", count);
    say(e, t, "status",
        t->c->n_routines == 0   ? "say.list.none"
        : t->c->n_routines == 1 ? "say.list.one"
                                : "say.list",
        &v);
}

static void not_found(struct engine *e, struct turn *t, const char *name)
{
    struct reply_vars v = {0}, lv = {0};
    char list[4096], names[4096], count[16];
    list_names(e, t->c, names, sizeof names);
    snprintf(count, sizeof count, "%zu", t->c->n_routines);
    reply_set(&lv, "names", names);
    reply_set(&lv, "count", count);
    routine_lang_say(e->rl, t->c->n_routines == 1 ? "say.list.one" : "say.list", &lv, list,
                     sizeof list);
    reply_set(&v, "name", name);
    reply_set(&v, "list", t->c->n_routines ? list : "");
    say(e, t, "refused", "say.notfound", &v);
}

/* Says what a routine is: its steps, schedule and next run. */
static void describe(struct engine *e, struct turn *t, const struct routine *r, const char *zone,
                     const char *plain, const char *scheduled, const char *done)
{
    struct reply_vars v = {0};
    char steps[4096], when[128], next[128];
    routines_steps_text(e->rl, &r->steps, steps, sizeof steps);
    routines_when(e->rl, &r->schedule, when, sizeof when);
    routines_local_time(e->rl, zone, r->next_run, next, sizeof next);
    reply_set(&v, "name", r->name);
    reply_set(&v, "steps", steps);
    reply_set(&v, "when", when);
    reply_set(&v, "next", next);
    reply_set(&v, "zone", zone);
    const char *key = !r->schedule.set ? plain : r->next_run ? scheduled : done;
    say(e, t, strcmp(plain, "say.show") == 0 ? "status" : "done", key, &v);
}

/* A name for a routine made without one: its first step, made unique. */
static void derive_name(const struct customer *c, const char *step, char *buf, size_t n)
{
    char base[MODEL_ROUTINE_NAME_MAX - 2];
    snprintf(base, sizeof base, "%s", step);
    for (char *p = base; *p; p++)
        *p = *p == '/' ? ' ' : (char)tolower((unsigned char)*p);
    size_t len = strlen(base);
    if (len == sizeof base - 1 && strrchr(base, ' '))
        *strrchr(base, ' ') = '\0'; /* cut at a word */
    snprintf(buf, n, "%s", base);
    for (int k = 2; customer_find_routine(c, buf) && k < 100; k++)
        snprintf(buf, n, "%s %d", base, k);
}

/* The schedule said in chat as a stored one; false (with the answer given)
 * when it is incomplete or in the past. */
static bool make_schedule(struct engine *e, struct turn *t, const struct routine_when *w,
                          struct routine_schedule *s)
{
    struct reply_vars v = {0};
    memset(s, 0, sizeof *s);
    if (!w->said)
        return true;
    if (!w->has_time) {
        say(e, t, "clarify", "say.when.needed", &v);
        return false;
    }
    s->set = true;
    s->minute = w->minute;
    if (w->day_offset < 0) {
        s->days = w->days ? w->days : 0x7f; /* a time alone: every day */
        return true;
    }
    struct tz *z = NULL;
    struct sb_err err;
    int64_t today, next, now_s = routines_now_ms(e) / 1000;
    int minute;
    if (tz_load(t->c->timezone ? t->c->timezone : TZ_DEFAULT, &z, &err) != SB_OK)
        tz_load(TZ_DEFAULT, &z, &err);
    if (!z)
        return false;
    routine_time_local(z, now_s, &today, &minute);
    s->once = true;
    s->date = today + w->day_offset;
    bool ahead = routine_time_next(s, z, now_s, &next);
    tz_free(z);
    if (!ahead)
        say(e, t, "clarify", "say.when.past", &v);
    return ahead;
}

/* Checks the steps and, on a problem, answers with it. */
static bool steps_ok(struct engine *e, struct turn *t, const struct strlist *steps)
{
    struct routine_problem p;
    if (routines_check_steps(e, t->c, t->pol, t->level, steps, &p))
        return true;
    if (p.denial) {
        answer(t, "denied", p.text, p.denial);
        return false;
    }
    answer(t, "clarify", p.text, NULL);
    return false;
}

/* Saves r and answers; a store failure is returned. */
static int save(struct engine *e, struct turn *t, const struct routine *r, const char *old_name,
                bool unnamed, struct sb_err *err)
{
    struct routine saved = {0};
    struct reply_vars v = {0};
    char zone[TZ_NAME_MAX + 1], extra[REPLY_TEXT_MAX];
    /* a store-less turn is a chat exchange's: the record it commits */
    int rc = t->st ? routines_save(e, t->c->id, r, old_name, old_name != NULL, &saved, NULL, zone,
                                   sizeof zone, err)
                   : routines_save_into(e, t->c, r, old_name, old_name != NULL, &saved, zone,
                                        sizeof zone, err);
    reply_set(&v, "name", r->name);
    if (rc == SB_ECONFLICT) {
        say(e, t, "refused", "say.exists", &v);
        return SB_OK;
    }
    if (rc == SB_ELIMIT) {
        char count[16];
        snprintf(count, sizeof count, "%d", MODEL_ROUTINES_MAX);
        reply_set(&v, "count", count);
        say(e, t, "refused", "say.toomany", &v);
        return SB_OK;
    }
    if (rc != SB_OK)
        return rc;
    if (old_name)
        describe(e, t, &saved, zone, "say.changed", "say.changed", "say.changed");
    else
        describe(e, t, &saved, zone, "say.saved", "say.saved.scheduled", "say.saved");
    if (unnamed) {
        routine_lang_say(e->rl, "say.saved.unnamed", &v, extra, sizeof extra);
        size_t o = strlen(t->message);
        snprintf(t->message + o, sizeof t->message - o, " %s", extra);
    }
    routine_free(&saved);
    return SB_OK;
}

static bool allowed(struct turn *t)
{
    if (policy_allows(t->level, ROUTINE_ACTION))
        return true;
    turn_deny(t, ROUTINE_ACTION);
    return false;
}

static int cmd_create(struct engine *e, struct turn *t, const struct routine_cmd *cmd,
                      struct sb_err *err)
{
    struct routine r = {0};
    struct reply_vars v = {0};
    char name[MODEL_ROUTINE_NAME_MAX + 1], count[16];
    int rc = SB_OK;
    if (!allowed(t))
        return SB_OK;
    if (cmd->n_steps == 0) {
        reply_set(&v, "step", cmd->steps[0]);
        say(e, t, "clarify",
            cmd->only_when     ? "say.when.what"
            : cmd->steps[0][0] ? "say.step.unclear"
                               : "say.step.none",
            &v);
        return SB_OK;
    }
    if (cmd->too_many) {
        snprintf(count, sizeof count, "%d", MODEL_ROUTINE_STEPS_MAX);
        reply_set(&v, "count", count);
        say(e, t, "refused", "say.toolong", &v);
        return SB_OK;
    }
    if (cmd->name[0])
        snprintf(name, sizeof name, "%s", cmd->name);
    else
        derive_name(t->c, cmd->steps[0], name, sizeof name);
    if (customer_find_routine(t->c, name)) {
        reply_set(&v, "name", name);
        say(e, t, "refused", "say.exists", &v);
        return SB_OK;
    }
    r.name = name;
    for (size_t i = 0; i < cmd->n_steps; i++)
        strlist_push(&r.steps, cmd->steps[i]);
    if (make_schedule(e, t, &cmd->when, &r.schedule) && steps_ok(e, t, &r.steps))
        rc = save(e, t, &r, NULL, !cmd->name[0], err);
    r.name = NULL;
    routine_free(&r);
    return rc;
}

static int cmd_add(struct engine *e, struct turn *t, const struct routine_cmd *cmd,
                   struct sb_err *err)
{
    struct routine r;
    const struct routine *old = customer_find_routine(t->c, cmd->name);
    struct reply_vars v = {0};
    int rc = SB_OK;
    if (!old) {
        not_found(e, t, cmd->name);
        return SB_OK;
    }
    if (!allowed(t))
        return SB_OK;
    routine_copy(&r, old);
    for (size_t i = 0; i < cmd->n_steps; i++)
        strlist_push(&r.steps, cmd->steps[i]);
    if (r.steps.len > MODEL_ROUTINE_STEPS_MAX || cmd->n_steps == 0) {
        char count[16];
        snprintf(count, sizeof count, "%d", MODEL_ROUTINE_STEPS_MAX);
        reply_set(&v, "count", count);
        reply_set(&v, "step", cmd->steps[0]);
        say(e, t, "refused", cmd->n_steps ? "say.toolong" : "say.step.unclear", &v);
    } else if (steps_ok(e, t, &r.steps)) {
        rc = save(e, t, &r, old->name, false, err);
    }
    routine_free(&r);
    return rc;
}

static int cmd_rename(struct engine *e, struct turn *t, const struct routine_cmd *cmd,
                      struct sb_err *err)
{
    struct routine r;
    const struct routine *old = customer_find_routine(t->c, cmd->name);
    struct reply_vars v = {0};
    if (!old) {
        not_found(e, t, cmd->name);
        return SB_OK;
    }
    routine_copy(&r, old);
    free(r.name);
    r.name = xstrdup(cmd->new_name);
    struct routine saved = {0};
    int rc = routines_save(e, t->c->id, &r, old->name, true, &saved, NULL, NULL, 0, err);
    reply_set(&v, "old", old->name);
    reply_set(&v, "name", cmd->new_name);
    if (rc == SB_ECONFLICT) {
        say(e, t, "refused", "say.exists", &v);
        rc = SB_OK;
    } else if (rc == SB_OK) {
        say(e, t, "done", "say.renamed", &v);
    }
    routine_free(&saved);
    routine_free(&r);
    return rc;
}

static int cmd_delete(struct engine *e, struct turn *t, const struct routine_cmd *cmd,
                      struct sb_err *err)
{
    struct routine removed;
    struct reply_vars v = {0};
    int rc = routines_delete(e, t->c->id, cmd->name, &removed, err);
    if (rc == SB_ENOTFOUND) {
        not_found(e, t, cmd->name);
        return SB_OK;
    }
    if (rc != SB_OK)
        return rc;
    reply_set(&v, "name", removed.name);
    say(e, t, "done", "say.deleted", &v);
    routine_free(&removed);
    return SB_OK;
}

/* Moves the run's step objects and changed devices into the turn. */
static void take_run(struct turn *t, struct routine_run *run, struct engine_reply *rr)
{
    for (size_t i = 0; run->steps && i < json_object_array_length(run->steps); i++) {
        json_object *o = json_object_array_get_idx(run->steps, i);
        const char *status = jsonx_get_string(o, "status");
        xjson_push(t->steps, json_object_get(o));
        t->n_done += status && (!strcmp(status, "done") || !strcmp(status, "unchanged"));
        t->n_refused += status && !strcmp(status, "refused");
        t->n_clarify += status && !strcmp(status, "clarify");
        t->n_denied += status && !strcmp(status, "denied");
    }
    if (run->denial && !t->denial)
        t->denial = json_object_get(run->denial);
    for (size_t i = 0; i < t->n_changed; i++)
        device_free(&t->changed[i]);
    free(t->changed);
    t->changed = rr->changed;
    t->n_changed = rr->n_changed;
    rr->changed = NULL;
    rr->n_changed = 0;
}

static int cmd_run(struct engine *e, struct turn *t, const struct routine_cmd *cmd,
                   struct sb_err *err)
{
    struct routine_run run = {0};
    struct engine_reply rr = {0};
    struct reply_vars v = {0};
    char text[TURN_MESSAGE_MAX];
    const struct routine *r = customer_find_routine(t->c, cmd->name);
    if (!r) {
        not_found(e, t, cmd->name);
        return SB_OK;
    }
    if (!allowed(t))
        return SB_OK;
    int rc = routines_run_now(e, t->c->id, r->name, &run, NULL, &rr, err);
    if (rc == SB_OK) {
        reply_set(&v, "name", r->name);
        reply_set(&v, "message", run.message);
        routine_lang_say(e->rl, "say.ran", &v, text, sizeof text);
        snprintf(t->message, sizeof t->message, "%s", text);
        take_run(t, &run, &rr);
    } else if (rc == SB_ENOTFOUND) {
        not_found(e, t, cmd->name); /* deleted meanwhile */
        rc = SB_OK;
    }
    routine_run_free(&run);
    engine_reply_free(&rr);
    return rc;
}

/* "europe/berlin" -> "Europe/Berlin", "utc" -> "UTC": the zone files' spelling. */
static void zone_case(const char *in, char *out, size_t n)
{
    size_t len = strlen(in);
    snprintf(out, n, "%s", in);
    for (size_t i = 0; out[i]; i++) {
        bool start = i == 0 || strchr("/_-", out[i - 1]);
        out[i] = (char)(len <= 4 || start ? toupper((unsigned char)out[i])
                                          : tolower((unsigned char)out[i]));
    }
}

static int cmd_zone(struct engine *e, struct turn *t, const struct routine_cmd *cmd,
                    struct sb_err *err)
{
    struct engine_reply rr = {0};
    struct reply_vars v = {0};
    struct sb_err zerr;
    char zone[TZ_NAME_MAX + 1], now[UTIL_TIMESTAMP_LEN], local[128];
    snprintf(zone, sizeof zone, "%s", cmd->zone);
    int rc = engine_set_timezone(e, t->c->id, zone, &rr, &zerr);
    if (rc == SB_EINVAL) {
        zone_case(cmd->zone, zone, sizeof zone);
        rc = engine_set_timezone(e, t->c->id, zone, &rr, &zerr);
    }
    reply_set(&v, "zone", rc == SB_EINVAL ? cmd->zone : zone);
    if (rc == SB_EINVAL) {
        say(e, t, "clarify", "say.zone.bad", &v);
        rc = SB_OK;
    } else if (rc == SB_OK) {
        util_format_timestamp(routines_now_ms(e), now, sizeof now);
        routines_local_time(e->rl, zone, now, local, sizeof local);
        reply_set(&v, "now", local);
        say(e, t, "done", "say.zone.set", &v);
    } else {
        *err = zerr;
    }
    engine_reply_free(&rr);
    return rc;
}

bool routine_chat(struct engine *e, struct turn *t, const char *text, int *rc, struct sb_err *err)
{
    struct routine_cmd *cmd = xmalloc(sizeof *cmd);
    const struct routine *r;
    *rc = SB_OK;
    if (routine_parse(e->rl, e->lx, t->c, text, cmd) == RCMD_NONE) {
        free(cmd);
        return false;
    }
    switch (cmd->kind) {
    case RCMD_CREATE:
        *rc = cmd_create(e, t, cmd, err);
        break;
    case RCMD_LIST:
        cmd_list(e, t);
        break;
    case RCMD_SHOW:
        if ((r = customer_find_routine(t->c, cmd->name)))
            describe(e, t, r, t->c->timezone ? t->c->timezone : TZ_DEFAULT, "say.show",
                     "say.show.scheduled", "say.show.done");
        else
            not_found(e, t, cmd->name);
        break;
    case RCMD_RENAME:
        *rc = cmd_rename(e, t, cmd, err);
        break;
    case RCMD_ADD:
        *rc = cmd_add(e, t, cmd, err);
        break;
    case RCMD_DELETE:
        *rc = cmd_delete(e, t, cmd, err);
        break;
    case RCMD_RUN:
        *rc = cmd_run(e, t, cmd, err);
        break;
    case RCMD_ZONE:
        *rc = cmd_zone(e, t, cmd, err);
        break;
    case RCMD_NONE:
        break;
    }
    /* a routine question is answered by saying the command again (or, for
     * a create that asks back, through routine_chat_pending): the
     * conversation's pending question (which re-reads device steps) stays clear */
    t->asked = 0;
    free(cmd);
    return true;
}

/* A create that will ask back: for what to do at a time said alone, or
 * for the time of steps said with days only ("every night"). */
static bool asks_back(const struct routine_cmd *cmd)
{
    return cmd->kind == RCMD_CREATE &&
           (cmd->only_when || (cmd->n_steps > 0 && cmd->when.said && !cmd->when.has_time));
}

/* A create with its steps and its time. */
static bool complete(const struct routine_cmd *cmd)
{
    return cmd->kind == RCMD_CREATE && !cmd->only_when && cmd->n_steps > 0 && cmd->when.has_time;
}

bool routine_chat_pending(struct engine *e, struct turn *t, const char *pending, const char *text,
                          bool *command, char **remember, int *rc, struct sb_err *err)
{
    struct routine_cmd *cmd = xmalloc(sizeof *cmd);
    bool handled = false;
    *command = false;
    *remember = NULL;
    *rc = SB_OK;
    if (pending) {
        /* the answer after the request it answers; a clock time said
         * alone ("23:15") reads as one after "at" */
        size_t n = strlen(pending) + strlen(text) + 8;
        char *both = xmalloc(n);
        snprintf(both, n, "%s %s%s", pending, isdigit((unsigned char)text[0]) ? "at " : "", text);
        if (routine_parse(e->rl, e->lx, t->c, both, cmd) != RCMD_NONE && complete(cmd)) {
            *rc = cmd_create(e, t, cmd, err);
            handled = true;
        }
        free(both);
    }
    if (!handled && routine_parse(e->rl, e->lx, t->c, text, cmd) != RCMD_NONE) {
        *command = !asks_back(cmd);
        if (!*command) {
            *rc = cmd_create(e, t, cmd, err);
            handled = true;
            if (*rc == SB_OK && strcmp(turn_outcome(t), "clarify") == 0)
                *remember = xstrdup(text);
        }
    }
    t->asked = 0;
    free(cmd);
    return handled;
}

char *routine_chat_repeat(struct engine *e, const struct customer *c, const char *last,
                          const char *text)
{
    char when[MODEL_STEP_MAX];
    struct routine_cmd *cmd;
    if (!last || !*last || !routine_parse_phrase(e->rl, "repeat.", text, when, sizeof when))
        return NULL;
    size_t n = strlen(last) + strlen(when) + 2;
    char *both = xmalloc(n);
    snprintf(both, n, "%s %s", last, when);
    /* only a time ("every night at 10"): "same for the bedroom" is a
     * follow-up, not a routine */
    cmd = xmalloc(sizeof *cmd);
    if (routine_parse(e->rl, e->lx, c, both, cmd) != RCMD_CREATE || cmd->only_when ||
        !cmd->when.said) {
        free(both);
        both = NULL;
    }
    free(cmd);
    return both;
}
