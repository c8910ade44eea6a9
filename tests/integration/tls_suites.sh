#!/usr/bin/env bash
# The REST, CLI, line-mode chat and TUI suites, unchanged, against a servicebotd
# that serves HTTPS and WSS: lib.sh's start_server adds --tls-cert/--tls-key
# and hands out https:// URLs when SB_CACERT is set, curl and the client
# (SERVICEBOT_CACERT) trust the throwaway CA made here.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/tls_lib.sh"
tls_make_certs "$SCRATCH/tls" || { ok 1 "openssl makes a CA and a server certificate"; done_testing; }
SUITES=${SB_TLS_SUITES:-integration/server_rest integration/cli_commands integration/cli_watch
    tui/chat_line tui/chat_basic tui/chat_live}
# The title bar names an https:// server with its scheme (http:// is left out).
RELAY_SKIP_WHY="the title shows the https:// scheme"
SKIP=("[chat_basic over TLS] and shows the plan, the server and the connection")

# Each suite's results, renumbered into this test's TAP stream.
for suite in $SUITES; do
    out=$(SB_CACERT=$TLS_DIR/ca.pem SB_TLS_CERT=$TLS_DIR/server.pem SB_TLS_KEY=$TLS_DIR/server.key \
        SERVICEBOT_CACERT=$TLS_DIR/ca.pem SB_DB='' bash "$SB_SRCDIR/tests/$suite.sh" \
        2>>"$SCRATCH/suites.log")
    relay_suite "${suite#*/} over TLS" "$out" "${SKIP[@]}"
done
done_testing
