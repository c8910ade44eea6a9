/* How the CLI shows a time: the server's ISO 8601 UTC timestamps become
 * local time with its UTC offset ("2026-11-24 23:40:07 +0100", following TZ),
 * or UTC with the offset +0000 under --utc. One rule for every command. */
#ifndef SB_TIMEFMT_H
#define SB_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Formats ms since the epoch into buf. */
void timefmt_ms(int64_t ms, bool utc, char *buf, size_t n);
/* Formats an ISO 8601 timestamp into buf and returns buf; text that is not
 * one is returned as it is, NULL as "-". */
const char *timefmt_iso(const char *ts, bool utc, char *buf, size_t n);

#endif
