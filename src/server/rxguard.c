#include "server/rxguard.h"

#include <string.h>
#include <strings.h>

#include "server/request.h"

/* Where the guard is in a connection's stream. The head states follow
 * lws's own reading of a request (parsers.c): a bare LF ends a line as a
 * CRLF does, the first '?' starts the arguments, '&' and ';' separate them. */
enum state {
    S_START, /* before a request line (CR/LF between requests pass) */
    S_METHOD,
    S_URI,
    S_VERSION,
    S_EOL_CR, /* a CR ended a line's text */
    S_LINE,   /* at the start of a header line */
    S_END_CR, /* a CR at the start of a line: the blank line */
    S_NAME,
    S_VALUE,
    S_BODY,    /* skipping Content-Length bytes */
    S_WS_B0,   /* WebSocket frame header: first byte (FIN, opcode) */
    S_WS_B1,   /* mask bit and 7-bit length */
    S_WS_EXT,  /* 16- or 64-bit length */
    S_WS_MASK, /* masking key */
    S_WS_PAYLOAD,
    S_OFF,     /* framing the guard does not follow: everything passes */
    S_DISCARD, /* after a cut head: everything is dropped */
};

/* What ends a head cut in each state, so that lws reads a well-formed head
 * and calls http.c with it (a partial name becomes an empty header). */
static const char *const cut_suffix[] = {
    [S_URI] = " HTTP/1.1\r\n\r\n",
    [S_VERSION] = "\r\n\r\n",
    [S_EOL_CR] = "\n\r\n",
    [S_LINE] = "\r\n",
    [S_END_CR] = "\n",
    [S_NAME] = ":\r\n\r\n",
    [S_VALUE] = "\r\n\r\n",
};

/* The methods lws parses as HTTP; any other goes to http_raw.c (or, for
 * CONNECT, to lws's raw role) and the guard lets it pass. */
static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"};

enum header { H_NONE, H_CL, H_TE, H_UPGRADE };

/* The headers whose values decide how the stream goes on. */
static const struct {
    const char *name;
    enum header h;
} watched[] = {
    {"content-length", H_CL},
    {"transfer-encoding", H_TE},
    {"upgrade", H_UPGRADE},
};

#define STR_(x) #x
#define STR(x)  STR_(x)
#define FIELDS  STR(RXGUARD_FIELDS_MAX)
#define HEAD    STR(RXGUARD_HEAD_MAX)

/* The answer to each verdict (doc/protocol.md, "Limits"). */
static const struct rxguard_answer answers[] = {
    [RXGUARD_ARGS] = {400, "too_many_arguments",
                      "more than " FIELDS " query arguments; the limit is " STR(REQUEST_MAX_QUERY)},
    [RXGUARD_FIELDS] = {431, "headers_too_large",
                        "more than " FIELDS " header lines and query arguments together; "
                        "the limit is " FIELDS},
    [RXGUARD_URI] = {414, "uri_too_long",
                     "the request line is over " HEAD " bytes (the limit of the whole head)"},
    [RXGUARD_HEAD] = {431, "headers_too_large",
                      "the request head is over " HEAD " bytes; the limit is " HEAD},
};

void rxguard_init(struct rxguard *g, bool tls)
{
    memset(g, 0, sizeof(*g));
    g->tls = tls;
    g->carry = -1;
    g->state = S_START;
}

static void begin_head(struct rxguard *g)
{
    g->head_len = g->fields = 0;
    g->method_len = 0;
    g->pct = 0;
    g->in_query = g->have_cl = g->te = g->upgrade_ws = g->upgrade_other = g->unframed = false;
    g->cl = 0;
    g->state = S_METHOD;
}

static bool method_known(const struct rxguard *g)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strlen(methods[i]) == g->method_len && !memcmp(methods[i], g->method, g->method_len))
            return true;
    return false;
}

static void name_char(struct rxguard *g, unsigned char c)
{
    if (g->name_len < sizeof g->name)
        g->name[g->name_len] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    if (g->name_len <= sizeof g->name)
        g->name_len++; /* one past the buffer: too long to be a watched one */
}

static enum header identify(const struct rxguard *g)
{
    for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++)
        if (strlen(watched[i].name) == g->name_len &&
            !memcmp(watched[i].name, g->name, g->name_len))
            return watched[i].h;
    return H_NONE;
}

/* A watched header's value is complete. */
static void end_header(struct rxguard *g)
{
    uint64_t v = 0;
    size_t n = g->val_len;
    switch (g->which) {
    case H_CL:
        if (n == 0 || n > 18)
            g->unframed = true; /* http.c answers 400 bad_framing */
        for (size_t i = 0; i < n && i < sizeof g->val; i++) {
            if (g->val[i] < '0' || g->val[i] > '9')
                g->unframed = true;
            v = v * 10 + (uint64_t)(g->val[i] - '0');
        }
        if (g->have_cl && v != g->cl)
            g->unframed = true;
        g->have_cl = true;
        g->cl = v;
        break;
    case H_TE:
        g->te = g->unframed = true; /* lws cannot frame it; http.c refuses it */
        break;
    case H_UPGRADE:
        /* lws compares the whole value (server.c, strcasecmp) */
        if (n == 9 && !strncasecmp(g->val, "websocket", 9))
            g->upgrade_ws = true;
        else
            g->upgrade_other = true; /* h2c and the rest: not followed */
        break;
    default:
        break;
    }
    g->which = H_NONE;
}

