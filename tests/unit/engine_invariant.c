/* The no-change invariant (issue 11): every sentence of the phrase corpus
 * that asks a question, is out of scope, is unsupported or negated, and
 * every such one-turn case of the blind batches that are not sealed,
 * leaves every device unchanged. Each corpus sentence is sent, in a fresh
 * conversation, as every customer of data/seed.json and
 * tests/data/blind/homes.json (a real SQLite store), each batch case as
 * the customer it was written for, and each customer's
 * device records are compared before and after (lastUpdated included: a
 * write that changes nothing must not happen either). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blind_batch.h"
#include "common/jsonx.h"
#include "engine_fixture.h"
#include "tap.h"

#define BLIND_DIR SB_SRCDIR "/tests/data/blind"
#define LINE_MAX_ 1024

static struct store *st;
static struct engine *eng;
static struct customer *homes;
static size_t n_homes;

/* Every device record of customer id as one JSON text. */
static char *devices_text(const char *id)
{
    struct customer c = {0};
    struct sb_err err;
    char *text = NULL;
    if (store_get_customer(st, id, &c, &err) != SB_OK)
        return NULL;
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < c.n_devices; i++)
        json_object_array_add(a, device_to_json(&c.devices[i]));
    const char *s = jsonx_string(a, NULL);
    text = s ? strdup(s) : NULL;
    json_object_put(a);
    customer_free(&c);
    return text;
}

/* Sends text as customer id; true when its devices are as they were
 * (why gets the reply otherwise). */
static bool leaves_alone(const char *id, const char *text, char *why, size_t n)
{
    char *before = devices_text(id), *after;
    json_object *r = fixture_chat(eng, id, NULL, text);
    bool same;
    after = devices_text(id);
    same = before && after && strcmp(before, after) == 0;
    if (!same)
        snprintf(why, n, "%s: \"%s\" changed a device; the bot said: %s", id, text,
                 r ? jsonx_get_string(r, "message") : "(no reply)");
    json_object_put(r);
    free(before);
    free(after);
    return same;
}

static void check(const char *what, const char *text, const char *const *ids, size_t n_ids)
{
    char why[2048] = "";
    bool ok_all = true;
    for (size_t i = 0; i < n_ids && ok_all; i++)
        ok_all = leaves_alone(ids[i], text, why, sizeof why);
    ok(ok_all, "%s: %s", what, text);
    if (!ok_all)
        tap_diag("%s", why);
}

/* Whether every step of a corpus line's expected form changes nothing. */
static bool changes_nothing(const char *steps)
{
    static const char *const quiet[] = {"device_status", "help",    "out_of_scope", "unsupported",
                                        "negated",       "unknown", "greeting",     "thanks"};
    const char *p = steps;
    while (*p) {
        bool found = false;
        for (size_t k = 0; k < sizeof quiet / sizeof *quiet && !found; k++) {
            size_t l = strlen(quiet[k]);
            found = strncmp(p, quiet[k], l) == 0 && (p[l] == '\0' || p[l] == ' ');
        }
        if (!found)
            return false;
        const char *bar = strstr(p, " | ");
        if (!bar)
            break;
        p = bar + 3;
    }
    return true;
}

static void chomp(char *s)
{
    size_t l = strlen(s);
    while (l && (s[l - 1] == '\n' || s[l - 1] == '\r'))
        s[--l] = '\0';
}

/* The corpus: pairs of lines, sentence then steps; '#' and blank lines
 * between pairs. */
static void corpus(const char *path, const char *const *ids, size_t n_ids)
{
    FILE *f = fopen(path, "r");
    char sentence[LINE_MAX_], steps[LINE_MAX_];
    ok(f != NULL, "opens %s", path);
    while (f && fgets(sentence, sizeof sentence, f)) {
        chomp(sentence);
        if (!sentence[0] || sentence[0] == '#')
            continue;
        if (!fgets(steps, sizeof steps, f))
            break;
        chomp(steps);
        if (changes_nothing(steps))
            check("corpus", sentence, ids, n_ids);
    }
    if (f)
        fclose(f);
}

/* Whether every outcome class of want changes nothing by itself. */
static bool quiet_class(const char *want)
{
    static const char *const quiet[] = {"answer", "status",       "help",
                                        "scope",  "out_of_scope", "unsupported"};
    char buf[128];
    snprintf(buf, sizeof buf, "%s", want ? want : "");
    for (char *save = NULL, *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
        bool found = false;
        for (size_t k = 0; k < sizeof quiet / sizeof *quiet; k++)
            found = found || strcmp(w, quiet[k]) == 0;
        if (!found)
            return false;
    }
    return buf[0] != '\0';
}

/* The one-turn cases of a batch that must change nothing, unless the
 * batch is still sealed (a sealed batch is run first by make blind). */
static void batch(const char *path)
{
    struct blind_batch b = {0};
    char why[512];
    if (blind_batch_load(path, homes, n_homes, &b, why, sizeof why) != 0) {
        ok(0, "loads %s", path);
        tap_diag("%s", why);
        return;
    }
    for (size_t i = 0; b.state != BLIND_SEALED && i < b.n_cases; i++) {
        const struct blind_case *k = &b.cases[i];
        char what[64];
        if (k->n_turns != 1 || k->n_changes != 0 || !quiet_class(k->want))
            continue;
        /* a case is written for its home ("set the bedroom speaker to 50"
         * is refused where that speaker is off) */
        snprintf(what, sizeof what, "batch %s:%d", b.number, k->line);
        check(what, k->turns[0].text, (const char *const *)&k->home, 1);
    }
    blind_batch_free(&b);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void batches(void)
{
    DIR *d = opendir(BLIND_DIR);
    struct dirent *e;
    char *names[64];
    size_t n = 0;
    while (d && (e = readdir(d)) && n < 64) {
        size_t l = strlen(e->d_name);
        if (l > 7 && e->d_name[0] >= '0' && e->d_name[0] <= '9' &&
            strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", BLIND_DIR, names[i]);
        batch(path);
        free(names[i]);
    }
}

int main(void)
{
    struct sb_err err;
    const char **ids;
    if (fixture_open_with(":memory:", BLIND_DIR "/homes.json", &st, &eng) != 0 ||
        store_list_customers(st, &homes, &n_homes, &err) != SB_OK) {
        printf("Bail out! no store\n");
        return 1;
    }
    ids = calloc(n_homes ? n_homes : 1, sizeof *ids);
    for (size_t i = 0; i < n_homes; i++)
        ids[i] = homes[i].id;
    corpus(SB_SRCDIR "/tests/data/phrases.txt", ids, n_homes);
    corpus(SB_SRCDIR "/tests/data/phrases_playback.txt", ids, n_homes);
    batches();
    free(ids);
    customers_free(homes, n_homes);
    fixture_close(st, eng);
    return tap_done();
}
