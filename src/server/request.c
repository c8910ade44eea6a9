#include "server/request.h"

#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "common/validate.h"

const char *http_method_name(enum http_method method)
{
    static const char *const names[] = {
        [HTTP_GET] = "GET",     [HTTP_POST] = "POST",     [HTTP_PUT] = "PUT",
        [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE", [HTTP_OPTIONS] = "OPTIONS",
        [HTTP_OTHER] = "OTHER",
    };
    if ((int)method < 0 || method > HTTP_OTHER)
        return "OTHER";
    return names[method];
}

const char *request_query(const struct request *rq, const char *name)
{
    for (size_t i = 0; i < rq->n_query; i++)
        if (strcmp(rq->query[i].name, name) == 0)
            return rq->query[i].value;
    return NULL;
}

void request_free(struct request *rq)
{
    free(rq->path);
    for (size_t i = 0; i < REQUEST_MAX_PARAMS; i++)
        free(rq->params[i]);
    for (size_t i = 0; i < rq->n_query; i++) {
        free(rq->query[i].name);
        free(rq->query[i].value);
    }
    free(rq->token);
    free(rq->body);
    if (rq->json)
        json_object_put(rq->json);
    auth_identity_free(&rq->who);
    memset(rq, 0, sizeof(*rq));
}

char *response_take_text(json_object *o, size_t *len)
{
    const char *s = jsonx_string(o, len);
    char *copy = xmalloc(*len + 1);
    memcpy(copy, s, *len + 1);
    json_object_put(o);
    return copy;
}

void response_json(struct response *rs, int status, json_object *o)
{
    free(rs->body);
    rs->body = response_take_text(o, &rs->len);
    rs->status = status;
}

void response_text(struct response *rs, int status, const char *text, size_t len)
{
    free(rs->body);
    rs->body = xmalloc(len + 1);
    memcpy(rs->body, text, len);
    rs->body[len] = '\0';
    rs->len = len;
    rs->status = status;
}

void response_error(struct response *rs, int status, const char *code, const char *msg,
                    const char *extra_key, json_object *extra)
{
    /* a sentence may quote what the client sent: the answer stays UTF-8 */
    char *text = xstrdup(msg);
    validate_scrub(text);
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "error", xjson(json_object_new_string(text)));
    free(text);
    xjson_add(o, "code", xjson(json_object_new_string(code)));
    if (extra_key)
        xjson_add(o, extra_key, extra);
    response_json(rs, status, o);
}

int response_status_for(int code)
{
    switch (code) {
    case SB_EINVAL:
        return 400;
    case SB_EAUTH:
        return 401;
    case SB_EDENIED:
        return 403;
    case SB_ENOTFOUND:
        return 404;
    case SB_ECONFLICT:
        return 409;
    case SB_ELIMIT:
        return 422;
    case SB_EUNAVAIL:
        return 503;
    default:
        return 500;
    }
}

void response_from_err(struct response *rs, const struct sb_err *err)
{
    int status = response_status_for(err->code);
    /* internal errors say no more than that, except a record that cannot be read */
    const char *code =
        status == 500 && err->code != SB_ECORRUPT ? "internal" : sb_status_name(err->code);
    response_error(rs, status, code, err->msg[0] ? err->msg : "internal error", NULL, NULL);
    if (status == 503)
        rs->retry_after = RESPONSE_RETRY_AFTER;
}

void response_problems(struct response *rs, const struct model_problems *p)
{
    struct sb_err err = {0};
    model_problems_to_err(p, &err);
    response_error(rs, 400, "bad_request", err.msg, "fields", model_problems_to_json(p));
}

void response_push(struct response *rs, const char *customer_id, struct device *devices, size_t n,
                   bool removed)
{
    push_list_add(&rs->push, customer_id, devices, n, removed);
}

void push_list_add(struct push_list *p, const char *customer_id, struct device *devices, size_t n,
                   bool removed)
{
    if (n == 0)
        return;
    struct device *all = xrealloc(p->devices, (p->n + n) * sizeof(*all));
    memcpy(all + p->n, devices, n * sizeof(*all));
    memset(devices, 0, n * sizeof(*devices));
    p->devices = all;
    p->n += n;
    p->removed = removed;
    if (!p->customer_id)
        p->customer_id = xstrdup(customer_id);
}

void push_list_free(struct push_list *p)
{
    free(p->customer_id);
    for (size_t i = 0; i < p->n; i++)
        device_free(&p->devices[i]);
    free(p->devices);
    if (p->messages)
        json_object_put(p->messages);
    memset(p, 0, sizeof(*p));
}

void response_free(struct response *rs)
{
    free(rs->body);
    push_list_free(&rs->push);
    memset(rs, 0, sizeof(*rs));
}
