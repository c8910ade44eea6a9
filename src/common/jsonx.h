/* json-c helpers used on both sides of the wire. */
#ifndef SB_JSONX_H
#define SB_JSONX_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

/* Parses exactly one JSON value from buf[0..len) (not NUL-terminated).
 * On failure err says what and where: "invalid JSON at byte 17: unexpected character". */
int jsonx_parse(const char *buf, size_t len, json_object **out, struct sb_err *err);
/* Compact serialisation without "\/" escapes, byte for byte json-c's
 * (jsonx_write.c); the string is owned by o and valid until o is freed or
 * serialised again. Never NULL: allocation failure ends the process. */
const char *jsonx_string(json_object *o, size_t *len);
/* Field accessors: NULL / false when absent or of another type. */
const char *jsonx_get_string(json_object *o, const char *key);
bool jsonx_get_int(json_object *o, const char *key, long long *out);
/* A short description of a value for error messages: "\"loud\"", "a list", "null". */
void jsonx_describe(json_object *v, char *buf, size_t n);
/* json_object_new_string that accepts NULL (giving JSON null). */
json_object *jsonx_string_or_null(const char *s);

#endif
