/* The engine's insides, shared by engine.c (chat) and admin.c (REST device
 * writes). */
#ifndef SB_ENGINE_IMPL_H
#define SB_ENGINE_IMPL_H

#include "engine/engine.h"
#include "engine/inflight.h"
#include "engine/lexicon.h"
#include "engine/memo.h"
#include "engine/policy.h"
#include "engine/routine_lang.h"

#define ENGINE_REPLIES_KEPT 4096 /* recent replies kept for resends */

struct engine {
    struct store *st;
    struct lexicon *lx;
    struct memo *replies;        /* user message id -> chat result JSON */
    struct inflight *busy;       /* user message ids being handled */
    struct routine_lang *rl;     /* routine commands and replies (routine_lang.h) */
    int64_t (*clock)(void *arg); /* routines' "now" in ms; NULL: the wall clock */
    void *clock_arg;
};

/* Loads the policy and the customer's level; SB_ECORRUPT when the customer's
 * level is not in the levels table. */
int engine_load_level(struct engine *e, const struct customer *c, struct policy *pol,
                      const struct service_level **level, struct sb_err *err);

#endif
