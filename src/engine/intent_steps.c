/* Passes over the steps once every clause is read: what one step of a
 * message means for its neighbours. A clause alone cannot tell that "hate
 * it" after "skip this song" is its reason, that "the fan" before "and the
 * heater plug off" shares that request, or that "them" after a negated
 * clause names what it named. intent.c reads the clauses and marks each
 * step it keeps (intent_marks_step); the passes here apply the marks. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/action.h"
#include "engine/intent_impl.h"

/* Whether step s answers reason r: asks for the same (or sets the
 * volume it complains of), or switches on where r finds it too quiet ("turn on the speaker, it's
 * too quiet in there": the silence is why, not the volume). */
static bool answers(const struct intent_step *s, const struct intent_step *r)
{
    if (s->action == INTENT_POWER && s->state == 1)
        return r->action == INTENT_VOLUME && r->vol == VOL_UP;
    /* "far too loud, could you turn it down to 15": the value answers it */
    return s->action == r->action &&
           (r->action != INTENT_VOLUME || s->vol == r->vol || s->vol == VOL_SET);
}

/* The step other than the reasons that asks what reason k does, or NULL;
 * or one asking for what the bot cannot do ("that's too loud, put it back
 * to how it was"): what was asked is not done, so no guess is either. */
static struct intent_step *asked_too(struct intent *out, const struct intent_marks *m, size_t k)
{
    const struct intent_step *r = &out->steps[k];
    for (size_t j = 0; j < out->n_steps; j++)
        if (!m->reason[j] &&
            (answers(&out->steps[j], r) || out->steps[j].action == INTENT_UNSUPPORTED))
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
static void drop_reasons(struct intent *out, const struct intent_marks *m, bool *drop)
{
    for (size_t k = 0; k < out->n_steps; k++) {
        struct intent_step *asks = m->reason[k] ? asked_too(out, m, k) : NULL;
        drop[k] = drop[k] || asks != NULL;
        if (asks && asks->action == out->steps[k].action && names_none(&asks->target) &&
            !names_none(&out->steps[k].target))
            asks->target = out->steps[k].target;
    }
}

/* "turn off everything except the lounge speaker, and put Imagine on it":
 * a pronoun right after a group with an exception names what was kept. */
static void lend_exception(struct intent *out)
{
    for (size_t k = 1; k < out->n_steps; k++) {
        const struct intent_step *group = &out->steps[k - 1];
        struct intent_target *t = &out->steps[k].target;
        if (t->ref && names_none(t) && group->target.all && !names_none(&group->except))
            *t = group->except;
    }
}

/* Removes the steps marked in drop. */
static void compact(struct intent *out, const bool *drop)
{
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

/* "bin this song on the kitchen speaker, next one", "volume 50. FIFTY.":
 * a skip (or the same volume) on no device of its own right after the
 * same says it again. Skipping once where twice was meant is the safer
 * mistake. */
static void drop_retold_skips(struct intent *out)
{
    size_t kept = 0;
    for (size_t k = 0; k < out->n_steps; k++) {
        const struct intent_step *s = &out->steps[k];
        const struct intent_step *before = kept ? &out->steps[kept - 1] : NULL;
        /* "volume 50. FIFTY.": the same setting again on no device of its own */
        bool same_set = before && s->action == INTENT_VOLUME && before->action == INTENT_VOLUME &&
                        s->vol == VOL_SET && before->vol == VOL_SET && s->amount == before->amount;
        bool retold = before && names_none(&s->target) &&
                      ((s->action == INTENT_SONG && s->song == SONG_NEXT &&
                        before->action == INTENT_SONG && before->song == SONG_NEXT) ||
                       same_set);
        /* "LOUDER!!! kitchen spkr 🔊🔊": the same step said first on no
         * device, then again on one, is that one */
        bool said_first = before && names_none(&before->target) && !names_none(&s->target) &&
                          s->action == INTENT_VOLUME && before->action == INTENT_VOLUME &&
                          (s->vol == VOL_UP || s->vol == VOL_DOWN) && s->vol == before->vol;
        if (said_first)
            out->steps[kept - 1] = *s;
        else if (!retold)
            out->steps[kept++] = *s;
    }
    out->n_steps = kept;
}

/* A clause that only complains: it dislikes what plays ("hate it", "so
 * sick of this one") on no device of its own, or finds the sound too loud
 * or too quiet with no volume word of its own. A request when said alone,
 * the reason for one when the message also asks for it ("skip this song,
 * hate it"; "the den speaker is too quiet, a bit louder please"). */
static bool complaint_only(const struct clause *c, const struct intent_step *s)
{
    const struct intent_target *t = &s->target;
    if (s->action == INTENT_VOLUME) {
        enum lex_tag way = s->vol == VOL_UP ? LEX_UP : LEX_DOWN;
        const char *v = clause_has(c, way) ? c->t->toks[c->first[way]].value : NULL;
        return (s->vol == VOL_UP || s->vol == VOL_DOWN) && c->count[way] == 1 && v &&
               strcmp(v, "complaint") == 0;
    }
    return s->action == INTENT_SONG && s->song == SONG_NEXT && clause_has(c, LEX_DISLIKE) &&
           !clause_has(c, LEX_NEXT) && !clause_has(c, LEX_PLAY) && !t->n_types && !t->n_rooms &&
           !t->n_ids && !t->n_parts;
}

/* Devices named with nothing else ("the bedroom fan"), and then before
 * the next clause, which begins at next, a token of the tag (and value). */
static bool bare_before(const struct clause *c, const struct tokens *t, size_t next,
                        enum lex_tag tag, const char *value)
{
    if (!clause_is_answer(c) || clause_has(c, LEX_NUM) || next >= t->n)
        return false;
    for (size_t i = c->b; i < next; i++)
        if (t->toks[i].tag == tag &&
            (!value || (t->toks[i].value && !strcmp(t->toks[i].value, value))))
            return true;
    return false;
}

/* A request said by its devices and a state or number alone ("heater
 * plug off", "display volume 30"), which the devices before "and" share;
 * not one with a verb of its own ("the speaker and turn it up") */
static bool said_without_verb(const struct clause *c)
{
    static const enum lex_tag verbs[] = {LEX_POWER, LEX_SET, LEX_PLAY, LEX_MOVE, LEX_REF};
    return COUNT_OF(c, verbs) == 0;
}

/* "radio, be a dear and play Hey Jude": the message opens with devices
 * called by their words alone (and filler), then a comma and more than a
 * number ("the den speaker; 35" answers a question). */
static bool called(const struct clause *c, const struct intent_step *st, size_t next)
{
    const struct tokens *t = c->t;
    size_t after = next;
    while (after < t->n && (t->toks[after].tag == LEX_FILLER || t->toks[after].tag == LEX_SEP))
        after++;
    bool comma = false, bare = true;
    for (size_t i = c->a; i < next && bare; i++) {
        enum lex_tag tag = t->toks[i].tag;
        /* the comma may be inside the clause ("kitchen speaker, be a dear
         * and ...": what follows it is filler) */
        comma = comma || (tag == LEX_SEP && !t->toks[i].value);
        /* "the little lamp on my desk, in the study, ...": a word before a
         * device word, and where it is, say which */
        bool adjective =
            tag == LEX_WORD && i + 1 < next && clause_is_target_tag(t->toks[i + 1].tag);
        bare = clause_is_target_tag(tag) || tag == LEX_FILLER || tag == LEX_GREETING ||
               tag == LEX_IN || (tag == LEX_SEP && !t->toks[i].value) || tag == LEX_CONJ ||
               adjective;
    }
    return st->action == INTENT_STATUS && st->cond == COND_NONE && bare && comma &&
           (st->target.n_types || st->target.n_ids || st->target.n_parts || st->target.n_rooms) &&
           after < t->n && t->toks[after].tag != LEX_NUM;
}

void intent_marks_init(struct intent_marks *m)
{
    memset(m, 0, sizeof *m);
    m->bare_at = SIZE_MAX;
}

void intent_marks_skip(struct intent_marks *m)
{
    m->bare_at = SIZE_MAX;
}

void intent_marks_step(struct intent_marks *m, const struct clause *c, const struct intent_step *st,
                       size_t s, size_t next)
{
    m->reason[s] = complaint_only(c, st);
    if (m->bare_at != SIZE_MAX && m->bare_at + 1 == s && said_without_verb(c))
        m->bare_and[m->bare_at] = true;
    m->bare_at = bare_before(c, c->t, next, LEX_CONJ, NULL) ? s : SIZE_MAX;
    m->label[s] = bare_before(c, c->t, next, LEX_SEP, ":");
    m->vocative[s] = s == 0 && !m->label[s] && called(c, st, next);
}

/* Adds the rows of from (m of them, each width bytes) to those of to (*n
 * of them), leaving out what is there and what does not fit: a target's
 * kinds, rooms, ids or name words. */
static void add_rows(char *to, size_t *n, const char *from, size_t m, size_t width)
{
    for (size_t i = 0; i < m; i++) {
        bool have = false;
        for (size_t k = 0; k < *n; k++)
            have = have || strcmp(to + k * width, from + i * width) == 0;
        if (!have && *n < INTENT_MAX_KEYS)
            snprintf(to + (*n)++ * width, width, "%s", from + i * width);
    }
}
#define ADD_ROWS(to, n, from, m) add_rows(&(to)[0][0], (n), &(from)[0][0], (m), sizeof(to)[0])

/* "kitchen speaker: skip this song\nheater plug: off", "patio: speaker
 * on": a label says what the request after it is about (its rooms, when
 * the request names devices of its own); so do devices called first
 * ("radio, be a dear and play Hey Jude"), when the request names none. Marks are of the steps as
 * intent.c made them: this runs first. */
static void apply_labels(struct intent *out, const struct intent_marks *m, bool *drop)
{
    for (size_t k = 0; k + 1 < out->n_steps; k++) {
        struct intent_target *label = &out->steps[k].target;
        size_t next = k + 1;
        const struct intent_target *place = &out->steps[next].target;
        /* "the little lamp on my desk, in the study, please turn it off":
         * a place said after the call is the call's */
        if (m->vocative[k] && next + 1 < out->n_steps && out->steps[next].action == INTENT_STATUS &&
            place->n_rooms && !place->n_types && !place->n_ids && !place->n_parts && !place->all &&
            !place->ref) {
            ADD_ROWS(label->rooms, &label->n_rooms, place->rooms, place->n_rooms);
            drop[next++] = true;
        }
        struct intent_target *t = &out->steps[next].target;
        /* "lights, all of you off": all of those called */
        bool all_of = t->all && !t->n_types && !t->n_rooms && !t->n_ids && !t->n_parts;
        if ((!m->label[k] && !m->vocative[k]) || out->steps[k].action != INTENT_STATUS)
            continue;
        if (names_none(t) || all_of) {
            *t = *label;
            t->all = t->all || all_of;
        } else if (m->vocative[k] && (label->n_types || label->n_ids || label->n_parts)) {
            continue; /* "the fan, and the heater plug off": no call */
        } else if (m->vocative[k]) {
            /* "LIVING ROOM\n- display off\n- play corner on": a room
             * called first is where each request after it is */
            for (size_t j = next; j < out->n_steps; j++)
                if (!out->steps[j].target.n_rooms && !out->steps[j].target.n_ids)
                    ADD_ROWS(out->steps[j].target.rooms, &out->steps[j].target.n_rooms,
                             label->rooms, label->n_rooms);
        } else if (!t->n_rooms) {
            ADD_ROWS(t->rooms, &t->n_rooms, label->rooms, label->n_rooms);
        }
        drop[k] = true;
    }
}

/* "what's on in the office? switch everything there off": everything in
 * the rooms the step before says (with none said there, everything). */
static void lend_rooms(struct intent *out)
{
    for (size_t k = 1; k < out->n_steps; k++) {
        struct intent_target *t = &out->steps[k].target;
        const struct intent_target *before = &out->steps[k - 1].target;
        if (t->there && !t->n_rooms)
            ADD_ROWS(t->rooms, &t->n_rooms, before->rooms, before->n_rooms);
    }
}

/* "lounge speaker to 20, everything else off": everything else leaves out
 * what the message's other steps name (their kinds, names and name words;
 * a room said with a kind is not one to leave out whole: leaving out more
 * than meant does less, never more). */
static void except_the_rest(struct intent *out)
{
    for (size_t k = 0; k < out->n_steps; k++) {
        struct intent_target *ex = &out->steps[k].except;
        if (!out->steps[k].target.others)
            continue;
        for (size_t j = 0; j < out->n_steps; j++) {
            const struct intent_target *t = &out->steps[j].target;
            if (j == k || t->all)
                continue;
            ADD_ROWS(ex->types, &ex->n_types, t->types, t->n_types);
            ADD_ROWS(ex->parts, &ex->n_parts, t->parts, t->n_parts);
            ADD_ROWS(ex->ids, &ex->n_ids, t->ids, t->n_ids);
            if (!t->n_types && !t->n_ids && !t->n_parts)
                ADD_ROWS(ex->rooms, &ex->n_rooms, t->rooms, t->n_rooms);
            ex->explicit_ = ex->explicit_ || t->explicit_;
        }
    }
}

void intent_steps_finish(struct intent *out, const struct intent_marks *m)
{
    if (out->n_steps == 0)
        return;
    /* the passes that read the marks first, while the steps are as marked */
    bool drop[INTENT_MAX_STEPS] = {false};
    apply_labels(out, m, drop);
    share_requests(out, m);
    drop_reasons(out, m, drop);
    compact(out, drop);
    drop_negated(out);
    drop_retold_moves(out);
    drop_retold_skips(out);
    lend_exception(out);
    lend_rooms(out);
    except_the_rest(out);
}

/* "if the hall light is on, ...": a status clause opening with "if" is a
 * condition; what it must find (COND_UNKNOWN: nothing this can check, so
 * what depends on it is not done). */
enum intent_cond intent_condition_of(const struct clause *c, const struct intent_step *s)
{
    /* "should the patio speaker be switched off, leave it so": a
     * condition too, when more follows it */
    bool should =
        s->action == INTENT_POWER && tokens_word_is(c->t, c->a, "should") && c->b < c->t->n;
    if ((s->action != INTENT_STATUS || !tokens_word_is(c->t, c->a, "if")) && !should)
        return COND_NONE;
    for (size_t i = c->a; i < c->b; i++) {
        const struct token *tk = &c->t->toks[i];
        if (tk->tag == LEX_STATE && tk->value)
            return strcmp(tk->value, "on") == 0 ? COND_ON : COND_OFF;
        if (tokens_word_is(c->t, i, "playing"))
            return COND_PLAYING;
    }
    return COND_UNKNOWN;
}

/* "just curious", "in theory", "exactly what I need": the message asks
 * about its requests or mocks them (filler=noact); it is answered, not done. */
static bool makes_no_request(const struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->toks[i].tag == LEX_FILLER && t->toks[i].value &&
            strcmp(t->toks[i].value, "noact") == 0)
            return true;
    return false;
}

bool intent_opens_with_correction(const struct tokens *t)
{
    size_t i = 0;
    /* "no, I meant down" */
    while (i < t->n && (t->toks[i].tag == LEX_FILLER || t->toks[i].tag == LEX_SEP ||
                        (t->toks[i].tag == LEX_NOT && tokens_word_is(t, i, "no"))))
        i++;
    return i < t->n && t->toks[i].tag == LEX_CORRECT;
}

/* "no sorry, I meant Yesterday": one step, the title said (or what else
 * the step says) in place of the last request's (followup.c). */
static void read_correction(struct intent *out, const struct tokens *t)
{
    struct intent_step *s = &out->steps[0];
    /* "no wait, turn it back on" is a request of its own */
    if (out->n_steps != 1 || s->action != INTENT_UNKNOWN)
        return;
    for (size_t i = 0; i < t->n && !s->correct; i++)
        if (t->toks[i].tag == LEX_TITLE && t->toks[i].value) {
            s->action = INTENT_SONG;
            s->song = SONG_TITLE;
            snprintf(s->title, sizeof s->title, "%s", t->toks[i].value);
            s->correct = true;
        }
}

static bool asks_question(const struct tokens *t)
{
    for (size_t k = 0; k < t->n; k++)
        if (t->toks[k].tag == LEX_QUESTION ||
            (t->toks[k].tag == LEX_SEP && t->toks[k].value && !strcmp(t->toks[k].value, "?")))
            return true;
    return false;
}

/* Whether the message opens with "no", "not", "wait" or a correction,
 * and asks no question. */
static bool opens_with_no(const struct tokens *t)
{
    size_t i = 0;
    while (i < t->n && (t->toks[i].tag == LEX_FILLER || t->toks[i].tag == LEX_SEP) &&
           !tokens_word_is(t, i, "wait"))
        i++;
    if (asks_question(t))
        return false;
    return i < t->n && (t->toks[i].tag == LEX_CORRECT || tokens_word_is(t, i, "wait") ||
                        (t->toks[i].tag == LEX_NOT &&
                         (tokens_word_is(t, i, "no") || tokens_word_is(t, i, "not"))) ||
                        (t->toks[i].tag == LEX_EXCEPT && tokens_word_is(t, i, "not")));
}

/* "turn off the ceiling fan", then "not the fan, the heater!", "no, I
 * meant the porch one": devices said alone after a "no" are the last
 * request's, instead of those it changed (followup.c, undo_first). The
 * last of them says which. */
static void read_retarget(struct intent *out, const struct tokens *t, bool corrects)
{
    if (out->n_steps == 0 || !(corrects ? !asks_question(t) : opens_with_no(t)))
        return;
    for (size_t k = 0; k < out->n_steps; k++)
        if (out->steps[k].action != INTENT_STATUS || !out->steps[k].target.explicit_ ||
            out->steps[k].about[0] || out->steps[k].cond != COND_NONE)
            return;
    out->steps[0] = out->steps[out->n_steps - 1];
    memset(&out->steps[0].except, 0, sizeof out->steps[0].except);
    out->steps[0].correct = true;
    out->n_steps = 1;
}

void intent_steps_close(struct intent *out, const struct tokens *t, bool corrects)
{
    if (corrects)
        read_correction(out, t);
    read_retarget(out, t, corrects);
    if (corrects && out->n_steps == 1 && out->steps[0].action == INTENT_VOLUME &&
        (out->steps[0].vol == VOL_UP || out->steps[0].vol == VOL_DOWN))
        out->steps[0].redo = true;
    if (makes_no_request(t))
        for (size_t k = 0; k < out->n_steps; k++)
            if (action_get(out->steps[k].action)->kind == ACTION_KIND_DEVICE)
                out->steps[k].action = INTENT_STATUS;
    /* the steps after a condition depend on it, up to the next one */
    for (size_t k = 0, cond = 0; k < out->n_steps; k++) {
        if (out->steps[k].cond != COND_NONE)
            cond = k + 1;
        else
            out->steps[k].cond_step = cond;
    }
}
