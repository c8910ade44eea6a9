/* The SQLite backend's API tokens: one row per token hash with its public
 * id, customer (NULL: admin), creation, last use and expiry. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

#define TOKEN_COLUMNS "id, customer_id, created, last_used, expires"

static int token_row(sqlite3_stmt *stmt, void *elem, struct sb_err *err)
{
    struct token_info *t = elem;
    char **const cols[] = {&t->id, &t->customer_id, &t->created, &t->last_used, &t->expires};
    (void)err;
    sqlite_columns_dup(stmt, cols, (int)(sizeof cols / sizeof *cols));
    return SB_OK;
}

static void token_free_one(void *elem)
{
    token_info_free(elem);
}

int sqlite_has_admin_token(struct store *st, bool *out, struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT " TOKEN_COLUMNS " FROM tokens WHERE customer_id IS NULL LIMIT 1",
        .elem_size = sizeof(struct token_info),
        .read = token_row,
        .free_one = token_free_one,
        .what = "reading tokens",
    };
    struct token_info *found = NULL;
    size_t n = 0;
    int rc = sqlite_query_list((struct sqlite_store *)st, &q, (void **)&found, &n, err);
    if (rc == SB_OK)
        *out = n > 0;
    token_infos_free(found, n);
    return rc;
}

/* One write statement with text parameters (NULL binds SQL NULL). */
struct token_write {
    const char *sql;
    const char *params[5];
    int n_params;
    int changes; /* rows changed */
};

static int token_write_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    struct token_write *w = arg;
    sqlite3_stmt *stmt = sqlite_stmt(db, w->sql);
    int rc = SB_OK;
    if (!stmt)
        return sqlite_fail(db, "writing a token", err);
    for (int i = 0; i < w->n_params; i++)
        if (w->params[i])
            sqlite3_bind_text(stmt, i + 1, w->params[i], -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, "writing a token", err);
    w->changes = sqlite3_changes(db);
    sqlite_stmt_done(stmt);
    return rc;
}

int sqlite_add_token(struct store *st, const char *hash, const struct token_info *t,
                     struct sb_err *err)
{
    struct token_write w = {
        .sql =
            "INSERT INTO tokens (hash, id, customer_id, created, expires) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hash) DO UPDATE SET customer_id = excluded.customer_id, "
            "expires = excluded.expires",
        .params = {hash, t->id, t->customer_id, t->created, t->expires},
        .n_params = 5,
    };
    return sqlite_in_transaction((struct sqlite_store *)st, token_write_body, &w, err);
}

int sqlite_find_token(struct store *st, const char *hash, struct token_info *out,
                      struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT " TOKEN_COLUMNS " FROM tokens WHERE hash = ?",
        .params = {hash},
        .n_params = 1,
        .elem_size = sizeof(struct token_info),
        .read = token_row,
        .free_one = token_free_one,
        .what = "reading a token",
    };
    return sqlite_query_one((struct sqlite_store *)st, &q, out, "unknown token", err);
}

int sqlite_list_tokens(struct store *st, struct token_info **out, size_t *n, struct sb_err *err)
{
    const struct sqlite_list_query q = {
        .sql = "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY created, id",
        .elem_size = sizeof(struct token_info),
        .read = token_row,
        .free_one = token_free_one,
        .what = "listing tokens",
    };
    return sqlite_query_list((struct sqlite_store *)st, &q, (void **)out, n, err);
}

struct revoke_args {
    const char *id;
    struct token_info *out;
};

static int revoke_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    struct revoke_args *a = arg;
    sqlite3_stmt *stmt = sqlite_stmt(db, "SELECT " TOKEN_COLUMNS " FROM tokens WHERE id = ?");
    int rc = SB_OK, step;
    if (!stmt)
        return sqlite_fail(db, "revoking a token", err);
    sqlite3_bind_text(stmt, 1, a->id, -1, SQLITE_STATIC);
    step = sqlite3_step(stmt);
    if (step == SQLITE_ROW)
        rc = token_row(stmt, a->out, err);
    else if (step == SQLITE_DONE)
        rc = sb_err_set(err, SB_ENOTFOUND, "no token %s", a->id);
    else
        rc = sqlite_fail(db, "revoking a token", err);
    sqlite_stmt_done(stmt);
    if (rc != SB_OK)
        return rc;
    struct token_write w = {
        .sql = "DELETE FROM tokens WHERE id = ?", .params = {a->id}, .n_params = 1};
    return token_write_body(db, &w, err);
}

int sqlite_revoke_token(struct store *st, const char *id, struct token_info *out,
                        struct sb_err *err)
{
    struct revoke_args a = {id, out};
    int rc = sqlite_in_transaction((struct sqlite_store *)st, revoke_body, &a, err);
    if (rc != SB_OK)
        token_info_free(out);
    return rc;
}

int sqlite_touch_token(struct store *st, const char *hash, const char *when, struct sb_err *err)
{
    struct token_write w = {
        .sql = "UPDATE tokens SET last_used = ? WHERE hash = ?",
        .params = {when, hash},
        .n_params = 2,
    };
    return sqlite_in_transaction((struct sqlite_store *)st, token_write_body, &w, err);
}
