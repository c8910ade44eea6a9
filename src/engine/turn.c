/* Checking and executing the steps of one request. */
#include "engine/turn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "engine/action.h"
#include "engine/compare.h"
#include "engine/actions.h"
#include "engine/plans.h"
#include "engine/reply.h"

#define TURN_LIST_MAX 16

struct apply_arg {
    const struct intent_step *s;
    struct act_result r;
};

void turn_init(struct turn *t, struct store *st, const struct lexicon *lx, struct customer *c,
               const struct policy *pol, const struct service_level *level)
{
    memset(t, 0, sizeof *t);
    t->st = st;
    t->lx = lx;
    t->c = c;
    t->pol = pol;
    t->level = level;
    t->steps = xjson(json_object_new_array());
}

void turn_free(struct turn *t)
{
    json_object_put(t->steps);
    json_object_put(t->denial);
    turn_set_prev(t, NULL, 0);
    for (size_t i = 0; i < t->n_changed; i++)
        device_free(&t->changed[i]);
    free(t->changed);
    memset(t, 0, sizeof *t);
}

void turn_set_prev(struct turn *t, const char *const *ids, size_t n)
{
    char *copy[RESOLVE_MAX];
    size_t k = 0;
    for (; k < n && k < RESOLVE_MAX; k++)
        copy[k] = xstrdup(ids[k]);
    for (size_t i = 0; i < t->n_prev; i++)
        free(t->prev[i]);
    memcpy(t->prev, copy, k * sizeof *copy);
    t->n_prev = k;
}

static void say(struct turn *t, const char *text)
{
    size_t o = strlen(t->message);
    if (!text[0])
        return;
    snprintf(t->message + o, sizeof t->message - o, "%s%s", o ? " " : "", text);
}

/* Adds a step object; device and denial may be NULL (denial is taken). */
static void add_step(struct turn *t, const char *action, const struct device *d, const char *status,
                     const char *text, json_object *denial)
{
    json_object *o = xjson(json_object_new_object());
    char name[MODEL_NAME_MAX];
    xjson_add_lit(o, "action", xjson(json_object_new_string(action)));
    if (d) {
        model_device_display_name(d, name, sizeof name);
        xjson_add_lit(o, "deviceId", xjson(json_object_new_string(d->id)));
        xjson_add_lit(o, "deviceName", xjson(json_object_new_string(name)));
    } else {
        xjson_add_lit(o, "deviceId", NULL);
        xjson_add_lit(o, "deviceName", NULL);
    }
    xjson_add_lit(o, "status", xjson(json_object_new_string(status)));
    xjson_add_lit(o, "text", xjson(json_object_new_string(text)));
    if (d)
        xjson_add_lit(o, "device", device_to_json(d));
    if (denial) {
        if (!t->denial)
            t->denial = json_object_get(denial);
        xjson_add_lit(o, "denial", denial);
    }
    xjson_push(t->steps, o);
    say(t, text);
    if (strcmp(status, "clarify") == 0 && t->step_no < 32)
        t->asked |= 1u << t->step_no;
}

/* How an action reads in "you can ...": the data's phrase, else the
 * catalogue's name. */
static const char *can_phrase(const struct lexicon *lx, const struct policy *pol,
                              const char *action, char *buf, size_t n)
{
    snprintf(buf, n, "can.%s", action);
    const char *p = lexicon_reply(lx, buf);
    return p[0] ? p : policy_action_name(pol, action);
}

void turn_can_list(const struct lexicon *lx, const struct policy *pol,
                   const struct service_level *l, char *buf, size_t n)
{
    char keys[TURN_LIST_MAX][64];
    const char *items[TURN_LIST_MAX];
    size_t k = 0;
    for (size_t i = 0; l && i < l->allowed_actions.len && k < TURN_LIST_MAX; i++, k++)
        items[k] = can_phrase(lx, pol, l->allowed_actions.items[i], keys[k], sizeof keys[k]);
    if (k == 0)
        snprintf(buf, n, "%s", lexicon_reply(lx, "can.none"));
    else
        reply_join(lx, items, k, "list.and", buf, n);
}

