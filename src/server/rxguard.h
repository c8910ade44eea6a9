/* rxguard: a byte-stream guard in front of lws's parser. libwebsockets 4.1
 * accepts unmasked WebSocket frames from clients (RFC 6455 5.1 says close
 * with 1002), drops a connection without an answer when a request head has
 * more query arguments and header lines than its fragment table holds (95)
 * or more bytes than it holds (SERVER_HEADER_HOLD), and never shows us the
 * unknown headers it stores. The guard sees every byte lws reads from an
 * accepted connection before lws parses it (rxguard_io.c interposes recv(),
 * SSL_read() and close()) and edits the stream so that lws itself gives the
 * answer:
 *  - an unmasked frame's first byte gets the reserved opcode 3, so lws
 *    closes with 1002 through its own output path (TLS included), and the
 *    rest of that frame is taken out of the stream;
 *  - a head over the limits is ended early (lws gets a short, well-formed
 *    head), the rest of the connection is dropped, and http.c answers that
 *    head from rxguard_take_verdict() with our JSON error, then closes. The
 *    answer goes out through lws, after the answers to requests pipelined
 *    before it: written straight to the socket it could overtake them, or
 *    land inside one lws has only partly sent; and turning the method into
 *    one lws does not know (so that http_raw.c answers) only works for the
 *    first request of a connection, and only while its method is unread.
 * doc/protocol.md, "Limits", has the numbers.
 *
 * struct rxguard is one connection's state; rxguard_scan() is a pure
 * function of it and the bytes (tests/fuzz/fuzz_rxguard.c fuzzes it). */
#ifndef SB_RXGUARD_H
#define SB_RXGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A whole request head (request line, headers, the blank line). The fuzz
 * target builds with smaller limits, to reach them. */
#ifndef RXGUARD_HEAD_MAX
#define RXGUARD_HEAD_MAX 16384
#endif
/* Query arguments and header lines together: lws 4.1 keeps one fragment
 * per argument and per known header line (plus the URI and the version)
 * in a table of 95 and drops the connection when it is full. */
#ifndef RXGUARD_FIELDS_MAX
#define RXGUARD_FIELDS_MAX 80
#endif

enum rxguard_kind { RXGUARD_NONE, RXGUARD_ARGS, RXGUARD_FIELDS, RXGUARD_URI, RXGUARD_HEAD };

struct rxguard {
    uint8_t state;
    bool tls;       /* read through SSL_read, not recv */
    bool in_query;  /* past the URI's '?' */
    bool b0_here;   /* the frame's first byte is in this scan's output */
    bool bad_frame; /* the frame being read is unmasked: drop its bytes */
    uint8_t pct;    /* hex digits still due after a '%' in the URI */
    uint8_t which;  /* the header being read, when one we look at */
    uint8_t name_len, val_len, ext_left, mask_left, method_len;
    bool have_cl, te, upgrade_ws, upgrade_other, unframed;
    int carry;         /* a frame's first byte held back for its second, or -1 */
    size_t b0_at;      /* where the frame's first byte is in the output */
    uint32_t head_len; /* bytes of the current head so far */
    uint32_t fields;   /* query arguments and header lines so far */
    uint64_t cl;       /* Content-Length of the current head */
    uint64_t skip;     /* body or frame payload bytes still to pass */
    char method[8];
    char name[20];
    char val[24];
    const char *suffix; /* the rest of a cut head still to hand lws */
    uint32_t heads;     /* heads handed to lws whole (a cut one included) */
    uint32_t taken;     /* heads http.c asked about */
    uint32_t verdict_head;
    enum rxguard_kind verdict;
};

/* A verdict as http.c answers it. */
struct rxguard_answer {
    int status;
    const char *code;
    const char *msg;
};

void rxguard_init(struct rxguard *g, bool tls);

/* Scans buf[from, n) in place, where buf holds cap bytes; bytes taken out
 * of the stream are squeezed out and a cut head's end is written in.
 * Returns the new length (from ... cap). */
size_t rxguard_scan(struct rxguard *g, unsigned char *buf, size_t from, size_t n, size_t cap);

/* After a scan: whether the output ends with a frame's first byte whose
 * second byte (the mask bit) has not been seen. */
bool rxguard_split_frame(const struct rxguard *g);
/* The second byte, read ahead: judges the frame (its first byte is the
 * output's last, buf[len - 1]). */
void rxguard_peeked(struct rxguard *g, unsigned char *buf, size_t len, unsigned char b1);
/* The second byte is not there yet: the first byte is held back (the
 * output is one shorter) and handed on with the next read. */
void rxguard_hold(struct rxguard *g, const unsigned char *buf, size_t len);

/* Whether the connection's bytes are being thrown away (after a cut head). */
bool rxguard_discarding(const struct rxguard *g);
/* Writes what is still due of a cut head into buf; returns its length. */
size_t rxguard_flush(struct rxguard *g, unsigned char *buf, size_t cap);

/* http.c, once per request head lws hands it (in order): whether this head
 * was cut, and the answer to give. */
bool rxguard_verdict_next(struct rxguard *g, struct rxguard_answer *a);

/* --- rxguard_io.c: the guarded connections ------------------------------ */

/* Guards the accepted socket fd from now on until it is closed. Returns
 * false when it cannot (no memory, fd too large): the connection then goes
 * unguarded. Loop thread only. */
bool rxguard_register(int fd, bool tls);
/* rxguard_verdict_next for the connection on fd; false when unguarded. */
bool rxguard_take_verdict(int fd, struct rxguard_answer *a);

#endif
