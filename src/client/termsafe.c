#include "client/termsafe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* The length of the well-formed UTF-8 sequence at s (1-4) and its code
 * point, or 0 when the bytes there are not one. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    size_t len;
    uint32_t c = s[0], min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, c &= 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, c &= 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

size_t termsafe_clean(const char *s, unsigned flags, char *buf, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        uint32_t cp;
        size_t len = decode(p, &cp);
        const char *put = (const char *)p;
        size_t put_len = len;
        if (len == 0) {
            put = REPLACEMENT, put_len = 3, len = 1;
        } else if (cp == '\n' && (flags & TERMSAFE_KEEP_NEWLINES)) {
            /* kept as it is */
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            put = " ", put_len = 1;
        }
        if (o + put_len >= n)
            break;
        memcpy(buf + o, put, put_len);
        o += put_len;
        p += len;
    }
    buf[o] = '\0';
    return o;
}

char *termsafe_dup(const char *s, unsigned flags)
{
    /* Each input byte becomes at most 3 output bytes (a lone byte -> U+FFFD). */
    size_t n = 3 * strlen(s ? s : "") + 1;
    char *buf = xmalloc(n);
    termsafe_clean(s, flags, buf, n);
    return buf;
}

int termsafe_fputs(const char *s, unsigned flags, FILE *f)
{
    char *clean = termsafe_dup(s, flags);
    int rc = fputs(clean, f) < 0 ? -1 : 0;
    free(clean);
    return rc;
}

int termsafe_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    char *raw = xvasprintf(fmt, ap);
    int rc = termsafe_fputs(raw, TERMSAFE_KEEP_NEWLINES, f);
    free(raw);
    return rc;
}

int termsafe_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = termsafe_vfprintf(f, fmt, ap);
    va_end(ap);
    return rc;
}
