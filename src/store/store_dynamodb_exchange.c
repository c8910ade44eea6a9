/* Chat exchanges on DynamoDB, which (like dynalite) offers no transactions
 * here. The commit point is one conditional PutItem of the customer's item:
 * the changed devices, version + 1, writeMark = the exchange's id, and the
 * "memory" attribute, a JSON text:
 *   {"conversations": [{"id", "at", "state"}, ...],  oldest first
 *    "journal": [{"id", "messages": [user, bot]}, ...]}
 * The journal holds the messages of the latest exchanges. They are written
 * to the messages table after the commit (BatchWriteItem: idempotent puts
 * of the same ids and contents); when that fails or the process dies first,
 * the next attempt with the same id (any instance) finds the entry, writes
 * the messages again and answers with the committed reply. An entry leaves
 * the journal only after its messages were written again right before the
 * commit that drops it, so none is lost. Why the customer item: it is read
 * by every exchange anyway (no extra read), and one item write is atomic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "store/store_dynamodb_impl.h"

#define DDB_JOURNAL_KEPT   8      /* exchanges; a full journal is flushed at once */
#define DDB_MEMORY_BUDGET  200000 /* bytes of memory text (items are at most 400 KB) */
#define DDB_BATCH_MAX      25     /* BatchWriteItem's limit */
#define DDB_BATCH_ATTEMPTS 8

static struct store_dynamodb *ddb(struct store *st)
{
    return (struct store_dynamodb *)st;
}

/* The memory of a customer item, or an empty one; never NULL. */
static json_object *memory_of(json_object *item)
{
    const char *text = item ? ddb_item_s(item, DDB_MEMORY_ATTR) : NULL;
    json_object *m = NULL;
    struct sb_err ignored;
    if (!text || jsonx_parse(text, strlen(text), &m, &ignored) != SB_OK ||
        !json_object_is_type(m, json_type_object)) {
        json_object_put(m);
        m = xjson(json_object_new_object());
    }
    static const char *const lists[] = {"conversations", "journal"};
    for (size_t i = 0; i < 2; i++) {
        json_object *l = json_object_object_get(m, lists[i]);
        if (!json_object_is_type(l, json_type_array))
            xjson_add(m, lists[i], xjson(json_object_new_array()));
    }
    return m;
}

/* The element of list m[name] whose "id" is id, and its index. */
static json_object *find_entry(json_object *m, const char *name, const char *id, size_t *at)
{
    json_object *l = json_object_object_get(m, name);
    for (size_t i = 0; i < json_object_array_length(l); i++) {
        json_object *e = json_object_array_get_idx(l, i);
        const char *eid = jsonx_get_string(e, "id");
        if (eid && strcmp(eid, id) == 0) {
            if (at)
                *at = i;
            return e;
        }
    }
    return NULL;
}

/* Puts the messages (plain JSON records) with BatchWriteItem, 25 at a time,
 * until none is left unprocessed. */
static int put_messages(struct store_dynamodb *s, json_object *const *msgs, size_t n,
                        struct sb_err *err)
{
    int rc = SB_OK;
    for (size_t from = 0; from < n && rc == SB_OK; from += DDB_BATCH_MAX) {
        json_object *puts = xjson(json_object_new_array());
        for (size_t i = from; i < n && i < from + DDB_BATCH_MAX; i++) {
            json_object *put = xjson(json_object_new_object()),
                        *req = xjson(json_object_new_object());
            xjson_add(put, "Item", ddb_item_from_json(msgs[i]));
            xjson_add(req, "PutRequest", put);
            xjson_push(puts, req);
        }
        for (int attempt = 0; puts && rc == SB_OK; attempt++) {
            json_object *req = xjson(json_object_new_object()),
                        *items = xjson(json_object_new_object());
            json_object *resp = NULL, *left = NULL;
            xjson_add(items, s->table[DDB_MESSAGES], puts);
            xjson_add(req, "RequestItems", items);
            rc = ddb_call(s->http, "BatchWriteItem", req, &resp, err);
            puts = NULL;
            if (rc == SB_OK && json_object_object_get_ex(resp, "UnprocessedItems", &left) &&
                (left = json_object_object_get(left, s->table[DDB_MESSAGES])) &&
                json_object_array_length(left) > 0)
                puts = json_object_get(left);
            json_object_put(resp);
            json_object_put(req);
            if (puts && attempt + 1 >= DDB_BATCH_ATTEMPTS) {
                json_object_put(puts);
                rc = sb_err_set(err, SB_EUNAVAIL, "DynamoDB left messages unwritten; try again");
            } else if (puts) {
                ddb_backoff(attempt, DDB_UPDATE_BACKOFF_BASE_MS, DDB_UPDATE_BACKOFF_CAP_MS);
            }
        }
    }
    return rc;
}

