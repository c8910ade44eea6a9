/* The action table and each row's small rules: the value a step still
 * lacks, the devices it prefers, its PATCH field as a step, its slots in
 * the one-line form. What an action does to a record is in actions.c. */
#include "engine/action.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/jsonx.h"
#include "engine/actions.h"

void action_appendf(char *buf, size_t n, size_t *o, const char *fmt, ...)
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

/* A PATCH string that must be one of two words: 0 for the first, 1 for the
 * second, -1 (problem filled) for anything else. */
static int patch_choice(json_object *v, const char *w0, const char *w1, char *problem, size_t n)
{
    const char *st = json_object_get_string(v);
    char what[64];
    if (strcmp(st, w0) == 0 || strcmp(st, w1) == 0)
        return strcmp(st, w1) == 0;
    jsonx_describe(v, what, sizeof what);
    snprintf(problem, n, "must be \"%s\" or \"%s\", got %s", w0, w1, what);
    return -1;
}

/* --- power ------------------------------------------------------------- */

static bool power_missing(const struct intent_step *s)
{
    return s->state < 0;
}

/* "stop the music" with nothing named means the devices that are on. */
static bool power_prefers(const struct intent_step *s, const struct device *d)
{
    return !(s->media && s->state == 0) || d->on;
}

static bool power_patch(json_object *v, struct intent_step *s, char *problem, size_t n)
{
    int off = patch_choice(v, "on", "off", problem, n);
    s->state = !off;
    return off >= 0;
}

static void power_format(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    action_appendf(buf, n, o, " state=%s",
                   s->state < 0                ? "?"
                   : s->state == INTENT_TOGGLE ? "toggle"
                   : s->state                  ? "on"
                                               : "off");
}

/* --- volume ------------------------------------------------------------ */

static bool volume_missing(const struct intent_step *s)
{
    return s->vol == VOL_NONE;
}

/* Volume and songs only make sense on a device that is on. */
static bool prefers_on(const struct intent_step *s, const struct device *d)
{
    (void)s;
    return d->on;
}

static bool volume_answer(struct intent_step *s, const struct intent_step *ans)
{
    if (ans->amount < 0)
        return false;
    s->vol = VOL_SET;
    s->amount = ans->amount;
    return true;
}

static bool volume_patch(json_object *v, struct intent_step *s, char *problem, size_t n)
{
    int64_t vol = json_object_get_int64(v);
    char what[64];
    if (vol < 0 || vol > MODEL_VOLUME_MAX) {
        jsonx_describe(v, what, sizeof what);
        snprintf(problem, n, "must be an integer 0-%d, got %s", MODEL_VOLUME_MAX, what);
        return false;
    }
    s->vol = VOL_SET;
    s->amount = (int)vol;
    return true;
}

static void volume_format(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    static const char *const vols[] = {"", "set", "up", "down", "mute", "max", "half", "scale"};
    if (s->vol == VOL_NONE)
        action_appendf(buf, n, o, " vol=?");
    else
        action_appendf(buf, n, o, " %s", vols[s->vol]);
    if (s->amount >= 0 &&
        (s->vol == VOL_SET || s->vol == VOL_UP || s->vol == VOL_DOWN || s->vol == VOL_SCALE))
        action_appendf(buf, n, o, "=%d", s->amount);
    if (s->toward)
        action_appendf(buf, n, o, " toward=%s", s->toward > 0 ? "up" : "down");
}

/* --- songs and rooms --------------------------------------------------- */

/* A PATCH string: 1 to MODEL_NAME_MAX - 1 bytes, copied into dst. */
static bool patch_text(json_object *v, char *dst, size_t dn, char *problem, size_t n)
{
    const char *s = json_object_get_string(v);
    size_t len = strlen(s);
    if (len == 0 || len >= MODEL_NAME_MAX || len >= dn) {
        snprintf(problem, n, "must be 1-%d characters", MODEL_NAME_MAX - 1);
        return false;
    }
    memcpy(dst, s, len + 1);
    return true;
}

static bool song_patch(json_object *v, struct intent_step *s, char *problem, size_t n)
{
    s->song = SONG_TITLE;
    return patch_text(v, s->title, sizeof s->title, problem, n);
}

