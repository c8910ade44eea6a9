/* servicebotd: command line, config file and subcommands (serve, import,
 * token create, migrate). Exit codes: 0 ok, 1 failure, 2 usage error. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/config.h"
#include "common/jsonx.h"
#include "common/log.h"
#include "common/util.h"
#include "config.h"
#include "server/auth.h"
#include "server/server.h"
#include "server/tls.h"
#include "server/token_cmd.h"

enum { EXIT_USAGE = 2 };

static volatile sig_atomic_t stop_flag, reload_flag;

struct options {
    const char *listen, *store, *db, *env, *endpoint, *config, *log_level;
    const char *tls_cert, *tls_key;
    const char *store_max_size, *min_free_disk, *retention_spec;
    struct retention retention;
    struct token_cmd token;
    long workers, write_workers, ws_ping, auth_cache;
    long routine_grace;         /* seconds */
    const char *limit_flags[4]; /* --chat-rate ... in limit_settings order */
    bool limit_admin;
    struct rl_options limits;
    char instance[96]; /* this process's name for the store: host:pid */
    char **args;       /* positional arguments after the command */
    int n_args;
    struct config *cfg;
};

typedef int (*command_fn)(struct options *o);

static int cmd_serve(struct options *o);
static int cmd_import(struct options *o);
static int cmd_token(struct options *o);
static int cmd_migrate(struct options *o);

static const struct command {
    const char *name, *usage, *help;
    command_fn fn;
    int min_args, max_args;
} commands[] = {
    {"serve", "serve", "run the REST API and WebSocket chat (the default)", cmd_serve, 0, 0},
    {"import", "import FILE", "load service levels, capabilities and customers (all or nothing)",
     cmd_import, 1, 1},
    {"token", "token create|list|revoke", "make, list or revoke API tokens (see below)", cmd_token,
     1, 2},
    {"migrate", "migrate", "create or upgrade the store's tables", cmd_migrate, 0, 0},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const config_keys[] = {"listen",
                                          "store",
                                          "db",
                                          "env",
                                          "dynamodb-endpoint",
                                          "log-level",
                                          "workers",
                                          "write-workers",
                                          "ws-ping",
                                          "routine-grace",
                                          "tls-cert",
                                          "tls-key",
                                          "auth-cache",
                                          "chat-rate",
                                          "chat-burst",
                                          "write-rate",
                                          "write-burst",
                                          "limit-admin",
                                          "store-max-size",
                                          "min-free-disk",
                                          "retention",
                                          NULL};

/* One row per rate-limit setting (flag and config key alike): which rule
 * it sets and whether it is the rate or the burst. */
static const struct limit_setting {
    const char *name;
    enum rl_kind kind;
    bool burst;
} limit_settings[] = {
    {"chat-rate", RL_CHAT, false},
    {"chat-burst", RL_CHAT, true},
    {"write-rate", RL_WRITE, false},
    {"write-burst", RL_WRITE, true},
};
#define N_LIMIT_SETTINGS (sizeof(limit_settings) / sizeof(limit_settings[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: servicebotd [OPTIONS] [COMMAND]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-40s %s\n", commands[i].usage, commands[i].help);
    fprintf(
        f,
        "\noptions:\n"
        "  --listen ADDR:PORT          where to serve (default 127.0.0.1:8080; [::1]:8080)\n"
        "  --store sqlite|dynamodb     storage backend (default sqlite)\n"
        "  --db PATH                   SQLite file (default ./servicebot.db)\n"
        "  --env ENV                   DynamoDB table prefix (default dev)\n"
        "  --dynamodb-endpoint URL     DynamoDB endpoint (default AWS for $AWS_REGION)\n"
        "  --config FILE               settings as key = value lines, same names\n"
        "  --log-level LEVEL           debug, info, warn, error or off (default info)\n"
        "  --workers N                 worker threads for reads (default 2, 8 for DynamoDB)\n"
        "  --write-workers N           worker threads for writes (default 8)\n"
        "  --ws-ping SECS              ping idle WebSockets after SECS (default 30)\n"
        "  --routine-grace SECS        run a missed routine if at most SECS late (default 600)\n"
        "  --tls-cert FILE             serve HTTPS and WSS with this PEM certificate (chain)\n"
        "  --tls-key FILE              and this PEM private key (SIGHUP reloads both)\n"
        "  --auth-cache SECS           trust a token looked up this long (default 30): the\n"
        "                              longest a revoked token keeps working here\n"
        "  --customer ID, --admin      whom token create makes a token for\n"
        "  --expires TIME              token create: it stops working after TIME (30d, 12h)\n"
        "  --json                      token list: JSON on stdout\n"
        "  --chat-rate N               chats per second per token, refilled (default 2; 0: off)\n"
        "  --chat-burst N              chats a token may send at once (default 30)\n"
        "  --write-rate N              other writes per second per token (default 5; 0: off)\n"
        "  --write-burst N             writes a token may send at once (default 50)\n"
        "  --limit-admin               rate-limit admin tokens too (default: unlimited)\n"
        "  --store-max-size SIZE       refuse new chats (507) past this store size (500M, 2G)\n"
        "  --min-free-disk SIZE        or with less free disk than this (default 100M, or 5%%\n"
        "                              of a smaller disk; 0: off)\n"
        "  --retention RULES           CUSTOMER:AGE:COUNT,... e.g. '*:365d:-,cust_001:30d:500'\n"
        "                              (default: keep every message)\n"
        "\n" TOKEN_CMD_USAGE "\n"
        "  -h, --help                  show this help\n"
        "  --version                   show the version\n"
        "\nSERVICEBOT_ADMIN_TOKEN sets the admin token. See servicebotd(8).\n");
}

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_flag = 1;
    else
        stop_flag = 1;
}

