/* The chat's keyboard layer without a terminal: bytes in, lines and keys
 * out, through the real readline in callback mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/tui_input.h"
#include "tap.h"

struct seen {
    char line[256];
    int lines;
    int eof;
    int keys[16];
    int n_keys;
    char drawn[256];
    size_t drawn_len;
    char notice[256];
    int point;
    int matches;
};

static void ev_line(void *ud, const char *line)
{
    struct seen *s = ud;
    if (!line) {
        s->eof++;
        return;
    }
    snprintf(s->line, sizeof s->line, "%s", line);
    s->lines++;
}

static void ev_key(void *ud, enum tui_key key)
{
    struct seen *s = ud;
    if (s->n_keys < 16)
        s->keys[s->n_keys++] = (int)key;
}

static void ev_draw(void *ud, const char *prompt, const char *line, int point)
{
    struct seen *s = ud;
    snprintf(s->drawn, sizeof s->drawn, "%s", line);
    s->drawn_len = strlen(line);
    s->point = point;
}

static void ev_matches(void *ud, char **matches, int n)
{
    struct seen *s = ud;
    s->matches = n;
}

static void ev_notice(void *ud, const char *text)
{
    struct seen *s = ud;
    snprintf(s->notice, sizeof s->notice, "%s", text);
}

static void ev_candidates(void *ud, bool line_start, struct strlist *out)
{
    if (line_start) {
        strlist_push(out, "/help");
        strlist_push(out, "/history");
    }
    strlist_push(out, "Living Room Speaker");
    strlist_push(out, "living room");
}

static void feed(struct tui_input *in, const char *bytes)
{
    for (const char *p = bytes; *p; p++)
        tui_input_byte(in, (unsigned char)*p);
    tui_input_idle(in);
}

int main(void)
{
    static const struct tui_input_events ev = {
        .line = ev_line,
        .key = ev_key,
        .draw = ev_draw,
        .matches = ev_matches,
        .candidates = ev_candidates,
        .notice = ev_notice,
    };
    struct seen s;
    struct tui_input *in;
    struct sb_err err;
    char hist[] = "/tmp/sb-tui-input-XXXXXX";
    int fd = mkstemp(hist);
    FILE *f;
    char buf[256] = "";

    memset(&s, 0, sizeof s);
    if (fd >= 0)
        close(fd);
    ok(tui_input_new(&ev, &s, hist, &in, &err) == SB_OK, "readline starts in callback mode");

    feed(in, "hello\r");
    is_int(s.lines, 1, "Enter finishes a line");
    is_str(s.line, "hello", "with what was typed");

    feed(in, "ab\x02X\r");
    is_str(s.line, "aXb", "Emacs keys edit the line (C-b moves back)");

    feed(in, "\x1b[5~\x1b[6~\x1b[H\x1b[F\x1bOQ\x1b[<64;3;4M\x1b[<65;3;4M");
    is_int(s.n_keys, 7, "PgUp, PgDn, Home, End, F2 and two wheel reports are decoded");
    ok(s.keys[0] == TUI_KEY_PGUP && s.keys[1] == TUI_KEY_PGDN && s.keys[2] == TUI_KEY_HOME &&
           s.keys[3] == TUI_KEY_END && s.keys[4] == TUI_KEY_F2 && s.keys[5] == TUI_KEY_WHEEL_UP &&
           s.keys[6] == TUI_KEY_WHEEL_DOWN,
       "in order");
    is_int(s.lines, 2, "and none of them reaches readline as text");

    feed(in, "\x1b[200~turn on\r\nset it to 20\n\x1b[201~");
    is_int(s.lines, 2, "a bracketed paste does not send anything by itself");
    is_str(s.drawn, "turn on\nset it to 20", "it lands in the line with its newline");
    feed(in, "\r");
    is_str(s.line, "turn on\nset it to 20", "Enter sends it as one message");

    /* a paste longer than a message: its start is kept, cut before the
     * two-byte character that would not fit, and the user is told */
    size_t big = MODEL_TEXT_MAX + 5000;
    char *paste = malloc(big + 16);
    if (paste) {
        char *c = paste + 6;
        memcpy(paste, "\x1b[200~", 6);
        memset(c, 'x', big);
        memcpy(c, "START", 5);
        memcpy(c + MODEL_TEXT_MAX - 1, "\xc3\xa9", 2); /* é across the limit */
        memcpy(c + big - 3, "END\x1b[201~", 9);
        c[big + 6] = '\0';
        feed(in, paste);
        free(paste);
    }
    is_int((int)s.drawn_len, MODEL_TEXT_MAX - 1,
           "an over-long paste keeps its start, whole characters only");
    ok(!strncmp(s.drawn, "STARTxxx", 8), "from its first byte");
    ok(strstr(s.notice, "a message holds 16384") != NULL, "and says it was cut: %s", s.notice);
    is_int(s.lines, 3, "nothing is sent by the paste");
    feed(in, "\x15");
    feed(in, "\x1b[200~after the long one\x1b[201~");
    is_str(s.drawn, "after the long one", "the next paste is whole again");
    feed(in, "\x15");

    feed(in, "/he\t");
    is_str(s.drawn, "/help ", "Tab completes a unique slash command");
    feed(in, "\x15");
    feed(in, "/h\t");
    is_int(s.matches, 2, "an ambiguous one lists the candidates");
    feed(in, "\x15turn off the liv\t");
    is_str(s.drawn, "turn off the Living Room", "names with spaces complete as far as they agree");
    feed(in, " s\t");
    is_str(s.drawn, "turn off the Living Room Speaker ", "then to the unique name");
    feed(in, "\x15");

    feed(in, "\x1b");
    is_int(s.n_keys, 7, "a lone ESC is not a key of ours");
    feed(in, "\x07"); /* C-g: readline drops the ESC prefix it got */
    feed(in, "\x10");
    is_str(s.drawn, "turn on\nset it to 20", "C-p recalls the previous line");
    feed(in, "\x15\x04");
    is_int(s.eof, 1, "Ctrl-D on an empty line ends the input");

    tui_input_free(in);
    f = fopen(hist, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    ok(strstr(buf, "hello\n") && strstr(buf, "aXb\n"), "the history is saved to its file");
    ok(strstr(buf, "turn on\x1fset it to 20\n") != NULL, "a pasted message stays one entry there");

    memset(&s, 0, sizeof s);
    ok(tui_input_new(&ev, &s, hist, &in, &err) == SB_OK, "a second input reads the file back");
    feed(in, "\x10");
    is_str(s.drawn, "turn on\nset it to 20", "with the pasted message's newline restored");
    feed(in, "\x15\x12hel");
    is_str(s.drawn, "hello", "Ctrl-R searches the history");
    feed(in, "\x07\x15");
    tui_input_free(in);
    unlink(hist);
    return tap_done();
}
