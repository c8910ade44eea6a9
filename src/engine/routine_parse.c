/* Routine commands in chat (see routine_parse.h): patterns matched on the
 * normalised text, schedule words taken out of the steps, steps split where
 * each part is an action of its own. */
#include "engine/routine_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xalloc.h"
#include "engine/action.h"
#include "engine/intent.h"
#include "engine/resolve.h"
#include "engine/text.h"

#define NORM_MAX 600 /* longer texts are not routine commands */
#define TOK_MAX  128
#define SLOTS    4

/* Lower-cased text with spaces collapsed; map[i] is where s[i] came from. */
struct norm {
    const char *orig;
    char s[NORM_MAX + 1];
    size_t map[NORM_MAX + 1];
    size_t len;
};

static bool normalise(const char *text, struct norm *n)
{
    n->orig = text;
    n->len = 0;
    for (size_t i = 0; text[i]; i++) {
        unsigned char ch = (unsigned char)text[i];
        bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
        if (space && (n->len == 0 || n->s[n->len - 1] == ' '))
            continue;
        if (n->len >= NORM_MAX)
            return false;
        n->map[n->len] = i;
        n->s[n->len++] = space ? ' ' : (char)tolower(ch);
    }
    while (n->len && strchr(" .!?", n->s[n->len - 1]))
        n->len--;
    n->s[n->len] = '\0';
    return n->len > 0;
}

/* Copies orig's text behind norm range [a, b) into buf, trimmed, without
 * surrounding quotes. */
static void capture(const struct norm *n, size_t a, size_t b, char *buf, size_t size)
{
    static const char *const quotes[] = {
        "\"", "'", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x98", "\xe2\x80\x99"};
    size_t from = n->map[a], to = n->map[b - 1] + 1, len;
    while (to < strlen(n->orig) && ((unsigned char)n->orig[to] & 0xc0) == 0x80)
        to++; /* the rest of a UTF-8 sequence */
    len = to - from < size - 1 ? to - from : size - 1;
    memcpy(buf, n->orig + from, len);
    buf[len] = '\0';
    for (bool again = true; again;) {
        again = false;
        char *s = buf;
        while (*s == ' ' || *s == ',' || *s == ':')
            s++;
        memmove(buf, s, strlen(s) + 1);
        len = strlen(buf);
        while (len && strchr(" ,:.!?", buf[len - 1]))
            buf[--len] = '\0';
        for (size_t q = 0; q < sizeof quotes / sizeof *quotes; q++) {
            size_t ql = strlen(quotes[q]);
            if (strncmp(buf, quotes[q], ql) == 0) {
                memmove(buf, buf + ql, strlen(buf + ql) + 1);
                again = true;
            }
            len = strlen(buf);
            if (len >= ql && strcmp(buf + len - ql, quotes[q]) == 0) {
                buf[len - ql] = '\0';
                again = true;
            }
        }
    }
}

/* ---- steps and schedules ---- */

struct tok {
    char low[64];
    const char *orig;
    size_t olen;
    bool drop;
};

/* Splits text at spaces; a trailing comma becomes a token of its own. */
static size_t tokenize(const char *text, struct tok *t, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p && n < max) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && !isspace((unsigned char)*e))
            e++;
        /* chat markup around a word ("**every morning at 7**") is none of it */
        while (p < e - 1 && strchr("*_`", *p))
            p++;
        size_t len = (size_t)(e - p);
        /* a sentence's final . ! or ? is no part of its last word ("every
         * friday?", "every weekday.\nKind regards"), as normalise drops
         * the text's for the patterns; nor is markup after it */
        while (len > 1 && strchr(".!?*_`", p[len - 1]))
            len--;
        bool comma = len > 1 && p[len - 1] == ',';
        for (int part = 0; part < 1 + comma && n < max; part++) {
            const char *s = part ? p + len - 1 : p;
            size_t l = part ? 1 : len - comma;
            t[n].orig = s;
            t[n].olen = l;
            t[n].drop = false;
            size_t k = 0;
            for (; k < l && k + 1 < sizeof t[n].low; k++)
                t[n].low[k] = (char)tolower((unsigned char)s[k]);
            t[n].low[k] = '\0';
            n++;
        }
        p = e;
    }
    return n;
}

