/* The parser's canonical one-line form of steps (the phrase corpus's
 * expected values) and the protocol's action names. */
#include <stdio.h>

#include "engine/action.h"
#include "engine/intent.h"

const char *intent_action_name(enum intent_action a)
{
    return action_get(a)->name;
}

static void format_keys(char *buf, size_t n, size_t *o, const char *name, const char *keys,
                        size_t stride, size_t count)
{
    if (!count)
        return;
    action_appendf(buf, n, o, " %s=", name);
    for (size_t i = 0; i < count; i++)
        action_appendf(buf, n, o, i ? ",%s" : "%s", keys + i * stride);
}

static void format_step(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    const struct action_def *a = action_get(s->action);
    action_appendf(buf, n, o, "%s", a->name);
    if (a->kind == ACTION_KIND_HELP && s->about[0])
        action_appendf(buf, n, o, " about=%s", s->about);
    if (a->kind == ACTION_KIND_HELP && s->upgrade)
        action_appendf(buf, n, o, " upgrade");
    if (a->kind == ACTION_KIND_HELP && s->current)
        action_appendf(buf, n, o, " current");
    if (a->kind != ACTION_KIND_DEVICE)
        return; /* no device, no slots */
    if (a->format)
        a->format(s, buf, n, o);
    format_keys(buf, n, o, "type", &s->target.types[0][0], INTENT_KEY_MAX, s->target.n_types);
    format_keys(buf, n, o, "room", &s->target.rooms[0][0], INTENT_TEXT_MAX, s->target.n_rooms);
    if (s->target.all)
        action_appendf(buf, n, o, " all");
    if (s->target.count)
        action_appendf(buf, n, o, " count=%d", s->target.count);
    if (s->target.ref)
        action_appendf(buf, n, o, " ref");
    if (s->target.which)
        action_appendf(buf, n, o, " which=%s", intent_which_names[s->target.which]);
    if (s->target.ordinal)
        action_appendf(buf, n, o, " ordinal=%d", s->target.ordinal);
    if (s->position)
        action_appendf(buf, n, o, " position=%d", s->position);
    /* the device it is measured against */
    format_keys(buf, n, o, "like_type", &s->like.types[0][0], INTENT_KEY_MAX, s->like.n_types);
    format_keys(buf, n, o, "like_room", &s->like.rooms[0][0], INTENT_TEXT_MAX, s->like.n_rooms);
    if (s->like.ref)
        action_appendf(buf, n, o, " like_ref");
}

void intent_format(const struct intent *in, char *buf, size_t n)
{
    size_t o = 0;
    if (!n)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < in->n_steps; i++) {
        if (i)
            action_appendf(buf, n, &o, " | ");
        format_step(&in->steps[i], buf, n, &o);
    }
}
