/* Lines in the chat pane: stamps, notes, errors and the messages still
 * waiting for their reply; see chat_tui.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/chat_tui.h"
#include "client/wrap.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xalloc.h"

void chat_tui_stamp(const char *iso, char *buf, size_t n)
{
    int64_t ms;
    time_t secs;
    struct tm tm;

    if (!iso || util_parse_timestamp(iso, &ms))
        ms = util_now_ms();
    secs = (time_t)(ms / 1000);
    localtime_r(&secs, &tm);
    strftime(buf, n, "%H:%M", &tm);
}

void chat_tui_date(struct chat_tui *ct, uint64_t seq, const char *iso)
{
    int64_t ms;
    time_t secs;
    struct tm tm;
    char label[48];

    if (!iso || util_parse_timestamp(iso, &ms))
        ms = util_now_ms();
    secs = (time_t)(ms / 1000);
    localtime_r(&secs, &tm);
    strftime(label, sizeof label, "%A %-d %B %Y", &tm);
    scrollback_set_date(ct->sb, seq, (tm.tm_year + 1900) * 400 + tm.tm_yday + 1, label);
}

uint64_t chat_tui_add(struct chat_tui *ct, enum scroll_kind kind, const char *stamp,
                      const char *text, json_object *block, scroll_block_fn render)
{
    char now[8];
    if (!stamp) {
        chat_tui_stamp(NULL, now, sizeof now);
        stamp = now;
    }
    uint64_t seq = scrollback_add(ct->sb, kind, stamp, text, block, render);
    chat_tui_date(ct, seq, NULL);
    if (!ct->view.follow) {
        ct->view.unseen++;
        /* the first entry added while scrolled back gets the "new" row */
        if (!scrollback_mark(ct->sb))
            scrollback_set_mark(ct->sb, seq);
    }
    ct->dirty_chat = ct->dirty_status = true;
    return seq;
}

void chat_tui_note(struct chat_tui *ct, const char *text)
{
    chat_tui_add(ct, SCROLL_SYSTEM, NULL, text, NULL, NULL);
}

void chat_tui_error(struct chat_tui *ct, const char *text)
{
    chat_tui_add(ct, SCROLL_ERROR, NULL, text, NULL, NULL);
}

void chat_tui_dirty_all(struct chat_tui *ct)
{
    ct->dirty_title = ct->dirty_chat = ct->dirty_panel = ct->dirty_status = true;
}

void chat_tui_toggle_panel(struct chat_tui *ct)
{
    if (!tui_panel_fits(ct->t)) {
        chat_tui_error(ct, "The device panel needs a terminal 80 columns wide or 16 rows high.");
        return;
    }
    tui_set_panel(ct->t, !tui_panel_shown(ct->t));
    chat_tui_dirty_all(ct);
    tui_input_redraw(ct->in);
}

void chat_tui_remember_pending(struct chat_tui *ct, const char *id, uint64_t seq)
{
    if (ct->n_pend == ct->cap_pend) {
        size_t cap = ct->cap_pend ? ct->cap_pend * 2 : 8;
        ct->pend = xrealloc(ct->pend, cap * sizeof *ct->pend);
        ct->cap_pend = cap;
    }
    snprintf(ct->pend[ct->n_pend].id, sizeof ct->pend[0].id, "%s", id);
    ct->pend[ct->n_pend++].seq = seq;
}

void chat_tui_settle_pending(struct chat_tui *ct, const char *id)
{
    for (size_t i = 0; i < ct->n_pend; i++) {
        if (strcmp(ct->pend[i].id, id))
            continue;
        scrollback_set_kind(ct->sb, ct->pend[i].seq, SCROLL_USER);
        ct->pend[i] = ct->pend[--ct->n_pend];
        ct->dirty_chat = true;
        return;
    }
}

void chat_tui_clear(struct chat_tui *ct)
{
    scrollback_clear(ct->sb);
    scrollback_view_end(&ct->view);
    ct->n_pend = 0;
    ct->older[0] = '\0';
    ct->loading_older = false;
    ct->generation++;
    ct->search[0] = '\0'; /* its matches are gone */
    tui_set_highlight(ct->t, NULL);
    ct->dirty_chat = ct->dirty_status = true;
}

static void push_line(struct render_lines *out, const char *left, int lw, const char *s, size_t n)
{
    int pad = lw - utf8_width(left);
    out->lines = xrealloc(out->lines, (out->n + 1) * sizeof *out->lines);
    out->lines[out->n++] = xasprintf("%s%*s  %.*s", left, pad > 0 ? pad : 0, "", (int)n, s);
}

int chat_tui_render_columns(json_object *rows, int width, struct render_lines *out)
{
    size_t n = json_object_is_type(rows, json_type_array) ? json_object_array_length(rows) : 0;
    int lw = 0;

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const char *l = json_object_get_string(
            json_object_array_get_idx(json_object_array_get_idx(rows, i), 0));
        int w = l ? utf8_width(l) : 0;
        lw = w > lw ? w : lw;
    }
    /* a narrow pane keeps at least half its width for the right column */
    if (lw > width / 2)
        lw = width / 2;
    for (size_t i = 0; i < n; i++) {
        json_object *row = json_object_array_get_idx(rows, i);
        const char *left = json_object_get_string(json_object_array_get_idx(row, 0));
        const char *right = json_object_get_string(json_object_array_get_idx(row, 1));
        bool first = true;
        size_t len, adv;

        if (!left || !right)
            continue;
        if (utf8_width(left) > lw) {
            /* too wide for the column: on a row of its own */
            push_line(out, left, 0, "", 0);
            first = false;
        }
        right += strspn(right, " ");
        do {
            adv = wrap_next(right, width - lw - 2, &len);
            push_line(out, first ? left : "", lw, right, len);
            first = false;
            right += adv;
        } while (adv && *right);
    }
    return 0;
}
