/* Target resolution and fuzzy title matching. */
#include "engine/resolve.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine/action.h"

#define RESOLVE_NAME_MAX 256

/* Lower-cases s into buf keeping letters and digits, one space between
 * words ("Living_Room Speaker!" -> "living room speaker"). */
static void normalize(const char *s, char *buf, size_t n)
{
    size_t o = 0;
    bool space = false;
    for (; s && *s && o + 2 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            continue;
        if (isalnum(c) || c >= 0x80) {
            if (space && o)
                buf[o++] = ' ';
            buf[o++] = (char)tolower(c);
            space = false;
        } else {
            space = true;
        }
    }
    buf[o] = '\0';
}

/* Whether phrase occurs in words on word boundaries. */
static bool contains_words(const char *words, const char *phrase)
{
    size_t l = strlen(phrase);
    if (!l)
        return false;
    for (const char *p = strstr(words, phrase); p; p = strstr(p + 1, phrase))
        if ((p == words || p[-1] == ' ') && (p[l] == '\0' || p[l] == ' '))
            return true;
    return false;
}

static bool device_in_rooms(const struct device *d, const struct intent_target *t)
{
    for (size_t i = 0; i < t->n_rooms; i++)
        if (d->location && strcmp(d->location, t->rooms[i]) == 0)
            return true;
    return false;
}

static bool device_of_types(const struct device *d, const struct intent_target *t)
{
    for (size_t i = 0; i < t->n_types; i++) {
        if (strcmp(t->types[i], "media") == 0 ? model_device_can(d, "music_playback")
                                              : model_type_is(t->types[i], d->type))
            return true;
    }
    return false;
}

static void push(struct resolve_result *r, size_t i)
{
    if (r->n < RESOLVE_MAX)
        r->idx[r->n++] = i;
}

/* Devices whose name the clause says outright. */
static void by_name(const struct customer *c, const struct intent_step *s, struct resolve_result *r)
{
    char name[RESOLVE_NAME_MAX], words[INTENT_TEXT_MAX];
    normalize(s->words, words, sizeof words);
    for (size_t i = 0; i < c->n_devices; i++) {
        model_device_display_name(&c->devices[i], name, sizeof name);
        char norm[RESOLVE_NAME_MAX];
        normalize(name, norm, sizeof norm);
        if (contains_words(words, norm))
            push(r, i);
    }
}

/* Devices in a room the vocabulary does not know but a device's location
 * names ("the sunroom"). */
static bool by_location_words(const struct customer *c, const struct intent_step *s,
                              struct intent_target *t)
{
    char loc[RESOLVE_NAME_MAX], words[INTENT_TEXT_MAX];
    bool found = false;
    normalize(s->words, words, sizeof words);
    for (size_t i = 0; i < c->n_devices && t->n_rooms < INTENT_MAX_KEYS; i++) {
        normalize(c->devices[i].location, loc, sizeof loc);
        if (loc[0] && contains_words(words, loc)) {
            snprintf(t->rooms[t->n_rooms++], sizeof t->rooms[0], "%s", c->devices[i].location);
            found = true;
        }
    }
    return found;
}

/* With nothing said about the device, a request that only makes sense for
 * some devices (volume and songs: those that are on) goes to those, when
 * some are and some are not (the action's row says which). */
static void keep_preferred(const struct customer *c, const struct intent_step *s,
                           struct resolve_result *r)
{
    size_t k = 0;
    bool (*prefers)(const struct intent_step *, const struct device *) =
        action_get(s->action)->prefers;
    if (!prefers)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (prefers(s, &c->devices[r->idx[i]]))
            r->idx[k++] = r->idx[i];
    if (k > 0)
        r->n = k;
}

/* Whether one of the target's name words (with the kind said with it)
 * fits the device. */
static bool device_has_part(const struct device *d, const struct intent_target *t)
{
    char name[RESOLVE_NAME_MAX], norm[RESOLVE_NAME_MAX];
    model_device_display_name(d, name, sizeof name);
    normalize(name, norm, sizeof norm);
    for (size_t i = 0; i < t->n_parts; i++)
        if (contains_words(norm, t->parts[i]) &&
            (!t->part_types[i][0] || model_type_is(t->part_types[i], d->type)))
            return true;
    return false;
}

static bool device_named(const struct device *d, const struct intent_target *t)
{
    for (size_t i = 0; i < t->n_ids; i++)
        if (strcmp(d->id, t->ids[i]) == 0)
            return true;
    return false;
}

