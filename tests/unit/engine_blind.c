/* The blind batches end to end: every case of tests/data/blind/NN-*.txt runs
 * in a fresh conversation on a freshly reset home (tests/data/blind/homes.json
 * in a real SQLite store), and is right when the last reply's outcome is in
 * the expected class, the reply says what it must, and the device records
 * changed exactly as expected and nowhere else.
 *
 *   engine_blind.test             TAP for make check: every batch but sealed
 *                                 ones; a pending batch's wrong cases are TODO
 *   engine_blind.test --report NN one batch: its score and its wrong cases
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blind_batch.h"
#include "common/jsonx.h"
#include "common/util.h"
#include "engine_fixture.h"
#include "tap.h"

#define BLIND_DIR SB_SRCDIR "/tests/data/blind"

static struct store *st;
static struct engine *eng;
static struct dataset homes;

/* Per-class tallies over the whole run, for the summary. */
struct tally {
    char name[64];
    int right, total, harmful;
};
static struct tally tallies[64];
static size_t n_tallies;

static void count_class(const char *klass, int right, int harmful)
{
    size_t i = 0;
    while (i < n_tallies && strcmp(tallies[i].name, klass) != 0)
        i++;
    if (i == n_tallies) {
        if (n_tallies == sizeof tallies / sizeof tallies[0])
            return;
        snprintf(tallies[n_tallies++].name, sizeof tallies[0].name, "%s", klass);
    }
    tallies[i].total++;
    tallies[i].right += right;
    tallies[i].harmful += harmful;
}

/* A growing text buffer for what went wrong in one case. harmful: a device
 * changed that should not have, or changed the wrong way (the "does
 * the opposite or acts when it should not"), not merely a missed change. */
struct why {
    char text[4096];
    size_t len;
    int harmful;
};

