/* The denial renderer: turns a structured denial (doc/protocol.md, from a
 * chat reply or a REST 403) or a device-limit error into what a person reads:
 * what was refused, the plan that would allow it with its price, and what
 * the customer can still do. The CLI prints it to stderr; the TUI draws the
 * same lines as a distinct block. */
#ifndef SB_RENDER_H
#define SB_RENDER_H

#include <json-c/json.h>
#include <stddef.h>

/* The rendered block as lines, each at most width display columns (word
 * wrapped; width <= 0 means no wrapping). lines[0] is the headline.
 * Returns 0, or -1 when denial is not a denial object. The caller frees
 * with render_lines_free. */
struct render_lines {
    char **lines;
    size_t n;
};
int render_denial(json_object *denial, int width, struct render_lines *out);
int render_limit(json_object *limit, int width, struct render_lines *out);
void render_lines_free(struct render_lines *l);

#endif
