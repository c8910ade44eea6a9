/* What the conformance suite does not cover and only the DynamoDB backend
 * has: migrate, the missing-table, unreachable and no-credentials errors,
 * cross-instance change notices, and the reserved items (tokens, the
 * catalogue, inboxes) staying out of listings. Needs SB_TEST_DDB_ENDPOINT
 * (a dynalite started by dynamodb_backend.sh). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "store/store.h"
#include "tap.h"

static char env_name[64];

static struct store_options options(const char *env, const char *instance)
{
    struct store_options o = {
        .kind = "dynamodb",
        .env = env,
        .endpoint = getenv("SB_TEST_DDB_ENDPOINT"),
        .instance = instance,
    };
    return o;
}

static struct store *open_as(const char *instance)
{
    struct store_options o = options(env_name, instance);
    struct store *st = NULL;
    struct sb_err err = {0};

    if (store_open(&o, &st, &err) != SB_OK)
        tap_diag("store_open: %s", err.msg);
    return st;
}

static int customer_from_text(const char *text, struct customer *c)
{
    json_object *o = NULL;
    struct model_problems p = {0};
    struct sb_err err;
    int rc = jsonx_parse(text, strlen(text), &o, &err);

    memset(c, 0, sizeof *c);
    if (rc == SB_OK)
        rc = customer_from_json(o, "", &p, c);
    model_problems_free(&p);
    json_object_put(o);
    return rc;
}

static void test_missing_tables(void)
{
    struct store_options o = options("nosuchenv", "x");
    struct store *st = NULL;
    struct sb_err err = {0};

    is_int(store_open(&o, &st, &err), SB_ENOTFOUND, "a missing table is not found");
    ok(strstr(err.msg, "nosuchenv-") && strstr(err.msg, "does not exist") &&
           strstr(err.msg, "servicebotd migrate"),
       "the error names the table and says to run migrate");
    tap_diag("%s", err.msg);
}

static void test_bad_env(void)
{
    struct store_options o = options("dev/prod", "x");
    struct store *st = NULL;
    struct sb_err err = {0};

    is_int(store_open(&o, &st, &err), SB_EINVAL, "an env that cannot name a table is refused");
    ok(strstr(err.msg, "dev/prod") != NULL, "the error quotes it");
}

static void test_migrate(void)
{
    struct store_options o = options(env_name, NULL);
    struct store *st = NULL;
    struct sb_err err = {0};

    is_int(store_migrate(&o, &err), SB_OK, "migrate creates the tables");
    is_int(store_migrate(&o, &err), SB_OK, "migrate again is a no-op");
    if (ok(store_open(&o, &st, &err) == SB_OK, "the store opens after migrate")) {
        is_str(store_kind(st), "dynamodb", "kind is dynamodb");
        store_close(st);
    }
}

static void test_unreachable(void)
{
    struct store_options o = options(env_name, NULL);
    struct store *st = NULL;
    struct sb_err err = {0};

    o.endpoint = "http://127.0.0.1:9";
    is_int(store_open(&o, &st, &err), SB_EUNAVAIL, "an endpoint nobody listens on is unavailable");
    ok(strstr(err.msg, "unreachable") && strstr(err.msg, "127.0.0.1:9"),
       "the error names the endpoint");
    tap_diag("%s", err.msg);
}

static void test_no_credentials(void)
{
    struct store_options o = options(env_name, NULL);
    struct store *st = NULL;
    struct sb_err err = {0};
    char *key = getenv("AWS_ACCESS_KEY_ID") ? strdup(getenv("AWS_ACCESS_KEY_ID")) : NULL;

    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
    unsetenv("AWS_ENDPOINT_URL");
    o.endpoint = NULL; /* AWS itself */
    is_int(store_open(&o, &st, &err), SB_EAUTH, "AWS without credentials is an auth error");
    ok(strstr(err.msg, "AWS_ACCESS_KEY_ID") != NULL, "the error names the variable to set");
    if (key)
        setenv("AWS_ACCESS_KEY_ID", key, 1);
    free(key);
}

/* Against sigv4_check.py, which verifies every signature with the secret
 * it was started with (dynalite checks none). */
