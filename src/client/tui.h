/* The chat screen: ncursesw windows for the title bar, the chat pane, the
 * device panel (right of the chat, or below it on narrow terminals), a
 * status line (new-message marker, completion matches, hints) and the input
 * line. It draws what it is given and keeps no chat state of its own.
 *
 * tui_open saves the terminal state and tui_close restores it; an atexit
 * hook and fatal-signal handlers restore it too if the program dies on the
 * way (see tui_term.c). */
#ifndef SB_TUI_H
#define SB_TUI_H

#include <json-c/json.h>
#include <stdbool.h>

#include "client/scrollback.h"
#include "common/err.h"

struct tui;

/* color: use colours (otherwise attributes only). */
int tui_open(bool color, struct tui **out, struct sb_err *err);
void tui_close(struct tui *t);

/* Recomputes the windows after a resize or a panel toggle. */
void tui_layout(struct tui *t);
/* Lays out again and repaints the whole terminal at the next flush
 * (Ctrl-L: the screen was disturbed by something else). */
void tui_force_repaint(struct tui *t);
void tui_set_panel(struct tui *t, bool shown);
/* Hands the terminal to another program (an editor) and takes it back. */
void tui_suspend(struct tui *t);
void tui_resume(struct tui *t);
bool tui_panel_shown(const struct tui *t);
/* Mouse reports on (the wheel scrolls) or off (the terminal selects text). */
void tui_set_mouse(struct tui *t, bool on);
bool tui_mouse(const struct tui *t);
/* The chat pane's size, for scrolling. */
int tui_chat_height(const struct tui *t);
int tui_chat_width(const struct tui *t);

/* The title bar: left (who), then at the right detail and state; on a
 * narrow terminal the detail is dropped and the left cut, never the state. */
void tui_draw_title(struct tui *t, const char *left, const char *detail, const char *state,
                    bool alert);
void tui_draw_chat(struct tui *t, struct scrollback *sb, struct scroll_view *v);
/* Text the chat pane shows reversed wherever it occurs (NULL or "": none). */
void tui_set_highlight(struct tui *t, const char *text);
/* devices: a JSON array of device records (may be NULL). */
void tui_draw_panel(struct tui *t, json_object *devices);
/* Scrolls the device panel by delta devices (it shows which are above and
 * below); stops once the last device is in view. */
void tui_scroll_panel(struct tui *t, int delta);
/* Whether the terminal has room for the panel (F2 can show it). */
bool tui_panel_fits(const struct tui *t);
/* Whether the cell at x, y (0-based) is in the device panel. */
bool tui_in_panel(const struct tui *t, int x, int y);
/* The status line: text drawn plain, or highlighted when marker is set. */
void tui_draw_status(struct tui *t, const char *text, bool marker);
/* The input area: prompt, the line and the cursor's byte offset in it; one
 * row per line of the message (up to five, the cursor's in view). Returns
 * true when the area changed height, so that everything must be redrawn. */
bool tui_draw_input(struct tui *t, const char *prompt, const char *line, int point);
/* The next byte typed (raw: keypad off), KEY_RESIZE after a resize, or
 * ERR when nothing is waiting. */
int tui_read_key(struct tui *t);
/* Everything drawn since the last flush reaches the terminal at once. */
void tui_flush(struct tui *t);

#endif
