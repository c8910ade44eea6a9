/* --jq EXPR: a jq program (libjq, the real jq language) run on the JSON a
 * command prints. Each result goes on its own line: strings as raw text
 * (as `jq -r` and gh's --jq do), other values as JSON, pretty on a
 * terminal and compact otherwise.
 *
 * Ownership: jqfilter_new makes a filter that jqfilter_free releases. */
#ifndef SB_JQFILTER_H
#define SB_JQFILTER_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "common/err.h"

struct jqfilter;

/* Compiles expr. SB_EINVAL with jq's own message when it does not compile. */
int jqfilter_new(const char *expr, struct jqfilter **out, struct sb_err *err);
void jqfilter_free(struct jqfilter *f);
/* Runs the filter on v and writes the results to out. terminal: out is a
 * terminal, so non-string results are indented and raw strings go through
 * the terminal sanitiser (termsafe.h). SB_EINVAL with jq's message on a
 * run-time error (the results before it are written). */
int jqfilter_run(struct jqfilter *f, json_object *v, FILE *out, bool terminal, struct sb_err *err);

#endif
