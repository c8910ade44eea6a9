/* A small pool of worker threads for everything that may block (store and
 * engine calls), so the libwebsockets loop never waits on storage.
 *
 * A job is a struct the caller embeds in its own (container_of style). run()
 * executes on a worker thread; the finished job is then queued and the loop
 * is woken with lws_cancel_service(); jobs_drain(), called by the loop on
 * LWS_CALLBACK_EVENT_WAIT_CANCELLED, calls done() on the loop thread, which
 * owns and frees the job. Nothing but run() touches a job off the loop thread. */
#ifndef SB_JOBS_H
#define SB_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

struct lws_context;
struct jobs;

struct job {
    void (*run)(struct job *j);  /* worker thread */
    void (*done)(struct job *j); /* loop thread; must free the job */
    struct job *next;
    /* run() is a few microseconds and does not wait (a cached local read):
     * for a turn that submitted only such jobs, one worker is woken and
     * takes them in turn, where a wake-up per job cost more than the jobs */
    bool quick;
};

int jobs_start(int threads, struct jobs **out, struct sb_err *err);
/* A pool whose threads each take every job queued meanwhile at once and
 * hand them to run_batch as a list (linked by next, oldest first, which
 * run_batch must leave as it is) instead of calling each run: jobs that can
 * share work, such as one commit. */
int jobs_start_batched(int threads, void (*run_batch)(struct job *list), struct jobs **out,
                       struct sb_err *err);
/* idle(arg) runs on a worker that finds nothing queued after running jobs,
 * before it sleeps: upkeep that a burst of jobs should not wait for. Set
 * before the first submit. */
void jobs_set_idle(struct jobs *js, void (*idle)(void *arg), void *arg);
/* The context to wake when a job finishes; set once it exists. */
void jobs_set_context(struct jobs *js, struct lws_context *ctx);
/* Queues j (loop thread); a worker is woken by jobs_flush, so that what one
 * loop turn submits costs one wake-up. */
void jobs_submit(struct jobs *js, struct job *j);
/* Wakes workers for what was submitted since the last flush (loop thread,
 * before the loop waits: loop_before_wait). */
void jobs_flush(struct jobs *js);
/* Loop thread: completes every finished job. */
void jobs_drain(struct jobs *js);
/* Jobs submitted and not yet completed by jobs_drain. */
size_t jobs_in_flight(const struct jobs *js);
/* Runs what is still queued, joins the threads, completes what finished and frees the pool. */
void jobs_stop(struct jobs *js);

#endif
