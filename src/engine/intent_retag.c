/* Tokens re-read with their neighbours before the clauses are cut: words
 * the tokenizer could not tell apart alone, and the words of exceptions
 * ("apart from the porch light"), which count only for the step's except
 * target. */
#include "engine/intent_impl.h"

#include <string.h>

/* Whether tk is filler of the lexicon's value (filler=VALUE). */
static bool filler_is(const struct token *tk, const char *value)
{
    return tk->tag == LEX_FILLER && tk->value && strcmp(tk->value, value) == 0;
}

/* Whether token i is a word of the kind an exception lists. */
static bool in_exception(enum lex_tag tag)
{
    return clause_is_target_tag(tag) || tag == LEX_FILLER || tag == LEX_IN;
}

/* Whether device words come at token i, filler aside ("and the fan"). */
static bool target_next(const struct tokens *t, size_t i)
{
    while (i < t->n && t->toks[i].tag == LEX_FILLER)
        i++;
    return i < t->n && clause_is_target_tag(t->toks[i].tag);
}

/* "not the fan": device words right after, or after an article; "I
 * don't think the porch light should stay on" negates what follows,
 * it excepts nothing. */
static bool article_then_target(const struct tokens *t, size_t i)
{
    while (i < t->n && t->toks[i].tag == LEX_FILLER && t->toks[i].value &&
           strcmp(t->toks[i].value, "article") == 0)
        i++;
    return i < t->n && clause_is_target_tag(t->toks[i].tag);
}

/* Marks the words of exceptions LEX_EXCEPT (their own tag kept in was),
 * so they count for nothing but the step's except target: "apart from
 * the porch light", "not the fan" (a negation before device words and no
 * verb), "and leave the porch light on". */
static void mark_exceptions(struct tokens *t)
{
    bool asked = false; /* a request came before */
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        size_t j = i + 1, end;
        /* "both hall lights off; leave the porch light on": after a
         * request, "leave" opening a part keeps what it names, as "and
         * leave" does (alone, "leave the light on" is a request) */
        if (asked && i > 0 && t->toks[i - 1].tag == LEX_SEP && tokens_word_is(t, i, "leave") &&
            tk->tag != LEX_NOT) {
            tk->tag = LEX_EXCEPT;
            tk->value = "keep";
        }
        asked = asked || clause_is_verb_tag(tk->tag);
        /* "no, the bedroom one" answers a question */
        if ((tk->tag != LEX_EXCEPT && tk->tag != LEX_NOT) ||
            (tk->tag == LEX_NOT && strcmp(t->words[tk->first], "no") == 0) ||
            (tk->tag == LEX_NOT && !article_then_target(t, i + 1)))
            continue;
        while (j < t->n && (in_exception(t->toks[j].tag) ||
                            (t->toks[j].tag == LEX_CONJ && target_next(t, j + 1))))
            j++;
        end = j;
        bool target = false;
        for (size_t k = i + 1; k < end; k++)
            target = target || clause_is_target_tag(t->toks[k].tag);
        if (!target || (tk->tag == LEX_NOT && end < t->n && clause_is_verb_tag(t->toks[end].tag)))
            continue;
        /* "..., but the kitchen speaker is way too loud": a "but" whose
         * device words go on to say something of their own contrasts */
        if (tk->tag == LEX_EXCEPT && tokens_word_is(t, i, "but") && end < t->n &&
            (clause_is_verb_tag(t->toks[end].tag) || t->toks[end].tag == LEX_QUESTION)) {
            tk->tag = tk->was = LEX_CONJ;
            continue;
        }
        /* "keep the porch light on": the state is the exception's */
        if (tk->value && strcmp(tk->value, "keep") == 0 && end < t->n &&
            t->toks[end].tag == LEX_STATE)
            end++;
        for (size_t k = i; k < end; k++)
            t->toks[k].tag = LEX_EXCEPT;
        i = end - 1;
    }
}

/* Words the tokenizer could not tell apart without their neighbours:
 * "playing" before a title is the verb ("would you mind playing Take
 * Five"), not "what's playing". */
static bool ends_clause(enum lex_tag tag)
{
    return tag == LEX_SEP || tag == LEX_CONJ;
}

