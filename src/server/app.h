/* What request handlers and jobs work with: the store, the engine and the
 * metrics (all safe from worker threads), the token cache, the rate limits,
 * the storage watermark, this instance's name and whether servicebotd is
 * draining. Not the lws server: handlers
 * answer through struct response, jobs through their done callback, so
 * that neither depends on the event loop. */
#ifndef SB_SERVER_APP_H
#define SB_SERVER_APP_H

#include <stdatomic.h>
#include <stdbool.h>

#include "engine/engine.h"
#include "server/auth.h"
#include "server/metrics.h"
#include "store/store.h"

struct ratelimit;
struct watermark;

struct app {
    struct store *st;
    struct engine *eng;
    struct metrics *metrics;
    struct auth_cache *auth;
    struct ratelimit *limits;    /* per token (ratelimit.h) */
    struct watermark *watermark; /* store size: when new chats are refused (watermark.h) */
    char instance[64];
    bool draining; /* SIGTERM seen (written and read on the loop thread) */
    /* chat sessions opened with ?messages=1 (changed on the loop, read by
     * workers): with none, an exchange does not read its messages back */
    atomic_int message_followers;
    /* chat sessions open, any (likewise; the drain waits for them): with
     * none, a device change is not copied for pushes nobody here would get */
    atomic_int chat_sessions;
};

#endif
