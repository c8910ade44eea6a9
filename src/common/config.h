/* A config file reader: "key = value" lines, '#' comments, blank lines.
 * Values may be quoted with double quotes to keep leading/trailing spaces.
 * Errors name the file and line ("servicebot.conf:7: expected key = value"). */
#ifndef SB_CONFIG_H
#define SB_CONFIG_H

#include "common/err.h"

struct config;

/* Reads path. A missing file is SB_ENOTFOUND (callers decide whether that
 * matters); a malformed line is SB_EINVAL. The caller frees *out with config_free. */
int config_load(const char *path, struct config **out, struct sb_err *err);
/* Parses text as if it came from a file called name. */
int config_parse(const char *name, const char *text, struct config **out, struct sb_err *err);
void config_free(struct config *cfg);

/* The value of key (the last one when repeated), or NULL. Owned by cfg. */
const char *config_get(const struct config *cfg, const char *key);
/* The line key was set on, or 0. */
int config_line(const struct config *cfg, const char *key);
/* Fails with "FILE:LINE: unknown setting 'x' (known: a, b, c)" when cfg has a
 * key that is not in the NULL-terminated list known. */
int config_check_keys(const struct config *cfg, const char *const *known, struct sb_err *err);
/* Parses an integer setting in [min, max]; absent keys leave *out alone. */
int config_get_int(const struct config *cfg, const char *key, long min, long max, long *out,
                   struct sb_err *err);
const char *config_name(const struct config *cfg);

#endif
