/* The parser proper: tokens -> clauses -> steps. Each clause is read by
 * looking at which word classes it holds (a verb of power, a volume word, a
 * song word, a question...), in a fixed order of precedence, so paraphrases
 * need only vocabulary, not rules. */
#include "engine/intent.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/action.h"
#include "engine/intent_impl.h"
#include "engine/text.h"

#define DEFAULT_NONE (-1)

static size_t read_title(const struct clause *c, size_t from, char *buf, size_t n)
{
    size_t a = from, b = from;
    for (; b < c->b; b++) {
        const struct token *tk = &c->t->toks[b];
        bool prep = tk->tag == LEX_IN || tk->tag == LEX_TO || tk->tag == LEX_FROM ||
                    (tk->tag == LEX_STATE && strcmp(tk->value, "on") == 0);
        if (tk->tag == LEX_TITLE && b == a) {
            snprintf(buf, n, "%s", tk->value);
            return b + 1;
        }
        if (tk->tag == LEX_ALL || tk->tag == LEX_SEP || (prep && clause_target_follows(c, b)) ||
            (b == a && clause_is_target_tag(tk->tag)))
            break;
        if (b == a && (tk->tag == LEX_SONG || clause_is_filler(c, b, "article")))
            a = b + 1;
    }
    size_t e = b;
    while (e > a && (clause_is_closing(c, e - 1) ||
                     (c->t->toks[e - 1].tag == LEX_SONG && !c->t->toks[e - 1].fixed)))
        e--;
    if (e > a && a < c->t->n)
        text_join_typed(c->t, c->t->toks[a].first, c->t->toks[e - 1].last, buf, n);
    else
        buf[0] = '\0';
    return b;
}

/* Whether unknown words (a title, not a room, a number or a device) come
 * right after token i, articles aside. */
static bool title_follows(const struct clause *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->b && clause_is_filler(c, j, "article"))
        j++;
    return j < c->b && c->t->toks[j].tag == LEX_WORD;
}

/* The number that goes with a volume request, or DEFAULT_NONE. */
static int clause_number(const struct clause *c)
{
    return clause_has(c, LEX_NUM) ? c->t->toks[c->first[LEX_NUM]].num : DEFAULT_NONE;
}

/* Whether the clause's number is below zero ("minus 10"). */
static bool negative_number(const struct clause *c)
{
    return clause_has(c, LEX_NUM) && c->t->toks[c->first[LEX_NUM]].num < 0;
}

/* The value of the first power verb that has one ("on", "off", "updown",
 * "toggle"), or NULL. */
static const char *power_value(const struct clause *c)
{
    for (size_t i = c->a; i < c->b; i++)
        if (c->t->toks[i].tag == LEX_POWER && c->t->toks[i].value)
            return c->t->toks[i].value;
    return NULL;
}

/* Whether a power verb that says on or off ("shut", "start", "power ...
 * down") is present. */
static bool has_power_value(const struct clause *c)
{
    const char *v = power_value(c);
    return v && (strcmp(v, "updown") != 0 || clause_has(c, LEX_UP) || clause_has(c, LEX_DOWN));
}

/* "skip two songs", "go back 3 tracks": how many songs a skip goes, from
 * a number right before a song word; -1 (one) when none. */
static int songs_counted(const struct clause *c)
{
    for (size_t i = c->a; i + 1 < c->b; i++) {
        /* "songs on the display" may be read as a playlist question */
        const char *w = c->t->words[c->t->toks[i + 1].first];
        bool songs = c->t->toks[i + 1].tag == LEX_SONG || strcmp(w, "songs") == 0 ||
                     strcmp(w, "tracks") == 0;
        if (c->t->toks[i].tag == LEX_NUM && songs && c->t->toks[i].num > 0 &&
            c->t->toks[i].num < 100)
            return c->t->toks[i].num;
    }
    return -1;
}

/* "patio speaker on at 70", "turn it on to 30": on, then the volume to
 * set it at (a device that is off is switched on at it) */
static bool on_at(const struct clause *c)
{
    for (size_t i = c->a; i + 1 < c->b; i++)
        if (c->t->toks[i].tag == LEX_STATE && c->t->toks[i].value &&
            strcmp(c->t->toks[i].value, "on") == 0 && c->t->toks[i + 1].tag == LEX_TO)
            return true;
    return false;
}

