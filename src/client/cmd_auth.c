/* login, logout, auth status: the server and token kept in the config file. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "client/cfgedit.h"
#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/settings.h"
#include "client/termsafe.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

/* A device id no customer has: the admin check below deletes it (a no-op). */
#define PROBE_DEVICE "servicebot-auth-probe"

/* Who a token is: admin, or one customer with its plan. */
struct identity {
    bool admin;
    json_object *customer; /* the customer record when not admin (owned) */
    json_object *level;    /* its service level, or NULL (owned) */
};

static void identity_free(struct identity *id)
{
    if (id->customer)
        json_object_put(id->customer);
    if (id->level)
        json_object_put(id->level);
    memset(id, 0, sizeof(*id));
}

/* A customer token sees itself alone in the customer list; an admin token
 * sees them all. With one customer in the store, an admin-only request
 * that changes nothing (deleting a device that does not exist) tells them
 * apart: 404 for an admin, 403 for a customer. */
static int identify(const struct cli_ctx *ctx, struct identity *id)
{
    json_object *body = NULL;
    memset(id, 0, sizeof(*id));
    int rc = cmdutil_call(ctx, "GET", "/api/customers", NULL, "customers", &body);
    if (rc != CLI_OK)
        return rc;
    json_object *list = cmdutil_list(body, "customers");
    size_t n = list ? json_object_array_length(list) : 0;
    id->admin = n != 1;
    if (n == 1) {
        json_object *c = json_object_array_get_idx(list, 0);
        char esc[3 * MODEL_ID_MAX + 1], path[512];
        struct rest_response r = {0};
        struct sb_err err = {0};
        if (rest_escape(jsonx_get_string(c, "id") ?: "", esc, sizeof(esc)) == 0) {
            snprintf(path, sizeof(path), "/api/customers/%s/devices/" PROBE_DEVICE, esc);
            if (rest_request(ctx, "DELETE", path, NULL, &r, &err) == SB_OK)
                id->admin = r.status == 404;
            rest_response_free(&r);
        }
        if (!id->admin)
            id->customer = json_object_get(c);
    }
    json_object_put(body);
    const char *level = id->customer ? jsonx_get_string(id->customer, "service_level") : NULL;
    char esc[3 * MODEL_ID_MAX + 1], path[512];
    if (level && rest_escape(level, esc, sizeof(esc)) == 0) {
        snprintf(path, sizeof(path), "/api/service-levels/%s", esc);
        struct rest_response r = {0};
        struct sb_err err = {0};
        if (rest_request(ctx, "GET", path, NULL, &r, &err) == SB_OK && r.status == 200 && r.body)
            id->level = json_object_get(cmdutil_unwrap(r.body, "service_level"));
        rest_response_free(&r);
    }
    return CLI_OK;
}

/* "customer cust_001 (Jane Smith), Basic plan (free)" or "admin". */
static void describe(const struct identity *id, char *buf, size_t n)
{
    char price[64];
    if (id->admin) {
        snprintf(buf, n, "admin (every customer)");
        return;
    }
    cmdutil_price(id->level, price, sizeof(price));
    snprintf(buf, n, "customer %s (%s), %s plan (%s)", jsonx_get_string(id->customer, "id") ?: "?",
             jsonx_get_string(id->customer, "name") ?: "?",
             id->level ? jsonx_get_string(id->level, "name") ?: "?"
                       : jsonx_get_string(id->customer, "service_level") ?: "?",
             price);
}

/* One line from stdin without its newline into buf. On a terminal the
 * question is shown, and a secret is not echoed; from a pipe the lines are
 * just read. Returns 0, or -1 at end of input. */
static int prompt(const char *question, bool secret, char *buf, size_t n)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO);
    bool hidden = secret && tty && tcgetattr(STDIN_FILENO, &old) == 0;
    /* Echo goes off before the question shows, and without flushing input:
     * whatever is typed once the question is there is kept, and not shown. */
    if (hidden) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    if (tty) {
        fputs(question, stderr);
        fflush(stderr);
    }
    char *got = fgets(buf, (int)n, stdin);
    if (hidden) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!got)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    /* Spaces around a pasted token are never part of it. */
    size_t lead = strspn(buf, " \t"), len = strlen(buf);
    memmove(buf, buf + lead, len - lead + 1);
    for (len = strlen(buf); len && (buf[len - 1] == ' ' || buf[len - 1] == '\t');)
        buf[--len] = '\0';
    return 0;
}

/* The config file login and logout write: the one in use, or the default. */
static char *config_target(const struct cli_ctx *ctx)
{
    return ctx->config_path ? xstrdup(ctx->config_path) : settings_default_path();
}

