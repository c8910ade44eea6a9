/* Plan and pricing answers: which plans a question names, and the sentence
 * comparing them from the levels data. */
#include "engine/plans.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/reply.h"

#define PLANS_MAX_ITEMS 16

static const char *level_name(const struct service_level *l)
{
    return l->name ? l->name : l->level;
}

/* Whether word (any case) occurs in words as a whole word. */
static bool has_word(const char *words, const char *word)
{
    size_t l = strlen(word);
    if (l == 0)
        return false;
    for (const char *p = words; *p; p++) {
        if ((p != words && isalnum((unsigned char)p[-1])) || strncasecmp(p, word, l) != 0)
            continue;
        if (!isalnum((unsigned char)p[l]) && !(p[l] == 's' && !isalnum((unsigned char)p[l + 1])))
            return true;
    }
    return false;
}

/* The levels the words name (by key or display name), lowest rank first;
 * returns how many (at most max). */
static size_t named_levels(const struct policy *pol, const char *words,
                           const struct service_level **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < pol->n_levels && k < max; i++) {
        const struct service_level *l = &pol->levels[i];
        if (has_word(words, l->level) || (l->name && has_word(words, l->name)))
            out[k++] = l;
    }
    return k;
}

/* "$9.99/month", or the data's word for free. */
static void price_text(const struct lexicon *lx, const struct service_level *l, char *buf, size_t n)
{
    char p[32];
    if (l->price_cents == 0) {
        snprintf(buf, n, "%s", lexicon_reply(lx, "free"));
        return;
    }
    reply_price(lx, l->price_cents, p, sizeof p);
    snprintf(buf, n, "%s%s", p, lexicon_reply(lx, "plan.per_month"));
}

/* The catalogue names of the actions hi allows and lo does not (all of
 * hi's when lo is NULL), joined ("Song Changes and Device Relocation"). */
static void adds_list(const struct lexicon *lx, const struct policy *pol,
                      const struct service_level *hi, const struct service_level *lo, char *buf,
                      size_t n)
{
    const char *names[PLANS_MAX_ITEMS];
    size_t k = 0;
    for (size_t i = 0; i < hi->allowed_actions.len && k < PLANS_MAX_ITEMS; i++)
        if (!lo || !policy_allows(lo, hi->allowed_actions.items[i]))
            names[k++] = policy_action_name(pol, hi->allowed_actions.items[i]);
    reply_join(lx, names, k, "list.and", buf, n);
}

/* The next level above cur, or NULL at the top. */
static const struct service_level *next_up(const struct policy *pol,
                                           const struct service_level *cur)
{
    const struct service_level *up = NULL;
    for (size_t i = 0; i < pol->n_levels; i++)
        if (pol->levels[i].rank > cur->rank && (!up || pol->levels[i].rank < up->rank))
            up = &pol->levels[i];
    return up;
}

bool plans_answer(const struct lexicon *lx, const struct policy *pol,
                  const struct service_level *cur, const struct intent_step *s, char *buf, size_t n)
{
    const struct service_level *named[2], *other = NULL;
    struct reply_vars v = {0};
    char price[48], base[48], adds[512];
    const char *key = NULL;
    size_t k = named_levels(pol, s->words, named, 2);
    reply_set(&v, "level", level_name(cur));
    price_text(lx, cur, base, sizeof base);
    reply_set(&v, "base", base);
    if (strcmp(s->about, "change") == 0) {
        key = "plan.change";
    } else if (strcmp(s->about, "devices") == 0) {
        /* how many devices, and the next plan that allows more */
        char max[16], more[16];
        for (size_t i = 0; i < pol->n_levels && !other; i++)
            if (pol->levels[i].rank > cur->rank && pol->levels[i].max_devices > cur->max_devices)
                other = &pol->levels[i];
        snprintf(max, sizeof max, "%d", cur->max_devices);
        snprintf(more, sizeof more, "%d", other ? other->max_devices : 0);
        reply_set(&v, "max", max);
        reply_set(&v, "more", more);
        if (other) {
            price_text(lx, other, price, sizeof price);
            reply_set(&v, "required", level_name(other));
            reply_set(&v, "price", price);
        }
        reply_render(lx, other ? "plan.devices" : "plan.devices.top", &v, buf, n);
        return buf[0] != '\0';
    } else if (s->about[0]) {
        /* which plan allows an action */
        const char *action = s->about;
        other = policy_upgrade(pol, cur, action);
        reply_set(&v, "action", policy_action_name(pol, action));
        key = policy_allows(cur, action) ? "plan.has" : other ? "plan.needs" : "plan.none";
    } else if (k == 2 || (k == 1 && named[0] != cur)) {
        /* a plan compared with another, or with the customer's own */
        const struct service_level *lo = k == 2 ? named[0] : cur,
                                   *hi = k == 2 ? named[1] : named[0];
        if (hi->rank < lo->rank) {
            const struct service_level *tmp = hi;
            hi = lo;
            lo = tmp;
        }
        price_text(lx, lo, base, sizeof base);
        reply_set(&v, "lower", level_name(lo));
        reply_set(&v, "base", base);
        adds_list(lx, pol, hi, lo, adds, sizeof adds);
        reply_set(&v, "adds", adds);
        key = k == 2 ? "plan.compare" : named[0] == hi ? "plan.more" : "plan.less";
        other = hi;
    } else if (k == 1 || (s->current && !s->upgrade)) {
        key = "plan.current";
    } else if (s->upgrade) {
        other = next_up(pol, cur);
        key = other ? "plan.upgrade" : "plan.top";
    }
    if (!key)
        return false;
    if (strcmp(key, "plan.current") == 0 || strcmp(key, "plan.top") == 0) {
        adds_list(lx, pol, cur, NULL, adds, sizeof adds);
        reply_set(&v, "adds", adds);
    }
    if (other) {
        price_text(lx, other, price, sizeof price);
        reply_set(&v, "required", level_name(other));
        reply_set(&v, "price", price);
        if (strcmp(key, "plan.upgrade") == 0) {
            adds_list(lx, pol, other, cur, adds, sizeof adds);
            reply_set(&v, "adds", adds);
        }
    }
    reply_render(lx, key, &v, buf, n);
    return buf[0] != '\0';
}

void plans_entities(const struct lexicon *lx, const struct policy *pol, struct text_entities *ents)
{
    /* a plan's own name is a plan question's word ("am I on premium?") */
    for (size_t i = 0; i < pol->n_levels; i++) {
        text_entity_add(lx, ents, LEX_HELP, "plan", pol->levels[i].level);
        if (pol->levels[i].name && strcasecmp(pol->levels[i].name, pol->levels[i].level) != 0)
            text_entity_add(lx, ents, LEX_HELP, "plan", pol->levels[i].name);
    }
}
