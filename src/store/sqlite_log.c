/* The SQLite backend's append-mostly half: group commit (for messages and
 * exchanges) and WebSocket connection rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/sqlite_impl.h"

/* One caller's write, waiting in the group-commit queue. */
struct append_req {
    sqlite_batch_fn body;
    void *arg;
    int rc;
    struct sb_err err;
    bool done;
    struct append_req *next;
};

/* Runs one request's body inside the open batch transaction; a savepoint
 * keeps a failing request from taking the others down. */
static int run_one(sqlite3 *db, struct append_req *r)
{
    if (sqlite_run(db, "SAVEPOINT one") != SQLITE_OK)
        return sqlite_fail(db, "starting a write", &r->err);
    int rc = r->body(db, r->arg, &r->err);
    if (rc != SB_OK)
        sqlite_run(db, "ROLLBACK TO one");
    sqlite_run(db, "RELEASE one");
    return rc;
}

/* Commits a whole batch of queued requests in one transaction (one fsync). */
static void commit_batch(struct sqlite_store *s, struct append_req *batch)
{
    struct sb_err err;
    int rc = SB_OK;
    sqlite3 *db = sqlite_conn_get(s, &err);
    if (!db) {
        rc = err.code;
        goto out;
    }
    if ((rc = sqlite_write_begin(s, db, "starting a write", &err)) != SB_OK)
        goto out;
    for (struct append_req *r = batch; r; r = r->next)
        r->rc = run_one(db, r);
    rc = sqlite_write_end(s, db, rc, "committing", &err);
out:
    if (db)
        sqlite_conn_put(s, db);
    for (struct append_req *r = batch; r; r = r->next) {
        if (rc != SB_OK) {
            r->rc = rc;
            r->err = err;
        }
    }
}

void sqlite_group_commit_many(struct sqlite_store *s, struct sqlite_batch_item *items, size_t n)
{
    if (n == 0)
        return;
    struct append_req *reqs = xcalloc(n, sizeof *reqs);
    pthread_mutex_lock(&s->commit_lock);
    /* queued newest first, under one lock: one batch takes them all */
    for (size_t i = 0; i < n; i++) {
        reqs[i] = (struct append_req){.body = items[i].body, .arg = items[i].arg, .next = s->queue};
        s->queue = &reqs[i];
    }
    /* Whoever finds no commit running takes everything queued so far and
     * commits it; the rest wait for their requests to be marked done. */
    while (!reqs[0].done) {
        if (s->committing) {
            pthread_cond_wait(&s->commit_done, &s->commit_lock);
            continue;
        }
        struct append_req *batch = NULL;
        for (struct append_req *r = s->queue, *next; r; r = next) {
            next = r->next;
            r->next = batch; /* reverse: oldest first */
            batch = r;
        }
        s->queue = NULL;
        s->committing = true;
        pthread_mutex_unlock(&s->commit_lock);
        commit_batch(s, batch);
        pthread_mutex_lock(&s->commit_lock);
        for (struct append_req *r = batch; r; r = r->next)
            r->done = true;
        s->committing = false;
        pthread_cond_broadcast(&s->commit_done);
    }
    pthread_mutex_unlock(&s->commit_lock);
    for (size_t i = 0; i < n; i++) {
        items[i].rc = reqs[i].rc;
        items[i].err = reqs[i].err;
    }
    free(reqs);
}

int sqlite_group_commit(struct sqlite_store *s, sqlite_batch_fn body, void *arg, struct sb_err *err)
{
    struct sqlite_batch_item one = {.body = body, .arg = arg};
    sqlite_group_commit_many(s, &one, 1);
    if (one.rc != SB_OK && err)
        *err = one.err;
    return one.rc;
}

/* Runs one write statement; bind fills its parameters. */
static int exec_write(struct sqlite_store *s, const char *sql,
                      void (*bind)(sqlite3_stmt *stmt, const void *arg), const void *arg,
                      const char *what, int *changes, struct sb_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = SB_OK;
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    if (!(stmt = sqlite_stmt(db, sql))) {
        rc = sqlite_fail(db, what, err);
        goto out;
    }
    bind(stmt, arg);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, what, err);
    else if (changes)
        *changes = sqlite3_changes(db);
out:
    sqlite_stmt_done(stmt);
    sqlite_conn_put(s, db);
    return rc;
}

static void bind_connection(sqlite3_stmt *stmt, const void *arg)
{
    const struct connection *c = arg;
    sqlite3_bind_text(stmt, 1, c->connection_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, c->user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, c->connection_time, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, c->ttl);
    if (c->instance)
        sqlite3_bind_text(stmt, 5, c->instance, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 5);
}

int sqlite_put_connection(struct store *st, const struct connection *c, struct sb_err *err)
{
    return exec_write((struct sqlite_store *)st,
                      "INSERT OR REPLACE INTO connections "
                      "(connection_id, user_id, connection_time, ttl, instance) "
                      "VALUES (?, ?, ?, ?, ?)",
                      bind_connection, c, "writing a connection", NULL, err);
}

static void bind_text(sqlite3_stmt *stmt, const void *arg)
{
    sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
}

int sqlite_delete_connection(struct store *st, const char *id, struct sb_err *err)
{
    return exec_write((struct sqlite_store *)st, "DELETE FROM connections WHERE connection_id = ?",
                      bind_text, id, "deleting a connection", NULL, err);
}

static void bind_int64(sqlite3_stmt *stmt, const void *arg)
{
    sqlite3_bind_int64(stmt, 1, *(const int64_t *)arg);
}

int sqlite_expire_connections(struct store *st, int64_t now, size_t *removed, struct sb_err *err)
{
    int changes = 0;
    int rc = exec_write((struct sqlite_store *)st, "DELETE FROM connections WHERE ttl <= ?",
                        bind_int64, &now, "expiring connections", &changes, err);
    *removed = rc == SB_OK ? (size_t)changes : 0;
    return rc;
}

static int connection_row(sqlite3_stmt *stmt, void *elem, struct sb_err *err)
{
    struct connection *c = elem;
    char **const cols[] = {&c->connection_id, &c->user_id, &c->connection_time, NULL, &c->instance};
    (void)err;
    sqlite_columns_dup(stmt, cols, (int)(sizeof cols / sizeof *cols));
    c->ttl = sqlite3_column_int64(stmt, 3);
    return SB_OK;
}

static void connection_free_one(void *elem)
{
    connection_free(elem);
}

int sqlite_list_connections(struct store *st, const char *user_id, struct connection **out,
                            size_t *n, struct sb_err *err)
{
    /* Rows past their ttl are invisible even before the sweep removes them. */
    const struct sqlite_list_query q = {
        .sql = "SELECT connection_id, user_id, connection_time, ttl, instance FROM connections"
               " WHERE user_id = ? AND ttl > unixepoch() ORDER BY connection_time, connection_id",
        .params = {user_id},
        .n_params = 1,
        .elem_size = sizeof(struct connection),
        .read = connection_row,
        .free_one = connection_free_one,
        .what = "listing connections",
    };
    return sqlite_query_list((struct sqlite_store *)st, &q, (void **)out, n, err);
}
