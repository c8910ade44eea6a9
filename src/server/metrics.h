/* Prometheus metrics for servicebotd. Every function is safe to call from
 * any thread. metrics_render returns a heap string the caller frees. */
#ifndef SB_METRICS_H
#define SB_METRICS_H

#include <json-c/json.h>
#include <stddef.h>

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One answered HTTP request: route is the table's pattern ("/api/customers/{id}"). */
void metrics_http(struct metrics *m, const char *route, const char *method, int status,
                  double seconds);
/* A chat result (doc/protocol.md): its outcome, each step's action and status, its denials. */
void metrics_chat(struct metrics *m, json_object *result);
/* A denial produced outside chat (a PATCH refused by the plan). */
void metrics_denial(struct metrics *m, json_object *denial);
/* Open WebSocket connections and chat frames. */
void metrics_ws_connections(struct metrics *m, long open);
void metrics_ws_frame(struct metrics *m, const char *direction, const char *type);
/* A request refused by a token's rate limit; kind "chat" or "write". */
void metrics_rate_limited(struct metrics *m, const char *kind);

/* The exposition text (text/plain; version=0.0.4). */
char *metrics_render(struct metrics *m, size_t *len);

#endif
