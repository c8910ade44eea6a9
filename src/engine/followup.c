/* Completing follow-ups from the conversation's last request. */
#include "engine/followup.h"

#include <stdio.h>
#include <string.h>

#include "engine/action.h"

/* "move it back": the room the conversation's last move took its device
 * from, when that device is the one talked about. */
static bool move_back(const char *moved_device, const char *moved_from, const char *const *prev,
                      size_t n_prev, struct intent_step *s)
{
    bool ours = false;
    for (size_t k = 0; k < n_prev; k++)
        ours = ours || strcmp(prev[k], moved_device) == 0;
    if (!moved_device[0] || !moved_from[0] || !ours || s->target.explicit_)
        return false;
    snprintf(s->dest, sizeof s->dest, "%s", moved_from);
    s->target.ref = true;
    return true;
}

/* Whether device d is in one of the rooms t names (any when none). */
static bool in_rooms(const struct device *d, const struct intent_target *t)
{
    for (size_t k = 0; k < t->n_rooms; k++)
        if (d->location && strcmp(d->location, t->rooms[k]) == 0)
            return true;
    return t->n_rooms == 0;
}

/* Whether device i is of the type and not among prev. */
static bool other_of(const struct customer *c, size_t i, const char *type, const char *const *prev,
                     size_t n_prev)
{
    for (size_t k = 0; k < n_prev; k++)
        if (strcmp(c->devices[i].id, prev[k]) == 0)
            return false;
    return c->devices[i].type && strcmp(c->devices[i].type, type) == 0;
}

/* "the other one too": the devices of the same type as the conversation's
 * that it did not talk about; "the other one in the hall": of those, the
 * ones there (none elsewhere). With no room said, those in the room of
 * the device talked about come first: after "the hall ceiling light",
 * "the other one" is the hall's other light, not every other light. */
static void other_devices(const struct customer *c, const char *const *prev, size_t n_prev,
                          const struct intent_target *where, struct intent_target *t)
{
    const struct device *was = NULL;
    struct intent_target here = *where;
    for (size_t i = 0; i < c->n_devices && !was; i++)
        if (n_prev && strcmp(c->devices[i].id, prev[0]) == 0)
            was = &c->devices[i];
    memset(t, 0, sizeof *t);
    t->own = true;
    if (!was || !was->type)
        return;
    if (!here.n_rooms && was->location)
        for (size_t i = 0; i < c->n_devices && !here.n_rooms; i++)
            if (other_of(c, i, was->type, prev, n_prev) && c->devices[i].location &&
                strcmp(c->devices[i].location, was->location) == 0)
                snprintf(here.rooms[here.n_rooms++], sizeof here.rooms[0], "%s", was->location);
    for (size_t i = 0; i < c->n_devices && t->n_ids < INTENT_MAX_KEYS; i++)
        if (other_of(c, i, was->type, prev, n_prev) && in_rooms(&c->devices[i], &here))
            snprintf(t->ids[t->n_ids++], sizeof t->ids[0], "%s", c->devices[i].id);
    t->explicit_ = t->n_ids > 0;
}

bool followup_complete(const struct lexicon *lx, const struct text_entities *ents,
                       const struct customer *c, const char *last, const char *moved_device,
                       const char *moved_from, const char *const *prev, size_t n_prev,
                       struct intent *in)
{
    struct intent orig;
    struct intent_step *s = &in->steps[0], *pick = NULL, *vol = NULL;
    if (in->n_steps != 1)
        return false;
    if (s->back && s->action == INTENT_MOVE)
        return move_back(moved_device, moved_from, prev, n_prev, s);
    if (!(s->again || s->also || s->other || s->correct) || !last || !*last)
        return false;
    intent_parse_for(lx, ents, last, &orig);
    for (size_t i = 0; i < orig.n_steps; i++) {
        const struct action_def *row = action_get(orig.steps[i].action);
        if (row->kind != ACTION_KIND_DEVICE)
            continue;
        pick = &orig.steps[i];
        if (orig.steps[i].action == INTENT_VOLUME && orig.steps[i].vol != VOL_MUTE)
            vol = &orig.steps[i];
    }
    if (s->correct && s->action == INTENT_STATUS) {
        /* "not the fan, the heater!": the last request, on those devices */
        if (!pick)
            return false;
        /* "oops, the ceiling one": of the kinds the last request said */
        struct intent_target kinds = pick->target;
        pick->target = s->target;
        for (size_t k = 0; !pick->target.n_types && !pick->target.n_ids && k < kinds.n_types; k++)
            snprintf(pick->target.types[pick->target.n_types++], sizeof kinds.types[0], "%s",
                     kinds.types[k]);
        /* ("the wall light": the kind said with a name word) */
        for (size_t k = 0; !pick->target.n_types && !pick->target.n_ids && k < kinds.n_parts; k++)
            if (kinds.part_types[k][0])
                snprintf(pick->target.types[pick->target.n_types++], sizeof kinds.types[0], "%s",
                         kinds.part_types[k]);
        memset(&pick->except, 0, sizeof pick->except);
    } else if (s->correct) {
        /* "no sorry, I meant Yesterday": the last song request with that title */
        if (!pick || pick->action != INTENT_SONG || s->action != INTENT_SONG ||
            s->song != SONG_TITLE)
            return false;
        pick->song = SONG_TITLE;
        snprintf(pick->title, sizeof pick->title, "%s", s->title);
    } else if (s->again) {
        /* "more" goes on the way the volume went; "less" the other way */
        if (vol) {
            bool down = vol->vol == VOL_DOWN;
            vol->vol = (s->again > 0) != down ? VOL_UP : VOL_DOWN;
            vol->amount = s->amount;
            pick = vol;
        } else if (s->again < 0 || !pick) {
            return false;
        }
        memset(&pick->target, 0, sizeof pick->target);
        memset(&pick->except, 0, sizeof pick->except);
        pick->target.ref = true;
        pick->target.own = true;
    } else {
        if (!pick)
            return false;
        if (s->other)
            other_devices(c, prev, n_prev, &s->target, &pick->target);
        else
            pick->target = s->target;
        memset(&pick->except, 0, sizeof pick->except);
        snprintf(pick->words, sizeof pick->words, "%s", s->words);
        if (!pick->target.explicit_ && !pick->target.ordinal)
            return false;
    }
    bool redo = s->redo; /* "no, the other way": from before the last change */
    *s = *pick;
    s->redo = redo;
    return true;
}
