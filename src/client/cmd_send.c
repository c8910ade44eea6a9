/* send TEXT: one chat request over REST, for scripts. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cmdutil.h"
#include "client/commands.h"
#include "client/lastconv.h"
#include "client/termsafe.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/utf8.h"
#include "common/xalloc.h"

/* The words of argv[1..] joined by spaces, so that quoting is optional. */
static char *join_words(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 1; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *text = xmalloc(len);
    text[0] = '\0';
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            strcat(text, " ");
        strcat(text, argv[i]);
    }
    return text;
}

/* The message from standard input ("send -"), without its final newline;
 * one byte more than allowed is read so that too long is noticed. */
static char *read_stdin(void)
{
    char *text = xmalloc(MODEL_TEXT_MAX + 2);
    size_t n = fread(text, 1, MODEL_TEXT_MAX + 1, stdin);
    text[n] = '\0';
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    return text;
}

/* Prints the bot's reply; a refusal by the plan becomes the denial block and exit 4. */
static int print_reply(const struct cli_ctx *ctx, json_object *result)
{
    json_object *denial = NULL;
    json_object_object_get_ex(result, "denial", &denial);
    if (denial && !json_object_is_type(denial, json_type_object))
        denial = NULL;
    int rc = ctx->json ? cmdutil_print_json(ctx, result) : CLI_OK;
    if (!ctx->json) {
        const char *message = jsonx_get_string(result, "message");
        termsafe_fputs(message, TERMSAFE_KEEP_NEWLINES, stdout);
        fputc('\n', stdout);
    }
    if (ctx->verbose)
        termsafe_fprintf(stderr, "%s: outcome %s, conversation %s\n", ctx->prog,
                         jsonx_get_string(result, "outcome") ?: "?",
                         jsonx_get_string(result, "conversationId") ?: "?");
    if (denial) {
        cmdutil_print_denial(ctx, denial, NULL);
        rc = CLI_DENIED;
    }
    return rc;
}

/* After a reply: its conversation is the one --continue picks up next time. */
static void remember(const struct cli_ctx *ctx, const char *customer, json_object *result)
{
    const char *conv = jsonx_get_string(result, "conversationId");
    struct sb_err err = {0};
    if (conv && lastconv_put(ctx->server, customer, conv, &err) != SB_OK)
        fprintf(stderr, "%s: warning: cannot remember the conversation: %s\n", ctx->prog, err.msg);
}

int cmd_send(struct cli_ctx *ctx, int argc, char **argv)
{
    char customer[MODEL_ID_MAX], last[MODEL_ID_MAX];
    const char *conv = cli_opt(ctx, "conversation");
    bool resume = cli_opt(ctx, "continue") != NULL;
    json_object *req = NULL, *result = NULL;
    bool from_stdin = argc == 2 && !strcmp(argv[1], "-");
    char *text = from_stdin ? read_stdin() : join_words(argc, argv);
    int rc;
    if (!*text || strspn(text, " \t\r\n") == strlen(text)) {
        rc = commands_usage_error(ctx->command, "the message is empty");
        goto out;
    }
    if (strlen(text) > MODEL_TEXT_MAX || !utf8_valid(text, strlen(text))) {
        rc = commands_usage_error(
            ctx->command, "the message must be valid UTF-8 of at most %d bytes", MODEL_TEXT_MAX);
        goto out;
    }
    if (conv && resume) {
        rc = commands_usage_error(ctx->command, "--conversation and --continue exclude each other");
        goto out;
    }
    rc = cmdutil_customer(ctx, customer, sizeof(customer));
    if (rc != CLI_OK)
        goto out;
    if (resume && lastconv_get(ctx->server, customer, last, sizeof(last)) == 0)
        conv = last;
    else if (resume && ctx->verbose)
        fprintf(stderr, "%s: no earlier conversation with %s: starting one\n", ctx->prog, customer);
    req = xjson(json_object_new_object());
    json_object_object_add(req, "customerId", xjson(json_object_new_string(customer)));
    json_object_object_add(req, "message", xjson(json_object_new_string(text)));
    if (conv)
        json_object_object_add(req, "conversationId", xjson(json_object_new_string(conv)));
    rc = cmdutil_call(ctx, "POST", "/api/chat", req, "chat", &result);
    if (rc == CLI_OK) {
        remember(ctx, customer, result);
        rc = print_reply(ctx, result);
    }
out:
    if (result)
        json_object_put(result);
    if (req)
        json_object_put(req);
    free(text);
    return rc;
}
