/* The client's settings, from four places in order of precedence:
 * command-line flag > SERVICEBOT_* environment variable > config file
 * (--config, SERVICEBOT_CONFIG, or $XDG_CONFIG_HOME/servicebot/config) >
 * built-in default.
 *
 * Ownership: struct settings owns the config file it read; the strings it
 * puts into struct cli_ctx point into the flags, the environment or that
 * config, so the settings must outlive the ctx. */
#ifndef SB_SETTINGS_H
#define SB_SETTINGS_H

#include "client/cli.h"
#include "common/config.h"
#include "common/err.h"

#define SETTINGS_DEFAULT_SERVER             "http://127.0.0.1:8080"
#define SETTINGS_DEFAULT_TIMEOUT_MS         30000L
#define SETTINGS_DEFAULT_CONNECT_TIMEOUT_MS 5000L

/* What the command line said; NULL / false / 0 when not given. */
struct settings_flags {
    const char *server;
    const char *customer;
    const char *token;
    const char *config;
    const char *timeout;         /* seconds, decimals allowed */
    const char *connect_timeout; /* seconds */
    const char *cacert;          /* CA file for https:// servers */
    const char *jq;              /* --jq EXPR */
    const char *color;           /* --color WHEN: auto, always or never */
    bool json;
    bool no_color;
    bool utc;
    bool quiet;
    int verbose;
};

struct settings {
    struct config *cfg;                     /* NULL when no config file was read */
    struct jqfilter *jq;                    /* --jq compiled; ctx->jq points here */
    char *default_path;                     /* the XDG path when it was used */
    char warning[600];                      /* something the user should fix, or "" */
    char server_from[300], token_from[300]; /* where they came from; ctx points here */
};

/* Fills ctx from flags, the environment and the config file. Returns SB_OK,
 * or SB_EINVAL with err naming the bad value (and the file and line when it
 * came from the config file). An explicitly named config file that does not
 * exist is an error; a missing default one is not. */
int settings_resolve(const struct settings_flags *flags, struct settings *s, struct cli_ctx *ctx,
                     struct sb_err *err);
void settings_free(struct settings *s);

/* The default config file path ($XDG_CONFIG_HOME or ~/.config + /servicebot/config),
 * heap-allocated, or NULL when neither variable is set. */
char *settings_default_path(void);
/* $XDG_VAR/servicebot/FILE, or $HOME/HOME_DIR/servicebot/FILE when the
 * variable is unset or not absolute (heap), or NULL without HOME either. */
char *settings_xdg_path(const char *xdg_var, const char *home_dir, const char *file);

/* Parses "2.5" seconds into milliseconds (0 < value <= 3600). Returns 0 or -1. */
int settings_parse_seconds(const char *s, long *ms);

#endif
