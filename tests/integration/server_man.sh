#!/usr/bin/env bash
# servicebotd(8) lints clean, documents every option, and its examples run;
# the systemd unit passes systemd-analyze verify.
. "$SB_SRCDIR/tests/lib.sh"

command -v mandoc >/dev/null || skip_all "mandoc is not installed"
MAN="$SB_SRCDIR/man/servicebotd.8"
is "$(mandoc -Tlint -Wwarning "$MAN" 2>&1)" "" "mandoc -Tlint: servicebotd.8 is clean"
PAGE=$(mandoc -Tascii "$MAN" | col -bx)
for opt in $("$SERVICEBOTD" --help | grep -o -- '--[a-z-]*' | sort -u); do
    like "$PAGE" "$opt" "servicebotd(8) documents $opt"
done
for cmd in serve import "token create" "token list" "token revoke" migrate; do
    like "$PAGE" "^ +$cmd" "servicebotd(8) documents the command $cmd"
done
for code in 0 1 2; do
    like "$PAGE" "^ +$code +[A-Z]" "servicebotd(8) documents exit status $code"
done

# The examples, run in a scratch directory holding a copy of the seed.
EXAMPLES=$(printf '%s\n' "$PAGE" | sed -n '/^EXAMPLES/,/^SEE ALSO/p' |
    awk '/^ +(servicebotd |SERVICEBOT_ADMIN_TOKEN=|curl )/ || cont { sub(/^ +/, "");
         cont = /\\$/; sub(/\\$/, ""); line = line $0; if (!cont) { print line; line = "" } }')
cp "$SB_SRCDIR/data/seed.json" "$SCRATCH/seed.json"
cd "$SCRATCH" || exit 1
PATH="$SB_BUILDDIR:$PATH"
port=$(free_port)
while IFS= read -r example; do
    case "$example" in
    *--listen*)
        # The serving example, moved to a free loopback port.
        example=${example/0.0.0.0:8080/127.0.0.1:$port}
        bash -c "$example" 2>>"$SCRATCH/server.log" &
        SB_PIDS="$SB_PIDS $!"
        wait_for curl -sf "http://127.0.0.1:$port/healthz"
        ok $? "example serves: $example"
        ;;
    curl*)
        out=$(bash -c "${example/8080/$port}" 2>/dev/null)
        like "$out" '"outcome":' "example answers: curl ... /api/chat"
        ;;
    *)
        out=$(bash -c "$example" 2>&1)
        ok $? "example runs: $example"
        ;;
    esac
done <<<"$EXAMPLES"

if command -v systemd-analyze >/dev/null; then
    mkdir -p "$SCRATCH/man/man8"
    cp "$MAN" "$SCRATCH/man/man8/"
    sed "s|/usr/local/bin/servicebotd|$SB_BUILDDIR/servicebotd|" \
        "$SB_SRCDIR/contrib/servicebotd.service" >"$SCRATCH/servicebotd.service"
    out=$(MANPATH="$SCRATCH/man" systemd-analyze verify "$SCRATCH/servicebotd.service" 2>&1)
    is "$out" "" "systemd-analyze verify accepts contrib/servicebotd.service"
fi

done_testing
