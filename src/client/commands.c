#include "client/commands.h"

#include "client/suggest.h"
#include "client/termsafe.h"
#include "common/model.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

const struct cli_opt commands_globals[] = {
    {"server", 0, "URL", "servicebotd to talk to (default " SETTINGS_DEFAULT_SERVER ")", NULL},
    {"customer", 0, "ID", "the customer to act for", "@customers"},
    {"token", 0, "TOKEN", "bearer token for the server", NULL},
    {"json", 0, NULL, "print the server's JSON on stdout instead of tables", NULL},
    {"jq", 0, "EXPR", "filter the JSON through a jq program (implies --json)", NULL},
    {"color", 0, "WHEN", "colour: auto (on a terminal, the default), always or never",
     "auto always never"},
    {"no-color", 0, NULL, "no colour even on a terminal (--color=never)", NULL},
    {"quiet", 'q', NULL, "print nothing on success when changing something", NULL},
    {"utc", 0, NULL, "show times in UTC instead of local time", NULL},
    {"config", 0, "FILE", "config file instead of ~/.config/servicebot/config", NULL},
    {"timeout", 0, "SECONDS", "give up on a request after this long (default 30)", NULL},
    {"connect-timeout", 0, "SECONDS", "give up connecting after this long (default 5)", NULL},
    {"cacert", 0, "FILE", "CA certificate (PEM) that signed an https:// server's", NULL},
    {"verbose", 'v', NULL, "show each request on stderr", NULL},
    {"version", 0, NULL, "print the version and exit", NULL},
    {"help", 'h', NULL, "show help and exit", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const struct cli_opt opts_devices_list[] = {
    {"customer", 0, "ID", "whose devices (default: the configured customer)", "@customers"},
    {NULL, 0, NULL, NULL, NULL},
};

static const struct cli_opt opts_device_set[] = {
    {"state", 0, "on|off", "turn the device on or off", "on off"},
    {"volume", 0, "N", "set the volume, 0-100", NULL},
    {"location", 0, "ROOM", "move the device to another room", "@rooms"},
    {"song", 0, "TITLE", "play a song from its playlist", "@songs"},
    {"playback", 0, "playing|paused", "pause or resume what the device plays", "playing paused"},
    {NULL, 0, NULL, NULL, NULL},
};

static const struct cli_opt opts_history[] = {
    {"conversation", 0, "ID", "only this conversation", "@conversations"},
    {"limit", 0, "N",
     "at most N messages (1-" MODEL_STR(MODEL_HISTORY_MAX) ", default " MODEL_STR(
         MODEL_HISTORY_DEFAULT) ")",
     NULL},
    {"before", 0, "TIME", "only messages before this ISO 8601 time", NULL},
    {"follow", 'f', NULL, "then print new messages as they arrive, until Ctrl-C", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const struct cli_opt opts_chat[] = {
    {"conversation", 0, "ID", "resume this conversation (default: the most recent)",
     "@conversations"},
    {NULL, 0, NULL, NULL, NULL},
};

static const struct cli_opt opts_send[] = {
    {"conversation", 0, "ID", "continue this conversation", "@conversations"},
    {"continue", 0, NULL, "continue the last conversation send had with this customer", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const struct cli_opt opts_routines_add[] = {
    {"at", 0, "HH:MM", "run it by itself at this time (the customer's time zone)", NULL},
    {"days", 0, "DAYS", "on these days: mon,tue,... or weekdays, weekends, daily (default daily)",
     "weekdays weekends daily"},
    {"date", 0, "YYYY-MM-DD", "once, on this date", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const struct cli_command commands_table[] = {
    {"chat", "", "talk to the bot in a full-screen window", opts_chat, 0, 0, NULL, cmd_chat, 0,
     "servicebot --customer cust_002 chat"},
    {"send", "TEXT...", "send one message ('-': from stdin) and print the bot's reply", opts_send,
     1, -1, NULL, cmd_send, 0, "servicebot --customer cust_001 send 'turn on the speaker'"},
    {"devices list", "", "list a customer's devices", opts_devices_list, 0, 0, NULL,
     cmd_devices_list, 0, "servicebot devices list --customer cust_002"},
    {"devices watch", "", "follow a customer's devices live (a line or JSON object per change)",
     opts_devices_list, 0, 0, NULL, cmd_devices_watch, 0,
     "servicebot --json devices watch --customer cust_002 | jq -c .device"},
    {"device show", "DEVICE", "show one device", NULL, 1, 1, "@devices", cmd_device_show, 0,
     "servicebot device show dev_001"},
    {"device set", "DEVICE", "change a device's state, volume, room, song or playback",
     opts_device_set, 1, 1, "@devices", cmd_device_set, 0,
     "servicebot device set dev_001 --state on --volume 30"},
    {"levels show", "[LEVEL]", "show the service levels side by side, or one in detail", NULL, 0, 1,
     "@levels", cmd_levels_show, 0, "servicebot levels show premium"},
    {"capabilities", "", "show which level allows which action", NULL, 0, 0, NULL, cmd_capabilities,
     0, "servicebot capabilities"},
    {"history", "", "show a customer's chat history, oldest first", opts_history, 0, 0, NULL,
     cmd_history, 0, "servicebot history --limit 10"},
    {"customers list", "", "list customers (admin token)", NULL, 0, 0, NULL, cmd_customers_list, 0,
     "servicebot --json customers list | jq -r '.customers[].id'"},
    {"customers show", "ID", "show one customer and their devices", NULL, 1, 1, "@customers",
     cmd_customers_show, 0, "servicebot customers show cust_003"},
    {"login", "", "ask for the server and a token, check them, save them in the config file", NULL,
     0, 0, NULL, cmd_login, 0, NULL},
    {"logout", "", "remove the saved token from the config file", NULL, 0, 0, NULL, cmd_logout,
     CLI_LOCAL, "servicebot logout"},
    {"auth status", "", "show the server, where the token comes from, and who it is", NULL, 0, 0,
     NULL, cmd_auth_status, 0, "servicebot auth status"},
    {"routines list", "", "list the customer's routines", NULL, 0, 0, NULL, cmd_routines_list, 0,
     "servicebot --customer cust_003 routines list"},
    {"routines show", "NAME", "show one routine: its steps, schedule and runs", NULL, 1, 1,
     "@routines", cmd_routines_show, 0, "servicebot routines show 'wind down'"},
    {"routines add", "NAME STEP...", "create or replace a routine (each STEP a sentence)",
     opts_routines_add, 2, -1, NULL, cmd_routines_add, 0,
     "servicebot routines add 'wind down' 'turn off the lights' --at 22:00 --days weekdays"},
    {"routines rm", "NAME", "delete a routine", NULL, 1, 1, "@routines", cmd_routines_rm, 0,
     "servicebot routines rm 'wind down'"},
    {"routines run", "NAME", "run a routine now", NULL, 1, 1, "@routines", cmd_routines_run, 0,
     "servicebot routines run 'wind down'"},
    {"version", "", "print the client's version", NULL, 0, 0, NULL, cmd_version, CLI_LOCAL,
     "servicebot version"},
    {"help", "[COMMAND]", "show help for all commands or one", NULL, 0, 2, "@commands", cmd_help,
     CLI_LOCAL, "servicebot help device set"},
    {"__complete", "WORDS...", "print completions for the words of a command line", NULL, 0, -1,
     NULL, cmd_complete, CLI_RAW | CLI_HIDDEN | CLI_LOCAL, NULL},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL},
};

/* Commands whose --help says more than the table holds (after the options). */
static const struct {
    const char *name;
    void (*print)(FILE *f);
} more_help[] = {
    {"chat", chat_help},
};

/* Whether the first word of name is word (name "device set", word "device"). */
static bool first_word_is(const char *name, const char *word)
{
    size_t n = strlen(word);
    return strncmp(name, word, n) == 0 && name[n] == ' ';
}

bool commands_is_group(const char *word)
{
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (first_word_is(c->name, word))
            return true;
    }
    return false;
}

const struct cli_command *commands_lookup(int argc, char **argv, int *words)
{
    if (argc < 1)
        return NULL;
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (argc >= 2 && first_word_is(c->name, argv[0]) &&
            strcmp(c->name + strlen(argv[0]) + 1, argv[1]) == 0) {
            *words = 2;
            return c;
        }
        if (strcmp(c->name, argv[0]) == 0) {
            *words = 1;
            return c;
        }
    }
    return NULL;
}

const char *commands_suggest(const char *word, const char *sub, char *buf, size_t n)
{
    /* First words are compared without their subcommand: "devices list" -> "devices". */
    char firsts[32][32];
    struct suggest s;
    size_t nfirst = 0;
    suggest_init(&s, sub ? sub : word);
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (c->flags & CLI_HIDDEN)
            continue;
        if (sub) {
            if (first_word_is(c->name, word))
                suggest_consider(&s, c->name + strlen(word) + 1);
        } else if (nfirst < sizeof(firsts) / sizeof(firsts[0])) {
            snprintf(firsts[nfirst], sizeof(firsts[0]), "%.*s", (int)strcspn(c->name, " "),
                     c->name);
            suggest_consider(&s, firsts[nfirst++]);
        }
    }
    const char *near = suggest_best(&s);
    if (!near)
        return NULL;
    snprintf(buf, n, "%s%s%s", sub ? word : "", sub ? " " : "", near);
    return buf;
}

void commands_group_members(const char *group, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (!first_word_is(c->name, group))
            continue;
        int w =
            snprintf(buf + used, n - used, "%s%s", used ? ", " : "", c->name + strlen(group) + 1);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

const struct cli_opt *commands_find_opt(const struct cli_opt *opts, const char *name)
{
    for (const struct cli_opt *o = opts; o && o->name; o++) {
        if (strcmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

/* "  --name ARG" padded, then the help text. */
static void print_opts(FILE *f, const struct cli_opt *opts)
{
    for (const struct cli_opt *o = opts; o && o->name; o++) {
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(f, "  %-28s %s\n", left, o->help);
    }
}

static void print_usage_line(FILE *f, const struct cli_command *cmd)
{
    fprintf(f, "usage: servicebot %s%s%s%s\n", cmd->name, *cmd->args ? " " : "", cmd->args,
            cmd->opts ? " [options]" : "");
}

void commands_overview(FILE *f)
{
    fprintf(f, "usage: servicebot [global options] COMMAND [options] [arguments]\n\n"
               "With no command on a terminal, servicebot opens the chat.\n\nCommands:\n");
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (c->flags & CLI_HIDDEN)
            continue;
        char left[64];
        snprintf(left, sizeof(left), "%s%s%s", c->name, *c->args ? " " : "", c->args);
        fprintf(f, "  %-28s %s\n", left, c->summary);
    }
    fprintf(f, "\nGlobal options (also accepted after the command):\n");
    print_opts(f, commands_globals);
    fprintf(f, "\nEnvironment: SERVICEBOT_SERVER, SERVICEBOT_CUSTOMER, SERVICEBOT_TOKEN,\n"
               "SERVICEBOT_CONFIG, SERVICEBOT_TIMEOUT, SERVICEBOT_CONNECT_TIMEOUT, NO_COLOR.\n"
               "Run 'servicebot help COMMAND' for a command's options; see servicebot(1).\n");
}

void commands_help(FILE *f, const struct cli_command *cmd)
{
    print_usage_line(f, cmd);
    fprintf(f, "\n%c%s.\n", toupper((unsigned char)cmd->summary[0]), cmd->summary + 1);
    if (cmd->opts) {
        fprintf(f, "\nOptions:\n");
        print_opts(f, cmd->opts);
    }
    for (size_t i = 0; i < sizeof(more_help) / sizeof(*more_help); i++)
        if (!strcmp(cmd->name, more_help[i].name))
            more_help[i].print(f);
    if (cmd->example)
        fprintf(f, "\nExample:\n  %s\n", cmd->example);
    fprintf(f, "\nGlobal options such as --json, --server and --customer work here too;\n"
               "see 'servicebot --help'.\n");
}

void commands_group_help(FILE *f, const char *group)
{
    bool first = true;
    for (const struct cli_command *c = commands_table; c->name; c++) {
        if (!first_word_is(c->name, group))
            continue;
        if (!first)
            fputs("\n", f);
        commands_help(f, c);
        first = false;
    }
}

int commands_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "servicebot: %s%s", cmd ? cmd->name : "", cmd ? ": " : "");
    termsafe_vfprintf(stderr, fmt, ap); /* may quote an id the server sent */
    fputc('\n', stderr);
    va_end(ap);
    if (cmd) {
        print_usage_line(stderr, cmd);
        fprintf(stderr, "Try 'servicebot help %s'.\n", cmd->name);
    } else {
        fprintf(stderr, "Try 'servicebot help'.\n");
    }
    return CLI_USAGE;
}