/* "the speaker down in the den is too quiet", "we carried it up from the
 * kitchen last week": up or down right after the device, then where it is,
 * is a place and no volume. Only with no verb before it in the clause but
 * a move's ("turn it down in the den" is a volume) and, but after a move
 * verb, more said after the room (a terse "speaker up in the kitchen" stays
 * a request). */
static void place_words(struct tokens *t)
{
    for (size_t i = 1; i + 2 < t->n; i++) {
        struct token *tk = &t->toks[i];
        if ((tk->tag != LEX_UP && tk->tag != LEX_DOWN) ||
            (!clause_is_target_tag(t->toks[i - 1].tag) && t->toks[i - 1].tag != LEX_REF) ||
            (t->toks[i + 1].tag != LEX_IN && t->toks[i + 1].tag != LEX_FROM))
            continue;
        size_t room = i + 2;
        while (room < t->n && t->toks[room].tag == LEX_FILLER)
            room++;
        bool verb = false, moved = false;
        for (size_t k = i; k-- > 0 && !ends_clause(t->toks[k].tag);) {
            verb = verb || (clause_is_verb_tag(t->toks[k].tag) && t->toks[k].tag != LEX_MOVE) ||
                   t->toks[k].tag == LEX_VOLUME;
            moved = moved || t->toks[k].tag == LEX_MOVE;
        }
        /* after a move verb nothing more need be said ("we carried it up
         * from the kitchen") */
        if (room >= t->n || t->toks[room].tag != LEX_ROOM ||
            (!moved && (room + 1 >= t->n || ends_clause(t->toks[room + 1].tag))))
            continue;
        if (!verb)
            tk->tag = tk->was = LEX_FILLER;
    }
}

/* Whether device words come right before token i, filler and "that"
 * aside ("the fan that goes round and round"). */
static bool target_before(const struct tokens *t, size_t i)
{
    while (i > 0 && (t->toks[i - 1].tag == LEX_FILLER || t->toks[i - 1].tag == LEX_REF))
        i--;
    return i > 0 && clause_is_target_tag(t->toks[i - 1].tag);
}

/* Whether a title comes right before token i, filler aside, with no verb
 * before it ("Hall of Fame again on the kitchen radio"; "put Yesterday on
 * the lounge speaker" plays it). */
static bool title_before(const struct tokens *t, size_t i)
{
    while (i > 0 && t->toks[i - 1].tag == LEX_FILLER)
        i--;
    if (i == 0 || t->toks[i - 1].tag != LEX_TITLE)
        return false;
    for (size_t k = i - 1; k-- > 0 && !ends_clause(t->toks[k].tag);)
        if (clause_is_verb_tag(t->toks[k].tag))
            return false;
    return true;
}

/* Whether the message ends in a question mark. */
static bool asked(const struct tokens *t)
{
    size_t i = t->n;
    while (i > 0 && t->toks[i - 1].tag == LEX_SEP && !t->toks[i - 1].value)
        i--;
    return i > 0 && t->toks[i - 1].tag == LEX_SEP && t->toks[i - 1].value &&
           strcmp(t->toks[i - 1].value, "?") == 0;
}

/* "the lamp on my desk", "the light on the ceiling": "on" after a device
 * (or a title) and before an article, then a word of where it is, is a place (as "in")
 * and not the state on; "turn on the lamp" has a verb before it, "the
 * lamp on, please" no article after; and "and on the patio?" after a
 * question asks about a place. */
static void place_on(struct tokens *t)
{
    for (size_t i = 0; i + 2 < t->n && asked(t); i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag == LEX_STATE && tokens_word_is(t, i, "on") &&
            (i == 0 || t->toks[i - 1].tag == LEX_CONJ) && t->toks[i + 1].tag == LEX_FILLER &&
            t->toks[i + 2].tag == LEX_ROOM)
            tk->tag = tk->was = LEX_IN;
    }
    for (size_t i = 1; i + 2 < t->n; i++) {
        struct token *tk = &t->toks[i];
        const struct token *next = &t->toks[i + 1], *after = &t->toks[i + 2];
        if (tk->tag == LEX_STATE && tk->last - tk->first == 1 && tokens_word_is(t, i, "on") &&
            (target_before(t, i) || t->toks[i - 1].tag == LEX_VOLUME || title_before(t, i)) &&
            next->tag == LEX_FILLER && next->value && strcmp(next->value, "article") == 0 &&
            (after->tag == LEX_WORD || clause_is_target_tag(after->tag)))
            tk->tag = tk->was = LEX_IN;
    }
}

