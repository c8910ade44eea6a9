#include "client/settings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/jqfilter.h"
#include "common/xalloc.h"

static const char *const known_keys[] = {"server",          "customer", "token",  "timeout",
                                         "connect_timeout", "color",    "cacert", NULL};

/* Where a setting's value came from, for error messages. */
struct source {
    const char *value;
    char where[300];
};

/* The value of one setting by precedence: flag, then environment, then config file. */
static struct source lookup(const char *flag_value, const char *flag_name, const char *env,
                            const struct config *cfg, const char *key)
{
    struct source src = {0};
    const char *v;
    if (flag_value) {
        src.value = flag_value;
        snprintf(src.where, sizeof(src.where), "--%s", flag_name);
    } else if (env && (v = getenv(env)) && *v) {
        src.value = v;
        snprintf(src.where, sizeof(src.where), "%s", env);
    } else if (cfg && (v = config_get(cfg, key))) {
        src.value = v;
        snprintf(src.where, sizeof(src.where), "%s:%d", config_name(cfg), config_line(cfg, key));
    }
    return src;
}

int settings_parse_seconds(const char *s, long *ms)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double secs = strtod(s, &end);
    if (errno || *end || !isfinite(secs) || secs <= 0 || secs > 3600)
        return -1;
    *ms = (long)(secs * 1000.0 + 0.5);
    if (*ms < 1)
        *ms = 1;
    return 0;
}

char *settings_xdg_path(const char *xdg_var, const char *home_dir, const char *file)
{
    const char *xdg = getenv(xdg_var);
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/servicebot/%s", xdg, file);
    if (home && *home)
        return xasprintf("%s/%s/servicebot/%s", home, home_dir, file);
    return NULL;
}

char *settings_default_path(void)
{
    return settings_xdg_path("XDG_CONFIG_HOME", ".config", "config");
}

/* Reads the config file: the named one must exist, the default one may not. */
static int load_config(const struct settings_flags *flags, struct settings *s, struct cli_ctx *ctx,
                       struct sb_err *err)
{
    const char *named = flags->config;
    if (!named) {
        const char *env = getenv("SERVICEBOT_CONFIG");
        named = env && *env ? env : NULL;
    }
    const char *path = named;
    if (!path) {
        s->default_path = settings_default_path();
        path = s->default_path;
    }
    ctx->config_path = path;
    if (!path)
        return SB_OK;
    int rc = config_load(path, &s->cfg, err);
    if (rc == SB_ENOTFOUND && !named) {
        ctx->config_path = NULL;
        return SB_OK;
    }
    if (rc == SB_ENOTFOUND)
        err->code = rc = SB_EINVAL;
    if (rc != SB_OK)
        return rc;
    rc = config_check_keys(s->cfg, known_keys, err);
    struct stat st;
    if (rc == SB_OK && config_get(s->cfg, "token") && stat(path, &st) == 0 &&
        (st.st_mode & (S_IRWXG | S_IRWXO)))
        snprintf(s->warning, sizeof(s->warning),
                 "%s holds a token and others may read it (chmod 600 %s)", path, path);
    return rc;
}

static int resolve_timeout(const struct source *src, long dflt, long *out, struct sb_err *err)
{
    *out = dflt;
    if (src->value && settings_parse_seconds(src->value, out) < 0)
        return sb_err_set(err, SB_EINVAL,
                          "%s: expected a number of seconds above 0 and at most 3600, got '%s'",
                          src->where, src->value);
    return SB_OK;
}

static bool is_color_mode(const char *mode)
{
    return !strcmp(mode, "auto") || !strcmp(mode, "always") || !strcmp(mode, "never");
}

/* Colour, by precedence: --color WHEN (--no-color is never), then NO_COLOR
 * (no colour), then the config file's color, then auto: only on a
 * terminal. JSON is never coloured. */
