/* Device fan-out: every change to a device is pushed as a "device" frame to
 * each open chat connection of its customer, including changes made by
 * another servicebotd sharing the store (polled every POLL_MS). Loop thread. */
#ifndef SB_PUSH_H
#define SB_PUSH_H

#include "server/request.h"

struct server;

#define PUSH_POLL_MS 500

/* Sends p's device frames, then its message frames, to the customer's
 * connections (loop thread). */
void push_devices(struct server *srv, const struct push_list *p);
/* Adds an answered exchange (a chat result: inReplyTo is the user's
 * message id, messageId the bot's) to p as the two stored message records,
 * pushed as "message" frames to the customer's other connections (all but
 * except), so that `servicebot history --follow` and other windows see the
 * conversation. A resend ("duplicate": true) adds nothing. Worker thread:
 * it reads the store. */
void push_add_exchange(struct store *st, struct push_list *p, const char *customer_id,
                       json_object *result, const void *except);
/* Starts the periodic poll for other instances' change notices. */
void push_start_polling(struct server *srv);

#endif