/* Joins the tokens [a, b) that are kept, commas attached to the word before. */
static void join(const struct tok *t, size_t a, size_t b, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = a; i < b; i++) {
        if (t[i].drop)
            continue;
        bool comma = t[i].olen == 1 && t[i].orig[0] == ',';
        int w = snprintf(buf + o, size - o, "%s%.*s", o && !comma ? " " : "", (int)t[i].olen,
                         t[i].orig);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
}

/* Reads a time at t[i]: "6:30", "7am", "7 pm", "21:00", "noon", "9
 * o'clock". Returns the tokens used (0: none); strong when it cannot be a
 * plain number ("at 15" could be a volume). */
static size_t read_time(const struct routine_lang *rl, const struct tok *t, size_t i, size_t n,
                        int *minute, bool *strong, bool *ampm);

/* "half past ten", "quarter to seven": the minutes, "past" or "to", then
 * a time read as read_time reads it. Returns the tokens used (0: none). */
static size_t read_past_to(const struct routine_lang *rl, const struct tok *t, size_t i, size_t n,
                           int *minute, bool *strong, bool *ampm)
{
    int by = routine_lang_is(rl, "word.half", t[i].low)      ? 30
             : routine_lang_is(rl, "word.quarter", t[i].low) ? 15
                                                             : 0;
    bool past = i + 1 < n && routine_lang_is(rl, "word.past", t[i + 1].low);
    bool to = by == 15 && i + 1 < n && routine_lang_is(rl, "word.to", t[i + 1].low);
    if (!by || !(past || to))
        return 0;
    size_t k = read_time(rl, t, i + 2, n, minute, strong, ampm);
    if (k == 0 || *minute % 60 != 0)
        return 0;
    *minute = (*minute + (past ? by : 24 * 60 - by)) % (24 * 60);
    *strong = true;
    return k + 2;
}