/* Writes the messages of journal entries [from, to). */
static int put_journal(struct store_dynamodb *s, json_object *journal, size_t from, size_t to,
                       struct sb_err *err)
{
    json_object *msgs[2 * DDB_JOURNAL_KEPT + 2];
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        json_object *l = json_object_object_get(json_object_array_get_idx(journal, i), "messages");
        for (size_t k = 0; k < json_object_array_length(l) && n < 2 * DDB_JOURNAL_KEPT + 2; k++)
            msgs[n++] = json_object_array_get_idx(l, k);
    }
    return put_messages(s, msgs, n, err);
}

/* The bot message of a journal entry, as a record. */
static int entry_reply(json_object *entry, struct message *out, struct sb_err *err)
{
    json_object *l = json_object_object_get(entry, "messages");
    struct model_problems p = {.stored = true};
    int rc = message_from_json(json_object_array_get_idx(l, json_object_array_length(l) - 1), "",
                               &p, out);
    if (rc != SB_OK) {
        struct sb_err perr;
        model_problems_to_err(&p, &perr);
        rc = sb_err_set(err, SB_ECORRUPT, "a stored exchange is corrupt: %s", perr.msg);
    }
    model_problems_free(&p);
    return rc;
}

/* The memory after an exchange: its state as the conversation's newest, its
 * messages in the journal (*flush: the old entries must be written first). */
static json_object *next_memory(json_object *mem, const struct store_exchange_key *k,
                                const struct store_exchange *ex, size_t *flush)
{
    json_object *convs = json_object_object_get(mem, "conversations");
    json_object *journal = json_object_object_get(mem, "journal");
    json_object *out = xjson(json_object_new_object()), *nconvs = xjson(json_object_new_array());
    json_object *njournal = xjson(json_object_new_array()), *entry, *msgs;
    size_t n = json_object_array_length(convs), keep_from = 0, len;
    *flush = json_object_array_length(journal) >= DDB_JOURNAL_KEPT
                 ? json_object_array_length(journal)
                 : 0;
    for (size_t i = *flush; i < json_object_array_length(journal); i++)
        xjson_push(njournal, json_object_get(json_object_array_get_idx(journal, i)));
    entry = xjson(json_object_new_object());
    msgs = xjson(json_object_new_array());
    xjson_add(entry, "id", xjson(json_object_new_string(k->id)));
    for (size_t i = 0; i < 2; i++)
        xjson_push(msgs, message_to_json(&ex->messages[i]));
    xjson_add(entry, "messages", msgs);
    xjson_push(njournal, entry);
    xjson_add(out, "journal", njournal);
    /* the other conversations, oldest dropped past the count or the size */
    len = strlen(jsonx_string(njournal, NULL)) + (ex->state ? strlen(ex->state) : 0);
    for (size_t i = n; i-- > 0;) {
        json_object *c = json_object_array_get_idx(convs, i);
        const char *id = jsonx_get_string(c, "id");
        if (id && strcmp(id, k->conversation_id) == 0)
            continue;
        len += strlen(jsonx_string(c, NULL));
        if (len > DDB_MEMORY_BUDGET || n - i >= STORE_CONVERSATIONS_KEPT) {
            keep_from = i + 1;
            break;
        }
    }
    for (size_t i = keep_from; i < n; i++) {
        json_object *c = json_object_array_get_idx(convs, i);
        const char *id = jsonx_get_string(c, "id");
        if (!id || strcmp(id, k->conversation_id) != 0)
            xjson_push(nconvs, json_object_get(c));
    }
    if (ex->state) {
        json_object *c = xjson(json_object_new_object());
        xjson_add(c, "id", xjson(json_object_new_string(k->conversation_id)));
        xjson_add(c, "at", xjson(json_object_new_int64(util_now_ms())));
        xjson_add(c, "state", xjson(json_object_new_string(ex->state)));
        xjson_push(nconvs, c);
    }
    xjson_add(out, "conversations", nconvs);
    return out;
}

