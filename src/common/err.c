#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sb_err_set(struct sb_err *err, enum sb_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

void sb_err_prefix(struct sb_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[256], old[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
}

const char *sb_status_name(enum sb_status code)
{
    static const char *const names[] = {
        [SB_OK] = "ok",
        [SB_EINVAL] = "bad_request",
        [SB_ENOTFOUND] = "not_found",
        [SB_ECONFLICT] = "conflict",
        [SB_EDENIED] = "denied",
        [SB_ELIMIT] = "tier_limit",
        [SB_ECORRUPT] = "corrupt_record",
        [SB_EUNAVAIL] = "unavailable",
        [SB_EAUTH] = "unauthorized",
        [SB_EINTERNAL] = "internal",
    };
    /* a status that came through an int may be any value */
    if ((int)code < 0 || (size_t)code >= sizeof(names) / sizeof(names[0]) || !names[code])
        return "internal";
    return names[code];
}
