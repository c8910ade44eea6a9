/* Loading and looking up the vocabulary: a hash of phrases for the parser,
 * a list of type fragments, and a hash of reply templates. */
#include "engine/lexicon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xalloc.h"
#include "engine/engine_data.h"

#define LEX_MAX_PHRASE_WORDS 6

struct lex_entry {
    char *key; /* phrase or template key */
    char *value;
    enum lex_tag tag;
    size_t nwords;
};

struct lex_table {
    struct lex_entry *slots; /* open addressing; key NULL = empty */
    size_t cap;
};

struct lexicon {
    struct lex_table words;
    struct lex_table numbers;   /* number words: "twenty" -> "20" */
    struct lex_table fractions; /* parts of a whole: "quarter" -> "4" */
    struct lex_table replies;
    size_t max_words;
};

static const char *const tag_names[LEX_NTAGS] = {
    [LEX_WORD] = "word",       [LEX_FILLER] = "filler",
    [LEX_CONJ] = "conj",       [LEX_QUESTION] = "question",
    [LEX_STATUS] = "status",   [LEX_HELP] = "help",
    [LEX_OOS] = "oos",         [LEX_STATE] = "state",
    [LEX_POWER] = "power",     [LEX_VOLUME] = "volume",
    [LEX_UP] = "up",           [LEX_DOWN] = "down",
    [LEX_MUTE] = "mute",       [LEX_MAX] = "max",
    [LEX_HALF] = "half",       [LEX_SET] = "set",
    [LEX_BY] = "by",           [LEX_TO] = "to",
    [LEX_FROM] = "from",       [LEX_IN] = "in",
    [LEX_SONG] = "song",       [LEX_NEXT] = "next",
    [LEX_PREV] = "prev",       [LEX_PLAY] = "play",
    [LEX_DISLIKE] = "dislike", [LEX_MOVE] = "move",
    [LEX_ALL] = "all",         [LEX_REF] = "ref",
    [LEX_PERCENT] = "percent", [LEX_DEVICE] = "device",
    [LEX_TYPE] = "type",       [LEX_ROOM] = "room",
    [LEX_NOT] = "not",         [LEX_GREETING] = "greeting",
    [LEX_THANKS] = "thanks",   [LEX_AMOUNT] = "amount",
    [LEX_EXCEPT] = "except",   [LEX_UNSUPPORTED] = "unsupported",
    [LEX_AGAIN] = "again",     [LEX_CORRECT] = "correct",
    [LEX_LIKE] = "like",       [LEX_ORDINAL] = "ordinal",
    [LEX_NUM] = "num",         [LEX_SEP] = "sep",
    [LEX_NAME] = "name",       [LEX_PART] = "part",
    [LEX_TITLE] = "title",
};

const char *lex_tag_name(enum lex_tag t)
{
    return t < LEX_NTAGS ? tag_names[t] : "?";
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct lex_entry *table_slot(const struct lex_table *t, const char *key)
{
    size_t i = hash_str(key) & (t->cap - 1);
    while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
        i = (i + 1) & (t->cap - 1);
    return &t->slots[i];
}

static void table_init(struct lex_table *t, size_t want)
{
    t->cap = 64;
    while (t->cap < want * 2)
        t->cap *= 2;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
}

static void table_free(struct lex_table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->slots[i].key);
        free(t->slots[i].value);
    }
    free(t->slots);
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && (p == s || p[-1] == ' '))
            n++;
    return n;
}

static int tag_from_name(const char *name, enum lex_tag *out)
{
    /* the tokenizer's own tags are no lexicon tags, but for a word that
     * stands for a name word ("part=ceiling: big") */
    for (int t = LEX_FILLER; t < LEX_NTAGS; t++)
        if ((t < LEX_NUM || t == LEX_PART) && strcmp(tag_names[t], name) == 0) {
            *out = (enum lex_tag)t;
            return 0;
        }
    return -1;
}

/* Adds one phrase; the first meaning given for a phrase wins. */
static void add_phrase(struct lexicon *lx, const char *phrase, enum lex_tag tag, const char *value)
{
    struct lex_entry *e = table_slot(&lx->words, phrase);
    if (e->key)
        return;
    e->key = xstrdup(phrase);
    e->value = value ? xstrdup(value) : NULL;
    e->tag = tag;
    e->nwords = count_words(phrase);
    if (e->nwords > lx->max_words)
        lx->max_words = e->nwords;
}

