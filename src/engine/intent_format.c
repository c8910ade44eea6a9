/* The parser's canonical one-line form of steps (the phrase corpus's
 * expected values) and the protocol's action names. */
#include <stdarg.h>
#include <stdio.h>

#include "engine/intent.h"

const char *intent_action_name(enum intent_action a)
{
    switch (a) {
    case INTENT_STATUS:
        return "device_status";
    case INTENT_POWER:
        return "device_power";
    case INTENT_VOLUME:
        return "volume_control";
    case INTENT_SONG:
        return "song_changes";
    case INTENT_MOVE:
        return "device_relocation";
    case INTENT_HELP:
        return "help";
    case INTENT_OUT_OF_SCOPE:
        return "out_of_scope";
    case INTENT_GREETING:
        return "greeting";
    case INTENT_THANKS:
        return "thanks";
    default:
        return "unknown";
    }
}

__attribute__((format(printf, 4, 5))) static void appendf(char *buf, size_t n, size_t *o,
                                                          const char *fmt, ...)
{
    va_list ap;
    if (*o >= n)
        return;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *o, n - *o, fmt, ap);
    va_end(ap);
    if (w > 0)
        *o += (size_t)w;
    if (*o > n)
        *o = n;
}

static void format_keys(char *buf, size_t n, size_t *o, const char *name, const char *keys,
                        size_t stride, size_t count)
{
    if (!count)
        return;
    appendf(buf, n, o, " %s=", name);
    for (size_t i = 0; i < count; i++)
        appendf(buf, n, o, i ? ",%s" : "%s", keys + i * stride);
}

static void format_step(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    static const char *const vols[] = {"", "set", "up", "down", "mute", "max", "half"};
    appendf(buf, n, o, "%s", intent_action_name(s->action));
    if (s->action == INTENT_HELP && s->about[0])
        appendf(buf, n, o, " about=%s", s->about);
    if (s->action == INTENT_HELP && s->upgrade)
        appendf(buf, n, o, " upgrade");
    if (s->action == INTENT_HELP && s->current)
        appendf(buf, n, o, " current");
    if (s->action == INTENT_UNKNOWN || s->action == INTENT_HELP ||
        s->action == INTENT_OUT_OF_SCOPE || s->action == INTENT_GREETING ||
        s->action == INTENT_THANKS)
        return; /* no device, no slots */
    if (s->action == INTENT_POWER)
        appendf(buf, n, o, " state=%s", s->state < 0 ? "?" : s->state ? "on" : "off");
    if (s->action == INTENT_VOLUME) {
        if (s->vol == VOL_NONE)
            appendf(buf, n, o, " vol=?");
        else
            appendf(buf, n, o, " %s", vols[s->vol]);
        if (s->amount >= 0 && (s->vol == VOL_SET || s->vol == VOL_UP || s->vol == VOL_DOWN))
            appendf(buf, n, o, "=%d", s->amount);
    }
    if (s->song == SONG_NEXT)
        appendf(buf, n, o, " next");
    else if (s->song == SONG_PREV)
        appendf(buf, n, o, " prev");
    else if (s->song == SONG_TITLE)
        appendf(buf, n, o, " title=\"%s\"", s->title);
    if (s->action == INTENT_MOVE)
        appendf(buf, n, o, " dest=%s", s->dest[0] ? s->dest : "?");
    format_keys(buf, n, o, "type", &s->target.types[0][0], INTENT_KEY_MAX, s->target.n_types);
    format_keys(buf, n, o, "room", &s->target.rooms[0][0], INTENT_TEXT_MAX, s->target.n_rooms);
    if (s->target.all)
        appendf(buf, n, o, " all");
    if (s->target.ref)
        appendf(buf, n, o, " ref");
}

void intent_format(const struct intent *in, char *buf, size_t n)
{
    size_t o = 0;
    if (!n)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < in->n_steps; i++) {
        if (i)
            appendf(buf, n, &o, " | ");
        format_step(&in->steps[i], buf, n, &o);
    }
}
