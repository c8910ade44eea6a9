/* When the SQLite backend's WAL is checkpointed (sqlite_wal.c says why). */
#ifndef SB_SQLITE_WAL_H
#define SB_SQLITE_WAL_H

#include "store/sqlite_impl.h"

/* While the writer is busy, the commit that leaves this many frames not
 * yet copied copies them (about 16 MB of WAL). Longer copies fewer pages
 * where exchanges rewrite the same ones, but makes a longer stall where
 * they append: medians of 5 alternating runs at 1,000/2,000/4,000/8,000,
 * WebSocket 100 clients flat out 4,709/5,807/6,560/5,783 msg/s, POST
 * /api/chat 50 connections p99 8.9/9.3/10.9/12.0 ms. */
#define SQLITE_WAL_BUSY_PAGES 4000
/* When it pauses (store_idle), a WAL of this many frames not yet copied
 * is: small, so that what arrives during that checkpoint waits little
 * (WebSocket, 1,000 clients at 2,000 messages/s, p99 of 12 runs: median
 * about 6 ms at 100 pages, 7 ms at 500; without these checkpoints, 5-60 ms
 * behind the long ones). */
#define SQLITE_WAL_IDLE_PAGES 100

/* Checkpoints db's WAL by these rules (replacing SQLite's automatic one). */
void sqlite_wal_watch(struct sqlite_store *s, sqlite3 *db);
/* The backend's idle op. */
void sqlite_wal_idle(struct store *st);

#endif