__attribute__((format(printf, 2, 3))) static void why_add(struct why *w, const char *fmt, ...)
{
    va_list ap;
    if (w->len >= sizeof w->text - 1)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(w->text + w->len, sizeof w->text - w->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        w->len += (size_t)n < sizeof w->text - w->len ? (size_t)n : sizeof w->text - w->len - 1;
}

static const char *field(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return NULL;
    return json_object_get_string(v);
}

static const char *denial_level(json_object *r)
{
    json_object *d = NULL;
    return json_object_object_get_ex(r, "denial", &d) ? field(d, "requiredLevel") : NULL;
}

/* The home as homes.json has it, put back before every case. */
static int reset_home(const char *id)
{
    struct sb_err err = {0};
    for (size_t i = 0; i < homes.n_customers; i++)
        if (strcmp(homes.customers[i].id, id) == 0)
            return store_put_customer(st, &homes.customers[i], &err) == SB_OK ? 0 : -1;
    return -1;
}

/* Each device of the customer as JSON, keyed by id; lastUpdated left out
 * (it moves with every change, and says nothing about what changed). */
static json_object *snapshot(const char *id)
{
    struct customer c = {0};
    struct sb_err err = {0};
    json_object *all = json_object_new_object();
    if (store_get_customer(st, id, &c, &err) == SB_OK)
        for (size_t i = 0; i < c.n_devices; i++) {
            json_object *d = device_to_json(&c.devices[i]);
            json_object_object_del(d, "lastUpdated");
            json_object_object_add(all, c.devices[i].id, d);
        }
    customer_free(&c);
    return all;
}

static const struct blind_change *expected(const struct blind_case *k, const char *dev,
                                           const char *key)
{
    for (size_t i = 0; i < k->n_changes; i++)
        if (strcmp(k->changes[i].device, dev) == 0 && strcmp(k->changes[i].field, key) == 0)
            return &k->changes[i];
    return NULL;
}

static int meets(const struct blind_change *c, const char *now)
{
    switch (c->op) {
    case BLIND_EQ:
        return strcmp(now, c->value) == 0;
    case BLIND_GT:
        return atof(now) > atof(c->value);
    case BLIND_LT:
        return atof(now) < atof(c->value);
    case BLIND_CHANGED:
    case BLIND_MAYBE:
        return 1;
    }
    return 0;
}

static const char *op_text(enum blind_op op)
{
    return op == BLIND_GT ? ">" : op == BLIND_LT ? "<" : "=";
}

/* Every changed field must be expected and meet its expectation; every
 * expected change (but =?) must have happened. */
static void compare(const struct blind_case *k, json_object *before, json_object *after,
                    struct why *w)
{
    json_object_object_foreach(after, dev, now)
    {
        json_object *was = json_object_object_get(before, dev);
        if (!was) {
            why_add(w, " device %s appeared;", dev);
            continue;
        }
        json_object_object_foreach(now, key, v)
        {
            const char *a = v ? json_object_get_string(v) : "null";
            const char *b = field(was, key);
            b = b ? b : "null";
            if (strcmp(a, b) == 0)
                continue;
            const struct blind_change *c = expected(k, dev, key);
            if (!c)
                why_add(w, " %s.%s changed %s -> %s;", dev, key, b, a);
            else if (!meets(c, a))
                why_add(w, " %s.%s became %s, want %s%s;", dev, key, a, op_text(c->op), c->value);
            w->harmful |= !c || !meets(c, a);
        }
    }
    for (size_t i = 0; i < k->n_changes; i++) {
        const struct blind_change *c = &k->changes[i];
        const char *b = field(json_object_object_get(before, c->device), c->field);
        const char *a = field(json_object_object_get(after, c->device), c->field);
        b = b ? b : "null";
        a = a ? a : "null";
        if (c->op != BLIND_MAYBE && strcmp(a, b) == 0)
            why_add(w, " %s.%s stayed %s, want %s%s;", c->device, c->field, b, op_text(c->op),
                    c->value);
    }
}

static void check_reply(const struct blind_case *k, json_object *r, struct why *w)
{
    const char *outcome = field(r, "outcome"), *msg = field(r, "message");
    msg = msg ? msg : "";
    if (!blind_outcome_matches(k->want, outcome))
        why_add(w, " outcome %s, want %s;", outcome ? outcome : "(none)", k->want);
    for (size_t i = 0; i < k->says.len; i++)
        if (!strcasestr(msg, k->says.items[i]))
            why_add(w, " reply lacks \"%s\";", k->says.items[i]);
    for (size_t i = 0; i < k->cased.len; i++)
        if (!strstr(msg, k->cased.items[i]))
            why_add(w, " reply lacks \"%s\" (exact case);", k->cased.items[i]);
    if (k->needs) {
        const char *lvl = denial_level(r);
        if (!lvl || strcmp(lvl, k->needs) != 0)
            why_add(w, " denial names %s, want %s;", lvl ? lvl : "none", k->needs);
    }
}

/* Plays one case; returns 1 when right. Fills w with what went wrong and
 * replies with each turn's outcome and message, for the report. */
static int run_case(const struct blind_batch *b, size_t idx, int report, struct why *w,
                    struct why *replies)
{
    const struct blind_case *k = &b->cases[idx];
    char conv[64];
    json_object *before, *after, *r = NULL;
    snprintf(conv, sizeof conv, "conv_blind_%s_%zu", b->number, idx + 1);
    if (reset_home(k->home) != 0) {
        why_add(w, " cannot reset home %s;", k->home);
        return 0;
    }
    before = snapshot(k->home);
    for (size_t t = 0; t < k->n_turns; t++) {
        json_object_put(r);
        r = fixture_chat(eng, k->home, conv, k->turns[t].text);
        if (!r) {
            why_add(w, " turn %zu: the engine returned an error;", t + 1);
            break;
        }
        why_add(replies, "%s%s: %s\n", report ? "    " : "#     ", field(r, "outcome"),
                field(r, "message"));
        if (k->turns[t].want && !blind_outcome_matches(k->turns[t].want, field(r, "outcome")))
            why_add(w, " turn %zu: outcome %s, want %s;", t + 1, field(r, "outcome"),
                    k->turns[t].want);
    }
    after = snapshot(k->home);
    if (r)
        check_reply(k, r, w);
    compare(k, before, after, w);
    json_object_put(r);
    json_object_put(before);
    json_object_put(after);
    return w->len == 0;
}

/* The case's turns on one line, newlines shown as \n. */
static void case_title(const struct blind_case *k, char *buf, size_t n)
{
    size_t len = 0;
    for (size_t t = 0; t < k->n_turns && len + 8 < n; t++) {
        if (t)
            len += (size_t)snprintf(buf + len, n - len, " / ");
        for (const char *s = k->turns[t].text; *s && len + 3 < n; s++) {
            if (*s == '\n') {
                buf[len++] = '\\';
                buf[len++] = 'n';
            } else if (*s != '#') { /* '#' would start a TAP directive */
                buf[len++] = *s;
            }
        }
        buf[len] = '\0';
    }
}

static const char *state_name(enum blind_state s)
{
    return s == BLIND_SEALED ? "sealed" : s == BLIND_FIXED ? "fixed" : "pending";
}

/* Runs a batch; TAP lines unless report, where only wrong cases are shown. */
static void run_batch(const struct blind_batch *b, int report)
{
    int right = 0, harmful = 0;
    if (b->state == BLIND_SEALED) {
        printf(report ? "batch %s: sealed\n" : "# batch %s: sealed\n", b->number);
        return;
    }
    for (size_t i = 0; i < b->n_cases; i++) {
        const struct blind_case *k = &b->cases[i];
        struct why w = {.len = 0}, replies = {.len = 0};
        char title[512];
        int good = run_case(b, i, report, &w, &replies);
        case_title(k, title, sizeof title);
        right += good;
        harmful += w.harmful;
        count_class(k->klass, good, w.harmful);
        if (report) {
            if (!good)
                printf("%s %s:%d [%s] %s\n  %s\n%s", w.harmful ? "HARMFUL" : "wrong", b->number,
                       k->line, k->klass, title, w.text, replies.text);
            continue;
        }
        if (good || b->state == BLIND_FIXED)
            ok(good, "%s:%d [%s] %s", b->number, k->line, k->klass, title);
        else
            printf("not ok %d - %s:%d [%s] %s # TODO pending batch\n", ++tap_n, b->number, k->line,
                   k->klass, title);
        if (!good)
            printf("# %s %s\n%s", w.harmful ? "HARMFUL:" : "", w.text, replies.text);
    }
    /* a pending batch holds what its fixes reached: a case that goes wrong
     * again fails make check, though the batch's open cases do not */
    if (!report && b->state == BLIND_PENDING && b->held)
        ok(right >= b->held && harmful == 0,
           "batch %s holds %d right, none acting wrongly (%d, %d)", b->number, b->held, right,
           harmful);
    printf("%sbatch %s: %d/%zu, %d acted wrongly (%s; first time %s) %s\n", report ? "" : "# ",
           b->number, right, b->n_cases, harmful, state_name(b->state),
           b->first_time ? b->first_time : "not run", b->style ? b->style : "");
}

static int load_homes(void)
{
    char *text = NULL;
    size_t len = 0;
    json_object *o = NULL;
    struct model_problems p = {0};
    struct sb_err err = {0};
    int rc = -1;
    if (util_read_file(BLIND_DIR "/homes.json", &text, &len) == 0 &&
        jsonx_parse(text, len, &o, &err) == SB_OK && dataset_from_json(o, &p, &homes) == SB_OK)
        rc = 0;
    json_object_put(o);
    model_problems_free(&p);
    free(text);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The batch files, sorted: NN-*.txt. */
static size_t list_batches(char ***out)
{
    DIR *d = opendir(BLIND_DIR);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown)
            abort();
        names = grown;
        if (asprintf(&names[n++], "%s/%s", BLIND_DIR, e->d_name) < 0)
            abort();
    }
    if (d)
        closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    *out = names;
    return n;
}

