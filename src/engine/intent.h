/* The request parser: text in, ordered steps out. Deterministic, offline,
 * no allocation per request beyond the caller's struct intent.
 *
 * The parser knows words, not customers: a step names its target by type,
 * room, name words, "all" or a pronoun, and the engine resolves that against
 * the customer's devices (resolve.h). */
#ifndef SB_ENGINE_INTENT_H
#define SB_ENGINE_INTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/lexicon.h"

#define INTENT_MAX_STEPS 8
#define INTENT_MAX_KEYS  4   /* types or rooms named in one step */
#define INTENT_TEXT_MAX  256 /* a title, a room or a clause's words */
#define INTENT_KEY_MAX   32
#define INTENT_ID_MAX    128 /* a device id (MODEL_ID_MAX) */

enum intent_action {
    INTENT_UNKNOWN = 0,
    INTENT_STATUS,
    INTENT_POWER,
    INTENT_VOLUME,
    INTENT_SONG,
    INTENT_MOVE,
    INTENT_HELP,
    INTENT_OUT_OF_SCOPE,
    INTENT_GREETING,    /* "hi" and nothing else */
    INTENT_THANKS,      /* "thanks" and nothing else */
    INTENT_PLAYBACK,    /* pause or resume what a device plays */
    INTENT_GROUP,       /* one title playing on several media devices (multiroom.c makes it) */
    INTENT_UNSUPPORTED, /* an attribute the bot has no action for: about names it */
    INTENT_NEGATED,     /* "don't turn the heater off": nothing to do, and it says so */
};

/* VOL_SCALE: amount percent of the volume it has ("double it": 200) */
enum intent_volume {
    VOL_NONE = 0,
    VOL_SET,
    VOL_UP,
    VOL_DOWN,
    VOL_MUTE,
    VOL_MAX,
    VOL_HALF,
    VOL_SCALE
};
enum intent_song { SONG_NONE = 0, SONG_NEXT, SONG_PREV, SONG_TITLE };
enum intent_playback { PLAYBACK_NONE = 0, PLAYBACK_PAUSE, PLAYBACK_RESUME };
/* "the one that's on", "whichever is louder", "the speaker I just turned
 * on": of the devices a target says, the one in that state, or among the
 * conversation's last (the lexicon's ref=VALUE phrases) */
enum intent_which {
    WHICH_ANY = 0,
    WHICH_ON,
    WHICH_OFF,
    WHICH_PLAYING,
    WHICH_LOUDEST,
    WHICH_QUIETEST,
    WHICH_PREV,
    WHICH_HERE,    /* "the lights in here": one room, not said: which? */
    WHICH_CHANGED, /* "the one you just turned off": of the last changed (undo.h) */
};
/* The lexicon's ref=VALUE values, by enum intent_which ("" for WHICH_ANY). */
extern const char *const intent_which_names[WHICH_CHANGED + 1];

struct intent_target {
    char types[INTENT_MAX_KEYS][INTENT_KEY_MAX]; /* lexicon type keys: speaker, media */
    size_t n_types;
    char rooms[INTENT_MAX_KEYS][INTENT_TEXT_MAX]; /* snake_case: living_room */
    size_t n_rooms;
    /* the customer's own words (intent_parse_for): devices named whole (ids)
     * and words of names ("the heater" for the Heater Plug) */
    char ids[INTENT_MAX_KEYS][INTENT_ID_MAX];
    size_t n_ids;
    char parts[INTENT_MAX_KEYS][INTENT_KEY_MAX];
    char part_types[INTENT_MAX_KEYS][INTENT_KEY_MAX]; /* the kind said with it, or "" */
    size_t n_parts;
    bool generic;     /* "device", "gadget", "thing": any of them */
    bool plural;      /* a kind said in the plural ("the lights") */
    bool unknown;     /* a word the vocabulary and the customer's names do not know,
                         where a device is named ("the heater" with no heater) */
    bool only_plural; /* all only because of that (not "all the lights") */
    bool others;      /* "everything else": all but what the message's other steps name */
    bool there;       /* "everything there": all in the rooms the step before says */
    int count;        /* "the 3 lights", "both radios": how many are said (0: not said) */
    bool own;         /* read with the customer's own words: names and rooms are in already */
    bool all;         /* "all", "everything", a plural type, several types or rooms */
    bool ref;         /* a pronoun: the previous device */
    enum intent_which which;
    int ordinal;    /* "the second light in the hall": 2; 0 none */
    bool explicit_; /* anything at all was said about the target */
};