static size_t read_time(const struct routine_lang *rl, const struct tok *t, size_t i, size_t n,
                        int *minute, bool *strong, bool *ampm)
{
    int h = 0, m = 0, used = 0;
    *ampm = false;
    if (i >= n)
        return 0;
    size_t spoken = read_past_to(rl, t, i, n, minute, strong, ampm);
    if (spoken)
        return spoken;
    if (routine_lang_is(rl, "word.noon", t[i].low) ||
        routine_lang_is(rl, "word.midnight", t[i].low)) {
        *minute = routine_lang_is(rl, "word.noon", t[i].low) ? 720 : 0;
        *strong = *ampm = true;
        return 1;
    }
    const char *s = t[i].low;
    int word = routine_lang_number(rl, s);
    if (word >= 1 && word <= 12) /* "at seven": an hour, as weak as "at 7" */
        h = word, used = (int)strlen(s);
    else if (sscanf(s, "%2d%n", &h, &used) != 1 || !isdigit((unsigned char)s[0]))
        return 0;
    s += used;
    if (*s == ':' || *s == '.') {
        if (!isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
            return 0;
        m = (s[1] - '0') * 10 + (s[2] - '0');
        s += 3;
        *strong = true;
    }
    size_t k = 1;
    int half = 0; /* 1 am, 2 pm */
    if (*s) {
        half = routine_lang_is(rl, "word.am", s) ? 1 : routine_lang_is(rl, "word.pm", s) ? 2 : -1;
        if (half < 0)
            return 0;
    } else if (i + 1 < n) {
        half = routine_lang_is(rl, "word.am", t[i + 1].low)   ? 1
               : routine_lang_is(rl, "word.pm", t[i + 1].low) ? 2
                                                              : 0;
        if (half)
            k = 2;
        else if (routine_lang_is(rl, "word.oclock", t[i + 1].low))
            k = 2, *strong = true;
    }
    if (half) {
        if (h < 1 || h > 12)
            return 0;
        h = h % 12 + (half == 2 ? 12 : 0);
        *strong = *ampm = true;
    }
    if (h > 23 || m > 59)
        return 0;
    *minute = h * 60 + m;
    return k;
}

/* The weekday bits one word means, or 0. */
static unsigned day_bits(const struct routine_lang *rl, const char *w)
{
    char key[16];
    for (int d = 0; d < 7; d++) {
        snprintf(key, sizeof key, "day.%d", d);
        if (routine_lang_is(rl, key, w))
            return 1u << d;
    }
    size_t pos = 0;
    const char *k;
    while (routine_lang_next(rl, "days.", &pos, &k))
        if (routine_lang_is(rl, k, w))
            return (unsigned)strtoul(k + 5, NULL, 10) & 0x7f;
    return 0;
}

/* "monday and friday", "weekdays": tokens used from t[i] on, bits in *mask. */
static size_t read_days(const struct routine_lang *rl, const struct tok *t, size_t i, size_t n,
                        unsigned *mask)
{
    size_t k = 0;
    unsigned bits;
    /* "working days": a kind of day that is one only before the day word
     * (daykind.MASK, as days.MASK) */
    size_t pos = 0;
    const char *key;
    while (i + 1 < n && routine_lang_is(rl, "word.dayword", t[i + 1].low) &&
           routine_lang_next(rl, "daykind.", &pos, &key))
        if (routine_lang_is(rl, key, t[i].low)) {
            *mask |= (unsigned)strtoul(key + 8, NULL, 10) & 0x7f;
            k = 2;
            break;
        }
    while (i + k < n && (bits = day_bits(rl, t[i + k].low))) {
        *mask |= bits;
        k++;
        /* "weekend days", "working days": the day word after a kind of day */
        if (i + k < n && routine_lang_is(rl, "word.dayword", t[i + k].low))
            k++;
        if (i + k + 1 < n && routine_lang_is(rl, "word.and", t[i + k].low) &&
            day_bits(rl, t[i + k + 1].low))
            k++;
    }
    return k;
}

/* Takes the schedule words out of t; create: a bare number after "at"
 * counts as a time even without other schedule words. */
static void take_schedule(const struct routine_lang *rl, struct tok *t, size_t n, bool create,
                          struct routine_when *w)
{
    bool strong = false, tonight = false, evening = false, ampm = false;
    size_t weak_at = n, today_at = n;
    memset(w, 0, sizeof *w);
    w->day_offset = -1;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        unsigned mask = 0;
        bool s = false, ap = false;
        int minute;
        if (routine_lang_is(rl, "word.every", t[i].low) &&
            (k = read_days(rl, t, i + 1, n, &mask))) {
            w->days |= mask;
            for (size_t j = i + 1; j <= i + k; j++)
                evening = evening || routine_lang_is(rl, "word.evening", t[j].low);
        } else if (routine_lang_is(rl, "word.daily", t[i].low)) {
            w->days = 0x7f;
            k = 0;
        } else if (routine_lang_is(rl, "word.at", t[i].low) &&
                   (k = read_time(rl, t, i + 1, n, &minute, &s, &ap))) {
            w->has_time = true;
            w->minute = minute;
            strong = strong || s;
            ampm = ap;
            if (!s)
                weak_at = i;
        } else if (routine_lang_is(rl, "word.today", t[i].low) ||
                   routine_lang_is(rl, "word.tonight", t[i].low) ||
                   routine_lang_is(rl, "word.tomorrow", t[i].low)) {
            w->day_offset = routine_lang_is(rl, "word.tomorrow", t[i].low) ? 1 : 0;
            tonight = routine_lang_is(rl, "word.tonight", t[i].low);
            today_at = w->day_offset == 0 ? i : today_at;
            k = 0;
        } else {
            continue;
        }
        for (size_t j = i; j <= i + k && j < n; j++)
            t[j].drop = true;
        i += k;
    }
    if (w->has_time && !strong && !create && !w->days && w->day_offset < 0) {
        /* "set it at 15": a number, not a time */
        w->has_time = false;
        for (size_t j = weak_at; j < n && j < weak_at + 2; j++)
            t[j].drop = false;
    }
    /* "I've finished my reading for tonight": today or tonight with no
     * time is now, no schedule */
    if (today_at < n && !w->has_time && !w->days && w->day_offset == 0) {
        w->day_offset = -1;
        t[today_at].drop = false;
    }
    if (tonight && w->has_time && !ampm && w->minute < 12 * 60)
        w->minute += 12 * 60;
    /* "every evening at 8:20" is 20:20, "every night at 1" still 01:00 */
    if (evening && w->has_time && !ampm && w->minute >= 5 * 60 && w->minute < 12 * 60)
        w->minute += 12 * 60;
    if (w->days && w->day_offset >= 0)
        w->day_offset = -1; /* "every monday ... today": the days win */
    w->said = w->has_time || w->days || w->day_offset >= 0;
}

