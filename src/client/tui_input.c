/* readline in callback mode inside curses, and the key decoder; see
 * tui_input.h. The technique follows profanity's inputwin.c: readline reads
 * bytes we hand it, writes to /dev/null, and redisplays through us. */
#include "client/tui_input.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "common/xalloc.h"

#define INPUT_HISTORY_MAX 1000
/* a paste longer than a message can be is cut (and the user told) */
#define INPUT_PASTE_MAX  MODEL_TEXT_MAX
#define INPUT_SEQ_MAX    32
#define INPUT_HISTORY_NL '\x1f'

static const char paste_end[] = "\033[201~";

/* Key sequences the chat handles itself (xterm and tmux forms). */
static const struct {
    const char *seq;
    int key; /* enum tui_key; -1 the start of a paste, -4 Alt-Enter */
} key_table[] = {
    {"\033[5~", TUI_KEY_PGUP},
    {"\033[6~", TUI_KEY_PGDN},
    {"\033[H", TUI_KEY_HOME},
    {"\033[1~", TUI_KEY_HOME},
    {"\033OH", TUI_KEY_HOME},
    {"\033[7~", TUI_KEY_HOME},
    {"\033[F", TUI_KEY_END},
    {"\033[4~", TUI_KEY_END},
    {"\033OF", TUI_KEY_END},
    {"\033[8~", TUI_KEY_END},
    {"\033OQ", TUI_KEY_F2},
    {"\033[12~", TUI_KEY_F2},
    {"\033[5;3~", TUI_KEY_PANEL_UP},
    {"\033[6;3~", TUI_KEY_PANEL_DOWN},
    {"\033[200~", -1},
    {"\033\r", -4},
    {"\033\n", -4}, /* Alt-Enter: a newline in the message */
};

/* The SGR mouse report prefix: ESC [ < button ; x ; y M */
static const char mouse_prefix[] = "\033[<";

struct tui_input {
    struct tui_input_events ev;
    void *ud;
    char *history_path;
    FILE *devnull;
    int stash; /* the byte readline reads next, or EOF */
    char seq[INPUT_SEQ_MAX];
    int seq_len;
    bool pasting;
    char *paste; /* the paste's first INPUT_PASTE_MAX bytes */
    size_t paste_len, paste_cap;
    size_t paste_total;                    /* bytes received, kept or not */
    char paste_tail[sizeof paste_end - 1]; /* the last bytes received: the end marker? */
    bool in_line_event; /* ev.line is running: readline empties the line after it */
    char *preset;       /* the line to put in once readline is done (tui_input_set_line) */
    bool matches_shown;
    bool matches_now;
    struct strlist shown; /* the candidates behind the last matches */
};

/* readline's hooks take no user pointer: the one live input. */
static struct tui_input *input_current;

static int input_getc(FILE *f)
{
    int c = input_current ? input_current->stash : EOF;
    if (input_current)
        input_current->stash = EOF;
    return c;
}

static int input_available(void)
{
    return input_current && input_current->stash != EOF;
}

static void input_redisplay(void)
{
    struct tui_input *in = input_current;
    if (in && in->ev.draw)
        in->ev.draw(in->ud, rl_display_prompt ? rl_display_prompt : "", rl_line_buffer, rl_point);
}

/* Shows the candidates behind the current matches (not whole lines). */
static void input_show_matches(char **matches, int n, int max_len)
{
    struct tui_input *in = input_current;
    if (!in || !in->ev.matches)
        return;
    in->ev.matches(in->ud, in->shown.items, (int)in->shown.len);
    in->matches_now = true;
}

/* Case-insensitive common prefix length of a and b. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && b[i] && tolower((unsigned char)a[i]) == tolower((unsigned char)b[i]))
        i++;
    return i;
}

/* Adds every line completion whose word starts at a word boundary of text. */
static void collect_matches(struct tui_input *in, const char *text, bool slash,
                            const struct strlist *cands, struct strlist *lines)
{
    size_t len = strlen(text);
    for (size_t p = 0; p < len; p++) {
        if ((p && text[p - 1] != ' ') || (slash && p))
            continue;
        for (size_t i = 0; i < cands->len; i++) {
            const char *c = cands->items[i];
            if (strncasecmp(c, text + p, len - p) || (!slash && c[0] == '/'))
                continue;
            char *line = xasprintf("%.*s%s", (int)p, text, c);
            if (!strlist_contains(lines, line)) {
                strlist_push(lines, line);
                strlist_push(&in->shown, c);
            }
            free(line);
        }
    }
}

