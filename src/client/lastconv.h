/* The last conversation of each customer on each server, remembered
 * between calls so that `send --continue` carries "it" over. Kept in
 * $XDG_STATE_HOME/servicebot/conversations (default ~/.local/state),
 * one "key = conversation id" line per server and customer. */
#ifndef SB_LASTCONV_H
#define SB_LASTCONV_H

#include <stddef.h>

#include "common/err.h"

/* The state file's path (heap), or NULL without XDG_STATE_HOME and HOME. */
char *lastconv_path(void);
/* The remembered conversation into buf. Returns 0, or -1 when there is none. */
int lastconv_get(const char *server, const char *customer, char *buf, size_t n);
/* Remembers conversation for server and customer. */
int lastconv_put(const char *server, const char *customer, const char *conversation,
                 struct sb_err *err);

#endif
