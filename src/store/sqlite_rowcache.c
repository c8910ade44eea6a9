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
    struct customer c;
    bool used;
};

static struct {
    pthread_mutex_t lock;
    struct slot slots[ROWCACHE_SLOTS];
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void slot_clear(struct slot *s)
{
    if (s->used)
        customer_free(&s->c);
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
static char *row_key(sqlite3_stmt *row, int ncols, size_t *len)
{
    size_t n = 0;
    for (int i = 0; i < ncols; i++)
        n += sizeof(int) + (size_t)sqlite3_column_bytes(row, i);
    char *key = xmalloc(n), *p = key;
    for (int i = 0; i < ncols; i++) {
        const void *v;
        int b = column(row, i, &v);
        memcpy(p, &b, sizeof b);
        p += sizeof b;
        if (b > 0) {
            memcpy(p, v, (size_t)b);
            p += b;
        }
    }
    *len = (size_t)(p - key);
    return key;
}

static struct slot *slot_for(sqlite3_stmt *row)
{
    const unsigned char *id = sqlite3_column_text(row, 0);
    unsigned h = 2166136261u; /* FNV-1a */
    for (; id && *id; id++)
        h = (h ^ *id) * 16777619u;
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

bool sqlite_rowcache_get(sqlite3_stmt *row, int ncols, struct customer *out)
{
    bool hit = false;
    pthread_mutex_lock(&cache.lock);
    struct slot *s = slot_for(row);
    if (s->used && row_matches(row, ncols, s->key, s->key_len))
        hit = customer_copy(out, &s->c) == SB_OK;
    pthread_mutex_unlock(&cache.lock);
    return hit;
}

void sqlite_rowcache_put(sqlite3_stmt *row, int ncols, const struct customer *c)
{
    struct slot fresh = {0};
    fresh.key = row_key(row, ncols, &fresh.key_len);
    if (customer_copy(&fresh.c, c) != SB_OK) {
        free(fresh.key);
        return;
    }
    fresh.used = true;
    pthread_mutex_lock(&cache.lock);
    struct slot *s = slot_for(row), old = *s;
    *s = fresh;
    pthread_mutex_unlock(&cache.lock);
    slot_clear(&old); /* outside the lock */
}
