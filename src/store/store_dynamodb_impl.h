/* Internals of the DynamoDB backend, shared by its files only.
 *
 * Files: store_dynamodb_http.c (signed requests, retries), store_dynamodb_av.c
 * (attribute values <-> model records), store_dynamodb_req.c (request
 * helpers, paging), store_dynamodb_tables.c (create/describe/wait),
 * store_dynamodb.c (open, migrate, customers), store_dynamodb_tokens.c (tokens),
 * store_dynamodb_levels.c (levels, catalogue, import), store_dynamodb_msg.c
 * (messages, history), store_dynamodb_conn.c (connections),
 * store_dynamodb_notice.c (presence, cross-instance notices).
 *
 * Where the things the seed has no table for live (reserved keys start with
 * '#', which this backend refuses as the key of a record it is given, and
 * every list operation skips them):
 * - capability catalogue: {env}-service-levels items "#cap#<id>" with "pos";
 * - API tokens: {env}-customers items "#token#<hash>" with tokenId,
 *   customerId or admin, created, lastUsed, expires;
 * - who is connected where, per customer: {env}-connections items
 *   "#presence#<customerId>" (one attribute per connection);
 * - change notices: {env}-connections items "#inbox#<instance>" holding a
 *   string set of customer ids (see store_dynamodb_notice.c);
 * - what conversations remember, and the journal of the latest exchanges:
 *   the "memory" attribute of the customer's own item (see
 *   store_dynamodb_exchange.c), so that one conditional write commits the
 *   device changes, the state and the exchange's mark together.
 *
 * Ownership: functions returning json_object * return a new reference the
 * caller puts; request objects passed in stay the caller's. */
#ifndef SB_STORE_DYNAMODB_IMPL_H
#define SB_STORE_DYNAMODB_IMPL_H

#include <json-c/json.h>
#include <pthread.h>

#include "store/store_impl.h"

#define DDB_RESERVED_PREFIX  '#'
#define DDB_CAP_PREFIX       "#cap#"
#define DDB_TOKEN_PREFIX     "#token#"
#define DDB_INBOX_PREFIX     "#inbox#"
#define DDB_PRESENCE_PREFIX  "#presence#"
#define DDB_MEMORY_ATTR      "memory"
#define DDB_EXCHANGE_STRIPES 64

/* Optimistic writes to one hot record from several processes: enough
 * attempts for dozens of concurrent writers, then SB_ECONFLICT. */
#define DDB_UPDATE_ATTEMPTS        200
#define DDB_UPDATE_BACKOFF_BASE_MS 2
#define DDB_UPDATE_BACKOFF_CAP_MS  64

enum ddb_table { DDB_CUSTOMERS, DDB_LEVELS, DDB_MESSAGES, DDB_CONNECTIONS, DDB_N_TABLES };

struct ddb_http;

struct store_dynamodb {
    struct store base; /* first: store.c reaches the ops through it */
    struct ddb_http *http;
    char *env;
    char *instance;
    char *table[DDB_N_TABLES];
    /* The instance names this process's connections were recorded under;
     * notices addressed to any of them are this process's. */
    pthread_mutex_t names_lock;
    struct strlist names;
    int64_t last_beat; /* monotonic seconds of the last inbox "seen" mark */
    /* Exchanges of one customer from this process queue on one of these
     * (by a hash of the id) instead of failing each other's conditional
     * writes; only other processes' writes still conflict. */
    pthread_mutex_t exchange_locks[DDB_EXCHANGE_STRIPES];
};

/* store_dynamodb_http.c: one signed DynamoDB call with retries. */
int ddb_http_new(const char *endpoint, const char *region, struct ddb_http **out,
                 struct sb_err *err);
void ddb_http_free(struct ddb_http *h);
/* Sends op (e.g. "GetItem") with body req. On SB_OK *resp (may be NULL)
 * gets the response object. Maps DynamoDB errors: ConditionalCheckFailed ->
 * SB_ECONFLICT, missing table -> SB_ENOTFOUND, credentials -> SB_EAUTH,
 * unreachable/throttled/5xx after retries -> SB_EUNAVAIL. */
int ddb_call(struct ddb_http *h, const char *op, json_object *req, json_object **resp,
             struct sb_err *err);
