/* The SQLite backend: one file in WAL mode, a pool of connections for
 * concurrent readers, BEGIN IMMEDIATE for read-modify-write so that writers
 * in other threads and other processes never lose an update. Customers keep
 * their devices as a JSON list, as the seed's customers table does. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "store/sqlite_impl.h"
#include "store/sqlite_schema.h"
#include "store/sqlite_wal.h"

#define BUSY_TIMEOUT_MS 30000

int sqlite_fail(sqlite3 *db, const char *what, struct sb_err *err)
{
    int code = sqlite3_errcode(db);
    /* SQLite's own allocation failed: the tree's out-of-memory policy, not a 500 */
    if (code == SQLITE_NOMEM)
        xalloc_die(0);
    int status = (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR ||
                  code == SQLITE_FULL || code == SQLITE_CANTOPEN || code == SQLITE_READONLY ||
                  code == SQLITE_PERM)
                     ? SB_EUNAVAIL
                 : code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? SB_ECORRUPT
                                                                   : SB_EINTERNAL;
    return sb_err_set(err, status, "%s: %s", what, sqlite3_errmsg(db));
}

char *sqlite_column_dup(sqlite3_stmt *stmt, int i)
{
    const unsigned char *text = sqlite3_column_text(stmt, i);
    if (!text) {
        /* SQLite's way of saying it could not allocate the text */
        if (sqlite3_errcode(sqlite3_db_handle(stmt)) == SQLITE_NOMEM)
            xalloc_die(0);
        return NULL;
    }
    return xstrdup((const char *)text);
}

void sqlite_columns_dup(sqlite3_stmt *stmt, char **const *cols, int n)
{
    for (int i = 0; i < n; i++)
        if (cols[i])
            *cols[i] = sqlite_column_dup(stmt, i);
}

int sqlite_query_one(struct sqlite_store *s, const struct sqlite_list_query *q, void *out,
                     const char *missing, struct sb_err *err)
{
    void *found = NULL;
    size_t n = 0;
    int rc = sqlite_query_list(s, q, &found, &n, err);
    if (rc != SB_OK)
        return rc;
    if (n == 0)
        rc = sb_err_set(err, SB_ENOTFOUND, "%s", missing);
    else
        memcpy(out, found, q->elem_size);
    for (size_t i = 1; i < n; i++)
        q->free_one((char *)found + i * q->elem_size);
    free(found);
    return rc;
}

sqlite3_stmt *sqlite_stmt(sqlite3 *db, const char *sql)
{
    /* SQLite already lists a connection's statements: reuse an idle one
     * with the same text instead of parsing and planning it again. */
    for (sqlite3_stmt *stmt = sqlite3_next_stmt(db, NULL); stmt; stmt = sqlite3_next_stmt(db, stmt))
        if (!sqlite3_stmt_busy(stmt) && strcmp(sqlite3_sql(stmt), sql) == 0)
            return stmt;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        return NULL;
    return stmt;
}

