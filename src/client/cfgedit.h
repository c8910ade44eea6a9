/* Changing settings in a config file ("key = value" lines, see
 * common/config.h) while keeping everything else in it: comments, other
 * keys, their order. The file is replaced atomically (a temporary file in
 * the same directory, then rename) with mode 0600, since it may hold a
 * token; a missing file and its directory (mode 0700) are created. */
#ifndef SB_CFGEDIT_H
#define SB_CFGEDIT_H

#include <stddef.h>

#include "common/err.h"

struct cfgedit_change {
    const char *key;
    const char *value; /* NULL removes the key */
};

/* Applies n changes to the file at path: a key's first line gets the new
 * value (later lines setting it go), new keys are appended. Values may
 * not hold newlines. Returns SB_OK, SB_EINVAL for a bad value, or
 * SB_EINTERNAL naming the file and the system's reason. */
int cfgedit_apply(const char *path, const struct cfgedit_change *changes, size_t n,
                  struct sb_err *err);

#endif
