#include "common/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xalloc_die(size_t n)
{
    /* no allocation here: write what fits in a fixed buffer */
    char msg[96];
    int len = n ? snprintf(msg, sizeof msg, "out of memory (allocating %zu bytes): stopping\n", n)
                : snprintf(msg, sizeof msg, "out of memory: stopping\n");
    if (len > 0 && fwrite(msg, 1, (size_t)len, stderr))
        fflush(stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        xalloc_die(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        xalloc_die(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        xalloc_die(n);
    return q;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        xalloc_die(strlen(s) + 1);
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p)
        xalloc_die(n + 1);
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *p;
    va_list again;
    va_copy(again, ap);
    if (vasprintf(&p, fmt, ap) < 0) {
        /* the length only words the message */
        int n = vsnprintf(NULL, 0, fmt, again);
        xalloc_die(n < 0 ? 0 : (size_t)n + 1);
    }
    va_end(again);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

json_object *xjson(json_object *o)
{
    if (!o)
        xalloc_die(sizeof(void *));
    return o;
}

void xjson_add(json_object *o, const char *key, json_object *v)
{
    xjson_add_ex(o, key, v, 0);
}

void xjson_add_ex(json_object *o, const char *key, json_object *v, unsigned flags)
{
    if (json_object_object_add_ex(o, key, v, flags) != 0)
        xalloc_die(strlen(key) + 1);
}

void xjson_push(json_object *array, json_object *v)
{
    if (json_object_array_add(array, v) != 0)
        xalloc_die(sizeof(void *));
}
