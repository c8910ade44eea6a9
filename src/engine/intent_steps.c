/* Passes over the steps once every clause is read: what one step of a
 * message means for its neighbours. A clause alone cannot tell that "hate
 * it" after "skip this song" is its reason, that "the fan" before "and the
 * heater plug off" shares that request, or that "them" after a negated
 * clause names what it named. intent.c marks the steps; this applies them. */
#include <string.h>

#include "engine/intent_impl.h"

/* The step other than the reasons that asks what reason k does, or NULL. */
static struct intent_step *asked_too(struct intent *out, const struct intent_marks *m, size_t k)
{
    const struct intent_step *r = &out->steps[k];
    for (size_t j = 0; j < out->n_steps; j++)
        if (!m->reason[j] && out->steps[j].action == r->action &&
            (r->action != INTENT_VOLUME || out->steps[j].vol == r->vol))
            return &out->steps[j];
    return NULL;
}

/* Whether t names no device but by a pronoun, or not at all. */
static bool names_none(const struct intent_target *t)
{
    return !t->n_types && !t->n_rooms && !t->n_ids && !t->n_parts && !t->all && !t->generic;
}

/* Drops the complaints that another step asks for in words of its own
 * ("skip this song, hate it" is one skip; "hate this song" alone is one);
 * what the complaint named is what "turn it down" means ("the kitchen
 * speaker is too loud, can you turn it down"). */
static void drop_reasons(struct intent *out, const struct intent_marks *m)
{
    bool drop[INTENT_MAX_STEPS];
    for (size_t k = 0; k < out->n_steps; k++) {
        struct intent_step *asks = m->reason[k] ? asked_too(out, m, k) : NULL;
        drop[k] = asks != NULL;
        if (asks && names_none(&asks->target) && !names_none(&out->steps[k].target))
            asks->target = out->steps[k].target;
    }
    size_t kept = 0;
    for (size_t k = 0; k < out->n_steps; k++)
        if (!drop[k])
            out->steps[kept++] = out->steps[k];
    out->n_steps = kept;
}

/* "fan and heater plug off": devices named bare before "and" and a
 * request get that request, on their own devices. Marks are of the steps
 * as intent.c made them, so this runs before any pass drops a step. */
static void share_requests(struct intent *out, const struct intent_marks *m)
{
    for (size_t j = out->n_steps - 1; j > 0; j--) {
        size_t k = j - 1;
        struct intent_step *bare = &out->steps[k];
        const struct intent_step *next = &out->steps[j];
        if (!m->bare_and[k] || bare->action != INTENT_STATUS ||
            (next->action != INTENT_POWER && next->action != INTENT_VOLUME &&
             next->action != INTENT_PLAYBACK))
            continue;
        struct intent_target target = bare->target;
        char words[INTENT_TEXT_MAX];
        memcpy(words, bare->words, sizeof words);
        *bare = *next;
        bare->target = target;
        memset(&bare->except, 0, sizeof bare->except);
        memcpy(bare->words, words, sizeof words);
    }
}

/* "I don't want no more light in the hall, close them": a pronoun after a
 * negated clause that goes names what that clause named ("them": all of it). */
static void lend_target(const struct intent_step *negated, struct intent_step *next)
{
    const struct intent_target *t = &next->target;
    if (!t->ref || t->n_types || t->n_rooms || t->n_ids || t->n_parts || t->all ||
        !negated->target.explicit_ || negated->target.ref)
        return;
    bool plural = false;
    static const char *const many[] = {"them", "they", "those", "these"};
    for (size_t i = 0; i < sizeof many / sizeof *many; i++) {
        const char *w = strstr(next->words, many[i]);
        size_t l = strlen(many[i]);
        plural = plural || (w && (w == next->words || w[-1] == ' ') && (!w[l] || w[l] == ' '));
    }
    next->target = negated->target;
    next->target.plural = next->target.plural || plural;
}

/* "don't turn the fan off, turn the heater off": the request is the rest;
 * a negation alone stays, to be answered. */
static void drop_negated(struct intent *out)
{
    size_t kept = 0;
    for (size_t k = 0; k < out->n_steps; k++) {
        if (out->steps[k].action == INTENT_NEGATED && k + 1 < out->n_steps)
            lend_target(&out->steps[k], &out->steps[k + 1]);
        if (out->steps[k].action != INTENT_NEGATED || (k + 1 == out->n_steps && kept == 0)) {
            if (kept != k)
                out->steps[kept] = out->steps[k];
            kept++;
        }
    }
    out->n_steps = kept;
}

/* "move the music thing into the front room? We've taken it through
 * there.": a move with nowhere to go of what a move before it moved
 * retells that move. */
static void drop_retold_moves(struct intent *out)
{
    size_t kept = 0;
    bool moved = false;
    for (size_t k = 0; k < out->n_steps; k++) {
        const struct intent_step *s = &out->steps[k];
        bool retold = moved && s->action == INTENT_MOVE && !s->dest[0] && names_none(&s->target);
        moved = moved || (s->action == INTENT_MOVE && s->dest[0]);
        if (!retold)
            out->steps[kept++] = *s;
    }
    out->n_steps = kept;
}

void intent_steps_finish(struct intent *out, const struct intent_marks *m)
{
    if (out->n_steps == 0)
        return;
    share_requests(out, m);
    drop_reasons(out, m);
    drop_negated(out);
    drop_retold_moves(out);
}