/* Sleeps a random time in [span/4, span), span = base_ms << attempt capped at cap_ms. */
void ddb_backoff(int attempt, int base_ms, int cap_ms);

/* store_dynamodb_av.c: attribute values. */
/* A plain JSON value as an attribute value ({"S":..}, {"N":..}, ...). */
json_object *ddb_av_from_json(json_object *v);
/* {"k": AV, ...} from a JSON object; null members are left out. */
json_object *ddb_item_from_json(json_object *obj);
/* The plain JSON object of an item (sets become arrays). */
json_object *ddb_item_to_json(json_object *item);
/* {"S": s} */
json_object *ddb_s(const char *s);
/* {"BOOL": b} */
json_object *ddb_bool(bool b);
/* {"N": "n"} */
json_object *ddb_n(long long n);
/* The string of item[key] when it is an S, else NULL. */
const char *ddb_item_s(json_object *item, const char *key);
/* item[key] as an integer when it is an N; false otherwise. */
bool ddb_item_n(json_object *item, const char *key, long long *out);
/* Decoders: a stored item to a zeroed record (struct customer *, ...);
 * SB_ECORRUPT naming the item when it is invalid. */
typedef int (*ddb_decode_fn)(json_object *item, void *out, struct sb_err *err);
int ddb_customer_from_item(json_object *item, void *out, struct sb_err *err);
int ddb_level_from_item(json_object *item, void *out, struct sb_err *err);
int ddb_capability_from_item(json_object *item, struct capability *out, long long *pos,
                             struct sb_err *err);
int ddb_message_from_item(json_object *item, void *out, struct sb_err *err);
int ddb_connection_from_item(json_object *item, void *out, struct sb_err *err);

/* store_dynamodb_tables.c */
/* The table names for env ("dev-customers", ...). */
void ddb_tables_init(struct store_dynamodb *s, const char *env);
/* Checks that every table exists (SB_ENOTFOUND "... run servicebotd migrate"). */
int ddb_tables_check(struct store_dynamodb *s, struct sb_err *err);
/* Creates the missing tables and waits until they and their indexes are ACTIVE. */
int ddb_tables_create(struct store_dynamodb *s, struct sb_err *err);

/* Request helpers shared by the operation files. */
/* {"TableName": t} as a new request object. */
json_object *ddb_req(struct store_dynamodb *s, enum ddb_table t);
/* PutItem of item (a DynamoDB item; the caller keeps its reference). */
int ddb_put_item(struct store_dynamodb *s, enum ddb_table t, json_object *item, struct sb_err *err);
/* Reads one record (ConsistentRead) into out with decode; SB_ENOTFOUND
 * "no <what> <value>" (the SQLite backend's words) when absent, empty or a
 * reserved key. */
int ddb_get_record(struct store_dynamodb *s, enum ddb_table t, const char *key, const char *value,
                   const char *what, ddb_decode_fn decode, void *out, struct sb_err *err);
/* A growing array of decoded records, filled by ddb_collect through
 * ddb_each; items whose key attribute is reserved are skipped. On failure
 * the caller frees what is in it with the record type's plural free. */
struct ddb_list {
    void *items;
    size_t len;
    size_t size;     /* sizeof one record */
    const char *key; /* the table's key attribute */
    ddb_decode_fn decode;
    struct strlist *skipped; /* when set, SB_ECORRUPT items are described here and left out */
};
int ddb_collect(json_object *item, void *list, struct sb_err *err);
/* GetItem with ConsistentRead on key name = value; *item is NULL when absent. */
int ddb_get(struct store_dynamodb *s, enum ddb_table t, const char *key, const char *value,
            json_object **item, struct sb_err *err);
/* Runs a Scan or Query request to the end (LastEvaluatedKey paging), calling
 * fn for each item; fn returns SB_OK to go on, DDB_STOP to end early with
 * SB_OK, or an error status. */
#define DDB_STOP (-1)
typedef int (*ddb_item_fn)(json_object *item, void *arg, struct sb_err *err);
int ddb_each(struct store_dynamodb *s, const char *op, json_object *req, ddb_item_fn fn, void *arg,
             struct sb_err *err);