static bool read_volume(const struct clause *c, struct intent_step *s)
{
    int num = clause_number(c);
    /* "put the display on 5": "on" right before a number is a volume */
    bool on_num = clause_has(c, LEX_NUM) && c->first[LEX_NUM] > c->a &&
                  c->t->toks[c->first[LEX_NUM] - 1].tag == LEX_STATE &&
                  strcmp(c->t->toks[c->first[LEX_NUM] - 1].value, "on") == 0;
    bool to_num =
        num != DEFAULT_NONE && (clause_has(c, LEX_TO) || clause_has(c, LEX_SET) ||
                                clause_has(c, LEX_PERCENT) || clause_has(c, LEX_VOLUME) || on_num);
    bool by = clause_has(c, LEX_BY);
    /* "shut everything down" is power, not volume */
    if (has_power_value(c) && !clause_has(c, LEX_VOLUME) && num == DEFAULT_NONE)
        return false;
    if (!(clause_has(c, LEX_VOLUME) || clause_has(c, LEX_UP) || clause_has(c, LEX_DOWN) ||
          clause_has(c, LEX_MUTE) || clause_has(c, LEX_MAX) || clause_has(c, LEX_HALF) ||
          (to_num && !clause_has(c, LEX_QUESTION))))
        return false;
    s->action = INTENT_VOLUME;
    if (negative_number(c)) {
        /* "set it to minus 10": no such volume; said so, nothing changes */
        s->action = INTENT_UNSUPPORTED;
        snprintf(s->about, sizeof s->about, "negative");
        return true;
    }
    if (clause_has(c, LEX_MUTE))
        s->vol = VOL_MUTE;
    else if (clause_has(c, LEX_MAX))
        s->vol = VOL_MAX;
    else if (clause_has(c, LEX_HALF)) {
        /* "half" is 50%; "double it" and "halve it" (half=double, half=halve)
         * are of the volume it has */
        const char *how = c->t->toks[c->first[LEX_HALF]].value;
        s->vol = how ? VOL_SCALE : VOL_HALF;
        s->amount = !how ? DEFAULT_NONE : strcmp(how, "double") == 0 ? 200 : 50;
    } else if (to_num && !by &&
               !(num != DEFAULT_NONE && !clause_has(c, LEX_TO) &&
                 (clause_has(c, LEX_UP) || clause_has(c, LEX_DOWN)))) {
        s->vol = VOL_SET;
        s->amount = num;
        /* "turn it up to 30" from 40 must not turn it down */
        if (clause_has(c, LEX_UP) != clause_has(c, LEX_DOWN))
            s->toward = clause_has(c, LEX_UP) ? 1 : -1;
        s->state = on_at(c) ? 1 : s->state;
    } else if (clause_has(c, LEX_UP) || clause_has(c, LEX_DOWN)) {
        s->vol = clause_has(c, LEX_UP) &&
                         (!clause_has(c, LEX_DOWN) || c->first[LEX_UP] < c->first[LEX_DOWN])
                     ? VOL_UP
                     : VOL_DOWN;
        s->amount = num;
        if (num == DEFAULT_NONE && clause_has(c, LEX_AMOUNT))
            s->amount = atoi(c->t->toks[c->first[LEX_AMOUNT]].value);
    } else if (clause_has(c, LEX_QUESTION) || clause_has(c, LEX_STATUS)) {
        s->action = INTENT_STATUS;
    } else if ((clause_has(c, LEX_STATE) || power_value(c)) && clause_has(c, LEX_VOLUME)) {
        /* "turn the sound off", "cut the sound", "turn the sound on" */
        const char *v =
            clause_has(c, LEX_STATE) ? c->t->toks[c->first[LEX_STATE]].value : power_value(c);
        s->vol = strcmp(v, "on") == 0 ? VOL_UP : VOL_MUTE;
    } else if (num != DEFAULT_NONE) {
        s->vol = VOL_SET;
        s->amount = num;
    }
    return true;
}

