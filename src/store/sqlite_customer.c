/* Customer rows: their decode (through the row cache) and their write,
 * which feeds the row cache with the decode of what it wrote. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/validate.h"
#include "common/xalloc.h"
#include "store/sqlite_impl.h"
#include "store/sqlite_rowcache.h"

/* The customer columns, in SQLITE_CUSTOMER_COLUMNS order. */
enum {
    COL_ID,
    COL_NAME,
    COL_LEVEL,
    COL_DEVICES,
    COL_VERSION,
    COL_ZONE,
    COL_ROUTINES,
    CUSTOMER_NCOLS
};

/* The text columns of a customer row (zone NULL: the column is NULL). */
struct row_text {
    const char *id, *name, *level, *zone;
    int64_t version;
};

/* Rebuilds a customer from its row with the devices and routines columns
 * already parsed (routines NULL: the column is NULL), taking both; a
 * record that fails the field checks of a stored record is SB_EINVAL with
 * what is wrong in *p. */
static int decode_parsed(const struct row_text *r, json_object *devices, json_object *routines,
                         struct customer *out, struct model_problems *p)
{
    json_object *o = xjson(json_object_new_object());
    xjson_add_lit(o, "id", xjson(json_object_new_string(r->id ? r->id : "")));
    xjson_add_lit(o, "name", xjson(json_object_new_string(r->name)));
    xjson_add_lit(o, "service_level", xjson(json_object_new_string(r->level)));
    xjson_add_lit(o, "devices", devices);
    if (r->zone)
        xjson_add_lit(o, "timezone", xjson(json_object_new_string(r->zone)));
    if (routines)
        xjson_add_lit(o, "routines", routines);
    int rc = customer_from_json(o, "", p, out);
    if (rc == SB_OK)
        out->version = r->version;
    json_object_put(o);
    return rc;
}

/* Rebuilds a customer from its row; a broken JSON column is SB_ECORRUPT. */
static int decode_row(sqlite3_stmt *stmt, struct customer *out, struct sb_err *err)
{
#define TEXT(i) ((const char *)sqlite3_column_text(stmt, (i)))
    const struct row_text r = {TEXT(COL_ID), TEXT(COL_NAME), TEXT(COL_LEVEL), TEXT(COL_ZONE),
                               sqlite3_column_int64(stmt, COL_VERSION)};
    const char *devices = TEXT(COL_DEVICES), *routines = TEXT(COL_ROUTINES);
#undef TEXT
    json_object *dl = NULL, *rl = NULL;
    const char *bad = NULL;
    struct sb_err perr;
    if (jsonx_parse(devices ? devices : "", devices ? strlen(devices) : 0, &dl, &perr) != SB_OK)
        bad = "devices";
    else if (routines && jsonx_parse(routines, strlen(routines), &rl, &perr) != SB_OK)
        bad = "routines";
    if (bad) {
        json_object_put(dl);
        return sb_err_set(err, SB_ECORRUPT, "stored customer %s is corrupt: %s: %s",
                          r.id ? r.id : "?", bad, perr.msg);
    }
    struct model_problems p = {.stored = true};
    int rc = decode_parsed(&r, dl, rl, out, &p);
    if (rc != SB_OK) {
        model_problems_to_err(&p, &perr);
        rc = sb_err_set(err, SB_ECORRUPT, "stored customer %s is corrupt: %s", r.id ? r.id : "?",
                        perr.msg);
    }
    model_problems_free(&p);
    return rc;
}

/* The shared record of the row: the cached one, or decode_row's, cached;
 * stamp (or NULL) as sqlite_rowcache_get takes it. */
static int shared_from_row(sqlite3_stmt *stmt, const struct sqlite_stamp *stamp,
                           struct store_customer **out, struct sb_err *err)
{
    struct store_customer *rec = sqlite_rowcache_get(stmt, CUSTOMER_NCOLS, stamp);
    if (!rec) {
        rec = store_customer_new();
        int rc = decode_row(stmt, &rec->c, err);
        if (rc != SB_OK) {
            store_customer_release(rec);
            return rc;
        }
        sqlite_rowcache_put(stmt, CUSTOMER_NCOLS, rec, stamp);
    }
    *out = rec;
    return SB_OK;
}

/* A copy of the row's shared record, or (take) the decode itself, left out
 * of the cache. */
static int from_row(sqlite3_stmt *stmt, bool take, struct customer *out, struct sb_err *err)
{
    if (take)
        return sqlite_rowcache_take(stmt, CUSTOMER_NCOLS, out) ? SB_OK : decode_row(stmt, out, err);
    struct store_customer *rec = NULL;
    int rc = shared_from_row(stmt, NULL, &rec, err);
    if (rc == SB_OK) {
        customer_copy(out, &rec->c); /* outside the cache's lock: rec is immutable */
        store_customer_release(rec);
    }
    return rc;
}

int sqlite_customer_row(sqlite3_stmt *stmt, void *elem, struct sb_err *err)
{
    return from_row(stmt, false, elem, err);
}

/* Steps the customer SELECT for id: a row is read by read(stmt, arg). */
static int select_customer(sqlite3 *db, const char *id,
                           int (*read)(sqlite3_stmt *stmt, void *arg, struct sb_err *err),
                           void *arg, struct sb_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc;
    if (!(stmt = sqlite_stmt(db, "SELECT " SQLITE_CUSTOMER_COLUMNS " FROM customers "
                                 "WHERE id = ?")))
        return sqlite_fail(db, "reading a customer", err);
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW)
        rc = read(stmt, arg, err);
    else if (step == SQLITE_DONE)
        rc = sb_err_set(err, SB_ENOTFOUND, "no customer with id %s", id);
    else
        rc = sqlite_fail(db, "reading a customer", err);
    sqlite_stmt_done(stmt);
    return rc;
}

