/* The full-screen chat's state, shared by its event loop (chat_tui.c) and
 * its slash commands (chat_cmds.c). Private to those two files. */
#ifndef SB_CHAT_TUI_H
#define SB_CHAT_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "client/chat.h"
#include "client/chat_session.h"
#include "client/scrollback.h"
#include "client/tui.h"
#include "client/tui_input.h"

struct chat_tui_pending {
    char id[64];
    uint64_t seq; /* its scrollback entry */
};

struct chat_tui {
    struct cli_ctx *cli;
    struct chat_session *s;
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
    char conn[128]; /* connection state for the title bar */
    int64_t retry_at_us;
    char matches[512];    /* completion matches on the status line */
    char last_error[640]; /* the last error shown, to show a repeat once */
    char older[128];      /* the history cursor for older messages; "" at the start */
    bool dirty_title, dirty_chat, dirty_panel, dirty_status;
    int64_t started_us;
    int64_t work_start_us; /* when the input being handled arrived */
    bool painted;
    bool timing; /* SERVICEBOT_TUI_TIMING: paint times go to the log */
};

/* Adds a line to the pane (a system note, an error, a message). */
uint64_t chat_tui_add(struct chat_tui *ct, enum scroll_kind kind, const char *stamp,
                      const char *text, json_object *block, scroll_block_fn render);
/* "HH:MM" local time for an ISO timestamp (NULL: now). */
void chat_tui_stamp(const char *iso, char *buf, size_t n);
enum chat_history_mode {
    CHAT_HISTORY_ABOVE,  /* the newest messages, above what the pane holds */
    CHAT_HISTORY_RELOAD, /* the newest messages, replacing the pane */
    CHAT_HISTORY_OLDER,  /* the page before the oldest loaded, above */
};
/* Loads up to limit messages of the conversation into the pane and
 * remembers where older ones start. Errors become a note in the pane. */
void chat_tui_load_history(struct chat_tui *ct, int limit, enum chat_history_mode mode);

/* Runs a line starting with '/'. */
void chat_cmd_run(struct chat_tui *ct, const char *line);
/* Slash command names for completion ("/help", ...). */
void chat_cmd_names(struct strlist *out);

#endif