static bool read_song(const struct clause *c, struct intent_step *s, size_t *title_a,
                      size_t *title_b)
{
    static const enum lex_tag loudness[] = {LEX_NUM,  LEX_VOLUME, LEX_UP,  LEX_DOWN,
                                            LEX_MUTE, LEX_MAX,    LEX_HALF};
    bool change = clause_has(c, LEX_SET) && clause_has(c, LEX_SONG) && COUNT_OF(c, loudness) == 0;
    size_t to = c->first[LEX_TO];
    if (clause_has(c, LEX_TITLE) &&
        (clause_has(c, LEX_PLAY) || clause_has(c, LEX_SET) || clause_has(c, LEX_NEXT) ||
         (clause_has(c, LEX_SONG) && !clause_has(c, LEX_STATE)) ||
         (clause_has(c, LEX_TO) && (clause_has(c, LEX_POWER) || clause_has(c, LEX_MOVE))) ||
         (clause_has(c, LEX_MOVE) && clause_has(c, LEX_STATE)))) {
        /* a title of the customer's playlists with a verb that can pick it */
        size_t i = c->first[LEX_TITLE];
        snprintf(s->title, sizeof s->title, "%s", c->t->toks[i].value);
        *title_a = i;
        *title_b = i + 1;
        s->action = INTENT_SONG;
        s->song = SONG_TITLE;
        return true;
    }
    if (!clause_has(c, LEX_PLAY) && clause_has(c, LEX_TO) && !clause_has(c, LEX_MOVE) &&
        (clause_has(c, LEX_SET) || clause_has(c, LEX_POWER) || clause_has(c, LEX_SONG) ||
         clause_has(c, LEX_NEXT)) &&
        title_follows(c, to)) {
        /* "change it to Imagine", "switch to Hotel California", "change song to X" */
        *title_a = to + 1;
        *title_b = read_title(c, *title_a, s->title, sizeof s->title);
        s->action = INTENT_SONG;
        s->song = SONG_TITLE;
        return true;
    }
    if (clause_has(c, LEX_NEXT) || clause_has(c, LEX_DISLIKE)) {
        s->action = INTENT_SONG;
        s->song = SONG_NEXT;
        s->amount = songs_counted(c);
    } else if (clause_has(c, LEX_PREV) && COUNT_OF(c, loudness) == c->count[LEX_NUM] &&
               !(clause_has(c, LEX_NUM) && (clause_has(c, LEX_TO) || clause_has(c, LEX_SET)))) {
        /* not "turn it back up", "set it back to 20" (but "go back one song") */
        s->action = INTENT_SONG;
        s->song = SONG_PREV;
        s->amount = songs_counted(c);
    } else if (change) {
        s->action = INTENT_SONG;
        s->song = SONG_NEXT;
    }
    if (clause_has(c, LEX_PLAY) && s->song == SONG_NONE) {
        *title_a = c->first[LEX_PLAY] + 1;
        *title_b = read_title(c, *title_a, s->title, sizeof s->title);
        if (s->title[0]) {
            s->action = INTENT_SONG;
            s->song = SONG_TITLE;
        } else {
            /* "play", "play some music": resume, switching it on if need be */
            s->action = INTENT_PLAYBACK;
            s->playback = PLAYBACK_RESUME;
            s->state = 1;
            s->media = true;
        }
        return true;
    }
    return s->action == INTENT_SONG;
}

/* Whether the clause asks rather than tells: it opens with a question word
 * (after filler), or it holds one ("the fan is on?") or ends in '?' and
 * asks for nothing to be done ("heater off?"). */
/* "could you give the heater a rest?", "would you be so kind as to put
 * the light on?": a request asked as a question, the clause opening with
 * "could/would/can/will you" and no question word in it. */
static bool polite_request(const struct clause *c)
{
    static const char *const modals[] = {"could", "would", "can", "will"};
    bool modal = false;
    for (size_t k = 0; k < sizeof modals / sizeof *modals; k++)
        modal = modal || tokens_word_is(c->t, c->a, modals[k]);
    return modal && c->a + 1 < c->b && tokens_word_is(c->t, c->a + 1, "you") &&
           !clause_has(c, LEX_QUESTION);
}

static bool is_question(const struct clause *c)
{
    size_t verbs = 0;
    for (size_t i = c->a; i < c->b; i++)
        verbs += clause_is_verb_tag(c->t->toks[i].tag) && c->t->toks[i].tag != LEX_STATE;
    for (size_t i = c->a; i < c->b; i++) {
        enum lex_tag tag = c->t->toks[i].tag;
        if (tag == LEX_FILLER || tag == LEX_GREETING)
            continue;
        if (tag == LEX_QUESTION || tag == LEX_STATUS)
            return true;
        if (clause_is_verb_tag(tag))
            return false;
        return verbs == 0 && (c->qmark || clause_has(c, LEX_QUESTION)) && !polite_request(c);
    }
    return false;
}

static bool read_power_state(const struct clause *c, struct intent_step *s)
{
    bool verb = clause_has(c, LEX_POWER);
    if (clause_has(c, LEX_STATE) && (!is_question(c) || verb)) {
        s->action = INTENT_POWER;
        s->state = strcmp(c->t->toks[c->first[LEX_STATE]].value, "on") == 0;
        return true;
    }
    if (has_power_value(c)) {
        const char *v = power_value(c);
        s->action = INTENT_POWER;
        s->state = strcmp(v, "updown") == 0   ? clause_has(c, LEX_UP)
                   : strcmp(v, "toggle") == 0 ? INTENT_TOGGLE
                                              : strcmp(v, "on") == 0;
        return true;
    }
    if (verb && !is_question(c)) {
        s->action = INTENT_POWER;
        s->state = -1;
        return true;
    }
    return false;
}

/* The first pause or resume word (power=pause, power=resume), or NULL. */
static const char *playback_value(const struct clause *c)
{
    for (size_t i = c->a; i < c->b; i++) {
        const char *v = c->t->toks[i].tag == LEX_POWER ? c->t->toks[i].value : NULL;
        if (v && (strcmp(v, "pause") == 0 || strcmp(v, "resume") == 0))
            return v;
    }
    return NULL;
}