bool routine_parse_is_step(const struct routine_lang *rl, const struct lexicon *lx,
                           const struct text_entities *ents, const char *text)
{
    struct intent in;
    char slot[INTENT_TEXT_MAX];
    if (routine_parse_phrase(rl, "group.", text, slot, sizeof slot))
        return true; /* multi-room audio (multiroom.h) */
    intent_parse_for(lx, ents, text, &in);
    if (in.n_steps == 0)
        return false;
    /* a step changes a device: a device row of the action table that is not a report */
    for (size_t i = 0; i < in.n_steps; i++) {
        const struct action_def *a = action_get(in.steps[i].action);
        if (a->kind != ACTION_KIND_DEVICE || (a->flags & ACTION_REPORT))
            return false;
    }
    return true;
}

/* Whether t[i] starts a join ("and", "then", ","); *len gets its tokens. */
static bool is_join(const struct routine_lang *rl, const struct tok *t, size_t i, size_t n,
                    size_t *len)
{
    char two[130];
    if (i + 1 < n) {
        snprintf(two, sizeof two, "%s %s", t[i].low, t[i + 1].low);
        if (routine_lang_is(rl, "word.join", two)) {
            *len = 2;
            return true;
        }
    }
    *len = 1;
    return strcmp(t[i].low, ",") == 0 || routine_lang_is(rl, "word.join", t[i].low);
}

static void add_step(struct routine_cmd *out, const char *text)
{
    if (!*text)
        return;
    if (out->n_steps == MODEL_ROUTINE_STEPS_MAX) {
        out->too_many = true;
        return;
    }
    snprintf(out->steps[out->n_steps++], sizeof out->steps[0], "%s", text);
}

/* Splits steps text into sentences, at joins where both sides are actions
 * of their own ("lights off and the bedroom speaker to 15"); remembers the
 * first part that is not one. Returns whether every part is an action. */
static bool split_steps(const struct routine_lang *rl, const struct lexicon *lx,
                        const struct text_entities *ents, struct tok *t, size_t n,
                        struct routine_cmd *out, char *unclear, size_t usize)
{
    char cur[MODEL_STEP_MAX * 2], piece[MODEL_STEP_MAX * 2];
    size_t start = 0, jl, cur_from = 0;
    bool all = true;
    cur[0] = '\0';
    out->n_steps = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && (t[i].drop || !is_join(rl, t, i, n, &jl)))
            continue;
        join(t, start, i, piece, sizeof piece);
        if (piece[0] && cur[0] && routine_parse_is_step(rl, lx, ents, cur) &&
            routine_parse_is_step(rl, lx, ents, piece)) {
            add_step(out, cur);
            cur_from = start;
        }
        join(t, cur_from, i, cur, sizeof cur);
        if (i == n)
            break;
        start = i + jl;
        i += jl - 1;
    }
    /* the last part, and what is left if it never split */
    if (cur[0]) {
        char *c = cur;
        size_t cl = strlen(c);
        while (cl && strchr(" ,;", c[cl - 1]))
            c[--cl] = '\0';
        if (!routine_parse_is_step(rl, lx, ents, c)) {
            all = false;
            snprintf(unclear, usize, "%s", c);
        }
        if (strlen(c) > MODEL_STEP_MAX) {
            all = false;
            snprintf(unclear, usize, "%s", c);
        }
        add_step(out, c);
    }
    return all && out->n_steps > 0;
}

