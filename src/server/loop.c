#include "server/loop.h"

#include <stdlib.h>
#include <uv.h>

#include "common/xalloc.h"

struct loop {
    uv_loop_t uv;
    uv_timer_t tick;
    uv_check_t check; /* asks done() after each turn that handled events */
    void *foreign[1];
    bool (*done)(void *);
    void *arg;
};

int loop_new(struct loop **out, struct sb_err *err)
{
    struct loop *l = xcalloc(1, sizeof(*l));
    int rc = uv_loop_init(&l->uv);
    if (rc != 0) {
        free(l);
        return sb_err_set(err, SB_EINTERNAL, "cannot start the event loop: %s", uv_strerror(rc));
    }
    uv_timer_init(&l->uv, &l->tick);
    uv_check_init(&l->uv, &l->check);
    l->tick.data = l->check.data = l;
    l->foreign[0] = &l->uv;
    *out = l;
    return SB_OK;
}

void **loop_foreign(struct loop *l)
{
    return l->foreign;
}

static void ask(struct loop *l)
{
    if (l->done(l->arg))
        uv_stop(&l->uv);
}

static void on_tick(uv_timer_t *t)
{
    ask(t->data);
}

static void on_check(uv_check_t *c)
{
    ask(c->data);
}

void loop_run_until(struct loop *l, bool (*done)(void *arg), void *arg, unsigned tick_ms)
{
    l->done = done;
    l->arg = arg;
    if (done(arg))
        return;
    uv_timer_start(&l->tick, on_tick, tick_ms, tick_ms);
    uv_check_start(&l->check, on_check);
    uv_run(&l->uv, UV_RUN_DEFAULT);
    uv_timer_stop(&l->tick);
    uv_check_stop(&l->check);
}

void loop_drain(struct loop *l)
{
    uv_run(&l->uv, UV_RUN_DEFAULT);
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    uv_close((uv_handle_t *)&l->tick, NULL);
    uv_close((uv_handle_t *)&l->check, NULL);
    /* lws closes its own handles asynchronously after lws_context_destroy */
    uv_run(&l->uv, UV_RUN_DEFAULT);
    uv_loop_close(&l->uv);
    free(l);
}
