#include "client/jqfilter.h"

#include <jq.h>
#include <jv.h>
#include <stdlib.h>
#include <string.h>

#include "client/termsafe.h"
#include "common/xalloc.h"

struct jqfilter {
    jq_state *jq;
    char msg[512]; /* the first message libjq reported */
};

/* libjq reports compile errors through this callback, one message each. */
static void on_error(void *data, jv msg)
{
    struct jqfilter *f = data;
    if (!f->msg[0]) {
        jv text =
            jv_get_kind(msg) == JV_KIND_STRING ? jv_copy(msg) : jv_dump_string(jv_copy(msg), 0);
        const char *s = jv_string_value(text);
        if (!strncmp(s, "jq: error: ", 11)) /* we say "--jq:" ourselves */
            s += 11;
        snprintf(f->msg, sizeof(f->msg), "%s", s);
        jv_free(text);
    }
    jv_free(msg);
}

int jqfilter_new(const char *expr, struct jqfilter **out, struct sb_err *err)
{
    struct jqfilter *f = xcalloc(1, sizeof(*f));
    *out = NULL;
    if (!(f->jq = jq_init())) {
        free(f);
        return sb_err_set(err, SB_EINTERNAL, "out of memory");
    }
    jq_set_error_cb(f->jq, on_error, f);
    if (!jq_compile(f->jq, expr)) {
        int rc = sb_err_set(err, SB_EINVAL, "--jq: %s", f->msg[0] ? f->msg : "does not compile");
        jqfilter_free(f);
        return rc;
    }
    *out = f;
    return SB_OK;
}

void jqfilter_free(struct jqfilter *f)
{
    if (!f)
        return;
    jq_teardown(&f->jq);
    free(f);
}

int jqfilter_run(struct jqfilter *f, json_object *v, FILE *out, bool terminal, struct sb_err *err)
{
    /* json-c and libjq have their own trees; the text is the bridge. */
    jv input = jv_parse(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
    if (!jv_is_valid(input)) {
        jv_free(input);
        return sb_err_set(err, SB_EINTERNAL, "--jq: the JSON could not be handed to jq");
    }
    int rc = SB_OK;
    jq_start(f->jq, input, 0); /* takes input */
    for (jv r = jq_next(f->jq);; r = jq_next(f->jq)) {
        if (!jv_is_valid(r)) {
            if (jv_invalid_has_msg(jv_copy(r))) {
                jv msg = jv_invalid_get_msg(r);
                jv text = jv_get_kind(msg) == JV_KIND_STRING ? msg : jv_dump_string(msg, 0);
                rc = sb_err_set(err, SB_EINVAL, "--jq: %s", jv_string_value(text));
                jv_free(text);
            } else {
                jv_free(r);
            }
            break;
        }
        if (jv_get_kind(r) == JV_KIND_STRING && terminal) {
            termsafe_fputs(jv_string_value(r), TERMSAFE_KEEP_NEWLINES, out);
            jv_free(r);
        } else if (jv_get_kind(r) == JV_KIND_STRING) {
            fwrite(jv_string_value(r), 1, (size_t)jv_string_length_bytes(jv_copy(r)), out);
            jv_free(r);
        } else {
            jv text = jv_dump_string(r, terminal ? JV_PRINT_INDENT_FLAGS(2) : 0);
            fputs(jv_string_value(text), out);
            jv_free(text);
        }
        fputc('\n', out);
    }
    return rc;
}
