/* Loading and looking up data/engine/routines.txt (see routine_lang.h). */
#include "engine/routine_lang.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "engine/routine_data.h"

struct rl_entry {
    char *key;
    char *value;
};

struct routine_lang {
    struct rl_entry *e;
    size_t n;
    /* key -> index + 1 of its first entry (0: empty), open addressing: every
     * chat message is checked against the routine commands, and a linear
     * search of ~200 keys was a sixth of engine_handle's time */
    size_t *index;
    size_t index_cap;
    const struct lexicon *lx; /* the engine's, for the list templates */
};

static size_t hash_key(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of key in the index: its entry, or the empty slot it would take. */
static size_t *index_slot(const struct routine_lang *rl, const char *key)
{
    size_t i = hash_key(key) & (rl->index_cap - 1);
    while (rl->index[i] && strcmp(rl->e[rl->index[i] - 1].key, key) != 0)
        i = (i + 1) & (rl->index_cap - 1);
    return &rl->index[i];
}

/* Indexes the first entry of every key. */
static void build_index(struct routine_lang *rl)
{
    rl->index_cap = 16;
    while (rl->index_cap < 2 * rl->n)
        rl->index_cap *= 2;
    rl->index = xcalloc(rl->index_cap, sizeof *rl->index);
    for (size_t i = 0; i < rl->n; i++) {
        size_t *slot = index_slot(rl, rl->e[i].key);
        if (!*slot)
            *slot = i + 1;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        s[--len] = '\0';
    return s;
}

int routine_lang_parse(const char *data, struct routine_lang **out, struct sb_err *err)
{
    struct routine_lang *rl = xcalloc(1, sizeof *rl);
    char *copy = xstrdup(data), *save = NULL;
    size_t line = 0, cap = 0;
    int rc = SB_OK;
    *out = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        l = trim(l);
        if (!*l || *l == '#')
            continue;
        char *eq = strstr(l, " = ");
        if (!eq) {
            rc = sb_err_set(err, SB_ECORRUPT,
                            "routines.txt entry %zu: expected \"key = value\": %s", line, l);
            goto out;
        }
        *eq = '\0';
        if (rl->n == cap)
            rl->e = xrealloc(rl->e, (cap = cap ? 2 * cap : 64) * sizeof *rl->e);
        rl->e[rl->n].key = xstrdup(trim(l));
        rl->e[rl->n].value = xstrdup(trim(eq + 3));
        rl->n++;
    }
    build_index(rl);
out:
    free(copy);
    if (rc != SB_OK)
        routine_lang_free(rl);
    else
        *out = rl;
    return rc;
}

int routine_lang_new(struct routine_lang **out, struct sb_err *err)
{
    return routine_lang_parse(engine_data_routines, out, err);
}

void routine_lang_free(struct routine_lang *rl)
{
    if (!rl)
        return;
    for (size_t i = 0; i < rl->n; i++) {
        free(rl->e[i].key);
        free(rl->e[i].value);
    }
    free(rl->e);
    free(rl->index);
    free(rl);
}

const char *routine_lang_get(const struct routine_lang *rl, const char *key)
{
    size_t at = *index_slot(rl, key);
    return at ? rl->e[at - 1].value : "";
}

const char *routine_lang_next(const struct routine_lang *rl, const char *prefix, size_t *pos,
                              const char **key)
{
    size_t len = strlen(prefix);
    /* every chat message walks all the keys for a few prefixes: the first
     * byte settles most of them without a call */
    for (; *pos < rl->n; (*pos)++) {
        if (rl->e[*pos].key[0] == prefix[0] && strncmp(rl->e[*pos].key, prefix, len) == 0) {
            if (key)
                *key = rl->e[*pos].key;
            return rl->e[(*pos)++].value;
        }
    }
    return NULL;
}

int routine_lang_is(const struct routine_lang *rl, const char *key, const char *word)
{
    const char *v = routine_lang_get(rl, key);
    size_t wl = strlen(word);
    while (*v) {
        const char *bar = strchr(v, '|'), *end = bar ? bar : v + strlen(v);
        const char *a = v, *b = end;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if ((size_t)(b - a) == wl && strncmp(a, word, wl) == 0)
            return 1;
        v = bar ? bar + 1 : end;
    }
    return 0;
}

void routine_lang_say(const struct routine_lang *rl, const char *key, const struct reply_vars *v,
                      char *buf, size_t n)
{
    reply_fill(routine_lang_get(rl, key), v, buf, n);
}

void routine_lang_use_lexicon(struct routine_lang *rl, const struct lexicon *lx)
{
    rl->lx = lx;
}

int routine_lang_number(const struct routine_lang *rl, const char *word)
{
    return rl->lx ? lexicon_number(rl->lx, word) : -1;
}

void routine_lang_join(const struct routine_lang *rl, const char *const *items, size_t n_items,
                       char *buf, size_t n)
{
    reply_join(rl->lx, items, n_items, "list.and", buf, n);
}
