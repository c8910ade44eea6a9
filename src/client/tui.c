/* ncursesw layout and drawing for the chat; see tui.h. */
#include "client/tui.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "client/wrap.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

#define TUI_MIN_COLS             40
#define TUI_MIN_ROWS             10
#define TUI_PANEL_SIDE_MIN_COLS  80 /* narrower: the panel goes below the chat */
#define TUI_PANEL_COLS           30
#define TUI_PANEL_BELOW_MIN_ROWS 16
#define TUI_INPUT_MAX_ROWS       5 /* a longer message scrolls in its rows */
/* Rules as UTF-8 text: the ACS line set is not drawn by every terminal. */
#define RULE_V "\xe2\x94\x82"
#define RULE_H "\xe2\x94\x80"

/* Bracketed paste and SGR mouse reports on; the exit sequence turns them off. */
static const char term_modes_on[] = "\033[?2004h\033[?1000h\033[?1006h";
static const char term_modes_off[] = "\033[?1006l\033[?1000l\033[?2004l";
static const char mouse_on[] = "\033[?1000h\033[?1006h";
static const char mouse_off[] = "\033[?1006l\033[?1000l";

enum {
    PAIR_USER = 1,
    PAIR_BOT,
    PAIR_SYSTEM,
    PAIR_ERROR,
    PAIR_BLOCK,
    PAIR_TITLE,
    PAIR_ALERT,
    PAIR_ON
};

struct tui {
    bool color;
    bool mouse_off;      /* /mouse off: the terminal's own selection works */
    char highlight[128]; /* drawn reversed in the chat pane (search matches) */
    int input_rows;      /* the input area's height: one row per line of the message */
    bool panel;
    int panel_first;     /* the first device shown: the panel scrolls */
    int panel_last_more; /* devices below the last one drawn */
    bool panel_below;
    bool small;
    WINDOW *title, *chat, *side, *status, *input;
};

/* The terminal as it was before curses, for the fatal-signal path, which
 * can only use async-signal-safe calls (hence file scope). */
static struct termios tui_saved_tty;
static volatile sig_atomic_t tui_active;

static void tui_restore_raw(void)
{
    if (!tui_active)
        return;
    tui_active = 0;
    /* leave the alternate screen, show the cursor, modes off, cooked tty */
    static const char seq[] = "\033[?1006l\033[?1000l\033[?2004l\033[?25h\033[?1049l\r\n";
    if (write(STDOUT_FILENO, seq, sizeof seq - 1) < 0) {
        /* nothing more can be done on this path */
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_tty);
}

static void tui_fatal_signal(int sig)
{
    tui_restore_raw();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void tui_atexit(void)
{
    if (tui_active) {
        endwin();
        tui_restore_raw();
    }
}

static void install_fatal_handlers(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tui_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void init_colors(struct tui *t)
{
    if (!t->color || !has_colors()) {
        t->color = false;
        return;
    }
    start_color();
    use_default_colors();
    init_pair(PAIR_USER, COLOR_CYAN, -1);
    init_pair(PAIR_BOT, COLOR_GREEN, -1);
    init_pair(PAIR_SYSTEM, COLOR_BLUE, -1);
    init_pair(PAIR_ERROR, COLOR_RED, -1);
    init_pair(PAIR_BLOCK, COLOR_YELLOW, -1);
    init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(PAIR_ALERT, COLOR_WHITE, COLOR_RED);
    init_pair(PAIR_ON, COLOR_GREEN, -1);
}

static attr_t pair_attr(const struct tui *t, int pair, attr_t fallback)
{
    return t->color ? (attr_t)COLOR_PAIR(pair) : fallback;
}

int tui_open(bool color, struct tui **out, struct sb_err *err)
{
    struct tui *t = xcalloc(1, sizeof *t);

    *out = NULL;
    if (tcgetattr(STDIN_FILENO, &tui_saved_tty) != 0) {
        free(t);
        return sb_err_set(err, SB_EINVAL, "stdin is not a terminal");
    }
    setlocale(LC_ALL, "");
    /* keys arrive raw (keypad off), so ESC needs no delay */
    setenv("ESCDELAY", "25", 0);
    if (!initscr()) {
        free(t);
        return sb_err_set(err, SB_EINTERNAL, "cannot initialise the terminal");
    }
    tui_active = 1;
    atexit(tui_atexit);
    install_fatal_handlers();
    cbreak();
    noecho();
    nonl();
    intrflush(NULL, FALSE);
    t->color = color;
    t->panel = true;
    t->input_rows = 1;
    init_colors(t);
    if (write(STDOUT_FILENO, term_modes_on, sizeof term_modes_on - 1) < 0) {
        /* the modes are conveniences; the chat works without them */
    }
    tui_layout(t);
    *out = t;
    return SB_OK;
}

static void del_windows(struct tui *t)
{
    WINDOW **w[] = {&t->title, &t->chat, &t->side, &t->status, &t->input};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        if (*w[i])
            delwin(*w[i]);
        *w[i] = NULL;
    }
}

void tui_close(struct tui *t)
{
    if (!t)
        return;
    if (write(STDOUT_FILENO, term_modes_off, sizeof term_modes_off - 1) < 0) {
        /* the terminal is going away anyway */
    }
    del_windows(t);
    endwin();
    tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_tty);
    tui_active = 0;
    free(t);
}

