/* SQLite only: the store's rows changed or broken behind its back (the
 * sqlite3 CLI, as another process would): the decoded-row cache, fed by
 * reads and by writes, never serves a row whose bytes changed, and a
 * corrupt row is refused or skipped, never half read. Split from
 * store_conformance.c, which runs the same tests on every backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/xalloc.h"
#include "store/store.h"
#include "store_fixture.h"
#include "store_ready.h"
#include "tap.h"

/* SQLite only: decoded rows are reused only for the very same row bytes, so
 * a change made by another process (here the sqlite3 CLI, without touching
 * the version) is seen on the next read, and so is its undoing. */
static int sqlite_cli(const char *sql)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", store_fixture_db, sql);
    return system(cmd);
}

static void test_rowcache_sqlite(struct store *st)
{
    struct customer c;
    struct sb_err err = {0};
    char *name = NULL;
    for (int i = 0; i < 2; i++) { /* the second read is the reused decode */
        if (store_get_customer(st, "cust_001", &c, &err) != SB_OK)
            break;
        free(name);
        name = strdup(c.name);
        customer_free(&c);
    }
    if (!name ||
        sqlite_cli("UPDATE customers SET name = 'Renamed Elsewhere' WHERE id = 'cust_001'")) {
        ok(1, "# SKIP sqlite3 command not available");
        free(name);
        return;
    }
    ok(store_get_customer(st, "cust_001", &c, &err) == SB_OK &&
           strcmp(c.name, "Renamed Elsewhere") == 0,
       "a change by another process is read at once");
    customer_free(&c);
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE customers SET name = '%s' WHERE id = 'cust_001'", name);
    sqlite_cli(sql);
    ok(store_get_customer(st, "cust_001", &c, &err) == SB_OK && strcmp(c.name, name) == 0,
       "and so is its undoing (the same bytes as the first read)");
    ok(c.n_devices > 0 && c.devices[0].id && c.devices[0].capabilities.len > 0,
       "a reused decode carries the devices and their capabilities");
    customer_free(&c);
    free(name);
}

/* What the row cache must not paper over: the fields a stored row holds
 * differently from the record that was written (a device without a name
 * is stored with its display name; playback only on a music device). */
static char *record_text(const struct customer *c)
{
    json_object *o = customer_to_json(c);
    char *text = xasprintf("%s tz=%s v=%lld name0=%s paused0=%d", jsonx_string(o, NULL),
                           c->timezone ? c->timezone : "(null)", (long long)c->version,
                           c->n_devices && c->devices[0].name ? c->devices[0].name : "(null)",
                           c->n_devices ? c->devices[0].paused : -1);
    json_object_put(o);
    return text;
}

static int refuse_update(struct customer *c, void *arg, struct sb_err *err)
{
    (void)arg;
    c->devices[0].volume = 1; /* changed, then refused: not written */
    return sb_err_set(err, SB_ECONFLICT, "refused");
}

static int set_first_volume(struct customer *c, void *arg, struct sb_err *err)
{
    (void)err;
    c->devices[0].volume = *(int *)arg;
    return SB_OK;
}

/* SQLite only: a write leaves in the row cache the decode of the row it
 * wrote, exactly what any read of those bytes decodes (here a fresh decode
 * after the CLI moved the row away and back), not the record it was given;
 * and a change by the CLI after that write is read at once. */
