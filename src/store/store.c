/* The store front: picks a backend and forwards, plus what every backend
 * shares (device updates built on customer updates). */
#include "store/store_impl.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xalloc.h"

int store_open(const struct store_options *opt, struct store **out, struct sb_err *err)
{
    const char *kind = opt && opt->kind ? opt->kind : "sqlite";
    *out = NULL;
    if (strcmp(kind, "sqlite") != 0 && strcmp(kind, "dynamodb") != 0)
        return sb_err_set(err, SB_EINVAL, "unknown store \"%s\" (expected sqlite or dynamodb)",
                          kind);
    struct store_cache *cache = store_cache_new(opt);
    int rc = strcmp(kind, "sqlite") == 0 ? store_sqlite_open(opt, out, err)
                                         : store_dynamodb_open(opt, out, err);
    if (rc == SB_OK)
        (*out)->cache = cache;
    else
        store_cache_free(cache);
    return rc;
}

int store_migrate(const struct store_options *opt, struct sb_err *err)
{
    if (opt && opt->kind && strcmp(opt->kind, "dynamodb") == 0)
        return store_dynamodb_migrate(opt, err);
    /* SQLite creates and migrates its schema whenever it opens. */
    struct store *st = NULL;
    int rc = store_open(opt, &st, err);
    store_close(st);
    return rc;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_cache_free(st->cache);
    st->ops->close(st);
}

const char *store_kind(const struct store *st)
{
    return st->ops->kind;
}

int store_check(struct store *st, struct sb_err *err)
{
    return st->ops->check ? st->ops->check(st, err) : SB_OK;
}

int store_get_customer(struct store *st, const char *id, struct customer *out, struct sb_err *err)
{
    return st->ops->get_customer(st, id, out, err);
}

int store_list_customers(struct store *st, struct customer **out, size_t *n, struct sb_err *err)
{
    return st->ops->list_customers(st, out, n, NULL, err);
}

int store_list_routine_customers(struct store *st, struct customer **out, size_t *n,
                                 struct sb_err *err)
{
    if (st->ops->list_routine_customers)
        return st->ops->list_routine_customers(st, out, n, err);
    return st->ops->list_customers(st, out, n, NULL, err);
}

int store_list_customers_skipping(struct store *st, struct customer **out, size_t *n,
                                  struct strlist *skipped, struct sb_err *err)
{
    return st->ops->list_customers(st, out, n, skipped, err);
}

int store_delete_customer(struct store *st, const char *id, struct sb_err *err)
{
    return st->ops->delete_customer(st, id, err);
}

/* Every record written goes through the field checks of a stored record
 * (a JSON round trip), so that no write path (REST, chat, an apply
 * function) can store a record that cannot be read back; the stricter rules
 * for what clients send are applied where they send it. A backend whose
 * write makes that very decode (checks_customers) is not asked twice. */
static int check_customer(const struct store *st, const struct customer *c, struct sb_err *err)
{
    if (st->ops->checks_customers)
        return SB_OK;
    struct model_problems p = {.stored = true};
    struct customer back = {0};
    json_object *o = customer_to_json(c);
    int rc = customer_from_json(o, "", &p, &back);
    if (rc != SB_OK)
        rc = model_problems_to_err(&p, err);
    json_object_put(o);
    model_problems_free(&p);
    customer_free(&back);
    return rc;
}

/* The same for messages, whose fields are all strings: checked in place. */
static int check_message(const struct message *m, struct sb_err *err)
{
    struct model_problems p = {.stored = true};
    int rc = message_check(m, &p);
    if (rc != SB_OK)
        rc = model_problems_to_err(&p, err);
    model_problems_free(&p);
    return rc;
}

int store_put_customer(struct store *st, const struct customer *c, struct sb_err *err)
{
    int rc = check_customer(st, c, err);
    return rc != SB_OK ? rc : st->ops->put_customer(st, c, err);
}

struct checked_update {
    const struct store *st;
    store_customer_fn fn;
    void *arg;
};

static int checked_update_fn(struct customer *c, void *arg, struct sb_err *err)
{
    struct checked_update *u = arg;
    int rc = u->fn(c, u->arg, err);
    return rc != SB_OK ? rc : check_customer(u->st, c, err);
}

