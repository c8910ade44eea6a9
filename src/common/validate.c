#include "common/validate.h"

#include <stdio.h>
#include <string.h>

#include "common/model.h"
#include "common/utf8.h"

/* The offset of the first byte that makes s[0..len) ill-formed UTF-8. */
static size_t bad_utf8_at(const char *s, size_t len)
{
    size_t lo = 0, hi = len;
    /* utf8_valid says yes or no; halve until the first failing prefix. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (utf8_valid(s, mid))
            lo = mid;
        else
            hi = mid;
    }
    /* a prefix may end inside a character: back up to its lead byte */
    while (lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80)
        lo--;
    return lo;
}

bool validate_string(const char *s, size_t len, enum validate_kind kind, char *problem, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (memchr(s, '\0', len)) {
        snprintf(problem, n, "must not contain NUL bytes (at offset %zu)",
                 (size_t)((const char *)memchr(s, '\0', len) - s));
        return false;
    }
    if (!utf8_valid(s, len)) {
        size_t at = bad_utf8_at(s, len);
        snprintf(problem, n, "must be valid UTF-8 (bad byte 0x%02x at offset %zu)", p[at], at);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        /* C0, DEL, and C1 (U+0080-U+009F, encoded C2 80..C2 9F) */
        bool c1 = p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F;
        bool ctl = p[i] < 0x20 || p[i] == 0x7F || c1;
        if (kind == VALIDATE_BYTES ||
            (ctl && kind == VALIDATE_TEXT && (p[i] == '\n' || p[i] == '\r' || p[i] == '\t')))
            continue;
        if (ctl) {
            snprintf(problem, n, "must not contain control characters (U+%04X at offset %zu)",
                     c1 ? p[i + 1] : p[i], i);
            return false;
        }
    }
    return true;
}

void validate_scrub(char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        if (i + n <= len && utf8_valid(s + i, n)) {
            i += n;
        } else {
            s[i] = '?';
            i++;
        }
    }
}

enum validate_kind validate_kind_for(size_t max)
{
    return max > MODEL_NAME_MAX ? VALIDATE_TEXT : VALIDATE_LABEL;
}

bool validate_chat(json_object *o, const char **bad, char *problem, size_t n)
{
    static const struct {
        const char *key;
        enum validate_kind kind;
        size_t max;
    } fields[] = {
        {"customerId", VALIDATE_LABEL, MODEL_ID_MAX},
        {"conversationId", VALIDATE_LABEL, MODEL_ID_MAX},
        {"id", VALIDATE_LABEL, MODEL_ID_MAX},
        {"message", VALIDATE_TEXT, MODEL_TEXT_MAX},
        {"text", VALIDATE_TEXT, MODEL_TEXT_MAX},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        json_object *v = NULL;
        if (!json_object_object_get_ex(o, fields[i].key, &v) ||
            !json_object_is_type(v, json_type_string))
            continue;
        size_t len = (size_t)json_object_get_string_len(v);
        *bad = fields[i].key;
        if (len > fields[i].max) {
            snprintf(problem, n, "must be at most %zu bytes, got %zu", fields[i].max, len);
            return false;
        }
        if (!validate_string(json_object_get_string(v), len, fields[i].kind, problem, n))
            return false;
    }
    *bad = NULL;
    return true;
}

/* Where the walk is: the member name or array index of each level. Only a
 * failure turns it into text, so a valid document (every stored record read)
 * costs no formatting. */
#define TRAIL_DEPTH 64

struct trail {
    const char *key[TRAIL_DEPTH]; /* NULL: an array element, see idx */
    size_t idx[TRAIL_DEPTH];
    int depth;
};

static void trail_push(struct trail *t, const char *key, size_t idx)
{
    if (t->depth < TRAIL_DEPTH) {
        t->key[t->depth] = key;
        t->idx[t->depth] = idx;
    }
    t->depth++;
}

/* The trail as "devices[3].name" (levels past TRAIL_DEPTH are left out). */
static void trail_format(const struct trail *t, char *path, size_t n)
{
    size_t len = 0;
    path[0] = '\0';
    for (int d = 0; d < t->depth && d < TRAIL_DEPTH && len < n; d++) {
        int w = t->key[d] ? snprintf(path + len, n - len, "%s%s", len ? "." : "", t->key[d])
                          : snprintf(path + len, n - len, "[%zu]", t->idx[d]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static bool walk(json_object *o, struct trail *t, char *problem, size_t n)
{
    switch (json_object_get_type(o)) {
    case json_type_string:
        return validate_string(json_object_get_string(o), (size_t)json_object_get_string_len(o),
                               VALIDATE_BYTES, problem, n);
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(o); i++) {
            trail_push(t, NULL, i);
            if (!walk(json_object_array_get_idx(o, i), t, problem, n))
                return false;
            t->depth--;
        }
        return true;
    case json_type_object: {
        json_object_object_foreach(o, key, v)
        {
            char kp[200];
            if (!validate_string(key, strlen(key), VALIDATE_BYTES, kp, sizeof kp)) {
                snprintf(problem, n, "a member name %s", kp);
                return false;
            }
            trail_push(t, key, 0);
            if (!walk(v, t, problem, n))
                return false;
            t->depth--;
        }
        return true;
    }
    default:
        return true;
    }
}

bool validate_json_text(json_object *o, char *path, size_t path_n, char *problem, size_t n)
{
    struct trail t;
    t.depth = 0;
    path[0] = '\0';
    if (walk(o, &t, problem, n))
        return true;
    trail_format(&t, path, path_n);
    return false;
}
