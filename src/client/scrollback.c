/* The chat history ring and its wrap cache; see scrollback.h. */
#include "client/scrollback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "client/termsafe.h"
#include "common/xalloc.h"

/* Sequence numbers start high so that history prepended later has room. */
#define SEQ_ORIGIN ((uint64_t)1 << 40)

struct entry {
    enum scroll_kind kind;
    char stamp[8];
    char *text;
    json_object *block;
    scroll_block_fn render;
    int day; /* 0: undated */
    char date[48];
    /* the wrap cache */
    int width;    /* 0: not wrapped */
    unsigned hdr; /* the header rows it was wrapped with (HDR_*) */
    int n_hdr;
    struct scroll_row *rows;
    int n_rows, cap_rows;
    struct render_lines lines;
};

struct scrollback {
    struct entry *ring;
    size_t cap, head, count;
    uint64_t base; /* the sequence number of the oldest entry */
    uint64_t mark; /* the entry under the "new messages" row, or 0 */
};

/* Header rows an entry's wrap starts with; which ones depends on its
 * neighbour (a new day) and on the mark, so the cache remembers them. */
enum {
    HDR_DATE = 1 << 0,
    HDR_MARK = 1 << 1,
};
static const char mark_text[] = "new messages";

/* Decodes one UTF-8 character; returns its byte length (1 for a bad byte)
 * and its display width. */
static int char_at(const char *s, const char *end, int *cols)
{
    mbstate_t st;
    wchar_t wc;
    size_t n;

    memset(&st, 0, sizeof st);
    n = mbrtowc(&wc, s, (size_t)(end - s), &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *cols = 1;
        return 1;
    }
    int w = wcwidth(wc);
    *cols = w < 0 ? 1 : w;
    return (int)n;
}

/* Emits rows for one line without newlines. */
static int wrap_line(const char *line, const char *eol, int width,
                     void (*fn)(void *ud, const char *s, int len), void *ud)
{
    int rows = 0;

    if (line == eol) {
        fn(ud, line, 0);
        return 1;
    }
    while (line < eol) {
        const char *q = line, *brk = NULL;
        int cols = 0, w, n = 0;
        while (q < eol) {
            n = char_at(q, eol, &w);
            if (cols + w > width)
                break;
            if (*q == ' ')
                brk = q;
            cols += w;
            q += n;
        }
        if (q >= eol) {
            fn(ud, line, (int)(eol - line));
            return rows + 1;
        }
        if (*q == ' ') {
            /* the row ends exactly at a space: break there */
        } else if (brk && brk > line) {
            q = brk; /* break before the last space that fits */
        } else if (q == line) {
            q += n; /* one character wider than the pane: show it anyway */
        }
        fn(ud, line, (int)(q - line));
        rows++;
        line = q;
        while (line < eol && *line == ' ')
            line++;
    }
    return rows;
}

int scrollback_wrap(const char *text, int width, void (*fn)(void *ud, const char *s, int len),
                    void *ud)
{
    int rows = 0;
    const char *p = text;

    if (width < 1)
        width = 1;
    for (;;) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        rows += wrap_line(p, eol, width, fn, ud);
        if (!*eol)
            break;
        p = eol + 1;
    }
    return rows;
}

static void entry_uncache(struct entry *e)
{
    render_lines_free(&e->lines);
    memset(&e->lines, 0, sizeof e->lines);
    e->n_rows = 0;
    e->n_hdr = 0;
    e->width = 0;
    e->hdr = 0;
}

static void entry_free(struct entry *e)
{
    entry_uncache(e);
    free(e->rows);
    free(e->text);
    json_object_put(e->block);
    memset(e, 0, sizeof *e);
}

static void push_row(struct entry *e, const char *s, int len, enum scroll_part part)
{
    if (e->n_rows == e->cap_rows) {
        e->cap_rows = e->cap_rows ? e->cap_rows * 2 : 4;
        e->rows = xrealloc(e->rows, (size_t)e->cap_rows * sizeof *e->rows);
    }
    e->rows[e->n_rows] = (struct scroll_row){s, len, part, e->n_rows == e->n_hdr};
    e->n_rows++;
}

static void wrap_row(void *ud, const char *s, int len)
{
    struct entry *e = ud;
    push_row(e, s, len, e->n_rows > e->n_hdr ? SCROLL_ROW_TEXT : SCROLL_ROW_FIRST);
}

