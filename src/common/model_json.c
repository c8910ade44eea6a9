/* JSON forms of the records, with validation that names every bad field. */
#include "common/model.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/validate.h"
#include "common/xalloc.h"
#include "common/util.h"

/* Field readers: each reports its own problem and returns 0 when the field is usable. */
enum presence { OPTIONAL, REQUIRED };

/* path then key in buf, cut to n like snprintf. Every field read makes
 * one (a stored record's read is a few dozen), so no printf machinery. */
static void field_path(char *buf, size_t n, const char *path, const char *key)
{
    size_t lp = strlen(path), lk = strlen(key);
    if (lp >= n)
        lp = n - 1;
    if (lk >= n - lp)
        lk = n - 1 - lp;
    memcpy(buf, path, lp);
    memcpy(buf + lp, key, lk);
    buf[lp + lk] = '\0';
}

/* The checks of a string field's value s (len bytes) named field. */
static int check_string(const char *s, size_t len, const char *field, enum presence need,
                        size_t max, struct model_problems *p)
{
    if (need == REQUIRED && len == 0) {
        model_problems_add(p, field, "must not be empty");
        return -1;
    }
    if (len > max) {
        model_problems_add(p, field, "must be at most %zu bytes, got %zu", max, len);
        return -1;
    }
    char problem[160];
    enum validate_kind kind = p->stored ? VALIDATE_BYTES : validate_kind_for(max);
    if (!validate_string(s, len, kind, problem, sizeof problem)) {
        model_problems_add(p, field, "%s", problem);
        return -1;
    }
    return 0;
}

static int read_string(json_object *o, const char *key, const char *path, enum presence need,
                       size_t max, struct model_problems *p, char **out)
{
    char field[160], got[64];
    json_object *v = NULL;
    field_path(field, sizeof(field), path, key);
    if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
        if (need == REQUIRED) {
            model_problems_add(p, field, "is required");
            return -1;
        }
        return 0;
    }
    if (!json_object_is_type(v, json_type_string)) {
        jsonx_describe(v, got, sizeof(got));
        model_problems_add(p, field, "must be a string, got %s", got);
        return -1;
    }
    const char *s = json_object_get_string(v);
    if (check_string(s, (size_t)json_object_get_string_len(v), field, need, max, p) != 0)
        return -1;
    *out = xstrdup(s);
    return 0;
}

static int read_int(json_object *o, const char *key, const char *path, enum presence need,
                    long long min, long long max, struct model_problems *p, long long *out)
{
    char field[160], got[64];
    json_object *v = NULL;
    field_path(field, sizeof(field), path, key);
    if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
        if (need == REQUIRED) {
            model_problems_add(p, field, "is required");
            return -1;
        }
        return 0;
    }
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < min ||
        json_object_get_int64(v) > max) {
        jsonx_describe(v, got, sizeof(got));
        model_problems_add(p, field, "must be an integer %lld-%lld, got %s", min, max, got);
        return -1;
    }
    *out = json_object_get_int64(v);
    return 0;
}

static int read_strlist(json_object *o, const char *key, const char *path, enum presence need,
                        struct model_problems *p, struct strlist *out, bool *present)
{
    char field[160], got[64];
    json_object *v = NULL;
    field_path(field, sizeof(field), path, key);
    if (present)
        *present = false;
    if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
        if (need == REQUIRED) {
            model_problems_add(p, field, "is required");
            return -1;
        }
        return 0;
    }
    if (!json_object_is_type(v, json_type_array)) {
        jsonx_describe(v, got, sizeof(got));
        model_problems_add(p, field, "must be a list of strings, got %s", got);
        return -1;
    }
    size_t n = json_object_array_length(v);
    if (n > MODEL_LIST_MAX) {
        model_problems_add(p, field, "must have at most %d entries, got %zu", MODEL_LIST_MAX, n);
        return -1;
    }
    int bad = 0;
    /* out is empty (a field of a zeroed record): room for every item at
     * once, not a realloc per item */
    out->items = n ? xmalloc(n * sizeof(*out->items)) : NULL;
    for (size_t i = 0; i < n; i++) {
        json_object *item = json_object_array_get_idx(v, i);
        char item_field[160], problem[160];
        if (!json_object_is_type(item, json_type_string) || json_object_get_string_len(item) == 0 ||
            json_object_get_string_len(item) > MODEL_NAME_MAX) {
            jsonx_describe(item, got, sizeof(got));
            snprintf(problem, sizeof problem,
                     "must be a non-empty string of at most %d bytes, got %s", MODEL_NAME_MAX, got);
        } else if (validate_string(
                       json_object_get_string(item), (size_t)json_object_get_string_len(item),
                       p->stored ? VALIDATE_BYTES : VALIDATE_LABEL, problem, sizeof problem)) {
            out->items[out->len++] = xstrdup(json_object_get_string(item));
            continue;
        }
        /* the item's path is made only for a problem (lists are read often) */
        snprintf(item_field, sizeof(item_field), "%s[%zu]", field, i);
        model_problems_add(p, item_field, "%s", problem);
        bad = 1;
    }
    if (bad) {
        strlist_free(out);
        return -1;
    }
    if (present)
        *present = true;
    return 0;
}

