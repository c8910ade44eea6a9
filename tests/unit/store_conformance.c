/* The store conformance suite: the same tests for every backend
 * (store_fixture.h; exchanges and the levels cache: store_exchange.c; the
 * SQLite file's rows changed behind the store: store_sqlite_rows.c).
 *   SB_TEST_INCREMENTS=N            increments per process in the concurrency test (1000) */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "store/store.h"
#include "store_fixture.h"
#include "store_ready.h"
#include "tap.h"

static void test_reads(struct store *st)
{
    struct service_level *levels = NULL;
    struct capability *caps = NULL;
    struct customer *custs = NULL, c;
    size_t n = 0;
    struct sb_err err = {0};

    ok(store_list_levels(st, &levels, &n, &err) == SB_OK && n == 3, "three service levels");
    if (n == 3) {
        is_str(levels[0].level, "basic", "levels come lowest rank first");
        is_str(levels[2].level, "enterprise", "enterprise is last");
        is_int(levels[1].price_cents, 999, "premium costs 9.99");
        ok(strlist_contains(&levels[1].allowed_actions, "song_changes"),
           "premium allows song changes");
    }
    service_levels_free(levels, n);

    struct service_level basic;
    if (ok(store_get_level(st, "basic", &basic, &err) == SB_OK, "get level basic")) {
        is_int(basic.max_devices, 1, "basic allows one device");
        service_level_free(&basic);
    }
    is_int(store_get_level(st, "platinum", &basic, &err), SB_ENOTFOUND,
           "unknown level is not found");

    ok(store_list_capabilities(st, &caps, &n, &err) == SB_OK && n == 8, "eight capabilities");
    if (n == 8) {
        is_str(caps[0].action, "device_status", "catalogue keeps its order (first)");
        is_str(caps[7].action, "playback_control", "catalogue keeps its order (last)");
    }
    capabilities_free(caps, n);

    ok(store_list_customers(st, &custs, &n, &err) == SB_OK && n == 3, "three customers");
    customers_free(custs, n);

    if (ok(store_get_customer(st, "cust_002", &c, &err) == SB_OK, "get customer cust_002")) {
        is_str(c.name, "John Doe", "customer name");
        is_int((long long)c.n_devices, 2, "two devices");
        is_str(c.devices[1].location, "kitchen", "device location");
        is_int((long long)c.devices[0].playlist.len, 4, "playlist survives the round trip");
        customer_free(&c);
    }
    is_int(store_get_customer(st, "nobody", &c, &err), SB_ENOTFOUND,
           "unknown customer is not found");
    ok(strstr(err.msg, "nobody") != NULL, "the not-found message names the id");
}

static int set_volume(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    d->volume = *(int *)arg;
    return SB_OK;
}

static int refuse(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    d->volume = 1;
    return sb_err_set(err, SB_EDENIED, "refused on purpose");
}

static int increment(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    d->volume = (d->volume + 1) % 101;
    return SB_OK;
}

static void test_updates(struct store *st)
{
    struct device d;
    struct customer c;
    struct sb_err err = {0};
    int vol = 42;
    if (ok(store_update_device(st, "cust_001", "dev_001", set_volume, &vol, &d, &err) == SB_OK,
           "update a device")) {
        is_int(d.volume, 42, "the committed device is returned");
        int64_t ms;
        ok(d.last_updated && util_parse_timestamp(d.last_updated, &ms) == 0 &&
               util_now_ms() - ms < 60000,
           "lastUpdated is set to now");
        device_free(&d);
    }
    if (store_get_customer(st, "cust_001", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, 42, "the update is stored");
        customer_free(&c);
    }
    is_int(store_update_device(st, "cust_001", "dev_001", refuse, NULL, &d, &err), SB_EDENIED,
           "fn's status is returned");
    if (store_get_customer(st, "cust_001", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, 42, "an aborted update changes nothing");
        customer_free(&c);
    }
    /* a record that could not be read back is refused, on every write path */
    int loud = MODEL_VOLUME_MAX + 1;
    is_int(store_update_device(st, "cust_001", "dev_001", set_volume, &loud, NULL, &err), SB_EINVAL,
           "an update leaving a field out of range is refused");
    ok(strstr(err.msg, "volume") != NULL, "... naming the field (%s)", err.msg);
    if (store_get_customer(st, "cust_001", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, 42, "... and changes nothing");
        free(c.name);
        c.name = strdup("");
        is_int(store_put_customer(st, &c, &err), SB_EINVAL,
               "a put of a record with no name is refused");
        customer_free(&c);
    }
    if (store_get_customer(st, "cust_001", &c, &err) == SB_OK) {
        ok(c.name && c.name[0], "... and changes nothing");
        customer_free(&c);
    }
    is_int(store_update_device(st, "cust_001", "dev_999", set_volume, &vol, NULL, &err),
           SB_ENOTFOUND, "unknown device is not found");
    is_int(store_update_device(st, "cust_999", "dev_001", set_volume, &vol, NULL, &err),
           SB_ENOTFOUND, "unknown customer is not found");

    /* put replaces the record and bumps the version */
    struct customer before, after;
    if (store_get_customer(st, "cust_003", &before, &err) == SB_OK) {
        free(before.name);
        before.name = strdup("Alice J.");
        ok(store_put_customer(st, &before, &err) == SB_OK, "put replaces a customer");
        if (store_get_customer(st, "cust_003", &after, &err) == SB_OK) {
            is_str(after.name, "Alice J.", "replacement stored");
            ok(after.version > before.version, "version grows on every write");
            customer_free(&after);
        }
        customer_free(&before);
    }
}