static void entry_wrap(struct entry *e, int width, unsigned hdr)
{
    int text_w = width - SCROLL_PREFIX_COLS;

    entry_uncache(e);
    if (text_w < 4)
        text_w = 4;
    e->n_hdr = !!(hdr & HDR_DATE) + !!(hdr & HDR_MARK); /* the rows before the lead */
    if (hdr & HDR_DATE)
        push_row(e, e->date, (int)strlen(e->date), SCROLL_ROW_DATE);
    if (hdr & HDR_MARK)
        push_row(e, mark_text, (int)sizeof mark_text - 1, SCROLL_ROW_MARK);
    /* an entry that is only a block (a denial and nothing else) starts with it */
    if (*e->text || !e->block)
        scrollback_wrap(e->text, text_w, wrap_row, e);
    /* the block sits under the text behind a two-column rule */
    if (e->block && e->render && e->render(e->block, text_w - 2, &e->lines) == 0)
        for (size_t i = 0; i < e->lines.n; i++)
            push_row(e, e->lines.lines[i], (int)strlen(e->lines.lines[i]),
                     i ? SCROLL_ROW_BLOCK : SCROLL_ROW_BLOCK_HEAD);
    if (!e->n_rows)
        scrollback_wrap("", text_w, wrap_row, e); /* every entry has a row */
    e->width = width;
    e->hdr = hdr;
}

static struct entry *entry_at(const struct scrollback *sb, uint64_t seq)
{
    if (seq < sb->base || seq >= sb->base + sb->count)
        return NULL;
    return &sb->ring[(sb->head + (seq - sb->base)) % sb->cap];
}

struct scrollback *scrollback_new(size_t capacity)
{
    struct scrollback *sb = xcalloc(1, sizeof *sb);
    sb->cap = capacity ? capacity : 1;
    sb->ring = xcalloc(sb->cap, sizeof *sb->ring);
    sb->base = SEQ_ORIGIN;
    return sb;
}

void scrollback_clear(struct scrollback *sb)
{
    for (size_t i = 0; i < sb->count; i++)
        entry_free(&sb->ring[(sb->head + i) % sb->cap]);
    sb->base += sb->count;
    sb->head = sb->count = 0;
    sb->mark = 0;
}

void scrollback_free(struct scrollback *sb)
{
    if (!sb)
        return;
    scrollback_clear(sb);
    free(sb->ring);
    free(sb);
}

/* Fills a fresh entry; control characters other than newline become spaces. */
static void entry_fill(struct entry *e, enum scroll_kind kind, const char *stamp, const char *text,
                       json_object *block, scroll_block_fn render)
{
    memset(e, 0, sizeof *e);
    /* server text: no control character reaches the terminal */
    e->text = termsafe_dup(text, TERMSAFE_KEEP_NEWLINES);
    e->kind = kind;
    snprintf(e->stamp, sizeof e->stamp, "%s", stamp ? stamp : "");
    e->block = block ? json_object_get(block) : NULL;
    e->render = render;
}

uint64_t scrollback_add(struct scrollback *sb, enum scroll_kind kind, const char *stamp,
                        const char *text, json_object *block, scroll_block_fn render)
{
    struct entry e;
    entry_fill(&e, kind, stamp, text, block, render);
    if (sb->count == sb->cap) {
        entry_free(&sb->ring[sb->head]);
        sb->head = (sb->head + 1) % sb->cap;
        sb->count--;
        sb->base++;
    }
    sb->ring[(sb->head + sb->count) % sb->cap] = e;
    sb->count++;
    return sb->base + sb->count - 1;
}

uint64_t scrollback_prepend(struct scrollback *sb, enum scroll_kind kind, const char *stamp,
                            const char *text, json_object *block, scroll_block_fn render)
{
    struct entry e;
    if (sb->count == sb->cap || sb->base == 1)
        return 0;
    entry_fill(&e, kind, stamp, text, block, render);
    sb->head = (sb->head + sb->cap - 1) % sb->cap;
    sb->ring[sb->head] = e;
    sb->count++;
    return --sb->base;
}

bool scrollback_set_date(struct scrollback *sb, uint64_t seq, int day, const char *label)
{
    struct entry *e = entry_at(sb, seq);
    if (!e)
        return false;
    e->day = day;
    snprintf(e->date, sizeof e->date, "%s", label ? label : "");
    e->width = 0; /* wrap again, with or without the date row */
    return true;
}

void scrollback_set_mark(struct scrollback *sb, uint64_t seq)
{
    sb->mark = seq;
}

uint64_t scrollback_mark(const struct scrollback *sb)
{
    return sb->mark;
}

bool scrollback_set_kind(struct scrollback *sb, uint64_t seq, enum scroll_kind kind)
{
    struct entry *e = entry_at(sb, seq);
    if (e)
        e->kind = kind;
    return e != NULL;
}

enum scroll_kind scrollback_kind(const struct scrollback *sb, uint64_t seq)
{
    struct entry *e = entry_at(sb, seq);
    return e ? e->kind : SCROLL_SYSTEM;
}

const char *scrollback_stamp(const struct scrollback *sb, uint64_t seq)
{
    struct entry *e = entry_at(sb, seq);
    return e ? e->stamp : "";
}

