/* The REST client: one request to servicebotd with libcurl, JSON in and out.
 * Failures to reach the server come back as SB_EUNAVAIL with a sentence such
 * as "cannot reach servicebotd at http://127.0.0.1:8080: connection refused". */
#ifndef SB_REST_H
#define SB_REST_H

#include <json-c/json.h>

#include "client/cli.h"
#include "common/err.h"

struct rest_response {
    long status;       /* HTTP status */
    json_object *body; /* parsed body, or NULL when it was not JSON */
};

/* method "GET", "PATCH", ...; path starts with "/api/..."; body may be NULL.
 * Uses ctx->server, ctx->token and the timeouts. Returns SB_OK when an HTTP
 * response arrived (whatever its status). */
int rest_request(const struct cli_ctx *ctx, const char *method, const char *path, json_object *body,
                 struct rest_response *out, struct sb_err *err);
/* rest_request that gives up (SB_EUNAVAIL, "cancelled") soon after
 * cancelled(ud) turns true: curl asks about once a second and on every
 * transfer event, so a worker thread can be stopped during a slow answer. */
int rest_request_cancellable(const struct cli_ctx *ctx, const char *method, const char *path,
                             json_object *body, int (*cancelled)(void *ud), void *ud,
                             struct rest_response *out, struct sb_err *err);
void rest_response_free(struct rest_response *r);

/* The exit code for a response status (403 with a denial -> CLI_DENIED, ...). */
int rest_exit_code(const struct rest_response *r);

/* Percent-encodes s as one URL path segment or query value into buf.
 * Returns 0, or -1 when it does not fit. */
int rest_escape(const char *s, char *buf, size_t n);

#endif
