/* Unit tests for the server's parts below the network: SHA-256 (token
 * hashes), the Prometheus rendering of metrics, the session roster and the
 * token lookup with its cache (on real SQLite stores). */
#include <json-c/json.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "server/auth.h"
#include "server/metrics.h"
#include "server/roster.h"
#include "server/sha256.h"
#include "tap.h"

static void test_sha256(void)
{
    static const struct {
        const char *in, *hex;
    } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char hex[SHA256_HEX_LEN];
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        sha256_hex(vectors[i].in, strlen(vectors[i].in), hex);
        is_str(hex, vectors[i].hex, "sha256 of a FIPS 180-2 test vector");
    }
    /* Lengths around the padding boundary (55, 56, 64 bytes) and a million 'a's. */
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    sha256_hex(a, 1000000, hex);
    is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
           "sha256 of a million 'a'");
    sha256_hex(a, 56, hex);
    is_str(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
           "sha256 of 56 'a' (two padding blocks)");
    free(a);
}

static void test_metrics(void)
{
    struct metrics *m = metrics_new();
    metrics_http(m, "/api/customers/{id}", "GET", 200, 0.0004);
    metrics_http(m, "/api/customers/{id}", "GET", 200, 0.2);
    metrics_http(m, "/api/chat", "POST", 400, 0.003);
    json_object *result = json_tokener_parse(
        "{\"outcome\":\"denied\",\"steps\":[{\"action\":\"song_changes\",\"status\":\"denied\","
        "\"denial\":{\"action\":\"song_changes\",\"currentLevel\":\"basic\"}}]}");
    metrics_chat(m, result);
    json_object_put(result);
    metrics_ws_connections(m, 3);
    size_t len = 0;
    char *text = metrics_render(m, &len);
    ok(text && strlen(text) == len, "metrics render to a string of the stated length");
    ok(strstr(text, "servicebot_http_requests_total{route=\"/api/customers/{id}\",method=\"GET\","
                    "status=\"200\"} 2\n") != NULL,
       "requests are counted by route, method and status");
    ok(strstr(text, "servicebot_http_request_duration_seconds_bucket{le=\"0.0005\"} 1\n") != NULL,
       "the fastest bucket holds one request");
    ok(strstr(text, "servicebot_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n") != NULL,
       "the +Inf bucket holds all requests");
    ok(strstr(text, "servicebot_chat_replies_total{outcome=\"denied\"} 1\n") != NULL,
       "chat outcomes are counted");
    ok(strstr(text, "servicebot_denials_total{action=\"song_changes\",level=\"basic\"} 1\n") !=
           NULL,
       "denials are counted by action and level");
    ok(strstr(text, "servicebot_ws_connections 3\n") != NULL, "open connections are a gauge");
    free(text);
    metrics_http(m, "a\"b\\c", "GET", 200, 0.1);
    text = metrics_render(m, &len);
    ok(strstr(text, "route=\"a\\\"b\\\\c\"") != NULL, "label values are escaped");
    free(text);
    metrics_free(m);
}

/* How many entries roster walks for key. */
static int count(struct roster *r, const char *key)
{
    int n = 0;
    for (struct roster_entry *e = roster_first(r, key); e; e = roster_next(e))
        n++;
    return n;
}

static void test_roster(void)
{
    struct roster *r = roster_new();
    struct roster_entry e[2000];
    char keys[2000][16];
    for (int i = 0; i < 2000; i++) {
        snprintf(keys[i], sizeof(keys[i]), "cust_%d", i % 700);
        roster_add(r, &e[i], keys[i]);
    }
    is_int(count(r, "cust_5"), 3, "three sessions of one customer are found");
    is_int(count(r, "cust_699"), 2, "two of another (colliding buckets do not mix customers)");
    is_int(count(r, "cust_700"), 0, "an unknown customer has none");
    roster_remove(r, &e[5]);
    roster_remove(r, &e[1405]);
    is_int(count(r, "cust_5"), 1, "removing two leaves one");
    for (int i = 0; i < 2000; i++)
        if (i != 5 && i != 1405)
            roster_remove(r, &e[i]);
    int left = 0;
    for (int i = 0; i < 700; i++)
        left += count(r, keys[i]);
    is_int(left, 0, "removing all leaves the roster empty");
    roster_free(r);
}

/* A fresh SQLite store in a temporary file. */
static struct store *temp_store(char *path, size_t n)
{
    static int serial;
    snprintf(path, n, "/tmp/server_test.%ld.%d.db", (long)getpid(), ++serial);
    struct store_options opt = {.kind = "sqlite", .path = path};
    struct store *st = NULL;
    struct sb_err err = {0};
    if (store_open(&opt, &st, &err) != SB_OK)
        tap_diag("store_open: %s", err.msg);
    return st;
}

static void remove_db(const char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static void test_auth(void)
{
    char path1[256], path2[256], token[AUTH_TOKEN_LEN], admin[AUTH_TOKEN_LEN];
    struct sb_err err = {0};
    struct store *st = temp_store(path1, sizeof(path1));
    struct store *empty = temp_store(path2, sizeof(path2));
    struct auth_cache *cache = auth_cache_new(0);
    struct auth_identity who = {0};
    ok(st && empty && cache, "a store and a cache");
    is_int(auth_create_token(st, "cust_001", 0, token, sizeof(token), NULL, &err), SB_OK,
           "a customer token is made");
    is_int(auth_create_token(st, NULL, 0, admin, sizeof(admin), NULL, &err), SB_OK,
           "an admin token is made");
    is_int(auth_lookup(cache, st, token, &who, &err), SB_OK, "the customer token is found");
    is_str(who.customer_id, "cust_001", "as its customer");
    auth_identity_free(&who);
    is_int(auth_lookup(cache, empty, token, &who, &err), SB_OK,
           "a second lookup is answered by the cache");
    is_str(who.customer_id, "cust_001", "with the same customer");
    auth_identity_free(&who);
    is_int(auth_lookup(NULL, empty, token, &who, &err), SB_EAUTH,
           "without the cache the other store does not know it");
    is_int(auth_lookup(cache, st, admin, &who, &err), SB_OK, "the admin token is found");
    ok(who.admin && !who.customer_id, "as admin");
    auth_identity_free(&who);
    is_int(auth_lookup(cache, st, "sbt_nope", &who, &err), SB_EAUTH, "an unknown token is refused");
    is_int(auth_lookup(cache, st, "", &who, &err), SB_EAUTH, "an empty token is refused");
    ok(auth_bearer("Bearer abc") && strcmp(auth_bearer("bearer  abc"), "abc") == 0,
       "the bearer scheme is case-insensitive");
    ok(!auth_bearer("Basic abc") && !auth_bearer("Bearer "),
       "other schemes and empty tokens are not");
    auth_cache_free(cache);
    store_close(st);
    store_close(empty);
    remove_db(path1);
    remove_db(path2);
}

int main(void)
{
    test_sha256();
    test_metrics();
    test_roster();
    test_auth();
    return tap_done();
}
