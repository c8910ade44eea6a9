/* libFuzzer target: the request parser on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/intent.h"
#include "engine/lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lexicon *lx;
    struct sb_err err;
    struct intent in;
    char out[4096];
    if (!lx && lexicon_new(&lx, &err) != SB_OK)
        abort();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    intent_parse(lx, text, &in);
    if (in.n_steps == 0 || in.n_steps > INTENT_MAX_STEPS)
        abort();
    intent_format(&in, out, sizeof out);
    free(text);
    return 0;
}
