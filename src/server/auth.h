/* Bearer tokens: random strings handed to people, kept in the store only as
 * their SHA-256. A token belongs to one customer or is an admin token. */
#ifndef SB_AUTH_H
#define SB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "store/store.h"

#define AUTH_TOKEN_LEN 48 /* buffer size for a token made here */

#define AUTH_HASH_LEN 65 /* a token's SHA-256 in hex, with its NUL */

/* Who a request acts as. customer_id is heap memory (NULL for admin);
 * hash names the token (rate limits are per token) without being it. */
struct auth_identity {
    bool admin;
    char *customer_id;
    char hash[AUTH_HASH_LEN];
};
void auth_identity_free(struct auth_identity *id);

/* Tokens recently found in the store, so that a busy client does not cost a
 * store read per request. Safe to share between threads. An entry lives
 * secs (0: AUTH_CACHE_SECS) or until the token expires, whichever is
 * sooner: a token revoked anywhere stops working here within secs. Each
 * store read also records the token's last use, so last_used is exact to
 * within secs as well. */
#define AUTH_CACHE_SECS 30
struct auth_cache;
struct auth_cache *auth_cache_new(int secs);
void auth_cache_free(struct auth_cache *c);

/* Resolves a token (NULL or empty allowed) to an identity, through cache
 * (may be NULL): SB_EAUTH when it is missing, unknown (revoked) or expired,
 * store errors otherwise. */
int auth_lookup(struct auth_cache *cache, struct store *st, const char *token,
                struct auth_identity *out, struct sb_err *err);
/* Creates and stores a new token for customer_id (NULL: admin) into buf;
 * expires_ms > 0 is when it stops working (ms since the epoch), 0 never;
 * id (may be NULL) gets its public id (UTIL_ID_LEN bytes). */
int auth_create_token(struct store *st, const char *customer_id, int64_t expires_ms, char *buf,
                      size_t n, char *id, struct sb_err *err);
/* Parses a lifetime such as "30d", "12h", "90m" or "3600s" (a bare number
 * is seconds) into seconds; -1 when it is not one. */
long long auth_parse_lifetime(const char *s);
/* The admin token: SERVICEBOT_ADMIN_TOKEN when set, otherwise, when the store
 * has none yet, a new one printed once to stderr. */
int auth_setup_admin(struct store *st, struct sb_err *err);
/* The token in an Authorization header value ("Bearer T"), or NULL. */
const char *auth_bearer(const char *header);

#endif
