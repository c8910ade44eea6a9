#!/bin/bash
# The chat screen against a real servicebotd: a request and its reply, the
# upgrade block for a basic customer, slash commands, history, Ctrl-D.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1
tui_chat 100 30
wait_screen 'Jane Smith'
ok $? "the title bar names the customer"
like "$(screen | head -1)" "Basic plan .*servicebot @ 127.0.0.1:$SB_PORT · connected$" \
    "and shows the plan, the server and the connection"
screen_has 'Living Room Speaker'
ok $? "the device panel lists the speaker"

type_line "turn on the speaker"
wait_screen 'bot +I turned the Living Room Speaker on'
ok $? "a request gets the bot's reply in the pane"
wait_screen 'living room, on, vol'
ok $? "the panel shows the speaker on"

type_line "play the next song"
wait_screen 'Upgrade to Premium \(\$9\.99/month\)'
ok $? "a basic customer asking for the next song sees the upgrade block"
like "$(screen)" $'\xe2\x94\x83 Song Changes is not included' "drawn as a distinct block"

type_line "/frobnicate"
wait_screen 'Unknown command /frobnicate\. Known: /help /devices'
ok $? "an unknown command says so and lists the known ones"

type_line "/help"
wait_screen 'Ctrl-D, Ctrl-C +leave'
# the column where each row's description starts, for the command rows
help_cols() { screen | grep -E '^ +/[a-z]+' | cut -c1-70 | sed -E 's/^( +\/[a-z]+( \[?[A-Za-z|]+\]?)? +).*/\1/' | awk '{ print length($0) }' | sort -u; }
is "$(help_cols | wc -l)" 1 "/help lines its descriptions up in one column"
type_line "/clear"
type_line "/levels"
wait_screen 'Premium \$9\.99 +Device Status, Device'
ok $? "/levels lists the plans with the catalogue's names for actions"
like "$(screen)" 'Basic \$0\.00 \(yours\)' "marking the customer's own"
screen_lacks 'device_status|song_changes'
ok $? "and no raw action ids"

keys "/hi" Tab
wait_screen '> /history'
ok $? "Tab completes a slash command"
keys C-u
keys "turn off the liv" Tab
wait_screen '> turn off the Living Room'
ok $? "Tab completes a device name or room as far as they agree"
like "$(screen)" 'Living Room Speaker  living room' "and lists the candidates"
keys " s" Tab
wait_screen '> turn off the Living Room Speaker'
ok $? "Tab completes the unique device name"
keys Enter
wait_screen 'I turned the Living Room Speaker off'
ok $? "the completed request is answered"

type_line "/clear"
wait_for screen_lacks 'I turned'
ok $? "/clear empties the pane"
type_line "/history 4"
wait_screen 'you +turn off the Living Room Speaker'
ok $? "/history reloads the conversation from the server"
like "$(screen)" 'you +play the next song' "the last 4 messages"

keys C-d
wait_screen 'TUI-EXITED=0'
ok $? "Ctrl-D on an empty line leaves with status 0"
grep -q '^turn on the speaker$' "$TUI_STATE/servicebot/history"
ok $? "typed lines are saved to \$XDG_STATE_HOME/servicebot/history"

tmx kill-session -t chat
tui_chat 100 30
wait_screen 'you +play the next song'
ok $? "a new chat resumes the most recent conversation"
keys Up
wait_screen '> /history 4'
ok $? "and recalls earlier lines with Up"
tmx kill-session -t chat

# a customer's own token, no --customer: the token names the customer
token=$("$SERVICEBOTD" token create --customer cust_002 --db "$SB_DB" 2>/dev/null | tail -1)
tui_start 100 30 "$TUI_CLIENT --server '$SB_URL' --token '$token' chat"
wait_screen 'John Doe .* Premium plan'
ok $? "a customer token opens that customer's chat"
type_line "play the next song on the bedroom speaker"
wait_screen 'bot +.*(Playing|playing|next)'
ok $? "a premium customer changes songs"
tmx kill-session -t chat
tui_start 100 30 "$TUI_CLIENT --server '$SB_URL' --token '$token' chat"
wait_screen 'you +play the next song on the bedroom speaker'
ok $? "and resumes the conversation next time"
done_testing
