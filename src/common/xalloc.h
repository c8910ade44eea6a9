/* The out-of-memory policy of the whole tree: an allocation that fails ends
 * the process (a message on stderr, then abort()), instead of each caller
 * inventing an answer. Nothing half-written survives it: SQLite rolls back
 * what was not committed, and servicebotd is restarted by its supervisor.
 * Use these, and xjson() around json-c constructors, for every allocation;
 * they never return NULL. */
#ifndef SB_XALLOC_H
#define SB_XALLOC_H

#include <json-c/json.h>
#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* asprintf that returns the string: it fails only when out of memory. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* json_object_object_add and json_object_array_add, checked: json-c
 * returns -1 when copying the key or growing the table fails, and the
 * member would be missing without a word. */
void xjson_add(json_object *o, const char *key, json_object *v);
/* xjson_add with json-c's flags (JSON_C_OBJECT_ADD_*). */
void xjson_add_ex(json_object *o, const char *key, json_object *v, unsigned flags);
/* xjson_add for a key that is a string literal ("" key "" refuses
 * anything else at compile time): json-c keeps the pointer instead of a
 * copy, one malloc and free less per member of the records' JSON forms. */
#define xjson_add_lit(o, key, v) xjson_add_ex((o), "" key "", (v), JSON_C_OBJECT_ADD_CONSTANT_KEY)
void xjson_push(json_object *array, json_object *v);
/* o, checked: json-c's constructors return NULL when out of memory. */
json_object *xjson(json_object *o);
/* Ends the process for a failed allocation of n bytes (0: a size nobody
 * told us, as from SQLite, curl or a memory stream). */
__attribute__((noreturn)) void xalloc_die(size_t n);

#endif
