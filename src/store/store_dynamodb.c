/* The DynamoDB backend: opening, customers (optimistic concurrency on a
 * numeric version attribute) and table creation (migrate). Levels and the
 * catalogue are in store_dynamodb_levels.c, messages in store_dynamodb_msg.c,
 * connections in store_dynamodb_conn.c, change notices in
 * store_dynamodb_notice.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

static void ddb_close(struct store *st)
{
    struct store_dynamodb *s = ddb(st);
    int t;

    if (!s)
        return;
    ddb_http_free(s->http);
    for (t = 0; t < DDB_EXCHANGE_STRIPES; t++)
        pthread_mutex_destroy(&s->exchange_locks[t]);
    for (t = 0; t < DDB_N_TABLES; t++)
        free(s->table[t]);
    free(s->env);
    free(s->instance);
    strlist_free(&s->names);
    pthread_mutex_destroy(&s->names_lock);
    free(s);
}

static int ddb_get_customer(struct store *st, const char *id, struct customer *out,
                            struct sb_err *err)
{
    return ddb_get_record(ddb(st), DDB_CUSTOMERS, "id", id, "customer with id",
                          ddb_customer_from_item, out, err);
}

static int by_customer_id(const void *a, const void *b)
{
    return strcmp(((const struct customer *)a)->id, ((const struct customer *)b)->id);
}

static int ddb_list_customers(struct store *st, struct customer **out, size_t *n,
                              struct strlist *skipped, struct sb_err *err)
{
    struct ddb_list l = {NULL, 0, sizeof(struct customer), "id", ddb_customer_from_item, skipped};
    json_object *req = ddb_req(ddb(st), DDB_CUSTOMERS);
    int rc;

    xjson_add(req, "ConsistentRead", xjson(json_object_new_boolean(1)));
    rc = ddb_each(ddb(st), "Scan", req, ddb_collect, &l, err);
    json_object_put(req);
    if (rc != SB_OK) {
        customers_free(l.items, l.len);
        return rc;
    }
    if (l.len)
        qsort(l.items, l.len, l.size, by_customer_id);
    *out = l.items;
    *n = l.len;
    return SB_OK;
}

/* The stored item of a customer, without its version. */
static json_object *customer_item(const struct customer *c)
{
    json_object *j = customer_to_json(c);
    json_object *item = ddb_item_from_json(j);

    json_object_put(j);
    return item;
}

int ddb_write_customer(struct store_dynamodb *s, const struct customer *c, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CUSTOMERS);
    json_object *item = customer_item(c);
    char *expr = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&expr, &len);
    int i = 0, rc;

    if (!f)
        xalloc_die(0);
    /* UpdateItem rather than PutItem: the version goes up atomically, so a
     * concurrent optimistic update based on the old record fails its check. */
    fputs("SET version = if_not_exists(version, :zero) + :one", f);
    json_object_object_foreach(item, key, av)
    {
        char name[16], value[16];
        if (strcmp(key, "id") == 0)
            continue;
        snprintf(name, sizeof name, "#a%d", i);
        snprintf(value, sizeof value, ":a%d", i);
        fprintf(f, ", %s = %s", name, value);
        ddb_expr_name(req, name, key);
        ddb_expr_value(req, value, json_object_get(av));
        i++;
    }
    /* a memory stream's writes fail only for want of memory */
    if (fclose(f) != 0)
        xalloc_die(len);
    xjson_add(req, "Key", ddb_key("id", c->id));
    ddb_expr(req, "UpdateExpression", expr);
    ddb_expr_value(req, ":zero", ddb_n(0));
    ddb_expr_value(req, ":one", ddb_n(1));
    rc = ddb_call(s->http, "UpdateItem", req, NULL, err);
    free(expr);
    json_object_put(item);
    json_object_put(req);
    return rc;
}

static int ddb_put_customer(struct store *st, const struct customer *c, struct sb_err *err)
{
    if (!c || ddb_is_reserved(c->id))
        return sb_err_set(err, SB_EINVAL, "a customer id may not be empty or start with '#'");
    return ddb_write_customer(ddb(st), c, err);
}

