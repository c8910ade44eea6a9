/* The parser's clauses: which word classes a clause holds, and reading its
 * targets (device name, type, room, all/except) and moves from its tokens. */
#include "engine/intent_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/action.h"

void clause_init(struct clause *c, const struct tokens *t, size_t a, size_t b)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->a = a;
    c->b = b;
    for (size_t i = b; i > a; i--) {
        enum lex_tag tag = t->toks[i - 1].tag;
        c->count[tag]++;
        c->first[tag] = i - 1;
    }
    for (size_t i = b; i < t->n && t->toks[i].tag == LEX_SEP; i++)
        c->qmark = c->qmark || (t->toks[i].value && t->toks[i].value[0] == '?');
}

bool tokens_word_is(const struct tokens *t, size_t i, const char *w)
{
    const struct token *tk = &t->toks[i];
    return tk->last - tk->first == 1 && strcmp(t->words[tk->first], w) == 0;
}

bool clause_has(const struct clause *c, enum lex_tag tag)
{
    return c->count[tag] > 0;
}

/* How many of the clause's tokens are of the n classes listed. */
size_t clause_count_of(const struct clause *c, const enum lex_tag *tags, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += c->count[tags[i]];
    return k;
}

/* Whether a clause asks for something by itself (so "and" before it starts
 * a new step rather than naming one more target). */
bool clause_has_cue(const struct clause *c)
{
    static const enum lex_tag cues[] = {
        LEX_QUESTION, LEX_STATUS, LEX_HELP, LEX_POWER, LEX_VOLUME, LEX_UP,   LEX_DOWN,
        LEX_MUTE,     LEX_MAX,    LEX_HALF, LEX_SET,   LEX_NEXT,   LEX_PREV, LEX_PLAY,
        LEX_DISLIKE,  LEX_MOVE,   LEX_OOS,  LEX_NUM,   LEX_STATE,
    };
    size_t n = COUNT_OF(c, cues);
    for (size_t i = c->a; i < c->b; i++) {
        const struct token *tk = &c->t->toks[i];
        /* "between basic and premium": a plan's name asks nothing by itself */
        if (tk->tag == LEX_HELP && tk->value && strcmp(tk->value, "plan") == 0)
            n--;
    }
    /* "... and on the porch": "on" before a room is where, not a state */
    for (size_t i = c->a; i + 1 < c->b; i++) {
        size_t j = i + 1;
        if (c->t->toks[i].tag != LEX_STATE || strcmp(c->t->toks[i].value, "on") != 0)
            continue;
        while (j < c->b && c->t->toks[j].tag == LEX_FILLER)
            j++;
        if (j < c->b && c->t->toks[j].tag == LEX_ROOM)
            n--;
    }
    return n > 0;
}

/* Whether the clause asks for power, volume or songs (a move verb is then
 * not a move). "back" alone is not one: "move the speaker back". */
bool clause_has_other_action(const struct clause *c)
{
    static const enum lex_tag acts[] = {LEX_STATE, LEX_POWER, LEX_VOLUME,  LEX_UP,
                                        LEX_DOWN,  LEX_MUTE,  LEX_MAX,     LEX_HALF,
                                        LEX_NEXT,  LEX_PLAY,  LEX_DISLIKE, LEX_NUM};
    return COUNT_OF(c, acts) > 0;
}

/* Whether the clause holds anything but filler (greetings and thanks
 * count as filler around a request). */
bool clause_has_content(const struct clause *c)
{
    static const enum lex_tag empty[] = {LEX_FILLER, LEX_SEP, LEX_CONJ, LEX_GREETING, LEX_THANKS};
    /* "a bit more" is a follow-up; "thank you so much" is not */
    size_t amount =
        clause_has(c, LEX_THANKS) || clause_has(c, LEX_GREETING) ? c->count[LEX_AMOUNT] : 0;
    return c->b - c->a > COUNT_OF(c, empty) + amount;
}

static const char *last_word(const struct clause *c, size_t i)
{
    return c->t->words[c->t->toks[i].last - 1];
}

