/* What a step does to one device record, and the sentence that says so.
 * actions_apply is a pure function of the step and the record, so it can
 * run inside store_update_device's read-modify-write (and run again on a
 * retry with the same outcome for the same record). */
#ifndef SB_ENGINE_ACTIONS_H
#define SB_ENGINE_ACTIONS_H

#include "common/model.h"
#include "engine/intent.h"
#include "engine/lexicon.h"

#define ACTIONS_DEFAULT_STEP 10 /* "turn it up" without a number */

enum act_status {
    ACT_DONE,      /* the record changed */
    ACT_UNCHANGED, /* already so */
    ACT_REFUSED,   /* cannot now (off, no such song) */
    ACT_CLARIFY,   /* a value is missing: ask */
};

struct act_result {
    enum act_status status;
    const char *reply;           /* template key */
    char title[INTENT_TEXT_MAX]; /* the spoken title, for "not found" */
};

/* Applies a power, volume, song or relocation step to d. */
void actions_apply(const struct intent_step *s, struct device *d, struct act_result *r);

/* Renders reply template key with the facts of d ({device}, {state},
 * {volume}, {song}, {room}), the spoken {title} and a list of {devices}
 * (title and devices may be NULL). */
void actions_render(const struct lexicon *lx, const char *key, const struct device *d,
                    const char *title, const char *devices, char *buf, size_t n);

/* The status template that fits d ("status.on_playing", ...). */
const char *actions_status_key(const struct device *d);

#endif