/* The conversation's last devices, in the customer's order. */
static void by_prev(const struct customer *c, const char *const *prev, size_t n_prev,
                    struct resolve_result *r)
{
    for (size_t i = 0; i < c->n_devices; i++)
        for (size_t k = 0; k < n_prev; k++)
            if (strcmp(c->devices[i].id, prev[k]) == 0) {
                push(r, i);
                break;
            }
}

/* Whether the target narrows devices by kind, room or name words. */
static bool filters(const struct intent_target *t)
{
    return t->n_types || t->n_rooms || t->n_parts;
}

/* Whether the action needs one device when a room is said: music and
 * volume ("play some music in the bedroom" with two players there). */
static bool one_is_meant(const struct intent_step *s)
{
    const char *cap = action_capability(s);
    return (action_get(s->action)->flags & ACTION_MULTI_ROOM_ON) ||
           (cap && strcmp(cap, "music_playback") == 0);
}

/* The devices a target says: those named whole, and those of its kinds,
 * rooms and name words. */
static void by_target(const struct customer *c, const struct intent_target *t,
                      struct resolve_result *r)
{
    bool both = false;       /* some device is of a kind said and has a name word said */
    bool named_kind = false; /* some device named is of a kind said */
    for (size_t i = 0; i < c->n_devices; i++) {
        const struct device *d = &c->devices[i];
        bool room = !t->n_rooms || device_in_rooms(d, t);
        both = both ||
               (room && t->n_types && t->n_parts && device_of_types(d, t) && device_has_part(d, t));
        named_kind = named_kind || (t->n_types && device_named(d, t) && device_of_types(d, t));
        /* "the fan and the heater": each kind or name word adds devices */
        if (device_named(d, t) || (room && t->n_types && device_of_types(d, t)) ||
            (room && t->n_parts && device_has_part(d, t)) ||
            (room && t->n_rooms && !t->n_types && !t->n_parts))
            push(r, i);
    }
    if (!both && !named_kind)
        return;
    /* "the light on the ceiling in the hall": the word says which light,
     * where no other kind has it ("the fan and the heater" adds); "the
     * play corner light": the kind is the named device's, not every light
     * (with "and the lights" too, the named one only: less, never more) */
    size_t kept = 0;
    for (size_t k = 0; k < r->n; k++) {
        const struct device *d = &c->devices[r->idx[k]];
        if (device_named(d, t) || !device_of_types(d, t) || (both && device_has_part(d, t)))
            r->idx[kept++] = r->idx[k];
    }
    r->n = kept;
}

/* "the telly" in a home with no tv: the kinds it stands for instead
 * (types.txt "tv ~ display"). False when no kind said has a stand-in. */
static bool standin_kinds(struct intent_target *t)
{
    bool changed = false;
    for (size_t i = 0; i < t->n_types; i++)
        for (const struct model_type_standin *m = model_type_standins; m->key; m++)
            if (strcmp(t->types[i], m->key) == 0) {
                snprintf(t->types[i], sizeof t->types[i], "%s", m->standin);
                changed = true;
            }
    return changed;
}

/* "the display of the kitchen" with no display in the kitchen: the device
 * of that kind whose name says the room (the Kitchen Display, moved). */
static void by_room_in_name(const struct customer *c, const struct intent_target *t,
                            struct resolve_result *r)
{
    char name[RESOLVE_NAME_MAX], norm[RESOLVE_NAME_MAX], room[INTENT_TEXT_MAX];
    for (size_t i = 0; i < c->n_devices; i++) {
        const struct device *d = &c->devices[i];
        if (!device_of_types(d, t))
            continue;
        model_device_display_name(d, name, sizeof name);
        normalize(name, norm, sizeof norm);
        for (size_t k = 0; k < t->n_rooms; k++) {
            normalize(t->rooms[k], room, sizeof room); /* living_room: "living room" */
            if (contains_words(norm, room)) {
                push(r, i);
                break;
            }
        }
    }
}

/* Takes out of r the devices an exception names ("apart from the porch
 * light"); false when the exception names none of the customer's devices
 * (then nobody can be sure what was meant). */
