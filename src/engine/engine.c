/* engine_handle: parse, check, execute, answer, record. */
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/utf8.h"
#include "common/util.h"
#include "engine/engine_impl.h"
#include "engine/followup.h"
#include "engine/plans.h"
#include "engine/intent.h"
#include "engine/routine_chat.h"
#include "engine/turn.h"

#define ENGINE_CLIENT_ID_MAX 100

int engine_new(struct store *st, struct engine **out, struct sb_err *err)
{
    struct engine *e = calloc(1, sizeof *e);
    int rc;
    *out = NULL;
    if (!e)
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    e->st = st;
    rc = lexicon_new(&e->lx, err);
    if (rc == SB_OK)
        rc = routine_lang_new(&e->rl, err);
    if (rc != SB_OK)
        goto out;
    e->replies = memo_new(ENGINE_REPLIES_KEPT);
    e->convs = memo_new(ENGINE_CONVERSATIONS_KEPT);
    e->busy = inflight_new();
    if (!e->replies || !e->convs || !e->busy)
        rc = sb_err_set(err, SB_EINTERNAL, "out of memory");
out:
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
    memo_free(e->convs);
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

int engine_load_level(struct engine *e, const struct customer *c, struct policy *pol,
                      const struct service_level **level, struct sb_err *err)
{
    int rc = policy_load(e->st, pol, err);
    if (rc != SB_OK)
        return rc;
    *level = policy_level(pol, c->service_level);
    if (!*level) {
        policy_free(pol);
        return sb_err_set(err, SB_ECORRUPT,
                          "customer %s has service level \"%s\", which does not exist", c->id,
                          c->service_level ? c->service_level : "");
    }
    return SB_OK;
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
        util_new_id("r", rnd, sizeof rnd);
        snprintf(x, sizeof x, "%s", rnd + 2);
    }
    snprintf(user, n, "msg_u_%s", x);
    snprintf(bot, n, "msg_b_%s", x);
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

/* A resend: the reply from memory, or rebuilt from the stored bot message. */
static int find_duplicate(struct engine *e, const struct engine_request *req, const char *user_id,
                          const char *bot_id, json_object **out)
{
    struct sb_err ignored;
    struct message m = {0};
    char *cached = memo_get(e->replies, user_id);
    *out = NULL;
    if (cached) {
        if (jsonx_parse(cached, strlen(cached), out, &ignored) != SB_OK)
            *out = NULL;
        free(cached);
        const char *owner = *out ? jsonx_get_string(*out, "customerId") : NULL;
        if (*out && (!owner || strcmp(owner, req->customer_id) != 0)) {
            json_object_put(*out);
            *out = NULL;
        }
    }
    if (!*out && req->message_id && store_get_message(e->st, bot_id, &m, &ignored) == SB_OK) {
        if (m.user_id && strcmp(m.user_id, req->customer_id) == 0) {
            *out = json_object_new_object();
            json_object_object_add(*out, "message", jsonx_string_or_null(m.text));
            json_object_object_add(*out, "outcome", json_object_new_string("done"));
            json_object_object_add(*out, "steps", json_object_new_array());
            json_object_object_add(*out, "conversationId", jsonx_string_or_null(m.conversation_id));
            json_object_object_add(*out, "messageId", json_object_new_string(bot_id));
            json_object_object_add(*out, "inReplyTo", json_object_new_string(user_id));
            json_object_object_add(*out, "timestamp", jsonx_string_or_null(m.timestamp));
            json_object_object_add(*out, "customerId", json_object_new_string(req->customer_id));
        }
        message_free(&m);
    }
    if (!*out)
        return 0;
    json_object_object_add(*out, "duplicate", json_object_new_boolean(1));
    return 1;
}

/* Completes step s with an answer; false when it does not answer it. */
static bool answer_step(struct intent_step *s, const struct intent_step *ans)
{
    if (s->action == INTENT_VOLUME && s->vol == VOL_NONE && ans->amount >= 0) {
        s->vol = VOL_SET;
        s->amount = ans->amount;
    } else if (s->action == INTENT_MOVE && !s->dest[0] && ans->target.n_rooms) {
        snprintf(s->dest, sizeof s->dest, "%s", ans->target.rooms[0]);
    } else if (ans->target.explicit_) {
        s->target = ans->target;
        snprintf(s->words, sizeof s->words, "%s", ans->words);
    } else {
        return false;
    }
    return true;
}

/* Turns an answer ("the kitchen one", "30", "the office") to the questions
 * the conversation's previous turn asked back into the steps that asked
 * them. pending is "<mask of the steps that asked>\n<that request>";
 * origin[k] gets the index in that request of the k-th step. */
static bool resume(struct engine *e, const struct text_entities *ents, const char *pending,
                   struct intent *in, size_t *origin, const char **text)
{
    struct intent orig;
    const struct intent_step *ans = &in->steps[0];
    char *end;
    unsigned long mask = strtoul(pending, &end, 10);
    size_t n = 0;
    if (in->n_steps != 1 || !ans->answer || *end != '\n')
        return false;
    intent_parse_for(e->lx, ents, end + 1, &orig);
    for (size_t i = 0; i < orig.n_steps; i++) {
        if (!(mask & (1ul << i)) || !answer_step(&orig.steps[i], ans))
            continue;
        orig.steps[n] = orig.steps[i];
        origin[n++] = i;
    }
    if (n == 0)
        return false;
    in->n_steps = n;
    memcpy(in->steps, orig.steps, n * sizeof *in->steps);
    *text = end + 1;
    return true;
}

/* The conversation's last devices, from memory. */
static void load_prev(struct engine *e, struct turn *t, const char *key)
{
    char *ids = memo_get(e->convs, key), *save = NULL;
    const char *list[RESOLVE_MAX];
    size_t n = 0;
    if (!ids)
        return;
    for (char *p = strtok_r(ids, " ", &save); p && n < RESOLVE_MAX; p = strtok_r(NULL, " ", &save))
        list[n++] = p;
    turn_set_prev(t, list, n);
    free(ids);
}

static void save_prev(struct engine *e, const struct turn *t, const char *key)
{
    char buf[RESOLVE_MAX * (MODEL_ID_MAX + 1)];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->n_prev; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " " : "", t->prev[i]);
    if (t->n_prev)
        memo_put(e->convs, key, buf);
}

