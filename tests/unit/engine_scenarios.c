/* The engine end to end through the real SQLite store on a temp file:
 * tiers, execution, pronouns, clarifications, idempotency, device limits. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/jsonx.h"
#include "engine_fixture.h"
#include "tap.h"

static struct store *st;
static struct engine *eng;

static const char *get(json_object *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_object *cur = o;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && cur;
         k = strtok_r(NULL, ".", &save)) {
        json_object *next = NULL;
        if (json_object_is_type(cur, json_type_array))
            next = json_object_array_get_idx(cur, (size_t)atoi(k));
        else if (!json_object_object_get_ex(cur, k, &next))
            next = NULL;
        cur = next;
    }
    return cur ? json_object_get_string(cur) : NULL;
}

static struct device device_now(const char *customer, const char *device)
{
    struct customer c = {0};
    struct device d = {0};
    struct sb_err err;
    if (store_get_customer(st, customer, &c, &err) == SB_OK) {
        struct device *found = customer_find_device(&c, device);
        if (found)
            device_copy(&d, found);
    }
    customer_free(&c);
    return d;
}

static json_object *chat(const char *customer, const char *conv, const char *text)
{
    json_object *r = fixture_chat(eng, customer, conv, text);
    if (r)
        tap_diag("%s: \"%s\" -> %s", customer, text, get(r, "message"));
    return r;
}

/* One exchange whose result must hold want at path. */
static void expect(const char *customer, const char *conv, const char *text, const char *path,
                   const char *want, const char *name)
{
    json_object *r = chat(customer, conv, text);
    is_str(get(r, path), want, name);
    json_object_put(r);
}

/* A table of turns, each {customer, conversation, message, field of the
 * answer, its value, why}, played in order. */
static void play(const char *const (*turns)[6], size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect(turns[i][0], turns[i][1], turns[i][2], turns[i][3], turns[i][4], turns[i][5]);
}

static void basic_denied_song(void)
{
    json_object *r = chat("cust_001", NULL, "next song please");
    is_str(get(r, "outcome"), "denied", "basic: next song is denied");
    is_str(get(r, "denial.action"), "song_changes", "denial names the action");
    is_str(get(r, "denial.requiredLevel"), "premium", "denial names the cheapest upgrade");
    is_str(get(r, "denial.price"), "9.99", "denial carries its price");
    is_str(get(r, "denial.currentLevel"), "basic", "denial names the current level");
    is_str(get(r, "denial.allowedActions.2"), "volume_control", "denial lists what is allowed");
    ok(r && strstr(get(r, "message"), "Premium plan ($9.99/month)") &&
           strstr(get(r, "message"), "Basic"),
       "the sentence names the upgrade, its price and the current plan");
    is_str(get(r, "steps.0.status"), "denied", "the step is denied");
    struct device d = device_now("cust_001", "dev_001");
    is_str(d.current_song, "Bohemian Rhapsody", "nothing was changed");
    device_free(&d);
    json_object_put(r);
}

static void basic_power_and_volume(void)
{
    json_object *r = chat("cust_001", "conv_jane", "Could you turn on my speaker?");
    is_str(get(r, "outcome"), "done", "single-device customer need not name it");
    is_str(get(r, "steps.0.device.state"), "on", "the step carries the device after it");
    json_object_put(r);
    expect("cust_001", "conv_jane", "crank it up", "steps.0.device.volume", "60",
           "crank it up: +10");
    expect("cust_001", "conv_jane", "set the volume to twenty five percent",
           "steps.0.device.volume", "25", "number words and percent");
    r = chat("cust_001", "conv_jane", "set it to 25");
    is_str(get(r, "steps.0.status"), "unchanged", "already at 25%");
    ok(r && strstr(get(r, "message"), "already at 25%"), "says it is already at 25%%");
    json_object_put(r);
    expect("cust_001", "conv_jane", "turn it up by 200", "steps.0.device.volume", "100",
           "volume is clamped to 100");
    struct device d = device_now("cust_001", "dev_001");
    is_int(d.volume, 100, "the store holds the clamped volume");
    ok(d.last_updated && strcmp(d.last_updated, "2026-11-01T09:00:00.000Z") != 0,
       "lastUpdated moved");
    device_free(&d);
}

static void premium_relocation(void)
{
    json_object *r = chat("cust_002", NULL, "move my display from the kitchen to the living room");
    is_str(get(r, "outcome"), "done", "premium: relocation done");
    is_str(get(r, "steps.0.device.location"), "living_room", "the display is in the living room");
    ok(r && strstr(get(r, "message"), "living room"), "the reply names the room");
    json_object_put(r);
    struct device d = device_now("cust_002", "dev_003");
    is_str(d.location, "living_room", "the store has the new location");
    device_free(&d);
}

static void off_then_next_song(void)
{
    expect("cust_002", "conv_john", "turn off the bedroom speaker", "steps.0.device.state", "off",
           "bedroom speaker off");
    json_object *r = chat("cust_002", "conv_john", "play the next song");
    is_str(get(r, "outcome"), "unsupported", "next song while off is refused");
    is_str(get(r, "steps.0.status"), "refused", "the step is refused");
    ok(r && strstr(get(r, "message"), "off"), "the reply says it is off");
    json_object_put(r);
    struct device d = device_now("cust_002", "dev_002");
    is_str(d.current_song, "Clair de Lune", "the song did not change");
    device_free(&d);
}