static bool subtract(const struct customer *c, const struct intent_target *ex,
                     const char *const *prev, size_t n_prev, struct resolve_result *r)
{
    struct resolve_result out = {0};
    size_t k = 0;
    by_target(c, ex, &out);
    /* "all the lights except that one", "the rest": the conversation's last devices */
    if (!out.n && (ex->ref || ex->others) && !filters(ex) && !ex->n_ids)
        by_prev(c, prev, n_prev, &out);
    if (out.n == 0)
        return false;
    for (size_t i = 0; i < r->n; i++) {
        bool left_out = false;
        for (size_t j = 0; j < out.n; j++)
            left_out = left_out || out.idx[j] == r->idx[i];
        if (!left_out)
            r->idx[k++] = r->idx[i];
    }
    r->n = k;
    return true;
}

/* Whether device d is in the state w says (WHICH_PREV: among prev). */
static bool device_is(const struct device *d, enum intent_which w, const char *const *prev,
                      size_t n_prev)
{
    bool last = false;
    for (size_t k = 0; k < n_prev; k++)
        last = last || strcmp(d->id, prev[k]) == 0;
    switch (w) {
    case WHICH_ON:
        return d->on;
    case WHICH_OFF:
        return !d->on;
    case WHICH_PLAYING:
        return d->on && d->current_song && !d->paused;
    case WHICH_PREV:
    case WHICH_CHANGED: /* nothing changed yet (undo_refers): the last talked about */
        return last;
    case WHICH_LOUDEST:
    case WHICH_QUIETEST:
        return model_device_can(d, "volume_control");
    case WHICH_HERE: /* any of them, but only one */
    case WHICH_ANY:
        break;
    }
    return true;
}

/* "the one that's on", "whichever is louder": keeps the devices of r
 * that are so (the loudest: all those at the highest volume, so that a
 * tie still asks which). */
static void keep_which(const struct customer *c, enum intent_which w, const char *const *prev,
                       size_t n_prev, struct resolve_result *r)
{
    size_t k = 0;
    int best = -1;
    for (size_t i = 0; i < r->n; i++)
        if (device_is(&c->devices[r->idx[i]], w, prev, n_prev))
            r->idx[k++] = r->idx[i];
    r->n = k;
    if (w != WHICH_LOUDEST && w != WHICH_QUIETEST)
        return;
    for (size_t i = 0; i < r->n; i++) {
        int v = c->devices[r->idx[i]].volume;
        if (best < 0 || (w == WHICH_LOUDEST ? v > best : v < best))
            best = v;
    }
    k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (c->devices[r->idx[i]].volume == best)
            r->idx[k++] = r->idx[i];
    r->n = k;
}

/* Whether the devices of r are in more than one room. */
static bool spans_rooms(const struct customer *c, const struct resolve_result *r)
{
    const char *first = c->devices[r->idx[0]].location;
    for (size_t i = 1; i < r->n; i++) {
        const char *loc = c->devices[r->idx[i]].location;
        if ((first == NULL) != (loc == NULL) || (first && strcmp(first, loc) != 0))
            return true;
    }
    return false;
}

/* A title with no device said goes to the devices that have it. */
static void keep_title(const struct customer *c, const struct intent_step *s,
                       struct resolve_result *r)
{
    size_t k = 0;
    if (s->action != INTENT_SONG || s->song != SONG_TITLE)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (resolve_title(&c->devices[r->idx[i]].playlist, s->title))
            r->idx[k++] = r->idx[i];
    if (k > 0)
        r->n = k;
}