void sqlite_stmt_done(sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

int sqlite_run(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = sqlite_stmt(db, sql);
    if (!stmt)
        return sqlite3_errcode(db);
    int rc = sqlite3_step(stmt);
    sqlite_stmt_done(stmt);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

void sqlite_close_db(sqlite3 *db)
{
    sqlite3_stmt *stmt;
    while (db && (stmt = sqlite3_next_stmt(db, NULL)) != NULL)
        sqlite3_finalize(stmt);
    sqlite3_close(db);
}

int sqlite_query_list(struct sqlite_store *s, const struct sqlite_list_query *q, void **out,
                      size_t *n, struct sb_err *err)
{
    sqlite3_stmt *stmt = NULL;
    char *list = NULL;
    size_t len = 0;
    int rc = SB_OK, step;
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    if (!(stmt = sqlite_stmt(db, q->sql))) {
        rc = sqlite_fail(db, q->what, err);
        goto out;
    }
    for (int i = 0; i < q->n_params; i++)
        sqlite3_bind_text(stmt, i + 1, q->params[i], -1, SQLITE_STATIC);
    if (q->limit > 0)
        sqlite3_bind_int(stmt, q->n_params + 1, q->limit);
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        list = xrealloc(list, (len + 1) * q->elem_size);
        memset(list + len * q->elem_size, 0, q->elem_size);
        struct sb_err rerr = {0};
        if ((rc = q->read(stmt, list + len * q->elem_size, &rerr)) == SB_ECORRUPT && q->skipped) {
            q->free_one(list + len * q->elem_size);
            strlist_push(q->skipped, rerr.msg);
            continue;
        }
        if (rc != SB_OK) {
            if (err)
                *err = rerr;
            goto out;
        }
        len++;
    }
    if (step != SQLITE_DONE)
        rc = sqlite_fail(db, q->what, err);
out:
    sqlite_stmt_done(stmt);
    sqlite_conn_put(s, db);
    if (rc != SB_OK) {
        for (size_t i = 0; i < len; i++)
            q->free_one(list + i * q->elem_size);
        free(list);
        return rc;
    }
    *out = list;
    *n = len;
    return SB_OK;
}

/* Statement journals (each exchange of a group commit has a savepoint,
 * which keeps the pages it changes) stay in memory. Past SQLite's default
 * of 64 kB they spilled to a temporary file in any batch of more than a
 * few exchanges: 17 extra writes per exchange, measured with strace on
 * WebSocket load. A positive threshold would also be the journal's chunk
 * size, one large allocation per commit; -1 keeps small chunks, and the
 * exchange thread bounds a commit (CHAT_COMMIT_MAX in chat_exchange.c). */
#define STATEMENT_JOURNAL_IN_MEMORY (-1)

/* Process-wide settings, which must be made before SQLite initializes,
 * hence before the first open. (Memory statistics stay on, though they
 * take a process-wide mutex per allocation: SQLite's heap limits, and so
 * the out-of-memory test, rely on them, and turning them off measured
 * within the noise.) */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STATEMENT_JOURNAL_IN_MEMORY);
}

static int open_connection(struct sqlite_store *s, sqlite3 **out, struct sb_err *err)
{
    const char *path = s->path;
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, configure_sqlite);
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        /* no handle at all: SQLite could not allocate one */
        if (!db)
            xalloc_die(0);
        int rc =
            sb_err_set(err, SB_EUNAVAIL, "cannot open database %s: %s", path, sqlite3_errmsg(db));
        sqlite_close_db(db);
        return rc;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    /* WAL with synchronous=FULL: a commit is on disk before it returns, so an
     * acknowledged message survives kill -9 and power loss. Checkpoints:
     * sqlite_wal.c. */
    const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
    if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK) {
        int rc = sqlite_fail(db, path, err);
        sqlite_close_db(db);
        return rc;
    }
    sqlite_wal_watch(s, db);
    *out = db;
    return SB_OK;
}

sqlite3 *sqlite_conn_get(struct sqlite_store *s, struct sb_err *err)
{
    sqlite3 *db = NULL;
    if (sqlite_file_check(s, err) != SB_OK)
        return NULL;
    pthread_mutex_lock(&s->pool_lock);
    while (s->n_idle == 0 && s->max_open && s->n_open >= s->max_open)
        pthread_cond_wait(&s->pool_free, &s->pool_lock);
    if (s->n_idle > 0)
        db = s->idle[--s->n_idle];
    else
        s->n_open++;
    pthread_mutex_unlock(&s->pool_lock);
    if (!db && open_connection(s, &db, err) != SB_OK) {
        pthread_mutex_lock(&s->pool_lock);
        s->n_open--;
        pthread_mutex_unlock(&s->pool_lock);
        return NULL;
    }
    return db;
}

void sqlite_conn_put(struct sqlite_store *s, sqlite3 *db)
{
    pthread_mutex_lock(&s->pool_lock);
    if (s->n_idle == s->cap_idle) {
        size_t cap = s->cap_idle ? s->cap_idle * 2 : 8;
        s->idle = xrealloc(s->idle, cap * sizeof(*s->idle));
        s->cap_idle = cap;
    }
    s->idle[s->n_idle++] = db;
    pthread_cond_signal(&s->pool_free);
    pthread_mutex_unlock(&s->pool_lock);
}

