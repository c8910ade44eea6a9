/* Shared by the SQLite backend's files: the store struct and its connection pool. */
#ifndef SB_SQLITE_IMPL_H
#define SB_SQLITE_IMPL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "store/sqlite_rowcache.h"
#include "store/store_impl.h"

struct append_req;

struct sqlite_store {
    struct store base;
    char *path;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_free;
    sqlite3 **idle; /* connections not in use */
    size_t n_idle, cap_idle;
    size_t n_open, max_open; /* max_open 0: no limit */
    /* One writer at a time from this process: SQLite allows one anyway, and
     * waiting here is a wake-up, where waiting in SQLite's busy handler is a
     * sleep of up to 100 ms per retry (the p99 of a loaded server). Other
     * processes still meet busy_timeout. */
    pthread_mutex_t write_lock;
    /* group commit: appenders queue here; one of them commits for all */
    pthread_mutex_t commit_lock;
    pthread_cond_t commit_done;
    struct append_req *queue;
    bool committing;
    /* the WAL as the last commit here left it, and how much of it the last
     * checkpoint from here copied (sqlite_wal.c) */
    atomic_int wal_frames, wal_copied;
    /* the file opened (sqlite_file.c); ino 0: not checked */
    dev_t file_dev;
    ino_t file_ino;
    atomic_bool file_lost;
    struct sqlite_file_watch *watch; /* NULL: every check stats */
    /* SQLite's mapping of the WAL index (sqlite_stamp.c); NULL: none */
    const volatile unsigned char *wal_index;
};
/* Notes which file the store opened, and checks it is still there and the
 * same (SB_EUNAVAIL, logged once, when it was deleted or replaced). */
void sqlite_file_remember(struct sqlite_store *s);
int sqlite_file_check(struct sqlite_store *s, struct sb_err *err);
/* Stops watching (store close). */
void sqlite_file_forget(struct sqlite_store *s);

/* Borrows a connection (opening one when none is idle) and gives it back. */
sqlite3 *sqlite_conn_get(struct sqlite_store *s, struct sb_err *err);
void sqlite_conn_put(struct sqlite_store *s, sqlite3 *db);

/* BEGIN IMMEDIATE under write_lock; sqlite_write_end commits (or rolls back
 * when rc is not SB_OK) and releases the lock. Returns rc's final value. */
int sqlite_write_begin(struct sqlite_store *s, sqlite3 *db, const char *what, struct sb_err *err);
int sqlite_write_end(struct sqlite_store *s, sqlite3 *db, int rc, const char *what,
                     struct sb_err *err);

/* A ready statement for sql on db: the connection's cached one when it has
 * an idle one, else a new one it keeps (sql must be a constant). NULL on
 * error (see sqlite3_errmsg). sqlite_stmt_done resets it for the next use. */
sqlite3_stmt *sqlite_stmt(sqlite3 *db, const char *sql);
void sqlite_stmt_done(sqlite3_stmt *stmt);
/* Runs one statement without results (BEGIN, COMMIT, SAVEPOINT...) through
 * the statement cache: an SQLite result code. The per-exchange savepoints
 * of a group commit, parsed again by sqlite3_exec each time, showed. */
int sqlite_run(sqlite3 *db, const char *sql);
/* Finalizes the connection's cached statements and closes it. */
void sqlite_close_db(sqlite3 *db);

/* Maps a failed sqlite call to a status and message naming what was being done. */
int sqlite_fail(sqlite3 *db, const char *what, struct sb_err *err);

/* Copies column i as a heap string (NULL for SQL NULL). */
char *sqlite_column_dup(sqlite3_stmt *stmt, int i);
/* The same for columns 0..n-1 into *cols[i], a row's text fields at once
 * (a NULL entry skips a column that is not text). */
void sqlite_columns_dup(sqlite3_stmt *stmt, char **const *cols, int n);

/* A query returning a list of records: text parameters bound to ?1..?n
 * (NULL binds SQL NULL), then limit (when > 0) as the next parameter; read
 * fills one zeroed element per row; on failure what was read is freed. */
typedef int (*sqlite_row_fn)(sqlite3_stmt *stmt, void *elem, struct sb_err *err);
struct sqlite_list_query {
    const char *sql;
    const char *params[3];
    int n_params;
    int limit;
    size_t elem_size;
    sqlite_row_fn read;
    void (*free_one)(void *elem);
    const char *what;        /* "listing customers", for errors */
    struct strlist *skipped; /* when set, SB_ECORRUPT rows are described here and left out */
};
int sqlite_query_list(struct sqlite_store *s, const struct sqlite_list_query *q, void **out,
                      size_t *n, struct sb_err *err);

/* The same for a query of at most one row: the record goes to out (which
 * must be q->elem_size bytes); no row is SB_ENOTFOUND with missing as the
 * message. */
int sqlite_query_one(struct sqlite_store *s, const struct sqlite_list_query *q, void *out,
                     const char *missing, struct sb_err *err);

/* Group commit (sqlite_log.c): body runs inside a savepoint of a write
 * transaction shared with the other callers queued meanwhile, on whichever
 * caller's thread commits the batch; one COMMIT (one fsync) for all. A body
 * that fails is rolled back alone; a failed COMMIT fails every one. */
