/* Open chat sessions by customer id, so that a device push reaches that
 * customer's connections without walking every connection. Loop thread only.
 * Entries are embedded in their owners; a key must outlive its entry. */
#ifndef SB_ROSTER_H
#define SB_ROSTER_H

#include <stddef.h>

struct roster;

struct roster_entry {
    struct roster_entry *next, *prev;
    const char *key;
};

struct roster *roster_new(void);
void roster_free(struct roster *r);
void roster_add(struct roster *r, struct roster_entry *e, const char *key);
void roster_remove(struct roster *r, struct roster_entry *e);
/* The first entry with key, or the next one after e; NULL at the end. */
struct roster_entry *roster_first(struct roster *r, const char *key);
struct roster_entry *roster_next(struct roster_entry *e);

#endif