/* Power, or playback: pause and resume words, and power meant for the
 * music rather than the device ("stop the music", "turn the music back
 * on"), pause or resume it; resuming switches an off device on. */
static bool read_power(const struct clause *c, struct intent_step *s)
{
    const char *pb = playback_value(c);
    s->media = clause_has(c, LEX_SONG);
    if (!pb && !read_power_state(c, s))
        return false;
    if (!pb && !(s->media && s->state >= 0))
        return true;
    s->playback =
        (pb ? strcmp(pb, "pause") == 0 : s->state == 0) ? PLAYBACK_PAUSE : PLAYBACK_RESUME;
    s->action = INTENT_PLAYBACK;
    s->state = s->playback == PLAYBACK_RESUME ? 1 : -1;
    return true;
}

/* Whether the clause says not to do something ("don't turn it off", "I
 * don't want the speaker on", "never unplug the heater"): a negation
 * before a verb or a state. "no" must come right before the verb or with
 * only device words between ("no, turn it off" is a request). Questions
 * are not negations; a negation before device words and no verb is an
 * exception (marked before this is asked). */
static bool is_negated(const struct clause *c)
{
    if (is_question(c))
        return false;
    for (size_t i = c->a; i + 1 < c->b; i++) {
        if (c->t->toks[i].tag != LEX_NOT)
            continue;
        bool strict = strcmp(c->t->words[c->t->toks[i].first], "no") == 0;
        for (size_t j = i + 1; j < c->b; j++) {
            enum lex_tag tag = c->t->toks[j].tag;
            if (clause_is_verb_tag(tag))
                return true;
            if (strict && tag != LEX_FILLER && !clause_is_target_tag(tag))
                break;
        }
    }
    return false;
}

/* "the display is fine", "leave it alone", with no verb of its own: what
 * it names is not to be touched. */
static bool leaves_alone(const struct clause *c)
{
    if (!clause_has(c, LEX_NOT) ||
        strcmp(c->t->toks[c->first[LEX_NOT]].value ? c->t->toks[c->first[LEX_NOT]].value : "",
               "leave") != 0)
        return false;
    for (size_t i = c->a; i < c->b; i++)
        if (clause_is_verb_tag(c->t->toks[i].tag))
            return false;
    return true;
}

/* "put Hey Jude on": a verb, words the vocabulary does not know, "on".
 * Returns the token range of the title in *a, *b. */
static bool is_put_on(const struct clause *c, size_t *a, size_t *b)
{
    size_t i = c->a, j = c->b;
    while (i < j && c->t->toks[i].tag == LEX_FILLER)
        i++;
    while (j > i && (c->t->toks[j - 1].tag == LEX_FILLER || c->t->toks[j - 1].tag == LEX_SEP))
        j--;
    if (j - i < 3 || (c->t->toks[i].tag != LEX_MOVE && c->t->toks[i].tag != LEX_POWER) ||
        c->t->toks[j - 1].tag != LEX_STATE || strcmp(c->t->toks[j - 1].value, "on") != 0)
        return false;
    bool word = false;
    for (size_t k = i + 1; k + 1 < j; k++) {
        enum lex_tag tag = c->t->toks[k].tag;
        if (tag != LEX_WORD && tag != LEX_FILLER && tag != LEX_GREETING && tag != LEX_TITLE)
            return false;
        word = word || tag == LEX_WORD || tag == LEX_TITLE;
    }
    *a = i + 1;
    *b = j - 1;
    return word;
}

static void read_clause(const struct clause *c, struct intent_step *s);

/* "never mind", "no": nothing but a negation. */
static bool only_negation(const struct clause *c)
{
    static const enum lex_tag quiet[] = {LEX_NOT, LEX_FILLER, LEX_SEP, LEX_THANKS, LEX_GREETING};
    return clause_has(c, LEX_NOT) && COUNT_OF(c, quiet) == c->b - c->a;
}

/* A question word that asks how or what if ("how do I...", "what happens
 * if...", "why does it turn off") before a verb: a question about the
 * action, not a request for it. */
static bool asks_how(const struct clause *c)
{
    static const char *const words[] = {"how", "hows", "what", "whats", "why", "when", "who"};
    size_t i = c->a;
    while (i < c->b && c->t->toks[i].tag == LEX_FILLER)
        i++;
    if (i >= c->b || c->t->toks[i].tag != LEX_QUESTION)
        return false;
    bool wh = false;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        wh = wh || strcmp(c->t->words[c->t->toks[i].first], words[k]) == 0;
    bool verb = false;
    for (size_t j = i + 1; wh && j < c->b; j++) {
        enum lex_tag tag = c->t->toks[j].tag;
        /* a plan question is read as one (read_help); "what's it set to",
         * "what a terrible song" ask for no action */
        if (tag == LEX_HELP)
            return false;
        verb = verb || (clause_is_verb_tag(tag) && tag != LEX_STATE && tag != LEX_SET &&
                        tag != LEX_DISLIKE);
    }
    return verb;
}