/* Reads the steps (and their schedule) from text into out. */
static bool read_steps(const struct routine_lang *rl, const struct lexicon *lx,
                       const struct customer *c, const char *text, bool create,
                       struct routine_cmd *out, char *unclear, size_t usize)
{
    struct tok t[TOK_MAX];
    struct text_entities *ents = NULL;
    size_t n = tokenize(text, t, TOK_MAX), a = 0, b, jl;
    take_schedule(rl, t, n, create, &out->when);
    /* joins left dangling at either end once the schedule is out */
    while (a < n && (t[a].drop || is_join(rl, t, a, n, &jl)))
        t[a++].drop = true;
    for (b = n; b > a && (t[b - 1].drop || strcmp(t[b - 1].low, ",") == 0 ||
                          routine_lang_is(rl, "word.join", t[b - 1].low));)
        t[--b].drop = true;
    unclear[0] = '\0';
    /* the customer's own words, as chat reads them ("the hall lights" in
     * a home with a hall, a light called "Play Corner") */
    if (c) {
        ents = xmalloc(sizeof *ents);
        resolve_entities(lx, c, ents);
    }
    bool all = split_steps(rl, lx, ents, t, n, out, unclear, usize);
    free(ents);
    return all;
}

/* Whether text is a schedule and nothing else ("every weekday at 6:30",
 * "10:15 every day", "23:15"): a clock time may come without "at" here,
 * since nothing else in the text could be a title or a volume. *w gets
 * the schedule words either way (what read_steps would find in them). */
static bool only_schedule(const struct routine_lang *rl, const char *text, struct routine_when *w)
{
    struct tok t[TOK_MAX];
    size_t n = tokenize(text, t, TOK_MAX), k;
    take_schedule(rl, t, n, false, w);
    int minute;
    for (size_t i = 0; i < n; i++) {
        bool strong = false, ampm; /* read_time sets strong only when it is */
        if (t[i].drop || strcmp(t[i].low, ",") == 0)
            continue;
        if (!(k = read_time(rl, t, i, n, &minute, &strong, &ampm)) || !strong)
            return false;
        w->has_time = w->said = true;
        w->minute = minute;
        i += k - 1;
    }
    return w->said;
}

/* ---- patterns ---- */

struct match {
    const struct routine_lang *rl;
    const struct lexicon *lx;
    const struct customer *c;
    const struct norm *n;
    const char *kind;
    bool explicit_;
    size_t a[SLOTS], b[SLOTS];
    char slot[SLOTS][8];
    size_t n_slots;
    struct routine_cmd *out;
    struct routine_cmd *fallback; /* a create whose steps did not read */
    bool have_fallback;
    char *phrase_slot; /* routine_parse_phrase: any match fits; its slot goes here */
    size_t phrase_n;
};

static const struct {
    const char *name;
    enum routine_cmd_kind kind;
    bool always_explicit; /* nothing else in chat reads like it */
} kinds[] = {
    {"create", RCMD_CREATE, true}, {"list", RCMD_LIST, true}, {"show", RCMD_SHOW, false},
    {"rename", RCMD_RENAME, true}, {"add", RCMD_ADD, true},   {"delete", RCMD_DELETE, true},
    {"run", RCMD_RUN, false},      {"zone", RCMD_ZONE, true},
};

/* A routine's name as said: without quotes and a leading article. */
static bool clean_name(const struct routine_lang *rl, char *name)
{
    char *sp = strchr(name, ' ');
    if (sp) {
        *sp = '\0';
        bool article = routine_lang_is(rl, "word.article", name);
        *sp = ' ';
        if (article)
            memmove(name, sp + 1, strlen(sp + 1) + 1);
    }
    for (char *p = name; *p; p++) {
        if ((unsigned char)*p < 0x20)
            return false;
        if (*p == '/') /* a name is a path segment of the REST API */
            *p = ' ';
    }
    return *name != '\0';
}

