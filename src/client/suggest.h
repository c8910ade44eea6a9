/* "Did you mean": the closest of a set of known words to a mistyped one
 * (edit distance with transpositions), when it is close enough to be a
 * likely typo: one edit for short words, two from five letters on. */
#ifndef SB_SUGGEST_H
#define SB_SUGGEST_H

struct suggest {
    const char *typed;
    const char *best; /* the closest candidate so far, or NULL */
    int distance;
};

/* Starts a search for words close to typed. */
void suggest_init(struct suggest *s, const char *typed);
/* Considers one known word. */
void suggest_consider(struct suggest *s, const char *candidate);
/* The best candidate when it is close enough, else NULL. */
const char *suggest_best(const struct suggest *s);

#endif
