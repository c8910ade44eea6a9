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

void resolve_target(const struct customer *c, const struct intent_step *s, const char *const *prev,
                    size_t n_prev, struct resolve_result *out)
{
    struct resolve_result set = {0};
    struct intent_target t = s->target;
    const char *cap = action_capability(s);
    bool said = t.explicit_, many = t.all;
    out->n = 0;
    out->status = RESOLVE_OK;
    if (t.n_rooms == 0 && by_location_words(c, s, &t))
        said = true;
    by_name(c, s, &set);
    if (set.n) {
        said = true;
    } else if (t.n_types || t.n_rooms) {
        for (size_t i = 0; i < c->n_devices; i++) {
            const struct device *d = &c->devices[i];
            if ((!t.n_types || device_of_types(d, &t)) &&
                (!t.n_rooms || device_in_rooms(d, &t)))
                push(&set, i);
        }
    } else if (!said && n_prev) {
        /* a pronoun always means the previous devices; an unnamed request
         * only when they can do it */
        size_t able = 0;
        for (size_t k = 0; k < n_prev; k++)
            for (size_t i = 0; i < c->n_devices; i++)
                if (strcmp(c->devices[i].id, prev[k]) == 0) {
                    push(&set, i);
                    able += !cap || model_device_can(&c->devices[i], cap);
                }
        if (!t.ref && able < set.n)
            set.n = 0;
        many = many || set.n > 1;
        said = set.n > 0;
    }
    bool defaulted = !said;
    if (!said || (t.all && !t.n_types && !t.n_rooms && !set.n)) {
        set.n = 0;
        for (size_t i = 0; i < c->n_devices; i++)
            push(&set, i);
        /* a report about nothing named covers every device */
        many = many || (action_get(s->action)->flags & ACTION_REPORT);
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
    if (out->n > 1 && !many && defaulted)
        keep_preferred(c, s, out);
    if (out->n > 1 && !many)
        out->status = RESOLVE_WHICH;
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
