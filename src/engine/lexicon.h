/* The engine's vocabulary, loaded from the data files under data/engine/
 * (embedded at build time): word classes for the parser and reply
 * templates. (Device types are the model's: model_type_is.)
 *
 * Ownership: a lexicon is created by lexicon_new and released by
 * lexicon_free; strings it returns live as long as the lexicon. It is
 * read-only after creation, so threads share it freely. */
#ifndef SB_ENGINE_LEXICON_H
#define SB_ENGINE_LEXICON_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

/* Word classes; the names in lexicon.txt are these without the prefix. */
enum lex_tag {
    LEX_WORD = 0, /* not in the vocabulary */
    LEX_FILLER,
    LEX_CONJ,
    LEX_QUESTION,
    LEX_STATUS,
    LEX_HELP,
    LEX_OOS,
    LEX_STATE,
    LEX_POWER,
    LEX_VOLUME,
    LEX_UP,
    LEX_DOWN,
    LEX_MUTE,
    LEX_MAX,
    LEX_HALF,
    LEX_SET,
    LEX_BY,
    LEX_TO,
    LEX_FROM,
    LEX_IN,
    LEX_SONG,
    LEX_NEXT,
    LEX_PREV,
    LEX_PLAY,
    LEX_DISLIKE,
    LEX_MOVE,
    LEX_ALL,
    LEX_REF,
    LEX_PERCENT,
    LEX_DEVICE,
    LEX_TYPE,
    LEX_ROOM,
    LEX_NOT,
    LEX_GREETING,
    LEX_THANKS,
    LEX_AMOUNT,      /* "a bit", "a lot": how far up or down */
    LEX_EXCEPT,      /* "apart from", "except": what follows is left out */
    LEX_UNSUPPORTED, /* an attribute the bot has no action for (value: which) */
    LEX_AGAIN,       /* a follow-up: more, less, also, other (value) */
    LEX_CORRECT,     /* "no sorry", "I mean": what follows replaces what came before */
    LEX_LIKE,        /* "as loud as", "to match": the device after it gives the value */
    LEX_ORDINAL,     /* "the second": value is the position, 1 first */
    LEX_NUM,         /* made by the tokenizer, not the lexicon */
    LEX_SEP,         /* punctuation between clauses */
    /* the customer's own words (text_entities), read before the vocabulary */
    LEX_NAME,  /* a device's whole name: value is its id */
    LEX_PART,  /* a word of one or more devices' names that is no vocabulary word,
                * or a lexicon word standing for one ("big": value "ceiling") */
    LEX_TITLE, /* a title on a playlist: value is the title as the playlist spells it */
    LEX_NTAGS
};

struct lexicon;

int lexicon_new(struct lexicon **out, struct sb_err *err);
void lexicon_free(struct lexicon *lx);

/* The longest phrase of the vocabulary that starts at words[0] (at most n
 * words). Returns how many words it spans (0: none) and sets tag and value
 * (value NULL when the entry has none). */
size_t lexicon_match(const struct lexicon *lx, char *const *words, size_t n, enum lex_tag *tag,
                     const char **value);

/* A typo fix: the single vocabulary word (4+ letters) one edit
 * away from word (two in a kind or a room of 6+ letters: "dismay"), when
 * exactly one meaning is that close. */
bool lexicon_correct(const struct lexicon *lx, const char *word, enum lex_tag *tag,
                     const char **value);

/* Whether a and b differ by one substitution, insertion, deletion or
 * swap of neighbours ("radoi" and "radio"). */
bool lexicon_one_edit(const char *a, const char *b);

/* The value of a number word ("twenty": 20), or -1. */
int lexicon_number(const struct lexicon *lx, const char *word);
/* The denominator of a fraction word ("quarter": 4), or -1. */
int lexicon_fraction(const struct lexicon *lx, const char *word);

/* The reply template for key, or "" when the data has none. */
const char *lexicon_reply(const struct lexicon *lx, const char *key);

const char *lex_tag_name(enum lex_tag t);

#endif