/* "switch both of them off": both of what was said, a plural pronoun;
 * "both of them" alone answers "which one?" with all it offered. */
static void both_alone(struct tokens *t)
{
    bool verb = false;
    for (size_t i = 0; i < t->n; i++)
        verb = verb || clause_is_verb_tag(t->toks[i].tag);
    for (size_t i = 0; i < t->n && !verb; i++)
        if (t->toks[i].tag == LEX_REF && strcmp(t->words[t->toks[i].first], "both") == 0)
            t->toks[i].tag = t->toks[i].was = LEX_ALL;
}

/* "it's too dark even with the desk lamp on": a device after "with" and
 * its state after it describe how things are; the state is no request. */
static void with_state(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (!tokens_word_is(t, i, "with"))
            continue;
        /* the device: its words (name words are LEX_WORD) up to the state */
        size_t k = i + 1;
        bool device = false;
        for (; k < t->n && (t->toks[k].tag == LEX_FILLER || t->toks[k].tag == LEX_WORD ||
                            clause_is_target_tag(t->toks[k].tag));
             k++)
            device = device || clause_is_target_tag(t->toks[k].tag);
        if (device && k < t->n && t->toks[k].tag == LEX_STATE)
            t->toks[k].tag = t->toks[k].was = LEX_FILLER;
    }
}

/* "as loud as the kitchen one", "move it to the same room as the light":
 * the device words after a comparison, with a device said before it in the
 * clause, are LEX_LIKE (their own tag kept in was): they give a value,
 * they are no target. Without both it compares nothing ("I'd like the
 * lights off"), and is filler. */
static void mark_likes(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->toks[i].tag != LEX_LIKE)
            continue;
        bool before = false;
        for (size_t k = i; k-- > 0 && !ends_clause(t->toks[k].tag) && !before;)
            before = clause_is_target_tag(t->toks[k].tag);
        if (!before || !article_then_target(t, i + 1)) {
            t->toks[i].tag = t->toks[i].was = LEX_FILLER;
            t->toks[i].value = NULL;
            continue;
        }
        size_t j = i + 1;
        while (j < t->n && in_exception(t->toks[j].tag))
            t->toks[j++].tag = LEX_LIKE;
        i = j - 1;
    }
}

/* "pause the radio", then "ok start it again": "start" with a pronoun and
 * "again" (or "back up") resumes what played; the pronoun keeps it to the
 * devices talked about. */
static void start_again(struct tokens *t)
{
    for (size_t i = 0; i + 2 < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag == LEX_POWER && tokens_word_is(t, i, "start") &&
            t->toks[i + 1].tag == LEX_REF && !t->toks[i + 1].value &&
            (tokens_word_is(t, i + 2, "again") || tokens_word_is(t, i + 2, "back") ||
             tokens_word_is(t, i + 2, "up"))) {
            tk->value = "resume";
            t->toks[i + 2].tag = t->toks[i + 2].was = LEX_FILLER;
        }
    }
}

/* "the little lamp on my desk": an amount word right before a kind of
 * device says which device; it is no step. */
static void amount_as_adjective(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++)
        if (t->toks[i].tag == LEX_AMOUNT && t->toks[i].last - t->toks[i].first == 1 &&
            (t->toks[i + 1].tag == LEX_TYPE || t->toks[i + 1].tag == LEX_PART ||
             t->toks[i + 1].tag == LEX_NAME)) {
            t->toks[i].tag = t->toks[i].was = LEX_FILLER;
            t->toks[i].value = NULL;
        }
}

/* "the big light": a lexicon word for a name word ("big" for ceiling)
 * says which device only right before a kind; elsewhere ("a big thanks")
 * it is filler. A name word typed with a slip ("radios") stays one. */