/* "on at 30": a device that is off is switched on at that volume (it is
 * off after off_then_next_song) */
static void on_at_volume(void)
{
    json_object *r = chat("cust_002", "conv_on", "bedroom speaker on at 30");
    is_str(get(r, "outcome"), "done", "on at a volume is done");
    is_str(get(r, "steps.0.device.state"), "on", "the speaker is on");
    is_str(get(r, "steps.0.device.volume"), "30", "at that volume");
    ok(r && strstr(get(r, "message"), "on at 30%"), "the reply says both");
    json_object_put(r);
}

static void pronoun_followups(void)
{
    expect("cust_002", "conv_p", "turn on the bedroom speaker", "steps.0.deviceId", "dev_002",
           "the bedroom speaker");
    json_object *r = chat("cust_002", "conv_p", "turn it up");
    is_str(get(r, "steps.0.deviceId"), "dev_002", "'it' is the previous turn's device");
    is_str(get(r, "steps.0.device.volume"), "40", "and it went up by the default step");
    json_object_put(r);
    expect("cust_002", "conv_p", "play Gymnopedie", "steps.0.device.current_song",
           "Gymnopedie No. 1", "fuzzy title match");
    expect("cust_002", "conv_h", "next song", "steps.0.deviceId", "dev_002",
           "unnamed, a song change goes to the only media device that is on");
    expect("cust_002", "conv_setup", "turn on the kitchen display", "steps.0.device.state", "on",
           "the kitchen display on too");
    r = chat("cust_002", "conv_q", "turn it up");
    is_str(get(r, "outcome"), "clarify", "a new conversation has no 'it': asks which");
    ok(r && strstr(get(r, "message"), "Bedroom Speaker") &&
           strstr(get(r, "message"), "Kitchen Display"),
       "the question names the candidates");
    json_object_put(r);
}

/* "no sorry, I meant X": the last song request again with the title said;
 * a correction of something else is not guessed at. */
static void title_corrected_next_turn(void)
{
    expect("cust_002", "conv_t", "play Gymnopedie on the bedroom speaker",
           "steps.0.device.current_song", "Gymnopedie No. 1", "a song is played");
    expect("cust_002", "conv_t", "no sorry, I meant River Flows in You",
           "steps.0.device.current_song", "River Flows in You",
           "the correction plays the title it names instead");
    json_object *r = chat("cust_002", "conv_t2", "no sorry, I meant Clair de Lune");
    ok(r && strcmp(get(r, "outcome"), "done") != 0, "with no request before, it plays nothing");
    json_object_put(r);
}

/* A refused request names the device the next "it" is. */
static void it_after_refused(void)
{
    expect("cust_003", "conv_r", "set the reception hub to 22 degrees", "outcome", "unsupported",
           "a temperature is not there yet");
    expect("cust_003", "conv_r", "ok then turn it off", "steps.0.deviceId", "dev_006",
           "'it' is the device the refused request named");
}

static void clarify_followups(void)
{
    expect("cust_002", "conv_w", "turn it up", "outcome", "clarify", "which one? is asked");
    expect("cust_002", "conv_w", "the bedroom one", "steps.0.deviceId", "dev_002",
           "'the bedroom one' answers it");
    expect("cust_002", "conv_w", "set the volume", "outcome", "clarify", "what volume? is asked");
    expect("cust_002", "conv_w", "35", "steps.0.device.volume", "35", "'35' answers it");
    expect("cust_002", "conv_w", "move it", "outcome", "clarify", "which room? is asked");
    expect("cust_002", "conv_w", "the office", "steps.0.device.location", "office",
           "'the office' answers it");
    expect("cust_002", "conv_w", "the office", "outcome", "status",
           "with no question pending a room is a status request");
    expect("cust_002", "conv_w2", "turn it on and play the next song", "steps.1.status", "clarify",
           "two steps ask which device");
    json_object *r = chat("cust_002", "conv_w2", "the display");
    is_int(r ? json_object_array_length(json_object_object_get(r, "steps")) : 0, 2,
           "one answer completes both, and only them");
    is_str(get(r, "steps.1.device.current_song"), "Good Vibrations", "on the display");
    json_object_put(r);
    r = chat("cust_002", "conv_w2", "play september on the bedroom speaker");
    is_str(get(r, "steps.0.status"), "refused", "a title not on that playlist is refused");
    ok(r && strstr(get(r, "message"), "the Kitchen Display has it"), "saying which device has it");
    json_object_put(r);
}

/* Values read off another device, and devices picked by state or place
 * (compare.h, resolve.c), through the real store. */
