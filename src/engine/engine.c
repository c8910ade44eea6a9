/* engine_handle: parse, check, execute, answer, record. */
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "engine/action.h"
#include "engine/convo.h"
#include "engine/engine_impl.h"
#include "engine/followup.h"
#include "engine/plans.h"
#include "engine/intent.h"
#include "engine/multiroom.h"
#include "engine/routine_chat.h"
#include "engine/turn.h"
#include "engine/undo.h"

#define ENGINE_CLIENT_ID_MAX 100

int engine_new(struct store *st, struct engine **out, struct sb_err *err)
{
    struct engine *e = xcalloc(1, sizeof *e);
    *out = NULL;
    e->st = st;
    e->replies = memo_new(ENGINE_REPLIES_KEPT);
    e->busy = inflight_new();
    int rc = lexicon_new(&e->lx, err);
    if (rc == SB_OK)
        rc = routine_lang_new(&e->rl, err);
    if (rc == SB_OK)
        routine_lang_use_lexicon(e->rl, e->lx);
    if (rc != SB_OK)
        engine_free(e);
    else
        *out = e;
    return rc;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    lexicon_free(e->lx);
    routine_lang_free(e->rl);
    memo_free(e->replies);
    inflight_free(e->busy);
    free(e);
}

void engine_reply_free(struct engine_reply *r)
{
    if (!r)
        return;
    json_object_put(r->result);
    for (size_t i = 0; i < r->n_changed; i++)
        device_free(&r->changed[i]);
    free(r->changed);
    memset(r, 0, sizeof *r);
}

static int level_of(const struct policy *pol, const struct customer *c,
                    const struct service_level **level, struct sb_err *err)
{
    *level = policy_level(pol, c->service_level);
    if (!*level)
        return sb_err_set(err, SB_ECORRUPT,
                          "customer %s has service level \"%s\", which does not exist", c->id,
                          c->service_level ? c->service_level : "");
    return SB_OK;
}

int engine_load_level(struct engine *e, const struct customer *c, struct policy *pol,
                      const struct service_level **level, struct sb_err *err)
{
    int rc = policy_load(e->st, pol, err);
    if (rc != SB_OK)
        return rc;
    if ((rc = level_of(pol, c, level, err)) != SB_OK)
        policy_free(pol);
    return rc;
}