/* The input window reads raw bytes without blocking: keypad off. */
static WINDOW *new_input(int y, int rows, int cols)
{
    WINDOW *w = newwin(rows, cols, y, 0);
    if (w) {
        keypad(w, FALSE);
        nodelay(w, TRUE);
    }
    return w;
}

void tui_layout(struct tui *t)
{
    int rows = LINES, cols = COLS, chat_rows, chat_cols = cols, side_rows = 0, side_cols = 0;

    del_windows(t);
    erase();
    t->small = cols < TUI_MIN_COLS || rows < TUI_MIN_ROWS;
    if (t->small) {
        /* wrapped to the width, so that the whole of it shows */
        char msg[160];
        size_t len, adv;
        int y, n = 0;
        snprintf(msg, sizeof msg, "Terminal too small: %dx%d. The chat needs at least %dx%d.", cols,
                 rows, TUI_MIN_COLS, TUI_MIN_ROWS);
        for (const char *q = msg; (adv = wrap_next(q, cols, &len)) > 0; q += adv)
            n++;
        y = rows > n ? (rows - n) / 2 : 0;
        for (const char *q = msg; (adv = wrap_next(q, cols, &len)) > 0 && y < rows; q += adv)
            mvaddnstr(y++, 0, q + strspn(q, " "), (int)len);
        wnoutrefresh(stdscr);
        t->input = new_input(rows - 1 > 0 ? rows - 1 : 0, 1, cols > 0 ? cols : 1);
        return;
    }
    wnoutrefresh(stdscr);
    chat_rows = rows - 2 - t->input_rows; /* title, status, input */
    t->panel_below = cols < TUI_PANEL_SIDE_MIN_COLS;
    if (t->panel && !t->panel_below) {
        side_cols = TUI_PANEL_COLS;
        chat_cols = cols - side_cols - 1;
        side_rows = chat_rows;
    } else if (t->panel && rows >= TUI_PANEL_BELOW_MIN_ROWS) {
        side_rows = chat_rows / 3;
        side_cols = cols;
        chat_rows -= side_rows;
    }
    t->title = newwin(1, cols, 0, 0);
    t->chat = newwin(chat_rows, chat_cols, 1, 0);
    if (side_rows > 0)
        t->side = t->panel_below ? newwin(side_rows, side_cols, 1 + chat_rows, 0)
                                 : newwin(side_rows, side_cols, 1, chat_cols + 1);
    t->status = newwin(1, cols, rows - 1 - t->input_rows, 0);
    t->input = new_input(rows - t->input_rows, t->input_rows, cols);
    if (t->side && !t->panel_below) {
        /* the vertical rule between chat and panel */
        for (int y = 1; y <= chat_rows; y++)
            mvaddstr(y, chat_cols, RULE_V);
        wnoutrefresh(stdscr);
    }
}

void tui_suspend(struct tui *t)
{
    if (write(STDOUT_FILENO, term_modes_off, sizeof term_modes_off - 1) < 0) {
        /* the other program copes without */
    }
    def_prog_mode();
    endwin();
}

void tui_resume(struct tui *t)
{
    reset_prog_mode();
    if (write(STDOUT_FILENO, term_modes_on, sizeof term_modes_on - 1) < 0) {
        /* the modes are conveniences */
    }
    if (t->mouse_off)
        tui_set_mouse(t, false);
    tui_force_repaint(t);
}

void tui_force_repaint(struct tui *t)
{
    tui_layout(t);
    clearok(curscr, TRUE);
}

