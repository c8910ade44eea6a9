#!/usr/bin/env bash
# Output shaping and help: --quiet for writes, --color=auto|always|never
# (against NO_COLOR and the config file), "did you mean" for typos.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

sb devics list
is "$RC" 2 "a mistyped command exits 2"
like "$ERR" "unknown command 'devics'; did you mean 'devices'\\?" "did you mean the command"
sb capabilties
like "$ERR" "did you mean 'capabilities'\\?" "a letter left out"
sb levles show
like "$ERR" "did you mean 'levels'\\?" "two letters swapped"
sb device sett dev_001
like "$ERR" "unknown subcommand 'device sett'; did you mean 'device set'\\?" "did you mean the subcommand"
sb devices list --jsn
is "$RC" 2 "a mistyped option exits 2"
like "$ERR" "unknown option '--jsn'; did you mean '--json'\\?" "did you mean a global option"
sb device set dev_001 --volme 3
like "$ERR" "unknown option '--volme'; did you mean '--volume'\\?" "did you mean the command's option"
sb --custmer cust_001 devices list
like "$ERR" "did you mean '--customer'\\?" "before the command too"
sb help devics
like "$ERR" "no such command 'devics'; did you mean 'devices'\\?" "help suggests too"
sb help device sho
like "$ERR" "did you mean 'device show'\\?" "help suggests subcommands"
sb frobnicate
is "$ERR" "servicebot: unknown command 'frobnicate'
Try 'servicebot help'." "nothing close: no suggestion"
sb devices list --zz
like "$ERR" "unknown option '--zz'\$" "no suggestion for a short unrelated option"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN

sb --customer cust_002 --quiet device set dev_002 --volume 12
is "$RC" 0 "device set --quiet exits 0"
is "$OUT$ERR" "" "and prints nothing"
sb --customer cust_002 --json devices list
json_ok '.devices[0].volume == 12' "the change was made"
sb --customer cust_002 -q --json device set dev_002 --volume 13
is "$OUT" "" "-q wins over --json for a write"
sb --customer cust_002 -q device set dev_002 --volume 300
is "$RC" 2 "--quiet still fails"
like "$ERR" "volume must be 0-100" "and still says why"
sb --customer cust_001 -q device set dev_001 --song Imagine
is "$RC" 4 "--quiet on a denial exits 4"
like "$ERR" "Premium" "and the denial is still shown"

ESC=$'\x1b'
sb --color=always levels show
like "$OUT" "$ESC\\[1m" "--color=always colours into a pipe"
sb --color always levels show
like "$OUT" "$ESC\\[1m" "--color WHEN as a separate word"
NO_COLOR=1 sb --color=always levels show
like "$OUT" "$ESC\\[1m" "--color=always wins over NO_COLOR"
sb --color=auto levels show
if printf '%s' "$OUT" | grep -q "$ESC"; then ok 1 "--color=auto: no colour into a pipe"; else ok 0 "--color=auto: no colour into a pipe"; fi
sb --color=never levels show
if printf '%s' "$OUT" | grep -q "$ESC"; then ok 1 "--color=never: no colour"; else ok 0 "--color=never: no colour"; fi
printf 'color = always\n' >"$XDG_CONFIG_HOME/servicebot/config"
sb levels show
like "$OUT" "$ESC\\[1m" "the config file's color = always"
NO_COLOR=1 sb levels show
if printf '%s' "$OUT" | grep -q "$ESC"; then ok 1 "NO_COLOR wins over the config file"; else ok 0 "NO_COLOR wins over the config file"; fi
sb --no-color levels show
if printf '%s' "$OUT" | grep -q "$ESC"; then ok 1 "--no-color wins over the config file"; else ok 0 "--no-color wins over the config file"; fi
sb --json levels show
if printf '%s' "$OUT" | grep -q "$ESC"; then ok 1 "JSON is never coloured"; else ok 0 "JSON is never coloured"; fi
rm "$XDG_CONFIG_HOME/servicebot/config"
sb --customer cust_001 --color=always device set dev_001 --song Imagine
like "$ERR" "$ESC\\[1;33m" "--color=always colours the denial block on stderr"
sb --color=sometimes levels show
is "$RC" 2 "a bad --color exits 2"
like "$ERR" "--color: must be auto, always or never, got 'sometimes'" "and names the choices"

done_testing