static void sqlite_close(struct store *st)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    for (size_t i = 0; i < s->n_idle; i++)
        sqlite_close_db(s->idle[i]);
    free(s->idle);
    sqlite_file_forget(s);
    free(s->path);
    pthread_mutex_destroy(&s->pool_lock);
    pthread_cond_destroy(&s->pool_free);
    pthread_mutex_destroy(&s->commit_lock);
    pthread_mutex_destroy(&s->write_lock);
    pthread_cond_destroy(&s->commit_done);
    free(s);
}

/* Without a transaction while nothing was committed to the file since the
 * cached row was read (sqlite_stamp.c); the stamp is read after the file
 * check and before the transaction of a read that has to be made. */
static int sqlite_get_customer_shared(struct store *st, const char *id, struct store_customer **out,
                                      struct sb_err *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct sqlite_stamp now;
    if (sqlite_file_check(s, err) != SB_OK)
        return err ? err->code : SB_EUNAVAIL;
    bool stamped = sqlite_stamp_now(s, &now);
    if (stamped && (*out = sqlite_rowcache_unchanged(id, &now)))
        return SB_OK;
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    int rc = sqlite_load_customer_shared(db, id, stamped ? &now : NULL, out, err);
    sqlite_conn_put(s, db);
    return rc;
}

/* A copy of the shared read (GET customer, the engine's reads, pushes). */
static int sqlite_get_customer(struct store *st, const char *id, struct customer *out,
                               struct sb_err *err)
{
    struct store_customer *rec = NULL;
    int rc = sqlite_get_customer_shared(st, id, &rec, err);
    if (rc == SB_OK) {
        customer_copy(out, &rec->c);
        store_customer_release(rec);
    }
    return rc;
}

static void customer_free_one(void *elem)
{
    customer_free(elem);
}

static int sqlite_list_customers(struct store *st, struct customer **out, size_t *n,
                                 struct strlist *skipped, struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT " SQLITE_CUSTOMER_COLUMNS " FROM customers ORDER BY id",
        .elem_size = sizeof(struct customer),
        .read = sqlite_customer_row,
        .free_one = customer_free_one,
        .what = "listing customers",
        .skipped = skipped,
    };
    return sqlite_query_list((struct sqlite_store *)st, &q, (void **)out, n, err);
}

/* Through the partial index of migration 7: rows without routines (NULL,
 * as sqlite_write_customer writes them) are not read. */
static int sqlite_list_routine_customers(struct store *st, struct customer **out, size_t *n,
                                         struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT " SQLITE_CUSTOMER_COLUMNS " FROM customers INDEXED BY "
               "customers_with_routines WHERE routines IS NOT NULL ORDER BY id",
        .elem_size = sizeof(struct customer),
        .read = sqlite_customer_row,
        .free_one = customer_free_one,
        .what = "listing customers with routines",
    };
    return sqlite_query_list((struct sqlite_store *)st, &q, (void **)out, n, err);
}

int sqlite_write_begin(struct sqlite_store *s, sqlite3 *db, const char *what, struct sb_err *err)
{
    pthread_mutex_lock(&s->write_lock);
    if (sqlite_run(db, "BEGIN IMMEDIATE") == SQLITE_OK)
        return SB_OK;
    int rc = sqlite_fail(db, what, err);
    pthread_mutex_unlock(&s->write_lock);
    return rc;
}

int sqlite_write_end(struct sqlite_store *s, sqlite3 *db, int rc, const char *what,
                     struct sb_err *err)
{
    if (rc == SB_OK && sqlite_run(db, "COMMIT") != SQLITE_OK)
        rc = sqlite_fail(db, what, err);
    if (rc != SB_OK)
        sqlite_run(db, "ROLLBACK");
    pthread_mutex_unlock(&s->write_lock);
    return rc;
}

