/* servicebotd: command line, config file and subcommands (serve, import,
 * token create, migrate). Exit codes: 0 ok, 1 failure, 2 usage error. */
#include <errno.h>
#include <getopt.h>
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

enum { EXIT_USAGE = 2 };

static volatile sig_atomic_t stop_flag;

struct options {
    const char *listen, *store, *db, *env, *endpoint, *config, *log_level;
    const char *token_customer;
    bool token_admin;
    long workers, ws_ping;
    long routine_grace; /* seconds */
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
    {"token", "token create --customer ID | --admin", "print a new API token", cmd_token, 1, 1},
    {"migrate", "migrate", "create or upgrade the store's tables", cmd_migrate, 0, 0},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const config_keys[] = {
    "listen", "store", "db", "env", "dynamodb-endpoint", "log-level", "workers", "ws-ping",
    "routine-grace", NULL};

static void usage(FILE *f)
{
    fprintf(f, "usage: servicebotd [OPTIONS] [COMMAND]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-40s %s\n", commands[i].usage, commands[i].help);
    fprintf(f,
            "\noptions:\n"
            "  --listen ADDR:PORT          where to serve (default 127.0.0.1:8080; [::1]:8080)\n"
            "  --store sqlite|dynamodb     storage backend (default sqlite)\n"
            "  --db PATH                   SQLite file (default ./servicebot.db)\n"
            "  --env ENV                   DynamoDB table prefix (default dev)\n"
            "  --dynamodb-endpoint URL     DynamoDB endpoint (default AWS for $AWS_REGION)\n"
            "  --config FILE               settings as key = value lines, same names\n"
            "  --log-level LEVEL           debug, info, warn, error or off (default info)\n"
            "  --workers N                 worker threads for storage (default 2, 8 for DynamoDB)\n"
            "  --ws-ping SECS              ping idle WebSockets after SECS (default 30)\n"
            "  --routine-grace SECS        run a missed routine if at most SECS late (default 600)\n"
            "  -h, --help                  show this help\n"
            "  --version                   show the version\n"
            "\nSERVICEBOT_ADMIN_TOKEN sets the admin token. See servicebotd(8).\n");
}

static void on_signal(int sig)
{
    (void)sig;
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
                                 .ws_ping_secs = (int)o->ws_ping,
                                 .routine_grace_secs = (int)o->routine_grace};
    char iface[128];
    int port;
    /* A bad address is a usage error, found before the store is touched. */
    if (server_parse_listen(opt.listen ? opt.listen : SERVER_DEFAULT_LISTEN, iface, sizeof(iface),
                            &port, &err) != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return EXIT_USAGE;
    }
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
    if (strcmp(o->args[0], "create") != 0 || o->token_admin == (o->token_customer != NULL)) {
        fprintf(stderr, "servicebotd: usage: servicebotd token create --customer ID | --admin\n");
        return EXIT_USAGE;
    }
    struct store_options so;
    struct store *st = NULL;
    struct sb_err err = {0};
    struct customer c = {0};
    char token[AUTH_TOKEN_LEN];
    if (open_store(o, &so, &st))
        return 1;
    int rc = SB_OK;
    if (o->token_customer)
        rc = store_get_customer(st, o->token_customer, &c, &err);
    if (rc == SB_OK)
        rc = auth_create_token(st, o->token_customer, token, sizeof(token), &err);
    customer_free(&c);
    store_close(st);
    if (rc != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    printf("%s\n", token);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
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
         (!o->ws_ping && config_get_int(o->cfg, "ws-ping", 1, 3600, &o->ws_ping, &err) != SB_OK) ||
         (!o->routine_grace && config_get_int(o->cfg, "routine-grace", 1, 7 * 86400,
                                              &o->routine_grace, &err) != SB_OK))) {
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
        O_PING,
        O_GRACE,
        O_CUSTOMER,
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
        {"ws-ping", required_argument, NULL, O_PING},
        {"routine-grace", required_argument, NULL, O_GRACE},
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
        case O_CUSTOMER:
            o->token_customer = optarg;
            break;
        case O_ADMIN:
            o->token_admin = true;
            break;
        case O_WORKERS:
            if (number_arg("--workers", optarg, 64, &o->workers))
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
    config_free(o.cfg);
    return rc;
}
