/* The guarded connections and where their bytes come in. servicebotd
 * defines recv(), SSL_read() and close() itself: lws reads plain sockets
 * with recv() (lib/core-net/output.c) and TLS ones with SSL_read()
 * (lib/tls/openssl/openssl-ssl.c), and closes them with close(); the
 * executable's definitions come first in the dynamic linker's lookup, for
 * lws and every other library (libcurl reads its DynamoDB sockets through
 * them too, on worker threads). Only the sockets server.c registered at
 * accept are guarded: for any other fd the cost is two loads of a table
 * that only the loop thread writes. A guarded socket leaves the table in
 * close(), before the real close, so that a number the kernel hands out
 * again (to libcurl, say) is never guarded by mistake. */
#include "server/rxguard.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* glibc's close, under the name it also exports. */
extern int __close(int fd);

typedef _Atomic(struct rxguard *) slot_t;

/* fd -> guard, in chunks made on first use: up to 1M descriptors. */
#define CHUNK_BITS 10
#define CHUNK      (1u << CHUNK_BITS)
#define CHUNKS     1024
static _Atomic(slot_t *) chunks[CHUNKS];

static slot_t *slot_of(int fd, bool create)
{
    if (fd < 0 || (unsigned)fd >= CHUNK * CHUNKS)
        return NULL;
    slot_t *c = atomic_load_explicit(&chunks[fd >> CHUNK_BITS], memory_order_acquire);
    if (!c && create) {
        /* only the loop thread creates: no race between two creators */
        if (!(c = calloc(CHUNK, sizeof(*c))))
            return NULL;
        atomic_store_explicit(&chunks[fd >> CHUNK_BITS], c, memory_order_release);
    }
    return c ? &c[fd & (CHUNK - 1)] : NULL;
}

static struct rxguard *guard_of(int fd)
{
    slot_t *s = slot_of(fd, false);
    return s ? atomic_load_explicit(s, memory_order_acquire) : NULL;
}

bool rxguard_register(int fd, bool tls)
{
    slot_t *s = slot_of(fd, true);
    struct rxguard *g = s ? malloc(sizeof(*g)) : NULL;
    if (!g)
        return false;
    rxguard_init(g, tls);
    free(atomic_exchange_explicit(s, g, memory_order_acq_rel));
    return true;
}

bool rxguard_take_verdict(int fd, struct rxguard_answer *a)
{
    struct rxguard *g = guard_of(fd);
    return g && rxguard_verdict_next(g, a);
}

int close(int fd)
{
    slot_t *s = slot_of(fd, false);
    if (s && atomic_load_explicit(s, memory_order_relaxed))
        free(atomic_exchange_explicit(s, NULL, memory_order_acq_rel));
    return __close(fd);
}

/* How one kind of connection reads. read: as the real call (> 0 bytes,
 * 0 end, < 0 nothing now or an error, errno or SSL_get_error telling
 * which). peek: one byte ahead: 1 got it, 0 nothing now, -1 end/error. */
struct rx_ops {
    long (*read)(void *ctx, unsigned char *buf, size_t n);
    int (*peek)(void *ctx, unsigned char *b);
    bool (*pending)(void *ctx); /* bytes already inside the library */
    bool tls;
};

/* Reads of one call that found only bytes taken out of the stream. */
#define MAX_ROUNDS 16

/* A read through the guard: the real reads, the scan, and a frame header
 * split after its first byte (the mask bit is in the second) settled by
 * reading on, peeking, or holding the byte back for the next call. TLS
 * needs care: lws asks SSL_get_error() after a result <= 0, and only
 * looks at SSL_pending() when the buffer came back full, so a result <= 0
 * is always the real library's and a short one leaves nothing inside it. */
static long guarded(struct rxguard *g, unsigned char *buf, size_t len, const struct rx_ops *ops,
                    void *ctx)
{
    size_t out = rxguard_flush(g, buf, len);
    long last = 1;
    int round;
    if (out || len == 0)
        return (long)out; /* the rest of a cut head first, without reading */
    for (round = 0; round < MAX_ROUNDS; round++) {
        size_t at = out, held = 0;
        if (g->carry >= 0) {
            buf[at] = (unsigned char)g->carry;
            g->carry = -1;
            held = 1;
        }
        long n = at + held < len ? ops->read(ctx, buf + at + held, len - at - held) : 0;
        last = n;
        if (n > 0 || held)
            out = rxguard_scan(g, buf, at, at + held + (size_t)(n > 0 ? n : 0), len);
        if (rxguard_split_frame(g)) {
            if (n > 0 && out < len)
                continue; /* read on for the second byte */
            unsigned char b1;
            int p = out == len && n > 0 ? ops->peek(ctx, &b1) : 0;
            if (p == 1) {
                rxguard_peeked(g, buf, out, b1);
            } else if (p == 0) {
                rxguard_hold(g, buf, out);
                out--;
                if (!out && n > 0)
                    last = -1; /* the peek said nothing now */
            }
            break;
        }
        if (n <= 0)
            break;
        if (out > 0 && !(out < len && ops->pending(ctx)))
            break;
    }
    if (round == MAX_ROUNDS && rxguard_split_frame(g)) {
        rxguard_hold(g, buf, out);
        out--;
    }
    if (out > 0)
        return (long)out;
    if (last <= 0)
        return last;
    /* everything read was taken out and more keeps coming */
    if (ops->tls)
        return 0; /* lws closes it: a result < 0 would need OpenSSL's word */
    errno = EAGAIN;
    return -1;
}

static long plain_read(void *ctx, unsigned char *buf, size_t n)
{
    return recvfrom(*(int *)ctx, buf, n, 0, NULL, NULL);
}

static int plain_peek(void *ctx, unsigned char *b)
{
    long n = recvfrom(*(int *)ctx, b, 1, MSG_PEEK | MSG_DONTWAIT, NULL, NULL);
    if (n == 1)
        return 1;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
}

static bool plain_pending(void *ctx)
{
    return false;
}

static const struct rx_ops plain_ops = {plain_read, plain_peek, plain_pending, false};

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    struct rxguard *g = guard_of(fd);
    if (!g || g->tls || flags) /* lws peeks a TLS socket with MSG_PEEK */
        return recvfrom(fd, buf, len, flags, NULL, NULL);
    return guarded(g, buf, len, &plain_ops, &fd);
}

static int (*real_ssl_read)(SSL *, void *, int);

static void resolve_ssl_read(void)
{
    real_ssl_read = (int (*)(SSL *, void *, int))dlsym(RTLD_NEXT, "SSL_read");
    if (!real_ssl_read) {
        fprintf(stderr, "servicebotd: SSL_read not found in libssl (%s)\n", dlerror());
        abort();
    }
}

static long tls_read(void *ctx, unsigned char *buf, size_t n)
{
    return real_ssl_read(ctx, buf, n > INT_MAX ? INT_MAX : (int)n);
}

static int tls_peek(void *ctx, unsigned char *b)
{
    int n = SSL_peek(ctx, b, 1);
    if (n == 1)
        return 1;
    int e = SSL_get_error(ctx, n);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

static bool tls_pending(void *ctx)
{
    return SSL_pending(ctx) > 0;
}

static const struct rx_ops tls_ops = {tls_read, tls_peek, tls_pending, true};

int SSL_read(SSL *ssl, void *buf, int num)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, resolve_ssl_read);
    struct rxguard *g = num > 0 ? guard_of(SSL_get_fd(ssl)) : NULL;
    if (!g || !g->tls)
        return real_ssl_read(ssl, buf, num);
    return (int)guarded(g, buf, (size_t)num, &tls_ops, ssl);
}