static void test_signing(const char *url)
{
    struct store_options o = options(env_name, NULL);
    struct store *st = NULL;
    struct sb_err err = {0};
    char *secret = strdup(getenv("AWS_SECRET_ACCESS_KEY"));

    o.endpoint = url;
    o.region = "eu-west-2";
    if (ok(store_open(&o, &st, &err) == SB_OK,
           "requests signed with SigV4 (region, key, session token, body hash) are accepted"))
        store_close(st);
    else
        tap_diag("%s", err.msg);
    setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret", 1);
    is_int(store_open(&o, &st, &err), SB_EAUTH, "a wrong secret is an auth error");
    ok(strstr(err.msg, "rejected the credentials") && strstr(err.msg, "InvalidSignature"),
       "the error says the credentials were rejected");
    tap_diag("%s", err.msg);
    setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
    o.region = "us-east-1";
    is_int(store_open(&o, &st, &err), SB_EAUTH, "a signature for another region is refused");
    free(secret);
}

static int add_one(struct device *d, const struct customer *c, void *arg, struct sb_err *err)
{
    d->volume++;
    return SB_OK;
}

/* An exchange adding one to dev_l's volume; counts its runs. */
static int exchange_add_one(struct customer *c, const char *state, struct store_exchange *ex,
                            void *arg, struct sb_err *err)
{
    static char ts[UTIL_TIMESTAMP_LEN];
    (*(int *)arg)++;
    c->devices[0].volume++;
    util_timestamp_now(ts, sizeof ts);
    ex->messages[0] = (struct message){"msg_u_lost", "conv_lost", "cust_lost", "up", "user", ts};
    ex->messages[1] = (struct message){"msg_b_lost", "conv_lost", "cust_lost", "Up.", "bot", ts};
    ex->state = "{\"devices\":[\"dev_l\"]}";
    return SB_OK;
}

/* Through lossy_proxy.py, which drops the answer to every conditional
 * PutItem after dynalite has carried it out: the retry meets our own write. */
static void test_lost_answers(const char *url)
{
    struct store *direct = open_as(NULL), *lossy = NULL;
    struct store_options o = options(env_name, NULL);
    struct customer c;
    struct device d;
    struct message m = {"msg_lost_1", "conv_lost", "cust_lost",
                        "hello",      "user",      "2026-11-24T10:00:00.000Z"};
    struct message got;
    struct sb_err err = {0};

    o.endpoint = url;
    if (!ok(direct && store_open(&o, &lossy, &err) == SB_OK, "open through the lossy proxy"))
        goto out;
    if (customer_from_text("{\"id\":\"cust_lost\",\"name\":\"L\",\"service_level\":\"basic\","
                           "\"devices\":[{\"id\":\"dev_l\",\"type\":\"SmartSpeaker\","
                           "\"location\":\"office\",\"state\":\"on\",\"volume\":10}]}",
                           &c) != SB_OK)
        goto out;
    store_put_customer(direct, &c, &err);
    customer_free(&c);
    if (ok(store_update_device(lossy, "cust_lost", "dev_l", add_one, NULL, &d, &err) == SB_OK,
           "an update whose answer was lost still succeeds")) {
        is_int(d.volume, 11, "and reports the committed record");
        device_free(&d);
    } else {
        tap_diag("%s", err.msg);
    }
    if (store_get_customer(direct, "cust_lost", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, 11, "the change was applied once, not once per retry");
        customer_free(&c);
    }
    is_int(store_append_messages(lossy, &m, 1, &err), SB_OK,
           "an append whose answer was lost still succeeds");
    if (ok(store_get_message(direct, "msg_lost_1", &got, &err) == SB_OK,
           "and the message is there"))
        message_free(&got);

    struct store_exchange_key key = {"cust_lost", "conv_lost", "msg_b_lost", false};
    int runs = 0;
    if (!ok(store_run_exchange(lossy, &key, exchange_add_one, &runs, &got, &err) == SB_OK,
            "an exchange whose customer write's answer was lost still succeeds"))
        tap_diag("%s", err.msg);
    ok(runs == 1 && !got.id, "... as a fresh exchange run once (its own write recognised)");
    message_free(&got);
    if (store_get_customer(direct, "cust_lost", &c, &err) == SB_OK) {
        is_int(c.devices[0].volume, 12, "... applied once");
        customer_free(&c);
    }
    ok(store_get_message(direct, "msg_b_lost", &got, &err) == SB_OK, "... with its messages");
    message_free(&got);
    ok(store_run_exchange(lossy, &key, exchange_add_one, &runs, &got, &err) == SB_OK && runs == 1 &&
           got.id,
       "the same exchange again is found, not run");
    message_free(&got);
out:
    if (lossy)
        store_close(lossy);
    if (direct)
        store_close(direct);
}

