/* A bounded string -> string map shared by threads: the engine's memory of
 * recent replies (idempotent resends; what conversations remember is in the
 * store, see convo.h). When full, the oldest entry is forgotten.
 *
 * Ownership: memo_put copies key and value; memo_get returns a heap copy the
 * caller frees (NULL when key is not there). */
#ifndef SB_ENGINE_MEMO_H
#define SB_ENGINE_MEMO_H

#include <stddef.h>

struct memo;

struct memo *memo_new(size_t capacity);
void memo_free(struct memo *m);
/* Adds or replaces. */
void memo_put(struct memo *m, const char *key, const char *value);
char *memo_get(struct memo *m, const char *key);

#endif