void turn_denial_text(const struct lexicon *lx, const struct policy *pol,
                      const struct service_level *level, const char *action, char *buf, size_t n)
{
    struct reply_vars v = {0};
    char key[64], can[512], price[32];
    const struct service_level *up = policy_upgrade(pol, level, action);
    snprintf(key, sizeof key, "verb.%s", action);
    const char *verb = lexicon_reply(lx, key);
    reply_set(&v, "verb", verb[0] ? verb : policy_action_name(pol, action));
    reply_set(&v, "level", level->name ? level->name : level->level);
    turn_can_list(lx, pol, level, can, sizeof can);
    reply_set(&v, "can", can);
    if (up) {
        reply_price(lx, up->price_cents, price, sizeof price);
        reply_set(&v, "required", up->name ? up->name : up->level);
        reply_set(&v, "price", price);
    }
    reply_render(lx, up ? "denied" : "denied.none", &v, buf, n);
}

static void deny(struct turn *t, const char *action, const struct device *d)
{
    char text[REPLY_TEXT_MAX];
    turn_denial_text(t->lx, t->pol, t->level, action, text, sizeof text);
    add_step(t, action, d, "denied", text, policy_denial(t->pol, t->level, action));
    t->n_denied++;
}

/* A plan question's answer (plans.h), else what the customer can do and
 * what the next plan up adds. */
static void help(struct turn *t, const struct intent_step *s)
{
    struct reply_vars v = {0};
    char can[512], line[REPLY_TEXT_MAX], adds[512], price[32];
    const char *names[TURN_LIST_MAX];
    const struct service_level *up = NULL;
    if (plans_answer(t->lx, t->pol, t->level, s, line, sizeof line)) {
        say(t, line);
        t->n_help++;
        return;
    }
    for (size_t i = 0; i < t->pol->n_levels; i++)
        if (t->pol->levels[i].rank > t->level->rank && (!up || t->pol->levels[i].rank < up->rank))
            up = &t->pol->levels[i];
    turn_can_list(t->lx, t->pol, t->level, can, sizeof can);
    reply_set(&v, "level", t->level->name ? t->level->name : t->level->level);
    reply_set(&v, "can", can);
    reply_render(t->lx, "help", &v, line, sizeof line);
    say(t, line);
    if (up) {
        size_t k = 0;
        for (size_t i = 0; i < up->allowed_actions.len && k < TURN_LIST_MAX; i++)
            if (!policy_allows(t->level, up->allowed_actions.items[i]))
                names[k++] = policy_action_name(t->pol, up->allowed_actions.items[i]);
        reply_join(t->lx, names, k, "list.and", adds, sizeof adds);
        reply_price(t->lx, up->price_cents, price, sizeof price);
        reply_set(&v, "required", up->name ? up->name : up->level);
        reply_set(&v, "price", price);
        reply_set(&v, "adds", adds);
        reply_render(t->lx, "help.upgrade", &v, line, sizeof line);
    } else {
        reply_render(t->lx, "help.top", &v, line, sizeof line);
    }
    say(t, line);
    t->n_help++;
}

/* A reply that is not about a device: template key with {can}. */
static void canned(struct turn *t, const char *key)
{
    struct reply_vars v = {0};
    char can[512], line[REPLY_TEXT_MAX];
    turn_can_list(t->lx, t->pol, t->level, can, sizeof can);
    reply_set(&v, "can", can);
    reply_render(t->lx, key, &v, line, sizeof line);
    say(t, line);
}

