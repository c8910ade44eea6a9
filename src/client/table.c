#include "client/table.h"

#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "client/termsafe.h"
#include "client/wrap.h"
#include "common/utf8.h"
#include "common/xalloc.h"

#define TABLE_GAP      2
#define TABLE_MIN_COL  4
#define TABLE_FLEX_MIN 20
#define ELLIPSIS       "\xe2\x80\xa6"

struct cell {
    char *text;
    int width;
    enum table_style style;
};

struct table {
    size_t ncols;
    bool has_header;
    struct cell *cells; /* row-major; the header, when set, is row 0 */
    size_t ncells, cap;
    bool *right;
    bool *flexible; /* shrinks first */
    bool *wrap;     /* flexible, and its cells wrap instead of being cut */
};

struct table *table_new(size_t ncols)
{
    if (ncols == 0)
        return NULL;
    struct table *t = xcalloc(1, sizeof(*t));
    t->ncols = ncols;
    t->right = xcalloc(ncols, sizeof(bool));
    t->flexible = xcalloc(ncols, sizeof(bool));
    t->wrap = xcalloc(ncols, sizeof(bool));
    return t;
}

void table_free(struct table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t->right);
    free(t->flexible);
    free(t->wrap);
    free(t);
}

void table_add_styled(struct table *t, const char *cell, enum table_style style)
{
    if (t->ncells == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
    }
    char *text = termsafe_dup(cell, TERMSAFE_ONE_LINE);
    t->cells[t->ncells++] = (struct cell){text, utf8_width(text), style};
}

void table_add(struct table *t, const char *cell)
{
    table_add_styled(t, cell, TABLE_PLAIN);
}

void table_addf(struct table *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    table_add(t, s);
    free(s);
}

int table_header(struct table *t, ...)
{
    if (t->ncells != 0)
        return -1;
    va_list ap;
    va_start(ap, t);
    for (size_t i = 0; i < t->ncols; i++)
        table_add(t, va_arg(ap, const char *));
    va_end(ap);
    t->has_header = true;
    return 0;
}

void table_first_row_is_header(struct table *t)
{
    t->has_header = true;
}

void table_align_right(struct table *t, size_t col)
{
    if (col < t->ncols)
        t->right[col] = true;
}

void table_flexible(struct table *t, size_t col)
{
    if (col < t->ncols)
        t->flexible[col] = true;
}

void table_wrap(struct table *t, size_t col)
{
    if (col < t->ncols)
        t->flexible[col] = t->wrap[col] = true;
}

size_t table_rows(const struct table *t)
{
    size_t rows = (t->ncells + t->ncols - 1) / t->ncols;
    return t->has_header && rows > 0 ? rows - 1 : rows;
}

/* The widest column that may still shrink: flexible columns first down to
 * TABLE_FLEX_MIN, then the others, then anything down to TABLE_MIN_COL.
 * Returns -1 when nothing can shrink. */
static long widest_column(const struct table *t, const int *w)
{
    for (int pass = 0; pass < 3; pass++) {
        int floor = pass == 0 ? TABLE_FLEX_MIN : TABLE_MIN_COL;
        long best = -1;
        for (size_t c = 0; c < t->ncols; c++) {
            if ((pass == 0 && !t->flexible[c]) || (pass == 1 && t->flexible[c]))
                continue;
            if (w[c] > floor && (best < 0 || w[c] > w[best]))
                best = (long)c;
        }
        if (best >= 0)
            return best;
    }
    return -1;
}

/* Column widths: the widest cell of each column, then shrunk until the row fits width. */
static void fit_columns(const struct table *t, int *w, int width)
{
    int total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        w[c] = 0;
    for (size_t i = 0; i < t->ncells; i++) {
        size_t c = i % t->ncols;
        if (t->cells[i].width > w[c])
            w[c] = t->cells[i].width;
    }
    for (size_t c = 0; c < t->ncols; c++)
        total += w[c] + (c ? TABLE_GAP : 0);
    while (width > 0 && total > width) {
        long c = widest_column(t, w);
        if (c < 0)
            break;
        w[c]--;
        total--;
    }
}

static const char *style_start(enum table_style s, bool header)
{
    if (header)
        return "\033[1m";
    switch (s) {
    case TABLE_GOOD:
        return "\033[32m";
    case TABLE_BAD:
        return "\033[31m";
    case TABLE_DIM:
        return "\033[2m";
    default:
        return NULL;
    }
}