/* A setting: the command line wins, then the config file. */
static const char *setting(const struct options *o, const char *flag, const char *key)
{
    if (flag)
        return flag;
    return o->cfg ? config_get(o->cfg, key) : NULL;
}

static int open_store(struct options *o, struct store_options *so, struct store **st)
{
    struct sb_err err = {0};
    char host[64] = "localhost";
    gethostname(host, sizeof(host) - 1);
    snprintf(o->instance, sizeof(o->instance), "%s:%ld", host, (long)getpid());
    memset(so, 0, sizeof(*so));
    so->instance = o->instance;
    so->kind = setting(o, o->store, "store");
    so->path = setting(o, o->db, "db");
    so->env = setting(o, o->env, "env");
    so->endpoint = setting(o, o->endpoint, "dynamodb-endpoint");
    if (!st)
        return 0;
    if (store_open(so, st, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* Reads and loads a dataset file; prints nothing. */
static int import_file(struct store *st, const char *path, struct sb_err *err)
{
    char *text = NULL;
    size_t len = 0;
    json_object *o = NULL;
    struct model_problems p = {0};
    struct dataset ds = {0};
    int rc;
    if (util_read_file(path, &text, &len) != 0) {
        rc = sb_err_set(err, SB_ENOTFOUND, "%s: %m", path);
        goto out;
    }
    if ((rc = jsonx_parse(text, len, &o, err)) != SB_OK)
        goto prefix;
    if ((rc = dataset_from_json(o, &p, &ds)) != SB_OK) {
        model_problems_to_err(&p, err);
        goto prefix;
    }
    rc = store_import(st, &ds, err);
prefix:
    if (rc != SB_OK)
        sb_err_prefix(err, "%s", path);
out:
    dataset_free(&ds);
    model_problems_free(&p);
    if (o)
        json_object_put(o);
    free(text);
    return rc;
}

/* The seed for an empty store: $SB_SEED, the installed copy, the source tree's. */
static int seed_if_empty(struct store *st, struct sb_err *err)
{
    struct customer *cs = NULL;
    struct service_level *ls = NULL;
    size_t nc = 0, nl = 0;
    int rc = store_list_customers(st, &cs, &nc, err);
    if (rc == SB_OK)
        rc = store_list_levels(st, &ls, &nl, err);
    customers_free(cs, nc);
    service_levels_free(ls, nl);
    if (rc != SB_OK || nc || nl)
        return rc;
    const char *candidates[] = {getenv("SB_SEED"), SB_DATADIR "/seed.json",
                                SB_SRCDIR "/data/seed.json"};
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        if (!candidates[i] || access(candidates[i], R_OK) != 0)
            continue;
        /* An empty store may be new, or one that lost its data (a deleted
         * database file): never seed it quietly. Tokens left behind mean
         * it did hold data. */
        bool had_tokens = false;
        store_has_admin_token(st, &had_tokens, NULL);
        rc = import_file(st, candidates[i], err);
        if (rc == SB_OK)
            log_kv(had_tokens ? LOG_ERROR : LOG_WARN,
                   had_tokens ? "the store has tokens but no customers or levels: it lost its "
                                "data; loaded the seed data into it"
                              : "the store was empty (new, or its database was deleted or "
                                "replaced): loaded the seed data; tokens made before are gone",
                   "file", candidates[i], "store", store_kind(st), NULL);
        return rc;
    }
    log_warn("the store is empty and no seed.json was found; set SB_SEED or use import");
    return SB_OK;
}

/* The rate limits from flags, then the config file, then the defaults:
 * rates are decimal requests per second (0 turns the limit off), bursts
 * at least 1. */
static int resolve_limits(struct options *o)
{
    ratelimit_defaults(&o->limits);
    for (size_t i = 0; i < N_LIMIT_SETTINGS; i++) {
        const struct limit_setting *ls = &limit_settings[i];
        const char *v = setting(o, o->limit_flags[i], ls->name);
        char *end = NULL;
        if (!v)
            continue;
        double d = strtod(v, &end);
        if (!*v || *end || !(d >= (ls->burst ? 1 : 0)) || d > 1e6) {
            fprintf(stderr, "servicebotd: %s must be a number %s, got '%s'\n", ls->name,
                    ls->burst ? "from 1 to 1000000" : "from 0 (no limit) to 1000000", v);
            return EXIT_USAGE;
        }
        if (ls->burst)
            o->limits.rule[ls->kind].burst = d;
        else
            o->limits.rule[ls->kind].rate = d;
    }
    const char *admin = o->cfg ? config_get(o->cfg, "limit-admin") : NULL;
    if (admin && strcmp(admin, "yes") && strcmp(admin, "no")) {
        fprintf(stderr, "servicebotd: limit-admin must be yes or no, got '%s'\n", admin);
        return EXIT_USAGE;
    }
    o->limits.limit_admin = o->limit_admin || (admin && !strcmp(admin, "yes"));
    return 0;
}

/* The storage watermark: sizes such as 500M or 2G; 0 turns a check off. */
static int resolve_storage(struct options *o, struct watermark_options *w)
{
    const char *names[2] = {"store-max-size", "min-free-disk"};
    const char *values[2] = {setting(o, o->store_max_size, names[0]),
                             setting(o, o->min_free_disk, names[1])};
    int64_t *fields[2] = {&w->max_store_bytes, &w->min_free_bytes};
    w->max_store_bytes = 0;
    w->min_free_bytes = -1; /* the default floor, sized by the disk */
    for (int i = 0; i < 2; i++) {
        if (!values[i])
            continue;
        if ((*fields[i] = watermark_parse_size(values[i])) < 0) {
            fprintf(stderr, "servicebotd: %s takes a size such as 500M or 2G (0: off), got '%s'\n",
                    names[i], values[i]);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* --retention: the rules, checked before the store is touched. */
static int resolve_retention(struct options *o, struct server_options *opt)
{
    struct sb_err err = {0};
    const char *spec = setting(o, o->retention_spec, "retention");
    if (!spec)
        return 0;
    if (retention_parse(spec, &o->retention, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return EXIT_USAGE;
    }
    opt->retention = &o->retention;
    return 0;
}

/* --tls-cert and --tls-key come together and must be usable before the
 * store is touched; a bad file is named with what is wrong with it. */
static int check_tls(struct options *o, struct server_options *opt)
{
    struct sb_err err = {0};
    opt->tls_cert = setting(o, o->tls_cert, "tls-cert");
    opt->tls_key = setting(o, o->tls_key, "tls-key");
    if (!opt->tls_cert != !opt->tls_key) {
        fprintf(stderr, "servicebotd: --tls-cert and --tls-key go together (%s is missing)\n",
                opt->tls_cert ? "--tls-key" : "--tls-cert");
        return EXIT_USAGE;
    }
    if (opt->tls_cert && tls_check_files(opt->tls_cert, opt->tls_key, NULL, 0, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* Whether iface:port can be bound now. Checked before anything else so
 * that a busy port does not cost the one-time admin token printed on a
 * first start (the server binds for real a moment later). */
static int check_port(const char *iface, int port, struct sb_err *err)
{
    char service[16];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
    snprintf(service, sizeof(service), "%d", port);
    if (port == 0 || getaddrinfo(*iface ? iface : NULL, service, &hints, &res) != 0)
        return SB_OK; /* any port, or a name the server itself will explain */
    int rc = SB_OK, one = 1;
    for (struct addrinfo *a = res; a && rc == SB_OK; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 && errno == EADDRINUSE)
            rc = sb_err_set(err, SB_EUNAVAIL,
                            "cannot listen on %s:%d: the port is in use (another servicebotd?)",
                            *iface ? iface : "*", port);
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

static int cmd_serve(struct options *o)
{
    struct store_options so;
    struct store *st = NULL;
    struct sb_err err = {0};
    struct server_options opt = {.listen = setting(o, o->listen, "listen"),
                                 .workers = (int)o->workers,
                                 .write_workers = (int)o->write_workers,
                                 .ws_ping_secs = (int)o->ws_ping,
                                 .routine_grace_secs = (int)o->routine_grace,
                                 .auth_cache_secs = (int)o->auth_cache,
                                 .limits = &o->limits,
                                 .reload = &reload_flag};
    char iface[128];
    int port, bad;
    /* A bad address is a usage error, found before the store is touched. */
    if (server_parse_listen(opt.listen ? opt.listen : SERVER_DEFAULT_LISTEN, iface, sizeof(iface),
                            &port, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return EXIT_USAGE;
    }
    if ((bad = check_tls(o, &opt)) != 0 || (bad = resolve_limits(o)) != 0 ||
        (bad = resolve_storage(o, &opt.storage)) != 0 || (bad = resolve_retention(o, &opt)) != 0)
        return bad;
    if (check_port(iface, port, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    if (open_store(o, &so, &st))
        return 1;
    opt.instance = so.instance;
    int rc = seed_if_empty(st, &err);
    if (rc == SB_OK)
        rc = auth_setup_admin(st, &err);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (rc == SB_OK)
        rc = server_run(st, &opt, &stop_flag, &err);
    store_close(st);
    if (rc != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    log_info("stopped");
    return 0;
}

static int cmd_import(struct options *o)
{
    struct store_options so;
    struct store *st = NULL;
    struct sb_err err = {0};
    if (open_store(o, &so, &st))
        return 1;
    int rc = import_file(st, o->args[0], &err);
    store_close(st);
    if (rc != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    fprintf(stderr, "servicebotd: imported %s\n", o->args[0]);
    return 0;
}

static int cmd_token(struct options *o)
{
    int rc = token_cmd_check(o->n_args, o->args, &o->token);
    struct store_options so;
    struct store *st = NULL;
    if (rc != 0)
        return rc;
    if (open_store(o, &so, &st))
        return 1;
    rc = token_cmd_run(st, o->n_args, o->args, &o->token);
    store_close(st);
    return rc;
}

static int cmd_migrate(struct options *o)
{
    struct store_options so;
    struct sb_err err = {0};
    open_store(o, &so, NULL);
    if (store_migrate(&so, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    fprintf(stderr, "servicebotd: the %s store is up to date\n", so.kind ? so.kind : "sqlite");
    return 0;
}

/* Loads --config and applies the settings that are not per-store. */
static int apply_config(struct options *o)
{
    struct sb_err err = {0};
    if (o->config &&
        (config_load(o->config, &o->cfg, &err) != SB_OK ||
         config_check_keys(o->cfg, config_keys, &err) != SB_OK ||
         (!o->workers && config_get_int(o->cfg, "workers", 1, 64, &o->workers, &err) != SB_OK) ||
         (!o->write_workers &&
          config_get_int(o->cfg, "write-workers", 1, 256, &o->write_workers, &err) != SB_OK) ||
         (!o->ws_ping && config_get_int(o->cfg, "ws-ping", 1, 3600, &o->ws_ping, &err) != SB_OK) ||
         (!o->routine_grace && config_get_int(o->cfg, "routine-grace", 1, 7 * 86400,
                                              &o->routine_grace, &err) != SB_OK) ||
         (!o->auth_cache &&
          config_get_int(o->cfg, "auth-cache", 1, 3600, &o->auth_cache, &err) != SB_OK))) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return EXIT_USAGE;
    }
    const char *level = setting(o, o->log_level, "log-level");
    enum log_level lv;
    if (level && log_parse_level(level, &lv) != 0) {
        fprintf(stderr, "servicebotd: unknown log level '%s' (debug, info, warn, error, off)\n",
                level);
        return EXIT_USAGE;
    }
    if (level)
        log_set_level(lv);
    return 0;
}

/* A whole number 1..max for option name; complains and returns -1 otherwise. */
static int number_arg(const char *name, const char *arg, long max, long *out)
{
    char *end = NULL;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < 1 || v > max) {
        fprintf(stderr, "servicebotd: %s must be 1-%ld, got '%s'\n", name, max, arg);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    enum {
        O_LISTEN = 256,
        O_STORE,
        O_DB,
        O_ENV,
        O_ENDPOINT,
        O_CONFIG,
        O_LOGLEVEL,
        O_WORKERS,
        O_WRITE_WORKERS,
        O_PING,
        O_GRACE,
        O_TLS_CERT,
        O_TLS_KEY,
        O_AUTH_CACHE,
        O_EXPIRES,
        O_JSON,
        O_LIMIT_ADMIN,
        O_STORE_MAX,
        O_MIN_FREE,
        O_RETENTION,
        O_LIMIT0, /* N_LIMIT_SETTINGS values from here */
        O_CUSTOMER = O_LIMIT0 + N_LIMIT_SETTINGS,
        O_ADMIN,
        O_VERSION
    };
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, O_LISTEN},
        {"store", required_argument, NULL, O_STORE},
        {"db", required_argument, NULL, O_DB},
        {"env", required_argument, NULL, O_ENV},
        {"dynamodb-endpoint", required_argument, NULL, O_ENDPOINT},
        {"config", required_argument, NULL, O_CONFIG},
        {"log-level", required_argument, NULL, O_LOGLEVEL},
        {"workers", required_argument, NULL, O_WORKERS},
        {"write-workers", required_argument, NULL, O_WRITE_WORKERS},
        {"ws-ping", required_argument, NULL, O_PING},
        {"routine-grace", required_argument, NULL, O_GRACE},
        {"tls-cert", required_argument, NULL, O_TLS_CERT},
        {"tls-key", required_argument, NULL, O_TLS_KEY},
        {"auth-cache", required_argument, NULL, O_AUTH_CACHE},
        {"expires", required_argument, NULL, O_EXPIRES},
        {"json", no_argument, NULL, O_JSON},
        {"limit-admin", no_argument, NULL, O_LIMIT_ADMIN},
        {"store-max-size", required_argument, NULL, O_STORE_MAX},
        {"min-free-disk", required_argument, NULL, O_MIN_FREE},
        {"retention", required_argument, NULL, O_RETENTION},
        {"chat-rate", required_argument, NULL, O_LIMIT0},
        {"chat-burst", required_argument, NULL, O_LIMIT0 + 1},
        {"write-rate", required_argument, NULL, O_LIMIT0 + 2},
        {"write-burst", required_argument, NULL, O_LIMIT0 + 3},
        {"customer", required_argument, NULL, O_CUSTOMER},
        {"admin", no_argument, NULL, O_ADMIN},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_LISTEN:
            o->listen = optarg;
            break;
        case O_STORE:
            o->store = optarg;
            break;
        case O_DB:
            o->db = optarg;
            break;
        case O_ENV:
            o->env = optarg;
            break;
        case O_ENDPOINT:
            o->endpoint = optarg;
            break;
        case O_CONFIG:
            o->config = optarg;
            break;
        case O_LOGLEVEL:
            o->log_level = optarg;
            break;
        case O_TLS_CERT:
            o->tls_cert = optarg;
            break;
        case O_TLS_KEY:
            o->tls_key = optarg;
            break;
        case O_CUSTOMER:
            o->token.customer = optarg;
            break;
        case O_ADMIN:
            o->token.admin = true;
            break;
        case O_EXPIRES:
            o->token.expires = optarg;
            break;
        case O_JSON:
            o->token.json = true;
            break;
        case O_LIMIT_ADMIN:
            o->limit_admin = true;
            break;
        case O_STORE_MAX:
            o->store_max_size = optarg;
            break;
        case O_MIN_FREE:
            o->min_free_disk = optarg;
            break;
        case O_RETENTION:
            o->retention_spec = optarg;
            break;
        case O_LIMIT0:
        case O_LIMIT0 + 1:
        case O_LIMIT0 + 2:
        case O_LIMIT0 + 3:
            o->limit_flags[c - O_LIMIT0] = optarg;
            break;
        case O_AUTH_CACHE:
            if (number_arg("--auth-cache", optarg, 3600, &o->auth_cache))
                return EXIT_USAGE;
            break;
        case O_WORKERS:
            if (number_arg("--workers", optarg, 64, &o->workers))
                return EXIT_USAGE;
            break;
        case O_WRITE_WORKERS:
            if (number_arg("--write-workers", optarg, 256, &o->write_workers))
                return EXIT_USAGE;
            break;
        case O_PING:
            if (number_arg("--ws-ping", optarg, 3600, &o->ws_ping))
                return EXIT_USAGE;
            break;
        case O_GRACE:
            if (number_arg("--routine-grace", optarg, 7 * 86400, &o->routine_grace))
                return EXIT_USAGE;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case O_VERSION:
            printf("servicebotd %s\n", PACKAGE_VERSION);
            exit(0);
        default:
            fprintf(stderr, "servicebotd: unknown or incomplete option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    o->args = argv + optind;
    o->n_args = argc - optind;
    return 0;
}

int main(int argc, char **argv)
{
    /* Keep freed memory at the top of the heap instead of giving it back
     * after every request: glibc's trimming (brk down, then up again on the
     * next request) was a twentieth of a GET's CPU. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
    struct options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc == 0)
        rc = apply_config(&o);
    if (rc != 0)
        goto out;
    const char *name = o.n_args ? o.args[0] : "serve";
    if (o.n_args) {
        o.args++;
        o.n_args--;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            cmd = &commands[i];
    if (!cmd || o.n_args < cmd->min_args || o.n_args > cmd->max_args) {
        if (cmd)
            fprintf(stderr, "servicebotd: usage: servicebotd %s\n", cmd->usage);
        else
            fprintf(stderr, "servicebotd: unknown command '%s'\n", name);
        rc = EXIT_USAGE;
        goto out;
    }
    rc = cmd->fn(&o);
out:
    retention_free(&o.retention);
    config_free(o.cfg);
    return rc;
}