/* Asks which device, naming the candidates (or all devices when none fit). */
static void ask_which(struct turn *t, const struct intent_step *s, const struct resolve_result *r,
                      const char *key)
{
    struct reply_vars v = {0};
    char names[TURN_LIST_MAX][MODEL_NAME_MAX], list[1024], line[REPLY_TEXT_MAX];
    const char *items[TURN_LIST_MAX];
    size_t k = 0;
    for (size_t i = 0; i < t->c->n_devices && k < TURN_LIST_MAX; i++) {
        bool listed = r == NULL;
        for (size_t j = 0; r && j < r->n; j++)
            listed = listed || r->idx[j] == i;
        if (!listed)
            continue;
        char tmp[MODEL_NAME_MAX];
        model_device_display_name(&t->c->devices[i], tmp, sizeof tmp);
        reply_the(t->lx, tmp, names[k], sizeof names[k]);
        items[k] = names[k];
        k++;
    }
    reply_join(t->lx, items, k, r ? "list.or" : "list.and", list, sizeof list);
    reply_set(&v, "candidates", list);
    if (t->c->n_devices == 0)
        key = "nodevices";
    else if (!r && t->c->n_devices == 1)
        key = "nodevice.one";
    reply_render(t->lx, key, &v, line, sizeof line);
    add_step(t, action_get(s->action)->name, NULL, "clarify", line, NULL);
    t->n_clarify++;
}

static int apply_fn(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    struct apply_arg *a = arg;
    actions_apply(a->s, d, &a->r);
    return a->r.status == ACT_DONE ? SB_OK : sb_err_set(err, SB_EINVAL, "nothing to change");
}

/* The store-less variant of store_update_device (see turn_init). */
static int apply_here(const struct device *d, struct apply_arg *a, struct device *out,
                      struct sb_err *err)
{
    device_copy(out, d);
    int rc = apply_fn(out, NULL, a, err);
    char ts[UTIL_TIMESTAMP_LEN];
    if (rc == SB_OK) {
        /* as store_update_device does: the change is stamped now */
        util_timestamp_now(ts, sizeof ts);
        free(out->last_updated);
        out->last_updated = xstrdup(ts);
    } else {
        device_free(out);
    }
    return rc;
}

/* Keeps the committed record: in the customer (later steps see it) and in
 * the changed list (pushed to clients). */
static void remember_change(struct turn *t, size_t idx, struct device *d)
{
    struct device *slot = NULL;
    for (size_t i = 0; i < t->n_changed; i++)
        if (strcmp(t->changed[i].id, d->id) == 0)
            slot = &t->changed[i];
    if (!slot) {
        t->changed = xrealloc(t->changed, (t->n_changed + 1) * sizeof *t->changed);
        slot = &t->changed[t->n_changed++];
    } else {
        device_free(slot);
    }
    device_copy(slot, d);
    device_free(&t->c->devices[idx]);
    t->c->devices[idx] = *d;
    memset(d, 0, sizeof *d);
}

/* The sentence for a step a device declined; a song that is not on its
 * playlist but on another device's says where it is. */
static void refusal_text(struct turn *t, const struct act_result *r, const struct device *d,
                         char *buf, size_t n)
{
    char other[MODEL_NAME_MAX + 4], name[MODEL_NAME_MAX];
    const char *key = r->reply, *title = r->title, *found;
    other[0] = '\0';
    for (size_t i = 0; strcmp(key, "song.notfound") == 0 && i < t->c->n_devices; i++) {
        const struct device *o = &t->c->devices[i];
        if (o != d && model_device_can(o, "music_playback") &&
            (found = resolve_title(&o->playlist, r->title))) {
            model_device_display_name(o, name, sizeof name);
            reply_the(t->lx, name, other, sizeof other);
            key = "song.elsewhere";
            title = found;
        }
    }
    actions_render(t->lx, key, d, title, other, buf, n);
}

/* Executes (or reports) a step on one device; key gets the reply template
 * used. */
