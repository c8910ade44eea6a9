#include "client/timefmt.h"

#include <time.h>

#include "common/util.h"

void timefmt_ms(int64_t ms, bool utc, char *buf, size_t n)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!(utc ? gmtime_r(&secs, &tm) : localtime_r(&secs, &tm)) ||
        strftime(buf, n, "%Y-%m-%d %H:%M:%S %z", &tm) == 0) {
        if (n)
            buf[0] = '\0';
    }
}

const char *timefmt_iso(const char *ts, bool utc, char *buf, size_t n)
{
    int64_t ms;
    if (!ts)
        return "-";
    if (util_parse_timestamp(ts, &ms) < 0)
        return ts;
    timefmt_ms(ms, utc, buf, n);
    return buf;
}
