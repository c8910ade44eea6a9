#!/bin/bash
# Line mode: when stdin or stdout is not a terminal, each input line is one
# message and each reply one line of output.
. "$SB_SRCDIR/tests/lib.sh"

"$SERVICEBOT" chat --help >"$SCRATCH/out"
is "$?" 0 "chat --help exits 0"
like "$(cat "$SCRATCH/out")" '/history \[N\]' "and lists the slash commands"
like "$(cat "$SCRATCH/out")" '--conversation ID' "and --conversation, from the command table"
# every slash command the chat knows is in servicebot(1)
if command -v mandoc >/dev/null; then
    page=$(mandoc -Tascii "$SB_SRCDIR/man/servicebot.1" | col -bx)
    for c in $(grep -oE '^  /[a-z]+' "$SCRATCH/out"); do
        like "$page" "^ +$c( |$)" "servicebot(1) documents $c"
    done
fi
"$SERVICEBOT" chat --bogus 2>"$SCRATCH/err"
is "$?" 2 "an unknown option is a usage error"
like "$(head -1 "$SCRATCH/err")" "chat: unknown option '--bogus'" "naming the option, as every command does"

start_server || exit 1
# under configure --enable-valgrind the client runs under valgrind too
client() { ${SB_VALGRIND:-} "$SERVICEBOT" "$@"; }
chat() { client --server "$SB_URL" --token "$SB_ADMIN" "$@"; }

printf 'turn on the speaker\nplay the next song\n' |
    chat --customer cust_001 chat >"$SCRATCH/out" 2>"$SCRATCH/err"
is "$?" 4 "a piped conversation with a denial exits 4, as send does"
is "$(sed -n 1p "$SCRATCH/out")" "I turned the Living Room Speaker on." "the first reply is the first line"
like "$(sed -n 2p "$SCRATCH/out")" 'Premium plan' "the second reply follows in order"
is "$(wc -l <"$SCRATCH/out")" 2 "one line per reply"
like "$(cat "$SCRATCH/err")" 'Upgrade to Premium \(\$9\.99/month\)' "the denial block goes to stderr"

printf 'status\nturn it down' | chat --customer cust_001 --json chat >"$SCRATCH/json"
is "$?" 0 "--json exits 0"
is "$(jq -s length "$SCRATCH/json")" 2 "one JSON object per line, also for a last line without newline"
is "$(jq -r .outcome "$SCRATCH/json" | head -1)" status "reply objects carry the outcome"
is "$(jq -r 'has("type")' "$SCRATCH/json" | sort -u)" false "and are the chat results, not frames"
is "$(jq -r '.inReplyTo | startswith("cmsg_")' "$SCRATCH/json" | sort -u)" true \
    "each answers a client-chosen id"

conv=$(echo "status" | chat --customer cust_001 --json chat | jq -r .conversationId)
echo "turn it up" | chat --customer cust_001 chat --conversation "$conv" >/dev/null
is "$?" 0 "--conversation ID resumes an existing conversation"
api GET "/api/chat/history/cust_001?conversationId=$conv" >/dev/null
# sorted: the history's order within one millisecond is not defined
like "$(printf '%s' "$HTTP_BODY" | jq -r '[.messages[] | select(.sender == "user") | .text] | sort | join("|")')" \
    '^status\|turn it up$' \
    "--conversation ID puts the messages in that conversation"
echo "status" | chat --customer cust_001 chat --conversation conv_mistyped >"$SCRATCH/out" 2>"$SCRATCH/err"
is "$?" 3 "a --conversation nobody had exits with the not-found code"
like "$(cat "$SCRATCH/err")" 'cust_001 has no conversation conv_mistyped' "and says so"
is "$(cat "$SCRATCH/out")" "" "nothing was sent"
api GET "/api/chat/history/cust_001?conversationId=conv_mistyped" >/dev/null
is "$(printf '%s' "$HTTP_BODY" | jq '.messages | length')" 0 "no conversation was started under that id"

chat --customer cust_001 chat </dev/null >"$SCRATCH/out"
is "$?:$(wc -c <"$SCRATCH/out")" "0:0" "no input, no output"

echo hi | client --server "$SB_URL" --token wrong-token --customer cust_001 chat 2>"$SCRATCH/err"
is "$?" 5 "a bad token exits with the unauthorized code"
like "$(cat "$SCRATCH/err")" 'servicebot: .+' "and says why on stderr"

echo hi | chat --customer cust_999 chat 2>"$SCRATCH/err"
is "$?" 3 "an unknown customer exits with the not-found code"

echo hi | chat chat 2>"$SCRATCH/err"
is "$?" 2 "an admin token without --customer is a usage error"
is "$(cat "$SCRATCH/err")" "servicebot: an admin token must name the customer (?customer=ID)" \
    "with the server's sentence and nothing else"

port=$(free_port)
echo hi | client --server "http://127.0.0.1:$port" --token x --customer cust_001 chat 2>"$SCRATCH/err"
is "$?" 6 "no server: the unreachable code"
like "$(cat "$SCRATCH/err")" "cannot reach servicebotd at http://127.0.0.1:$port" "with a clear message"
done_testing
