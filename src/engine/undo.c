/* The last change, undone or pointed at (undo.h). */
#include "engine/undo.h"

#include <stdio.h>
#include <string.h>

static bool is_undo(const struct intent_step *s)
{
    return s->action == INTENT_UNSUPPORTED && strcmp(s->about, "undo") == 0;
}

/* A step on one device, by id. */
static struct intent_step on_device(enum intent_action action, const char *id)
{
    struct intent_step s = {.action = action, .state = -1, .amount = -1};
    snprintf(s.target.ids[0], sizeof s.target.ids[0], "%s", id);
    s.target.n_ids = 1;
    s.target.own = s.target.explicit_ = true;
    return s;
}

/* The steps that set device d back to what ch says it was: switched on
 * before its volume is set, its volume set before it is switched off (a
 * device that is off has no volume to set). */
static size_t restore(const struct convo_change *ch, const struct device *d,
                      struct intent_step *out, size_t room)
{
    struct intent_step power = on_device(INTENT_POWER, d->id);
    struct intent_step volume = on_device(INTENT_VOLUME, d->id);
    bool power_back = d->on != ch->on, volume_back = ch->volume >= 0 && d->volume != ch->volume;
    struct intent_step order[2];
    size_t n = 0, k = 0;
    power.state = ch->on;
    volume.vol = VOL_SET;
    volume.amount = ch->volume;
    if (ch->on && power_back)
        order[k++] = power;
    if (volume_back && (ch->on || d->on))
        order[k++] = volume;
    if (!ch->on && power_back)
        order[k++] = power;
    for (size_t i = 0; i < k && n < room; i++)
        out[n++] = order[i];
    return n;
}

bool undo_expand(const struct convo *cv, const struct customer *c, struct intent *in)
{
    struct intent_step steps[INTENT_MAX_STEPS];
    size_t n = 0;
    bool replaced = false;
    for (size_t k = 0; k < in->n_steps; k++) {
        size_t made = 0;
        for (size_t i = 0; is_undo(&in->steps[k]) && i < cv->n_changed; i++) {
            const struct device *d = customer_find_device(c, cv->changed[i].device);
            if (d)
                made += restore(&cv->changed[i], d, steps + n + made, INTENT_MAX_STEPS - n - made);
        }
        if (made) {
            n += made;
            replaced = true;
        } else if (n < INTENT_MAX_STEPS) {
            steps[n++] = in->steps[k];
        }
    }
    if (replaced) {
        memcpy(in->steps, steps, n * sizeof *steps);
        in->n_steps = n;
    }
    return replaced;
}

void undo_refers(const struct convo *cv, struct intent *in, const char **prev, size_t *n_prev)
{
    bool refers = false;
    for (size_t k = 0; k < in->n_steps; k++)
        if (in->steps[k].target.which == WHICH_CHANGED && cv->n_changed) {
            in->steps[k].target.which = WHICH_PREV;
            refers = true;
        }
    if (!refers)
        return;
    *n_prev = 0;
    for (size_t i = 0; i < cv->n_changed; i++)
        prev[(*n_prev)++] = cv->changed[i].device;
}
