/* jsonx_string: json-c's own compact output (JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE), byte for byte, written by a walk of the
 * tree into a buffer on the stack, then copied into one exact allocation
 * (a text too long for it is counted by that walk and written again by a
 * second into its allocation). json-c grows its buffer from 32 bytes by
 * doubling: a chain of reallocs (and, past 1 kB, glibc's consolidation of
 * freed chunks) on every chat answer, which was a visible part of an
 * exchange's CPU. tests/unit/common_test compares the two outputs. */
#include "common/jsonx.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Where the walk writes: the first cap bytes go to p; n counts them all. */
struct out {
    char *p;
    size_t n, cap;
};

static void put(struct out *o, const char *s, size_t len)
{
    if (o->n + len <= o->cap)
        memcpy(o->p + o->n, s, len);
    o->n += len;
}

/* A string as json-c escapes it: the two-letter escapes, other control
 * bytes as \u00xx; '/' and every byte from 0x20 up as they are. */
static void put_string(struct out *o, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t from = 0;
    put(o, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        /* the bytes with a two-letter escape, and their letters */
        static const char two[] = "\b\f\n\r\t\"\\", letter[] = "bfnrt\"\\";
        const char *k = memchr(two, c, sizeof two - 1);
        char esc[6] = {'\\', k ? letter[k - two] : 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
        size_t n = k ? 2 : 6;
        put(o, s + from, i - from);
        put(o, esc, n);
        from = i + 1;
    }
    put(o, s + from, len - from);
    put(o, "\"", 1);
}

/* An integer in decimal, as json-c prints an int64 (or a uint64 above INT64_MAX). */
static void put_int(struct out *o, json_object *v)
{
    char buf[24], *end = buf + sizeof buf, *p = end;
    int64_t i = json_object_get_int64(v);
    /* json-c clamps a larger uint64 to INT64_MAX: read that one unsigned */
    uint64_t u = i == INT64_MAX ? json_object_get_uint64(v) : i < 0 ? -(uint64_t)i : (uint64_t)i;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (i < 0)
        *--p = '-';
    put(o, p, (size_t)(end - p));
}

static void put_value(struct out *o, json_object *v)
{
    size_t i = 0;
    switch (json_object_get_type(v)) {
    case json_type_null:
        put(o, "null", 4);
        break;
    case json_type_boolean:
        if (json_object_get_boolean(v))
            put(o, "true", 4);
        else
            put(o, "false", 5);
        break;
    case json_type_int:
        put_int(o, v);
        break;
    case json_type_string:
        put_string(o, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_object:
        put(o, "{", 1);
        json_object_object_foreach(v, key, val)
        {
            if (i++)
                put(o, ",", 1);
            put_string(o, key, strlen(key));
            put(o, ":", 1);
            put_value(o, val);
        }
        put(o, "}", 1);
        break;
    case json_type_array:
        put(o, "[", 1);
        for (i = 0; i < json_object_array_length(v); i++) {
            if (i)
                put(o, ",", 1);
            put_value(o, json_object_array_get_idx(v, i));
        }
        put(o, "]", 1);
        break;
    default: {
        /* a double: its text (its own, as json_object_new_double_s gave it,
         * or json-c's format), from json-c itself */
        size_t n = 0;
        const char *s = json_object_to_json_string_length(v, FLAGS, &n);
        if (!s)
            xalloc_die(0);
        put(o, s, n);
    }
    }
}

static void free_text(json_object *o, void *text)
{
    (void)o;
    free(text);
}

const char *jsonx_string(json_object *o, size_t *len)
{
    json_type type = json_object_get_type(o);
    size_t n = 0;
    const char *s;
    if (type == json_type_object || type == json_type_array) {
        /* the text lives as long as o: its user data (json-c frees the
         * previous text when this replaces it, and the last with o) */
        char first[4096]; /* a chat answer is one to two kB */
        struct out w = {first, 0, sizeof first};
        put_value(&w, o);
        char *text = xmalloc(w.n + 1);
        if (w.n <= w.cap) {
            memcpy(text, first, w.n);
        } else {
            w = (struct out){text, 0, w.n};
            put_value(&w, o);
        }
        text[w.n] = '\0';
        json_object_set_userdata(o, text, free_text);
        s = text;
        n = w.n;
    } else {
        /* a scalar's user data may be json-c's own (a double's text) */
        s = json_object_to_json_string_length(o, FLAGS, &n);
        if (!s)
            xalloc_die(0);
    }
    if (len)
        *len = n;
    return s;
}