bool clause_is_target_tag(enum lex_tag tag)
{
    return tag == LEX_TYPE || tag == LEX_ROOM || tag == LEX_DEVICE || tag == LEX_ALL ||
           tag == LEX_REF || tag == LEX_NAME || tag == LEX_PART;
}

/* Words that ask for something to be done: a clause that opens with one
 * is a request even when it ends in '?' ("could you turn it off?"). */
bool clause_is_verb_tag(enum lex_tag tag)
{
    static const enum lex_tag verbs[] = {LEX_POWER, LEX_SET,  LEX_PLAY,   LEX_MOVE, LEX_MUTE,
                                         LEX_UP,    LEX_DOWN, LEX_NEXT,   LEX_PREV, LEX_STATE,
                                         LEX_MAX,   LEX_HALF, LEX_DISLIKE};
    for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++)
        if (tag == verbs[k])
            return true;
    return false;
}

/* Whether a target word follows token i within the clause. */
bool clause_target_follows(const struct clause *c, size_t i)
{
    for (size_t j = i + 1; j < c->b; j++)
        if (clause_is_target_tag(c->t->toks[j].tag))
            return true;
    return false;
}

static void add_key(char *keys, size_t stride, size_t *n, const char *v)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(keys + i * stride, v) == 0)
            return;
    if (*n < INTENT_MAX_KEYS) {
        snprintf(keys + *n * stride, stride, "%s", v);
        (*n)++;
    }
}

/* Words after token i up to the end of the clause, snake_cased: a room the
 * vocabulary does not know ("the sunroom" -> "sunroom"). */
static void room_after(const struct clause *c, size_t i, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t j = i + 1; j < c->b; j++) {
        const struct token *tk = &c->t->toks[j];
        if (tk->tag == LEX_ROOM) {
            snprintf(buf, n, "%s", tk->value);
            return;
        }
        if (tk->tag != LEX_WORD)
            continue;
        for (size_t w = tk->first; w < tk->last; w++) {
            const char *s = c->t->words[w];
            size_t l = strlen(s);
            if (o + l + 2 > n)
                return;
            if (o)
                buf[o++] = '_';
            memcpy(buf + o, s, l + 1);
            o += l;
        }
    }
}

/* Whether n is a word of kind n_was in the same part of the clause as tk
 * (both in an exception, or neither). */
static bool neighbour_is(const struct token *n, const struct token *tk, enum lex_tag n_was)
{
    return n->was == n_was && n->tag == (tk->tag == LEX_EXCEPT ? LEX_EXCEPT : n_was);
}

/* The lexicon's ref=VALUE: which of the devices said ("the one that's on"). */
const char *const intent_which_names[WHICH_CHANGED + 1] = {
    [WHICH_ANY] = "",
    [WHICH_ON] = "on",
    [WHICH_OFF] = "off",
    [WHICH_PLAYING] = "playing",
    [WHICH_LOUDEST] = "loudest",
    [WHICH_QUIETEST] = "quietest",
    [WHICH_PREV] = "prev",
    [WHICH_HERE] = "here",
    [WHICH_CHANGED] = "changed",
};

static enum intent_which which_of(const char *value)
{
    for (size_t k = 1; k <= WHICH_CHANGED; k++)
        if (strcmp(value, intent_which_names[k]) == 0)
            return (enum intent_which)k;
    return WHICH_ANY;
}

/* Whether a song word follows token i, filler aside ("the third song"). */
static bool song_follows(const struct clause *c, size_t i)
{
    while (++i < c->b && c->t->toks[i].tag == LEX_FILLER)
        ;
    return i < c->b && c->t->toks[i].tag == LEX_SONG;
}

