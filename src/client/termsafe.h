/* Server text made safe for a terminal. Device names, song titles, bot
 * replies and error sentences come from the server (and, through it, from
 * whoever named a device), so before any of it reaches a terminal every
 * control character goes: ESC and the other C0 controls, DEL, the C1
 * controls (U+0080-U+009F, which some terminals obey as CSI and OSC) and
 * bytes that are not UTF-8. The CLI (send, tables, errors, denial blocks)
 * and the TUI share this one filter.
 *
 * Ownership: termsafe_dup returns a new string the caller frees. */
#ifndef SB_TERMSAFE_H
#define SB_TERMSAFE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum termsafe_flags {
    TERMSAFE_ONE_LINE = 0,            /* newlines and tabs become spaces too */
    TERMSAFE_KEEP_NEWLINES = 1u << 0, /* '\n' stays (multi-line replies) */
};

/* Cleans s into buf (at most n - 1 bytes, always terminated, cut on a
 * character boundary). Controls become spaces and bytes that are not UTF-8
 * become U+FFFD. Returns the length written. */
size_t termsafe_clean(const char *s, unsigned flags, char *buf, size_t n);
/* A cleaned copy of s (NULL is taken as ""). */
char *termsafe_dup(const char *s, unsigned flags);
/* Writes s cleaned to f. Returns 0, or -1 on a write error. */
int termsafe_fputs(const char *s, unsigned flags, FILE *f);
/* printf whose whole result is cleaned (newlines kept) before it is written:
 * for messages that quote server text. */
int termsafe_vfprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int termsafe_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
