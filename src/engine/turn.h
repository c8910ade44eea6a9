/* One chat request being handled: the customer, their level, the steps'
 * results so far, and what the next step's pronoun refers to.
 *
 * Ownership: turn_init/turn_free own every member; turn_result moves the
 * accumulated steps into a new result object. */
#ifndef SB_ENGINE_TURN_H
#define SB_ENGINE_TURN_H

#include <json-c/json.h>

#include "common/model.h"
#include "engine/intent.h"
#include "engine/lexicon.h"
#include "engine/policy.h"
#include "engine/resolve.h"
#include "store/store.h"

#define TURN_MESSAGE_MAX 4096

struct turn {
    struct store *st;
    const struct lexicon *lx;
    struct customer *c;
    const struct policy *pol;
    const struct service_level *level;
    json_object *steps;  /* array of step objects */
    json_object *denial; /* the first denial, a reference of its own */
    char message[TURN_MESSAGE_MAX];
    size_t n_done, n_status, n_denied, n_refused, n_clarify, n_oos, n_help;
    char *prev[RESOLVE_MAX]; /* device ids the next pronoun means */
    size_t n_prev;
    struct device *changed; /* committed records, latest per device */
    size_t n_changed;
    size_t step_no; /* the step being handled (set by the caller) */
    unsigned asked; /* bit k: step k asked a question */
    /* the last sentence, when it was about one device: the next step's on
     * the same device with the same status joins it ("... on and at 25%") */
    char join_id[MODEL_ID_MAX];
    char join_status[16];
    size_t join_end; /* where that sentence ends in message */
};

/* st NULL: steps change only the in-memory customer (benchmarks of the
 * engine without storage). */
void turn_init(struct turn *t, struct store *st, const struct lexicon *lx, struct customer *c,
               const struct policy *pol, const struct service_level *level);
void turn_free(struct turn *t);
/* Sets the devices a pronoun refers to (copies the ids). */
void turn_set_prev(struct turn *t, const char *const *ids, size_t n);

/* Checks and executes one step, adding its results. Fails only on store
 * errors; denials, refusals and questions are results. */
int turn_step(struct turn *t, const struct intent_step *s, struct sb_err *err);

/* Adds a step object and says its text, for steps that are not about one
 * device action (routines); takes denial. The caller counts it. */
void turn_add(struct turn *t, const char *action, const struct device *d, const char *status,
              const char *text, json_object *denial);
/* Adds the denial of action at the turn's level (counted). */
void turn_deny(struct turn *t, const char *action);

/* The protocol's outcome word for what the steps did. */
const char *turn_outcome(const struct turn *t);

/* The denial sentence: "Changing songs needs the Premium plan
 * ($9.99/month); you're on Basic. You can still check status, power and
 * volume." */
void turn_denial_text(const struct lexicon *lx, const struct policy *pol,
                      const struct service_level *level, const char *action, char *buf, size_t n);

/* The "can.*" phrases (or catalogue names) of the actions a level allows,
 * joined ("check status, power and volume"). */
void turn_can_list(const struct lexicon *lx, const struct policy *pol,
                   const struct service_level *l, char *buf, size_t n);

#endif