static void *thread_increments(void *arg)
{
    struct store *st = arg;
    struct sb_err err;
    for (int i = 0; i < 50; i++)
        if (store_update_device(st, "cust_002", "dev_002", increment, NULL, NULL, &err) != SB_OK)
            return (void *)1;
    return NULL;
}

/* Two processes (each its own store handle) and four threads incrementing one volume. */
static void test_concurrency(struct store *st)
{
    int increments = getenv("SB_TEST_INCREMENTS") ? atoi(getenv("SB_TEST_INCREMENTS")) : 1000;
    int zero = 0;
    struct sb_err err;
    struct customer c;
    store_update_device(st, "cust_002", "dev_002", set_volume, &zero, NULL, &err);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            struct store *mine = store_fixture_open();
            int bad = !mine;
            for (int i = 0; i < increments && !bad; i++)
                bad = store_update_device(mine, "cust_002", "dev_002", increment, NULL, NULL,
                                          &err) != SB_OK;
            if (bad)
                fprintf(stderr, "increment failed: %s\n", err.msg);
            store_close(mine);
            _exit(bad);
        }
    }
    int failures = 0;
    for (int k = 0; k < 2; k++) {
        int status = 0;
        waitpid(kids[k], &status, 0);
        failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    is_int(failures, 0, "both writer processes finished without errors");
    if (store_get_customer(st, "cust_002", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, (2 * increments) % 101,
               "no lost update: two processes' read-modify-writes all counted");
        customer_free(&c);
    }
    store_update_device(st, "cust_002", "dev_002", set_volume, &zero, NULL, &err);
    pthread_t threads[4];
    int thread_failures = 0;
    for (int t = 0; t < 4; t++)
        pthread_create(&threads[t], NULL, thread_increments, st);
    for (int t = 0; t < 4; t++) {
        void *r;
        pthread_join(threads[t], &r);
        thread_failures += r != NULL;
    }
    is_int(thread_failures, 0, "four threads on one handle finished without errors");
    if (store_get_customer(st, "cust_002", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, 200 % 101, "no lost update across threads");
        customer_free(&c);
    }
}

static struct message make_message(const char *id, const char *conv, const char *user,
                                   const char *text, const char *sender, int64_t ms)
{
    char ts[UTIL_TIMESTAMP_LEN];
    util_format_timestamp(ms, ts, sizeof(ts));
    struct message m = {strdup(id),   strdup(conv),   strdup(user),
                        strdup(text), strdup(sender), strdup(ts)};
    return m;
}

