/* Word wrapping by display columns, shared by the denial renderer and
 * tables. */
#ifndef SB_WRAP_H
#define SB_WRAP_H

#include <stddef.h>

/* The next line of s for cols columns: *len bytes to show (without the
 * spaces around it). Returns how far to advance s, past the spaces that
 * ended the line, or 0 when nothing but spaces is left. Breaks at spaces; a
 * word wider than cols is cut (never inside a UTF-8 character). cols <= 0
 * means no limit. */
size_t wrap_next(const char *s, int cols, size_t *len);

#endif