/* Calls fn for each "head: item | item" line of text; head may be "k=v". */
typedef int (*line_fn)(struct lexicon *lx, const char *head, char *items, int lineno,
                       struct sb_err *err);

static int for_each_line(struct lexicon *lx, const char *text, const char *what, line_fn fn,
                         char sep, struct sb_err *err)
{
    char *copy = xstrdup(text);
    int rc = SB_OK, lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *s = util_trim(line);
        if (!*s || *s == '#')
            continue;
        char *colon = strchr(s, sep);
        if (!colon) {
            rc = sb_err_set(err, SB_ECORRUPT, "%s line %d: missing '%c'", what, lineno, sep);
            goto out;
        }
        *colon = '\0';
        rc = fn(lx, util_trim(s), util_trim(colon + 1), lineno, err);
        if (rc != SB_OK)
            goto out;
    }
out:
    free(copy);
    return rc;
}

/* "number=20: twenty": words the tokenizer reads as numbers (0-100);
 * "fraction=4: quarter": a part of a whole, by its denominator (2-100). */
static int number_line(struct lex_table *table, long lo, const char *value, char *items, int lineno,
                       struct sb_err *err)
{
    char *end, *save = NULL;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v < lo || v > 100)
        return sb_err_set(err, SB_ECORRUPT, "lexicon line %d: a number must be %ld-100", lineno,
                          lo);
    for (char *p = strtok_r(items, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
        char *word = util_trim(p);
        struct lex_entry *e = table_slot(table, word);
        if (!*word || e->key)
            continue;
        e->key = xstrdup(word);
        e->value = xstrdup(value);
    }
    return SB_OK;
}

static int lexicon_line(struct lexicon *lx, const char *head, char *items, int lineno,
                        struct sb_err *err)
{
    char name[32];
    const char *eq = strchr(head, '=');
    size_t n = eq ? (size_t)(eq - head) : strlen(head);
    enum lex_tag tag;
    if (n >= sizeof name)
        return sb_err_set(err, SB_ECORRUPT, "lexicon line %d: bad tag", lineno);
    memcpy(name, head, n);
    name[n] = '\0';
    if (strcmp(name, "number") == 0)
        return number_line(&lx->numbers, 0, eq ? eq + 1 : "", items, lineno, err);
    if (strcmp(name, "fraction") == 0)
        return number_line(&lx->fractions, 2, eq ? eq + 1 : "", items, lineno, err);
    if (tag_from_name(name, &tag) != 0)
        return sb_err_set(err, SB_ECORRUPT, "lexicon line %d: unknown tag \"%s\"", lineno, name);
    char *save = NULL;
    for (char *p = strtok_r(items, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
        char *phrase = util_trim(p);
        if (count_words(phrase) > LEX_MAX_PHRASE_WORDS)
            return sb_err_set(err, SB_ECORRUPT, "lexicon line %d: phrase too long", lineno);
        if (*phrase)
            add_phrase(lx, phrase, tag, eq ? eq + 1 : NULL);
    }
    return SB_OK;
}

static int replies_line(struct lexicon *lx, const char *head, char *items, int lineno,
                        struct sb_err *err)
{
    struct lex_entry *e = table_slot(&lx->replies, head);
    if (e->key)
        return sb_err_set(err, SB_ECORRUPT, "replies line %d: \"%s\" given twice", lineno, head);
    e->key = xstrdup(head);
    e->value = xstrdup(items);
    return SB_OK;
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

int lexicon_new(struct lexicon **out, struct sb_err *err)
{
    struct lexicon *lx = xcalloc(1, sizeof *lx);
    *out = NULL;
    table_init(&lx->words,
               count_char(engine_data_lexicon, '|') + count_char(engine_data_lexicon, '\n'));
    table_init(&lx->numbers, 64);
    table_init(&lx->fractions, 16);
    table_init(&lx->replies, count_char(engine_data_replies, '\n'));
    int rc = for_each_line(lx, engine_data_lexicon, "lexicon", lexicon_line, ':', err);
    if (rc == SB_OK)
        rc = for_each_line(lx, engine_data_replies, "replies", replies_line, '=', err);
    if (rc != SB_OK)
        lexicon_free(lx);
    else
        *out = lx;
    return rc;
}

void lexicon_free(struct lexicon *lx)
{
    if (!lx)
        return;
    table_free(&lx->words);
    table_free(&lx->replies);
    table_free(&lx->numbers);
    table_free(&lx->fractions);
    free(lx);
}

size_t lexicon_match(const struct lexicon *lx, char *const *words, size_t n, enum lex_tag *tag,
                     const char **value)
{
    char buf[256];
    size_t max = n < lx->max_words ? n : lx->max_words;
    for (size_t k = max; k > 0; k--) {
        size_t len = 0;
        bool fits = true;
        for (size_t i = 0; i < k && fits; i++) {
            size_t wl = strlen(words[i]);
            if (len + wl + 2 > sizeof buf)
                fits = false;
            else {
                if (i)
                    buf[len++] = ' ';
                memcpy(buf + len, words[i], wl);
                len += wl;
            }
        }
        if (!fits)
            continue;
        buf[len] = '\0';
        const struct lex_entry *e = table_slot(&lx->words, buf);
        if (e->key) {
            *tag = e->tag;
            *value = e->value;
            return k;
        }
    }
    return 0;
}

bool lexicon_one_edit(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb)
        return lexicon_one_edit(b, a);
    if (lb - la > 1)
        return false;
    size_t i = 0;
    while (i < la && a[i] == b[i])
        i++;
    if (i == la)
        return lb == la + 1;
    if (la == lb)
        return strcmp(a + i + 1, b + i + 1) == 0 ||
               (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                strcmp(a + i + 2, b + i + 2) == 0);
    return strcmp(a + i, b + i + 1) == 0;
}

/* Whether a and b differ by at most two edits (substitutions, insertions,
 * deletions) after the same first three letters and before the same last
 * one ("dismay", "display"; not "having", "heating"); words of up to 31
 * letters. */
static bool two_edits(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned prev[32], cur[32];
    if (la >= 32 || lb >= 32 || (la > lb ? la - lb : lb - la) > 2 || la < 4 || lb < 4 ||
        strncmp(a, b, 3) != 0 || a[la - 1] != b[lb - 1])
        return false;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof cur);
    }
    return prev[lb] <= 2;
}

