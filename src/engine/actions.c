/* Device actions and their sentences. */
#include "engine/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "engine/reply.h"
#include "engine/resolve.h"

static int clamp(int v)
{
    return v < 0 ? 0 : v > MODEL_VOLUME_MAX ? MODEL_VOLUME_MAX : v;
}

void actions_power(const struct action_def *a, const struct intent_step *s, struct device *d,
                   struct act_result *r)
{
    if (s->state < 0)
        action_result(r, a, ACT_CLARIFY, "clarify");
    else if (s->state == INTENT_TOGGLE) {
        d->on = !d->on;
        action_result(r, a, ACT_DONE, "done");
    } else if (d->on == (s->state == 1))
        action_result(r, a, ACT_UNCHANGED, "unchanged");
    else {
        d->on = s->state == 1;
        action_result(r, a, ACT_DONE, "done");
    }
}

void actions_volume(const struct action_def *a, const struct intent_step *s, struct device *d,
                    struct act_result *r)
{
    int step = s->amount >= 0 ? s->amount : ACTIONS_DEFAULT_STEP, v = d->volume, was = v;
    /* "patio speaker on at 70": switched on at that volume (state 1;
     * turn.c checked the level allows power) */
    bool start = !d->on && s->state == 1 && s->vol == VOL_SET;
    if (!d->on && !start) {
        action_result(r, a, ACT_REFUSED, "off");
        return;
    }
    /* "up to 30" at 40: the way and the number disagree; it asks, nothing
     * is guessed */
    if (s->vol == VOL_SET && !start && s->toward && s->amount != v &&
        (s->toward > 0) != (s->amount > v)) {
        action_result(r, a, ACT_CLARIFY, "against");
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
    case VOL_SCALE:
        v = (v * s->amount + 50) / 100;
        break;
    default:
        action_result(r, a, ACT_CLARIFY, "clarify");
        return;
    }
    v = clamp(v);
    if (start) {
        d->on = true;
        d->volume = v;
        action_result(r, a, ACT_DONE, "started");
        return;
    }
    if (v == d->volume) {
        action_result(r, a, ACT_UNCHANGED, "unchanged");
        return;
    }
    d->volume = v;
    /* "set it to 150" says it set the maximum; "turn it up" says which way */
    action_result(r, a, ACT_DONE,
                  v == 0                                                 ? "muted"
                  : s->vol == VOL_SET && s->amount > MODEL_VOLUME_MAX    ? "capped"
                  : s->vol == VOL_UP || (s->vol == VOL_SCALE && v > was) ? "up"
                  : s->vol == VOL_DOWN || s->vol == VOL_SCALE            ? "down"
                                                                         : "done");
}

/* Index of the current song in the playlist, or -1. */
static long current_index(const struct device *d)
{
    for (size_t i = 0; d->current_song && i < d->playlist.len; i++)
        if (strcmp(d->playlist.items[i], d->current_song) == 0)
            return (long)i;
    return -1;
}

static void set_song(struct device *d, const char *title)
{
    char *copy = xstrdup(title);
    free(d->current_song);
    d->current_song = copy;
}

void actions_song(const struct action_def *a, const struct intent_step *s, struct device *d,
                  struct act_result *r)
{
    const char *pick = NULL;
    long n = (long)d->playlist.len, cur = current_index(d);
    snprintf(r->title, sizeof r->title, "%s", s->title);
    if (!d->on) {
        action_result(r, a, ACT_REFUSED, "off");
        return;
    }
    if (n == 0) {
        action_result(r, a, ACT_REFUSED, "empty");
        return;
    }
    if (s->song == SONG_TITLE) {
        pick = resolve_title(&d->playlist, s->title);
        if (!pick) {
            action_result(r, a, ACT_REFUSED, "notfound");
            return;
        }
    } else {
        /* "skip two songs": that many along the playlist, round it */
        long by = (s->amount > 0 ? s->amount : 1) % n;
        if (s->song == SONG_PREV)
            pick = d->playlist.items[cur < 0 ? n - by : (cur - by + n) % n];
        else
            pick = d->playlist.items[cur < 0 ? by - 1 : (cur + by) % n];
    }
    /* asking for a song means hearing it: a paused device plays again */
    if (d->current_song && strcmp(d->current_song, pick) == 0 && !d->paused) {
        action_result(r, a, ACT_UNCHANGED, "unchanged");
        return;
    }
    set_song(d, pick);
    d->paused = false;
    action_result(r, a, ACT_DONE, "done");
}

