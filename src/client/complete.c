/* servicebot __complete WORD...: the candidates for the last word of a
 * command line, one per line, for the bash, zsh and fish completions. The
 * command table says what completes where; device ids, customers, levels,
 * songs, rooms and conversations come from the server when it answers
 * quickly, and are left out when not. With SERVICEBOT_COMPLETE_DESCRIBE=1
 * (zsh, fish) a candidate may be followed by a tab and a description:
 * "dev_001<TAB>Living Room Speaker (living_room)". */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/commands.h"
#include "client/rest.h"
#include "client/settings.h"
#include "client/termsafe.h"
#include "client/timefmt.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/xalloc.h"

#define COMPLETE_CONNECT_MS 500L
#define COMPLETE_TIMEOUT_MS 2000L

/* Where the words before the current one leave us. */
struct position {
    const struct cli_command *cmd;
    const char *group;          /* a group word still waiting for its subcommand */
    const struct cli_opt *want; /* an option still waiting for its value */
    int npos;
    const char *last_pos; /* the latest positional argument */
    const char *customer; /* the command's own --customer value */
    bool after_dashes;
    struct settings_flags flags;
};

/* A candidate (when it starts with cur) and, when descriptions are wanted
 * and there is one, its description after a tab. */
static void emit_described(const char *word, const char *desc, const char *cur)
{
    const char *want = getenv("SERVICEBOT_COMPLETE_DESCRIBE");
    if (!word || strncmp(word, cur, strlen(cur)) || strpbrk(word, "\t\n"))
        return;
    if (desc && *desc && want && !strcmp(want, "1")) {
        printf("%s\t", word);
        termsafe_fputs(desc, TERMSAFE_ONE_LINE, stdout);
        fputc('\n', stdout);
    } else {
        printf("%s\n", word);
    }
}

static void emit(const char *word, const char *cur)
{
    emit_described(word, NULL, cur);
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
            if (!strcmp(p->want->name, "customer"))
                p->customer = w;
            commands_apply_global(p->want, w, &p->flags);
            p->want = NULL;
        } else if (!p->after_dashes && !strcmp(w, "--")) {
            p->after_dashes = true;
        } else if (!p->after_dashes && !strncmp(w, "--", 2)) {
            char name[64];
            snprintf(name, sizeof(name), "%.*s", (int)strcspn(w + 2, "="), w + 2);
            const struct cli_opt *o = find_any_opt(p, name);
            const char *eq = strchr(w, '=');
            if (o && o->arg && eq && !strcmp(o->name, "customer"))
                p->customer = eq + 1;
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

/* The key of each record, described by desc_key (or "name (location)"
 * for devices); takes the list. */
static void emit_field(json_object *list, const char *key, const char *desc_key, const char *cur)
{
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *r = json_object_array_get_idx(list, i);
        char desc[2 * MODEL_NAME_MAX + 8];
        const char *loc = jsonx_get_string(r, "location");
        snprintf(desc, sizeof(desc), "%s%s%s%s",
                 desc_key ? jsonx_get_string(r, desc_key) ?: "" : "", loc && desc_key ? " (" : "",
                 loc && desc_key ? loc : "", loc && desc_key ? ")" : "");
        emit_described(jsonx_get_string(r, key), desc, cur);
    }
    if (list)
        json_object_put(list);
}

/* GET PREFIX{customer}SUFFIX; the array under key or NULL. */
static json_object *fetch_customer_list(const struct cli_ctx *ctx, const char *prefix,
                                        const char *customer, const char *suffix, const char *key)
{
    char esc[3 * MODEL_ID_MAX + 1], path[512];
    if (!customer || rest_escape(customer, esc, sizeof(esc)) != 0)
        return NULL;
    snprintf(path, sizeof(path), "%s%s%s", prefix, esc, suffix);
    return fetch_list(ctx, path, key);
}

/* Whether list (of strings) holds s. */
static bool has_string(json_object *list, const char *s)
{
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        if (!strcmp(json_object_get_string(json_object_array_get_idx(list, i)), s))
            return true;
    }
    return false;
}

/* The songs of the device being set (by id or name), or the rooms the
 * customer's devices are in. */