/* Follow-ups with no verb of their own: "more", "a bit less", "and the
 * display?", "the other one too" (the engine completes them from the
 * conversation's last request); "move it back". */
static void read_follow_up(const struct clause *c, struct intent_step *s)
{
    static const enum lex_tag verbs[] = {LEX_POWER, LEX_SET,  LEX_PLAY,    LEX_MUTE,  LEX_UP,
                                         LEX_DOWN,  LEX_NEXT, LEX_PREV,    LEX_STATE, LEX_MAX,
                                         LEX_HALF,  LEX_NUM,  LEX_DISLIKE, LEX_VOLUME};
    if (s->action == INTENT_MOVE && !s->dest[0] && clause_has(c, LEX_PREV)) {
        s->back = true;
        return;
    }
    /* "is the bedroom speaker on too?" asks; it does not repeat */
    if (COUNT_OF(c, verbs) > 0 || clause_has(c, LEX_MOVE) || clause_has(c, LEX_HELP) ||
        clause_has(c, LEX_OOS) || clause_has(c, LEX_QUESTION) || clause_has(c, LEX_STATUS))
        return;
    bool lead_conj = c->a > 0 && c->t->toks[c->a - 1].tag == LEX_CONJ && c->a == 1;
    for (size_t i = c->a; i < c->b; i++) {
        const char *v = c->t->toks[i].tag == LEX_AGAIN ? c->t->toks[i].value : NULL;
        if (!v)
            continue;
        if (strcmp(v, "more") == 0)
            s->again = 1;
        else if (strcmp(v, "less") == 0)
            s->again = -1;
        else if (strcmp(v, "reverse") == 0) {
            /* "no, the other way": back the other way, from where it was */
            s->again = -1;
            s->redo = true;
        } else if (strcmp(v, "other") == 0)
            s->other = true;
        else
            s->also = true;
    }
    if (!s->again && clause_has(c, LEX_AMOUNT) && !clause_is_answer(c))
        s->again = 1; /* "a bit more", "a lot more" */
    /* "and the display?": only device words after "and" */
    if (lead_conj && clause_is_answer(c) && !clause_has(c, LEX_NUM))
        s->also = true;
    /* "and the display?" stays a question about it when there is nothing
     * to follow */
    if (s->again)
        s->action = INTENT_UNKNOWN;
    if (s->again || s->also || s->other) {
        if (clause_has(c, LEX_AMOUNT))
            s->amount = atoi(c->t->toks[c->first[LEX_AMOUNT]].value);
    }
}

/* A status question about one fact (status=ABOUT in the lexicon: "where
 * is", "how many"), or about the playlist ("what's on its playlist"). */
static void status_about(const struct clause *c, struct intent_step *s)
{
    for (size_t i = c->a; i < c->b; i++) {
        const struct token *tk = &c->t->toks[i];
        if ((tk->tag == LEX_STATUS && tk->value) ||
            (tk->tag == LEX_SONG && tk->value && strcmp(tk->value, "list") == 0)) {
            snprintf(s->about, sizeof s->about, "%s", tk->tag == LEX_SONG ? "playlist" : tk->value);
            /* "how many lights are on?": those in that state */
            if (strcmp(s->about, "count") == 0 && clause_has(c, LEX_STATE) &&
                c->t->toks[c->first[LEX_STATE]].value)
                s->state = strcmp(c->t->toks[c->first[LEX_STATE]].value, "on") == 0;
            return;
        }
    }
}

/* "kitchen display to kitchen": device words, "to" and a room, no verb. */
static bool is_terse_move(const struct clause *c)
{
    size_t to = clause_last_of(c, LEX_TO);
    bool before = false;
    if (to == (size_t)-1 || clause_has(c, LEX_NUM))
        return false;
    for (size_t i = c->a; i < to; i++)
        before = before || clause_is_target_tag(c->t->toks[i].tag);
    for (size_t i = to + 1; i < c->b; i++)
        if (c->t->toks[i].tag == LEX_ROOM)
            return before;
    return false;
}

/* "how much louder can it go", "how much volume is the speaker at": the
 * only help words are ones that ask about plans just as well as about a
 * device ("how much", marked help=ask), and the clause talks about a
 * device or its volume and asks for nothing to be done ("how much to
 * move devices" is a price), so it is a status question. */