#define INTENT_TOGGLE 2 /* "toggle the desk lamp": on if off, off if on */

struct intent_step {
    enum intent_action action;
    int state; /* power: 1 on, 0 off, -1 not said (ask), INTENT_TOGGLE the other way */
    enum intent_volume vol;
    int amount; /* volume value or step; -1 when not said */
    int toward; /* "up to 30": +1, "down to 30": -1 (a set that must go that way); 0 */
    enum intent_song song;
    /* pause or resume; resuming with state 1 switches an off device on
     * first ("play some music"), with state -1 (a PATCH) it does not */
    enum intent_playback playback;
    char title[INTENT_TEXT_MAX];
    int position; /* "the third song on its list": 3 (the title is read off the device); 0 none */
    char dest[INTENT_TEXT_MAX]; /* relocation destination room, snake_case */
    struct intent_target target;
    struct intent_target except; /* "apart from the porch light": left out of target */
    /* "as loud as the kitchen one", "to the same room as the light": the
     * device whose volume or room the step takes (compare.h) */
    struct intent_target like;
    char words[INTENT_TEXT_MAX]; /* the clause's words, for matching device names */
    bool answer; /* names only a device, a room or a number: a reply to a question */
    bool media;  /* power meant for music ("play some music", "stop the music") */
    /* help: the protocol name of the action a plan question is about
     * ("how much to change songs?": "song_changes"; "" none), whether it asks to
     * upgrade ("upgrade me", "what does an upgrade cost") or which plan
     * the customer is on ("what plan am I on?") */
    char about[INTENT_KEY_MAX];
    bool upgrade;
    bool current;
    /* a follow-up to the conversation's last request (engine.c completes
     * it): +1 "more", -1 "less", 0 none; also: the same on the devices this
     * step names ("and the display?"); other: on the other device of that
     * kind; back: a move back to the room the device came from */
    int again;
    bool also, other, back;
    /* "no sorry, I meant Yesterday": the last request again, with the
     * title (or devices, or number) this step says instead */
    bool correct;
    /* "turn the den speaker up", then "no, I meant down": a step the other
     * way from the last request's, taken from where the volume was before
     * it (undo_redo) */
    bool redo;
    /* "if the hall light is on, turn the den speaker off": the clause of
     * the condition is a status step with cond set (what it must find);
     * the steps after it have cond_step, 1 + its index (0: unconditional),
     * and are done only when it holds (resolve_condition_met) */
    enum intent_cond { COND_NONE = 0, COND_ON, COND_OFF, COND_PLAYING, COND_UNKNOWN } cond;
    size_t cond_step;
};

struct intent {
    struct intent_step steps[INTENT_MAX_STEPS];
    size_t n_steps;
};

/* Parses text (any bytes; at most the first few hundred words count) into
 * at least one step. Never fails: what it cannot read is INTENT_UNKNOWN. */
void intent_parse(const struct lexicon *lx, const char *text, struct intent *out);

struct text_entities;
/* The same, reading the customer's own names, rooms and titles (made by
 * resolve_entities) before the vocabulary; ents may be NULL. */
void intent_parse_for(const struct lexicon *lx, const struct text_entities *ents, const char *text,
                      struct intent *out);

/* The canonical one-line form the phrase corpus uses, e.g.
 * "device_power state=on type=speaker room=kitchen | volume_control set=30 ref". */
void intent_format(const struct intent *in, char *buf, size_t n);

/* The protocol's action name for a step ("device_power"), "help",
 * "out_of_scope" or "unknown". */
const char *intent_action_name(enum intent_action a);

#endif
