/* The full-screen chat's state, shared by the files that make it up. Private
 * to them; the layers, each using only those below it:
 *   chat_tui.c      the event loop: frames, keys, signals, repaint
 *   chat_cmds.c     the slash commands (one table drives /help and completion)
 *   chat_edit.c     /edit: the message in $VISUAL or $EDITOR
 *   chat_search.c   /search and Ctrl-F in the pane
 *   chat_notify.c   device changes made elsewhere; bell and title
 *   chat_history.c  which conversation to continue; its messages, fetched
 *                   off the loop (chat_fetch.h)
 *   chat_pane.c     adding lines to the pane, stamps, dates, pending messages */
#ifndef SB_CHAT_TUI_H
#define SB_CHAT_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "client/chat.h"
#include "client/chat_fetch.h"
#include "client/chat_session.h"
#include "client/scrollback.h"
#include "client/tui.h"
#include "client/tui_input.h"

struct chat_tui_pending {
    char id[64];
    uint64_t seq; /* its scrollback entry */
};

enum {
    CHAT_NOTIFY_BELL = 1 << 0,
    CHAT_NOTIFY_TITLE = 1 << 1,
};
#define CHAT_OWN_MAX 32

struct chat_tui {
    struct cli_ctx *cli;
    const struct chat_args *args;
    struct chat_session *s;
    struct chat_fetch *fetch;
    struct tui *t;
    struct tui_input *in;
    struct scrollback *sb;
    struct scroll_view view;
    struct chat_tui_pending *pend;
    size_t n_pend, cap_pend;
    int sig_fd; /* read end of the signal self-pipe */
    bool quit;
    int rc;
    bool greeted_once;
    bool outage; /* a lost connection was reported and not yet restored */
    bool refused;
    bool settled;   /* the conversation to continue is known (chat_history.c) */
    char fresh[64]; /* the new conversation the first welcome offered */
    char conn[128]; /* connection state for the title bar */
    int64_t retry_at_us;
    char matches[512];            /* completion matches on the status line */
    char last_error[640];         /* the last error shown, to show a repeat once */
    char older[128];              /* the history cursor for older messages; "" at the start */
    bool loading_older;           /* a page of older messages is on its way */
    json_object *catalogue;       /* GET /api/capabilities, for the names of actions */
    struct strlist conversations; /* the ids /conversations listed, in its order */
    struct {
        char id[MODEL_ID_MAX];
        char at[32];
    } own[CHAT_OWN_MAX]; /* device versions our replies made (chat_notify.c) */
    size_t n_own;
    unsigned notify;  /* CHAT_NOTIFY_*: what a reply does while scrolled away */
    int replies_away; /* replies since the reader scrolled away */
    bool title_set;
    char search[128];        /* the search under way (chat_search.c), "" for none */
    char search_status[300]; /* its status line */
    uint64_t search_seq;     /* the entry of the current match */
    unsigned generation;     /* bumped when the pane starts over: late answers are dropped */
    bool dirty_title, dirty_chat, dirty_panel, dirty_status;
    int64_t started_us;
    int64_t work_start_us; /* when the input being handled arrived */
    bool painted;
    bool timing; /* SERVICEBOT_TUI_TIMING: paint times go to the log */
};

/* chat_pane.c */
/* Adds a line to the pane (a system note, an error, a message). */
uint64_t chat_tui_add(struct chat_tui *ct, enum scroll_kind kind, const char *stamp,
                      const char *text, json_object *block, scroll_block_fn render);
void chat_tui_note(struct chat_tui *ct, const char *text);
void chat_tui_error(struct chat_tui *ct, const char *text);
/* Dates entry seq by the local day of an ISO timestamp (NULL: now), for the
 * date rows between days. */
void chat_tui_date(struct chat_tui *ct, uint64_t seq, const char *iso);
/* "HH:MM" local time for an ISO timestamp (NULL: now). */
void chat_tui_stamp(const char *iso, char *buf, size_t n);
void chat_tui_dirty_all(struct chat_tui *ct);
/* F2 and /devices: shows or hides the device panel, or says why it cannot. */
void chat_tui_toggle_panel(struct chat_tui *ct);
/* A typed message drawn as pending until its reply settles it. */
void chat_tui_remember_pending(struct chat_tui *ct, const char *id, uint64_t seq);
void chat_tui_settle_pending(struct chat_tui *ct, const char *id);
/* A block of two aligned columns under a note: rows is an array of
 * [left, right] strings; the right column wraps with a hanging indent. */
int chat_tui_render_columns(json_object *rows, int width, struct render_lines *out);
/* Empties the pane; answers to requests made before are then dropped. */
void chat_tui_clear(struct chat_tui *ct);

/* chat_history.c */
enum chat_history_mode {
    CHAT_HISTORY_RELOAD, /* the newest messages, replacing the pane */
    CHAT_HISTORY_OLDER,  /* the page before the oldest loaded, above */
};
/* After the first welcome: settles the conversation (--conversation checked
 * to exist, else the most recent one, else the new one the welcome offered),
 * loads its newest messages above the pane and releases held messages. */
void chat_history_start(struct chat_tui *ct);
/* Asks for up to limit messages of the conversation. */
void chat_history_load(struct chat_tui *ct, int limit, enum chat_history_mode mode);
/* /conversations: the customer's recent conversations, numbered. */
void chat_history_list(struct chat_tui *ct);
/* Continues conversation conv (checked to exist) in an emptied pane. */
void chat_history_switch(struct chat_tui *ct, const char *conv);
/* /new: a new conversation in an emptied pane. */
void chat_history_new(struct chat_tui *ct);

/* chat_notify.c */
/* "off", "bell", "title" or "both" to a CHAT_NOTIFY_* mask; -1 when unknown. */
int chat_notify_parse(const char *name, unsigned *mask);
const char *chat_notify_name(unsigned mask);
/* Remembers the device versions a reply of ours made. */
void chat_notify_own_reply(struct chat_tui *ct, json_object *frame);
/* A device push: a line in the pane unless our own reply made the change. */
void chat_notify_device(struct chat_tui *ct, json_object *dev, json_object *previous, bool removed);
/* A reply arrived: bell and/or title when the reader is scrolled away. */
void chat_notify_reply(struct chat_tui *ct);
/* After a repaint: back at the newest, the title is put back. */
void chat_notify_back(struct chat_tui *ct);

/* chat_search.c */
void chat_search_start(struct chat_tui *ct, const char *text);
void chat_search_end(struct chat_tui *ct);
/* n, N or Esc on an empty line while a search is on: true when taken. */
bool chat_search_key(struct chat_tui *ct, int c);

/* chat_edit.c: /edit [TEXT] opens $VISUAL/$EDITOR on TEXT; the result
 * becomes the input line. */
void chat_edit(struct chat_tui *ct, const char *initial);

/* chat_cmds.c */
/* Runs a line starting with '/'. */
void chat_cmd_run(struct chat_tui *ct, const char *line);
/* Slash command names for completion ("/help", ...). */
void chat_cmd_names(struct strlist *out);

#endif
