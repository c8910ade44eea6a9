/* servicebotd's event loop: libev (epoll) under libwebsockets, so that the
 * cost of a turn does not grow with the number of idle connections (lws's
 * own loop polls every descriptor on every turn). libev rather than libuv:
 * lws 4.1's libuv backend restarts a poll watcher on every change of a
 * descriptor's events (about ten epoll_ctl calls per HTTP request), libev
 * applies the changes once per turn (two); bench/README.md has figures.
 *
 * The loop is created before the lws context (which it is handed as a
 * foreign loop) and freed after lws_context_destroy. */
#ifndef SB_SERVER_LOOP_H
#define SB_SERVER_LOOP_H

#include <stdbool.h>

#include "common/err.h"

struct loop;

int loop_new(struct loop **out, struct sb_err *err);
/* For lws_context_creation_info.foreign_loops: valid while the loop lives. */
void **loop_foreign(struct loop *l);
/* Runs the loop until done(arg) is true; done is asked after every event
 * and at least every tick_ms, so a flag a signal handler sets is seen. */
void loop_run_until(struct loop *l, bool (*done)(void *arg), void *arg, unsigned tick_ms);
/* Calls fn(arg) on every turn, once its events are handled and before the
 * loop waits for more (the place to hand over what the turn collected). */
void loop_before_wait(struct loop *l, void (*fn)(void *arg), void *arg);
/* Runs the loop until nothing is left to do in it: after
 * lws_context_destroy, lets lws close its handles. */
void loop_drain(struct loop *l);
/* Call after lws_context_destroy: lets lws close its handles, then frees. */
void loop_free(struct loop *l);

#endif
