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

/* The routine requests a chat exchange answers itself, so that what they
 * ask is remembered with the conversation: a create that asks back (a
 * time said alone: what should happen then?; steps with days only: at what
 * time?), and the next message that completes one (pending, the request
 * remembered; the routine is saved into t's customer, which the exchange
 * commits). True when it answered: *remember gets the request to remember
 * (NULL: none), *rc SB_OK or a failure. False: t untouched, and *command
 * says whether text is another routine command (routine_chat's). */
bool routine_chat_pending(struct engine *e, struct turn *t, const char *pending, const char *text,
                          bool *command, char **remember, int *rc, struct sb_err *err);

/* "turn off the desk lamp", then "do that every night at 10": the routine
 * request it stands for (the conversation's last request, last, with the
 * time said), to be freed; NULL when text is no such thing. */
char *routine_chat_repeat(struct engine *e, const struct customer *c, const char *last,
                          const char *text);

#endif