static bool is_device_question(const struct clause *c)
{
    static const enum lex_tag device[] = {LEX_VOLUME, LEX_UP,   LEX_DOWN, LEX_TYPE,
                                          LEX_DEVICE, LEX_ROOM, LEX_REF};
    static const enum lex_tag verbs[] = {LEX_MOVE, LEX_NEXT,  LEX_PREV,   LEX_PLAY,
                                         LEX_SET,  LEX_POWER, LEX_DISLIKE};
    if (!clause_has(c, LEX_HELP) || COUNT_OF(c, device) == 0 || COUNT_OF(c, verbs) > 0)
        return false;
    for (size_t i = c->a; i < c->b; i++) {
        const char *v = c->t->toks[i].tag == LEX_HELP ? c->t->toks[i].value : NULL;
        if (c->t->toks[i].tag == LEX_HELP && !(v && strcmp(v, "ask") == 0))
            return false;
    }
    return true;
}

/* A help clause: what the rest of it would ask for, read as if the help
 * words were not there, names the action a plan question is about, unless
 * a help word names one itself (help=ACTION in the lexicon: "custom
 * actions"). A bare question ("what does ... include") is about none. */
static void read_help(const struct clause *c, struct intent_step *s)
{
    struct clause rest = *c;
    bool upgrade = false, current = false;
    const char *named = NULL;
    for (size_t i = c->a; i < c->b; i++) {
        const char *v = c->t->toks[i].tag == LEX_HELP ? c->t->toks[i].value : NULL;
        if (!v || strcmp(v, "ask") == 0 || strcmp(v, "plan") == 0)
            continue;
        if (strcmp(v, "upgrade") == 0)
            upgrade = true;
        else if (strcmp(v, "current") == 0)
            current = true;
        else if (!named)
            named = v;
    }
    rest.count[LEX_HELP] = 0;
    read_clause(&rest, s);
    enum intent_action about = s->action;
    const struct action_def *row = action_get(about);
    /* a plan question is about an action that changes a device; "what plan
     * am I on": a state word alone is no question about power */
    if (row->kind != ACTION_KIND_DEVICE || (row->flags & ACTION_REPORT) ||
        (about == INTENT_POWER && !clause_has(c, LEX_POWER)))
        about = INTENT_UNKNOWN;
    memset(s, 0, sizeof *s);
    s->state = -1;
    s->amount = DEFAULT_NONE;
    text_join(c->t, c->t->toks[c->a].first, c->t->toks[c->b - 1].last, s->words, sizeof s->words);
    s->action = INTENT_HELP;
    if (named)
        snprintf(s->about, sizeof s->about, "%s", named);
    else if (about != INTENT_UNKNOWN)
        snprintf(s->about, sizeof s->about, "%s", intent_action_name(about));
    s->upgrade = upgrade;
    s->current = current;
}

