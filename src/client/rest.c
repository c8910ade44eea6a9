#include "config.h"

#include "client/rest.h"

#include <ctype.h>
#include <stdbool.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"

#define REST_MAX_BODY (64L * 1024 * 1024)

struct buffer {
    char *data;
    size_t len, cap;
    bool too_large;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct buffer *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > (size_t)REST_MAX_BODY) {
        b->too_large = true;
        return 0;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

int rest_escape(const char *s, char *buf, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool plain = isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~';
        if (o + (plain ? 1 : 3) >= n)
            return -1;
        if (plain) {
            buf[o++] = (char)*p;
        } else {
            buf[o++] = '%';
            buf[o++] = hex[*p >> 4];
            buf[o++] = hex[*p & 15];
        }
    }
    if (o >= n)
        return -1;
    buf[o] = '\0';
    return 0;
}

/* TLS failures, in words that say what to do; false when code is not one. */
static bool tls_problem(const struct cli_ctx *ctx, CURLcode code, const char *detail, char *why,
                        size_t n)
{
    const char *d = detail && *detail ? detail : curl_easy_strerror(code);
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
        snprintf(why, n, "its TLS certificate is not trusted (%s); %s", d,
                 cli_untrusted_advice(ctx->cacert, strstr(d, "host name") != NULL));
        return true;
    case CURLE_SSL_CACERT_BADFILE:
        snprintf(why, n, "cannot use the CA file %s (%s)", ctx->cacert ? ctx->cacert : "", d);
        return true;
    case CURLE_SSL_CONNECT_ERROR:
        snprintf(why, n, "the TLS handshake failed (%s); does the server speak https://?", d);
        return true;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        if (strncmp(ctx->server, "http://", 7))
            return false;
        snprintf(why, n, "%s (an https:// server?)", d);
        return true;
    default:
        return false;
    }
}

/* Explains why the server could not be reached, in words a person knows. */
static int unreachable(const struct cli_ctx *ctx, CURL *curl, CURLcode code, const char *detail,
                       struct sb_err *err)
{
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    char why[600];
    if (tls_problem(ctx, code, detail, why, sizeof(why)))
        return sb_err_set(err, SB_EUNAVAIL, "cannot reach servicebotd at %s: %s", ctx->server, why);
    switch (code) {
    case CURLE_COULDNT_CONNECT:
        if (os_errno) {
            snprintf(why, sizeof(why), "%s", strerror((int)os_errno));
            why[0] = (char)tolower((unsigned char)why[0]);
        } else {
            snprintf(why, sizeof(why), "connection failed");
        }
        break;
    case CURLE_OPERATION_TIMEDOUT: {
        double connect_s = 0;
        curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME, &connect_s);
        if (connect_s > 0)
            snprintf(why, sizeof(why), "no answer within %.1f s (see --timeout)",
                     ctx->timeout_ms / 1000.0);
        else
            snprintf(why, sizeof(why), "connection timed out after %.1f s (see --connect-timeout)",
                     ctx->connect_timeout_ms / 1000.0);
        break;
    }
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(why, sizeof(why), "unknown host name");
        break;
    default:
        snprintf(why, sizeof(why), "%s", curl_easy_strerror(code));
        why[0] = (char)tolower((unsigned char)why[0]);
        break;
    }
    if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL)
        return sb_err_set(err, SB_EINVAL, "bad server URL %s: %s", ctx->server, why);
    return sb_err_set(err, SB_EUNAVAIL, "cannot reach servicebotd at %s: %s", ctx->server, why);
}

/* curl_slist_append fails only when out of memory: the policy of xalloc.h */
static struct curl_slist *add_header(struct curl_slist *h, const char *line)
{
    struct curl_slist *more = curl_slist_append(h, line);
    if (!more)
        xalloc_die(sizeof *more + strlen(line) + 1);
    return more;
}

