/* How big the SQLite store is and how much room its filesystem has left. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "store/sqlite_internal.h"

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
    if (statvfs(dirname(dir), &vfs) == 0)
        out->free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
    return SB_OK;
}
