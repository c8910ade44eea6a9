/* The storage interface: every access pattern of the seed data model plus
 * what import, admin and auth need. Backends: SQLite (default, embedded) and
 * DynamoDB (several servicebotd sharing one store).
 *
 * Threads: one struct store may be used from several threads at once.
 * Ownership: records returned through out parameters belong to the caller,
 * who frees them with the model's *_free functions (arrays with the plural
 * helpers: customers_free, messages_free, ...). Every call returns SB_OK or an
 * error status with err filled; on failure the out parameters hold nothing. */
#ifndef SB_STORE_H
#define SB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/model.h"

struct store;

struct store_options {
    const char *kind; /* "sqlite" (default) or "dynamodb" */
    /* sqlite */
    const char *path; /* database file; default ./servicebot.db */
    /* dynamodb */
    const char *env;      /* table prefix: {env}-customers; default "dev" */
    const char *endpoint; /* e.g. http://127.0.0.1:8000; default AWS for the region */
    const char *region;   /* default $AWS_REGION or us-east-1 */
    const char *instance; /* this process's name in the connections table */
    /* How long levels and the capability catalogue are served from memory
     * (see "Cached reads" below): 0 = STORE_CACHE_MS_DEFAULT, < 0 = not cached. */
    int cache_ms;
    /* The clock of that cache in ms (tests); NULL = util_now_ms. */
    int64_t (*clock_ms)(void);
};

#define STORE_CACHE_MS_DEFAULT 1000

/* Opens (and creates or migrates the schema of) a store. */
int store_open(const struct store_options *opt, struct store **out, struct sb_err *err);
void store_close(struct store *st);
/* "sqlite" or "dynamodb". */
const char *store_kind(const struct store *st);
/* A cheap check, without a query, that the store can still be served from
 * (SQLite: its file was not deleted or replaced); SB_EUNAVAIL saying why. */
int store_check(struct store *st, struct sb_err *err);

/* Customers. get is strongly consistent. put creates or replaces. */
int store_get_customer(struct store *st, const char *id, struct customer *out, struct sb_err *err);
int store_list_customers(struct store *st, struct customer **out, size_t *n, struct sb_err *err);
int store_put_customer(struct store *st, const struct customer *c, struct sb_err *err);

/* A customer record shared by reference, for reads that only look at it
 * (GET devices): the same consistency as store_get_customer, without a
 * copy when the backend already holds the decode of the very record read
 * (SQLite's row cache: keyed by the stored row's bytes). Never modified;
 * valid until its holder calls store_customer_release.
 *
 * A memo is text the caller derives from c alone (a pure function of the
 * record, e.g. a rendered body): it is kept with the record, so every
 * later read of the same stored bytes finds it, and a changed row, being
 * another record, starts without. One slot per kind of derivation. */
enum store_memo {
    STORE_MEMO_DEVICES, /* GET /api/customers/{id}/devices's body */
    STORE_MEMO_N
};
struct store_customer {
    struct customer c;
    /* store_shared.c's */
    int refs;
    struct store_memo_text *memo[STORE_MEMO_N];
};
int store_get_customer_shared(struct store *st, const char *id, const struct store_customer **out,
                              struct sb_err *err);
void store_customer_release(const struct store_customer *sc);
/* The memo of that kind, or NULL (length in *len). */
const char *store_customer_memo(const struct store_customer *sc, enum store_memo kind, size_t *len);
/* Keeps text (taken, len bytes plus a NUL) as the memo unless another
 * thread set one first; returns the one kept (which equals text, both
 * being the same function of the record). */
const char *store_customer_memo_set(const struct store_customer *sc, enum store_memo kind,
                                    char *text, size_t *len);
/* The list for people: a record that cannot be read (SB_ECORRUPT) is left
 * out and described by one sentence naming its id in *skipped, instead of
 * failing the whole list. */
int store_list_customers_skipping(struct store *st, struct customer **out, size_t *n,
                                  struct strlist *skipped, struct sb_err *err);
/* The customers that have routines (at least those: a backend may list
 * more), for the scheduler's scan: on SQLite the others are not read at
 * all, where every customer's record was decoded once a second. */
