/* The out-of-memory policy ends the process, each time in a child: the
 * message xalloc_die prints, and a real SQLite store whose heap runs out
 * (SQLite's own hard heap limit, so SQLITE_NOMEM comes from SQLite itself)
 * aborting instead of answering an error. */
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/xalloc.h"
#include "store/store.h"
#include "tap.h"

typedef void (*child_fn)(const void *arg);

struct ending {
    int signal;    /* what ended the child; 0 when it exited */
    int status;    /* its exit status when it exited */
    char err[512]; /* what it wrote on stderr */
};

/* Runs fn in a child process and says how it ended. */
static struct ending in_child(child_fn fn, const void *arg)
{
    struct ending e = {0};
    int fds[2];
    if (pipe(fds) != 0)
        return (struct ending){.status = -1};
    fflush(stdout);
    pid_t kid = fork();
    if (kid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        fn(arg);
        _exit(0);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < sizeof e.err && (got = read(fds[0], e.err + len, sizeof e.err - 1 - len)) > 0)
        len += (size_t)got;
    e.err[len] = '\0';
    close(fds[0]);
    int status = 0;
    if (kid < 0 || waitpid(kid, &status, 0) != kid)
        return (struct ending){.status = -1};
    if (WIFSIGNALED(status))
        e.signal = WTERMSIG(status);
    else
        e.status = WEXITSTATUS(status);
    return e;
}

static void die_sized(const void *arg)
{
    (void)arg;
    xalloc_die(123);
}

static void die_unsized(const void *arg)
{
    (void)arg;
    xalloc_die(0);
}

/* Opens a SQLite store at path, leaves SQLite no room, then reads. */
static void starve_sqlite(const void *arg)
{
    struct store_options opt = {.kind = "sqlite", .path = arg, .cache_ms = -1};
    struct store *st = NULL;
    struct sb_err err = {0};
    if (store_open(&opt, &st, &err) != SB_OK)
        _exit(2);
    sqlite3_hard_heap_limit64(1);
    struct customer *all = NULL;
    size_t n = 0;
    int rc = store_list_customers(st, &all, &n, &err);
    /* reached only when the policy did not hold: say what came back instead */
    fprintf(stderr, "store_list_customers returned %d: %s\n", rc, err.msg);
    _exit(3);
}

static void test_messages(void)
{
    struct ending e = in_child(die_sized, NULL);
    is_int(e.signal, SIGABRT, "xalloc_die ends the process with SIGABRT");
    is_str(e.err, "out of memory (allocating 123 bytes): stopping\n",
           "and says how much it could not allocate");
    e = in_child(die_unsized, NULL);
    is_int(e.signal, SIGABRT, "xalloc_die(0) ends it the same way");
    is_str(e.err, "out of memory: stopping\n", "without a size nobody knew");
}

static void test_sqlite_nomem(void)
{
    char dir[] = "/tmp/sb-oom.XXXXXX", path[64];
    if (!ok(mkdtemp(dir) != NULL, "a scratch directory"))
        return;
    snprintf(path, sizeof path, "%s/oom.db", dir);
    struct ending e = in_child(starve_sqlite, path);
    if (!ok(e.signal == SIGABRT, "SQLITE_NOMEM from a real SQLite store ends the process"))
        tap_diag("  signal %d, exit status %d, stderr: %s", e.signal, e.status, e.err);
    is_str(e.err, "out of memory: stopping\n", "through xalloc_die, not a 500 'internal'");
    char extra[80];
    unlink(path);
    snprintf(extra, sizeof extra, "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", path);
    unlink(extra);
    rmdir(dir);
}

int main(void)
{
    test_messages();

    test_sqlite_nomem();
    return tap_done();
}
