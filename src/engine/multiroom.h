/* Multi-room audio in chat: "play the same music everywhere", "sync the
 * speakers", "play this in the kitchen too", "play Yesterday on the
 * bedroom and kitchen speakers": one title playing on several media
 * devices, switched on (the action table's multi_room_audio row). Several
 * devices need the level to allow multi_room_audio; one never does. */
#ifndef SB_ENGINE_MULTIROOM_H
#define SB_ENGINE_MULTIROOM_H

#include <stdbool.h>

#include "engine/engine_impl.h"
#include "engine/turn.h"

/* When text asks for one title on several devices, handles it into t and
 * returns true (*rc: SB_OK or a store failure); false: not such a request. */
bool multiroom_chat(struct engine *e, struct turn *t, const char *text, int *rc,
                    struct sb_err *err);

#endif