int store_list_routine_customers(struct store *st, struct customer **out, size_t *n,
                                 struct sb_err *err);
/* Removes a customer record without reading it (so a corrupt one can go).
 * SB_ENOTFOUND when there is none. */
int store_delete_customer(struct store *st, const char *id, struct sb_err *err);

/* Read-modify-write of one customer record, atomic against every other
 * writer (other threads and other processes): fn gets the current record and
 * changes it in place; returning SB_OK commits, anything else aborts with that
 * status (fn fills err). fn may run more than once (optimistic retries), so it
 * must not have side effects beyond the record. On SB_OK *out (if not NULL)
 * receives the committed record. */
typedef int (*store_customer_fn)(struct customer *c, void *arg, struct sb_err *err);
int store_update_customer(struct store *st, const char *id, store_customer_fn fn, void *arg,
                          struct customer *out, struct sb_err *err);

/* Read-modify-write of one device of a customer (built on update_customer):
 * fn sees the device and, read-only, its customer. lastUpdated is set to now
 * when fn returns SB_OK. SB_ENOTFOUND names the customer or the device. */
typedef int (*store_device_fn)(struct device *d, const struct customer *c, void *arg,
                               struct sb_err *err);
int store_update_device(struct store *st, const char *customer_id, const char *device_id,
                        store_device_fn fn, void *arg, struct device *out, struct sb_err *err);

/* Cached reads: service levels and the catalogue are read from memory,
 * loaded at most once per cache_ms. A write through this store (put_level,
 * import) is seen at once by its next read; a write through another store
 * (another servicebotd) within cache_ms. */

/* Service levels, listed by rank (lowest first). */
int store_get_level(struct store *st, const char *level, struct service_level *out,
                    struct sb_err *err);
int store_list_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err);
int store_put_level(struct store *st, const struct service_level *l, struct sb_err *err);

/* The capability catalogue, in catalogue order. */
int store_list_capabilities(struct store *st, struct capability **out, size_t *n,
                            struct sb_err *err);

/* Both lists as one immutable snapshot shared by reference (a chat
 * exchange's policy), under the same cache_ms rule, without a copy per
 * read. Never modified; valid until its holder calls store_snapshot_release,
 * whatever the cache (or store_close) does meanwhile. */
struct store_snapshot {
    const struct service_level *levels; /* by rank, lowest first */
    size_t n_levels;
    const struct capability *caps; /* catalogue order */
    size_t n_caps;
};
int store_snapshot_get(struct store *st, const struct store_snapshot **out, struct sb_err *err);
void store_snapshot_release(const struct store_snapshot *snap);

/* Loads a whole dataset: all or nothing. Existing records with the same keys are replaced. */
int store_import(struct store *st, const struct dataset *ds, struct sb_err *err);

/* Messages are immutable. Appending a message whose id exists is a no-op that
 * succeeds (safe resends). append_messages writes all n or none; when it
 * returns SB_OK they are durable. Concurrent appends share commits. */
int store_append_messages(struct store *st, const struct message *m, size_t n, struct sb_err *err);
int store_get_message(struct store *st, const char *id, struct message *out, struct sb_err *err);

/* History, newest page first: the `limit` messages with timestamp < before
 * (all when before is NULL), returned oldest-first within the page. With
 * conversation_id NULL, all of the customer's messages. Messages with the
 * same timestamp keep the order they were appended in (SQLite; DynamoDB's
 * indexes sort by timestamp only). */
struct store_history_query {
    const char *customer_id;
    const char *conversation_id;
    const char *before;
    int limit; /* 1-500 */
};
int store_history(struct store *st, const struct store_history_query *q, struct message **out,
                  size_t *n, struct sb_err *err);

