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

/* How a number word combines with the ones around it ("twenty five", "a
 * hundred", not "five twenty"): ones, teens, tens, hundred. */
enum num_kind { NUM_ONES, NUM_TEENS, NUM_TENS, NUM_HUNDRED };

static enum num_kind num_kind(int v)
{
    return v < 10 ? NUM_ONES : v < 20 ? NUM_TEENS : v < 100 ? NUM_TENS : NUM_HUNDRED;
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

/* Reads a number (digits, or the vocabulary's number words: "twenty
 * five", "a hundred") at words[i]; returns how many words it spans (0:
 * none). */
static size_t read_number(const struct lexicon *lx, char *const *words, size_t n, int *value)
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
        int w = lexicon_number(lx, words[k]);
        if (w < 0)
            break;
        enum num_kind kind = num_kind(w);
        bool fits = (kind == NUM_ONES && (last == -1 || last == NUM_TENS || last == NUM_HUNDRED)) ||
                    ((kind == NUM_TEENS || kind == NUM_TENS) && (last == -1 || last == NUM_HUNDRED)) ||
                    (kind == NUM_HUNDRED && (last == -1 || last == NUM_ONES));
        if (!fits)
            break;
        v = kind == NUM_HUNDRED ? (v ? v : 1) * 100 : v + w;
        last = (int)kind;
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
        } else if ((m = read_number(lx, out->words + i, left, &num)) > 0) {
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
        if (t->tag == LEX_NUM && m == 1 && t->num == 1 && !all_digits(out->words[t->first]) &&
            out->n > 1 &&
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
