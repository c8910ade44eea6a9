/* Keyboard input for the chat screen: GNU readline through its callback
 * interface (it edits and keeps history but never draws), plus a decoder
 * for the keys readline must not see: PgUp/PgDn/Home/End, F2, Ctrl-L, SGR mouse
 * wheel reports, and bracketed paste (a paste becomes text in the line,
 * newlines kept, never one message per pasted line; a paste longer than a
 * message keeps its start and says so).
 *
 * readline's callbacks carry no user pointer, so one tui_input may exist at
 * a time. Strings passed to the events are borrowed for the call. */
#ifndef SB_TUI_INPUT_H
#define SB_TUI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "common/model.h"

enum tui_key {
    TUI_KEY_PGUP,
    TUI_KEY_PGDN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_F2,
    TUI_KEY_WHEEL_UP,
    TUI_KEY_WHEEL_DOWN,
    TUI_KEY_REDRAW,     /* Ctrl-L */
    TUI_KEY_SEARCH,     /* Ctrl-F */
    TUI_KEY_PANEL_UP,   /* Alt-PgUp: scroll the device panel */
    TUI_KEY_PANEL_DOWN, /* Alt-PgDn */
};

struct tui_input_events {
    /* A finished line, or NULL for Ctrl-D on an empty line. */
    void (*line)(void *ud, const char *line);
    void (*key)(void *ud, enum tui_key key);
    /* The mouse wheel at cell x, y (0-based); without this hook the wheel
     * arrives as TUI_KEY_WHEEL_UP/DOWN. */
    void (*wheel)(void *ud, bool up, int x, int y);
    /* Draw the input line: prompt, text and the cursor's byte offset. */
    void (*draw)(void *ud, const char *prompt, const char *line, int point);
    /* Show completion matches (n == 0: hide them). */
    void (*matches)(void *ud, char **matches, int n);
    /* Every completion candidate for a word at the start of the line
     * (slash commands) or elsewhere (device names, rooms). */
    void (*candidates)(void *ud, bool line_start, struct strlist *out);
    /* A key typed on an empty line (Esc as 27): return true to take it
     * (n/N step through search matches) instead of readline. */
    bool (*empty_line_key)(void *ud, int c);
    /* Something the user must be told (a paste cut to fit a message). */
    void (*notice)(void *ud, const char *text);
};

struct tui_input;

/* history_path may be NULL (no persistent history). */
int tui_input_new(const struct tui_input_events *ev, void *ud, const char *history_path,
                  struct tui_input **out, struct sb_err *err);
/* Saves the history and removes the readline handler. */
void tui_input_free(struct tui_input *in);

/* One byte from the terminal. */
void tui_input_byte(struct tui_input *in, int c);
/* No more bytes are waiting: a lone ESC is passed on to readline. */
void tui_input_idle(struct tui_input *in);
/* Redraws the line (after a resize). */
void tui_input_redraw(struct tui_input *in);
/* Replaces the line being edited with text, the cursor at its end. */
void tui_input_set_line(struct tui_input *in, const char *text);

/* The history file: $XDG_STATE_HOME/servicebot/NAME, else
 * ~/.local/state/servicebot/NAME; directories are created. 0 or -1. */
int tui_state_path(const char *name, char *buf, size_t n);

#endif
