/* Reading chat text as a routine command: create, list, show, rename, add
 * a step, delete, run, or set the time zone (patterns and schedule words
 * from data/engine/routines.txt). The steps themselves are sentences the
 * request parser reads (intent.h); this module only finds them. */
#ifndef SB_ENGINE_ROUTINE_PARSE_H
#define SB_ENGINE_ROUTINE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "common/tz.h"
#include "engine/lexicon.h"
#include "engine/routine_lang.h"

enum routine_cmd_kind {
    RCMD_NONE = 0, /* not about routines: the request parser's turn */
    RCMD_CREATE,
    RCMD_LIST,
    RCMD_SHOW,
    RCMD_RENAME,
    RCMD_ADD,
    RCMD_DELETE,
    RCMD_RUN,
    RCMD_ZONE,
};

/* A schedule as said: a time, days or a day ahead (today 0, tomorrow 1). */
struct routine_when {
    bool said; /* any schedule words at all */
    bool has_time;
    int minute;     /* 0-1439 */
    unsigned days;  /* recurring: weekday bits; 0 none said */
    int day_offset; /* one-off: days from today; -1 when recurring */
};

struct routine_cmd {
    enum routine_cmd_kind kind;
    bool explicit_; /* the words say "routine": answer even for an unknown name */
    char name[MODEL_ROUTINE_NAME_MAX + 1];
    char new_name[MODEL_ROUTINE_NAME_MAX + 1];
    char zone[TZ_NAME_MAX + 1];
    char steps[MODEL_ROUTINE_STEPS_MAX][MODEL_STEP_MAX + 1];
    size_t n_steps;
    bool too_many;  /* more steps than a routine may have */
    bool only_when; /* a schedule and nothing else: no steps to read */
    struct routine_when when;
};

/* Reads text as a routine command. c (may be NULL) lets a command that
 * does not say "routine" ("run wind down", or only "good morning") count
 * only when it names one of c's routines. Returns out->kind. */
enum routine_cmd_kind routine_parse(const struct routine_lang *rl, const struct lexicon *lx,
                                    const struct customer *c, const char *text,
                                    struct routine_cmd *out);

/* Matches text against the patterns whose key starts with prefix
 * ("group."), in order: the first that fits gives the rest of its key
 * ("sync"), and slot the text of its one {slot} ("" when it has none).
 * NULL when none fits. */
const char *routine_parse_phrase(const struct routine_lang *rl, const char *prefix,
                                 const char *text, char *slot, size_t n);

struct text_entities;
/* Whether text reads as one or more device actions (no status questions,
 * help or chatter) or a multi-room request: what a routine step must be.
 * ents (may be NULL): the customer's own words (resolve_entities). */
bool routine_parse_is_step(const struct routine_lang *rl, const struct lexicon *lx,
                           const struct text_entities *ents, const char *text);

#endif
