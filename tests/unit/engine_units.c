/* The engine's small parts on their own: the bounded memory, numbers and
 * typos in the tokenizer, fuzzy titles, upgrade choice from levels data,
 * and list joining. */
#include <stdlib.h>
#include <string.h>

#include "engine/convo.h"
#include "engine/action.h"
#include "engine/intent.h"
#include "engine/lexicon.h"
#include "engine/memo.h"
#include "engine/policy.h"
#include "engine/reply.h"
#include "engine/resolve.h"
#include "engine/text.h"
#include "tap.h"

static void memo_is_bounded(void)
{
    struct memo *m = memo_new(3);
    char *v;
    memo_put(m, "a", "1");
    memo_put(m, "b", "2");
    memo_put(m, "a", "one");
    is_str((v = memo_get(m, "a")), "one", "memo: put replaces");
    free(v);
    memo_put(m, "c", "3");
    memo_put(m, "d", "4");
    v = memo_get(m, "a");
    ok(v == NULL, "memo: the oldest entry is forgotten when full");
    free(v);
    is_str((v = memo_get(m, "d")), "4", "memo: the newest is kept");
    free(v);
    memo_free(m);
}

/* The number the tokenizer reads in text, or -1. */
static int number_in(const struct lexicon *lx, const char *text)
{
    struct tokens t;
    text_tokenize(lx, NULL, text, &t);
    for (size_t i = 0; i < t.n; i++)
        if (t.toks[i].tag == LEX_NUM)
            return t.toks[i].num;
    return -1;
}

static void numbers_and_typos(const struct lexicon *lx)
{
    is_int(number_in(lx, "twenty five"), 25, "twenty five");
    is_int(number_in(lx, "seventy-three"), 73, "seventy-three");
    is_int(number_in(lx, "a hundred"), 100, "a hundred");
    is_int(number_in(lx, "one hundred and five"), 105, "'and' inside a number");
    is_int(number_in(lx, "a hundred and the fan"), 100, "'and' before a word ends a number");
    is_int(number_in(lx, "nineteen"), 19, "nineteen");
    is_int(number_in(lx, "99999999999"), 100000, "huge numbers are capped");
    enum lex_tag tag;
    const char *value;
    ok(lexicon_correct(lx, "speakr", &tag, &value) && tag == LEX_TYPE &&
           strcmp(value, "speaker") == 0,
       "typo: speakr -> speaker");
    ok(!lexicon_correct(lx, "zzzz", &tag, &value), "typo: nothing near zzzz");
    ok(!lexicon_correct(lx, "the", &tag, &value), "typo: short words are left alone");
}

static void titles(void)
{
    char *items[] = {"Gymnopedie No. 1", "Clair de Lune", "An Ending (Ascent)", "Imagine"};
    struct strlist l = {items, 4};
    is_str(resolve_title(&l, "imagine"), "Imagine", "title: case");
    is_str(resolve_title(&l, "imagin"), "Imagine", "title: a letter off");
    is_str(resolve_title(&l, "gymnopedie"), "Gymnopedie No. 1", "title: a part of it");
    is_str(resolve_title(&l, "an ending ascent"), "An Ending (Ascent)", "title: punctuation");
    ok(resolve_title(&l, "bohemian rhapsody") == NULL, "title: absent");
}

static void upgrades(void)
{
    char *low_a[] = {"device_status"}, *mid_a[] = {"device_status", "song_changes"},
         *top_a[] = {"device_status", "song_changes", "custom_actions"};
    struct service_level levels[3] = {
        {.level = "low", .name = "Low", .allowed_actions = {low_a, 1}, .max_devices = 1},
        {.level = "mid",
         .name = "Mid",
         .allowed_actions = {mid_a, 2},
         .max_devices = 2,
         .rank = 1,
         .price_cents = 500},
        {.level = "top",
         .name = "Top",
         .allowed_actions = {top_a, 3},
         .max_devices = 9,
         .rank = 2,
         .price_cents = 2000}};
    struct policy p = {.levels = levels, .n_levels = 3};
    is_str(policy_upgrade(&p, &levels[0], "song_changes")->level, "mid",
           "upgrade: the lowest level that allows it");
    is_str(policy_upgrade(&p, &levels[0], "custom_actions")->level, "top",
           "upgrade: skips levels that do not");
    ok(policy_upgrade(&p, &levels[2], "teleport") == NULL, "upgrade: none allows it");
    json_object *d = policy_denial(&p, &levels[0], "teleport");
    ok(json_object_is_type(json_object_object_get(d, "requiredLevel"), json_type_null),
       "denial: requiredLevel null when no level allows it");
    json_object_put(d);
    json_object *lim = policy_limit(&p, &levels[0], 3);
    is_str(json_object_get_string(json_object_object_get(lim, "requiredLevel")), "top",
           "limit: the first level with room for 3 devices");
    is_str(json_object_get_string(json_object_object_get(lim, "price")), "20.00",
           "limit: its price");
    json_object_put(lim);
}

