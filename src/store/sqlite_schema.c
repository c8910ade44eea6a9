#include "store/sqlite_schema.h"

#include <stddef.h>
#include <stdio.h>

/* Migration N brings a database from version N-1 to N. Append, never edit. */
static const char *const migrations[] = {
    NULL,
    "CREATE TABLE customers ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  service_level TEXT NOT NULL,"
    "  devices TEXT NOT NULL," /* JSON list of devices, as the seed's customers table */
    "  version INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE TABLE service_levels ("
    "  level TEXT PRIMARY KEY,"
    "  rank INTEGER NOT NULL,"
    "  record TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE capabilities ("
    "  position INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  record TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE messages ("
    "  id TEXT PRIMARY KEY,"
    "  conversation_id TEXT NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  sender TEXT NOT NULL,"
    "  timestamp TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX messages_by_conversation ON messages (user_id, conversation_id, timestamp, id);"
    "CREATE INDEX messages_by_user ON messages (user_id, timestamp, id);"
    "CREATE TABLE connections ("
    "  connection_id TEXT PRIMARY KEY,"
    "  user_id TEXT NOT NULL,"
    "  connection_time TEXT NOT NULL,"
    "  ttl INTEGER NOT NULL,"
    "  instance TEXT"
    ") STRICT;"
    "CREATE INDEX connections_by_user ON connections (user_id);"
    "CREATE INDEX connections_by_ttl ON connections (ttl);"
    "CREATE TABLE tokens ("
    "  hash TEXT PRIMARY KEY,"
    "  customer_id TEXT" /* NULL: admin */
    ") STRICT;",
    /* 2: the customer's time zone (NULL: UTC) and routines (JSON list, NULL: none) */
    "ALTER TABLE customers ADD COLUMN timezone TEXT;"
    "ALTER TABLE customers ADD COLUMN routines TEXT;",
    /* 3: what each conversation remembers, written with its exchanges */
    "CREATE TABLE conversations ("
    "  customer_id TEXT NOT NULL,"
    "  conversation_id TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  updated TEXT NOT NULL,"
    "  PRIMARY KEY (customer_id, conversation_id)"
    ") STRICT, WITHOUT ROWID;",
    /* 4: history indexes without the id column, so that the index order is
     * (timestamp, rowid), the order pages are read in */
    "DROP INDEX messages_by_conversation;"
    "DROP INDEX messages_by_user;"
    "CREATE INDEX messages_by_conversation ON messages (user_id, conversation_id, timestamp);"
    "CREATE INDEX messages_by_user ON messages (user_id, timestamp);",
    /* 5: tokens get a public id (to list and revoke), times and an expiry */
    "ALTER TABLE tokens ADD COLUMN id TEXT;"
    "ALTER TABLE tokens ADD COLUMN created TEXT;"
    "ALTER TABLE tokens ADD COLUMN last_used TEXT;"
    "ALTER TABLE tokens ADD COLUMN expires TEXT;"
    "UPDATE tokens SET id = 'tok_' || lower(hex(randomblob(11))),"
    "  created = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');"
    "CREATE UNIQUE INDEX tokens_by_id ON tokens (id);",
    /* 6: conversations by last use, so that forgetting the oldest reads an
     * index range instead of sorting every conversation of the customer */
    "CREATE INDEX conversations_by_updated ON conversations (customer_id, updated);",
    /* 7: the customers with routines, for the scheduler's scan every second
     * (which read every customer: 10,000 of them took most of a core) */
    "CREATE INDEX customers_with_routines ON customers (id) WHERE routines IS NOT NULL;",
    /* 8: a request and its reply in one row (sqlite_messages.c): half the
     * index entries per exchange. Older rows stay as they are. */
    "ALTER TABLE messages ADD COLUMN reply_text TEXT;"
    "ALTER TABLE messages ADD COLUMN reply_sender TEXT;"
    "ALTER TABLE messages ADD COLUMN reply_timestamp TEXT;",
};

int sqlite_schema_migrate(sqlite3 *db, const char *path, struct sb_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int version = 0, rc = SB_OK;
    const int latest = (int)(sizeof(migrations) / sizeof(migrations[0])) - 1;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sb_err_set(err, SB_EUNAVAIL, "%s: cannot lock the database: %s", path,
                          sqlite3_errmsg(db));
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW) {
        rc = sb_err_set(err, SB_ECORRUPT, "%s: not a servicebot database: %s", path,
                        sqlite3_errmsg(db));
        goto out;
    }
    version = sqlite3_column_int(stmt, 0);
    /* an open statement would keep DROP INDEX from running (table locked) */
    sqlite3_finalize(stmt);
    stmt = NULL;
    if (version > latest) {
        rc = sb_err_set(err, SB_ECORRUPT,
                        "%s: schema version %d is newer than this servicebotd knows (%d)", path,
                        version, latest);
        goto out;
    }
    for (int v = version + 1; v <= latest; v++) {
        char *msg = NULL;
        if (sqlite3_exec(db, migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
            rc = sb_err_set(err, SB_ECORRUPT, "%s: migration to schema %d failed: %s", path, v,
                            msg ? msg : "unknown error");
            sqlite3_free(msg);
            goto out;
        }
    }
    if (version != latest) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
        if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK)
            rc = sb_err_set(err, SB_EINTERNAL, "%s: %s", path, sqlite3_errmsg(db));
    }
out:
    sqlite3_finalize(stmt);
    sqlite3_exec(db, rc == SB_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
