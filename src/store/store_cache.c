/* Levels and the capability catalogue served from memory: every chat
 * request reads both, and they change only by admin writes. The rule: a
 * copy is used for at most cache_ms after it was loaded; a write through
 * this store drops it at once. So a change is seen by its own instance on
 * the next read and by every other instance within cache_ms. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"
#include "store/store_impl.h"

struct store_cache {
    pthread_mutex_t lock;
    int64_t ttl_ms; /* < 0: nothing is cached */
    int64_t (*clock_ms)(void);
    bool valid;
    int64_t loaded_ms;
    /* Bumped by every drop, so that a load racing a write does not keep
     * what it read before the write. */
    uint64_t generation;
    struct service_level *levels;
    size_t n_levels;
    struct capability *caps;
    size_t n_caps;
};

struct store_cache *store_cache_new(const struct store_options *opt)
{
    struct store_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->ttl_ms = opt && opt->cache_ms ? opt->cache_ms : STORE_CACHE_MS_DEFAULT;
    c->clock_ms = opt && opt->clock_ms ? opt->clock_ms : util_now_ms;
    return c;
}

static void forget(struct store_cache *c)
{
    service_levels_free(c->levels, c->n_levels);
    capabilities_free(c->caps, c->n_caps);
    c->levels = NULL;
    c->caps = NULL;
    c->n_levels = c->n_caps = 0;
    c->valid = false;
}

void store_cache_free(struct store_cache *c)
{
    if (!c)
        return;
    forget(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void store_cache_drop(struct store_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    forget(c);
    c->generation++;
    pthread_mutex_unlock(&c->lock);
}

/* Reads both lists from the backend and keeps them, unless a write dropped
 * the cache meanwhile. Called without the lock (the reads take time). */
static int load(struct store *st, struct store_cache *c, struct sb_err *err)
{
    struct service_level *levels = NULL;
    struct capability *caps = NULL;
    size_t n_levels = 0, n_caps = 0;
    pthread_mutex_lock(&c->lock);
    uint64_t gen = c->generation;
    pthread_mutex_unlock(&c->lock);
    int64_t started = c->clock_ms();
    int rc = st->ops->list_levels(st, &levels, &n_levels, err);
    if (rc == SB_OK)
        rc = st->ops->list_capabilities(st, &caps, &n_caps, err);
    if (rc != SB_OK) {
        service_levels_free(levels, n_levels);
        return rc;
    }
    pthread_mutex_lock(&c->lock);
    if (c->generation == gen) {
        forget(c);
        c->levels = levels;
        c->n_levels = n_levels;
        c->caps = caps;
        c->n_caps = n_caps;
        /* the age counts from before the reads: the bound holds for what they saw */
        c->loaded_ms = started;
        c->valid = true;
        levels = NULL;
        caps = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    /* lost the race with a write: what was read may be older than it */
    service_levels_free(levels, levels ? n_levels : 0);
    capabilities_free(caps, caps ? n_caps : 0);
    return SB_OK;
}

/* Copies one cached list out (called with the lock held). */
typedef void (*copy_fn)(struct store_cache *c, void **out, size_t *n);

static void copy_levels(struct store_cache *c, void **out, size_t *n)
{
    struct service_level *l = xcalloc(c->n_levels, sizeof *l);
    for (size_t i = 0; i < c->n_levels; i++)
        service_level_copy(&l[i], &c->levels[i]);
    *out = l;
    *n = c->n_levels;
}

static void copy_caps(struct store_cache *c, void **out, size_t *n)
{
    struct capability *k = xcalloc(c->n_caps, sizeof *k);
    for (size_t i = 0; i < c->n_caps; i++)
        capability_copy(&k[i], &c->caps[i]);
    *out = k;
    *n = c->n_caps;
}

static int cached(struct store *st, copy_fn copy, void **out, size_t *n, struct sb_err *err)
{
    struct store_cache *c = st->cache;
    for (int attempt = 0; attempt < 3; attempt++) {
        pthread_mutex_lock(&c->lock);
        bool fresh = c->valid && c->clock_ms() - c->loaded_ms < c->ttl_ms;
        if (fresh)
            copy(c, out, n);
        pthread_mutex_unlock(&c->lock);
        if (fresh)
            return SB_OK;
        int rc = load(st, c, err);
        if (rc != SB_OK)
            return rc;
    }
    /* writes keep dropping what is loaded: read straight through */
    return copy == copy_levels ? st->ops->list_levels(st, (struct service_level **)out, n, err)
                               : st->ops->list_capabilities(st, (struct capability **)out, n, err);
}

int store_cache_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err)
{
    if (!st->cache || st->cache->ttl_ms < 0)
        return st->ops->list_levels(st, out, n, err);
    return cached(st, copy_levels, (void **)out, n, err);
}

int store_cache_capabilities(struct store *st, struct capability **out, size_t *n,
                             struct sb_err *err)
{
    if (!st->cache || st->cache->ttl_ms < 0)
        return st->ops->list_capabilities(st, out, n, err);
    return cached(st, copy_caps, (void **)out, n, err);
}