static void song_format(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    if (s->song == SONG_NEXT)
        action_appendf(buf, n, o, " next");
    else if (s->song == SONG_PREV)
        action_appendf(buf, n, o, " prev");
    else if (s->song == SONG_TITLE)
        action_appendf(buf, n, o, " title=\"%s\"", s->title);
}

static bool move_missing(const struct intent_step *s)
{
    return !s->dest[0];
}

static bool move_answer(struct intent_step *s, const struct intent_step *ans)
{
    if (!ans->target.n_rooms)
        return false;
    snprintf(s->dest, sizeof s->dest, "%s", ans->target.rooms[0]);
    return true;
}

/* A room as the records spell it: "Living Room" -> "living_room". */
static bool move_patch(json_object *v, struct intent_step *s, char *problem, size_t n)
{
    if (!patch_text(v, s->dest, sizeof s->dest, problem, n))
        return false;
    for (char *p = s->dest; *p; p++)
        *p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    return true;
}

static void move_format(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    action_appendf(buf, n, o, " dest=%s", s->dest[0] ? s->dest : "?");
}

/* --- playback ---------------------------------------------------------- */

static bool playback_missing(const struct intent_step *s)
{
    return s->playback == PLAYBACK_NONE;
}

/* Pausing means what is playing; resuming, what is paused. */
static bool playback_prefers(const struct intent_step *s, const struct device *d)
{
    bool playing = d->on && d->current_song && !d->paused;
    return s->playback == PLAYBACK_PAUSE ? playing : d->on && d->current_song && d->paused;
}

static bool playback_patch(json_object *v, struct intent_step *s, char *problem, size_t n)
{
    int paused = patch_choice(v, "playing", "paused", problem, n);
    s->playback = paused ? PLAYBACK_PAUSE : PLAYBACK_RESUME;
    return paused >= 0;
}

static void playback_format(const struct intent_step *s, char *buf, size_t n, size_t *o)
{
    static const char *const words[] = {"?", "pause", "resume"};
    action_appendf(buf, n, o, " %s", words[s->playback]);
}

/* --- the table --------------------------------------------------------- */