static void add_target_token(const struct clause *c, size_t i, enum lex_tag tag,
                             struct intent_target *tg, bool rooms_are_targets)
{
    const struct token *tk = &c->t->toks[i];
    switch (tag) {
    case LEX_TYPE: {
        const char *w = last_word(c, i);
        if (i > c->a && neighbour_is(&c->t->toks[i - 1], tk, LEX_PART))
            break; /* the kind of the name word before it */
        size_t l = strlen(w);
        add_key(&tg->types[0][0], INTENT_KEY_MAX, &tg->n_types, tk->value);
        /* "speakers", not "wireless" */
        if (l > 1 && w[l - 1] == 's' && w[l - 2] != 's' &&
            tk->value[strlen(tk->value) - 1] != 's' && !c->t->possessive[tk->last - 1])
            tg->plural = true;
        tg->explicit_ = true;
        break;
    }
    case LEX_ROOM:
        if (rooms_are_targets) {
            add_key(&tg->rooms[0][0], INTENT_TEXT_MAX, &tg->n_rooms, tk->value);
            tg->explicit_ = true;
        }
        break;
    case LEX_NAME:
        add_key(&tg->ids[0][0], INTENT_ID_MAX, &tg->n_ids, tk->value);
        tg->explicit_ = true;
        break;
    case LEX_PART:
        /* "the ceiling light": a name word and the kind right after it */
        if (tg->n_parts < INTENT_MAX_KEYS) {
            const struct token *next = i + 1 < c->b ? &c->t->toks[i + 1] : NULL;
            snprintf(tg->parts[tg->n_parts], sizeof tg->parts[0], "%s", tk->value);
            snprintf(tg->part_types[tg->n_parts], sizeof tg->part_types[0], "%s",
                     next && neighbour_is(next, tk, LEX_TYPE) && next->value ? next->value : "");
            tg->n_parts++;
        }
        tg->explicit_ = true;
        break;
    case LEX_ALL:
        tg->all = true;
        tg->explicit_ = true;
        /* "both radios": two of them */
        if (tokens_word_is(c->t, i, "both")) {
            size_t k = i + 1; /* "both hall lights" */
            while (k < c->b && (c->t->toks[k].tag == LEX_ROOM || c->t->toks[k].tag == LEX_FILLER))
                k++;
            if (k < c->b && (c->t->toks[k].tag == LEX_TYPE || c->t->toks[k].tag == LEX_PART))
                tg->count = 2;
        }
        tg->others = tg->others || (tk->value && strcmp(tk->value, "else") == 0);
        tg->there = tg->there || (tk->value && strcmp(tk->value, "there") == 0);
        break;
    case LEX_ORDINAL:
        /* "the second song" is the song's position (clause_read_like) */
        if (!song_follows(c, i))
            tg->ordinal = atoi(tk->value);
        break;
    case LEX_REF:
        if (tk->value)
            tg->which = which_of(tk->value);
        /* "this song" points at the song, not at a device */
        else if (i + 1 >= c->b || c->t->toks[i + 1].tag != LEX_SONG)
            tg->ref = true;
        break;
    case LEX_DEVICE: {
        /* "my devices": all of them; "the gadget": whichever one is meant */
        const char *w = last_word(c, i);
        if (w[strlen(w) - 1] == 's') {
            tg->all = true;
            tg->explicit_ = true;
        } else {
            tg->generic = true;
        }
        break;
    }
    default:
        break;
    }
}

static void finish_target(const struct clause *c, struct intent_target *tg)
{
    tg->own = c->t->own;
    /* "the lights": all of them, though unlike "all the lights" the engine
     * asks which when they are in several rooms and no room is said */
    if (tg->plural && !tg->all) {
        tg->all = true;
        tg->only_plural = true;
    }
    /* several kinds, rooms or devices said: all of them */
    if (tg->n_types + tg->n_parts + tg->n_ids > 1 || tg->n_rooms > 1)
        tg->all = true;
    if (tg->explicit_)
        tg->ref = false;
    /* "turn on the bedrom": a room guessed from a typo, and no device said
     * in it, is too little to act on all it holds; so is a room before a
     * word that is neither the vocabulary's nor the customer's ("the
     * kitchen dismay": which device?). With several, ask. */
    bool guessed = false;
    for (size_t i = c->a; i < c->b; i++) {
        const struct token *tk = &c->t->toks[i];
        guessed = guessed || (tk->tag == LEX_ROOM && tk->fixed) ||
                  (tk->tag == LEX_ROOM && c->t->own && i + 1 < c->b && tk[1].tag == LEX_WORD &&
                   strlen(c->t->words[tk[1].first]) >= 4);
    }
    if (guessed && tg->n_rooms && !tg->n_types && !tg->n_parts && !tg->n_ids && !tg->which &&
        !tg->all && !tg->generic)
        tg->which = WHICH_HERE;
}

