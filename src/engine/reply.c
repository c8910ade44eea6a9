/* Filling reply templates. */
#include "engine/reply.h"

#include <stdio.h>
#include <string.h>

void reply_set(struct reply_vars *v, const char *key, const char *val)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0) {
            v->vals[i] = val;
            return;
        }
    if (v->n < REPLY_MAX_VARS) {
        v->keys[v->n] = key;
        v->vals[v->n++] = val;
    }
}

static const char *lookup(const struct reply_vars *v, const char *key, size_t len)
{
    for (size_t i = 0; v && i < v->n; i++)
        if (strlen(v->keys[i]) == len && strncmp(v->keys[i], key, len) == 0)
            return v->vals[i] ? v->vals[i] : "";
    return "";
}

static void put(char *buf, size_t n, size_t *o, const char *s, size_t len)
{
    if (*o + 1 >= n)
        return;
    if (len > n - 1 - *o)
        len = n - 1 - *o;
    memcpy(buf + *o, s, len);
    *o += len;
    buf[*o] = '\0';
}

void reply_render(const struct lexicon *lx, const char *key, const struct reply_vars *v, char *buf,
                  size_t n)
{
    reply_fill(lexicon_reply(lx, key), v, buf, n);
}

void reply_fill(const char *t, const struct reply_vars *v, char *buf, size_t n)
{
    size_t o = 0;
    if (!n)
        return;
    buf[0] = '\0';
    while (*t) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            put(buf, n, &o, t, strlen(t));
            break;
        }
        put(buf, n, &o, t, (size_t)(open - t));
        const char *val = lookup(v, open + 1, (size_t)(close - open - 1));
        put(buf, n, &o, val, strlen(val));
        t = close + 1;
    }
}

void reply_join(const struct lexicon *lx, const char *const *items, size_t n_items,
                const char *last_key, char *buf, size_t n)
{
    char acc[REPLY_TEXT_MAX], next[REPLY_TEXT_MAX];
    struct reply_vars v = {0};
    if (!n)
        return;
    snprintf(acc, sizeof acc, "%s", n_items ? items[0] : "");
    /* each item joins what came before: "list.next" between, last_key last */
    for (size_t i = 1; i < n_items; i++) {
        reply_set(&v, "list", acc);
        reply_set(&v, "item", items[i]);
        reply_render(lx, i + 1 == n_items ? last_key : "list.next", &v, next, sizeof next);
        memcpy(acc, next, strlen(next) + 1);
    }
    snprintf(buf, n, "%s", acc);
}

void reply_the(const struct lexicon *lx, const char *name, char *buf, size_t n)
{
    struct reply_vars v = {0};
    reply_set(&v, "device", name);
    reply_render(lx, "device.the", &v, buf, n);
}

void reply_price(const struct lexicon *lx, int cents, char *buf, size_t n)
{
    struct reply_vars v = {0};
    char dollars[16], rest[8];
    snprintf(dollars, sizeof dollars, "%d", cents / 100);
    snprintf(rest, sizeof rest, "%02d", cents % 100);
    reply_set(&v, "dollars", dollars);
    reply_set(&v, "cents", rest);
    reply_render(lx, "money", &v, buf, n);
}