/* Runs body(db, arg) inside BEGIN IMMEDIATE ... COMMIT, rolling back on failure. */
typedef int (*txn_body)(sqlite3 *db, void *arg, struct sb_err *err);

static int in_transaction(struct sqlite_store *s, txn_body body, void *arg, struct sb_err *err)
{
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    int rc = sqlite_write_begin(s, db, "starting a write", err);
    if (rc == SB_OK)
        rc = sqlite_write_end(s, db, body(db, arg, err), "committing", err);
    sqlite_conn_put(s, db);
    return rc;
}

int sqlite_in_transaction(struct sqlite_store *s, sqlite_txn_fn body, void *arg, struct sb_err *err)
{
    return in_transaction(s, body, arg, err);
}

static int put_customer_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    const struct customer *c = arg;
    sqlite3_stmt *stmt = NULL;
    int64_t version = 1;
    if (!(stmt = sqlite_stmt(db, "SELECT version FROM customers WHERE id = ?")))
        return sqlite_fail(db, "writing a customer", err);
    sqlite3_bind_text(stmt, 1, c->id, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int64(stmt, 0) + 1;
    sqlite_stmt_done(stmt);
    return sqlite_write_customer(db, c, version, err);
}

static int sqlite_put_customer(struct store *st, const struct customer *c, struct sb_err *err)
{
    return in_transaction((struct sqlite_store *)st, put_customer_body, (void *)c, err);
}

static int sqlite_check(struct store *st, struct sb_err *err)
{
    return sqlite_file_check((struct sqlite_store *)st, err);
}

static int delete_customer_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    const char *id = arg;
    sqlite3_stmt *stmt = sqlite_stmt(db, "DELETE FROM customers WHERE id = ?");
    if (!stmt)
        return sqlite_fail(db, "deleting a customer", err);
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    sqlite_stmt_done(stmt);
    if (step != SQLITE_DONE)
        return sqlite_fail(db, "deleting a customer", err);
    if (sqlite3_changes(db) == 0)
        return sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", id);
    return SB_OK;
}

static int sqlite_delete_customer(struct store *st, const char *id, struct sb_err *err)
{
    return in_transaction((struct sqlite_store *)st, delete_customer_body, (void *)id, err);
}

struct update_args {
    const char *id;
    store_customer_fn fn;
    void *arg;
    struct customer *out;
};

static int update_customer_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    struct update_args *u = arg;
    struct customer c;
    int rc = sqlite_read_customer(db, u->id, &c, err);
    if (rc != SB_OK)
        return rc;
    if ((rc = u->fn(&c, u->arg, err)) == SB_OK) {
        c.version++;
        rc = sqlite_write_customer(db, &c, c.version, err);
    }
    if (rc == SB_OK && u->out)
        *u->out = c;
    else
        customer_free(&c);
    return rc;
}

static int sqlite_update_customer(struct store *st, const char *id, store_customer_fn fn, void *arg,
                                  struct customer *out, struct sb_err *err)
{
    struct customer result = {0};
    struct update_args u = {id, fn, arg, out ? &result : NULL};
    int rc = in_transaction((struct sqlite_store *)st, update_customer_body, &u, err);
    if (rc == SB_OK && out)
        *out = result;
    else
        customer_free(&result);
    return rc;
}

/* Levels and capabilities are stored as their JSON records. */
static int level_from_text(const char *text, const char *key, struct service_level *out,
                           struct sb_err *err)
{
    json_object *o = NULL;
    struct model_problems p = {.stored = true};
    struct sb_err perr;
    int rc = jsonx_parse(text ? text : "", text ? strlen(text) : 0, &o, &perr);
    if (rc == SB_OK && service_level_from_json(o, "", &p, out) != SB_OK) {
        model_problems_to_err(&p, &perr);
        rc = SB_EINVAL;
    }
    if (rc != SB_OK)
        rc = sb_err_set(err, SB_ECORRUPT, "stored service level %s is corrupt: %s", key, perr.msg);
    model_problems_free(&p);
    json_object_put(o);
    return rc;
}

