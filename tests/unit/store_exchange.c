/* Chat exchanges through the store (store_run_exchange) and the levels
 * cache, the same tests for every backend (store_fixture.h): a commit of
 * the device change, both messages and the conversation's state; resends;
 * another handle given the state; a fault and kill -9 between the writes;
 * an acknowledged exchange surviving kill -9; more exchanges than
 * DynamoDB's journal holds; concurrent exchanges of one customer; another
 * instance's level change seen within cache_ms (an injected clock). */
#include <pthread.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "store/store.h"
#include "store_fixture.h"
#include "store_ready.h"
#include "tap.h"

static int set_volume(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    d->volume = *(const int *)arg;
    return SB_OK;
}

/* Exchanges (store_run_exchange): an fn that adds to dev_004's volume. */
struct xarg {
    const char *key_id, *conv;
    int add; /* < 0: fn refuses */
    int runs;
    char seen[128]; /* the state fn was given */
    char user_id[64], ts_u[UTIL_TIMESTAMP_LEN], ts_b[UTIL_TIMESTAMP_LEN], state[64];
};

static int xfn(struct customer *c, const char *state, struct store_exchange *ex, void *arg,
               struct sb_err *err)
{
    struct xarg *x = arg;
    x->runs++;
    snprintf(x->seen, sizeof x->seen, "%s", state ? state : "(none)");
    if (x->add < 0)
        return sb_err_set(err, SB_EDENIED, "refused");
    struct device *d = customer_find_device(c, "dev_004");
    d->volume = (d->volume + x->add) % 101;
    /* the engine's ids (model.h) pair up; others are stored as two rows */
    if (!message_request_id(x->key_id, x->user_id, sizeof x->user_id))
        snprintf(x->user_id, sizeof x->user_id, "u_%s", x->key_id);
    snprintf(x->state, sizeof x->state, "{\"after\":\"%s\"}", x->key_id);
    util_format_timestamp(util_now_ms(), x->ts_u, sizeof x->ts_u);
    util_format_timestamp(util_now_ms() + 1, x->ts_b, sizeof x->ts_b);
    ex->messages[0] =
        (struct message){x->user_id, (char *)x->conv, "cust_003", "turn it up", "user", x->ts_u};
    ex->messages[1] =
        (struct message){(char *)x->key_id, (char *)x->conv, "cust_003", "Done.", "bot", x->ts_b};
    ex->state = x->state;
    return SB_OK;
}

static int run_in(struct store *st, const char *conv, const char *id, int add, struct xarg *x,
                  struct message *done)
{
    struct store_exchange_key k = {"cust_003", conv, id, false};
    struct sb_err err = {0};
    memset(x, 0, sizeof *x);
    x->key_id = id;
    x->conv = conv;
    x->add = add;
    int rc = store_run_exchange(st, &k, xfn, x, done, &err);
    if (rc != SB_OK)
        tap_diag("exchange %s: %s", id, err.msg);
    return rc;
}

static int run_x(struct store *st, const char *id, int add, struct xarg *x, struct message *done)
{
    return run_in(st, "conv_x", id, add, x, done);
}

/* The exchange store_fixture_kill_after's child commits. */
static int run_xb_7(struct store *st, void *x)
{
    return run_x(st, "msg_b_xb_7", 1, x, NULL);
}

/* A customer's conversations past STORE_CONVERSATIONS_KEPT forget, oldest first. */
static void test_conversation_bound(struct store *st)
{
    struct xarg x;
    struct sb_err err;
    char conv[32], id[32], *first = NULL, *last = NULL;
    int failures = 0;
    for (int i = 0; i <= STORE_CONVERSATIONS_KEPT; i++) {
        snprintf(conv, sizeof conv, "conv_bound_%02d", i);
        snprintf(id, sizeof id, "xk_%02d", i);
        failures += run_in(st, conv, id, 0, &x, NULL) != SB_OK;
    }
    is_int(failures, 0, "exchanges in one conversation more than are kept");
    store_get_conversation(st, "cust_003", "conv_bound_00", &first, &err);
    snprintf(conv, sizeof conv, "conv_bound_%02d", STORE_CONVERSATIONS_KEPT);
    store_get_conversation(st, "cust_003", conv, &last, &err);
    ok(!first && last,
       "one more than are kept: the oldest conversation forgets, the newest remembers");
    free(first);
    free(last);
}

