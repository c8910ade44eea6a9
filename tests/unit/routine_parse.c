/* The routine command corpus: tests/data/routine_phrases.txt holds pairs of
 * lines, a sentence and the command routine_parse must make of it, for a
 * customer with the routines "wind down" and "good morning".
 *   routine_parse.test            run the corpus
 *   routine_parse.test -e TEXT    print what routine_parse makes of TEXT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lexicon.h"
#include "engine/routine_lang.h"
#include "engine/routine_parse.h"
#include "tap.h"

#define LINE_MAX_LEN 1024

static const char *const kind_names[] = {"none", "create", "list", "show", "rename",
                                         "add",  "delete", "run",  "zone"};

/* create name="wind down" steps="lights off" | "the speaker to 15" when=days:62@06:30 */
static void format(const struct routine_cmd *c, char *buf, size_t n)
{
    size_t o = (size_t)snprintf(buf, n, "%s", kind_names[c->kind]);
    if (c->name[0])
        o += (size_t)snprintf(buf + o, n - o, " name=\"%s\"", c->name);
    if (c->new_name[0])
        o += (size_t)snprintf(buf + o, n - o, " new=\"%s\"", c->new_name);
    if (c->zone[0])
        o += (size_t)snprintf(buf + o, n - o, " zone=\"%s\"", c->zone);
    if (c->only_when)
        o += (size_t)snprintf(buf + o, n - o, " schedule-only");
    else if (c->kind == RCMD_CREATE && c->n_steps == 0)
        o += (size_t)snprintf(buf + o, n - o, " unclear=\"%s\"", c->steps[0]);
    for (size_t i = 0; i < c->n_steps; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s\"%s\"", i ? " | " : " steps=", c->steps[i]);
    if (c->when.said) {
        o += (size_t)snprintf(buf + o, n - o, " when=");
        if (c->when.day_offset >= 0)
            o += (size_t)snprintf(buf + o, n - o, "once+%d", c->when.day_offset);
        else
            o += (size_t)snprintf(buf + o, n - o, "days:%u", c->when.days);
        if (c->when.has_time)
            snprintf(buf + o, n - o, "@%02d:%02d", c->when.minute / 60, c->when.minute % 60);
    }
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

int main(int argc, char **argv)
{
    struct lexicon *lx = NULL;
    struct routine_lang *rl = NULL;
    struct sb_err err;
    struct routine rs[2] = {{.name = "wind down"}, {.name = "good morning"}};
    struct customer c = {.id = "c1", .routines = rs, .n_routines = 2};
    struct routine_cmd cmd;
    char got[4096];
    if (lexicon_new(&lx, &err) != SB_OK || routine_lang_new(&rl, &err) != SB_OK) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    routine_lang_use_lexicon(rl, lx); /* as engine_new does: number words */
    if (argc > 2 && strcmp(argv[1], "-e") == 0) {
        for (int i = 2; i < argc; i++) {
            routine_parse(rl, lx, &c, argv[i], &cmd);
            format(&cmd, got, sizeof got);
            printf("%s\n%s\n\n", argv[i], got);
        }
        goto out;
    }
    char path[4096], sentence[LINE_MAX_LEN], want[LINE_MAX_LEN];
    snprintf(path, sizeof path, "%s/tests/data/routine_phrases.txt",
             getenv("SB_SRCDIR") ? getenv("SB_SRCDIR") : SB_SRCDIR);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("Bail out! cannot open %s\n", path);
        return 1;
    }
    bool have = false;
    while (fgets(have ? want : sentence, LINE_MAX_LEN, f)) {
        char *line = have ? want : sentence;
        chomp(line);
        if (!line[0] || line[0] == '#')
            continue;
        if (!(have = !have)) {
            routine_parse(rl, lx, &c, sentence, &cmd);
            format(&cmd, got, sizeof got);
            if (!ok(strcmp(got, want) == 0, "%s", sentence))
                tap_diag("  got  %s\n#   want %s", got, want);
        }
    }
    fclose(f);
    ok(!have, "every sentence has its expected command");
out:
    routine_lang_free(rl);
    lexicon_free(lx);
    return tap_done();
}