static int level_row(sqlite3_stmt *stmt, void *elem, struct sb_err *err)
{
    return level_from_text((const char *)sqlite3_column_text(stmt, 1),
                           (const char *)sqlite3_column_text(stmt, 0), elem, err);
}

static void level_free_one(void *elem)
{
    service_level_free(elem);
}

static int sqlite_get_level(struct store *st, const char *level, struct service_level *out,
                            struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT level, record FROM service_levels WHERE level = ?",
        .params = {level},
        .n_params = 1,
        .elem_size = sizeof(struct service_level),
        .read = level_row,
        .free_one = level_free_one,
        .what = "reading a service level",
    };
    char missing[MODEL_ID_MAX + 32];
    snprintf(missing, sizeof(missing), "no service level %s", level);
    return sqlite_query_one((struct sqlite_store *)st, &q, out, missing, err);
}

static int sqlite_list_levels(struct store *st, struct service_level **out, size_t *n,
                              struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT level, record FROM service_levels ORDER BY rank, level",
        .elem_size = sizeof(struct service_level),
        .read = level_row,
        .free_one = level_free_one,
        .what = "listing service levels",
    };
    return sqlite_query_list((struct sqlite_store *)st, &q, (void **)out, n, err);
}

static int write_level(sqlite3 *db, const struct service_level *l, struct sb_err *err)
{
    sqlite3_stmt *stmt = NULL;
    json_object *o = service_level_to_json(l);
    int rc = SB_OK;
    if (!(stmt = sqlite_stmt(db, "INSERT OR REPLACE INTO service_levels (level, rank, record) "
                                 "VALUES (?, ?, ?)"))) {
        rc = sqlite_fail(db, "writing a service level", err);
        goto out;
    }
    sqlite3_bind_text(stmt, 1, l->level, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, l->rank);
    sqlite3_bind_text(stmt, 3, jsonx_string(o, NULL), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, "writing a service level", err);
out:
    sqlite_stmt_done(stmt);
    json_object_put(o);
    return rc;
}

static int put_level_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    return write_level(db, arg, err);
}

static int sqlite_put_level(struct store *st, const struct service_level *l, struct sb_err *err)
{
    return in_transaction((struct sqlite_store *)st, put_level_body, (void *)l, err);
}

static int capability_row(sqlite3_stmt *stmt, void *elem, struct sb_err *err)
{
    const char *text = (const char *)sqlite3_column_text(stmt, 1);
    json_object *o = NULL;
    struct model_problems p = {.stored = true};
    struct sb_err perr;
    int rc = jsonx_parse(text ? text : "", text ? strlen(text) : 0, &o, &perr);
    if (rc == SB_OK && capability_from_json(o, "", &p, elem) != SB_OK)
        rc = model_problems_to_err(&p, &perr);
    model_problems_free(&p);
    json_object_put(o);
    if (rc != SB_OK)
        rc = sb_err_set(err, SB_ECORRUPT, "stored capability %s is corrupt: %s",
                        (const char *)sqlite3_column_text(stmt, 0), perr.msg);
    return rc;
}

static void capability_free_one(void *elem)
{
    capability_free(elem);
}

static int sqlite_list_capabilities(struct store *st, struct capability **out, size_t *n,
                                    struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT id, record FROM capabilities ORDER BY position",
        .elem_size = sizeof(struct capability),
        .read = capability_row,
        .free_one = capability_free_one,
        .what = "listing capabilities",
    };
    return sqlite_query_list((struct sqlite_store *)st, &q, (void **)out, n, err);
}

