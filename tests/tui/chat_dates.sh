#!/bin/bash
# The pane marks where each day starts, and where the messages that came
# while the reader was scrolled back begin ("new messages").
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 is not installed"

start_server || exit 1
echo "status number 1" | "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat >/dev/null
# the first exchange happened on another day (changed with the server stopped,
# which holds the database's write lock)
stop_server
sqlite3 "$SB_DB" "UPDATE messages SET timestamp = '2026-11-20T10:00:00.000Z',
    reply_timestamp = iif(reply_text IS NULL, NULL, '2026-11-20T10:00:00.001Z')" || exit 1
start_server || exit 1
api GET "/api/chat/history/cust_001?limit=1" >/dev/null
conv=$(printf '%s' "$HTTP_BODY" | jq -r '.messages[-1].conversationId')
echo "status number 2" | "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 chat --conversation "$conv" >/dev/null
today=$(TZ=UTC date '+%A %-d %B %Y')

tui_start 100 20 "TZ=UTC $TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' --customer cust_001 chat"
wait_screen '· connected$'
wait_screen '─ Friday 20 November 2026 ─'
ok $? "the first day's date is above its messages"
like "$(screen | grep -A1 'Friday 20 November')" 'you +status number 1 ' "right above the first of them"
like "$(screen | grep -A1 -- "─ $today ─")" 'you +status number 2 ' "and today's date above today's first"

type_line "/help"
wait_screen 'Ctrl-D, Ctrl-C +leave'
keys PageUp
wait_screen 'scrolled back'
"$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_001 device set dev_001 \
    --state on >/dev/null
wait_screen '1 new message below'
keys End
wait_screen '─ new messages ─'
ok $? "back at the newest, a row marks where the unseen messages begin"
like "$(screen | grep -A1 '─ new messages ─')" 'changed elsewhere: power off → on' "right above the first of them"
type_line "what is the status"
wait_for screen_lacks '─ new messages ─'
ok $? "sending a message clears the mark"
done_testing