static void read_clause(const struct clause *c, struct intent_step *s)
{
    size_t title_a = 0, title_b = 0;
    memset(s, 0, sizeof *s);
    s->state = -1;
    s->amount = DEFAULT_NONE;
    text_join(c->t, c->t->toks[c->a].first, c->t->toks[c->b - 1].last, s->words, sizeof s->words);
    s->target.own = s->except.own = c->t->own;
    bool device_word = clause_has(c, LEX_TYPE) || clause_has(c, LEX_DEVICE) ||
                       clause_has(c, LEX_NAME) || clause_has(c, LEX_PART);
    if (is_device_question(c)) {
        s->action = INTENT_STATUS;
        clause_read_target(c, 0, 0, &s->target, true);
        return;
    }
    /* help words after "play" are a title ("play The Plan") */
    if (clause_has(c, LEX_HELP) &&
        !(clause_has(c, LEX_PLAY) && c->first[LEX_PLAY] < c->first[LEX_HELP])) {
        read_help(c, s);
        return;
    }
    if (is_negated(c) || only_negation(c) || leaves_alone(c)) {
        s->action = INTENT_NEGATED; /* nothing to do, and nothing done */
        clause_read_target(c, 0, 0, &s->target, true);
        return;
    }
    /* words after "play" are a title ("play Blue in Green"), a delay is not
     * ("play Imagine in 10 minutes"); renaming needs a device ("call my mum") */
    const char *attr =
        clause_has(c, LEX_UNSUPPORTED) ? c->t->toks[c->first[LEX_UNSUPPORTED]].value : "";
    bool titled_words = clause_has(c, LEX_PLAY) && c->first[LEX_PLAY] < c->first[LEX_UNSUPPORTED] &&
                        strcmp(attr, "timer") != 0;
    bool nameless = strcmp(attr, "rename") == 0 && !device_word && !clause_has(c, LEX_REF);
    if (clause_has(c, LEX_UNSUPPORTED) && !titled_words && !nameless &&
        !(clause_has(c, LEX_OOS) && !device_word && !clause_has(c, LEX_ROOM))) {
        /* brightness, colour, a delay...: said so, and nothing changes */
        s->action = INTENT_UNSUPPORTED;
        snprintf(s->about, sizeof s->about, "%s", c->t->toks[c->first[LEX_UNSUPPORTED]].value);
        clause_read_target(c, 0, 0, &s->target, true);
        return;
    }
    if (clause_has(c, LEX_OOS) && !device_word) {
        s->action = INTENT_OUT_OF_SCOPE;
        return;
    }
    if (asks_how(c)) {
        /* "how do I turn off the fan?", "what happens if I unplug it?" ask
         * about the action; they do not ask for it */
        struct intent_step act = *s;
        size_t ta, tb;
        if (read_song(c, &act, &ta, &tb) || read_volume(c, &act) || read_power(c, &act))
            snprintf(s->about, sizeof s->about, "%s", intent_action_name(act.action));
        s->action = INTENT_HELP;
        return;
    }
    size_t put_a, put_b;
    if (is_put_on(c, &put_a, &put_b)) {
        if (put_b == put_a + 1 && c->t->toks[put_a].tag == LEX_TITLE)
            snprintf(s->title, sizeof s->title, "%s", c->t->toks[put_a].value);
        else
            text_join_typed(c->t, c->t->toks[put_a].first, c->t->toks[put_b - 1].last, s->title,
                            sizeof s->title);
        s->action = INTENT_SONG;
        s->song = SONG_TITLE;
        return;
    }
    /* a move verb after "play" is part of a title ("listen to Take Five") */
    bool titled = clause_has(c, LEX_PLAY) && c->first[LEX_PLAY] < c->first[LEX_MOVE];
    if (clause_has(c, LEX_MOVE) && !titled) {
        /* "bring it up", "put it on": move verbs that mean something else */
        clause_read_move(c, s);
        s->back = !s->dest[0] && clause_has(c, LEX_PREV);                /* "move it back" */
        bool power = clause_has(c, LEX_STATE) && !clause_has(c, LEX_TO); /* "put the speaker on" */
        if ((s->dest[0] && !power) || !clause_has_other_action(c))
            return;
        memset(s, 0, sizeof *s);
        s->state = -1;
        s->amount = DEFAULT_NONE;
        text_join(c->t, c->t->toks[c->a].first, c->t->toks[c->b - 1].last, s->words,
                  sizeof s->words);
    }
    if (is_question(c) &&
        ((c->t->toks[c->first[LEX_STATUS]].value && clause_has(c, LEX_STATUS)) ||
         (!clause_has(c, LEX_POWER) && !clause_has(c, LEX_SET) && !clause_has(c, LEX_PLAY) &&
          !clause_has(c, LEX_MOVE) && !clause_has(c, LEX_DISLIKE)))) {
        s->action = INTENT_STATUS;
    } else if (!read_song(c, s, &title_a, &title_b) && !read_volume(c, s) && !read_power(c, s)) {
        if (clause_has(c, LEX_QUESTION) || clause_has(c, LEX_STATUS) || device_word ||
            clause_has(c, LEX_ROOM) || clause_has(c, LEX_ALL))
            s->action = INTENT_STATUS;
        else if (clause_has(c, LEX_OOS))
            s->action = INTENT_OUT_OF_SCOPE;
        else
            s->action = INTENT_UNKNOWN;
    }
    if (s->action == INTENT_STATUS)
        status_about(c, s);
    read_follow_up(c, s);
    if (s->again || s->also || s->other) {
        clause_read_target_except(c, 0, 0, &s->target, &s->except, true);
        return;
    }
    bool asked = is_question(c) || clause_has(c, LEX_QUESTION) || clause_has(c, LEX_STATUS);
    if ((s->action == INTENT_STATUS || s->action == INTENT_UNKNOWN) && !asked && is_terse_move(c)) {
        clause_read_move(c, s); /* "bedroom speaker to the office" */
        return;
    }
    if (s->action == INTENT_STATUS || s->action == INTENT_UNKNOWN) {
        s->vol = VOL_NONE;
        s->amount = DEFAULT_NONE;
    }
    clause_read_target_except(c, title_a, title_b, &s->target, &s->except, true);
    s->answer = clause_is_answer(c);
    if (s->answer)
        s->amount = clause_number(c);
    if (s->answer && clause_has(c, LEX_NUM) && !asked &&
        (s->action == INTENT_STATUS || s->action == INTENT_UNKNOWN)) {
        /* "kitchen speaker 45", a bare "35": a volume (with nothing named,
         * the conversation's device) */
        s->action = negative_number(c) ? INTENT_UNSUPPORTED : INTENT_VOLUME;
        s->vol = VOL_SET;
        if (negative_number(c))
            snprintf(s->about, sizeof s->about, "negative");
    }
}

void intent_parse(const struct lexicon *lx, const char *text, struct intent *out)
{
    intent_parse_for(lx, NULL, text, out);
}