/* The display width of the first n bytes of s. */
static int prefix_width(const char *s, size_t n)
{
    char *copy = xstrndup(s, n);
    int w = utf8_width(copy);
    free(copy);
    return w;
}

/* Writes one cell padded (or cut) to exactly w columns; the last column is not padded. */
static void print_cell(FILE *f, const struct table *t, const struct cell *cell, size_t col, int w,
                       bool color, bool header)
{
    bool last = col + 1 == t->ncols;
    const char *on = color && *cell->text ? style_start(cell->style, header) : NULL;
    int shown = cell->width;
    size_t bytes = strlen(cell->text);
    bool cut = shown > w;
    if (cut) {
        bytes = utf8_prefix_for_width(cell->text, w - 1);
        shown = prefix_width(cell->text, bytes) + 1;
    }
    int pad = w - shown;
    if (t->right[col] && pad > 0)
        fprintf(f, "%*s", pad, "");
    if (on)
        fputs(on, f);
    fwrite(cell->text, 1, bytes, f);
    if (cut)
        fputs(ELLIPSIS, f);
    if (on)
        fputs("\033[0m", f);
    if (!t->right[col] && !last && pad > 0)
        fprintf(f, "%*s", pad, "");
}

/* Writes one line of a row (the first, or a continuation of wrapping
 * cells) into f, advancing pos; returns whether a wrapping cell has more. */
static bool print_line(FILE *f, const struct table *t, const struct cell *row, size_t n,
                       const int *w, const char **pos, bool color, bool header, bool first)
{
    bool more = false;
    for (size_t c = 0; c < n; c++) {
        if (c)
            fprintf(f, "%*s", TABLE_GAP, "");
        struct cell piece = {(char *)"", 0, row[c].style};
        char *seg = NULL;
        if (t->wrap[c] && !header) {
            size_t len, adv = wrap_next(pos[c], w[c], &len);
            seg = xstrndup(pos[c] + strspn(pos[c], " "), len);
            piece.text = seg;
            piece.width = utf8_width(piece.text);
            pos[c] += adv;
            more |= strspn(pos[c], " ") < strlen(pos[c]);
        } else if (first) {
            piece = row[c];
        }
        print_cell(f, t, &piece, c, w[c], color, header);
        free(seg);
    }
    return more;
}

/* Prints one row, on as many lines as its wrapping cells need, without
 * trailing spaces. */
static int print_row(FILE *out, const struct table *t, const struct cell *row, size_t n,
                     const int *w, const char **pos, bool color, bool header)
{
    for (size_t c = 0; c < n; c++)
        pos[c] = row[c].text;
    bool more = true;
    for (bool first = true; more; first = false) {
        char *line = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&line, &len);
        if (!f)
            return -1;
        more = print_line(f, t, row, n, w, pos, color, header, first);
        if (fclose(f) != 0) {
            free(line);
            return -1;
        }
        while (len > 0 && line[len - 1] == ' ')
            len--;
        fwrite(line, 1, len, out);
        fputc('\n', out);
        free(line);
    }
    return 0;
}

int table_print(const struct table *t, FILE *f, int width, bool color)
{
    int *w = xcalloc(t->ncols, sizeof(int));
    const char **pos = xcalloc(t->ncols, sizeof(char *));
    fit_columns(t, w, width);
    for (size_t start = 0; start < t->ncells; start += t->ncols) {
        size_t n = t->ncells - start < t->ncols ? t->ncells - start : t->ncols;
        if (print_row(f, t, &t->cells[start], n, w, pos, color, t->has_header && start == 0) < 0)
            break;
    }
    free(w);
    free(pos);
    return ferror(f) ? -1 : 0;
}

int table_term_width(FILE *f)
{
    int fd = fileno(f);
    if (fd < 0 || !isatty(fd))
        return 0;
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    long n = cols ? strtol(cols, NULL, 10) : 0;
    return n > 0 && n < 10000 ? (int)n : 80;
}

void table_setup_locale(void)
{
    if (setlocale(LC_CTYPE, "") && !strcmp(nl_langinfo(CODESET), "UTF-8"))
        return;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "C.utf8");
}
