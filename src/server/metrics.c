#include "server/metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"

enum family {
    F_HTTP,
    F_CHAT,
    F_STEPS,
    F_DENIALS,
    F_WS_FRAMES,
    F_RATE_LIMITED,
    F_COUNT,
};

static const struct {
    const char *name, *help;
} families[F_COUNT] = {
    [F_HTTP] = {"servicebot_http_requests_total", "HTTP requests by route, method and status."},
    [F_CHAT] = {"servicebot_chat_replies_total", "Chat replies by outcome."},
    [F_STEPS] = {"servicebot_chat_steps_total", "Chat steps by action and outcome."},
    [F_DENIALS] =
        {"servicebot_denials_total",
         "Actions refused by the customer's plan, by action and level (the upgrade funnel)."},
    [F_WS_FRAMES] = {"servicebot_ws_frames_total", "WebSocket frames by direction and type."},
    [F_RATE_LIMITED] = {"servicebot_rate_limited_total",
                        "Requests refused by a token's rate limit, by kind (chat, write)."},
};

/* Request latency buckets, in seconds. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define N_BOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct series {
    enum family family;
    char labels[256];
    unsigned long long value;
};

struct metrics {
    pthread_mutex_t lock;
    struct series *series;
    size_t n, cap;
    unsigned long long buckets[N_BOUNDS];
    unsigned long long count;
    double sum;
    long ws_open;
};

struct metrics *metrics_new(void)
{
    struct metrics *m = xcalloc(1, sizeof(*m));
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m->series);
    free(m);
}

/* Appends name="value" to buf, escaping as the exposition format wants. */
static void add_label(char *buf, size_t n, const char *name, const char *value)
{
    size_t len = strlen(buf);
    if (len && len + 1 < n)
        buf[len++] = ',';
    int w = snprintf(buf + len, n - len, "%s=\"", name);
    if (w < 0 || (size_t)w >= n - len)
        return;
    len += (size_t)w;
    for (const char *p = value ? value : ""; *p && len + 3 < n; p++) {
        if (*p == '"' || *p == '\\' || *p == '\n') {
            buf[len++] = '\\';
            buf[len++] = *p == '\n' ? 'n' : *p;
        } else {
            buf[len++] = *p;
        }
    }
    if (len + 1 < n)
        buf[len++] = '"';
    buf[len] = '\0';
}

/* Adds one to the series of family with these labels; lock held. */
static void bump(struct metrics *m, enum family f, const char *labels)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->series[i].family == f && strcmp(m->series[i].labels, labels) == 0) {
            m->series[i].value++;
            return;
        }
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        m->series = xrealloc(m->series, cap * sizeof(*m->series));
        m->cap = cap;
    }
    struct series *s = &m->series[m->n++];
    s->family = f;
    snprintf(s->labels, sizeof(s->labels), "%s", labels);
    s->value = 1;
}

static void inc2(struct metrics *m, enum family f, const char *k1, const char *v1, const char *k2,
                 const char *v2)
{
    char labels[256] = "";
    add_label(labels, sizeof(labels), k1, v1);
    if (k2)
        add_label(labels, sizeof(labels), k2, v2);
    pthread_mutex_lock(&m->lock);
    bump(m, f, labels);
    pthread_mutex_unlock(&m->lock);
}

void metrics_http(struct metrics *m, const char *route, const char *method, int status,
                  double seconds)
{
    char labels[256] = "", code[8];
    snprintf(code, sizeof(code), "%d", status);
    add_label(labels, sizeof(labels), "route", route);
    add_label(labels, sizeof(labels), "method", method);
    add_label(labels, sizeof(labels), "status", code);
    pthread_mutex_lock(&m->lock);
    bump(m, F_HTTP, labels);
    for (size_t i = 0; i < N_BOUNDS; i++)
        if (seconds <= bounds[i])
            m->buckets[i]++;
    m->count++;
    m->sum += seconds;
    pthread_mutex_unlock(&m->lock);
}

void metrics_denial(struct metrics *m, json_object *denial)
{
    const char *action = jsonx_get_string(denial, "action");
    const char *level = jsonx_get_string(denial, "currentLevel");
    if (action)
        inc2(m, F_DENIALS, "action", action, "level", level ? level : "");
}

void metrics_chat(struct metrics *m, json_object *result)
{
    const char *outcome = jsonx_get_string(result, "outcome");
    inc2(m, F_CHAT, "outcome", outcome ? outcome : "unknown", NULL, NULL);
    json_object *steps = NULL;
    if (!json_object_object_get_ex(result, "steps", &steps) ||
        !json_object_is_type(steps, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(steps); i++) {
        json_object *step = json_object_array_get_idx(steps, i);
        const char *action = jsonx_get_string(step, "action");
        const char *status = jsonx_get_string(step, "status");
        inc2(m, F_STEPS, "action", action ? action : "none", "outcome", status ? status : "");
        json_object *denial = NULL;
        if (json_object_object_get_ex(step, "denial", &denial) && denial)
            metrics_denial(m, denial);
    }
}

void metrics_ws_connections(struct metrics *m, long open)
{
    pthread_mutex_lock(&m->lock);
    m->ws_open = open;
    pthread_mutex_unlock(&m->lock);
}

void metrics_ws_frame(struct metrics *m, const char *direction, const char *type)
{
    inc2(m, F_WS_FRAMES, "direction", direction, "type", type);
}

void metrics_rate_limited(struct metrics *m, const char *kind)
{
    inc2(m, F_RATE_LIMITED, "kind", kind, NULL, NULL);
}

/* Writes the series of one family; lock held. */
static void render_family(struct metrics *m, FILE *f, enum family fam)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", families[fam].name, families[fam].help,
            families[fam].name);
    for (size_t i = 0; i < m->n; i++)
        if (m->series[i].family == fam)
            fprintf(f, "%s{%s} %llu\n", families[fam].name, m->series[i].labels,
                    m->series[i].value);
}

char *metrics_render(struct metrics *m, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        xalloc_die(0);
    pthread_mutex_lock(&m->lock);
    for (int fam = 0; fam < F_COUNT; fam++)
        render_family(m, f, (enum family)fam);
    const char *h = "servicebot_http_request_duration_seconds";
    fprintf(f, "# HELP %s HTTP request latency, from request line to response written.\n", h);
    fprintf(f, "# TYPE %s histogram\n", h);
    for (size_t i = 0; i < N_BOUNDS; i++)
        fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", h, bounds[i], m->buckets[i]);
    fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n", h, m->count, h, m->sum,
            h, m->count);
    fprintf(f, "# HELP servicebot_ws_connections Open WebSocket chat connections.\n");
    fprintf(f, "# TYPE servicebot_ws_connections gauge\nservicebot_ws_connections %ld\n",
            m->ws_open);
    pthread_mutex_unlock(&m->lock);
    /* a memory stream's writes fail only for want of memory */
    if (fclose(f) != 0)
        xalloc_die(*len);
    return buf;
}
