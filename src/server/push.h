/* Device fan-out: every change to a device is pushed as a "device" frame to
 * each open chat connection of its customer, including changes made by
 * another servicebotd sharing the store (polled every POLL_MS). Loop thread. */
#ifndef SB_PUSH_H
#define SB_PUSH_H

#include "server/request.h"

struct server;

#define PUSH_POLL_MS 500

void push_devices(struct server *srv, const struct push_list *p);
/* Starts the periodic poll for other instances' change notices. */
void push_start_polling(struct server *srv);

#endif