typedef int (*sqlite_batch_fn)(sqlite3 *db, void *arg, struct sb_err *err);
int sqlite_group_commit(struct sqlite_store *s, sqlite_batch_fn body, void *arg,
                        struct sb_err *err);
/* The same for n bodies queued at once, so one batch commits them all
 * (store_run_exchanges); each item's rc and err get its outcome. */
struct sqlite_batch_item {
    sqlite_batch_fn body;
    void *arg;
    int rc;
    struct sb_err err;
};
void sqlite_group_commit_many(struct sqlite_store *s, struct sqlite_batch_item *items, size_t n);
/* Messages (sqlite_messages.c). Inserts messages on db (inside a write),
 * a request followed by its reply as one row; existing ids are left alone. */
int sqlite_insert_messages(sqlite3 *db, const struct message *m, size_t n, struct sb_err *err);
/* The message `id` (of user_id; NULL: anyone's) into out: *found. */
int sqlite_find_message(sqlite3 *db, const char *id, const char *user_id, struct message *out,
                        bool *found, struct sb_err *err);

/* Customers rows (sqlite_customer.c), for the exchange writes. */
#define SQLITE_CUSTOMER_COLUMNS "id, name, service_level, devices, version, timezone, routines"
/* A customers row (selected as SQLITE_CUSTOMER_COLUMNS) into elem, a struct
 * customer; a sqlite_list_query reader. */
int sqlite_customer_row(sqlite3_stmt *stmt, void *elem, struct sb_err *err);
/* Reads customer id on db for a read-modify-write: it takes the row
 * cache's decode instead of copying it (the write puts the decode of the
 * new row). Other reads are store_get_customer_shared's. */
int sqlite_read_customer(sqlite3 *db, const char *id, struct customer *out, struct sb_err *err);
/* The read of store_get_customer_shared: the row cache's record itself;
 * stamp (or NULL) was read before this read's transaction began. */
int sqlite_load_customer_shared(sqlite3 *db, const char *id, const struct sqlite_stamp *stamp,
                                struct store_customer **out, struct sb_err *err);

/* sqlite_stamp.c: finds the WAL index through db (the store's first
 * connection, open until the store closes); without one (not WAL) there
 * is no stamp. sqlite_stamp_now: the current stamp, false when there is
 * none or it was being written. */
void sqlite_stamp_attach(struct sqlite_store *s, sqlite3 *db);
bool sqlite_stamp_now(const struct sqlite_store *s, struct sqlite_stamp *out);
int sqlite_write_customer(sqlite3 *db, const struct customer *c, int64_t version,
                          struct sb_err *err);

/* Exchanges (sqlite_exchange.c). */
int sqlite_run_exchange(struct store *st, const struct store_exchange_key *key,
                        store_exchange_fn fn, void *arg, struct message *done, struct sb_err *err);
void sqlite_run_exchanges(struct store *st, struct store_exchange_item *const *items, size_t n);
int sqlite_get_conversation(struct store *st, const char *customer_id, const char *conversation_id,
                            char **state, struct sb_err *err);

/* Runs body(db, arg) in one write transaction (BEGIN IMMEDIATE under
 * write_lock), rolled back when it fails. */
typedef int (*sqlite_txn_fn)(sqlite3 *db, void *arg, struct sb_err *err);
int sqlite_in_transaction(struct sqlite_store *s, sqlite_txn_fn body, void *arg,
                          struct sb_err *err);

/* API tokens (sqlite_tokens.c). */
int sqlite_has_admin_token(struct store *st, bool *out, struct sb_err *err);
int sqlite_add_token(struct store *st, const char *hash, const struct token_info *t,
                     struct sb_err *err);
int sqlite_find_token(struct store *st, const char *hash, struct token_info *out,
                      struct sb_err *err);
int sqlite_list_tokens(struct store *st, struct token_info **out, size_t *n, struct sb_err *err);
int sqlite_revoke_token(struct store *st, const char *id, struct token_info *out,
                        struct sb_err *err);
int sqlite_touch_token(struct store *st, const char *hash, const char *when, struct sb_err *err);

/* The file's size (with its WAL) and the room left on its filesystem. */
int sqlite_usage(struct store *st, struct store_usage *out, struct sb_err *err);
/* Message retention (sqlite_usage.c, with the size: both keep the file in bounds). */
int sqlite_prune_messages(struct store *st, const char *customer_id, const char *before,
                          size_t keep, size_t *removed, struct sb_err *err);

/* The message-log half of the backend (sqlite_log.c). */
int sqlite_append_messages(struct store *st, const struct message *m, size_t n, struct sb_err *err);
int sqlite_get_message(struct store *st, const char *id, struct message *out, struct sb_err *err);
int sqlite_history(struct store *st, const struct store_history_query *q, struct message **out,
                   size_t *n, struct sb_err *err);
int sqlite_put_connection(struct store *st, const struct connection *c, struct sb_err *err);
int sqlite_delete_connection(struct store *st, const char *id, struct sb_err *err);
int sqlite_list_connections(struct store *st, const char *user_id, struct connection **out,
                            size_t *n, struct sb_err *err);
int sqlite_expire_connections(struct store *st, int64_t now, size_t *removed, struct sb_err *err);

#endif