/* Fills the target from the clause's tokens outside [skip_a, skip_b); the
 * words of an exception ("apart from the porch light") fill except. */
void clause_read_target_except(const struct clause *c, size_t skip_a, size_t skip_b,
                               struct intent_target *tg, struct intent_target *except,
                               bool rooms_are_targets)
{
    for (size_t i = c->a; i < c->b; i++) {
        const struct token *tk = &c->t->toks[i];
        if (i >= skip_a && i < skip_b)
            continue;
        if (tk->tag == LEX_EXCEPT && except)
            add_target_token(c, i, tk->was, except, true);
        else
            add_target_token(c, i, tk->tag, tg, rooms_are_targets);
        if (tk->tag == LEX_FILLER && tk->value && strcmp(tk->value, "count") == 0)
            tg->count = tk->num; /* intent_retag's counted_devices */
        /* "turn the heater up" with no heater: a device nobody has */
        if (tk->tag == LEX_WORD && i > c->a && clause_is_filler(c, i - 1, "article"))
            tg->unknown = true;
    }
    finish_target(c, tg);
    if (except)
        finish_target(c, except);
}

void clause_read_like(const struct clause *c, struct intent_step *s)
{
    const char *what = NULL;
    for (size_t i = c->a; i < c->b; i++) {
        const struct token *tk = &c->t->toks[i];
        /* "play the third song on the den speaker's list" */
        if (tk->tag == LEX_ORDINAL && song_follows(c, i) && !c->qmark &&
            (s->action == INTENT_SONG || clause_has(c, LEX_PLAY))) {
            s->action = INTENT_SONG;
            s->song = SONG_TITLE;
            s->title[0] = '\0';
            s->position = atoi(tk->value);
        }
        if (tk->tag != LEX_LIKE)
            continue;
        if (tk->was == LEX_LIKE)
            what = tk->value ? tk->value : "";
        else
            add_target_token(c, i, tk->was, &s->like, true);
    }
    finish_target(c, &s->like);
    if (!what || !(s->like.explicit_ || s->like.ref))
        return;
    /* a question compares ("is the den one as loud as the patio one?") */
    bool asks = c->qmark || clause_has(c, LEX_QUESTION);
    bool vague = s->action == INTENT_UNKNOWN || (s->action == INTENT_STATUS && !asks);
    if (strcmp(what, "room") == 0 && (vague || s->action == INTENT_MOVE)) {
        s->action = INTENT_MOVE;
    } else if ((strcmp(what, "volume") == 0 && !asks) || vague || s->action == INTENT_VOLUME) {
        /* "make it match the den": the volume, the one thing it can take */
        s->action = INTENT_VOLUME;
        /* "to half of what the display is on": the part stays (compare.c) */
        if (s->vol == VOL_HALF || s->vol == VOL_SCALE)
            return;
        if (s->vol != VOL_UP && s->vol != VOL_DOWN)
            s->vol = VOL_SET;
        s->amount = -1;
    }
}

void clause_read_target(const struct clause *c, size_t skip_a, size_t skip_b,
                        struct intent_target *tg, bool rooms_are_targets)
{
    clause_read_target_except(c, skip_a, skip_b, tg, NULL, rooms_are_targets);
}

/* Index of the last token of tag in the clause, or (size_t)-1. */
size_t clause_last_of(const struct clause *c, enum lex_tag tag)
{
    for (size_t i = c->b; i > c->a; i--)
        if (c->t->toks[i - 1].tag == tag)
            return i - 1;
    return (size_t)-1;
}

/* The last room after token i that is not part of a device's name ("move
 * my speaker upstairs", not "move the kitchen speaker"), or -1. */
