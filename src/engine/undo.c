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

bool undo_redo(const struct convo *cv, const struct intent *last, struct intent *in)
{
    const struct intent_step *s = &in->steps[0];
    bool other_way = false;
    if (in->n_steps != 1 || !s->redo)
        return false;
    for (size_t k = 0; k < last->n_steps; k++) {
        const struct intent_step *l = &last->steps[k];
        other_way = other_way || (l->action == INTENT_VOLUME &&
                                  (l->vol == VOL_UP || l->vol == VOL_DOWN) && l->vol != s->vol);
    }
    return other_way && undo_first(cv, in);
}

bool undo_first(const struct convo *cv, struct intent *in)
{
    bool talked_about = cv->n_changed > 0 && in->n_steps == 1;
    for (size_t i = 0; talked_about && i < cv->n_changed; i++) {
        talked_about = false;
        for (size_t k = 0; k < cv->n_devices; k++)
            talked_about = talked_about || strcmp(cv->devices[k], cv->changed[i].device) == 0;
    }
    if (!talked_about)
        return false;
    in->steps[1] = in->steps[0];
    in->steps[0] = (struct intent_step){.action = INTENT_UNSUPPORTED, .state = -1, .amount = -1};
    snprintf(in->steps[0].about, sizeof in->steps[0].about, "undo");
    in->n_steps = 2;
    return true;
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
