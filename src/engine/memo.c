/* Chained hash over a ring of entries: the ring gives the eviction order. */
#include "engine/memo.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

struct memo_entry {
    char *key;
    char *value;
    struct memo_entry *next; /* bucket chain */
};

struct memo {
    pthread_mutex_t lock;
    struct memo_entry *ring; /* capacity entries, filled in order */
    size_t cap, head;        /* head: the slot written next (the oldest when full) */
    struct memo_entry **buckets;
    size_t n_buckets;
};

static size_t bucket_of(const struct memo *m, const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ULL;
    return (size_t)(h % m->n_buckets);
}

struct memo *memo_new(size_t capacity)
{
    struct memo *m = xcalloc(1, sizeof *m);
    m->cap = capacity ? capacity : 1;
    m->n_buckets = m->cap * 2 + 1;
    m->ring = xcalloc(m->cap, sizeof *m->ring);
    m->buckets = xcalloc(m->n_buckets, sizeof *m->buckets);
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void memo_free(struct memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++) {
        free(m->ring[i].key);
        free(m->ring[i].value);
    }
    free(m->ring);
    free(m->buckets);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static struct memo_entry *find(struct memo *m, const char *key)
{
    for (struct memo_entry *e = m->buckets[bucket_of(m, key)]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void unlink_entry(struct memo *m, struct memo_entry *victim)
{
    struct memo_entry **pp = &m->buckets[bucket_of(m, victim->key)];
    while (*pp && *pp != victim)
        pp = &(*pp)->next;
    if (*pp)
        *pp = victim->next;
}

void memo_put(struct memo *m, const char *key, const char *value)
{
    char *v = xstrdup(value), *k = xstrdup(key);
    pthread_mutex_lock(&m->lock);
    struct memo_entry *e = find(m, key);
    if (e) {
        free(e->value);
        e->value = v;
        free(k);
    } else {
        e = &m->ring[m->head];
        m->head = (m->head + 1) % m->cap;
        if (e->key) {
            unlink_entry(m, e);
            free(e->key);
            free(e->value);
        }
        e->key = k;
        e->value = v;
        size_t b = bucket_of(m, k);
        e->next = m->buckets[b];
        m->buckets[b] = e;
    }
    pthread_mutex_unlock(&m->lock);
}

char *memo_get(struct memo *m, const char *key)
{
    char *copy = NULL;
    pthread_mutex_lock(&m->lock);
    struct memo_entry *e = find(m, key);
    if (e)
        copy = xstrdup(e->value);
    pthread_mutex_unlock(&m->lock);
    return copy;
}
