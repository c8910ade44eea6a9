/* Chat exchanges on SQLite: the customer row, both messages and the
 * conversation's state in one savepoint of a group-committed transaction,
 * so concurrent exchanges share one COMMIT (one fsync) and a failure leaves
 * nothing behind. fn runs inside the transaction against the current row,
 * so exchanges of one customer never conflict: they queue. */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "store/sqlite_internal.h"

struct exchange_args {
    const struct store_exchange_key *key;
    store_exchange_fn fn;
    void *arg;
    struct message *done;
};

/* The committed bot message key->id of this customer, if any: *found. */
static int find_done(sqlite3 *db, const struct exchange_args *a, bool *found, struct sb_err *err)
{
    sqlite3_stmt *stmt = sqlite_stmt(db, "SELECT id, conversation_id, user_id, text, sender, "
                                         "timestamp FROM messages WHERE id = ? AND user_id = ?");
    int rc = SB_OK, oom = 0;
    *found = false;
    if (!stmt)
        return sqlite_fail(db, "reading an exchange", err);
    sqlite3_bind_text(stmt, 1, a->key->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, a->key->customer_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        struct message *m = a->done;
        m->id = sqlite_column_dup(stmt, 0, &oom);
        m->conversation_id = sqlite_column_dup(stmt, 1, &oom);
        m->user_id = sqlite_column_dup(stmt, 2, &oom);
        m->text = sqlite_column_dup(stmt, 3, &oom);
        m->sender = sqlite_column_dup(stmt, 4, &oom);
        m->timestamp = sqlite_column_dup(stmt, 5, &oom);
        if (oom) {
            message_free(m);
            rc = sb_err_set(err, SB_EINTERNAL, "out of memory");
        }
        *found = !oom;
    } else if (step != SQLITE_DONE) {
        rc = sqlite_fail(db, "reading an exchange", err);
    }
    sqlite_stmt_done(stmt);
    return rc;
}

static int read_state(sqlite3 *db, const char *customer_id, const char *conversation_id,
                      char **state, struct sb_err *err)
{
    sqlite3_stmt *stmt = sqlite_stmt(db, "SELECT state FROM conversations "
                                         "WHERE customer_id = ? AND conversation_id = ?");
    int rc = SB_OK, oom = 0;
    *state = NULL;
    if (!stmt)
        return sqlite_fail(db, "reading a conversation", err);
    sqlite3_bind_text(stmt, 1, customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, conversation_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW && !(*state = sqlite_column_dup(stmt, 0, &oom)) && oom)
        rc = sb_err_set(err, SB_EINTERNAL, "out of memory");
    else if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = sqlite_fail(db, "reading a conversation", err);
    sqlite_stmt_done(stmt);
    return rc;
}

static int write_state(sqlite3 *db, const struct store_exchange_key *k, const char *state,
                       struct sb_err *err)
{
    char now[UTIL_TIMESTAMP_LEN];
    sqlite3_stmt *stmt =
        state ? sqlite_stmt(db, "INSERT OR REPLACE INTO conversations "
                                "(customer_id, conversation_id, state, updated) VALUES (?, ?, ?, ?)")
              : sqlite_stmt(db, "DELETE FROM conversations "
                                "WHERE customer_id = ? AND conversation_id = ?");
    int rc = SB_OK;
    if (!stmt)
        return sqlite_fail(db, "writing a conversation", err);
    util_timestamp_now(now, sizeof now);
    sqlite3_bind_text(stmt, 1, k->customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, k->conversation_id, -1, SQLITE_STATIC);
    if (state) {
        sqlite3_bind_text(stmt, 3, state, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
    }
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, "writing a conversation", err);
    sqlite_stmt_done(stmt);
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
        rc = find_done(db, a, &found, err);
    if (rc != SB_OK || found)
        goto out;
    if ((rc = read_state(db, a->key->customer_id, a->key->conversation_id, &state, err)) != SB_OK)
        goto out;
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
        rc = write_state(db, a->key, ex.state, err);
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

int sqlite_get_conversation(struct store *st, const char *customer_id,
                            const char *conversation_id, char **state, struct sb_err *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    int rc = read_state(db, customer_id, conversation_id, state, err);
    sqlite_conn_put(s, db);
    return rc;
}
