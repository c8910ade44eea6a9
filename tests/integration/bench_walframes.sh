#!/usr/bin/env bash
# bench/walframes.py against a WAL whose commits are known, made with
# automatic checkpoints off and copied while its connection is open (the
# last close would copy it into the database and delete it).
. "$SB_SRCDIR/tests/lib.sh"

db=$SCRATCH/frames.db
python3 - "$SCRATCH/made.db" "$db" <<'PY'
import shutil, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.executescript("""
PRAGMA journal_mode=WAL;
PRAGMA wal_autocheckpoint=0;
CREATE TABLE notes (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX notes_by_tag ON notes (tag);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO notes (tag, body) SELECT printf('%04d', i), hex(zeroblob(500)) FROM n;
COMMIT;
INSERT INTO notes (tag, body) VALUES ('last', 'one more');
""")
shutil.copy(sys.argv[1], sys.argv[2])
shutil.copy(sys.argv[1] + "-wal", sys.argv[2] + "-wal")
con.close()
PY
out=$(python3 "$SB_SRCDIR/bench/walframes.py" "$db" 20)
like "$out" "^1 commits of >= 20 frames" "only the commit of 20 frames or more is counted"
# 200 rows of about 1 kB: some 50 table pages; 200 short tags: a page or two
table=$(awk '$1 == "notes" { print int($2) }' <<<"$out")
index=$(awk '$1 == "notes_by_tag" { print int($2) }' <<<"$out")
ok "$([ "${table:-0}" -ge 40 ] && [ "${table:-0}" -le 80 ] && echo 0 || echo 1)" \
    "the table's frames are counted (${table:-none} per commit)"
ok "$([ "${index:-0}" -ge 1 ] && [ "${index:-0}" -le 3 ] && echo 0 || echo 1)" \
    "the index's frames are counted (${index:-none} per commit)"
all=$(python3 "$SB_SRCDIR/bench/walframes.py" "$db" 1)
like "$all" "^4 commits of >= 1 frames" \
    "with a mark of 1, the two schema changes and the last insert are counted too"
like "$(python3 "$SB_SRCDIR/bench/walframes.py" "$SCRATCH/none.db" 2>&1)" "^no WAL at " \
    "a database without a WAL is named, not a traceback"
done_testing