int store_update_customer(struct store *st, const char *id, store_customer_fn fn, void *arg,
                          struct customer *out, struct sb_err *err)
{
    struct checked_update u = {st, fn, arg};
    return st->ops->update_customer(st, id, checked_update_fn, &u, out, err);
}

struct device_update {
    const char *device_id;
    store_device_fn fn;
    void *arg;
};

static int apply_device_update(struct customer *c, void *arg, struct sb_err *err)
{
    struct device_update *u = arg;
    struct device *d = customer_find_device(c, u->device_id);
    if (!d)
        return sb_err_set(err, SB_ENOTFOUND, "customer %s has no device %s", c->id, u->device_id);
    int rc = u->fn(d, c, u->arg, err);
    if (rc != SB_OK)
        return rc;
    char ts[UTIL_TIMESTAMP_LEN];
    util_timestamp_now(ts, sizeof(ts));
    free(d->last_updated);
    d->last_updated = xstrdup(ts);
    return SB_OK;
}

int store_update_device(struct store *st, const char *customer_id, const char *device_id,
                        store_device_fn fn, void *arg, struct device *out, struct sb_err *err)
{
    struct device_update u = {device_id, fn, arg};
    struct customer c;
    int rc = store_update_customer(st, customer_id, apply_device_update, &u, &c, err);
    if (rc != SB_OK)
        return rc;
    if (out) {
        const struct device *d = customer_find_device(&c, device_id);
        if (d)
            device_copy(out, d);
        else
            rc = sb_err_set(err, SB_EINTERNAL, "device %s vanished from customer %s", device_id,
                            customer_id);
    }
    customer_free(&c);
    return rc;
}

int store_get_level(struct store *st, const char *level, struct service_level *out,
                    struct sb_err *err)
{
    struct service_level *all = NULL;
    size_t n = 0;
    int rc = store_cache_levels(st, &all, &n, err);
    if (rc != SB_OK)
        return rc;
    rc = sb_err_set(err, SB_ENOTFOUND, "no service level %s", level);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].level, level) == 0) {
            *out = all[i];
            memset(&all[i], 0, sizeof all[i]);
            rc = SB_OK;
        }
    service_levels_free(all, n);
    return rc;
}

int store_list_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err)
{
    return store_cache_levels(st, out, n, err);
}

/* Writes drop the cache before and after: a load running meanwhile (which
 * may have read the old record) is not kept either. */
int store_put_level(struct store *st, const struct service_level *l, struct sb_err *err)
{
    store_cache_drop(st->cache);
    int rc = st->ops->put_level(st, l, err);
    store_cache_drop(st->cache);
    return rc;
}

int store_list_capabilities(struct store *st, struct capability **out, size_t *n,
                            struct sb_err *err)
{
    return store_cache_capabilities(st, out, n, err);
}

int store_import(struct store *st, const struct dataset *ds, struct sb_err *err)
{
    store_cache_drop(st->cache);
    int rc = st->ops->import(st, ds, err);
    store_cache_drop(st->cache);
    return rc;
}

struct checked_exchange {
    const struct store *st;
    store_exchange_fn fn;
    void *arg;
};

/* The exchange's record and messages get the same checks as any write. */
static int checked_exchange_fn(struct customer *c, const char *state, struct store_exchange *ex,
                               void *arg, struct sb_err *err)
{
    struct checked_exchange *u = arg;
    int rc = u->fn(c, state, ex, u->arg, err);
    if (rc == SB_OK)
        rc = check_customer(u->st, c, err);
    for (size_t i = 0; rc == SB_OK && i < 2; i++)
        if (ex->messages[i].id)
            rc = check_message(&ex->messages[i], err);
    return rc;
}

static int check_exchange_key(const struct store_exchange_key *key, struct sb_err *err)
{
    if (!key->customer_id || !key->conversation_id || !key->id)
        return sb_err_set(err, SB_EINVAL, "an exchange needs a customer, a conversation and an id");
    return SB_OK;
}

