/* REST requests off the chat's event loop: one worker thread runs GETs in
 * the order they were asked for, and hands each answer back on the loop's
 * thread (chat_fetch_drain, called when chat_fetch_fd is readable: the loop
 * watches it like the keyboard). So typing, scrolling and the reconnect
 * countdown go on while the server is slow to answer a history request.
 *
 * Ownership: the result passed to a done callback is borrowed for the call
 * (take a reference on its body to keep it). */
#ifndef SB_CHAT_FETCH_H
#define SB_CHAT_FETCH_H

#include <json-c/json.h>
#include <stddef.h>

#include "client/cli.h"
#include "common/err.h"

struct chat_fetch;

struct chat_fetch_result {
    json_object *body; /* the parsed body when the server answered 200, else NULL */
    long status;       /* the HTTP status, 0 when no answer arrived */
    const char *error; /* why there is no body: a sentence for the pane */
    const void *arg;   /* the copy of arg given to chat_fetch_get */
};

typedef void (*chat_fetch_done)(void *ud, const struct chat_fetch_result *r);

/* cli must outlive the fetcher (the worker reads its server and token). */
int chat_fetch_new(const struct cli_ctx *cli, struct chat_fetch **out, struct sb_err *err);
/* Cancels what is in flight, waits for the worker (about a second at most)
 * and drops answers not yet drained: their callbacks are not called. */
void chat_fetch_free(struct chat_fetch *f);
/* The descriptor that becomes readable when answers are waiting. */
int chat_fetch_fd(const struct chat_fetch *f);
/* The caller's loop now owns that descriptor and closes it (libwebsockets
 * closes the descriptors it watches); chat_fetch_free leaves it alone. */
void chat_fetch_fd_adopted(struct chat_fetch *f);
/* Queues GET path (starting with /api/); arg_len bytes at arg are copied
 * and handed to done with the answer (what the request was for). */
void chat_fetch_get(struct chat_fetch *f, const char *path, chat_fetch_done done, void *ud,
                    const void *arg, size_t arg_len);
/* Calls the done callback of every answer that arrived, in order. */
void chat_fetch_drain(struct chat_fetch *f);
/* Requests asked for and not yet drained. */
size_t chat_fetch_busy(const struct chat_fetch *f);

#endif