/* One attempt's reading: the record, its memory, and whether the exchange
 * is in the journal already. */
struct base {
    struct customer c;
    json_object *mem;
    json_object *entry; /* borrowed from mem */
};

static int read_base(struct store_dynamodb *s, const struct store_exchange_key *k, struct base *b,
                     struct sb_err *err)
{
    json_object *item = NULL;
    int rc;
    memset(b, 0, sizeof *b);
    if (ddb_is_reserved(k->customer_id) || !*k->customer_id)
        return sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", k->customer_id);
    rc = ddb_get(s, DDB_CUSTOMERS, "id", k->customer_id, &item, err);
    if (rc == SB_OK && !item)
        rc = sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", k->customer_id);
    if (rc == SB_OK)
        rc = ddb_customer_from_item(item, &b->c, err);
    if (rc == SB_OK) {
        b->mem = memory_of(item);
        b->entry = find_entry(b->mem, "journal", k->id, NULL);
    }
    json_object_put(item);
    return rc;
}

static void base_free(struct base *b)
{
    customer_free(&b->c);
    json_object_put(b->mem);
    memset(b, 0, sizeof *b);
}

/* An exchange committed before: its messages (again) and its reply. */
static int finish_done(struct store_dynamodb *s, const struct base *b, struct message *done,
                       struct sb_err *err)
{
    json_object *journal = json_object_object_get(b->mem, "journal");
    size_t at = 0;
    find_entry(b->mem, "journal", jsonx_get_string(b->entry, "id"), &at);
    int rc = put_journal(s, journal, at, at + 1, err);
    return rc == SB_OK ? entry_reply(b->entry, done, err) : rc;
}

/* Whether the bot message is in the messages table for this customer
 * (an exchange whose journal entry was flushed since). */
static int find_stored(struct store_dynamodb *s, const struct store_exchange_key *k,
                       struct message *done, struct sb_err *err)
{
    struct sb_err local;
    int rc = ddb_get_message(&s->base, k->id, done, &local);
    if (rc == SB_ENOTFOUND)
        return SB_OK;
    if (rc != SB_OK) {
        *err = local;
        return rc;
    }
    if (!done->user_id || strcmp(done->user_id, k->customer_id) != 0)
        message_free(done); /* another customer's: not this exchange */
    return SB_OK;
}

/* Runs fn on the base and commits: the flushed journal entries' messages,
 * then the item; *msgs gets this exchange's messages, to be written next. */
static int commit(struct store_dynamodb *s, const struct store_exchange_key *k, struct base *b,
                  store_exchange_fn fn, void *arg, char **wrote, json_object **msgs,
                  struct sb_err *err)
{
    struct store_exchange ex;
    json_object *conv = find_entry(b->mem, "conversations", k->conversation_id, NULL);
    json_object *next = NULL, *av = NULL;
    size_t flush = 0;
    memset(&ex, 0, sizeof ex);
    int rc = fn(&b->c, conv ? jsonx_get_string(conv, "state") : NULL, &ex, arg, err);
    if (rc != SB_OK)
        return rc;
    if (!ex.messages[1].id || strcmp(ex.messages[1].id, k->id) != 0)
        return sb_err_set(err, SB_EINVAL, "an exchange's bot message must have its id");
    if (!b->c.id || strcmp(b->c.id, k->customer_id) != 0)
        return sb_err_set(err, SB_EINVAL, "an exchange may not change the customer's id");
    next = next_memory(b->mem, k, &ex, &flush);
    if (flush)
        rc = put_journal(s, json_object_object_get(b->mem, "journal"), 0, flush, err);
    if (rc == SB_OK) {
        json_object *j = json_object_object_get(next, "journal");
        av = ddb_s(jsonx_string(next, NULL));
        /* what we wrote, to tell our entry from another instance's */
        free(*wrote);
        *wrote = xstrdup(
            jsonx_string(json_object_array_get_idx(j, json_object_array_length(j) - 1), NULL));
        rc = ddb_put_customer_if(s, &b->c, k->id, av, err);
    }
    if (rc == SB_OK) {
        *msgs = xjson(json_object_new_array());
        xjson_push(*msgs, message_to_json(&ex.messages[0]));
        xjson_push(*msgs, message_to_json(&ex.messages[1]));
    }
    json_object_put(av);
    json_object_put(next);
    return rc;
}

