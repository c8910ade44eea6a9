/* One chat exchange, the same for POST /api/chat and a WebSocket message.
 *
 * A chat_job carries one through a pool: on an ordinary pool (DynamoDB's
 * writers) each runs alone; on the exchange pool (chat_exchange_batch,
 * where the store shares commits: SQLite) every exchange queued meanwhile
 * runs on one thread and all of them commit together, so no thread is
 * parked per exchange waiting for a commit. */
#ifndef SB_SERVER_CHAT_EXCHANGE_H
#define SB_SERVER_CHAT_EXCHANGE_H

#include "server/app.h"
#include "server/jobs.h"
#include "server/request.h"

/* Runs req through the engine (which commits it), counts it, and fills push
 * with what the customer's other connections are sent: the two stored
 * messages and the changed devices (taken out of reply), telling other
 * instances of the change. The caller renders reply->result its own way and
 * frees reply. On failure reply->result may still explain it. */
int chat_exchange_run(struct app *app, const struct engine_request *req, struct engine_reply *reply,
                      struct push_list *push, struct sb_err *err);

/* The caller embeds a chat_job in its own job and sets everything but turn;
 * job.done is the caller's (loop thread). begin and end run on the pool's
 * thread: begin checks what comes before the exchange (the token, limits)
 * and fills req, or answers on its own and returns false; end renders the
 * outcome (rc with reply or err; the reply is freed after). Both see cj
 * only. */
struct chat_job {
    struct job job;
    struct app *app;
    struct push_list *push;
    bool (*begin)(struct chat_job *cj);
    void (*end)(struct chat_job *cj, int rc);
    struct engine_request req;
    struct engine_reply reply;
    struct sb_err err;
    struct engine_turn *turn; /* the exchange pool's */
};

/* Submits cj to pool (loop thread); pool is the exchange pool or any other. */
void chat_job_submit(struct jobs *pool, struct chat_job *cj);
/* The exchange pool's run_batch (jobs_start_batched): every job on that pool
 * is a chat_job. */
void chat_exchange_batch(struct job *list);

#endif