static int act_on(struct turn *t, const struct intent_step *s, size_t idx, char *key, size_t kn,
                  struct sb_err *err)
{
    static const char *const statuses[] = {"done", "unchanged", "refused", "clarify"};
    const struct action_def *row = action_get(s->action);
    const char *action = row->name;
    struct apply_arg a = {.s = s};
    struct device out = {0};
    char text[REPLY_TEXT_MAX];
    const struct device *d = &t->c->devices[idx];
    if (row->flags & ACTION_REPORT) {
        snprintf(key, kn, "%s", actions_status_key(d));
        /* a question about one fact: where it is, what it can play */
        if (s->about[0]) {
            snprintf(key, kn, "status.%s%s", s->about,
                     strcmp(s->about, "playlist") == 0 && d->playlist.len == 0 ? ".none" : "");
            /* "what volume is the porch light at?": what it is, then */
            if (!lexicon_reply(t->lx, key)[0] ||
                (strcmp(s->about, "volume") == 0 && !model_device_can(d, "volume_control")))
                snprintf(key, kn, "%s", actions_status_key(d));
        }
        actions_render(t->lx, key, d, NULL, NULL, text, sizeof text);
        add_step(t, action, d, "done", text, NULL);
        t->n_status++;
        return SB_OK;
    }
    int rc = t->st ? store_update_device(t->st, t->c->id, d->id, apply_fn, &a, &out, err)
                   : apply_here(d, &a, &out, err);
    snprintf(key, kn, "%s", a.r.reply);
    if (rc == SB_EINVAL && a.r.reply[0]) {
        /* fn declined: already so, refused or a question */
        refusal_text(t, &a.r, d, text, sizeof text);
        add_step(t, action, d, statuses[a.r.status], text, NULL);
        t->n_done += a.r.status == ACT_UNCHANGED;
        t->n_refused += a.r.status == ACT_REFUSED;
        t->n_clarify += a.r.status == ACT_CLARIFY;
        return SB_OK;
    }
    if (rc != SB_OK)
        return rc;
    actions_render(t->lx, a.r.reply, &out, a.r.title, NULL, text, sizeof text);
    add_step(t, action, &out, "done", text, NULL);
    t->n_done++;
    remember_change(t, idx, &out);
    return SB_OK;
}

/* When a step did the same to several devices, one sentence says so ("I
 * turned the Office Speaker and the Reception Hub off.") in place of one
 * per device, if the data has a ".many" template for it. */
/* Whether device i's sentence for keys[i] is device g's but for the name
 * (same template and same facts), so one ".many" sentence can say both. */
static bool same_sentence(struct turn *t, const struct intent_step *s,
                          const struct resolve_result *r, char (*keys)[ACTION_KEY_MAX], size_t g,
                          size_t i)
{
    char a[REPLY_TEXT_MAX], b[REPLY_TEXT_MAX];
    const struct device *dg = &t->c->devices[r->idx[g]], *d = &t->c->devices[r->idx[i]];
    struct device same = *d;
    if (strcmp(keys[i], keys[g]) != 0)
        return false;
    same.name = dg->name;
    same.type = dg->type;
    /* a move's sentence names the room each device is now in */
    same.location = action_get(s->action)->flags & ACTION_SETS_ROOM ? d->location : dg->location;
    actions_render(t->lx, keys[g], dg, s->title, NULL, a, sizeof a);
    actions_render(t->lx, keys[i], &same, s->title, NULL, b, sizeof b);
    return strcmp(a, b) == 0;
}

/* When a step did the same to several devices, one sentence says so ("I
 * turned the Office Speaker and the Reception Hub off.") in place of one
 * per device, if the data has a ".many" template for it; devices with
 * different outcomes get one sentence per outcome ("I turned the Play
 * Corner on. The Hall Light and the Porch Light are already on."). */
