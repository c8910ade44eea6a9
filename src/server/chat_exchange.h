/* One chat exchange, the same for POST /api/chat and a WebSocket message
 * (worker thread). */
#ifndef SB_SERVER_CHAT_EXCHANGE_H
#define SB_SERVER_CHAT_EXCHANGE_H

#include "server/app.h"
#include "server/request.h"

/* Runs req through the engine (which commits it), counts it, and fills push
 * with what the customer's other connections are sent: the two stored
 * messages and the changed devices (taken out of reply), telling other
 * instances of the change. The caller renders reply->result its own way and
 * frees reply. On failure reply->result may still explain it. */
int chat_exchange_run(struct app *app, const struct engine_request *req, struct engine_reply *reply,
                      struct push_list *push, struct sb_err *err);

#endif