/* The blank line: what follows the head. */
static void end_head(struct rxguard *g)
{
    g->heads++;
    if (g->unframed || g->upgrade_other)
        g->state = S_OFF;
    else if (g->upgrade_ws)
        g->state = S_WS_B0;
    else if (g->cl) {
        g->skip = g->cl;
        g->state = S_BODY;
    } else
        g->state = S_START;
}

size_t rxguard_flush(struct rxguard *g, unsigned char *buf, size_t cap)
{
    if (!g->suffix)
        return 0;
    size_t n = strlen(g->suffix);
    if (n > cap)
        n = cap;
    memcpy(buf, g->suffix, n);
    g->suffix = g->suffix[n] ? g->suffix + n : NULL;
    return n;
}

/* Ends the head here with the suffix for the state it is in, and drops
 * the rest of the connection. Returns the output length. */
static size_t cut(struct rxguard *g, enum rxguard_kind kind, unsigned char *buf, size_t o,
                  size_t cap)
{
    g->verdict = kind;
    g->verdict_head = g->heads++;
    g->suffix = cut_suffix[g->state];
    g->state = S_DISCARD;
    return o + rxguard_flush(g, buf + o, cap - o);
}

/* One byte of a head; returns false when the head is cut before it. */
static bool head_byte(struct rxguard *g, unsigned char c, enum rxguard_kind *cut_kind)
{
    /* over the size limit: cut anywhere but inside a %XX escape */
    if (g->head_len >= RXGUARD_HEAD_MAX && !(g->state == S_URI && g->pct)) {
        *cut_kind = g->state == S_URI || g->state == S_VERSION ? RXGUARD_URI : RXGUARD_HEAD;
        return false;
    }
    g->head_len++;
    switch (g->state) {
    case S_METHOD:
        if (c == ' ')
            g->state = method_known(g) ? S_URI : S_OFF;
        else if (g->method_len < sizeof g->method && c >= 'A' && c <= 'Z')
            g->method[g->method_len++] = (char)c;
        else
            g->state = S_OFF;
        break;
    case S_URI:
        if (c == ' ')
            g->state = S_VERSION;
        else if (c == '\r')
            g->state = S_EOL_CR;
        else if (c == '\n')
            g->state = S_LINE;
        else if (g->pct)
            g->pct--;
        else if (c == '%')
            g->pct = 2;
        else if (c == '?' && !g->in_query) {
            g->in_query = true;
            g->fields++;
        } else if ((c == '&' || c == ';') && g->in_query) {
            if (g->fields >= RXGUARD_FIELDS_MAX) {
                g->head_len--;
                *cut_kind = RXGUARD_ARGS;
                return false;
            }
            g->fields++;
        }
        break;
    case S_VERSION:
        if (c == '\r')
            g->state = S_EOL_CR;
        else if (c == '\n')
            g->state = S_LINE;
        break;
    case S_EOL_CR:
        /* a bare CR inside a line: lws carries on with the line */
        g->state = c == '\n' ? S_LINE : S_VALUE;
        break;
    case S_LINE:
    case S_END_CR:
        if (c == '\n') {
            end_head(g);
            break;
        }
        if (c == '\r' && g->state == S_LINE) {
            g->state = S_END_CR;
            break;
        }
        if (g->fields >= RXGUARD_FIELDS_MAX) {
            g->head_len--;
            *cut_kind = RXGUARD_FIELDS;
            return false;
        }
        g->fields++;
        g->name_len = 0;
        g->state = S_NAME;
        name_char(g, c);
        break;
    case S_NAME:
        if (c == ':') {
            g->which = identify(g);
            g->val_len = 0;
            g->state = S_VALUE;
        } else if (c == '\r' || c == '\n') {
            g->state = c == '\r' ? S_EOL_CR : S_LINE;
        } else {
            name_char(g, c);
        }
        break;
    case S_VALUE:
        if (c == '\r' || c == '\n') {
            end_header(g);
            g->state = c == '\r' ? S_EOL_CR : S_LINE;
        } else if (g->which != H_NONE && !(g->val_len == 0 && c == ' ')) {
            if (g->val_len < sizeof g->val)
                g->val[g->val_len] = (char)c;
            if (g->val_len <= sizeof g->val)
                g->val_len++; /* one past: too long, and not all digits */
        }
        break;
    default:
        break;
    }
    return true;
}