static bool slot(const struct match *m, const char *name, char *buf, size_t size)
{
    for (size_t i = 0; i < m->n_slots; i++) {
        if (strcmp(m->slot[i], name) == 0) {
            capture(m->n, m->a[i], m->b[i], buf, size);
            return buf[0] != '\0';
        }
    }
    buf[0] = '\0';
    return false;
}

/* Whether a complete match makes a command; fills m->out when it does. */
static bool accept(struct match *m)
{
    struct routine_cmd *o = m->out;
    char unclear[MODEL_STEP_MAX * 2], steps[NORM_MAX + 1], name[NORM_MAX + 1];
    if (m->phrase_slot) {
        if (m->n_slots)
            capture(m->n, m->a[0], m->b[0], m->phrase_slot, m->phrase_n);
        return !m->n_slots || m->phrase_slot[0];
    }
    memset(o, 0, sizeof *o);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (strcmp(kinds[k].name, m->kind) == 0) {
            o->kind = kinds[k].kind;
            o->explicit_ = m->explicit_ || kinds[k].always_explicit;
        }
    if (slot(m, "name", name, sizeof name)) {
        if (!clean_name(m->rl, name) || strlen(name) > MODEL_ROUTINE_NAME_MAX)
            return false;
        snprintf(o->name, sizeof o->name, "%s", name);
        if (!o->explicit_ && !(m->c && customer_find_routine(m->c, o->name)))
            return false;
    }
    if (slot(m, "new", name, sizeof name)) {
        if (!clean_name(m->rl, name) || strlen(name) > MODEL_ROUTINE_NAME_MAX)
            return false;
        snprintf(o->new_name, sizeof o->new_name, "%s", name);
    }
    if (slot(m, "zone", steps, sizeof steps))
        snprintf(o->zone, sizeof o->zone, "%.*s", TZ_NAME_MAX, steps);
    if (slot(m, "steps", steps, sizeof steps) &&
        !read_steps(m->rl, m->lx, m->c, steps, o->kind == RCMD_CREATE, o, unclear,
                    sizeof unclear)) {
        if (!m->have_fallback) {
            *m->fallback = *o;
            snprintf(m->fallback->steps[0], sizeof m->fallback->steps[0], "%s",
                     unclear[0] ? unclear : steps);
            m->fallback->n_steps = 0; /* says: steps[0] is what did not read */
            m->have_fallback = true;
        }
        return false;
    }
    return true;
}

static bool match_at(struct match *m, const char *p, size_t si)
{
    if (!*p)
        return si == m->n->len && accept(m);
    if (*p != '{')
        return si < m->n->len && m->n->s[si] == *p && match_at(m, p + 1, si + 1);
    const char *close = strchr(p, '}');
    if (!close || m->n_slots == SLOTS || (size_t)(close - p - 1) >= sizeof m->slot[0])
        return false;
    size_t k = m->n_slots++, max = m->n->len - si;
    snprintf(m->slot[k], sizeof m->slot[k], "%.*s", (int)(close - p - 1), p + 1);
    bool greedy = strcmp(m->slot[k], "steps") == 0 || strcmp(m->slot[k], "zone") == 0;
    for (size_t i = 0; i < max; i++) {
        size_t len = greedy ? max - i : i + 1;
        m->a[k] = si;
        m->b[k] = si + len;
        if (match_at(m, close + 1, si + len))
            return true;
    }
    m->n_slots--;
    return false;
}

/* Whether the pattern has the word w ("routine") in it. */
static bool says_routine(const char *w, const char *pattern)
{
    size_t wl = strlen(w);
    for (const char *p = pattern; wl && (p = strstr(p, w)); p += wl)
        if ((p == pattern || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ' '))
            return true;
    return false;
}

/* How much of s an asking phrase before a command takes ("can you ",
 * word.ask), 0 for none. */
