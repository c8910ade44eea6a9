/* Whether the database file is still the one the store opened. SQLite keeps
 * working on a file that was deleted or replaced under it (its open
 * descriptors still reach the old inode), so without this every answer stays
 * 200 while everything written goes to a file nobody will open again. */
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"
#include "store/sqlite_impl.h"

void sqlite_file_remember(struct sqlite_store *s)
{
    struct stat st;
    /* in-memory and URI databases have no file of their own to watch */
    if (strcmp(s->path, ":memory:") == 0 || strncmp(s->path, "file:", 5) == 0 ||
        stat(s->path, &st) != 0)
        return;
    s->file_dev = st.st_dev;
    s->file_ino = st.st_ino;
}

int sqlite_file_check(struct sqlite_store *s, struct sb_err *err)
{
    struct stat st;
    if (!s->file_ino)
        return SB_OK;
    const char *what = NULL;
    if (stat(s->path, &st) != 0)
        what = "was deleted";
    else if (st.st_ino != s->file_ino || st.st_dev != s->file_dev)
        what = "was replaced by another file";
    else if (st.st_nlink == 0)
        what = "has no link left";
    if (!what)
        return SB_OK;
    /* said once in the log, every time to the caller */
    if (!atomic_exchange(&s->file_lost, true))
        log_kv(LOG_ERROR,
               "the database file is gone from under the running server: "
               "nothing more is served from it; restore it and restart",
               "path", s->path, "problem", what, NULL);
    return sb_err_set(err, SB_EUNAVAIL,
                      "the database file %s %s while the server ran; restore it and restart",
                      s->path, what);
}
