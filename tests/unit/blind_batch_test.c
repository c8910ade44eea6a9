/* The blind batch loader: good files parse into cases, and each kind of
 * mistake in a batch is caught with the line that holds it, so a typo in a
 * batch is never scored as the bot's error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blind_batch.h"
#include "tap.h"

static struct customer home;
static struct device devs[2];

static void make_home(void)
{
    static char *playlist[] = {"Kitchen Sink", "Hall of Fame"};
    devs[0] = (struct device){.id = "spk",
                              .type = "SmartSpeaker",
                              .name = "Kitchen Speaker",
                              .location = "kitchen",
                              .on = true,
                              .volume = 30,
                              .current_song = "Kitchen Sink",
                              .playlist = {.items = playlist, .len = 2}};
    devs[1] = (struct device){
        .id = "lamp", .type = "SmartLight", .name = "Hall Lamp", .location = "hall", .on = false};
    home = (struct customer){
        .id = "cust_t", .name = "T", .service_level = "basic", .devices = devs, .n_devices = 2};
}

/* Writes text to a temp file and loads it; returns the loader's result. */
static int load(const char *text, struct blind_batch *b, char *why, size_t n)
{
    char path[] = "/tmp/sb-blind-test-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return -2;
    fputs(text, f);
    fclose(f);
    int rc = blind_batch_load(path, &home, 1, b, why, n);
    unlink(path);
    return rc;
}

#define HEAD "batch: 99\nstate: pending\nhome: cust_t\n"

static void rejects(const char *text, const char *want, const char *name)
{
    struct blind_batch b;
    char why[512] = "";
    int rc = load(text, &b, why, sizeof why);
    if (!ok(rc == -1 && strstr(why, want), "%s", name))
        tap_diag("  rc %d, why \"%s\", want \"%s\"", rc, why, want);
    blind_batch_free(&b);
}

static void good_batch(void)
{
    struct blind_batch b;
    char why[512] = "";
    int rc = load("# a comment\nbatch: 99\nstyle: test\nstate: fixed\nfirst-time: 3/4\n"
                  "home: cust_t\nclass: media\n"
                  "> turn on the lamp\\nplay Hall of Fame\n"
                  "= done lamp.state=on spk.current_song=\"Hall of Fame\" says:\"hall of\" "
                  "cased:Fame\n\n"
                  "> set the speaker\n< ask\n> 35\n= done spk.volume=35\n"
                  "> louder\n= done|partial spk.volume>30 spk.current_song=?\n"
                  "> skip\n= deny needs:premium\n",
                  &b, why, sizeof why);
    is_int(rc, 0, "a good batch parses");
    if (rc != 0)
        tap_diag("  %s", why);
    is_str(b.number, "99", "its number");
    is_int(b.state, BLIND_FIXED, "its state");
    is_str(b.first_time, "3/4", "its first-time score");
    is_int(b.held, 0, "no hold unless said");
    is_int(b.n_cases, 4, "four cases");
    if (b.n_cases == 4) {
        is_str(b.cases[0].turns[0].text, "turn on the lamp\nplay Hall of Fame",
               "\\n in a turn is a newline");
        is_str(b.cases[0].klass, "media", "the class applies to the cases below it");
        is_int(b.cases[0].n_changes, 2, "two changes");
        is_str(b.cases[0].changes[1].value, "Hall of Fame", "quotes group a value");
        is_str(b.cases[0].says.items[0], "hall of", "says: takes a quoted phrase");
        is_str(b.cases[0].cased.items[0], "Fame", "cased: is kept");
        is_int(b.cases[1].n_turns, 2, "two turns");
        is_str(b.cases[1].turns[0].want, "ask", "'<' checks a turn's outcome");
        is_int(b.cases[2].changes[0].op, BLIND_GT, "> is a rise");
        is_int(b.cases[2].changes[1].op, BLIND_MAYBE, "=? may change");
        is_str(b.cases[3].needs, "premium", "needs: names the upgrade");
    }
    blind_batch_free(&b);
}

static void bad_batches(void)
{
    rejects(HEAD "> x\n= done nosuch.state=on\n",
            ":5: home cust_t has no device field nosuch.state",
            "an unknown device is named with its line");
    rejects(HEAD "> x\n= done lamp.colour=red\n", "no device field lamp.colour",
            "an unknown field");
    rejects(HEAD "> x\n= done lamp.state=off\n", "lamp.state is already off",
            "a change the home already meets would pass a do-nothing bot");
    rejects(HEAD "> x\n= done spk.volume>20\n", "spk.volume is already 30",
            "so would a rise it already meets");
    rejects(HEAD "> x\n= maybe\n", "unknown outcome class \"maybe\"", "an unknown class");
    rejects(HEAD "> x\n= done|nope\n", "unknown outcome class", "an unknown class in a list");
    rejects(HEAD "> x\n", "no '=' line", "a case without its expectation");
    rejects(HEAD "> x\nhome: cust_t\n", "must end with an '=' line", "a header inside a case");
    rejects(HEAD "> x\n= done spk.current_song=\"open\n", "unclosed quote", "an unclosed quote");
    rejects("batch: 99\nstate: pending\n> x\n= done\n", "before any 'home:'",
            "a case needs a home");
    rejects(HEAD "home: cust_nobody\n", "no home \"cust_nobody\"", "an unknown home");
    rejects("batch: 99\nstate: frozen\n", "state must be pending, sealed or fixed",
            "an unknown state");
    rejects("state: pending\n", "needs 'batch:' and 'state:'", "a header without its number");
    rejects("batch: 99\nheld: many\nstate: pending\n", "held must be a count of cases",
            "a held that is no count");
    rejects("batch: 99\nheld: 2\nstate: pending\nhome: cust_t\n> x\n= done\n",
            "held 2 is more than its 1 cases", "a held above the cases");
    rejects(HEAD "= done\n", "outside a case", "an expectation without turns");
    rejects(HEAD "just words\n", "not a header, case or comment", "a stray line");
}

static void outcome_classes(void)
{
    ok(blind_outcome_matches("ask", "clarify"), "ask is clarify");
    ok(blind_outcome_matches("answer", "status") && blind_outcome_matches("answer", "help"),
       "answer is status or help");
    ok(!blind_outcome_matches("answer", "done"), "answer is not done");
    ok(blind_outcome_matches("deny|unsupported", "unsupported"), "lists match any member");
    ok(blind_outcome_matches("scope", "out_of_scope"), "scope is out_of_scope");
    ok(blind_outcome_matches("*", "partial"), "* is any outcome");
    ok(!blind_outcome_matches("*", NULL), "but not a missing one");
    ok(!blind_class_known("") && !blind_class_known("done|"), "empty classes are unknown");
}

int main(void)
{
    make_home();
    good_batch();
    bad_batches();
    outcome_classes();
    return tap_done();
}