static void kind_words(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag == LEX_PART && tk->value && !tk->fixed &&
            strcmp(tk->value, t->words[tk->first]) != 0 &&
            !(i + 1 < t->n && t->toks[i + 1].tag == LEX_TYPE)) {
            tk->tag = tk->was = LEX_FILLER;
            tk->value = NULL;
        }
    }
}

/* "change it back to 50": a value after an undo says what to set; it is
 * a setting, not the last change undone. */
static void undo_to_value(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag != LEX_UNSUPPORTED || !tk->value || strcmp(tk->value, "undo") != 0)
            continue;
        for (size_t k = i + 1; k < t->n && !ends_clause(t->toks[k].tag); k++)
            if (t->toks[k].tag == LEX_NUM) {
                tk->tag = tk->was = LEX_SET;
                tk->value = NULL;
                break;
            }
    }
}

/* "no more light in the hall", "I don't want any more music": off, when
 * device words follow; "no more what-ifs, just turn the radio down"
 * switches nothing off. */
static void no_more(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag == LEX_STATE && tk->last - tk->first >= 2 &&
            strcmp(t->words[tk->last - 1], "more") == 0 && !target_next(t, i + 1)) {
            tk->tag = tk->was = LEX_FILLER;
            tk->value = NULL;
        }
    }
}

/* "the one in the kitchen, where I do the cooking": "where" right after a
 * room, with no verb or device after it, says more about the room; it
 * asks nothing. */
static void where_about_room(struct tokens *t)
{
    for (size_t i = 1; i < t->n; i++) {
        size_t k = i - 1;
        if (t->toks[i].tag != LEX_STATUS || !tokens_word_is(t, i, "where"))
            continue;
        if (k > 0 && t->toks[k].tag == LEX_SEP)
            k--;
        if (t->toks[k].tag != LEX_ROOM)
            continue;
        bool more = false;
        for (size_t j = i + 1; j < t->n && !more; j++)
            more = clause_is_verb_tag(t->toks[j].tag) || clause_is_target_tag(t->toks[j].tag) ||
                   t->toks[j].tag == LEX_QUESTION || t->toks[j].tag == LEX_STATUS;
        for (size_t j = i; j < t->n && !more; j++) {
            t->toks[j].tag = t->toks[j].was = LEX_FILLER;
            t->toks[j].value = NULL;
        }
    }
}

/* "den_speaker vol -5", "--vol -10": a number below zero right after the
 * command-line "vol" (volume=short; no "to" or "set" before it) is a step
 * down by that much; "volume -5" and "set the volume to -10" stay numbers
 * below zero, which the bot refuses. */
static void volume_minus(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        struct token *vol = &t->toks[i], *num = &t->toks[i + 1];
        if (vol->tag != LEX_VOLUME || !vol->value || strcmp(vol->value, "short") != 0 ||
            num->tag != LEX_NUM || num->num >= 0)
            continue;
        bool set = false;
        for (size_t k = i; k-- > 0 && !ends_clause(t->toks[k].tag) && !set;)
            set = t->toks[k].tag == LEX_TO || t->toks[k].tag == LEX_SET;
        if (!set) {
            vol->tag = vol->was = LEX_DOWN;
            vol->value = NULL;
            num->num = -num->num;
        }
    }
}

/* Whether device words start at token i: a room only with a device after
 * it ("my wife is working in the office" names no device). */
static bool device_words_at(const struct tokens *t, size_t i)
{
    if (!clause_is_target_tag(t->toks[i].tag))
        return false;
    return t->toks[i].tag != LEX_ROOM ||
           (i + 1 < t->n && clause_is_target_tag(t->toks[i + 1].tag) &&
            t->toks[i + 1].tag != LEX_ROOM);
}

/* filler=told ("i promise ill turn it down after", "or did mum turn it
 * off"): the rest of the clause is what the customer will do or asks who
 * did, no request; filler=aside ("mum says no music after 9 so turn the
 * speaker off", "dad said leave the porch light on"): what someone else
 * says, up to the next verb or device, whose request stands. Either ends
 * the clause before it. */
