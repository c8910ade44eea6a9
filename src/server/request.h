/* One REST request as the handlers see it, and the response they fill.
 * Both are plain data: handlers run on worker threads and never touch lws.
 * Ownership: every pointer inside belongs to its struct and is released by
 * request_free / response_free. */
#ifndef SB_REQUEST_H
#define SB_REQUEST_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "common/model.h"
#include "server/auth.h"

enum http_method {
    HTTP_GET,
    HTTP_POST,
    HTTP_PUT,
    HTTP_PATCH,
    HTTP_DELETE,
    HTTP_OPTIONS,
    HTTP_OTHER,
};
const char *http_method_name(enum http_method method);

#define REQUEST_MAX_PARAMS 2
#define REQUEST_MAX_QUERY  8

struct app;
struct route;

struct request {
    struct app *app;
    enum http_method method;
    const struct route *route;
    char *path;
    char *params[REQUEST_MAX_PARAMS]; /* {id}, {deviceId} ... in pattern order */
    struct {
        char *name, *value;
    } query[REQUEST_MAX_QUERY];
    size_t n_query;
    char *token;
    char *body;
    size_t body_len;
    json_object *json; /* the parsed body, for routes that take one */
    struct auth_identity who;
};

/* Devices to push to the customer's WebSocket connections once answered. */
struct push_list {
    char *customer_id;
    struct device *devices;
    size_t n;
    bool removed;
    json_object *messages; /* the exchange's stored messages, or NULL (push.h) */
    const void *except;    /* the WebSocket session that sent them, which gets a reply instead */
};
/* Moves n devices into p (the array's entries are left zeroed). */
void push_list_add(struct push_list *p, const char *customer_id, struct device *devices, size_t n,
                   bool removed);
void push_list_free(struct push_list *p);

struct response {
    int status;
    char *body;
    size_t len;
    const char *content_type; /* NULL: application/json */
    char allow[80];           /* for 405 and preflight */
    bool close;               /* close the connection after answering */
    int retry_after;          /* > 0: a Retry-After header, in seconds */
    struct push_list push;
};

/* The value of query argument name, or NULL. */
const char *request_query(const struct request *rq, const char *name);
void request_free(struct request *rq);

/* o serialised into a new heap string (length in *len); takes the reference
 * to o. */
char *response_take_text(json_object *o, size_t *len);
/* Sets a JSON body; takes the reference to o. */
void response_json(struct response *rs, int status, json_object *o);
/* Sets a copy of len bytes of JSON text as the body. */
void response_text(struct response *rs, int status, const char *text, size_t len);
/* An error body {"error","code"} plus, when extra_key is set, one more member
 * (fields, denial, limit) whose reference is taken. */
void response_error(struct response *rs, int status, const char *code, const char *msg,
                    const char *extra_key, json_object *extra);
/* The Retry-After of a 503 when the store is unavailable. */
#define RESPONSE_RETRY_AFTER 5
/* An error body from a status: SB_ENOTFOUND -> 404 not_found, ...;
 * SB_EUNAVAIL is 503 with Retry-After. */
void response_from_err(struct response *rs, const struct sb_err *err);
/* 400 naming each bad field. */
void response_problems(struct response *rs, const struct model_problems *p);
/* Moves devices into the response's push list (they are left empty). */
void response_push(struct response *rs, const char *customer_id, struct device *devices, size_t n,
                   bool removed);
void response_free(struct response *rs);
/* The HTTP status for an sb_status. */
int response_status_for(int code);

#endif