/* The single meaning among the vocabulary's one-word entries (4+ letters,
 * no filler) that close(word, key) finds, or NULL when none or (several
 * set) more than one; kinds_only keeps to the kinds of device and the
 * rooms. */
static const struct lex_entry *closest(const struct lexicon *lx, const char *word,
                                       bool (*close)(const char *, const char *), bool kinds_only,
                                       bool *several)
{
    *several = false;
    const struct lex_entry *found = NULL;
    for (size_t i = 0; i < lx->words.cap; i++) {
        const struct lex_entry *e = &lx->words.slots[i];
        if (!e->key || e->nwords != 1 || e->tag == LEX_FILLER || strlen(e->key) < 4 ||
            (kinds_only && e->tag != LEX_TYPE && e->tag != LEX_ROOM) || !close(word, e->key))
            continue;
        if (found &&
            (found->tag != e->tag || (found->value && e->value ? strcmp(found->value, e->value) != 0
                                                               : found->value != e->value))) {
            *several = true;
            return NULL;
        }
        found = e;
    }
    return found;
}

bool lexicon_correct(const struct lexicon *lx, const char *word, enum lex_tag *tag,
                     const char **value)
{
    const struct lex_entry *found = NULL;
    size_t len = strlen(word);
    bool several;
    if (len < 4)
        return false;
    /* two slips in a long word ("dismay" for display) only for a kind of
     * device or a room, and only when no word is one slip away */
    if (!(found = closest(lx, word, lexicon_one_edit, false, &several)) && !several && len >= 6)
        found = closest(lx, word, two_edits, true, &several);
    if (!found)
        return false;
    *tag = found->tag;
    *value = found->value;
    return true;
}

int lexicon_number(const struct lexicon *lx, const char *word)
{
    const struct lex_entry *e = table_slot(&lx->numbers, word);
    return e->key ? atoi(e->value) : -1;
}

int lexicon_fraction(const struct lexicon *lx, const char *word)
{
    const struct lex_entry *e = table_slot(&lx->fractions, word);
    return e->key ? atoi(e->value) : -1;
}

const char *lexicon_reply(const struct lexicon *lx, const char *key)
{
    const struct lex_entry *e = table_slot(&lx->replies, key);
    return e->key ? e->value : "";
}
