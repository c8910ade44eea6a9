#!/usr/bin/env bash
# Shell completion: the bash function driven through complete/COMP_WORDS in
# a bash subshell, fish through `complete -C`, zsh's file for syntax. The
# words come from the command table and, for device ids, customers and
# levels, from a running server.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

BIN_DIR=$(dirname "$SERVICEBOT")
# complete_bash WORD...: the candidates bash offers for the last word.
complete_bash() {
    PATH="$BIN_DIR:$PATH" bash --norc --noprofile -c '
        . "$1"; shift
        spec=$(complete -p servicebot) || exit 1
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        fn=$(printf "%s" "$spec" | sed -n "s/.*-F \([^ ]*\).*/\1/p")
        "$fn" servicebot "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
        _ "$SB_SRCDIR/completions/servicebot.bash" "$@"
}

is "$(complete_bash servicebot '')" \
    "auth capabilities chat customers device devices help history levels login logout routines send version" \
    "commands at the start"
is "$(complete_bash servicebot dev)" "device devices" "commands by prefix"
is "$(complete_bash servicebot device '')" "set show" "subcommands of a group"
is "$(complete_bash servicebot device set dev_001 --s)" "--server --song --state" \
    "options of the command and global options"
is "$(complete_bash servicebot device set dev_001 --state '')" "off on" "values of --state"
is "$(complete_bash servicebot --json history --l)" "--limit" "options after global options"
is "$(complete_bash servicebot help '')" \
    "auth capabilities chat customers device devices help history levels login logout routines send version" "help COMMAND"
is "$(complete_bash servicebot help device '')" "set show" "help GROUP SUBCOMMAND"
is "$(complete_bash servicebot help version '')" "" "nothing after a whole command"
is "$(complete_bash servicebot __c)" "" "hidden commands are not offered"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN
is "$(complete_bash servicebot levels show '')" "basic enterprise premium" "level names from the server"
is "$(complete_bash servicebot --customer cust_002 device show '')" "dev_002 dev_003" \
    "device ids of --customer from the server"
is "$(SERVICEBOT_CUSTOMER=cust_003 complete_bash servicebot device set dev_00)" \
    "dev_004 dev_005 dev_006" "device ids of SERVICEBOT_CUSTOMER, by prefix"
is "$(complete_bash servicebot --customer=cust_002 device show '')" "dev_002 dev_003" \
    "--customer=ID is understood too"
is "$(complete_bash servicebot --customer = cust_003 device set dev_00)" "dev_004 dev_005 dev_006" \
    "--customer=ID as bash splits it at the ="
is "$(complete_bash servicebot device set dev_001 --state = of)" "off" \
    "--state=VALUE as bash splits it"
is "$(complete_bash servicebot devices list --customer cust_00)" "cust_001 cust_002 cust_003" \
    "customer ids for --customer"
TOKEN=$(customer_token cust_001)
is "$(SERVICEBOT_TOKEN=$TOKEN complete_bash servicebot device show '')" "dev_001" \
    "a customer token's own devices without --customer"
is "$(SERVICEBOT_SERVER=http://127.0.0.1:$(free_port) complete_bash servicebot device show '')" \
    "" "no server: no device ids, and no error output"
is "$(complete_bash servicebot --customer cust_002 device set dev_002 --song Gy)" 'Gymnopedie\ No.\ 1' \
    "songs of the device for --song, quoted for bash"
is "$(complete_bash servicebot --customer cust_002 device set 'Bedroom Speaker' --song Cl)" 'Clair\ de\ Lune' \
    "songs of a device given by name"
is "$(complete_bash servicebot --customer cust_003 device set dev_004 --location '')" \
    "$("$SERVICEBOT" --json customers show cust_003 | jq -r '[.customer.devices[].location] | unique | join(" ")')" \
    "rooms of the customer's devices for --location"
sb --customer cust_002 --json send 'what can I do?'
CONV=$(printf '%s' "$OUT" | jq -r .conversationId)
is "$(complete_bash servicebot history --customer cust_002 --conversation '')" "$CONV" \
    "conversation ids for --conversation"
