#include "server/auth.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "server/sha256.h"

void auth_identity_free(struct auth_identity *id)
{
    free(id->customer_id);
    id->customer_id = NULL;
    id->admin = false;
}

#define CACHE_SLOTS 256

struct cache_slot {
    char hash[SHA256_HEX_LEN]; /* "" when empty */
    char *customer_id;         /* NULL for admin */
    int64_t expires_us;
};

struct auth_cache {
    pthread_mutex_t lock;
    int64_t ttl_us;
    struct cache_slot slots[CACHE_SLOTS];
};

struct auth_cache *auth_cache_new(int secs)
{
    struct auth_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->ttl_us = (int64_t)(secs > 0 ? secs : AUTH_CACHE_SECS) * 1000000;
    return c;
}

void auth_cache_free(struct auth_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        free(c->slots[i].customer_id);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static unsigned hex_digit(char c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
}

/* The slot a hash maps to (direct-mapped: a newer token evicts an older). */
static struct cache_slot *slot_for(struct auth_cache *c, const char *hash)
{
    return &c->slots[(hex_digit(hash[0]) << 4 | hex_digit(hash[1])) % CACHE_SLOTS];
}

/* SB_OK and out filled on a fresh hit, SB_ENOTFOUND otherwise. */
static int cache_get(struct auth_cache *c, const char *hash, struct auth_identity *out)
{
    int rc = SB_ENOTFOUND;
    pthread_mutex_lock(&c->lock);
    struct cache_slot *s = slot_for(c, hash);
    if (strcmp(s->hash, hash) == 0 && s->expires_us > util_monotonic_us()) {
        out->admin = s->customer_id == NULL;
        out->customer_id = s->customer_id ? xstrdup(s->customer_id) : NULL;
        rc = SB_OK;
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* expires_ms: when the token stops working (0: never); the entry must not outlive it. */
static void cache_put(struct auth_cache *c, const char *hash, const char *customer_id,
                      int64_t expires_ms)
{
    int64_t ttl_us = c->ttl_us;
    if (expires_ms > 0 && (expires_ms - util_now_ms()) * 1000 < ttl_us)
        ttl_us = (expires_ms - util_now_ms()) * 1000;
    char *copy = customer_id ? xstrdup(customer_id) : NULL;
    pthread_mutex_lock(&c->lock);
    struct cache_slot *s = slot_for(c, hash);
    free(s->customer_id);
    memcpy(s->hash, hash, SHA256_HEX_LEN);
    s->customer_id = copy;
    s->expires_us = util_monotonic_us() + ttl_us;
    pthread_mutex_unlock(&c->lock);
}

int auth_lookup(struct auth_cache *cache, struct store *st, const char *token,
                struct auth_identity *out, struct sb_err *err)
{
    if (!token || !*token)
        return sb_err_set(err, SB_EAUTH, "missing bearer token (send Authorization: Bearer TOKEN)");
    char *hash = out->hash;
    sha256_hex(token, strlen(token), hash);
    if (cache && cache_get(cache, hash, out) == SB_OK)
        return SB_OK;
    struct token_info t = {0};
    int64_t expires_ms = 0;
    int rc = store_find_token(st, hash, &t, err);
    if (rc == SB_ENOTFOUND)
        return sb_err_set(err, SB_EAUTH, "unknown token");
    if (rc != SB_OK)
        return rc;
    if (t.expires &&
        (util_parse_timestamp(t.expires, &expires_ms) != 0 || expires_ms <= util_now_ms()))
        rc = sb_err_set(err, SB_EAUTH, "this token expired at %s", t.expires);
    if (rc == SB_OK) {
        /* One write per token per cache period and instance, not per request. */
        char now[UTIL_TIMESTAMP_LEN];
        struct sb_err terr = {0};
        util_timestamp_now(now, sizeof(now));
        if (store_touch_token(st, hash, now, &terr) != SB_OK)
            log_kv(LOG_WARN, "cannot record a token's last use", "token", t.id, "error", terr.msg,
                   NULL);
        if (cache)
            cache_put(cache, hash, t.customer_id, expires_ms);
        out->customer_id = t.customer_id;
        out->admin = t.customer_id == NULL;
        t.customer_id = NULL;
    }
    token_info_free(&t);
    return rc;
}

/* 32 random bytes as "sbt_" + 43 base64url characters. */
static int new_token(char *buf, size_t n, struct sb_err *err)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[32];
    if (n < AUTH_TOKEN_LEN)
        return sb_err_set(err, SB_EINTERNAL, "token buffer too small");
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        return sb_err_set(err, SB_EINTERNAL, "cannot read random bytes for a token");
    size_t len = (size_t)snprintf(buf, n, "sbt_");
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < sizeof(raw); i++) {
        acc = acc << 8 | raw[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            buf[len++] = alphabet[(acc >> bits) & 63];
        }
    }
    if (bits)
        buf[len++] = alphabet[(acc << (6 - bits)) & 63];
    buf[len] = '\0';
    return SB_OK;
}

static int store_token(struct store *st, const char *token, const char *customer_id,
                       struct sb_err *err)
{
    char hash[SHA256_HEX_LEN];
    sha256_hex(token, strlen(token), hash);
    return store_put_token(st, hash, customer_id, err);
}

int auth_create_token(struct store *st, const char *customer_id, int64_t expires_ms, char *buf,
                      size_t n, char *id, struct sb_err *err)
{
    char hash[SHA256_HEX_LEN], tid[UTIL_ID_LEN], now[UTIL_TIMESTAMP_LEN],
        expires[UTIL_TIMESTAMP_LEN];
    int rc = new_token(buf, n, err);
    if (rc != SB_OK)
        return rc;
    sha256_hex(buf, strlen(buf), hash);
    util_new_id("tok", tid, sizeof(tid));
    util_timestamp_now(now, sizeof(now));
    if (expires_ms > 0)
        util_format_timestamp(expires_ms, expires, sizeof(expires));
    const struct token_info t = {.id = tid,
                                 .customer_id = (char *)customer_id,
                                 .created = now,
                                 .expires = expires_ms > 0 ? expires : NULL};
    rc = store_add_token(st, hash, &t, err);
    if (rc == SB_OK && id)
        memcpy(id, tid, sizeof(tid));
    return rc;
}

long long auth_parse_lifetime(const char *s)
{
    /* One row per unit: its letter and its length in seconds. */
    static const struct {
        char unit;
        long long secs;
    } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
    char *end = NULL;
    if (!s || *s < '0' || *s > '9')
        return -1;
    long long v = strtoll(s, &end, 10);
    long long scale = *end ? 0 : 1;
    for (size_t i = 0; *end && !end[1] && i < sizeof(units) / sizeof(units[0]); i++)
        if (*end == units[i].unit)
            scale = units[i].secs;
    /* at most ten years: beyond that an expiry means nothing */
    if (!scale || v <= 0 || v > 10LL * 366 * 86400 / scale)
        return -1;
    return v * scale;
}

int auth_setup_admin(struct store *st, struct sb_err *err)
{
    const char *env = getenv("SERVICEBOT_ADMIN_TOKEN");
    if (env && *env)
        return store_token(st, env, NULL, err);
    bool have = false;
    int rc = store_has_admin_token(st, &have, err);
    if (rc != SB_OK || have)
        return rc;
    char token[AUTH_TOKEN_LEN];
    rc = auth_create_token(st, NULL, 0, token, sizeof(token), NULL, err);
    if (rc != SB_OK)
        return rc;
    /* Printed once: only its hash is kept. */
    fprintf(stderr, "servicebotd: admin token (shown once, keep it): %s\n", token);
    return SB_OK;
}

const char *auth_bearer(const char *header)
{
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    header += 7;
    while (*header == ' ')
        header++;
    return *header ? header : NULL;
}
