#include "server/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "server/auth.h"
#include "server/server.h"

static int parse_rule(char *text, struct retention_rule *r, struct sb_err *err)
{
    char *age = strchr(text, ':'), *count = age ? strchr(age + 1, ':') : NULL, *end = NULL;
    if (!age || !count || strchr(count + 1, ':'))
        return sb_err_set(err, SB_EINVAL, "retention rule \"%s\": expected CUSTOMER:AGE:COUNT",
                          text);
    *age++ = '\0';
    *count++ = '\0';
    if (!*text || strlen(text) >= sizeof(r->customer))
        return sb_err_set(err, SB_EINVAL, "retention rule: the customer must be an id or *");
    snprintf(r->customer, sizeof(r->customer), "%s", text);
    if (strcmp(age, "-") && (r->max_age_secs = auth_parse_lifetime(age)) < 0)
        return sb_err_set(err, SB_EINVAL,
                          "retention rule for %s: the age must be like 30d, 12h or -, got \"%s\"",
                          text, age);
    if (strcmp(count, "-")) {
        long long v = strtoll(count, &end, 10);
        if (!*count || *end || v < 1 || v > 100000000)
            return sb_err_set(err, SB_EINVAL,
                              "retention rule for %s: the count must be 1-100000000 or -, got "
                              "\"%s\"",
                              text, count);
        r->max_messages = (size_t)v;
    }
    if (!r->max_age_secs && !r->max_messages)
        return sb_err_set(err, SB_EINVAL,
                          "retention rule for %s keeps everything: give an age, a count or both",
                          text);
    return SB_OK;
}

int retention_parse(const char *spec, struct retention *out, struct sb_err *err)
{
    char *copy = xstrdup(spec), *save = NULL;
    int rc = SB_OK;
    memset(out, 0, sizeof(*out));
    for (char *part = strtok_r(copy, ",", &save); part && rc == SB_OK;
         part = strtok_r(NULL, ",", &save)) {
        out->rules = xrealloc(out->rules, (out->n + 1) * sizeof(*out->rules));
        memset(&out->rules[out->n], 0, sizeof(*out->rules));
        if ((rc = parse_rule(part, &out->rules[out->n], err)) == SB_OK)
            out->n++;
    }
    if (rc == SB_OK && !out->n)
        rc = sb_err_set(err, SB_EINVAL, "--retention needs at least one CUSTOMER:AGE:COUNT rule");
    free(copy);
    if (rc != SB_OK)
        retention_free(out);
    return rc;
}

void retention_free(struct retention *r)
{
    free(r->rules);
    r->rules = NULL;
    r->n = 0;
}

const struct retention_rule *retention_rule_for(const struct retention *r, const char *customer)
{
    const struct retention_rule *any = NULL;
    for (size_t i = 0; r && i < r->n; i++) {
        if (!strcmp(r->rules[i].customer, customer))
            return &r->rules[i];
        if (!strcmp(r->rules[i].customer, "*"))
            any = &r->rules[i];
    }
    return any;
}

struct sweep {
    struct job job;
    struct server *srv;
};

/* One pass over every customer (worker thread). */
static void sweep_run(struct job *j)
{
    struct sweep *sw = lws_container_of(j, struct sweep, job);
    struct server *srv = sw->srv;
    struct customer *cs = NULL;
    struct sb_err err = {0};
    size_t n = 0;
    if (store_list_customers(srv->app.st, &cs, &n, &err) != SB_OK) {
        log_kv(LOG_WARN, "retention: cannot list customers", "error", err.msg, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct retention_rule *r = retention_rule_for(srv->opt->retention, cs[i].id);
        char cut[UTIL_TIMESTAMP_LEN], count[24];
        size_t removed = 0;
        if (!r)
            continue;
        if (r->max_age_secs)
            util_format_timestamp(util_now_ms() - r->max_age_secs * 1000, cut, sizeof(cut));
        if (store_prune_messages(srv->app.st, cs[i].id, r->max_age_secs ? cut : NULL,
                                 r->max_messages, &removed, &err) != SB_OK) {
            log_kv(LOG_WARN, "retention: cannot prune messages", "customer", cs[i].id, "error",
                   err.msg, NULL);
        } else if (removed) {
            snprintf(count, sizeof(count), "%zu", removed);
            log_kv(LOG_INFO, "retention: removed old messages", "customer", cs[i].id, "count",
                   count, NULL);
        }
    }
    customers_free(cs, n);
}

static void sweep_done(struct job *j)
{
    struct sweep *sw = lws_container_of(j, struct sweep, job);
    sw->srv->retention_busy = false;
    free(sw);
}

static void sweep_tick(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, sul_retention);
    if (srv->stopped || srv->app.draining)
        return;
    if (!srv->retention_busy) {
        struct sweep *sw = xcalloc(1, sizeof(*sw));
        sw->srv = srv;
        sw->job.run = sweep_run;
        sw->job.done = sweep_done;
        srv->retention_busy = true;
        jobs_submit(srv->jobs, &sw->job);
    }
    lws_sul_schedule(srv->ctx, 0, &srv->sul_retention, sweep_tick,
                     (lws_usec_t)RETENTION_SWEEP_SECS * LWS_US_PER_SEC);
}

void retention_start(struct server *srv)
{
    if (srv->opt->retention && srv->opt->retention->n)
        lws_sul_schedule(srv->ctx, 0, &srv->sul_retention, sweep_tick, 1);
}
