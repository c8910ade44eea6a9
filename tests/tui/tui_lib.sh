# shellcheck shell=bash
# Helpers for the chat TUI tests: a private tmux server (its own socket, so
# tests never touch a user's tmux or each other), a chat started in a
# window of a given size, and waits on what the screen shows.
# Source after tests/lib.sh.

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

TUI_SOCK="sbtui$$"
TUI_STATE="$SCRATCH/state"
mkdir -p "$TUI_STATE"

# The screen is UTF-8 whatever the caller's locale (C.UTF-8 is always there).
export LC_ALL=C.UTF-8
tmx() { tmux -u -L "$TUI_SOCK" -f /dev/null "$@"; }

# A session that outlives each chat: tmux exits with its last session, and
# a chat started right after that would race the exiting server.
tmx new-session -d -s keeper -x 20 -y 5 "sleep 86400" || skip_all "cannot start tmux"

tui_cleanup() {
    tmx kill-server 2>/dev/null
    sb_cleanup
}
trap tui_cleanup EXIT

# tui_start W H CMD: runs CMD (a shell command line) in a W x H terminal,
# with the chat's state (history, log) in the scratch directory.
tui_start() {
    local w=$1 h=$2
    shift 2
    tmx new-session -d -s chat -x "$w" -y "$h" \
        "env XDG_STATE_HOME='$TUI_STATE' $*; echo TUI-EXITED=\$?; sleep 600"
}

# The client as tests start it: under configure --enable-valgrind inside
# valgrind too (curses keeps some memory to the end, so only definite leaks
# count as errors).
TUI_CLIENT="${SB_VALGRIND:+$SB_VALGRIND --errors-for-leak-kinds=definite }'$SERVICEBOT'"

# tui_chat W H [servicebot args before chat]: the chat as cust_001 by default.
tui_chat() {
    local w=$1 h=$2
    shift 2
    tui_start "$w" "$h" "$TUI_CLIENT --server '$SB_URL' --token '$SB_ADMIN' ${*:---customer cust_001} chat"
}

screen() { tmx capture-pane -p -t chat; }
screen_has() { screen | grep -Eq -- "$1"; }
screen_lacks() { ! screen_has "$1"; }
# wait_screen REGEX: true once the screen shows REGEX (within wait_for's limit).
wait_screen() {
    if ! wait_for screen_has "$1"; then
        diag "screen does not show /$1/; it shows:"
        diag "$(screen)"
        return 1
    fi
}
keys() { tmx send-keys -t chat "$@"; }
# type_line TEXT: types TEXT literally, then Enter.
type_line() {
    tmx send-keys -t chat -l "$1"
    tmx send-keys -t chat Enter
}

# stall_proxy_start: a proxy in front of the server (tests/tui/stall_proxy.py)
# at $PROXY_URL. Writing a regular expression to $HOLD holds back the
# requests whose request line matches it ($HOLD.seen appears when one is
# held); removing $HOLD lets them through.
stall_proxy_start() {
    HOLD="$SCRATCH/hold"
    python3 "$SB_SRCDIR/tests/tui/stall_proxy.py" "$SB_PORT" "$SCRATCH/proxy.port" "$HOLD" &
    SB_PIDS="$SB_PIDS $!"
    wait_for test -s "$SCRATCH/proxy.port" || return 1
    PROXY_URL="http://127.0.0.1:$(cat "$SCRATCH/proxy.port")"
}
# hold REGEX: hold back matching requests from now on.
hold() {
    rm -f "$HOLD.seen"
    printf '%s\n' "$1" >"$HOLD"
}
