#!/bin/bash
# The chat TUI against a servicebotd serving WSS: with the CA that signed
# the server's certificate it connects; with another CA it says the
# certificate is not trusted and does not retry on its own.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/tls_lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"
tls_make_certs "$SCRATCH/tls" || { ok 1 "openssl makes a CA and a server certificate"; done_testing; }
SB_CACERT=$TLS_DIR/ca.pem SB_TLS_CERT=$TLS_DIR/server.pem SB_TLS_KEY=$TLS_DIR/server.key \
    start_server || { ok 1 "servicebotd starts with TLS"; done_testing; }

tui_chat 120 20 --cacert "'$TLS_DIR/other-ca.pem'" --customer cust_001
wait_screen 'not trusted'
ok $? "with the wrong CA the chat says the certificate is not trusted"
like "$(screen)" 'is --cacert the CA' "what to check"
like "$(screen)" '/reconnect tries again\.' "and that it does not retry by itself"
wait_screen 'offline'
ok $? "the title bar says offline"
tmx kill-session -t chat

tui_chat 120 20 --cacert "'$TLS_DIR/ca.pem'" --customer cust_001
wait_screen '· connected$'
ok $? "with the CA that signed the certificate the chat connects over wss"
type_line "is the speaker on?"
wait_screen 'bot +The Living Room Speaker is'
ok $? "and the bot answers"
done_testing
