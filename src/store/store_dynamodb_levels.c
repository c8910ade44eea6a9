/* Service levels, the capability catalogue (items "#cap#<id>" with a "pos"
 * in the service-levels table) and import.
 *
 * Import without transactions (dynalite has none, and TransactWriteItems
 * caps at 100 items anyway): everything is validated before the first write,
 * so bad input never leaves anything half-written. What remains is the store
 * failing mid-way; then the error is returned and, because every write
 * replaces by key, running the same import again completes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

#define DDB_ITEM_MAX (400 * 1024)

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

int ddb_get_level(struct store *st, const char *level, struct service_level *out,
                  struct sb_err *err)
{
    return ddb_get_record(ddb(st), DDB_LEVELS, "level", level, "service level", ddb_level_from_item,
                          out, err);
}

/* Levels and catalogue entries share a table; one scan sorts them out. */
struct level_scan {
    struct ddb_list levels;
    struct capability *caps;
    long long *pos;
    size_t n_caps;
    bool want_caps;
};

static int collect_level(json_object *item, void *arg, struct sb_err *err)
{
    struct level_scan *ls = arg;
    const char *key = ddb_item_s(item, "level");
    bool is_cap = key && strncmp(key, DDB_CAP_PREFIX, strlen(DDB_CAP_PREFIX)) == 0;
    long long pos;
    int rc;

    if (ls->want_caps != is_cap)
        return SB_OK;
    if (!is_cap)
        return ddb_collect(item, &ls->levels, err);
    ddb_grow((void **)&ls->caps, ls->n_caps, sizeof *ls->caps);
    ddb_grow((void **)&ls->pos, ls->n_caps, sizeof *ls->pos);
    memset(&ls->caps[ls->n_caps], 0, sizeof *ls->caps);
    rc = ddb_capability_from_item(item, &ls->caps[ls->n_caps], &pos, err);
    if (rc == SB_OK)
        ls->pos[ls->n_caps++] = pos;
    return rc;
}

static int scan_levels(struct store *st, struct level_scan *ls, struct sb_err *err)
{
    json_object *req = ddb_req(ddb(st), DDB_LEVELS);
    int rc;

    xjson_add(req, "ConsistentRead", xjson(json_object_new_boolean(1)));
    rc = ddb_each(ddb(st), "Scan", req, collect_level, ls, err);
    json_object_put(req);
    return rc;
}

static int by_rank(const void *a, const void *b)
{
    const struct service_level *x = a, *y = b;

    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->level, y->level);
}

int ddb_list_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err)
{
    struct level_scan ls = {
        .levels = {NULL, 0, sizeof(struct service_level), "level", ddb_level_from_item}};
    int rc = scan_levels(st, &ls, err);

    if (rc != SB_OK) {
        service_levels_free(ls.levels.items, ls.levels.len);
        return rc;
    }
    if (ls.levels.len)
        qsort(ls.levels.items, ls.levels.len, ls.levels.size, by_rank);
    *out = ls.levels.items;
    *n = ls.levels.len;
    return SB_OK;
}

int ddb_put_level(struct store *st, const struct service_level *l, struct sb_err *err)
{
    if (!l || ddb_is_reserved(l->level))
        return sb_err_set(err, SB_EINVAL, "a level name may not be empty or start with '#'");
    json_object *j = service_level_to_json(l), *item = ddb_item_from_json(j);
    int rc = ddb_put_item(ddb(st), DDB_LEVELS, item, err);
    json_object_put(item);
    json_object_put(j);
    return rc;
}

int ddb_list_capabilities(struct store *st, struct capability **out, size_t *n, struct sb_err *err)
{
    struct level_scan ls = {.want_caps = true};
    size_t i, j;
    int rc = scan_levels(st, &ls, err);

    if (rc != SB_OK) {
        capabilities_free(ls.caps, ls.n_caps);
        free(ls.pos);
        return rc;
    }
    /* Insertion sort by pos keeps caps and pos paired; catalogues are short. */
    for (i = 1; i < ls.n_caps; i++)
        for (j = i; j > 0 && ls.pos[j - 1] > ls.pos[j]; j--) {
            struct capability c = ls.caps[j];
            long long p = ls.pos[j];
            ls.caps[j] = ls.caps[j - 1];
            ls.pos[j] = ls.pos[j - 1];
            ls.caps[j - 1] = c;
            ls.pos[j - 1] = p;
        }
    free(ls.pos);
    *out = ls.caps;
    *n = ls.n_caps;
    return SB_OK;
}

