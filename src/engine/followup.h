/* Follow-ups: requests that mean something only after the conversation's
 * last one ("more", "a bit less", "and the display?", "the other one too",
 * "move it back"). The parser marks them (intent_step again, also, other,
 * back); this completes them from what the conversation remembers: the
 * text of its last request about devices and the room its last move
 * took a device from (the conversation's state, convo.h). */
#ifndef SB_ENGINE_FOLLOWUP_H
#define SB_ENGINE_FOLLOWUP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/intent.h"
#include "engine/text.h"

/* Turns a one-step follow-up in *in into the step it stands for. last is
 * the conversation's last request about devices (NULL: none), moved_device
 * and moved_from its last move ("" none), prev its last devices. Returns
 * whether in was a follow-up it completed (when it cannot, in is left as
 * it is: the engine then asks, never guesses). */
bool followup_complete(const struct lexicon *lx, const struct text_entities *ents,
                       const struct customer *c, const char *last, const char *moved_device,
                       const char *moved_from, const char *const *prev, size_t n_prev,
                       struct intent *in);

#endif