void tui_set_panel(struct tui *t, bool shown)
{
    t->panel = shown;
    tui_layout(t);
}

void tui_set_mouse(struct tui *t, bool on)
{
    const char *seq = on ? mouse_on : mouse_off;
    t->mouse_off = !on;
    if (write(STDOUT_FILENO, seq, strlen(seq)) < 0) {
        /* the terminal's own selection is a convenience */
    }
}

bool tui_mouse(const struct tui *t)
{
    return !t->mouse_off;
}

bool tui_panel_shown(const struct tui *t)
{
    return t->panel;
}

int tui_chat_height(const struct tui *t)
{
    return t->chat ? getmaxy(t->chat) : 0;
}

int tui_chat_width(const struct tui *t)
{
    return t->chat ? getmaxx(t->chat) : 0;
}

/* Decodes the character at s (len bytes left): its byte length, the
 * character to draw (a bad byte shows as '?', a pasted newline as a return
 * symbol, a control character as a space: the panel and title show server
 * text) and its columns. */
static int next_char(const char *s, int len, wchar_t *wc, int *cols)
{
    mbstate_t st;
    size_t n;
    memset(&st, 0, sizeof st);
    n = mbrtowc(wc, s, (size_t)len, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        n = 1;
        *wc = L'?';
    }
    if (*wc == L'\n')
        *wc = L'\x23ce';
    else if (*wc < 0x20 || (*wc >= 0x7f && *wc < 0xa0))
        *wc = L' '; /* C0, DEL and C1 controls are never sent on (see termsafe.h) */
    *cols = wcwidth(*wc);
    if (*cols < 0)
        *cols = 1;
    return (int)n;
}

/* Display columns of s[0..len). */
static int cols_of(const char *s, int len)
{
    int cols = 0, w;
    wchar_t wc;
    for (int i = 0; i < len;) {
        i += next_char(s + i, len - i, &wc, &w);
        cols += w;
    }
    return cols;
}

/* Writes at most max columns of s[0..len) (whole characters only). */
static void put_clipped(WINDOW *w, const char *s, int len, int max)
{
    int cols = 0, i = 0;
    while (i < len) {
        wchar_t wc;
        int cw, n = next_char(s + i, len - i, &wc, &cw);
        if (cols + cw > max)
            break;
        if (wc == L'\x23ce' || wc == L'?' || wc == L' ')
            waddnwstr(w, &wc, 1); /* what is drawn differs from the bytes */
        else
            waddnstr(w, s + i, (int)n);
        cols += cw;
        i += (int)n;
    }
}

void tui_draw_title(struct tui *t, const char *left, const char *detail, const char *state,
                    bool alert)
{
    char right[512];
    int cols, rlen, room;
    if (t->small || !t->title)
        return;
    cols = getmaxx(t->title);
    /* the state matters most: the detail goes first, then the left is cut */
    snprintf(right, sizeof right, "%s \xc2\xb7 %s", detail, state);
    rlen = cols_of(right, (int)strlen(right));
    if (rlen + 3 + cols_of(left, (int)strlen(left)) > cols) {
        snprintf(right, sizeof right, "%s", state);
        rlen = cols_of(right, (int)strlen(right));
    }
    room = cols - rlen - 3;
    wbkgdset(t->title, ' ' | pair_attr(t, alert ? PAIR_ALERT : PAIR_TITLE, A_REVERSE));
    werase(t->title);
    wattrset(t->title, A_BOLD);
    wmove(t->title, 0, 1);
    put_clipped(t->title, left, (int)strlen(left), room > 0 ? room : 0);
    wattrset(t->title, A_NORMAL);
    wmove(t->title, 0, cols - rlen - 1 > 0 ? cols - rlen - 1 : 0);
    put_clipped(t->title, right, (int)strlen(right), cols - 1);
    wnoutrefresh(t->title);
}

/* put_clipped, with every occurrence of mark (ASCII case ignored) drawn
 * reversed: the matches of a search. */
static void put_marked(WINDOW *w, const char *mark, const char *s, int len, int max)
{
    int mlen = (int)strlen(mark), start = getcurx(w);
    attr_t attrs;
    short pair;

    wattr_get(w, &attrs, &pair, NULL);
    for (int i = 0; mlen && i + mlen <= len;) {
        if (strncasecmp(s + i, mark, (size_t)mlen)) {
            i++;
            continue;
        }
        put_clipped(w, s, i, max - (getcurx(w) - start));
        wattr_set(w, attrs | A_REVERSE | A_BOLD, pair, NULL);
        put_clipped(w, s + i, mlen, max - (getcurx(w) - start));
        wattr_set(w, attrs, pair, NULL);
        s += i + mlen;
        len -= i + mlen;
        i = 0;
    }
    put_clipped(w, s, len, max - (getcurx(w) - start));
}

