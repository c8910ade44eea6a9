/* Bearer tokens: random strings handed to people, kept in the store only as
 * their SHA-256. A token belongs to one customer or is an admin token. */
#ifndef SB_AUTH_H
#define SB_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "store/store.h"

#define AUTH_TOKEN_LEN 48 /* buffer size for a token made here */

/* Who a request acts as. customer_id is heap memory (NULL for admin). */
struct auth_identity {
    bool admin;
    char *customer_id;
};
void auth_identity_free(struct auth_identity *id);

/* Tokens recently found in the store, so that a busy client does not cost a
 * store read per request. Safe to share between threads. An entry lives
 * AUTH_CACHE_SECS; tokens cannot be revoked yet, so nothing else expires it. */
#define AUTH_CACHE_SECS 30
struct auth_cache;
struct auth_cache *auth_cache_new(void);
void auth_cache_free(struct auth_cache *c);

/* Resolves a token (NULL or empty allowed) to an identity, through cache
 * (may be NULL): SB_EAUTH when it is missing or unknown, store errors otherwise. */
int auth_lookup(struct auth_cache *cache, struct store *st, const char *token,
                struct auth_identity *out, struct sb_err *err);
/* Creates and stores a new token for customer_id (NULL: admin) into buf. */
int auth_create_token(struct store *st, const char *customer_id, char *buf, size_t n,
                      struct sb_err *err);
/* The admin token: SERVICEBOT_ADMIN_TOKEN when set, otherwise, when the store
 * has none yet, a new one printed once to stderr. */
int auth_setup_admin(struct store *st, struct sb_err *err);
/* The token in an Authorization header value ("Bearer T"), or NULL. */
const char *auth_bearer(const char *header);

#endif
