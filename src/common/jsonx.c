#include "common/jsonx.h"

#include <stdio.h>
#include <string.h>

#include "common/validate.h"
#include "common/xalloc.h"

/* json-c's strict mode still takes 'single quotes', NaN and Infinity: the
 * offset of the first such word outside a string, or len when there is none
 * (the tokenizer has already refused comments and trailing commas). */
static size_t lax_token_at(const char *buf, size_t len, const char **what)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '"') {
            for (i++; i < len && buf[i] != '"'; i++)
                if (buf[i] == '\\')
                    i++;
            continue;
        }
        if (c == '\'') {
            *what = "single quotes are not JSON (use \"...\")";
            return i;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t w = 0;
            while (i + w < len && ((buf[i + w] >= 'a' && buf[i + w] <= 'z') ||
                                   (buf[i + w] >= 'A' && buf[i + w] <= 'Z')))
                w++;
            bool known = false;
            for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
                known |= strlen(words[k]) == w && strncmp(buf + i, words[k], w) == 0;
            if (!known && !(w == 1 && (c == 'e' || c == 'E'))) {
                *what = "only true, false and null are JSON words (no NaN, Infinity)";
                return i;
            }
            i += w - 1;
        }
    }
    return len;
}

int jsonx_parse(const char *buf, size_t len, json_object **out, struct sb_err *err)
{
    *out = NULL;
    if (len == 0)
        return sb_err_set(err, SB_EINVAL, "invalid JSON: the body is empty");
    if (memchr(buf, '\0', len))
        return sb_err_set(err, SB_EINVAL, "invalid JSON at byte %zu: NUL byte",
                          (size_t)((const char *)memchr(buf, '\0', len) - buf));
    json_tokener *tok = json_tokener_new();
    if (!tok) /* not a json_object, so not through xjson() */
        xalloc_die(sizeof(*tok));
    /* Strict: comments and trailing commas are refused, not guessed at. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, buf, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t offset = json_tokener_get_parse_end(tok);
    int rc = SB_OK;
    if (jerr == json_tokener_continue) {
        rc = sb_err_set(err, SB_EINVAL, "invalid JSON at byte %zu: unexpected end of input", len);
    } else if (jerr != json_tokener_success) {
        rc = sb_err_set(err, SB_EINVAL, "invalid JSON at byte %zu: %s", offset,
                        json_tokener_error_desc(jerr));
    } else {
        /* Only whitespace may follow the value. */
        for (size_t i = offset; i < len && rc == SB_OK; i++)
            if (!strchr(" \t\r\n", buf[i]))
                rc = sb_err_set(err, SB_EINVAL, "invalid JSON at byte %zu: trailing data", i);
        const char *what = NULL;
        size_t at = rc == SB_OK ? lax_token_at(buf, offset, &what) : len;
        char path[160], problem[160];
        if (at < offset)
            rc = sb_err_set(err, SB_EINVAL, "invalid JSON at byte %zu: %s", at, what);
        else if (rc == SB_OK && !validate_json_text(o, path, sizeof path, problem, sizeof problem))
            rc = sb_err_set(err, SB_EINVAL, "%s: %s", path[0] ? path : "the body", problem);
    }
    json_tokener_free(tok);
    if (rc != SB_OK) {
        json_object_put(o);
        return rc;
    }
    *out = o;
    return SB_OK;
}

const char *jsonx_get_string(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

bool jsonx_get_int(json_object *o, const char *key, long long *out)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
        return false;
    *out = json_object_get_int64(v);
    return true;
}

void jsonx_describe(json_object *v, char *buf, size_t n)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        snprintf(buf, n, "null");
        break;
    case json_type_array:
        snprintf(buf, n, "a list");
        break;
    case json_type_object:
        snprintf(buf, n, "an object");
        break;
    case json_type_string: {
        const char *s = json_object_get_string(v);
        if (strlen(s) > 40)
            snprintf(buf, n, "a %zu-byte string", strlen(s));
        else
            snprintf(buf, n, "\"%s\"", s);
        break;
    }
    default:
        snprintf(buf, n, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
    }
}

json_object *jsonx_string_or_null(const char *s)
{
    return s ? xjson(json_object_new_string(s)) : NULL;
}
