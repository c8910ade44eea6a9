/* What the parser's two files share: a clause (a range of tokens with the
 * count and first index of each word class) and the readers of its targets
 * and moves (intent_clause.c); intent.c reads the rest of a clause. */
#ifndef SB_ENGINE_INTENT_IMPL_H
#define SB_ENGINE_INTENT_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/intent.h"
#include "engine/text.h"

struct clause {
    const struct tokens *t;
    size_t a, b; /* token range */
    unsigned count[LEX_NTAGS];
    size_t first[LEX_NTAGS]; /* token index of the first of each class */
    bool qmark;              /* it ends in a question mark */
};

void clause_init(struct clause *c, const struct tokens *t, size_t a, size_t b);
bool clause_has(const struct clause *c, enum lex_tag tag);
/* Whether token i is the one word w. */
bool tokens_word_is(const struct tokens *t, size_t i, const char *w);
bool clause_has_cue(const struct clause *c);
bool clause_has_other_action(const struct clause *c);
bool clause_has_content(const struct clause *c);
/* Whether the clause could only answer "which one?" (devices, a room or a number, no verb). */
bool clause_is_answer(const struct clause *c);
bool clause_is_target_tag(enum lex_tag tag);
bool clause_is_verb_tag(enum lex_tag tag);
bool clause_target_follows(const struct clause *c, size_t i);
void clause_read_target_except(const struct clause *c, size_t skip_a, size_t skip_b,
                               struct intent_target *tg, struct intent_target *except,
                               bool rooms_are_targets);
void clause_read_target(const struct clause *c, size_t skip_a, size_t skip_b,
                        struct intent_target *tg, bool rooms_are_targets);
/* A song's position said ("the third song": intent_step.position), and
 * the device a comparison names ("as loud as the kitchen one": the
 * LEX_LIKE words) into s->like; a volume or room comparison with no
 * request of its own makes the step that change ("make it as loud as ..."). */
void clause_read_like(const struct clause *c, struct intent_step *s);
size_t clause_last_of(const struct clause *c, enum lex_tag tag);
void clause_read_move(const struct clause *c, struct intent_step *s);
bool clause_is_filler(const struct clause *c, size_t i, const char *value);
bool clause_is_closing(const struct clause *c, size_t i);

/* Corrections and misheard numbers (intent_speech.c), then words read with
 * their neighbours and exceptions (intent_retag.c): on the tokens before
 * they are cut into clauses, in that order. */
void intent_speech(struct tokens *t);
void intent_retag(struct tokens *t);
/* What intent.c notes of each step for the passes over all of them
 * (intent_steps.c), which then finish out: reason, a complaint only
 * ("hate it", "it is too quiet"); bare_and, devices named with no request, then "and" and the next
 * step's clause. */
struct intent_marks {
    bool reason[INTENT_MAX_STEPS];
    bool bare_and[INTENT_MAX_STEPS];
    bool label[INTENT_MAX_STEPS]; /* devices named, then ":" ("heater plug: off") */
    /* devices named first in the message, then a comma ("fan, stop") */
    bool vocative[INTENT_MAX_STEPS];
    size_t bare_at; /* the step whose clause was bare before "and"; SIZE_MAX none */
};
/* Marks are made as intent.c reads the clauses: init once, step for each
 * step it keeps (s its index, next where the next clause begins), skip
 * for a clause it drops. */
void intent_marks_init(struct intent_marks *m);
void intent_marks_step(struct intent_marks *m, const struct clause *c, const struct intent_step *st,
                       size_t s, size_t next);
void intent_marks_skip(struct intent_marks *m);
void intent_steps_finish(struct intent *out, const struct intent_marks *m);
/* What a clause's step is as a condition ("if the fan is on"). */
enum intent_cond intent_condition_of(const struct clause *c, const struct intent_step *s);
/* The last passes, on the finished steps: a message that only asks about
 * or mocks its requests (filler=noact) makes none; the steps after a
 * condition depend on it. */
void intent_steps_close(struct intent *out, const struct tokens *t, bool corrects);
/* Whether the message opens with a correction ("no sorry, I meant ..."):
 * then it corrects the conversation's last request (intent_step.correct). */
bool intent_opens_with_correction(const struct tokens *t);
size_t clause_count_of(const struct clause *c, const enum lex_tag *tags, size_t n);
/* How many tokens of the clause are of one of the classes in the array tags. */
#define COUNT_OF(c, tags) clause_count_of((c), (tags), sizeof(tags) / sizeof *(tags))

#endif
