#include "server/loop.h"

#include <ev.h>
#include <stdlib.h>

#include "common/xalloc.h"

struct loop {
    struct ev_loop *ev;
    ev_timer tick;
    ev_check check;     /* asks done() after each turn that handled events */
    ev_prepare prepare; /* before_wait(), before the loop blocks */
    void (*before_wait)(void *);
    void *before_arg;
    void *foreign[1];
    bool (*done)(void *);
    void *arg;
};

int loop_new(struct loop **out, struct sb_err *err)
{
    struct loop *l = xcalloc(1, sizeof(*l));
    /* A loop of our own, not libev's default one, which would take SIGCHLD. */
    l->ev = ev_loop_new(EVBACKEND_EPOLL);
    if (!l->ev) {
        free(l);
        return sb_err_set(err, SB_EINTERNAL, "cannot start the event loop (libev, epoll)");
    }
    ev_init(&l->tick, NULL);
    ev_init(&l->check, NULL);
    ev_init(&l->prepare, NULL);
    l->tick.data = l->check.data = l->prepare.data = l;
    l->foreign[0] = l->ev;
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
        ev_break(l->ev, EVBREAK_ALL);
}

static void on_tick(struct ev_loop *ev, ev_timer *t, int revents)
{
    (void)ev;
    (void)revents;
    ask(t->data);
}

static void on_check(struct ev_loop *ev, ev_check *c, int revents)
{
    (void)ev;
    (void)revents;
    ask(c->data);
}

static void on_prepare(struct ev_loop *ev, ev_prepare *p, int revents)
{
    struct loop *l = p->data;
    (void)ev;
    (void)revents;
    if (l->before_wait)
        l->before_wait(l->before_arg);
}

void loop_before_wait(struct loop *l, void (*fn)(void *arg), void *arg)
{
    l->before_wait = fn;
    l->before_arg = arg;
    if (ev_is_active(&l->prepare))
        return;
    ev_prepare_init(&l->prepare, on_prepare);
    ev_prepare_start(l->ev, &l->prepare);
}

void loop_run_until(struct loop *l, bool (*done)(void *arg), void *arg, unsigned tick_ms)
{
    l->done = done;
    l->arg = arg;
    if (done(arg))
        return;
    ev_timer_init(&l->tick, on_tick, tick_ms / 1000.0, tick_ms / 1000.0);
    ev_check_init(&l->check, on_check);
    ev_timer_start(l->ev, &l->tick);
    ev_check_start(l->ev, &l->check);
    ev_run(l->ev, 0);
    ev_timer_stop(l->ev, &l->tick);
    ev_check_stop(l->ev, &l->check);
}

void loop_drain(struct loop *l)
{
    /* lws's libev plugin stops its watchers inside lws_context_destroy;
     * one turn without waiting runs whatever is still pending. */
    ev_run(l->ev, EVRUN_NOWAIT);
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    ev_run(l->ev, EVRUN_NOWAIT);
    if (ev_is_active(&l->prepare))
        ev_prepare_stop(l->ev, &l->prepare);
    ev_loop_destroy(l->ev);
    free(l);
}
