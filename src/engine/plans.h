/* Answers to plan and pricing questions, entirely from the levels data:
 * the customer's plan, what a named plan costs and adds, which plan allows
 * an action, the next plan up. No level name appears here: plans are
 * recognised by matching the question's words against level keys and
 * names at run time. */
#ifndef SB_ENGINE_PLANS_H
#define SB_ENGINE_PLANS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/intent.h"
#include "engine/lexicon.h"
#include "engine/policy.h"
#include "engine/text.h"

/* Writes the answer to the help step s for a customer at level cur into
 * buf. Returns false (buf untouched) when s is not a plan question the
 * data can answer, so the caller gives its general help instead. */
bool plans_answer(const struct lexicon *lx, const struct policy *pol,
                  const struct service_level *cur, const struct intent_step *s, char *buf,
                  size_t n);

/* Adds the levels' keys and names to ents as plan words (text.h), so the
 * parser reads "premium" as a plan question's word. */
void plans_entities(const struct lexicon *lx, const struct policy *pol, struct text_entities *ents);

#endif
