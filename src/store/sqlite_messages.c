/* The messages table: an exchange's request and reply in one row.
 *
 * Each row of messages costs an entry in four b-trees (the table, the id
 * index and both history indexes), and with a long history each entry is a
 * page of its own to change: most of what a chat exchange wrote was message
 * index pages (bench/walframes.sh). So a request and its reply, whose ids
 * pair up (model.h) and which always come and go together, share one row:
 * the reply_* columns hold the reply, whose id is derived from the row's.
 * A message that comes alone (an import, rows from before schema 8) keeps a
 * row of its own, with the reply columns NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/sqlite_impl.h"

#define ROW_COLUMNS                                                                                \
    "id, conversation_id, user_id, text, sender, timestamp, reply_text, reply_sender, "            \
    "reply_timestamp"
enum { COL_REPLY_TEXT = 6 };

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Whether rep is req's reply: its id pairs with req's, in one conversation. */
static bool is_pair(const struct message *req, const struct message *rep)
{
    char want[MODEL_ID_MAX + 16];
    return message_request_id(rep->id, want, sizeof want) && same(want, req->id) &&
           same(req->conversation_id, rep->conversation_id) && same(req->user_id, rep->user_id);
}

static int insert_row(sqlite3 *db, const struct message *m, const struct message *reply,
                      struct sb_err *err)
{
    /* INSERT OR IGNORE: a message id that exists is a resend, not an error. */
    sqlite3_stmt *stmt = sqlite_stmt(db, "INSERT OR IGNORE INTO messages (" ROW_COLUMNS
                                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const char *const vals[] = {
        m->id,
        m->conversation_id,
        m->user_id,
        m->text,
        m->sender,
        m->timestamp,
        reply ? reply->text : NULL,
        reply ? reply->sender : NULL,
        reply ? reply->timestamp : NULL,
    };
    int rc = SB_OK;
    if (!stmt)
        return sqlite_fail(db, "appending messages", err);
    for (int i = 0; i < (int)(sizeof vals / sizeof *vals); i++)
        sqlite3_bind_text(stmt, i + 1, vals[i], -1, SQLITE_STATIC); /* NULL binds NULL */
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, "appending messages", err);
    sqlite_stmt_done(stmt);
    return rc;
}

/* Reads one row's request (and reply, when it has one) into out[0..1];
 * returns how many messages it held. */
static int read_row(sqlite3_stmt *stmt, struct message out[2])
{
    struct message *m = &out[0];
    char **const cols[] = {&m->id,   &m->conversation_id, &m->user_id,
                           &m->text, &m->sender,          &m->timestamp};
    sqlite_columns_dup(stmt, cols, (int)(sizeof cols / sizeof *cols));
    const size_t pre = sizeof MESSAGE_REQUEST_PREFIX - 1;
    /* only a request's row holds a reply (insert_messages pairs no other) */
    if (sqlite3_column_type(stmt, COL_REPLY_TEXT) == SQLITE_NULL ||
        strncmp(m->id, MESSAGE_REQUEST_PREFIX, pre) != 0)
        return 1;
    struct message *r = &out[1];
    r->id = xasprintf(MESSAGE_REPLY_PREFIX "%s", m->id + pre);
    r->conversation_id = xstrdup(m->conversation_id);
    r->user_id = xstrdup(m->user_id);
    char **const rcols[] = {&r->text, &r->sender, &r->timestamp};
    for (int i = 0; i < 3; i++)
        *rcols[i] = sqlite_column_dup(stmt, COL_REPLY_TEXT + i);
    return 2;
}

/* Runs stmt (bound) for at most one row: which of its messages is `want`
 * (0: the request, 1: the reply) goes to out. */
static int step_one(sqlite3 *db, sqlite3_stmt *stmt, int want, struct message *out, bool *found,
                    struct sb_err *err)
{
    struct message pair[2] = {{0}};
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        int n = read_row(stmt, pair);
        if (want < n) {
            *out = pair[want];
            pair[want] = (struct message){0};
            *found = true;
        }
        for (int i = 0; i < n; i++)
            message_free(&pair[i]);
        return SB_OK;
    }
    return step == SQLITE_DONE ? SB_OK : sqlite_fail(db, "reading a message", err);
}

int sqlite_find_message(sqlite3 *db, const char *id, const char *user_id, struct message *out,
                        bool *found, struct sb_err *err)
{
    /* the row of its own first (any message, and replies from before the
     * pairs), then the reply in its request's row */
    static const char *const sql[2] = {
        "SELECT " ROW_COLUMNS " FROM messages WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2)",
        "SELECT " ROW_COLUMNS " FROM messages WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2)"
        " AND reply_text IS NOT NULL",
    };
    char request[MODEL_ID_MAX + 16];
    const char *keys[2] = {id, message_request_id(id, request, sizeof request) ? request : NULL};
    int rc = SB_OK;
    *found = false;
    for (int i = 0; i < 2 && keys[i] && !*found && rc == SB_OK; i++) {
        sqlite3_stmt *stmt = sqlite_stmt(db, sql[i]);
        if (!stmt)
            return sqlite_fail(db, "reading a message", err);
        sqlite3_bind_text(stmt, 1, keys[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, user_id, -1, SQLITE_STATIC);
        rc = step_one(db, stmt, i, out, found, err);
        sqlite_stmt_done(stmt);
    }
    return rc;
}

int sqlite_insert_messages(sqlite3 *db, const struct message *m, size_t n, struct sb_err *err)
{
    int rc = SB_OK;
    for (size_t i = 0; i < n && rc == SB_OK; i++) {
        if (i + 1 < n && is_pair(&m[i], &m[i + 1])) {
            rc = insert_row(db, &m[i], &m[i + 1], err);
            i++;
            continue;
        }
        /* a reply alone may already be in its request's row */
        struct message old = {0};
        char request[MODEL_ID_MAX + 16];
        bool found = false;
        if (message_request_id(m[i].id, request, sizeof request))
            rc = sqlite_find_message(db, m[i].id, NULL, &old, &found, err);
        message_free(&old);
        if (rc == SB_OK && !found)
            rc = insert_row(db, &m[i], NULL, err);
    }
    return rc;
}

struct append_args {
    const struct message *m;
    size_t n;
};

static int append_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    struct append_args *a = arg;
    return sqlite_insert_messages(db, a->m, a->n, err);
}