static void emit_from_devices(json_object *devices, const char *what, const char *device,
                              const char *cur)
{
    json_object *seen = xjson(json_object_new_array());
    for (size_t i = 0; devices && i < json_object_array_length(devices); i++) {
        json_object *d = json_object_array_get_idx(devices, i), *playlist = NULL;
        const char *id = jsonx_get_string(d, "id"), *name = jsonx_get_string(d, "name");
        if (!strcmp(what, "@rooms")) {
            const char *room = jsonx_get_string(d, "location");
            if (room && !has_string(seen, room)) {
                json_object_array_add(seen, xjson(json_object_new_string(room)));
                emit(room, cur);
            }
        } else if (device && ((id && !strcmp(id, device)) || (name && !strcasecmp(name, device))) &&
                   json_object_object_get_ex(d, "playlist", &playlist)) {
            for (size_t j = 0; j < json_object_array_length(playlist); j++)
                emit_described(json_object_get_string(json_object_array_get_idx(playlist, j)), name,
                               cur);
        }
    }
    json_object_put(seen);
}

/* Conversation ids from the customer's recent history, newest first, each
 * described by when it was and how it began. */
static void emit_conversations(const struct cli_ctx *ctx, const char *customer, const char *cur)
{
    json_object *msgs = fetch_customer_list(ctx, "/api/chat/history/", customer,
                                            "?limit=" MODEL_STR(MODEL_HISTORY_MAX), "messages");
    json_object *seen = xjson(json_object_new_array());
    for (size_t k = msgs ? json_object_array_length(msgs) : 0; k > 0; k--) {
        json_object *m = json_object_array_get_idx(msgs, k - 1);
        const char *conv = jsonx_get_string(m, "conversationId");
        if (!conv || has_string(seen, conv))
            continue;
        json_object_array_add(seen, xjson(json_object_new_string(conv)));
        /* Its first message on this page is the earliest one shown. */
        const char *first = NULL, *when = NULL;
        for (size_t i = 0; i < json_object_array_length(msgs); i++) {
            json_object *o = json_object_array_get_idx(msgs, i);
            if (!strcmp(jsonx_get_string(o, "conversationId") ?: "", conv)) {
                first = jsonx_get_string(o, "text");
                when = jsonx_get_string(o, "timestamp");
                break;
            }
        }
        char stamp[64], desc[160];
        snprintf(desc, sizeof(desc), "%s  %.100s",
                 timefmt_iso(when, ctx->utc, stamp, sizeof(stamp)), first ? first : "");
        emit_described(conv, desc, cur);
    }
    json_object_put(seen);
    if (msgs)
        json_object_put(msgs);
}

/* What the server knows: devices or routines of the customer, the songs
 * and rooms of its devices, conversations, customers, or levels. */
static void emit_remote(const struct position *p, const char *what, const char *cur)
{
    struct settings s;
    struct cli_ctx ctx = {.prog = "servicebot"};
    struct sb_err err;
    json_object *customers = NULL;
    if (settings_resolve(&p->flags, &s, &ctx, &err) != SB_OK)
        goto out;
    ctx.connect_timeout_ms = COMPLETE_CONNECT_MS;
    ctx.timeout_ms = COMPLETE_TIMEOUT_MS;
    if (!strcmp(what, "@levels")) {
        emit_field(fetch_list(&ctx, "/api/service-levels", "service_levels"), "level", "name", cur);
        goto out;
    }
    if (!strcmp(what, "@customers")) {
        emit_field(fetch_list(&ctx, "/api/customers", "customers"), "id", "name", cur);
        goto out;
    }
    /* The rest belong to one customer: the given one, or a token's only one. */
    const char *customer = p->customer ? p->customer : ctx.customer;
    if (!customer) {
        customers = fetch_list(&ctx, "/api/customers", "customers");
        if (customers && json_object_array_length(customers) == 1)
            customer = jsonx_get_string(json_object_array_get_idx(customers, 0), "id");
    }
    if (!strcmp(what, "@devices")) {
        emit_field(fetch_customer_list(&ctx, "/api/customers/", customer, "/devices", "devices"),
                   "id", "name", cur);
    } else if (!strcmp(what, "@songs") || !strcmp(what, "@rooms")) {
        json_object *devices =
            fetch_customer_list(&ctx, "/api/customers/", customer, "/devices", "devices");
        emit_from_devices(devices, what, p->last_pos, cur);
        if (devices)
            json_object_put(devices);
    } else if (!strcmp(what, "@routines")) {
        emit_field(fetch_customer_list(&ctx, "/api/customers/", customer, "/routines", "routines"),
                   "name", NULL, cur);
    } else if (!strcmp(what, "@conversations")) {
        emit_conversations(&ctx, customer, cur);
    }
out:
    if (customers)
        json_object_put(customers);
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
