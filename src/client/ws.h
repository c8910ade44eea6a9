/* The WebSocket client of `servicebot chat`: one connection to servicebotd's
 * /ws (subprotocol "chat", bearer token in the upgrade request), reconnecting
 * with capped exponential backoff and jitter.
 *
 * libwebsockets owns the event loop (NOTES-libs 2.2a): other file
 * descriptors (stdin, a signal self-pipe) are watched with ws_client_watch_fd
 * and one tick timer is available through ws_client_tick_in. This module only
 * moves frames; it never draws or prints (the chat layer decides).
 *
 * Ownership: frames passed to on_frame are borrowed for the call; frames
 * given to ws_client_send are serialised at once and stay the caller's. */
#ifndef SB_WS_H
#define SB_WS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

struct ws_client;

struct ws_options {
    const char *server;       /* http://host:port[/prefix] or https://... */
    const char *token;        /* bearer token, or NULL */
    const char *cacert;       /* CA file for wss://, or NULL: the system store */
    const char *customer;     /* ?customer= (admin tokens), or NULL */
    const char *conversation; /* ?conversation= to resume, or NULL */
    int max_attempts;         /* consecutive failed attempts before giving up; 0 = never */
    bool messages;            /* ?messages=1: also receive "message" pushes (history --follow) */
    int verbose;              /* > 0: libwebsockets' own errors go to stderr */
};

struct ws_events {
    void (*on_open)(void *ud);
    void (*on_frame)(void *ud, json_object *frame);
    /* The connection failed or dropped: why says what went wrong, or is
     * NULL when an open connection closed. retry_in_ms is the delay before
     * the next attempt, or -1 when the client gave up (max_attempts). */
    void (*on_down)(void *ud, const char *why, int64_t retry_in_ms);
    /* A watched descriptor is readable (eof = closed or hung up). Return 0
     * to keep watching, -1 to stop (then the descriptor is closed). */
    int (*on_fd)(void *ud, int fd, bool eof);
    /* The timer set with ws_client_tick_in fired. */
    void (*on_tick)(void *ud);
};

/* Creates the client and starts the first connection attempt. The strings
 * in opts are copied. */
int ws_client_new(const struct ws_options *opts, const struct ws_events *ev, void *ud,
                  struct ws_client **out, struct sb_err *err);
void ws_client_free(struct ws_client *c);

/* Watches fd for readability from the loop (raw file adoption). */
int ws_client_watch_fd(struct ws_client *c, int fd, struct sb_err *err);
/* Queues one text frame. Returns SB_OK, or SB_EUNAVAIL when not connected
 * (nothing is queued then: the caller keeps its own pending list). */
int ws_client_send(struct ws_client *c, json_object *frame);
bool ws_client_is_open(const struct ws_client *c);
/* The conversation to resume on the next (re)connect. */
void ws_client_set_conversation(struct ws_client *c, const char *conversation);
/* Drops any scheduled wait and tries to connect now. */
void ws_client_retry_now(struct ws_client *c);
/* Stops reconnecting after the current connection ends (the server refused
 * us for good, e.g. a bad token), until ws_client_retry_now. */
void ws_client_hold(struct ws_client *c);
/* Calls on_tick once after ms milliseconds (replacing an earlier request). */
void ws_client_tick_in(struct ws_client *c, int64_t ms);
/* Runs the loop until at least one event was handled (signals also return). */
void ws_client_service(struct ws_client *c);

/* The delay before attempt number attempt (0-based) for a backoff starting
 * at base_ms, doubling, capped at cap_ms, with +/- jitter_pct percent spread
 * driven by rnd (any 32-bit random value). */
int64_t ws_backoff_delay_ms(unsigned attempt, int64_t base_ms, int64_t cap_ms, int jitter_pct,
                            uint32_t rnd);

#endif