static void test_messages(struct store *st)
{
    struct sb_err err = {0};
    struct message msgs[25], *page = NULL, one;
    size_t n = 0;
    int64_t base = 1700000000000LL;
    char id[32];
    for (int i = 0; i < 25; i++) {
        snprintf(id, sizeof(id), "m%02d", i);
        msgs[i] = make_message(id, i < 20 ? "conv_a" : "conv_b", "cust_001", "hello",
                               i % 2 ? "bot" : "user", base + i * 1000);
    }
    ok(store_append_messages(st, msgs, 25, &err) == SB_OK, "append 25 messages");
    ok(store_append_messages(st, msgs, 2, &err) == SB_OK, "appending existing ids succeeds");
    struct message other =
        make_message("x1", "conv_a", "cust_002", "not yours", "user", base + 5500);
    store_append_messages(st, &other, 1, &err);
    message_free(&other);

    struct store_history_query q = {"cust_001", "conv_a", NULL, 8};
    ok(store_history(st, &q, &page, &n, &err) == SB_OK && n == 8, "first page has the limit");
    if (n == 8) {
        is_str(page[0].id, "m12", "a page is the newest messages ...");
        is_str(page[7].id, "m19", "... oldest first within the page");
    }
    int seen = (int)n;
    char before[UTIL_TIMESTAMP_LEN] = "";
    while (n > 0) {
        snprintf(before, sizeof(before), "%s", page[0].timestamp);
        messages_free(page, n);
        page = NULL;
        q.before = before;
        if (store_history(st, &q, &page, &n, &err) != SB_OK)
            break;
        seen += (int)n;
    }
    is_int(seen, 20, "paging with before walks the whole conversation exactly once");
    ok(!strchr(before, 'x'), "paging ended on an empty page");
    messages_free(page, n);

    struct store_history_query all = {"cust_001", NULL, NULL, 500};
    if (ok(store_history(st, &all, &page, &n, &err) == SB_OK, "history by user")) {
        is_int((long long)n, 25, "by user: all conversations, idempotent appends counted once");
        int ordered = 1;
        for (size_t i = 1; i < n; i++)
            ordered &= strcmp(page[i - 1].timestamp, page[i].timestamp) <= 0;
        ok(ordered, "by user: timestamp order");
        messages_free(page, n);
    }
    struct store_history_query theirs = {"cust_002", "conv_a", NULL, 50};
    if (store_history(st, &theirs, &page, &n, &err) == SB_OK) {
        is_int((long long)n, 1, "a conversation shows only its customer's messages");
        messages_free(page, n);
    }
    struct store_history_query bad = {"cust_001", NULL, NULL, 0};
    is_int(store_history(st, &bad, &page, &n, &err), SB_EINVAL, "limit 0 is refused");
    if (ok(store_get_message(st, "m03", &one, &err) == SB_OK, "get a message by id")) {
        is_str(one.conversation_id, "conv_a", "message fields survive");
        is_str(one.sender, "bot", "sender survives");
        message_free(&one);
    }
    is_int(store_get_message(st, "nope", &one, &err), SB_ENOTFOUND, "unknown message is not found");
    for (int i = 0; i < 25; i++)
        message_free(&msgs[i]);
}

/* A request and its reply with the engine's ids (model.h), which SQLite keeps
 * in one row: each is still a message of its own to every reader. */
static void test_pairs(struct store *st)
{
    struct sb_err err = {0};
    struct message *page = NULL, one;
    size_t n = 0, removed = 0;
    int64_t base = 1720000000000LL;
    struct message pair[2] = {
        make_message("msg_u_pair1", "conv_pair", "cust_pair", "turn it up", "user", base),
        make_message("msg_b_pair1", "conv_pair", "cust_pair", "Done.", "bot", base + 1),
    };
    ok(store_append_messages(st, pair, 2, &err) == SB_OK, "append a request and its reply");
    ok(store_append_messages(st, pair, 2, &err) == SB_OK &&
           store_append_messages(st, &pair[1], 1, &err) == SB_OK &&
           store_append_messages(st, &pair[0], 1, &err) == SB_OK,
       "appending them again, together or alone, succeeds");
    for (int i = 0; i < 2; i++) {
        if (ok(store_get_message(st, pair[i].id, &one, &err) == SB_OK, "get %s", pair[i].id)) {
            ok(!strcmp(one.id, pair[i].id) && !strcmp(one.text, pair[i].text) &&
                   !strcmp(one.sender, pair[i].sender) &&
                   !strcmp(one.timestamp, pair[i].timestamp) &&
                   !strcmp(one.conversation_id, "conv_pair") && !strcmp(one.user_id, "cust_pair"),
               "... every field as appended");
            message_free(&one);
        }
    }
    is_int(store_get_message(st, "msg_b_pair2", &one, &err), SB_ENOTFOUND,
           "a reply id with no such exchange is not found");
    struct store_history_query q = {"cust_pair", NULL, NULL, 50};
    if (ok(store_history(st, &q, &page, &n, &err) == SB_OK, "history of the pair")) {
        ok(n == 2 && !strcmp(page[0].id, "msg_u_pair1") && !strcmp(page[1].id, "msg_b_pair1"),
           "... each once, the request first");
        messages_free(page, n);
    }
    q.limit = 1;
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        ok(n == 1 && !strcmp(page[0].id, "msg_b_pair1"), "a page of one is the reply");
        messages_free(page, n);
    }
    q.limit = 50;
    q.before = pair[1].timestamp;
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        ok(n == 1 && !strcmp(page[0].id, "msg_u_pair1"), "before the reply: the request alone");
        messages_free(page, n);
    }
    ok(store_prune_messages(st, "cust_pair", NULL, 1, &removed, &err) == SB_OK,
       "prune the pair's customer to one message");
    q.before = NULL;
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        ok(n >= 1 && n + removed == 2 && !strcmp(page[n - 1].id, "msg_b_pair1"),
           "the newest stays, and removed counts what went (%zu left, %zu removed)", n, removed);
        messages_free(page, n);
    }
    message_free(&pair[0]);
    message_free(&pair[1]);
}

