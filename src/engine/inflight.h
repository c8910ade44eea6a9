/* Keys being worked on right now, so that a resend that arrives while its
 * first copy is still being handled waits for it (and then finds it done)
 * instead of running it a second time.
 *
 * Ownership: created by inflight_new, released by inflight_free; keys are
 * copied. */
#ifndef SB_ENGINE_INFLIGHT_H
#define SB_ENGINE_INFLIGHT_H

#include <stdbool.h>

struct inflight;

struct inflight *inflight_new(void);
void inflight_free(struct inflight *f);
/* Waits while key (or too many keys) is in flight, then claims it. */
void inflight_enter(struct inflight *f, const char *key);
/* Claims key when it is not in flight and a slot is free; false otherwise. */
bool inflight_try_enter(struct inflight *f, const char *key);
void inflight_leave(struct inflight *f, const char *key);

#endif
