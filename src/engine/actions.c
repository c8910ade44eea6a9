/* Device actions and their sentences. */
#include "engine/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/reply.h"
#include "engine/resolve.h"

static void result(struct act_result *r, enum act_status st, const char *reply)
{
    r->status = st;
    r->reply = reply;
}

static int clamp(int v)
{
    return v < 0 ? 0 : v > MODEL_VOLUME_MAX ? MODEL_VOLUME_MAX : v;
}

static void apply_power(const struct intent_step *s, struct device *d, struct act_result *r)
{
    if (s->state < 0)
        result(r, ACT_CLARIFY, "power.clarify");
    else if (d->on == (s->state == 1))
        result(r, ACT_UNCHANGED, "power.unchanged");
    else {
        d->on = s->state == 1;
        result(r, ACT_DONE, "power.done");
    }
}

static void apply_volume(const struct intent_step *s, struct device *d, struct act_result *r)
{
    int step = s->amount >= 0 ? s->amount : ACTIONS_DEFAULT_STEP, v = d->volume;
    if (!d->on) {
        result(r, ACT_REFUSED, "volume.off");
        return;
    }
    switch (s->vol) {
    case VOL_SET:
        v = s->amount;
        break;
    case VOL_UP:
        v += step;
        break;
    case VOL_DOWN:
        v -= step;
        break;
    case VOL_MUTE:
        v = 0;
        break;
    case VOL_MAX:
        v = MODEL_VOLUME_MAX;
        break;
    case VOL_HALF:
        v = MODEL_VOLUME_MAX / 2;
        break;
    default:
        result(r, ACT_CLARIFY, "volume.clarify");
        return;
    }
    v = clamp(v);
    if (v == d->volume) {
        result(r, ACT_UNCHANGED, "volume.unchanged");
        return;
    }
    d->volume = v;
    result(r, ACT_DONE, v == 0 ? "volume.muted" : "volume.done");
}

/* Index of the current song in the playlist, or -1. */
static long current_index(const struct device *d)
{
    for (size_t i = 0; d->current_song && i < d->playlist.len; i++)
        if (strcmp(d->playlist.items[i], d->current_song) == 0)
            return (long)i;
    return -1;
}

static int set_song(struct device *d, const char *title)
{
    char *copy = strdup(title);
    if (!copy)
        return -1;
    free(d->current_song);
    d->current_song = copy;
    return 0;
}

static void apply_song(const struct intent_step *s, struct device *d, struct act_result *r)
{
    const char *pick = NULL;
    long n = (long)d->playlist.len, cur = current_index(d);
    snprintf(r->title, sizeof r->title, "%s", s->title);
    if (!d->on) {
        result(r, ACT_REFUSED, "song.off");
        return;
    }
    if (n == 0) {
        result(r, ACT_REFUSED, "song.empty");
        return;
    }
    if (s->song == SONG_TITLE) {
        pick = resolve_title(&d->playlist, s->title);
        if (!pick) {
            result(r, ACT_REFUSED, "song.notfound");
            return;
        }
    } else if (s->song == SONG_PREV) {
        pick = d->playlist.items[cur < 0 ? n - 1 : (cur - 1 + n) % n];
    } else {
        pick = d->playlist.items[cur < 0 ? 0 : (cur + 1) % n];
    }
    if (d->current_song && strcmp(d->current_song, pick) == 0) {
        result(r, ACT_UNCHANGED, "song.unchanged");
        return;
    }
    if (set_song(d, pick) != 0) {
        result(r, ACT_REFUSED, "song.empty");
        return;
    }
    result(r, ACT_DONE, "song.done");
}

static void apply_move(const struct intent_step *s, struct device *d, struct act_result *r)
{
    if (!s->dest[0]) {
        result(r, ACT_CLARIFY, "move.clarify");
        return;
    }
    if (d->location && strcmp(d->location, s->dest) == 0) {
        result(r, ACT_UNCHANGED, "move.unchanged");
        return;
    }
    char *copy = strdup(s->dest);
    if (!copy) {
        result(r, ACT_REFUSED, "move.clarify");
        return;
    }
    free(d->location);
    d->location = copy;
    result(r, ACT_DONE, "move.done");
}

void actions_apply(const struct intent_step *s, struct device *d, struct act_result *r)
{
    r->title[0] = '\0';
    switch (s->action) {
    case INTENT_POWER:
        apply_power(s, d, r);
        break;
    case INTENT_VOLUME:
        apply_volume(s, d, r);
        break;
    case INTENT_SONG:
        apply_song(s, d, r);
        break;
    case INTENT_MOVE:
        apply_move(s, d, r);
        break;
    default:
        result(r, ACT_UNCHANGED, NULL);
        break;
    }
}

/* "living_room" -> "living room". */
static void room_words(const char *loc, char *buf, size_t n)
{
    snprintf(buf, n, "%s", loc ? loc : "");
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
}

static void device_vars(const struct device *d, struct reply_vars *v, char *name, size_t nn,
                        char *vol, size_t nv, char *room, size_t nr)
{
    model_device_display_name(d, name, nn);
    snprintf(vol, nv, "%d", d->volume);
    room_words(d->location, room, nr);
    reply_set(v, "device", name);
    reply_set(v, "state", d->on ? "on" : "off");
    reply_set(v, "volume", vol);
    reply_set(v, "song", d->current_song ? d->current_song : "");
    reply_set(v, "room", room);
}

void actions_render(const struct lexicon *lx, const char *key, const struct device *d,
                    const char *title, const char *devices, char *buf, size_t n)
{
    struct reply_vars v = {0};
    char name[MODEL_NAME_MAX], vol[16], room[MODEL_NAME_MAX];
    device_vars(d, &v, name, sizeof name, vol, sizeof vol, room, sizeof room);
    reply_set(&v, "title", title ? title : "");
    reply_set(&v, "devices", devices ? devices : "");
    reply_render(lx, key, &v, buf, n);
}

const char *actions_status_key(const struct device *d)
{
    if (d->on && !model_device_can(d, "volume_control"))
        return "status.on_plain";
    if (d->on && d->current_song && model_device_can(d, "music_playback"))
        return "status.on_playing";
    return d->on ? "status.on" : "status.off";
}