int store_run_exchange(struct store *st, const struct store_exchange_key *key, store_exchange_fn fn,
                       void *arg, struct message *done, struct sb_err *err)
{
    struct checked_exchange u = {st, fn, arg};
    struct message ignored = {0};
    if (!done)
        done = &ignored;
    memset(done, 0, sizeof *done);
    int rc = check_exchange_key(key, err);
    if (rc == SB_OK)
        rc = st->ops->run_exchange(st, key, checked_exchange_fn, &u, done, err);
    message_free(&ignored);
    return rc;
}

void store_run_exchanges(struct store *st, struct store_exchange_item *const *items, size_t n)
{
    if (!st->ops->run_exchanges) {
        for (size_t i = 0; i < n; i++) {
            struct store_exchange_item *it = items[i];
            it->rc = store_run_exchange(st, &it->key, it->fn, it->arg, &it->done, &it->err);
        }
        return;
    }
    /* the backend sees each item's fn wrapped in the same checks */
    struct store_exchange_item *wrapped = xcalloc(n, sizeof *wrapped);
    struct store_exchange_item **run = xcalloc(n, sizeof *run);
    struct checked_exchange *checks = xcalloc(n, sizeof *checks);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct store_exchange_item *it = items[i];
        memset(&it->done, 0, sizeof it->done);
        if ((it->rc = check_exchange_key(&it->key, &it->err)) != SB_OK)
            continue;
        checks[i] = (struct checked_exchange){st, it->fn, it->arg};
        wrapped[i] = (struct store_exchange_item){
            .key = it->key, .fn = checked_exchange_fn, .arg = &checks[i]};
        run[m++] = &wrapped[i];
    }
    st->ops->run_exchanges(st, run, m);
    for (size_t i = 0; i < n; i++) {
        if (wrapped[i].fn != checked_exchange_fn)
            continue; /* refused above */
        items[i]->rc = wrapped[i].rc;
        items[i]->err = wrapped[i].err;
        items[i]->done = wrapped[i].done;
    }
    free(checks);
    free(run);
    free(wrapped);
}

bool store_shares_commits(const struct store *st)
{
    return st->ops->run_exchanges != NULL;
}

void store_idle(struct store *st)
{
    if (st->ops->idle)
        st->ops->idle(st);
}

int store_get_conversation(struct store *st, const char *customer_id, const char *conversation_id,
                           char **state, struct sb_err *err)
{
    *state = NULL;
    return st->ops->get_conversation(st, customer_id, conversation_id, state, err);
}

int store_fault(const char *point, struct sb_err *err)
{
    const char *path = getenv("SERVICEBOT_STORE_FAULT_FILE");
    char *text = NULL, want[64], action[16];
    size_t len = 0;
    if (!path || !*path || util_read_file(path, &text, &len) != 0)
        return SB_OK;
    int fires = sscanf(text, "%63s %15s", want, action) == 2 && strcmp(want, point) == 0;
    free(text);
    if (!fires || unlink(path) != 0) /* one shot; a lost race means another thread fired it */
        return SB_OK;
    if (strcmp(action, "kill") == 0)
        raise(SIGKILL);
    return sb_err_set(err, SB_EUNAVAIL, "injected fault at %s", point);
}

int store_append_messages(struct store *st, const struct message *m, size_t n, struct sb_err *err)
{
    if (n == 0)
        return SB_OK;
    for (size_t i = 0; i < n; i++) {
        int rc = check_message(&m[i], err);
        if (rc != SB_OK)
            return rc;
    }
    return st->ops->append_messages(st, m, n, err);
}

int store_get_message(struct store *st, const char *id, struct message *out, struct sb_err *err)
{
    return st->ops->get_message(st, id, out, err);
}

int store_history(struct store *st, const struct store_history_query *q, struct message **out,
                  size_t *n, struct sb_err *err)
{
    if (!q->customer_id || q->limit < 1 || q->limit > 500)
        return sb_err_set(err, SB_EINVAL, "history needs a customer and a limit of 1-500");
    return st->ops->history(st, q, out, n, err);
}

int store_put_connection(struct store *st, const struct connection *c, struct sb_err *err)
{
    return st->ops->put_connection(st, c, err);
}

