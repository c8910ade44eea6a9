/* What lws 4.1 cannot parse as HTTP at all (an unknown method such as FOO or
 * TRACE) comes here as raw bytes instead of being dropped with an HTML 403:
 * it gets a JSON 501 (or 400 when it is not a request line) and is closed. */
#ifndef SB_HTTP_RAW_H
#define SB_HTTP_RAW_H

#include <libwebsockets.h>

#define HTTP_RAW_PROTOCOL "raw-fallback"

int http_raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                      size_t len);
extern const size_t http_raw_pss_size;

#endif
