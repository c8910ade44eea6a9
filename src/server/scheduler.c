/* Scheduled routines (see scheduler.h). */
#include "server/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "server/push.h"
#include "server/server.h"
#include "server/ws.h"

struct scheduler {
    struct server *srv;
    lws_sorted_usec_list_t sul;
    int grace_s;
    char *clock_file; /* the test-only clock; NULL: wall clock */
    bool busy;        /* a scan or its batches are in flight */
    size_t batches;   /* batches in flight */
};

struct scan_job {
    struct job job;
    struct scheduler *s;
    int64_t now_ms;
    struct strlist due;
};

struct batch_job {
    struct job job;
    struct scheduler *s;
    int64_t now_ms;
    char *ids[SCHEDULER_BATCH];
    struct engine_reply replies[SCHEDULER_BATCH];
    json_object *messages[SCHEDULER_BATCH]; /* the recorded run messages, as "message" frames */
    size_t n;
};

/* The clock: the test file's time when there is one, else the wall clock. */
static int64_t now_ms(void *arg)
{
    const struct scheduler *s = arg;
    char *text = NULL;
    size_t len;
    int64_t ms;
    if (s->clock_file && util_read_file(s->clock_file, &text, &len) == 0) {
        while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
            text[--len] = '\0';
        int parsed = util_parse_timestamp(text, &ms);
        free(text);
        if (parsed == 0)
            return ms;
    }
    return util_now_ms();
}

static void batch_run(struct job *j)
{
    struct batch_job *b = lws_container_of(j, struct batch_job, job);
    struct server *srv = b->s->srv;
    for (size_t i = 0; i < b->n; i++) {
        struct sb_err err = {0};
        if (engine_routines_due(srv->app.eng, b->ids[i], b->now_ms, b->s->grace_s, &b->replies[i],
                                &err) != SB_OK) {
            log_kv(LOG_WARN, "cannot run due routines", "customer", b->ids[i], "error", err.msg,
                   NULL);
            continue;
        }
        json_object *runs = json_object_object_get(b->replies[i].result, "runs");
        for (size_t k = 0; k < json_object_array_length(runs); k++) {
            json_object *r = json_object_array_get_idx(runs, k);
            struct message m = {0};
            log_kv(LOG_INFO, "routine run", "customer", b->ids[i], "routine",
                   jsonx_get_string(r, "name"), "due", jsonx_get_string(r, "due"), "outcome",
                   jsonx_get_string(r, "outcome"), "instance", srv->app.instance, NULL);
            const char *id = jsonx_get_string(r, "messageId");
            if (!id || store_get_message(srv->app.st, id, &m, &err) != SB_OK)
                continue; /* a push is a courtesy: the run is recorded */
            if (!b->messages[i])
                b->messages[i] = xjson(json_object_new_array());
            xjson_push(b->messages[i], message_to_json(&m));
            message_free(&m);
        }
        if (b->replies[i].n_changed && store_publish_change(srv->app.st, b->ids[i], &err) != SB_OK)
            log_kv(LOG_WARN, "cannot publish a device change", "customer", b->ids[i], "error",
                   err.msg, NULL);
    }
}

/* Loop thread: the device pushes and one "routine" frame per run. */
static void batch_done(struct job *j)
{
    struct batch_job *b = lws_container_of(j, struct batch_job, job);
    struct server *srv = b->s->srv;
    for (size_t i = 0; i < b->n; i++) {
        struct engine_reply *r = &b->replies[i];
        struct push_list pl = {.customer_id = b->ids[i],
                               .devices = r->changed,
                               .n = r->n_changed,
                               .messages = b->messages[i]};
        json_object *runs = r->result ? json_object_object_get(r->result, "runs") : NULL;
        if (!srv->stopped)
            push_devices(srv, &pl);
        for (size_t k = 0; !srv->stopped && k < json_object_array_length(runs); k++) {
            json_object *frame = xjson(json_object_new_object());
            size_t len = 0;
            xjson_add(frame, "type", xjson(json_object_new_string("routine")));
            xjson_add(frame, "customerId", xjson(json_object_new_string(b->ids[i])));
            xjson_add(frame, "run", json_object_get(json_object_array_get_idx(runs, k)));
            const char *text = jsonx_string(frame, &len);
            ws_send_customer(srv, b->ids[i], text, len);
            json_object_put(frame);
        }
        engine_reply_free(r);
        json_object_put(b->messages[i]);
        free(b->ids[i]);
    }
    if (--b->s->batches == 0)
        b->s->busy = false;
    free(b);
}

static void scan_run(struct job *j)
{
    struct scan_job *sj = lws_container_of(j, struct scan_job, job);
    struct customer *cs = NULL;
    size_t n = 0;
    struct sb_err err = {0};
    if (store_list_routine_customers(sj->s->srv->app.st, &cs, &n, &err) != SB_OK) {
        log_kv(LOG_WARN, "cannot scan for due routines", "error", err.msg, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (engine_routines_pending(&cs[i], sj->now_ms))
            strlist_push(&sj->due, cs[i].id);
    customers_free(cs, n);
}

/* Loop thread: the due customers, SCHEDULER_BATCH to a job. */
static void scan_done(struct job *j)
{
    struct scan_job *sj = lws_container_of(j, struct scan_job, job);
    struct scheduler *s = sj->s;
    for (size_t i = 0; i < sj->due.len && !s->srv->stopped;) {
        struct batch_job *b = xcalloc(1, sizeof *b);
        b->s = s;
        b->now_ms = sj->now_ms;
        for (; i < sj->due.len && b->n < SCHEDULER_BATCH; i++) {
            b->ids[b->n++] = sj->due.items[i];
            sj->due.items[i] = NULL;
        }
        b->job.run = batch_run;
        b->job.done = batch_done;
        s->batches++;
        jobs_submit(s->srv->jobs, &b->job);
    }
    if (s->batches == 0)
        s->busy = false;
    strlist_free(&sj->due);
    free(sj);
}

static void tick(lws_sorted_usec_list_t *sul)
{
    struct scheduler *s = lws_container_of(sul, struct scheduler, sul);
    struct server *srv = s->srv;
    if (srv->stopped)
        return;
    if (!s->busy && !srv->app.draining) {
        struct scan_job *sj = xcalloc(1, sizeof *sj);
        sj->s = s;
        sj->now_ms = now_ms(s);
        sj->job.run = scan_run;
        sj->job.done = scan_done;
        s->busy = true;
        jobs_submit(srv->jobs, &sj->job);
    }
    lws_sul_schedule(srv->ctx, 0, &s->sul, tick, SCHEDULER_TICK_MS * LWS_US_PER_MS);
}

struct scheduler *scheduler_start(struct server *srv, int grace_s)
{
    struct scheduler *s = xcalloc(1, sizeof *s);
    const char *clock = getenv(SCHEDULER_CLOCK_ENV);
    if (clock && *clock)
        s->clock_file = xstrdup(clock);
    s->srv = srv;
    s->grace_s = grace_s > 0 ? grace_s : SCHEDULER_DEFAULT_GRACE;
    if (s->clock_file) {
        engine_set_clock(srv->app.eng, now_ms, s);
        log_kv(LOG_WARN, "routines use a test clock", "file", s->clock_file, NULL);
    }
    /* the first scan right away: runs missed while every instance was down */
    lws_sul_schedule(srv->ctx, 0, &s->sul, tick, 1);
    return s;
}

void scheduler_free(struct scheduler *s)
{
    if (!s)
        return;
    free(s->clock_file);
    free(s);
}