void actions_group(const struct action_def *a, const struct intent_step *s, struct device *d,
                   struct act_result *r)
{
    snprintf(r->title, sizeof r->title, "%s", s->title);
    if (d->on && !d->paused && d->current_song && strcmp(d->current_song, s->title) == 0) {
        action_result(r, a, ACT_UNCHANGED, "unchanged");
        return;
    }
    set_song(d, s->title);
    d->on = true;
    d->paused = false;
    action_result(r, a, ACT_DONE, "done");
}

void actions_move(const struct action_def *a, const struct intent_step *s, struct device *d,
                  struct act_result *r)
{
    if (!s->dest[0]) {
        action_result(r, a, ACT_CLARIFY, "clarify");
        return;
    }
    if (d->location && strcmp(d->location, s->dest) == 0) {
        action_result(r, a, ACT_UNCHANGED, "unchanged");
        return;
    }
    char *copy = xstrdup(s->dest);
    free(d->location);
    d->location = copy;
    action_result(r, a, ACT_DONE, "done");
}

/* Pausing needs something playing. Resuming plays the current song, else
 * the playlist's first, switching the device on first when the step says
 * so ("play some music"; a PATCH does not). */
void actions_playback(const struct action_def *a, const struct intent_step *s, struct device *d,
                      struct act_result *r)
{
    bool had = d->current_song != NULL, was_on = d->on;
    if (s->playback == PLAYBACK_PAUSE) {
        if (!d->on)
            action_result(r, a, ACT_REFUSED, "off");
        else if (!had)
            action_result(r, a, ACT_REFUSED, "nothing");
        else if (d->paused)
            action_result(r, a, ACT_UNCHANGED, "already_paused");
        else {
            d->paused = true;
            action_result(r, a, ACT_DONE, "paused");
        }
        return;
    }
    if (s->playback != PLAYBACK_RESUME)
        action_result(r, a, ACT_CLARIFY, "clarify");
    else if (was_on && had && !d->paused)
        action_result(r, a, ACT_UNCHANGED, "already_playing");
    else if (!was_on && s->state != 1)
        action_result(r, a, ACT_REFUSED, "off_play");
    else if (!had && d->playlist.len == 0)
        action_result(r, a, ACT_REFUSED, "empty");
    else {
        if (!had)
            set_song(d, d->playlist.items[0]);
        d->on = true;
        d->paused = false;
        action_result(r, a, ACT_DONE, !was_on ? "started" : had ? "resumed" : "playing");
    }
}

void actions_apply(const struct intent_step *s, struct device *d, struct act_result *r)
{
    const struct action_def *a = action_get(s->action);
    r->title[0] = '\0';
    r->reply[0] = '\0';
    r->status = ACT_UNCHANGED;
    if (a->apply)
        a->apply(a, s, d, r);
}

/* "living_room" -> "living room". */
static void room_words(const char *loc, char *buf, size_t n)
{
    snprintf(buf, n, "%s", loc ? loc : "");
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
}

static void device_vars(const struct lexicon *lx, const struct device *d, struct reply_vars *v,
                        char *name, size_t nn, char *vol, size_t nv, char *room, size_t nr,
                        char *list, size_t nl)
{
    reply_join(lx, (const char *const *)d->playlist.items,
               d->playlist.len < 32 ? d->playlist.len : 32, "list.and", list, nl);
    reply_set(v, "playlist", list);
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
    char name[MODEL_NAME_MAX], vol[16], room[MODEL_NAME_MAX], list[1024];
    device_vars(lx, d, &v, name, sizeof name, vol, sizeof vol, room, sizeof room, list,
                sizeof list);
    reply_set(&v, "title", title ? title : "");
    reply_set(&v, "devices", devices ? devices : "");
    reply_render(lx, key, &v, buf, n);
}

const char *actions_status_key(const struct device *d)
{
    if (d->on && !model_device_can(d, "volume_control"))
        return "status.on_plain";
    if (d->on && d->current_song && model_device_can(d, "music_playback"))
        return d->paused ? "status.on_paused" : "status.on_playing";
    return d->on ? "status.on" : "status.off";
}