struct appender {
    struct store *st;
    int index;
    int failures;
};

static void *append_many(void *arg)
{
    struct appender *a = arg;
    struct sb_err err;
    for (int i = 0; i < 25; i++) {
        char id[48];
        snprintf(id, sizeof(id), "gc_%d_%d", a->index, i);
        struct message pair[2] = {
            make_message(id, "conv_gc", "cust_003", "user says", "user", util_now_ms()),
            make_message(id, "conv_gc", "cust_003", "bot says", "bot", util_now_ms() + 1),
        };
        free(pair[1].id);
        pair[1].id = malloc(strlen(id) + 3);
        sprintf(pair[1].id, "%s.r", id);
        a->failures += store_append_messages(a->st, pair, 2, &err) != SB_OK;
        message_free(&pair[0]);
        message_free(&pair[1]);
    }
    return NULL;
}

static void test_group_commit(struct store *st)
{
    pthread_t threads[8];
    struct appender a[8];
    for (int t = 0; t < 8; t++) {
        a[t] = (struct appender){st, t, 0};
        pthread_create(&threads[t], NULL, append_many, &a[t]);
    }
    int failures = 0;
    for (int t = 0; t < 8; t++) {
        pthread_join(threads[t], NULL);
        failures += a[t].failures;
    }
    is_int(failures, 0, "eight threads appending at once all succeed");
    struct message *page = NULL;
    size_t n = 0;
    struct sb_err err;
    struct store_history_query q = {"cust_003", "conv_gc", NULL, 500};
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        is_int((long long)n, 400, "every concurrently appended message is stored");
        messages_free(page, n);
    }
}

static int append_durable(struct store *st, void *arg)
{
    struct sb_err err;
    struct message m =
        make_message("durable_1", "conv_d", "cust_001", "keep me", "user", util_now_ms());
    return store_append_messages(st, &m, 1, &err);
}

static void test_durability(void)
{
    ok(store_fixture_kill_after(append_durable, NULL), "the writer acknowledged the message");
    struct store *st = store_fixture_open();
    struct message m;
    struct sb_err err;
    if (st) {
        if (ok(store_get_message(st, "durable_1", &m, &err) == SB_OK,
               "an acknowledged message survives kill -9 of the writer"))
            message_free(&m);
        store_close(st);
    }
}

static void test_connections(struct store *st)
{
    struct sb_err err = {0};
    int64_t now = util_now_ms() / 1000;
    struct connection live = {"conn_live", "cust_001", "2026-11-24T10:00:00.000Z", now + 86400,
                              "a"};
    struct connection old = {"conn_old", "cust_001", "2026-11-23T10:00:00.000Z", now - 10, "a"};
    struct connection *list = NULL;
    size_t n = 0, removed = 0;
    ok(store_put_connection(st, &live, &err) == SB_OK, "put a connection");
    ok(store_put_connection(st, &old, &err) == SB_OK, "put an expired connection");
    if (ok(store_list_connections(st, "cust_001", &list, &n, &err) == SB_OK, "list connections")) {
        is_int((long long)n, 1, "expired rows are never listed");
        if (n == 1)
            is_str(list[0].instance, "a", "the instance is kept");
        connections_free(list, n);
    }
    ok(store_expire_connections(st, now, &removed, &err) == SB_OK, "expire sweep runs");
    is_int((long long)removed, 1, "the sweep removes exactly the expired row");
    ok(store_delete_connection(st, "conn_live", &err) == SB_OK, "delete a connection");
    if (store_list_connections(st, "cust_001", &list, &n, &err) == SB_OK) {
        is_int((long long)n, 0, "deleted connection is gone");
        connections_free(list, n);
    }
}