static int volume_of(struct store *st)
{
    struct customer c;
    struct sb_err err;
    int v = -1;
    if (store_get_customer(st, "cust_003", &c, &err) == SB_OK) {
        v = customer_find_device(&c, "dev_004")->volume;
        customer_free(&c);
    }
    return v;
}

static bool stored(struct store *st, const char *id)
{
    struct message m;
    struct sb_err err;
    if (store_get_message(st, id, &m, &err) != SB_OK)
        return false;
    message_free(&m);
    return true;
}

/* store_run_exchanges: three exchanges of one customer at once, the middle
 * one refused by its fn. The other two commit, each on the record the one
 * before it left (+1 then +2), the refused one leaves nothing, and a second
 * batch with the first's ids answers them as done without running them. */
static void test_exchange_batch(struct store *st)
{
    static const char *const ids[3] = {"xbatch_1", "xbatch_2", "xbatch_3"};
    static const int adds[3] = {1, -1, 2};
    struct xarg x[3];
    struct store_exchange_item items[3], *p[3];
    int v0 = volume_of(st);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 3; i++) {
            memset(&x[i], 0, sizeof x[i]);
            x[i] = (struct xarg){.key_id = ids[i], .conv = "conv_batch", .add = adds[i]};
            items[i] = (struct store_exchange_item){
                .key = {"cust_003", "conv_batch", ids[i], false}, .fn = xfn, .arg = &x[i]};
            p[i] = &items[i];
        }
        store_run_exchanges(st, p, 3);
        if (round == 0) {
            ok(items[0].rc == SB_OK && items[2].rc == SB_OK, "a batch: the accepted two commit");
            is_int(items[1].rc, SB_EDENIED, "the refused one fails alone, with its fn's status");
            is_int(volume_of(st), (v0 + 3) % 101, "each ran on the record the one before left");
            ok(stored(st, "xbatch_1") && stored(st, "xbatch_3") && !stored(st, "xbatch_2") &&
                   !stored(st, "u_xbatch_2"),
               "the accepted ones' messages are stored, the refused one's are not");
        } else {
            ok(items[0].rc == SB_OK && items[0].done.id && items[2].done.id && x[0].runs == 0 &&
                   x[2].runs == 0,
               "the same ids again: answered as done, not run");
            is_int(volume_of(st), (v0 + 3) % 101, "and applied once");
        }
        for (int i = 0; i < 3; i++)
            message_free(&items[i].done);
    }
}

static void *exchange_thread(void *arg)
{
    struct store *st = ((void **)arg)[0];
    long t = (long)((void **)arg)[1];
    struct xarg x;
    char id[32];
    for (int i = 0; i < 25; i++) {
        snprintf(id, sizeof id, "xt_%ld_%d", t, i);
        if (run_x(st, id, 1, &x, NULL) != SB_OK)
            return (void *)1;
    }
    return NULL;
}

static void fault(const char *what)
{
    FILE *f = fopen(getenv("SERVICEBOT_STORE_FAULT_FILE"), "w");
    if (f) {
        fputs(what, f);
        fclose(f);
    }
}

