/* The reconnect delay: doubling from a base, capped, spread by jitter. */
#include <stdint.h>

#include "client/ws.h"
#include "tap.h"

int main(void)
{
    int64_t lo = INT64_MAX, hi = 0;

    is_int(ws_backoff_delay_ms(0, 500, 15000, 0, 0), 500, "the first retry waits the base delay");
    is_int(ws_backoff_delay_ms(1, 500, 15000, 0, 0), 1000, "the second twice that");
    is_int(ws_backoff_delay_ms(4, 500, 15000, 0, 0), 8000, "doubling each time");
    is_int(ws_backoff_delay_ms(5, 500, 15000, 0, 0), 15000, "up to the cap");
    is_int(ws_backoff_delay_ms(60, 500, 15000, 0, 0), 15000,
           "and no overflow however long it lasts");
    for (uint32_t r = 0; r < 2000; r++) {
        int64_t d = ws_backoff_delay_ms(2, 500, 15000, 25, r * 2654435761u);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    ok(lo >= 1500 && hi <= 2500, "jitter stays within 25%% of 2000 ms (%lld..%lld)", (long long)lo,
       (long long)hi);
    ok(hi - lo > 500, "and actually spreads the retries");
    is_int(ws_backoff_delay_ms(0, 0, 0, 25, 7), 1, "a delay is never below 1 ms");
    return tap_done();
}
