/* TZif reader and local <-> UTC conversion (see tz.h). */
#include "common/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"

#define TZ_FILE_MAX (256 * 1024)
#define TZ_DAY      86400

struct tz {
    size_t n;           /* transitions */
    int64_t *at;        /* transition instants, ascending */
    int32_t *off;       /* offset in force from at[i] on */
    int32_t off_before; /* before the first transition */
};

bool tz_name_ok(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > TZ_NAME_MAX || name[0] == '/' || name[len - 1] == '/' ||
        strstr(name, "..") || strstr(name, "//"))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '+' || *p == '/'))
            return false;
    return true;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Counts of one TZif header. */
struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

static int read_header(const unsigned char *p, size_t len, struct tzif_counts *c)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return -1;
    c->isut = be32(p + 20);
    c->isstd = be32(p + 24);
    c->leap = be32(p + 28);
    c->time = be32(p + 32);
    c->type = be32(p + 36);
    c->chars = be32(p + 40);
    return c->type == 0 || c->type > 256 || c->time > 100000 ? -1 : 0;
}

static size_t block_size(const struct tzif_counts *c, size_t tsize)
{
    return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) + c->isstd +
           c->isut;
}

/* Fills z from a TZif file's bytes: the 64-bit block when there is one. */
static int parse(const unsigned char *p, size_t len, struct tz *z)
{
    struct tzif_counts c;
    size_t tsize = 4;
    if (read_header(p, len, &c) != 0)
        return -1;
    if (p[4] >= '2') {
        size_t skip = 44 + block_size(&c, 4);
        if (skip > len || read_header(p + skip, len - skip, &c) != 0)
            return -1;
        p += skip;
        len -= skip;
        tsize = 8;
    }
    if (44 + block_size(&c, tsize) > len)
        return -1;
    const unsigned char *times = p + 44, *idx = times + c.time * tsize, *types = idx + c.time;
    z->n = c.time;
    z->at = xcalloc(c.time, sizeof *z->at);
    z->off = xcalloc(c.time, sizeof *z->off);
    for (uint32_t i = 0; i < c.time; i++) {
        if (idx[i] >= c.type)
            return -1;
        z->at[i] = tsize == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
        z->off[i] = (int32_t)be32(types + 6 * idx[i]);
        if (i && z->at[i] <= z->at[i - 1])
            return -1;
    }
    /* before the first transition: the first standard-time type (RFC 8536 3.2) */
    z->off_before = (int32_t)be32(types);
    for (uint32_t t = 0; t < c.type; t++) {
        if (!types[6 * t + 4]) {
            z->off_before = (int32_t)be32(types + 6 * t);
            break;
        }
    }
    return 0;
}

int tz_load(const char *name, struct tz **out, struct sb_err *err)
{
    char path[512], *buf = NULL;
    size_t len = 0;
    int rc = SB_OK;
    struct tz *z = xcalloc(1, sizeof *z);
    *out = NULL;
    if (!tz_name_ok(name)) {
        rc = sb_err_set(err, SB_EINVAL, "\"%s\" is not a time zone name (like Europe/Berlin)",
                        name ? name : "");
        goto out;
    }
    if (strcmp(name, "UTC") == 0)
        goto out;
    const char *dir = getenv("TZDIR");
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    if (util_read_file(path, &buf, &len) != 0) {
        rc = sb_err_set(err, SB_EINVAL, "unknown time zone \"%s\"", name);
        goto out;
    }
    if (len > TZ_FILE_MAX || parse((const unsigned char *)buf, len, z) != 0)
        rc = sb_err_set(err, SB_EINVAL, "unknown time zone \"%s\" (%s is not a zone file)", name,
                        path);
out:
    free(buf);
    if (rc != SB_OK)
        tz_free(z);
    else
        *out = z;
    return rc;
}

void tz_free(struct tz *z)
{
    if (!z)
        return;
    free(z->at);
    free(z->off);
    free(z);
}

int32_t tz_offset(const struct tz *z, int64_t utc)
{
    if (!z->n || utc < z->at[0])
        return z->off_before;
    size_t lo = 0, hi = z->n; /* the last transition at or before utc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return z->off[lo];
}

int64_t tz_to_utc(const struct tz *z, int64_t local)
{
    /* clock changes are days apart: the offsets two days either side are the candidates */
    int32_t before = tz_offset(z, local - 2 * TZ_DAY), after = tz_offset(z, local + 2 * TZ_DAY);
    int32_t first = before > after ? before : after, second = before > after ? after : before;
    if (tz_offset(z, local - first) == first)
        return local - first; /* the earlier instant when both fit */
    if (tz_offset(z, local - second) == second)
        return local - second;
    return local - before; /* in a gap: the same wall time on the new offset */
}

/* Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian. */
int64_t tz_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int tz_weekday(int64_t days)
{
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}
