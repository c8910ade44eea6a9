/* The REST side of the engine: device updates, added devices and whole
 * customer records, checked against the level like the chat actions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/resolve.h"
#include "engine/turn.h"

/* One field of a PATCH body: what it is and which action it amounts to. */
struct patch_field {
    const char *key;
    json_type type;
    const char *action;     /* NULL: any level may */
    const char *capability; /* NULL: any device can */
};

static const struct patch_field patch_fields[] = {
    {"state", json_type_string, "device_power", "power"},
    {"volume", json_type_int, "volume_control", "volume_control"},
    {"current_song", json_type_string, "song_changes", "music_playback"},
    {"location", json_type_string, "device_relocation", NULL},
    {"name", json_type_string, NULL, NULL},
};
#define N_PATCH_FIELDS (sizeof patch_fields / sizeof *patch_fields)

struct patch_arg {
    json_object *patch;
    struct model_problems problems;
};

static const struct patch_field *find_field(const char *key)
{
    for (size_t i = 0; i < N_PATCH_FIELDS; i++)
        if (strcmp(patch_fields[i].key, key) == 0)
            return &patch_fields[i];
    return NULL;
}

/* Checks the body's shape: known fields of the right types and ranges. */
static void check_patch(json_object *patch, struct model_problems *p)
{
    char what[64];
    if (!json_object_is_type(patch, json_type_object)) {
        model_problems_add(p, "body", "must be a JSON object");
        return;
    }
    if (json_object_object_length(patch) == 0)
        model_problems_add(
            p, "body", "names no field to change (state, volume, location, current_song, name)");
    json_object_object_foreach(patch, key, val)
    {
        const struct patch_field *f = find_field(key);
        jsonx_describe(val, what, sizeof what);
        if (!f) {
            model_problems_add(p, key, "is not a field that can be changed");
            continue;
        }
        if (!json_object_is_type(val, f->type)) {
            model_problems_add(p, key, "must be %s, got %s",
                               f->type == json_type_int ? "an integer" : "a string", what);
            continue;
        }
        if (f->type == json_type_int) {
            int64_t v = json_object_get_int64(val);
            if (v < 0 || v > MODEL_VOLUME_MAX)
                model_problems_add(p, key, "must be an integer 0-%d, got %s", MODEL_VOLUME_MAX,
                                   what);
            continue;
        }
        const char *s = json_object_get_string(val);
        size_t len = strlen(s);
        if (strcmp(key, "state") == 0 && strcmp(s, "on") != 0 && strcmp(s, "off") != 0)
            model_problems_add(p, key, "must be \"on\" or \"off\", got %s", what);
        else if (len == 0 || len >= MODEL_NAME_MAX)
            model_problems_add(p, key, "must be 1-%d characters", MODEL_NAME_MAX - 1);
    }
}

static int set_str(char **dst, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* A room as the records spell it: "Living Room" -> "living_room". */
static int set_room(char **dst, const char *room)
{
    char *copy = strdup(room);
    if (!copy)
        return -1;
    for (char *p = copy; *p; p++)
        *p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    free(*dst);
    *dst = copy;
    return 0;
}

/* Applies the body to the record: power first, so that "on" plus a volume
 * works in one request; volume and songs need the device on. */
static int patch_fn(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    struct patch_arg *a = arg;
    json_object *v;
    model_problems_free(&a->problems);
    if (json_object_object_get_ex(a->patch, "state", &v))
        d->on = strcmp(json_object_get_string(v), "on") == 0;
    if (json_object_object_get_ex(a->patch, "volume", &v)) {
        if (!d->on)
            model_problems_add(&a->problems, "volume", "cannot change while the device is off");
        else
            d->volume = json_object_get_int(v);
    }
    if (json_object_object_get_ex(a->patch, "current_song", &v)) {
        const char *pick = resolve_title(&d->playlist, json_object_get_string(v));
        if (!d->on)
            model_problems_add(&a->problems, "current_song",
                               "cannot change while the device is off");
        else if (!pick)
            model_problems_add(&a->problems, "current_song", "is not in the device's playlist");
        else if (set_str(&d->current_song, pick) != 0)
            return sb_err_set(err, SB_EINTERNAL, "out of memory");
    }
    if (json_object_object_get_ex(a->patch, "location", &v) &&
        set_room(&d->location, json_object_get_string(v)) != 0)
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    if (json_object_object_get_ex(a->patch, "name", &v) &&
        set_str(&d->name, json_object_get_string(v)) != 0)
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    if (a->problems.len)
        return model_problems_to_err(&a->problems, err);
    return SB_OK;
}

static json_object *wrap(const char *key, json_object *v)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, key, v);
    return o;
}

/* The first field the level or the device does not allow, as a result. */
static int check_allowed(const struct lexicon *lx, json_object *patch, const struct policy *pol,
                         const struct service_level *level, const struct device *d,
                         struct engine_reply *out, struct sb_err *err)
{
    struct model_problems p = {0};
    char name[MODEL_NAME_MAX];
    model_device_display_name(d, name, sizeof name);
    json_object_object_foreach(patch, key, val)
    {
        (void)val;
        const struct patch_field *f = find_field(key);
        if (f->action && !policy_allows(level, f->action)) {
            char text[sizeof err->msg];
            out->result = wrap("denial", policy_denial(pol, level, f->action));
            model_problems_free(&p);
            turn_denial_text(lx, pol, level, f->action, text, sizeof text);
            return sb_err_set(err, SB_EDENIED, "%s", text);
        }
        if (f->capability && !model_device_can(d, f->capability))
            model_problems_add(&p, key, "the %s has no %s", name, f->capability);
    }
    if (!p.len)
        return SB_OK;
    out->result = wrap("fields", model_problems_to_json(&p));
    int rc = model_problems_to_err(&p, err);
    model_problems_free(&p);
    return rc;
}

