/* UTF-8 checks and display widths. */
#ifndef SB_UTF8_H
#define SB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);
/* Terminal columns needed to show s (wide characters count 2, controls 0). */
int utf8_width(const char *s);
/* The byte length of the longest prefix of s that fits in cols columns. */
size_t utf8_prefix_for_width(const char *s, int cols);

#endif
