/* Multi-room audio requests (see multiroom.h). */
#include "engine/multiroom.h"

#include <stdio.h>
#include <string.h>

#include "engine/action.h"
#include "engine/intent.h"
#include "engine/reply.h"
#include "engine/resolve.h"
#include "engine/routine_parse.h"

#define MEDIA "music_playback"

/* The device whose music the request means: the conversation's last one
 * that plays something, else the first playing, else the first with a song. */
static const struct device *source(const struct turn *t)
{
    const struct customer *c = t->c;
    for (size_t k = 0; k < t->n_prev; k++) {
        const struct device *d = customer_find_device(c, t->prev[k]);
        if (d && d->on && d->current_song && model_device_can(d, MEDIA))
            return d;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->n_devices; i++) {
            const struct device *d = &c->devices[i];
            if (model_device_can(d, MEDIA) && d->current_song && (pass || (d->on && !d->paused)))
                return d;
        }
    return NULL;
}

static void add(const char **ids, size_t *n, const char *id)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(ids[i], id) == 0)
            return;
    if (*n < RESOLVE_MAX)
        ids[(*n)++] = id;
}

static void all_media(const struct customer *c, const char **ids, size_t *n)
{
    for (size_t i = 0; i < c->n_devices; i++)
        if (model_device_can(&c->devices[i], MEDIA))
            add(ids, n, c->devices[i].id);
}

/* The media devices a phrase names ("the kitchen", "bedroom and kitchen"). */
static void named_media(struct engine *e, const struct customer *c, const char *words,
                        const char **ids, size_t *n)
{
    struct intent in;
    struct resolve_result r;
    intent_parse(e->lx, words, &in);
    if (in.n_steps == 0 || !in.steps[0].target.explicit_)
        return;
    in.steps[0].action = INTENT_SONG; /* for the capability */
    resolve_target(c, &in.steps[0], NULL, 0, &r);
    for (size_t i = 0; (r.status == RESOLVE_OK || r.status == RESOLVE_WHICH) && i < r.n; i++)
        if (model_device_can(&c->devices[r.idx[i]], MEDIA))
            add(ids, n, c->devices[r.idx[i]].id);
}

/* A spoken title as one of the devices' playlists spells it, or NULL. */
static const char *find_title(const struct customer *c, const char **ids, size_t n,
                              const char *spoken)
{
    for (size_t i = 0; i < n; i++) {
        const struct device *d = customer_find_device(c, ids[i]);
        const char *t = d ? resolve_title(&d->playlist, spoken) : NULL;
        if (t)
            return t;
    }
    return NULL;
}

/* Plays title on the devices: the multi_room_audio row for several (the
 * turn checks the level), a power and a song step for one. */
static int play(struct turn *t, const char **ids, size_t n, const char *title, struct sb_err *err)
{
    struct intent_step s;
    memset(&s, 0, sizeof s);
    s.state = -1;
    s.amount = -1;
    s.target.ref = true; /* the devices set as the previous ones */
    s.song = SONG_TITLE;
    snprintf(s.title, sizeof s.title, "%s", title);
    turn_set_prev(t, ids, n);
    if (n > 1) {
        s.action = INTENT_GROUP;
        return turn_step(t, &s, err);
    }
    /* one device: it only needs to be on, and the song changed if it is another */
    const struct device *d = customer_find_device(t->c, ids[0]);
    bool same = d && d->current_song && strcmp(d->current_song, title) == 0;
    struct intent_step on = s;
    on.action = INTENT_POWER;
    on.state = 1;
    s.action = INTENT_SONG;
    int rc = turn_step(t, &on, err);
    return rc == SB_OK && !same ? turn_step(t, &s, err) : rc;
}

bool multiroom_chat(struct engine *e, struct turn *t, const char *text, int *rc, struct sb_err *err)
{
    char slot[INTENT_TEXT_MAX];
    const char *ids[RESOLVE_MAX], *title = NULL;
    size_t n = 0;
    const char *kind = routine_parse_phrase(e->rl, "group.", text, slot, sizeof slot);
    const struct device *src = source(t);
    *rc = SB_OK;
    if (kind && strcmp(kind, "title") == 0) {
        all_media(t->c, ids, &n);
        title = find_title(t->c, ids, n, slot);
    } else if (kind) {
        if (!src) {
            turn_add(t, ACTION_MULTI_ROOM, NULL, "refused", lexicon_reply(e->lx, "group.nothing"),
                     NULL);
            t->n_refused++;
            return true;
        }
        title = src->current_song;
        add(ids, &n, src->id);
        if (strcmp(kind, "extend") == 0)
            named_media(e, t->c, slot, ids, &n);
        else
            all_media(t->c, ids, &n);
        if (n == 1 && strcmp(kind, "extend") == 0)
            return false; /* named nothing that plays: the parser answers */
    } else {
        /* "play Yesterday on the bedroom and kitchen speakers" */
        struct intent in;
        struct resolve_result r;
        intent_parse(e->lx, text, &in);
        if (in.n_steps != 1 || in.steps[0].action != INTENT_SONG || in.steps[0].song != SONG_TITLE)
            return false;
        resolve_target(t->c, &in.steps[0], (const char *const *)t->prev, t->n_prev, &r);
        if (r.status != RESOLVE_OK || r.n < 2)
            return false;
        for (size_t i = 0; i < r.n; i++)
            if (model_device_can(&t->c->devices[r.idx[i]], MEDIA))
                add(ids, &n, t->c->devices[r.idx[i]].id);
        title = find_title(t->c, ids, n, in.steps[0].title);
    }
    if (!title || n == 0)
        return false; /* no such song anywhere: the parser's answer says so */
    /* the title and ids point into t->c, which the steps replace: copy */
    char keep[INTENT_TEXT_MAX], idbuf[RESOLVE_MAX][MODEL_ID_MAX];
    snprintf(keep, sizeof keep, "%s", title);
    for (size_t i = 0; i < n; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "%s", ids[i]);
        ids[i] = idbuf[i];
    }
    *rc = play(t, ids, n, keep, err);
    t->asked = 0; /* its steps are made here: a pending question could not re-read them */
    return true;
}