static struct curl_slist *make_headers(const struct cli_ctx *ctx, bool has_body)
{
    struct curl_slist *h = add_header(NULL, "Accept: application/json");
    if (has_body)
        h = add_header(h, "Content-Type: application/json");
    if (ctx->token) {
        char *auth = xasprintf("Authorization: Bearer %s", ctx->token);
        h = add_header(h, auth);
        free(auth);
    }
    return h;
}

/* The full URL: the server without trailing slashes, then path. */
static char *make_url(const char *server, const char *path)
{
    size_t n = strlen(server);
    while (n > 0 && server[n - 1] == '/')
        n--;
    return xasprintf("%.*s%s", (int)n, server, path);
}

struct cancel_hook {
    int (*cancelled)(void *ud);
    void *ud;
};

static int on_progress(void *p, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const struct cancel_hook *h = p;
    return h->cancelled(h->ud);
}

int rest_request(const struct cli_ctx *ctx, const char *method, const char *path, json_object *body,
                 struct rest_response *out, struct sb_err *err)
{
    return rest_request_cancellable(ctx, method, path, body, NULL, NULL, out, err);
}

int rest_request_cancellable(const struct cli_ctx *ctx, const char *method, const char *path,
                             json_object *body, int (*cancelled)(void *ud), void *ud,
                             struct rest_response *out, struct sb_err *err)
{
    struct cancel_hook hook = {cancelled, ud};
    memset(out, 0, sizeof(*out));
    struct buffer buf = {0};
    struct curl_slist *headers = NULL;
    char detail[CURL_ERROR_SIZE] = "";
    char *url = make_url(ctx->server, path);
    CURL *curl = curl_easy_init();
    int rc = SB_EINTERNAL;
    headers = make_headers(ctx, body != NULL);
    if (!curl) {
        rc = sb_err_set(err, SB_EINTERNAL, "cannot start libcurl");
        goto out;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, ctx->connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, ctx->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    /* Verification stays on (curl's default); a private CA is added, never a bypass. */
    if (ctx->cacert)
        curl_easy_setopt(curl, CURLOPT_CAINFO, ctx->cacert);
    if (cancelled) {
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &hook);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    }
    if (body) {
        size_t len;
        const char *text = jsonx_string(body, &len);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
        curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, text);
    }
    int64_t started = util_monotonic_us();
    CURLcode code = curl_easy_perform(curl);
    if (buf.too_large) {
        rc = sb_err_set(err, SB_EINTERNAL, "the answer from %s is larger than %ld MB", url,
                        REST_MAX_BODY / (1024 * 1024));
        goto out;
    }
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        rc = sb_err_set(err, SB_EUNAVAIL, "cancelled");
        goto out;
    }
    if (code != CURLE_OK) {
        rc = unreachable(ctx, curl, code, detail, err);
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    if (ctx->verbose)
        fprintf(stderr, "%s: %s %s -> %ld (%zu bytes, %.1f ms)\n", ctx->prog, method, url,
                out->status, buf.len, (util_monotonic_us() - started) / 1000.0);
    if (buf.len > 0 && jsonx_parse(buf.data, buf.len, &out->body, NULL) != SB_OK)
        out->body = NULL;
    rc = SB_OK;
out:
    free(buf.data);
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    free(url);
    return rc;
}

void rest_response_free(struct rest_response *r)
{
    if (!r)
        return;
    if (r->body)
        json_object_put(r->body);
    r->body = NULL;
}

int rest_exit_code(const struct rest_response *r)
{
    json_object *v;
    if (r->status >= 200 && r->status < 300)
        return CLI_OK;
    switch (r->status) {
    case 400:
    case 413:
    case 415:
        return CLI_USAGE;
    case 401:
        return CLI_UNAUTHORIZED;
    case 403:
        if (r->body && json_object_object_get_ex(r->body, "denial", &v) &&
            json_object_is_type(v, json_type_object))
            return CLI_DENIED;
        return CLI_UNAUTHORIZED;
    case 404:
        return CLI_NOT_FOUND;
    case 422:
        return CLI_DENIED;
    case 502:
    case 503:
    case 504:
        return CLI_UNREACHABLE;
    default:
        return CLI_FAIL;
    }
}