/* Two 64-bit FNV-1a hashes with different offsets: 128 bits for ids. */
static void hash128(const char *a, const char *b, char *hex, size_t n)
{
    uint64_t h1 = 1469598103934665603ULL, h2 = 0x84222325cbf29ce4ULL;
    const char *parts[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        for (const char *p = parts[k]; *p; p++) {
            h1 = (h1 ^ (unsigned char)*p) * 1099511628211ULL;
            h2 = (h2 ^ (unsigned char)*p) * 0x100000001b3ULL;
            h2 ^= h2 >> 29;
        }
        h1 = (h1 ^ 0xff) * 1099511628211ULL;
        h2 = (h2 ^ 0xff) * 0x100000001b3ULL;
    }
    snprintf(hex, n, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

/* The ids of one exchange (see engine.h): user "msg_u_X", bot "msg_b_X". */
static void exchange_ids(const struct engine_request *req, char *user, char *bot, size_t n)
{
    char x[UTIL_ID_LEN];
    if (req->message_id) {
        hash128(req->customer_id, req->message_id, x, sizeof x);
    } else {
        char rnd[UTIL_ID_LEN];
        util_new_ordered_id("r", rnd, sizeof rnd);
        snprintf(x, sizeof x, "%s", rnd + 2);
    }
    snprintf(user, n, MESSAGE_REQUEST_PREFIX "%s", x);
    snprintf(bot, n, MESSAGE_REPLY_PREFIX "%s", x);
}

static int check_request(const struct engine_request *req, struct sb_err *err)
{
    if (!req->customer_id || !*req->customer_id)
        return sb_err_set(err, SB_EINVAL, "customerId is required");
    if (!req->text)
        return sb_err_set(err, SB_EINVAL, "message is required");
    size_t len = strlen(req->text);
    if (len > MODEL_TEXT_MAX)
        return sb_err_set(err, SB_EINVAL, "message is too long (%zu bytes, at most %d)", len,
                          MODEL_TEXT_MAX);
    if (!utf8_valid(req->text, len))
        return sb_err_set(err, SB_EINVAL, "message is not valid UTF-8");
    bool blank = true;
    for (const char *p = req->text; *p && blank; p++)
        blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    if (blank)
        return sb_err_set(err, SB_EINVAL, "message is empty");
    if (req->message_id && (!*req->message_id || strlen(req->message_id) > ENGINE_CLIENT_ID_MAX))
        return sb_err_set(err, SB_EINVAL, "message id must be 1-%d characters",
                          ENGINE_CLIENT_ID_MAX);
    if (req->conversation_id &&
        (!*req->conversation_id || strlen(req->conversation_id) >= MODEL_ID_MAX))
        return sb_err_set(err, SB_EINVAL, "conversationId must be 1-%d characters",
                          MODEL_ID_MAX - 1);
    return SB_OK;
}

/* A resend answered from memory: the full result. */
static bool find_recent(struct engine *e, const struct engine_request *req, const char *user_id,
                        json_object **out)
{
    struct sb_err ignored;
    char *cached = memo_get(e->replies, user_id);
    *out = NULL;
    if (!cached)
        return false;
    if (jsonx_parse(cached, strlen(cached), out, &ignored) != SB_OK)
        *out = NULL;
    free(cached);
    const char *owner = *out ? jsonx_get_string(*out, "customerId") : NULL;
    if (*out && (!owner || strcmp(owner, req->customer_id) != 0)) {
        json_object_put(*out);
        *out = NULL;
    }
    if (*out)
        xjson_add(*out, "duplicate", xjson(json_object_new_boolean(1)));
    return *out != NULL;
}

/* A resend of an exchange committed earlier (perhaps by another instance
 * or before a restart): rebuilt from its stored bot message. */
static json_object *stored_reply(const struct engine_request *req, const char *user_id,
                                 const struct message *m)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "message", jsonx_string_or_null(m->text));
    xjson_add(o, "outcome", xjson(json_object_new_string("done")));
    xjson_add(o, "steps", xjson(json_object_new_array()));
    xjson_add(o, "conversationId", jsonx_string_or_null(m->conversation_id));
    xjson_add(o, "messageId", xjson(json_object_new_string(m->id)));
    xjson_add(o, "inReplyTo", xjson(json_object_new_string(user_id)));
    xjson_add(o, "timestamp", jsonx_string_or_null(m->timestamp));
    xjson_add(o, "customerId", xjson(json_object_new_string(req->customer_id)));
    xjson_add(o, "duplicate", xjson(json_object_new_boolean(1)));
    return o;
}

/* Completes step s with an answer; false when it does not answer it. */
static bool answer_step(struct intent_step *s, const struct intent_step *ans)
{
    const struct action_def *a = action_get(s->action);
    if (a->missing && a->missing(s) && a->answer && a->answer(s, ans)) {
        /* the value the step asked for ("what volume?": "30") */
    } else if (ans->target.explicit_) {
        /* what the answer does not say stays as asked: "the speaker" for
         * the music thing in the bedroom is the one in the bedroom, "the
         * one in the kitchen" for the music is a player there */
        struct intent_target asked = s->target;
        s->target = ans->target;
        if (!ans->target.n_ids && !ans->target.n_rooms && !ans->target.all) {
            memcpy(s->target.rooms, asked.rooms, sizeof asked.rooms);
            s->target.n_rooms = asked.n_rooms;
        }
        if (!ans->target.n_ids && !ans->target.n_types && !ans->target.n_parts &&
            !ans->target.all) {
            memcpy(s->target.types, asked.types, sizeof asked.types);
            s->target.n_types = asked.n_types;
        }
        snprintf(s->words, sizeof s->words, "%s", ans->words);
    } else if (ans->target.which && ans->target.which != WHICH_HERE) {
        s->target.which = ans->target.which; /* "the one that's off": of those asked about */
    } else {
        return false;
    }
    return true;
}

/* Turns an answer ("the kitchen one", "30", "the office") to the questions
 * the conversation's previous turn asked back into the steps that asked
 * them (cv's pending steps of its pending request); origin[k] gets the
 * index in that request of the k-th step. */
