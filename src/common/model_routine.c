/* Routines on the customer record: JSON forms, validation and lifetimes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/jsonx.h"
#include "common/model.h"
#include "common/tz.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xalloc.h"

/* Weekday keys of the JSON form, index = weekday (0 Sunday). */
static const char *const day_keys[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

void routine_free(struct routine *r)
{
    free(r->name);
    strlist_free(&r->steps);
    free(r->next_run);
    free(r->last_run);
    free(r->last_outcome);
    memset(r, 0, sizeof *r);
}

void routines_free(struct routine *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        routine_free(&r[i]);
    free(r);
}

static char *dup_opt(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

int routine_copy(struct routine *dst, const struct routine *src)
{
    memset(dst, 0, sizeof *dst);
    dst->name = dup_opt(src->name);
    dst->schedule = src->schedule;
    dst->next_run = dup_opt(src->next_run);
    dst->last_run = dup_opt(src->last_run);
    dst->last_outcome = dup_opt(src->last_outcome);
    strlist_copy(&dst->steps, &src->steps);
    return SB_OK;
}

struct routine *customer_find_routine(const struct customer *c, const char *name)
{
    for (size_t i = 0; name && i < c->n_routines; i++)
        if (strcasecmp(c->routines[i].name, name) == 0)
            return &c->routines[i];
    return NULL;
}

/* Reads an optional string member; returns it (owned by o) or NULL, adding a
 * problem when it is there but not a string. */
static const char *opt_string(json_object *o, const char *key, const char *path,
                              struct model_problems *p, bool *bad)
{
    json_object *v = NULL;
    char got[64];
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    jsonx_describe(v, got, sizeof got);
    char field[160];
    snprintf(field, sizeof field, "%s%s", path, key);
    model_problems_add(p, field, "must be a string, got %s", got);
    *bad = true;
    return NULL;
}

/* A routine name: 1-64 bytes of printable UTF-8 text without '/', no
 * leading or trailing space (it is a path segment of the REST API). */
static const char *name_problem(const char *s)
{
    size_t len = strlen(s);
    if (len == 0)
        return "must not be empty";
    if (len > MODEL_ROUTINE_NAME_MAX)
        return "must be at most 64 bytes";
    if (!utf8_valid(s, len))
        return "must be valid UTF-8 text";
    if (s[0] == ' ' || s[len - 1] == ' ')
        return "must not start or end with a space";
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f || *q == '/')
            return "must not contain '/' or control characters";
    return NULL;
}

static int parse_hhmm(const char *s, int *minute)
{
    int h, m, n = -1;
    if (!s || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != (int)strlen(s) || h < 0 || h > 23 ||
        m < 0 || m > 59 || !isdigit((unsigned char)s[0]))
        return -1;
    *minute = h * 60 + m;
    return 0;
}

static int parse_date(const char *s, int64_t *days)
{
    int y, mo, d, n = -1, y2, mo2, d2;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10 || strlen(s) != 10 ||
        y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    *days = tz_days_from_civil(y, mo, d);
    tz_civil_from_days(*days, &y2, &mo2, &d2);
    return y2 == y && mo2 == mo && d2 == d ? 0 : -1; /* no February 30th */
}

static void read_days(json_object *v, const char *field, struct model_problems *p,
                      struct routine_schedule *s)
{
    char got[64];
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0 ||
        json_object_array_length(v) > 7) {
        jsonx_describe(v, got, sizeof got);
        model_problems_add(p, field, "must be a list of 1-7 weekdays (\"mon\" ... \"sun\"), got %s",
                           got);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        json_object *d = json_object_array_get_idx(v, i);
        const char *k = json_object_is_type(d, json_type_string) ? json_object_get_string(d) : "";
        int w = -1;
        for (int j = 0; j < 7 && w < 0; j++)
            if (strcmp(k, day_keys[j]) == 0)
                w = j;
        if (w < 0) {
            char item[176];
            jsonx_describe(d, got, sizeof got);
            snprintf(item, sizeof item, "%s[%zu]", field, i);
            model_problems_add(p, item, "must be one of sun mon tue wed thu fri sat, got %s", got);
            continue;
        }
        s->days |= 1u << w;
    }
}