/* Completes the end of the line: a slash command at its start, or a device
 * name or room (which contain spaces, so the word being completed may start
 * at any earlier word boundary). Matches are whole lines, so readline
 * replaces the line up to the cursor. */
static char **input_complete(const char *text, int start, int end)
{
    struct tui_input *in = input_current;
    struct strlist cands = {0}, lines = {0};
    size_t lcd;
    char **out = NULL;
    bool slash = text[0] == '/' && !strchr(text, ' ');

    rl_attempted_completion_over = 1; /* never fall back to file names */
    strlist_free(&in->shown);
    memset(&in->shown, 0, sizeof in->shown);
    if (in->ev.candidates)
        in->ev.candidates(in->ud, slash, &cands);
    collect_matches(in, text, slash, &cands, &lines);
    if (!lines.len)
        goto out;
    out = xcalloc(lines.len + 2, sizeof *out);
    lcd = strlen(lines.items[0]);
    for (size_t i = 1; i < lines.len; i++) {
        size_t k = common_prefix(lines.items[0], lines.items[i]);
        lcd = k < lcd ? k : lcd;
    }
    if (lcd < strlen(text))
        lcd = strlen(text); /* never shorten what was typed */
    out[0] = xstrndup(lines.items[0], lcd);
    for (size_t i = 0; lines.len > 1 && i < lines.len; i++)
        out[i + 1] = xstrdup(lines.items[i]);
out:
    strlist_free(&cands);
    strlist_free(&lines);
    return out;
}

static void input_line(char *line)
{
    struct tui_input *in = input_current;
    if (line && *line) {
        HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
        if (!last || strcmp(last->line, line))
            add_history(line);
    }
    if (in && in->ev.line) {
        in->in_line_event = true;
        in->ev.line(in->ud, line);
        in->in_line_event = false;
    }
    free(line);
}

static void feed(struct tui_input *in, int c)
{
    in->stash = (unsigned char)c;
    in->matches_now = false;
    rl_callback_read_char();
    if (in->preset) {
        char *text = in->preset;
        in->preset = NULL;
        tui_input_set_line(in, text);
        free(text);
    }
    /* a completion list stays up only until the next key */
    if (in->matches_shown && !in->matches_now && in->ev.matches)
        in->ev.matches(in->ud, NULL, 0);
    in->matches_shown = in->matches_now;
}

static void flush_seq(struct tui_input *in)
{
    int n = in->seq_len;
    in->seq_len = 0;
    for (int i = 0; i < n; i++)
        feed(in, in->seq[i]);
}

/* The paste ends: its text (without the end marker) goes into the line. */
static void finish_paste(struct tui_input *in)
{
    const size_t mark = sizeof paste_end - 1, total = in->paste_total - mark;
    size_t n = in->paste_len < total ? in->paste_len : total;

    if (n > INPUT_PASTE_MAX)
        n = INPUT_PASTE_MAX;
    char *p = in->paste, *w = in->paste, note[200];

    if (n < total) {
        /* cut at a character boundary, never inside a UTF-8 sequence */
        while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;
        snprintf(note, sizeof note,
                 "The paste was %zu bytes and a message holds %d: the line keeps its first %zu "
                 "bytes, the rest was left out.",
                 total, INPUT_PASTE_MAX, n);
    }
    /* CR and CRLF become newlines; trailing newlines are dropped */
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r') {
            *w++ = '\n';
            if (i + 1 < n && p[i + 1] == '\n')
                i++;
        } else {
            *w++ = p[i];
        }
    }
    while (w > p && w[-1] == '\n')
        w--;
    *w = '\0';
    in->pasting = false;
    in->paste_len = in->paste_total = 0;
    rl_insert_text(p);
    input_redisplay();
    if (n < total && in->ev.notice)
        in->ev.notice(in->ud, note);
}

