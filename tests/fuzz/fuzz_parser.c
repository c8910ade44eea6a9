/* libFuzzer target: the request parser on arbitrary bytes, with the
 * vocabulary alone and with a customer's own words read first (names that
 * hold vocabulary words, a title that is a room's name, plan names). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/intent.h"
#include "engine/lexicon.h"
#include "engine/resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *titles[] = {"Kitchen Sink", "Help", "The Office Theme", "Hall of Fame", "Off"};
static struct device devices[] = {
    {.id = "a", .type = "SmartLight", .name = "Play Corner", .location = "living_room"},
    {.id = "b",
     .type = "SmartSpeaker",
     .name = "Heater Speaker",
     .location = "hall",
     .playlist = {titles, 5}},
    {.id = "c", .type = "SmartPlug", .location = "the back porch"},
};
static struct customer home = {.id = "x", .devices = devices, .n_devices = 3};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lexicon *lx;
    static struct text_entities ents;
    struct sb_err err;
    struct intent in;
    char out[4096];
    if (!lx) {
        if (lexicon_new(&lx, &err) != SB_OK)
            abort();
        resolve_entities(lx, &home, &ents);
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    intent_parse(lx, text, &in);
    if (in.n_steps == 0 || in.n_steps > INTENT_MAX_STEPS)
        abort();
    intent_format(&in, out, sizeof out);
    intent_parse_for(lx, &ents, text, &in);
    if (in.n_steps == 0 || in.n_steps > INTENT_MAX_STEPS)
        abort();
    intent_format(&in, out, sizeof out);
    free(text);
    return 0;
}
