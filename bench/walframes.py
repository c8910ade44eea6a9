#!/usr/bin/env python3
"""Which b-trees a SQLite WAL's commits write: frames per commit by index
or table, from the WAL file's frame headers (walformat.html) and the
dbstat table of a copy of the database. bench/walframes.sh calls it.

    bench/walframes.py DB [MIN_FRAMES]

Only the current WAL generation (the frames whose salt is the header's)
and only commits of at least MIN_FRAMES frames (default 20: the chat
batches, not the connection rows) are counted."""
import collections
import os
import shutil
import sqlite3
import struct
import sys
import tempfile


def commits_of(wal):
    """The page numbers of each commit of the current generation."""
    with open(wal, "rb") as f:
        data = f.read()
    if len(data) < 32:
        return [], 0
    _, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">8I", data[:32])
    commits, current, off = [], [], 32
    while off + 24 + page_size <= len(data):
        page, commit, s1, s2 = struct.unpack(">4I", data[off:off + 16])
        if (s1, s2) != (salt1, salt2):
            break  # an older generation's frames follow
        current.append(page)
        if commit:
            commits.append(current)
            current = []
        off += 24 + page_size
    return commits, page_size


def owners_of(db):
    """Page number -> the table or index it belongs to, read from a copy
    (database and WAL together, so that pages new in the WAL are known)."""
    tmp = tempfile.mkdtemp()
    try:
        copy = os.path.join(tmp, "copy.db")
        shutil.copy(db, copy)
        if os.path.exists(db + "-wal"):
            shutil.copy(db + "-wal", copy + "-wal")
        con = sqlite3.connect(copy)
        owners = dict((p, n) for n, p in con.execute("SELECT name, pageno FROM dbstat"))
        con.close()
        return owners
    finally:
        shutil.rmtree(tmp)


def main():
    db = sys.argv[1]
    least = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    if not os.path.exists(db + "-wal"):
        print("no WAL at %s-wal" % db)
        return
    commits, _ = commits_of(db + "-wal")
    batches = [c for c in commits if len(c) >= least]
    if not batches:
        print("no commit of %d frames or more in the WAL" % least)
        return
    owners = owners_of(db)
    count = collections.Counter()
    for c in batches:
        for page in c:
            count[owners.get(page, "(free or new)")] += 1
    frames = sum(len(c) for c in batches)
    print("%d commits of >= %d frames, %.1f frames each" % (len(batches), least,
                                                            frames / len(batches)))
    for name, n in count.most_common():
        print("  %-36s %7.1f per commit  %5.1f%%" % (name, n / len(batches), 100.0 * n / frames))


if __name__ == "__main__":
    main()
