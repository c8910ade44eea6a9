#include "server/token_cmd.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "server/auth.h"

static int usage(const char *why)
{
    fprintf(stderr, "servicebotd: %s\nusage: servicebotd " TOKEN_CMD_USAGE "\n", why);
    return 2;
}

int token_cmd_check(int argc, char **argv, const struct token_cmd *o)
{
    const char *sub = argv[0];
    bool create = !strcmp(sub, "create"), list = !strcmp(sub, "list"),
         revoke = !strcmp(sub, "revoke");
    if (!create && !list && !revoke)
        return usage("token takes create, list or revoke");
    if (argc != (revoke ? 2 : 1))
        return usage(revoke ? "token revoke takes one token id (see token list)"
                            : "too many arguments");
    if (!create && (o->customer || o->admin || o->expires))
        return usage("--customer, --admin and --expires go with token create");
    if (create && o->admin == (o->customer != NULL))
        return usage("token create needs --customer ID or --admin");
    if (o->json && !list)
        return usage("--json goes with token list");
    if (o->expires && auth_parse_lifetime(o->expires) < 0)
        return usage("--expires takes a lifetime such as 30d, 12h, 90m or 3600s (at most ten "
                     "years)");
    return 0;
}

static int create(struct store *st, const struct token_cmd *o, struct sb_err *err)
{
    struct customer c = {0};
    char token[AUTH_TOKEN_LEN], id[UTIL_ID_LEN], expires[UTIL_TIMESTAMP_LEN] = "never";
    int64_t expires_ms = 0;
    int rc = SB_OK;
    if (o->customer)
        rc = store_get_customer(st, o->customer, &c, err);
    customer_free(&c);
    if (o->expires) {
        expires_ms = util_now_ms() + auth_parse_lifetime(o->expires) * 1000;
        util_format_timestamp(expires_ms, expires, sizeof(expires));
    }
    if (rc == SB_OK)
        rc = auth_create_token(st, o->customer, expires_ms, token, sizeof(token), id, err);
    if (rc != SB_OK)
        return rc;
    printf("%s\n", token);
    fprintf(stderr, "servicebotd: token %s for %s, expires %s\n", id,
            o->customer ? o->customer : "admin", expires);
    return SB_OK;
}

static bool expired(const struct token_info *t)
{
    int64_t ms;
    return t->expires && (util_parse_timestamp(t->expires, &ms) != 0 || ms <= util_now_ms());
}

static json_object *token_json(const struct token_info *t)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add(o, "id", xjson(json_object_new_string(t->id)));
    xjson_add(o, "customerId", jsonx_string_or_null(t->customer_id));
    xjson_add(o, "admin", xjson(json_object_new_boolean(!t->customer_id)));
    xjson_add(o, "created", jsonx_string_or_null(t->created));
    xjson_add(o, "lastUsed", jsonx_string_or_null(t->last_used));
    xjson_add(o, "expires", jsonx_string_or_null(t->expires));
    xjson_add(o, "expired", xjson(json_object_new_boolean(expired(t))));
    return o;
}

static int list(struct store *st, const struct token_cmd *o, struct sb_err *err)
{
    struct token_info *ts = NULL;
    size_t n = 0;
    int rc = store_list_tokens(st, &ts, &n, err);
    if (rc != SB_OK)
        return rc;
    if (o->json) {
        json_object *all = xjson(json_object_new_array());
        for (size_t i = 0; i < n; i++)
            xjson_push(all, token_json(&ts[i]));
        json_object *doc = xjson(json_object_new_object());
        xjson_add(doc, "tokens", all);
        printf("%s\n", jsonx_string(doc, NULL));
        json_object_put(doc);
    } else {
        printf("%-30s %-16s %-24s %-24s %s\n", "ID", "CUSTOMER", "CREATED", "LAST USED", "EXPIRES");
        for (size_t i = 0; i < n; i++)
            printf("%-30s %-16s %-24s %-24s %s%s\n", ts[i].id,
                   ts[i].customer_id ? ts[i].customer_id : "(admin)",
                   ts[i].created ? ts[i].created : "-", ts[i].last_used ? ts[i].last_used : "never",
                   ts[i].expires ? ts[i].expires : "never", expired(&ts[i]) ? " (expired)" : "");
    }
    token_infos_free(ts, n);
    return SB_OK;
}

static int revoke(struct store *st, const char *id, struct sb_err *err)
{
    struct token_info t = {0};
    int rc = store_revoke_token(st, id, &t, err);
    if (rc == SB_OK)
        fprintf(stderr,
                "servicebotd: revoked %s (%s); running servicebotd processes refuse it within "
                "their --auth-cache period (30 s by default)\n",
                id, t.customer_id ? t.customer_id : "admin");
    token_info_free(&t);
    return rc;
}

int token_cmd_run(struct store *st, int argc, char **argv, const struct token_cmd *o)
{
    struct sb_err err = {0};
    int rc;
    if (!strcmp(argv[0], "create"))
        rc = create(st, o, &err);
    else if (!strcmp(argv[0], "list"))
        rc = list(st, o, &err);
    else
        rc = revoke(st, argv[1], &err);
    if (rc != SB_OK) {
        fprintf(stderr, "servicebotd: %s\n", err.msg);
        return 1;
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
