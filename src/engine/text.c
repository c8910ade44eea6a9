/* Splitting a request into normalised words and tagging them. */
#include "engine/text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT_NUM_CAP 100000

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The key=value forms of technical customers: "kitchen_speaker.state=on",
 * "heater_plug: false", "state=1". After '=' or ':', true and false (and 1
 * and 0 after the record's field "state") are on and off; the length of
 * text they take, 0 for none. */
static size_t boolean_value(const char *text, const char *word_before, const char **w)
{
    size_t sp = strspn(text, " ");
    const char *v = text + sp;
    static const struct {
        const char *text, *word;
        bool any_key;
    } values[] = {
        {"true", "on", true}, {"false", "off", true}, {"1", "on", false}, {"0", "off", false}};
    for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
        size_t l = strlen(values[k].text);
        if (strncasecmp(v, values[k].text, l) == 0 &&
            !is_word_byte((unsigned char)tolower((unsigned char)v[l])) &&
            (values[k].any_key || (word_before && strcmp(word_before, "state") == 0))) {
            *w = values[k].word;
            return sp + l;
        }
    }
    return 0;
}

/* "volume 0.3": a fraction of one is that many percent ("30"); the digits
 * after the point, 0 for none. */
static size_t fraction_percent(const char *after_point, int *percent)
{
    size_t d = strspn(after_point, "0123456789");
    if (d == 0 || d > 2 || after_point[d] == '.')
        return 0;
    *percent = (after_point[0] - '0') * 10 + (d == 2 ? after_point[1] - '0' : 0);
    return d;
}

/* Arrows as words ("bedroom_speaker ↑", "fan → off"): the word, or NULL. */
static const char *arrow_word(const unsigned char *p)
{
    static const struct {
        unsigned char third;
        const char *word;
    } arrows[] = {{0x91, "up"}, {0x93, "down"}, {0x92, "to"}}; /* U+2191, U+2193, U+2192 */
    if (p[0] != 0xE2 || p[1] != 0x86)
        return NULL;
    for (size_t k = 0; k < sizeof arrows / sizeof *arrows; k++)
        if (p[2] == arrows[k].third)
            return arrows[k].word;
    return NULL;
}

/* How many bytes a list item's number takes at text[i] ("1. ", "12) "), 0
 * when none: in a message of several lines, one or two digits first on a
 * line, then '.' or ')' and a space ("50. thanks" alone is a volume). */
static size_t list_marker(const char *text, size_t i)
{
    size_t k = i, d = 0;
    if (!strchr(text, '\n'))
        return 0;
    while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t'))
        k--;
    if (k > 0 && text[k - 1] != '\n')
        return 0;
    while (d < 3 && isdigit((unsigned char)text[i + d]))
        d++;
    if (d == 0 || d > 2 || (text[i + d] != '.' && text[i + d] != ')') || text[i + d + 1] != ' ')
        return 0;
    return d + 2;
}

/* "+44 20 7946 0958": digits, a space and more digits after a '+' are a
 * phone number, not a step up. */
static bool phone_number(const char *p)
{
    size_t d = strspn(p, "0123456789");
    return p[d] == ' ' && isdigit((unsigned char)p[d + 1]);
}

/* How many bytes a pictograph takes at p ("💡", "⏸", "⬆"), each a word
 * of its own that the lexicon may know; 0 for none. The variation
 * selector and the joiner that may follow one are skipped (skip set). */
static size_t symbol_at(const unsigned char *p, bool *skip)
{
    static const unsigned char blocks[] = {0x8F, 0x96, 0x97, 0x98, 0x9A, 0x9C, 0x9D, 0x9E, 0xAC};
    *skip = (p[0] == 0xEF && p[1] == 0xB8 && p[2] == 0x8F) ||
            (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8D); /* U+FE0F, U+200D */
    if (*skip)
        return 3;
    if (p[0] >= 0xF0 && p[0] <= 0xF4 && p[1] && p[2] && p[3])
        return 4;
    if (p[0] == 0xE2 && p[1] && p[2] && memchr(blocks, p[1], sizeof blocks))
        return 3;
    return 0;
}

