/* Reply text: templates from data/engine/replies.txt with {name} slots. */
#ifndef SB_ENGINE_REPLY_H
#define SB_ENGINE_REPLY_H

#include <stddef.h>

#include "engine/lexicon.h"

#define REPLY_MAX_VARS 12
#define REPLY_TEXT_MAX 1024

struct reply_vars {
    const char *keys[REPLY_MAX_VARS];
    const char *vals[REPLY_MAX_VARS];
    size_t n;
};

/* Sets (or replaces) a slot; the strings must outlive the render call. */
void reply_set(struct reply_vars *v, const char *key, const char *val);
/* Renders template key into buf; unknown slots render empty. */
void reply_render(const struct lexicon *lx, const char *key, const struct reply_vars *v, char *buf,
                  size_t n);
/* Fills template text t (not a key) the same way. */
void reply_fill(const char *t, const struct reply_vars *v, char *buf, size_t n);
/* "a", "a and b", "a, b and c": the items joined by the "list.next"
 * template and, before the last, by last_key ("list.and", "list.or"). */
void reply_join(const struct lexicon *lx, const char *const *items, size_t n_items,
                const char *last_key, char *buf, size_t n);
/* A device's name as a sentence names it ("device.the": "the Office Speaker"). */
void reply_the(const struct lexicon *lx, const char *name, char *buf, size_t n);
/* An amount in cents as the "money" template writes it ("$9.99"). */
void reply_price(const struct lexicon *lx, int cents, char *buf, size_t n);

#endif