static void say_once(struct turn *t, const struct intent_step *s, const struct resolve_result *r,
                     char (*keys)[ACTION_KEY_MAX], size_t mark)
{
    char many[ACTION_KEY_MAX + 8], text[REPLY_TEXT_MAX], list[1024];
    char names[TURN_LIST_MAX][MODEL_NAME_MAX + 4], said[TURN_LIST_MAX][REPLY_TEXT_MAX];
    const char *items[TURN_LIST_MAX];
    size_t n_steps = json_object_array_length(t->steps), n_said = 0;
    bool used[TURN_LIST_MAX] = {false}, merged = false;
    if (r->n > TURN_LIST_MAX || n_steps < r->n)
        return;
    for (size_t g = 0; g < r->n; g++) {
        size_t k = 0;
        if (used[g])
            continue;
        snprintf(many, sizeof many, "%s.many", keys[g]);
        for (size_t i = g; i < r->n && keys[g][0] && lexicon_reply(t->lx, many)[0]; i++) {
            if (used[i] || !same_sentence(t, s, r, keys, g, i))
                continue;
            char tmp[MODEL_NAME_MAX];
            model_device_display_name(&t->c->devices[r->idx[i]], tmp, sizeof tmp);
            reply_the(t->lx, tmp, names[k], sizeof names[k]);
            items[k] = names[k];
            k++;
            used[i] = true;
        }
        if (k > 1) {
            reply_join(t->lx, items, k, "list.and", list, sizeof list);
            actions_render(t->lx, many, &t->c->devices[r->idx[g]], s->title, list, text,
                           sizeof text);
            text[0] = (char)toupper((unsigned char)text[0]);
            merged = true;
        } else {
            /* its own sentence, as the step said it */
            json_object *o = json_object_array_get_idx(t->steps, n_steps - r->n + g);
            snprintf(text, sizeof text, "%s", jsonx_get_string(o, "text") ?: "");
            used[g] = true;
        }
        snprintf(said[n_said++], sizeof said[0], "%s", text);
    }
    if (!merged)
        return;
    t->message[mark] = '\0';
    for (size_t i = 0; i < n_said; i++)
        say(t, said[i]);
}

/* "I turned the Bedroom Speaker on and set it to 25% volume.": a step on
 * the device the sentence before was about, with the same status, joins
 * that sentence when the data has a "<key>.and" continuation for it. */
static void join_previous(struct turn *t, const struct action_def *row,
                          const struct resolve_result *r, const char *key, size_t mark)
{
    size_t n = json_object_array_length(t->steps);
    const char *status =
        n ? jsonx_get_string(json_object_array_get_idx(t->steps, n - 1), "status") : NULL;
    const struct device *d = r->n == 1 ? &t->c->devices[r->idx[0]] : NULL;
    char and_key[ACTION_KEY_MAX + 8], text[REPLY_TEXT_MAX];
    bool single = d && status && !(row->flags & ACTION_REPORT) &&
                  (strcmp(status, "done") == 0 || strcmp(status, "unchanged") == 0);
    snprintf(and_key, sizeof and_key, "%s.and", key);
    if (single && t->join_end == mark && mark > 0 && t->message[mark - 1] == '.' &&
        strcmp(t->join_id, d->id) == 0 && strcmp(t->join_status, status) == 0 &&
        lexicon_reply(t->lx, and_key)[0]) {
        actions_render(t->lx, and_key, d, NULL, NULL, text, sizeof text);
        t->message[mark - 1] = '\0';
        say(t, text);
        t->join_id[0] = '\0'; /* one "and" a sentence */
        return;
    }
    t->join_id[0] = '\0';
    if (single) {
        snprintf(t->join_id, sizeof t->join_id, "%s", d->id);
        snprintf(t->join_status, sizeof t->join_status, "%s", status);
        t->join_end = strlen(t->message);
    }
}

static void ask_value(struct turn *t, const struct intent_step *s, const struct device *d)
{
    struct act_result r = {.status = ACT_CLARIFY};
    struct device copy = {0};
    char text[REPLY_TEXT_MAX];
    device_copy(&copy, d);
    actions_apply(s, &copy, &r);
    device_free(&copy);
    actions_render(t->lx, r.reply, d, NULL, NULL, text, sizeof text);
    add_step(t, action_get(s->action)->name, d, "clarify", text, NULL);
    t->n_clarify++;
}

/* Says that the device meant cannot do what the step asks. */
static void cannot(struct turn *t, const struct intent_step *s, const struct device *d)
{
    char text[REPLY_TEXT_MAX], name[MODEL_NAME_MAX], key[64];
    struct reply_vars v = {0};
    model_device_display_name(d, name, sizeof name);
    reply_set(&v, "device", name);
    snprintf(key, sizeof key, "cannot.%s", action_capability(s));
    reply_render(t->lx, key, &v, text, sizeof text);
    add_step(t, action_get(s->action)->name, d, "refused", text, NULL);
    t->n_refused++;
}