static void references(void)
{
    /* customer, conversation, message, field of the answer, its value, why */
    static const char *const turns[][6] = {
        {"cust_002", "conv_ref", "set the bedroom speaker to 30", "outcome", "done",
         "the speaker at 30"},
        {"cust_002", "conv_ref", "turn on the kitchen display", "outcome", "done",
         "the display on"},
        {"cust_002", "conv_ref", "make it as loud as the bedroom speaker", "steps.0.device.volume",
         "30", "'as loud as' takes the speaker's volume"},
        {"cust_002", "conv_ref", "make it as loud as the bedroom speaker", "steps.0.deviceId",
         "dev_003", "and changes only the display"},
        {"cust_002", "conv_ref", "turn the display up to match the speaker", "outcome", "status",
         "'up to match' a speaker no louder is answered, not done"},
        {"cust_002", "conv_ref", "turn the display down like the garage speaker", "outcome",
         "status", "a device compared with that is not there: nothing is guessed"},
        {"cust_003", "conv_ref3", "turn off the one that's on in the office", "steps.0.deviceId",
         "dev_004", "'the one that's on' in the office is the speaker"},
        {"cust_003", "conv_ref3", "turn on the hub", "steps.0.deviceId", "dev_006",
         "the hub, which is on already"},
        {"cust_003", "conv_ref3", "turn on the rest", "steps.0.deviceId", "dev_004",
         "'the rest' leaves out the device just talked about"},
        {"cust_002", "conv_ref2", "set the display to 40", "outcome", "done", "the display at 40"},
        {"cust_002", "conv_ref2", "turn down whichever is louder, the speaker or the display",
         "steps.0.deviceId", "dev_003", "'whichever is louder' is the display (40 against 30)"},
        {"cust_002", "conv_ref4", "turn off the display", "outcome", "done", "the display off"},
        {"cust_002", "conv_ref4", "do that every night at 10", "denial.requiredLevel", "enterprise",
         "'do that every night' is a routine of the last request"},
        {"cust_002", "conv_ref4", "turn on the display", "outcome", "done", "the display on again"},
        {"cust_003", "conv_ref5", "turn off the office speaker", "outcome", "done",
         "an enterprise customer's request"},
        {"cust_003", "conv_ref5", "do that every night at 10", "outcome", "done",
         "'do that every night at 10' saves it as a routine"},
        {"cust_003", "conv_ref5", "what routines do I have?", "message",
         "You have one routine: turn off the office speaker (every day at 22:00).",
         "the routine is the last request at that time"},
    };
    play(turns, sizeof turns / sizeof *turns);
}

/* The last change, undone or pointed at (undo.h): what the devices were
 * before it is kept with the conversation in the store. */