int main(int argc, char **argv)
{
    const char *only = argc == 3 && strcmp(argv[1], "--report") == 0 ? argv[2] : NULL;
    char path[] = "/tmp/sb-blind-XXXXXX";
    char **files = NULL;
    int fd = mkstemp(path), found = 0;
    if (argc > 1 && !only) {
        fprintf(stderr, "usage: %s [--report NN]\n", argv[0]);
        return 2;
    }
    if (fd < 0 || load_homes() != 0 ||
        fixture_open_with(path, BLIND_DIR "/homes.json", &st, &eng) != 0) {
        printf("Bail out! cannot load %s/homes.json into a store\n", BLIND_DIR);
        return 1;
    }
    close(fd);
    size_t n = list_batches(&files);
    for (size_t i = 0; i < n; i++) {
        struct blind_batch b;
        char why[512];
        int rc =
            blind_batch_load(files[i], homes.customers, homes.n_customers, &b, why, sizeof why);
        const char *base = strrchr(files[i], '/') + 1;
        if (only && (strncmp(base, only, strlen(only)) != 0 || base[strlen(only)] != '-')) {
            blind_batch_free(&b);
            continue;
        }
        found = 1;
        if (rc != 0) {
            /* A broken batch fails even when pending: it measures nothing. */
            if (only)
                printf("%s\n", why);
            else
                ok(0, "%s parses: %s", base, why);
        } else {
            run_batch(&b, only != NULL);
        }
        blind_batch_free(&b);
    }
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
    for (size_t i = 0; i < n_tallies; i++)
        printf("%sclass %s: %d/%d, %d acted wrongly\n", only ? "" : "# ", tallies[i].name,
               tallies[i].right, tallies[i].total, tallies[i].harmful);
    fixture_close(st, eng);
    dataset_free(&homes);
    unlink(path);
    if (only) {
        if (!found)
            printf("no batch %s-*.txt in %s\n", only, BLIND_DIR);
        return found ? 0 : 1;
    }
    return tap_done();
}
