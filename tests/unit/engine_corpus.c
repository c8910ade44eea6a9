/* The phrase corpus: tests/data/phrases*.txt hold pairs of lines, a
 * sentence and the canonical form of the steps the parser must make of it
 * (intent_format). Every pair is a TAP case; the accuracy is printed.
 *   engine_corpus            run the corpus
 *   engine_corpus -e TEXT    print what the parser makes of TEXT */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/intent.h"
#include "engine/lexicon.h"
#include "tap.h"

#define LINE_MAX_LEN 1024

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static int run_file(const struct lexicon *lx, const char *path, int *total, int *right)
{
    char sentence[LINE_MAX_LEN], want[LINE_MAX_LEN], got[LINE_MAX_LEN];
    FILE *f = fopen(path, "r");
    int lineno = 0;
    bool have_sentence = false;
    if (!f) {
        printf("Bail out! cannot open %s\n", path);
        return -1;
    }
    while (fgets(have_sentence ? want : sentence, LINE_MAX_LEN, f)) {
        char *line = have_sentence ? want : sentence;
        lineno++;
        chomp(line);
        if (!line[0] || line[0] == '#')
            continue;
        if (!have_sentence) {
            have_sentence = true;
            continue;
        }
        have_sentence = false;
        struct intent in;
        intent_parse(lx, sentence, &in);
        intent_format(&in, got, sizeof got);
        (*total)++;
        if (ok(strcmp(got, want) == 0, "%s", sentence))
            (*right)++;
        else
            tap_diag("  line %d: got  %s\n#   want %s", lineno, got, want);
    }
    fclose(f);
    if (have_sentence) {
        printf("Bail out! %s: a sentence without its expected steps at the end\n", path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct lexicon *lx;
    struct sb_err err;
    if (lexicon_new(&lx, &err) != SB_OK) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    if (argc > 2 && strcmp(argv[1], "-e") == 0) {
        char got[LINE_MAX_LEN];
        for (int i = 2; i < argc; i++) {
            struct intent in;
            intent_parse(lx, argv[i], &in);
            intent_format(&in, got, sizeof got);
            printf("%s\n%s\n\n", argv[i], got);
        }
        lexicon_free(lx);
        return 0;
    }
    const char *dir = getenv("SB_SRCDIR") ? getenv("SB_SRCDIR") : SB_SRCDIR;
    char pattern[4096];
    glob_t files = {0};
    int total = 0, right = 0, rc = 0;
    snprintf(pattern, sizeof pattern, "%s/tests/data/phrases*.txt", dir);
    if (glob(pattern, 0, NULL, &files) != 0) {
        printf("Bail out! no corpus matches %s\n", pattern);
        lexicon_free(lx);
        return 1;
    }
    for (size_t i = 0; i < files.gl_pathc && rc == 0; i++)
        rc = run_file(lx, files.gl_pathv[i], &total, &right);
    globfree(&files);
    lexicon_free(lx);
    if (rc != 0)
        return 1;
    tap_diag("corpus accuracy: %d/%d = %.1f%%", right, total, total ? 100.0 * right / total : 0.0);
    return tap_done();
}
