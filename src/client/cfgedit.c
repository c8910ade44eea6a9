#include "client/cfgedit.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/xalloc.h"

/* The change for the key a line sets, or NULL (comments, blanks, other keys). */
static const struct cfgedit_change *change_for(const char *line,
                                               const struct cfgedit_change *changes, size_t n)
{
    const char *k = line + strspn(line, " \t");
    size_t len = strcspn(k, " \t=");
    if (*k == '#' || *k == ';' || !len)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (strlen(changes[i].key) == len && !strncmp(k, changes[i].key, len))
            return &changes[i];
    }
    return NULL;
}

/* Creates the directory of path (and its parents) for this user only. */
static int make_dir(const char *path, struct sb_err *err)
{
    char *copy = xstrdup(path);
    char *dir = dirname(copy);
    int rc = SB_OK;
    for (char *p = dir + 1; rc == SB_OK; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                rc = sb_err_set(err, SB_EINTERNAL, "cannot create %s: %s", dir, strerror(errno));
            if (!end)
                *p = '/';
        }
        if (end)
            break;
    }
    free(copy);
    return rc;
}

/* Writes the old lines with the changes made, then the new keys, to out. */
static void rewrite(FILE *in, FILE *out, const struct cfgedit_change *changes, size_t n)
{
    bool done[16] = {false};
    char *line = NULL;
    size_t cap = 0;
    while (in && getline(&line, &cap, in) >= 0) {
        const struct cfgedit_change *c = change_for(line, changes, n);
        if (!c) {
            fputs(line, out);
            if (!strchr(line, '\n'))
                fputc('\n', out);
            continue;
        }
        size_t i = (size_t)(c - changes);
        if (c->value && !done[i])
            fprintf(out, "%s = %s\n", c->key, c->value);
        done[i] = true;
    }
    free(line);
    for (size_t i = 0; i < n; i++) {
        if (!done[i] && changes[i].value)
            fprintf(out, "%s = %s\n", changes[i].key, changes[i].value);
    }
}

int cfgedit_apply(const char *path, const struct cfgedit_change *changes, size_t n,
                  struct sb_err *err)
{
    char *tmp = NULL;
    FILE *in = NULL, *out = NULL;
    int fd = -1, rc = SB_OK;
    if (n > 16)
        return sb_err_set(err, SB_EINVAL, "too many changes");
    for (size_t i = 0; i < n; i++) {
        if (changes[i].value && strpbrk(changes[i].value, "\r\n"))
            return sb_err_set(err, SB_EINVAL, "%s: a value cannot hold a newline", changes[i].key);
    }
    if ((rc = make_dir(path, err)) != SB_OK)
        return rc;
    tmp = xasprintf("%s.XXXXXX", path);
    in = fopen(path, "r");
    if (!in && errno != ENOENT) {
        rc = sb_err_set(err, SB_EINTERNAL, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0 || !(out = fdopen(fd, "w"))) {
        rc = sb_err_set(err, SB_EINTERNAL, "cannot write next to %s: %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    rewrite(in, out, changes, n);
    if (fflush(out) != 0 || fsync(fileno(out)) != 0 || ferror(out)) {
        rc = sb_err_set(err, SB_EINTERNAL, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fclose(out) != 0) {
        out = NULL;
        rc = sb_err_set(err, SB_EINTERNAL, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    out = NULL;
    if (rename(tmp, path) != 0)
        rc = sb_err_set(err, SB_EINTERNAL, "cannot replace %s: %s", path, strerror(errno));
out:
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    if (fd >= 0)
        close(fd);
    if (rc != SB_OK && tmp)
        unlink(tmp);
    free(tmp);
    return rc;
}
