#include "server/jobs.h"

#include <libwebsockets.h>
#include <pthread.h>
#include <stdlib.h>

#include "common/xalloc.h"

struct queue {
    struct job *head, *tail;
};

struct jobs {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct queue todo, finished;
    size_t n_todo;
    bool stopping;
    struct lws_context *ctx;
    size_t in_flight;      /* loop thread only */
    size_t unsignalled;    /* loop thread only: submitted since the last flush */
    bool unsignalled_slow; /* loop thread only: and one of them is not quick */
    void (*run_batch)(struct job *list);
    void (*idle)(void *arg);
    void *idle_arg;
    int n_threads;
    pthread_t threads[];
};

static void queue_push(struct queue *q, struct job *j)
{
    j->next = NULL;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
}

static struct job *queue_take_all(struct queue *q)
{
    struct job *all = q->head;
    q->head = q->tail = NULL;
    return all;
}

/* Takes the jobs this thread runs next: all of them for run_batch, else a
 * fair share of what is queued (at least one). Taking several at a time
 * means one wake-up of a worker, and of the loop, for all of them, where a
 * wake-up of a thread on the other core costs ~25 us on our 2-core VM (GET
 * devices: the worker hand-offs were most of the gap to nginx). */
static struct job *take(struct jobs *js)
{
    size_t share = js->run_batch ? js->n_todo
                                 : (js->n_todo + (size_t)js->n_threads - 1) / (size_t)js->n_threads;
    struct job *first = js->todo.head, *last = first;
    for (size_t i = 1; i < share; i++)
        last = last->next;
    js->todo.head = last->next;
    if (!js->todo.head)
        js->todo.tail = NULL;
    last->next = NULL;
    js->n_todo -= share;
    return first;
}

/* Runs what was taken from todo and queues it finished; only the first
 * finished job of a turn needs to wake the loop. Called and returns with
 * the lock held. */
static void run_taken(struct jobs *js, struct job *taken)
{
    pthread_mutex_unlock(&js->lock);
    if (js->run_batch)
        js->run_batch(taken);
    else
        for (struct job *j = taken; j; j = j->next)
            j->run(j);
    pthread_mutex_lock(&js->lock);
    bool was_empty = js->finished.head == NULL;
    for (struct job *j = taken, *next; j; j = next) {
        next = j->next;
        queue_push(&js->finished, j);
    }
    if (was_empty && js->ctx)
        lws_cancel_service(js->ctx);
}

static void *worker(void *arg)
{
    struct jobs *js = arg;
    bool worked = false;
    pthread_mutex_lock(&js->lock);
    for (;;) {
        if (!js->todo.head && worked && js->idle) {
            worked = false;
            pthread_mutex_unlock(&js->lock);
            js->idle(js->idle_arg);
            pthread_mutex_lock(&js->lock);
            continue; /* jobs may have come meanwhile */
        }
        while (!js->todo.head && !js->stopping)
            pthread_cond_wait(&js->wake, &js->lock);
        if (!js->todo.head)
            break;
        run_taken(js, take(js));
        worked = true;
    }
    pthread_mutex_unlock(&js->lock);
    return NULL;
}

static int start(int threads, void (*run_batch)(struct job *list), struct jobs **out,
                 struct sb_err *err)
{
    struct jobs *js = xcalloc(1, sizeof(*js) + (size_t)threads * sizeof(pthread_t));
    js->run_batch = run_batch;
    pthread_mutex_init(&js->lock, NULL);
    pthread_cond_init(&js->wake, NULL);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&js->threads[i], NULL, worker, js) != 0) {
            js->n_threads = i;
            jobs_stop(js);
            return sb_err_set(err, SB_EINTERNAL, "cannot start worker thread %d", i + 1);
        }
        js->n_threads = i + 1;
    }
    *out = js;
    return SB_OK;
}

int jobs_start(int threads, struct jobs **out, struct sb_err *err)
{
    return start(threads, NULL, out, err);
}

int jobs_start_batched(int threads, void (*run_batch)(struct job *list), struct jobs **out,
                       struct sb_err *err)
{
    return start(threads, run_batch, out, err);
}

void jobs_set_idle(struct jobs *js, void (*idle)(void *arg), void *arg)
{
    pthread_mutex_lock(&js->lock);
    js->idle = idle;
    js->idle_arg = arg;
    pthread_mutex_unlock(&js->lock);
}

void jobs_set_context(struct jobs *js, struct lws_context *ctx)
{
    pthread_mutex_lock(&js->lock);
    js->ctx = ctx;
    pthread_mutex_unlock(&js->lock);
}

void jobs_submit(struct jobs *js, struct job *j)
{
    js->in_flight++;
    pthread_mutex_lock(&js->lock);
    if (js->stopping) {
        /* The threads are gone or going: run it here, complete it in jobs_stop. */
        j->next = NULL;
        run_taken(js, j);
    } else {
        queue_push(&js->todo, j);
        js->n_todo++;
        js->unsignalled++;
        js->unsignalled_slow = js->unsignalled_slow || !j->quick;
    }
    pthread_mutex_unlock(&js->lock);
}

void jobs_flush(struct jobs *js)
{
    if (!js || !js->unsignalled)
        return;
    /* as many workers as there are jobs for (each takes its share), or one
     * for quick jobs (it takes the others when done with its share: GET
     * devices, CPU per request -10%); the jobs were queued under the lock,
     * and a signal without it is not lost, while one under it wakes a
     * worker only to block on the lock the loop still holds (a second
     * futex wake per job) */
    size_t wake = js->unsignalled_slow ? (size_t)js->n_threads : 1;
    for (size_t i = 0; i < js->unsignalled && i < wake; i++)
        pthread_cond_signal(&js->wake);
    js->unsignalled = 0;
    js->unsignalled_slow = false;
}

void jobs_drain(struct jobs *js)
{
    pthread_mutex_lock(&js->lock);
    struct job *j = queue_take_all(&js->finished);
    pthread_mutex_unlock(&js->lock);
    while (j) {
        struct job *next = j->next;
        js->in_flight--;
        j->done(j);
        j = next;
    }
}

size_t jobs_in_flight(const struct jobs *js)
{
    return js->in_flight;
}

void jobs_stop(struct jobs *js)
{
    if (!js)
        return;
    pthread_mutex_lock(&js->lock);
    js->stopping = true;
    js->ctx = NULL; /* the context may be gone: nothing to wake */
    pthread_cond_broadcast(&js->wake);
    pthread_mutex_unlock(&js->lock);
    for (int i = 0; i < js->n_threads; i++)
        pthread_join(js->threads[i], NULL);
    /* done() may submit follow-up jobs, which now run inline. */
    while (js->finished.head)
        jobs_drain(js);
    pthread_cond_destroy(&js->wake);
    pthread_mutex_destroy(&js->lock);
    free(js);
}
