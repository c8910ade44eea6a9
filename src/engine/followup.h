/* Follow-ups: requests that mean something only after the conversation's
 * last one ("more", "a bit less", "and the display?", "the other one too",
 * "move it back"). The parser marks them (intent_step again, also, other,
 * back); this completes them from what the conversation remembers: the
 * text of its last request about devices and the rooms its last moves
 * took devices from. */
#ifndef SB_ENGINE_FOLLOWUP_H
#define SB_ENGINE_FOLLOWUP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/intent.h"
#include "engine/text.h"

#define FOLLOWUP_ROOMS_MAX 4096 /* "id room\n" lines */

/* Turns a one-step follow-up in *in into the step it stands for. last is
 * the conversation's last request (NULL: none), rooms what
 * followup_moved made of its moves, prev its last devices. Returns
 * whether in was a follow-up it completed (when it cannot, in is left
 * as it is: the engine then asks, never guesses). */
bool followup_complete(const struct lexicon *lx, const struct text_entities *ents,
                       const struct customer *c, const char *last, const char *rooms,
                       const char *const *prev, size_t n_prev, struct intent *in);

/* Each device's room as "id room\n" lines, before a turn. */
void followup_rooms(const struct customer *c, char *buf, size_t n);

/* The devices of changed whose room differs from before (followup_rooms),
 * as "id old_room\n" lines; "" when none moved. */
void followup_moved(const char *before, const struct device *changed, size_t n_changed,
                    char *buf, size_t n);

#endif
