#!/usr/bin/env bash
# The database file is watched, not stat()ed on every request (issue 13):
# inotify on each directory of its path. Whatever moves the path off the
# file opened is still 503 at once (the file moved away, a directory of the
# path renamed, a symbolic link of the path pointed elsewhere), putting it
# back serves again, and changes beside the path leave it served.
. "$SB_SRCDIR/tests/lib.sh"

mkdir -p "$SCRATCH/real/data"
ln -s real "$SCRATCH/link"
SB_DB=$SCRATCH/link/data/store.db
start_server || { ok 1 "servicebotd starts"; done_testing; }
DB=$SCRATCH/real/data/store.db

# status: the HTTP status of a read that reaches the store (its body in $SCRATCH/body).
status() {
    api GET /api/customers/cust_001/devices
    printf '%s' "$HTTP_BODY" >"$SCRATCH/body"
    echo "$HTTP_STATUS"
}
is "$(status)" 200 "served from a path through a symbolic link"

touch "$SCRATCH/real/data/other" "$SCRATCH/real/beside"
rm "$SCRATCH/real/data/other"
mkdir "$SCRATCH/real/data/sub" && rmdir "$SCRATCH/real/data/sub"
mv "$SCRATCH/real/beside" "$SCRATCH/real/beside2"
is "$(status)" 200 "files made, renamed and removed beside the path leave it served"

mv "$DB" "$DB.moved"
is "$(status)" 503 "the file moved away is 503"
like "$(jq -r .error "$SCRATCH/body")" 'was deleted while the server ran' "saying it is gone"
mv "$DB.moved" "$DB"
is "$(status)" 200 "moved back, it is served again"

mv "$SCRATCH/real/data" "$SCRATCH/real/data2"
is "$(status)" 503 "a directory of the path renamed is 503"
mv "$SCRATCH/real/data2" "$SCRATCH/real/data"
is "$(status)" 200 "renamed back, served again"

cp -r "$SCRATCH/real" "$SCRATCH/copy"
ln -sfn copy "$SCRATCH/link"
is "$(status)" 503 "the link of the path pointed at a copy is 503"
like "$(jq -r .error "$SCRATCH/body")" 'was replaced by another file' "saying it was replaced"
ln -sfn real "$SCRATCH/link"
is "$(status)" 200 "pointed back, served again"

done_testing