static void test_tokens(struct store *st)
{
    struct sb_err err = {0};
    bool admin = true;
    char *who = NULL;
    ok(store_has_admin_token(st, &admin, &err) == SB_OK && !admin, "no admin token at first");
    ok(store_put_token(st, "hash_customer", "cust_001", &err) == SB_OK, "put a customer token");
    ok(store_put_token(st, "hash_admin", NULL, &err) == SB_OK, "put an admin token");
    ok(store_has_admin_token(st, &admin, &err) == SB_OK && admin, "admin token now exists");
    if (ok(store_get_token(st, "hash_customer", &who, &err) == SB_OK, "get a customer token")) {
        is_str(who, "cust_001", "customer token maps to its customer");
        free(who);
    }
    if (ok(store_get_token(st, "hash_admin", &who, &err) == SB_OK, "get the admin token"))
        ok(who == NULL, "admin token maps to no customer");
    is_int(store_get_token(st, "hash_unknown", &who, &err), SB_ENOTFOUND, "unknown token");
}

/* Retention: keep the newest N, drop what is older than a cut, per customer
 * (a user id of its own: other tests leave messages for the seed's customers). */
static void test_retention(struct store *st)
{
    struct sb_err err = {0};
    struct message msgs[7], *page = NULL, one;
    int64_t base = 1710000000000LL;
    size_t removed = 99, n = 0;
    char id[32], cut[UTIL_TIMESTAMP_LEN];
    for (int i = 0; i < 6; i++) {
        snprintf(id, sizeof(id), "ret_%d", i);
        msgs[i] = make_message(id, "conv_ret", "cust_ret", "kept?", "user", base + i * 1000);
    }
    msgs[6] = make_message("ret_other", "conv_other", "cust_002", "not cust_003's", "user", base);
    ok(store_append_messages(st, msgs, 7, &err) == SB_OK, "append messages to prune");
    ok(store_prune_messages(st, "cust_ret", NULL, 0, &removed, &err) == SB_OK && removed == 0,
       "no age and no count prunes nothing");
    ok(store_prune_messages(st, "cust_ret", NULL, 4, &removed, &err) == SB_OK,
       "prune to the newest 4");
    is_int((long long)removed, 2, "two messages went");
    struct store_history_query q = {
        .customer_id = "cust_ret", .conversation_id = "conv_ret", .limit = 50};
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        is_int((long long)n, 4, "four are left");
        if (n == 4)
            is_str(page[0].id, "ret_2", "the oldest two were the ones removed");
        messages_free(page, n);
    }
    util_format_timestamp(base + 4000, cut, sizeof(cut));
    ok(store_prune_messages(st, "cust_ret", cut, 0, &removed, &err) == SB_OK && removed == 2,
       "prune what is older than a time");
    if (store_history(st, &q, &page, &n, &err) == SB_OK) {
        ok(n == 2 && !strcmp(page[0].id, "ret_4") && !strcmp(page[1].id, "ret_5"),
           "only the messages at or after it are left");
        messages_free(page, n);
    }
    if (ok(store_get_message(st, "ret_other", &one, &err) == SB_OK,
           "another customer's older message is untouched"))
        message_free(&one);
    for (int i = 0; i < 7; i++)
        message_free(&msgs[i]);
}