static json_object *capability_item(const struct capability *c, size_t pos)
{
    json_object *j = capability_to_json(c);
    json_object *item = ddb_item_from_json(j);
    char key[200];

    snprintf(key, sizeof key, DDB_CAP_PREFIX "%s", c->id);
    xjson_add(item, "level", ddb_s(key));
    xjson_add(item, "pos", ddb_n((long long)pos));
    json_object_put(j);
    return item;
}

static int check_size(json_object *j, const char *what, const char *id, struct sb_err *err)
{
    size_t len = 0;

    jsonx_string(j, &len);
    if (len >= DDB_ITEM_MAX)
        return sb_err_set(err, SB_EINVAL, "%s %s is %zu bytes, over DynamoDB's 400 KB item limit",
                          what, id, len);
    return SB_OK;
}

/* Everything DynamoDB could refuse, checked before any write. */
static int import_validate(const struct dataset *ds, struct sb_err *err)
{
    size_t i;
    int rc = SB_OK;

    for (i = 0; i < ds->n_levels && rc == SB_OK; i++)
        if (ddb_is_reserved(ds->levels[i].level) || !*ds->levels[i].level)
            rc = sb_err_set(err, SB_EINVAL, "service_levels[%zu].level: may not start with '#'", i);
    for (i = 0; i < ds->n_capabilities && rc == SB_OK; i++)
        if (!ds->capabilities[i].id || !*ds->capabilities[i].id)
            rc = sb_err_set(err, SB_EINVAL, "capabilities[%zu].id: missing", i);
    for (i = 0; i < ds->n_customers && rc == SB_OK; i++) {
        json_object *j;
        if (ddb_is_reserved(ds->customers[i].id) || !*ds->customers[i].id) {
            rc = sb_err_set(err, SB_EINVAL, "customers[%zu].id: may not start with '#'", i);
            break;
        }
        j = customer_to_json(&ds->customers[i]);
        rc = check_size(j, "customer", ds->customers[i].id, err);
        json_object_put(j);
    }
    return rc;
}

/* Removes catalogue entries that the imported catalogue no longer has. */
static int drop_stale_caps(struct store *st, const struct dataset *ds, struct sb_err *err)
{
    struct capability *old = NULL;
    size_t n_old = 0, i, k;
    int rc = ddb_list_capabilities(st, &old, &n_old, err);

    for (i = 0; i < n_old && rc == SB_OK; i++) {
        bool keep = false;
        char key[200];
        json_object *req;
        for (k = 0; k < ds->n_capabilities && !keep; k++)
            keep = strcmp(old[i].id, ds->capabilities[k].id) == 0;
        if (keep)
            continue;
        snprintf(key, sizeof key, DDB_CAP_PREFIX "%s", old[i].id);
        req = ddb_req(ddb(st), DDB_LEVELS);
        xjson_add(req, "Key", ddb_key("level", key));
        rc = ddb_call(ddb(st)->http, "DeleteItem", req, NULL, err);
        json_object_put(req);
    }
    capabilities_free(old, n_old);
    return rc;
}

int ddb_import(struct store *st, const struct dataset *ds, struct sb_err *err)
{
    size_t i;
    int rc = import_validate(ds, err);

    for (i = 0; i < ds->n_levels && rc == SB_OK; i++)
        rc = ddb_put_level(st, &ds->levels[i], err);
    for (i = 0; i < ds->n_capabilities && rc == SB_OK; i++) {
        json_object *item = capability_item(&ds->capabilities[i], i);
        rc = ddb_put_item(ddb(st), DDB_LEVELS, item, err);
        json_object_put(item);
    }
    if (rc == SB_OK && ds->n_capabilities)
        rc = drop_stale_caps(st, ds, err);
    for (i = 0; i < ds->n_customers && rc == SB_OK; i++)
        rc = ddb_write_customer(ddb(st), &ds->customers[i], err);
    if (rc != SB_OK && rc != SB_EINVAL)
        sb_err_prefix(err, "import stopped part-way (run it again to complete it)");
    return rc;
}
