/* The chat pane's scrollback: word wrap with display widths, the ring, the
 * wrap cache and view movement. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "client/scrollback.h"
#include "tap.h"

struct rows {
    char out[16][64];
    int n;
};

static void collect(void *ud, const char *s, int len)
{
    struct rows *r = ud;
    if (r->n < 16)
        snprintf(r->out[r->n++], sizeof r->out[0], "%.*s", len, s);
}

static struct rows wrap(const char *text, int width)
{
    struct rows r = {.n = 0};
    scrollback_wrap(text, width, collect, &r);
    return r;
}

static void test_wrap(void)
{
    struct rows r = wrap("hello world foo", 11);
    is_int(r.n, 2, "two rows at width 11");
    is_str(r.out[0], "hello world", "breaks after the last word that fits");
    is_str(r.out[1], "foo", "the rest on the next row");

    r = wrap("turn   it up", 6);
    is_str(r.out[1], "it up", "spaces at a break are not carried over");

    r = wrap("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad", 6);
    is_int(r.n, 2, "five wide characters need two rows of 6 columns");
    is_str(r.out[0], "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
           "three wide characters fill 6 columns");

    r = wrap("abcdefghij", 4);
    is_int(r.n, 3, "a long word is cut");
    is_str(r.out[2], "ij", "and continues");

    r = wrap("line one\nline two\n\nend", 40);
    is_int(r.n, 4, "hard newlines are kept, empty lines too");
    is_str(r.out[2], "", "the empty line");

    r = wrap("", 10);
    is_int(r.n, 1, "an empty message still has a row");
}

static void test_ring(void)
{
    struct scrollback *sb = scrollback_new(3);
    uint64_t a = scrollback_add(sb, SCROLL_USER, "10:00", "one", NULL, NULL);
    scrollback_add(sb, SCROLL_BOT, "10:00", "two", NULL, NULL);
    scrollback_add(sb, SCROLL_USER, "10:01", "three", NULL, NULL);
    uint64_t d = scrollback_add(sb, SCROLL_BOT, "10:01", "four", NULL, NULL);
    const struct scroll_row *rows;

    is_int(scrollback_count(sb), 3, "the ring keeps its capacity");
    is_int((long long)(scrollback_first(sb) - a), 1, "the oldest entry was dropped");
    is_int(scrollback_rows(sb, a, 40, &rows), 0, "a dropped entry has no rows");
    is_int(scrollback_rows(sb, d, 40, &rows), 1, "the newest is there");
    ok(rows[0].part == SCROLL_ROW_FIRST && !strncmp(rows[0].s, "four", 4), "with its text");
    ok(scrollback_set_kind(sb, d, SCROLL_USER) && scrollback_kind(sb, d) == SCROLL_USER,
       "a pending entry can become delivered");
    scrollback_clear(sb);
    is_int(scrollback_count(sb), 0, "clear empties it");
    uint64_t e = scrollback_add(sb, SCROLL_BOT, NULL, "after", NULL, NULL);
    ok(e > d, "sequence numbers are never reused");
    uint64_t f = scrollback_prepend(sb, SCROLL_USER, NULL, "before", NULL, NULL);
    ok(f && f < e && scrollback_first(sb) == f, "history is prepended above");
    scrollback_free(sb);
}

static void count_row(void *ud, int y, uint64_t seq, const struct scroll_row *r)
{
    uint64_t *seen = ud;
    if (y == 0)
        seen[0] = seq;
    seen[1] = seq;
    seen[2]++;
}

static void test_view(void)
{
    struct scrollback *sb = scrollback_new(1000);
    struct scroll_view v = {0};
    uint64_t seen[3] = {0, 0, 0}, last = 0;
    const struct scroll_row *r1, *r2;
    char text[32];

    for (int i = 0; i < 100; i++) {
        snprintf(text, sizeof text, "message %d", i);
        last = scrollback_add(sb, SCROLL_USER, "10:00", text, NULL, NULL);
    }
    scrollback_view_end(&v);
    scrollback_visible(sb, &v, 10, 40, count_row, seen);
    is_int((long long)seen[2], 10, "a full pane of rows");
    is_int((long long)(last - seen[0]), 9, "following shows the newest ten");
    is_int((long long)seen[1], (long long)last, "down to the last");

    scrollback_view_scroll(sb, &v, -9, 10, 40);
    ok(!v.follow, "scrolling up stops following");
    memset(seen, 0, sizeof seen);
    scrollback_visible(sb, &v, 10, 40, count_row, seen);
    is_int((long long)(last - seen[0]), 18, "a page up shows older rows");

    scrollback_view_scroll(sb, &v, 9, 10, 40);
    ok(v.follow, "a page down at the end follows again");

    ok(!scrollback_at_top(sb, &v, 10, 40), "the middle is not the top");
    scrollback_view_home(sb, &v);
    ok(scrollback_at_top(sb, &v, 10, 40), "Home is");
    memset(seen, 0, sizeof seen);
    scrollback_visible(sb, &v, 10, 40, count_row, seen);
    is_int((long long)seen[0], (long long)scrollback_first(sb), "Home shows the oldest");

    uint64_t top = v.top_seq;
    scrollback_prepend(sb, SCROLL_BOT, NULL, "older", NULL, NULL);
    ok(v.top_seq == top && !scrollback_at_top(sb, &v, 10, 40),
       "prepending older history leaves the view where it was");
    scrollback_rows(sb, last, 40, &r1);
    scrollback_rows(sb, last, 40, &r2);
    ok(r1 == r2, "wrapped rows are cached at one width");
    is_int(scrollback_rows(sb, last, 20, &r1), 2, "and rewrapped at another");
    scrollback_free(sb);
}

/* Date rows above the first entry of each day, and the "new" mark. */
static void test_headers(void)
{
    struct scrollback *sb = scrollback_new(10);
    uint64_t a = scrollback_add(sb, SCROLL_USER, "10:00", "one", NULL, NULL);
    uint64_t b = scrollback_add(sb, SCROLL_BOT, "10:00", "two", NULL, NULL);
    uint64_t c = scrollback_add(sb, SCROLL_USER, "09:00", "three", NULL, NULL);
    const struct scroll_row *rows;

    scrollback_set_date(sb, a, 1, "Monday");
    scrollback_set_date(sb, b, 1, "Monday");
    scrollback_set_date(sb, c, 2, "Tuesday");
    is_int(scrollback_rows(sb, a, 40, &rows), 2, "the first entry of a day has its date above");
    ok(rows[0].part == SCROLL_ROW_DATE && !strncmp(rows[0].s, "Monday", 6) && !rows[0].lead &&
           rows[1].lead && rows[1].part == SCROLL_ROW_FIRST,
       "a date row, then the entry's first row with its stamp");
    is_int(scrollback_rows(sb, b, 40, &rows), 1, "the same day: no date row");
    is_int(scrollback_rows(sb, c, 40, &rows), 2, "a new day: its date row");
    scrollback_set_mark(sb, b);
    is_int(scrollback_rows(sb, b, 40, &rows), 2, "the mark adds a row above its entry");
    ok(rows[0].part == SCROLL_ROW_MARK, "the \"new messages\" row");
    uint64_t z = scrollback_prepend(sb, SCROLL_BOT, "08:00", "zero", NULL, NULL);
    scrollback_set_date(sb, z, 1, "Monday");
    is_int(scrollback_rows(sb, a, 40, &rows), 1,
           "an older entry of the same day prepended takes the date row from it");
    is_int(scrollback_rows(sb, z, 40, &rows), 2, "to itself");
    scrollback_free(sb);
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "");
    test_wrap();
    test_ring();
    test_view();
    test_headers();
    return tap_done();
}