static void test_rowcache_written_sqlite(struct store *st)
{
    struct device d = {.id = "dev_w1",
                       .type = "SmartLight",
                       .location = "hall",
                       .on = true,
                       .volume = 10,
                       .paused = true};
    struct customer c = {.id = "cust_w",
                         .name = "Written",
                         .service_level = "basic",
                         .devices = &d,
                         .n_devices = 1},
                    got = {0};
    struct sb_err err = {0};
    char *written = NULL, *fresh = NULL;
    is_int(store_put_customer(st, &c, &err), SB_OK, "write a device without a name");
    if (store_get_customer(st, "cust_w", &got, &err) == SB_OK)
        written = record_text(&got);
    ok(got.n_devices == 1 && got.devices[0].name && strcmp(got.devices[0].name, "Hall Light") == 0,
       "the read after the write has the name the row stores");
    ok(got.n_devices == 1 && !got.devices[0].paused, "and a light is not paused");
    customer_free(&got);
    if (sqlite_cli("UPDATE customers SET name = 'Moved' WHERE id = 'cust_w'")) {
        ok(1, "# SKIP sqlite3 command not available");
        free(written);
        return;
    }
    ok(store_get_customer(st, "cust_w", &got, &err) == SB_OK && strcmp(got.name, "Moved") == 0,
       "a CLI change right after the write is read at once");
    customer_free(&got);
    sqlite_cli("UPDATE customers SET name = 'Written' WHERE id = 'cust_w'");
    if (store_get_customer(st, "cust_w", &got, &err) == SB_OK)
        fresh = record_text(&got);
    customer_free(&got);
    ok(written && fresh && strcmp(written, fresh) == 0,
       "what the write cached is the fresh decode of its row");
    tap_diag("written: %s", written ? written : "(none)");
    tap_diag("fresh:   %s", fresh ? fresh : "(none)");
    free(written);
    free(fresh);
    /* an update (the write an exchange makes) then the CLI on the same row */
    is_int(store_update_customer(st, "cust_w", set_first_volume, &(int){30}, NULL, &err), SB_OK,
           "an update writes the row again");
    sqlite_cli("UPDATE customers SET devices = json_set(devices, '$[0].volume', 77) "
               "WHERE id = 'cust_w'");
    ok(store_get_customer(st, "cust_w", &got, &err) == SB_OK && got.n_devices == 1 &&
           got.devices[0].volume == 77,
       "the CLI's volume, version untouched, is read after the store's own write");
    customer_free(&got);
    /* an update that fails takes the cached decode and writes nothing */
    is_int(store_update_customer(st, "cust_w", refuse_update, NULL, NULL, &err), SB_ECONFLICT,
           "an update that fails");
    ok(store_get_customer(st, "cust_w", &got, &err) == SB_OK && got.n_devices == 1 &&
           got.devices[0].volume == 77 && strcmp(got.name, "Written") == 0,
       "leaves the row, and its next read, as they were");
    customer_free(&got);
    is_int(store_delete_customer(st, "cust_w", &err), SB_OK, "clean up");
}

/* SQLite only: an unchanged row is the very record read before, memo and
 * all (what spares a GET its decode and rendering); a change by the CLI
 * that keeps the version is another record, without the memo, and so is a
 * write through the store. */