void resolve_target(const struct customer *c, const struct intent_step *s, const char *const *prev,
                    size_t n_prev, struct resolve_result *out)
{
    struct resolve_result set = {0};
    struct intent_target t = s->target;
    const char *cap = action_capability(s);
    bool said = t.explicit_, many = t.all;
    /* "the rest of the lights" after a request: all but its devices */
    bool except = s->except.explicit_ || s->except.ref || (t.others && n_prev);
    struct intent_target ex = s->except;
    ex.others = !ex.explicit_ && t.others;
    /* "turn it off, it's too warm in here": the pronoun says which */
    if (t.which == WHICH_HERE && t.ref && n_prev)
        t.which = WHICH_ANY;
    out->n = 0;
    out->status = RESOLVE_OK;
    /* a device named that the customer does not have: say so, never guess */
    if (t.own && t.unknown && !t.n_ids && !filters(&t) && !t.all && !t.ref &&
        !(action_get(s->action)->flags & ACTION_REPORT)) {
        out->status = RESOLVE_NONE;
        return;
    }
    /* without the customer's words (routines, the corpus), names and rooms
     * are looked for in the clause's words */
    if (!t.own && t.n_rooms == 0 && by_location_words(c, s, &t))
        said = true;
    if (!t.own)
        by_name(c, s, &set);
    if (set.n) {
        said = true;
    } else if (t.n_ids || filters(&t)) {
        by_target(c, &t, &set);
        if (set.n == 0 && standin_kinds(&t))
            by_target(c, &t, &set);
        if (set.n == 0 && t.n_rooms && t.n_types && !t.n_ids && !t.n_parts)
            by_room_in_name(c, &t, &set);
        /* a kind of device in a named room means every such device there;
         * several devices named mean all of them */
        /* "switch on the thing that plays music in the bedroom": one
         * device, said as one, is meant even in a room (a question about
         * "the living room one" covers what is there) */
        bool one_said = t.generic && !t.all && !(action_get(s->action)->flags & ACTION_REPORT);
        many = many || (t.n_rooms && !one_is_meant(s) && !one_said) || t.n_ids > 1;
    } else if (!said && n_prev && !t.which) {
        /* a pronoun always means the previous devices; an unnamed request
         * those of them that can do it ("what's playing in the living
         * room?" then "skip it": the display there, not the light), and
         * none when none can */
        size_t able = 0;
        for (size_t k = 0; k < n_prev; k++)
            for (size_t i = 0; i < c->n_devices; i++)
                if (strcmp(c->devices[i].id, prev[k]) == 0 &&
                    (t.ref || !cap || model_device_can(&c->devices[i], cap))) {
                    push(&set, i);
                    able++;
                }
        if (!t.ref && able == 0)
            set.n = 0;
        many = many || set.n > 1;
        said = set.n > 0;
    }
    /* "the 3 lights in the hall" where there are two: say so, never guess;
     * "one of the hall lights": which one? */
    if (t.count == 1 && set.n > 1)
        many = false;
    bool defaulted = !said;
    if (!said || (t.all && !filters(&t) && !t.n_ids && !set.n)) {
        set.n = 0;
        for (size_t i = 0; i < c->n_devices; i++)
            push(&set, i);
        /* a report about nothing named covers every device */
        many = many || (action_get(s->action)->flags & ACTION_REPORT) || except;
    }
    if (t.which) {
        keep_which(c, t.which, prev, n_prev, &set);
        many = false; /* "the one that's on": one of them */
    }
    if (t.ordinal) {
        /* "the second light in the hall": in the customer's order. Of
         * the devices talked about ("switch off the first one"), the
         * order meant may be the customer's, or the reply's: which? */
        bool listed = filters(&t) || t.n_ids;
        if (listed || t.ordinal > (int)set.n) {
            set.idx[0] = set.idx[t.ordinal - 1 < (int)set.n ? t.ordinal - 1 : 0];
            set.n = t.ordinal <= (int)set.n ? 1 : 0;
        }
        many = false;
    }
    if (except && !subtract(c, &ex, prev, n_prev, &set)) {
        out->status = RESOLVE_NONE;
        return;
    }
    if (t.count > 1 && set.n != (size_t)t.count) {
        out->status = RESOLVE_NONE;
        return;
    }
    if (set.n == 0) {
        out->status = RESOLVE_NONE;
        return;
    }
    for (size_t k = 0; k < set.n; k++)
        if (!cap || model_device_can(&c->devices[set.idx[k]], cap))
            push(out, set.idx[k]);
    if (out->n == 0) {
        out->status = RESOLVE_CANNOT;
        push(out, set.idx[0]);
        return;
    }
    if (out->n > 1 && t.only_plural && !t.n_rooms && !except && !t.n_ids && !t.n_parts &&
        !(action_get(s->action)->flags & ACTION_REPORT) && spans_rooms(c, out))
        many = false; /* "turn off the lights", in three rooms: which ones? */
    if (out->n > 1 && !many)
        keep_title(c, s, out);
    if (out->n > 1 && !many && defaulted)
        keep_preferred(c, s, out);
    if (out->n > 1 && !many)
        out->status = RESOLVE_WHICH;
}

/* Whether a single word is the vocabulary's (or a number): such a word is
 * no name word, and a one-word title of it is not read as a title. */
static bool vocabulary_word(const struct lexicon *lx, const char *w)
{
    enum lex_tag tag;
    const char *v;
    char *words[1] = {(char *)w};
    /* a month is a title ("September") before it is a date */
    if (lexicon_match(lx, words, 1, &tag, &v) > 0)
        return !(tag == LEX_FILLER && v && strcmp(v, "date") == 0);
    for (; *w; w++)
        if (*w < '0' || *w > '9')
            return false;
    return true;
}