static const struct action_def rows[] = {
    [INTENT_UNKNOWN] = {.id = INTENT_UNKNOWN,
                        .name = "unknown",
                        .kind = ACTION_KIND_REPLY,
                        .reply = "unknown"},
    [INTENT_STATUS] = {.id = INTENT_STATUS,
                       .name = "device_status",
                       .kind = ACTION_KIND_DEVICE,
                       .flags = ACTION_REPORT,
                       .reply = "status"},
    [INTENT_POWER] = {.id = INTENT_POWER,
                      .name = "device_power",
                      .kind = ACTION_KIND_DEVICE,
                      .capability = "power",
                      .reply = "power",
                      .outcomes = "done unchanged clarify",
                      .apply = actions_power,
                      .missing = power_missing,
                      .prefers = power_prefers,
                      .patch_field = "state",
                      .patch_type = json_type_string,
                      .from_patch = power_patch,
                      .format = power_format},
    [INTENT_VOLUME] = {.id = INTENT_VOLUME,
                       .name = "volume_control",
                       .kind = ACTION_KIND_DEVICE,
                       .flags = ACTION_MULTI_ROOM_ON | ACTION_POWERS_ON,
                       .capability = "volume_control",
                       .reply = "volume",
                       .outcomes =
                           "done up down muted capped unchanged off clarify started against",
                       .apply = actions_volume,
                       .missing = volume_missing,
                       .answer = volume_answer,
                       .prefers = prefers_on,
                       .patch_field = "volume",
                       .patch_type = json_type_int,
                       .from_patch = volume_patch,
                       .format = volume_format},
    [INTENT_SONG] = {.id = INTENT_SONG,
                     .name = "song_changes",
                     .kind = ACTION_KIND_DEVICE,
                     .flags = ACTION_MULTI_ROOM_ON,
                     .capability = "music_playback",
                     .reply = "song",
                     .outcomes = "done unchanged off empty notfound elsewhere",
                     .apply = actions_song,
                     .prefers = prefers_on,
                     .patch_field = "current_song",
                     .patch_type = json_type_string,
                     .from_patch = song_patch,
                     .format = song_format},
    [INTENT_MOVE] = {.id = INTENT_MOVE,
                     .name = "device_relocation",
                     .kind = ACTION_KIND_DEVICE,
                     .flags = ACTION_SETS_ROOM,
                     .reply = "move",
                     .outcomes = "done unchanged clarify",
                     .apply = actions_move,
                     .missing = move_missing,
                     .answer = move_answer,
                     .patch_field = "location",
                     .patch_type = json_type_string,
                     .from_patch = move_patch,
                     .format = move_format},
    [INTENT_PLAYBACK] = {.id = INTENT_PLAYBACK,
                         .name = "playback_control",
                         .kind = ACTION_KIND_DEVICE,
                         .flags = ACTION_POWERS_ON,
                         .capability = "music_playback",
                         .reply = "playback",
                         .outcomes = "paused already_paused off nothing resumed started playing "
                                     "already_playing off_play empty clarify",
                         .apply = actions_playback,
                         .missing = playback_missing,
                         .prefers = playback_prefers,
                         .patch_field = "playback",
                         .patch_type = json_type_string,
                         .from_patch = playback_patch,
                         .format = playback_format},
    [INTENT_GROUP] = {.id = INTENT_GROUP,
                      .name = ACTION_MULTI_ROOM,
                      .kind = ACTION_KIND_DEVICE,
                      .capability = "music_playback",
                      .reply = "group",
                      .outcomes = "done unchanged empty",
                      .apply = actions_group,
                      .format = song_format},
    [INTENT_HELP] = {.id = INTENT_HELP, .name = "help", .kind = ACTION_KIND_HELP, .reply = "help"},
    [INTENT_OUT_OF_SCOPE] = {.id = INTENT_OUT_OF_SCOPE,
                             .name = "out_of_scope",
                             .kind = ACTION_KIND_REPLY,
                             .reply = "out_of_scope"},
    [INTENT_GREETING] = {.id = INTENT_GREETING,
                         .name = "greeting",
                         .kind = ACTION_KIND_REPLY,
                         .flags = ACTION_COUNTS_HELP,
                         .reply = "greeting"},
    [INTENT_THANKS] = {.id = INTENT_THANKS,
                       .name = "thanks",
                       .kind = ACTION_KIND_REPLY,
                       .reply = "thanks"},
    [INTENT_UNSUPPORTED] = {.id = INTENT_UNSUPPORTED,
                            .name = "unsupported",
                            .kind = ACTION_KIND_REPLY,
                            .flags = ACTION_REFUSES,
                            .reply = "unsupported"},
    [INTENT_NEGATED] = {.id = INTENT_NEGATED,
                        .name = "negated",
                        .kind = ACTION_KIND_REPLY,
                        .flags = ACTION_COUNTS_HELP,
                        .reply = "negated"},
};
#define N_ROWS (sizeof rows / sizeof *rows)

const struct action_def *action_get(enum intent_action a)
{
    return (size_t)a < N_ROWS && rows[a].name ? &rows[a] : &rows[INTENT_UNKNOWN];
}

const struct action_def *action_by_name(const char *name)
{
    for (size_t i = 0; name && i < N_ROWS; i++)
        if (rows[i].name && strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

const struct action_def *action_by_patch_field(const char *field)
{
    for (size_t i = 0; field && i < N_ROWS; i++)
        if (rows[i].patch_field && strcmp(rows[i].patch_field, field) == 0)
            return &rows[i];
    return NULL;
}

size_t action_count(void)
{
    return N_ROWS;
}

const struct action_def *action_at(size_t i)
{
    return i < N_ROWS ? &rows[i] : NULL;
}

const char *action_capability(const struct intent_step *s)
{
    const struct action_def *a = action_get(s->action);
    /* power meant for music ("stop the music") needs a device that plays it */
    return a->capability && s->media ? "music_playback" : a->capability;
}

void action_result(struct act_result *r, const struct action_def *a, enum act_status st,
                   const char *outcome)
{
    r->status = st;
    snprintf(r->reply, sizeof r->reply, "%s.%s", a->reply, outcome);
}