/* Remembers the questions this turn asked, or forgets the last ones. */
static void save_pending(struct engine *e, const struct turn *t, const char *key,
                         const char *before, const char *text, const size_t *origin)
{
    char *value = NULL;
    unsigned long mask = 0;
    for (size_t k = 0; k < INTENT_MAX_STEPS; k++)
        if (t->asked & (1u << k))
            mask |= 1ul << origin[k];
    if (mask && asprintf(&value, "%lu\n%s", mask, text) >= 0)
        memo_put(e->convs, key, value);
    else if (before && *before)
        memo_put(e->convs, key, "");
    free(value);
}

static int record(struct engine *e, const struct engine_request *req, const char *conv,
                  const char *user_id, const char *bot_id, const char *text, char *bot_ts,
                  struct sb_err *err)
{
    char user_ts[UTIL_TIMESTAMP_LEN];
    int64_t now = util_now_ms();
    util_format_timestamp(now, user_ts, sizeof user_ts);
    /* one ms later, so history orders the reply after the question */
    util_format_timestamp(now + 1, bot_ts, UTIL_TIMESTAMP_LEN);
    struct message m[2] = {
        {(char *)user_id, (char *)conv, (char *)req->customer_id, (char *)req->text, "user",
         user_ts},
        {(char *)bot_id, (char *)conv, (char *)req->customer_id, (char *)text, "bot", bot_ts},
    };
    return store_append_messages(e->st, m, 2, err);
}

static json_object *build_result(struct turn *t, const struct engine_request *req, const char *conv,
                                 const char *user_id, const char *bot_id, const char *bot_ts)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "message", json_object_new_string(t->message));
    json_object_object_add(o, "outcome", json_object_new_string(turn_outcome(t)));
    json_object_object_add(o, "steps", t->steps);
    t->steps = NULL;
    if (t->denial) {
        json_object_object_add(o, "denial", t->denial);
        t->denial = NULL;
    }
    json_object_object_add(o, "conversationId", json_object_new_string(conv));
    json_object_object_add(o, "messageId", json_object_new_string(bot_id));
    json_object_object_add(o, "inReplyTo", json_object_new_string(user_id));
    json_object_object_add(o, "timestamp", json_object_new_string(bot_ts));
    json_object_object_add(o, "customerId", json_object_new_string(req->customer_id));
    return o;
}

