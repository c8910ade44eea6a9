/* Scheduled routines: every SCHEDULER_TICK_MS the loop thread starts a scan
 * on a worker (customers with a routine due), then runs the due customers
 * in batches on the workers (engine_routines_due claims each run with the
 * write that commits it, so several servicebotd never run one twice), and
 * back on the loop pushes the device changes and a "routine" frame to the
 * customer's WebSockets. The loop itself never touches the store.
 *
 * Test-only: SERVICEBOTD_TEST_CLOCK=FILE makes "now" (for routines only)
 * the ISO 8601 time written in FILE, re-read at every use; when FILE is
 * missing or unreadable the wall clock counts. */
#ifndef SB_SCHEDULER_H
#define SB_SCHEDULER_H

#include "common/err.h"

#define SCHEDULER_TICK_MS       1000
#define SCHEDULER_BATCH         8   /* customers per worker job */
#define SCHEDULER_DEFAULT_GRACE 600 /* seconds a missed run may be late and still run */
#define SCHEDULER_CLOCK_ENV     "SERVICEBOTD_TEST_CLOCK"

struct server;
struct scheduler;

/* Starts the ticks; grace_s 0 means SCHEDULER_DEFAULT_GRACE. */
struct scheduler *scheduler_start(struct server *srv, int grace_s);
void scheduler_free(struct scheduler *s);

#endif
