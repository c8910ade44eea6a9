/* The state of one chat, shared by the full-screen TUI and line mode: who
 * we are (from the welcome frame), the conversation, the live device list,
 * and the messages typed but not yet answered.
 *
 * Each typed message gets a client-chosen id and stays pending until a reply
 * with that inReplyTo arrives. Pending messages are (re)sent after every
 * welcome, so a message typed while disconnected, or sent just before the
 * connection dropped, is delivered once: the server answers a repeated id
 * with the recorded reply ("duplicate": true) instead of acting twice.
 *
 * The session owns its ws_client and turns frames into calls on a
 * chat_view (the seam between transport and presentation). json_object
 * arguments passed to the view are borrowed for the call. */
#ifndef SB_CHAT_SESSION_H
#define SB_CHAT_SESSION_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/cli.h"
#include "client/ws.h"
#include "common/err.h"

struct chat_session;

struct chat_pending {
    char id[64];
    char *text;
    bool sent; /* written to the current connection */
};

struct chat_view {
    /* Connected and greeted: customer/level/conversation are known. */
    void (*welcome)(void *ud, json_object *frame);
    /* A reply; pending is the message it answers (NULL if unknown), still
     * valid during the call. */
    void (*reply)(void *ud, json_object *frame, const struct chat_pending *pending);
    /* A device changed; the session's device list already holds it.
     * previous is the record it replaced (NULL for a new device); removed
     * says the push took the device away. */
    void (*device)(void *ud, json_object *device, json_object *previous, bool removed);
    /* An error frame from the server. */
    void (*error)(void *ud, json_object *frame);
    /* A routine ran ({"type":"routine","run":{...}}: doc/protocol.md). */
    void (*routine)(void *ud, json_object *frame);
    /* Connection lost or refused; retry_in_ms as in ws_events.on_down. */
    void (*down)(void *ud, const char *why, int64_t retry_in_ms);
    /* Pass-throughs for the other loop events (see ws.h). */
    int (*fd)(void *ud, int fd, bool eof);
    void (*tick)(void *ud);
};

/* conversation may be NULL (the server picks). max_attempts as in ws.h. */
int chat_session_new(const struct cli_ctx *cli, const char *conversation, int max_attempts,
                     const struct chat_view *view, void *ud, struct chat_session **out,
                     struct sb_err *err);
void chat_session_free(struct chat_session *s);

struct ws_client *chat_session_ws(struct chat_session *s);
/* Queues text as a new message and sends it when connected. Returns the
 * pending entry (owned by the session). */
const struct chat_pending *chat_session_submit(struct chat_session *s, const char *text);
size_t chat_session_pending_count(const struct chat_session *s);
/* Keeps typed messages unsent (still pending) until
 * chat_session_set_conversation: the view first settles which conversation
 * to continue. A welcome then does not change the conversation. */
void chat_session_hold(struct chat_session *s);
/* Continues conversation id from now on, on this connection and later ones,
 * and sends what was held. */
void chat_session_set_conversation(struct chat_session *s, const char *id);

/* For an error frame's code: the exit code when it means the server refused
 * this connection for good (bad token, no such customer, no customer named
 * for an admin token: doc/protocol.md), so that reconnecting is pointless;
 * CLI_FAIL for any other code. */
int chat_session_refusal_exit(const char *code);

bool chat_session_welcomed(const struct chat_session *s);
/* From the last welcome (NULL before): the customer record (with its
 * devices, kept current by device pushes), the service level, ids. */
json_object *chat_session_customer(const struct chat_session *s);
json_object *chat_session_level(const struct chat_session *s);
const char *chat_session_customer_id(const struct chat_session *s);
const char *chat_session_conversation(const struct chat_session *s);

#endif
