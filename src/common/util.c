#include "common/util.h"

#include <ctype.h>
#include <stdatomic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "common/xalloc.h"

void util_new_ordered_id(const char *prefix, char *buf, size_t n)
{
    /* the base32 digits in ASCII order, so that the text sorts as the time */
    static const char digits[] = "234567abcdefghijklmnopqrstuvwxyz";
    char random[UTIL_ID_LEN], id[UTIL_ID_LEN];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    /* never the same microsecond twice in a process, nor backwards: ids
     * made one after another sort in that order */
    static _Atomic uint64_t last;
    uint64_t seen = atomic_load(&last), next;
    do
        next = us > seen ? us : seen + 1;
    while (!atomic_compare_exchange_weak(&last, &seen, next));
    us = next;
    util_new_id(NULL, random, sizeof random);
    for (int i = 9; i >= 0; i--, us >>= 5)
        id[i] = digits[us & 31];
    snprintf(id + 10, sizeof id - 10, "%.12s", random);
    snprintf(buf, n, "%s%s%s", prefix ? prefix : "", prefix && *prefix ? "_" : "", id);
}

void util_new_id(const char *prefix, char *buf, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char raw[22];
    size_t got = 0;
    while (got < sizeof(raw)) {
        ssize_t r = getrandom(raw + got, sizeof(raw) - got, 0);
        if (r > 0)
            got += (size_t)r;
        else if (errno != EINTR)
            break;
    }
    /* getrandom cannot fail on Linux >= 3.17 once seeded; mix the clock in anyway. */
    if (got < sizeof(raw)) {
        unsigned long long seed =
            (unsigned long long)util_monotonic_us() ^ (unsigned long long)getpid();
        for (size_t i = got; i < sizeof(raw); i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            raw[i] = (unsigned char)(seed >> 56);
        }
    }
    char id[sizeof(raw) + 1];
    for (size_t i = 0; i < sizeof(raw); i++)
        id[i] = alphabet[raw[i] & 31];
    id[sizeof(raw)] = '\0';
    snprintf(buf, n, "%s%s%s", prefix ? prefix : "", prefix && *prefix ? "_" : "", id);
}

int64_t util_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t util_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* v as w decimal digits at p (v from 0 up, fewer than 10^w). */
static void put_digits(char *p, int v, int w)
{
    while (w--) {
        p[w] = (char)('0' + v % 10);
        v /= 10;
    }
}

void util_format_timestamp(int64_t ms, char *buf, size_t n)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    int year, milli = (int)(ms % 1000);
    gmtime_r(&secs, &tm);
    year = tm.tm_year + 1900;
    if (ms < 0 || year > 9999) {
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
        return;
    }
    /* by hand: every exchange stamps its messages and changed devices, and
     * snprintf was most of this function's time */
    char t[] = "0000-00-00T00:00:00.000Z";
    put_digits(t, year, 4);
    put_digits(t + 5, tm.tm_mon + 1, 2);
    put_digits(t + 8, tm.tm_mday, 2);
    put_digits(t + 11, tm.tm_hour, 2);
    put_digits(t + 14, tm.tm_min, 2);
    put_digits(t + 17, tm.tm_sec, 2);
    put_digits(t + 20, milli, 3);
    size_t len = sizeof t - 1 < n ? sizeof t - 1 : n - 1; /* cut as snprintf would */
    if (n) {
        memcpy(buf, t, len);
        buf[len] = '\0';
    }
}

void util_timestamp_now(char *buf, size_t n)
{
    util_format_timestamp(util_now_ms(), buf, n);
}

/* Reads n digits at s; returns -1 when any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int util_parse_timestamp(const char *s, int64_t *ms)
{
    /* By hand rather than sscanf: every device read from the store checks its
     * lastUpdated, and sscanf showed up in the REST profile. */
    if (!s || strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
        mi = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        sec < 0 || sec > 60)
        return -1;
    const char *p = s + 19;
    int frac = 0;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 3)
                frac = frac * 10 + (*p - '0');
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
        return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    *ms = (int64_t)timegm(&tm) * 1000 + frac;
    return 0;
}

int util_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 8192, n = 0;
    char *buf = xmalloc(cap);
    int rc = -1;
    for (;;) {
        if (n + 1 >= cap) {
            buf = xrealloc(buf, cap * 2);
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f))
        goto out;
    buf[n] = '\0';
    *out = buf;
    buf = NULL;
    if (len)
        *len = n;
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

char *util_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}