static bool resume(struct engine *e, const struct text_entities *ents, const struct convo *cv,
                   struct intent *in, size_t *origin)
{
    struct intent orig;
    const struct intent_step *ans = &in->steps[0];
    size_t n = 0;
    if (in->n_steps != 1 || !ans->answer)
        return false;
    intent_parse_for(e->lx, ents, cv->pending, &orig);
    for (size_t i = 0; i < orig.n_steps; i++) {
        if (!(cv->pending_steps & (1ul << i)) || !answer_step(&orig.steps[i], ans))
            continue;
        orig.steps[n] = orig.steps[i];
        origin[n++] = i;
    }
    if (n == 0)
        return false;
    in->n_steps = n;
    memcpy(in->steps, orig.steps, n * sizeof *in->steps);
    return true;
}

/* One exchange being run (exchange_fn may run more than once). */
struct exchange {
    struct engine *e;
    const struct engine_request *req;
    const struct policy *pol;
    const char *conv, *user_id, *bot_id;
    struct turn t;
    bool t_live;
    bool routine;       /* the text is a routine command: run on its own */
    char *routine_text; /* what it reads, when not the text ("do that every night") */
    char *state;
    char user_ts[UTIL_TIMESTAMP_LEN], bot_ts[UTIL_TIMESTAMP_LEN];
};

static void exchange_reset(struct exchange *x)
{
    if (x->t_live)
        turn_free(&x->t);
    x->t_live = false;
    free(x->state);
    x->state = NULL;
}

/* A device as the exchange found it, for what the turn changed. */
struct device_before {
    char *room; /* a copy, or NULL */
    bool on;
    int volume;
};

/* The devices whose power or volume the turn changed, as they were before
 * it; a turn that changed none leaves the last change to undo. */
static void remember_changes(struct convo *cv, const struct customer *c,
                             const struct device_before *before)
{
    struct convo_change now[RESOLVE_MAX];
    size_t n = 0;
    for (size_t i = 0; i < c->n_devices && n < RESOLVE_MAX; i++) {
        if (c->devices[i].on == before[i].on && c->devices[i].volume == before[i].volume)
            continue;
        snprintf(now[n].device, sizeof now[n].device, "%s", c->devices[i].id);
        now[n].on = before[i].on;
        now[n++].volume = before[i].volume;
    }
    if (n == 0)
        return;
    memcpy(cv->changed, now, n * sizeof *now);
    cv->n_changed = n;
}

/* What the turn leaves for the next one: its devices, a move, its last
 * action, its questions (or none), its changes. */
static void remember(struct convo *cv, const struct turn *t, const struct customer *c,
                     const struct device_before *before, const char *source, const size_t *origin,
                     bool follow_up)
{
    unsigned long mask = 0;
    /* what the next follow-up completes ("more", "and the display?"); a
     * follow-up leaves the request it followed */
    if (!follow_up && t->n_done + t->n_status + t->n_refused > 0)
        convo_set_last(cv, source);
    if (t->n_prev)
        convo_set_devices(cv, t->prev, t->n_prev);
    for (size_t i = 0; i < c->n_devices; i++) {
        const char *now = c->devices[i].location;
        if (before[i].room && now && strcmp(before[i].room, now) != 0) {
            snprintf(cv->moved_device, sizeof cv->moved_device, "%s", c->devices[i].id);
            snprintf(cv->moved_from, sizeof cv->moved_from, "%s", before[i].room);
        }
    }
    remember_changes(cv, c, before);
    size_t n = json_object_array_length(t->steps);
    const char *last =
        n ? jsonx_get_string(json_object_array_get_idx(t->steps, n - 1), "action") : NULL;
    if (last)
        snprintf(cv->last_action, sizeof cv->last_action, "%s", last);
    for (size_t k = 0; k < INTENT_MAX_STEPS; k++)
        if (t->asked & (1u << k))
            mask |= 1ul << origin[k];
    convo_set_pending(cv, mask, source);
}

static json_object *build_result(struct turn *t, const struct engine_request *req, const char *conv,
                                 const char *user_id, const char *bot_id, const char *bot_ts);

