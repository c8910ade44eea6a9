/* Tables: alignment, UTF-8 widths, fitting to the terminal width. */
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "client/table.h"
#include "common/utf8.h"

/* Prints t into a string. */
static char *render(struct table *t, int width, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    table_print(t, f, width, color);
    fclose(f);
    return buf;
}

/* The display width of each line of s, the widest returned. */
static int widest_line(const char *s)
{
    int widest = 0;
    char *copy = strdup(s);
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        int w = utf8_width(line);
        if (w > widest)
            widest = w;
    }
    free(copy);
    return widest;
}

static void test_alignment(void)
{
    struct table *t = table_new(3);
    table_header(t, "ID", "NAME", "VOL", NULL);
    table_align_right(t, 2);
    table_add(t, "dev_001");
    table_add(t, "Living Room Speaker");
    table_add(t, "5");
    table_add(t, "d2");
    table_add(t, "Küche 🎵");
    table_add(t, "100");
    is_int(table_rows(t), 2, "two rows besides the header");
    char *out = render(t, 0, false);
    is_str(out,
           "ID       NAME                 VOL\n"
           "dev_001  Living Room Speaker    5\n"
           "d2       Küche 🎵             100\n",
           "columns aligned by display width, numbers right-aligned");
    free(out);
    out = render(t, 0, true);
    ok(strstr(out, "\033[1mID\033[0m") != NULL, "header is bold with colour");
    free(out);
    table_free(t);
}

static void test_fit(void)
{
    struct table *t = table_new(3);
    table_header(t, "ID", "TEXT", "WHO", NULL);
    table_flexible(t, 1);
    table_add(t, "m1");
    table_add(t, "a long message that will not fit in a narrow terminal at all");
    table_add(t, "bot");
    table_add(t, "m2");
    table_add(t, "日本語のテキストはとても長いです");
    table_add(t, "user");
    char *out = render(t, 30, false);
    is_int(widest_line(out), 30, "rows fit exactly in 30 columns");
    ok(strstr(out, "\xe2\x80\xa6") != NULL, "cut cells end with an ellipsis");
    ok(strstr(out, "m2") && strstr(out, "user"), "fixed columns keep their text");
    free(out);
    out = render(t, 0, false);
    ok(strstr(out, "narrow terminal at all") != NULL, "no width limit keeps whole cells");
    free(out);
    table_free(t);
}

static void test_wrap(void)
{
    struct table *t = table_new(3);
    table_header(t, "WHO", "TEXT", "N", NULL);
    table_wrap(t, 1);
    table_add(t, "bot");
    table_add(t, "Changing songs needs the Premium plan ($9.99/month); you're on Basic.");
    table_add(t, "1");
    table_add(t, "user");
    table_add(t, "short");
    table_add(t, "2");
    char *out = render(t, 30, false);
    is_str(out,
           "WHO   TEXT                   N\n"
           "bot   Changing songs needs   1\n"
           "      the Premium plan\n"
           "      ($9.99/month); you're\n"
           "      on Basic.\n"
           "user  short                  2\n",
           "a wrapping column continues on more lines, other columns stay aligned");
    free(out);
    out = render(t, 0, false);
    ok(strstr(out, "Premium plan ($9.99/month); you're on Basic.  1") != NULL,
       "without a width limit nothing wraps");
    free(out);
    table_free(t);
}

static void test_sanitize_and_styles(void)
{
    struct table *t = table_new(2);
    table_add(t, "a\tb\nc\033[31m");
    table_add_styled(t, "yes", TABLE_GOOD);
    char *out = render(t, 0, false);
    is_str(out, "a b c [31m  yes\n", "control characters become spaces; no colour when off");
    free(out);
    out = render(t, 0, true);
    ok(strstr(out, "\033[32myes\033[0m") != NULL, "good cells are green with colour");
    free(out);
    table_free(t);
    ok(table_new(0) == NULL, "a table needs at least one column");
}

int main(void)
{
    table_setup_locale();
    test_alignment();
    test_fit();
    test_wrap();
    test_sanitize_and_styles();
    return tap_done();
}