/* Through lossy_proxy.py in flaky mode (throttling and 500s before each
 * success) and throttle mode (never a success). */
static void test_retries(const char *flaky_url, const char *throttle_url)
{
    struct store_options o = options(env_name, NULL);
    struct store *st = NULL;
    struct customer c;
    struct device d;
    struct sb_err err = {0};

    o.endpoint = flaky_url;
    if (!ok(store_open(&o, &st, &err) == SB_OK, "open through throttling and 500s"))
        return;
    int before = -1;
    if (ok(store_get_customer(st, "cust_lost", &c, &err) == SB_OK, "reads are retried")) {
        before = c.devices[0].volume;
        customer_free(&c);
    }
    if (ok(store_update_device(st, "cust_lost", "dev_l", add_one, NULL, &d, &err) == SB_OK,
           "updates are retried")) {
        is_int(d.volume, before + 1, "and applied once");
        device_free(&d);
    }
    store_close(st);
    o.endpoint = throttle_url;
    is_int(store_open(&o, &st, &err), SB_EUNAVAIL, "throttled for good is unavailable");
    ok(strstr(err.msg, "throttl") != NULL, "the error says DynamoDB is throttling");
    tap_diag("%s", err.msg);
}

static void test_empty_keys(void)
{
    struct store *st = open_as(NULL);
    struct store_history_query q = {"cust_lost", "", NULL, 10};
    struct message *page = NULL;
    size_t n = 1;
    struct sb_err err = {0};

    if (!st)
        return;
    struct message m;
    struct customer c;

    ok(store_history(st, &q, &page, &n, &err) == SB_OK && n == 0,
       "history of an empty conversation id is empty, not an error");
    messages_free(page, n);
    is_int(store_get_message(st, "", &m, &err), SB_ENOTFOUND, "an empty message id is not found");
    is_int(store_get_customer(st, "", &c, &err), SB_ENOTFOUND, "an empty customer id is not found");
    is_int(store_delete_connection(st, "", &err), SB_OK,
           "deleting an empty connection id is a no-op");
    store_close(st);
}

static void put_connection(struct store *st, const char *id, const char *user, int64_t ttl,
                           const char *instance)
{
    struct connection c = {(char *)id, (char *)user, "2026-11-24T10:00:00.000Z", ttl,
                           (char *)instance};
    struct sb_err err = {0};

    if (store_put_connection(st, &c, &err) != SB_OK)
        tap_diag("put_connection: %s", err.msg);
}

/* One DynamoDB call straight to the endpoint (body without single quotes),
 * to set up what the store itself would never write. */
static int raw_call(const char *op, const char *body)
{
    char cmd[2048];

    snprintf(cmd, sizeof cmd,
             "curl -sf -o /dev/null -X POST '%s/' --aws-sigv4 aws:amz:us-east-1:dynamodb "
             "--user local:local -H 'X-Amz-Target: DynamoDB_20120810.%s' "
             "-H 'Content-Type: application/x-amz-json-1.0' --data-binary '%s'",
             getenv("SB_TEST_DDB_ENDPOINT"), op, body);
    return system(cmd);
}

/* Sets "seen" on an instance's inbox, as a crashed instance would have left it. */
static int set_inbox_seen(const char *instance, long long seen)
{
    char body[600];

    snprintf(body, sizeof body,
             "{\"TableName\":\"%s-connections\",\"Key\":{\"connectionId\":{\"S\":"
             "\"#inbox#%s\"}},\"UpdateExpression\":\"SET seen = :s\","
             "\"ExpressionAttributeValues\":{\":s\":{\"N\":\"%lld\"}}}",
             env_name, instance, seen);
    return raw_call("UpdateItem", body);
}

