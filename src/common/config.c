#include "common/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"

struct config_entry {
    char *key;
    char *value;
    int line;
};

struct config {
    char *name;
    struct config_entry *entries;
    size_t n;
};

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n; i++) {
        free(cfg->entries[i].key);
        free(cfg->entries[i].value);
    }
    free(cfg->entries);
    free(cfg->name);
    free(cfg);
}

static int valid_key(const char *k)
{
    if (!*k)
        return 0;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
              *k == '_' || *k == '-' || *k == '.'))
            return 0;
    return 1;
}

/* Parses one non-comment line into key and value (both pointing into line). */
static int parse_line(const char *name, int lineno, char *line, char **key, char **value,
                      struct sb_err *err)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return sb_err_set(err, SB_EINVAL, "%s:%d: expected 'key = value', got \"%s\"", name, lineno,
                          line);
    *eq = '\0';
    *key = util_trim(line);
    *value = util_trim(eq + 1);
    if (!valid_key(*key))
        return sb_err_set(err, SB_EINVAL, "%s:%d: '%s' is not a valid setting name", name, lineno,
                          *key);
    size_t vn = strlen(*value);
    if (vn > 0 && (*value)[0] == '"') {
        if (vn < 2 || (*value)[vn - 1] != '"')
            return sb_err_set(err, SB_EINVAL, "%s:%d: unterminated quoted value for '%s'", name,
                              lineno, *key);
        (*value)[vn - 1] = '\0';
        (*value)++;
    }
    return SB_OK;
}

int config_parse(const char *name, const char *text, struct config **out, struct sb_err *err)
{
    struct config *cfg = xcalloc(1, sizeof(*cfg));
    char *copy = xstrdup(text);
    int rc = SB_EINTERNAL, lineno = 0;
    cfg->name = xstrdup(name);
    /* Split by hand: strtok would skip empty lines and break line numbering. */
    for (char *line = copy; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *l = util_trim(line);
        line = nl ? nl + 1 : NULL;
        if (*l == '\0' || *l == '#' || *l == ';')
            continue;
        char *key = NULL, *value = NULL;
        if ((rc = parse_line(name, lineno, l, &key, &value, err)) != SB_OK)
            goto out;
        cfg->entries = xrealloc(cfg->entries, (cfg->n + 1) * sizeof(*cfg->entries));
        cfg->entries[cfg->n] = (struct config_entry){xstrdup(key), xstrdup(value), lineno};
        cfg->n++;
    }
    *out = cfg;
    cfg = NULL;
    rc = SB_OK;
out:
    free(copy);
    config_free(cfg);
    return rc;
}

int config_load(const char *path, struct config **out, struct sb_err *err)
{
    char *text = NULL;
    if (util_read_file(path, &text, NULL) != 0) {
        int code = errno == ENOENT ? SB_ENOTFOUND : SB_EINVAL;
        return sb_err_set(err, code, "cannot read config file %s: %s", path, strerror(errno));
    }
    int rc = config_parse(path, text, out, err);
    free(text);
    return rc;
}

static const struct config_entry *find(const struct config *cfg, const char *key)
{
    if (!cfg)
        return NULL;
    for (size_t i = cfg->n; i > 0; i--)
        if (strcmp(cfg->entries[i - 1].key, key) == 0)
            return &cfg->entries[i - 1];
    return NULL;
}

const char *config_get(const struct config *cfg, const char *key)
{
    const struct config_entry *e = find(cfg, key);
    return e ? e->value : NULL;
}

int config_line(const struct config *cfg, const char *key)
{
    const struct config_entry *e = find(cfg, key);
    return e ? e->line : 0;
}

const char *config_name(const struct config *cfg)
{
    return cfg ? cfg->name : "";
}

int config_check_keys(const struct config *cfg, const char *const *known, struct sb_err *err)
{
    for (size_t i = 0; cfg && i < cfg->n; i++) {
        int found = 0;
        for (const char *const *k = known; *k && !found; k++)
            found = strcmp(*k, cfg->entries[i].key) == 0;
        if (found)
            continue;
        char list[300] = "";
        size_t len = 0;
        for (const char *const *k = known; *k && len < sizeof(list); k++)
            len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", k == known ? "" : ", ",
                                    *k);
        return sb_err_set(err, SB_EINVAL, "%s:%d: unknown setting '%s' (known: %s)", cfg->name,
                          cfg->entries[i].line, cfg->entries[i].key, list);
    }
    return SB_OK;
}

int config_get_int(const struct config *cfg, const char *key, long min, long max, long *out,
                   struct sb_err *err)
{
    const struct config_entry *e = find(cfg, key);
    if (!e)
        return SB_OK;
    char *end;
    errno = 0;
    long v = strtol(e->value, &end, 10);
    if (errno || end == e->value || *end || v < min || v > max)
        return sb_err_set(err, SB_EINVAL,
                          "%s:%d: %s must be a whole number from %ld to %ld, got \"%s\"", cfg->name,
                          e->line, key, min, max, e->value);
    *out = v;
    return SB_OK;
}