static int read_taken(sqlite3_stmt *stmt, void *out, struct sb_err *err)
{
    return from_row(stmt, true, out, err);
}

int sqlite_read_customer(sqlite3 *db, const char *id, struct customer *out, struct sb_err *err)
{
    return select_customer(db, id, read_taken, out, err);
}

struct shared_arg {
    const struct sqlite_stamp *stamp;
    struct store_customer **out;
};

static int read_shared(sqlite3_stmt *stmt, void *arg, struct sb_err *err)
{
    struct shared_arg *a = arg;
    return shared_from_row(stmt, a->stamp, a->out, err);
}

int sqlite_load_customer_shared(sqlite3 *db, const char *id, const struct sqlite_stamp *stamp,
                                struct store_customer **out, struct sb_err *err)
{
    struct shared_arg a = {stamp, out};
    return select_customer(db, id, read_shared, &a, err);
}

/* The decode a read of the row about to be written would make, made from
 * the very subtrees the JSON columns are serialized from (parsing that
 * text gives them back: plain strings, ints, booleans and nulls). It is
 * the field checks of a stored record (store_ops.checks_customers): a
 * record that fails them is refused as a model_problems error. Once the
 * row is written it feeds the row cache, so that the next read of this
 * customer (the next exchange: every one rewrites the row) is a hit
 * instead of a parse, in any process. *cacheable is false when a read
 * would refuse the text itself (what jsonx_parse checks): that is left to
 * the read. */
static int decode_written(const struct customer *c, int64_t version, json_object *devices,
                          json_object *routines, struct customer *out, bool *cacheable,
                          struct sb_err *err)
{
    char path[160], problem[160];
    struct model_problems p = {.stored = true};
    const struct row_text r = {c->id, c->name, c->service_level, c->timezone, version};
    int rc = decode_parsed(&r, json_object_get(devices),
                           routines ? json_object_get(routines) : NULL, out, &p);
    if (rc != SB_OK)
        rc = model_problems_to_err(&p, err);
    model_problems_free(&p);
    *cacheable =
        rc == SB_OK && validate_json_text(devices, path, sizeof path, problem, sizeof problem) &&
        (!routines || validate_json_text(routines, path, sizeof path, problem, sizeof problem));
    return rc;
}

/* A C string as a row cache column (NULL: an SQL NULL). */
static struct sqlite_rowcache_col str_col(const char *s)
{
    return (struct sqlite_rowcache_col){s, s ? (int)strlen(s) : -1};
}

/* Writes c with the given version (insert or replace). */
int sqlite_write_customer(sqlite3 *db, const struct customer *c, int64_t version,
                          struct sb_err *err)
{
    sqlite3_stmt *stmt = NULL;
    json_object *o = customer_to_json(c);
    json_object *devices = json_object_object_get(o, "devices");
    json_object *routines = c->n_routines ? json_object_object_get(o, "routines") : NULL;
    struct sqlite_rowcache_col cols[CUSTOMER_NCOLS];
    char vtext[24];
    size_t dlen = 0, rlen = 0;
    /* each object keeps its own text until o is put: bound without a copy */
    const char *dtext = jsonx_string(devices, &dlen);
    const char *rtext = routines ? jsonx_string(routines, &rlen) : NULL;
    struct customer decoded = {0};
    bool cacheable;
    int rc = decode_written(c, version, devices, routines, &decoded, &cacheable, err);
    if (rc != SB_OK)
        goto out;
    if (!(stmt = sqlite_stmt(db, "INSERT INTO customers (" SQLITE_CUSTOMER_COLUMNS ") "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                                 "name = excluded.name, service_level = excluded.service_level, "
                                 "devices = excluded.devices, version = excluded.version, "
                                 "timezone = excluded.timezone, routines = excluded.routines"))) {
        rc = sqlite_fail(db, "writing a customer", err);
        goto out;
    }
    /* the columns as a SELECT of this row returns them: the INTEGER as its decimal text */
    cols[COL_ID] = str_col(c->id);
    cols[COL_NAME] = str_col(c->name);
    cols[COL_LEVEL] = str_col(c->service_level);
    cols[COL_DEVICES] = (struct sqlite_rowcache_col){dtext, (int)dlen};
    cols[COL_VERSION] =
        (struct sqlite_rowcache_col){vtext, snprintf(vtext, sizeof vtext, "%" PRId64, version)};
    cols[COL_ZONE] = str_col(c->timezone);
    cols[COL_ROUTINES] = rtext ? (struct sqlite_rowcache_col){rtext, (int)rlen} : str_col(NULL);
    for (int i = 0; i < CUSTOMER_NCOLS; i++)
        if (i == COL_VERSION)
            sqlite3_bind_int64(stmt, i + 1, version);
        else if (cols[i].v)
            sqlite3_bind_text(stmt, i + 1, cols[i].v, cols[i].len, SQLITE_STATIC);
        else
            sqlite3_bind_null(stmt, i + 1);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = sqlite_fail(db, "writing a customer", err);
    else if (cacheable)
        sqlite_rowcache_give(cols, CUSTOMER_NCOLS, &decoded); /* takes it */
out:
    customer_free(&decoded);
    sqlite_stmt_done(stmt);
    json_object_put(o);
    return rc;
}