/* Whether out already has an entity of tag with this value. */
static bool has_entity(const struct text_entities *out, enum lex_tag tag, const char *value)
{
    for (size_t k = 0; k < out->n; k++)
        if (out->e[k].tag == tag && out->e[k].value[0] == value[0] &&
            strcmp(out->e[k].value, value) == 0)
            return true;
    return false;
}

/* Adds the words of a device name that the vocabulary does not know. */
static void add_name_parts(const struct lexicon *lx, struct text_entities *out, const char *name)
{
    size_t at = out->n;
    /* the whole name first, as scratch: its words are the name's words */
    if (!text_entity_add(lx, out, LEX_PART, name, name))
        return;
    struct text_entity whole = out->e[at];
    out->n = at;
    for (size_t w = 0; w < whole.n_words; w++) {
        const char *word = whole.buf + (whole.words[w] - out->e[at].buf);
        if (!vocabulary_word(lx, word) && !has_entity(out, LEX_PART, word) &&
            text_entity_add(lx, out, LEX_PART, "", word))
            out->e[out->n - 1].value = out->e[out->n - 1].words[0];
    }
}

void resolve_entities(const struct lexicon *lx, const struct customer *c, struct text_entities *out)
{
    char name[RESOLVE_NAME_MAX];
    out->n = 0;
    /* added in the order ties go: names, rooms, titles, name words */
    for (size_t i = 0; i < c->n_devices; i++) {
        model_device_display_name(&c->devices[i], name, sizeof name);
        text_entity_add(lx, out, LEX_NAME, c->devices[i].id, name);
    }
    for (size_t i = 0; i < c->n_devices; i++)
        if (c->devices[i].location && !has_entity(out, LEX_ROOM, c->devices[i].location))
            text_entity_add(lx, out, LEX_ROOM, c->devices[i].location, c->devices[i].location);
    for (size_t i = 0; i < c->n_devices; i++) {
        const struct strlist *p = &c->devices[i].playlist;
        for (size_t k = 0; k < p->len; k++) {
            size_t before = out->n;
            if (has_entity(out, LEX_TITLE, p->items[k]) ||
                !text_entity_add(lx, out, LEX_TITLE, p->items[k], p->items[k]))
                continue;
            if (out->e[before].n_words == 1 && vocabulary_word(lx, out->e[before].words[0]))
                out->n = before;
        }
    }
    for (size_t i = 0; i < c->n_devices; i++) {
        model_device_display_name(&c->devices[i], name, sizeof name);
        add_name_parts(lx, out, name);
    }
}

/* Edit distance between a and b (short strings), for fuzzy titles. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[RESOLVE_NAME_MAX + 1];
    if (la > RESOLVE_NAME_MAX || lb > RESOLVE_NAME_MAX)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *resolve_title(const struct strlist *playlist, const char *title)
{
    char want[RESOLVE_NAME_MAX], have[RESOLVE_NAME_MAX];
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    normalize(title, want, sizeof want);
    if (!want[0])
        return NULL;
    for (size_t i = 0; i < playlist->len; i++) {
        normalize(playlist->items[i], have, sizeof have);
        if (strcmp(want, have) == 0)
            return playlist->items[i];
        /* a spoken title may be a part of the real one ("clair de lune") */
        if (strlen(want) >= 4 && contains_words(have, want) && best_d > 1) {
            best = playlist->items[i];
            best_d = 1;
            continue;
        }
        size_t d = distance(want, have);
        size_t allowed = strlen(have) / 4 + 1;
        if (d <= allowed && d < best_d) {
            best = playlist->items[i];
            best_d = d;
        }
    }
    return best;
}

bool resolve_condition_met(const struct customer *c, const struct intent_step *cond,
                           const char *const *prev, size_t n_prev)
{
    struct resolve_result r;
    resolve_target(c, cond, prev, n_prev, &r);
    if (r.status != RESOLVE_OK || r.n == 0)
        return false;
    for (size_t k = 0; k < r.n; k++) {
        const struct device *d = &c->devices[r.idx[k]];
        bool holds = cond->cond == COND_ON        ? d->on
                     : cond->cond == COND_OFF     ? !d->on
                     : cond->cond == COND_PLAYING ? d->on && d->current_song && !d->paused
                                                  : false;
        if (!holds)
            return false;
    }
    return true;
}
