/* The records servicebot keeps, and their JSON forms.
 *
 * Field names on the JSON side are exactly the seed data model's
 * (service_level, allowed_actions, conversationId, lastUpdated, ...).
 *
 * Ownership: every char * and array inside a record is owned by that record
 * and released by its *_free function (which frees the members, not the
 * struct itself, so records can live on the stack or in arrays). *_from_json
 * fills a zeroed record; on failure it leaves nothing allocated.
 * *_to_json returns a new json_object the caller must json_object_put(). */
#ifndef SB_MODEL_H
#define SB_MODEL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define MODEL_VOLUME_MAX 100
#define MODEL_ID_MAX     128   /* ids: customers, devices, messages, levels */
#define MODEL_NAME_MAX   256   /* names, locations, song titles */
#define MODEL_TEXT_MAX   16384 /* a chat message's text, in bytes */
#define MODEL_LIST_MAX   1000  /* devices, playlist entries, actions */
/* History pages: the server's default and maximum limit, which the CLI,
 * the TUI's /history and the man page also state (one source). */
#define MODEL_HISTORY_DEFAULT 50
#define MODEL_HISTORY_MAX     500
#define MODEL_STR_(x)         #x
#define MODEL_STR(x)          MODEL_STR_(x) /* a numeric macro as a string literal */

struct strlist {
    char **items;
    size_t len;
};

struct device {
    char *id;
    char *type;                  /* SmartSpeaker, SmartDisplay, SmartHub, SmartLight, ... */
    char *name;                  /* may be NULL: then derived from type and location */
    char *location;              /* snake_case room: living_room */
    bool on;                     /* JSON "state": "on" / "off" */
    int volume;                  /* 0-100 */
    bool has_capabilities;       /* false: the type decides (model_device_can) */
    struct strlist capabilities; /* power, volume_control, music_playback */
    char *current_song;          /* NULL when nothing is playing */
    bool paused;                 /* JSON "playback": "paused" / "playing" (media devices) */
    struct strlist playlist;
    char *last_updated; /* ISO 8601 UTC with ms, NULL when never changed */
};

/* When a routine runs by itself. Times are the customer's local time. */
struct routine_schedule {
    bool set;      /* false: the routine runs only when asked */
    int minute;    /* minute of the day, 0-1439 */
    unsigned days; /* recurring: bit w = weekday w (0 Sunday); 0 with a date */
    bool once;     /* once, on date */
    int64_t date;  /* once: days since 1970-01-01 */
};

/* A named list of steps, each a sentence the engine reads when it runs
 * ("turn off the lights"), so a routine means what the words mean today. */
struct routine {
    char *name;
    struct strlist steps;
    struct routine_schedule schedule;
    char *next_run;     /* ISO 8601 UTC; NULL: not scheduled (or a one-off that ran) */
    char *last_run;     /* the due time (or, asked, the time) of the last run */
    char *last_outcome; /* done, partial, denied, refused, missed */
};

#define MODEL_ROUTINES_MAX      50
#define MODEL_ROUTINE_STEPS_MAX 16
#define MODEL_ROUTINE_NAME_MAX  64
#define MODEL_STEP_MAX          256 /* one step's sentence, in bytes */

struct customer {
    char *id;
    char *name;
    char *service_level;
    struct device *devices;
    size_t n_devices;
    char *timezone; /* IANA name; NULL: UTC */
    struct routine *routines;
    size_t n_routines;
    int64_t version; /* bumped by the store on every write; not part of the API */
};

struct service_level {
    char *level; /* key: basic */
    char *name;  /* display: Basic */
    char *description;
    struct strlist allowed_actions;
    int max_devices;
    int rank;        /* 0 = lowest */
    int price_cents; /* per month; JSON "price": 9.99 */
};

/* One entry of the capability catalogue: an action and how to present it. */
struct capability {
    char *id;     /* cap_001 */
    char *action; /* song_changes: what allowed_actions lists */
    char *name;   /* Song Changes */
    char *description;
    char *category;
};

struct message {
    char *id;
    char *conversation_id;
    char *user_id;
    char *text;
    char *sender; /* "user" or "bot" */
    char *timestamp;
};

/* An exchange's two messages are "msg_u_X" (the request) and "msg_b_X"
 * (its reply) for one X (engine.c): the SQLite store keeps such a pair as
 * one row, and finds the reply under its request's id. */
#define MESSAGE_REQUEST_PREFIX "msg_u_"
#define MESSAGE_REPLY_PREFIX   "msg_b_"
/* The request id of reply_id into buf (n bytes); false when reply_id is not
 * a reply's or does not fit. */
bool message_request_id(const char *reply_id, char *buf, size_t n);

struct connection {
    char *connection_id;
    char *user_id;
    char *connection_time;
    int64_t ttl;    /* epoch seconds */
    char *instance; /* which servicebotd holds it; NULL when unknown */
};

/* Everything an import file holds. */
struct dataset {
    struct service_level *levels;
    size_t n_levels;
    struct capability *capabilities;
    size_t n_capabilities;
    struct customer *customers;
    size_t n_customers;
};

