#!/bin/bash
# Conversations in the chat: /conversations lists them and continues one,
# /new starts one, and a --conversation nobody had is said to be missing
# instead of silently becoming a new conversation.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
line_chat() {
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 --json chat |
        jq -r .conversationId
}
conv_a=$(echo "what is the status" | line_chat)
conv_b=$(echo "turn on the speaker" | line_chat)
last_conv() {
    api GET "/api/chat/history/cust_001?limit=1" >/dev/null
    printf '%s' "$HTTP_BODY" | jq -r '.messages[-1].conversationId'
}

tui_chat 150 30
wait_screen 'you +turn on the speaker'
ok $? "the chat resumes the latest conversation"
type_line "/conversations"
wait_screen "1 $conv_b +.* 2 messages · turn on the speaker \(this one\)"
ok $? "/conversations lists them newest first, marking this one"
like "$(screen)" "2 $conv_a +.* 2 messages · what is the status" "with the older one second"
type_line "/conversations 2"
wait_screen 'you +what is the status'
ok $? "/conversations N continues the Nth"
screen_lacks 'you +turn on the speaker'
ok $? "in an emptied pane"
type_line "turn it up"
# (the pane already shows conversation a's bot lines: wait for the store)
answered() {
    api GET "/api/chat/history/cust_001?limit=2" >/dev/null
    [ "$(printf '%s' "$HTTP_BODY" | jq -r '.messages[0].text + "|" + .messages[1].sender')" = \
        "turn it up|bot" ]
}
wait_for answered
is "$(last_conv)" "$conv_a" "what is said next goes to that conversation"
type_line "/new"
wait_screen 'A new conversation'
ok $? "/new starts a new conversation"
type_line "is the speaker on"
wait_screen 'bot +The Living Room Speaker is'
new=$(last_conv)
ok "$([ "$new" != "$conv_a" ] && [ "$new" != "$conv_b" ] && [ "$new" != null ]; echo $?)" \
    "and the next message is recorded in it ($new)"
type_line "/conversations $conv_b"
wait_screen 'you +turn on the speaker'
ok $? "/conversations ID continues that one"
keys C-d
wait_screen 'TUI-EXITED=0'
ok $? "Ctrl-D leaves with status 0"
tmx kill-session -t chat

tui_start 150 30 "$TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat --conversation conv_mistyped"
wait_screen 'Jane Smith has no conversation conv_mistyped'
ok $? "a --conversation nobody had is said to be missing"
type_line "what is the status"
wait_screen "you +what is the status \(pending\)"
ok $? "what is typed waits instead of starting a conversation under that id"
type_line "/new"
wait_screen 'bot +The Living Room Speaker is'
ok $? "/new sends it in a new conversation"
api GET "/api/chat/history/cust_001?conversationId=conv_mistyped" >/dev/null
is "$(printf '%s' "$HTTP_BODY" | jq '.messages | length')" 0 "nothing was recorded under the mistyped id"
keys C-d
wait_screen 'TUI-EXITED=0'
ok $? "and the chat leaves with status 0"
tmx kill-session -t chat

tui_start 150 30 "$TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat --conversation conv_mistyped"
wait_screen 'has no conversation conv_mistyped'
type_line "/quit"
wait_screen 'TUI-EXITED=3'
ok $? "leaving without a conversation is the not-found exit code"
done_testing
