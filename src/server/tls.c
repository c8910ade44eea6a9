#include "server/tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/log.h"

/* OpenSSL's reason for the last failure, or a fallback. */
static const char *openssl_reason(const char *fallback)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    return r ? r : fallback;
}

/* Refuses to prompt for a passphrase: servicebotd runs unattended. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    *(int *)u = 1;
    return -1;
}

static void format_asn1_time(const ASN1_TIME *t, char *buf, size_t n)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1 || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, n, "an unreadable date");
}

static int read_cert(const char *path, X509 **out, char *not_after, size_t n, struct sb_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sb_err_set(err, SB_EINVAL, "TLS certificate %s: %s", path, strerror(errno));
    ERR_clear_error();
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!x)
        return sb_err_set(err, SB_EINVAL,
                          "TLS certificate %s: no PEM certificate in it (%s; expected a "
                          "-----BEGIN CERTIFICATE----- block)",
                          path, openssl_reason("unreadable"));
    char when[64];
    if (X509_cmp_current_time(X509_get0_notAfter(x)) <= 0) {
        format_asn1_time(X509_get0_notAfter(x), when, sizeof(when));
        X509_free(x);
        return sb_err_set(err, SB_EINVAL, "TLS certificate %s: it expired on %s", path, when);
    }
    if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
        format_asn1_time(X509_get0_notBefore(x), when, sizeof(when));
        log_kv(LOG_WARN, "the TLS certificate is not valid yet (is the clock right?)", "file", path,
               "not_before", when, NULL);
    }
    format_asn1_time(X509_get0_notAfter(x), not_after, n);
    *out = x;
    return SB_OK;
}

static int read_key(const char *path, EVP_PKEY **out, struct sb_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sb_err_set(err, SB_EINVAL, "TLS key %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)))
        log_kv(LOG_WARN, "the TLS key file can be read by others (chmod 600 it)", "file", path,
               NULL);
    int encrypted = 0;
    ERR_clear_error();
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, no_passphrase, &encrypted);
    fclose(f);
    if (!k && encrypted)
        return sb_err_set(err, SB_EINVAL,
                          "TLS key %s: the key is encrypted and servicebotd cannot ask for a "
                          "passphrase (decrypt it: openssl pkey -in %s -out NEWFILE)",
                          path, path);
    if (!k)
        return sb_err_set(err, SB_EINVAL,
                          "TLS key %s: no PEM private key in it (expected a -----BEGIN "
                          "PRIVATE KEY----- block)",
                          path);
    *out = k;
    return SB_OK;
}

int tls_check_files(const char *cert, const char *key, char *not_after, size_t n,
                    struct sb_err *err)
{
    X509 *x = NULL;
    EVP_PKEY *k = NULL;
    char when[64];
    int rc = read_cert(cert, &x, not_after ? not_after : when, not_after ? n : sizeof(when), err);
    if (rc == SB_OK)
        rc = read_key(key, &k, err);
    if (rc == SB_OK && X509_check_private_key(x, k) != 1)
        rc = sb_err_set(err, SB_EINVAL, "TLS key %s does not belong to the certificate in %s", key,
                        cert);
    X509_free(x);
    EVP_PKEY_free(k);
    ERR_clear_error();
    return rc;
}

int tls_reload(struct lws_context *ctx, const char *cert, const char *key, char *not_after,
               size_t n, struct sb_err *err)
{
    int rc = tls_check_files(cert, key, not_after, n, err);
    if (rc != SB_OK)
        return rc;
    /* lws re-reads the same paths into the vhost's SSL_CTX; every new
     * connection's SSL takes its certificate from there. */
    if (lws_tls_cert_updated(ctx, cert, key, NULL, 0, NULL, 0) != 0)
        return sb_err_set(err, SB_EINTERNAL, "libwebsockets could not load %s and %s", cert, key);
    return SB_OK;
}
