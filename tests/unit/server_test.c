/* Unit tests for the server's parts below the network: SHA-256 (token
 * hashes), the Prometheus rendering of metrics, the session roster, the
 * token lookup with its cache (on real SQLite stores), expiry and
 * revocation, the rate limiter and the storage watermark. */
#include <json-c/json.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "server/auth.h"
#include "server/metrics.h"
#include "server/ratelimit.h"
#include "server/request.h"
#include "server/watermark.h"
#include "common/util.h"
#include "server/roster.h"
#include "server/sha256.h"
#include "tap.h"

/* Whether s begins with prefix. */
#define starts(s, prefix) (strncmp((s), (prefix), strlen(prefix)) == 0)

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

/* Expiry, revocation through the cache, lifetimes. */
static void test_token_life(void)
{
    char path[256], token[AUTH_TOKEN_LEN], old[AUTH_TOKEN_LEN], id[UTIL_ID_LEN];
    struct sb_err err = {0};
    struct store *st = temp_store(path, sizeof(path));
    struct auth_cache *cache = auth_cache_new(3600);
    struct auth_identity who = {0};
    ok(st && cache, "a store and an hour-long cache");
    is_int(auth_create_token(st, "cust_001", util_now_ms() - 1000, old, sizeof(old), NULL, &err),
           SB_OK, "a token that expired a second ago is made");
    is_int(auth_lookup(cache, st, old, &who, &err), SB_EAUTH, "it is refused");
    ok(strstr(err.msg, "this token expired at ") == err.msg, "as expired (%s)", err.msg);
    is_int(auth_create_token(st, "cust_001", 0, token, sizeof(token), id, &err), SB_OK,
           "a token is made");
    ok(starts(id, "tok_"), "with its id");
    is_int(auth_lookup(cache, st, token, &who, &err), SB_OK, "it works");
    auth_identity_free(&who);
    is_int(store_revoke_token(st, id, NULL, &err), SB_OK, "it is revoked in the store");
    is_int(auth_lookup(cache, st, token, &who, &err), SB_OK,
           "a cache that holds it lets it through until its period ends (the bound)");
    auth_identity_free(&who);
    is_int(auth_lookup(NULL, st, token, &who, &err), SB_EAUTH, "a fresh lookup refuses it");
    struct token_info t = {0};
    is_int(auth_create_token(st, NULL, 0, token, sizeof(token), id, &err), SB_OK, "an admin token");
    is_int(auth_lookup(NULL, st, token, &who, &err), SB_OK, "looked up");
    ok(store_find_token(st, who.hash, &t, &err) == SB_OK && t.last_used, "records its last use");
    token_info_free(&t);
    is_int((long)auth_parse_lifetime("30d"), 30 * 86400, "30d is a lifetime");
    is_int((long)auth_parse_lifetime("90m"), 5400, "90m too");
    is_int((long)auth_parse_lifetime("45"), 45, "a bare number is seconds");
    ok(auth_parse_lifetime("3x") < 0 && auth_parse_lifetime("-1d") < 0 &&
           auth_parse_lifetime("0s") < 0 && auth_parse_lifetime("20000d") < 0 &&
           auth_parse_lifetime("") < 0,
       "unknown units, negatives, zero and beyond ten years are not");
    auth_cache_free(cache);
    store_close(st);
    remove_db(path);
}

static void test_ratelimit(void)
{
    struct rl_options o;
    ratelimit_defaults(&o);
    o.rule[RL_CHAT] = (struct rl_rule){0.001, 3};
    struct ratelimit *rl = ratelimit_new(&o);
    char msg[200];
    int retry = 0, allowed = 0;
    for (int i = 0; i < 5; i++)
        allowed += ratelimit_take(rl, "tok_a", false, RL_CHAT, &retry, msg, sizeof(msg));
    is_int(allowed, 3, "a bucket of 3 lets 3 through");
    ok(retry >= 999 && retry <= 1000, "then says when one more comes (%d s at 0.001/s)", retry);
    ok(starts(msg, "too many chat requests from this token"), "with a sentence");
    ok(ratelimit_take(rl, "tok_b", false, RL_CHAT, &retry, msg, sizeof(msg)),
       "another token has its own bucket");
    ok(ratelimit_take(rl, "tok_a", false, RL_WRITE, &retry, msg, sizeof(msg)),
       "and writes have their own");
    ok(ratelimit_take(rl, "tok_a", true, RL_CHAT, &retry, msg, sizeof(msg)),
       "admin tokens are not limited");
    ratelimit_free(rl);
    o.limit_admin = true;
    o.rule[RL_CHAT].burst = 1;
    rl = ratelimit_new(&o);
    ok(ratelimit_take(rl, "adm", true, RL_CHAT, &retry, msg, sizeof(msg)) &&
           !ratelimit_take(rl, "adm", true, RL_CHAT, &retry, msg, sizeof(msg)),
       "unless limit_admin");
    ratelimit_free(rl);
    is_int(ratelimit_kind(HTTP_POST, "/api/chat"), RL_CHAT, "POST /api/chat is chat");
    is_int(ratelimit_kind(HTTP_PATCH, "/api/customers/{id}/devices/{deviceId}"), RL_WRITE,
           "a PATCH is a write");
    is_int(ratelimit_kind(HTTP_GET, "/api/customers"), RL_NONE, "a GET is not limited");
}

static void test_watermark(void)
{
    char path[256], msg[240];
    struct store *st = temp_store(path, sizeof(path));
    struct watermark_options full = {.max_store_bytes = 1}, disk = {.min_free_bytes = INT64_MAX},
                             off = {0};
    struct watermark *w = watermark_new(&full);
    ok(!watermark_allows(w, st, msg, sizeof(msg)), "a store over its size limit refuses chats");
    ok(starts(msg, "the store is full"), "saying so");
    watermark_free(w);
    w = watermark_new(&disk);
    ok(!watermark_allows(w, st, msg, sizeof(msg)), "so does a disk below the floor");
    ok(starts(msg, "the store's disk is nearly full"), "saying so");
    watermark_free(w);
    w = watermark_new(&off);
    ok(watermark_allows(w, st, msg, sizeof(msg)), "with both off nothing is refused");
    watermark_free(w);
    is_int((long)watermark_parse_size("500M"), 500L << 20, "500M is a size");
    is_int((long)watermark_parse_size("2g"), 2L << 30, "2g too");
    is_int((long)watermark_parse_size("0"), 0, "0 is off");
    ok(watermark_parse_size("5Q") < 0 && watermark_parse_size("-1") < 0 &&
           watermark_parse_size("") < 0,
       "other units and negatives are not");
    store_close(st);
    remove_db(path);
}

int main(void)
{
    test_sha256();
    test_metrics();
    test_roster();
    test_auth();
    test_token_life();
    test_ratelimit();
    test_watermark();
    return tap_done();
}
