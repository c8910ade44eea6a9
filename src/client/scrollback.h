/* The chat pane's history: a ring of entries, each remembering how it
 * wrapped at the last width it was drawn at, and a view (where the reader is
 * scrolled to) expressed as an entry and a row inside it. Drawing the
 * visible part therefore wraps only the entries on screen, whatever the
 * length of the history; a resize re-wraps lazily, entry by entry.
 *
 * No curses here: the TUI asks for rows and draws them.
 *
 * Ownership: the scrollback copies text and takes a reference on blocks;
 * rows returned point into entries and stay valid until the next change to
 * the scrollback or a request at another width. */
#ifndef SB_SCROLLBACK_H
#define SB_SCROLLBACK_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/render.h"

enum scroll_kind {
    SCROLL_USER,    /* what the customer typed (delivered) */
    SCROLL_PENDING, /* typed, not answered yet */
    SCROLL_BOT,
    SCROLL_SYSTEM, /* status lines: connected, help, ... */
    SCROLL_ERROR,
};

enum scroll_part {
    SCROLL_ROW_FIRST, /* the entry's first text row: draw the stamp and speaker */
    SCROLL_ROW_TEXT,  /* a continuation row */
    SCROLL_ROW_BLOCK_HEAD,
    SCROLL_ROW_BLOCK,
    SCROLL_ROW_DATE, /* above the first entry of a day: its date */
    SCROLL_ROW_MARK, /* above the first entry the reader had not seen */
};

struct scroll_row {
    const char *s; /* not NUL-terminated */
    int len;       /* bytes */
    enum scroll_part part;
    bool lead; /* the entry's first row: draw the stamp and speaker */
};

/* A renderer for the block under an entry (render_denial, render_limit). */
typedef int (*scroll_block_fn)(json_object *block, int width, struct render_lines *out);

struct scrollback;

/* The view: follow the newest rows, or stay at (top_seq, top_row). */
struct scroll_view {
    bool follow;
    uint64_t top_seq;
    int top_row;
    int unseen; /* entries added below while not following */
};

/* The width of the stamp-and-speaker column every row is indented by. */
#define SCROLL_PREFIX_COLS 11

struct scrollback *scrollback_new(size_t capacity);
void scrollback_free(struct scrollback *sb);
void scrollback_clear(struct scrollback *sb);

/* Adds an entry at the bottom (the oldest is dropped when full). stamp is
 * "HH:MM" or NULL for none; block may be NULL. Returns its sequence number
 * (increasing, never reused, never 0). */
uint64_t scrollback_add(struct scrollback *sb, enum scroll_kind kind, const char *stamp,
                        const char *text, json_object *block, scroll_block_fn render);
/* Inserts an older entry above all others (loading history); 0 when full. */
uint64_t scrollback_prepend(struct scrollback *sb, enum scroll_kind kind, const char *stamp,
                            const char *text, json_object *block, scroll_block_fn render);
/* Dates the entry: day is any number that differs between days (0: none),
 * label what the row above the first entry of a day shows. */
bool scrollback_set_date(struct scrollback *sb, uint64_t seq, int day, const char *label);
/* The "new messages" row goes above entry seq (0: nowhere). */
void scrollback_set_mark(struct scrollback *sb, uint64_t seq);
uint64_t scrollback_mark(const struct scrollback *sb);
/* Changes an entry's kind (pending -> user); false when it is gone. */
bool scrollback_set_kind(struct scrollback *sb, uint64_t seq, enum scroll_kind kind);
enum scroll_kind scrollback_kind(const struct scrollback *sb, uint64_t seq);
const char *scrollback_stamp(const struct scrollback *sb, uint64_t seq);
size_t scrollback_count(const struct scrollback *sb);
/* The entry's text ("" when seq is gone). */
const char *scrollback_text(const struct scrollback *sb, uint64_t seq);
/* The oldest sequence number. */
uint64_t scrollback_first(const struct scrollback *sb);

/* Rows of entry seq at this pane width (wrapped and cached on first use).
 * Returns the row count (0 when seq is gone) and sets *rows. */
int scrollback_rows(struct scrollback *sb, uint64_t seq, int width, const struct scroll_row **rows);

/* View movement; height and width are the pane's. */
void scrollback_view_end(struct scroll_view *v);
void scrollback_view_home(struct scrollback *sb, struct scroll_view *v);
void scrollback_view_scroll(struct scrollback *sb, struct scroll_view *v, int delta, int height,
                            int width);
/* Puts entry seq at the top of the view (or follows, when all from it to
 * the end fits). */
void scrollback_view_show(struct scrollback *sb, struct scroll_view *v, uint64_t seq, int height,
                          int width);
/* Whether the view shows the oldest entry's first row (the top of what is
 * loaded). */
bool scrollback_at_top(struct scrollback *sb, const struct scroll_view *v, int height, int width);
/* Fixes the view's top for following mode and calls row_fn for each visible
 * row, top to bottom (at most height calls). Returns the number of rows. */
int scrollback_visible(struct scrollback *sb, struct scroll_view *v, int height, int width,
                       void (*row_fn)(void *ud, int y, uint64_t seq, const struct scroll_row *r),
                       void *ud);

/* Wraps text to width columns at word boundaries (wide characters counted
 * with wcwidth, hard newlines kept): calls fn for each row. Exposed for
 * tests; returns the row count. */
int scrollback_wrap(const char *text, int width, void (*fn)(void *ud, const char *s, int len),
                    void *ud);

#endif