static void paste_byte(struct tui_input *in, int c)
{
    const size_t mark = sizeof paste_end - 1;

    if (in->paste_len < INPUT_PASTE_MAX + mark && in->paste_len + 2 > in->paste_cap) {
        size_t cap = in->paste_cap ? in->paste_cap * 2 : 1024;
        if (cap > INPUT_PASTE_MAX + mark + 1)
            cap = INPUT_PASTE_MAX + mark + 1;
        in->paste = xrealloc(in->paste, cap);
        in->paste_cap = cap;
    }
    /* the start is kept (as much as fits); the end marker is looked for in
     * the last bytes received, kept or not */
    if (in->paste_len + 1 < in->paste_cap) {
        in->paste[in->paste_len++] = (char)c;
        in->paste[in->paste_len] = '\0';
    }
    memmove(in->paste_tail, in->paste_tail + 1, mark - 1);
    in->paste_tail[mark - 1] = (char)c;
    if (++in->paste_total >= mark && !memcmp(in->paste_tail, paste_end, mark))
        finish_paste(in);
}

/* Returns the key for a complete sequence, -2 when seq could still become
 * one, -3 when it cannot. A paste start is -1, Alt-Enter -4. */
static int lookup_seq(const char *seq, int len)
{
    bool prefix = false;
    for (size_t i = 0; i < sizeof key_table / sizeof *key_table; i++) {
        size_t kl = strlen(key_table[i].seq);
        if ((size_t)len == kl && !memcmp(seq, key_table[i].seq, kl))
            return key_table[i].key;
        if ((size_t)len < kl && !memcmp(seq, key_table[i].seq, (size_t)len))
            prefix = true;
    }
    return prefix ? -2 : -3;
}

static void mouse_report(struct tui_input *in)
{
    int button = -1, x = 0, y = 0;
    char final = in->seq[in->seq_len - 1];

    in->seq[in->seq_len] = '\0';
    in->seq_len = 0;
    /* ESC [ < button ; x ; y M, with 1-based cells */
    if (sscanf(in->seq + sizeof mouse_prefix - 1, "%d;%d;%d", &button, &x, &y) < 1 ||
        final != 'M' || (button != 64 && button != 65))
        return;
    if (in->ev.wheel)
        in->ev.wheel(in->ud, button == 64, x - 1, y - 1);
    else if (in->ev.key)
        in->ev.key(in->ud, button == 64 ? TUI_KEY_WHEEL_UP : TUI_KEY_WHEEL_DOWN);
}

void tui_input_byte(struct tui_input *in, int c)
{
    int key;

    if (in->pasting) {
        paste_byte(in, c);
        return;
    }
    if (!in->seq_len && (c == '\f' || c == '\x06') && in->ev.key) {
        /* readline would clear a screen it does not own (C-l), or move (C-f) */
        in->ev.key(in->ud, c == '\f' ? TUI_KEY_REDRAW : TUI_KEY_SEARCH);
        return;
    }
    if (!in->seq_len && c != '\033' && rl_end == 0 && in->ev.empty_line_key &&
        in->ev.empty_line_key(in->ud, c))
        return;
    if (!in->seq_len && c != '\033') {
        feed(in, c);
        return;
    }
    in->seq[in->seq_len++] = (char)c;
    if (in->seq_len >= (int)sizeof mouse_prefix - 1 &&
        !memcmp(in->seq, mouse_prefix, sizeof mouse_prefix - 1)) {
        if (in->seq_len > (int)sizeof mouse_prefix - 1 && (c == 'M' || c == 'm'))
            mouse_report(in);
        else if (in->seq_len == INPUT_SEQ_MAX - 1)
            in->seq_len = 0; /* not a report after all: drop it */
        return;
    }
    key = lookup_seq(in->seq, in->seq_len);
    if (key == -2 || (in->seq_len < (int)sizeof mouse_prefix &&
                      !memcmp(in->seq, mouse_prefix, (size_t)in->seq_len)))
        return;
    if (key == -3) {
        flush_seq(in);
        return;
    }
    in->seq_len = 0;
    if (key == -4) {
        rl_insert_text("\n");
        input_redisplay();
    } else if (key == -1) {
        in->pasting = true;
    } else if (in->ev.key) {
        in->ev.key(in->ud, (enum tui_key)key);
    }
}

