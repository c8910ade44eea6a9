/* Tokenizer: normalises a request (case, punctuation, apostrophes, number
 * words, one-letter typos) into tagged tokens for the parser. */
#ifndef SB_ENGINE_TEXT_H
#define SB_ENGINE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/lexicon.h"

#define TEXT_MAX_WORDS 160
#define TEXT_BUF       2048 /* bytes of input read; the rest is ignored */

struct token {
    enum lex_tag tag;
    const char *value;  /* the lexicon entry's value (room key, type key, "on") */
    int num;            /* LEX_NUM: the number */
    size_t first, last; /* the words it spans, [first, last) */
};

struct tokens {
    char buf[TEXT_BUF + 1];
    char *words[TEXT_MAX_WORDS]; /* normalised words, "," for a clause break */
    size_t n_words;
    bool possessive[TEXT_MAX_WORDS]; /* the word ended in 's ("speaker's") */
    struct token toks[TEXT_MAX_WORDS];
    size_t n;
};

void text_tokenize(const struct lexicon *lx, const char *text, struct tokens *out);

/* Joins words [first, last) with single spaces into buf (truncating). */
void text_join(const struct tokens *t, size_t first, size_t last, char *buf, size_t n);

#endif
