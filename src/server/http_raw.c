#include "server/http_raw.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "server/server.h"

struct raw_pss {
    char method[24]; /* "" until the first bytes came */
    int status;
    bool answered;
};

const size_t http_raw_pss_size = sizeof(struct raw_pss);

/* Reads the method token of a request line ("FOO /x HTTP/1.1"); 501 for a
 * token, 400 for anything else. */
static void classify(struct raw_pss *pss, const char *in, size_t len)
{
    size_t n = 0;
    while (n < len && n + 1 < sizeof pss->method && in[n] >= 'A' && in[n] <= 'Z')
        n++;
    bool token = n > 0 && n < len && in[n] == ' ';
    memcpy(pss->method, in, token ? n : 0);
    pss->method[token ? n : 0] = '\0';
    pss->status = token ? 501 : 400;
}

static int answer(struct lws *wsi, struct raw_pss *pss)
{
    char body[256], buf[LWS_PRE + 512];
    int blen;
    if (pss->status == 501)
        blen = snprintf(body, sizeof body,
                        "{\"error\":\"the method %s is not implemented (servicebotd takes GET, "
                        "POST, PUT, PATCH, DELETE and OPTIONS)\",\"code\":\"not_implemented\"}",
                        pss->method);
    else
        blen = snprintf(body, sizeof body,
                        "{\"error\":\"not an HTTP/1.1 request line\",\"code\":\"bad_request\"}");
    int n =
        snprintf(buf + LWS_PRE, sizeof buf - LWS_PRE,
                 "HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                 "connection: close\r\n\r\n%s",
                 pss->status, pss->status == 501 ? "Not Implemented" : "Bad Request", blen, body);
    struct server *srv = lws_context_user(lws_get_context(wsi));
    metrics_http(srv->app.metrics, "unmatched", pss->method[0] ? pss->method : "OTHER", pss->status,
                 0);
    char status[8];
    snprintf(status, sizeof status, "%d", pss->status);
    log_kv(LOG_INFO, "request", "method", pss->method[0] ? pss->method : "-", "status", status,
           "reason", "not parsed as HTTP", NULL);
    pss->answered = true;
    lws_write(wsi, (unsigned char *)buf + LWS_PRE, (size_t)n, LWS_WRITE_RAW);
    return -1;
}

int http_raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                      size_t len)
{
    struct raw_pss *pss = user;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX:
        if (pss && !pss->status) {
            classify(pss, in, len);
            lws_callback_on_writable(wsi);
        }
        return 0;
    case LWS_CALLBACK_RAW_WRITEABLE:
        return pss && pss->status && !pss->answered ? answer(wsi, pss) : 0;
    default:
        return 0;
    }
}
