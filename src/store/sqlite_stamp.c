/* The WAL index header as a change stamp. In WAL mode every commit of any
 * process rewrites the header at the start of the -shm file (mxFrame
 * grows, a WAL restart draws new salts, the checksums follow), before the
 * commit returns; SQLite itself keeps a connection's page cache across
 * transactions exactly while that header is unchanged. So a read made in a
 * transaction begun after the header was seen as H is still what the file
 * holds while the header still is H, byte for byte: the row cache answers
 * such a read again without a transaction (sqlite_rowcache_unchanged).
 *
 * The header is read as SQLite reads it (walIndexTryHdr): its two copies,
 * with a barrier between, must agree, since a writer updates the second
 * copy, then the first. The mapping is SQLite's own, asked of the first
 * connection through its VFS (xShmMap of region 0 only returns what is
 * mapped), and stays valid while the store's connections are open. */
#include <string.h>

#include "store/sqlite_impl.h"

/* The header: two copies of 48 bytes (https://www.sqlite.org/walformat.html). */
#define HDR_COPIES 2

void sqlite_stamp_attach(struct sqlite_store *s, sqlite3 *db)
{
    sqlite3_file *f = NULL;
    sqlite3_stmt *stmt = NULL;
    void volatile *region = NULL;
    bool wal = false;
    /* only a WAL database has the index, and only once a read opened it */
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        wal = strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") == 0;
    sqlite3_finalize(stmt);
    if (!wal ||
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap ||
        f->pMethods->xShmMap(f, 0, 32768, 0, &region) != SQLITE_OK || !region)
        return;
    s->wal_index = region;
}

bool sqlite_stamp_now(const struct sqlite_store *s, struct sqlite_stamp *out)
{
    unsigned char copy[HDR_COPIES][SQLITE_STAMP_HDR];
    if (!s->wal_index || !s->file_ino)
        return false;
    for (int i = 0; i < HDR_COPIES; i++) {
        for (size_t b = 0; b < SQLITE_STAMP_HDR; b++)
            copy[i][b] = s->wal_index[i * SQLITE_STAMP_HDR + b];
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    /* isInit (byte 12) is set once the index was built from the WAL */
    if (memcmp(copy[0], copy[1], SQLITE_STAMP_HDR) != 0 || copy[0][12] == 0)
        return false;
    out->dev = s->file_dev;
    out->ino = s->file_ino;
    memcpy(out->hdr, copy[0], SQLITE_STAMP_HDR);
    return true;
}
