/* What the chat tells the user about beyond its own exchange: a device
 * changed by someone else (a line in the pane), and a reply arriving while
 * the reader is scrolled away (the bell and/or the terminal title, as
 * /notify or SERVICEBOT_NOTIFY says). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "client/chat_tui.h"
#include "common/jsonx.h"
#include "common/model.h"

/* The device fields a change line mentions, in its order. */
static const struct {
    const char *key;
    const char *label;
} watched[] = {
    {"name", "name"},     {"state", "power"},       {"volume", "volume"},
    {"location", "room"}, {"current_song", "song"}, {"playback", "playback"},
};

static const struct {
    const char *name;
    unsigned mask;
} notify_modes[] = {
    {"off", 0},
    {"bell", CHAT_NOTIFY_BELL},
    {"title", CHAT_NOTIFY_TITLE},
    {"both", CHAT_NOTIFY_BELL | CHAT_NOTIFY_TITLE},
};

int chat_notify_parse(const char *name, unsigned *mask)
{
    for (size_t i = 0; i < sizeof notify_modes / sizeof *notify_modes; i++)
        if (!strcmp(name, notify_modes[i].name)) {
            *mask = notify_modes[i].mask;
            return 0;
        }
    return -1;
}

const char *chat_notify_name(unsigned mask)
{
    for (size_t i = 0; i < sizeof notify_modes / sizeof *notify_modes; i++)
        if (notify_modes[i].mask == mask)
            return notify_modes[i].name;
    return "?";
}

/* A field's value as text ("living room" for living_room), or "none". */
static void field_text(json_object *dev, const char *key, char *buf, size_t n)
{
    json_object *v;
    if (!dev || !json_object_object_get_ex(dev, key, &v) ||
        json_object_is_type(v, json_type_null)) {
        snprintf(buf, n, "none");
        return;
    }
    snprintf(buf, n, "%s", json_object_get_string(v));
    if (!strcmp(key, "location"))
        for (char *p = buf; *p; p++)
            if (*p == '_')
                *p = ' ';
}

void chat_notify_own_reply(struct chat_tui *ct, json_object *frame)
{
    json_object *steps;
    size_t n;

    if (!json_object_object_get_ex(frame, "steps", &steps) ||
        !json_object_is_type(steps, json_type_array))
        return;
    n = json_object_array_length(steps);
    for (size_t i = 0; i < n && ct->n_own < CHAT_OWN_MAX; i++) {
        json_object *dev;
        const char *id, *at;
        if (!json_object_object_get_ex(json_object_array_get_idx(steps, i), "device", &dev) ||
            !(id = jsonx_get_string(dev, "id")) || !(at = jsonx_get_string(dev, "lastUpdated")))
            continue;
        snprintf(ct->own[ct->n_own].id, sizeof ct->own[0].id, "%s", id);
        snprintf(ct->own[ct->n_own].at, sizeof ct->own[0].at, "%s", at);
        ct->n_own++;
    }
}

/* Whether this version of the device is what one of our replies did; the
 * push that follows the reply is then not news. */
static bool is_own(struct chat_tui *ct, json_object *dev)
{
    const char *id = jsonx_get_string(dev, "id"), *at = jsonx_get_string(dev, "lastUpdated");
    for (size_t i = 0; id && at && i < ct->n_own; i++) {
        if (strcmp(ct->own[i].id, id) || strcmp(ct->own[i].at, at))
            continue;
        ct->own[i] = ct->own[--ct->n_own];
        return true;
    }
    return false;
}

void chat_notify_device(struct chat_tui *ct, json_object *dev, json_object *previous, bool removed)
{
    char name[MODEL_NAME_MAX], line[1024], was[MODEL_NAME_MAX], now[MODEL_NAME_MAX];
    size_t len;

    ct->dirty_panel = true;
    if (is_own(ct, dev))
        return;
    field_text(dev, "name", name, sizeof name);
    if (removed || !previous) {
        snprintf(line, sizeof line, "%s was %s elsewhere.", name, removed ? "removed" : "added");
        chat_tui_note(ct, line);
        return;
    }
    len = (size_t)snprintf(line, sizeof line, "%s changed elsewhere:", name);
    bool any = false;
    for (size_t i = 0; i < sizeof watched / sizeof *watched && len < sizeof line; i++) {
        field_text(previous, watched[i].key, was, sizeof was);
        field_text(dev, watched[i].key, now, sizeof now);
        if (!strcmp(was, now))
            continue;
        len += (size_t)snprintf(line + len, sizeof line - len, "%s %s %s \xe2\x86\x92 %s",
                                any ? "," : "", watched[i].label, was, now);
        any = true;
    }
    if (any && len + 1 < sizeof line) {
        strcat(line, ".");
        chat_tui_note(ct, line);
    }
}

/* Sets the terminal's title (xterm OSC 2); "" puts back the plain one. */
static void set_title(const char *title)
{
    char seq[256];
    int n = snprintf(seq, sizeof seq, "\033]2;%s\007", *title ? title : "servicebot");
    if (n > 0 && (size_t)n < sizeof seq && write(STDOUT_FILENO, seq, (size_t)n) < 0) {
        /* a title is a courtesy: nothing to do when it cannot be set */
    }
}

void chat_notify_reply(struct chat_tui *ct)
{
    char title[128];
    if (ct->view.follow)
        return;
    ct->replies_away++;
    if (ct->notify & CHAT_NOTIFY_BELL)
        beep();
    if (ct->notify & CHAT_NOTIFY_TITLE) {
        snprintf(title, sizeof title, "servicebot: %d new repl%s", ct->replies_away,
                 ct->replies_away == 1 ? "y" : "ies");
        set_title(title);
        ct->title_set = true;
    }
}

void chat_notify_back(struct chat_tui *ct)
{
    if (!ct->view.follow)
        return;
    ct->replies_away = 0;
    if (ct->title_set) {
        set_title("");
        ct->title_set = false;
    }
}
