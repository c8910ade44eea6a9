/* Aligned text tables for people: cells are measured in display columns
 * (UTF-8 aware), columns shrink to fit the terminal and cut cells end in
 * "…". Colour (a bold header, green/red for yes/no style cells) only when
 * the caller says so.
 *
 * Ownership: the table copies every cell; table_free releases it all. */
#ifndef SB_TABLE_H
#define SB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum table_style { TABLE_PLAIN, TABLE_GOOD, TABLE_BAD, TABLE_DIM };

struct table;

/* A table of ncols columns, or NULL when ncols is 0. */
struct table *table_new(size_t ncols);
void table_free(struct table *t);
/* Column names, ncols strings then NULL (-1 once cells were added); a table
 * without a header prints only rows. */
int table_header(struct table *t, ...) __attribute__((sentinel));
/* Marks the first row (added cell by cell) as the header, for tables whose
 * columns are only known at run time. */
void table_first_row_is_header(struct table *t);
/* Adds the next cell, row by row; NULL is an empty cell. Control
 * characters are shown as spaces so that server text cannot break rows. */
void table_add(struct table *t, const char *cell);
void table_add_styled(struct table *t, const char *cell, enum table_style style);
void table_addf(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Right-aligns a column (numbers). */
void table_align_right(struct table *t, size_t col);
/* Lets a column shrink before the others when the table is too wide. */
void table_flexible(struct table *t, size_t col);
/* Lets a column's cells wrap onto more lines (at spaces) instead of being cut. */
void table_wrap(struct table *t, size_t col);
size_t table_rows(const struct table *t);

/* Prints the table; width <= 0 means no limit. Returns 0 or -1 on a write error. */
int table_print(const struct table *t, FILE *f, int width, bool color);
/* Makes the C library decode UTF-8 (widths depend on LC_CTYPE): the
 * user's locale when it is UTF-8, else C.UTF-8. Call once at start. */
void table_setup_locale(void);
/* The width of the terminal behind f, or 0 when f is not a terminal. */
int table_term_width(FILE *f);

#endif
