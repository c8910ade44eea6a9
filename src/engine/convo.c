/* A conversation's memory and its stored JSON form. */
#include "engine/convo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"

static void copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

void convo_parse(const char *text, struct convo *out)
{
    json_object *o = NULL, *l, *v;
    struct sb_err ignored;
    memset(out, 0, sizeof *out);
    if (!text || jsonx_parse(text, strlen(text), &o, &ignored) != SB_OK ||
        !json_object_is_type(o, json_type_object))
        goto out;
    l = json_object_object_get(o, "devices");
    for (size_t i = 0; json_object_is_type(l, json_type_array) && i < json_object_array_length(l) &&
                       out->n_devices < RESOLVE_MAX;
         i++) {
        const char *id = json_object_get_string(json_object_array_get_idx(l, i));
        if (id && *id)
            copy_str(out->devices[out->n_devices++], MODEL_ID_MAX, id);
    }
    if ((v = json_object_object_get(o, "movedFrom"))) {
        copy_str(out->moved_device, sizeof out->moved_device, jsonx_get_string(v, "device"));
        copy_str(out->moved_from, sizeof out->moved_from, jsonx_get_string(v, "room"));
    }
    if ((v = json_object_object_get(o, "pending"))) {
        const char *req = jsonx_get_string(v, "request");
        int64_t steps = json_object_get_int64(json_object_object_get(v, "steps"));
        if (req && steps > 0)
            convo_set_pending(out, (unsigned long)steps, req);
    }
    l = json_object_object_get(o, "changed");
    for (size_t i = 0; json_object_is_type(l, json_type_array) && i < json_object_array_length(l) &&
                       out->n_changed < RESOLVE_MAX;
         i++) {
        json_object *ch = json_object_array_get_idx(l, i), *vol;
        const char *id = jsonx_get_string(ch, "device");
        struct convo_change *to = &out->changed[out->n_changed];
        if (!id || !*id)
            continue;
        copy_str(to->device, sizeof to->device, id);
        to->on = json_object_get_boolean(json_object_object_get(ch, "on"));
        vol = json_object_object_get(ch, "volume");
        to->volume = json_object_is_type(vol, json_type_int) ? json_object_get_int(vol) : -1;
        if (to->volume > 100)
            to->volume = -1;
        out->n_changed++;
    }
    copy_str(out->last_action, sizeof out->last_action, jsonx_get_string(o, "lastAction"));
    convo_set_last(out, jsonx_get_string(o, "lastRequest"));
    convo_set_pending_routine(out, jsonx_get_string(o, "pendingRoutine"));
out:
    json_object_put(o);
}

char *convo_text(const struct convo *c)
{
    json_object *o = xjson(json_object_new_object()), *l = xjson(json_object_new_array());
    for (size_t i = 0; i < c->n_devices; i++)
        xjson_push(l, xjson(json_object_new_string(c->devices[i])));
    xjson_add_lit(o, "devices", l);
    if (c->moved_device[0]) {
        json_object *m = xjson(json_object_new_object());
        xjson_add_lit(m, "device", xjson(json_object_new_string(c->moved_device)));
        xjson_add_lit(m, "room", xjson(json_object_new_string(c->moved_from)));
        xjson_add_lit(o, "movedFrom", m);
    }
    if (c->pending_steps && c->pending) {
        json_object *p = xjson(json_object_new_object());
        xjson_add_lit(p, "steps", xjson(json_object_new_int64((int64_t)c->pending_steps)));
        xjson_add_lit(p, "request", xjson(json_object_new_string(c->pending)));
        xjson_add_lit(o, "pending", p);
    }
    if (c->n_changed) {
        json_object *l2 = xjson(json_object_new_array());
        for (size_t i = 0; i < c->n_changed; i++) {
            json_object *ch = xjson(json_object_new_object());
            xjson_add_lit(ch, "device", xjson(json_object_new_string(c->changed[i].device)));
            xjson_add_lit(ch, "on", xjson(json_object_new_boolean(c->changed[i].on)));
            if (c->changed[i].volume >= 0)
                xjson_add_lit(ch, "volume", xjson(json_object_new_int(c->changed[i].volume)));
            xjson_push(l2, ch);
        }
        xjson_add_lit(o, "changed", l2);
    }
    if (c->last_action[0])
        xjson_add_lit(o, "lastAction", xjson(json_object_new_string(c->last_action)));
    if (c->last_request)
        xjson_add_lit(o, "lastRequest", xjson(json_object_new_string(c->last_request)));
    if (c->pending_routine)
        xjson_add_lit(o, "pendingRoutine", xjson(json_object_new_string(c->pending_routine)));
    char *copy = xstrdup(jsonx_string(o, NULL));
    json_object_put(o);
    return copy;
}

void convo_set_devices(struct convo *c, char *const *ids, size_t n)
{
    c->n_devices = 0;
    for (size_t i = 0; i < n && c->n_devices < RESOLVE_MAX; i++)
        copy_str(c->devices[c->n_devices++], MODEL_ID_MAX, ids[i]);
}

void convo_set_pending(struct convo *c, unsigned long steps, const char *request)
{
    free(c->pending);
    c->pending = NULL;
    c->pending_steps = 0;
    if (steps && request) {
        c->pending = xstrdup(request);
        c->pending_steps = steps;
    }
}

/* Replaces *slot with a copy of text (NULL or empty: none). */
static void set_text(char **slot, const char *text)
{
    char *copy = text && *text ? xstrdup(text) : NULL;
    free(*slot);
    *slot = copy;
}

void convo_set_last(struct convo *c, const char *request)
{
    set_text(&c->last_request, request);
}

void convo_set_pending_routine(struct convo *c, const char *request)
{
    set_text(&c->pending_routine, request);
}

void convo_free(struct convo *c)
{
    free(c->pending);
    free(c->last_request);
    free(c->pending_routine);
    memset(c, 0, sizeof *c);
}
