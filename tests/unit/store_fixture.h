/* What the store conformance programs share: the backend under test, as
 *   SB_TEST_STORE=sqlite (default)  a fresh file in $TMPDIR
 *   SB_TEST_STORE=dynamodb          SB_TEST_DDB_ENDPOINT=http://127.0.0.1:PORT, fresh table prefix
 * its options, opening it and loading the seed data. */
#ifndef SB_TEST_STORE_FIXTURE_H
#define SB_TEST_STORE_FIXTURE_H

#include <stdbool.h>

#include "store/store.h"

extern struct store_options store_fixture_options;
extern char store_fixture_db[256]; /* the SQLite file; "" on DynamoDB */

/* Picks the backend from the environment (instance names the process in
 * DynamoDB's connections table); returns its kind. */
const char *store_fixture_setup(const char *instance);
/* Opens another handle on the store under test; NULL (diagnosed) on failure. */
struct store *store_fixture_open(void);
/* Imports data/seed.json; 0 on success. */
int store_fixture_seed(struct store *st);
/* Durability: write_fn(st, arg) runs on a fresh handle in a child process,
 * which says so once it returned SB_OK and is then killed with SIGKILL
 * (reaped before this returns). True when the child acknowledged. */
typedef int (*store_fixture_write_fn)(struct store *st, void *arg);
bool store_fixture_kill_after(store_fixture_write_fn write_fn, void *arg);
/* Removes the SQLite file and its WAL and shared-memory files. */
void store_fixture_cleanup(void);

#endif
