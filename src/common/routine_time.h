/* When routines run: a schedule's occurrences in the customer's zone. Times
 * are epoch seconds; pure functions of their arguments. */
#ifndef SB_ROUTINE_TIME_H
#define SB_ROUTINE_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "common/model.h"
#include "common/tz.h"

/* The first occurrence strictly after `after`: true and *next, or false
 * when there is none (not scheduled, or a one-off in the past). */
bool routine_time_next(const struct routine_schedule *s, const struct tz *z, int64_t after,
                       int64_t *next);

/* A routine due at `due` seen at `now` (>= due): *latest gets the last
 * occurrence at or before now and *skipped how many earlier ones (from due
 * on) passed unrun. Gives up counting after a year's worth. */
void routine_time_catch_up(const struct routine_schedule *s, const struct tz *z, int64_t due,
                           int64_t now, int64_t *latest, int *skipped);

/* The local date (days since 1970-01-01) and minute of the day of an instant. */
void routine_time_local(const struct tz *z, int64_t utc, int64_t *days, int *minute);

#endif
