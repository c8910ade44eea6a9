/* Tokens re-read with their neighbours before the clauses are cut: words
 * the tokenizer could not tell apart alone, and the words of exceptions
 * ("apart from the porch light"), which count only for the step's except
 * target. */
#include "engine/intent_impl.h"

#include <string.h>

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

/* Marks the words of exceptions LEX_EXCEPT (their own tag kept in was),
 * so they count for nothing but the step's except target: "apart from
 * the porch light", "not the fan" (a negation before device words and no
 * verb), "and leave the porch light on". */
static void mark_exceptions(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        size_t j = i + 1, end;
        /* "no, the bedroom one" answers a question */
        if ((tk->tag != LEX_EXCEPT && tk->tag != LEX_NOT) ||
            (tk->tag == LEX_NOT && strcmp(t->words[tk->first], "no") == 0))
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
void intent_retag(struct tokens *t)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        struct token *tk = &t->toks[i];
        if (tk->tag == LEX_STATUS && tk->last - tk->first == 1 &&
            strcmp(t->words[tk->first], "playing") == 0 &&
            (t->toks[i + 1].tag == LEX_TITLE || t->toks[i + 1].tag == LEX_WORD))
            tk->tag = tk->was = LEX_PLAY;
    }
    mark_exceptions(t);
}
