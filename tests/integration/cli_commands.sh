#!/usr/bin/env bash
# Every servicebot command against a real servicebotd: the table for people
# and the --json document for jq, with their exit codes.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN

sb devices list --customer cust_002
is "$RC" 0 "devices list exits 0"
like "$OUT" '^ID +NAME +TYPE +LOCATION +STATE +VOLUME +SONG' "devices list prints a header"
like "$OUT" 'dev_002 +Bedroom Speaker +SmartSpeaker +bedroom +on +30 +Clair de Lune' "devices list row"
like "$OUT" 'dev_003 +Kitchen Display' "devices list shows every device"
sb --json devices list --customer cust_002
is "$RC" 0 "devices list --json exits 0"
json_ok '.devices | map(.id) == ["dev_002","dev_003"]' "devices list --json passes the API list through"
sb devices list --json --customer=cust_002
json_ok '.devices | length == 2' "global options after the command, --opt=value form"

sb --customer cust_001 device show dev_001
is "$RC" 0 "device show exits 0"
like "$OUT" 'Name +Living Room Speaker' "device show names the device"
like "$OUT" 'Playlist +Bohemian Rhapsody, Imagine' "device show lists the playlist"
sb --customer cust_001 --json device show 'living room speaker'
json_ok '.device.id == "dev_001"' "device show finds a device by name; --json wraps it as device"

sb --customer cust_001 device set dev_001 --state on --volume 30
is "$RC" 0 "device set allowed by the plan exits 0"
like "$OUT" 'State +on' "device set shows the new state"
like "$OUT" 'Volume +30' "device set shows the new volume"
sb --customer cust_001 --json devices list
json_ok '.devices[0].state == "on" and .devices[0].volume == 30' "the change is stored"
sb --customer cust_001 --json device set dev_001 --volume 0
json_ok '.device.volume == 0' "device set --json prints the updated device"

sb --customer cust_001 device set dev_001 --song Imagine
is "$RC" 4 "a song change on the basic plan exits 4"
is "$OUT" "" "the denial is not on stdout"
like "$ERR" 'Song Changes is not included in your Basic plan' "denial block: what was refused"
like "$ERR" 'Upgrade to Premium \(\$9\.99/month\)' "denial block: the upgrade and its price"
like "$ERR" 'still use: Device Status, Device Power, Volume Control and Playback Control' "denial block: what is still allowed"
sb --customer cust_001 --json device set dev_001 --song Imagine
is "$RC" 4 "the denial exits 4 with --json too"
json_ok '.denial.requiredLevel == "premium" and .denial.price == 9.99' "--json passes the denial structure through"
sb --customer cust_002 device set dev_002 --song 'River Flows in You' --location office
is "$RC" 0 "premium may change songs and rooms"
like "$OUT" 'Location +office' "the room changed"
like "$OUT" 'Song +River Flows in You' "the song changed"
sb --customer cust_002 device set dev_002 --song 'Not In The Playlist'
is "$RC" 2 "the server's 400 exits 2"
like "$ERR" "playlist" "the server's sentence is shown"

sb levels show
is "$RC" 0 "levels show exits 0"
like "$OUT" '^ +Basic +Premium +Enterprise' "levels side by side, by rank"
like "$OUT" 'Price +free +\$9\.99/month +\$29\.99/month' "a price row"
like "$OUT" 'Devices +1 +3 +10' "a device limit row"
like "$OUT" 'Song Changes +no +yes +yes' "a yes/no row per action"
like "$OUT" 'Custom Actions +no +no +yes' "the enterprise-only action"
sb --json levels show
json_ok '.service_levels | map(.level) == ["basic","premium","enterprise"]' "levels show --json"
sb levels show premium
like "$OUT" 'Price +\$9\.99/month' "levels show LEVEL shows the price"
like "$OUT" 'Allows +Device Status' "levels show LEVEL lists the actions"
sb --json levels show premium
json_ok '.service_level.max_devices == 3' "levels show LEVEL --json"