static void joins(const struct lexicon *lx)
{
    const char *items[] = {"a", "b", "c"};
    char buf[64];
    reply_join(lx, items, 1, "list.and", buf, sizeof buf);
    is_str(buf, "a", "join one");
    reply_join(lx, items, 2, "list.or", buf, sizeof buf);
    is_str(buf, "a or b", "join two");
    reply_join(lx, items, 3, "list.and", buf, sizeof buf);
    is_str(buf, "a, b and c", "join three");
    reply_join(lx, items, 0, "list.and", buf, sizeof buf);
    is_str(buf, "", "join none");
    reply_the(lx, "Office Speaker", buf, sizeof buf);
    is_str(buf, "the Office Speaker", "a device in a sentence");
    reply_price(lx, 999, buf, sizeof buf);
    is_str(buf, "$9.99", "a price");
    reply_price(lx, 2905, buf, sizeof buf);
    is_str(buf, "$29.05", "cents keep two digits");
}

/* A conversation's memory survives its stored form; damage is forgetting. */
static void convo_round_trip(void)
{
    struct convo c = {0}, back;
    char *ids[] = {"dev_001", "dev_002"};
    convo_set_devices(&c, ids, 2);
    snprintf(c.moved_device, sizeof c.moved_device, "dev_002");
    snprintf(c.moved_from, sizeof c.moved_from, "kitchen");
    snprintf(c.last_action, sizeof c.last_action, "volume_control");
    convo_set_pending(&c, 5, "turn up the speaker and move it");
    char *text = convo_text(&c);
    convo_parse(text, &back);
    ok(back.n_devices == 2 && strcmp(back.devices[1], "dev_002") == 0, "convo: devices kept");
    is_str(back.moved_from, "kitchen", "convo: the room a device was moved from kept");
    is_str(back.last_action, "volume_control", "convo: last action kept");
    ok(back.pending_steps == 5 && back.pending &&
           strcmp(back.pending, "turn up the speaker and move it") == 0,
       "convo: the pending question and its request kept");
    convo_free(&back);
    convo_set_pending(&c, 0, NULL);
    free(text);
    text = convo_text(&c);
    convo_parse(text, &back);
    ok(back.pending_steps == 0 && !back.pending, "convo: an answered question is forgotten");
    convo_free(&back);
    convo_parse("{\"devices\": 7, \"pending\": \"x\"", &back);
    ok(back.n_devices == 0 && !back.pending, "convo: damaged text is an empty memory");
    convo_free(&back);
    free(text);
    convo_free(&c);
}

/* Every row of the action table is whole: found by its id, name and PATCH
 * field, a capability the model knows, and the sentences it needs exist. */
static void action_rows(const struct lexicon *lx)
{
    char key[64];
    for (size_t i = 0; i < action_count(); i++) {
        const struct action_def *a = action_at(i);
        bool whole = a->name && action_get(a->id) == a && action_by_name(a->name) == a;
        whole = whole && (!a->patch_field || (action_by_patch_field(a->patch_field) == a &&
                                              a->from_patch && a->apply));
        whole = whole && (!a->capability || model_capability_canonical(a->capability));
        whole = whole && (!a->answer || a->missing); /* an answer fills a missing value */
        /* every reply key its apply function may give has a sentence */
        char outcomes[256], *save = NULL;
        snprintf(outcomes, sizeof outcomes, "%s", a->outcomes ? a->outcomes : "");
        whole = whole && (!a->apply || outcomes[0]);
        for (char *w = strtok_r(outcomes, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            snprintf(key, sizeof key, "%s.%s", a->reply, w);
            whole = whole && lexicon_reply(lx, key)[0];
        }
        if (a->kind == ACTION_KIND_DEVICE) {
            snprintf(key, sizeof key, "verb.%s", a->name);
            whole = whole && lexicon_reply(lx, key)[0];
            snprintf(key, sizeof key, "can.%s", a->name);
            whole = whole && lexicon_reply(lx, key)[0];
        }
        if (a->kind == ACTION_KIND_REPLY)
            whole = whole && lexicon_reply(lx, a->reply)[0];
        ok(whole, "action row %s is whole", a->name ? a->name : "?");
    }
    size_t fields = 0;
    for (size_t i = 0; i < action_count(); i++)
        fields += action_at(i)->patch_field != NULL;
    ok(fields <= INTENT_MAX_STEPS, "a PATCH body's fields fit in one request's steps");
    ok(action_by_name("no_such_action") == NULL, "an unknown name has no row");
    is_str(action_get((enum intent_action)999)->name, "unknown", "an id out of range is unknown");
}

int main(void)
{
    struct lexicon *lx;
    struct sb_err err;
    if (lexicon_new(&lx, &err) != SB_OK) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    memo_is_bounded();
    convo_round_trip();
    numbers_and_typos(lx);
    titles();
    upgrades();
    joins(lx);
    action_rows(lx);
    lexicon_free(lx);
    return tap_done();
}
