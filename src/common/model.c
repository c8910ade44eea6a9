/* Record lifetimes (free, copy) and small facts about devices. */
#include "common/model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/validate.h"
#include "common/xalloc.h"

void strlist_free(struct strlist *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = 0;
}

int strlist_push(struct strlist *l, const char *s)
{
    l->items = xrealloc(l->items, (l->len + 1) * sizeof(*l->items));
    l->items[l->len++] = xstrdup(s);
    return SB_OK;
}

int strlist_copy(struct strlist *dst, const struct strlist *src)
{
    memset(dst, 0, sizeof(*dst));
    if (!src->len)
        return SB_OK;
    /* the array at once, not a realloc per item: every cached read copies
     * each device's lists */
    dst->items = xmalloc(src->len * sizeof(*dst->items));
    for (; dst->len < src->len; dst->len++)
        dst->items[dst->len] = xstrdup(src->items[dst->len]);
    return SB_OK;
}

bool strlist_contains(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

void device_free(struct device *d)
{
    free(d->id);
    free(d->type);
    free(d->name);
    free(d->location);
    free(d->current_song);
    free(d->last_updated);
    strlist_free(&d->capabilities);
    strlist_free(&d->playlist);
    memset(d, 0, sizeof(*d));
}

void customer_free(struct customer *c)
{
    for (size_t i = 0; i < c->n_devices; i++)
        device_free(&c->devices[i]);
    free(c->devices);
    free(c->id);
    free(c->name);
    free(c->service_level);
    free(c->timezone);
    routines_free(c->routines, c->n_routines);
    memset(c, 0, sizeof(*c));
}

void service_level_free(struct service_level *l)
{
    free(l->level);
    free(l->name);
    free(l->description);
    strlist_free(&l->allowed_actions);
    memset(l, 0, sizeof(*l));
}

void capability_free(struct capability *c)
{
    free(c->id);
    free(c->action);
    free(c->name);
    free(c->description);
    free(c->category);
    memset(c, 0, sizeof(*c));
}

void message_free(struct message *m)
{
    free(m->id);
    free(m->conversation_id);
    free(m->user_id);
    free(m->text);
    free(m->sender);
    free(m->timestamp);
    memset(m, 0, sizeof(*m));
}

bool message_request_id(const char *reply_id, char *buf, size_t n)
{
    const size_t pre = sizeof MESSAGE_REPLY_PREFIX - 1;
    if (strncmp(reply_id, MESSAGE_REPLY_PREFIX, pre) != 0 || !reply_id[pre])
        return false;
    int len = snprintf(buf, n, MESSAGE_REQUEST_PREFIX "%s", reply_id + pre);
    return len > 0 && (size_t)len < n;
}

void connection_free(struct connection *c)
{
    free(c->connection_id);
    free(c->user_id);
    free(c->connection_time);
    free(c->instance);
    memset(c, 0, sizeof(*c));
}

#define ARRAY_FREE(fn, type, one)                                                                  \
    void fn(type *a, size_t n)                                                                     \
    {                                                                                              \
        for (size_t i = 0; a && i < n; i++)                                                        \
            one(&a[i]);                                                                            \
        free(a);                                                                                   \
    }
ARRAY_FREE(customers_free, struct customer, customer_free)
ARRAY_FREE(service_levels_free, struct service_level, service_level_free)
ARRAY_FREE(capabilities_free, struct capability, capability_free)
ARRAY_FREE(messages_free, struct message, message_free)
ARRAY_FREE(connections_free, struct connection, connection_free)

void dataset_free(struct dataset *d)
{
    service_levels_free(d->levels, d->n_levels);
    capabilities_free(d->capabilities, d->n_capabilities);
    customers_free(d->customers, d->n_customers);
    memset(d, 0, sizeof(*d));
}

/* strdup that keeps NULL as NULL. */
static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

int device_copy(struct device *dst, const struct device *src)
{
    *dst = *src;
    dst->id = dup_or_null(src->id);
    dst->type = dup_or_null(src->type);
    dst->name = dup_or_null(src->name);
    dst->location = dup_or_null(src->location);
    dst->current_song = dup_or_null(src->current_song);
    dst->last_updated = dup_or_null(src->last_updated);
    strlist_copy(&dst->capabilities, &src->capabilities);
    strlist_copy(&dst->playlist, &src->playlist);
    return SB_OK;
}

int customer_copy(struct customer *dst, const struct customer *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->version = src->version;
    dst->id = dup_or_null(src->id);
    dst->name = dup_or_null(src->name);
    dst->service_level = dup_or_null(src->service_level);
    if (src->n_devices)
        dst->devices = xcalloc(src->n_devices, sizeof(*dst->devices));
    for (size_t i = 0; i < src->n_devices; i++)
        device_copy(&dst->devices[i], &src->devices[i]);
    dst->n_devices = src->n_devices;
    dst->timezone = dup_or_null(src->timezone);
    if (src->n_routines)
        dst->routines = xcalloc(src->n_routines, sizeof(*dst->routines));
    for (size_t i = 0; i < src->n_routines; i++)
        routine_copy(&dst->routines[i], &src->routines[i]);
    dst->n_routines = src->n_routines;
    return SB_OK;
}

int service_level_copy(struct service_level *dst, const struct service_level *src)
{
    *dst = *src;
    dst->level = dup_or_null(src->level);
    dst->name = dup_or_null(src->name);
    dst->description = dup_or_null(src->description);
    strlist_copy(&dst->allowed_actions, &src->allowed_actions);
    return SB_OK;
}

int capability_copy(struct capability *dst, const struct capability *src)
{
    dst->id = dup_or_null(src->id);
    dst->action = dup_or_null(src->action);
    dst->name = dup_or_null(src->name);
    dst->description = dup_or_null(src->description);
    dst->category = dup_or_null(src->category);
    return SB_OK;
}

/* Capability names and the seed's aliases for them: {name, canonical}. */
static const char *const capability_names[][2] = {
    {"power", "power"},
    {"volume_control", "volume_control"},
    {"volume", "volume_control"},
    {"music_playback", "music_playback"},
    {"song_control", "music_playback"},
};
#define N_CAPABILITY_NAMES (sizeof(capability_names) / sizeof(capability_names[0]))

const char *model_capability_canonical(const char *name)
{
    for (size_t i = 0; i < N_CAPABILITY_NAMES; i++)
        if (strcmp(name, capability_names[i][0]) == 0)
            return capability_names[i][1];
    return NULL;
}

void model_capability_list(char *buf, size_t n)
{
    size_t o = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < N_CAPABILITY_NAMES && o < n; i++)
        if (strcmp(capability_names[i][0], capability_names[i][1]) == 0)
            o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? ", " : "", capability_names[i][0]);
}

