#include "common/utf8.h"

#include <string.h>
#include <wchar.h>

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned char c = *p;
        size_t need;
        unsigned int cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= need)
            return false;
        for (size_t i = 1; i <= need; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        static const unsigned int min_for[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += need + 1;
    }
    return true;
}

/* Decodes one character; returns its byte length (invalid bytes count as one, width 1). */
static size_t next_char(const char *s, int *width)
{
    mbstate_t st;
    wchar_t wc;
    memset(&st, 0, sizeof(st));
    size_t n = mbrtowc(&wc, s, strlen(s), &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *width = 1;
        return 1;
    }
    int w = wcwidth(wc);
    *width = w < 0 ? 0 : w;
    return n;
}

int utf8_width(const char *s)
{
    int total = 0, w;
    while (*s) {
        s += next_char(s, &w);
        total += w;
    }
    return total;
}

size_t utf8_prefix_for_width(const char *s, int cols)
{
    const char *p = s;
    int used = 0, w;
    while (*p) {
        size_t n = next_char(p, &w);
        if (used + w > cols)
            break;
        used += w;
        p += n;
    }
    return (size_t)(p - s);
}
