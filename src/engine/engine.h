/* The bot: parse a request, check it against the customer's service level,
 * act on the device records through the store, answer, and record the
 * conversation. No I/O of its own besides the store.
 *
 * Threads: one engine serves many threads at once.
 * Ownership: an engine_reply is filled by the engine and released by
 * engine_reply_free; reply->result is a json_object owned by the reply. */
#ifndef SB_ENGINE_H
#define SB_ENGINE_H

#include <json-c/json.h>

#include "common/err.h"
#include "common/model.h"
#include "store/store.h"

struct engine;

int engine_new(struct store *st, struct engine **out, struct sb_err *err);
void engine_free(struct engine *e);

struct engine_request {
    const char *customer_id;
    const char *text;
    const char *conversation_id; /* NULL: a new conversation */
    const char *message_id;      /* client-chosen id; NULL: one is made */
};

struct engine_reply {
    /* The chat result as doc/protocol.md defines it ("chat result"). */
    json_object *result;
    /* Devices whose record changed, as committed, for pushes to clients. */
    struct device *changed;
    size_t n_changed;
};

/* Message ids. One exchange is recorded as two messages written by one
 * store_append_messages call: the user's "msg_u_X" and the bot's "msg_b_X".
 * With a client message_id, X is a 128-bit hash of (customer_id,
 * message_id) in hex, so two customers' client ids never collide and a
 * resend finds the earlier exchange: first in a bounded in-memory map of
 * recent results (the full result), then in the store (store_run_exchange:
 * after a restart, on another instance, after a failure between DynamoDB's
 * writes), rebuilt from the bot message "msg_b_X" (its text, with outcome
 * "done" and no steps). A stored exchange counts only if its userId is the
 * same customer. Without message_id, X is new: the clock first, then random
 * (util_new_ordered_id), so that a commit's inserts into the messages' id
 * index append. The result's inReplyTo is the user message id and
 * messageId the bot's.
 *
 * Handles one chat message end to end and records both sides of it.
 * A message_id that was handled before executes nothing and returns the
 * original reply with "duplicate": true. Errors (SB_ENOTFOUND for an unknown
 * customer, SB_EINVAL for empty or oversized text, store failures) leave
 * out empty; denials and clarifications are not errors. */
int engine_handle(struct engine *e, const struct engine_request *req, struct engine_reply *out,
                  struct sb_err *err);

/* engine_handle in three parts, for a caller that commits many exchanges at
 * once (store_run_exchanges): begin checks req and claims its ids; SB_OK
 * with *t NULL means answered without a commit (a resend found in memory,
 * out filled). Otherwise the caller runs engine_turn_item(*t) through the
 * store, then engine_turn_finish(*t) fills out as engine_handle would and
 * frees the turn (engine_turn_cancel frees one never run). With wait false,
 * a resend whose first copy is in flight is SB_ECONFLICT at once instead of
 * waiting for it: begin it again once that copy is finished. req must
 * outlive the turn. */
struct engine_turn;
int engine_turn_begin(struct engine *e, const struct engine_request *req, bool wait,
                      struct engine_turn **t, struct engine_reply *out, struct sb_err *err);
struct store_exchange_item *engine_turn_item(struct engine_turn *t);
int engine_turn_finish(struct engine_turn *t, struct engine_reply *out, struct sb_err *err);
void engine_turn_cancel(struct engine_turn *t);

/* The REST device update: patch is the request body ({"state","volume",
 * "location","current_song","name"}), each field checked like the chat
 * action it amounts to. SB_EINVAL (bad fields: out->result holds
 * {"fields": [...]}), SB_ENOTFOUND, SB_EDENIED (out->result holds
 * {"denial": {...}}), or SB_OK with out->result = {"device": {...}}. */
int engine_patch_device(struct engine *e, const char *customer_id, const char *device_id,
                        json_object *patch, struct engine_reply *out, struct sb_err *err);

/* Adds a device to a customer, enforcing the level's max_devices:
 * SB_ELIMIT with out->result = {"limit": {...}} past it, SB_ECONFLICT when the
 * id exists. */
int engine_add_device(struct engine *e, const char *customer_id, const struct device *d,
                      struct engine_reply *out, struct sb_err *err);

/* Checks a whole customer record (admin PUT) against its level's max_devices. */
int engine_check_customer(struct engine *e, const struct customer *c, struct engine_reply *out,
                          struct sb_err *err);

/* ---- Routines (doc/protocol.md "Routines") ----
 * A routine is a named list of steps (sentences read like chat) with an
 * optional schedule, kept on the customer record. Creating and running need
 * the level to allow custom_actions (SB_EDENIED, out->result {"denial"});
 * each step is checked against the level again when it runs. */

/* Creates or replaces routine name from body {"steps": [...], "schedule":
 * {...}?}: every step must read as device actions that resolve to the
 * customer's devices and that the level allows (SB_EINVAL with {"fields"}
 * naming the step, or SB_EDENIED). out->result {"routine": {...}};
 * *created says whether it is new. */
int engine_routine_put(struct engine *e, const char *customer_id, const char *name,
                       json_object *body, bool *created, struct engine_reply *out,
                       struct sb_err *err);
/* Removes a routine: out->result {"routine": the removed one}. */
int engine_routine_delete(struct engine *e, const char *customer_id, const char *name,
                          struct engine_reply *out, struct sb_err *err);
/* Runs a routine now, all its steps in one atomic write, and records the
 * run in the routine conversation: out->result {"routine", "run"}, the
 * changed devices in out->changed. */
int engine_routine_run(struct engine *e, const char *customer_id, const char *name,
                       struct engine_reply *out, struct sb_err *err);
/* Sets the customer's IANA time zone (SB_EINVAL naming an unknown one) and
 * moves scheduled runs to the same wall-clock times there: out->result
 * {"timezone", "routines"}. */
int engine_set_timezone(struct engine *e, const char *customer_id, const char *zone,
                        struct engine_reply *out, struct sb_err *err);
/* The scheduler: runs each of the customer's routines due at now_ms, or
 * records it as missed when its latest occurrence is more than grace_s
 * late, in one conditional write of the customer record (so of several
 * servicebotd only one runs it), then records one bot message per run.
 * Scheduled routines without a next run get one (nothing runs for them).
 * out->result {"runs": [...]} is empty when nothing was (still) due. */
int engine_routines_due(struct engine *e, const char *customer_id, int64_t now_ms, int grace_s,
                        struct engine_reply *out, struct sb_err *err);
/* Whether any of c's routines is due at now_ms, or scheduled without a next
 * run (an import or a customer PUT: the scheduler computes it). Cheap: no store. */
bool engine_routines_pending(const struct customer *c, int64_t now_ms);
/* The conversation id routine runs are recorded in ("routines-<customer>"). */
void engine_routine_conversation(const char *customer_id, char *buf, size_t n);
/* The clock routines use (epoch ms); NULL puts back the wall clock. For
 * servicebotd's test-only clock. */
void engine_set_clock(struct engine *e, int64_t (*now_ms)(void *arg), void *arg);

void engine_reply_free(struct engine_reply *r);

#endif
