#include "server/watermark.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xalloc.h"

struct watermark {
    pthread_mutex_t lock;
    struct watermark_options opt;
    int64_t checked_us; /* 0: never */
    bool full;
    char why[200];
};

struct watermark *watermark_new(const struct watermark_options *opt)
{
    struct watermark *w = xcalloc(1, sizeof(*w));
    pthread_mutex_init(&w->lock, NULL);
    w->opt = *opt;
    return w;
}

void watermark_free(struct watermark *w)
{
    if (!w)
        return;
    pthread_mutex_destroy(&w->lock);
    free(w);
}

static double mib(int64_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

/* The free-space floor: as configured, or the default for this disk. */
static int64_t floor_bytes(const struct watermark *w, const struct store_usage *u)
{
    if (w->opt.min_free_bytes >= 0)
        return w->opt.min_free_bytes;
    int64_t pct = u->disk_bytes > 0 ? u->disk_bytes / 100 * WATERMARK_DEFAULT_MIN_FREE_PCT : 0;
    return pct > 0 && pct < WATERMARK_DEFAULT_MIN_FREE ? pct : WATERMARK_DEFAULT_MIN_FREE;
}

/* Reads the store's usage and decides; lock held. */
static void check(struct watermark *w, struct store *st)
{
    struct store_usage u;
    struct sb_err err = {0};
    bool was_full = w->full;
    w->full = false;
    if (store_usage(st, &u, &err) != SB_OK) {
        /* cannot tell: keep serving, the store's own errors will say more */
        log_kv(LOG_WARN, "cannot read the store's size", "error", err.msg, NULL);
    } else if (w->opt.max_store_bytes > 0 && u.bytes > w->opt.max_store_bytes) {
        w->full = true;
        snprintf(w->why, sizeof(w->why),
                 "the store is full (%.1f MiB of its %.1f MiB limit, --store-max-size): new chats "
                 "are refused until room is made",
                 mib(u.bytes), mib(w->opt.max_store_bytes));
    } else if (floor_bytes(w, &u) > 0 && u.free_bytes >= 0 && u.free_bytes < floor_bytes(w, &u)) {
        w->full = true;
        snprintf(w->why, sizeof(w->why),
                 "the store's disk is nearly full (%.1f MiB left, below --min-free-disk %.1f MiB): "
                 "new chats are refused until room is made",
                 mib(u.free_bytes), mib(floor_bytes(w, &u)));
    }
    if (w->full != was_full)
        log_kv(w->full ? LOG_ERROR : LOG_INFO,
               w->full ? "storage watermark reached: refusing new chats"
                       : "storage below the watermark again: accepting chats",
               "detail", w->full ? w->why : "-", NULL);
}

bool watermark_allows(struct watermark *w, struct store *st, char *msg, size_t n)
{
    if (!w || (!w->opt.max_store_bytes && !w->opt.min_free_bytes))
        return true;
    int64_t now = util_monotonic_us();
    pthread_mutex_lock(&w->lock);
    if (!w->checked_us || now - w->checked_us >= (int64_t)WATERMARK_CHECK_MS * 1000) {
        w->checked_us = now;
        check(w, st);
    }
    bool full = w->full;
    if (full)
        snprintf(msg, n, "%s", w->why);
    pthread_mutex_unlock(&w->lock);
    return !full;
}

int64_t watermark_parse_size(const char *s)
{
    /* One row per suffix: its letter and what it multiplies by. */
    static const struct {
        char suffix;
        int shift;
    } units[] = {{'K', 10}, {'M', 20}, {'G', 30}, {'T', 40}};
    char *end = NULL;
    if (!s || *s < '0' || *s > '9')
        return -1;
    long long v = strtoll(s, &end, 10);
    int shift = *end ? -1 : 0;
    for (size_t i = 0; *end && !end[1] && i < sizeof(units) / sizeof(units[0]); i++)
        if ((*end & ~0x20) == units[i].suffix)
            shift = units[i].shift;
    if (shift < 0 || v < 0 || v > (INT64_MAX >> shift))
        return -1;
    return (int64_t)v << shift;
}