int store_delete_connection(struct store *st, const char *connection_id, struct sb_err *err)
{
    return st->ops->delete_connection(st, connection_id, err);
}

int store_list_connections(struct store *st, const char *user_id, struct connection **out,
                           size_t *n, struct sb_err *err)
{
    return st->ops->list_connections(st, user_id, out, n, err);
}

int store_expire_connections(struct store *st, int64_t now_epoch, size_t *removed,
                             struct sb_err *err)
{
    size_t dummy;
    return st->ops->expire_connections(st, now_epoch, removed ? removed : &dummy, err);
}

int store_put_token(struct store *st, const char *token_hash, const char *customer_id,
                    struct sb_err *err)
{
    char id[UTIL_ID_LEN], now[UTIL_TIMESTAMP_LEN];
    util_new_id("tok", id, sizeof(id));
    util_timestamp_now(now, sizeof(now));
    const struct token_info t = {.id = id, .customer_id = (char *)customer_id, .created = now};
    return st->ops->add_token(st, token_hash, &t, err);
}

int store_get_token(struct store *st, const char *token_hash, char **customer_id,
                    struct sb_err *err)
{
    struct token_info t = {0};
    int rc = st->ops->find_token(st, token_hash, &t, err);
    *customer_id = NULL;
    if (rc == SB_OK) {
        *customer_id = t.customer_id;
        t.customer_id = NULL;
    }
    token_info_free(&t);
    return rc;
}

void token_info_free(struct token_info *t)
{
    if (!t)
        return;
    free(t->id);
    free(t->customer_id);
    free(t->created);
    free(t->last_used);
    free(t->expires);
    memset(t, 0, sizeof(*t));
}

void token_infos_free(struct token_info *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        token_info_free(&t[i]);
    free(t);
}

int store_add_token(struct store *st, const char *token_hash, const struct token_info *t,
                    struct sb_err *err)
{
    return st->ops->add_token(st, token_hash, t, err);
}

int store_find_token(struct store *st, const char *token_hash, struct token_info *out,
                     struct sb_err *err)
{
    memset(out, 0, sizeof(*out));
    return st->ops->find_token(st, token_hash, out, err);
}

int store_list_tokens(struct store *st, struct token_info **out, size_t *n, struct sb_err *err)
{
    *out = NULL;
    *n = 0;
    return st->ops->list_tokens(st, out, n, err);
}

int store_revoke_token(struct store *st, const char *id, struct token_info *out, struct sb_err *err)
{
    struct token_info dummy = {0};
    if (out)
        memset(out, 0, sizeof(*out));
    int rc = st->ops->revoke_token(st, id, out ? out : &dummy, err);
    token_info_free(&dummy);
    return rc;
}

int store_touch_token(struct store *st, const char *token_hash, const char *when,
                      struct sb_err *err)
{
    return st->ops->touch_token(st, token_hash, when, err);
}

int store_has_admin_token(struct store *st, bool *out, struct sb_err *err)
{
    return st->ops->has_admin_token(st, out, err);
}

int store_prune_messages(struct store *st, const char *customer_id, const char *before, size_t keep,
                         size_t *removed, struct sb_err *err)
{
    size_t dummy;
    if (!removed)
        removed = &dummy;
    *removed = 0;
    if (!before && !keep)
        return SB_OK;
    return st->ops->prune_messages(st, customer_id, before, keep, removed, err);
}

int store_usage(struct store *st, struct store_usage *out, struct sb_err *err)
{
    out->bytes = out->free_bytes = out->disk_bytes = -1;
    return st->ops->usage ? st->ops->usage(st, out, err) : SB_OK;
}

int store_publish_change(struct store *st, const char *customer_id, struct sb_err *err)
{
    return st->ops->publish_change ? st->ops->publish_change(st, customer_id, err) : SB_OK;
}

int store_poll_changes(struct store *st, struct strlist *ids, struct sb_err *err)
{
    memset(ids, 0, sizeof(*ids));
    return st->ops->poll_changes ? st->ops->poll_changes(st, ids, err) : SB_OK;
}