static void undo(void)
{
    static const char *const turns[][6] = {
        {"cust_002", "conv_undo", "set the bedroom speaker to 35", "outcome", "done", "at 35"},
        {"cust_002", "conv_undo", "set it to 60", "steps.0.device.volume", "60", "then at 60"},
        {"cust_002", "conv_undo", "hmm too loud, put it back to how it was",
         "steps.0.device.volume", "35", "'put it back' sets the volume it had before"},
        {"cust_002", "conv_undo", "what's the bedroom speaker's volume?", "outcome", "status",
         "a question changes nothing"},
        {"cust_002", "conv_undo", "undo that", "steps.0.device.volume", "60",
         "undoing the undo: the question in between left the last change as it was"},
        {"cust_002", "conv_undo2", "undo", "outcome", "unsupported",
         "a new conversation has no change to undo"},
        {"cust_002", "conv_undo3", "turn on the kitchen display", "outcome", "done",
         "the display on (or on already)"},
        {"cust_002", "conv_undo3", "turn off the kitchen display", "outcome", "done",
         "the display off: the last change"},
        {"cust_002", "conv_undo3", "is the bedroom speaker on?", "outcome", "status",
         "a question about the speaker"},
        {"cust_002", "conv_undo3", "turn the one you just turned off back on", "steps.0.deviceId",
         "dev_003", "'the one you just turned off' is the display, not the speaker asked about"},
        {"cust_002", "conv_undo3", "change it back", "steps.0.device.state", "off",
         "and 'change it back' switches it off again"},
        {"cust_002", "conv_undo3", "turn on the kitchen display", "outcome", "done",
         "the display on again, as the tests after these expect"},
        {"cust_002", "conv_undo3", "change it back to 40", "steps.0.device.volume", "40",
         "'change it back to 40' is a volume, not an undo"},
        /* answers to "which one?" keep what they do not say */
        {"cust_002", "conv_which0", "move the bedroom speaker to the bedroom", "outcome", "done",
         "the speaker in the bedroom (or there already)"},
        {"cust_002", "conv_which", "turn the music down a bit", "outcome", "clarify",
         "two players on: which one?"},
        {"cust_002", "conv_which", "the one in the bedroom, where I keep my books, thanks",
         "steps.0.deviceId", "dev_002", "a room and more about it answers the question"},
        {"cust_002", "conv_toggle", "toggle the kitchen display", "steps.0.device.state", "off",
         "toggle switches the display, which is on, off"},
        {"cust_002", "conv_toggle", "toggle it", "steps.0.device.state", "on", "and on again"},
        /* "no, I meant down" after a step up: down from where it was */
        {"cust_002", "conv_redo", "set the bedroom speaker to 30", "steps.0.device.volume", "30",
         "at 30"},
        {"cust_002", "conv_redo", "turn it up", "steps.0.device.volume", "40", "up a step"},
        {"cust_002", "conv_redo", "*down", "steps.1.device.volume", "20",
         "'*down' corrects the step: from 30, not from 40"},
        {"cust_002", "conv_vol", "turn off the kitchen display", "outcome", "done", "display off"},
        {"cust_002", "conv_vol", "what volume is the kitchen display at?", "message",
         "The Kitchen Display's volume is set to 40%.", "a volume question says it, off or on"},
        {"cust_002", "conv_vol", "turn on the kitchen display", "outcome", "done", "on again"},
        {"cust_002", "conv_count", "turn off the kitchen display", "outcome", "done",
         "the display off for the count"},
        {"cust_002", "conv_count", "how many devices are on?", "message",
         "One is on: the Bedroom Speaker.", "a count with a state counts those in it"},
        {"cust_002", "conv_count", "how many devices are off?", "message",
         "2 are off: the Kitchen Display and the Desk Lamp.", "and the other way"},
        {"cust_002", "conv_count", "turn on the kitchen display", "outcome", "done",
         "on again, as the tests after these expect"},
        {"cust_002", "conv_count", "turn off the 3 speakers", "outcome", "clarify",
         "three speakers where there is one: it says so and changes nothing"},
        /* correcting the last request: what it changed goes back */
        {"cust_002", "conv_fix", "turn off the bedroom speaker", "outcome", "done", "speaker off"},
        {"cust_002", "conv_fix", "no, I meant the kitchen display", "steps.0.device.state", "on",
         "'no, I meant the display': the speaker back on first"},
        {"cust_002", "conv_fix", "turn on the kitchen display", "outcome", "done",
         "and the display on again, as the tests after these expect"},
        {"cust_002", "conv_way", "set the bedroom speaker to 30", "outcome", "done", "at 30"},
        {"cust_002", "conv_way", "turn it up", "steps.0.device.volume", "40", "up a step"},
        {"cust_002", "conv_way", "no, the other way", "steps.1.device.volume", "20",
         "'the other way' is down from 30, where it was"},
        {"cust_002", "conv_scale", "set the bedroom speaker to 30", "outcome", "done", "at 30"},
        {"cust_002", "conv_scale", "double it", "steps.0.device.volume", "60",
         "'double it' is twice the volume it has"},
        {"cust_002", "conv_scale", "halve it", "steps.0.device.volume", "30", "and half of it"},
        {"cust_002", "conv_scale", "turn it up to 20", "outcome", "clarify",
         "'up to 20' from 30 would go down: it asks"},
        {"cust_002", "conv_scale", "turn it down to three quarters", "outcome", "clarify",
         "'down to three quarters' (75) from 30 would go up: it asks"},
    };
    play(turns, sizeof turns / sizeof *turns);
}

static void multi_room(void)
{
    struct customer c = {0};
    struct sb_err err;
    struct device d[2] = {
        {.id = "dev_t1",
         .type = "SmartSpeaker",
         .name = "Jukebox",
         .location = "kitchen",
         .on = true,
         .volume = 10},
        {.id = "dev_t2", .type = "SmartSpeaker", .location = "bedroom", .on = true, .volume = 10}};
    c.id = "cust_t";
    c.name = "Two Speakers";
    c.service_level = "basic";
    c.devices = d;
    c.n_devices = 2;
    is_int(store_put_customer(st, &c, &err), SB_OK, "a basic customer with two speakers");
    json_object *r = chat("cust_t", NULL, "set all speakers to 30");
    is_str(get(r, "outcome"), "denied", "volume on two speakers at once is denied");
    is_str(get(r, "denial.action"), "multi_room_audio", "because it is multi-room audio");
    is_str(get(r, "denial.requiredLevel"), "premium", "which premium allows");
    json_object_put(r);
    expect("cust_t", NULL, "set the kitchen speaker to 30", "steps.0.device.volume", "30",
           "one speaker is fine");
    expect("cust_t", NULL, "turn off all speakers", "outcome", "done",
           "power on several devices needs no multi-room audio");
    expect("cust_t", NULL, "next song", "outcome", "denied",
           "the plan's refusal comes before asking which speaker");
    expect("cust_t", NULL, "how is the jukebox doing", "steps.0.deviceId", "dev_t1",
           "a device is found by its own name");
}

static void status_and_already(void)
{
    json_object *r = chat("cust_003", NULL, "are the media players on?");
    is_str(get(r, "outcome"), "status", "status outcome");
    is_int(r ? json_object_array_length(json_object_object_get(r, "steps")) : 0, 2,
           "one status step per media device");
    json_object_put(r);
    expect("cust_003", NULL, "turn off the reception hub", "steps.0.status", "unchanged",
           "already off is unchanged");
    expect("cust_003", NULL, "what can I do?", "outcome", "help", "help on the top level");
}