int sqlite_append_messages(struct store *st, const struct message *m, size_t n, struct sb_err *err)
{
    struct append_args a = {m, n};
    return sqlite_group_commit((struct sqlite_store *)st, append_body, &a, err);
}

int sqlite_get_message(struct store *st, const char *id, struct message *out, struct sb_err *err)
{
    bool found = false;
    sqlite3 *db = sqlite_conn_get((struct sqlite_store *)st, err);
    if (!db)
        return err ? err->code : SB_EUNAVAIL;
    int rc = sqlite_find_message(db, id, NULL, out, &found, err);
    sqlite_conn_put((struct sqlite_store *)st, db);
    if (rc == SB_OK && !found)
        rc = sb_err_set(err, SB_ENOTFOUND, "no message with id %s", id);
    return rc;
}

/* Appends row's messages newest first to list (up to limit in all), the
 * reply only when it is before `before`. */
static void take_row(sqlite3_stmt *stmt, const char *before, struct message *list, size_t *len,
                     size_t limit)
{
    struct message pair[2] = {{0}};
    int n = read_row(stmt, pair);
    for (int i = n - 1; i >= 0; i--) {
        bool in = *len < limit && (i == 0 || !before || strcmp(pair[i].timestamp, before) < 0);
        if (in)
            list[(*len)++] = pair[i];
        else
            message_free(&pair[i]);
    }
}

int sqlite_history(struct store *st, const struct store_history_query *q, struct message **out,
                   size_t *n, struct sb_err *err)
{
    /* Newest first with LIMIT, then reversed: a page is returned oldest first.
     * One statement per shape, so that "before" is a range on the index and
     * the order (timestamp, then rowid: the index's own order, migration 4)
     * needs no sort: a page costs the same at any depth of any history
     * (bench/history.sh). A row holds one or two messages, so `limit` rows
     * are enough for `limit` messages. */
    static const char *const sql[2][2] = {
        {"SELECT " ROW_COLUMNS " FROM messages WHERE user_id = ?1"
         " ORDER BY timestamp DESC, rowid DESC LIMIT ?4",
         "SELECT " ROW_COLUMNS " FROM messages WHERE user_id = ?1 AND timestamp < ?3"
         " ORDER BY timestamp DESC, rowid DESC LIMIT ?4"},
        {"SELECT " ROW_COLUMNS " FROM messages WHERE user_id = ?1"
         " AND conversation_id = ?2 ORDER BY timestamp DESC, rowid DESC LIMIT ?4",
         "SELECT " ROW_COLUMNS " FROM messages WHERE user_id = ?1"
         " AND conversation_id = ?2 AND timestamp < ?3"
         " ORDER BY timestamp DESC, rowid DESC LIMIT ?4"},
    };
    struct sqlite_store *s = (struct sqlite_store *)st;
    const size_t limit = q->limit > 0 ? (size_t)q->limit : 0;
    struct message *list = xcalloc(limit ? limit : 1, sizeof *list);
    size_t len = 0;
    int rc = SB_OK, step = SQLITE_DONE;
    sqlite3_stmt *stmt = NULL;
    sqlite3 *db = sqlite_conn_get(s, err);
    if (!db) {
        rc = err ? err->code : SB_EUNAVAIL;
        goto out;
    }
    if (!(stmt = sqlite_stmt(db, sql[q->conversation_id != NULL][q->before != NULL]))) {
        rc = sqlite_fail(db, "reading history", err);
        goto out;
    }
    const char *params[] = {q->customer_id, q->conversation_id, q->before};
    for (int i = 0; i < 3; i++)
        sqlite3_bind_text(stmt, i + 1, params[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, q->limit);
    while (len < limit && (step = sqlite3_step(stmt)) == SQLITE_ROW)
        take_row(stmt, q->before, list, &len, limit);
    if (len < limit && step != SQLITE_DONE)
        rc = sqlite_fail(db, "reading history", err);
out:
    sqlite_stmt_done(stmt);
    if (db)
        sqlite_conn_put(s, db);
    if (rc != SB_OK) {
        messages_free(list, len);
        return rc;
    }
    for (size_t i = 0; i < len / 2; i++) {
        struct message t = list[i];
        list[i] = list[len - 1 - i];
        list[len - 1 - i] = t;
    }
    *out = list;
    *n = len;
    return SB_OK;
}