static int ddb_delete_customer(struct store *st, const char *id, struct sb_err *err)
{
    if (!id || !*id || ddb_is_reserved(id))
        return sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", id ? id : "(null)");
    json_object *req = ddb_req(ddb(st), DDB_CUSTOMERS), *resp = NULL;
    xjson_add(req, "Key", ddb_key("id", id));
    xjson_add(req, "ReturnValues", xjson(json_object_new_string("ALL_OLD")));
    int rc = ddb_call(ddb(st)->http, "DeleteItem", req, &resp, err);
    if (rc == SB_OK && !json_object_object_get_ex(resp, "Attributes", NULL))
        rc = sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", id);
    json_object_put(resp);
    json_object_put(req);
    return rc;
}

int ddb_put_customer_if(struct store_dynamodb *s, struct customer *c, const char *mark,
                        json_object *memory, struct sb_err *err)
{
    json_object *req = ddb_req(s, DDB_CUSTOMERS);
    json_object *item = customer_item(c);
    int rc;

    xjson_add(item, "version", ddb_n(c->version + 1));
    xjson_add(item, "writeMark", ddb_s(mark));
    if (memory)
        xjson_add(item, DDB_MEMORY_ATTR, json_object_get(memory));
    xjson_add(req, "Item", item);
    ddb_expr(req, "ConditionExpression",
             c->version ? "version = :v"
                        : "attribute_exists(id) AND attribute_not_exists(version)");
    if (c->version)
        ddb_expr_value(req, ":v", ddb_n(c->version));
    rc = ddb_call(s->http, "PutItem", req, NULL, err);
    json_object_put(req);
    if (rc == SB_OK)
        c->version++;
    return rc;
}

/* Reads a customer for an update; *landed says whether it carries mark,
 * i.e. whether our previous write went in although its answer said no (a
 * retried request whose first attempt had landed fails its condition).
 * *memory gets the conversations' attribute, which the write carries over. */
static int read_for_update(struct store_dynamodb *s, const char *id, const char *mark,
                           struct customer *c, bool *landed, json_object **memory,
                           struct sb_err *err)
{
    json_object *item = NULL, *mem = NULL;
    const char *stored;
    int rc;

    *memory = NULL;
    if (ddb_is_reserved(id))
        return sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", id ? id : "(null)");
    rc = ddb_get(s, DDB_CUSTOMERS, "id", id, &item, err);
    if (rc == SB_OK && !item)
        rc = sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", id);
    if (rc == SB_OK)
        rc = ddb_customer_from_item(item, c, err);
    stored = item ? ddb_item_s(item, "writeMark") : NULL;
    *landed = rc == SB_OK && *mark && stored && strcmp(stored, mark) == 0;
    if (rc == SB_OK && json_object_object_get_ex(item, DDB_MEMORY_ATTR, &mem))
        *memory = json_object_get(mem);
    json_object_put(item);
    return rc;
}

static int ddb_update_customer(struct store *st, const char *id, store_customer_fn fn, void *arg,
                               struct customer *out, struct sb_err *err)
{
    int attempt, rc = SB_ECONFLICT;
    char mark[UTIL_ID_LEN] = "";
    bool landed = false;

    for (attempt = 0; attempt < DDB_UPDATE_ATTEMPTS; attempt++) {
        struct customer c = {0};
        json_object *memory = NULL;
        if (attempt)
            ddb_backoff(attempt < 6 ? attempt : 6, DDB_UPDATE_BACKOFF_BASE_MS,
                        DDB_UPDATE_BACKOFF_CAP_MS);
        rc = read_for_update(ddb(st), id, mark, &c, &landed, &memory, err);
        if (rc != SB_OK)
            return rc;
        if (!landed) {
            rc = fn(&c, arg, err);
            /* The key is not fn's to change. */
            if (rc == SB_OK && (!c.id || strcmp(c.id, id) != 0)) {
                free(c.id);
                c.id = xstrdup(id);
            }
            util_new_id("w", mark, sizeof mark);
            if (rc == SB_OK)
                rc = ddb_put_customer_if(ddb(st), &c, mark, memory, err);
        }
        json_object_put(memory);
        if (rc == SB_OK && out)
            *out = c;
        else
            customer_free(&c);
        if (rc != SB_ECONFLICT)
            return rc;
    }
    return sb_err_set(err, SB_ECONFLICT,
                      "customer %s is being changed by too many writers at once; try again", id);
}

