/* Levels and the capability catalogue served from memory: every chat
 * request reads both, and they change only by admin writes. The rule: a
 * copy is used for at most cache_ms after it was loaded; a write through
 * this store drops it at once. So a change is seen by its own instance on
 * the next read and by every other instance within cache_ms.
 *
 * What is cached is one immutable snapshot of both lists, shared by
 * reference: a chat exchange holds it for its policy instead of deep
 * copying every level and capability (store_snapshot_get); a drop or a
 * reload replaces it, and the last holder frees it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"
#include "store/store_impl.h"

struct snapshot {
    struct store_snapshot pub; /* first: what store_snapshot_get hands out */
    int refs;                  /* atomic: the cache's and each holder's */
    struct service_level *levels;
    struct capability *caps;
};

struct store_cache {
    pthread_mutex_t lock;
    int64_t ttl_ms; /* < 0: nothing is cached */
    int64_t (*clock_ms)(void);
    struct snapshot *cur; /* NULL: nothing loaded */
    int64_t loaded_ms;
    /* Bumped by every drop, so that a load racing a write does not keep
     * what it read before the write. */
    uint64_t generation;
};

static void release(struct snapshot *s)
{
    if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    service_levels_free(s->levels, s->pub.n_levels);
    capabilities_free(s->caps, s->pub.n_caps);
    free(s);
}

void store_snapshot_release(const struct store_snapshot *snap)
{
    /* pub is the first member: the snapshot itself */
    release((struct snapshot *)snap);
}

struct store_cache *store_cache_new(const struct store_options *opt)
{
    struct store_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->ttl_ms = opt && opt->cache_ms ? opt->cache_ms : STORE_CACHE_MS_DEFAULT;
    c->clock_ms = opt && opt->clock_ms ? opt->clock_ms : util_now_ms;
    return c;
}

void store_cache_free(struct store_cache *c)
{
    if (!c)
        return;
    release(c->cur);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void store_cache_drop(struct store_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    struct snapshot *old = c->cur;
    c->cur = NULL;
    c->generation++;
    pthread_mutex_unlock(&c->lock);
    release(old);
}

/* Reads both lists from the backend into a new snapshot held once (by the caller). */
static int read_snapshot(struct store *st, struct snapshot **out, struct sb_err *err)
{
    struct snapshot *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    int rc = st->ops->list_levels(st, &s->levels, &s->pub.n_levels, err);
    if (rc == SB_OK)
        rc = st->ops->list_capabilities(st, &s->caps, &s->pub.n_caps, err);
    if (rc != SB_OK) {
        release(s);
        return rc;
    }
    s->pub.levels = s->levels;
    s->pub.caps = s->caps;
    *out = s;
    return SB_OK;
}

/* Reads a snapshot and keeps it, unless a write dropped the cache
 * meanwhile. Called without the lock (the reads take time). */
static int load(struct store *st, struct store_cache *c, struct sb_err *err)
{
    struct snapshot *s = NULL;
    pthread_mutex_lock(&c->lock);
    uint64_t gen = c->generation;
    pthread_mutex_unlock(&c->lock);
    int64_t started = c->clock_ms();
    int rc = read_snapshot(st, &s, err);
    if (rc != SB_OK)
        return rc;
    pthread_mutex_lock(&c->lock);
    if (c->generation == gen) {
        struct snapshot *old = c->cur;
        c->cur = s;
        /* the age counts from before the reads: the bound holds for what they saw */
        c->loaded_ms = started;
        s = old;
    }
    pthread_mutex_unlock(&c->lock);
    /* what was replaced, or (lost the race with a write) what was read,
     * which may be older than the write */
    release(s);
    return SB_OK;
}

static bool uncached(const struct store *st)
{
    return !st->cache || st->cache->ttl_ms < 0;
}

/* The fresh snapshot with a reference for the caller, loaded when stale. */
static int acquire(struct store *st, struct snapshot **out, struct sb_err *err)
{
    struct store_cache *c = st->cache;
    if (uncached(st))
        return read_snapshot(st, out, err);
    for (int attempt = 0; attempt < 3; attempt++) {
        pthread_mutex_lock(&c->lock);
        struct snapshot *s = c->cur && c->clock_ms() - c->loaded_ms < c->ttl_ms ? c->cur : NULL;
        if (s)
            __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&c->lock);
        if (s) {
            *out = s;
            return SB_OK;
        }
        int rc = load(st, c, err);
        if (rc != SB_OK)
            return rc;
    }
    /* writes keep dropping what is loaded: read straight through */
    return read_snapshot(st, out, err);
}

int store_snapshot_get(struct store *st, const struct store_snapshot **out, struct sb_err *err)
{
    struct snapshot *s = NULL;
    int rc = acquire(st, &s, err);
    *out = rc == SB_OK ? &s->pub : NULL;
    return rc;
}

/* Copies out one list of the fresh snapshot: its levels when levels is
 * set, else its catalogue. */
static int copy_out(struct store *st, struct service_level **levels, struct capability **caps,
                    size_t *n, struct sb_err *err)
{
    struct snapshot *s = NULL;
    int rc = acquire(st, &s, err);
    if (rc != SB_OK)
        return rc;
    *n = levels ? s->pub.n_levels : s->pub.n_caps;
    if (levels)
        *levels = xcalloc(*n, sizeof **levels);
    else
        *caps = xcalloc(*n, sizeof **caps);
    for (size_t i = 0; i < *n; i++)
        if (levels)
            service_level_copy(&(*levels)[i], &s->levels[i]);
        else
            capability_copy(&(*caps)[i], &s->caps[i]);
    release(s);
    return SB_OK;
}

int store_cache_levels(struct store *st, struct service_level **out, size_t *n, struct sb_err *err)
{
    return uncached(st) ? st->ops->list_levels(st, out, n, err) : copy_out(st, out, NULL, n, err);
}

int store_cache_capabilities(struct store *st, struct capability **out, size_t *n,
                             struct sb_err *err)
{
    return uncached(st) ? st->ops->list_capabilities(st, out, n, err)
                        : copy_out(st, NULL, out, n, err);
}