/* "as it was moved to the bedroom in error": a move told as done
 * ("was", "were", "been" before it) is news, even with a room */
static bool was_done(const struct clause *c)
{
    for (size_t i = c->a; i < c->first[LEX_MOVE] && i < c->b; i++)
        if (tokens_word_is(c->t, i, "was") || tokens_word_is(c->t, i, "were") ||
            tokens_word_is(c->t, i, "been"))
            return true;
    return false;
}

void intent_parse_for(const struct lexicon *lx, const struct text_entities *ents, const char *text,
                      struct intent *out)
{
    struct intent_marks marks;
    intent_marks_init(&marks);
    struct tokens t;
    size_t starts[TEXT_MAX_WORDS + 1], n_clauses = 0;
    text_tokenize(lx, ents, text, &t);
    bool corrects = intent_opens_with_correction(&t);
    intent_speech(&t);
    intent_retag(&t);
    out->n_steps = 0;
    /* clause boundaries at punctuation and conjunctions; a part without a
     * verb of its own ("... and the display") joins the one before it */
    size_t a = 0;
    for (size_t i = 0; i <= t.n; i++) {
        if (i < t.n && t.toks[i].tag != LEX_SEP && t.toks[i].tag != LEX_CONJ)
            continue;
        size_t b = i;
        struct clause c;
        clause_init(&c, &t, a, b);
        /* a label ("heater plug: off") begins a clause of its own */
        bool label = i < t.n && t.toks[i].value && strcmp(t.toks[i].value, ":") == 0;
        if (clause_has_content(&c)) {
            if (n_clauses > 0 && !clause_has_cue(&c) && !label)
                ; /* extends the previous clause */
            else
                starts[n_clauses++] = a;
        }
        a = i + 1;
    }
    starts[n_clauses] = t.n;
    for (size_t k = 0; k < n_clauses && out->n_steps < INTENT_MAX_STEPS; k++) {
        struct clause c;
        size_t b = starts[k + 1];
        while (b > starts[k] && (t.toks[b - 1].tag == LEX_SEP || t.toks[b - 1].tag == LEX_CONJ))
            b--;
        clause_init(&c, &t, starts[k], b);
        read_clause(&c, &out->steps[out->n_steps]);
        clause_read_like(&c, &out->steps[out->n_steps]);
        /* chatter around a request ("I'm leaving, turn everything off"),
         * and news of a move with no room to move to ("we moved things:
         * turn off the fan", "we carried it up from the kitchen, switch it
         * on") */
        const struct intent_step *st = &out->steps[out->n_steps];
        const char *move = clause_has(&c, LEX_MOVE) ? t.toks[c.first[LEX_MOVE]].value : NULL;
        bool told = move && strcmp(move, "told") == 0;
        /* "the moths are thrilled": a question word among words nobody
         * knows, with no device and no question mark, asks nothing */
        bool musing = st->action == INTENT_STATUS && !c.qmark && clause_has(&c, LEX_QUESTION) &&
                      clause_has(&c, LEX_WORD) && !clause_has(&c, LEX_STATUS) &&
                      !st->target.explicit_ && !st->target.ref;
        bool chatter = st->action == INTENT_UNKNOWN || musing ||
                       (st->action == INTENT_MOVE && !st->dest[0] && (st->target.all || told)) ||
                       (st->action == INTENT_MOVE && told && was_done(&c));
        /* "is it possible, in principle, to make the speaker louder?": what
         * the question asks about, not a request */
        bool asked_about = out->n_steps > 0 &&
                           out->steps[out->n_steps - 1].action == INTENT_STATUS &&
                           c.t->toks[c.a].tag == LEX_TO;
        if ((chatter && n_clauses > 1) || asked_about) {
            intent_marks_skip(&marks);
            continue;
        }
        size_t s = out->n_steps++;
        out->steps[s].cond = intent_condition_of(&c, &out->steps[s]);
        if (out->steps[s].cond != COND_NONE)
            out->steps[s].action = INTENT_STATUS; /* a condition only asks */
        intent_marks_step(&marks, &c, st, s, starts[k + 1]);
    }
    intent_steps_finish(out, &marks);
    intent_steps_close(out, &t, corrects);
    if (out->n_steps == 0) {
        struct clause all;
        clause_init(&all, &t, 0, t.n);
        memset(&out->steps[0], 0, sizeof out->steps[0]);
        out->steps[0].state = -1;
        out->steps[0].amount = DEFAULT_NONE;
        out->steps[0].action = clause_has(&all, LEX_THANKS)     ? INTENT_THANKS
                               : clause_has(&all, LEX_GREETING) ? INTENT_GREETING
                                                                : INTENT_UNKNOWN;
        out->n_steps = 1;
    }
}
