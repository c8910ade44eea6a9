/* The worker pool's wake-ups (src/server/jobs.c): a turn of quick jobs
 * wakes one worker, which must still run them all; a turn with a job that
 * is not quick wakes a worker per job, so two such jobs run at once; and a
 * quick job queued while a slow one holds a worker is run by another. A
 * wrong wake-up policy leaves a job waiting for a job that waits for it:
 * each wait gives up after 20 s, as tests/lib.sh's wait_for does, and the
 * test fails; nothing is timed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "server/jobs.h"
#include "tap.h"

struct tjob {
    struct job job;
    atomic_int *done_count;
    void (*body)(struct tjob *t);
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int started, quick_ran;
static bool met, released; /* what the waiting jobs saw */

static void run(struct job *j)
{
    struct tjob *t = (struct tjob *)j;
    if (t->body)
        t->body(t);
}

static void done(struct job *j)
{
    struct tjob *t = (struct tjob *)j;
    atomic_fetch_add(t->done_count, 1);
}

/* Until cond holds (under lock), waiting for a change; false when it
 * still does not after 20 s (a job that will never come). */
#define WAIT_UNTIL(cond)                                                                           \
    ({                                                                                             \
        struct timespec until;                                                                     \
        clock_gettime(CLOCK_REALTIME, &until);                                                     \
        until.tv_sec += 20;                                                                        \
        int wrc = 0;                                                                               \
        pthread_mutex_lock(&lock);                                                                 \
        while (!(cond) && wrc == 0)                                                                \
            wrc = pthread_cond_timedwait(&changed, &lock, &until);                                 \
        bool held = (cond);                                                                        \
        pthread_mutex_unlock(&lock);                                                               \
        held;                                                                                      \
    })

static void bump(int *counter)
{
    pthread_mutex_lock(&lock);
    (*counter)++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

/* Started, then waits for the other slow job to start too. */
static void meet(struct tjob *t)
{
    (void)t;
    bump(&started);
    if (!WAIT_UNTIL(started >= 2))
        met = false;
}

/* Started, then waits until a quick job ran. */
static void hold(struct tjob *t)
{
    (void)t;
    bump(&started);
    released = WAIT_UNTIL(quick_ran >= 1);
}

static void quick(struct tjob *t)
{
    (void)t;
    bump(&quick_ran);
}

/* Completes what finished until n are done (the loop's part, done here);
 * false when they are not after 20 s. */
static bool drain_until(struct jobs *js, atomic_int *count, int n)
{
    for (int i = 0; i < 20000 && atomic_load(count) < n; i++) {
        jobs_drain(js);
        usleep(1000);
    }
    jobs_drain(js);
    return atomic_load(count) >= n;
}

int main(void)
{
    struct jobs *js = NULL;
    struct sb_err err = {0};
    atomic_int count = 0;
    if (!ok(jobs_start(2, &js, &err) == SB_OK, "a pool of two workers"))
        return tap_done();

    struct tjob q[8];
    for (int i = 0; i < 8; i++) {
        q[i] =
            (struct tjob){.job = {.run = run, .done = done, .quick = true}, .done_count = &count};
        jobs_submit(js, &q[i].job);
    }
    jobs_flush(js);
    ok(drain_until(js, &count, 8), "eight quick jobs of one turn all run (one worker woken)");

    met = true;
    struct tjob s[2];
    for (int i = 0; i < 2; i++) {
        s[i] = (struct tjob){.job = {.run = run, .done = done}, .done_count = &count, .body = meet};
        jobs_submit(js, &s[i].job);
    }
    jobs_flush(js);
    ok(drain_until(js, &count, 10) && met,
       "two slow jobs of one turn run at once (each waited for the other)");

    started = 0;
    struct tjob h = {.job = {.run = run, .done = done}, .done_count = &count, .body = hold};
    jobs_submit(js, &h.job);
    jobs_flush(js);
    ok(WAIT_UNTIL(started >= 1), "a slow job holds a worker");
    struct tjob k = {
        .job = {.run = run, .done = done, .quick = true}, .done_count = &count, .body = quick};
    jobs_submit(js, &k.job);
    jobs_flush(js);
    ok(drain_until(js, &count, 12) && released,
       "a quick job queued while a slow one holds a worker runs on the other");
    jobs_stop(js);
    return tap_done();
}