/* A stored customer that no longer validates (written around the store). */
static void test_corrupt(void)
{
    struct store *st = open_as(NULL);
    struct customer c, *list = NULL;
    size_t n = 0;
    struct sb_err err = {0};
    char body[800];

    if (!st)
        return;
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s-customers\",\"Item\":{\"id\":{\"S\":\"cust_bad\"},"
             "\"name\":{\"S\":\"B\"},\"service_level\":{\"S\":\"basic\"},"
             "\"version\":{\"N\":\"1\"},\"devices\":{\"L\":[{\"M\":{\"id\":{\"S\":\"d\"},"
             "\"type\":{\"S\":\"SmartSpeaker\"},\"location\":{\"S\":\"office\"},"
             "\"state\":{\"S\":\"on\"},\"volume\":{\"S\":\"loud\"}}}]}}}",
             env_name);
    if (ok(raw_call("PutItem", body) == 0, "a customer item with a bad volume is stored")) {
        is_int(store_get_customer(st, "cust_bad", &c, &err), SB_ECORRUPT,
               "a corrupt record is reported");
        ok(strstr(err.msg, "stored customer cust_bad is corrupt: devices[0].volume") != NULL,
           "the error names the record and the field");
        tap_diag("%s", err.msg);
        is_int(store_list_customers(st, &list, &n, &err), SB_ECORRUPT, "listing reports it too");
        if (ok(store_get_customer(st, "cust_lost", &c, &err) == SB_OK, "other records still read"))
            customer_free(&c);
        struct strlist skipped = {0};
        if (ok(store_list_customers_skipping(st, &list, &n, &skipped, &err) == SB_OK,
               "the list for people leaves it out")) {
            ok(skipped.len == 1 && strstr(skipped.items[0], "cust_bad"),
               "and names it among the skipped");
            customers_free(list, n);
        }
        strlist_free(&skipped);
        is_int(store_delete_customer(st, "cust_bad", &err), SB_OK,
               "a corrupt record can be deleted");
        is_int(store_get_customer(st, "cust_bad", &c, &err), SB_ENOTFOUND, "and is gone");
    }
    store_close(st);
}

/* A token item as stored before tokens had ids: it still works, and the
 * first listing gives it an id it keeps, so it can be revoked. */
static void test_legacy_token(void)
{
    struct store *st = open_as(NULL);
    struct token_info *list = NULL, t = {0};
    size_t n = 0;
    char body[400], *who = NULL, first[UTIL_ID_LEN] = "";
    struct sb_err err = {0};

    if (!st)
        return;
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s-customers\",\"Item\":{\"id\":{\"S\":\"#token#legacyhash\"},"
             "\"customerId\":{\"S\":\"cust_lost\"}}}",
             env_name);
    if (ok(raw_call("PutItem", body) == 0, "a token item without an id is stored")) {
        if (ok(store_get_token(st, "legacyhash", &who, &err) == SB_OK, "it still authenticates"))
            is_str(who, "cust_lost", "as its customer");
        free(who);
        for (int pass = 0; pass < 2; pass++) {
            if (store_list_tokens(st, &list, &n, &err) != SB_OK)
                break;
            for (size_t i = 0; i < n; i++)
                if (list[i].customer_id && !strcmp(list[i].customer_id, "cust_lost")) {
                    if (!pass)
                        snprintf(first, sizeof first, "%s", list[i].id);
                    else
                        is_str(list[i].id, first, "and keeps that id");
                }
            token_infos_free(list, n);
        }
        ok(!strncmp(first, "tok_", 4), "listing gives it an id (%s)", first);
        ok(store_revoke_token(st, first, &t, &err) == SB_OK, "by which it can be revoked");
        token_info_free(&t);
        is_int(store_get_token(st, "legacyhash", &who, &err), SB_ENOTFOUND, "and then it is gone");
    }
    store_close(st);
}

static size_t poll_count(struct store *st, const char *want)
{
    struct strlist ids = {0};
    struct sb_err err = {0};
    size_t n;

    if (store_poll_changes(st, &ids, &err) != SB_OK) {
        tap_diag("poll: %s", err.msg);
        return (size_t)-1;
    }
    n = ids.len;
    if (want && !strlist_contains(&ids, want))
        n = (size_t)-1;
    strlist_free(&ids);
    return n;
}

#define RACE_CUSTOMERS 60

struct publisher {
    struct store *st;
    int failures;
    int finished; /* set last, read with __atomic */
};

