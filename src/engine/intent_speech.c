/* Requests as people say them and speech-to-text writes them down: a
 * correction in the middle ("turn off the kitchen speaker no sorry the
 * living room display", "fifty no sorry forty") and numbers heard as other
 * words ("volume two thirty", "down to for", "forty to"). Both rewrite the
 * tokens before the clauses are read, so the rest of the parser sees only
 * what was meant. */
#include "engine/intent_impl.h"

#include <string.h>

static void drop(struct token *tk)
{
    tk->tag = tk->was = LEX_FILLER;
    tk->value = NULL;
}

/* The next token from i that is not filler (t->n: none). */
static size_t next_word(const struct tokens *t, size_t i)
{
    while (i < t->n && t->toks[i].tag == LEX_FILLER)
        i++;
    return i;
}

static bool spelled_out(const char *w)
{
    return w[0] < '0' || w[0] > '9';
}

/* What a correction at i replaces: the last number before it when a number
 * follows, the last run of device words when device words follow. Nothing
 * (and the words stay) when neither comes before it, or what follows is
 * another thing altogether ("sorry to bother you, ..."). */
static void correct_at(struct tokens *t, size_t i)
{
    size_t j = next_word(t, i + 1);
    drop(&t->toks[i]);
    if (j >= t->n)
        return;
    bool number = t->toks[j].tag == LEX_NUM;
    /* "play Kitchen Sink, oh no wait, Hall of Fame": the title before it,
     * however far back */
    size_t title = j;
    while (title < t->n && (t->toks[title].tag == LEX_SEP || t->toks[title].tag == LEX_FILLER))
        title++;
    if (title < t->n && t->toks[title].tag == LEX_TITLE) {
        for (size_t k = i; k-- > 0;)
            if (t->toks[k].tag == LEX_TITLE) {
                drop(&t->toks[k]);
                return;
            }
        return;
    }
    if (!number && !clause_is_target_tag(t->toks[j].tag))
        return;
    size_t k = i;
    while (k > 0) {
        enum lex_tag tag = t->toks[k - 1].tag;
        if (tag == LEX_SEP || tag == LEX_CONJ)
            return;
        if (number ? tag == LEX_NUM : clause_is_target_tag(tag))
            break;
        k--;
    }
    if (k == 0)
        return;
    if (number) {
        drop(&t->toks[k - 1]);
        return;
    }
    /* the whole run of device words, and the filler between them */
    while (k > 0 &&
           (clause_is_target_tag(t->toks[k - 1].tag) || t->toks[k - 1].tag == LEX_FILLER)) {
        drop(&t->toks[k - 1]);
        k--;
    }
}

/* "two thirty": "two" right before another number is "to"; "to for" at
 * the end is "to four"; "forty to" at the end is "forty two". */
static void numbers_heard(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct token *tk = &t->toks[i];
        bool at_end = i + 1 >= t->n || t->toks[i + 1].tag == LEX_SEP;
        if (tk->tag == LEX_NUM && tokens_word_is(t, i, "two") && i + 1 < t->n &&
            t->toks[i + 1].tag == LEX_NUM) {
            tk->tag = tk->was = LEX_TO;
        } else if (tokens_word_is(t, i, "for") && at_end && i > 0 && t->toks[i - 1].tag == LEX_TO) {
            tk->tag = tk->was = LEX_NUM;
            tk->num = 4;
        } else if (tk->tag == LEX_TO && tokens_word_is(t, i, "to") && at_end && i > 0) {
            struct token *tens = &t->toks[i - 1];
            if (tens->tag == LEX_NUM && tens->num >= 20 && tens->num < 100 && tens->num % 10 == 0 &&
                tens->last - tens->first == 1 && spelled_out(t->words[tens->first])) {
                tens->num += 2;
                drop(tk);
            }
        }
    }
}

/* Whether nothing is said from token j on but filler and separators, or
 * only "leave it" ("actually no, leave it"). */
