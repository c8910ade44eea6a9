#!/usr/bin/env bash
# The man pages lint clean, document every command, and every example in
# servicebot(1) runs successfully against a real server.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

command -v mandoc >/dev/null || skip_all "mandoc is not installed"
for page in servicebot.1 servicebot.conf.5; do
    LINT=$(mandoc -Tlint -Wwarning "$SB_SRCDIR/man/$page" 2>&1)
    is "$LINT" "" "mandoc -Tlint: $page is clean"
done

PAGE=$(mandoc -Tascii "$SB_SRCDIR/man/servicebot.1" | col -bx)
for word in $("$SERVICEBOT" __complete ''); do
    like "$PAGE" "^ +$word( |$)" "servicebot(1) documents the command '$word'"
done
for opt in $("$SERVICEBOT" __complete --); do
    like "$PAGE" "$opt( |,|$)" "servicebot(1) documents $opt"
done
for code in 0 1 2 3 4 5 6; do
    like "$PAGE" "^ +$code +[A-Z]" "servicebot(1) documents exit status $code"
done

# The examples: indented lines starting with "servicebot", joined with the
# continuation lines after a trailing "|".
EXAMPLES=$(printf '%s\n' "$PAGE" | sed -n '/^EXAMPLES/,/^SEE ALSO/p' |
    awk '/^ +servicebot / || cont { sub(/^ +/, ""); line = line $0 " ";
         cont = /\| *$/; if (!cont) { print line; line = "" } }')
ok $(($(printf '%s\n' "$EXAMPLES" | grep -c servicebot) < 4)) "servicebot(1) has examples"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN
while IFS= read -r example; do
    [ -n "$example" ] || continue
    RESULT=$(PATH="$(dirname "$SERVICEBOT"):$PATH" bash -o pipefail -c "$example" 2>&1)
    RC=$?
    ok $RC "example runs: $example"
    [ $RC -eq 0 ] || diag "$RESULT"
    [ -n "$RESULT" ]
    ok $? "example prints something: $example"
done <<<"$EXAMPLES"

done_testing