static const struct store_ops ddb_ops = {
    .kind = "dynamodb",
    .close = ddb_close,
    .get_customer = ddb_get_customer,
    .list_customers = ddb_list_customers,
    .put_customer = ddb_put_customer,
    .delete_customer = ddb_delete_customer,
    .update_customer = ddb_update_customer,
    .get_level = ddb_get_level,
    .list_levels = ddb_list_levels,
    .put_level = ddb_put_level,
    .list_capabilities = ddb_list_capabilities,
    .import = ddb_import,
    .append_messages = ddb_append_messages,
    .get_message = ddb_get_message,
    .history = ddb_history,
    .put_connection = ddb_put_connection,
    .delete_connection = ddb_delete_connection,
    .list_connections = ddb_list_connections,
    .expire_connections = ddb_expire_connections,
    .has_admin_token = ddb_has_admin_token,
    .run_exchange = ddb_run_exchange,
    .get_conversation = ddb_get_conversation,
    .add_token = ddb_add_token,
    .find_token = ddb_find_token,
    .list_tokens = ddb_list_tokens,
    .revoke_token = ddb_revoke_token,
    .touch_token = ddb_touch_token,
    .prune_messages = ddb_prune_messages,
    .publish_change = ddb_publish_change,
    .poll_changes = ddb_poll_changes,
};

/* This process's name in the connections table when none is configured. */
static char *default_instance(void)
{
    char host[128] = "host";

    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    return xasprintf("%s-%ld", host, (long)getpid());
}

/* The endpoint: the option, else the AWS SDKs' standard variables, else
 * NULL (AWS itself for the region). */
static const char *endpoint(const struct store_options *opt)
{
    static const char *const vars[] = {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", NULL};
    const char *const *v;

    if (opt->endpoint && *opt->endpoint)
        return opt->endpoint;
    for (v = vars; *v; v++)
        if (getenv(*v) && *getenv(*v))
            return getenv(*v);
    return NULL;
}

/* Opens the backend; with create, makes the missing tables (migrate). */
static int open_store(const struct store_options *opt, bool create, struct store **out,
                      struct sb_err *err)
{
    struct store_dynamodb *s = xcalloc(1, sizeof *s);
    const char *region = opt->region;
    int rc;

    s->base.ops = &ddb_ops;
    pthread_mutex_init(&s->names_lock, NULL);
    for (int i = 0; i < DDB_EXCHANGE_STRIPES; i++)
        pthread_mutex_init(&s->exchange_locks[i], NULL);
    if (!region || !*region)
        region = getenv("AWS_REGION");
    if (!region || !*region)
        region = getenv("AWS_DEFAULT_REGION");
    if (!region || !*region)
        region = "us-east-1";
    s->env = xstrdup(opt->env && *opt->env ? opt->env : "dev");
    s->instance = opt->instance ? xstrdup(opt->instance) : default_instance();
    /* Table names allow [A-Za-z0-9_.-]; say so before DynamoDB does, less clearly. */
    if (strspn(s->env, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
            strlen(s->env) ||
        strlen(s->env) > 200) {
        rc = sb_err_set(err, SB_EINVAL,
                        "--env '%s' cannot prefix a DynamoDB table name (letters, digits, '_', "
                        "'.', '-'; at most 200)",
                        s->env);
        goto out;
    }
    rc = ddb_http_new(endpoint(opt), region, &s->http, err);
    if (rc == SB_OK)
        ddb_tables_init(s, s->env);
    /* Serving never creates tables (a wrong --env must fail clearly) unless
     * SERVICEBOT_DYNAMODB_CREATE_TABLES=1 asks for it (development, tests). */
    if (!create && getenv("SERVICEBOT_DYNAMODB_CREATE_TABLES"))
        create = strcmp(getenv("SERVICEBOT_DYNAMODB_CREATE_TABLES"), "1") == 0;
    if (rc == SB_OK)
        rc = create ? ddb_tables_create(s, err) : ddb_tables_check(s, err);
out:
    if (rc != SB_OK) {
        ddb_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return SB_OK;
}

int store_dynamodb_open(const struct store_options *opt, struct store **out, struct sb_err *err)
{
    return open_store(opt, false, out, err);
}

int store_dynamodb_migrate(const struct store_options *opt, struct sb_err *err)
{
    struct store *st = NULL;
    int rc = open_store(opt, true, &st, err);
    if (rc == SB_OK)
        store_close(st);
    return rc;
}
