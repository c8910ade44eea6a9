/* The start of every store test program: the tables created, a fresh
 * handle opened and the seed imported, each reported as a test. */
#ifndef SB_TEST_STORE_READY_H
#define SB_TEST_STORE_READY_H

#include <stdbool.h>
#include <string.h>

#include "store_fixture.h"
#include "tap.h"

/* The store under test, ready; NULL (reported) when a step failed. */
static inline struct store *store_fixture_ready(void)
{
    struct sb_err err = {0};
    if (!ok(store_migrate(&store_fixture_options, &err) == SB_OK, "create the store's tables"))
        tap_diag("%s", err.msg);
    struct store *st = store_fixture_open();
    if (!ok(st != NULL, "open a fresh store") ||
        !ok(store_fixture_seed(st) == 0, "import the seed data")) {
        store_close(st);
        return NULL;
    }
    return st;
}

/* For a SQLite-only program: whether kind (store_fixture_setup's) is
 * SQLite; otherwise says there is nothing to test. */
static inline bool store_fixture_sqlite_only(const char *kind)
{
    if (strcmp(kind, "sqlite") == 0)
        return true;
    tap_diag("SQLite only: nothing to test on %s", kind);
    return false;
}

#endif
