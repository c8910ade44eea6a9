#include <string.h>

#include "server/handlers.h"
#include "server/app.h"
#include "common/xalloc.h"

void handle_capabilities(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct capability *caps = NULL;
    struct service_level *levels = NULL;
    size_t n_caps = 0, n_levels = 0;
    if (store_list_capabilities(rq->app->st, &caps, &n_caps, &err) != SB_OK ||
        store_list_levels(rq->app->st, &levels, &n_levels, &err) != SB_OK) {
        response_from_err(rs, &err);
        goto out;
    }
    json_object *list = xjson(json_object_new_array());
    for (size_t i = 0; i < n_caps; i++) {
        json_object *o = capability_to_json(&caps[i]);
        /* One boolean per level, whatever the levels are called. */
        for (size_t l = 0; l < n_levels; l++)
            xjson_add(o, levels[l].level,
                      xjson(json_object_new_boolean(
                          strlist_contains(&levels[l].allowed_actions, caps[i].action))));
        xjson_push(list, o);
    }
    response_json(rs, 200, handlers_wrap("capabilities", list));
out:
    capabilities_free(caps, n_caps);
    service_levels_free(levels, n_levels);
}

void handle_levels_list(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct service_level *levels = NULL;
    size_t n = 0;
    if (store_list_levels(rq->app->st, &levels, &n, &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    json_object *list = xjson(json_object_new_array());
    for (size_t i = 0; i < n; i++)
        xjson_push(list, service_level_to_json(&levels[i]));
    response_json(rs, 200, handlers_wrap("service_levels", list));
    service_levels_free(levels, n);
}

void handle_level_get(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct service_level l = {0};
    if (store_get_level(rq->app->st, rq->params[0], &l, &err) != SB_OK) {
        response_from_err(rs, &err);
        return;
    }
    response_json(rs, 200, handlers_wrap("service_level", service_level_to_json(&l)));
    service_level_free(&l);
}

void handle_level_put(struct request *rq, struct response *rs)
{
    struct sb_err err = {0};
    struct model_problems problems = {0};
    struct service_level l = {0}, old = {0};
    if (!json_object_object_get_ex(rq->json, "level", NULL))
        xjson_add(rq->json, "level", xjson(json_object_new_string(rq->params[0])));
    if (service_level_from_json(rq->json, "", &problems, &l) == SB_OK &&
        strcmp(l.level, rq->params[0]) != 0)
        model_problems_add(&problems, "level", "must match the level in the path (%s)",
                           rq->params[0]);
    if (problems.len) {
        response_problems(rs, &problems);
        goto out;
    }
    int rc = store_get_level(rq->app->st, l.level, &old, &err);
    if ((rc != SB_OK && rc != SB_ENOTFOUND) || store_put_level(rq->app->st, &l, &err) != SB_OK) {
        response_from_err(rs, &err);
        goto out;
    }
    response_json(rs, rc == SB_OK ? 200 : 201,
                  handlers_wrap("service_level", service_level_to_json(&l)));
out:
    model_problems_free(&problems);
    service_level_free(&old);
    service_level_free(&l);
}
