#!/bin/bash
# The terminal is restored however the chat ends: Ctrl-C, SIGTERM, SIGHUP,
# and a crash (SIGSEGV). `stty -a` must read the same before and after.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/tui/tui_lib.sh"

start_server || exit 1

# run_chat NAME: the chat between two stty snapshots, its pid in NAME.pid.
run_chat() {
    local d="$SCRATCH/$1"
    tui_start 80 24 "stty -a >'$d.before'; sh -c 'echo \$\$ >\"$d.pid\"; exec \"$SERVICEBOT\" \
--server $SB_URL --token $SB_ADMIN --customer cust_001 chat'; echo \$? >'$d.rc'; stty -a >'$d.after'"
    wait_screen '· connected$'
}

finished() { [ -s "$SCRATCH/$1.after" ]; }

check() {
    local name=$1 what=$2
    wait_for finished "$name"
    ok $? "the chat ends on $what"
    is "$(diff "$SCRATCH/$name.before" "$SCRATCH/$name.after" && echo same)" same \
        "stty -a is unchanged after $what"
    tmx kill-session -t chat
}

run_chat ctrlc
keys C-c
check ctrlc "Ctrl-C"
is "$(cat "$SCRATCH/ctrlc.rc")" 130 "Ctrl-C exits 130"

for sig in TERM HUP SEGV; do
    run_chat "$sig"
    kill "-$sig" "$(cat "$SCRATCH/$sig.pid")"
    check "$sig" "SIG$sig"
done
done_testing