static void said_aside(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        bool told = filler_is(tk, "told"), aside = filler_is(tk, "aside");
        if (!told && !aside)
            continue;
        tk->tag = tk->was = LEX_SEP;
        tk->value = NULL;
        size_t k = i + 1;
        for (; k < t->n && !ends_clause(t->toks[k].tag) &&
               (told || (!clause_is_verb_tag(t->toks[k].tag) && !device_words_at(t, k)));
             k++) {
            /* "if I turn the patio speaker on, will it be loud?": the
             * device it names is still talked about ("the hall lights",
             * but not "from the kitchen", a room alone) */
            enum lex_tag tag = t->toks[k].tag;
            bool kind_next =
                k + 1 < t->n && (t->toks[k + 1].tag == LEX_TYPE || t->toks[k + 1].tag == LEX_PART);
            if (told && (tag == LEX_TYPE || tag == LEX_NAME || tag == LEX_PART ||
                         (tag == LEX_ROOM && kind_next)))
                continue;
            t->toks[k].tag = t->toks[k].was = LEX_FILLER;
            t->toks[k].value = NULL;
        }
        i = k - 1;
    }
}

/* "get the patio speaker going", "get the fan going": on. */
static void get_going(struct tokens *t)
{
    for (size_t i = 2; i < t->n; i++) {
        if (!tokens_word_is(t, i, "going") || !target_before(t, i))
            continue;
        for (size_t k = i; k-- > 0 && !ends_clause(t->toks[k].tag);)
            if (tokens_word_is(t, k, "get") || tokens_word_is(t, k, "got")) {
                t->toks[i].tag = t->toks[i].was = LEX_STATE;
                t->toks[i].value = "on";
                break;
            }
    }
}

/* "leave the porch light on but everything else can go off", "leave the
 * lamp on but turn the speaker off": "but" before "everything else" or a
 * verb joins a second request; it excepts nothing. */
static void but_the_rest(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        size_t k = i + 1;
        while (k < t->n && t->toks[k].tag == LEX_FILLER)
            k++;
        bool verb = k < t->n && clause_is_verb_tag(t->toks[k].tag);
        if (t->toks[i].tag == LEX_EXCEPT && tokens_word_is(t, i, "but") &&
            (verb || (t->toks[i + 1].tag == LEX_ALL && t->toks[i + 1].value &&
                      strcmp(t->toks[i + 1].value, "else") == 0))) {
            t->toks[i].tag = t->toks[i].was = LEX_CONJ;
            t->toks[i].value = NULL;
        }
    }
}

/* "can you turn the kitchen speaker of", "lights of pls": "of" right
 * after device words (or "it") and before the end of its clause, with no
 * state said, is a phone's "off"; "turn of the porch light" is in the
 * lexicon. */
static void of_for_off(struct tokens *t)
{
    static const char *const off = "off";
    for (size_t i = 1; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (!tokens_word_is(t, i, "of") ||
            (!clause_is_target_tag(t->toks[i - 1].tag) && t->toks[i - 1].tag != LEX_REF))
            continue;
        size_t end = i + 1, start = i;
        while (end < t->n && t->toks[end].tag == LEX_FILLER)
            end++;
        while (start > 0 && !ends_clause(t->toks[start - 1].tag))
            start--;
        bool stated = false;
        for (size_t k = start; k < end; k++)
            stated = stated || t->toks[k].tag == LEX_STATE;
        if (stated || (end < t->n && !ends_clause(t->toks[end].tag)))
            continue;
        tk->tag = tk->was = LEX_STATE;
        tk->value = off;
    }
}

/* "please don't, whatever happens tonight, turn the hall wall light
 * off": a negation cut off by an aside with no device or verb of its own
 * negates the request after the aside. */
static void negation_over_aside(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        /* only "don't" and "do not": "no, turn it off" answers, "never
         * mind, turn it off" and "scratch that" take back what came before */
        const struct token *tk = &t->toks[i];
        if (tk->tag != LEX_NOT || t->toks[i + 1].tag != LEX_SEP ||
            (strcmp(t->words[tk->last - 1], "dont") != 0 &&
             strcmp(t->words[tk->last - 1], "not") != 0))
            continue;
        size_t k = i + 1;
        while (k < t->n && !clause_is_verb_tag(t->toks[k].tag) &&
               !clause_is_target_tag(t->toks[k].tag))
            k++;
        if (k >= t->n || !clause_is_verb_tag(t->toks[k].tag))
            continue;
        for (size_t j = i + 1; j < k; j++) {
            t->toks[j].tag = t->toks[j].was = LEX_FILLER;
            t->toks[j].value = NULL;
        }
    }
}