int cmd_login(struct cli_ctx *ctx, int argc, char **argv)
{
    char server[1024], token[1024], who[600];
    struct identity id = {0};
    struct cli_ctx check = *ctx;
    char *path = config_target(ctx);
    int rc = CLI_OK;
    if (!path) {
        rc = cmdutil_fail(ctx, CLI_FAIL, "no config file to write: set HOME or XDG_CONFIG_HOME");
        goto out;
    }
    /* Given on the command line: no question. Otherwise asked, with the
     * current setting as the answer to an empty line. */
    if (!strcmp(ctx->server_from, "--server")) {
        snprintf(server, sizeof(server), "%s", ctx->server);
    } else {
        char q[1100];
        snprintf(q, sizeof(q), "Server [%s]: ", ctx->server);
        if (prompt(q, false, server, sizeof(server)) < 0) {
            rc = commands_usage_error(ctx->command, "no server given (end of input)");
            goto out;
        }
        if (!*server)
            snprintf(server, sizeof(server), "%s", ctx->server);
    }
    if (strncmp(server, "http://", 7) && strncmp(server, "https://", 8)) {
        rc = commands_usage_error(ctx->command,
                                  "server must be an http:// or https:// URL, got '%s'", server);
        goto out;
    }
    if (ctx->token && !strcmp(ctx->token_from, "--token"))
        snprintf(token, sizeof(token), "%s", ctx->token);
    else if (prompt("Token: ", true, token, sizeof(token)) < 0 || !*token) {
        rc = commands_usage_error(ctx->command, "no token given");
        goto out;
    }
    /* Checked before anything is stored. */
    check.server = server;
    check.token = token;
    check.json = false;
    rc = identify(&check, &id);
    if (rc != CLI_OK) {
        fprintf(stderr, "%s: nothing was saved\n", ctx->prog);
        goto out;
    }
    const struct cfgedit_change changes[] = {{"server", server}, {"token", token}};
    struct sb_err err = {0};
    if (cfgedit_apply(path, changes, 2, &err) != SB_OK) {
        rc = cmdutil_fail_err(ctx, &err);
        goto out;
    }
    describe(&id, who, sizeof(who));
    if (!ctx->quiet)
        termsafe_fprintf(stderr, "%s: logged in to %s as %s; saved in %s\n", ctx->prog, server, who,
                         path);
out:
    explicit_bzero(token, sizeof(token));
    identity_free(&id);
    free(path);
    return rc;
}

int cmd_logout(struct cli_ctx *ctx, int argc, char **argv)
{
    char *path = config_target(ctx);
    struct sb_err err = {0};
    int rc = CLI_OK;
    const struct cfgedit_change changes[] = {{"token", NULL}};
    bool saved = ctx->token_from && strchr(ctx->token_from, ':') && ctx->config_path;
    if (!path) {
        rc = cmdutil_fail(ctx, CLI_FAIL, "no config file: set HOME or XDG_CONFIG_HOME");
    } else if (!saved) {
        if (!ctx->quiet)
            fprintf(stderr, "%s: no token is saved in %s\n", ctx->prog, path);
    } else if (cfgedit_apply(path, changes, 1, &err) != SB_OK) {
        rc = cmdutil_fail_err(ctx, &err);
    } else if (!ctx->quiet) {
        fprintf(stderr, "%s: logged out: the token is removed from %s\n", ctx->prog, path);
    }
    if (rc == CLI_OK && getenv("SERVICEBOT_TOKEN") && *getenv("SERVICEBOT_TOKEN"))
        fprintf(stderr, "%s: note: SERVICEBOT_TOKEN is still set in the environment\n", ctx->prog);
    free(path);
    return rc;
}

/* "abcd…wxyz": enough to tell tokens apart, not enough to use one. */
static void mask(const char *token, char *buf, size_t n)
{
    size_t len = strlen(token);
    if (len < 12)
        snprintf(buf, n, "%.*s", (int)len, "************");
    else
        snprintf(buf, n, "%.4s\xe2\x80\xa6%s", token, token + len - 4);
}

int cmd_auth_status(struct cli_ctx *ctx, int argc, char **argv)
{
    struct identity id = {0};
    char masked[64], who[600];
    if (!ctx->token) {
        int rc = cmdutil_fail_json(ctx, CLI_UNAUTHORIZED, "unauthorized",
                                   "not logged in: no token for %s", ctx->server);
        fprintf(stderr, "%s: hint: 'servicebot login' asks for one and saves it\n", ctx->prog);
        return rc;
    }
    int rc = identify(ctx, &id);
    if (rc != CLI_OK)
        return rc;
    mask(ctx->token, masked, sizeof(masked));
    if (ctx->json) {
        json_object *o = xjson(json_object_new_object());
        json_object_object_add(o, "server", xjson(json_object_new_string(ctx->server)));
        json_object_object_add(o, "serverFrom", xjson(json_object_new_string(ctx->server_from)));
        json_object_object_add(o, "token", xjson(json_object_new_string(masked)));
        json_object_object_add(o, "tokenFrom", xjson(json_object_new_string(ctx->token_from)));
        json_object_object_add(o, "role",
                               xjson(json_object_new_string(id.admin ? "admin" : "customer")));
        json_object_object_add(o, "customer", id.customer ? json_object_get(id.customer) : NULL);
        json_object_object_add(o, "level", id.level ? json_object_get(id.level) : NULL);
        rc = cmdutil_print_json(ctx, o);
        json_object_put(o);
    } else {
        struct table *t = table_new(2);
        describe(&id, who, sizeof(who));
        table_add_styled(t, "Server", TABLE_DIM);
        table_addf(t, "%s (from %s)", ctx->server, ctx->server_from);
        table_add_styled(t, "Token", TABLE_DIM);
        table_addf(t, "%s (from %s)", masked, ctx->token_from);
        table_add_styled(t, "Logged in as", TABLE_DIM);
        table_add(t, who);
        rc = cmdutil_print_table(ctx, t);
        table_free(t);
    }
    identity_free(&id);
    return rc;
}
