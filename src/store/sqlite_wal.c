/* When the WAL is checkpointed (copied into the database file), and by
 * whom.
 *
 * A checkpoint copies each page the WAL holds once, however often it was
 * written since the last one, and then fsyncs the database file; whatever
 * commits meanwhile waits (inline, or on the device's flush). Two marks:
 *
 * - While the writer is busy, only a long WAL is copied, inline in the
 *   commit that crosses SQLITE_WAL_BUSY_PAGES, as SQLite's own automatic
 *   checkpoint does: chat exchanges rewrite the same few pages of each
 *   customer, so a long WAL copies far fewer pages in all (WebSocket chat,
 *   100 customers, 30,000 exchanges: 155 checkpoints in 1,500 ms at
 *   SQLite's 1,000 pages, 45 in 550-600 ms at 4,000, 24 in 320 ms at
 *   8,000), while appends (new conversations) copy every page anyway and
 *   only wait longer at once.
 * - When the writer runs out of work (store_idle), a WAL of
 *   SQLITE_WAL_IDLE_PAGES or more is copied then: a short checkpoint that
 *   nothing queued waits for, instead of a long one in the middle of a
 *   burst.
 *
 * The counts are this process's view (other processes checkpoint too);
 * a checkpoint with nothing left to copy costs next to nothing. */
#include "store/sqlite_wal.h"

/* Copies what no reader still needs (PASSIVE never waits on a lock) and
 * notes how far the copy got. */
static void checkpoint(struct sqlite_store *s, sqlite3 *db)
{
    int log = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK)
        atomic_store(&s->wal_copied, copied);
}

/* Frames in the WAL not yet copied, as of the last commit seen. */
static int uncopied(struct sqlite_store *s)
{
    int frames = atomic_load(&s->wal_frames), copied = atomic_load(&s->wal_copied);
    return frames > copied ? frames - copied : 0;
}

/* sqlite3_wal_hook: after every commit of a connection, on its thread. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
    struct sqlite_store *s = arg;
    (void)name;
    /* a shorter WAL than the last commit left: it has started over, from
     * the start of the file, and nothing of it is copied yet (a first
     * commit longer than the old WAL goes unnoticed: the marks are then
     * late by that old length at most) */
    if (atomic_exchange(&s->wal_frames, frames) > frames)
        atomic_store(&s->wal_copied, 0);
    if (uncopied(s) >= SQLITE_WAL_BUSY_PAGES)
        checkpoint(s, db);
    return SQLITE_OK;
}

void sqlite_wal_watch(struct sqlite_store *s, sqlite3 *db)
{
    /* replaces SQLite's automatic checkpoint (which is a wal hook too) */
    sqlite3_wal_hook(db, on_commit, s);
}

void sqlite_wal_idle(struct store *st)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    if (uncopied(s) < SQLITE_WAL_IDLE_PAGES)
        return;
    sqlite3 *db = sqlite_conn_get(s, NULL);
    if (!db)
        return;
    checkpoint(s, db);
    sqlite_conn_put(s, db);
}
