#!/usr/bin/env bash
# HTTPS and WSS on servicebotd's one port: certificate problems found at
# start (naming the file and what is wrong), SIGHUP reloading the
# certificate (and keeping the old one when the new files are bad), and the
# client refusing a server its CA did not sign, for REST and chat alike.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/tls_lib.sh"
tls_make_certs "$SCRATCH/tls" || { ok 1 "openssl makes a CA and a server certificate"; done_testing; }
T=$TLS_DIR

# servicebotd_fails ARGS...: runs servicebotd that must not start; sets OUT, RC.
servicebotd_fails() {
    OUT=$("$SERVICEBOTD" --listen "127.0.0.1:$(free_port)" --db "$SCRATCH/bad.db" "$@" 2>&1)
    RC=$?
}
servicebotd_fails --tls-cert "$T/nope.pem" --tls-key "$T/server.key"
is "$RC" 1 "a missing certificate file stops servicebotd"
like "$OUT" "TLS certificate $T/nope.pem: No such file or directory" "naming the file and why"
servicebotd_fails --tls-cert "$T/server.key" --tls-key "$T/server.key"
like "$OUT" "TLS certificate $T/server.key: no PEM certificate in it" "a key given as the certificate is named"
servicebotd_fails --tls-cert "$T/server.pem" --tls-key "$T/server.pem"
like "$OUT" "TLS key $T/server.pem: no PEM private key in it" "a certificate given as the key is named"
servicebotd_fails --tls-cert "$T/server.pem" --tls-key "$T/ca.key"
like "$OUT" "TLS key $T/ca.key does not belong to the certificate in $T/server.pem" \
    "a key that does not match the certificate is refused"
openssl pkey -in "$T/server.key" -aes256 -passout pass:secret -out "$T/locked.key" 2>/dev/null
servicebotd_fails --tls-cert "$T/server.pem" --tls-key "$T/locked.key"
like "$OUT" "TLS key $T/locked.key: the key is encrypted" "an encrypted key is refused, not prompted for"
tls_issue "$T" expired 0
servicebotd_fails --tls-cert "$T/expired.pem" --tls-key "$T/expired.key"
like "$OUT" "TLS certificate $T/expired.pem: it expired on " "an expired certificate is refused"
servicebotd_fails --tls-cert "$T/server.pem"
is "$RC" 2 "--tls-cert without --tls-key is a usage error"
like "$OUT" "go together \(--tls-key is missing\)" "saying which one is missing"
printf 'tls-cert = %s\ntls-key = %s\n' "$T/nope.pem" "$T/server.key" >"$SCRATCH/bad.conf"
servicebotd_fails --config "$SCRATCH/bad.conf"
like "$OUT" "TLS certificate $T/nope.pem: No such file" "the config file keys are checked the same way"
is "$(ls "$SCRATCH"/bad.db 2>/dev/null)" "" "and no store was created by the failed starts"

cp "$T/server.pem" "$T/live.pem"
cp "$T/server.key" "$T/live.key"
printf 'tls-cert = %s\ntls-key = %s\n' "$T/live.pem" "$T/live.key" >"$SCRATCH/tls.conf"
SB_CACERT=$T/ca.pem
SB_LOG_LEVEL=info start_server --config "$SCRATCH/tls.conf" ||
    { ok 1 "servicebotd starts with TLS"; done_testing; }
ok 0 "servicebotd serves HTTPS with the certificate from its config file"
like "$SB_URL" '^https://' "on an https:// URL"
TOKEN=$("$SERVICEBOTD" token create --customer cust_001 --db "$SB_DB" 2>>"$SCRATCH/server.log")