/* A routine command (routine_chat.h), as before exchanges: its own writes
 * through the store, then both messages in one append. What the
 * conversation remembers is left as it was. */
static int routine_exchange(struct exchange *x, struct engine_reply *out, struct sb_err *err)
{
    struct customer c = {0};
    const struct service_level *level;
    struct turn t = {0};
    const struct engine_request *req = x->req;
    int rc = store_get_customer(x->e->st, req->customer_id, &c, err);
    if (rc == SB_OK)
        rc = level_of(x->pol, &c, &level, err);
    if (rc != SB_OK)
        goto out;
    turn_init(&t, x->e->st, x->e->lx, &c, x->pol, level);
    if (!routine_chat(x->e, &t, x->routine_text ? x->routine_text : req->text, &rc, err))
        rc = sb_err_set(err, SB_ECONFLICT, "the customer's routines changed; try again");
    if (rc != SB_OK)
        goto out;
    int64_t now = util_now_ms();
    util_format_timestamp(now, x->user_ts, sizeof x->user_ts);
    util_format_timestamp(now + 1, x->bot_ts, sizeof x->bot_ts);
    struct message m[2] = {
        {(char *)x->user_id, (char *)x->conv, (char *)req->customer_id, (char *)req->text, "user",
         x->user_ts},
        {(char *)x->bot_id, (char *)x->conv, (char *)req->customer_id, t.message, "bot", x->bot_ts},
    };
    if ((rc = store_append_messages(x->e->st, m, 2, err)) != SB_OK)
        goto out;
    out->result = build_result(&t, req, x->conv, x->user_id, x->bot_id, x->bot_ts);
    out->changed = t.changed;
    out->n_changed = t.n_changed;
    t.changed = NULL;
    t.n_changed = 0;
out:
    turn_free(&t);
    customer_free(&c);
    return rc;
}

