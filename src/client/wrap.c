#include "client/wrap.h"

#include <string.h>

#include "common/utf8.h"

/* The byte length of the UTF-8 character at p. */
static size_t char_len(const char *p)
{
    size_t n = 1;
    while (p[n] && ((unsigned char)p[n] & 0xC0) == 0x80)
        n++;
    return n;
}

size_t wrap_next(const char *s, int cols, size_t *len)
{
    size_t lead = strspn(s, " ");
    const char *p = s + lead;
    size_t rest = strlen(p);
    *len = 0;
    if (rest == 0)
        return 0;
    size_t fit = cols > 0 ? utf8_prefix_for_width(p, cols) : rest;
    size_t take = fit >= rest ? rest : 0;
    for (size_t i = fit; !take && i > 0; i--) {
        if (p[i] == ' ')
            take = i;
    }
    if (!take)
        take = fit ? fit : char_len(p);
    size_t end = take;
    while (end > 0 && p[end - 1] == ' ')
        end--;
    *len = end;
    return lead + take + strspn(p + take, " ");
}