/* Token records: ids, expiry, last use, listing and revocation. */
static void test_token_lifecycle(struct store *st)
{
    struct sb_err err = {0};
    struct token_info t = {0}, *list = NULL;
    size_t n = 0;
    const struct token_info add = {.id = "tok_conf1",
                                   .customer_id = "cust_002",
                                   .created = "2026-11-30T10:00:00.000Z",
                                   .expires = "2026-12-30T10:00:00.000Z"};
    ok(store_add_token(st, "hash_life", &add, &err) == SB_OK, "add a token with an expiry");
    if (ok(store_find_token(st, "hash_life", &t, &err) == SB_OK, "find it by hash")) {
        is_str(t.id, "tok_conf1", "it keeps its id");
        is_str(t.customer_id, "cust_002", "and its customer");
        is_str(t.expires, "2026-12-30T10:00:00.000Z", "and its expiry");
        ok(t.last_used == NULL, "it was never used");
        token_info_free(&t);
    }
    ok(store_touch_token(st, "hash_life", "2026-12-01T08:00:00.000Z", &err) == SB_OK,
       "record a use");
    if (store_find_token(st, "hash_life", &t, &err) == SB_OK) {
        is_str(t.last_used, "2026-12-01T08:00:00.000Z", "the use is stored");
        token_info_free(&t);
    }
    const struct token_info again = {
        .id = "tok_other", .customer_id = "cust_002", .created = "2026-12-01T09:00:00.000Z"};
    ok(store_add_token(st, "hash_life", &again, &err) == SB_OK, "adding the same hash again");
    if (store_find_token(st, "hash_life", &t, &err) == SB_OK) {
        is_str(t.id, "tok_conf1", "keeps the first id");
        is_str(t.created, "2026-11-30T10:00:00.000Z", "and creation time");
        ok(t.expires == NULL, "but takes the new expiry (none)");
        token_info_free(&t);
    }
    if (ok(store_list_tokens(st, &list, &n, &err) == SB_OK, "list tokens")) {
        size_t found = n;
        for (size_t i = 0; i < n; i++) {
            ok(list[i].id && list[i].created, "token %zu has an id and a creation time", i);
            if (!strcmp(list[i].id, "tok_conf1"))
                found = i;
        }
        ok(n >= 3 && found < n, "the list holds every token (%zu)", n);
        for (size_t i = 1; i < n; i++)
            ok(strcmp(list[i - 1].created, list[i].created) <= 0, "oldest first (%zu)", i);
        token_infos_free(list, n);
    }
    ok(store_revoke_token(st, "tok_conf1", &t, &err) == SB_OK, "revoke by id");
    is_str(t.customer_id, "cust_002", "revoke returns the record it removed");
    token_info_free(&t);
    is_int(store_find_token(st, "hash_life", &t, &err), SB_ENOTFOUND,
           "a revoked token is not found");
    is_int(store_revoke_token(st, "tok_conf1", NULL, &err), SB_ENOTFOUND,
           "revoking it again is not found");
    is_str(err.msg, "no token tok_conf1", "naming the id");
    ok(store_touch_token(st, "hash_life", "2026-12-01T09:00:00.000Z", &err) == SB_OK,
       "a late use of a revoked token succeeds quietly");
    is_int(store_find_token(st, "hash_life", &t, &err), SB_ENOTFOUND, "and does not bring it back");
}

/* SQLite only: a question and its answer in the same millisecond stay in order. */
static void test_same_millisecond(struct store *st)
{
    struct sb_err err = {0};
    int64_t now = util_now_ms();
    struct message pair[2] = {
        make_message("tie_z_user", "conv_tie", "cust_001", "question", "user", now),
        make_message("tie_a_bot", "conv_tie", "cust_001", "answer", "bot", now),
    };
    struct message *page = NULL;
    size_t n = 0;
    store_append_messages(st, pair, 2, &err);
    struct store_history_query q = {"cust_001", "conv_tie", NULL, 10};
    if (store_history(st, &q, &page, &n, &err) == SB_OK && n == 2) {
        is_str(page[0].id, "tie_z_user", "same timestamp: the first appended comes first");
        is_str(page[1].id, "tie_a_bot", "same timestamp: the answer follows its question");
    } else {
        ok(0, "history of the tie conversation");
    }
    messages_free(page, n);
    message_free(&pair[0]);
    message_free(&pair[1]);
}

static int drop_first_routine(struct customer *c, void *arg, struct sb_err *err)
{
    (void)arg;
    if (c->n_routines == 0)
        return sb_err_set(err, SB_ENOTFOUND, "no routine");
    routine_free(&c->routines[0]);
    memmove(&c->routines[0], &c->routines[1], (c->n_routines - 1) * sizeof *c->routines);
    c->n_routines--;
    return SB_OK;
}