/* The frame header's next part once a length byte is in. */
static void after_length(struct rxguard *g)
{
    if (g->ext_left)
        g->state = S_WS_EXT;
    else if (g->mask_left)
        g->state = S_WS_MASK;
    else
        g->state = g->skip ? S_WS_PAYLOAD : S_WS_B0;
}

/* One byte of a WebSocket frame header; returns whether it stays in the
 * stream (an unmasked frame's bytes after the first do not). */
static bool frame_byte(struct rxguard *g, unsigned char *buf, size_t o, unsigned char c)
{
    switch (g->state) {
    case S_WS_B0:
        g->b0_here = true;
        g->b0_at = o;
        g->bad_frame = false;
        g->state = S_WS_B1;
        return true;
    case S_WS_B1:
        if (!(c & 0x80)) {
            /* RFC 6455 5.1: lws closes with 1002 "bad opc" on opcode 3 */
            if (g->b0_here)
                buf[g->b0_at] = (unsigned char)((buf[g->b0_at] & 0xf0) | 3);
            g->bad_frame = true;
        }
        g->ext_left = (c & 0x7f) == 126 ? 2 : (c & 0x7f) == 127 ? 8 : 0;
        g->skip = g->ext_left ? 0 : (c & 0x7f);
        g->mask_left = c & 0x80 ? 4 : 0;
        break;
    case S_WS_EXT:
        g->skip = g->skip << 8 | c;
        g->ext_left--;
        break;
    default: /* S_WS_MASK */
        g->mask_left--;
        break;
    }
    after_length(g);
    return !g->bad_frame;
}

size_t rxguard_scan(struct rxguard *g, unsigned char *buf, size_t from, size_t n, size_t cap)
{
    size_t i = from, o = from;
    enum rxguard_kind kind = RXGUARD_NONE;
    if (from == 0) /* a new output: no frame's first byte in it yet */
        g->b0_here = false;
    while (i < n) {
        switch (g->state) {
        case S_OFF:
            if (o != i)
                memmove(buf + o, buf + i, n - i);
            return o + (n - i);
        case S_DISCARD:
            return o;
        case S_BODY:
        case S_WS_PAYLOAD: {
            size_t k = g->skip < n - i ? (size_t)g->skip : n - i;
            if (!(g->state == S_WS_PAYLOAD && g->bad_frame)) {
                if (o != i)
                    memmove(buf + o, buf + i, k);
                o += k;
            }
            i += k;
            g->skip -= k;
            if (!g->skip)
                g->state = g->state == S_BODY ? S_START : S_WS_B0;
            continue;
        }
        case S_WS_B0:
        case S_WS_B1:
        case S_WS_EXT:
        case S_WS_MASK:
            if (frame_byte(g, buf, o, buf[i]))
                buf[o++] = buf[i];
            i++;
            continue;
        case S_START:
            if (buf[i] == '\r' || buf[i] == '\n') {
                buf[o++] = buf[i++];
                continue;
            }
            begin_head(g);
            continue;
        case S_VALUE:
            if (g->which == H_NONE) {
                /* the bulk of a head: a value nobody reads, up to its line end */
                size_t k = 0, lim = n - i;
                if (lim > RXGUARD_HEAD_MAX - g->head_len)
                    lim = RXGUARD_HEAD_MAX - g->head_len;
                while (k < lim && buf[i + k] != '\r' && buf[i + k] != '\n')
                    k++;
                if (k) {
                    if (o != i)
                        memmove(buf + o, buf + i, k);
                    o += k;
                    i += k;
                    g->head_len += (uint32_t)k;
                    continue;
                }
            }
            /* fallthrough */
        default:
            if (!head_byte(g, buf[i], &kind))
                return cut(g, kind, buf, o, cap);
            buf[o++] = buf[i++];
            continue;
        }
    }
    return o;
}

bool rxguard_split_frame(const struct rxguard *g)
{
    return g->state == S_WS_B1 && g->b0_here;
}

void rxguard_peeked(struct rxguard *g, unsigned char *buf, size_t len, unsigned char b1)
{
    if (!(b1 & 0x80)) {
        buf[len - 1] = (unsigned char)((buf[len - 1] & 0xf0) | 3);
        g->bad_frame = true;
    }
    g->b0_here = false; /* the next scan starts at the second byte */
}

void rxguard_hold(struct rxguard *g, const unsigned char *buf, size_t len)
{
    g->carry = buf[len - 1];
    g->state = S_WS_B0;
    g->b0_here = false;
}

bool rxguard_discarding(const struct rxguard *g)
{
    return g->state == S_DISCARD;
}

bool rxguard_verdict_next(struct rxguard *g, struct rxguard_answer *a)
{
    uint32_t k = g->taken++;
    if (g->verdict == RXGUARD_NONE || k != g->verdict_head)
        return false;
    *a = answers[g->verdict];
    return true;
}
