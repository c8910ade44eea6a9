/* What a conversation remembers between its exchanges, kept in the store
 * with each exchange (store_run_exchange's state), so that it survives a
 * restart and every servicebotd sharing the store sees it:
 *   - the devices a pronoun ("it", "them") means: the last ones acted on;
 *   - the room a device was last moved from (device and room);
 *   - the question the last turn asked and what it would resume: the mask
 *     of the steps that asked and the request they came from;
 *   - the last action (its protocol name);
 *   - a routine request waiting for its time or its steps;
 *   - what the devices the last changing turn changed were before it
 *     (their power and volume: undo.h).
 * Stored as JSON text (doc/protocol.md, "Conversation state").
 *
 * Ownership: convo_parse fills a zeroed convo; convo_free releases it;
 * convo_text returns a heap string. */
#ifndef SB_ENGINE_CONVO_H
#define SB_ENGINE_CONVO_H

#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/resolve.h"

/* A device as it was before the conversation's last change. */
struct convo_change {
    char device[MODEL_ID_MAX];
    bool on;
    int volume; /* -1: not known */
};

struct convo {
    char devices[RESOLVE_MAX][MODEL_ID_MAX];
    size_t n_devices;
    char moved_device[MODEL_ID_MAX]; /* "" when nothing was moved */
    char moved_from[MODEL_NAME_MAX];
    unsigned long pending_steps; /* bit k: step k of pending asked; 0: no question */
    char *pending;               /* the request those steps came from */
    char last_action[64];        /* "" when none yet */
    char *last_request;          /* the last request about devices, for follow-ups; NULL none */
    /* a routine request that asked for its time or for what to do then
     * ("every night", "every weekday at 6:30"), which the next message may
     * complete; NULL none */
    char *pending_routine;
    struct convo_change changed[RESOLVE_MAX];
    size_t n_changed;
};

/* Reads a stored state; NULL, empty or unreadable text is an empty memory
 * (an old or damaged state must not stop the conversation). */
void convo_parse(const char *text, struct convo *out);
/* The stored form. */
char *convo_text(const struct convo *c);
void convo_set_devices(struct convo *c, char *const *ids, size_t n);
/* Replaces the pending question (steps 0: none). */
void convo_set_pending(struct convo *c, unsigned long steps, const char *request);
/* Replaces the last request about devices ("more" and "and the display?"
 * follow it: followup.h). */
void convo_set_last(struct convo *c, const char *request);
/* Replaces the pending routine request (NULL: none). */
void convo_set_pending_routine(struct convo *c, const char *request);
void convo_free(struct convo *c);

#endif
