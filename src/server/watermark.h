/* The store size watermark: new chats are refused (507) while the store is
 * larger than --store-max-size or its filesystem has less than
 * --min-free-disk left, so the disk never fills up under the store (a full
 * SQLite disk fails every write, reads of half-written pages included).
 * Everything else (reads, device changes) keeps working. The store's usage
 * is read at most once per WATERMARK_CHECK_MS, so the store may grow past
 * the mark by what arrives in that time. */
#ifndef SB_WATERMARK_H
#define SB_WATERMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The default floor: 100 MiB, or 5% of a smaller filesystem. */
#define WATERMARK_DEFAULT_MIN_FREE     (100LL << 20)
#define WATERMARK_DEFAULT_MIN_FREE_PCT 5
#define WATERMARK_CHECK_MS             1000

struct watermark_options {
    int64_t max_store_bytes; /* 0: no limit */
    int64_t min_free_bytes;  /* 0: no floor; -1: the default */
};

struct watermark;
struct watermark *watermark_new(const struct watermark_options *opt);
void watermark_free(struct watermark *w);

/* Whether a new chat may be stored now; false with msg (n bytes) saying
 * why. Safe to call from any thread. */
bool watermark_allows(struct watermark *w, struct store *st, char *msg, size_t n);

/* Parses "500M", "2G", "64K" or a byte count ("0" allowed) into bytes;
 * -1 when it is not a size. */
int64_t watermark_parse_size(const char *s);

#endif