/* "How many devices do I have?": one sentence naming them; "how many
 * lights are on?" (state said): those that are. */
static void count(struct turn *t, const struct intent_step *s, const struct resolve_result *r)
{
    struct reply_vars v = {0};
    char names[TURN_LIST_MAX][MODEL_NAME_MAX + 4], list[1024], n[16], line[REPLY_TEXT_MAX];
    const char *items[TURN_LIST_MAX];
    size_t k = 0;
    for (size_t i = 0; i < r->n && k < TURN_LIST_MAX; i++) {
        const struct device *d = &t->c->devices[r->idx[i]];
        char tmp[MODEL_NAME_MAX];
        if (s->state >= 0 && d->on != (s->state == 1))
            continue;
        model_device_display_name(d, tmp, sizeof tmp);
        reply_the(t->lx, tmp, names[k], sizeof names[k]);
        items[k] = names[k];
        k++;
    }
    reply_join(t->lx, items, k, "list.and", list, sizeof list);
    snprintf(n, sizeof n, "%zu", k);
    reply_set(&v, "count", n);
    reply_set(&v, "devices", list);
    reply_set(&v, "state", s->state == 1 ? "on" : "off");
    reply_render(t->lx,
                 s->state >= 0 ? (k == 0   ? "status.count.none"
                                  : k == 1 ? "status.count.state.one"
                                           : "status.count.state")
                 : k == 1      ? "status.count.one"
                               : "status.count",
                 &v, line, sizeof line);
    add_step(t, action_get(s->action)->name, NULL, "done", line, NULL);
    t->n_status++;
}

static bool any_has_title(const struct turn *t, const struct resolve_result *r, const char *title)
{
    for (size_t i = 0; i < r->n; i++)
        if (resolve_title(&t->c->devices[r->idx[i]].playlist, title))
            return true;
    return false;
}

/* Resolves, checks and executes a step about devices. The order of the
 * answers: what the device cannot do, then what the plan does not allow
 * (before asking which device: the answer would not help), then questions. */
static int device_step(struct turn *t, const struct intent_step *s, struct sb_err *err)
{
    struct resolve_result r;
    const struct action_def *row = action_get(s->action);
    const char *action = row->name;
    const char *ids[RESOLVE_MAX];
    resolve_target(t->c, s, (const char *const *)t->prev, t->n_prev, &r);
    for (size_t i = 0; i < r.n; i++)
        ids[i] = t->c->devices[r.idx[i]].id;
    if (r.status == RESOLVE_OK || r.status == RESOLVE_CANNOT)
        turn_set_prev(t, ids, r.n);
    if (r.status == RESOLVE_CANNOT) {
        cannot(t, s, &t->c->devices[r.idx[0]]);
        return SB_OK;
    }
    const struct device *one = r.status == RESOLVE_OK && r.n == 1 ? &t->c->devices[r.idx[0]] : NULL;
    if (!policy_allows(t->level, action)) {
        deny(t, action, one);
        return SB_OK;
    }
    if (r.status == RESOLVE_WHICH && s->action == INTENT_SONG && s->song == SONG_TITLE &&
        !any_has_title(t, &r, s->title)) {
        /* no use asking which device: none has it */
        char text[REPLY_TEXT_MAX];
        actions_render(t->lx, "song.nowhere", &t->c->devices[r.idx[0]], s->title, NULL, text,
                       sizeof text);
        add_step(t, action, NULL, "refused", text, NULL);
        t->n_refused++;
        return SB_OK;
    }
    if (r.status == RESOLVE_NONE || r.status == RESOLVE_WHICH) {
        ask_which(t, s, r.status == RESOLVE_NONE ? NULL : &r,
                  r.status == RESOLVE_NONE ? "nodevice" : "which");
        return SB_OK;
    }
    if ((row->flags & ACTION_MULTI_ROOM_ON) && r.n > 1 &&
        !policy_allows(t->level, ACTION_MULTI_ROOM)) {
        deny(t, ACTION_MULTI_ROOM, NULL);
        return SB_OK;
    }
    const char *power = action_get(INTENT_POWER)->name;
    for (size_t i = 0; (row->flags & ACTION_POWERS_ON) && s->state == 1 && i < r.n; i++)
        if (!t->c->devices[r.idx[i]].on && !policy_allows(t->level, power)) {
            /* "play some music" would switch it on: that is power's to allow */
            deny(t, power, &t->c->devices[r.idx[i]]);
            return SB_OK;
        }
    if (row->missing && row->missing(s)) {
        ask_value(t, s, &t->c->devices[r.idx[0]]);
        return SB_OK;
    }
    if ((row->flags & ACTION_REPORT) && strcmp(s->about, "count") == 0) {
        count(t, s, &r);
        return SB_OK;
    }
    char keys[RESOLVE_MAX][ACTION_KEY_MAX];
    size_t mark = strlen(t->message);
    for (size_t i = 0; i < r.n; i++) {
        int rc = act_on(t, s, r.idx[i], keys[i], sizeof keys[i], err);
        if (rc != SB_OK)
            return rc;
    }
    if (r.n > 1)
        say_once(t, s, &r, keys, mark);
    join_previous(t, row, &r, keys[0], mark);
    return SB_OK;
}