/* Adds the word of len bytes at w, typed at text[at, end), to out->buf at
 * o (when there is room for another word); returns where the buffer goes
 * on. */
static size_t add_word(struct tokens *out, size_t o, const char *w, size_t len, size_t at,
                       size_t end)
{
    if (out->n_words >= TEXT_MAX_WORDS)
        return o;
    out->possessive[out->n_words] = false;
    out->src_at[out->n_words] = at;
    out->src_end[out->n_words] = end;
    out->words[out->n_words++] = out->buf + o;
    memcpy(out->buf + o, w, len);
    out->buf[o + len] = '\0';
    return o + len + 1;
}

/* Lower-cases text into out->buf as NUL-separated words; clause punctuation
 * becomes the word ",", "%" the word "percent", apostrophes vanish. */
static void split_words(const char *text, struct tokens *out)
{
    size_t o = 0;
    bool in_word = false;
    out->n_words = 0;
    out->src = text;
    for (size_t i = 0; text[i] && o + 10 < TEXT_BUF && out->n_words < TEXT_MAX_WORDS; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        /* ' and the UTF-8 right single quote join "don't" into "dont" */
        size_t quote = c == '\'' || c == '`' ? 1 : 0;
        if (c == 0xE2 && (unsigned char)text[i + 1] == 0x80 &&
            ((unsigned char)text[i + 2] == 0x99 || (unsigned char)text[i + 2] == 0x98))
            quote = 3;
        /* an en or em dash between words parts clauses, as a comma does */
        bool dash = c == 0xE2 && (unsigned char)text[i + 1] == 0x80 &&
                    ((unsigned char)text[i + 2] == 0x93 || (unsigned char)text[i + 2] == 0x94);
        if (dash) {
            c = ',';
            i += 2;
        }
        if (quote) {
            const char *after = text + i + quote;
            if (in_word && (after[0] == 's' || after[0] == 'S') &&
                !is_word_byte((unsigned char)tolower((unsigned char)after[1])))
                out->possessive[out->n_words - 1] = true;
            i += quote - 1;
            continue;
        }
        /* "1. the porch light ...", "2) the fan ...": a list's numbers at the
         * start of a line are no volumes */
        size_t marker = list_marker(text, i);
        if (marker) {
            i += marker - 1;
            continue;
        }
        bool skip;
        size_t symbol = symbol_at((const unsigned char *)text + i, &skip);
        if (symbol) {
            if (in_word) {
                out->buf[o++] = '\0';
                in_word = false;
            }
            if (!skip)
                o = add_word(out, o, text + i, symbol, i, i + symbol);
            i += symbol - 1;
            continue;
        }
        /* a clock time ("6:30") stays one word, so its digits are no volume */
        bool clock = c == ':' && in_word && isdigit((unsigned char)text[i - 1]) &&
                     isdigit((unsigned char)text[i + 1]) && isdigit((unsigned char)text[i + 2]);
        const char *arrow = arrow_word((const unsigned char *)text + i);
        if ((is_word_byte(c) && !arrow) || clock) {
            if (!in_word) {
                out->possessive[out->n_words] = false;
                out->src_at[out->n_words] = i;
                out->words[out->n_words++] = out->buf + o;
                in_word = true;
            }
            out->src_end[out->n_words - 1] = i + 1;
            out->buf[o++] = (char)c;
            continue;
        }
        if (in_word) {
            out->buf[o++] = '\0';
            in_word = false;
        }
        const char *w = NULL;
        const char *before = out->n_words ? out->words[out->n_words - 1] : NULL;
        size_t took;
        int percent;
        char number[4];
        if (arrow) {
            w = arrow;
            i += 2;
        }
        /* "living_display.volume": a dot inside a word joins two words */
        if (c == '.' && i > 0 && isalpha((unsigned char)text[i - 1]) &&
            isalpha((unsigned char)text[i + 1]))
            continue;
        /* "0.3": thirty percent, one word and "percent" */
        if (c == '.' && before && strcmp(before, "0") == 0 && i > 0 && text[i - 1] == '0' &&
            (took = fraction_percent(text + i + 1, &percent)) > 0) {
            snprintf(number, sizeof number, "%d", percent);
            o = (size_t)(before - out->buf);
            memcpy(out->buf + o, number, strlen(number) + 1);
            o += strlen(number) + 1;
            i += took;
            w = "percent";
        } else if ((c == '=' || c == ':') && (took = boolean_value(text + i + 1, before, &w)) > 0) {
            i += took;
        } else if (c == '=') {
            w = "to"; /* "volume=25", "current_song=\"Hey Jude\"": the field to a value */
        } else if (c == '+' && text[i + 1] >= '0' && text[i + 1] <= '9' &&
                   !phone_number(text + i + 1))
            w = "up"; /* "+10": up by ten */
        /* a question mark is kept apart: it can make a clause a question */
        else if (c == '-' && text[i + 1] >= '0' && text[i + 1] <= '9' && i > 0 &&
                 isdigit((unsigned char)text[i - 1])) {
            /* "3-5": a range, one word that is no number (the bot asks) */
            o--;
            out->buf[o++] = '-';
            in_word = true;
            out->src_end[out->n_words - 1] = i + 1;
            continue;
        } else if (c == '-' && text[i + 1] >= '0' && text[i + 1] <= '9')
            w = "minus"; /* "-10": a number below zero */
        else if (c == '?')
            w = "?";
        /* "*off" as a whole message after another: the star of a
         * correction ("I mean off"; the lexicon's correct "*") */
        else if (c == '*' && out->n_words == 0 &&
                 is_word_byte((unsigned char)tolower((unsigned char)text[i + 1])))
            w = "*";
        else if (c == ':' && !isdigit((unsigned char)text[i + 1 + strspn(text + i + 1, " ")]))
            w = ":"; /* parts clauses; "volume: 50" is a label and its value, not two */
        /* " ,ceiling": a mark typed before a word, after a space, is a slip */
        else if ((c == ',' || c == '.') && i > 0 && text[i - 1] == ' ' &&
                 is_word_byte((unsigned char)tolower((unsigned char)text[i + 1])))
            continue;
        else if (c && strchr(",;.!\n", (char)c))
            w = ",";
        else if (c == '%')
            w = "percent";
        else if (c == '&' || (c == '+' && !isdigit((unsigned char)text[i + 1])))
            w = "and";
        if (w)
            o = add_word(out, o, w, strlen(w), i, i + 1);
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

static size_t read_whole(const struct lexicon *lx, char *const *words, size_t n, int *value);

/* A number, and what may follow it: a fraction ("three quarters": 75, "a
 * third" alone: 33) or a scale ("7 out of 10", "3 of 10": 70 and 30), both
 * as percent. */
static size_t read_number(const struct lexicon *lx, char *const *words, size_t n, int *value)
{
    int d = lexicon_fraction(lx, words[0]);
    if (d > 0) {
        *value = (100 + d / 2) / d;
        return 1;
    }
    size_t m = read_whole(lx, words, n, value);
    if (m == 0 || *value < 1 || m >= n)
        return m;
    d = lexicon_fraction(lx, words[m]);
    if (d > *value) {
        *value = (*value * 100 + d / 2) / d;
        return m + 1;
    }
    size_t of = m + (strcmp(words[m], "out") == 0 && m + 1 < n && strcmp(words[m + 1], "of") == 0);
    int whole;
    if (strcmp(words[of], "of") == 0 && of + 1 < n && all_digits(words[of + 1]) &&
        read_whole(lx, words + of + 1, n - of - 1, &whole) == 1 && whole >= *value && whole > 1) {
        *value = (*value * 100 + whole / 2) / whole;
        return of + 2;
    }
    return m;
}

/* Reads a number (digits, or the vocabulary's number words: "twenty
 * five", "a hundred") at words[i]; returns how many words it spans (0:
 * none). */
static size_t read_whole(const struct lexicon *lx, char *const *words, size_t n, int *value)
{
    /* "minus 10", "negative ten" */
    if (n > 1 && (strcmp(words[0], "minus") == 0 || strcmp(words[0], "negative") == 0)) {
        size_t m = read_number(lx, words + 1, n - 1, value);
        *value = -*value;
        return m ? m + 1 : 0;
    }
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
        /* "a hundred and fifty" */
        if (last == NUM_HUNDRED && strcmp(words[k], "and") == 0 && k + 1 < n &&
            lexicon_number(lx, words[k + 1]) >= 0 && lexicon_number(lx, words[k + 1]) < 100)
            continue;
        int w = lexicon_number(lx, words[k]);
        if (w < 0)
            break;
        enum num_kind kind = num_kind(w);
        bool fits =
            (kind == NUM_ONES && (last == -1 || last == NUM_TENS || last == NUM_HUNDRED)) ||
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

/* Whether words are one of the separators split_words makes. */
static bool is_sep_word(const char *w)
{
    return strcmp(w, ",") == 0 || strcmp(w, "?") == 0 || strcmp(w, ":") == 0;
}

bool text_entity_add(const struct lexicon *lx, struct text_entities *ents, enum lex_tag tag,
                     const char *value, const char *phrase)
{
    struct text_entity *e;
    size_t o = 0;
    bool in_word = false;
    if (!phrase || !value || ents->n >= TEXT_MAX_ENTITIES)
        return false;
    e = &ents->e[ents->n];
    e->n_words = 0;
    /* split_words' rules, so the words compare equal to a request's */
    for (const char *p = phrase; *p && o + 2 < sizeof e->buf; p++) {
        unsigned char c = (unsigned char)tolower((unsigned char)*p);
        if (c == '\'' || c == '`')
            continue;
        if (!is_word_byte(c)) {
            if (in_word)
                e->buf[o++] = '\0';
            in_word = false;
            continue;
        }
        if (!in_word) {
            if (e->n_words == TEXT_ENTITY_WORDS)
                break;
            e->words[e->n_words++] = e->buf + o;
            in_word = true;
        }
        e->buf[o++] = (char)c;
    }
    e->buf[o] = '\0';
    if (e->n_words == 0)
        return false;
    e->tag = tag;
    e->value = value;
    e->canon = value;
    if (tag == LEX_ROOM) {
        enum lex_tag lt;
        const char *key = NULL;
        if (lexicon_match(lx, (char *const *)e->words, e->n_words, &lt, &key) == e->n_words &&
            lt == LEX_ROOM && key)
            e->canon = key;
    }
    ents->n++;
    return true;
}

/* The longest entity at words[0..n): how many words it spans (0: none).
 * On a tie a name beats a room and a room beats a title (the order the
 * entities were added in). A title of two words or more may have one word
 * of four letters or more one slip off. */
static size_t entity_match(const struct text_entities *ents, char *const *words, size_t n,
                           const struct text_entity **out)
{
    size_t best = 0;
    for (size_t k = 0; ents && k < ents->n; k++) {
        const struct text_entity *e = &ents->e[k];
        size_t m = 0;
        bool slipped = false; /* "play hall of fane": one slip in a title of words */
        if (e->n_words > n || e->n_words <= best || words[0][0] != e->words[0][0])
            continue;
        while (m < e->n_words &&
               (strcmp(words[m], e->words[m]) == 0 ||
                (!slipped &&
                 (slipped = e->tag == LEX_TITLE && e->n_words >= 2 && strlen(e->words[m]) >= 4 &&
                            lexicon_one_edit(words[m], e->words[m])))))
            m++;
        if (m == e->n_words) {
            best = m;
            *out = e;
        }
    }
    return best;
}

/* A one-letter typo of a one-word entity of the customer's ("radoi" for
 * the name word "radio"), when exactly one is that close; 4+ letters, as
 * the vocabulary's fixes. */
static const struct text_entity *entity_correct(const struct text_entities *ents, const char *word)
{
    const struct text_entity *found = NULL;
    if (strlen(word) < 4)
        return NULL;
    for (size_t k = 0; ents && k < ents->n; k++) {
        const struct text_entity *e = &ents->e[k];
        if (e->n_words != 1 || strlen(e->words[0]) < 4 || !lexicon_one_edit(word, e->words[0]))
            continue;
        if (found && (found->tag != e->tag || strcmp(found->value, e->value) != 0))
            return NULL;
        found = e;
    }
    return found;
}

/* A room of the vocabulary that is one of the customer's own under another
 * word ("hallway" for a device in the "hall") takes the customer's spelling. */
static const char *own_room(const struct text_entities *ents, const char *key)
{
    for (size_t k = 0; ents && key && k < ents->n; k++)
        if (ents->e[k].tag == LEX_ROOM && strcmp(ents->e[k].canon, key) == 0)
            return ents->e[k].value;
    return key;
}

/* Cuts each run of three or more of one letter in w to n of them. */
static void cut_runs(const char *w, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; w[i] && o + 1 < cap; i++) {
        size_t run = 1;
        while (w[i + run] == w[i])
            run++;
        size_t keep = run >= 3 ? n : run;
        for (size_t k = 0; k < keep && o + 1 < cap; k++)
            out[o++] = w[i];
        i += run - 1;
    }
    out[o] = '\0';
}

static bool known_word(const struct lexicon *lx, char *w)
{
    enum lex_tag tag;
    const char *value;
    return lexicon_match(lx, &w, 1, &tag, &value) == 1;
}

/* A letter held down for emphasis ("offfff", "LOUDERRR", "pleeease"): the
 * word with its runs cut to two letters, or to one, whichever the
 * vocabulary knows (two when neither: "sooo" is "soo" for typo fixing).
 * In place: the word only gets shorter. */
static void squeeze_held_letters(const struct lexicon *lx, struct tokens *t)
{
    for (size_t i = 0; i < t->n_words; i++) {
        char *w = t->words[i], two[64], one[64];
        size_t len = strlen(w);
        bool held = false;
        for (size_t k = 0; k + 2 < len && !held; k++)
            held = isalpha((unsigned char)w[k]) && w[k] == w[k + 1] && w[k] == w[k + 2];
        if (!held || len >= sizeof two)
            continue;
        cut_runs(w, 2, two, sizeof two);
        cut_runs(w, 1, one, sizeof one);
        strcpy(w, !known_word(lx, two) && known_word(lx, one) ? one : two);
    }
}

/* Whether words a and b are next to each other in one of the entities. */
static bool entity_pair(const struct text_entities *ents, const char *a, const char *b)
{
    for (size_t k = 0; ents && k < ents->n; k++)
        for (size_t j = 0; j + 1 < ents->e[k].n_words; j++)
            if (strcmp(ents->e[k].words[j], a) == 0 && strcmp(ents->e[k].words[j + 1], b) == 0)
                return true;
    return false;
}

/* "turn off the ceiling. fan..": a stop between the words of one of the
 * customer's names, before the last word of the message, is a slip; the
 * name is one. */
static void join_split_name(const struct text_entities *ents, struct tokens *t)
{
    for (size_t i = 1; i + 1 < t->n_words; i++) {
        bool last = true;
        for (size_t k = i + 2; k < t->n_words && last; k++)
            last = is_sep_word(t->words[k]);
        if (strcmp(t->words[i], ",") != 0 || !last || is_sep_word(t->words[i - 1]) ||
            !entity_pair(ents, t->words[i - 1], t->words[i + 1]))
            continue;
        size_t rest = t->n_words - i - 1;
        memmove(t->words + i, t->words + i + 1, rest * sizeof *t->words);
        memmove(t->possessive + i, t->possessive + i + 1, rest * sizeof *t->possessive);
        memmove(t->src_at + i, t->src_at + i + 1, rest * sizeof *t->src_at);
        memmove(t->src_end + i, t->src_end + i + 1, rest * sizeof *t->src_end);
        t->n_words--;
        return;
    }
}

/* Whether w starts one of the entities. */
static bool entity_start(const struct text_entities *ents, const char *w)
{
    for (size_t k = 0; ents && k < ents->n; k++)
        if (strcmp(ents->e[k].words[0], w) == 0)
            return true;
    return false;
}

/* "turnoff theporch light": an article run into the next word, when the
 * word is no word of its own and the rest is the vocabulary's or the
 * customer's, is left off. In place: the word only gets shorter. */
static void unglue_article(const struct lexicon *lx, const struct text_entities *ents,
                           struct tokens *t)
{
    for (size_t i = 0; i < t->n_words; i++) {
        char *w = t->words[i];
        if (strncmp(w, "the", 3) != 0 || strlen(w) < 6 || known_word(lx, w) ||
            entity_start(ents, w) || (!known_word(lx, w + 3) && !entity_start(ents, w + 3)))
            continue;
        memmove(w, w + 3, strlen(w + 3) + 1);
    }
}

void text_tokenize(const struct lexicon *lx, const struct text_entities *ents, const char *text,
                   struct tokens *out)
{
    split_words(text, out);
    join_split_name(ents, out);
    unglue_article(lx, ents, out);
    squeeze_held_letters(lx, out);
    out->n = 0;
    out->own = ents != NULL;
    for (size_t i = 0; i < out->n_words;) {
        struct token *t = &out->toks[out->n++];
        const struct text_entity *ent = NULL;
        size_t left = out->n_words - i, m;
        int num;
        t->first = i;
        t->value = NULL;
        t->num = 0;
        t->fixed = false;
        if (is_sep_word(out->words[i])) {
            t->tag = LEX_SEP;
            /* "?" can make a question, ":" a label ("kitchen speaker: off") */
            t->value = out->words[i][0] == '?' ? "?" : out->words[i][0] == ':' ? ":" : NULL;
            m = 1;
        } else if ((m = entity_match(ents, out->words + i, left, &ent)) > 0) {
            t->tag = ent->tag;
            t->value = ent->value;
        } else if ((m = lexicon_match(lx, out->words + i, left, &t->tag, &t->value)) >= 2) {
            /* a phrase beats a number inside it ("hundred percent") */
        } else if ((m = read_number(lx, out->words + i, left, &num)) > 0) {
            t->tag = LEX_NUM;
            t->num = num;
        } else if ((m = lexicon_match(lx, out->words + i, 1, &t->tag, &t->value)) == 1) {
        } else {
            m = 1;
            t->fixed = lexicon_correct(lx, out->words[i], &t->tag, &t->value);
            if (!t->fixed && (ent = entity_correct(ents, out->words[i])) != NULL) {
                t->fixed = true;
                t->tag = ent->tag;
                t->value = ent->value;
            }
            if (!t->fixed)
                t->tag = LEX_WORD;
        }
        if (t->tag == LEX_ROOM && !ent)
            t->value = own_room(ents, t->value);
        i += m;
        t->last = i;
        t->was = t->tag;
        /* "the kitchen one": a device, not the number 1 */
        if (t->tag == LEX_NUM && m == 1 && t->num == 1 && !all_digits(out->words[t->first]) &&
            out->n > 1 &&
            (t[-1].tag == LEX_ROOM || t[-1].tag == LEX_TYPE || t[-1].tag == LEX_NAME ||
             t[-1].tag == LEX_PART)) {
            t->tag = t->was = LEX_DEVICE;
            t->num = 0;
        }
    }
}

/* Joins words [first, last) with single spaces: as normalised, or as the
 * request typed them. */
static void join(const struct tokens *t, size_t first, size_t last, bool typed, char *buf, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (size_t i = first; i < last && i < t->n_words; i++) {
        const char *w = typed ? t->src + t->src_at[i] : t->words[i];
        size_t l = typed ? t->src_end[i] - t->src_at[i] : strlen(w);
        if (is_sep_word(t->words[i]))
            continue;
        if (o + l + 2 > n)
            break;
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, w, l);
        o += l;
        buf[o] = '\0';
    }
}

void text_join(const struct tokens *t, size_t first, size_t last, char *buf, size_t n)
{
    join(t, first, last, false, buf, n);
}

void text_join_typed(const struct tokens *t, size_t first, size_t last, char *buf, size_t n)
{
    join(t, first, last, true, buf, n);
}
