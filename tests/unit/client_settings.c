/* Settings precedence: flag > environment > config file > default. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "client/settings.h"

static char dir[] = "/tmp/sbsettings.XXXXXX";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void clear_env(void)
{
    static const char *const vars[] = {
        "SERVICEBOT_SERVER",  "SERVICEBOT_CUSTOMER",        "SERVICEBOT_TOKEN", "SERVICEBOT_CONFIG",
        "SERVICEBOT_TIMEOUT", "SERVICEBOT_CONNECT_TIMEOUT", "NO_COLOR"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

/* Resolves with flags f; returns the status and leaves the ctx in *ctx. */
static int resolve(const struct settings_flags *f, struct settings *s, struct cli_ctx *ctx,
                   struct sb_err *err)
{
    memset(ctx, 0, sizeof(*ctx));
    memset(err, 0, sizeof(*err));
    return settings_resolve(f, s, ctx, err);
}

static void test_precedence(const char *xdg_file)
{
    struct settings_flags f = {0};
    struct settings s;
    struct cli_ctx ctx;
    struct sb_err err;

    unlink(xdg_file);
    is_int(resolve(&f, &s, &ctx, &err), SB_OK, "no config file at the default path is fine");
    is_str(ctx.server, SETTINGS_DEFAULT_SERVER, "default server");
    is_int(ctx.timeout_ms, SETTINGS_DEFAULT_TIMEOUT_MS, "default timeout");
    ok(ctx.customer == NULL && ctx.token == NULL, "no customer or token by default");
    settings_free(&s);

    write_file(xdg_file, "# client settings\nserver = http://config:1\ncustomer = cust_cfg\n"
                         "token = \"tok cfg\"\ntimeout = 2.5\n");
    is_int(resolve(&f, &s, &ctx, &err), SB_OK, "the XDG config file is read");
    is_str(ctx.server, "http://config:1", "config beats default");
    is_str(ctx.customer, "cust_cfg", "customer from config");
    is_str(ctx.token, "tok cfg", "quoted token from config");
    is_int(ctx.timeout_ms, 2500, "timeout in seconds with decimals");
    is_str(ctx.config_path, xdg_file, "config_path names the file read");
    settings_free(&s);

    setenv("SERVICEBOT_SERVER", "http://env:2", 1);
    setenv("SERVICEBOT_CUSTOMER", "cust_env", 1);
    is_int(resolve(&f, &s, &ctx, &err), SB_OK, "environment and config together");
    is_str(ctx.server, "http://env:2", "environment beats config");
    is_str(ctx.customer, "cust_env", "customer from environment");
    is_str(ctx.token, "tok cfg", "config still fills what the environment lacks");
    settings_free(&s);

    f.server = "https://flag:3";
    is_int(resolve(&f, &s, &ctx, &err), SB_OK, "flag, environment and config");
    is_str(ctx.server, "https://flag:3", "flag beats environment");
    settings_free(&s);
    clear_env();
}

static void test_errors(const char *xdg_file)
{
    struct settings_flags f = {0};
    struct settings s;
    struct cli_ctx ctx;
    struct sb_err err;
    char path[256];

    write_file(xdg_file, "server = http://x:1\n\ncolour = never\n");
    is_int(resolve(&f, &s, &ctx, &err), SB_EINVAL, "an unknown key is an error");
    ok(strstr(err.msg, "config:3") && strstr(err.msg, "colour"), "names file, line and key: %s",
       err.msg);
    settings_free(&s);

    write_file(xdg_file, "timeout = soon\n");
    is_int(resolve(&f, &s, &ctx, &err), SB_EINVAL, "a bad timeout is an error");
    ok(strstr(err.msg, "config:1") && strstr(err.msg, "soon"), "names where: %s", err.msg);
    settings_free(&s);

    write_file(xdg_file, "server = ftp://x\n");
    is_int(resolve(&f, &s, &ctx, &err), SB_EINVAL, "a non-http server is an error");
    settings_free(&s);
    unlink(xdg_file);

    snprintf(path, sizeof(path), "%s/missing.conf", dir);
    f.config = path;
    is_int(resolve(&f, &s, &ctx, &err), SB_EINVAL,
           "a named config file that is missing is an error");
    ok(strstr(err.msg, "missing.conf") != NULL, "names it: %s", err.msg);
    settings_free(&s);
    f.config = NULL;

    snprintf(path, sizeof(path), "%s/other.conf", dir);
    write_file(path, "customer = cust_other\ncolor = always\n");
    setenv("SERVICEBOT_CONFIG", path, 1);
    is_int(resolve(&f, &s, &ctx, &err), SB_OK, "SERVICEBOT_CONFIG names the file");
    is_str(ctx.customer, "cust_other", "read from SERVICEBOT_CONFIG's file");
    ok(ctx.color, "color = always gives colour even off a terminal");
    settings_free(&s);
    setenv("NO_COLOR", "1", 1);
    resolve(&f, &s, &ctx, &err);
    ok(!ctx.color, "NO_COLOR beats the config file");
    settings_free(&s);
    f.timeout = "0";
    is_int(resolve(&f, &s, &ctx, &err), SB_EINVAL, "--timeout 0 is refused");
    ok(strstr(err.msg, "--timeout") != NULL, "names the flag: %s", err.msg);
    settings_free(&s);
    unlink(path);
    clear_env();
}

int main(void)
{
    char xdg_dir[300], xdg_file[400];
    if (!mkdtemp(dir))
        return 99;
    clear_env();
    snprintf(xdg_dir, sizeof(xdg_dir), "%s/servicebot", dir);
    mkdir(xdg_dir, 0700);
    setenv("XDG_CONFIG_HOME", dir, 1);
    snprintf(xdg_file, sizeof(xdg_file), "%s/config", xdg_dir);

    long ms = 0;
    ok(settings_parse_seconds("1.5", &ms) == 0 && ms == 1500, "1.5 s is 1500 ms");
    ok(settings_parse_seconds("-1", &ms) < 0, "negative seconds are refused");
    ok(settings_parse_seconds("3601", &ms) < 0, "more than an hour is refused");
    ok(settings_parse_seconds("5s", &ms) < 0, "units are refused");

    test_precedence(xdg_file);
    test_errors(xdg_file);
    rmdir(xdg_dir);
    rmdir(dir);
    return tap_done();
}