static int import_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    const struct dataset *ds = arg;
    sqlite3_stmt *stmt = NULL;
    int rc = SB_OK;
    for (size_t i = 0; i < ds->n_levels && rc == SB_OK; i++)
        rc = write_level(db, &ds->levels[i], err);
    for (size_t i = 0; i < ds->n_customers && rc == SB_OK; i++)
        rc = put_customer_body(db, &ds->customers[i], err);
    if (rc != SB_OK || ds->n_capabilities == 0)
        return rc;
    /* The catalogue is replaced whole: its order is part of it. */
    if (sqlite3_exec(db, "DELETE FROM capabilities", NULL, NULL, NULL) != SQLITE_OK ||
        !(stmt =
              sqlite_stmt(db, "INSERT INTO capabilities (position, id, record) VALUES (?, ?, ?)")))
        return sqlite_fail(db, "writing capabilities", err);
    for (size_t i = 0; i < ds->n_capabilities && rc == SB_OK; i++) {
        json_object *o = capability_to_json(&ds->capabilities[i]);
        sqlite3_reset(stmt);
        sqlite3_bind_int64(stmt, 1, (sqlite3_int64)i);
        sqlite3_bind_text(stmt, 2, ds->capabilities[i].id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, jsonx_string(o, NULL), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = sqlite_fail(db, "writing capabilities", err);
        json_object_put(o);
    }
    sqlite_stmt_done(stmt);
    return rc;
}

static int sqlite_import(struct store *st, const struct dataset *ds, struct sb_err *err)
{
    return in_transaction((struct sqlite_store *)st, import_body, (void *)ds, err);
}

static const struct store_ops sqlite_ops = {
    .kind = "sqlite",
    .checks_customers = true,
    .idle = sqlite_wal_idle,
    .close = sqlite_close,
    .get_customer = sqlite_get_customer,
    .get_customer_shared = sqlite_get_customer_shared,
    .list_customers = sqlite_list_customers,
    .list_routine_customers = sqlite_list_routine_customers,
    .put_customer = sqlite_put_customer,
    .delete_customer = sqlite_delete_customer,
    .check = sqlite_check,
    .update_customer = sqlite_update_customer,
    .get_level = sqlite_get_level,
    .list_levels = sqlite_list_levels,
    .put_level = sqlite_put_level,
    .list_capabilities = sqlite_list_capabilities,
    .import = sqlite_import,
    .append_messages = sqlite_append_messages,
    .get_message = sqlite_get_message,
    .history = sqlite_history,
    .put_connection = sqlite_put_connection,
    .delete_connection = sqlite_delete_connection,
    .list_connections = sqlite_list_connections,
    .expire_connections = sqlite_expire_connections,
    .has_admin_token = sqlite_has_admin_token,
    .run_exchange = sqlite_run_exchange,
    .run_exchanges = sqlite_run_exchanges,
    .get_conversation = sqlite_get_conversation,
    .add_token = sqlite_add_token,
    .find_token = sqlite_find_token,
    .list_tokens = sqlite_list_tokens,
    .revoke_token = sqlite_revoke_token,
    .touch_token = sqlite_touch_token,
    .usage = sqlite_usage,
    .prune_messages = sqlite_prune_messages,
};

int store_sqlite_open(const struct store_options *opt, struct store **out, struct sb_err *err)
{
    const char *path = opt && opt->path ? opt->path : "servicebot.db";
    struct sqlite_store *s = xcalloc(1, sizeof(*s));
    sqlite3 *db = NULL;
    int rc;
    s->path = xstrdup(path);
    s->base.ops = &sqlite_ops;
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_cond_init(&s->pool_free, NULL);
    pthread_mutex_init(&s->commit_lock, NULL);
    pthread_mutex_init(&s->write_lock, NULL);
    pthread_cond_init(&s->commit_done, NULL);
    /* ":memory:" would give each pooled connection its own empty database.
     * One connection, shared in turn, keeps one database (and avoids the
     * table locks of a shared cache). */
    if (strcmp(path, ":memory:") == 0) {
        s->max_open = 1;
    }
    if ((rc = open_connection(s, &db, err)) != SB_OK)
        goto fail;
    s->n_open = 1;
    if ((rc = sqlite_schema_migrate(db, path, err)) != SB_OK)
        goto fail;
    sqlite_file_remember(s);
    sqlite_stamp_attach(s, db);
    /* Keep this connection in the pool: for :memory: it holds the database
     * alive, and it holds the WAL index mapped for the stamps. */
    sqlite_conn_put(s, db);
    *out = &s->base;
    return SB_OK;
fail:
    sqlite_close_db(db);
    sqlite_close(&s->base);
    return rc;
}