/* Lower-cases a record's type into buf. */
static void lower_type(const char *type, char *buf, size_t n)
{
    size_t i;
    for (i = 0; type && type[i] && i + 1 < n; i++)
        buf[i] = (char)tolower((unsigned char)type[i]);
    buf[i] = '\0';
}

bool model_type_is(const char *key, const char *device_type)
{
    char lower[MODEL_NAME_MAX];
    lower_type(device_type, lower, sizeof(lower));
    for (size_t i = 0; i < model_n_types; i++)
        if (strcmp(model_types[i].key, key) == 0 && strstr(lower, model_types[i].frag))
            return true;
    return false;
}

/* Whether word occurs in the space-separated list. */
static bool in_words(const char *list, const char *word)
{
    size_t l = strlen(word);
    for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
        if ((p == list || p[-1] == ' ') && (p[l] == '\0' || p[l] == ' '))
            return true;
    return false;
}

/* What a device without a capabilities list can do: what its type allows. */
static bool type_can(const char *type, const char *want)
{
    char lower[MODEL_NAME_MAX];
    lower_type(type, lower, sizeof(lower));
    for (size_t i = 0; i < model_n_types; i++)
        if (strstr(lower, model_types[i].frag) && in_words(model_types[i].can, want))
            return true;
    return false;
}

bool model_device_can(const struct device *d, const char *capability)
{
    const char *want = model_capability_canonical(capability);
    if (!want)
        return false;
    if (d->has_capabilities) {
        /* A device that lists capabilities can always be powered: power is implied. */
        if (strcmp(want, "power") == 0)
            return true;
        for (size_t i = 0; i < d->capabilities.len; i++) {
            const char *have = model_capability_canonical(d->capabilities.items[i]);
            if (have && strcmp(have, want) == 0)
                return true;
        }
        return false;
    }
    return strcmp(want, "power") == 0 || type_can(d->type, want);
}

void model_device_display_name(const struct device *d, char *buf, size_t n)
{
    if (d->name && *d->name) {
        snprintf(buf, n, "%s", d->name);
        return;
    }
    /* "living_room" + "SmartSpeaker" -> "Living Room Speaker" */
    char room[MODEL_NAME_MAX] = "";
    size_t r = 0;
    int up = 1;
    for (const char *p = d->location ? d->location : ""; *p && r + 1 < sizeof(room); p++) {
        char c = *p == '_' ? ' ' : *p;
        room[r++] = up ? (char)toupper((unsigned char)c) : c;
        up = c == ' ';
    }
    room[r] = '\0';
    const char *type = d->type ? d->type : "Device";
    if (strncmp(type, "Smart", 5) == 0 && type[5])
        type += 5;
    snprintf(buf, n, "%s%s%s", room, *room ? " " : "", type);
}

struct device *customer_find_device(const struct customer *c, const char *device_id)
{
    for (size_t i = 0; i < c->n_devices; i++)
        if (c->devices[i].id && strcmp(c->devices[i].id, device_id) == 0)
            return &c->devices[i];
    return NULL;
}

void model_problems_add(struct model_problems *p, const char *field, const char *fmt, ...)
{
    p->items = xrealloc(p->items, (p->len + 1) * sizeof(*p->items));
    struct model_problem *m = &p->items[p->len++];
    snprintf(m->field, sizeof(m->field), "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->problem, sizeof(m->problem), fmt, ap);
    va_end(ap);
    /* problems quote input and are cut to size: keep them UTF-8 */
    validate_scrub(m->field);
    validate_scrub(m->problem);
}

int model_problems_to_err(const struct model_problems *p, struct sb_err *err)
{
    if (!err)
        return SB_EINVAL;
    err->code = SB_EINVAL;
    size_t len = 0;
    err->msg[0] = '\0';
    for (size_t i = 0; i < p->len && len < sizeof(err->msg); i++)
        len += (size_t)snprintf(err->msg + len, sizeof(err->msg) - len, "%s%s: %s", i ? "; " : "",
                                p->items[i].field, p->items[i].problem);
    if (p->len == 0)
        snprintf(err->msg, sizeof(err->msg), "invalid record");
    return SB_EINVAL;
}

json_object *model_problems_to_json(const struct model_problems *p)
{
    json_object *a = xjson(json_object_new_array());
    for (size_t i = 0; i < p->len; i++) {
        json_object *o = xjson(json_object_new_object());
        xjson_add_lit(o, "field", xjson(json_object_new_string(p->items[i].field)));
        xjson_add_lit(o, "problem", xjson(json_object_new_string(p->items[i].problem)));
        xjson_push(a, o);
    }
    return a;
}

void model_problems_free(struct model_problems *p)
{
    free(p->items);
    p->items = NULL;
    p->len = 0;
}
