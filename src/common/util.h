/* Ids and time: the small facts every record carries. */
#ifndef SB_UTIL_H
#define SB_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define UTIL_ID_LEN        48 /* buffer size that fits any id made here */
#define UTIL_TIMESTAMP_LEN 32 /* buffer size for an ISO 8601 timestamp */

/* A new random id "prefix_" + 22 base32 characters (110 bits from
 * getrandom), so ids made by separate processes never collide. */
void util_new_id(const char *prefix, char *buf, size_t n);
/* The same shape, but ids made later (in this process) sort after: 10
 * characters of the wall clock in microseconds, then 12 random ones (60
 * bits). For ids that
 * are keys of a B-tree with many inserts (messages), where random ones
 * scatter each commit's inserts over many pages. */
void util_new_ordered_id(const char *prefix, char *buf, size_t n);

/* Milliseconds since the epoch (wall clock), and a monotonic clock in microseconds. */
int64_t util_now_ms(void);
int64_t util_monotonic_us(void);

/* Formats ms since the epoch as "2026-11-24T23:23:55.123Z". */
void util_format_timestamp(int64_t ms, char *buf, size_t n);
/* The current time, formatted as above. */
void util_timestamp_now(char *buf, size_t n);
/* Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" (also "+00:00"); returns 0 and sets *ms, or -1. */
int util_parse_timestamp(const char *s, int64_t *ms);

/* Reads a whole file into a NUL-terminated heap buffer; returns 0 or -1 with errno set. */
int util_read_file(const char *path, char **out, size_t *len);

/* s without its leading white space, its trailing white space cut off in place. */
char *util_trim(char *s);

#endif
