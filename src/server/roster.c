#include "server/roster.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define BUCKETS 1024 /* a power of two */

struct roster {
    struct roster_entry *heads[BUCKETS];
};

static struct roster_entry **bucket(struct roster *r, const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &r->heads[h & (BUCKETS - 1)];
}

struct roster *roster_new(void)
{
    return xcalloc(1, sizeof(struct roster));
}

void roster_free(struct roster *r)
{
    free(r);
}

void roster_add(struct roster *r, struct roster_entry *e, const char *key)
{
    struct roster_entry **head = bucket(r, key);
    e->key = key;
    e->prev = NULL;
    e->next = *head;
    if (*head)
        (*head)->prev = e;
    *head = e;
}

void roster_remove(struct roster *r, struct roster_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        *bucket(r, e->key) = e->next;
    if (e->next)
        e->next->prev = e->prev;
    e->next = e->prev = NULL;
}

/* The first entry from e on (inclusive) whose key is key. */
static struct roster_entry *scan(struct roster_entry *e, const char *key)
{
    while (e && strcmp(e->key, key) != 0)
        e = e->next;
    return e;
}

struct roster_entry *roster_first(struct roster *r, const char *key)
{
    return scan(*bucket(r, key), key);
}

struct roster_entry *roster_next(struct roster_entry *e)
{
    return scan(e->next, e->key);
}
