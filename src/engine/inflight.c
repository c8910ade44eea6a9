/* A small set of claimed keys under one mutex and condition variable. */
#include "engine/inflight.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define INFLIGHT_SLOTS   256
#define INFLIGHT_KEY_MAX 64

struct inflight {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    char keys[INFLIGHT_SLOTS][INFLIGHT_KEY_MAX]; /* "" = free */
};

struct inflight *inflight_new(void)
{
    struct inflight *f = xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->changed, NULL);
    return f;
}

void inflight_free(struct inflight *f)
{
    if (!f)
        return;
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->changed);
    free(f);
}

/* The slot holding key, or with key NULL a free slot; -1 when none. */
static int slot_of(const struct inflight *f, const char *key)
{
    for (int i = 0; i < INFLIGHT_SLOTS; i++)
        if (key ? strncmp(f->keys[i], key, INFLIGHT_KEY_MAX - 1) == 0 : !f->keys[i][0])
            return i;
    return -1;
}

/* Claims key when it is free to claim (lock held). */
static bool claim(struct inflight *f, const char *key)
{
    int free_slot = slot_of(f, NULL);
    if (free_slot < 0 || slot_of(f, key) >= 0)
        return false;
    snprintf(f->keys[free_slot], INFLIGHT_KEY_MAX, "%s", key);
    return true;
}

void inflight_enter(struct inflight *f, const char *key)
{
    pthread_mutex_lock(&f->lock);
    while (!claim(f, key))
        pthread_cond_wait(&f->changed, &f->lock);
    pthread_mutex_unlock(&f->lock);
}

bool inflight_try_enter(struct inflight *f, const char *key)
{
    pthread_mutex_lock(&f->lock);
    bool claimed = claim(f, key);
    pthread_mutex_unlock(&f->lock);
    return claimed;
}

void inflight_leave(struct inflight *f, const char *key)
{
    pthread_mutex_lock(&f->lock);
    int i = slot_of(f, key);
    if (i >= 0)
        f->keys[i][0] = '\0';
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->lock);
}