static void compound(void)
{
    json_object *r =
        chat("cust_003", NULL,
             "turn on the conference room display and set it to 30, then play the next song");
    is_str(get(r, "outcome"), "done", "compound: all three steps done");
    is_int(r ? json_object_array_length(json_object_object_get(r, "steps")) : 0, 3, "three steps");
    is_str(get(r, "steps.1.device.volume"), "30", "step two set the volume");
    is_str(get(r, "steps.2.device.current_song"), "Take Five", "step three picked a song");
    json_object_put(r);
    expect("cust_003", NULL, "play some music on the reception hub", "steps.0.status", "refused",
           "'play some music' needs a device that plays music");
    r = chat("cust_003", NULL, "play Strobe on the reception hub");
    is_str(get(r, "steps.0.status"), "refused", "a hub cannot play songs");
    json_object_put(r);
    r = chat("cust_003", NULL, "turn off everything");
    is_int(r ? json_object_array_length(json_object_object_get(r, "steps")) : 0, 3,
           "everything: one step per device");
    json_object_put(r);
}

static void scope_and_help(void)
{
    json_object *n = chat("cust_001", NULL, "turn off the kitchen lights");
    is_str(get(n, "outcome"), "clarify", "no such device: asks");
    ok(n && strstr(get(n, "message"), "Your only device is the Living Room Speaker"),
       "naming the devices there are");
    json_object_put(n);
    json_object *r = chat("cust_001", NULL, "what's the weather like tomorrow?");
    is_str(get(r, "outcome"), "out_of_scope", "weather is out of scope");
    json_object_put(r);
    r = chat("cust_001", NULL, "what can I do?");
    is_str(get(r, "outcome"), "help", "help");
    ok(r && strstr(get(r, "message"), "Premium ($9.99/month) adds Song Changes"),
       "help names what the upgrade adds");
    json_object_put(r);
    r = chat("cust_002", NULL, "switch the bedroom speaker");
    is_str(get(r, "outcome"), "clarify", "on or off? is asked");
    json_object_put(r);
}

/* One plan question: outcome "help", no steps, and each of the wanted
 * fragments in the message. */
static void plan_answer(const char *customer, const char *text, const char *want1,
                        const char *want2, const char *name)
{
    json_object *r = chat(customer, NULL, text);
    const char *m = r ? get(r, "message") : NULL;
    is_str(get(r, "outcome"), "help", name);
    is_int(r ? (int)json_object_array_length(json_object_object_get(r, "steps")) : -1, 0,
           "  and touches no device");
    ok(m && strstr(m, want1) && (!want2 || strstr(m, want2)), "  and says so");
    json_object_put(r);
}

static void plans(void)
{
    plan_answer("cust_003", "how much is premium?", "Premium costs $9.99/month",
                "your Enterprise plan", "a lower plan's price");
    plan_answer("cust_001", "how much is premium?", "Premium costs $9.99/month",
                "adds Song Changes", "a higher plan's price and what it adds");
    plan_answer("cust_002", "how much is premium", "You're on the Premium plan ($9.99/month)", NULL,
                "the customer's own plan");
    plan_answer("cust_001", "upgrade me", "Premium ($9.99/month) adds Song Changes",
                "contact support", "upgrade: the next plan up and how");
    plan_answer("cust_002", "I want to upgrade", "Enterprise ($29.99/month) adds Custom Actions",
                "contact support", "upgrade from the middle plan");
    plan_answer("cust_003", "upgrade me", "our top plan", NULL, "nothing above the top plan");
    plan_answer("cust_003", "what does enterprise include?", "You're on the Enterprise plan",
                "Custom Actions", "what a plan includes");
    plan_answer("cust_003", "what's the difference between basic and premium?",
                "Premium ($9.99/month) adds Song Changes", "to Basic (free)", "two plans compared");
    plan_answer("cust_001", "how much does it cost to change songs?",
                "Song Changes comes with the Premium plan ($9.99/month)", "you're on Basic",
                "the price of an action");
    plan_answer("cust_003", "how much does it cost to change songs?",
                "Your Enterprise plan already includes Song Changes", NULL,
                "an action the plan has");
    plan_answer("cust_001", "which plan lets me move devices?",
                "Device Relocation comes with the Premium plan ($9.99/month)", NULL,
                "the lowest plan for an action");
    plan_answer("cust_002", "which plan has custom actions?",
                "Custom Actions comes with the Enterprise plan ($29.99/month)", "you're on Premium",
                "an action no device request names");
    plan_answer("cust_001", "how much is multi-room audio?",
                "Multi-room Audio comes with the Premium plan ($9.99/month)", NULL,
                "multi-room audio's price");
    plan_answer("cust_001", "what plan am I on?", "You're on the Basic plan (free)",
                "Volume Control", "the current plan");
    json_object *r = chat("cust_002", NULL, "is the speaker on?");
    is_str(get(r, "outcome"), "status", "a device question stays one");
    json_object_put(r);
}