sb capabilities
is "$RC" 0 "capabilities exits 0"
like "$OUT" '^CAPABILITY +CATEGORY +basic +premium +enterprise' "capabilities header has a column per level"
like "$OUT" 'Multi-room Audio +media +no +yes +yes' "capabilities row"
sb --json capabilities
json_ok '.capabilities | length == 8' "capabilities --json"

sb customers list
is "$RC" 0 "customers list exits 0"
like "$OUT" 'cust_003 +Alice Johnson +enterprise +3' "customers list row with device count"
sb --json customers list
json_ok '[.customers[].id] == ["cust_001","cust_002","cust_003"]' "customers list --json"
sb customers show cust_003
like "$OUT" 'Name +Alice Johnson' "customers show"
like "$OUT" 'dev_006' "customers show lists devices"
sb --json customers show cust_003
json_ok '.customer.service_level == "enterprise"' "customers show --json"

sb --customer cust_001 send turn off the speaker
is "$RC" 0 "send exits 0 when the bot did it"
like "$OUT" '[A-Za-z]' "send prints the reply"
OUT=$(printf 'turn on the speaker\n' | "$SERVICEBOT" --customer cust_001 --json send - 2>/dev/null)
json_ok '.outcome == "done" or .outcome == "status"' "send - reads the message from stdin"
sb --customer cust_001 --json send "what can I do?"
json_ok '.outcome and .conversationId and .message' "send --json prints the chat result"
CONV=$(printf '%s' "$OUT" | jq -r .conversationId)
sb --customer cust_001 send --conversation "$CONV" play the next song
is "$RC" 4 "a refused chat request exits 4"
like "$ERR" 'Premium' "send prints the denial block on stderr"

sb --customer cust_001 history
is "$RC" 0 "history exits 0"
like "$OUT" '^TIME +CONVERSATION +FROM +TEXT' "history header"
like "$OUT" 'user +what can I do\?' "history shows the user's message"
sb --customer cust_001 --json history --conversation "$CONV"
json_ok '(.messages | length) == 4 and all(.messages[]; .conversationId == "'"$CONV"'")' \
    "history --conversation --json"
sb --customer cust_001 history --conversation "$CONV"
like "$OUT" '^TIME +FROM +TEXT' "history of one conversation leaves out its id"
like "$OUT" 'bot +' "and shows the bot's replies"
sb --customer cust_001 --json history --limit 1
json_ok '.messages | length == 1' "history --limit"

OUT=$(printf 'turn on the speaker\n' | "$SERVICEBOT" chat --customer cust_001 2>"$SCRATCH/cli.err")
RC=$?
is "$RC" 0 "chat in line mode takes global options after the command"
like "$OUT" 'Living Room Speaker' "chat in line mode prints the reply"

TOKEN=$(customer_token cust_002)
SERVICEBOT_TOKEN=$TOKEN sb --json devices list
json_ok '.devices | length == 2' "a customer token implies its customer"

sb version
like "$OUT" '^servicebot [0-9]+\.[0-9]+' "version"
sb --version
is "$RC" 0 "--version exits 0"
sb --json version
json_ok '.version | type == "string"' "version --json"
sb device set --help
is "$RC" 0 "command --help exits 0"
like "$OUT" '--volume N' "command --help lists its options"
sb help levels show
like "$OUT" 'usage: servicebot levels show \[LEVEL\]' "help COMMAND"
sb help device
is "$RC" 0 "help GROUP exits 0"
like "$OUT" 'usage: servicebot device show DEVICE' "help GROUP shows the first subcommand"
like "$OUT" 'usage: servicebot device set DEVICE \[options\]' "help GROUP shows the others"
sb help nothing
is "$RC" 2 "help of an unknown command exits 2"
sb --help
like "$OUT" 'devices list' "--help lists the commands"

done_testing