static void test_exchanges(struct store *st, bool journaled)
{
    struct xarg x;
    struct message done = {0};
    struct sb_err err;
    char *state = NULL;
    int volume = 20;
    store_update_device(st, "cust_003", "dev_004", set_volume, &volume, NULL, &err);
    ok(run_x(st, "msg_b_xb_1", 10, &x, &done) == SB_OK && x.runs == 1 && !done.id,
       "an exchange commits");
    is_str(x.seen, "(none)", "a new conversation has no state");
    is_int(volume_of(st), 30, "its device change is stored");
    ok(stored(st, "msg_b_xb_1") && stored(st, "msg_u_xb_1"), "both its messages are stored");
    if (ok(store_get_conversation(st, "cust_003", "conv_x", &state, &err) == SB_OK && state,
           "the conversation's state is stored"))
        is_str(state, "{\"after\":\"msg_b_xb_1\"}", "... as the exchange left it");
    free(state);

    /* other writes of the record keep what the conversation remembers */
    struct customer c;
    if (store_get_customer(st, "cust_003", &c, &err) == SB_OK) {
        store_put_customer(st, &c, &err);
        customer_free(&c);
    }
    volume = 30;
    store_update_device(st, "cust_003", "dev_004", set_volume, &volume, NULL, &err);
    state = NULL;
    store_get_conversation(st, "cust_003", "conv_x", &state, &err);
    is_str(state, "{\"after\":\"msg_b_xb_1\"}",
           "a device update and a put of the customer keep the state");
    free(state);

    ok(run_x(st, "msg_b_xb_1", 10, &x, &done) == SB_OK && x.runs == 0,
       "the same exchange again runs nothing");
    is_str(done.id, "msg_b_xb_1", "... and returns the committed bot message");
    is_str(done.text, "Done.", "... with its text");
    message_free(&done);
    is_int(volume_of(st), 30, "... and changes nothing");

    struct store *other = store_fixture_open(); /* another instance */
    if (other) {
        ok(run_x(other, "msg_b_xb_2", 1, &x, NULL) == SB_OK,
           "another store handle runs the next exchange");
        is_str(x.seen, "{\"after\":\"msg_b_xb_1\"}", "... given the state the first one left");
        store_close(other);
    }
    is_int(run_x(st, "msg_b_xb_3", -1, &x, NULL), SB_EDENIED, "fn's refusal is returned");
    ok(volume_of(st) == 31 && !stored(st, "msg_b_xb_3"), "a refused exchange leaves nothing");
    struct store_exchange_key nobody = {"cust_999", "conv_x", "msg_b_xb_4", false};
    is_int(store_run_exchange(st, &nobody, xfn, &x, NULL, &err), SB_ENOTFOUND,
           "an unknown customer is not found");

    /* A failure between the customer write and the messages, then a retry. */
    fault("exchange-between fail");
    is_int(run_x(st, "msg_b_xb_5", 10, &x, NULL), SB_EUNAVAIL,
           "a fault between the writes fails the exchange");
    ok(!stored(st, "msg_b_xb_5") && !stored(st, "msg_u_xb_5"), "... with no message stored");
    tap_diag("after the fault: volume %d (%s)", volume_of(st),
             journaled ? "committed, in the journal" : "rolled back");
    ok(run_x(st, "msg_b_xb_5", 10, &x, &done) == SB_OK, "the retry succeeds");
    is_int(x.runs, journaled ? 0 : 1,
           journaled ? "... completing the journaled exchange" : "... running it afresh");
    is_int(volume_of(st), 41, "the change is applied exactly once");
    ok(stored(st, "msg_b_xb_5") && stored(st, "msg_u_xb_5"), "both messages are stored");
    message_free(&done);

    /* kill -9 between the writes, then the retry in a fresh process. */
    pid_t kid = fork();
    if (kid == 0) {
        struct store *mine = store_fixture_open();
        fault("exchange-between kill");
        if (mine)
            run_x(mine, "msg_b_xb_6", 10, &x, NULL);
        _exit(3); /* not reached when the fault fires */
    }
    int status = 0;
    waitpid(kid, &status, 0);
    ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "a writer killed between the writes");
    ok(run_x(st, "msg_b_xb_6", 10, &x, NULL) == SB_OK, "the retry after kill -9 succeeds");
    is_int(volume_of(st), 51, "... applied exactly once");
    ok(stored(st, "msg_b_xb_6") && stored(st, "msg_u_xb_6"), "... with both messages");

    /* An acknowledged exchange survives kill -9 of its writer. */
    bool acked = store_fixture_kill_after(run_xb_7, &x);
    ok(acked && stored(st, "msg_b_xb_7") && volume_of(st) == 52,
       "an acknowledged exchange survives kill -9 of its writer");

    /* More exchanges than the DynamoDB journal holds, then a resend of the first. */
    char id[32];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "msg_b_xj_%d", i);
        run_x(st, id, 1, &x, NULL);
    }
    ok(run_x(st, "msg_b_xj_0", 1, &x, &done) == SB_OK && x.runs == 0 && done.id,
       "an exchange a dozen exchanges old is still found");
    message_free(&done);
    is_int(volume_of(st), 64, "twelve exchanges, twelve changes");

    pthread_t threads[4];
    void *args[4][2];
    int failures = 0;
    for (long t = 0; t < 4; t++) {
        args[t][0] = st;
        args[t][1] = (void *)t;
        pthread_create(&threads[t], NULL, exchange_thread, args[t]);
    }
    for (int t = 0; t < 4; t++) {
        void *r;
        pthread_join(threads[t], &r);
        failures += r != NULL;
    }
    is_int(failures, 0, "four threads running exchanges of one customer all succeed");
    is_int(volume_of(st), (64 + 100) % 101, "no exchange lost or applied twice");
}

