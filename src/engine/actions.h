/* What a step does to one device record, and the sentence that says so.
 * The apply functions are pure functions of the step and the record, so
 * they run inside store_update_device's read-modify-write (and run again on
 * a retry with the same outcome for the same record). */
#ifndef SB_ENGINE_ACTIONS_H
#define SB_ENGINE_ACTIONS_H

#include "common/model.h"
#include "engine/action.h"
#include "engine/intent.h"
#include "engine/lexicon.h"

#define ACTIONS_DEFAULT_STEP 10 /* "turn it up" without a number */

/* The apply functions of the action table's rows (action.h). */
void actions_power(const struct action_def *a, const struct intent_step *s, struct device *d,
                   struct act_result *r);
void actions_volume(const struct action_def *a, const struct intent_step *s, struct device *d,
                    struct act_result *r);
void actions_song(const struct action_def *a, const struct intent_step *s, struct device *d,
                  struct act_result *r);
void actions_move(const struct action_def *a, const struct intent_step *s, struct device *d,
                  struct act_result *r);
/* Multi-room audio: the device on, playing s->title (a title another device
 * of the group has: the group shares one stream, so it need not be on this
 * device's playlist). */
void actions_group(const struct action_def *a, const struct intent_step *s, struct device *d,
                   struct act_result *r);
void actions_playback(const struct action_def *a, const struct intent_step *s, struct device *d,
                      struct act_result *r);

/* Applies step s to d through its row's apply function (a step whose
 * action changes nothing leaves d as it is, ACT_UNCHANGED, no reply). */
void actions_apply(const struct intent_step *s, struct device *d, struct act_result *r);

/* Renders reply template key with the facts of d ({device}, {state},
 * {volume}, {song}, {room}), the spoken {title} and a list of {devices}
 * (title and devices may be NULL). */
void actions_render(const struct lexicon *lx, const char *key, const struct device *d,
                    const char *title, const char *devices, char *buf, size_t n);

/* The status template that fits d ("status.on_playing", ...). */
const char *actions_status_key(const struct device *d);

#endif