void tui_set_highlight(struct tui *t, const char *text)
{
    snprintf(t->highlight, sizeof t->highlight, "%s", text ? text : "");
}

struct chat_draw {
    struct tui *t;
    struct scrollback *sb;
    int width;
};

static const struct {
    const char *label;
    int pair;
    attr_t fallback;
} kind_style[] = {
    [SCROLL_USER] = {"you", PAIR_USER, A_BOLD}, [SCROLL_PENDING] = {"you", PAIR_USER, A_DIM},
    [SCROLL_BOT] = {"bot", PAIR_BOT, A_BOLD},   [SCROLL_SYSTEM] = {"*", PAIR_SYSTEM, A_DIM},
    [SCROLL_ERROR] = {"!", PAIR_ERROR, A_BOLD},
};

/* A date between days, or the "new messages" mark: text centred in a rule. */
static void draw_rule_row(struct chat_draw *d, int y, const struct scroll_row *r)
{
    WINDOW *w = d->t->chat;
    bool mark = r->part == SCROLL_ROW_MARK;
    int tw = cols_of(r->s, r->len) + 2, left = (d->width - tw) / 2;

    wattrset(w, mark ? pair_attr(d->t, PAIR_ERROR, A_BOLD) : A_DIM);
    for (int x = 0; x < d->width; x++)
        mvwaddstr(w, y, x, RULE_H);
    if (left < 0)
        left = 0;
    mvwaddstr(w, y, left, " ");
    put_clipped(w, r->s, r->len, d->width - left - 2);
    waddstr(w, " ");
    wattrset(w, A_NORMAL);
}

static void draw_row(void *ud, int y, uint64_t seq, const struct scroll_row *r)
{
    struct chat_draw *d = ud;
    WINDOW *w = d->t->chat;
    enum scroll_kind kind = scrollback_kind(d->sb, seq);
    attr_t style = pair_attr(d->t, kind_style[kind].pair, kind_style[kind].fallback);
    int text_cols = d->width - SCROLL_PREFIX_COLS;

    wmove(w, y, 0);
    if (r->part == SCROLL_ROW_DATE || r->part == SCROLL_ROW_MARK) {
        draw_rule_row(d, y, r);
        return;
    }
    if (r->lead) {
        wattrset(w, A_DIM);
        wprintw(w, "%-5.5s ", scrollback_stamp(d->sb, seq));
        wattrset(w, style | A_BOLD);
        wprintw(w, "%4.4s ", kind_style[kind].label);
    } else {
        wmove(w, y, SCROLL_PREFIX_COLS);
    }
    if ((r->part == SCROLL_ROW_BLOCK_HEAD || r->part == SCROLL_ROW_BLOCK) &&
        kind == SCROLL_SYSTEM) {
        /* a table under a note (/help, /levels): plain text, no bar */
        put_clipped(w, r->s, r->len, text_cols);
    } else if (r->part == SCROLL_ROW_BLOCK_HEAD || r->part == SCROLL_ROW_BLOCK) {
        attr_t block = pair_attr(d->t, PAIR_BLOCK, A_NORMAL);
        wattrset(w, block | A_BOLD);
        waddstr(w, "\xe2\x94\x83 "); /* a heavy bar marks the block */
        wattrset(w, block | (r->part == SCROLL_ROW_BLOCK_HEAD ? A_BOLD : A_NORMAL));
        put_clipped(w, r->s, r->len, text_cols - 2);
    } else {
        wattrset(w, kind == SCROLL_PENDING ? A_DIM : kind == SCROLL_ERROR ? style : A_NORMAL);
        put_marked(w, d->t->highlight, r->s, r->len, text_cols);
        if (kind == SCROLL_PENDING && r->part == SCROLL_ROW_FIRST && getcurx(w) + 10 < d->width) {
            wattrset(w, A_DIM);
            waddstr(w, " (pending)");
        }
    }
    wattrset(w, A_NORMAL);
}