/* The scheduler's claim: advance next_run only if it still is the run we saw. */
static int claim_run(struct customer *c, void *arg, struct sb_err *err)
{
    struct routine *r = customer_find_routine(c, "claimed");
    if (!r || !r->next_run || strcmp(r->next_run, arg) != 0)
        return sb_err_set(err, SB_ECONFLICT, "already claimed");
    free(r->next_run);
    r->next_run = strdup("2030-01-02T00:00:00.000Z");
    return r->next_run ? SB_OK : sb_err_set(err, SB_EINTERNAL, "out of memory");
}

/* The scheduler's list: cust_003 is in it, with its routines, when it has
 * some; on SQLite (which reads only those) no customer without routines is. */
static void routine_customers_listed(struct store *st, bool has_routines)
{
    struct customer *cs = NULL;
    size_t n = 0;
    struct sb_err err = {0};
    bool with = false, without = false;
    if (!ok(store_list_routine_customers(st, &cs, &n, &err) == SB_OK,
            "list the customers with routines"))
        return;
    for (size_t i = 0; i < n; i++) {
        if (cs[i].n_routines == 0)
            without = true;
        else if (strcmp(cs[i].id, "cust_003") == 0)
            with = true;
    }
    ok(with == has_routines, "cust_003 is listed with routines: %s", has_routines ? "yes" : "no");
    if (store_fixture_db[0])
        ok(!without, "and no customer without routines is (SQLite)");
    customers_free(cs, n);
}

static void test_routines(struct store *st)
{
    static const char *const routines =
        "{\"timezone\":\"Europe/Berlin\",\"routines\":[{\"name\":\"wind down\",\"steps\":"
        "[\"turn off the lights\",\"set the office speaker to 15\"],\"schedule\":{\"time\":"
        "\"21:30\",\"days\":[\"mon\",\"fri\"]},\"next_run\":\"2030-01-01T20:30:00.000Z\","
        "\"last_run\":null,\"last_outcome\":null},{\"name\":\"claimed\",\"steps\":[\"x\"],"
        "\"schedule\":null,\"next_run\":\"2030-01-01T00:00:00.000Z\",\"last_run\":null,"
        "\"last_outcome\":null}]}";
    struct customer c = {0}, got = {0};
    struct model_problems p = {0};
    struct sb_err err = {0};
    json_object *o = NULL, *back = NULL;
    if (store_get_customer(st, "cust_003", &c, &err) != SB_OK ||
        jsonx_parse(routines, strlen(routines), &o, &err) != SB_OK ||
        customer_routines_from_json(o, "", &p, &c) != SB_OK) {
        ok(0, "routine fixture: %s", err.msg);
        goto out;
    }
    ok(store_put_customer(st, &c, &err) == SB_OK, "put a customer with routines and a time zone");
    if (ok(store_get_customer(st, "cust_003", &got, &err) == SB_OK, "read it back")) {
        back = json_object_new_object();
        customer_routines_to_json(&got, back);
        is_str(jsonx_string(back, NULL), jsonx_string(o, NULL),
               "routines and time zone round-trip through the store");
        is_int(got.n_devices, c.n_devices, "the devices are still there");
    }
    customer_free(&got);
    routine_customers_listed(st, true);
    ok(store_update_customer(st, "cust_003", drop_first_routine, NULL, &got, &err) == SB_OK &&
           got.n_routines == 1,
       "an update changes the routines atomically");
    customer_free(&got);
    /* two processes race for one due run: exactly one claims it */
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = fork()) == 0) {
            struct store *mine = store_fixture_open();
            struct sb_err e2 = {0};
            int rc = mine ? store_update_customer(mine, "cust_003", claim_run,
                                                  "2030-01-01T00:00:00.000Z", NULL, &e2)
                          : SB_EINTERNAL;
            store_close(mine);
            _exit(rc == SB_OK ? 0 : rc == SB_ECONFLICT ? 1 : 2);
        }
    }
    int claimed = 0, lost = 0;
    for (int k = 0; k < 2; k++) {
        int status = 0;
        waitpid(kids[k], &status, 0);
        claimed += WIFEXITED(status) && WEXITSTATUS(status) == 0;
        lost += WIFEXITED(status) && WEXITSTATUS(status) == 1;
    }
    ok(claimed == 1 && lost == 1, "two processes claiming one run: one wins, one sees it taken");
    /* a put without routines replaces them too */
    routines_free(c.routines, c.n_routines);
    c.routines = NULL;
    c.n_routines = 0;
    free(c.timezone);
    c.timezone = NULL;
    ok(store_put_customer(st, &c, &err) == SB_OK, "put the customer without routines");
    if (store_get_customer(st, "cust_003", &got, &err) == SB_OK) {
        ok(got.n_routines == 0, "put replaces the routines");
        is_str(got.timezone ? got.timezone : "UTC", "UTC", "and the time zone is UTC again");
    }
    routine_customers_listed(st, false);