static void idempotent(void)
{
    struct engine_request req = {.customer_id = "cust_003",
                                 .text = "turn on the office speaker and turn it up",
                                 .conversation_id = "conv_idem",
                                 .message_id = "client-1"};
    struct engine_reply a = {0}, b = {0}, c = {0};
    struct sb_err err;
    struct engine *fresh = NULL;
    is_int(engine_handle(eng, &req, &a, &err), SB_OK, "first send");
    is_int(engine_handle(eng, &req, &b, &err), SB_OK, "resend");
    ok(json_object_object_get(b.result, "duplicate") != NULL, "resend is marked duplicate");
    is_str(get(b.result, "message"), get(a.result, "message"), "resend has the original reply");
    struct device d = device_now("cust_003", "dev_004");
    is_int(d.volume, 35, "executed once");
    device_free(&d);
    engine_new(st, &fresh, &err);
    is_int(engine_handle(fresh, &req, &c, &err), SB_OK, "resend after a restart");
    ok(json_object_object_get(c.result, "duplicate") != NULL, "still a duplicate");
    is_str(get(c.result, "message"), get(a.result, "message"), "rebuilt from the stored reply");
    req.customer_id = "cust_002";
    engine_reply_free(&c);
    engine_handle(fresh, &req, &c, &err);
    ok(c.result && !json_object_object_get(c.result, "duplicate"),
       "another customer's same client id is not a duplicate");
    struct message *m = NULL;
    size_t n = 0;
    struct store_history_query q = {
        .customer_id = "cust_003", .conversation_id = "conv_idem", .limit = 10};
    store_history(st, &q, &m, &n, &err);
    is_int(n, 2, "user message and reply recorded once");
    if (n == 2) {
        is_str(m[0].sender, "user", "user message first");
        is_str(m[1].sender, "bot", "then the reply");
    }
    messages_free(m, n);
    engine_free(fresh);
    engine_reply_free(&a);
    engine_reply_free(&b);
    engine_reply_free(&c);
}

#define RACERS 4

static void *send_same(void *arg)
{
    struct engine_request req = {.customer_id = "cust_003",
                                 .text = "turn the office speaker up by 5",
                                 .conversation_id = "conv_race",
                                 .message_id = "client-race"};
    struct engine_reply *rep = arg;
    struct sb_err err;
    engine_handle(eng, &req, rep, &err);
    return NULL;
}

static void concurrent_resends(void)
{
    pthread_t th[RACERS];
    struct engine_reply reps[RACERS] = {0};
    struct device before = device_now("cust_003", "dev_004");
    int dups = 0, answered = 0;
    for (int i = 0; i < RACERS; i++)
        pthread_create(&th[i], NULL, send_same, &reps[i]);
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        answered += reps[i].result != NULL;
        dups += reps[i].result && json_object_object_get(reps[i].result, "duplicate");
        engine_reply_free(&reps[i]);
    }
    struct device after = device_now("cust_003", "dev_004");
    is_int(answered, RACERS, "every racing copy is answered");
    is_int(dups, RACERS - 1, "all but one are duplicates");
    is_int(after.volume, before.volume + 5, "the request ran once");
    device_free(&before);
    device_free(&after);
}

static void limits_and_patch(void)
{
    struct engine_reply r = {0};
    struct sb_err err;
    struct device d = {
        .id = "dev_new", .type = "SmartLight", .name = "Desk Lamp", .location = "office"};
    is_int(engine_add_device(eng, "cust_001", &d, &r, &err), SB_ELIMIT, "basic: max 1 device");
    is_str(get(r.result, "limit.requiredLevel"), "premium", "limit names the upgrade");
    is_str(get(r.result, "limit.maxDevices"), "1", "and the current maximum");
    engine_reply_free(&r);
    is_int(engine_add_device(eng, "cust_002", &d, &r, &err), SB_OK, "premium: third device ok");
    engine_reply_free(&r);
    is_int(engine_add_device(eng, "cust_002", &d, &r, &err), SB_ECONFLICT, "same id conflicts");
    engine_reply_free(&r);
    d.id = "dev_new2";
    is_int(engine_add_device(eng, "cust_002", &d, &r, &err), SB_ELIMIT, "premium: fourth refused");
    is_str(get(r.result, "limit.requiredLevel"), "enterprise", "enterprise allows more");
    engine_reply_free(&r);
    json_object *patch = json_object_new_object();
    json_object_object_add(patch, "current_song", json_object_new_string("Imagine"));
    is_int(engine_patch_device(eng, "cust_001", "dev_001", patch, &r, &err), SB_EDENIED,
           "PATCH current_song on basic is denied");
    is_str(get(r.result, "denial.requiredLevel"), "premium", "with the denial");
    ok(strstr(err.msg, "Premium plan ($9.99/month)") != NULL, "and the denial sentence");
    engine_reply_free(&r);
    json_object_object_add(patch, "current_song", json_object_new_int(3));
    is_int(engine_patch_device(eng, "cust_001", "dev_001", patch, &r, &err), SB_EINVAL,
           "bad field type");
    is_str(get(r.result, "fields.0.field"), "current_song", "names the field");
    engine_reply_free(&r);
    json_object_put(patch);
    patch = json_object_new_object();
    json_object_object_add(patch, "volume", json_object_new_int(42));
    is_int(engine_patch_device(eng, "cust_001", "dev_001", patch, &r, &err), SB_OK, "PATCH volume");
    is_str(get(r.result, "device.volume"), "42", "returns the device");
    is_int(r.n_changed, 1, "reports the change");
    engine_reply_free(&r);
    json_object_put(patch);
    patch = json_object_new_object();
    json_object_object_add(patch, "location", json_object_new_string("Dining Room"));
    is_int(engine_patch_device(eng, "cust_003", "dev_005", patch, &r, &err), SB_OK,
           "PATCH location");
    is_str(get(r.result, "device.location"), "dining_room", "rooms are stored snake_case");
    engine_reply_free(&r);
    json_object_put(patch);
}

