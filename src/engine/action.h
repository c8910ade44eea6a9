/* The engine's one table of actions: one row per thing a step can ask for.
 *
 * A row says everything the rest of the engine needs to know about an
 * action: its protocol name (what the levels' allowed_actions and the
 * capability catalogue list), the device capability it needs, the prefix of
 * its reply templates, what it does to a device record, whether it still
 * lacks a value, which devices it prefers when none is named, its field in
 * a REST PATCH body and its slots in the corpus's one-line form. The parser
 * (intent_format), resolve, turn and admin all read it; adding an action is
 * one row here, its functions in actions.c, its words and sentences in
 * data/engine/ and its catalogue entry in data/seed.json.
 *
 * Rows are static: nothing to free. */
#ifndef SB_ENGINE_ACTION_H
#define SB_ENGINE_ACTION_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/model.h"
#include "engine/intent.h"

#define ACTION_KEY_MAX 48 /* a reply template key */

/* The action whose permission several media devices at once need. */
#define ACTION_MULTI_ROOM "multi_room_audio"

enum act_status {
    ACT_DONE,      /* the record changed */
    ACT_UNCHANGED, /* already so */
    ACT_REFUSED,   /* cannot now (off, no such song) */
    ACT_CLARIFY,   /* a value is missing: ask */
};

struct act_result {
    enum act_status status;
    char reply[ACTION_KEY_MAX];  /* template key: "<row reply>.<outcome>" */
    char title[INTENT_TEXT_MAX]; /* the spoken title, for "not found" */
};

/* What a row is about. */
enum action_kind {
    ACTION_KIND_DEVICE, /* acts on (or reports on) the customer's devices */
    ACTION_KIND_HELP,   /* plan and help questions (turn.c, plans.c) */
    ACTION_KIND_REPLY,  /* a sentence that is not about a device: reply is its key */
};

enum action_flags {
    ACTION_REPORT = 1 << 0,        /* reads the device, changes nothing (status) */
    ACTION_MULTI_ROOM_ON = 1 << 1, /* several devices at once need ACTION_MULTI_ROOM */
    ACTION_SETS_ROOM = 1 << 2,     /* its value is the device's room (sentences name it) */
    ACTION_COUNTS_HELP = 1 << 3,   /* a REPLY row that counts as help, not out of scope */
    ACTION_POWERS_ON = 1 << 4,     /* with state 1 it switches an off device on: the level
                                      must allow device_power too */
    /* a REPLY row that says the bot cannot do it (outcome unsupported); its
     * sentence is "<reply>.<the step's about>", else "<reply>" */
    ACTION_REFUSES = 1 << 5,
};

struct action_def;

/* Applies step s of action a to record d: pure, so it can run inside the
 * store's retried read-modify-write. */
typedef void (*action_apply_fn)(const struct action_def *a, const struct intent_step *s,
                                struct device *d, struct act_result *r);
/* A PATCH body field's value as a step: false with problem filled when the
 * value is not one the field takes. */
typedef bool (*action_patch_fn)(json_object *v, struct intent_step *s, char *problem, size_t n);

struct action_def {
    enum intent_action id;
    const char *name; /* protocol name: "device_power" */
    enum action_kind kind;
    unsigned flags;         /* enum action_flags */
    const char *capability; /* what a device needs; NULL any */
    const char *reply;      /* template key prefix ("power": power.done, ...) or REPLY key */
    const char *outcomes;   /* the outcomes apply may give: reply keys "<reply>.<outcome>" */
    action_apply_fn apply;  /* NULL: changes nothing */
    /* whether the step lacks the value it needs (on or off? which room?) */
    bool (*missing)(const struct intent_step *s);
    /* fills the value it lacks from an answer to its question ("30", "the
     * office"); false when the answer does not give it */
    bool (*answer)(struct intent_step *s, const struct intent_step *ans);
    /* with nothing said about the device, which of several it means */
    bool (*prefers)(const struct intent_step *s, const struct device *d);
    /* its field in a REST PATCH body (NULL: none) and the JSON type of it */
    const char *patch_field;
    json_type patch_type;
    action_patch_fn from_patch;
    /* its slots in intent_format's one-line form (" state=on") */
    void (*format)(const struct intent_step *s, char *buf, size_t n, size_t *o);
};

/* The row of an action (the UNKNOWN row for a value out of range). */
const struct action_def *action_get(enum intent_action a);
/* The row with this protocol name, or NULL. */
const struct action_def *action_by_name(const char *name);
/* The row whose PATCH field this is, or NULL. */
const struct action_def *action_by_patch_field(const char *field);
/* Rows in table order (which is also the order a PATCH applies its fields:
 * power first, so "on" plus a volume works in one request). */
size_t action_count(void);
const struct action_def *action_at(size_t i);

/* The capability step s needs from a device (NULL: none). */
const char *action_capability(const struct intent_step *s);

/* Sets r's status and reply key "<prefix>.<outcome>". */
void action_result(struct act_result *r, const struct action_def *a, enum act_status st,
                   const char *outcome);

/* Appends printf output at *o in buf (size n), never past its end. */
__attribute__((format(printf, 4, 5))) void action_appendf(char *buf, size_t n, size_t *o,
                                                          const char *fmt, ...);

#endif
