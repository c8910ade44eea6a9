/* Occurrences of routine schedules (see routine_time.h). */
#include "common/routine_time.h"

#define DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void routine_time_local(const struct tz *z, int64_t utc, int64_t *days, int *minute)
{
    int64_t local = utc + tz_offset(z, utc);
    *days = floor_div(local, DAY);
    *minute = (int)((local - *days * DAY) / 60);
}

bool routine_time_next(const struct routine_schedule *s, const struct tz *z, int64_t after,
                       int64_t *next)
{
    int64_t day0;
    int minute;
    if (!s->set)
        return false;
    if (s->once) {
        *next = tz_to_utc(z, s->date * DAY + s->minute * 60);
        return *next > after;
    }
    routine_time_local(z, after, &day0, &minute);
    /* a day either side covers any offset; eight more reach every weekday */
    for (int64_t d = day0 - 1; d <= day0 + 8; d++) {
        if (!(s->days & (1u << tz_weekday(d))))
            continue;
        int64_t at = tz_to_utc(z, d * DAY + s->minute * 60);
        if (at > after) {
            *next = at;
            return true;
        }
    }
    return false;
}

void routine_time_catch_up(const struct routine_schedule *s, const struct tz *z, int64_t due,
                           int64_t now, int64_t *latest, int *skipped)
{
    int64_t at = due, n;
    *skipped = 0;
    while (*skipped < 366 * 24 && routine_time_next(s, z, at, &n) && n <= now) {
        at = n;
        (*skipped)++;
    }
    *latest = at;
}
