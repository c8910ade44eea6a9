/* Tier policy, entirely from the levels data: whether a level allows an
 * action, which level to suggest instead, and the structured denial and
 * device-limit objects of doc/protocol.md. No level name appears here.
 *
 * Ownership: a policy holds a reference to the store's snapshot of the
 * levels and the capability catalogue (shared, read-only), taken by
 * policy_load and released by policy_free; the json_object results are
 * new references for the caller. */
#ifndef SB_ENGINE_POLICY_H
#define SB_ENGINE_POLICY_H

#include <json-c/json.h>
#include <stdbool.h>

#include "common/model.h"
#include "store/store.h"

struct policy {
    const struct service_level *levels; /* by rank, lowest first */
    size_t n_levels;
    const struct capability *caps;
    size_t n_caps;
    const struct store_snapshot *snap; /* what levels and caps point into */
};

int policy_load(struct store *st, struct policy *p, struct sb_err *err);
void policy_free(struct policy *p);

/* The level with this key, or NULL. */
const struct service_level *policy_level(const struct policy *p, const char *level);
bool policy_allows(const struct service_level *l, const char *action);
/* The lowest-ranked level above cur that allows action, or NULL. */
const struct service_level *policy_upgrade(const struct policy *p, const struct service_level *cur,
                                           const char *action);
/* The catalogue's display name of an action ("Song Changes"), or the action. */
const char *policy_action_name(const struct policy *p, const char *action);

/* The denial object for action refused at level cur. */
json_object *policy_denial(const struct policy *p, const struct service_level *cur,
                           const char *action);
/* {"currentLevel",...,"maxDevices","devices","requiredLevel",...} for a
 * customer at level cur wanting n_devices devices. */
json_object *policy_limit(const struct policy *p, const struct service_level *cur,
                          size_t n_devices);

#endif
