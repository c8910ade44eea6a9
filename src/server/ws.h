/* The WebSocket chat at /ws (doc/protocol.md): one session per connection,
 * authenticated on open, its messages run through the engine one at a time
 * on the worker pool, replies and device pushes queued and written in order. */
#ifndef SB_WS_H
#define SB_WS_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

struct server;

#define WS_PROTOCOL "chat"
#define WS_TTL_SECS (24 * 3600)
#define WS_SWEEP_MS (60 * 1000)

int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                size_t len);
extern const size_t ws_pss_size;

/* Queues a text frame to every ready session of customer_id. */
void ws_send_customer(struct server *srv, const char *customer_id, const char *frame, size_t len);
/* Whether any WebSocket of this process talks as customer_id (to skip
 * rendering what nobody here would get). */
bool ws_customer_connected(struct server *srv, const char *customer_id);
/* The same for message pushes: only to sessions that opened with
 * ?messages=1, and not to except (a struct ws_session *, or NULL). */
void ws_send_customer_messages(struct server *srv, const char *customer_id, const char *frame,
                               size_t len, const void *except);
/* Shutdown: sends what is queued, then closes every session with 1001. */
void ws_close_all(struct server *srv);
/* Starts the periodic removal of expired connection rows. */
void ws_start_sweeping(struct server *srv);

#endif
