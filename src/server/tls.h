/* HTTPS and WSS for servicebotd: the certificate and key files checked with
 * OpenSSL before libwebsockets gets them (lws 4.1.6 quietly serves without
 * TLS when a file is missing and logs only a terse line for a bad one), and
 * reloaded into the running server on SIGHUP. */
#ifndef SB_TLS_H
#define SB_TLS_H

#include <libwebsockets.h>
#include <stddef.h>

#include "common/err.h"

/* Checks that cert holds a PEM certificate (chain) that is valid now, and
 * key an unencrypted PEM private key belonging to it; not_after (may be
 * NULL) gets the certificate's end of validity. SB_EINVAL with a message
 * naming the file and the problem otherwise. */
int tls_check_files(const char *cert, const char *key, char *not_after, size_t n,
                    struct sb_err *err);

/* Checks the files again and, when they are good, makes every new
 * connection use them; connections already open keep the old certificate.
 * On failure the old certificate stays in use and err says why. */
int tls_reload(struct lws_context *ctx, const char *cert, const char *key, char *not_after,
               size_t n, struct sb_err *err);

#endif