static int check_object(json_object *o, const char *path, const char *what,
                        struct model_problems *p)
{
    if (o && json_object_is_type(o, json_type_object))
        return 0;
    char got[64], field[160];
    jsonx_describe(o, got, sizeof(got));
    snprintf(field, sizeof(field), "%s", *path ? path : what);
    size_t fl = strlen(field);
    if (fl && field[fl - 1] == '.')
        field[fl - 1] = '\0';
    model_problems_add(p, field, "must be %s object, got %s", what, got);
    return -1;
}

static int check_timestamp(const char *value, const char *path, const char *key,
                           struct model_problems *p)
{
    int64_t ms;
    if (!value || util_parse_timestamp(value, &ms) == 0)
        return 0;
    char field[160];
    field_path(field, sizeof(field), path, key);
    model_problems_add(
        p, field, "must be an ISO 8601 UTC timestamp like 2026-01-31T12:00:00.000Z, got \"%s\"",
        value);
    return -1;
}

/* "playback": "playing" or "paused", only on a device that plays music
 * (read after the type and capabilities that decide that). */
static void read_playback(json_object *o, const char *path, struct model_problems *p,
                          struct device *out)
{
    char *playback = NULL, field[160];
    if (read_string(o, "playback", path, OPTIONAL, 16, p, &playback) != 0 || !playback)
        return;
    field_path(field, sizeof(field), path, "playback");
    if (strcmp(playback, "playing") != 0 && strcmp(playback, "paused") != 0)
        model_problems_add(p, field, "must be \"playing\" or \"paused\", got \"%s\"", playback);
    else if (!model_device_can(out, "music_playback"))
        model_problems_add(p, field, "the device cannot play music, so it has no playback");
    out->paused = strcmp(playback, "paused") == 0;
    free(playback);
}

