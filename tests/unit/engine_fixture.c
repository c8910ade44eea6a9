/* The seeded store behind the engine tests. */
#include "engine_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"

int fixture_import(struct store *st, const char *file, struct sb_err *err)
{
    char *text = NULL;
    size_t len = 0;
    json_object *o = NULL;
    struct model_problems p = {0};
    struct dataset ds = {0};
    int rc = SB_EINVAL;
    if (util_read_file(file, &text, &len) != 0) {
        sb_err_set(err, SB_ENOTFOUND, "cannot read %s", file);
        goto out;
    }
    rc = jsonx_parse(text, len, &o, err);
    if (rc != SB_OK)
        goto out;
    rc = dataset_from_json(o, &p, &ds);
    if (rc != SB_OK) {
        model_problems_to_err(&p, err);
        goto out;
    }
    rc = store_import(st, &ds, err);
out:
    dataset_free(&ds);
    model_problems_free(&p);
    json_object_put(o);
    free(text);
    return rc;
}

int fixture_open_with(const char *path, const char *dataset, struct store **st, struct engine **e)
{
    struct store_options opt = {.kind = "sqlite", .path = path};
    struct sb_err err = {0};
    *st = NULL;
    *e = NULL;
    /* The seed goes in last so its levels and catalogue are the ones in force. */
    if (store_open(&opt, st, &err) != SB_OK ||
        (dataset && fixture_import(*st, dataset, &err) != SB_OK) ||
        fixture_import(*st, SB_SRCDIR "/data/seed.json", &err) != SB_OK ||
        engine_new(*st, e, &err) != SB_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        fixture_close(*st, *e);
        *st = NULL;
        *e = NULL;
        return -1;
    }
    return 0;
}

int fixture_open(const char *path, struct store **st, struct engine **e)
{
    return fixture_open_with(path, NULL, st, e);
}

void fixture_close(struct store *st, struct engine *e)
{
    engine_free(e);
    if (st)
        store_close(st);
}

json_object *fixture_chat(struct engine *e, const char *customer, const char *conv,
                          const char *text)
{
    struct engine_request req = {.customer_id = customer, .text = text, .conversation_id = conv};
    struct engine_reply rep = {0};
    struct sb_err err = {0};
    if (engine_handle(e, &req, &rep, &err) != SB_OK) {
        fprintf(stderr, "engine_handle(%s, \"%s\"): %s\n", customer, text, err.msg);
        return NULL;
    }
    json_object *r = json_object_get(rep.result);
    engine_reply_free(&rep);
    return r;
}