static size_t asking_words(const struct routine_lang *rl, const char *s)
{
    const char *list = routine_lang_get(rl, "word.ask");
    while (*list) {
        list += strspn(list, " |");
        size_t l = strcspn(list, "|");
        while (l && list[l - 1] == ' ')
            l--;
        if (l && strncmp(s, list, l) == 0 && s[l] == ' ')
            return l + 1;
        list += strcspn(list, "|");
    }
    return 0;
}

enum routine_cmd_kind routine_parse(const struct routine_lang *rl, const struct lexicon *lx,
                                    const struct customer *c, const char *text,
                                    struct routine_cmd *out)
{
    /* not zeroed: normalise fills what is read, and the fallback is read
     * only once accept has filled it (a chat message makes this parse,
     * and these are some 10 kB) */
    struct norm *n = xmalloc(sizeof *n);
    struct routine_cmd *fallback = xmalloc(sizeof *fallback);
    struct match m = {.rl = rl, .lx = lx, .c = c, .out = out, .fallback = fallback};
    size_t pos = 0;
    /* looked up once, not once per pattern */
    const char *pattern, *key, *routine_word = routine_lang_get(rl, "word.routine");
    char unclear[MODEL_STEP_MAX * 2];
    struct routine_when when;
    memset(out, 0, sizeof *out);
    if (!normalise(text, n))
        goto out;
    m.n = n;
    size_t ask = asking_words(rl, n->s);
    while ((pattern = routine_lang_next(rl, "cmd.", &pos, &key))) {
        m.kind = key + 4;
        m.explicit_ = says_routine(routine_word, pattern);
        m.n_slots = 0;
        if (match_at(&m, pattern, 0))
            goto out;
        m.n_slots = 0;
        if (ask && match_at(&m, pattern, ask))
            goto out;
    }
    memset(out, 0, sizeof *out);
    if (m.have_fallback) {
        *out = *fallback;
        goto out;
    }
    /* only a routine's name: run it */
    char name[NORM_MAX + 1];
    capture(n, 0, n->len, name, sizeof name);
    if (c && clean_name(rl, name) && customer_find_routine(c, name)) {
        out->kind = RCMD_RUN;
        snprintf(out->name, sizeof out->name, "%s", name);
        goto out;
    }
    /* an action with a time: "every weekday at 6:30 turn on the office speaker";
     * the time is looked for first (one cheap pass over the words), since
     * splitting the steps (each part parsed as a sentence) is the dear
     * half, and most chat says no time */
    if (only_schedule(rl, text, &when)) {
        /* only a time: ask what should happen then, rather than let the
         * request parser read its numbers */
        out->kind = RCMD_CREATE;
        out->only_when = true;
        out->when = when;
    } else if (when.said && read_steps(rl, lx, c, text, false, out, unclear, sizeof unclear) &&
               out->when.said) {
        out->kind = RCMD_CREATE;
    } else if (when.said && out->when.days && out->when.has_time) {
        /* "would it be possible to have a schedule arranged so that the
         * patio speaker is switched on at 18:00 every Friday?": days and a
         * time make it a routine even when its steps do not read; a plan
         * without routines says so, one with them asks what to do */
        when = out->when;
        memset(out, 0, sizeof *out);
        out->kind = RCMD_CREATE;
        out->when = when;
        snprintf(out->steps[0], sizeof out->steps[0], "%s", unclear);
    } else {
        memset(out, 0, sizeof *out);
    }
out:
    free(n);
    free(fallback);
    return out->kind;
}

const char *routine_parse_phrase(const struct routine_lang *rl, const char *prefix,
                                 const char *text, char *slot, size_t n)
{
    struct norm *nm = xcalloc(1, sizeof *nm);
    struct match m = {.rl = rl, .phrase_slot = slot, .phrase_n = n};
    size_t pos = 0, plen = strlen(prefix);
    const char *pattern, *key, *found = NULL;
    slot[0] = '\0';
    if (normalise(text, nm)) {
        m.n = nm;
        while (!found && (pattern = routine_lang_next(rl, prefix, &pos, &key))) {
            m.n_slots = 0;
            if (match_at(&m, pattern, 0))
                found = key + plen;
        }
    }
    free(nm);
    return found;
}
