#!/usr/bin/env bash
# Settings come from flag > environment > config file > default, and a bad
# config file names the file and line. Colour only on a terminal without NO_COLOR.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
DOWN="http://127.0.0.1:$(free_port)"
CONF="$XDG_CONFIG_HOME/servicebot/config"

cat >"$CONF" <<CONF
# written by cli_settings.sh
server = $SB_URL
token = $SB_ADMIN
customer = cust_002
CONF
chmod 644 "$CONF"
sb --json devices list
is "$RC" 0 "server, token and customer from the XDG config file"
like "$ERR" "warning: .*config holds a token and others may read it \(chmod 600" \
    "a readable config file with a token gets a warning"
chmod 600 "$CONF"
sb --json devices list
is "$ERR" "" "no warning once the file is private"
json_ok '.devices[0].id == "dev_002"' "the config file's customer is used"

SERVICEBOT_CUSTOMER=cust_003 sb --json devices list
json_ok '.devices[0].id == "dev_004"' "environment beats the config file"
SERVICEBOT_CUSTOMER=cust_003 sb --json --customer cust_001 devices list
json_ok '.devices[0].id == "dev_001"' "flag beats the environment"
SERVICEBOT_SERVER=$DOWN sb devices list
is "$RC" 6 "SERVICEBOT_SERVER beats the config file's server"
like "$ERR" "$DOWN" "the error names the environment's server"
SERVICEBOT_SERVER=$DOWN sb --server "$SB_URL" --json devices list
is "$RC" 0 "--server beats SERVICEBOT_SERVER"

OTHER="$SCRATCH/other.conf"
printf 'server = %s\ntoken = %s\ncustomer = cust_001\n' "$SB_URL" "$SB_ADMIN" >"$OTHER"
sb --config "$OTHER" --json devices list
json_ok '.devices[0].id == "dev_001"' "--config names another file"
SERVICEBOT_CONFIG=$OTHER sb --json devices list
json_ok '.devices[0].id == "dev_001"' "SERVICEBOT_CONFIG names another file"
sb --config "$SCRATCH/missing.conf" capabilities
is "$RC" 2 "a named config file that is missing exits 2"
like "$ERR" "missing.conf" "the message names the file"

printf 'server = %s\n\ncolour = never\n' "$SB_URL" >"$OTHER"
sb --config "$OTHER" capabilities
is "$RC" 2 "an unknown setting exits 2"
like "$ERR" "other.conf:3: unknown setting 'colour'" "the message names file and line"
printf 'server = %s\ntimeout = soon\n' "$SB_URL" >"$OTHER"
sb --config "$OTHER" capabilities
like "$ERR" "other.conf:2: expected a number of seconds" "a bad value names file and line"
printf 'just some words\n' >"$OTHER"
sb --config "$OTHER" capabilities
is "$RC" 2 "a malformed line exits 2"
like "$ERR" "other.conf:1" "the malformed line is named"

# A terminal on stdout (script(1) gives one) turns colour on; NO_COLOR and
# --no-color turn it off; a pipe never has it.
tty_run() { script -qec "$SERVICEBOT $*" /dev/null </dev/null | cat -v; }
no_escape() { ! printf '%s' "$1" | grep -q -e $'\033' -e '\^\['; }
TTY_OUT=$(tty_run levels show)
like "$TTY_OUT" 'Song Changes' "levels show runs on a terminal"
no_escape "$TTY_OUT"
ok $((!$?)) "colour on a terminal"
TTY_OUT=$(NO_COLOR=1 tty_run levels show)
no_escape "$TTY_OUT"
ok $? "no colour with NO_COLOR"
TTY_OUT=$(tty_run --no-color levels show)
no_escape "$TTY_OUT"
ok $? "no colour with --no-color"
sb levels show
no_escape "$OUT"
ok $? "no colour in a pipe"

done_testing