/* "dim the porch light" is refused, yet "just switch it off then" means
 * the porch light: a refused step's devices, when it names some, are what
 * the next "it" is. */
static void remember_named(struct turn *t, const struct intent_step *s)
{
    struct resolve_result r;
    const char *ids[RESOLVE_MAX];
    if (!s->target.explicit_ || s->target.all)
        return;
    resolve_target(t->c, s, (const char *const *)t->prev, t->n_prev, &r);
    for (size_t i = 0; i < r.n; i++)
        ids[i] = t->c->devices[r.idx[i]].id;
    if (r.status == RESOLVE_OK && r.n > 0)
        turn_set_prev(t, ids, r.n);
}

int turn_step(struct turn *t, const struct intent_step *s, struct sb_err *err)
{
    /* "as loud as the kitchen one": the value read off that device first */
    struct intent_step measured;
    if (compare_complete(t->c, (const char *const *)t->prev, t->n_prev, s, &measured))
        s = &measured;
    const struct action_def *row = action_get(s->action);
    switch (row->kind) {
    case ACTION_KIND_HELP:
        help(t, s);
        return SB_OK;
    case ACTION_KIND_REPLY:
        if (row->flags & ACTION_REFUSES) {
            char key[64], line[REPLY_TEXT_MAX];
            struct reply_vars v = {0};
            remember_named(t, s);
            snprintf(key, sizeof key, "%s.%s", row->reply, s->about);
            reply_render(t->lx, lexicon_reply(t->lx, key)[0] ? key : row->reply, &v, line,
                         sizeof line);
            add_step(t, row->name, NULL, "refused", line, NULL);
            t->n_refused++;
            return SB_OK;
        }
        canned(t, row->reply);
        if (row->flags & ACTION_COUNTS_HELP)
            t->n_help++;
        else
            t->n_oos++;
        return SB_OK;
    case ACTION_KIND_DEVICE:
        break;
    }
    return device_step(t, s, err);
}

const char *turn_outcome(const struct turn *t)
{
    size_t acted = t->n_done + t->n_status;
    size_t failed = t->n_denied + t->n_refused;
    if (t->n_help && !acted && !failed && !t->n_clarify)
        return "help";
    if (t->n_clarify && !acted)
        return "clarify";
    if (acted && (failed || t->n_clarify))
        return "partial";
    if (t->n_denied && !acted)
        return t->n_refused ? "partial" : "denied";
    if (t->n_refused && !acted)
        return "unsupported";
    if (t->n_status && !t->n_done)
        return "status";
    if (acted)
        return "done";
    return t->n_help ? "help" : "out_of_scope";
}

void turn_add(struct turn *t, const char *action, const struct device *d, const char *status,
              const char *text, json_object *denial)
{
    add_step(t, action, d, status, text, denial);
}

void turn_deny(struct turn *t, const char *action)
{
    deny(t, action, NULL);
}
