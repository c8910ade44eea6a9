/* Routines inside the engine, shared by the REST side (routine_api.c), chat
 * (routine_chat.c) and the scheduler entry point: checking steps against
 * the customer's devices, running a routine inside one atomic customer
 * update, next runs in the customer's zone, and how routines read.
 *
 * A run applies every step to the customer record in memory (a store-less
 * turn) and commits the devices with the routine's bookkeeping in one
 * store_update_customer: all steps or none, and a due run is claimed by
 * the same conditional write that commits it, so it happens exactly once
 * however many servicebotd share the store. */
#ifndef SB_ENGINE_ROUTINES_H
#define SB_ENGINE_ROUTINES_H

#include <json-c/json.h>
#include <stdbool.h>

#include "common/model.h"
#include "common/tz.h"
#include "common/util.h"
#include "engine/engine_impl.h"
#include "engine/routine_lang.h"
#include "engine/turn.h"

#define ROUTINE_ACTION "custom_actions"

/* What one run did, for the reply, the history and the pushes. */
struct routine_run {
    char name[MODEL_ROUTINE_NAME_MAX + 1];
    char due[UTIL_TIMESTAMP_LEN]; /* the occurrence (or, asked, the time) it ran for */
    const char *outcome;          /* turn outcome, or "refused", "missed" */
    char message[TURN_MESSAGE_MAX];
    json_object *steps;  /* step objects, as in a chat result */
    json_object *denial; /* when refused for the plan */
    char message_id[UTIL_ID_LEN + 16];
};
void routine_run_free(struct routine_run *r);

/* Why steps cannot be saved: which one and what to say. */
struct routine_problem {
    size_t step;
    char text[REPLY_TEXT_MAX];
    json_object *denial; /* a step the plan does not allow */
};

/* Dry-runs steps on a copy of c: each must read as device actions that
 * resolve to c's devices, with every value said and allowed at level.
 * Returns true, or false with *p filled. */
bool routines_check_steps(struct engine *e, const struct customer *c, const struct policy *pol,
                          const struct service_level *level, const struct strlist *steps,
                          struct routine_problem *p);

/* Loads zone (NULL: the default), falling back to UTC (a stored zone the
 * system lost); tz_free it. */
struct tz *routines_zone(const char *zone);
/* Sets r->next_run to the first occurrence after now_s in zone (NULL when none). */
void routines_schedule(struct routine *r, const char *zone, int64_t now_s);

/* Runs r's steps on c (in place, inside an update) at level; asked runs
 * record `now` as due. Fails only as turn_step does. */
int routines_apply(struct engine *e, struct customer *c, const struct policy *pol,
                   struct routine *r, const char *due, struct routine_run *out,
                   struct device **changed, size_t *n_changed, struct sb_err *err);

/* Records a run as a bot message in the customer's routine conversation. */
int routines_record(struct engine *e, const char *customer_id, struct routine_run *run,
                    const char *text, struct sb_err *err);

/* "every day at 07:00", "on Monday and Friday at 21:30", "on 2026-12-02 at 21:00". */
void routines_when(const struct routine_lang *rl, const struct routine_schedule *s, char *buf,
                   size_t n);
/* An instant in zone: "Wednesday 2026-12-02 at 21:00". */
void routines_local_time(const struct routine_lang *rl, const char *zone, const char *iso,
                         char *buf, size_t n);
/* The steps as one list: "lights off", "the speaker to 15" and "fan off". */
void routines_steps_text(const struct routine_lang *rl, const struct strlist *steps, char *buf,
                         size_t n);

/* Saves r: a new routine, or (replace) the one of its name, or the one
 * called old_name (a rename or a change). Computes its next run unless the
 * schedule stayed the same. *saved gets the committed routine, *created
 * whether it is new, zone the customer's time zone. SB_ECONFLICT when the
 * name is taken, SB_ENOTFOUND for an unknown old_name, SB_ELIMIT past
 * MODEL_ROUTINES_MAX. */
int routines_save(struct engine *e, const char *customer_id, const struct routine *r,
                  const char *old_name, bool replace, struct routine *saved, bool *created,
                  char *zone, size_t zn, struct sb_err *err);
/* routines_save's change made to c itself, for a caller that commits the
 * record (a chat exchange, which commits it with its messages). */
int routines_save_into(struct engine *e, struct customer *c, const struct routine *r,
                       const char *old_name, bool replace, struct routine *saved, char *zone,
                       size_t zn, struct sb_err *err);
/* Removes a routine; *removed gets what it was. */
int routines_delete(struct engine *e, const char *customer_id, const char *name,
                    struct routine *removed, struct sb_err *err);
/* Runs a routine now, in one customer update (needs custom_actions:
 * SB_EDENIED with out->result {"denial"}); fills run, committed (may be
 * NULL) and out->changed. Records nothing. */
int routines_run_now(struct engine *e, const char *customer_id, const char *name,
                     struct routine_run *run, struct routine *committed, struct engine_reply *out,
                     struct sb_err *err);
/* A run as the protocol's run object. */
json_object *routines_run_json(const char *customer_id, const struct routine_run *run);

/* The engine's clock, in epoch milliseconds (settable for tests). */
int64_t routines_now_ms(const struct engine *e);

#endif