HTTP_STATUS=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SB_PORT/healthz")
is "$HTTP_STATUS" 000 "plain HTTP to the TLS port gets no answer"
out=$(curl -s --cacert "$T/ca.pem" https://localhost:"$SB_PORT"/healthz)
is "$(jq -r .status <<<"$out")" ok "the certificate is valid for localhost too"
curl -s -o /dev/null "$SB_URL/healthz"
is "$?" 60 "curl without the CA does not trust it (no silent fallback anywhere)"

# the client: REST commands and chat, with the CA from each place
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$TOKEN SERVICEBOT_CUSTOMER=cust_001
unset SERVICEBOT_CACERT SERVICEBOT_CONFIG
export XDG_CONFIG_HOME=$SCRATCH/xdg
out=$("$SERVICEBOT" --cacert "$T/ca.pem" --json devices list)
is "$?:$(jq -r '.devices[0].id' <<<"$out")" "0:dev_001" "devices list over https with --cacert"
out=$(SERVICEBOT_CACERT=$T/ca.pem "$SERVICEBOT" send "turn on the speaker")
is "$?:$out" "0:I turned the Living Room Speaker on." "send over https with SERVICEBOT_CACERT"
mkdir -p "$XDG_CONFIG_HOME/servicebot"
echo "cacert = $T/ca.pem" >"$XDG_CONFIG_HOME/servicebot/config"
out=$(echo "is the speaker on?" | "$SERVICEBOT" chat)
like "$?:$out" "^0:The Living Room Speaker is on" "chat over wss with the CA from the config file"
rm "$XDG_CONFIG_HOME/servicebot/config"

"$SERVICEBOT" devices list >/dev/null 2>"$SCRATCH/err"
is "$?" 6 "without the CA the REST client exits 6"
like "$(cat "$SCRATCH/err")" "cannot reach servicebotd at $SB_URL: its TLS certificate is not trusted \(.*\); pass the CA that signed it with --cacert FILE" \
    "saying the certificate is not trusted and what to do"
"$SERVICEBOT" --cacert "$T/other-ca.pem" devices list >/dev/null 2>"$SCRATCH/err"
is "$?" 6 "with the wrong CA the REST client exits 6"
like "$(cat "$SCRATCH/err")" "its TLS certificate is not trusted \(SSL certificate problem: unable to get local issuer certificate\); is --cacert the CA that signed it\?" \
    "with a clear message"
echo "status" | "$SERVICEBOT" --cacert "$T/other-ca.pem" chat >"$SCRATCH/out" 2>"$SCRATCH/err"
is "$?" 6 "with the wrong CA chat exits 6"
like "$(cat "$SCRATCH/err")" "cannot reach servicebotd at $SB_URL: its TLS certificate is not trusted \(unable to get local issuer certificate\); is --cacert the CA that signed it\?" \
    "with the same clear message"
is "$(wc -c <"$SCRATCH/out")" 0 "and nothing was said to the untrusted server"
"$SERVICEBOT" --cacert "$T/nope.pem" devices list 2>"$SCRATCH/err"
is "$?" 2 "an unreadable --cacert is a usage error"
like "$(cat "$SCRATCH/err")" "cannot read the CA file $T/nope.pem: No such file" "naming the file"
"$SERVICEBOT" --cacert "$T/ca.pem" --server "http://127.0.0.1:$SB_PORT" devices list 2>"$SCRATCH/err"
is "$?" 6 "http:// to a TLS port exits 6"
like "$(cat "$SCRATCH/err")" "an https:// server\?" "and suggests https://"

# SIGHUP: a new certificate for new connections; bad files keep the old one
serial() {
    openssl s_client -connect "127.0.0.1:$SB_PORT" -CAfile "$T/ca.pem" </dev/null 2>/dev/null |
        openssl x509 -noout -serial
}
old=$(serial)
is "$old" "$(openssl x509 -in "$T/server.pem" -noout -serial)" "the server presents its certificate"
tls_issue "$T" renewed
cp "$T/renewed.pem" "$T/live.pem"
cp "$T/renewed.key" "$T/live.key"
kill -HUP "$SB_PID"
new=$(openssl x509 -in "$T/renewed.pem" -noout -serial)
renewed() { [ "$(serial)" = "$new" ]; } # asked again on every try: the reload takes a loop turn
wait_for renewed
ok $? "after SIGHUP new connections get the renewed certificate"
wait_for grep -q 'TLS certificate reloaded' "$SCRATCH/server.log"
ok $? "and the log says so"
echo "not a certificate" >"$T/live.pem"
kill -HUP "$SB_PID"
wait_for grep -q 'TLS reload failed' "$SCRATCH/server.log"
ok $? "a bad certificate on SIGHUP is logged"
like "$(grep 'TLS reload failed' "$SCRATCH/server.log")" "still serving the previous certificate.*$T/live.pem: no PEM certificate" \
    "naming the file and keeping the previous certificate"
is "$(serial)" "$new" "which is still served"
out=$("$SERVICEBOT" --cacert "$T/ca.pem" --json devices list)
is "$?" 0 "and requests still succeed"
kill -0 "$SB_PID"
ok $? "servicebotd is still running"
done_testing