static int exchange_fn(struct customer *c, const char *state, struct store_exchange *ex, void *arg,
                       struct sb_err *err)
{
    struct exchange *x = arg;
    const struct service_level *level;
    struct convo cv;
    struct intent in;
    struct text_entities ents;
    char *source = NULL;
    struct device_before *before = NULL;
    size_t origin[INTENT_MAX_STEPS]; /* where in the source request each step is */
    int rc;
    exchange_reset(x);
    if ((rc = level_of(x->pol, c, &level, err)) != SB_OK)
        return rc;
    convo_parse(state, &cv);
    /* store-less: the steps change c, which the store commits */
    turn_init(&x->t, NULL, x->e->lx, c, x->pol, level);
    x->t_live = true;
    char *asked = NULL;
    bool command;
    free(x->routine_text);
    x->routine_text = routine_chat_repeat(x->e, c, cv.last_request, x->req->text);
    const char *text = x->routine_text ? x->routine_text : x->req->text;
    if (routine_chat_pending(x->e, &x->t, cv.pending_routine, text, &command, &asked, &rc, err)) {
        /* a routine question, or its answer: remembered with this exchange */
        convo_set_pending(&cv, 0, NULL);
        convo_set_pending_routine(&cv, asked);
        free(asked);
        if (rc != SB_OK)
            goto out;
        goto answered;
    }
    if (command) {
        /* routines.c commits its own customer writes: not inside this one */
        x->routine = true;
        rc = sb_err_set(err, SB_EDENIED, "a routine command is not an exchange");
        goto out;
    }
    /* whatever this message is, it did not answer the routine question */
    convo_set_pending_routine(&cv, NULL);
    for (size_t k = 0; k < INTENT_MAX_STEPS; k++)
        origin[k] = k;
    /* the customer's own names, rooms and titles, and the plans' names, are
     * read before the vocabulary */
    resolve_entities(x->e->lx, c, &ents);
    plans_entities(x->e->lx, x->pol, &ents);
    intent_parse_for(x->e->lx, &ents, x->req->text, &in);
    bool resumed = cv.pending_steps && resume(x->e, &ents, &cv, &in, origin);
    source = xstrdup(resumed ? cv.pending : x->req->text);
    before = xcalloc(c->n_devices ? c->n_devices : 1, sizeof *before);
    for (size_t i = 0; i < c->n_devices; i++)
        before[i] =
            (struct device_before){c->devices[i].location ? xstrdup(c->devices[i].location) : NULL,
                                   c->devices[i].on, c->devices[i].volume};
    const char *prev[RESOLVE_MAX];
    size_t n_prev = cv.n_devices;
    for (size_t i = 0; i < cv.n_devices; i++)
        prev[i] = cv.devices[i];
    undo_refers(&cv, &in, prev, &n_prev);
    turn_set_prev(&x->t, prev, n_prev);
    /* "not the fan, the heater!": the last request on other devices */
    bool retarget = in.n_steps == 1 && in.steps[0].correct && in.steps[0].action == INTENT_STATUS;
    bool follow = !resumed && followup_complete(x->e->lx, &ents, c, cv.last_request,
                                                cv.moved_device, cv.moved_from, prev, n_prev, &in);
    /* ... and what it changed goes back */
    if (follow && retarget)
        undo_first(&cv, &in);
    if (in.n_steps == 1 && in.steps[0].redo && cv.last_request) {
        struct intent last;
        intent_parse_for(x->e->lx, &ents, cv.last_request, &last);
        undo_redo(&cv, &last, &in);
    }
    undo_expand(&cv, c, &in);
    /* a correction with nothing before it to correct is not guessed at */
    if (!follow && in.n_steps == 1 && in.steps[0].correct)
        in.steps[0].action = INTENT_UNKNOWN;
    /* one title on several media devices (multiroom.h) is one step of its own */
    bool group = multiroom_chat(x->e, &x->t, x->req->text, &rc, err);
    for (size_t i = 0; !group && i < in.n_steps && rc == SB_OK; i++) {
        const struct intent_step *s = &in.steps[i];
        /* a condition that does not hold: its answer says why nothing else was done */
        if (s->cond_step && !resolve_condition_met(c, &in.steps[s->cond_step - 1], prev, n_prev))
            continue;
        x->t.step_no = i;
        rc = turn_step(&x->t, s, err);
    }
    if (rc != SB_OK)
        goto out;
    remember(&cv, &x->t, c, before, source, origin, follow);
answered:
    x->state = convo_text(&cv);
    int64_t now = util_now_ms();
    util_format_timestamp(now, x->user_ts, sizeof x->user_ts);
    /* one ms later, so history orders the reply after the question */
    util_format_timestamp(now + 1, x->bot_ts, sizeof x->bot_ts);
    const char *cid = x->req->customer_id;
    ex->messages[0] = (struct message){(char *)x->user_id,   (char *)x->conv, (char *)cid,
                                       (char *)x->req->text, "user",          x->user_ts};
    ex->messages[1] = (struct message){(char *)x->bot_id, (char *)x->conv, (char *)cid,
                                       x->t.message,      "bot",           x->bot_ts};
    ex->state = x->state;
out:
    for (size_t i = 0; before && i < c->n_devices; i++)
        free(before[i].room);
    free(before);
    free(source);
    convo_free(&cv);
    return rc;
}

static json_object *build_result(struct turn *t, const struct engine_request *req, const char *conv,
                                 const char *user_id, const char *bot_id, const char *bot_ts)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "message", xjson(json_object_new_string(t->message)));
    xjson_add(o, "outcome", xjson(json_object_new_string(turn_outcome(t))));
    xjson_add(o, "steps", t->steps);
    t->steps = NULL;
    if (t->denial) {
        xjson_add(o, "denial", t->denial);
        t->denial = NULL;
    }
    xjson_add(o, "conversationId", xjson(json_object_new_string(conv)));
    xjson_add(o, "messageId", xjson(json_object_new_string(bot_id)));
    xjson_add(o, "inReplyTo", xjson(json_object_new_string(user_id)));
    xjson_add(o, "timestamp", xjson(json_object_new_string(bot_ts)));
    xjson_add(o, "customerId", xjson(json_object_new_string(req->customer_id)));
    return o;
}

/* One chat exchange between engine_turn_begin and engine_turn_finish. */
struct engine_turn {
    struct engine *e;
    const struct engine_request *req;
    bool claimed; /* holds user_id in e->busy */
    char user_id[UTIL_ID_LEN + 8], bot_id[UTIL_ID_LEN + 8], conv[MODEL_ID_MAX];
    struct policy pol;
    struct exchange x;
    struct store_exchange_item item;
};

