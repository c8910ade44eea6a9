/* What a storage backend implements; only store.c and the backends include this. */
#ifndef SB_STORE_IMPL_H
#define SB_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
    const char *kind;
    /* The backend's customer write decodes the record as its read would and
     * refuses what fails (as a model_problems error), so store.c does not
     * check the record first. */
    bool checks_customers;
    void (*close)(struct store *st);
    int (*get_customer)(struct store *st, const char *id, struct customer *out, struct sb_err *err);
    /* optional: NULL wraps a get_customer in a record of its own */
    int (*get_customer_shared)(struct store *st, const char *id, struct store_customer **out,
                               struct sb_err *err);
    int (*list_customers)(struct store *st, struct customer **out, size_t *n,
                          struct strlist *skipped, struct sb_err *err);
    /* optional: NULL lists every customer */
    int (*list_routine_customers)(struct store *st, struct customer **out, size_t *n,
                                  struct sb_err *err);
    int (*delete_customer)(struct store *st, const char *id, struct sb_err *err);
    int (*check)(struct store *st, struct sb_err *err); /* NULL: nothing to check */
    int (*put_customer)(struct store *st, const struct customer *c, struct sb_err *err);
    int (*update_customer)(struct store *st, const char *id, store_customer_fn fn, void *arg,
                           struct customer *out, struct sb_err *err);
    int (*get_level)(struct store *st, const char *level, struct service_level *out,
                     struct sb_err *err);
    int (*list_levels)(struct store *st, struct service_level **out, size_t *n, struct sb_err *err);
    int (*put_level)(struct store *st, const struct service_level *l, struct sb_err *err);
    int (*list_capabilities)(struct store *st, struct capability **out, size_t *n,
                             struct sb_err *err);
    int (*import)(struct store *st, const struct dataset *ds, struct sb_err *err);
    int (*append_messages)(struct store *st, const struct message *m, size_t n, struct sb_err *err);
    int (*get_message)(struct store *st, const char *id, struct message *out, struct sb_err *err);
    int (*history)(struct store *st, const struct store_history_query *q, struct message **out,
                   size_t *n, struct sb_err *err);
    int (*put_connection)(struct store *st, const struct connection *c, struct sb_err *err);
    int (*delete_connection)(struct store *st, const char *id, struct sb_err *err);
    int (*list_connections)(struct store *st, const char *user_id, struct connection **out,
                            size_t *n, struct sb_err *err);
    int (*expire_connections)(struct store *st, int64_t now, size_t *removed, struct sb_err *err);
    int (*has_admin_token)(struct store *st, bool *out, struct sb_err *err);
    int (*run_exchange)(struct store *st, const struct store_exchange_key *key,
                        store_exchange_fn fn, void *arg, struct message *done, struct sb_err *err);
    /* optional: NULL runs the items one by one through run_exchange */
    void (*run_exchanges)(struct store *st, struct store_exchange_item *const *items, size_t n);
    /* optional: NULL has no upkeep to do between writes */
    void (*idle)(struct store *st);
    int (*get_conversation)(struct store *st, const char *customer_id, const char *conversation_id,
                            char **state, struct sb_err *err);
    int (*add_token)(struct store *st, const char *hash, const struct token_info *t,
                     struct sb_err *err);
    int (*find_token)(struct store *st, const char *hash, struct token_info *out,
                      struct sb_err *err);
    int (*list_tokens)(struct store *st, struct token_info **out, size_t *n, struct sb_err *err);
    int (*revoke_token)(struct store *st, const char *id, struct token_info *out,
                        struct sb_err *err);
    int (*touch_token)(struct store *st, const char *hash, const char *when, struct sb_err *err);
    int (*prune_messages)(struct store *st, const char *customer_id, const char *before,
                          size_t keep, size_t *removed, struct sb_err *err);
    /* optional: NULL means the size is unknown (store_usage answers -1) */
    int (*usage)(struct store *st, struct store_usage *out, struct sb_err *err);
    /* optional: NULL means one instance per store (no notices) */
    int (*publish_change)(struct store *st, const char *customer_id, struct sb_err *err);
    int (*poll_changes)(struct store *st, struct strlist *ids, struct sb_err *err);
};

struct store_cache;

/* Every backend's struct starts with this, so store.c can reach the ops. */
struct store {
    const struct store_ops *ops;
    struct store_cache *cache; /* store.c's (store_cache.c) */
};

/* store_cache.c: levels and catalogue served from memory. */
struct store_cache *store_cache_new(const struct store_options *opt);
void store_cache_free(struct store_cache *c);
/* Copies of the cached lists, loaded through the backend when stale. */
int store_cache_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err);
int store_cache_capabilities(struct store *st, struct capability **out, size_t *n,
                             struct sb_err *err);
/* Forgets what is cached (after a write through this store). */
void store_cache_drop(struct store_cache *c);

/* store_shared.c: a new shared record (held once, by the caller, with c
 * zeroed for the caller to fill) and one more hold of sc. */
struct store_customer *store_customer_new(void);
struct store_customer *store_customer_hold(struct store_customer *sc);

int store_sqlite_open(const struct store_options *opt, struct store **out, struct sb_err *err);
int store_dynamodb_open(const struct store_options *opt, struct store **out, struct sb_err *err);
/* Creates the missing tables and waits until they are ACTIVE. */
int store_dynamodb_migrate(const struct store_options *opt, struct sb_err *err);

#endif
