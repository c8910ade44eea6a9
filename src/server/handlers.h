/* REST handlers, one per route of routes.c. They run on worker threads
 * (except healthz and metrics), see only rq->app (app.h), read rq and fill
 * rs; the route table has already checked the token and parsed the body
 * into rq->json. */
#ifndef SB_HANDLERS_H
#define SB_HANDLERS_H

#include "server/request.h"
#include "server/routes.h"

void handle_customers_list(struct request *rq, struct response *rs);
void handle_customer_get(struct request *rq, struct response *rs);
void handle_customer_put(struct request *rq, struct response *rs);
void handle_customer_delete(struct request *rq, struct response *rs);

void handle_devices_list(struct request *rq, struct response *rs);
void handle_device_add(struct request *rq, struct response *rs);
void handle_device_patch(struct request *rq, struct response *rs);
void handle_device_delete(struct request *rq, struct response *rs);

void handle_routines_list(struct request *rq, struct response *rs);
void handle_routine_get(struct request *rq, struct response *rs);
void handle_routine_put(struct request *rq, struct response *rs);
void handle_routine_delete(struct request *rq, struct response *rs);
void handle_routine_run(struct request *rq, struct response *rs);
void handle_timezone_put(struct request *rq, struct response *rs);

void handle_capabilities(struct request *rq, struct response *rs);
void handle_levels_list(struct request *rq, struct response *rs);
void handle_level_get(struct request *rq, struct response *rs);
void handle_level_put(struct request *rq, struct response *rs);

/* POST /api/chat: a chat exchange, in the halves a chat route has */
extern const struct route_chat handle_chat;
void handle_history(struct request *rq, struct response *rs);

void handle_healthz(struct request *rq, struct response *rs);
void handle_metrics(struct request *rq, struct response *rs);

/* Wraps one record under a name: {"name": o}; takes the reference to o. */
json_object *handlers_wrap(const char *name, json_object *o);
/* An engine failure as an error body: 400 with the result's "fields", 403
 * "denied" with its "denial", 422 "tier_limit" with its "limit", or the
 * plain mapping of err. result may be NULL. */
void handlers_engine_error(struct response *rs, int rc, const struct sb_err *err,
                           json_object *result);
/* Queues devices for the WebSocket push and tells other instances. */
void handlers_changed(struct request *rq, struct response *rs, const char *customer_id,
                      struct device *devices, size_t n, bool removed);

#endif