static void turn_release(struct engine_turn *t)
{
    exchange_reset(&t->x);
    message_free(&t->item.done);
    policy_free(&t->pol);
    free(t->x.routine_text);
    if (t->claimed)
        inflight_leave(t->e->busy, t->user_id);
    free(t);
}

int engine_turn_begin(struct engine *e, const struct engine_request *req, bool wait,
                      struct engine_turn **out, struct engine_reply *reply, struct sb_err *err)
{
    struct engine_turn *t = xcalloc(1, sizeof *t);
    memset(reply, 0, sizeof *reply);
    *out = NULL;
    t->e = e;
    t->req = req;
    int rc = check_request(req, err);
    if (rc != SB_OK)
        goto fail;
    exchange_ids(req, t->user_id, t->bot_id, sizeof t->user_id);
    if (req->message_id) {
        /* a resend racing its first copy waits for it (or comes back
         * later), then finds it */
        if (wait) {
            inflight_enter(e->busy, t->user_id);
        } else if (!inflight_try_enter(e->busy, t->user_id)) {
            rc = sb_err_set(err, SB_ECONFLICT, "a copy of this message is being handled");
            goto fail;
        }
        t->claimed = true;
        if (find_recent(e, req, t->user_id, &reply->result))
            goto fail; /* answered: nothing to commit */
    }
    if ((rc = policy_load(e->st, &t->pol, err)) != SB_OK)
        goto fail;
    if (req->conversation_id)
        snprintf(t->conv, sizeof t->conv, "%s", req->conversation_id);
    else
        util_new_ordered_id("conv", t->conv, sizeof t->conv);
    t->x = (struct exchange){.e = e,
                             .req = req,
                             .pol = &t->pol,
                             .conv = t->conv,
                             .user_id = t->user_id,
                             .bot_id = t->bot_id};
    t->item.key =
        (struct store_exchange_key){req->customer_id, t->conv, t->bot_id, !req->message_id};
    t->item.fn = exchange_fn;
    t->item.arg = &t->x;
    *out = t;
    return SB_OK;
fail:
    turn_release(t);
    return rc;
}

struct store_exchange_item *engine_turn_item(struct engine_turn *t)
{
    return &t->item;
}

int engine_turn_finish(struct engine_turn *t, struct engine_reply *out, struct sb_err *err)
{
    struct exchange *x = &t->x;
    const struct engine_request *req = t->req;
    int rc = t->item.rc;
    if (rc == SB_EDENIED && x->routine) {
        /* a routine command: its own writes, now that the batch is committed */
        exchange_reset(x);
        if ((rc = routine_exchange(x, out, err)) == SB_OK && req->message_id)
            memo_put(t->e->replies, t->user_id, jsonx_string(out->result, NULL));
        goto out;
    }
    if (rc != SB_OK) {
        if (err)
            *err = t->item.err;
        goto out;
    }
    if (t->item.done.id) {
        out->result = stored_reply(req, t->user_id, &t->item.done);
        goto out;
    }
    out->result = build_result(&x->t, req, t->conv, t->user_id, t->bot_id, x->bot_ts);
    /* only a client's own id can come again (find_recent); a made-up one
     * would cost a serialization and push a useful entry out */
    if (req->message_id)
        memo_put(t->e->replies, t->user_id, jsonx_string(out->result, NULL));
    out->changed = x->t.changed;
    out->n_changed = x->t.n_changed;
    x->t.changed = NULL;
    x->t.n_changed = 0;
out:
    turn_release(t);
    return rc;
}

void engine_turn_cancel(struct engine_turn *t)
{
    if (t)
        turn_release(t);
}

int engine_handle(struct engine *e, const struct engine_request *req, struct engine_reply *out,
                  struct sb_err *err)
{
    struct engine_turn *t = NULL;
    int rc = engine_turn_begin(e, req, true, &t, out, err);
    if (rc != SB_OK || !t)
        return rc;
    struct store_exchange_item *item = engine_turn_item(t);
    store_run_exchanges(e->st, &item, 1);
    return engine_turn_finish(t, out, err);
}
