#include "server/chat_exchange.h"

#include <stddef.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/xalloc.h"
#include "server/push.h"

/* What follows a committed exchange: counted, the push list filled, other
 * instances told. */
static void after_exchange(struct app *app, const struct engine_request *req,
                           struct engine_reply *reply, struct push_list *push)
{
    metrics_chat(app->metrics, reply->result);
    /* Before the caller renames inReplyTo: it names the stored user message.
     * Reading the two messages back costs two queries: only for followers. */
    if (atomic_load(&app->message_followers) > 0)
        push_add_exchange(app->st, push, req->customer_id, reply->result, NULL);
    if (reply->n_changed == 0)
        return;
    if (atomic_load(&app->chat_sessions) > 0)
        push_list_add(push, req->customer_id, reply->changed, reply->n_changed, false);
    struct sb_err perr = {0};
    if (store_publish_change(app->st, req->customer_id, &perr) != SB_OK)
        log_kv(LOG_WARN, "cannot publish a device change", "customer", req->customer_id, "error",
               perr.msg, NULL);
}

int chat_exchange_run(struct app *app, const struct engine_request *req, struct engine_reply *reply,
                      struct push_list *push, struct sb_err *err)
{
    int rc = engine_handle(app->eng, req, reply, err);
    if (rc == SB_OK)
        after_exchange(app, req, reply, push);
    return rc;
}

static struct chat_job *chat_job_of(struct job *j)
{
    return (struct chat_job *)((char *)j - offsetof(struct chat_job, job));
}

/* Renders the outcome; the reply is not needed after. */
static void end_job(struct chat_job *cj, int rc)
{
    cj->end(cj, rc);
    engine_reply_free(&cj->reply);
}

/* The exchange of a begun job, alone and to the end on this thread. */
static void run_begun(struct chat_job *cj)
{
    end_job(cj, chat_exchange_run(cj->app, &cj->req, &cj->reply, cj->push, &cj->err));
}

/* A chat_job on an ordinary pool. */
static void run_alone(struct job *j)
{
    struct chat_job *cj = chat_job_of(j);
    if (cj->begin(cj))
        run_begun(cj);
}

void chat_job_submit(struct jobs *pool, struct chat_job *cj)
{
    cj->job.run = run_alone;
    jobs_submit(pool, &cj->job);
}

static void finish(struct chat_job *cj)
{
    int rc = engine_turn_finish(cj->turn, &cj->reply, &cj->err);
    cj->turn = NULL;
    if (rc == SB_OK)
        after_exchange(cj->app, &cj->req, &cj->reply, cj->push);
    end_job(cj, rc);
}

/* Begins every job of todo[0..n): those answered at once end here, those to
 * commit go to run[] (their count returned), and a resend whose first copy
 * is in this very batch goes back to todo[] for the next round. *n becomes
 * the number put back. */
static size_t begin_round(struct chat_job **todo, size_t *n, struct chat_job **run)
{
    size_t later = 0, m = 0;
    for (size_t i = 0; i < *n; i++) {
        struct chat_job *cj = todo[i];
        int rc = engine_turn_begin(cj->app->eng, &cj->req, false, &cj->turn, &cj->reply, &cj->err);
        if (rc == SB_ECONFLICT)
            todo[later++] = cj;
        else if (rc != SB_OK || !cj->turn)
            end_job(cj, rc);
        else
            run[m++] = cj;
    }
    *n = later;
    return m;
}

/* Exchanges per commit at most. SQLite keeps a commit's statement journal
 * (a savepoint per exchange, about 40 kB each) in memory, so this bounds
 * it; and 128 exchanges already share one fsync. */
#define CHAT_COMMIT_MAX 128

void chat_exchange_batch(struct job *list)
{
    size_t n = 0;
    for (struct job *j = list; j; j = j->next)
        n++;
    struct chat_job **todo = xcalloc(n, sizeof *todo), **run = xcalloc(n, sizeof *run);
    struct store_exchange_item **items = xcalloc(n, sizeof *items);
    size_t left = 0;
    for (struct job *j = list; j; j = j->next) {
        struct chat_job *cj = chat_job_of(j);
        if (cj->begin(cj))
            todo[left++] = cj;
    }
    while (left) {
        size_t before = left, m = begin_round(todo, &left, run);
        if (m == 0 && left == before) {
            /* each waits on a copy in flight on another thread: wait for it */
            for (size_t i = 0; i < left; i++)
                run_begun(todo[i]);
            break;
        }
        for (size_t i = 0; i < m; i++)
            items[i] = engine_turn_item(run[i]->turn);
        for (size_t i = 0; i < m; i += CHAT_COMMIT_MAX)
            store_run_exchanges(run[0]->app->st, items + i,
                                m - i < CHAT_COMMIT_MAX ? m - i : CHAT_COMMIT_MAX);
        for (size_t i = 0; i < m; i++)
            finish(run[i]);
    }
    free(items);
    free(run);
    free(todo);
}