static bool nothing_new(const struct tokens *t, size_t j)
{
    while (j < t->n && (t->toks[j].tag == LEX_FILLER || t->toks[j].tag == LEX_SEP))
        j++;
    return j >= t->n || tokens_word_is(t, j, "leave");
}

/* Whether a verb comes next from token j, filler and separators aside. */
static bool request_next(const struct tokens *t, size_t j)
{
    while (j < t->n && (t->toks[j].tag == LEX_FILLER || t->toks[j].tag == LEX_SEP))
        j++;
    return j < t->n && clause_is_verb_tag(t->toks[j].tag);
}

/* Whether a request comes before token i, which opens a sentence after
 * it ("turn off the speaker. hmm, no, ..."; not "is it on? if no, ..."). */
static bool request_before(const struct tokens *t, size_t i)
{
    size_t k = i;
    while (k > 0 && t->toks[k - 1].tag == LEX_FILLER)
        k--;
    if (k == 0 || t->toks[k - 1].tag != LEX_SEP || t->toks[k - 1].value)
        return false;
    while (i-- > 0)
        if (clause_is_verb_tag(t->toks[i].tag))
            return true;
    return false;
}

static bool is_cancel(const struct token *tk)
{
    return tk->tag == LEX_NOT && tk->value && strcmp(tk->value, "cancel") == 0;
}

/* "turn off the porch light... actually no, leave it", "turn the den
 * speaker up - no, scratch that", "turn off the fan but don't": a
 * correction with nothing new after it, a cancel, or a negation that ends
 * the message takes back what came before; the message is then a cancel
 * (and what follows a cancel, when it is a new request, stands). */
static void take_back(struct tokens *t)
{
    for (size_t i = t->n; i-- > 1;) {
        struct token *tk = &t->toks[i];
        if (!is_cancel(tk) && tk->tag != LEX_CORRECT && tk->tag != LEX_NOT)
            continue; /* most tokens: no scan of what follows them */
        bool ends = nothing_new(t, i + 1);
        /* "turn off the desk lamp, no, sorry, I meant turn ON the study
         * display", "turn off the speaker. hmm, no, just turn it down": a
         * correction (or a "no" after a request) with a request of its own
         * replaces all before it */
        if ((tk->tag == LEX_CORRECT ||
             (tokens_word_is(t, i, "no") && tk->tag == LEX_NOT && request_before(t, i))) &&
            !ends && request_next(t, i + 1)) {
            /* "..., no, just turn it down instead": a pronoun after it
             * still means the devices said before */
            bool named_after = false;
            for (size_t k = i + 1; k < t->n; k++)
                named_after = named_after ||
                              (clause_is_target_tag(t->toks[k].tag) && t->toks[k].tag != LEX_REF);
            for (size_t k = 0; k <= i; k++)
                if (named_after || !clause_is_target_tag(t->toks[k].tag) ||
                    t->toks[k].tag == LEX_REF)
                    drop(&t->toks[k]);
            t->toks[i].tag = t->toks[i].was = LEX_SEP; /* the devices, then the request */
            return;
        }
        /* "set it to 20, sorry, 25 I meant": the number said before the
         * correction replaces the one before it */
        if (tk->tag == LEX_CORRECT && ends && t->toks[i - 1].tag == LEX_NUM) {
            for (size_t k = i - 1; k-- > 0;)
                if (t->toks[k].tag == LEX_NUM) {
                    drop(&t->toks[k]);
                    break;
                }
            drop(tk);
            return;
        }
        if (!is_cancel(tk) && !ends)
            continue;
        for (size_t k = 0; k < t->n; k++)
            if (k < i || (k > i && ends))
                drop(&t->toks[k]);
        tk->tag = tk->was = LEX_NOT;
        tk->value = "cancel";
        return;
    }
}

void intent_speech(struct tokens *t)
{
    take_back(t);
    numbers_heard(t);
    for (size_t i = 0; i < t->n; i++)
        if (t->toks[i].tag == LEX_CORRECT)
            correct_at(t, i);
}
