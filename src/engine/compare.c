/* Steps that take their value from another device (compare.h). */
#include "engine/compare.h"

#include <stdio.h>
#include <string.h>

#include "engine/resolve.h"

/* The one device a target means, or NULL (none, or several). */
static const struct device *one_device(const struct customer *c, const struct intent_target *t,
                                       const char *const *prev, size_t n_prev)
{
    struct intent_step look = {.action = INTENT_STATUS, .state = -1, .amount = -1};
    struct resolve_result r;
    look.target = *t;
    resolve_target(c, &look, prev, n_prev, &r);
    return r.status == RESOLVE_OK && r.n == 1 ? &c->devices[r.idx[0]] : NULL;
}

/* A status of the step's devices and the one compared with: what a
 * comparison that cannot be made answers. */
static void answer_instead(const struct device *d, const struct device *src,
                           struct intent_step *out)
{
    out->action = INTENT_STATUS;
    out->vol = VOL_NONE;
    out->amount = -1;
    out->dest[0] = '\0';
    if (!d || !src)
        return; /* the step's own target: a status of it, or "which?" */
    memset(&out->target, 0, sizeof out->target);
    snprintf(out->target.ids[0], sizeof out->target.ids[0], "%s", d->id);
    snprintf(out->target.ids[1], sizeof out->target.ids[1], "%s", src->id);
    out->target.n_ids = 2;
    out->target.own = out->target.explicit_ = out->target.all = true;
}

/* "the third song on its list": that title of the one device meant (left
 * to ask which when there are several); past the end of the list, the
 * position's words, which no list has. */
static void song_at(const struct customer *c, const char *const *prev, size_t n_prev,
                    struct intent_step *out)
{
    const struct device *d = one_device(c, &out->target, prev, n_prev);
    if (d && out->position <= (int)d->playlist.len)
        snprintf(out->title, sizeof out->title, "%s", d->playlist.items[out->position - 1]);
    else
        snprintf(out->title, sizeof out->title, "number %d", out->position);
    out->position = 0;
}

bool compare_complete(const struct customer *c, const char *const *prev, size_t n_prev,
                      const struct intent_step *s, struct intent_step *out)
{
    if (s->action == INTENT_SONG && s->position > 0) {
        *out = *s;
        song_at(c, prev, n_prev, out);
        return true;
    }
    if (!(s->like.explicit_ || s->like.ref) ||
        (s->action != INTENT_VOLUME && s->action != INTENT_MOVE))
        return false;
    *out = *s;
    memset(&out->like, 0, sizeof out->like);
    const struct device *src = one_device(c, &s->like, prev, n_prev);
    const struct device *d = one_device(c, &s->target, prev, n_prev);
    if (!src || (d && d == src)) {
        answer_instead(NULL, NULL, out);
    } else if (s->action == INTENT_MOVE) {
        if (src->location)
            snprintf(out->dest, sizeof out->dest, "%s", src->location);
        else
            answer_instead(d, src, out);
    } else if (!model_device_can(src, "volume_control") ||
               (d && s->vol == VOL_DOWN && src->volume >= d->volume) ||
               (d && s->vol == VOL_UP && src->volume <= d->volume)) {
        /* "down to match the patio", with the patio louder: not a way down */
        answer_instead(d, src, out);
    } else {
        /* "to half of what the display is on": half of its volume */
        out->vol = VOL_SET;
        out->amount = s->vol == VOL_HALF    ? (src->volume + 1) / 2
                      : s->vol == VOL_SCALE ? (src->volume * s->amount + 50) / 100
                                            : src->volume;
    }
    return true;
}
