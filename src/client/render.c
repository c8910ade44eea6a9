#include "client/render.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/wrap.h"
#include "common/xalloc.h"

/* Appends one line (taking ownership of s). */
static void lines_push(struct render_lines *l, char *s)
{
    l->lines = xrealloc(l->lines, (l->n + 1) * sizeof(*l->lines));
    l->lines[l->n++] = s;
}

/* Breaks text into lines of at most width columns (see wrap_next). */
static void lines_wrap(struct render_lines *l, const char *text, int width)
{
    size_t len, adv;
    if (width <= 0) {
        lines_push(l, xstrdup(text));
        return;
    }
    for (const char *p = text; (adv = wrap_next(p, width, &len)) > 0; p += adv)
        lines_push(l, xstrndup(p + strspn(p, " "), len));
}

__attribute__((format(printf, 3, 4))) static void lines_addf(struct render_lines *l, int width,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    lines_wrap(l, s, width);
    free(s);
}

/* A display name from obj[name_key], falling back to obj[key], then to dflt. */
static const char *pick(json_object *obj, const char *name_key, const char *key, const char *dflt)
{
    json_object *v;
    if (name_key && json_object_object_get_ex(obj, name_key, &v) &&
        json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    if (key && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return dflt;
}

/* "$9.99/month", "free of charge", or "" when price is absent. */
static void format_price(json_object *obj, char *buf, size_t n)
{
    json_object *v;
    buf[0] = '\0';
    if (!json_object_object_get_ex(obj, "price", &v) ||
        !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
        return;
    double price = json_object_get_double(v);
    if (price <= 0)
        snprintf(buf, n, "free of charge");
    else
        snprintf(buf, n, "$%.2f/month", price);
}

/* Joins the names of the allowed actions ("A, B and C"), preferring display names. */
static char *join_actions(json_object *denial)
{
    json_object *list;
    if (!json_object_object_get_ex(denial, "allowedActionNames", &list) ||
        !json_object_is_type(list, json_type_array) || json_object_array_length(list) == 0) {
        if (!json_object_object_get_ex(denial, "allowedActions", &list) ||
            !json_object_is_type(list, json_type_array))
            return NULL;
    }
    size_t n = json_object_array_length(list);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(list, i));
        const char *sep = i == 0 ? "" : (i + 1 == n ? " and " : ", ");
        fprintf(f, "%s%s", sep, s ? s : "?");
    }
    fclose(f);
    if (out && !*out) {
        free(out);
        return NULL;
    }
    return out;
}

static bool has_string(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string);
}

/* "Upgrade to Premium ($9.99/month) <purpose>.", or none_text when no level helps. */
static void add_upgrade(struct render_lines *out, int width, json_object *obj, const char *purpose,
                        const char *none_text)
{
    const char *required = pick(obj, "requiredLevelName", "requiredLevel", NULL);
    char price[64];
    format_price(obj, price, sizeof(price));
    if (!required)
        lines_addf(out, width, "%s", none_text);
    else if (*price)
        lines_addf(out, width, "Upgrade to %s (%s) %s.", required, price, purpose);
    else
        lines_addf(out, width, "Upgrade to %s %s.", required, purpose);
}

int render_denial(json_object *denial, int width, struct render_lines *out)
{
    memset(out, 0, sizeof(*out));
    if (!denial || !json_object_is_type(denial, json_type_object) || !has_string(denial, "action"))
        return -1;
    const char *action = pick(denial, "actionName", "action", "this");
    const char *current = pick(denial, "currentLevelName", "currentLevel", "current");
    char *allowed = join_actions(denial);
    lines_addf(out, width, "%s is not included in your %s plan.", action, current);
    add_upgrade(out, width, denial, "to use it", "No plan offers it at the moment.");
    if (allowed)
        lines_addf(out, width, "With %s you can still use: %s.", current, allowed);
    free(allowed);
    return 0;
}

int render_limit(json_object *limit, int width, struct render_lines *out)
{
    memset(out, 0, sizeof(*out));
    long long max = 0, have = 0;
    json_object *v;
    if (!limit || !json_object_is_type(limit, json_type_object) ||
        !json_object_object_get_ex(limit, "maxDevices", &v) ||
        !json_object_is_type(v, json_type_int))
        return -1;
    max = json_object_get_int64(v);
    if (json_object_object_get_ex(limit, "devices", &v) && json_object_is_type(v, json_type_int))
        have = json_object_get_int64(v);
    const char *current = pick(limit, "currentLevelName", "currentLevel", "current");
    lines_addf(out, width, "Your %s plan allows %lld device%s and you have %lld.", current, max,
               max == 1 ? "" : "s", have);
    add_upgrade(out, width, limit, "for more devices", "No plan allows more devices.");
    return 0;
}

void render_lines_free(struct render_lines *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->lines[i]);
    free(l->lines);
    l->lines = NULL;
    l->n = 0;
}
