/* Routine commands in chat: "create a routine called wind down: lights
 * off", "what routines do I have?", "run wind down", "my time zone is
 * Europe/Berlin". */
#ifndef SB_ENGINE_ROUTINE_CHAT_H
#define SB_ENGINE_ROUTINE_CHAT_H

#include <stdbool.h>

#include "engine/engine_impl.h"
#include "engine/turn.h"

/* When text is a routine command, handles it into t (its customer, level
 * and policy) and returns true; *rc gets SB_OK or a store failure (err
 * filled). False: not about routines, t untouched. */
bool routine_chat(struct engine *e, struct turn *t, const char *text, int *rc, struct sb_err *err);

#endif
