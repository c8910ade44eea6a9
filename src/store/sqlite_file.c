/* Whether the database file is still the one the store opened. SQLite keeps
 * working on a file that was deleted or replaced under it (its open
 * descriptors still reach the old inode), so without this every answer stays
 * 200 while everything written goes to a file nobody will open again.
 *
 * The check runs before every store call, so it is watched rather than
 * stat()ed each time (a stat's path walk was ~5% of a GET's CPU): inotify
 * on every directory the path goes through, for the changes that can make
 * the path name another file or none (the next component created, deleted,
 * renamed or its attributes changed; a directory itself moved or deleted).
 * While no such event is queued, the path names the file the last stat
 * found, and the check is one ioctl. An event, a lost watch or a queue
 * overflow sends the check back to stat, as it is without inotify. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xalloc.h"
#include "store/sqlite_impl.h"

#define WATCH_DIRS_MAX 64

struct sqlite_file_watch {
    int fd; /* inotify, non-blocking */
    struct {
        int wd;
        char *next; /* the path component this directory holds */
    } dirs[WATCH_DIRS_MAX];
    int n_dirs;
    pthread_mutex_t lock; /* one thread drains the queue at a time */
    /* Threads between draining events and publishing their stat's answer:
     * while one is, a queue seen empty proves nothing. */
    atomic_int draining;
    atomic_bool same;   /* the last stat found the file opened */
    atomic_bool broken; /* a watch was lost or events dropped: stat every time */
};

/* Watches the directories of path; NULL when inotify cannot (then every
 * check stats). A path with ".." is left to stat. */
static struct sqlite_file_watch *watch_new(const char *path)
{
    struct sqlite_file_watch *w = xcalloc(1, sizeof *w);
    char *copy = xstrdup(path), *save = NULL, dir[PATH_MAX];
    const uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
                          IN_MOVE_SELF | IN_DELETE_SELF | IN_ONLYDIR;
    bool ok = (w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0;
    snprintf(dir, sizeof dir, "%s", path[0] == '/' ? "/" : ".");
    for (char *c = strtok_r(copy, "/", &save); ok && c; c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        int wd = -1;
        ok = strcmp(c, "..") != 0 && w->n_dirs < WATCH_DIRS_MAX &&
             (wd = inotify_add_watch(w->fd, dir, mask)) >= 0;
        if (ok) {
            w->dirs[w->n_dirs].wd = wd;
            w->dirs[w->n_dirs++].next = xstrdup(c);
        }
        size_t len = strlen(dir);
        ok = ok && snprintf(dir + len, sizeof dir - len, "%s%s", dir[len - 1] == '/' ? "" : "/",
                            c) < (int)(sizeof dir - len);
    }
    free(copy);
    if (ok && w->n_dirs > 0) {
        pthread_mutex_init(&w->lock, NULL);
        return w;
    }
    for (int i = 0; i < w->n_dirs; i++)
        free(w->dirs[i].next);
    if (w->fd >= 0)
        close(w->fd);
    free(w);
    return NULL;
}

void sqlite_file_forget(struct sqlite_store *s)
{
    struct sqlite_file_watch *w = s->watch;
    if (!w)
        return;
    for (int i = 0; i < w->n_dirs; i++)
        free(w->dirs[i].next);
    close(w->fd);
    pthread_mutex_destroy(&w->lock);
    free(w);
    s->watch = NULL;
}

/* Whether an event concerns the path: one of its directories itself, or
 * the entry the path goes through next (a directory met twice, through a
 * link, has one watch for both). */
static bool concerns(const struct sqlite_file_watch *w, const struct inotify_event *e)
{
    bool known = false;
    for (int i = 0; i < w->n_dirs; i++) {
        if (w->dirs[i].wd != e->wd)
            continue;
        known = true;
        if (e->len == 0 || strcmp(e->name, w->dirs[i].next) == 0)
            return true;
    }
    return !known; /* not a watch of ours: be safe */
}

/* Empties the queue; true when one of its events concerns the path. */
static bool drain(struct sqlite_file_watch *w)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    ssize_t n;
    while ((n = read(w->fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            if (e->mask & (IN_IGNORED | IN_Q_OVERFLOW | IN_UNMOUNT))
                atomic_store(&w->broken, true);
            changed = changed || concerns(w, e);
            p += sizeof *e + e->len;
        }
    return changed;
}

/* What is wrong with the file at the path, or NULL when it is the one opened. */
static const char *stat_problem(const struct sqlite_store *s)
{
    struct stat st;
    if (stat(s->path, &st) != 0)
        return "was deleted";
    if (st.st_ino != s->file_ino || st.st_dev != s->file_dev)
        return "was replaced by another file";
    if (st.st_nlink == 0)
        return "has no link left";
    return NULL;
}

/* The problem, through the watch: NULL at once while nothing happened. */
static const char *watched_problem(struct sqlite_store *s, struct sqlite_file_watch *w)
{
    int queued = 0;
    /* this order: a queue another thread just drained shows in draining
     * until its stat's answer is in same */
    if (ioctl(w->fd, FIONREAD, &queued) == 0 && queued == 0 && atomic_load(&w->draining) == 0 &&
        !atomic_load(&w->broken) && atomic_load(&w->same))
        return NULL;
    atomic_fetch_add(&w->draining, 1);
    pthread_mutex_lock(&w->lock);
    const char *what = NULL;
    if (drain(w) || !atomic_load(&w->same) || atomic_load(&w->broken)) {
        what = stat_problem(s);
        atomic_store(&w->same, what == NULL);
    }
    pthread_mutex_unlock(&w->lock);
    atomic_fetch_sub(&w->draining, 1);
    return what;
}

void sqlite_file_remember(struct sqlite_store *s)
{
    struct stat st;
    /* in-memory and URI databases have no file of their own to watch */
    if (strcmp(s->path, ":memory:") == 0 || strncmp(s->path, "file:", 5) == 0)
        return;
    /* watched first: a change after the stat below is an event */
    s->watch = watch_new(s->path);
    if (stat(s->path, &st) != 0) {
        sqlite_file_forget(s);
        return;
    }
    s->file_dev = st.st_dev;
    s->file_ino = st.st_ino;
    if (s->watch)
        atomic_store(&s->watch->same, true);
}

int sqlite_file_check(struct sqlite_store *s, struct sb_err *err)
{
    if (!s->file_ino)
        return SB_OK;
    const char *what = s->watch ? watched_problem(s, s->watch) : stat_problem(s);
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
