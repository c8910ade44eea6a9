/* What the subcommands share: one GET/PATCH/POST with the error handling a
 * person needs (hints for tokens, rendered denials), JSON output, finding
 * the customer, and the small formatting helpers for tables.
 *
 * Every function returning int returns an enum cli_exit and has already
 * told the user on stderr when it is not CLI_OK. Bodies handed back are
 * new references the caller must json_object_put(). */
#ifndef SB_CMDUTIL_H
#define SB_CMDUTIL_H

#include <json-c/json.h>
#include <stddef.h>

#include "client/cli.h"
#include "client/rest.h"
#include "client/table.h"
#include "common/err.h"

/* Prints "servicebot: message" on stderr and returns code. */
int cmdutil_fail(const struct cli_ctx *ctx, enum cli_exit code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a refusal the client found itself (an unknown device name):
 * with --json it also prints {"error": SENTENCE, "code": MACHINE_CODE} on
 * stdout, the shape the server's errors have (see cmdutil_fail_response). */
int cmdutil_fail_json(const struct cli_ctx *ctx, enum cli_exit code, const char *machine_code,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The exit code for a failed library call, after printing err. */
int cmdutil_fail_err(const struct cli_ctx *ctx, const struct sb_err *err);
/* Explains a non-2xx response (what, e.g. "device dev_009", names the
 * object for not-found messages) on stderr; denials are rendered.
 * The --json rule (servicebot(1)): whenever the server answered, its error
 * object goes to stdout as well, denial or not found alike; when it did not
 * answer (usage error, unreachable) stdout stays empty. */
int cmdutil_fail_response(const struct cli_ctx *ctx, const struct rest_response *r,
                          const char *what);

/* Sends a request and hands back the body of a 2xx answer. */
int cmdutil_call(const struct cli_ctx *ctx, const char *method, const char *path, json_object *body,
                 const char *what, json_object **out);

/* A GET for a command that shows what it gets: with --json the body is
 * printed here and *out is NULL; otherwise *out is the body to show. */
int cmdutil_show(const struct cli_ctx *ctx, const char *path, const char *what, json_object **out);

/* The customer to act for: the --customer option of the command, the global
 * setting, or the only customer a customer token can see. id is filled. */
int cmdutil_customer(const struct cli_ctx *ctx, char *id, size_t n);

/* Writes v as JSON on stdout (pretty) followed by a newline. Write errors
 * are left to main, which checks stdout once before exiting. */
int cmdutil_print_json(const struct cli_ctx *ctx, json_object *v);
/* The same on one line (compact), for streams of objects such as watch. */
int cmdutil_print_json_line(const struct cli_ctx *ctx, json_object *v);
/* Prints a table on stdout fitted to the terminal. */
int cmdutil_print_table(const struct cli_ctx *ctx, const struct table *t);
/* Renders a denial or device-limit object on stderr as a block. */
void cmdutil_print_denial(const struct cli_ctx *ctx, json_object *denial, json_object *limit);

/* The array body[key], or body itself when it is an array; NULL otherwise. */
json_object *cmdutil_list(json_object *body, const char *key);
/* The values of key in the records of list, as "a, b, c" (cut to fit n). */
void cmdutil_join(json_object *list, const char *key, char *buf, size_t n);
/* body[key] when it is an object (a wrapped record), else body. */
json_object *cmdutil_unwrap(json_object *body, const char *key);
/* A field as text for a table cell: strings as they are, numbers printed,
 * null/absent as "-", lists joined with ", ". Owned by the object or buf. */
const char *cmdutil_field(json_object *o, const char *key, char *buf, size_t n);
/* "$9.99/month" or "free". */
void cmdutil_price(json_object *level, char *buf, size_t n);

#endif