static void test_shared_sqlite(struct store *st)
{
    const struct store_customer *a = NULL, *b = NULL;
    struct sb_err err = {0};
    size_t len = 5;
    if (!ok(store_get_customer_shared(st, "cust_003", &a, &err) == SB_OK, "a shared read"))
        return;
    store_customer_memo_set(a, STORE_MEMO_DEVICES, strdup("memo1"), &len);
    ok(store_get_customer_shared(st, "cust_003", &b, &err) == SB_OK && b == a &&
           store_customer_memo(b, STORE_MEMO_DEVICES, &len) &&
           strcmp(store_customer_memo(b, STORE_MEMO_DEVICES, &len), "memo1") == 0,
       "the same row again is the same record, with its memo");
    store_customer_release(b);
    sqlite_cli("UPDATE customers SET devices = json_set(devices, '$[0].location', 'attic') "
               "WHERE id = 'cust_003'");
    b = NULL;
    ok(store_get_customer_shared(st, "cust_003", &b, &err) == SB_OK && b != a &&
           strcmp(b->c.devices[0].location, "attic") == 0 &&
           !store_customer_memo(b, STORE_MEMO_DEVICES, &len),
       "the CLI's change, version kept, is a new record without the memo");
    ok(strcmp(a->c.devices[0].location, "attic") != 0, "the one held before is as it was");
    /* a checkpoint that empties the WAL, then a change: the WAL restarts
     * (new salts, frame count from 0), and is read as a change */
    store_customer_release(b);
    b = NULL;
    store_get_customer_shared(st, "cust_003", &b, &err); /* read again: the stamp of now */
    store_customer_release(b);
    sqlite_cli("PRAGMA wal_checkpoint(TRUNCATE); UPDATE customers SET devices = "
               "json_set(devices, '$[0].location', 'cellar') WHERE id = 'cust_003'");
    b = NULL;
    ok(store_get_customer_shared(st, "cust_003", &b, &err) == SB_OK &&
           strcmp(b->c.devices[0].location, "cellar") == 0,
       "a change after the WAL was checkpointed and restarted is read at once");
    store_customer_release(a);
    a = b;
    len = 5;
    store_customer_memo_set(a, STORE_MEMO_DEVICES, strdup("memo2"), &len);
    struct customer c = {0};
    if (store_get_customer(st, "cust_003", &c, &err) == SB_OK) {
        c.devices[0].volume = (c.devices[0].volume + 1) % 100;
        is_int(store_put_customer(st, &c, &err), SB_OK, "a write through the store");
    }
    b = NULL;
    ok(store_get_customer_shared(st, "cust_003", &b, &err) == SB_OK && b != a &&
           b->c.devices[0].volume == c.devices[0].volume &&
           !store_customer_memo(b, STORE_MEMO_DEVICES, &len),
       "is read as a new record without the memo");
    customer_free(&c);
    store_customer_release(a);
    store_customer_release(b);
}

/* SQLite only: break a stored JSON column by hand and read it back. */
static void test_corrupt_sqlite(struct store *st)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' \"UPDATE customers SET devices = '[{\\\"id\\\": broken' "
             "WHERE id = 'cust_002'\"",
             store_fixture_db);
    if (system(cmd) != 0) {
        ok(1, "# SKIP sqlite3 command not available");
        return;
    }
    struct customer c, *list = NULL;
    size_t n = 0;
    struct sb_err err = {0};
    is_int(store_get_customer(st, "cust_002", &c, &err), SB_ECORRUPT, "corrupt record is reported");
    ok(strstr(err.msg, "cust_002") && strstr(err.msg, "devices"),
       "the error names the record and the column");
    tap_diag("%s", err.msg);
    is_int(store_list_customers(st, &list, &n, &err), SB_ECORRUPT, "listing reports it too");
    is_int(store_get_customer(st, "cust_001", &c, &err), SB_OK, "other records still read");
    customer_free(&c);
    struct strlist skipped = {0};
    is_int(store_list_customers_skipping(st, &list, &n, &skipped, &err), SB_OK,
           "the list for people leaves it out");
    ok(n == 2 && skipped.len == 1 && strstr(skipped.items[0], "cust_002"),
       "and names it among the skipped");
    customers_free(list, n);
    strlist_free(&skipped);
    is_int(store_delete_customer(st, "cust_002", &err), SB_OK, "a corrupt record can be deleted");
    is_int(store_get_customer(st, "cust_002", &c, &err), SB_ENOTFOUND, "and is gone");
    is_int(store_delete_customer(st, "cust_002", &err), SB_ENOTFOUND,
           "deleting it again is not found");
}

/* Routines and the time zone ride on the customer record (no table of their own). */
int main(void)
{
    struct store *st = NULL;
    if (!store_fixture_sqlite_only(store_fixture_setup("sqlite-rows")) ||
        !(st = store_fixture_ready()))
        return tap_done();
    test_rowcache_sqlite(st);
    test_rowcache_written_sqlite(st);
    test_shared_sqlite(st);
    test_corrupt_sqlite(st);
    store_close(st);
    store_fixture_cleanup();
    return tap_done();
}