static void read_schedule(json_object *v, const char *path, struct model_problems *p,
                          struct routine_schedule *s)
{
    char field[160], got[64];
    bool bad = false;
    snprintf(field, sizeof field, "%sschedule", path);
    memset(s, 0, sizeof *s);
    if (!v)
        return;
    if (!json_object_is_type(v, json_type_object)) {
        jsonx_describe(v, got, sizeof got);
        model_problems_add(p, field, "must be an object like {\"time\": \"06:30\"}, got %s", got);
        return;
    }
    char sub[176];
    snprintf(sub, sizeof sub, "%s.", field);
    const char *time = opt_string(v, "time", sub, p, &bad);
    const char *date = opt_string(v, "date", sub, p, &bad);
    json_object *days = NULL;
    json_object_object_get_ex(v, "days", &days);
    json_object_object_foreach(v, key, val)
    {
        (void)val;
        if (strcmp(key, "time") && strcmp(key, "date") && strcmp(key, "days")) {
            snprintf(sub, sizeof sub, "%s.%s", field, key);
            model_problems_add(p, sub, "is not a schedule field (time, days, date)");
            bad = true;
        }
    }
    snprintf(sub, sizeof sub, "%s.time", field);
    if (!bad && parse_hhmm(time, &s->minute) != 0) {
        model_problems_add(p, sub,
                           time ? "must be HH:MM (00:00-23:59), got \"%s\"" : "is required%s",
                           time ? time : "");
        bad = true;
    }
    snprintf(sub, sizeof sub, "%s.date", field);
    if (!bad && date && parse_date(date, &s->date) != 0) {
        model_problems_add(p, sub, "must be a date YYYY-MM-DD, got \"%s\"", date);
        bad = true;
    }
    snprintf(sub, sizeof sub, "%s.days", field);
    if (!bad && date && days) {
        model_problems_add(p, sub, "cannot go with a date (a one-off runs once)");
        bad = true;
    }
    if (!bad && days)
        read_days(days, sub, p, s);
    if (!bad && !date && !days)
        s->days = 0x7f;
    s->once = date != NULL;
    s->set = !bad;
}

static void read_time_field(json_object *o, const char *key, const char *path,
                            struct model_problems *p, char **out)
{
    bool bad = false;
    int64_t ms;
    const char *s = opt_string(o, key, path, p, &bad);
    if (!s)
        return;
    if (util_parse_timestamp(s, &ms) != 0) {
        char field[160];
        snprintf(field, sizeof field, "%s%s", path, key);
        model_problems_add(p, field, "must be an ISO 8601 UTC timestamp, got \"%.60s\"", s);
        return;
    }
    *out = xstrdup(s);
}

int routine_from_json(json_object *o, const char *path, struct model_problems *p,
                      struct routine *out)
{
    char field[160], got[64];
    size_t before = p->len;
    bool bad = false;
    json_object *steps = NULL, *sched = NULL;
    memset(out, 0, sizeof *out);
    if (!o || !json_object_is_type(o, json_type_object)) {
        jsonx_describe(o, got, sizeof got);
        snprintf(field, sizeof field, "%s", *path ? path : "routine");
        if (field[0] && field[strlen(field) - 1] == '.')
            field[strlen(field) - 1] = '\0';
        model_problems_add(p, field, "must be a routine object, got %s", got);
        return SB_EINVAL;
    }
    const char *name = opt_string(o, "name", path, p, &bad), *why;
    snprintf(field, sizeof field, "%sname", path);
    if (!name && !bad)
        model_problems_add(p, field, "is required");
    else if (name && (why = name_problem(name)))
        model_problems_add(p, field, "%s", why);
    else if (name)
        out->name = xstrdup(name);
    snprintf(field, sizeof field, "%ssteps", path);
    if (!json_object_object_get_ex(o, "steps", &steps) || !steps ||
        !json_object_is_type(steps, json_type_array) || json_object_array_length(steps) == 0 ||
        json_object_array_length(steps) > MODEL_ROUTINE_STEPS_MAX) {
        jsonx_describe(steps, got, sizeof got);
        model_problems_add(p, field, "must be a list of 1-%d sentences, got %s",
                           MODEL_ROUTINE_STEPS_MAX, steps ? got : "nothing");
    } else {
        for (size_t i = 0; i < json_object_array_length(steps); i++) {
            json_object *s = json_object_array_get_idx(steps, i);
            size_t len = s ? (size_t)json_object_get_string_len(s) : 0;
            char item[176];
            snprintf(item, sizeof item, "%s[%zu]", field, i);
            if (!json_object_is_type(s, json_type_string) || len == 0 || len > MODEL_STEP_MAX ||
                strlen(json_object_get_string(s)) != len ||
                !utf8_valid(json_object_get_string(s), len)) {
                jsonx_describe(s, got, sizeof got);
                model_problems_add(p, item, "must be a sentence of 1-%d bytes of UTF-8, got %s",
                                   MODEL_STEP_MAX, got);
                continue;
            }
            strlist_push(&out->steps, json_object_get_string(s));
        }
    }
    json_object_object_get_ex(o, "schedule", &sched);
    read_schedule(sched, path, p, &out->schedule);
    read_time_field(o, "next_run", path, p, &out->next_run);
    read_time_field(o, "last_run", path, p, &out->last_run);
    const char *outcome = opt_string(o, "last_outcome", path, p, &bad);
    if (outcome && strlen(outcome) > 32) {
        snprintf(field, sizeof field, "%slast_outcome", path);
        model_problems_add(p, field, "must be at most 32 bytes");
    } else if (outcome) {
        out->last_outcome = xstrdup(outcome);
    }
    if (p->len != before) {
        routine_free(out);
        return SB_EINVAL;
    }
    return SB_OK;
}