static size_t room_after_index(const struct clause *c, size_t i)
{
    for (size_t j = c->b; j > i + 1; j--) {
        const struct token *tk = &c->t->toks[j - 1];
        if (tk->tag != LEX_ROOM)
            continue;
        if (j < c->b && (c->t->toks[j].tag == LEX_TYPE || c->t->toks[j].tag == LEX_DEVICE))
            return (size_t)-1;
        return j - 1;
    }
    return (size_t)-1;
}

/* Whether "from" says where the room at token i is (filler between). */
static bool came_from(const struct clause *c, size_t i)
{
    while (i > c->a && c->t->toks[i - 1].tag == LEX_FILLER)
        i--;
    return i > c->a && c->t->toks[i - 1].tag == LEX_FROM;
}

void clause_read_move(const struct clause *c, struct intent_step *s)
{
    size_t to = clause_last_of(c, LEX_TO), end = c->b;
    if (to == (size_t)-1)
        to = clause_last_of(c, LEX_IN);
    s->action = INTENT_MOVE;
    if (to != (size_t)-1) {
        room_after(c, to, s->dest, sizeof s->dest);
        end = to;
    } else if ((to = room_after_index(c, c->first[LEX_MOVE])) != (size_t)-1 && !came_from(c, to)) {
        /* "the speaker is now in the kitchen": the verb phrase holds "in";
         * "we carried it up from the kitchen" says where it was */
        snprintf(s->dest, sizeof s->dest, "%s", c->t->toks[to].value);
        end = to;
    }
    /* rooms before the destination (after "from" or "in") say which device */
    struct clause head = *c;
    head.b = end;
    clause_read_target(&head, end, end, &s->target, true);
    struct intent_target rest = {0};
    struct clause tail = *c;
    tail.a = end;
    clause_read_target(&tail, end, end, &rest, false);
    for (size_t i = 0; i < rest.n_types; i++)
        add_key(&s->target.types[0][0], INTENT_KEY_MAX, &s->target.n_types, rest.types[i]);
    s->target.ref = s->target.ref || (rest.ref && !s->target.explicit_);
    s->target.explicit_ = s->target.explicit_ || rest.explicit_;
}

/* Whether token i is filler of the kind the vocabulary marks with value
 * ("filler=closing", "filler=article"). */
bool clause_is_filler(const struct clause *c, size_t i, const char *value)
{
    const struct token *tk = &c->t->toks[i];
    return tk->tag == LEX_FILLER && tk->value && strcmp(tk->value, value) == 0;
}

/* Politeness that ends a title ("play Imagine please", "... thanks")
 * rather than being part of it. */
bool clause_is_closing(const struct clause *c, size_t i)
{
    return clause_is_filler(c, i, "closing") || c->t->toks[i].tag == LEX_THANKS;
}

/* The title after "play": up to where the target starts ("on the kitchen
 * speaker", "everywhere"), media words around it left out ("the track X",
 * "X album"), in the request's own casing; a title of the customer's
 * playlists as the playlist spells it. Returns the token index where the
 * title ends. */

/* Whether the clause could only be an answer to "which one?", "what
 * volume?" or "which room?": a device, a room or a number and no verb. */
bool clause_is_answer(const struct clause *c)
{
    static const enum lex_tag allowed[] = {LEX_FILLER,  LEX_TYPE, LEX_ROOM, LEX_DEVICE, LEX_ALL,
                                           LEX_WORD,    LEX_IN,   LEX_TO,   LEX_NUM,    LEX_REF,
                                           LEX_PERCENT, LEX_SEP,  LEX_NAME, LEX_PART,   LEX_THANKS,
                                           LEX_EXCEPT}; /* "the speaker, not the screen" */
    static const enum lex_tag said[] = {LEX_TYPE, LEX_ROOM, LEX_DEVICE, LEX_ALL,
                                        LEX_NUM,  LEX_WORD, LEX_NAME,   LEX_PART};
    size_t which = 0; /* "the one that's switched off" */
    for (size_t i = c->a; i < c->b; i++)
        which += c->t->toks[i].tag == LEX_REF && c->t->toks[i].value;
    return COUNT_OF(c, allowed) == c->b - c->a && COUNT_OF(c, said) + which > 0;
}
