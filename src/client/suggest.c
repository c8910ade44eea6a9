#include "client/suggest.h"

#include <string.h>

#define SUGGEST_MAX_LEN 64

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of neighbours each cost one. */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n >= SUGGEST_MAX_LEN || m >= SUGGEST_MAX_LEN)
        return SUGGEST_MAX_LEN;
    int d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

void suggest_init(struct suggest *s, const char *typed)
{
    s->typed = typed;
    s->best = NULL;
    s->distance = SUGGEST_MAX_LEN;
}

void suggest_consider(struct suggest *s, const char *candidate)
{
    int d = distance(s->typed, candidate);
    if (d < s->distance) {
        s->best = candidate;
        s->distance = d;
    }
}

const char *suggest_best(const struct suggest *s)
{
    int allowed = strlen(s->typed) >= 5 ? 2 : 1;
    return s->best && s->distance > 0 && s->distance <= allowed ? s->best : NULL;
}