const char *scrollback_text(const struct scrollback *sb, uint64_t seq)
{
    struct entry *e = entry_at(sb, seq);
    return e ? e->text : "";
}

size_t scrollback_count(const struct scrollback *sb)
{
    return sb->count;
}

uint64_t scrollback_first(const struct scrollback *sb)
{
    return sb->base;
}

int scrollback_rows(struct scrollback *sb, uint64_t seq, int width, const struct scroll_row **rows)
{
    struct entry *e = entry_at(sb, seq), *prev = seq > 0 ? entry_at(sb, seq - 1) : NULL;
    unsigned hdr = 0;
    if (!e)
        return 0;
    if (e->day && (!prev || prev->day != e->day))
        hdr |= HDR_DATE;
    if (seq == sb->mark)
        hdr |= HDR_MARK;
    if (e->width != width || e->hdr != hdr)
        entry_wrap(e, width, hdr);
    *rows = e->rows;
    return e->n_rows;
}

static int rows_of(struct scrollback *sb, uint64_t seq, int width)
{
    const struct scroll_row *r;
    return scrollback_rows(sb, seq, width, &r);
}

void scrollback_view_end(struct scroll_view *v)
{
    v->follow = true;
    v->unseen = 0;
}

void scrollback_view_home(struct scrollback *sb, struct scroll_view *v)
{
    v->follow = false;
    v->top_seq = sb->base;
    v->top_row = 0;
}

/* The top of a following view: walk up from the newest entry until the
 * pane is full. */
static void bottom_top(struct scrollback *sb, int height, int width, uint64_t *seq, int *row)
{
    int need = height;
    *seq = sb->base;
    *row = 0;
    for (uint64_t s = sb->base + sb->count; s-- > sb->base;) {
        int n = rows_of(sb, s, width);
        if (n >= need) {
            *seq = s;
            *row = n - need;
            return;
        }
        need -= n;
    }
}

/* Whether the rows from the view's top to the end fit in the pane. */
static bool fits_below(struct scrollback *sb, const struct scroll_view *v, int height, int width)
{
    int total = -v->top_row;
    for (uint64_t s = v->top_seq; s < sb->base + sb->count; s++) {
        total += rows_of(sb, s, width);
        if (total > height)
            return false;
    }
    return true;
}

void scrollback_view_scroll(struct scrollback *sb, struct scroll_view *v, int delta, int height,
                            int width)
{
    if (!sb->count)
        return;
    if (v->follow)
        bottom_top(sb, height, width, &v->top_seq, &v->top_row);
    v->follow = false;
    if (v->top_seq < sb->base) {
        v->top_seq = sb->base;
        v->top_row = 0;
    }
    for (; delta < 0; delta++) {
        if (v->top_row > 0) {
            v->top_row--;
        } else if (v->top_seq > sb->base) {
            v->top_seq--;
            v->top_row = rows_of(sb, v->top_seq, width) - 1;
        } else {
            break;
        }
    }
    for (; delta > 0; delta--) {
        if (v->top_row + 1 < rows_of(sb, v->top_seq, width))
            v->top_row++;
        else if (v->top_seq + 1 < sb->base + sb->count) {
            v->top_seq++;
            v->top_row = 0;
        } else {
            break;
        }
    }
    if (fits_below(sb, v, height, width))
        scrollback_view_end(v);
}

void scrollback_view_show(struct scrollback *sb, struct scroll_view *v, uint64_t seq, int height,
                          int width)
{
    if (!entry_at(sb, seq))
        return;
    v->follow = false;
    v->top_seq = seq;
    v->top_row = 0;
    if (fits_below(sb, v, height, width))
        scrollback_view_end(v);
}

bool scrollback_at_top(struct scrollback *sb, const struct scroll_view *v, int height, int width)
{
    uint64_t seq = v->top_seq;
    int row = v->top_row;
    if (v->follow)
        bottom_top(sb, height, width, &seq, &row);
    return seq <= sb->base && row == 0;
}

int scrollback_visible(struct scrollback *sb, struct scroll_view *v, int height, int width,
                       void (*row_fn)(void *ud, int y, uint64_t seq, const struct scroll_row *r),
                       void *ud)
{
    uint64_t seq;
    int row, y = 0;

    if (!sb->count || height <= 0)
        return 0;
    if (v->follow) {
        bottom_top(sb, height, width, &seq, &row);
    } else {
        if (v->top_seq < sb->base) {
            v->top_seq = sb->base;
            v->top_row = 0;
        }
        seq = v->top_seq;
        row = v->top_row;
    }
    for (; y < height && seq < sb->base + sb->count; seq++, row = 0) {
        const struct scroll_row *rows;
        int n = scrollback_rows(sb, seq, width, &rows);
        for (; row < n && y < height; row++)
            row_fn(ud, y++, seq, &rows[row]);
    }
    return y;
}
