/* Which of a customer's devices a step means: by name, type, room, "all",
 * a pronoun (the previous devices), or by default the only device that can
 * do it. */
#ifndef SB_ENGINE_RESOLVE_H
#define SB_ENGINE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/intent.h"
#include "engine/lexicon.h"
#include "engine/text.h"

#define RESOLVE_MAX 64 /* devices one step acts on */

enum resolve_status {
    RESOLVE_OK,     /* idx[0..n) are the devices */
    RESOLVE_WHICH,  /* several fit a request for one: idx are the candidates */
    RESOLVE_NONE,   /* nothing fits what was said */
    RESOLVE_CANNOT, /* the devices meant cannot do it: idx[0] is one of them */
};

struct resolve_result {
    enum resolve_status status;
    size_t idx[RESOLVE_MAX];
    size_t n;
};

/* prev: ids of the devices the conversation last talked about (pronouns and
 * unnamed follow-ups go there). */
void resolve_target(const struct customer *c, const struct intent_step *s, const char *const *prev,
                    size_t n_prev, struct resolve_result *out);

/* Whether a condition step ("if the hall light is on") holds: every device
 * it names, resolved as its target is, is as it says; one that names no
 * device, or that this cannot check, does not hold. */
bool resolve_condition_met(const struct customer *c, const struct intent_step *cond,
                           const char *const *prev, size_t n_prev);

struct text_entities;
/* The customer's own words for the parser (text.h): each device's name
 * (and the words of it the vocabulary does not know), each room a device
 * is in, each title on a playlist. Values point into c. */
void resolve_entities(const struct lexicon *lx, const struct customer *c,
                      struct text_entities *out);

/* The playlist entry that best matches a spoken title, or NULL. */
const char *resolve_title(const struct strlist *playlist, const char *title);

#endif