is "$(complete_bash servicebot --customer cust_002 send --conversation conv_)" "$CONV" \
    "for send --conversation too"
DESCRIBED=$(SERVICEBOT_COMPLETE_DESCRIBE=1 "$SERVICEBOT" __complete --customer cust_002 device show '')
is "$DESCRIBED" $'dev_002\tBedroom Speaker (bedroom)\ndev_003\tKitchen Display (kitchen)' \
    "__complete describes device ids with their names for zsh and fish"
like "$(SERVICEBOT_COMPLETE_DESCRIBE=1 "$SERVICEBOT" __complete --customer cust_002 history --conversation '')" \
    "^$CONV"$'\t'"[0-9-]+ [0-9:]+ [+-][0-9]{4}  what can I do\\?$" "conversations are described by when and how they began"

if command -v fish >/dev/null; then
    FISH_OUT=$(PATH="$BIN_DIR:$PATH" fish --no-config -c \
        "source '$SB_SRCDIR/completions/servicebot.fish'; complete -C 'servicebot device set dev_001 --state '" |
        sort | tr '\n' ' ')
    is "$FISH_OUT" "off on " "fish completes --state values"
    FISH_OUT=$(PATH="$BIN_DIR:$PATH" fish --no-config -c \
        "source '$SB_SRCDIR/completions/servicebot.fish'; complete -C 'servicebot --customer cust_002 device show '" |
        sort | tr '\n' ' ')
    is "$FISH_OUT" $'dev_002\tBedroom Speaker (bedroom) dev_003\tKitchen Display (kitchen) ' \
        "fish completes device ids from the server, names beside them"
    FISH_OUT=$(PATH="$BIN_DIR:$PATH" fish --no-config -c \
        "source '$SB_SRCDIR/completions/servicebot.fish'; complete -C 'servicebot --customer cust_002 device set dev_002 --song Cl'")
    is "$FISH_OUT" $'Clair de Lune\tBedroom Speaker' "fish completes songs"
    touch "$SCRATCH/my.conf"
    FISH_OUT=$(cd "$SCRATCH" && PATH="$BIN_DIR:$PATH" fish --no-config -c \
        "source '$SB_SRCDIR/completions/servicebot.fish'; complete -C 'servicebot --config my'")
    is "$FISH_OUT" "my.conf" "fish completes files for --config"
fi
if command -v zsh >/dev/null; then
    zsh -n "$SB_SRCDIR/completions/_servicebot"
    ok $? "the zsh completion parses"
    # complete_zsh WORD...: runs the completion function with zsh's words and
    # CURRENT set, printing what it hands to compadd (or FILES for _files).
    complete_zsh() {
        PATH="$BIN_DIR:$PATH" zsh -f -c '
            compadd() {
                local d=
                while [[ $1 != -- ]]; do [[ $1 == -d ]] && { d=$2; shift; }; shift; done
                shift
                if [[ -n $ZSH_DESCS ]]; then print -l -- "${(@P)d}"; else print -l -- "$@"; fi
            }
            _files() { print FILES; }
            f=$1; shift; words=("$@"); CURRENT=$#
            source "$f"' _ "$SB_SRCDIR/completions/_servicebot" "$@" | sort | tr '\n' ' '
    }
    is "$(complete_zsh servicebot device set dev_001 --state '')" "off on " "zsh completes --state values"
    is "$(complete_zsh servicebot --customer cust_003 device show '')" "dev_004 dev_005 dev_006 " \
        "zsh completes device ids from the server"
    is "$(complete_zsh servicebot --config '')" "FILES " "zsh falls back to files"
    is "$(ZSH_DESCS=1 complete_zsh servicebot --customer cust_002 device show '')" \
        "dev_002  -- Bedroom Speaker (bedroom) dev_003  -- Kitchen Display (kitchen) " \
        "zsh shows device names beside the ids"
    is "$(complete_zsh servicebot --customer cust_002 device set dev_002 --song Cl)" "Clair de Lune " \
        "zsh completes songs"
fi

done_testing
