/* Values read off the customer's devices before a step runs: another
 * device's ("make it as loud as the kitchen one", "turn the display down
 * to match the speaker", "move the patio speaker to the same room as the
 * light": intent_step.like), or a song by its place on the device's
 * playlist ("play the third song on its list": intent_step.position). */
#ifndef SB_ENGINE_COMPARE_H
#define SB_ENGINE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/intent.h"

/* A song by position: *out plays that title (when the device is one).
 * When s compares with a device, fills *out with the step to run instead:
 * a volume set to that device's, a move to its room, or, when the device
 * compared with is not one that can be found (or "down to match" would go
 * up), a status of the devices concerned, so that nothing is guessed.
 * Returns false when there is nothing to read (use s as it is). */
bool compare_complete(const struct customer *c, const char *const *prev, size_t n_prev,
                      const struct intent_step *s, struct intent_step *out);

#endif
