/* The store conformance programs' backend under test (store_fixture.h). */
#include "store_fixture.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "tap.h"

struct store_options store_fixture_options;
char store_fixture_db[256];
static char env_name[64];

const char *store_fixture_setup(const char *instance)
{
    const char *kind = getenv("SB_TEST_STORE") ? getenv("SB_TEST_STORE") : "sqlite";
    char id[UTIL_ID_LEN];
    store_fixture_options.kind = kind;
    util_new_id("", id, sizeof(id));
    if (strcmp(kind, "dynamodb") == 0) {
        snprintf(env_name, sizeof(env_name), "t%.12s", id);
        store_fixture_options.env = env_name;
        store_fixture_options.endpoint = getenv("SB_TEST_DDB_ENDPOINT");
        store_fixture_options.instance = instance;
    } else {
        snprintf(store_fixture_db, sizeof(store_fixture_db), "%s/sb-conformance-%s.db",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", id);
        store_fixture_options.path = store_fixture_db;
    }
    return kind;
}

struct store *store_fixture_open(void)
{
    struct store *st = NULL;
    struct sb_err err = {0};
    if (store_open(&store_fixture_options, &st, &err) != SB_OK) {
        tap_diag("store_open: %s", err.msg);
        return NULL;
    }
    return st;
}

int store_fixture_seed(struct store *st)
{
    char path[512], *text = NULL;
    size_t len;
    json_object *o = NULL;
    struct dataset ds;
    struct model_problems p = {0};
    struct sb_err err = {0};
    int rc = -1;
    snprintf(path, sizeof(path), "%s/data/seed.json",
             getenv("SB_SRCDIR") ? getenv("SB_SRCDIR") : SB_SRCDIR);
    if (util_read_file(path, &text, &len) != 0 || jsonx_parse(text, len, &o, &err) != SB_OK ||
        dataset_from_json(o, &p, &ds) != SB_OK) {
        tap_diag("cannot load %s: %s", path, err.msg);
        goto out;
    }
    if (store_import(st, &ds, &err) != SB_OK)
        tap_diag("import: %s", err.msg);
    else
        rc = 0;
    dataset_free(&ds);
out:
    model_problems_free(&p);
    json_object_put(o);
    free(text);
    return rc;
}

void store_fixture_cleanup(void)
{
    char extra[300];
    if (!*store_fixture_db)
        return;
    unlink(store_fixture_db);
    snprintf(extra, sizeof(extra), "%s-wal", store_fixture_db);
    unlink(extra);
    snprintf(extra, sizeof(extra), "%s-shm", store_fixture_db);
    unlink(extra);
}

bool store_fixture_kill_after(store_fixture_write_fn write_fn, void *arg)
{
    int fds[2];
    char ack = 0;
    if (pipe(fds) != 0)
        return false;
    pid_t kid = fork();
    if (kid == 0) {
        close(fds[0]);
        struct store *mine = store_fixture_open();
        if (mine && write_fn(mine, arg) == SB_OK)
            (void)!write(fds[1], "A", 1);
        for (;;)
            pause();
    }
    close(fds[1]);
    ssize_t got = kid > 0 ? read(fds[0], &ack, 1) : -1;
    if (kid > 0) {
        kill(kid, SIGKILL);
        waitpid(kid, NULL, 0);
    }
    close(fds[0]);
    return got == 1 && ack == 'A';
}