void tui_draw_chat(struct tui *t, struct scrollback *sb, struct scroll_view *v)
{
    struct chat_draw d = {t, sb, 0};
    if (t->small || !t->chat)
        return;
    d.width = getmaxx(t->chat);
    werase(t->chat);
    scrollback_visible(sb, v, getmaxy(t->chat), d.width, draw_row, &d);
    wnoutrefresh(t->chat);
}

/* Writes s at the cursor, clipped to the window's right edge. */
static void put_rest(WINDOW *w, const char *s)
{
    put_clipped(w, s, (int)strlen(s), getmaxx(w) - getcurx(w));
}

/* One device in the panel: on the side, its name, then room, state and
 * volume (when it has one), then the song with its playback mark; below
 * the chat, one row. */
static int draw_device(struct tui *t, WINDOW *w, int y, json_object *dev)
{
    /* a record as the server stores it: controls in it are drawn as spaces */
    struct model_problems probs = {.stored = true};
    struct device d = {0};
    char name[MODEL_NAME_MAX], detail[MODEL_NAME_MAX + 32];

    if (y >= getmaxy(w))
        return y;
    if (device_from_json(dev, "", &probs, &d) != SB_OK) {
        model_problems_free(&probs);
        return y; /* not a device record: nothing sensible to show */
    }
    model_device_display_name(&d, name, sizeof name);
    snprintf(detail, sizeof detail, "%s%s, %s", t->panel_below ? " \xc2\xb7 " : "",
             d.location ? d.location : "?", d.on ? "on" : "off");
    for (char *p = detail; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (model_device_can(&d, "volume_control"))
        snprintf(detail + strlen(detail), sizeof detail - strlen(detail), ", vol %d", d.volume);

    wmove(w, y, 0);
    wattrset(w, d.on ? pair_attr(t, PAIR_ON, A_BOLD) : A_DIM);
    put_rest(w, d.on ? "\xe2\x97\x8f " : "\xe2\x97\x8b ");
    wattrset(w, A_BOLD);
    put_rest(w, name);
    if (!t->panel_below && ++y < getmaxy(w))
        wmove(w, y, 2);
    wattrset(w, A_NORMAL);
    if (y < getmaxy(w))
        put_rest(w, detail);
    if (d.current_song && *d.current_song && (t->panel_below || ++y < getmaxy(w))) {
        /* the song's mark says what it does: ▶ playing, ⏸ paused, ♪ off */
        const char *mark = !d.on ? "\xe2\x99\xaa " : d.paused ? "\xe2\x8f\xb8 " : "\xe2\x96\xb6 ";
        wattrset(w, A_DIM);
        if (!t->panel_below)
            wmove(w, y, 2);
        put_rest(w, t->panel_below ? " \xc2\xb7 " : "");
        put_rest(w, mark);
        put_rest(w, d.current_song);
    }
    wattrset(w, A_NORMAL);
    device_free(&d);
    model_problems_free(&probs);
    return y + 1;
}

/* "▲ 3 more" / "▼ 5 more" at row y, dim. */
static void draw_more(WINDOW *w, int y, const char *arrow, int n, const char *key)
{
    char text[96];
    snprintf(text, sizeof text, "%s %d more (%s)", arrow, n, key);
    wattrset(w, A_DIM);
    wmove(w, y, 0);
    put_rest(w, text);
    wattrset(w, A_NORMAL);
}

void tui_draw_panel(struct tui *t, json_object *devices)
{
    WINDOW *w = t->side;
    int y = 0, rows, n, i;
    if (t->small || !w)
        return;
    rows = getmaxy(w);
    werase(w);
    if (t->panel_below) {
        wattrset(w, A_DIM);
        for (int x = 0; x < getmaxx(w); x++)
            mvwaddstr(w, 0, x, RULE_H);
        y = 1;
    }
    wattrset(w, A_BOLD | A_UNDERLINE);
    mvwaddstr(w, y++, 0, "Devices");
    wattrset(w, A_NORMAL);
    n = devices && json_object_is_type(devices, json_type_array)
            ? (int)json_object_array_length(devices)
            : 0;
    if (!n)
        mvwaddstr(w, y, 0, devices ? "(none)" : "(not connected)");
    if (t->panel_first > n - 1)
        t->panel_first = n > 0 ? n - 1 : 0;
    if (t->panel_first > 0)
        draw_more(w, y++, "\xe2\x96\xb2", t->panel_first, "Alt-PgUp");
    /* each device is drawn off screen first to see whether it fits whole,
     * keeping the last row for the "more below" line when others follow */
    int more_row = y;
    for (i = t->panel_first; i < n && y < rows; i++) {
        int end = draw_device(t, w, y, json_object_array_get_idx(devices, (size_t)i));
        if (end > rows || (i + 1 < n && end >= rows)) {
            wmove(w, y, 0);
            wclrtobot(w);
            more_row = y;
            break;
        }
        more_row = end;
        y = end + (t->panel_below ? 0 : 1);
    }
    t->panel_last_more = n - i;
    if (i < n)
        draw_more(w, more_row, "\xe2\x96\xbc", n - i, "Alt-PgDn");
    wnoutrefresh(w);
}

void tui_scroll_panel(struct tui *t, int delta)
{
    if (delta > 0 && t->panel_last_more <= 0)
        return; /* the last device is already in view */
    t->panel_first += delta;
    if (t->panel_first < 0)
        t->panel_first = 0;
}

bool tui_panel_fits(const struct tui *t)
{
    return COLS >= TUI_PANEL_SIDE_MIN_COLS || LINES >= TUI_PANEL_BELOW_MIN_ROWS;
}

bool tui_in_panel(const struct tui *t, int x, int y)
{
    int top, left;
    if (!t->side)
        return false;
    getbegyx(t->side, top, left);
    return y >= top && y < top + getmaxy(t->side) && x >= left && x < left + getmaxx(t->side);
}

void tui_draw_status(struct tui *t, const char *text, bool marker)
{
    if (t->small || !t->status)
        return;
    werase(t->status);
    wattrset(t->status, marker ? A_REVERSE | A_BOLD : A_DIM);
    put_clipped(t->status, text, (int)strlen(text), getmaxx(t->status));
    wattrset(t->status, A_NORMAL);
    wnoutrefresh(t->status);
}

/* The input rows a line needs: one per line of the message, at most
 * TUI_INPUT_MAX_ROWS and never so many that the chat pane gets too small. */
static int input_rows_for(const char *line)
{
    int n = 1, most = LINES - TUI_MIN_ROWS + 1;
    for (const char *p = line; *p; p++)
        n += *p == '\n';
    if (n > TUI_INPUT_MAX_ROWS)
        n = TUI_INPUT_MAX_ROWS;
    return n < most ? n : most > 1 ? most : 1;
}

bool tui_draw_input(struct tui *t, const char *prompt, const char *line, int point)
{
    WINDOW *w;
    int cols, pw, avail, len = (int)strlen(line), rows, cur = 0, first, at, start = 0, y = 0;
    const char *cl = line, *p = line;
    bool relaid = false;

    if (t->small || !t->input)
        return false;
    if ((rows = input_rows_for(line)) != t->input_rows) {
        /* the message grew or shrank by a line: the input area follows */
        t->input_rows = rows;
        tui_layout(t);
        relaid = true;
    }
    w = t->input;
    cols = getmaxx(w);
    pw = cols_of(prompt, (int)strlen(prompt));
    avail = cols - pw - 1;
    if (point > len)
        point = len;
    /* the cursor's line (cl) scrolls sideways to keep the cursor in view */
    for (int i = 0; i < point; i++)
        if (line[i] == '\n') {
            cur++;
            cl = line + i + 1;
        }
    at = (int)(line + point - cl);
    while (start < at && cols_of(cl + start, at - start) > avail) {
        start++;
        while (start < at && ((unsigned char)cl[start] & 0xC0) == 0x80)
            start++;
    }
    /* the rows shown are the last ones up to the cursor's line */
    first = cur - rows + 1 > 0 ? cur - rows + 1 : 0;
    werase(w);
    for (int i = 0;; i++) {
        const char *eol = strchr(p, '\n');
        int n = eol ? (int)(eol - p) : (int)strlen(p), skip = i == cur ? start : 0;
        if (i >= first && y < rows) {
            wattrset(w, A_BOLD);
            mvwaddstr(w, y, 0, i ? "" : prompt);
            wattrset(w, A_NORMAL);
            wmove(w, y++, pw);
            put_clipped(w, p + skip, n - skip, avail + 1);
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    wmove(w, cur - first, pw + cols_of(cl + start, at - start));
    wnoutrefresh(w);
    return relaid;
}

void tui_flush(struct tui *t)
{
    if (t->input && !t->small)
        wnoutrefresh(t->input); /* the cursor belongs to the input line */
    doupdate();
}

int tui_read_key(struct tui *t)
{
    return t->input ? wgetch(t->input) : ERR;
}
