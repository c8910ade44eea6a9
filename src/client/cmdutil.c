#include "client/cmdutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/commands.h"
#include "client/jqfilter.h"
#include "client/render.h"
#include "client/termsafe.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

int cmdutil_fail(const struct cli_ctx *ctx, enum cli_exit code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", ctx->prog);
    termsafe_vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

int cmdutil_fail_json(const struct cli_ctx *ctx, enum cli_exit code, const char *machine_code,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (ctx->json) {
        json_object *e = xjson(json_object_new_object());
        json_object_object_add(e, "error", xjson(json_object_new_string(msg)));
        json_object_object_add(e, "code", xjson(json_object_new_string(machine_code)));
        cmdutil_print_json(ctx, e);
        json_object_put(e);
    }
    cmdutil_fail(ctx, code, "%s", msg);
    free(msg);
    return code;
}

int cmdutil_fail_err(const struct cli_ctx *ctx, const struct sb_err *err)
{
    enum cli_exit code;
    switch (err->code) {
    case SB_EUNAVAIL:
        code = CLI_UNREACHABLE;
        break;
    case SB_EINVAL:
        code = CLI_USAGE;
        break;
    case SB_ENOTFOUND:
        code = CLI_NOT_FOUND;
        break;
    case SB_EDENIED:
    case SB_ELIMIT:
        code = CLI_DENIED;
        break;
    case SB_EAUTH:
        code = CLI_UNAUTHORIZED;
        break;
    default:
        code = CLI_FAIL;
    }
    return cmdutil_fail(ctx, code, "%s", err->msg);
}

/* How to give the client a token, shown after a 401. */
static void token_hint(const struct cli_ctx *ctx)
{
    fprintf(stderr,
            "%s: hint: pass --token TOKEN, set SERVICEBOT_TOKEN, or add 'token = TOKEN' to %s;\n"
            "%s: 'servicebotd token create --customer ID' prints a new token.\n",
            ctx->prog, ctx->config_path ? ctx->config_path : "~/.config/servicebot/config",
            ctx->prog);
}

int cmdutil_fail_response(const struct cli_ctx *ctx, const struct rest_response *r,
                          const char *what)
{
    int code = rest_exit_code(r);
    json_object *denial = NULL, *limit = NULL;
    if (r->body) {
        json_object_object_get_ex(r->body, "denial", &denial);
        json_object_object_get_ex(r->body, "limit", &limit);
    }
    if (ctx->json && r->body)
        cmdutil_print_json(ctx, r->body);
    if (code == CLI_DENIED && (denial || limit)) {
        cmdutil_print_denial(ctx, denial, limit);
        return code;
    }
    const char *sentence = r->body ? jsonx_get_string(r->body, "error") : NULL;
    if (!r->body) {
        cmdutil_fail(ctx, code, "%s answered HTTP %ld without JSON: is it servicebotd?",
                     ctx->server, r->status);
    } else if (r->status == 401 && !ctx->token) {
        cmdutil_fail(ctx, code, "no token given, and %s needs one", ctx->server);
        token_hint(ctx);
    } else if (r->status == 401) {
        cmdutil_fail(ctx, code, "the server did not accept the token: %s",
                     sentence ? sentence : "unauthorized");
        token_hint(ctx);
    } else if (r->status == 403) {
        cmdutil_fail(ctx, code, "not allowed: %s",
                     sentence ? sentence : "this token cannot reach that customer");
    } else if (sentence) {
        cmdutil_fail(ctx, code, "%s", sentence);
    } else if (r->status == 404) {
        cmdutil_fail(ctx, code, "%s not found", what ? what : "the object");
    } else {
        cmdutil_fail(ctx, code, "the server answered HTTP %ld", r->status);
    }
    json_object *fields;
    if (r->body && json_object_object_get_ex(r->body, "fields", &fields) &&
        json_object_is_type(fields, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(fields); i++) {
            json_object *f = json_object_array_get_idx(fields, i);
            const char *name = jsonx_get_string(f, "field"),
                       *problem = jsonx_get_string(f, "problem");
            if (name && problem && !(sentence && strstr(sentence, problem)))
                termsafe_fprintf(stderr, "%s:   %s: %s\n", ctx->prog, name, problem);
        }
    }
    return code;
}

int cmdutil_call(const struct cli_ctx *ctx, const char *method, const char *path, json_object *body,
                 const char *what, json_object **out)
{
    struct rest_response r;
    struct sb_err err = {0};
    *out = NULL;
    if (rest_request(ctx, method, path, body, &r, &err) != SB_OK)
        return cmdutil_fail_err(ctx, &err);
    int code = rest_exit_code(&r);
    if (code != CLI_OK) {
        code = cmdutil_fail_response(ctx, &r, what);
    } else if (!r.body) {
        code = cmdutil_fail(ctx, CLI_FAIL, "%s answered %s %s without JSON: is it servicebotd?",
                            ctx->server, method, path);
    } else {
        *out = r.body;
        r.body = NULL;
    }
    rest_response_free(&r);
    return code;
}

int cmdutil_show(const struct cli_ctx *ctx, const char *path, const char *what, json_object **out)
{
    int rc = cmdutil_call(ctx, "GET", path, NULL, what, out);
    if (rc == CLI_OK && ctx->json) {
        rc = cmdutil_print_json(ctx, *out);
        json_object_put(*out);
        *out = NULL;
    }
    return rc;
}

void cmdutil_join(json_object *list, const char *key, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        const char *id = jsonx_get_string(json_object_array_get_idx(list, i), key);
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", id ? id : "?");
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

int cmdutil_customer(const struct cli_ctx *ctx, char *id, size_t n)
{
    const char *given = cli_opt(ctx, "customer");
    if (!given)
        given = ctx->customer;
    if (given) {
        snprintf(id, n, "%s", given);
        return CLI_OK;
    }
    json_object *body = NULL;
    int rc = cmdutil_call(ctx, "GET", "/api/customers", NULL, "customers", &body);
    if (rc != CLI_OK)
        return rc;
    json_object *list = cmdutil_list(body, "customers");
    size_t count = list ? json_object_array_length(list) : 0;
    const char *only =
        count == 1 ? jsonx_get_string(json_object_array_get_idx(list, 0), "id") : NULL;
    if (only) {
        snprintf(id, n, "%s", only);
    } else {
        char ids[400];
        cmdutil_join(list, "id", ids, sizeof(ids));
        rc = cmdutil_fail(ctx, CLI_USAGE,
                          "which customer? use --customer ID or set SERVICEBOT_CUSTOMER%s%s%s",
                          *ids ? " (customers: " : "", ids, *ids ? ")" : "");
    }
    json_object_put(body);
    return rc;
}

int cmdutil_print_json(const struct cli_ctx *ctx, json_object *v)
{
    if (ctx->jq) {
        struct sb_err err = {0};
        if (jqfilter_run(ctx->jq, v, stdout, isatty(STDOUT_FILENO), &err) != SB_OK)
            return cmdutil_fail(ctx, CLI_FAIL, "%s", err.msg);
        return CLI_OK;
    }
    const char *s = json_object_to_json_string_ext(
        v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    fputs(s, stdout);
    fputc('\n', stdout);
    return CLI_OK; /* write errors are reported once, by main after the final flush */
}

int cmdutil_print_json_line(const struct cli_ctx *ctx, json_object *v)
{
    if (ctx->jq)
        return cmdutil_print_json(ctx, v);
    fputs(
        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
        stdout);
    fputc('\n', stdout);
    return CLI_OK;
}

int cmdutil_print_table(const struct cli_ctx *ctx, const struct table *t)
{
    /* a write error is main's to report (it checks ferror(stdout)) */
    table_print(t, stdout, table_term_width(stdout), ctx->color);
    return CLI_OK;
}

void cmdutil_print_denial(const struct cli_ctx *ctx, json_object *denial, json_object *limit)
{
    struct render_lines lines;
    int width = table_term_width(stderr);
    int indent = (int)strlen(ctx->prog) + 2;
    width = width > indent + 20 ? width - indent : 0;
    int rc = denial ? render_denial(denial, width, &lines) : render_limit(limit, width, &lines);
    if (rc < 0) {
        fprintf(stderr, "%s: refused by the customer's plan\n", ctx->prog);
        return;
    }
    bool color = ctx->color && (ctx->color_always || isatty(STDERR_FILENO));
    for (size_t i = 0; i < lines.n; i++) {
        /* The colour is ours; the line is the server's, so it is cleaned first. */
        char *line = termsafe_dup(lines.lines[i], TERMSAFE_ONE_LINE);
        if (i == 0)
            fprintf(stderr, "%s: %s%s%s\n", ctx->prog, color ? "\033[1;33m" : "", line,
                    color ? "\033[0m" : "");
        else
            fprintf(stderr, "%*s%s\n", indent, "", line);
        free(line);
    }
    render_lines_free(&lines);
}

json_object *cmdutil_list(json_object *body, const char *key)
{
    json_object *v;
    if (!body)
        return NULL;
    if (json_object_is_type(body, json_type_array))
        return body;
    if (json_object_object_get_ex(body, key, &v) && json_object_is_type(v, json_type_array))
        return v;
    return NULL;
}

json_object *cmdutil_unwrap(json_object *body, const char *key)
{
    json_object *v;
    if (body && json_object_object_get_ex(body, key, &v) &&
        json_object_is_type(v, json_type_object))
        return v;
    return body;
}

const char *cmdutil_field(json_object *o, const char *key, char *buf, size_t n)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return "-";
    switch (json_object_get_type(v)) {
    case json_type_string:
        return json_object_get_string(v);
    case json_type_array: {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            const char *s = json_object_get_string(json_object_array_get_idx(v, i));
            int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s ? s : "-");
            if (w < 0 || (size_t)w >= n - used)
                break;
            used += (size_t)w;
        }
        return used ? buf : "-";
    }
    default:
        snprintf(buf, n, "%s", json_object_get_string(v));
        return buf;
    }
}

void cmdutil_price(json_object *level, char *buf, size_t n)
{
    json_object *v;
    if (!level || !json_object_object_get_ex(level, "price", &v) ||
        !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
        snprintf(buf, n, "-");
    else if (json_object_get_double(v) <= 0)
        snprintf(buf, n, "free");
    else
        snprintf(buf, n, "$%.2f/month", json_object_get_double(v));
}