/* The levels cache: another instance's write is seen within cache_ms. */
static int64_t fake_ms = 1000000;
static int64_t fake_clock(void)
{
    return fake_ms;
}

/* The basic level of a snapshot. */
static const struct service_level *basic_of(const struct store_snapshot *snap)
{
    for (size_t i = 0; i < snap->n_levels; i++)
        if (strcmp(snap->levels[i].level, "basic") == 0)
            return &snap->levels[i];
    return NULL;
}

static void test_levels_cache(void)
{
    struct store_options cached = store_fixture_options;
    struct service_level l, orig;
    struct sb_err err;
    cached.cache_ms = 1000;
    cached.clock_ms = fake_clock;
    struct store *a = NULL, *b = store_fixture_open();
    if (store_open(&cached, &a, &err) != SB_OK || !b || store_get_level(b, "basic", &orig, &err))
        return (void)ok(0, "open two stores for the cache test");
    ok(store_get_level(a, "basic", &l, &err) == SB_OK, "a cached read of a level");
    service_level_free(&l);
    const struct store_snapshot *held = NULL, *snap = NULL;
    ok(store_snapshot_get(a, &held, &err) == SB_OK && held->n_levels > 0 && held->n_caps > 0,
       "a snapshot of the levels and the catalogue");
    service_level_copy(&l, &orig);
    free(l.description);
    l.description = strdup("changed elsewhere");
    store_put_level(b, &l, &err);
    service_level_free(&l);
    fake_ms += 999;
    store_get_level(a, "basic", &l, &err);
    is_str(l.description, orig.description,
           "another instance's change is not seen before cache_ms");
    service_level_free(&l);
    ok(store_snapshot_get(a, &snap, &err) == SB_OK && snap == held,
       "nor by a snapshot: the same one, shared");
    store_snapshot_release(snap);
    fake_ms += 1;
    store_get_level(a, "basic", &l, &err);
    is_str(l.description, "changed elsewhere", "... and is seen once cache_ms has passed");
    ok(store_snapshot_get(a, &snap, &err) == SB_OK && snap != held &&
           strcmp(basic_of(snap)->description, "changed elsewhere") == 0,
       "by a new snapshot too");
    store_snapshot_release(snap);
    is_str(basic_of(held)->description, orig.description,
           "while the one still held is as it was (immutable)");
    store_snapshot_release(held);
    free(l.description);
    l.description = strdup("changed here");
    store_put_level(a, &l, &err);
    service_level_free(&l);
    store_get_level(a, "basic", &l, &err);
    is_str(l.description, "changed here", "a change through the same store is seen at once");
    service_level_free(&l);
    ok(store_snapshot_get(a, &snap, &err) == SB_OK &&
           strcmp(basic_of(snap)->description, "changed here") == 0,
       "and by the next snapshot");
    store_snapshot_release(snap);
    store_put_level(a, &orig, &err);
    service_level_free(&orig);
    store_close(a);
    store_close(b);
}

