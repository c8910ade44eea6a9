/* Search in the chat pane (what is loaded of the conversation): /search
 * TEXT or Ctrl-F starts one at the newest match, n and N (on an empty input
 * line) move to the next older and newer match, Esc ends it. Matches are
 * drawn reversed; case is ignored. */
#include <stdio.h>
#include <string.h>

#include "client/chat_tui.h"

static bool matches(struct chat_tui *ct, uint64_t seq)
{
    return strcasestr(scrollback_text(ct->sb, seq), ct->search) != NULL;
}

/* The nearest match from seq (included) going dir (-1 older, +1 newer); 0 when none. */
static uint64_t find(struct chat_tui *ct, uint64_t seq, int dir)
{
    uint64_t first = scrollback_first(ct->sb), end = first + scrollback_count(ct->sb);
    for (; seq >= first && seq < end; seq += (uint64_t)(int64_t)dir)
        if (matches(ct, seq))
            return seq;
    return 0;
}

/* "3 of 12": where the current match is, counted from the newest. */
static void position(struct chat_tui *ct, int *index, int *total)
{
    uint64_t first = scrollback_first(ct->sb), end = first + scrollback_count(ct->sb);
    *index = *total = 0;
    for (uint64_t s = end; s-- > first;) {
        if (!matches(ct, s))
            continue;
        ++*total;
        if (s >= ct->search_seq)
            *index = *total;
    }
}

static void show(struct chat_tui *ct)
{
    int index, total;
    scrollback_view_show(ct->sb, &ct->view, ct->search_seq, tui_chat_height(ct->t),
                         tui_chat_width(ct->t));
    position(ct, &index, &total);
    snprintf(ct->search_status, sizeof ct->search_status,
             "search \"%s\": %d of %d \xc2\xb7 n older \xc2\xb7 N newer \xc2\xb7 Esc ends",
             ct->search, index, total);
    ct->dirty_chat = ct->dirty_status = true;
}

void chat_search_start(struct chat_tui *ct, const char *text)
{
    uint64_t seq;
    char line[300];

    if (!*text) {
        chat_tui_error(ct, "usage: /search TEXT (or Ctrl-F)");
        return;
    }
    snprintf(ct->search, sizeof ct->search, "%s", text);
    seq = find(ct, scrollback_first(ct->sb) + scrollback_count(ct->sb) - 1, -1);
    if (!seq) {
        snprintf(line, sizeof line, "No match for \"%s\" in the %zu lines loaded.", ct->search,
                 scrollback_count(ct->sb));
        chat_search_end(ct);
        chat_tui_error(ct, line);
        return;
    }
    ct->search_seq = seq;
    tui_set_highlight(ct->t, ct->search);
    show(ct);
}

void chat_search_end(struct chat_tui *ct)
{
    ct->search[0] = ct->search_status[0] = '\0';
    ct->search_seq = 0;
    tui_set_highlight(ct->t, NULL);
    ct->dirty_chat = ct->dirty_status = true;
}

bool chat_search_key(struct chat_tui *ct, int c)
{
    uint64_t seq;

    if (!ct->search[0] || (c != 'n' && c != 'N' && c != '\033'))
        return false;
    if (c == '\033') {
        chat_search_end(ct);
        return true;
    }
    seq = find(ct, ct->search_seq + (uint64_t)(int64_t)(c == 'n' ? -1 : 1), c == 'n' ? -1 : 1);
    if (seq)
        ct->search_seq = seq;
    else
        snprintf(ct->search_status, sizeof ct->search_status,
                 "search \"%s\": no %s match \xc2\xb7 %s \xc2\xb7 Esc ends", ct->search,
                 c == 'n' ? "older" : "newer", c == 'n' ? "N newer" : "n older");
    if (seq)
        show(ct);
    ct->dirty_status = true;
    return true;
}
