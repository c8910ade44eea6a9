/* IANA time zones read from the system's compiled zone files (TZif, as in
 * /usr/share/zoneinfo; $TZDIR overrides the directory), with no global
 * state: unlike setenv("TZ") + localtime, safe on any thread.
 *
 * Ownership: tz_load returns a zone the caller releases with tz_free.
 * Beyond the file's last transition the last offset holds (Debian's files
 * list transitions up to 2037). */
#ifndef SB_TZ_H
#define SB_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define TZ_NAME_MAX 64
#define TZ_DEFAULT  "UTC"

struct tz;

/* Whether name has the shape of a zone name ("Europe/Berlin", "UTC"):
 * letters, digits, '_', '-', '+' in '/'-separated parts, no "..". */
bool tz_name_ok(const char *name);
/* Loads a zone: SB_EINVAL naming the zone when it is malformed, unknown
 * or its file is not a zone file. "UTC" needs no file. */
int tz_load(const char *name, struct tz **out, struct sb_err *err);
void tz_free(struct tz *z);

/* The offset from UTC, in seconds, at an instant (epoch seconds). */
int32_t tz_offset(const struct tz *z, int64_t utc);
/* The instant of a local wall-clock time (seconds counted as if local time
 * were UTC). A time skipped by a clock change reads as the same wall time
 * after it (02:30 becomes 03:30); a repeated one is the earlier instant. */
int64_t tz_to_utc(const struct tz *z, int64_t local);

/* Civil dates: days since 1970-01-01 from a date and back; weekday 0 = Sunday. */
int64_t tz_days_from_civil(int y, int m, int d);
void tz_civil_from_days(int64_t days, int *y, int *m, int *d);
int tz_weekday(int64_t days);

#endif
