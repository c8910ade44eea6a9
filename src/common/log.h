/* logfmt logging to stderr: ts=... level=... msg=... key=value ...
 * Values given through log_kv are quoted when they need to be. */
#ifndef SB_LOG_H
#define SB_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "debug", "info", "warn", "error", "off"; returns 0 or -1. */
int log_parse_level(const char *s, enum log_level *out);

/* Writes one line: msg, then key/value pairs given as alternating
 * const char * arguments, ended by NULL:
 *   log_kv(LOG_INFO, "request", "method", "GET", "path", p, NULL); */
void log_kv(enum log_level level, const char *msg, ...) __attribute__((sentinel));

/* Shorthands for a message with printf-formatted text and no pairs. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