/* SQLite: an exchange committed before schema 8 is two rows of their own.
 * Written as the older servicebotd wrote them (the file is migrated; the
 * reply columns of those rows are NULL), it is still found: its retry is
 * answered as done, both messages read back, and history has them once. */
static void test_rows_before_pairs(struct store *st)
{
    sqlite3 *db = NULL;
    struct xarg x;
    struct message done = {0}, *page = NULL;
    size_t n = 0;
    struct sb_err err = {0};
    const char *sql =
        "INSERT INTO messages (id, conversation_id, user_id, text, sender, timestamp) VALUES"
        " ('msg_u_old1', 'conv_old', 'cust_003', 'turn it up', 'user', '2026-01-01T00:00:00.000Z'),"
        " ('msg_b_old1', 'conv_old', 'cust_003', 'Done before.', 'bot', "
        "'2026-01-01T00:00:00.001Z')";
    if (!ok(sqlite3_open(store_fixture_db, &db) == SQLITE_OK &&
                sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
                sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK,
            "an exchange stored as two rows, as before schema 8")) {
        tap_diag("%s", db ? sqlite3_errmsg(db) : "no handle");
        sqlite3_close(db);
        return;
    }
    sqlite3_close(db);
    int before = volume_of(st);
    ok(run_in(st, "conv_old", "msg_b_old1", 10, &x, &done) == SB_OK && x.runs == 0 && done.id,
       "its retry is answered from the stored reply, not run again");
    is_str(done.text, "Done before.", "... the reply as it was stored");
    is_int(volume_of(st), before, "... and changes nothing");
    message_free(&done);
    struct store_history_query q = {"cust_003", "conv_old", NULL, 50};
    if (ok(store_history(st, &q, &page, &n, &err) == SB_OK, "its history reads")) {
        ok(n == 2 && !strcmp(page[0].id, "msg_u_old1") && !strcmp(page[1].id, "msg_b_old1"),
           "... both messages once, request first");
        messages_free(page, n);
    }
    ok(run_in(st, "conv_old", "msg_b_new1", 1, &x, NULL) == SB_OK && x.runs == 1,
       "a new exchange in that conversation runs");
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        ok(n == 4 && !strcmp(page[2].id, "msg_u_new1") && !strcmp(page[3].id, "msg_b_new1"),
           "... and follows the old rows in its history");
        messages_free(page, n);
    }
}

int main(void)
{
    const char *kind = store_fixture_setup("exchanges");
    char fault_file[300], id[UTIL_ID_LEN];
    tap_diag("backend %s", kind);
    struct store *st = store_fixture_ready();
    if (!st)
        return tap_done();
    util_new_id("f", id, sizeof id);
    snprintf(fault_file, sizeof fault_file, "%s/sb-fault-%s",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", id);
    setenv("SERVICEBOT_STORE_FAULT_FILE", fault_file, 1);
    test_exchanges(st, strcmp(kind, "dynamodb") == 0);
    unlink(fault_file);
    test_conversation_bound(st);
    test_exchange_batch(st);
    if (strcmp(kind, "sqlite") == 0)
        test_rows_before_pairs(st);
    test_levels_cache();
    store_close(st);
    store_fixture_cleanup();
    return tap_done();
}
