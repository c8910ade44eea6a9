/* DynamoDB's JSON API over libcurl: SigV4 signing (CURLOPT_AWS_SIGV4),
 * a locked pool of easy handles so that each thread reuses a keep-alive
 * connection, retries with exponential backoff and jitter, and the mapping
 * of DynamoDB errors to sb_status codes. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "common/jsonx.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

#define DDB_ATTEMPTS           5
#define DDB_BACKOFF_BASE_MS    25
#define DDB_BACKOFF_CAP_MS     800
#define DDB_CONNECT_TIMEOUT_MS 2000L
#define DDB_TIMEOUT_MS         10000L
#define DDB_RESPONSE_MAX       (16u << 20)

struct pooled {
    CURL *curl;
    struct pooled *next;
};

struct ddb_http {
    char *url;
    char *sigv4; /* "aws:amz:REGION:dynamodb" */
    char *key_id;
    char *secret;
    char *token_hdr; /* "X-Amz-Security-Token: ..." or NULL */
    pthread_mutex_t lock;
    struct pooled *idle;
};

struct buf {
    char *data;
    size_t len;
    bool too_big;
};

/* What one attempt produced, before deciding whether to retry. */
struct attempt {
    CURLcode cc;
    long status;
    struct buf body;
    char type[96]; /* exception name after '#' */
    char message[320];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int ddb_http_new(const char *endpoint, const char *region, struct ddb_http **out,
                 struct sb_err *err)
{
    int rc = SB_EINTERNAL;
    struct ddb_http *h = xcalloc(1, sizeof *h);
    const char *key = getenv("AWS_ACCESS_KEY_ID");
    const char *secret = getenv("AWS_SECRET_ACCESS_KEY");
    const char *token = getenv("AWS_SESSION_TOKEN");

    pthread_once(&curl_once, curl_init_once);
    pthread_mutex_init(&h->lock, NULL);
    if (!key || !*key || !secret || !*secret) {
        /* Local servers (dynalite) do not check signatures; AWS itself does. */
        if (!endpoint) {
            rc = sb_err_set(err, SB_EAUTH,
                            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                            "(or give --dynamodb-endpoint for a local server)");
            goto out;
        }
        key = "local";
        secret = "local";
    }
    if (endpoint) {
        size_t n = strlen(endpoint);
        h->url = xasprintf("%s%s", endpoint, n && endpoint[n - 1] == '/' ? "" : "/");
    } else {
        h->url = xasprintf("https://dynamodb.%s.amazonaws.com/", region);
    }
    h->sigv4 = xasprintf("aws:amz:%s:dynamodb", region);
    h->key_id = xstrdup(key);
    h->secret = xstrdup(secret);
    if (token && *token)
        h->token_hdr = xasprintf("X-Amz-Security-Token: %s", token);
    *out = h;
    h = NULL;
    rc = SB_OK;
out:
    ddb_http_free(h);
    return rc;
}

void ddb_http_free(struct ddb_http *h)
{
    if (!h)
        return;
    while (h->idle) {
        struct pooled *p = h->idle;
        h->idle = p->next;
        curl_easy_cleanup(p->curl);
        free(p);
    }
    pthread_mutex_destroy(&h->lock);
    free(h->url);
    free(h->sigv4);
    free(h->key_id);
    free(h->secret);
    free(h->token_hdr);
    free(h);
}

/* Takes an idle handle (keeping its open connection) or makes a new one. */
static struct pooled *pool_get(struct ddb_http *h)
{
    struct pooled *p;