int device_from_json(json_object *o, const char *path, struct model_problems *p, struct device *out)
{
    memset(out, 0, sizeof(*out));
    if (check_object(o, path, "a device", p))
        return SB_EINVAL;
    size_t before = p->len;
    long long volume = 50;
    char *state = NULL, field[160];
    read_string(o, "id", path, REQUIRED, MODEL_ID_MAX, p, &out->id);
    read_string(o, "type", path, REQUIRED, MODEL_NAME_MAX, p, &out->type);
    read_string(o, "name", path, OPTIONAL, MODEL_NAME_MAX, p, &out->name);
    read_string(o, "location", path, REQUIRED, MODEL_NAME_MAX, p, &out->location);
    if (read_string(o, "state", path, OPTIONAL, 8, p, &state) == 0 && state) {
        if (strcmp(state, "on") != 0 && strcmp(state, "off") != 0) {
            field_path(field, sizeof(field), path, "state");
            model_problems_add(p, field, "must be \"on\" or \"off\", got \"%s\"", state);
        }
        out->on = strcmp(state, "on") == 0;
    }
    free(state);
    read_int(o, "volume", path, OPTIONAL, 0, MODEL_VOLUME_MAX, p, &volume);
    out->volume = (int)volume;
    if (read_strlist(o, "capabilities", path, OPTIONAL, p, &out->capabilities,
                     &out->has_capabilities) == 0) {
        for (size_t i = 0; i < out->capabilities.len; i++) {
            if (model_capability_canonical(out->capabilities.items[i]))
                continue;
            char names[128];
            model_capability_list(names, sizeof(names));
            snprintf(field, sizeof(field), "%scapabilities[%zu]", path, i);
            model_problems_add(p, field, "must be one of %s, got \"%s\"", names,
                               out->capabilities.items[i]);
        }
    }
    read_string(o, "current_song", path, OPTIONAL, MODEL_NAME_MAX, p, &out->current_song);
    read_playback(o, path, p, out);
    read_strlist(o, "playlist", path, OPTIONAL, p, &out->playlist, NULL);
    if (read_string(o, "lastUpdated", path, OPTIONAL, UTIL_TIMESTAMP_LEN, p, &out->last_updated) ==
        0)
        check_timestamp(out->last_updated, path, "lastUpdated", p);
    if (p->len != before) {
        device_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

json_object *device_to_json(const struct device *d)
{
    json_object *o = xjson(json_object_new_object());
    char name[MODEL_NAME_MAX + 64];
    model_device_display_name(d, name, sizeof(name));
    xjson_add_lit(o, "id", xjson(json_object_new_string(d->id)));
    xjson_add_lit(o, "type", xjson(json_object_new_string(d->type)));
    xjson_add_lit(o, "name", xjson(json_object_new_string(name)));
    xjson_add_lit(o, "location", xjson(json_object_new_string(d->location)));
    xjson_add_lit(o, "state", xjson(json_object_new_string(d->on ? "on" : "off")));
    xjson_add_lit(o, "volume", xjson(json_object_new_int(d->volume)));
    if (d->has_capabilities) {
        json_object *caps = xjson(json_object_new_array());
        for (size_t i = 0; i < d->capabilities.len; i++)
            xjson_push(caps, xjson(json_object_new_string(d->capabilities.items[i])));
        xjson_add_lit(o, "capabilities", caps);
    }
    xjson_add_lit(o, "current_song", jsonx_string_or_null(d->current_song));
    if (model_device_can(d, "music_playback"))
        xjson_add_lit(o, "playback",
                      xjson(json_object_new_string(d->paused ? "paused" : "playing")));
    json_object *playlist = xjson(json_object_new_array());
    for (size_t i = 0; i < d->playlist.len; i++)
        xjson_push(playlist, xjson(json_object_new_string(d->playlist.items[i])));
    xjson_add_lit(o, "playlist", playlist);
    xjson_add_lit(o, "lastUpdated", jsonx_string_or_null(d->last_updated));
    return o;
}

int customer_from_json(json_object *o, const char *path, struct model_problems *p,
                       struct customer *out)
{
    memset(out, 0, sizeof(*out));
    if (check_object(o, path, "a customer", p))
        return SB_EINVAL;
    size_t before = p->len;
    char field[160], got[64];
    read_string(o, "id", path, REQUIRED, MODEL_ID_MAX, p, &out->id);
    read_string(o, "name", path, REQUIRED, MODEL_NAME_MAX, p, &out->name);
    read_string(o, "service_level", path, REQUIRED, MODEL_ID_MAX, p, &out->service_level);
    json_object *devices = NULL;
    field_path(field, sizeof(field), path, "devices");
    if (!json_object_object_get_ex(o, "devices", &devices) || devices == NULL) {
        /* no devices yet */
    } else if (!json_object_is_type(devices, json_type_array)) {
        jsonx_describe(devices, got, sizeof(got));
        model_problems_add(p, field, "must be a list of devices, got %s", got);
    } else if (json_object_array_length(devices) > MODEL_LIST_MAX) {
        model_problems_add(p, field, "must have at most %d devices", MODEL_LIST_MAX);
    } else {
        size_t n = json_object_array_length(devices);
        out->devices = n ? xcalloc(n, sizeof(*out->devices)) : NULL;
        for (size_t i = 0; i < n; i++) {
            char dpath[160];
            snprintf(dpath, sizeof(dpath), "%sdevices[%zu].", path, i);
            if (device_from_json(json_object_array_get_idx(devices, i), dpath, p,
                                 &out->devices[out->n_devices]) != SB_OK)
                continue;
            for (size_t k = 0; k < out->n_devices; k++) {
                if (strcmp(out->devices[k].id, out->devices[out->n_devices].id) == 0) {
                    snprintf(dpath, sizeof(dpath), "%sdevices[%zu].id", path, i);
                    model_problems_add(p, dpath, "duplicates the id of devices[%zu] (\"%s\")", k,
                                       out->devices[k].id);
                    break;
                }
            }
            out->n_devices++;
        }
    }
    customer_routines_from_json(o, path, p, out);
    if (p->len != before) {
        customer_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

json_object *customer_to_json(const struct customer *c)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "id", xjson(json_object_new_string(c->id)));
    xjson_add_lit(o, "name", xjson(json_object_new_string(c->name)));
    xjson_add_lit(o, "service_level", xjson(json_object_new_string(c->service_level)));
    json_object *devices = xjson(json_object_new_array());
    for (size_t i = 0; i < c->n_devices; i++)
        xjson_push(devices, device_to_json(&c->devices[i]));
    xjson_add_lit(o, "devices", devices);
    customer_routines_to_json(c, o);
    return o;
}

json_object *model_price_json(int cents)
{
    /* "9.99", not json-c's %.17g "9.9900000000000002". */
    char text[32];
    if (cents % 100 == 0)
        snprintf(text, sizeof(text), "%d", cents / 100);
    else
        snprintf(text, sizeof(text), "%d.%02d", cents / 100, cents % 100);
    return xjson(json_object_new_double_s(cents / 100.0, text));
}

int service_level_from_json(json_object *o, const char *path, struct model_problems *p,
                            struct service_level *out)
{
    memset(out, 0, sizeof(*out));
    if (check_object(o, path, "a service level", p))
        return SB_EINVAL;
    size_t before = p->len;
    long long max_devices = 0, rank = 0;
    char field[160], got[64];
    read_string(o, "level", path, REQUIRED, MODEL_ID_MAX, p, &out->level);
    read_string(o, "name", path, OPTIONAL, MODEL_NAME_MAX, p, &out->name);
    read_string(o, "description", path, OPTIONAL, 4096, p, &out->description);
    read_strlist(o, "allowed_actions", path, REQUIRED, p, &out->allowed_actions, NULL);
    read_int(o, "max_devices", path, REQUIRED, 0, MODEL_LIST_MAX, p, &max_devices);
    read_int(o, "rank", path, REQUIRED, 0, 1000, p, &rank);
    out->max_devices = (int)max_devices;
    out->rank = (int)rank;
    json_object *price = NULL;
    field_path(field, sizeof(field), path, "price");
    if (!json_object_object_get_ex(o, "price", &price) || price == NULL) {
        model_problems_add(p, field, "is required");
    } else if (!(json_object_is_type(price, json_type_int) ||
                 json_object_is_type(price, json_type_double)) ||
               json_object_get_double(price) < 0 || json_object_get_double(price) > 1e6) {
        jsonx_describe(price, got, sizeof(got));
        model_problems_add(p, field, "must be a number from 0 to 1000000, got %s", got);
    } else {
        out->price_cents = (int)llround(json_object_get_double(price) * 100.0);
    }
    if (out->level && !out->name)
        out->name = xstrdup(out->level);
    if (p->len != before) {
        service_level_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

json_object *service_level_to_json(const struct service_level *l)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "level", xjson(json_object_new_string(l->level)));
    xjson_add_lit(o, "name", xjson(json_object_new_string(l->name ? l->name : l->level)));
    xjson_add_lit(o, "description",
                  xjson(json_object_new_string(l->description ? l->description : "")));
    json_object *actions = xjson(json_object_new_array());
    for (size_t i = 0; i < l->allowed_actions.len; i++)
        xjson_push(actions, xjson(json_object_new_string(l->allowed_actions.items[i])));
    xjson_add_lit(o, "allowed_actions", actions);
    xjson_add_lit(o, "max_devices", xjson(json_object_new_int(l->max_devices)));
    xjson_add_lit(o, "rank", xjson(json_object_new_int(l->rank)));
    xjson_add_lit(o, "price", model_price_json(l->price_cents));
    return o;
}

int capability_from_json(json_object *o, const char *path, struct model_problems *p,
                         struct capability *out)
{
    memset(out, 0, sizeof(*out));
    if (check_object(o, path, "a capability", p))
        return SB_EINVAL;
    size_t before = p->len;
    read_string(o, "id", path, REQUIRED, MODEL_ID_MAX, p, &out->id);
    read_string(o, "action", path, REQUIRED, MODEL_ID_MAX, p, &out->action);
    read_string(o, "name", path, REQUIRED, MODEL_NAME_MAX, p, &out->name);
    read_string(o, "description", path, OPTIONAL, 4096, p, &out->description);
    read_string(o, "category", path, OPTIONAL, MODEL_NAME_MAX, p, &out->category);
    if (p->len != before) {
        capability_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

json_object *capability_to_json(const struct capability *c)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "id", xjson(json_object_new_string(c->id)));
    xjson_add_lit(o, "action", xjson(json_object_new_string(c->action)));
    xjson_add_lit(o, "name", xjson(json_object_new_string(c->name)));
    xjson_add_lit(o, "description",
                  xjson(json_object_new_string(c->description ? c->description : "")));
    xjson_add_lit(o, "category", xjson(json_object_new_string(c->category ? c->category : "")));
    return o;
}

/* A message's fields: the JSON key, where the struct keeps it, its limit. */
static const struct message_field {
    const char *key;
    size_t offset;
    size_t max;
} message_fields[] = {
    {"id", offsetof(struct message, id), MODEL_ID_MAX * 2},
    {"conversationId", offsetof(struct message, conversation_id), MODEL_ID_MAX},
    {"userId", offsetof(struct message, user_id), MODEL_ID_MAX},
    {"text", offsetof(struct message, text), MODEL_TEXT_MAX},
    {"sender", offsetof(struct message, sender), 8},
    {"timestamp", offsetof(struct message, timestamp), UTIL_TIMESTAMP_LEN},
};
#define N_MESSAGE_FIELDS (sizeof message_fields / sizeof message_fields[0])

static char **message_field(struct message *m, const struct message_field *f)
{
    return (char **)((char *)m + f->offset);
}

/* What is checked on a message's values beyond each string's own rules. */
static void check_message_values(const struct message *m, const char *path,
                                 struct model_problems *p)
{
    if (m->sender && strcmp(m->sender, "user") != 0 && strcmp(m->sender, "bot") != 0) {
        char field[160];
        field_path(field, sizeof(field), path, "sender");
        model_problems_add(p, field, "must be \"user\" or \"bot\", got \"%s\"", m->sender);
    }
    check_timestamp(m->timestamp, path, "timestamp", p);
}

int message_from_json(json_object *o, const char *path, struct model_problems *p,
                      struct message *out)
{
    memset(out, 0, sizeof(*out));
    if (check_object(o, path, "a message", p))
        return SB_EINVAL;
    size_t before = p->len;
    for (size_t i = 0; i < N_MESSAGE_FIELDS; i++)
        read_string(o, message_fields[i].key, path, REQUIRED, message_fields[i].max, p,
                    message_field(out, &message_fields[i]));
    check_message_values(out, path, p);
    if (p->len != before) {
        message_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

int message_check(const struct message *m, struct model_problems *p)
{
    size_t before = p->len;
    for (size_t i = 0; i < N_MESSAGE_FIELDS; i++) {
        const char *v = *message_field((struct message *)m, &message_fields[i]);
        if (!v)
            model_problems_add(p, message_fields[i].key, "is required");
        else
            check_string(v, strlen(v), message_fields[i].key, REQUIRED, message_fields[i].max, p);
    }
    check_message_values(m, "", p);
    return p->len != before ? SB_EINVAL : SB_OK;
}

json_object *message_to_json(const struct message *m)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "id", xjson(json_object_new_string(m->id)));
    xjson_add_lit(o, "conversationId", xjson(json_object_new_string(m->conversation_id)));
    xjson_add_lit(o, "userId", xjson(json_object_new_string(m->user_id)));
    xjson_add_lit(o, "text", xjson(json_object_new_string(m->text)));
    xjson_add_lit(o, "sender", xjson(json_object_new_string(m->sender)));
    xjson_add_lit(o, "timestamp", xjson(json_object_new_string(m->timestamp)));
    return o;
}

int connection_from_json(json_object *o, const char *path, struct model_problems *p,
                         struct connection *out)
{
    memset(out, 0, sizeof(*out));
    if (check_object(o, path, "a connection", p))
        return SB_EINVAL;
    size_t before = p->len;
    long long ttl = 0;
    read_string(o, "connectionId", path, REQUIRED, MODEL_ID_MAX, p, &out->connection_id);
    read_string(o, "userId", path, REQUIRED, MODEL_ID_MAX, p, &out->user_id);
    if (read_string(o, "connectionTime", path, REQUIRED, UTIL_TIMESTAMP_LEN, p,
                    &out->connection_time) == 0)
        check_timestamp(out->connection_time, path, "connectionTime", p);
    read_int(o, "ttl", path, REQUIRED, 0, INT64_MAX / 2, p, &ttl);
    read_string(o, "instance", path, OPTIONAL, MODEL_ID_MAX, p, &out->instance);
    out->ttl = ttl;
    if (p->len != before) {
        connection_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

json_object *connection_to_json(const struct connection *c)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "connectionId", xjson(json_object_new_string(c->connection_id)));
    xjson_add_lit(o, "userId", xjson(json_object_new_string(c->user_id)));
    xjson_add_lit(o, "connectionTime", xjson(json_object_new_string(c->connection_time)));
    xjson_add_lit(o, "ttl", xjson(json_object_new_int64(c->ttl)));
    if (c->instance)
        xjson_add_lit(o, "instance", xjson(json_object_new_string(c->instance)));
    return o;
}
