/* Splitting a request into normalised words and tagging them. */
#include "engine/text.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define TEXT_NUM_CAP 100000

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Lower-cases text into out->buf as NUL-separated words; clause punctuation
 * becomes the word ",", "%" the word "percent", apostrophes vanish. */
static void split_words(const char *text, struct tokens *out)
{
    size_t o = 0;
    bool in_word = false;
    out->n_words = 0;
    for (size_t i = 0; text[i] && o + 10 < TEXT_BUF && out->n_words < TEXT_MAX_WORDS; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        /* ' and the UTF-8 right single quote join "don't" into "dont" */
        size_t quote = c == '\'' || c == '`' ? 1 : 0;
        if (c == 0xE2 && (unsigned char)text[i + 1] == 0x80 &&
            ((unsigned char)text[i + 2] == 0x99 || (unsigned char)text[i + 2] == 0x98))
            quote = 3;
        if (quote) {
            const char *after = text + i + quote;
            if (in_word && (after[0] == 's' || after[0] == 'S') &&
                !is_word_byte((unsigned char)tolower((unsigned char)after[1])))
                out->possessive[out->n_words - 1] = true;
            i += quote - 1;
            continue;
        }
        if (is_word_byte(c)) {
            if (!in_word) {
                out->possessive[out->n_words] = false;
                out->words[out->n_words++] = out->buf + o;
                in_word = true;
            }
            out->buf[o++] = (char)c;
            continue;
        }
        if (in_word) {
            out->buf[o++] = '\0';
            in_word = false;
        }
        const char *w = NULL;
        if (strchr(",;.!?:", (char)c))
            w = ",";
        else if (c == '%')
            w = "percent";
        else if (c == '&' || c == '+')
            w = "and";
        if (w && out->n_words < TEXT_MAX_WORDS) {
            out->possessive[out->n_words] = false;
            out->words[out->n_words++] = out->buf + o;
            size_t l = strlen(w);
            memcpy(out->buf + o, w, l + 1);
            o += l + 1;
        }
    }
    out->buf[o] = '\0';
}

struct numword {
    const char *w;
    int v;
    int kind; /* 0 ones, 1 teens, 2 tens, 3 hundred */
};

static const struct numword numwords[] = {
    {"zero", 0, 0},     {"one", 1, 0},        {"two", 2, 0},       {"three", 3, 0},
    {"four", 4, 0},     {"five", 5, 0},       {"six", 6, 0},       {"seven", 7, 0},
    {"eight", 8, 0},    {"nine", 9, 0},       {"ten", 10, 1},      {"eleven", 11, 1},
    {"twelve", 12, 1},  {"thirteen", 13, 1},  {"fourteen", 14, 1}, {"fifteen", 15, 1},
    {"sixteen", 16, 1}, {"seventeen", 17, 1}, {"eighteen", 18, 1}, {"nineteen", 19, 1},
    {"twenty", 20, 2},  {"thirty", 30, 2},    {"forty", 40, 2},    {"fourty", 40, 2},
    {"fifty", 50, 2},   {"sixty", 60, 2},     {"seventy", 70, 2},  {"eighty", 80, 2},
    {"ninety", 90, 2},  {"hundred", 100, 3},
};

static const struct numword *find_numword(const char *w)
{
    for (size_t i = 0; i < sizeof numwords / sizeof *numwords; i++)
        if (strcmp(numwords[i].w, w) == 0)
            return &numwords[i];
    return NULL;
}

static bool all_digits(const char *w)
{
    if (!*w)
        return false;
    for (; *w; w++)
        if (*w < '0' || *w > '9')
            return false;
    return true;
}

/* Reads a number (digits, or words like "twenty five", "a hundred") at
 * words[i]; returns how many words it spans (0: none). */
static size_t read_number(char *const *words, size_t n, int *value)
{
    if (all_digits(words[0])) {
        long v = 0;
        for (const char *p = words[0]; *p && v <= TEXT_NUM_CAP; p++)
            v = v * 10 + (*p - '0');
        *value = v > TEXT_NUM_CAP ? TEXT_NUM_CAP : (int)v;
        return 1;
    }
    int v = 0, last = -1;
    size_t k = 0;
    for (; k < n; k++) {
        const struct numword *nw = find_numword(words[k]);
        if (!nw)
            break;
        bool fits = (nw->kind == 0 && (last == -1 || last == 2 || last == 3)) ||
                    ((nw->kind == 1 || nw->kind == 2) && (last == -1 || last == 3)) ||
                    (nw->kind == 3 && (last == -1 || last == 0));
        if (!fits)
            break;
        v = nw->kind == 3 ? (v ? v : 1) * 100 : v + nw->v;
        last = nw->kind;
    }
    *value = v;
    return k;
}

void text_tokenize(const struct lexicon *lx, const char *text, struct tokens *out)
{
    split_words(text, out);
    out->n = 0;
    for (size_t i = 0; i < out->n_words;) {
        struct token *t = &out->toks[out->n++];
        size_t left = out->n_words - i, m;
        int num;
        t->first = i;
        t->value = NULL;
        t->num = 0;
        if (strcmp(out->words[i], ",") == 0) {
            t->tag = LEX_SEP;
            m = 1;
        } else if ((m = lexicon_match(lx, out->words + i, left, &t->tag, &t->value)) >= 2) {
            /* a phrase beats a number inside it ("hundred percent") */
        } else if ((m = read_number(out->words + i, left, &num)) > 0) {
            t->tag = LEX_NUM;
            t->num = num;
        } else if ((m = lexicon_match(lx, out->words + i, 1, &t->tag, &t->value)) == 1) {
        } else {
            m = 1;
            if (!lexicon_correct(lx, out->words[i], &t->tag, &t->value))
                t->tag = LEX_WORD;
        }
        i += m;
        t->last = i;
        /* "the kitchen one": a device, not the number 1 */
        if (t->tag == LEX_NUM && m == 1 && strcmp(out->words[t->first], "one") == 0 && out->n > 1 &&
            (t[-1].tag == LEX_ROOM || t[-1].tag == LEX_TYPE)) {
            t->tag = LEX_DEVICE;
            t->num = 0;
        }
    }
}

void text_join(const struct tokens *t, size_t first, size_t last, char *buf, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (size_t i = first; i < last && i < t->n_words; i++) {
        const char *w = t->words[i];
        if (strcmp(w, ",") == 0)
            continue;
        size_t l = strlen(w);
        if (o + l + 2 > n)
            break;
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, w, l);
        o += l;
        buf[o] = '\0';
    }
}