    pthread_mutex_lock(&h->lock);
    p = h->idle;
    if (p)
        h->idle = p->next;
    pthread_mutex_unlock(&h->lock);
    if (p)
        return p;
    p = xcalloc(1, sizeof *p);
    if (!(p->curl = curl_easy_init())) {
        free(p);
        p = NULL;
    }
    return p;
}

static void pool_put(struct ddb_http *h, struct pooled *p)
{
    pthread_mutex_lock(&h->lock);
    p->next = h->idle;
    h->idle = p;
    pthread_mutex_unlock(&h->lock);
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct buf *b = userdata;
    size_t n = size * nmemb;

    if (b->len + n > DDB_RESPONSE_MAX) {
        b->too_big = true;
        return 0;
    }
    b->data = xrealloc(b->data, b->len + n + 1);
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

void ddb_backoff(int attempt, int base_ms, int cap_ms)
{
    unsigned int r = 0;
    long long span = (long long)base_ms << (attempt < 16 ? attempt : 16);
    struct timespec ts;

    if (span > cap_ms)
        span = cap_ms;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        r = (unsigned int)rand();
    /* "Full jitter": anywhere in [span/4, span), so contenders spread out. */
    span = span / 4 + (long long)(r % (unsigned int)(span - span / 4 + 1));
    ts.tv_sec = span / 1000;
    ts.tv_nsec = (span % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* Pulls __type and message out of an error body. */
static void parse_error(struct attempt *a)
{
    json_object *o = NULL;
    struct sb_err ignored;
    const char *type, *msg;

    if (!a->body.data || jsonx_parse(a->body.data, a->body.len, &o, &ignored) != SB_OK)
        return;
    type = jsonx_get_string(o, "__type");
    msg = jsonx_get_string(o, "message");
    if (!msg)
        msg = jsonx_get_string(o, "Message");
    if (type) {
        const char *hash = strrchr(type, '#');
        snprintf(a->type, sizeof a->type, "%s", hash ? hash + 1 : type);
    }
    if (msg)
        snprintf(a->message, sizeof a->message, "%s", msg);
    json_object_put(o);
}

/* curl_slist_append fails only for want of memory. */
static struct curl_slist *header(struct curl_slist *hdrs, const char *line)
{
    struct curl_slist *grown = curl_slist_append(hdrs, line);
    if (!grown)
        xalloc_die(strlen(line) + 1);
    return grown;
}

/* curl copies string options, and that copy is all that can fail here. */
static void set_string(CURL *c, CURLoption opt, const char *value)
{
    if (curl_easy_setopt(c, opt, value) == CURLE_OUT_OF_MEMORY)
        xalloc_die(strlen(value) + 1);
}

static void perform(struct ddb_http *h, CURL *c, const char *op, const char *body, size_t len,
                    struct attempt *a)
{
    char target[96];
    struct curl_slist *hdrs = NULL;

    snprintf(target, sizeof target, "X-Amz-Target: DynamoDB_20120810.%s", op);
    /* curl 7.88 signs every header in this list, so the token header is signed too. */
    hdrs = header(hdrs, "Content-Type: application/x-amz-json-1.0");
    hdrs = header(hdrs, target);
    if (h->token_hdr)
        hdrs = header(hdrs, h->token_hdr);
    curl_easy_reset(c);
    set_string(c, CURLOPT_URL, h->url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    set_string(c, CURLOPT_AWS_SIGV4, h->sigv4);
    set_string(c, CURLOPT_USERNAME, h->key_id);
    set_string(c, CURLOPT_PASSWORD, h->secret);
    /* The payload hash is taken from POSTFIELDS only (a read callback signs an empty body). */
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, DDB_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, DDB_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a->body);
    a->cc = curl_easy_perform(c);
    /* curl's allocation failed: the tree's out-of-memory policy, not "unreachable" */
    if (a->cc == CURLE_OUT_OF_MEMORY)
        xalloc_die(0);
    if (a->cc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hdrs);
    if (a->cc == CURLE_OK && a->status != 200)
        parse_error(a);
}

static bool type_is(const struct attempt *a, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(a->type, *names) == 0)
            return true;
    return false;
}

static const char *const retryable_types[] = {
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "LimitExceededException",
    NULL,
};
static const char *const auth_types[] = {
    "UnrecognizedClientException", "InvalidSignatureException",
    "MissingAuthenticationToken",  "MissingAuthenticationTokenException",
    "AccessDeniedException",       "ExpiredTokenException",
    "IncompleteSignature",         "InvalidClientTokenId",
    "SignatureDoesNotMatch",       NULL,
};

static bool retryable(const struct attempt *a)
{
    if (a->cc != CURLE_OK)
        return !a->body.too_big;
    return a->status >= 500 || type_is(a, retryable_types);
}

/* Turns a final attempt into a status and message. */
static int attempt_status(struct ddb_http *h, const char *op, json_object *req,
                          const struct attempt *a, int tries, struct sb_err *err)
{
    const char *table = jsonx_get_string(req, "TableName");

    if (a->cc != CURLE_OK)
        return sb_err_set(err, SB_EUNAVAIL, "DynamoDB at %s is unreachable: %s (%d attempts)",
                          h->url, curl_easy_strerror(a->cc), tries);
    if (a->status >= 500)
        return sb_err_set(err, SB_EUNAVAIL, "DynamoDB %s failed with HTTP %ld (%d attempts)%s%s",
                          op, a->status, tries, *a->message ? ": " : "", a->message);
    if (type_is(a, retryable_types))
        return sb_err_set(err, SB_EUNAVAIL, "DynamoDB is throttling requests (%s, %d attempts)",
                          a->type, tries);
    if (strcmp(a->type, "ConditionalCheckFailedException") == 0)
        return sb_err_set(err, SB_ECONFLICT, "the record was changed concurrently");
    if (strcmp(a->type, "ResourceNotFoundException") == 0)
        return sb_err_set(err, SB_ENOTFOUND, "table %s does not exist: run servicebotd migrate",
                          table ? table : "?");
    if (type_is(a, auth_types))
        return sb_err_set(err, SB_EAUTH, "DynamoDB rejected the credentials (%s)%s%s", a->type,
                          *a->message ? ": " : "", a->message);
    if (strcmp(a->type, "ValidationException") == 0)
        return sb_err_set(err, SB_EINVAL, "DynamoDB %s refused the request: %s", op, a->message);
    return sb_err_set(err, SB_EINTERNAL, "DynamoDB %s failed: HTTP %ld %s%s%s", op, a->status,
                      *a->type ? a->type : "(no error type)", *a->message ? ": " : "", a->message);
}

int ddb_call(struct ddb_http *h, const char *op, json_object *req, json_object **resp,
             struct sb_err *err)
{
    int rc = SB_EINTERNAL, tries;
    size_t len = 0;
    const char *body = jsonx_string(req, &len);
    struct pooled *p = pool_get(h);
    struct attempt a;

    memset(&a, 0, sizeof a);
    if (!p)
        return sb_err_set(err, SB_EINTERNAL, "cannot create a curl handle");
    for (tries = 1;; tries++) {
        free(a.body.data);
        memset(&a, 0, sizeof a);
        perform(h, p->curl, op, body, len, &a);
        if (a.cc == CURLE_OK && a.status == 200)
            break;
        if (tries >= DDB_ATTEMPTS || !retryable(&a)) {
            rc = attempt_status(h, op, req, &a, tries, err);
            goto out;
        }
        log_kv(LOG_DEBUG, "dynamodb retry", "op", op, "error",
               a.cc != CURLE_OK ? curl_easy_strerror(a.cc) : a.type, NULL);
        ddb_backoff(tries - 1, DDB_BACKOFF_BASE_MS, DDB_BACKOFF_CAP_MS);
    }
    if (resp) {
        if (jsonx_parse(a.body.data ? a.body.data : "", a.body.len, resp, err) != SB_OK) {
            rc = sb_err_set(err, SB_EUNAVAIL, "DynamoDB %s sent an unreadable answer", op);
            goto out;
        }
    }
    rc = SB_OK;
out:
    free(a.body.data);
    pool_put(h, p);
    return rc;
}
