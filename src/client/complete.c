/* servicebot __complete WORD...: the candidates for the last word of a
 * command line, one per line, for the bash, zsh and fish completions. The
 * command table says what completes where; device ids, customers and levels
 * come from the server when it answers quickly, and are left out when not. */
#include <stdio.h>
#include <string.h>

#include "client/commands.h"
#include "client/rest.h"
#include "client/settings.h"
#include "common/jsonx.h"
#include "common/model.h"

#define COMPLETE_CONNECT_MS 500L
#define COMPLETE_TIMEOUT_MS 2000L

/* Where the words before the current one leave us. */
struct position {
    const struct cli_command *cmd;
    const char *group;          /* a group word still waiting for its subcommand */
    const struct cli_opt *want; /* an option still waiting for its value */
    int npos;
    const char *last_pos; /* the latest positional argument */
    bool after_dashes;
    struct settings_flags flags;
};

static void emit(const char *word, const char *cur)
{
    if (word && !strncmp(word, cur, strlen(cur)))
        printf("%s\n", word);
}

static const struct cli_opt *find_any_opt(const struct position *p, const char *name)
{
    const struct cli_opt *o = p->cmd ? commands_find_opt(p->cmd->opts, name) : NULL;
    return o ? o : commands_find_opt(commands_globals, name);
}

/* Walks the finished words: command, options and their values, positionals. */
static void walk(int n, char **words, struct position *p)
{
    memset(p, 0, sizeof(*p));
    for (int i = 0; i < n; i++) {
        const char *w = words[i];
        if (p->want && !strcmp(w, "=")) {
            continue; /* bash splits "--opt=value" at the "=" */
        } else if (p->want) {
            commands_apply_global(p->want, w, &p->flags);
            p->want = NULL;
        } else if (!p->after_dashes && !strcmp(w, "--")) {
            p->after_dashes = true;
        } else if (!p->after_dashes && !strncmp(w, "--", 2)) {
            char name[64];
            snprintf(name, sizeof(name), "%.*s", (int)strcspn(w + 2, "="), w + 2);
            const struct cli_opt *o = find_any_opt(p, name);
            const char *eq = strchr(w, '=');
            if (o && o->arg && eq)
                commands_apply_global(o, eq + 1, &p->flags);
            else if (o && o->arg)
                p->want = o;
        } else if (!p->after_dashes && w[0] == '-' && w[1]) {
            continue;
        } else if (!p->cmd && p->group) {
            char *two[] = {(char *)p->group, (char *)w};
            int used;
            p->cmd = commands_lookup(2, two, &used);
            p->group = NULL;
        } else if (!p->cmd && commands_is_group(w)) {
            p->group = w;
        } else if (!p->cmd) {
            int used;
            p->cmd = commands_lookup(1, (char **)&w, &used);
        } else {
            p->npos++;
            p->last_pos = w;
        }
    }
}

/* GET path quietly; the array under key, as a new reference, or NULL. */
static json_object *fetch_list(const struct cli_ctx *ctx, const char *path, const char *key)
{
    struct rest_response r;
    struct sb_err err;
    json_object *list = NULL, *v;
    if (rest_request(ctx, "GET", path, NULL, &r, &err) != SB_OK)
        return NULL;
    if (r.status == 200 && r.body) {
        if (json_object_is_type(r.body, json_type_array))
            list = json_object_get(r.body);
        else if (json_object_object_get_ex(r.body, key, &v) &&
                 json_object_is_type(v, json_type_array))
            list = json_object_get(v);
    }
    rest_response_free(&r);
    return list;
}

static void emit_field(json_object *list, const char *key, const char *cur)
{
    for (size_t i = 0; list && i < json_object_array_length(list); i++)
        emit(jsonx_get_string(json_object_array_get_idx(list, i), key), cur);
    if (list)
        json_object_put(list);
}

