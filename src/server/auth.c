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
    struct cache_slot slots[CACHE_SLOTS];
};

struct auth_cache *auth_cache_new(void)
{
    struct auth_cache *c = calloc(1, sizeof(*c));
    if (c)
        pthread_mutex_init(&c->lock, NULL);
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
        out->customer_id = s->customer_id ? strdup(s->customer_id) : NULL;
        rc = out->admin || out->customer_id ? SB_OK : SB_ENOTFOUND;
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

static void cache_put(struct auth_cache *c, const char *hash, const char *customer_id)
{
    char *copy = customer_id ? strdup(customer_id) : NULL;
    if (customer_id && !copy)
        return;
    pthread_mutex_lock(&c->lock);
    struct cache_slot *s = slot_for(c, hash);
    free(s->customer_id);
    memcpy(s->hash, hash, SHA256_HEX_LEN);
    s->customer_id = copy;
    s->expires_us = util_monotonic_us() + (int64_t)AUTH_CACHE_SECS * 1000000;
    pthread_mutex_unlock(&c->lock);
}

int auth_lookup(struct auth_cache *cache, struct store *st, const char *token,
                struct auth_identity *out, struct sb_err *err)
{
    if (!token || !*token)
        return sb_err_set(err, SB_EAUTH, "missing bearer token (send Authorization: Bearer TOKEN)");
    char hash[SHA256_HEX_LEN];
    sha256_hex(token, strlen(token), hash);
    if (cache && cache_get(cache, hash, out) == SB_OK)
        return SB_OK;
    char *customer = NULL;
    int rc = store_get_token(st, hash, &customer, err);
    if (rc == SB_ENOTFOUND)
        return sb_err_set(err, SB_EAUTH, "unknown token");
    if (rc != SB_OK)
        return rc;
    if (cache)
        cache_put(cache, hash, customer);
    out->customer_id = customer;
    out->admin = customer == NULL;
    return SB_OK;
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

int auth_create_token(struct store *st, const char *customer_id, char *buf, size_t n,
                      struct sb_err *err)
{
    int rc = new_token(buf, n, err);
    if (rc != SB_OK)
        return rc;
    return store_token(st, buf, customer_id, err);
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
    rc = auth_create_token(st, NULL, token, sizeof(token), err);
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
