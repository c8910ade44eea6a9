#include "server/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"
#include "server/request.h"

#define RL_SLOTS 1024 /* hash chains; entries are bounded by the tokens issued */

struct bucket {
    double level; /* requests available now */
    int64_t at_us;
};

struct entry {
    struct entry *next;
    struct bucket b[RL_N_KINDS];
    char key[]; /* the token's hash */
};

struct ratelimit {
    pthread_mutex_t lock;
    struct rl_options opt;
    struct entry *slots[RL_SLOTS];
};

/* One row per kind: its name and default rule. */
static const struct {
    const char *name;
    struct rl_rule dflt;
} kinds[RL_N_KINDS] = {
    [RL_CHAT] = {"chat", {RL_DEFAULT_CHAT_RATE, RL_DEFAULT_CHAT_BURST}},
    [RL_WRITE] = {"write", {RL_DEFAULT_WRITE_RATE, RL_DEFAULT_WRITE_BURST}},
};

void ratelimit_defaults(struct rl_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    for (int k = 0; k < RL_N_KINDS; k++)
        opt->rule[k] = kinds[k].dflt;
}

struct ratelimit *ratelimit_new(const struct rl_options *opt)
{
    struct ratelimit *rl = xcalloc(1, sizeof(*rl));
    pthread_mutex_init(&rl->lock, NULL);
    if (opt)
        rl->opt = *opt;
    else
        ratelimit_defaults(&rl->opt);
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    for (size_t i = 0; i < RL_SLOTS; i++)
        for (struct entry *e = rl->slots[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

enum rl_kind ratelimit_kind(enum http_method method, const char *pattern)
{
    if (method == HTTP_GET || method == HTTP_OPTIONS || method == HTTP_OTHER)
        return RL_NONE;
    return pattern && strcmp(pattern, "/api/chat") == 0 ? RL_CHAT : RL_WRITE;
}

const char *ratelimit_kind_name(enum rl_kind kind)
{
    return kind >= 0 && kind < RL_N_KINDS ? kinds[kind].name : "none";
}

static size_t slot_of(const char *key)
{
    size_t h = 5381;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = h * 33 + *p;
    return h % RL_SLOTS;
}

/* The key's entry, created with full buckets. */
static struct entry *find(struct ratelimit *rl, const char *key, int64_t now)
{
    struct entry **head = &rl->slots[slot_of(key)];
    for (struct entry *e = *head; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    size_t len = strlen(key) + 1;
    struct entry *e = xmalloc(sizeof(*e) + len);
    memcpy(e->key, key, len);
    for (int k = 0; k < RL_N_KINDS; k++)
        e->b[k] = (struct bucket){rl->opt.rule[k].burst, now};
    e->next = *head;
    *head = e;
    return e;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, bool admin, enum rl_kind kind,
                    int *retry_after_s, char *msg, size_t n)
{
    if (!rl || kind < 0 || kind >= RL_N_KINDS || (admin && !rl->opt.limit_admin))
        return true;
    const struct rl_rule *r = &rl->opt.rule[kind];
    if (r->rate <= 0)
        return true;
    bool allowed = true;
    double wait_s = 0;
    int64_t now = util_monotonic_us();
    pthread_mutex_lock(&rl->lock);
    struct bucket *b = &find(rl, key, now)->b[kind];
    b->level = fmin(r->burst, b->level + (double)(now - b->at_us) / 1e6 * r->rate);
    b->at_us = now;
    if (b->level >= 1) {
        b->level -= 1;
    } else {
        allowed = false;
        wait_s = (1 - b->level) / r->rate;
    }
    pthread_mutex_unlock(&rl->lock);
    if (!allowed) {
        *retry_after_s = (int)ceil(wait_s);
        if (*retry_after_s < 1)
            *retry_after_s = 1;
        snprintf(msg, n,
                 "too many %s requests from this token: at most %g per second, %g at once; try "
                 "again in %d s",
                 kinds[kind].name, r->rate, r->burst, *retry_after_s);
    }
    return allowed;
}
