/* An import file: service levels, the capability catalogue and customers,
 * checked as a whole so that an import is all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

/* Reads the list at key with one from_json per element; every bad element is reported. */
#define READ_LIST(o, key, type, from_json, arr, n, p)                                              \
    do {                                                                                           \
        json_object *list_ = NULL;                                                                 \
        char got_[64];                                                                             \
        if (!json_object_object_get_ex(o, key, &list_) || !list_) {                                \
            model_problems_add(p, key, "is required");                                             \
        } else if (!json_object_is_type(list_, json_type_array)) {                                 \
            jsonx_describe(list_, got_, sizeof(got_));                                             \
            model_problems_add(p, key, "must be a list, got %s", got_);                            \
        } else {                                                                                   \
            size_t len_ = json_object_array_length(list_);                                         \
            arr = len_ ? xcalloc(len_, sizeof(type)) : NULL;                                       \
            for (size_t i_ = 0; i_ < len_; i_++) {                                                 \
                char path_[64];                                                                    \
                snprintf(path_, sizeof(path_), "%s[%zu].", key, i_);                               \
                if (from_json(json_object_array_get_idx(list_, i_), path_, p, &arr[n]) == SB_OK)   \
                    n++;                                                                           \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static const struct service_level *find_level(const struct dataset *d, const char *level)
{
    for (size_t i = 0; i < d->n_levels; i++)
        if (strcmp(d->levels[i].level, level) == 0)
            return &d->levels[i];
    return NULL;
}

static void check_references(const struct dataset *d, struct model_problems *p)
{
    char field[160];
    for (size_t i = 0; i < d->n_levels; i++) {
        for (size_t k = 0; k < i; k++)
            if (strcmp(d->levels[i].level, d->levels[k].level) == 0) {
                snprintf(field, sizeof(field), "service_levels[%zu].level", i);
                model_problems_add(p, field, "duplicates \"%s\"", d->levels[i].level);
            }
        for (size_t a = 0; d->n_capabilities && a < d->levels[i].allowed_actions.len; a++) {
            const char *action = d->levels[i].allowed_actions.items[a];
            int known = 0;
            for (size_t c = 0; c < d->n_capabilities && !known; c++)
                known = strcmp(d->capabilities[c].action, action) == 0;
            if (!known) {
                snprintf(field, sizeof(field), "service_levels[%zu].allowed_actions[%zu]", i, a);
                model_problems_add(p, field, "\"%s\" is not an action of the capabilities list",
                                   action);
            }
        }
    }
    for (size_t i = 0; i < d->n_capabilities; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(d->capabilities[i].id, d->capabilities[k].id) == 0 ||
                strcmp(d->capabilities[i].action, d->capabilities[k].action) == 0) {
                snprintf(field, sizeof(field), "capabilities[%zu]", i);
                model_problems_add(p, field, "duplicates the id or action of capabilities[%zu]", k);
            }
    for (size_t i = 0; i < d->n_customers; i++) {
        const struct customer *c = &d->customers[i];
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->id, d->customers[k].id) == 0) {
                snprintf(field, sizeof(field), "customers[%zu].id", i);
                model_problems_add(p, field, "duplicates \"%s\"", c->id);
            }
        const struct service_level *l = find_level(d, c->service_level);
        if (!l) {
            snprintf(field, sizeof(field), "customers[%zu].service_level", i);
            model_problems_add(p, field, "\"%s\" is not one of the service_levels",
                               c->service_level);
        } else if (c->n_devices > (size_t)l->max_devices) {
            snprintf(field, sizeof(field), "customers[%zu].devices", i);
            model_problems_add(p, field, "has %zu devices but level \"%s\" allows %d", c->n_devices,
                               l->level, l->max_devices);
        }
    }
}

int dataset_from_json(json_object *o, struct model_problems *p, struct dataset *out)
{
    memset(out, 0, sizeof(*out));
    if (!o || !json_object_is_type(o, json_type_object)) {
        model_problems_add(p, "(top)",
                           "must be an object with service_levels, capabilities and customers");
        return SB_EINVAL;
    }
    size_t before = p->len;
    READ_LIST(o, "service_levels", struct service_level, service_level_from_json, out->levels,
              out->n_levels, p);
    READ_LIST(o, "capabilities", struct capability, capability_from_json, out->capabilities,
              out->n_capabilities, p);
    READ_LIST(o, "customers", struct customer, customer_from_json, out->customers, out->n_customers,
              p);
    if (p->len == before)
        check_references(out, p);
    if (p->len != before) {
        dataset_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}
