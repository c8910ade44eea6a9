#include "store/sqlite_rowcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

/* Direct-mapped by the id's hash: a miss costs one decode, as without the
 * cache, so no eviction policy is worth more code. 256 decoded customers
 * are a few hundred kB. */
#define ROWCACHE_SLOTS 256

struct slot {
    char *key; /* the row's columns, each as a length and its bytes */
    size_t key_len;
    struct store_customer *rec; /* the cache's hold; NULL: empty */
    /* the WAL stamp a read of this row began after (sqlite_stamp.c) */
    struct sqlite_stamp stamp;
    bool stamped;
};
static struct {
    pthread_mutex_t lock;
    struct slot slots[ROWCACHE_SLOTS];
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void slot_clear(struct slot *s)
{
    store_customer_release(s->rec);
    free(s->key);
    memset(s, 0, sizeof(*s));
}

/* Column i's bytes in *v and their count, -1 for NULL (the key's unit). */
static int column(sqlite3_stmt *row, int i, const void **v)
{
    bool null = sqlite3_column_type(row, i) == SQLITE_NULL; /* before any conversion */
    *v = sqlite3_column_blob(row, i);
    return null ? -1 : sqlite3_column_bytes(row, i);
}

/* The row as one key: per column its length (-1 for NULL) and bytes, so
 * that no two different rows share a key. */
static char *row_key(const struct sqlite_rowcache_col *cols, int ncols, size_t *len)
{
    size_t n = 0;
    for (int i = 0; i < ncols; i++)
        n += sizeof(int) + (size_t)(cols[i].len > 0 ? cols[i].len : 0);
    char *key = xmalloc(n), *p = key;
    for (int i = 0; i < ncols; i++) {
        memcpy(p, &cols[i].len, sizeof cols[i].len);
        p += sizeof cols[i].len;
        if (cols[i].len > 0) {
            memcpy(p, cols[i].v, (size_t)cols[i].len);
            p += cols[i].len;
        }
    }
    *len = (size_t)(p - key);
    return key;
}

/* The slot of the row whose id column is id. */
static struct slot *slot_for(const struct sqlite_rowcache_col *id)
{
    const unsigned char *b = id->v;
    unsigned h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < id->len; i++)
        h = (h ^ b[i]) * 16777619u;
    return &cache.slots[h % ROWCACHE_SLOTS];
}

/* Whether row's columns are exactly the key (laid out as row_key does),
 * compared in place: a lookup is on every read, so it builds nothing. */
static bool row_matches(sqlite3_stmt *row, int ncols, const char *key, size_t key_len)
{
    const char *p = key, *end = key + key_len;
    for (int i = 0; i < ncols; i++) {
        const void *v;
        int b = column(row, i, &v);
        int kb;
        if ((size_t)(end - p) < sizeof kb)
            return false;
        memcpy(&kb, p, sizeof kb);
        p += sizeof kb;
        if (kb != b)
            return false;
        if (b > 0) {
            if ((size_t)(end - p) < (size_t)b || memcmp(p, v, (size_t)b) != 0)
                return false;
            p += b;
        }
    }
    return p == end;
}

/* The slot's record when it holds this exact row, with a hold for the
 * caller; with take, the slot is emptied (its key freed outside the lock). */
static struct store_customer *lookup(sqlite3_stmt *row, int ncols, bool take,
                                     const struct sqlite_stamp *stamp)
{
    struct store_customer *rec = NULL;
    char *key = NULL;
    struct sqlite_rowcache_col id;
    id.len = column(row, 0, &id.v);
    pthread_mutex_lock(&cache.lock);
    struct slot *s = slot_for(&id);
    if (s->rec && row_matches(row, ncols, s->key, s->key_len)) {
        if (take) {
            rec = s->rec; /* the cache's hold becomes the caller's */
            key = s->key;
            memset(s, 0, sizeof *s);
        } else {
            rec = store_customer_hold(s->rec);
            if (stamp) {
                s->stamp = *stamp;
                s->stamped = true;
            }
        }
    }
    pthread_mutex_unlock(&cache.lock);
    free(key);
    return rec;
}

struct store_customer *sqlite_rowcache_get(sqlite3_stmt *row, int ncols,
                                           const struct sqlite_stamp *stamp)
{
    return lookup(row, ncols, false, stamp);
}

struct store_customer *sqlite_rowcache_unchanged(const char *id, const struct sqlite_stamp *now)
{
    struct sqlite_rowcache_col col = {id, (int)strlen(id)};
    struct store_customer *rec = NULL;
    pthread_mutex_lock(&cache.lock);
    struct slot *s = slot_for(&col);
    /* the key starts with the id column: its length, then its bytes */
    if (s->rec && s->stamped && memcmp(&s->stamp, now, sizeof *now) == 0 &&
        s->key_len >= sizeof col.len + (size_t)col.len &&
        memcmp(s->key, &col.len, sizeof col.len) == 0 &&
        memcmp(s->key + sizeof col.len, id, (size_t)col.len) == 0)
        rec = store_customer_hold(s->rec);
    pthread_mutex_unlock(&cache.lock);
    return rec;
}

bool sqlite_rowcache_take(sqlite3_stmt *row, int ncols, struct customer *out)
{
    struct store_customer *rec = lookup(row, ncols, true, NULL);
    if (!rec)
        return false;
    if (__atomic_load_n(&rec->refs, __ATOMIC_ACQUIRE) == 1) {
        /* nobody else holds it (and nobody can take a hold any more): move */
        *out = rec->c;
        memset(&rec->c, 0, sizeof rec->c);
    } else {
        customer_copy(out, &rec->c);
    }
    store_customer_release(rec);
    return true;
}

/* Stores fresh (key and record) in its slot, releasing what it replaces. */
static void remember(const struct sqlite_rowcache_col *cols, int ncols, struct slot *fresh)
{
    fresh->key = row_key(cols, ncols, &fresh->key_len);
    pthread_mutex_lock(&cache.lock);
    struct slot *s = slot_for(&cols[0]), old = *s;
    *s = *fresh;
    pthread_mutex_unlock(&cache.lock);
    slot_clear(&old); /* outside the lock */
}

/* At most this many columns are cached (the customers table has 7). */
#define ROWCACHE_COLS_MAX 16

void sqlite_rowcache_put(sqlite3_stmt *row, int ncols, struct store_customer *rec,
                         const struct sqlite_stamp *stamp)
{
    struct sqlite_rowcache_col cols[ROWCACHE_COLS_MAX];
    if (ncols > ROWCACHE_COLS_MAX)
        return;
    for (int i = 0; i < ncols; i++)
        cols[i].len = column(row, i, &cols[i].v);
    struct slot fresh = {.rec = store_customer_hold(rec), .stamped = stamp != NULL};
    if (stamp)
        fresh.stamp = *stamp;
    remember(cols, ncols, &fresh);
}

void sqlite_rowcache_give(const struct sqlite_rowcache_col *cols, int ncols, struct customer *c)
{
    struct slot fresh = {.rec = store_customer_new()};
    fresh.rec->c = *c;
    memset(c, 0, sizeof *c);
    remember(cols, ncols, &fresh);
}
