/* Reading a blind batch file into cases, checking each expectation against
 * the homes as it goes, so a typo in a batch is reported as such rather than
 * scored as the bot's mistake. */
#include "blind_batch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* Outcome classes: the words a batch uses, and the protocol outcomes each
 * stands for. The protocol's own names stand for themselves. */
static const struct {
    const char *name;
    const char *outcomes;
} classes[] = {
    {"done", " done "},
    {"partial", " partial "},
    {"ask", " clarify "},
    {"clarify", " clarify "},
    {"deny", " denied "},
    {"denied", " denied "},
    {"answer", " status help "},
    {"status", " status "},
    {"help", " help "},
    {"unsupported", " unsupported "},
    {"scope", " out_of_scope "},
    {"out_of_scope", " out_of_scope "},
    {"*", NULL},
};

static const char *class_outcomes(const char *name, size_t len, int *found)
{
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (strlen(classes[i].name) == len && strncmp(classes[i].name, name, len) == 0) {
            *found = 1;
            return classes[i].outcomes;
        }
    *found = 0;
    return NULL;
}

/* 1 when outcome is in one of want's '|'-separated classes, 0 when not (or
 * outcome is NULL: only checking the names), -1 on an unknown class. */
static int each_class(const char *want, const char *outcome)
{
    for (const char *p = want;; p++) {
        size_t len = strcspn(p, "|");
        int found;
        const char *outs = class_outcomes(p, len, &found);
        if (!found)
            return -1;
        if (outcome) {
            char key[64];
            snprintf(key, sizeof key, " %s ", outcome);
            if (!outs || strstr(outs, key))
                return 1;
        }
        p += len;
        if (*p != '|')
            return 0;
    }
}

int blind_outcome_matches(const char *want, const char *outcome)
{
    return outcome && each_class(want, outcome) == 1;
}

