/* The REST side of the lws context: the "http" protocol that receives every
 * plain HTTP request, checks it against the route table, hands it to a
 * worker and writes the answer when the worker is done. */
#ifndef SB_HTTP_H
#define SB_HTTP_H

#include <libwebsockets.h>

struct http_pss;

/* The lws callback and per-connection size for protocols[0]. */
int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len);
extern const size_t http_pss_size;

#endif