/* Chat exchanges: one request and its answer, committed all or nothing
 * together with the customer record it changed and its conversation's
 * state (what the conversation remembers, opaque text to the store).
 *
 * fn gets the current record and the conversation's state (NULL: nothing
 * remembered), changes the record in place and fills ex: both messages
 * (the bot's id must be key->id) and the state to keep (NULL: forget it).
 * Its strings stay fn's (arg's); fn may run more than once (optimistic
 * retries, as update_customer's fn), and on SQLite on another thread while
 * the caller waits. Returning anything but SB_OK aborts with that status.
 *
 * An exchange whose bot message key->id is already committed for this
 * customer is not run again: *done (when not NULL) gets that bot message
 * and the call returns SB_OK with fn not called; otherwise done->id stays
 * NULL. On success the customer's version went up by one.
 *
 * SQLite: one transaction (customer row, both messages, the state), shared
 * with concurrent exchanges and appends (group commit); a failure leaves
 * nothing. DynamoDB (no transactions): the customer item is written first,
 * carrying key->id as its write mark, the state and the exchange's messages
 * in a short journal; then the messages. A failure after the first write
 * returns an error, and the next call with the same key (a retry, on any
 * instance) finds the journal entry, completes the messages and answers
 * *done: nothing is half-applied for good and nothing is applied twice. */
struct store_exchange_key {
    const char *customer_id;
    const char *conversation_id;
    const char *id; /* the exchange's bot message id */
    bool new_id;    /* id was just made up: no earlier attempt can hold it */
};
struct store_exchange {
    struct message messages[2]; /* the user's, then the bot's */
    const char *state;
};
typedef int (*store_exchange_fn)(struct customer *c, const char *state, struct store_exchange *ex,
                                 void *arg, struct sb_err *err);
int store_run_exchange(struct store *st, const struct store_exchange_key *key, store_exchange_fn fn,
                       void *arg, struct message *done, struct sb_err *err);
/* Many exchanges at once, each as store_run_exchange runs it, sharing their
 * commit where the backend can: on SQLite one transaction (one fsync) for
 * all, each in a savepoint of its own so a failing one leaves the others
 * (a failed COMMIT fails them all); elsewhere one after another. Each
 * item's rc and err get its outcome, done as store_run_exchange's *done
 * (the caller frees it). */
struct store_exchange_item {
    struct store_exchange_key key;
    store_exchange_fn fn;
    void *arg;
    struct message done;
    int rc;
    struct sb_err err;
};
void store_run_exchanges(struct store *st, struct store_exchange_item *const *items, size_t n);
/* Whether store_run_exchanges shares one commit among its items. */
bool store_shares_commits(const struct store *st);
/* The caller's writes have paused (the exchange thread found nothing
 * queued): upkeep that would otherwise stall a write in a burst is done
 * now (SQLite: a short WAL checkpoint). Any thread but the event loop's. */
void store_idle(struct store *st);
/* How many conversations per customer keep their state: a new one makes the
 * least recently used forget. */
#define STORE_CONVERSATIONS_KEPT     32
#define STORE_CONVERSATIONS_KEPT_SQL "32"
/* The state the conversation's last exchange kept; *state NULL when none.
 * The caller frees *state. */
int store_get_conversation(struct store *st, const char *customer_id, const char *conversation_id,
                           char **state, struct sb_err *err);

/* Fault injection for tests: when $SERVICEBOT_STORE_FAULT_FILE names a file
 * holding "POINT ACTION", the next time the store reaches POINT it removes
 * the file and does ACTION: "fail" (the operation fails with SB_EUNAVAIL,
 * "injected fault at POINT") or "kill" (the process kills itself with
 * SIGKILL). Points: "exchange-between" (an exchange's customer record is
 * written, its messages not yet). Returns SB_OK when no fault fires. */
int store_fault(const char *point, struct sb_err *err);

/* WebSocket connections (seed's connections table). Rows whose ttl is in
 * the past are never returned, whether or not expire has removed them yet. */
int store_put_connection(struct store *st, const struct connection *c, struct sb_err *err);
int store_delete_connection(struct store *st, const char *connection_id, struct sb_err *err);
int store_list_connections(struct store *st, const char *user_id, struct connection **out,
                           size_t *n, struct sb_err *err);
/* Removes rows with ttl <= now_epoch; *removed (may be NULL) gets the count. */
int store_expire_connections(struct store *st, int64_t now_epoch, size_t *removed,
                             struct sb_err *err);