int blind_class_known(const char *want)
{
    return each_class(want, NULL) == 0;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static void *grow(void *arr, size_t n, size_t size)
{
    void *p = realloc(arr, (n + 1) * size);
    if (!p)
        abort();
    memset((char *)p + n * size, 0, size);
    return p;
}

/* A turn's text: "\n" stands for a newline (multi-line messages), "\\" for a
 * backslash. */
static char *unescape(const char *s)
{
    char *out = xstrdup(s), *o = out;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else if (s[0] == '\\' && s[1] == '\\') {
            *o++ = '\\';
            s++;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Next space-separated token of *p into buf; double quotes group words and
 * are dropped. Returns 0 at the end, -1 on an unclosed quote. */
static int next_token(const char **p, char *buf, size_t n)
{
    const char *s = *p;
    size_t len = 0;
    int quoted = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return 0;
    for (; *s && (quoted || !isspace((unsigned char)*s)); s++) {
        if (*s == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted && s[0] == '\\' && s[1] == '"')
            s++;
        if (len + 1 < n)
            buf[len++] = *s;
    }
    buf[len] = '\0';
    *p = s;
    return quoted ? -1 : 1;
}

static const struct customer *find_home(const struct customer *homes, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(homes[i].id, id) == 0)
            return &homes[i];
    return NULL;
}

/* The field's value in the home as the batch writes it ("on", "35", "null"),
 * or -1 when the device has no such field. */
static int initial_value(const struct customer *home, const char *dev, const char *field, char *buf,
                         size_t n)
{
    struct device *d = customer_find_device(home, dev);
    json_object *o = d ? device_to_json(d) : NULL, *v = NULL;
    int rc = -1;
    if (o && json_object_object_get_ex(o, field, &v)) {
        snprintf(buf, n, "%s", v ? json_object_get_string(v) : "null");
        rc = 0;
    }
    json_object_put(o);
    return rc;
}

/* dev.field=value, dev.field>N, dev.field<N, dev.field=* or dev.field=? */
static int parse_change(const char *tok, const struct customer *home, struct blind_change *c,
                        char *why, size_t why_len)
{
    const char *dot = strchr(tok, '.');
    const char *op = dot ? dot + strcspn(dot, "=<>") : NULL;
    char initial[MODEL_NAME_MAX];
    if (!dot || !op || !*op) {
        snprintf(why, why_len, "\"%s\" is not dev.field=value", tok);
        return -1;
    }
    c->device = strndup(tok, (size_t)(dot - tok));
    c->field = strndup(dot + 1, (size_t)(op - dot - 1));
    c->value = xstrdup(op + 1);
    if (!c->device || !c->field)
        abort();
    c->op = *op == '>' ? BLIND_GT : *op == '<' ? BLIND_LT : BLIND_EQ;
    if (c->op == BLIND_EQ && strcmp(c->value, "*") == 0)
        c->op = BLIND_CHANGED;
    if (c->op == BLIND_EQ && strcmp(c->value, "?") == 0)
        c->op = BLIND_MAYBE;
    if (initial_value(home, c->device, c->field, initial, sizeof initial) != 0) {
        snprintf(why, why_len, "home %s has no device field %s.%s", home->id, c->device, c->field);
        return -1;
    }
    /* An expectation the home already meets would score a do-nothing bot
     * right: that is the batch's mistake. */
    if ((c->op == BLIND_EQ && strcmp(initial, c->value) == 0) ||
        (c->op == BLIND_GT && atof(initial) > atof(c->value)) ||
        (c->op == BLIND_LT && atof(initial) < atof(c->value))) {
        snprintf(why, why_len, "%s.%s is already %s in home %s", c->device, c->field, initial,
                 home->id);
        return -1;
    }
    return 0;
}

static int parse_expect(const char *line, const struct customer *home, struct blind_case *k,
                        char *why, size_t why_len)
{
    char tok[MODEL_NAME_MAX + 64];
    const char *p = line;
    int r;
    while ((r = next_token(&p, tok, sizeof tok)) > 0) {
        if (!k->want) {
            if (!blind_class_known(tok)) {
                snprintf(why, why_len, "unknown outcome class \"%s\"", tok);
                return -1;
            }
            k->want = xstrdup(tok);
        } else if (strncmp(tok, "says:", 5) == 0) {
            strlist_push(&k->says, tok + 5);
        } else if (strncmp(tok, "cased:", 6) == 0) {
            strlist_push(&k->cased, tok + 6);
        } else if (strncmp(tok, "needs:", 6) == 0) {
            free(k->needs);
            k->needs = xstrdup(tok + 6);
        } else {
            k->changes = grow(k->changes, k->n_changes, sizeof *k->changes);
            if (parse_change(tok, home, &k->changes[k->n_changes++], why, why_len) != 0)
                return -1;
        }
    }
    if (r < 0) {
        snprintf(why, why_len, "unclosed quote");
        return -1;
    }
    if (!k->want) {
        snprintf(why, why_len, "'=' needs an outcome class");
        return -1;
    }
    return 0;
}

static int header(struct blind_batch *b, const char *key, const char *val, char *why,
                  size_t why_len)
{
    if (strcmp(key, "batch") == 0) {
        free(b->number);
        b->number = xstrdup(val);
    } else if (strcmp(key, "style") == 0) {
        free(b->style);
        b->style = xstrdup(val);
    } else if (strcmp(key, "first-time") == 0) {
        free(b->first_time);
        b->first_time = xstrdup(val);
    } else if (strcmp(key, "held") == 0) {
        char *end = NULL;
        long n = strtol(val, &end, 10);
        if (end == val || *end || n < 1 || n > 100000) {
            snprintf(why, why_len, "held must be a count of cases, not \"%s\"", val);
            return -1;
        }
        b->held = (int)n;
    } else if (strcmp(key, "state") == 0) {
        if (strcmp(val, "pending") == 0)
            b->state = BLIND_PENDING;
        else if (strcmp(val, "sealed") == 0)
            b->state = BLIND_SEALED;
        else if (strcmp(val, "fixed") == 0)
            b->state = BLIND_FIXED;
        else {
            snprintf(why, why_len, "state must be pending, sealed or fixed, not \"%s\"", val);
            return -1;
        }
    } else {
        snprintf(why, why_len, "unknown header \"%s\"", key);
        return -1;
    }
    return 0;
}

int blind_batch_load(const char *path, const struct customer *homes, size_t n_homes,
                     struct blind_batch *out, char *why, size_t why_len)
{
    FILE *f = fopen(path, "r");
    char buf[MODEL_TEXT_MAX], msg[400] = "";
    char *home = NULL, *klass = NULL;
    struct blind_case *open_case = NULL;
    int lineno = 0, rc = -1, state_seen = 0;
    memset(out, 0, sizeof *out);
    out->path = xstrdup(path);
    if (!f) {
        snprintf(why, why_len, "%s: cannot open", path);
        goto out;
    }
    while (fgets(buf, sizeof buf, f)) {
        char *line = util_trim(buf);
        lineno++;
        if (!*line || *line == '#')
            continue;
        if (*line == '>' || *line == '<' || *line == '=') {
            char *rest = util_trim(line + 1);
            if (*line == '>' && !open_case) {
                if (!home) {
                    snprintf(msg, sizeof msg, "a case before any 'home:' line");
                    goto bad;
                }
                out->cases = grow(out->cases, out->n_cases, sizeof *out->cases);
                open_case = &out->cases[out->n_cases++];
                open_case->line = lineno;
                open_case->home = xstrdup(home);
                open_case->klass = xstrdup(klass ? klass : "unclassified");
            }
            if (!open_case) {
                snprintf(msg, sizeof msg, "'%c' outside a case", *line);
                goto bad;
            }
            if (*line == '>') {
                open_case->turns =
                    grow(open_case->turns, open_case->n_turns, sizeof *open_case->turns);
                open_case->turns[open_case->n_turns++].text = unescape(rest);
            } else if (*line == '<') {
                struct blind_turn *t = &open_case->turns[open_case->n_turns - 1];
                if (t->want || !blind_class_known(rest)) {
                    snprintf(msg, sizeof msg, "'<' needs one outcome class per turn");
                    goto bad;
                }
                t->want = xstrdup(rest);
            } else {
                const struct customer *h = find_home(homes, n_homes, open_case->home);
                if (parse_expect(rest, h, open_case, msg, sizeof msg) != 0)
                    goto bad;
                open_case = NULL;
            }
            continue;
        }
        char *colon = strchr(line, ':');
        if (open_case) {
            snprintf(msg, sizeof msg, "a case's turns must end with an '=' line");
            goto bad;
        }
        if (!colon) {
            snprintf(msg, sizeof msg, "not a header, case or comment: \"%s\"", line);
            goto bad;
        }
        *colon = '\0';
        char *key = util_trim(line), *val = util_trim(colon + 1);
        if (strcmp(key, "home") == 0) {
            if (!find_home(homes, n_homes, val)) {
                snprintf(msg, sizeof msg, "no home \"%s\" in homes.json", val);
                goto bad;
            }
            free(home);
            home = xstrdup(val);
        } else if (strcmp(key, "class") == 0) {
            free(klass);
            klass = xstrdup(val);
        } else {
            state_seen |= strcmp(key, "state") == 0;
            if (header(out, key, val, msg, sizeof msg) != 0)
                goto bad;
        }
    }
    if (open_case) {
        snprintf(msg, sizeof msg, "the last case has no '=' line");
        goto bad;
    }
    if (!out->number || !state_seen) {
        snprintf(why, why_len, "%s: the header needs 'batch:' and 'state:'", path);
        goto out;
    }
    if (out->held > 0 && (size_t)out->held > out->n_cases) {
        snprintf(why, why_len, "%s: held %d is more than its %zu cases", path, out->held,
                 out->n_cases);
        goto out;
    }
    rc = 0;
    goto out;
bad:
    snprintf(why, why_len, "%s:%d: %s", path, lineno, msg);
out:
    if (f)
        fclose(f);
    free(home);
    free(klass);
    return rc;
}

void blind_batch_free(struct blind_batch *b)
{
    for (size_t i = 0; i < b->n_cases; i++) {
        struct blind_case *k = &b->cases[i];
        for (size_t j = 0; j < k->n_turns; j++) {
            free(k->turns[j].text);
            free(k->turns[j].want);
        }
        for (size_t j = 0; j < k->n_changes; j++) {
            free(k->changes[j].device);
            free(k->changes[j].field);
            free(k->changes[j].value);
        }
        free(k->turns);
        free(k->changes);
        free(k->home);
        free(k->klass);
        free(k->want);
        free(k->needs);
        strlist_free(&k->says);
        strlist_free(&k->cased);
    }
    free(b->cases);
    free(b->path);
    free(b->number);
    free(b->style);
    free(b->first_time);
    memset(b, 0, sizeof *b);
}
