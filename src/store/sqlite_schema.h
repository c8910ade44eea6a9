/* The SQLite schema and its migrations, applied on open. */
#ifndef SB_SQLITE_SCHEMA_H
#define SB_SQLITE_SCHEMA_H

#include <sqlite3.h>

#include "common/err.h"

/* Creates the tables of an empty database or upgrades an older one, in one
 * transaction. A file from a newer servicebot is refused. */
int sqlite_schema_migrate(sqlite3 *db, const char *path, struct sb_err *err);

#endif
