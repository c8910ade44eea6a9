#include "client/lastconv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/cfgedit.h"
#include "client/settings.h"
#include "common/config.h"

char *lastconv_path(void)
{
    return settings_xdg_path("XDG_STATE_HOME", ".local/state", "conversations");
}

/* Setting names allow few characters, so the pair is hashed (FNV-1a). */
static void key_for(const char *server, const char *customer, char *buf, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *parts[] = {server, "\n", customer}, **p = parts; p < parts + 3; p++) {
        for (const unsigned char *c = (const unsigned char *)*p; *c; c++)
            h = (h ^ *c) * 1099511628211ULL;
    }
    snprintf(buf, n, "conversation.%016llx", (unsigned long long)h);
}

int lastconv_get(const char *server, const char *customer, char *buf, size_t n)
{
    char key[64];
    struct config *cfg = NULL;
    struct sb_err err = {0};
    char *path = lastconv_path();
    int rc = -1;
    key_for(server, customer, key, sizeof(key));
    if (path && config_load(path, &cfg, &err) == SB_OK) {
        const char *v = config_get(cfg, key);
        if (v && *v) {
            snprintf(buf, n, "%s", v);
            rc = 0;
        }
    }
    config_free(cfg);
    free(path);
    return rc;
}

int lastconv_put(const char *server, const char *customer, const char *conversation,
                 struct sb_err *err)
{
    char key[64];
    char *path = lastconv_path();
    if (!path)
        return sb_err_set(err, SB_EINVAL, "no state directory: set HOME or XDG_STATE_HOME");
    key_for(server, customer, key, sizeof(key));
    const struct cfgedit_change change = {key, conversation};
    int rc = cfgedit_apply(path, &change, 1, err);
    free(path);
    return rc;
}
