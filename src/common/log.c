#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"

static enum log_level current_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(enum log_level level)
{
    current_level = level;
}

enum log_level log_get_level(void)
{
    return current_level;
}

int log_parse_level(const char *s, enum log_level *out)
{
    for (int i = LOG_DEBUG; i <= LOG_OFF; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    if (strcmp(s, "warning") == 0) {
        *out = LOG_WARN;
        return 0;
    }
    return -1;
}

/* Appends value to buf, quoted and escaped when it holds spaces, quotes, '=' or controls. */
static void append_value(char *buf, size_t n, size_t *len, const char *v)
{
    if (!v)
        v = "";
    int quote = *v == '\0';
    for (const char *p = v; *p && !quote; p++)
        quote = *p == ' ' || *p == '"' || *p == '=' || (unsigned char)*p < 0x20;
    if (*len + 1 < n && quote)
        buf[(*len)++] = '"';
    for (const char *p = v; *p && *len + 4 < n; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            buf[(*len)++] = '\\';
            buf[(*len)++] = (char)c;
        } else if (c == '\n') {
            buf[(*len)++] = '\\';
            buf[(*len)++] = 'n';
        } else if (c < 0x20) {
            buf[(*len)++] = ' ';
        } else {
            buf[(*len)++] = (char)c;
        }
    }
    if (*len + 1 < n && quote)
        buf[(*len)++] = '"';
    buf[*len] = '\0';
}

static void append_raw(char *buf, size_t n, size_t *len, const char *s)
{
    int w = snprintf(buf + *len, n - *len, "%s", s);
    if (w > 0)
        *len = *len + (size_t)w < n ? *len + (size_t)w : n - 1;
}

static void log_line(enum log_level level, const char *msg, va_list pairs)
{
    char line[4096], ts[UTIL_TIMESTAMP_LEN];
    size_t len = 0;
    util_timestamp_now(ts, sizeof(ts));
    append_raw(line, sizeof(line), &len, "ts=");
    append_raw(line, sizeof(line), &len, ts);
    append_raw(line, sizeof(line), &len, " level=");
    append_raw(line, sizeof(line), &len, level_names[level]);
    append_raw(line, sizeof(line), &len, " msg=");
    append_value(line, sizeof(line), &len, msg);
    const char *key;
    while ((key = va_arg(pairs, const char *)) != NULL) {
        const char *value = va_arg(pairs, const char *);
        append_raw(line, sizeof(line), &len, " ");
        append_raw(line, sizeof(line), &len, key);
        append_raw(line, sizeof(line), &len, "=");
        append_value(line, sizeof(line), &len, value);
    }
    /* One fputs per line so lines from several threads never interleave. */
    append_raw(line, sizeof(line), &len, "\n");
    fputs(line, stderr);
}

void log_kv(enum log_level level, const char *msg, ...)
{
    if (level < current_level || level >= LOG_OFF)
        return;
    va_list ap;
    va_start(ap, msg);
    log_line(level, msg, ap);
    va_end(ap);
}

static void log_plain(enum log_level level, const char *fmt, va_list ap)
{
    if (level < current_level)
        return;
    char msg[2048];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    log_kv(level, msg, NULL);
}

#define LOG_SHORTHAND(fn, level)                                                                   \
    void fn(const char *fmt, ...)                                                                  \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        log_plain(level, fmt, ap);                                                                 \
        va_end(ap);                                                                                \
    }
LOG_SHORTHAND(log_info, LOG_INFO)
LOG_SHORTHAND(log_warn, LOG_WARN)
LOG_SHORTHAND(log_error, LOG_ERROR)
LOG_SHORTHAND(log_debug, LOG_DEBUG)