json_object *routine_schedule_to_json(const struct routine_schedule *s)
{
    char buf[16];
    json_object *o = xjson(json_object_new_object());
    snprintf(buf, sizeof buf, "%02d:%02d", s->minute / 60, s->minute % 60);
    xjson_add_lit(o, "time", xjson(json_object_new_string(buf)));
    if (s->once) {
        int y, m, d;
        tz_civil_from_days(s->date, &y, &m, &d);
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        xjson_add_lit(o, "date", xjson(json_object_new_string(buf)));
    } else {
        json_object *days = xjson(json_object_new_array());
        for (int w = 1; w <= 7; w++) /* Monday first */
            if (s->days & (1u << (w % 7)))
                xjson_push(days, xjson(json_object_new_string(day_keys[w % 7])));
        xjson_add_lit(o, "days", days);
    }
    return o;
}

json_object *routine_to_json(const struct routine *r)
{
    json_object *o = xjson(json_object_new_object()), *steps = xjson(json_object_new_array());
    xjson_add_lit(o, "name", xjson(json_object_new_string(r->name)));
    for (size_t i = 0; i < r->steps.len; i++)
        xjson_push(steps, xjson(json_object_new_string(r->steps.items[i])));
    xjson_add_lit(o, "steps", steps);
    xjson_add_lit(o, "schedule", r->schedule.set ? routine_schedule_to_json(&r->schedule) : NULL);
    xjson_add_lit(o, "next_run", jsonx_string_or_null(r->next_run));
    xjson_add_lit(o, "last_run", jsonx_string_or_null(r->last_run));
    xjson_add_lit(o, "last_outcome", jsonx_string_or_null(r->last_outcome));
    return o;
}

int customer_routines_from_json(json_object *o, const char *path, struct model_problems *p,
                                struct customer *out)
{
    char field[160], got[64];
    size_t before = p->len;
    bool bad = false;
    json_object *list = NULL;
    const char *zone = opt_string(o, "timezone", path, p, &bad);
    snprintf(field, sizeof field, "%stimezone", path);
    if (zone && !tz_name_ok(zone))
        model_problems_add(
            p, field, "must be an IANA time zone name like Europe/Berlin, got \"%.70s\"", zone);
    else if (zone) {
        free(out->timezone); /* out may be a whole customer read before */
        out->timezone = xstrdup(zone);
    }
    snprintf(field, sizeof field, "%sroutines", path);
    if (!json_object_object_get_ex(o, "routines", &list) || !list)
        return p->len == before ? SB_OK : SB_EINVAL;
    if (!json_object_is_type(list, json_type_array) ||
        json_object_array_length(list) > MODEL_ROUTINES_MAX) {
        jsonx_describe(list, got, sizeof got);
        model_problems_add(p, field, "must be a list of at most %d routines, got %s",
                           MODEL_ROUTINES_MAX, got);
        return SB_EINVAL;
    }
    size_t n = json_object_array_length(list);
    routines_free(out->routines, out->n_routines);
    out->n_routines = 0;
    out->routines = n ? xcalloc(n, sizeof *out->routines) : NULL;
    for (size_t i = 0; i < n; i++) {
        char rpath[176];
        snprintf(rpath, sizeof rpath, "%s[%zu].", field, i);
        struct routine *r = &out->routines[out->n_routines];
        if (routine_from_json(json_object_array_get_idx(list, i), rpath, p, r) != SB_OK)
            continue;
        if (customer_find_routine(out, r->name)) {
            snprintf(rpath, sizeof rpath, "%s[%zu].name", field, i);
            model_problems_add(p, rpath, "\"%s\" is the name of another routine", r->name);
            routine_free(r);
            continue;
        }
        out->n_routines++;
    }
    return p->len == before ? SB_OK : SB_EINVAL;
}

void customer_routines_to_json(const struct customer *c, json_object *o)
{
    json_object *list = xjson(json_object_new_array());
    xjson_add_lit(o, "timezone",
                  xjson(json_object_new_string(c->timezone ? c->timezone : TZ_DEFAULT)));
    for (size_t i = 0; i < c->n_routines; i++)
        xjson_push(list, routine_to_json(&c->routines[i]));
    xjson_add_lit(o, "routines", list);
}
