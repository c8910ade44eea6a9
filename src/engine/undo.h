/* "put it back to how it was", "the one you just turned off": the
 * conversation's last change. The conversation remembers what the devices
 * its last changing turn changed were before (convo.changed); an undo
 * request becomes the steps that set them back, through the same actions,
 * plans and replies as any request, and "you just turned off" points at
 * those devices rather than at the last ones talked about.
 *
 * Nothing here allocates. */
#ifndef SB_ENGINE_UNDO_H
#define SB_ENGINE_UNDO_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/convo.h"
#include "engine/intent.h"

/* Replaces each undo step of in with the steps that restore cv's changes
 * on c's devices; an undo with nothing to restore stays as it is (the bot
 * says it cannot). True when a step was replaced. */
bool undo_expand(const struct convo *cv, const struct customer *c, struct intent *in);

/* "turn the den speaker up", then "no, I meant down": when in's one step
 * is a correction going the other way from the volume step of last (the
 * last request), and the conversation's last change was on the devices
 * talked about, an undo step goes before it, so that the step is taken
 * from where the volume was (undo_expand then makes it the restoring
 * steps). True when one was put in. */
bool undo_redo(const struct convo *cv, const struct intent *last, struct intent *in);

/* "turn off the ceiling fan", then "not the fan, the heater!" (read as
 * the last request on the heater): an undo step goes before in's one
 * step when the conversation's last change was on the devices talked
 * about, so that what was wrongly changed is put back. True when one was
 * put in. */
bool undo_first(const struct convo *cv, struct intent *in);

/* The devices "the one you just turned off" means: when a step of in says
 * so (WHICH_CHANGED) and something was changed, prev gets the changed
 * devices' ids (*n_prev their count) and the steps pick among them as
 * among the last talked about. */
void undo_refers(const struct convo *cv, struct intent *in, const char **prev, size_t *n_prev);

#endif