/* Publishes a change for each of cust_r0 .. cust_r59 (all connected to B). */
static void *publish_all(void *arg)
{
    struct publisher *p = arg;
    struct sb_err err;
    char id[32];

    for (int i = 0; i < RACE_CUSTOMERS; i++) {
        snprintf(id, sizeof id, "cust_r%d", i);
        p->failures += store_publish_change(p->st, id, &err) != SB_OK;
    }
    __atomic_store_n(&p->finished, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* B polls while A publishes: every notice arrives exactly once (a poll
 * deletes only what it read, so one published in between is kept). */
static void test_notice_race(struct store *a, struct store *b)
{
    struct publisher p = {a, 0, 0};
    struct strlist got = {0}, ids;
    struct sb_err err;
    pthread_t t;
    int64_t now = util_now_ms() / 1000;
    size_t dups = 0, i;
    bool done = false;
    char id[32], conn[48];

    for (int k = 0; k < RACE_CUSTOMERS; k++) {
        snprintf(id, sizeof id, "cust_r%d", k);
        snprintf(conn, sizeof conn, "conn_r%d", k);
        put_connection(b, conn, id, now + 3600, "inst-b");
    }
    if (pthread_create(&t, NULL, publish_all, &p) != 0)
        return;
    /* Poll until the publisher has finished and a later poll finds nothing. */
    for (int rounds = 0; rounds < 10000; rounds++) {
        bool finished = __atomic_load_n(&p.finished, __ATOMIC_ACQUIRE);
        memset(&ids, 0, sizeof ids);
        if (store_poll_changes(b, &ids, &err) != SB_OK)
            break;
        for (i = 0; i < ids.len; i++) {
            if (strlist_contains(&got, ids.items[i]))
                dups++;
            else
                strlist_push(&got, ids.items[i]);
        }
        done = finished && ids.len == 0;
        strlist_free(&ids);
        if (done)
            break;
    }
    pthread_join(t, NULL);
    ok(done, "polling ends once the publisher has finished");
    is_int(p.failures, 0, "every publish during the race succeeds");
    is_int((long long)got.len, RACE_CUSTOMERS, "B receives every notice published while it polls");
    is_int((long long)dups, 0, "and none twice");
    strlist_free(&got);
}

static void test_notices(void)
{
    struct store *a = open_as("inst-a"), *b = open_as("inst-b");
    struct sb_err err = {0};
    int64_t now = util_now_ms() / 1000;

    if (!ok(a && b, "two instances open the same tables"))
        goto out;
    put_connection(b, "conn_b1", "cust_n1", now + 3600, "inst-b");
    put_connection(b, "conn_b2", "cust_n1", now + 3600, "inst-b");
    put_connection(a, "conn_a1", "cust_n1", now + 3600, "inst-a");
    put_connection(b, "conn_old", "cust_n2", now - 5, "inst-b");
    is_int(poll_count(b, NULL), 0, "an empty inbox polls empty");
    is_int(store_publish_change(a, "cust_n1", &err), SB_OK, "A publishes a change of cust_n1");
    is_int(store_publish_change(a, "cust_n1", &err), SB_OK, "and again before B polls");
    is_int(poll_count(b, "cust_n1"), 1, "B is told once about cust_n1");
    is_int(poll_count(b, NULL), 0, "the notice was consumed");
    is_int(poll_count(a, NULL), 0, "A is not told about its own change");
    is_int(store_publish_change(a, "cust_n2", &err), SB_OK, "publish for an expired connection");
    is_int(poll_count(b, NULL), 0, "expired connections get no notices");
    is_int(store_publish_change(b, "cust_n1", &err), SB_OK, "B publishes");
    is_int(poll_count(a, "cust_n1"), 1, "A is told");
    is_int(poll_count(b, NULL), 0, "B is not told about its own change");
    test_notice_race(a, b);
    if (ok(set_inbox_seen("inst-b", 1000) == 0, "B's inbox looks abandoned long ago")) {
        is_int(store_publish_change(a, "cust_n1", &err), SB_OK, "publish to a gone instance");
        is_int(poll_count(b, NULL), 0, "an instance that stopped polling is not written to");
        set_inbox_seen("inst-b", util_now_ms() / 1000);
    }
    store_delete_connection(b, "conn_b1", &err);
    is_int(store_publish_change(a, "cust_n1", &err), SB_OK, "publish with one B connection left");
    is_int(poll_count(b, "cust_n1"), 1, "B, still holding conn_b2, is told");
    store_delete_connection(b, "conn_b2", &err);
    is_int(store_publish_change(a, "cust_n1", &err), SB_OK, "publish after B's clients left");
    is_int(poll_count(b, NULL), 0, "B, with no connection left, is not told");
out:
    if (a)
        store_close(a);
    if (b)
        store_close(b);
}

static int rename_customer(struct customer *c, void *arg, struct sb_err *err)
{
    free(c->id);
    c->id = strdup("cust_stolen");
    free(c->name);
    c->name = strdup(arg);
    return c->id && c->name ? SB_OK : SB_EINTERNAL;
}

static void test_reserved_and_keys(void)
{
    struct store *st = open_as(NULL);
    struct customer c, *list = NULL, got;
    size_t n = 0;
    struct sb_err err = {0};
    bool found_stolen = false;

    if (!ok(st != NULL, "open for key tests"))
        return;
    if (customer_from_text("{\"id\":\"cust_k1\",\"name\":\"K\",\"service_level\":\"basic\","
                           "\"devices\":[]}",
                           &c) == SB_OK) {
        is_int(store_put_customer(st, &c, &err), SB_OK, "put a customer");
        customer_free(&c);
    }
    store_put_token(st, "tokhash", "cust_k1", &err);
    store_put_token(st, "adminhash", NULL, &err);
    if (ok(store_list_customers(st, &list, &n, &err) == SB_OK, "list customers")) {
        bool reserved = false, mine = false;
        for (size_t i = 0; i < n; i++) {
            reserved |= list[i].id[0] == '#';
            mine |= strcmp(list[i].id, "cust_k1") == 0;
        }
        ok(mine && !reserved, "token items are not customers");
        customers_free(list, n);
    }
    is_int(store_get_customer(st, "#token#tokhash", &got, &err), SB_ENOTFOUND,
           "a reserved key is not a customer");
    if (customer_from_text("{\"id\":\"#evil\",\"name\":\"E\",\"service_level\":\"basic\","
                           "\"devices\":[]}",
                           &c) == SB_OK) {
        ok(store_put_customer(st, &c, &err) != SB_OK, "ids starting with '#' are refused");
        customer_free(&c);
    } else {
        ok(1, "# SKIP the model already refuses ids starting with '#'");
    }
    if (ok(store_update_customer(st, "cust_k1", rename_customer, "Renamed", &got, &err) == SB_OK,
           "an update that also changes the id")) {
        is_str(got.id, "cust_k1", "the committed record keeps its key");
        customer_free(&got);
    }
    if (store_list_customers(st, &list, &n, &err) == SB_OK) {
        for (size_t i = 0; i < n; i++)
            found_stolen |= strcmp(list[i].id, "cust_stolen") == 0;
        customers_free(list, n);
    }
    ok(!found_stolen, "the key is not fn's to change");
    if (store_get_customer(st, "cust_k1", &got, &err) == SB_OK) {
        is_str(got.name, "Renamed", "the rest of the update is kept");
        customer_free(&got);
    }
    store_close(st);
}

int main(void)
{
    char id[UTIL_ID_LEN];

    if (!getenv("SB_TEST_DDB_ENDPOINT")) {
        printf("1..0 # SKIP SB_TEST_DDB_ENDPOINT is not set\n");
        return 0;
    }
    util_new_id("", id, sizeof id);
    snprintf(env_name, sizeof env_name, "b%.12s", id);
    test_missing_tables();
    test_bad_env();
    test_migrate();
    test_unreachable();
    test_no_credentials();
    if (getenv("SB_TEST_SIGV4_URL") && getenv("AWS_SECRET_ACCESS_KEY"))
        test_signing(getenv("SB_TEST_SIGV4_URL"));
    test_notices();
    if (getenv("SB_TEST_LOSSY_URL"))
        test_lost_answers(getenv("SB_TEST_LOSSY_URL"));
    if (getenv("SB_TEST_LOSSY_URL") && getenv("SB_TEST_FLAKY_URL") &&
        getenv("SB_TEST_THROTTLE_URL"))
        test_retries(getenv("SB_TEST_FLAKY_URL"), getenv("SB_TEST_THROTTLE_URL"));
    test_reserved_and_keys();
    test_empty_keys();
    test_corrupt();
    test_legacy_token();
    return tap_done();
}
