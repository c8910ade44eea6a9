#!/usr/bin/env bash
# The server's own integration tests, unchanged, with servicebotd on the
# DynamoDB backend: SB_BUILDDIR points them at a wrapper that adds
# --store dynamodb (on one local dynalite) to every servicebotd command and
# turns each --db path into its own table prefix, so every test still gets a
# fresh store. The few assertions that open the SQLite file itself (listed
# in SQLITE_ONLY) are reported as skipped.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/dynalite/dynalite.sh"
dynalite_require
dynalite_start || { ok 1 "dynalite starts"; done_testing; }
SUITES=${SB_DDB_SERVER_SUITES:-server_rest server_auth server_robust server_ws server_lifecycle engine_playback
    server_tokens server_retention server_hostile server_hostile_frames}
SQLITE_ONLY=("[server_lifecycle] the file exists" "[server_ws] its connection row is stored"
    "[server_ws] closed connections delete their rows"
    "[server_lifecycle] an expired connection row is swept on start"
    "[server_lifecycle] a row whose ttl has not passed is kept"
    "[server_retention] cust_002 has two old and two recent messages")

bin=$SCRATCH/ddb-bin
mkdir -p "$bin"
# Everything else the suites use from the build directory (client, test tools).
for f in "$SB_BUILDDIR"/*; do
    [ "${f##*/}" = servicebotd ] || ln -s "$f" "$bin/"
done
cat >"$bin/servicebotd" <<WRAP
#!/usr/bin/env bash
db=\$SB_DB
args=("\$@")
for ((i = 0; i + 1 < \$#; i++)); do
    [ "\${args[i]}" = --db ] && db=\${args[i + 1]}
done
env=t\$(printf %s "\$db" | md5sum | cut -c1-12)
ddb=(--store dynamodb --env "\$env" --dynamodb-endpoint "$DDB_URL")
case " \$* " in
*" --help "* | *" -h "* | *" --version "*) exec "$SERVICEBOTD" "\$@" ;;
esac
"$SERVICEBOTD" migrate "\${ddb[@]}" >/dev/null 2>&1
exec "$SERVICEBOTD" "\$@" "\${ddb[@]}"
WRAP
chmod +x "$bin/servicebotd"

# Each suite's results, renumbered into this test's TAP stream.
RELAY_SKIP_WHY="inspects the SQLite file"
for suite in $SUITES; do
    out=$(SB_BUILDDIR=$bin SB_DB='' bash "$SB_SRCDIR/tests/integration/$suite.sh" 2>>"$SCRATCH/suites.log")
    status=$?
    relay_suite "$suite" "$out" "${SQLITE_ONLY[@]}"
    [ "$status" -ne 0 ] && diag "$suite exited with $status (the SQLite-only assertions above fail here)"
done
done_testing