out:
    customer_free(&got);
    customer_free(&c);
    model_problems_free(&p);
    json_object_put(o);
    json_object_put(back);
}

/* store_get_customer_shared: the record a copying read gives, shared; a
 * memo stays with its record (and only one is kept), and a write by
 * another handle (another instance) is read as a new record without it,
 * while the one held meanwhile stays as it was. */
static void test_shared(struct store *st)
{
    const struct store_customer *a = NULL, *b = NULL;
    struct customer c = {0};
    struct sb_err err = {0};
    size_t len = 0;
    is_int(store_get_customer_shared(st, "cust_404", &a, &err), SB_ENOTFOUND,
           "a shared read of an unknown customer is not found");
    ok(!a, "and hands out nothing");
    if (!ok(store_get_customer_shared(st, "cust_001", &a, &err) == SB_OK &&
                store_get_customer(st, "cust_001", &c, &err) == SB_OK && c.n_devices > 0,
            "a shared read and a copying read")) {
        store_customer_release(a);
        return;
    }
    ok(strcmp(a->c.name, c.name) == 0 && a->c.n_devices == c.n_devices &&
           a->c.version == c.version && a->c.devices[0].volume == c.devices[0].volume,
       "read the same record");
    ok(!store_customer_memo(a, STORE_MEMO_DEVICES, &len), "a record read first has no memo");
    len = 3;
    const char *m = store_customer_memo_set(a, STORE_MEMO_DEVICES, strdup("one"), &len);
    ok(m && strcmp(m, "one") == 0 && len == 3, "a memo is kept");
    len = 3;
    m = store_customer_memo_set(a, STORE_MEMO_DEVICES, strdup("two"), &len);
    ok(m && strcmp(m, "one") == 0, "and the first one set stands");
    is_int(store_get_customer_shared(st, "cust_001", &b, &err), SB_OK, "the unchanged row again");
    m = b ? store_customer_memo(b, STORE_MEMO_DEVICES, &len) : NULL;
    ok(b && (!m || strcmp(m, "one") == 0), "its memo, if any, is the first read's");
    store_customer_release(b);
    int before = c.devices[0].volume;
    c.devices[0].volume = (before + 7) % 100;
    struct store *other = store_fixture_open();
    is_int(other ? store_put_customer(other, &c, &err) : SB_EUNAVAIL, SB_OK,
           "another handle writes a new volume");
    b = NULL;
    ok(store_get_customer_shared(st, "cust_001", &b, &err) == SB_OK &&
           b->c.devices[0].volume == c.devices[0].volume &&
           !store_customer_memo(b, STORE_MEMO_DEVICES, &len),
       "the next shared read is the written record, without the memo");
    ok(a->c.devices[0].volume == before &&
           strcmp(store_customer_memo(a, STORE_MEMO_DEVICES, &len), "one") == 0,
       "the record held meanwhile is unchanged, memo included");
    store_customer_release(a);
    store_customer_release(b);
    store_close(other);
    customer_free(&c);
}

int main(void)
{
    const char *kind = store_fixture_setup("conformance");
    tap_diag("backend %s", kind);
    struct store *st = store_fixture_ready();
    if (!st)
        return tap_done();
    test_reads(st);
    test_updates(st);
    test_concurrency(st);
    test_messages(st);
    test_pairs(st);
    test_group_commit(st);
    test_connections(st);
    test_tokens(st);
    test_routines(st);
    test_token_lifecycle(st);
    test_retention(st);
    test_durability();
    test_shared(st);
    if (strcmp(kind, "sqlite") == 0) {
        test_same_millisecond(st);
    }
    store_close(st);
    store_fixture_cleanup();
    return tap_done();
}