static int resolve_color(const struct settings_flags *flags, const struct config *cfg,
                         struct cli_ctx *ctx, struct sb_err *err)
{
    const char *conf = cfg ? config_get(cfg, "color") : NULL;
    const char *no_color = getenv("NO_COLOR");
    const char *mode = flags->no_color ? "never" : flags->color;
    if (mode && !is_color_mode(mode))
        return sb_err_set(err, SB_EINVAL, "--color: must be auto, always or never, got '%s'", mode);
    if (conf && !is_color_mode(conf))
        return sb_err_set(err, SB_EINVAL, "%s:%d: color must be auto, always or never, got '%s'",
                          config_name(cfg), config_line(cfg, "color"), conf);
    if (!mode)
        mode = no_color && *no_color ? "never" : conf ? conf : "auto";
    else if (!strcmp(mode, "auto") && no_color && *no_color)
        mode = "never";
    ctx->color_always = !strcmp(mode, "always") && !ctx->json;
    ctx->color =
        ctx->color_always || (!strcmp(mode, "auto") && !ctx->json && isatty(STDOUT_FILENO));
    return SB_OK;
}

int settings_resolve(const struct settings_flags *flags, struct settings *s, struct cli_ctx *ctx,
                     struct sb_err *err)
{
    memset(s, 0, sizeof(*s));
    ctx->json = flags->json || flags->jq;
    ctx->utc = flags->utc;
    ctx->quiet = flags->quiet;
    ctx->jq = NULL;
    /* First, so that a filter that does not compile stops every command. */
    if (flags->jq && jqfilter_new(flags->jq, &s->jq, err) != SB_OK)
        return SB_EINVAL;
    ctx->jq = s->jq;
    ctx->verbose = flags->verbose;
    int rc = load_config(flags, s, ctx, err);
    if (rc != SB_OK)
        return rc;
    const struct config *cfg = s->cfg;

    struct source server = lookup(flags->server, "server", "SERVICEBOT_SERVER", cfg, "server");
    ctx->server = server.value ? server.value : SETTINGS_DEFAULT_SERVER;
    snprintf(s->server_from, sizeof(s->server_from), "%s", server.value ? server.where : "default");
    ctx->server_from = s->server_from;
    if (strncmp(ctx->server, "http://", 7) && strncmp(ctx->server, "https://", 8))
        return sb_err_set(err, SB_EINVAL, "%s: server must be an http:// or https:// URL, got '%s'",
                          server.where, ctx->server);

    struct source customer =
        lookup(flags->customer, "customer", "SERVICEBOT_CUSTOMER", cfg, "customer");
    ctx->customer = customer.value;
    if (ctx->customer && !*ctx->customer)
        return sb_err_set(err, SB_EINVAL, "%s: customer id is empty", customer.where);

    struct source token = lookup(flags->token, "token", "SERVICEBOT_TOKEN", cfg, "token");
    ctx->token = token.value && *token.value ? token.value : NULL;
    snprintf(s->token_from, sizeof(s->token_from), "%s", ctx->token ? token.where : "");
    ctx->token_from = s->token_from;

    /* Only ever an addition to what is trusted: there is no way to turn
     * certificate checks off. A CA file that cannot be read is a usage error
     * here rather than a TLS failure later. */
    struct source cacert = lookup(flags->cacert, "cacert", "SERVICEBOT_CACERT", cfg, "cacert");
    ctx->cacert = cacert.value && *cacert.value ? cacert.value : NULL;
    if (ctx->cacert && access(ctx->cacert, R_OK) != 0)
        return sb_err_set(err, SB_EINVAL, "%s: cannot read the CA file %s: %s", cacert.where,
                          ctx->cacert, strerror(errno));

    struct source timeout = lookup(flags->timeout, "timeout", "SERVICEBOT_TIMEOUT", cfg, "timeout");
    rc = resolve_timeout(&timeout, SETTINGS_DEFAULT_TIMEOUT_MS, &ctx->timeout_ms, err);
    if (rc != SB_OK)
        return rc;
    struct source connect = lookup(flags->connect_timeout, "connect-timeout",
                                   "SERVICEBOT_CONNECT_TIMEOUT", cfg, "connect_timeout");
    rc = resolve_timeout(&connect, SETTINGS_DEFAULT_CONNECT_TIMEOUT_MS, &ctx->connect_timeout_ms,
                         err);
    if (rc != SB_OK)
        return rc;
    return resolve_color(flags, cfg, ctx, err);
}

void settings_free(struct settings *s)
{
    if (!s)
        return;
    config_free(s->cfg);
    jqfilter_free(s->jq);
    s->jq = NULL;
    free(s->default_path);
    s->cfg = NULL;
    s->default_path = NULL;
}
