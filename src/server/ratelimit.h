/* Per-token rate limits: one token bucket per token and kind of request, so
 * that one customer flooding chats or writes is answered 429 while everyone
 * else is served. Buckets live in this process (each servicebotd behind a
 * load balancer limits on its own) and are keyed by the token's hash.
 * Admin tokens are not limited unless limit_admin is set, so operators'
 * scripts and the benchmarks are never throttled. */
#ifndef SB_RATELIMIT_H
#define SB_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "server/request.h"

enum rl_kind { RL_NONE = -1, RL_CHAT, RL_WRITE, RL_N_KINDS };

struct rl_rule {
    double rate;  /* requests per second refilled; 0: unlimited */
    double burst; /* bucket size: requests allowed at once */
};

struct rl_options {
    struct rl_rule rule[RL_N_KINDS];
    bool limit_admin;
};

#define RL_DEFAULT_CHAT_RATE   2.0
#define RL_DEFAULT_CHAT_BURST  30.0
#define RL_DEFAULT_WRITE_RATE  5.0
#define RL_DEFAULT_WRITE_BURST 50.0

/* Fills opt with the defaults above (admin tokens unlimited). */
void ratelimit_defaults(struct rl_options *opt);

struct ratelimit;
/* NULL opt: the defaults above. */
struct ratelimit *ratelimit_new(const struct rl_options *opt);
void ratelimit_free(struct ratelimit *rl);

/* What a REST request counts as: POST /api/chat is chat, other writes
 * (POST, PUT, PATCH, DELETE) are writes, reads are not limited. */
enum rl_kind ratelimit_kind(enum http_method method, const char *pattern);
/* The name of a kind for messages and metrics: "chat", "write". */
const char *ratelimit_kind_name(enum rl_kind kind);

/* Takes one request from key's bucket of kind. True when allowed; false
 * when over the limit, with *retry_after_s (at least 1) the seconds until
 * one more is allowed and msg (n bytes) a sentence saying so. Safe to call
 * from any thread. */
bool ratelimit_take(struct ratelimit *rl, const char *key, bool admin, enum rl_kind kind,
                    int *retry_after_s, char *msg, size_t n);

#endif
