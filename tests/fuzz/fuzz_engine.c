/* libFuzzer target: the whole engine (parse, policy, execution, replies,
 * recording) on a seeded in-memory store. The first byte picks the
 * customer and the conversation, the rest is the message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "engine_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct store *st;
    static struct engine *e;
    static const char *const customers[] = {"cust_001", "cust_002", "cust_003", "nobody"};
    static const char *const convs[] = {"conv_a", "conv_b", NULL, "conv_c"};
    if (!e && fixture_open(":memory:", &st, &e) != 0)
        abort();
    if (size == 0)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    struct engine_request req = {.customer_id = customers[data[0] & 3],
                                 .conversation_id = convs[(data[0] >> 2) & 3],
                                 .text = text,
                                 .message_id = (data[0] & 0x80) ? text : NULL};
    struct engine_reply rep = {0};
    struct sb_err err;
    int rc = engine_handle(e, &req, &rep, &err);
    if (rc == SB_OK) {
        /* every result has a message and an outcome */
        if (!jsonx_get_string(rep.result, "message") || !jsonx_get_string(rep.result, "outcome"))
            abort();
        for (size_t i = 0; i < rep.n_changed; i++)
            if (rep.changed[i].volume < 0 || rep.changed[i].volume > MODEL_VOLUME_MAX)
                abort();
    } else if (rep.result || rep.changed) {
        abort();
    }
    engine_reply_free(&rep);
    free(text);
    return 0;
}