/* "Re: ticket 4471", "Ref. 60/2026", "opened 12 March": a number after a
 * word for a reference (and the numbers right after it), or next to a
 * month, is no volume. */
static void reference_numbers(struct tokens *t)
{
    bool after_ref = false;
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (filler_is(tk, "ref")) {
            after_ref = true;
            continue;
        }
        if (tk->tag == LEX_SEP && after_ref && i > 0 && t->toks[i - 1].tag != LEX_NUM)
            continue; /* "Ref. 60" */
        bool date = tk->tag == LEX_NUM && ((i > 0 && filler_is(&t->toks[i - 1], "date")) ||
                                           (i + 1 < t->n && filler_is(&t->toks[i + 1], "date")));
        if (tk->tag == LEX_NUM && (after_ref || date)) {
            tk->tag = tk->was = LEX_FILLER;
            tk->value = NULL;
            continue;
        }
        after_ref = false;
    }
}

/* "The lounge speaker, to 30, if you please": devices said alone, then
 * "to" and a number alone after a comma, are one request. */
static void value_after_comma(struct tokens *t)
{
    for (size_t i = 1; i + 2 < t->n; i++) {
        if (t->toks[i].tag != LEX_SEP || t->toks[i].value || t->toks[i + 1].tag != LEX_TO ||
            t->toks[i + 2].tag != LEX_NUM ||
            (i + 3 < t->n && t->toks[i + 3].tag != LEX_SEP && t->toks[i + 3].tag != LEX_FILLER))
            continue;
        size_t a = i;
        bool device = false, other = false;
        while (a > 0 && t->toks[a - 1].tag != LEX_SEP) {
            a--;
            device = device || clause_is_target_tag(t->toks[a].tag);
            other = other || (!clause_is_target_tag(t->toks[a].tag) &&
                              t->toks[a].tag != LEX_FILLER && t->toks[a].tag != LEX_IN);
        }
        if (device && !other)
            t->toks[i].tag = t->toks[i].was = LEX_FILLER;
    }
}

/* "turn off the 3 lights in the hall", "the two speakers", "one of the
 * hall lights", "the other two": a number that counts devices is no
 * volume. */
static void counted_devices(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        struct token *tk = &t->toks[i];
        const char *kind = t->words[t->toks[i + 1].last - 1];
        size_t l = strlen(kind), k = i + 2;
        enum lex_tag next = t->toks[i + 1].tag;
        /* "one of the hall lights": one of them, which? */
        while (k < t->n && (t->toks[k].tag == LEX_FILLER || t->toks[k].tag == LEX_ROOM))
            k++;
        bool one_of = tk->tag == LEX_NUM && tk->num == 1 && tokens_word_is(t, i + 1, "of") &&
                      k < t->n && (t->toks[k].tag == LEX_TYPE || t->toks[k].tag == LEX_PART);
        /* "the other two": of everything else, that many */
        struct token *before = i > 0 ? &t->toks[i - 1] : NULL;
        bool other = tk->tag == LEX_NUM && before && before->value &&
                     ((before->tag == LEX_ALL && strcmp(before->value, "else") == 0) ||
                      (before->tag == LEX_AGAIN && strcmp(before->value, "other") == 0)) &&
                     tk->num >= 2 && tk->num <= 20;
        if (other) {
            before->tag = before->was = LEX_ALL;
            before->value = "else";
        }
        bool plural = tk->tag == LEX_NUM && (next == LEX_TYPE || next == LEX_PART) &&
                      tk->num >= 2 && tk->num <= 20 && l >= 2 && kind[l - 1] == 's';
        if (!one_of && !other && !plural)
            continue;
        tk->tag = tk->was = LEX_FILLER;
        tk->value = "count";
    }
}

