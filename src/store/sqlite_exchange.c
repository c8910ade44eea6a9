/* Chat exchanges on SQLite: the customer row, both messages and the
 * conversation's state in one savepoint of a group-committed transaction,
 * so concurrent exchanges share one COMMIT (one fsync) and a failure leaves
 * nothing behind. fn runs inside the transaction against the current row,
 * so exchanges of one customer never conflict: they queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xalloc.h"
#include "store/sqlite_impl.h"

struct exchange_args {
    const struct store_exchange_key *key;
    store_exchange_fn fn;
    void *arg;
    struct message *done;
};

static int read_state(sqlite3 *db, const char *customer_id, const char *conversation_id,
                      char **state, struct sb_err *err)
{
    sqlite3_stmt *stmt = sqlite_stmt(db, "SELECT state FROM conversations "
                                         "WHERE customer_id = ? AND conversation_id = ?");
    int rc = SB_OK;
    *state = NULL;
    if (!stmt)
        return sqlite_fail(db, "reading a conversation", err);
    sqlite3_bind_text(stmt, 1, customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, conversation_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW)
        *state = sqlite_column_dup(stmt, 0);
    else if (step != SQLITE_DONE)
        rc = sqlite_fail(db, "reading a conversation", err);
    sqlite_stmt_done(stmt);
    return rc;
}

/* Runs sql with (customer, conversation[, state, now]) bound; *changes gets
 * the rows it changed. */
static int state_stmt(sqlite3 *db, const char *sql, const struct store_exchange_key *k,
                      const char *state, const char *now, int *changes, struct sb_err *err)
{
    sqlite3_stmt *stmt = sqlite_stmt(db, sql);
    int rc = SB_OK;
    if (!stmt)
        return sqlite_fail(db, "writing a conversation", err);
    sqlite3_bind_text(stmt, 1, k->customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, k->conversation_id, -1, SQLITE_STATIC);
    if (state) {
        sqlite3_bind_text(stmt, 3, state, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
    }
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, "writing a conversation", err);
    else if (changes)
        *changes = sqlite3_changes(db);
    sqlite_stmt_done(stmt);
    return rc;
}

/* When a conversation was last used: UTC with microseconds, never the same
 * twice in this process, so that the oldest to forget is well defined. */
static void use_time(char *buf, size_t n)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int64_t last_us;
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    pthread_mutex_lock(&lock);
    us = us > last_us ? us : last_us + 1;
    last_us = us;
    pthread_mutex_unlock(&lock);
    time_t secs = (time_t)(us / 1000000);
    gmtime_r(&secs, &tm);
    size_t o = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + o, n - o, ".%06lldZ", (long long)(us % 1000000));
}

/* Keeps the state; a customer's new conversation pushes the oldest past
 * STORE_CONVERSATIONS_KEPT out, as on DynamoDB. stored: whether the
 * transaction read a row for it (state is NOT NULL, so a row had one). */
static int write_state(sqlite3 *db, const struct store_exchange_key *k, const char *state,
                       bool stored, struct sb_err *err)
{
    char now[40];
    int changed = 0, rc;
    if (!state)
        return state_stmt(db,
                          "DELETE FROM conversations WHERE customer_id = ?1 "
                          "AND conversation_id = ?2",
                          k, NULL, NULL, NULL, err);
    use_time(now, sizeof now);
    if (stored) {
        rc = state_stmt(db,
                        "UPDATE conversations SET state = ?3, updated = ?4 "
                        "WHERE customer_id = ?1 AND conversation_id = ?2",
                        k, state, now, &changed, err);
        if (rc != SB_OK || changed)
            return rc;
    }
    rc = state_stmt(db,
                    "INSERT INTO conversations (customer_id, conversation_id, state, updated) "
                    "VALUES (?1, ?2, ?3, ?4)",
                    k, state, now, NULL, err);
    if (rc == SB_OK)
        /* older than the KEPT-th most recent (the new one is the newest;
         * use_time never repeats in a process, ties across processes keep
         * both) */
        rc = state_stmt(db,
                        "DELETE FROM conversations WHERE customer_id = ?1 AND "
                        "conversation_id != ?2 AND updated < (SELECT updated FROM conversations "
                        "WHERE customer_id = ?1 ORDER BY updated DESC LIMIT 1 "
                        "OFFSET " STORE_CONVERSATIONS_KEPT_SQL " - 1)",
                        k, NULL, NULL, NULL, err);
    return rc;
}

static int exchange_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    struct exchange_args *a = arg;
    struct customer c = {0};
    struct store_exchange ex;
    char *state = NULL;
    bool found;
    /* the customer first: an unknown one is not found whatever else */
    int rc = sqlite_read_customer(db, a->key->customer_id, &c, err);
    found = false;
    if (rc == SB_OK && !a->key->new_id)
        rc = sqlite_find_message(db, a->key->id, a->key->customer_id, a->done, &found, err);
    if (rc != SB_OK || found)
        goto out;
    if ((rc = read_state(db, a->key->customer_id, a->key->conversation_id, &state, err)) != SB_OK)
        goto out;
    bool stored = state != NULL;
    memset(&ex, 0, sizeof ex);
    if ((rc = a->fn(&c, state, &ex, a->arg, err)) != SB_OK)
        goto out;
    if (!ex.messages[1].id || strcmp(ex.messages[1].id, a->key->id) != 0) {
        rc = sb_err_set(err, SB_EINVAL, "an exchange's bot message must have its id");
        goto out;
    }
    c.version++;
    if ((rc = sqlite_write_customer(db, &c, c.version, err)) != SB_OK)
        goto out;
    if ((rc = store_fault("exchange-between", err)) != SB_OK)
        goto out;
    if ((rc = sqlite_insert_messages(db, ex.messages, 2, err)) == SB_OK)
        rc = write_state(db, a->key, ex.state, stored, err);
out:
    free(state);
    customer_free(&c);
    return rc;
}

int sqlite_run_exchange(struct store *st, const struct store_exchange_key *key,
                        store_exchange_fn fn, void *arg, struct message *done, struct sb_err *err)
{
    struct exchange_args a = {key, fn, arg, done};
    int rc = sqlite_group_commit((struct sqlite_store *)st, exchange_body, &a, err);
    if (rc != SB_OK)
        message_free(done); /* found inside a batch whose COMMIT then failed */
    return rc;
}

void sqlite_run_exchanges(struct store *st, struct store_exchange_item *const *items, size_t n)
{
    struct exchange_args *args = xcalloc(n, sizeof *args);
    struct sqlite_batch_item *batch = xcalloc(n, sizeof *batch);
    for (size_t i = 0; i < n; i++) {
        struct store_exchange_item *it = items[i];
        args[i] = (struct exchange_args){&it->key, it->fn, it->arg, &it->done};
        batch[i] = (struct sqlite_batch_item){.body = exchange_body, .arg = &args[i]};
    }
    sqlite_group_commit_many((struct sqlite_store *)st, batch, n);
    for (size_t i = 0; i < n; i++) {
        items[i]->rc = batch[i].rc;
        items[i]->err = batch[i].err;
        if (batch[i].rc != SB_OK)
            message_free(&items[i]->done);
    }
    free(batch);
    free(args);
}

int sqlite_get_conversation(struct store *st, const char *customer_id, const char *conversation_id,
                            char **state, struct sb_err *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    int rc = read_state(db, customer_id, conversation_id, state, err);
    sqlite_conn_put(s, db);
    return rc;
}
