/* Keeping the SQLite store in bounds: how big it is, how much room its
 * filesystem has left, and message retention. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "store/sqlite_impl.h"

static int64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

int sqlite_usage(struct store *st, struct store_usage *out, struct sb_err *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    char wal[4096], dir[4096];
    struct statvfs vfs;
    if (strcmp(s->path, ":memory:") == 0)
        return SB_OK; /* nothing on disk: unknown, as the defaults say */
    snprintf(wal, sizeof(wal), "%s-wal", s->path);
    out->bytes = file_size(s->path) + file_size(wal);
    snprintf(dir, sizeof(dir), "%s", s->path);
    /* the room left for an unprivileged writer: f_bavail, not f_bfree */
    if (statvfs(dirname(dir), &vfs) == 0) {
        out->free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
        out->disk_bytes = (int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize;
    }
    return SB_OK;
}

struct prune_args {
    const char *customer_id, *before;
    size_t keep, removed;
};

/* The rows to prune: by the history's own order (timestamp, then append
 * order), a row goes when the newer rows hold `keep` messages already. A row
 * is one message or an exchange's two (sqlite_messages.c), which go
 * together: a request older than `before` takes its reply along, and the
 * last exchange kept may make keep + 1. */
#define PRUNED                                                                                     \
    "FROM messages WHERE user_id = ?1 AND ((?2 IS NOT NULL AND timestamp < ?2) OR "                \
    "(?3 > 0 AND rowid IN (SELECT rowid FROM (SELECT rowid, SUM(1 + (reply_text IS NOT "           \
    "NULL)) OVER (ORDER BY timestamp DESC, rowid DESC) - (1 + (reply_text IS NOT NULL)) "          \
    "AS newer FROM messages WHERE user_id = ?1) WHERE newer >= ?3)))"

static int prune_body(sqlite3 *db, void *arg, struct sb_err *err)
{
    struct prune_args *a = arg;
    /* Counted first, then deleted: DELETE ... RETURNING would count in one
     * statement, but SQLite 3.40 evaluates RETURNING's reply_text from the
     * history index it deletes through (which lacks it): every row counted
     * as two. */
    static const char *const sql[2] = {
        "SELECT total(1 + (reply_text IS NOT NULL)) " PRUNED,
        "DELETE " PRUNED,
    };
    int rc = SB_OK;
    a->removed = 0;
    for (int i = 0; i < 2 && rc == SB_OK; i++) {
        sqlite3_stmt *stmt = sqlite_stmt(db, sql[i]);
        if (!stmt)
            return sqlite_fail(db, "pruning messages", err);
        sqlite3_bind_text(stmt, 1, a->customer_id, -1, SQLITE_STATIC);
        if (a->before)
            sqlite3_bind_text(stmt, 2, a->before, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, (sqlite3_int64)a->keep);
        int step = sqlite3_step(stmt);
        if (i == 0 && step == SQLITE_ROW)
            a->removed = (size_t)sqlite3_column_int64(stmt, 0);
        else if (step != SQLITE_DONE)
            rc = sqlite_fail(db, "pruning messages", err);
        sqlite_stmt_done(stmt);
    }
    return rc;
}

int sqlite_prune_messages(struct store *st, const char *customer_id, const char *before,
                          size_t keep, size_t *removed, struct sb_err *err)
{
    struct prune_args a = {customer_id, before, keep, 0};
    int rc = sqlite_in_transaction((struct sqlite_store *)st, prune_body, &a, err);
    *removed = rc == SB_OK ? a.removed : 0;
    return rc;
}