/* "turn the bedroom speaker on at 7", "turn off the desk lamp in 5": a
 * bare number after "at" or "in" ending a request to switch, with no
 * volume word or setting in it, is a time; the bot does nothing later
 * (unsupported timer). */
static void time_not_volume(struct tokens *t)
{
    static const char *const timer = "timer";
    for (size_t i = 0; i + 1 < t->n; i++) {
        struct token *tk = &t->toks[i];
        bool at = tk->tag == LEX_TO && tokens_word_is(t, i, "at");
        bool in = tk->tag == LEX_IN && tokens_word_is(t, i, "in");
        size_t end = i + 2;
        while (end < t->n && t->toks[end].tag == LEX_FILLER)
            end++;
        /* an hour ("at 7"; "on at 70" is a volume) or minutes ("in 5") */
        int num = t->toks[i + 1].num;
        if ((!at && !in) || t->toks[i + 1].tag != LEX_NUM || num < 1 || num > (at ? 12 : 60) ||
            (end < t->n && !ends_clause(t->toks[end].tag)))
            continue;
        bool volume = false, power = false;
        for (size_t k = i; k-- > 0 && !ends_clause(t->toks[k].tag);) {
            volume = volume || t->toks[k].tag == LEX_VOLUME || t->toks[k].tag == LEX_SET ||
                     t->toks[k].tag == LEX_UP || t->toks[k].tag == LEX_DOWN;
            power = power || t->toks[k].tag == LEX_POWER || t->toks[k].tag == LEX_STATE;
        }
        if (volume || !power)
            continue; /* "kitchen speaker at 40" is a volume */
        tk->tag = tk->was = LEX_UNSUPPORTED;
        tk->value = timer;
        t->toks[i + 1].tag = t->toks[i + 1].was = LEX_FILLER;
    }
}

/* "the speaker in room 1": a numbered room is a room the bot does not
 * know (so no device is in it), and its number no volume. */
static void numbered_room(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++)
        if (tokens_word_is(t, i, "room") && t->toks[i].tag != LEX_ROOM &&
            t->toks[i + 1].tag == LEX_NUM) {
            t->toks[i].tag = t->toks[i].was = LEX_ROOM;
            t->toks[i].value = t->words[t->toks[i].first];
            t->toks[i + 1].tag = t->toks[i + 1].was = LEX_FILLER;
            t->toks[i + 1].value = NULL;
        }
}

void intent_retag(struct tokens *t)
{
    numbered_room(t);
    time_not_volume(t);
    counted_devices(t);
    value_after_comma(t);
    reference_numbers(t);
    negation_over_aside(t);
    of_for_off(t);
    but_the_rest(t);
    said_aside(t);
    get_going(t);
    kind_words(t);
    amount_as_adjective(t);
    volume_minus(t);
    where_about_room(t);
    no_more(t);
    undo_to_value(t);
    both_alone(t);
    with_state(t);
    place_words(t);
    place_on(t);
    for (size_t i = 0; i + 1 < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag == LEX_STATUS && tk->last - tk->first == 1 &&
            strcmp(t->words[tk->first], "playing") == 0 &&
            (t->toks[i + 1].tag == LEX_TITLE || t->toks[i + 1].tag == LEX_WORD))
            tk->tag = tk->was = LEX_PLAY;
        /* "could the lamp on my desk come on?": a device that comes on or
         * goes off is switched (a request, not a question of its state);
         * "oh come on" names no device */
        if (i > 0 &&
            (tokens_word_is(t, i, "come") || tokens_word_is(t, i, "go") ||
             tokens_word_is(t, i, "comes") || tokens_word_is(t, i, "goes")) &&
            clause_is_target_tag(t->toks[i - 1].tag) && t->toks[i + 1].tag == LEX_STATE)
            tk->tag = tk->was = LEX_POWER;
        /* "the second one": a position, not the number one */
        if (tk->tag == LEX_ORDINAL && tokens_word_is(t, i + 1, "one"))
            t->toks[i + 1].tag = t->toks[i + 1].was = LEX_FILLER;
    }
    start_again(t);
    mark_likes(t);
    mark_exceptions(t);
}