static pthread_mutex_t *stripe(struct store_dynamodb *s, const char *customer_id)
{
    uint32_t h = 2166136261u;
    for (const char *p = customer_id; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &s->exchange_locks[h % DDB_EXCHANGE_STRIPES];
}

static int run_locked(struct store_dynamodb *s, const struct store_exchange_key *k,
                      store_exchange_fn fn, void *arg, struct message *done, json_object **msgs,
                      struct sb_err *err);

int ddb_run_exchange(struct store *st, const struct store_exchange_key *k, store_exchange_fn fn,
                     void *arg, struct message *done, struct sb_err *err)
{
    pthread_mutex_t *lock = stripe(ddb(st), k->customer_id);
    json_object *msgs = NULL;
    pthread_mutex_lock(lock);
    int rc = run_locked(ddb(st), k, fn, arg, done, &msgs, err);
    pthread_mutex_unlock(lock);
    /* committed: the messages after the lock, the next exchange needs only the item */
    if (rc == SB_OK && msgs)
        rc = store_fault("exchange-between", err);
    if (rc == SB_OK && msgs) {
        json_object *m[2] = {json_object_array_get_idx(msgs, 0),
                             json_object_array_get_idx(msgs, 1)};
        rc = put_messages(ddb(st), m, 2, err);
    }
    json_object_put(msgs);
    return rc;
}

static int run_locked(struct store_dynamodb *s, const struct store_exchange_key *k,
                      store_exchange_fn fn, void *arg, struct message *done, json_object **msgs,
                      struct sb_err *err)
{
    char *wrote = NULL; /* our last written journal entry */
    int rc = SB_ECONFLICT;
    for (int attempt = 0; attempt < DDB_UPDATE_ATTEMPTS && rc == SB_ECONFLICT; attempt++) {
        struct base b;
        if (attempt)
            ddb_backoff(attempt < 6 ? attempt : 6, DDB_UPDATE_BACKOFF_BASE_MS,
                        DDB_UPDATE_BACKOFF_CAP_MS);
        /* the item before the messages: an exchange committing in between
         * fails our conditional write, and the next attempt sees it */
        rc = read_base(s, k, &b, err);
        if (rc == SB_OK && b.entry && wrote && strcmp(jsonx_string(b.entry, NULL), wrote) == 0) {
            /* our write went in though its answer was lost: the messages */
            rc = finish_done(s, &b, done, err);
            message_free(done);
        } else if (rc == SB_OK && b.entry) {
            rc = finish_done(s, &b, done, err);
        } else if (rc == SB_OK && !k->new_id && !wrote &&
                   (rc = find_stored(s, k, done, err)) == SB_OK && done->id) {
            /* committed, and its journal entry flushed since */
        } else if (rc == SB_OK) {
            rc = commit(s, k, &b, fn, arg, &wrote, msgs, err);
        }
        base_free(&b);
    }
    free(wrote);
    if (rc == SB_ECONFLICT)
        return sb_err_set(err, SB_ECONFLICT,
                          "customer %s is being changed by too many writers at once; try again",
                          k->customer_id);
    if (rc != SB_OK)
        message_free(done);
    return rc;
}

int ddb_get_conversation(struct store *st, const char *customer_id, const char *conversation_id,
                         char **state, struct sb_err *err)
{
    json_object *item = NULL, *mem, *conv;
    const char *text;
    int rc;
    if (ddb_is_reserved(customer_id) || !*customer_id)
        return sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", customer_id);
    rc = ddb_get(ddb(st), DDB_CUSTOMERS, "id", customer_id, &item, err);
    if (rc == SB_OK && !item)
        rc = sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", customer_id);
    if (rc != SB_OK)
        return rc;
    mem = memory_of(item);
    conv = find_entry(mem, "conversations", conversation_id, NULL);
    text = conv ? jsonx_get_string(conv, "state") : NULL;
    if (text)
        *state = xstrdup(text);
    json_object_put(mem);
    json_object_put(item);
    return rc;
}