/* The ids the server knows: devices or routines of the customer, customers, or levels. */
static void emit_remote(const struct position *p, const char *what, const char *cur)
{
    struct settings s;
    struct cli_ctx ctx = {.prog = "servicebot"};
    struct sb_err err;
    if (settings_resolve(&p->flags, &s, &ctx, &err) != SB_OK)
        goto out;
    ctx.connect_timeout_ms = COMPLETE_CONNECT_MS;
    ctx.timeout_ms = COMPLETE_TIMEOUT_MS;
    if (!strcmp(what, "@levels")) {
        emit_field(fetch_list(&ctx, "/api/service-levels", "service_levels"), "level", cur);
    } else if (!strcmp(what, "@customers")) {
        emit_field(fetch_list(&ctx, "/api/customers", "customers"), "id", cur);
    } else if (!strcmp(what, "@devices") || !strcmp(what, "@routines")) {
        /* a list of the customer's: devices by id, routines by name */
        const char *customer = ctx.customer, *kind = what + 1;
        json_object *customers = NULL;
        if (!customer) {
            customers = fetch_list(&ctx, "/api/customers", "customers");
            if (customers && json_object_array_length(customers) == 1)
                customer = jsonx_get_string(json_object_array_get_idx(customers, 0), "id");
        }
        char esc[3 * MODEL_ID_MAX + 1], path[512];
        if (customer && rest_escape(customer, esc, sizeof(esc)) == 0) {
            snprintf(path, sizeof(path), "/api/customers/%s/%s", esc, kind);
            emit_field(fetch_list(&ctx, path, kind), strcmp(kind, "routines") ? "id" : "name", cur);
        }
        if (customers)
            json_object_put(customers);
    }
out:
    settings_free(&s);
}

/* The first words of the visible commands ("device" once for show and set). */
static void emit_command_words(const char *cur)
{
    char prev[64] = "";
    for (const struct cli_command *c = commands_table; c->name; c++) {
        char first[64];
        snprintf(first, sizeof(first), "%.*s", (int)strcspn(c->name, " "), c->name);
        if (!(c->flags & CLI_HIDDEN) && strcmp(prev, first))
            emit(first, cur);
        snprintf(prev, sizeof(prev), "%s", first);
    }
}

/* The subcommands under a group word. */
static void emit_group(const char *group, const char *cur)
{
    size_t n = strlen(group);
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (!strncmp(c->name, group, n) && c->name[n] == ' ')
            emit(c->name + n + 1, cur);
    }
}

/* Values from a cli_opt.values-style spec: "on off" or "@devices". */
static void emit_values(const struct position *p, const char *spec, const char *cur)
{
    if (!spec)
        return;
    if (!strcmp(spec, "@commands")) {
        if (p->npos == 0)
            emit_command_words(cur);
        else if (p->npos == 1 && commands_is_group(p->last_pos))
            emit_group(p->last_pos, cur);
        return;
    }
    if (spec[0] == '@') {
        emit_remote(p, spec, cur);
        return;
    }
    char words[256];
    snprintf(words, sizeof(words), "%s", spec);
    for (char *save = NULL, *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
        emit(w, cur);
}

static void emit_options(const struct cli_opt *opts, const char *cur)
{
    for (const struct cli_opt *o = opts; o && o->name; o++) {
        char word[80];
        snprintf(word, sizeof(word), "--%s", o->name);
        emit(word, cur);
    }
}

int cmd_complete(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *cur = argc > 1 ? argv[argc - 1] : "";
    struct position p;
    walk(argc > 1 ? argc - 2 : 0, argv + 1, &p);
    if (p.want) {
        emit_values(&p, p.want->values, cur);
    } else if (cur[0] == '-' && !p.after_dashes) {
        if (p.cmd)
            emit_options(p.cmd->opts, cur);
        emit_options(commands_globals, cur);
    } else if (p.group) {
        emit_group(p.group, cur);
    } else if (!p.cmd) {
        emit_command_words(cur);
    } else if (p.cmd->max_args < 0 || p.npos < p.cmd->max_args) {
        emit_values(&p, p.cmd->arg_values, cur);
    }
    return CLI_OK;
}
