/* The SQLite backend's checkpoints (src/store/sqlite_wal.h): a short WAL
 * stays a WAL until the writer pauses (store_idle), a long one is copied
 * into the database file while writes go on, and the WAL stays bounded.
 * In WAL mode the database file changes only in a checkpoint, so its size
 * shows whether one ran. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/util.h"
#include "store/sqlite_wal.h"
#include "store_ready.h"

#define PER_ROUND 50
#define TEXT_LEN  3000 /* a page each, about */
#define FRAME     (4096 + 24)

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* One commit of PER_ROUND messages with long texts: PER_ROUND frames or more. */
static int append_rounds(struct store *st, int first, int rounds, const char *text)
{
    struct message m[PER_ROUND];
    char ids[PER_ROUND][UTIL_ID_LEN], ts[UTIL_TIMESTAMP_LEN];
    struct sb_err err = {0};
    int failed = 0;
    for (int r = first; r < first + rounds; r++) {
        util_format_timestamp(util_now_ms(), ts, sizeof ts);
        for (int i = 0; i < PER_ROUND; i++) {
            snprintf(ids[i], sizeof ids[i], "msg_wal_%d_%d", r, i);
            m[i] = (struct message){ids[i], "conv_wal", "cust_001", (char *)text, "user", ts};
        }
        if (store_append_messages(st, m, PER_ROUND, &err) != SB_OK) {
            tap_diag("append: %s", err.msg);
            failed++;
        }
    }
    return failed;
}

int main(void)
{
    struct store *st = NULL;
    if (!store_fixture_sqlite_only(store_fixture_setup("wal")) || !(st = store_fixture_ready()))
        return tap_done();
    char wal[300], *text = malloc(TEXT_LEN + 1);
    snprintf(wal, sizeof wal, "%s-wal", store_fixture_db);
    memset(text, 'x', TEXT_LEN);
    text[TEXT_LEN] = '\0';

    store_idle(st); /* whatever the seed left */
    long long db0 = file_size(store_fixture_db);
    /* more than the idle mark, far less than the busy one */
    int rounds = SQLITE_WAL_IDLE_PAGES / PER_ROUND + 2;
    ok(append_rounds(st, 0, rounds, text) == 0, "%d commits of %d long messages", rounds,
       PER_ROUND);
    is_int(file_size(store_fixture_db), db0, "a short WAL is not copied while writes go on");
    store_idle(st);
    long long db1 = file_size(store_fixture_db), copied = (long long)rounds * PER_ROUND * TEXT_LEN;
    ok(db1 >= db0 + copied, "a pause copies it into the database (%lld -> %lld bytes)", db0, db1);

    /* past the busy mark without a pause */
    rounds = SQLITE_WAL_BUSY_PAGES / PER_ROUND + 20;
    ok(append_rounds(st, 1000, rounds, text) == 0, "%d more commits", rounds);
    long long db2 = file_size(store_fixture_db);
    ok(db2 >= db1 + (long long)SQLITE_WAL_BUSY_PAGES * TEXT_LEN,
       "a long WAL is copied without a pause (%lld -> %lld bytes)", db1, db2);
    /* the longest WAL a commit leaves: the mark plus one commit's frames */
    long long w = file_size(wal),
              bound = (SQLITE_WAL_BUSY_PAGES + 2 * PER_ROUND) * (long long)FRAME;
    ok(w >= 0 && w <= bound, "the WAL stays within %lld bytes (%lld)", bound, w);

    struct store_history_query q = {
        .customer_id = "cust_001", .conversation_id = "conv_wal", .limit = 1};
    struct message *page = NULL;
    size_t n = 0;
    struct sb_err err = {0};
    ok(store_history(st, &q, &page, &n, &err) == SB_OK && n == 1, "what was copied reads back");
    messages_free(page, n);
    store_close(st);
    store_fixture_cleanup();
    free(text);
    return tap_done();
}
