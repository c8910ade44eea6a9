/* Tokenizer: normalises a request (case, punctuation, apostrophes, number
 * words, one-letter typos) into tagged tokens for the parser. */
#ifndef SB_ENGINE_TEXT_H
#define SB_ENGINE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/lexicon.h"

#define TEXT_MAX_WORDS    160
#define TEXT_BUF          2048 /* bytes of input read; the rest is ignored */
#define TEXT_MAX_ENTITIES 96   /* the customer's names, rooms and titles read first */
#define TEXT_ENTITY_WORDS 8    /* words of one name or title that can match */
#define TEXT_ENTITY_BUF   96

/* The customer's own words: device names, rooms and playlist titles, as
 * normalised word lists, read before the vocabulary (longest match first),
 * so that a light called "Play Corner" is not the verb play and a song
 * called "Kitchen Sink" is not a room. Values point into the customer's
 * records, which must outlive the tokens. */
struct text_entity {
    enum lex_tag tag;  /* LEX_NAME, LEX_PART, LEX_ROOM or LEX_TITLE */
    const char *value; /* device id, name word, location or title */
    const char *canon; /* LEX_ROOM: the vocabulary's key for it ("hallway" for "hall") */
    char buf[TEXT_ENTITY_BUF];
    const char *words[TEXT_ENTITY_WORDS];
    size_t n_words;
};

struct text_entities {
    struct text_entity e[TEXT_MAX_ENTITIES];
    size_t n;
};

/* Adds phrase (any case and punctuation) as an entity of tag; false when
 * it has no words or there is no room. */
bool text_entity_add(const struct lexicon *lx, struct text_entities *ents, enum lex_tag tag,
                     const char *value, const char *phrase);

struct token {
    enum lex_tag tag;
    enum lex_tag was;   /* the tag before the parser re-read it (exceptions) */
    bool fixed;         /* a typo fix made the tag (the word itself is unknown) */
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
    /* where each word is in the request as typed, for titles in their own
     * casing ("I couldn't find \"Nonexistent\"") */
    const char *src;
    bool own; /* tokenized with the customer's entities */
    size_t src_at[TEXT_MAX_WORDS], src_end[TEXT_MAX_WORDS];
};

/* ents may be NULL (no customer: the vocabulary only). A newline ends a
 * clause like a full stop; a '?' separator token has value "?". */
void text_tokenize(const struct lexicon *lx, const struct text_entities *ents, const char *text,
                   struct tokens *out);

/* Joins words [first, last) with single spaces into buf (truncating). */
void text_join(const struct tokens *t, size_t first, size_t last, char *buf, size_t n);
/* The same words as the request typed them (its case and inner marks). */
void text_join_typed(const struct tokens *t, size_t first, size_t last, char *buf, size_t n);

#endif
