#!/usr/bin/env bash
# bench/tui.sh: the chat screen's costs in a scripted tmux session against a
# fresh servicebotd: time to first full paint when resuming a conversation
# of MESSAGES messages, and the cost of one keystroke and one scroll redraw,
# each against a reference measured in the same run (an empty conversation,
# an almost empty pane). The chat reports its own timings to its log when
# SERVICEBOT_TUI_TIMING is set (from process start to the first paint after
# the welcome and the history load; from a key's arrival to the end of its
# screen update).
# Usage: bench/tui.sh [MESSAGES] [RUNS] (default 10000 and 5), from the build
# directory or with SB_BUILDDIR set.
. "$(dirname "$0")/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"
MESSAGES=${1:-10000}
RUNS=${2:-5}
KEYS=60
LOG="$TUI_STATE/servicebot/chat.log"

die() { echo "bench/tui: $*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# median and p95 of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) exit 1;
    printf "%s %s\n", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }

start_server || die "servicebotd did not start"

# cust_002's conversation: MESSAGES/2 turns through line mode (one WebSocket).
t0=$(now_ms)
yes "status" | head -n $((MESSAGES / 2)) |
    "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_002 chat >"$SCRATCH/made" ||
    die "could not build the conversation"
made_ms=$(($(now_ms) - t0))
[ "$(wc -l <"$SCRATCH/made")" -eq $((MESSAGES / 2)) ] || die "not every turn was answered"

open_chat() { # CUSTOMER
    mkdir -p "$(dirname "$LOG")"
    : >"$LOG"
    tui_start 120 40 "SERVICEBOT_TUI_TIMING=1 '$SERVICEBOT' --server '$SB_URL' \
--token '$SB_ADMIN' --customer $1 chat"
    wait_for grep -q 'first full paint' "$LOG" || die "no first paint for $1: $(cat "$LOG")"
}
close_chat() { tmx kill-session -t chat; }

first_paints() { # CUSTOMER: one first-paint time per run, in ms
    local i
    for ((i = 0; i < RUNS; i++)); do
        open_chat "$1"
        sed -n 's/.*first full paint ms=\([0-9.]*\).*/\1/p' "$LOG" | head -1
        close_chat
    done
}

paints() { grep -c "^tui: paint us=.* chat=$1" "$LOG"; }
painted() { [ "$(paints "$1")" -ge "$2" ]; } # KIND COUNT

# key_costs KEY... : sends each key alone, waits for its paint, then prints
# the costs (us) of those paints; the chat pane is redrawn only for scrolls.
key_costs() {
    local before n=0 kind=0 k
    case $1 in PageUp | PageDown) kind=1 ;; esac
    before=$(paints $kind)
    for k in "$@"; do
        keys "$k"
        n=$((n + 1))
        wait_for painted $kind $((before + n)) || die "no paint after key $k"
    done
    grep "^tui: paint us=.* chat=$kind" "$LOG" | tail -n "$n" | sed 's/.*us=\([0-9]*\).*/\1/'
}

typing() { # KEYS letters typed, then erased
    local letters=() i
    for ((i = 0; i < KEYS; i++)); do letters+=(x); done
    key_costs "${letters[@]}"
    keys C-u
}

scrolling() {
    local ks=() i
    for ((i = 0; i < 10; i++)); do ks+=(PageUp); done
    for ((i = 0; i < 10; i++)); do ks+=(PageDown); done
    key_costs "${ks[@]}"
}

read -r ref_paint _ < <(first_paints cust_001 | stats)
read -r big_paint _ < <(first_paints cust_002 | stats)

open_chat cust_001
read -r ref_key ref_key95 < <(typing | stats)
close_chat
open_chat cust_002
loaded=$(sed -n 's/.*entries=\([0-9]*\).*/\1/p' "$LOG" | head -1)
read -r big_key big_key95 < <(typing | stats)
read -r big_scroll big_scroll95 < <(scrolling | stats)
type_line "/history 500"
wait_screen 'status'
read -r huge_key huge_key95 < <(typing | stats)
read -r huge_scroll huge_scroll95 < <(scrolling | stats)
close_chat

echo "bench/tui: conversation of $MESSAGES messages (built in $made_ms ms through line mode)"
printf '%-58s %10s %10s %8s\n' "" median p95 ratio
printf '%-58s %7s ms %10s %8s\n' "first full paint, empty conversation (reference)" "$ref_paint" "" 1.00x
printf '%-58s %7s ms %10s %8s\n' "first full paint, $MESSAGES-message conversation" "$big_paint" "" \
    "$(ratio "$big_paint" "$ref_paint")"
printf '%-58s %7s us %7s us %8s\n' "keystroke redraw, empty conversation (reference)" "$ref_key" "$ref_key95" 1.00x
printf '%-58s %7s us %7s us %8s\n' "keystroke redraw, $MESSAGES messages ($loaded entries loaded)" \
    "$big_key" "$big_key95" "$(ratio "$big_key" "$ref_key")"
printf '%-58s %7s us %7s us %8s\n' "keystroke redraw, after /history 500" "$huge_key" "$huge_key95" \
    "$(ratio "$huge_key" "$ref_key")"
printf '%-58s %7s us %7s us %8s\n' "PgUp/PgDn redraw, $loaded entries loaded (reference)" "$big_scroll" \
    "$big_scroll95" 1.00x
printf '%-58s %7s us %7s us %8s\n' "PgUp/PgDn redraw, after /history 500" "$huge_scroll" "$huge_scroll95" \
    "$(ratio "$huge_scroll" "$big_scroll")"