/* Validation problems, one per bad field, in the order found. */
struct model_problem {
    char field[160];   /* "devices[0].volume" */
    char problem[352]; /* "must be an integer 0-100, got \"loud\"" */
};
struct model_problems {
    struct model_problem *items;
    size_t len;
    /* Set when reading a stored record: control characters, refused in what
     * clients send, are tolerated in what was stored before that rule (only
     * what breaks JSON, bad UTF-8 and NUL, makes a stored record corrupt). */
    bool stored;
};
void model_problems_add(struct model_problems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Joins the problems into err as "field: problem; field: problem". Returns SB_EINVAL. */
int model_problems_to_err(const struct model_problems *p, struct sb_err *err);
/* [{"field":..,"problem":..}] for error bodies; new reference. */
json_object *model_problems_to_json(const struct model_problems *p);
void model_problems_free(struct model_problems *p);

/* JSON round-trips. from_json validates every field and reports each bad one
 * under the given path prefix ("" or "customers[2]."); it returns SB_OK or
 * SB_EINVAL with the problems added to p. */
int device_from_json(json_object *o, const char *path, struct model_problems *p,
                     struct device *out);
json_object *device_to_json(const struct device *d);
int customer_from_json(json_object *o, const char *path, struct model_problems *p,
                       struct customer *out);
json_object *customer_to_json(const struct customer *c);
int service_level_from_json(json_object *o, const char *path, struct model_problems *p,
                            struct service_level *out);
json_object *service_level_to_json(const struct service_level *l);
int capability_from_json(json_object *o, const char *path, struct model_problems *p,
                         struct capability *out);
json_object *capability_to_json(const struct capability *c);
int message_from_json(json_object *o, const char *path, struct model_problems *p,
                      struct message *out);
json_object *message_to_json(const struct message *m);
/* The checks message_from_json makes, on a message already in memory (its
 * fields named as the JSON keys): SB_EINVAL with what is wrong in *p. */
int message_check(const struct message *m, struct model_problems *p);
int connection_from_json(json_object *o, const char *path, struct model_problems *p,
                         struct connection *out);
json_object *connection_to_json(const struct connection *c);
/* A whole import file: {"service_levels": [...], "capabilities": [...], "customers": [...]}.
 * Also checks cross references (a customer's level exists, ids unique, device counts). */
int dataset_from_json(json_object *o, struct model_problems *p, struct dataset *out);

/* A routine's JSON form ({"name","steps","schedule","next_run","last_run",
 * "last_outcome"}); schedule is {"time":"06:30","days":["mon",..]} (days
 * left out: every day) or {"date":"2026-12-02","time":"21:00"}. */
int routine_from_json(json_object *o, const char *path, struct model_problems *p,
                      struct routine *out);
json_object *routine_to_json(const struct routine *r);
json_object *routine_schedule_to_json(const struct routine_schedule *s);
/* Reads c's "routines" and "timezone" (called by customer_from_json). */
int customer_routines_from_json(json_object *o, const char *path, struct model_problems *p,
                                struct customer *out);
void customer_routines_to_json(const struct customer *c, json_object *o);
void routine_free(struct routine *r);
void routines_free(struct routine *r, size_t n);
int routine_copy(struct routine *dst, const struct routine *src);
/* Names compare without regard to ASCII case; NULL when absent. */
struct routine *customer_find_routine(const struct customer *c, const char *name);

void device_free(struct device *d);
void customer_free(struct customer *c);
void service_level_free(struct service_level *l);
void capability_free(struct capability *c);
void message_free(struct message *m);
void connection_free(struct connection *c);
void dataset_free(struct dataset *d);
void strlist_free(struct strlist *l);
/* Array helpers: free each element then the array. */
void customers_free(struct customer *c, size_t n);
void service_levels_free(struct service_level *l, size_t n);
void capabilities_free(struct capability *c, size_t n);
void messages_free(struct message *m, size_t n);
void connections_free(struct connection *c, size_t n);

/* A price in cents as a JSON number written with two decimals at most (9.99). */
json_object *model_price_json(int cents);

/* Deep copies, and a push onto a list. They always return SB_OK now that
 * allocation failure ends the process (common/xalloc.h); the int stays
 * until the engine and client callers have dropped their checks. */
int device_copy(struct device *dst, const struct device *src);
int customer_copy(struct customer *dst, const struct customer *src);
int service_level_copy(struct service_level *dst, const struct service_level *src);
int capability_copy(struct capability *dst, const struct capability *src);
int strlist_copy(struct strlist *dst, const struct strlist *src);
int strlist_push(struct strlist *l, const char *s);
bool strlist_contains(const struct strlist *l, const char *s);

/* Capability names accept the seed's aliases: "volume" for volume_control,
 * "song_control" for music_playback. Returns the canonical name or NULL. */
const char *model_capability_canonical(const char *name);
/* The canonical capability names, comma separated, for messages. */
void model_capability_list(char *buf, size_t n);
/* Whether a device can do a capability (power, volume_control, music_playback),
 * from its list or, without one, from its type (data/engine/types.txt). */
bool model_device_can(const struct device *d, const char *capability);
/* Whether a record's type string ("SmartSpeaker", "EchoDot") is of the type
 * key ("speaker") in data/engine/types.txt. */
bool model_type_is(const char *key, const char *device_type);

/* One fragment of data/engine/types.txt, generated into model_types.c. */
struct model_type {
    const char *key;  /* speaker */
    const char *frag; /* a lower-case part of a record's type: "echo" */
    const char *can;  /* capabilities without a list: "power volume_control" */
};
extern const struct model_type model_types[];
extern const size_t model_n_types;
/* "tv ~ display" in types.txt: a home with no tv calls its display that. */
struct model_type_standin {
    const char *key;     /* tv */
    const char *standin; /* display */
};
extern const struct model_type_standin model_type_standins[]; /* ends with {0, 0} */
/* The display name: d->name, or "Living Room Speaker" made from location and type. */
void model_device_display_name(const struct device *d, char *buf, size_t n);
/* Finds a device of a customer by id; NULL when absent. */
struct device *customer_find_device(const struct customer *c, const char *device_id);

#endif