/* Makes room in a growing array for element n (capacities 8, 16, 32, ...). */
void ddb_grow(void **items, size_t n, size_t size);
/* Whether a key value is one of the backend's reserved items. */
bool ddb_is_reserved(const char *key);
/* {name: {"S": value}} */
json_object *ddb_key(const char *name, const char *value);
/* Adds to req's ExpressionAttributeNames / ExpressionAttributeValues (takes av). */
void ddb_expr_name(json_object *req, const char *placeholder, const char *name);
void ddb_expr_value(json_object *req, const char *placeholder, json_object *av);
/* req[field] = expression (KeyConditionExpression, FilterExpression, ...). */
void ddb_expr(json_object *req, const char *field, const char *expression);
/* Writes c (replacing the item) as version c->version + 1 if the stored
 * version is still c->version (SB_ECONFLICT otherwise), with writeMark =
 * mark and, when not NULL, the memory attribute (an AV). On SB_OK
 * c->version is the new version. */
int ddb_put_customer_if(struct store_dynamodb *s, struct customer *c, const char *mark,
                        json_object *memory, struct sb_err *err);
/* store_dynamodb_exchange.c */
int ddb_run_exchange(struct store *st, const struct store_exchange_key *key, store_exchange_fn fn,
                     void *arg, struct message *done, struct sb_err *err);
int ddb_get_conversation(struct store *st, const char *customer_id, const char *conversation_id,
                         char **state, struct sb_err *err);
/* Writes a customer's record with version = stored version + 1, whatever it was. */
int ddb_write_customer(struct store_dynamodb *s, const struct customer *c, struct sb_err *err);

/* Operations, by file. */
int ddb_get_level(struct store *st, const char *level, struct service_level *out,
                  struct sb_err *err);
int ddb_list_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err);
int ddb_put_level(struct store *st, const struct service_level *l, struct sb_err *err);
int ddb_list_capabilities(struct store *st, struct capability **out, size_t *n, struct sb_err *err);
int ddb_import(struct store *st, const struct dataset *ds, struct sb_err *err);
int ddb_append_messages(struct store *st, const struct message *m, size_t n, struct sb_err *err);
int ddb_get_message(struct store *st, const char *id, struct message *out, struct sb_err *err);
int ddb_prune_messages(struct store *st, const char *customer_id, const char *before, size_t keep,
                       size_t *removed, struct sb_err *err);
int ddb_history(struct store *st, const struct store_history_query *q, struct message **out,
                size_t *n, struct sb_err *err);
int ddb_put_connection(struct store *st, const struct connection *c, struct sb_err *err);
int ddb_delete_connection(struct store *st, const char *id, struct sb_err *err);
int ddb_list_connections(struct store *st, const char *user_id, struct connection **out, size_t *n,
                         struct sb_err *err);
int ddb_expire_connections(struct store *st, int64_t now, size_t *removed, struct sb_err *err);
/* Remembers name as one of this process's instance names. */
void ddb_names_add(struct store_dynamodb *s, const char *name);
/* A connection's entry in its customer's presence item: set (which also
 * makes its instance one of this process's names), remove. */
int ddb_presence_set(struct store_dynamodb *s, const struct connection *c, struct sb_err *err);
int ddb_presence_remove(struct store_dynamodb *s, const char *user_id, const char *connection_id,
                        struct sb_err *err);
int ddb_publish_change(struct store *st, const char *customer_id, struct sb_err *err);
/* API tokens (store_dynamodb_tokens.c). */
int ddb_has_admin_token(struct store *st, bool *out, struct sb_err *err);
int ddb_add_token(struct store *st, const char *hash, const struct token_info *t,
                  struct sb_err *err);
int ddb_find_token(struct store *st, const char *hash, struct token_info *out, struct sb_err *err);
int ddb_list_tokens(struct store *st, struct token_info **out, size_t *n, struct sb_err *err);
int ddb_revoke_token(struct store *st, const char *id, struct token_info *out, struct sb_err *err);
int ddb_touch_token(struct store *st, const char *hash, const char *when, struct sb_err *err);
int ddb_poll_changes(struct store *st, struct strlist *ids, struct sb_err *err);

#endif