void tui_input_idle(struct tui_input *in)
{
    if (!in->pasting && in->seq_len == 1 && rl_end == 0 && in->ev.empty_line_key &&
        in->ev.empty_line_key(in->ud, '\033')) {
        in->seq_len = 0; /* a lone Esc, taken (it ends a search) */
        return;
    }
    if (!in->pasting && in->seq_len)
        flush_seq(in);
}

void tui_input_set_line(struct tui_input *in, const char *text)
{
    if (in->in_line_event) {
        /* readline empties the line once the line event returns: later */
        free(in->preset);
        in->preset = xstrdup(text);
        return;
    }
    rl_replace_line(text, 0);
    rl_point = rl_end;
    input_redisplay();
}

void tui_input_redraw(struct tui_input *in)
{
    input_redisplay();
}

/* The history file holds one entry per line, so a pasted message's
 * newlines are stored as a control character nobody types. */
static void history_swap(char from, char to)
{
    HIST_ENTRY **list = history_list();
    for (int i = 0; list && list[i]; i++)
        for (char *p = list[i]->line; *p; p++)
            if (*p == from)
                *p = to;
}

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return 0;
}

int tui_state_path(const char *name, char *buf, size_t n)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int len;

    if (state && *state == '/')
        len = snprintf(buf, n, "%s/servicebot/%s", state, name);
    else if (home && *home)
        len = snprintf(buf, n, "%s/.local/state/servicebot/%s", home, name);
    else
        return -1;
    if (len < 0 || (size_t)len >= n)
        return -1;
    return mkdir_p(buf);
}

int tui_input_new(const struct tui_input_events *ev, void *ud, const char *history_path,
                  struct tui_input **out, struct sb_err *err)
{
    *out = NULL;
    if (input_current)
        return sb_err_set(err, SB_EINTERNAL, "only one readline input at a time");
    struct tui_input *in = xcalloc(1, sizeof *in);
    in->ev = *ev;
    in->ud = ud;
    in->stash = EOF;
    in->devnull = fopen("/dev/null", "w");
    if (history_path)
        in->history_path = xstrdup(history_path);
    input_current = in;

    /* curses owns the terminal: readline must not touch it or the env */
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_outstream = in->devnull;
    rl_getc_function = input_getc;
    rl_input_available_hook = input_available;
    rl_redisplay_function = input_redisplay;
    rl_attempted_completion_function = input_complete;
    rl_completion_display_matches_hook = input_show_matches;
    rl_readline_name = "servicebot";
    rl_completer_word_break_characters = "";           /* input_complete finds its own words */
    rl_variable_bind("enable-bracketed-paste", "off"); /* decoded here instead */
    rl_variable_bind("completion-ignore-case", "on");
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("bell-style", "none");
    using_history();
    stifle_history(INPUT_HISTORY_MAX);
    if (in->history_path && read_history(in->history_path) == 0)
        history_swap(INPUT_HISTORY_NL, '\n');
    rl_callback_handler_install("> ", input_line);
    *out = in;
    return SB_OK;
}

void tui_input_free(struct tui_input *in)
{
    if (!in)
        return;
    rl_callback_handler_remove();
    if (in->history_path) {
        history_swap('\n', INPUT_HISTORY_NL);
        write_history(in->history_path);
        history_truncate_file(in->history_path, INPUT_HISTORY_MAX);
    }
    clear_history();
    if (in->devnull)
        fclose(in->devnull);
    rl_outstream = NULL;
    strlist_free(&in->shown);
    free(in->paste);
    free(in->preset);
    free(in->history_path);
    input_current = NULL;
    free(in);
}