/* Pausing and resuming (playback_control) on the basic plan, which allows
 * it like every seed level; "stop the music" pauses and leaves the device
 * on; "play" without a title resumes, switching an off device on. */
static void playback(void)
{
    json_object *r = chat("cust_001", "conv-pb", "turn off the speaker");
    json_object_put(r);
    expect("cust_001", "conv-pb", "pause the music", "steps.0.status", "refused",
           "nothing to pause on a device that is off");
    r = chat("cust_001", "conv-pb", "play some music on the speaker");
    is_str(get(r, "steps.0.action"), "playback_control", "\"play some music\" is playback");
    is_str(get(r, "outcome"), "done", "allowed on basic");
    is_str(get(r, "steps.0.device.state"), "on", "it switched the speaker on");
    is_str(get(r, "steps.0.device.playback"), "playing", "and it plays");
    json_object_put(r);
    r = chat("cust_001", "conv-pb", "pause");
    is_str(get(r, "steps.0.device.playback"), "paused", "\"pause\" pauses");
    ok(strstr(get(r, "message") ?: "", "I paused") != NULL, "and says so");
    json_object_put(r);
    struct device d = device_now("cust_001", "dev_001");
    ok(d.paused && d.on, "the record is paused and still on");
    device_free(&d);
    expect("cust_001", "conv-pb", "pause the music", "steps.0.status", "unchanged",
           "pausing twice changes nothing");
    r = chat("cust_001", "conv-pb", "what's playing?");
    ok(strstr(get(r, "message") ?: "", "paused") != NULL, "status tells it is paused");
    json_object_put(r);
    expect("cust_001", "conv-pb", "play", "steps.0.device.playback", "playing",
           "\"play\" without a title resumes a paused device");
    expect("cust_001", "conv-pb", "stop the music", "steps.0.device.playback", "paused",
           "\"stop the music\" pauses");
    d = device_now("cust_001", "dev_001");
    ok(d.on, "and leaves the speaker on");
    device_free(&d);
    expect("cust_001", "conv-pb", "continue playing", "steps.0.device.playback", "playing",
           "\"continue playing\" resumes");
    expect("cust_001", "conv-pb", "unpause", "steps.0.status", "unchanged",
           "resuming what plays changes nothing");
    expect("cust_001", "conv-pb", "pause it", "steps.0.device.playback", "paused",
           "\"it\" is the device of the last turn");
    expect("cust_001", "conv-pb", "resume", "steps.0.device.playback", "playing", "\"resume\"");
    /* a song asked for is a song to hear: a paused device plays it */
    r = chat("cust_003", "conv-pb3b", "pause the office speaker");
    json_object_put(r);
    r = chat("cust_003", "conv-pb3b", "play Strobe on the office speaker");
    is_str(get(r, "steps.0.status"), "done", "a title on a paused device");
    is_str(get(r, "steps.0.device.playback"), "playing", "plays it");
    json_object_put(r);
    r = chat("cust_003", "conv-pb3b", "pause it");
    json_object_put(r);
    expect("cust_003", "conv-pb3b", "play strobe", "steps.0.device.playback", "playing",
           "the paused song itself resumes");
    /* several devices: the one in the room named, the one that plays */
    r = chat("cust_003", "conv-pb3", "pause the music in the office");
    is_str(get(r, "steps.0.deviceId"), "dev_004", "the room picks the device");
    is_str(get(r, "steps.0.device.playback"), "paused", "and pauses it");
    json_object_put(r);
    expect("cust_003", "conv-pb3", "pause the reception hub", "steps.0.status", "refused",
           "a hub plays nothing");
    expect("cust_003", "conv-pb3", "resume", "steps.0.deviceId", "dev_004",
           "with nothing named, resume means the paused device");
}

/* PATCH runs through the chat's apply functions: the same rules, in the
 * same words. One row per request, in order, on cust_003: the body, the
 * code wanted, and a path of the result with the value it must hold. */