/* API tokens, kept as hashes (the caller hashes). customer_id NULL = admin.
 * put stores a token that never expires (keeping the id and creation time
 * when the hash is already stored, as for SERVICEBOT_ADMIN_TOKEN). */
int store_put_token(struct store *st, const char *token_hash, const char *customer_id,
                    struct sb_err *err);
/* SB_ENOTFOUND when unknown; *customer_id gets a heap copy or NULL for admin. */
int store_get_token(struct store *st, const char *token_hash, char **customer_id,
                    struct sb_err *err);

/* A token's public record, for listing and revoking: never the secret nor
 * its hash. Times are ISO 8601 UTC. */
struct token_info {
    char *id;          /* "tok_...", made at creation */
    char *customer_id; /* NULL: admin */
    char *created;
    char *last_used; /* NULL: never; see store_touch_token */
    char *expires;   /* NULL: never */
};
void token_info_free(struct token_info *t);
void token_infos_free(struct token_info *t, size_t n);
/* Stores token_hash with t's id, customer_id, created and expires; when the
 * hash is already stored only its customer and expiry change. */
int store_add_token(struct store *st, const char *token_hash, const struct token_info *t,
                    struct sb_err *err);
/* The record of a stored token; SB_ENOTFOUND when unknown or revoked
 * (expiry is the caller's to judge). */
int store_find_token(struct store *st, const char *token_hash, struct token_info *out,
                     struct sb_err *err);
/* Every token, oldest first. */
int store_list_tokens(struct store *st, struct token_info **out, size_t *n, struct sb_err *err);
/* Deletes the token with this id: it stops working on every instance once
 * their auth caches let it go. SB_ENOTFOUND "no token ID" when there is
 * none; *out (may be NULL) gets the record removed. */
int store_revoke_token(struct store *st, const char *id, struct token_info *out,
                       struct sb_err *err);
/* Sets a token's last_used to when; a token revoked meanwhile stays gone. */
int store_touch_token(struct store *st, const char *token_hash, const char *when,
                      struct sb_err *err);
/* Whether any admin token exists. */
int store_has_admin_token(struct store *st, bool *out, struct sb_err *err);

/* Message retention: deletes customer_id's messages with a timestamp
 * before `before` (NULL: none for age) and all but the newest `keep`
 * (0: no count limit); *removed (may be NULL) gets how many went. SQLite
 * keeps an exchange's request and reply together: a request past `before`
 * takes its reply, and keep + 1 may stay. The seed keeps every message:
 * servicebotd only calls this when configured. */
int store_prune_messages(struct store *st, const char *customer_id, const char *before, size_t keep,
                         size_t *removed, struct sb_err *err);

/* How much room the store takes and has left, for the server's watermark:
 * bytes is the store's own size (SQLite: the file and its WAL), free_bytes
 * what its filesystem has left for it; -1 when the backend cannot tell
 * (DynamoDB: the service has no disk to fill). */
struct store_usage {
    int64_t bytes;
    int64_t free_bytes;
    int64_t disk_bytes; /* the filesystem's whole size */
};
int store_usage(struct store *st, struct store_usage *out, struct sb_err *err);

/* Cross-instance change notices, so that several servicebotd sharing one
 * store push a device change to WebSocket clients connected anywhere.
 * publish tells every other instance holding a connection of customer_id;
 * poll returns (and consumes) the customer ids this instance was told about.
 * A backend with one instance per store may implement both as no-ops.
 * *ids is a heap array of heap strings; free with strlist_free. */
int store_publish_change(struct store *st, const char *customer_id, struct sb_err *err);
int store_poll_changes(struct store *st, struct strlist *ids, struct sb_err *err);

/* Creates or upgrades the store's tables and returns once they are usable
 * (DynamoDB: creates the missing tables idempotently and waits until they
 * and their indexes are ACTIVE; SQLite: an open and close, which migrates).
 * For `servicebotd migrate`; store_open on DynamoDB does not create tables. */
int store_migrate(const struct store_options *opt, struct sb_err *err);

#endif