/* Handles a message that is not a resend. */
static int handle_new(struct engine *e, const struct engine_request *req, const char *user_id,
                      const char *bot_id, struct engine_reply *out, struct sb_err *err)
{
    struct customer c = {0};
    struct policy pol = {0};
    struct turn t = {0};
    struct intent in;
    struct text_entities ents;
    const struct service_level *level;
    char conv[MODEL_ID_MAX], bot_ts[UTIL_TIMESTAMP_LEN], conv_key[2 * MODEL_ID_MAX + 2];
    char pending_key[2 * MODEL_ID_MAX + 4], *pending = NULL;
    char last_key[2 * MODEL_ID_MAX + 4], rooms_key[2 * MODEL_ID_MAX + 4];
    char before[FOLLOWUP_ROOMS_MAX], moved[FOLLOWUP_ROOMS_MAX];
    bool follow = false;
    const char *source = req->text;  /* the request the steps come from */
    size_t origin[INTENT_MAX_STEPS]; /* where in it each step is */
    for (size_t k = 0; k < INTENT_MAX_STEPS; k++)
        origin[k] = k;
    int rc = store_get_customer(e->st, req->customer_id, &c, err);
    if (rc != SB_OK)
        return rc;
    rc = engine_load_level(e, &c, &pol, &level, err);
    if (rc != SB_OK)
        goto out;
    if (req->conversation_id)
        snprintf(conv, sizeof conv, "%s", req->conversation_id);
    else
        util_new_id("conv", conv, sizeof conv);
    snprintf(conv_key, sizeof conv_key, "%s\n%s", req->customer_id, conv);
    snprintf(pending_key, sizeof pending_key, "%s\n?", conv_key);
    /* the customer's own names, rooms and titles are read first */
    resolve_entities(e->lx, &c, &ents);
    plans_entities(e->lx, &pol, &ents);
    intent_parse_for(e->lx, &ents, req->text, &in);
    pending = memo_get(e->convs, pending_key);
    bool resumed = pending && *pending && resume(e, &ents, pending, &in, origin, &source);
    turn_init(&t, e->st, e->lx, &c, &pol, level);
    load_prev(e, &t, conv_key);
    snprintf(last_key, sizeof last_key, "%s\n!", conv_key);
    snprintf(rooms_key, sizeof rooms_key, "%s\n<", conv_key);
    if (!resumed) {
        char *last = memo_get(e->convs, last_key), *rooms = memo_get(e->convs, rooms_key);
        follow = followup_complete(e->lx, &ents, &c, last, rooms, (const char *const *)t.prev,
                                   t.n_prev, &in);
        free(last);
        free(rooms);
    }
    followup_rooms(&c, before, sizeof before);
    bool routine = routine_chat(e, &t, req->text, &rc, err); /* routines.h */
    for (size_t i = 0; !routine && i < in.n_steps && rc == SB_OK; i++) {
        t.step_no = i;
        rc = turn_step(&t, &in.steps[i], err);
    }
    if (rc != SB_OK)
        goto out;
    save_prev(e, &t, conv_key);
    /* what the next follow-up completes from ("more", "move it back") */
    if (!follow && t.n_done + t.n_status + t.n_refused > 0)
        memo_put(e->convs, last_key, source);
    followup_moved(before, t.changed, t.n_changed, moved, sizeof moved);
    if (moved[0])
        memo_put(e->convs, rooms_key, moved);
    save_pending(e, &t, pending_key, pending, source, origin);
    rc = record(e, req, conv, user_id, bot_id, t.message, bot_ts, err);
    if (rc != SB_OK)
        goto out;
    out->result = build_result(&t, req, conv, user_id, bot_id, bot_ts);
    memo_put(e->replies, user_id, jsonx_string(out->result, NULL));
    out->changed = t.changed;
    out->n_changed = t.n_changed;
    t.changed = NULL;
    t.n_changed = 0;
out:
    free(pending);
    turn_free(&t);
    if (pol.levels || pol.caps)
        policy_free(&pol);
    customer_free(&c);
    return rc;
}

int engine_handle(struct engine *e, const struct engine_request *req, struct engine_reply *out,
                  struct sb_err *err)
{
    char user_id[UTIL_ID_LEN + 8], bot_id[UTIL_ID_LEN + 8];
    memset(out, 0, sizeof *out);
    int rc = check_request(req, err);
    if (rc != SB_OK)
        return rc;
    exchange_ids(req, user_id, bot_id, sizeof user_id);
    if (!req->message_id)
        return handle_new(e, req, user_id, bot_id, out, err);
    /* a resend racing its first copy waits for it, then finds it */
    inflight_enter(e->busy, user_id);
    if (!find_duplicate(e, req, user_id, bot_id, &out->result))
        rc = handle_new(e, req, user_id, bot_id, out, err);
    inflight_leave(e->busy, user_id);
    return rc;
}
