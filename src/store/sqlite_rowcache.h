/* Decoded customers, keyed by the exact bytes of their stored row: reading
 * a customer still reads its row from SQLite (so every write of any process
 * is seen), but a row whose columns are byte for byte the ones decoded
 * before is that decode, shared by reference (store_get_customer_shared)
 * or copied, instead of being parsed, validated and rebuilt again (the
 * larger part of a GET's CPU). One cache for the
 * process: the key is the whole row, whose decode is the same whatever the
 * file it came from. Thread-safe.
 *
 * What is put must be exactly the decode of the key's bytes (a pure
 * function of them): then whether the row still exists, or was rolled
 * back, does not matter; a row that differs in any byte misses. */
#ifndef SB_SQLITE_ROWCACHE_H
#define SB_SQLITE_ROWCACHE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/model.h"
#include "store/store_impl.h"

/* One column as the cache keys it: its bytes as a SELECT returns them
 * (an INTEGER as its decimal text), len -1 for NULL. The id comes first. */
struct sqlite_rowcache_col {
    const void *v;
    int len;
};

/* A WAL index header as a change stamp (sqlite_stamp.c), with the file it
 * belongs to: while it stays the same, nothing was committed to that file. */
#define SQLITE_STAMP_HDR 48
struct sqlite_stamp {
    dev_t dev;
    ino_t ino;
    unsigned char hdr[SQLITE_STAMP_HDR];
};

/* row is a stepped SELECT of the customer columns (ncols of them, the id
 * first). The cached record of this exact row with a hold for the caller
 * (store_customer_release), or NULL. stamp, when not NULL, is the stamp
 * read before the read's transaction began: the slot keeps it. */
struct store_customer *sqlite_rowcache_get(sqlite3_stmt *row, int ncols,
                                           const struct sqlite_stamp *stamp);
/* The record of customer id, held, when its slot was read under exactly
 * the stamp now: nothing was committed since, so it is still the row in
 * the file. NULL otherwise (then read the row). */
struct store_customer *sqlite_rowcache_unchanged(const char *id, const struct sqlite_stamp *now);
/* The same for a read whose write replaces the row: the slot is emptied
 * and its decode moves to out (copied only while others still hold it). */
bool sqlite_rowcache_take(sqlite3_stmt *row, int ncols, struct customer *out);
/* Remembers rec (one more hold) as the decode of row, replacing the slot's
 * last entry; stamp as for get. */
void sqlite_rowcache_put(sqlite3_stmt *row, int ncols, struct store_customer *rec,
                         const struct sqlite_stamp *stamp);
/* The same for a row given by its columns (one just written), taking c
 * over into a new record: *c is left zeroed. */
void sqlite_rowcache_give(const struct sqlite_rowcache_col *cols, int ncols, struct customer *c);

#endif
