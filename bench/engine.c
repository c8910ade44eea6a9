/* bench/engine: requests per second and per-request latency of the engine
 * (parse + policy + execute + reply + record) on a seeded in-memory SQLite
 * store, of the same without storage (the customer's words, parse,
 * resolve, policy, actions and reply on in-memory records), and of the
 * parser alone (vocabulary only), over a fixed mix of
 * requests. Prints
 * figures; asserts nothing.
 *   bench/engine [ROUNDS]   (default 2000 rounds of the mix) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "engine/intent.h"
#include "engine/lexicon.h"
#include "engine/plans.h"
#include "engine/policy.h"
#include "engine/resolve.h"
#include "engine/turn.h"
#include "engine_fixture.h"

struct req {
    const char *customer;
    const char *text;
};

static const struct req mix[] = {
    {"cust_001", "turn on the speaker"},
    {"cust_001", "set the volume to twenty five percent"},
    {"cust_001", "next song please"},
    {"cust_001", "what can I do?"},
    {"cust_002", "turn on the kitchen display and set it to 30, then play the next song"},
    {"cust_002", "I don't like this song"},
    {"cust_002", "move my display from the kitchen to the living room"},
    {"cust_002", "crank it up"},
    {"cust_003", "play Strobe on the office speaker"},
    {"cust_003", "are the media players on?"},
    {"cust_003", "turn off everything in the reception"},
    {"cust_003", "what's the weather like?"},
};
#define N_MIX (sizeof mix / sizeof *mix)

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, int64_t *us, size_t n, int64_t total_us)
{
    qsort(us, n, sizeof *us, cmp);
    printf("%-32s %9.0f req/s   p50 %6.1f us   p99 %7.1f us   max %8.1f us   (%zu requests)\n",
           what, total_us ? n * 1e6 / total_us : 0.0, (double)us[n / 2], (double)us[n * 99 / 100],
           (double)us[n - 1], n);
}

/* Same timing with nanosecond resolution for the parser. */
static void report_ns(const char *what, int64_t *ns, size_t n, int64_t total_ns)
{
    qsort(ns, n, sizeof *ns, cmp);
    printf("%-32s %9.0f req/s   p50 %6.2f us   p99 %7.2f us   max %8.2f us   (%zu requests)\n",
           what, total_ns ? n * 1e9 / total_ns : 0.0, ns[n / 2] / 1e3, ns[n * 99 / 100] / 1e3,
           ns[n - 1] / 1e3, n);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    size_t rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000, n = rounds * N_MIX;
    struct store *st;
    struct engine *e;
    struct lexicon *lx;
    struct sb_err err;
    int64_t *lat = calloc(n ? n : 1, sizeof *lat);
    if (!n || !lat || fixture_open(":memory:", &st, &e) != 0 || lexicon_new(&lx, &err) != SB_OK) {
        fprintf(stderr, "bench/engine: setup failed\n");
        return 1;
    }
    int64_t t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
        struct intent in;
        int64_t a = now_ns();
        intent_parse(lx, mix[i % N_MIX].text, &in);
        lat[i] = now_ns() - a;
    }
    report_ns("parse only", lat, n, now_ns() - t0);
    struct policy pol;
    struct customer cs[N_MIX];
    const struct service_level *levels[N_MIX];
    if (policy_load(st, &pol, &err) != SB_OK) {
        fprintf(stderr, "bench/engine: %s\n", err.msg);
        return 1;
    }
    for (size_t k = 0; k < N_MIX; k++) {
        memset(&cs[k], 0, sizeof cs[k]);
        store_get_customer(st, mix[k].customer, &cs[k], &err);
        levels[k] = policy_level(&pol, cs[k].service_level);
    }
    t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
        struct intent in;
        struct turn t;
        struct text_entities ents;
        int64_t a = now_ns();
        /* as the engine reads a request: the customer's own words first */
        resolve_entities(lx, &cs[i % N_MIX], &ents);
        plans_entities(lx, &pol, &ents);
        intent_parse_for(lx, &ents, mix[i % N_MIX].text, &in);
        turn_init(&t, NULL, lx, &cs[i % N_MIX], &pol, levels[i % N_MIX]);
        for (size_t k = 0; k < in.n_steps; k++)
            turn_step(&t, &in.steps[k], &err);
        turn_free(&t);
        lat[i] = now_ns() - a;
    }
    report_ns("parse+policy+execute, no store", lat, n, now_ns() - t0);
    for (size_t k = 0; k < N_MIX; k++)
        customer_free(&cs[k]);
    policy_free(&pol);
    t0 = util_monotonic_us();
    for (size_t i = 0; i < n; i++) {
        struct engine_request req = {.customer_id = mix[i % N_MIX].customer,
                                     .text = mix[i % N_MIX].text,
                                     .conversation_id = "conv_bench"};
        struct engine_reply rep;
        int64_t a = util_monotonic_us();
        if (engine_handle(e, &req, &rep, &err) != SB_OK) {
            fprintf(stderr, "bench/engine: %s\n", err.msg);
            return 1;
        }
        lat[i] = util_monotonic_us() - a;
        engine_reply_free(&rep);
    }
    report("engine_handle (:memory:)", lat, n, util_monotonic_us() - t0);
    lexicon_free(lx);
    fixture_close(st, e);
    free(lat);
    return 0;
}
