/* The routine language of data/engine/routines.txt (embedded at build
 * time): command patterns, schedule words and replies, as ordered
 * key = value entries where a key may repeat.
 *
 * Ownership: routine_lang_new makes a read-only table, released by
 * routine_lang_free; strings it returns live as long as it does. */
#ifndef SB_ENGINE_ROUTINE_LANG_H
#define SB_ENGINE_ROUTINE_LANG_H

#include <stddef.h>

#include "common/err.h"
#include "engine/reply.h"

struct routine_lang;

int routine_lang_new(struct routine_lang **out, struct sb_err *err);
/* Parses data (the file's text); for tests of the format. */
int routine_lang_parse(const char *data, struct routine_lang **out, struct sb_err *err);
void routine_lang_free(struct routine_lang *rl);

/* The first value of key, or "" when the data has none. */
const char *routine_lang_get(const struct routine_lang *rl, const char *key);
/* Entry i whose key starts with prefix, counting from *pos; returns its
 * value (and its key in *key) or NULL at the end. */
const char *routine_lang_next(const struct routine_lang *rl, const char *prefix, size_t *pos,
                              const char **key);
/* Whether word is one of the "|"-separated phrases of key's value. */
int routine_lang_is(const struct routine_lang *rl, const char *key, const char *word);
/* Lists are joined with the engine's list templates (replies.txt), and
 * number words read with its numbers. */
void routine_lang_use_lexicon(struct routine_lang *rl, const struct lexicon *lx);
/* The value of a number word ("seven"), or -1 (also without a lexicon). */
int routine_lang_number(const struct routine_lang *rl, const char *word);
/* "a", "a and b", "a, b and c". */
void routine_lang_join(const struct routine_lang *rl, const char *const *items, size_t n_items,
                       char *buf, size_t n);
/* Renders the template key with v's slots (reply.h rules). */
void routine_lang_say(const struct routine_lang *rl, const char *key, const struct reply_vars *v,
                      char *buf, size_t n);

#endif