int engine_patch_device(struct engine *e, const char *customer_id, const char *device_id,
                        json_object *patch, struct engine_reply *out, struct sb_err *err)
{
    struct customer c = {0};
    struct policy pol = {0};
    const struct service_level *level;
    struct patch_arg a = {.patch = patch};
    struct device d = {0};
    int rc;
    memset(out, 0, sizeof *out);
    check_patch(patch, &a.problems);
    if (a.problems.len) {
        out->result = wrap("fields", model_problems_to_json(&a.problems));
        rc = model_problems_to_err(&a.problems, err);
        goto out;
    }
    rc = store_get_customer(e->st, customer_id, &c, err);
    if (rc != SB_OK)
        goto out;
    const struct device *cur = customer_find_device(&c, device_id);
    if (!cur) {
        rc = sb_err_set(err, SB_ENOTFOUND, "customer %s has no device %s", customer_id, device_id);
        goto out;
    }
    rc = engine_load_level(e, &c, &pol, &level, err);
    if (rc != SB_OK)
        goto out;
    rc = check_allowed(e->lx, patch, &pol, level, cur, out, err);
    if (rc != SB_OK)
        goto out;
    rc = store_update_device(e->st, customer_id, device_id, patch_fn, &a, &d, err);
    if (rc == SB_EINVAL && a.problems.len)
        out->result = wrap("fields", model_problems_to_json(&a.problems));
    if (rc != SB_OK)
        goto out;
    out->result = wrap("device", device_to_json(&d));
    out->changed = calloc(1, sizeof *out->changed);
    if (out->changed) {
        out->changed[0] = d;
        out->n_changed = 1;
        memset(&d, 0, sizeof d);
    }
out:
    device_free(&d);
    model_problems_free(&a.problems);
    if (pol.levels || pol.caps)
        policy_free(&pol);
    customer_free(&c);
    return rc;
}

struct add_arg {
    const struct device *d;
    int max_devices;
    size_t wanted;  /* the count the customer would have */
    bool duplicate; /* the id exists (fn stops with SB_EINVAL: a store retries a conflict) */
};

static int add_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct add_arg *a = arg;
    a->wanted = c->n_devices + 1;
    a->duplicate = customer_find_device(c, a->d->id) != NULL;
    if (a->duplicate)
        return sb_err_set(err, SB_EINVAL, "customer %s already has a device %s", c->id, a->d->id);
    if (a->wanted > (size_t)a->max_devices)
        return sb_err_set(err, SB_ELIMIT, "the plan allows %d devices", a->max_devices);
    struct device *grown = realloc(c->devices, a->wanted * sizeof *grown);
    if (!grown)
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    c->devices = grown;
    memset(&grown[c->n_devices], 0, sizeof *grown);
    if (device_copy(&grown[c->n_devices], a->d) != SB_OK)
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    c->n_devices++;
    return SB_OK;
}

int engine_add_device(struct engine *e, const char *customer_id, const struct device *d,
                      struct engine_reply *out, struct sb_err *err)
{
    struct customer c = {0}, after = {0};
    struct policy pol = {0};
    const struct service_level *level;
    int rc;
    memset(out, 0, sizeof *out);
    if (!d || !d->id || !*d->id)
        return sb_err_set(err, SB_EINVAL, "the device needs an id");
    rc = store_get_customer(e->st, customer_id, &c, err);
    if (rc != SB_OK)
        goto out;
    rc = engine_load_level(e, &c, &pol, &level, err);
    if (rc != SB_OK)
        goto out;
    struct add_arg a = {.d = d, .max_devices = level->max_devices};
    rc = store_update_customer(e->st, customer_id, add_fn, &a, &after, err);
    if (rc == SB_EINVAL && a.duplicate)
        rc = err->code = SB_ECONFLICT;
    if (rc == SB_ELIMIT)
        out->result = wrap("limit", policy_limit(&pol, level, a.wanted));
    if (rc != SB_OK)
        goto out;
    const struct device *added = customer_find_device(&after, d->id);
    out->changed = calloc(1, sizeof *out->changed);
    if (!added || !out->changed || device_copy(out->changed, added) != SB_OK) {
        free(out->changed);
        out->changed = NULL;
        rc = sb_err_set(err, SB_EINTERNAL, "out of memory");
        goto out;
    }
    out->n_changed = 1;
    out->result = wrap("device", device_to_json(added));
out:
    if (pol.levels || pol.caps)
        policy_free(&pol);
    customer_free(&c);
    customer_free(&after);
    return rc;
}

int engine_check_customer(struct engine *e, const struct customer *c, struct engine_reply *out,
                          struct sb_err *err)
{
    struct policy pol = {0};
    const struct service_level *level;
    memset(out, 0, sizeof *out);
    int rc = engine_load_level(e, c, &pol, &level, err);
    if (rc == SB_ECORRUPT) {
        struct model_problems p = {0};
        model_problems_add(&p, "service_level", "\"%s\" is not a service level",
                           c->service_level ? c->service_level : "");
        out->result = wrap("fields", model_problems_to_json(&p));
        rc = model_problems_to_err(&p, err);
        model_problems_free(&p);
        return rc;
    }
    if (rc != SB_OK)
        return rc;
    if (c->n_devices > (size_t)level->max_devices) {
        out->result = wrap("limit", policy_limit(&pol, level, c->n_devices));
        rc = sb_err_set(err, SB_ELIMIT, "the %s plan allows %d devices, the customer has %zu",
                        level->name ? level->name : level->level, level->max_devices, c->n_devices);
    }
    policy_free(&pol);
    return rc;
}