static void patch_rules(void)
{
    static const struct {
        const char *device, *body;
        int rc;
        const char *path, *want, *name;
    } cases[] = {
        {"dev_004", "{\"state\":\"off\"}", SB_OK, "device.state", "off", "PATCH off"},
        {"dev_004", "{\"volume\":20}", SB_EINVAL, "fields.0.field", "volume",
         "no volume change while off"},
        {"dev_004", "{\"volume\":20,\"state\":\"on\"}", SB_OK, "device.volume", "20",
         "power applies first, whatever the body's order"},
        {"dev_004", "{\"current_song\":\"no such tune\"}", SB_EINVAL, "fields.0.field",
         "current_song", "a song off the playlist is refused"},
        {"dev_004", "{\"current_song\":\"strobe\"}", SB_OK, "device.current_song", "Strobe",
         "a spoken title matches the playlist as chat matches it"},
        {"dev_004", "{\"playback\":\"paused\"}", SB_OK, "device.playback", "paused", "PATCH pause"},
        {"dev_004", "{\"playback\":\"stopped\"}", SB_EINVAL, "fields.0.problem",
         "must be \"playing\" or \"paused\", got \"stopped\"", "playback takes two words"},
        {"dev_006", "{\"playback\":\"paused\"}", SB_EINVAL, "fields.0.field", "playback",
         "a hub has no playback"},
        {"dev_004", "{\"state\":\"off\",\"playback\":\"playing\"}", SB_EINVAL, "fields.0.problem",
         "The Office Speaker is off, so it can't play. Turn it on first.",
         "PATCH does not switch on to play, and says so in chat's words"},
        {"dev_004", "{\"playback\":\"playing\"}", SB_OK, "device.state", "on",
         "a refused body changed nothing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct engine_reply r = {0};
        struct sb_err err;
        json_object *p = NULL;
        jsonx_parse(cases[i].body, strlen(cases[i].body), &p, &err);
        int rc = engine_patch_device(eng, "cust_003", cases[i].device, p, &r, &err);
        tap_diag("PATCH %s %s -> %s", cases[i].device, cases[i].body, rc ? err.msg : "ok");
        char name[160];
        snprintf(name, sizeof name, "%s: %s", cases[i].name, cases[i].path);
        is_int(rc, cases[i].rc, cases[i].name);
        is_str(get(r.result, cases[i].path), cases[i].want, name);
        engine_reply_free(&r);
        json_object_put(p);
    }
}

/* Another engine on its own handle to the same file (another servicebotd):
 * what the conversation remembers is in the store, so "it", the answer
 * to "which one?" and the last change carry over from one to the other. */
static void cross_instance(const char *path)
{
    struct store_options o = {.kind = "sqlite", .path = path};
    struct store *st2 = NULL;
    struct engine *e2 = NULL;
    struct sb_err err;
    if (store_open(&o, &st2, &err) != SB_OK || engine_new(st2, &e2, &err) != SB_OK) {
        ok(0, "a second engine on the same file: %s", err.msg);
        store_close(st2);
        return;
    }
    json_object *r = chat("cust_002", "conv_ci", "turn up the bedroom speaker");
    json_object_put(r);
    r = fixture_chat(e2, "cust_002", "conv_ci", "turn it up");
    is_str(get(r, "steps.0.deviceId"), "dev_002",
           "'it' on the other instance is the first one's device");
    json_object_put(r);
    r = chat("cust_002", "conv_ci2", "turn it down");
    is_str(get(r, "outcome"), "clarify", "the first instance asks which one");
    json_object_put(r);
    r = fixture_chat(e2, "cust_002", "conv_ci2", "the display");
    is_str(get(r, "steps.0.deviceId"), "dev_003", "the other instance understands the answer");
    json_object_put(r);
    /* the last change too: made on one, undone on the other */
    r = chat("cust_002", "conv_ci3", "set the bedroom speaker to 35");
    json_object_put(r);
    r = chat("cust_002", "conv_ci3", "set it to 65");
    json_object_put(r);
    r = fixture_chat(e2, "cust_002", "conv_ci3", "put it back how it was");
    is_str(get(r, "steps.0.device.volume"), "35",
           "the other instance undoes the first one's change");
    json_object_put(r);
    r = chat("cust_002", "conv_ci3", "what's the bedroom speaker's volume?");
    json_object_put(r);
    r = chat("cust_002", "conv_ci3", "turn the one you just turned up back down to 30");
    is_str(get(r, "outcome"), "done", "and the first one knows which device it changed");
    is_str(get(r, "steps.0.deviceId"), "dev_002", "the speaker the other instance changed");
    json_object_put(r);
    /* a correction on the other instance puts the first one's change back */
    r = chat("cust_002", "conv_ci4", "turn off the bedroom speaker");
    json_object_put(r);
    r = fixture_chat(e2, "cust_002", "conv_ci4", "no, I meant the kitchen display");
    is_str(get(r, "steps.0.device.state"), "on",
           "'no, I meant the display' on the other instance: the speaker back on");
    json_object_put(r);
    engine_free(e2);
    store_close(st2);
}

int main(void)
{
    char path[] = "/tmp/sb-engine-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || fixture_open(path, &st, &eng) != 0) {
        printf("Bail out! cannot open the fixture store\n");
        return 1;
    }
    close(fd);
    basic_denied_song();
    basic_power_and_volume();
    premium_relocation();
    off_then_next_song();
    on_at_volume();
    pronoun_followups();
    title_corrected_next_turn();
    clarify_followups();
    compound();
    status_and_already();
    multi_room();
    scope_and_help();
    plans();
    idempotent();
    concurrent_resends();
    limits_and_patch();
    playback();
    patch_rules();
    it_after_refused();
    references();
    undo();
    cross_instance(path);
    fixture_close(st, eng);
    unlink(path);
    return tap_done();
}
